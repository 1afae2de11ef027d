// A tree per workgroup: each invocation loads one value into workgroup memory, then at step s
// every invocation whose index is a multiple of 2s adds in its neighbour s away. Half the
// invocations of the first step sit idle, and more at each step after.

@group(0) @binding(1) var<storage, read> values: array<vec2<u32>>;

// ANCHOR: tree
@compute @workgroup_size(WG)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) t: u32,
) {
    let piece = piece_of(group, groups);
    if piece >= arrayLength(&pieces) {
        return;
    }
    let i = pieces[piece].x + t;
    var value = vec3(0u);
    if i < pieces[piece].y {
        value = widen(values[i]);
    }
    partial[t] = value;
    workgroupBarrier();
    for (var s = 1u; s < WG; s *= 2u) {
        if t % (2u * s) == 0u {
            partial[t] = add(partial[t], partial[t + s]);
        }
        workgroupBarrier();
    }
    if t == 0u {
        store(piece, partial[0]);
    }
}
// ANCHOR_END: tree
