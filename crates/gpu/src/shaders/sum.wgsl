// What every exact-sum kernel binds: the pieces to add up, each a range of the values, and one
// 96-bit sum per piece to write, three 32-bit limbs, lowest first. The values themselves (64-bit
// mantissas, two 32-bit halves each, low first) are bound by each kernel, as it reads them.
//
// No value is ever rounded: a sum is three limbs that carry into each other, and at most 2³²
// values (more than any buffer holds) of less than 2⁶⁴ each sum to less than 2⁹⁶.

@group(0) @binding(0) var<storage, read> pieces: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> sums: array<u32>;

// ANCHOR: add
// x + y, exactly: where a limb's sum wraps below its operand, one carries into the next limb.
fn add(x: vec3<u32>, y: vec3<u32>) -> vec3<u32> {
    let low = x.x + y.x;
    let middle = x.y + y.y;
    let middle_carried = middle + u32(low < x.x);
    // At most one of the two carries out of the middle limb is 1.
    let high = x.z + y.z + u32(middle < x.y) + u32(middle_carried < middle);
    return vec3(low, middle_carried, high);
}
// ANCHOR_END: add

// A 64-bit value as a 96-bit sum.
fn widen(value: vec2<u32>) -> vec3<u32> {
    return vec3(value, 0u);
}

// The piece a workgroup adds up: a grid has at most 65 535 workgroups along x, so many pieces
// take rows of them.
fn piece_of(group: vec3<u32>, groups: vec3<u32>) -> u32 {
    return group.x + group.y * groups.x;
}

// Each invocation's sum, while a workgroup adds them up.
var<workgroup> partial: array<vec3<u32>, WG>;

// ANCHOR: sequential_tree
// The sum of every invocation's `value`, by sequential addressing: at each step, the first
// half of the invocations still working adds in the second half, so the busy invocations are
// neighbours (whole groups in lock step busy or whole groups idle) and neighbours read
// neighbouring words of workgroup memory. Every invocation of the workgroup must call it.
fn sequential_tree(t: u32, value: vec3<u32>) -> vec3<u32> {
    partial[t] = value;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s /= 2u) {
        if t < s {
            partial[t] = add(partial[t], partial[t + s]);
        }
        workgroupBarrier();
    }
    return partial[0];
}
// ANCHOR_END: sequential_tree

fn store(piece: u32, sum: vec3<u32>) {
    sums[3u * piece] = sum.x;
    sums[3u * piece + 1u] = sum.y;
    sums[3u * piece + 2u] = sum.z;
}
