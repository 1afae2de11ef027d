// The arithmetic peak: every invocation runs eight independent chains of fused multiply-adds
// on registers, ROUNDS times, and nothing else. Nothing is loaded in the loop; the one store
// happens only if the result is impossible, so that the compiler must do all the work and the
// memory does none. x ← x·a + b tends to b / (1 − a) = 0.1, so no chain overflows.

@group(0) @binding(0) var<storage, read_write> out: array<real>;

// ANCHOR: fma
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let a = real(0.999);
    let b = real(0.0001);
    var x0 = real(id.x % 7u) * real(0.01);
    var x1 = x0 + real(0.01);
    var x2 = x0 + real(0.02);
    var x3 = x0 + real(0.03);
    var x4 = x0 + real(0.04);
    var x5 = x0 + real(0.05);
    var x6 = x0 + real(0.06);
    var x7 = x0 + real(0.07);
    for (var r = 0u; r < ROUNDS; r++) {
        x0 = fma(x0, a, b);
        x1 = fma(x1, a, b);
        x2 = fma(x2, a, b);
        x3 = fma(x3, a, b);
        x4 = fma(x4, a, b);
        x5 = fma(x5, a, b);
        x6 = fma(x6, a, b);
        x7 = fma(x7, a, b);
    }
    let total = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
    if total < real(0) {
        out[0] = total;
    }
}
// ANCHOR_END: fma
