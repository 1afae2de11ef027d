// Tiles in workgroup memory: a workgroup of TILE × TILE invocations computes a TILE × TILE block
// of `c`. For each step of TILE along `k`, every invocation loads one value of `a` and one of
// `b` into memory the workgroup shares, and then each uses TILE values of each from there: every
// value read from device memory is used TILE times.

var<workgroup> a_tile: array<array<real, TILE>, TILE>;
var<workgroup> b_tile: array<array<real, TILE>, TILE>;

// ANCHOR: tiled
@compute @workgroup_size(TILE, TILE)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_id) local: vec3<u32>,
) {
    let i = group.y * TILE + local.y;
    let j = group.x * TILE + local.x;
    var sum = real(0);
    for (var p0 = 0u; p0 < dims.k; p0 += TILE) {
        // Outside the matrices, a tile holds zeros: they add nothing to the sum.
        let pa = p0 + local.x;
        let pb = p0 + local.y;
        a_tile[local.y][local.x] = real(0);
        if i < dims.m && pa < dims.k {
            a_tile[local.y][local.x] = a[i * dims.k + pa];
        }
        b_tile[local.y][local.x] = real(0);
        if pb < dims.k && j < dims.n {
            b_tile[local.y][local.x] = b[pb * dims.n + j];
        }
        workgroupBarrier(); // both tiles loaded by every invocation
        for (var p = 0u; p < TILE; p++) {
            sum += a_tile[local.y][p] * b_tile[p][local.x];
        }
        workgroupBarrier(); // every invocation done with them before the next are loaded
    }
    if i < dims.m && j < dims.n {
        c[i * dims.n + j] = sum;
    }
}
// ANCHOR_END: tiled
