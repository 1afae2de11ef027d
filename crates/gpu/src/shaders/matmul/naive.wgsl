// One invocation per element of `c`, the seed's triple loop with its two outer loops spread
// over the GPU: invocation (x, y) computes c[x][y]. Neighbouring invocations (x, x + 1) read
// rows of `a` that are `k` values apart and write elements of `c` that are `n` apart.

// ANCHOR: naive
@compute @workgroup_size(WG, WG)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x; // the row: neighbours in x are a row apart
    let j = id.y;
    if i >= dims.m || j >= dims.n {
        return;
    }
    var sum = real(0);
    for (var p = 0u; p < dims.k; p++) {
        sum += a[i * dims.k + p] * b[p * dims.n + j];
    }
    c[i * dims.n + j] = sum;
}
// ANCHOR_END: naive
