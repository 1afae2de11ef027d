// Wider loads: the same as the many-values kernel, but each load brings two values, 16 bytes,
// from device memory. The values are bound as pairs; a piece that starts or ends halfway
// through a pair has its lone value added by invocation 0.

@group(0) @binding(1) var<storage, read> pairs: array<vec4<u32>>;

// ANCHOR: wide
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
    let start = pieces[piece].x;
    let end = pieces[piece].y;
    var sum = vec3(0u);
    for (var p = (start + 1u) / 2u + t; p < end / 2u; p += WG) {
        let pair = pairs[p];
        sum = add(sum, add(widen(pair.xy), widen(pair.zw)));
    }
    if t == 0u && start % 2u == 1u && start < end {
        sum = add(sum, widen(pairs[start / 2u].zw));
    }
    if t == 0u && end % 2u == 1u && (start + 1u) / 2u <= end / 2u {
        sum = add(sum, widen(pairs[end / 2u].xy));
    }
    let total = sequential_tree(t, sum);
    if t == 0u {
        store(piece, total);
    }
}
// ANCHOR_END: wide
