// The same loop with the two indices swapped: neighbouring invocations (x, x + 1) compute
// neighbouring elements of a row of `c`, so at every step they read one value of `a` (the same
// for all) and neighbouring values of `b`, which the GPU fetches together.

// ANCHOR: coalesced
@compute @workgroup_size(WG, WG)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let j = id.x; // the column: neighbours in x read neighbouring values of b
    let i = id.y;
    if i >= dims.m || j >= dims.n {
        return;
    }
    var sum = real(0);
    for (var p = 0u; p < dims.k; p++) {
        sum += a[i * dims.k + p] * b[p * dims.n + j];
    }
    c[i * dims.n + j] = sum;
}
// ANCHOR_END: coalesced
