// Many values per invocation: a workgroup's piece is PER times its size, and each invocation
// first adds up PER values in its registers, WG apart so that neighbours read neighbouring
// values, before the same tree as the sequential kernel. The tree's steps and barriers, paid
// once per WG values before, are now paid once per WG · PER.

@group(0) @binding(1) var<storage, read> values: array<vec2<u32>>;

var<workgroup> partial: array<vec3<u32>, WG>;

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
    partial[t] = sum;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s /= 2u) {
        if t < s {
            partial[t] = add(partial[t], partial[t + s]);
        }
        workgroupBarrier();
    }
    if t == 0u {
        store(piece, partial[0]);
    }
}
// ANCHOR_END: many
