// Many values per invocation: the host makes a workgroup's piece 32 times its size, and each
// invocation first adds up its 32 values in registers, WG apart so that neighbours read
// neighbouring values, before the sequential tree. The tree's steps and barriers, paid once
// per WG values before, are now paid once per 32 · WG.

@group(0) @binding(1) var<storage, read> values: array<vec2<u32>>;

// ANCHOR: many
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
    var sum = vec3(0u);
    for (var i = pieces[piece].x + t; i < pieces[piece].y; i += WG) {
        sum = add(sum, widen(values[i]));
    }
    let total = sequential_tree(t, sum);
    if t == 0u {
        store(piece, total);
    }
}
// ANCHOR_END: many
