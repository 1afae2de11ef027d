//! Every rung of the matrix-multiply ladder against the reference product, within the error
//! bound for its inner dimension: square and non-square shapes, sizes that are not multiples
//! of any block, empty matrices, every instruction set this processor has, and random shapes.

use std::num::NonZeroUsize;

use ladder::testing::every_rung;
use lesson_vectorize::blocked::{Dims, Isa, multiply};
use lesson_vectorize::ladder::LADDER;
use lesson_vectorize::matrix::{error_bound, reference, relative_error};
use lesson_vectorize::{Error, Matrix};
use proptest::prelude::*;

fn threads(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("non-zero")
}

/// An output matrix full of NaN: a rung that adds to what `c` held, instead of overwriting
/// it, gives NaN and fails the check.
fn garbage(rows: usize, cols: usize) -> Matrix {
    Matrix::new(rows, cols, vec![f64::NAN; rows * cols]).expect("shape")
}

/// Runs every available rung on `m×k` times `k×n` and checks it against the reference.
fn check_every_rung(m: usize, k: usize, n: usize, seed: u64) {
    let a = Matrix::random(m, k, seed);
    let b = Matrix::random(k, n, seed + 1);
    let truth = reference(&a, &b).expect("defined");
    for t in [1, 3] {
        let products = every_rung(&LADDER, |r| {
            let mut c = garbage(m, n);
            (r.run)(&a, &b, &mut c, threads(t)).map(|()| c)
        });
        for (name, c) in products {
            assert_eq!((c.rows(), c.cols()), (m, n), "{name} shape");
            let error = relative_error(&c, &truth, &a, &b);
            assert!(
                error <= error_bound(k),
                "{name} on {m}×{k}×{n}, {t} threads: error {error:e} > bound {:e}",
                error_bound(k)
            );
        }
    }
}

#[test]
fn every_rung_on_shapes_that_fit_no_block() {
    // Square, tall, wide, a long inner dimension (several KC blocks), one row, one column,
    // sizes around the micro-kernel's and the blocks' edges, and more columns than one packed
    // panel of `b` holds (NC = 3072).
    for (m, k, n) in [
        (1, 1, 1),
        (7, 5, 3),
        (33, 17, 65),
        (100, 100, 100),
        (97, 300, 50),
        (8, 600, 24),
        (1, 513, 1),
        (200, 3, 130),
        (3, 5, 3100),
    ] {
        check_every_rung(m, k, n, (m * 1000 + k * 10 + n) as u64);
    }
}

#[test]
fn empty_inner_dimension_gives_zeros_and_empty_sides_give_empty_products() {
    for (m, k, n) in [(3, 0, 4), (0, 5, 2), (4, 5, 0), (0, 0, 0)] {
        let (a, b) = (Matrix::zeros(m, k), Matrix::zeros(k, n));
        let products = every_rung(&LADDER, |r| {
            let mut c = garbage(m, n);
            (r.run)(&a, &b, &mut c, threads(2)).map(|()| c)
        });
        for (name, c) in products {
            assert_eq!(c, Matrix::zeros(m, n), "{name} on {m}×{k}×{n}");
        }
    }
}

#[test]
fn a_bad_shape_is_a_clear_error_from_every_rung() {
    // Each rung checks for itself, called directly: inner dimensions that differ, and an
    // output of the wrong shape.
    let (a, b) = (Matrix::zeros(3, 4), Matrix::zeros(5, 2));
    let (fits, wrong_output) = (Matrix::zeros(4, 2), Matrix::zeros(2, 3));
    for s in LADDER.iter() {
        match (s.run)(&a, &b, &mut Matrix::zeros(3, 2), threads(1)) {
            Err(Error::Shape(message)) => {
                assert!(message.contains("3×4") && message.contains("5×2"), "{}: {message}", s.name)
            }
            other => panic!("{}: expected a shape error, got {other:?}", s.name),
        }
        let mut c = wrong_output.clone();
        match (s.run)(&a, &fits, &mut c, threads(1)) {
            Err(Error::Shape(message)) => {
                assert!(
                    message.contains("3×2") && message.contains("not 2×3"),
                    "{}: {message}",
                    s.name
                )
            }
            other => panic!("{}: expected a shape error, got {other:?}", s.name),
        }
    }
}

#[test]
fn every_instruction_set_this_processor_has_gives_the_same_products() {
    let (m, k, n) = (45, 270, 61);
    let a = Matrix::random(m, k, 11);
    let b = Matrix::random(k, n, 12);
    let truth = reference(&a, &b).expect("defined");
    for isa in Isa::available() {
        for parallel in [false, true] {
            let mut c = Matrix::zeros(m, n);
            multiply(isa, (a.data(), b.data(), c.data_mut()), Dims { m, k, n }, parallel)
                .expect("available");
            let error = relative_error(&c, &truth, &a, &b);
            assert!(error <= error_bound(k), "{isa:?}: {error:e}");
        }
    }
    let mut c = Matrix::zeros(m, n);
    let short = multiply(
        Isa::Portable,
        (a.data(), b.data(), &mut c.data_mut()[1..]),
        Dims { m, k, n },
        false,
    );
    assert!(matches!(short, Err(Error::Shape(_))), "{short:?}");
}

#[cfg(not(feature = "blas"))]
#[test]
fn without_a_blas_the_blas_rung_says_how_to_get_one() {
    let blas = &lesson_vectorize::ladder::BLAS;
    assert!(!blas.available());
    let error = (blas.run)(
        &Matrix::zeros(2, 2),
        &Matrix::zeros(2, 2),
        &mut Matrix::zeros(2, 2),
        threads(1),
    )
    .expect_err("unavailable")
    .to_string();
    assert!(error.contains("libopenblas-dev") && error.contains("openblas-system"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn random_shapes_stay_within_the_bound(m in 1usize..40, k in 1usize..300, n in 1usize..40, seed in 0u64..1000) {
        check_every_rung(m, k, n, seed);
    }
}
