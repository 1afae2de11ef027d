// Sequential addressing: the tree kernel's loads, added up by the tree every later kernel uses
// (`sequential_tree`, beside the addition).

@group(0) @binding(1) var<storage, read> values: array<vec2<u32>>;

// ANCHOR: sequential
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
    let total = sequential_tree(t, value);
    if t == 0u {
        store(piece, total);
    }
}
// ANCHOR_END: sequential
