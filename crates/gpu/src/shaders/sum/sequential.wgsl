// Sequential addressing: at each step the first half of the invocations still working adds in
// the second half, so the busy invocations are neighbours (whole groups in lock step busy or
// whole groups idle) and neighbours read neighbouring words of workgroup memory.

@group(0) @binding(1) var<storage, read> values: array<vec2<u32>>;

var<workgroup> partial: array<vec3<u32>, WG>;

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
    partial[t] = value;
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
// ANCHOR_END: sequential
