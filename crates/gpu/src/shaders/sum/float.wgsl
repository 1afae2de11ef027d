// A float sum, for comparison: each workgroup adds WG · PER numbers in `real`, each invocation
// PER of them, WG apart, then the sequential tree. The tree is fixed, so the same numbers give
// the same bits every time; but every addition rounds, so the bits are not the exact sum's.

@group(0) @binding(0) var<storage, read> numbers: array<real>;
@group(0) @binding(1) var<storage, read_write> partials: array<real>;

var<workgroup> partial: array<real, WG>;

// ANCHOR: float
@compute @workgroup_size(WG)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) t: u32,
) {
    let piece = group.x + group.y * groups.x;
    let start = piece * WG * PER;
    let end = min(start + WG * PER, arrayLength(&numbers));
    var sum = real(0);
    for (var i = start + t; i < end; i += WG) {
        sum += numbers[i];
    }
    partial[t] = sum;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s /= 2u) {
        if t < s {
            partial[t] += partial[t + s];
        }
        workgroupBarrier();
    }
    if t == 0u && start < arrayLength(&numbers) {
        partials[piece] = partial[0];
    }
}
// ANCHOR_END: float
