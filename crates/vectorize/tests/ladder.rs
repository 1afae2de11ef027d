//! Every rung of the matrix-multiply ladder against the reference product, within the error
//! bound for its inner dimension: square and non-square shapes, sizes that are not multiples
//! of any block, empty matrices, every instruction set this processor has, and random shapes.
//! The shared checks are the lesson's kit (`lesson_vectorize::kit`), which the exercises run on
//! the learner's code too.

#[cfg(not(feature = "blas"))]
use std::num::NonZeroUsize;

use lesson_vectorize::blocked::{Dims, Isa, multiply};
use lesson_vectorize::kit;
use lesson_vectorize::ladder::LADDER;
use lesson_vectorize::matrix::{error_bound, reference, relative_error};
use lesson_vectorize::{Error, Matrix};

#[test]
fn every_rung_on_shapes_that_fit_no_block() {
    for rung in LADDER.available() {
        kit::on_shapes_that_fit_no_block(rung.name, rung.run);
    }
}

#[test]
fn empty_inner_dimension_gives_zeros_and_empty_sides_give_empty_products() {
    for rung in LADDER.available() {
        kit::on_empty_dimensions(rung.name, rung.run);
    }
}

#[test]
fn a_bad_shape_is_a_clear_error_from_every_rung() {
    // Each rung checks for itself, the ones this build cannot run included.
    for rung in LADDER.iter() {
        kit::refuses_a_bad_shape(rung.name, rung.run);
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
        NonZeroUsize::MIN,
    )
    .expect_err("unavailable")
    .to_string();
    assert!(error.contains("libopenblas-dev") && error.contains("openblas-system"), "{error}");
}

#[test]
fn random_shapes_stay_within_the_bound() {
    for rung in LADDER.available() {
        kit::on_random_shapes(rung.name, rung.run);
    }
}
