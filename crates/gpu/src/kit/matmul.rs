//! The matrix-multiply kernels' tests: the product within its bound, in each precision the
//! device has, on the shapes where kernels go wrong.

use lesson_vectorize::Matrix;
use lesson_vectorize::matrix::{reference, relative_error};

use super::gpu;
use crate::device::Gpu;
use crate::matmul::{Multiply, error_bound, in_f32};
use crate::shader::Precision;

/// The shapes every product is checked on: the sizes where a kernel's edges go wrong (one
/// element, fewer than a workgroup, exactly a tile, one past a tile, several tiles),
/// rectangles whose three dimensions differ, and a long `k` that takes an invocation close to
/// lavapipe's cap on loop turns.
pub const SHAPES: [(usize, usize, usize); 10] = [
    (1, 1, 1),
    (7, 7, 7),
    (64, 64, 64),
    (129, 129, 129),
    (256, 256, 256),
    (1, 300, 1),
    (17, 5, 33),
    (65, 130, 3),
    (3, 1, 200),
    (1, 2000, 1),
];

/// The precisions `gpu` computes in: `f32` always, `f64` where it can.
fn precisions(gpu: &Gpu) -> impl Iterator<Item = Precision> + '_ {
    Precision::ALL.into_iter().filter(|&p| gpu.supports(p))
}

/// Random inputs for a product in `precision`: in `f32`, values an `f32` kernel reads exactly.
fn inputs(precision: Precision, (m, k, n): (usize, usize, usize), seed: u64) -> (Matrix, Matrix) {
    let (a, b) = (Matrix::random(m, k, seed), Matrix::random(k, n, seed.wrapping_add(1)));
    match precision {
        Precision::F32 => (in_f32(&a), in_f32(&b)),
        Precision::F64 => (a, b),
    }
}

/// `multiply` on every shape of [`SHAPES`], in each precision the GPU has: within the error
/// bound of the reference product for that precision.
pub fn multiplies_within_the_bound(what: &str, multiply: Multiply) {
    let Some(gpu) = gpu() else { return };
    for precision in precisions(&gpu) {
        for (seed, &(m, k, n)) in SHAPES.iter().enumerate() {
            let (a, b) = inputs(precision, (m, k, n), 2 * seed as u64);
            let truth = reference(&a, &b).expect("shapes that fit");
            let case = format!("{what} in {} on {m}×{k} by {k}×{n}", precision.name());
            let product = multiply(&gpu, precision, &a, &b)
                .unwrap_or_else(|e| panic!("{case}: {}", ladder::cli::chain(&e)));
            assert_eq!((product.c.rows(), product.c.cols()), (m, n), "{case}: the shape of c");
            let (error, bound) =
                (relative_error(&product.c, &truth, &a, &b), error_bound(k, precision));
            assert!(error <= bound, "{case}: relative error {error:e} beyond the bound {bound:e}");
        }
    }
}

/// `multiply` with an empty dimension: `c` is all zeros (k = 0) or empty (m or n = 0).
pub fn multiplies_empty_matrices(what: &str, multiply: Multiply) {
    let Some(gpu) = gpu() else { return };
    for precision in precisions(&gpu) {
        for shape @ (m, k, n) in [(0, 3, 4), (3, 0, 4), (3, 4, 0)] {
            let (a, b) = inputs(precision, shape, 1);
            let case = format!("{what} in {} on {m}×{k} by {k}×{n}", precision.name());
            let product = multiply(&gpu, precision, &a, &b)
                .unwrap_or_else(|e| panic!("{case}: {}", ladder::cli::chain(&e)));
            assert_eq!(product.c, Matrix::zeros(m, n), "{case}");
        }
    }
}

/// `multiply` on shapes that do not fit: an error naming both, never a panic.
pub fn refuses_a_bad_shape(what: &str, multiply: Multiply) {
    let Some(gpu) = gpu() else { return };
    for precision in precisions(&gpu) {
        let error = multiply(&gpu, precision, &Matrix::zeros(2, 3), &Matrix::zeros(4, 5))
            .expect_err("a 2×3 matrix times a 4×5 one");
        let message = error.to_string();
        assert!(message.contains("2×3") && message.contains("4×5"), "{what}: {message}");
    }
}

/// `multiply` with a `k` so long that one invocation would take more loop turns than lavapipe
/// lets it, even for the naive kernel's one loop: the product within its bound, or (where the
/// driver caps the turns) an error that says so, never a wrong number.
pub fn never_stops_short(what: &str, multiply: Multiply) {
    let Some(gpu) = gpu() else { return };
    let (a, b) = inputs(Precision::F32, (1, 70_000, 2), 3);
    match multiply(&gpu, Precision::F32, &a, &b) {
        Ok(product) => {
            let truth = reference(&a, &b).expect("shapes that fit");
            let error = relative_error(&product.c, &truth, &a, &b);
            assert!(
                error <= error_bound(70_000, Precision::F32),
                "{what}: relative error {error:e}"
            );
        }
        Err(e @ crate::Error::LoopTurns { .. }) => {
            assert!(gpu.facts().loop_turns.is_some(), "{what}: {e}")
        }
        Err(e) => panic!("{what}: {}", ladder::cli::chain(&e)),
    }
}

/// The rungs of `ladder` this machine can run; each one it cannot is named, with what it needs.
pub fn available(
    ladder: &'static crate::matmul::Ladder,
) -> impl Iterator<Item = &'static crate::matmul::Rung> {
    ladder.iter().filter(|rung| match rung.missing() {
        Some(need) => {
            eprintln!("{}: skipped: needs {}", rung.name, need.what);
            false
        }
        None => true,
    })
}
