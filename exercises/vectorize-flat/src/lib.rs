//! Exercise `vectorize-flat`: the vectorize lesson's `flat` rung, written by you.
//!
//! Write `a × b` into `c`, each matrix one contiguous array, with the loops in the order i, k,
//! j: for each row of `a` and each of its elements `a[i][k]`, add `a[i][k] · b[k][j]` to
//! `c[i][j]` along the whole row, so the compiler can do several `j` at once.
//!
//! Check it: `cargo xtask exercise check vectorize-flat` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint vectorize-flat`. The chapter: `book/src/vectorize.md#rung-2-contiguous-memory-and-a-loop-the-compiler-vectorizes`.
//!
//! Derived from `crates/vectorize/src/ladder.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset vectorize-flat` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;

use ladder::Ladder;
use lesson_vectorize::blas::OPENBLAS;
use lesson_vectorize::blocked::Dims;
use lesson_vectorize::blocked::Isa;
use lesson_vectorize::blocked::multiply;
use lesson_vectorize::error::Error;
use lesson_vectorize::matrix::Matrix;
use lesson_vectorize::matrix::check_output;
use lesson_vectorize::matrix::check_product;

/// One contiguous array per matrix, and the loops in the order i, k, j: the innermost loop
/// walks along a row of `b` and a row of `c` together, `c[i][j] += a[i][k] · b[k][j]` for
/// every `j`, with no dependence from one `j` to the next. The compiler turns it into vector
/// instructions by itself.
pub fn flat(a: &Matrix, b: &Matrix, c: &mut Matrix, _threads: NonZeroUsize) -> Result<(), Error> {
    // TODO: Write `a × b` into `c`, each matrix one contiguous array, with the loops in the order
    // i, k, j: for each row of `a` and each of its elements `a[i][k]`, add `a[i][k] · b[k][j]` to
    // `c[i][j]` along the whole row, so the compiler can do several `j` at once.
    // Check: `cargo xtask exercise check vectorize-flat`; a hint: `… exercise hint vectorize-flat`.
    todo!("vectorize-flat: write the body of `flat`")
}
