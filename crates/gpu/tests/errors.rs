//! What the lesson refuses, and that its checks notice a wrong kernel: an error that says what
//! was asked and what the device allows, never a panic.

use lesson_gpu::kit;
use lesson_gpu::matmul::{self, BINDINGS, WG};
use lesson_gpu::shader::{Precision, Shader};
use lesson_gpu::{Error, Gpu};
use lesson_vectorize::Matrix;

/// The naive kernel without the first term of every sum: wrong on every shape but `k = 0`.
static SKIPS_A_TERM: Shader = Shader {
    name: "skips-a-term",
    bindings: BINDINGS,
    body: "@compute @workgroup_size(WG, WG)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x >= dims.m || id.y >= dims.n { return; }
    var sum = real(0);
    for (var p = 1u; p < dims.k; p++) { sum += a[id.x * dims.k + p] * b[p * dims.n + id.y]; }
    c[id.x * dims.n + id.y] = sum;
}",
    constants: &[("WG", WG)],
};

fn skips_a_term(
    gpu: &Gpu,
    precision: Precision,
    a: &Matrix,
    b: &Matrix,
) -> Result<matmul::Product, Error> {
    let groups = |len: usize| (len as u64).div_ceil(u64::from(WG));
    let groups = [groups(a.rows()), groups(b.cols()), 1];
    let launch = matmul::Launch { shader: &SKIPS_A_TERM, groups, lanes: 1 };
    matmul::multiply(gpu, launch, precision, (a, b))
}

#[test]
fn the_bound_check_notices_a_kernel_that_skips_a_term() {
    if kit::gpu().is_none() {
        return;
    }
    let caught = std::panic::catch_unwind(|| {
        kit::matmul::multiplies_within_the_bound("skips", skips_a_term)
    });
    assert!(caught.is_err(), "a sum without its first term is beyond any rounding bound");
}

#[test]
fn a_buffer_beyond_the_devices_limit_is_an_error_naming_both() {
    let Some(gpu) = kit::gpu() else { return };
    let limit = gpu.facts().max_binding_bytes;
    let values = usize::try_from(limit / 8 + 1).expect("a size this machine can count");
    match gpu.output::<f64>("c", values) {
        Err(Error::TooLarge { what: "c", bytes, limit: l }) => assert!(bytes > l),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn a_shader_that_does_not_compile_is_an_error_naming_it() {
    static BROKEN: Shader = Shader {
        name: "broken",
        bindings: BINDINGS,
        body: "@compute @workgroup_size(1) fn main() { c[0] = undefined_name; }",
        constants: &[],
    };
    let Some(gpu) = kit::gpu() else { return };
    let error = gpu.compile(&BROKEN, Some(Precision::F32)).expect_err("an unknown name");
    let message = ladder::cli::chain(&error);
    assert!(message.contains("broken") && message.contains("undefined_name"), "{message}");
}
