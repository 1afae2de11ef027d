//! Exercise `vectorize-blocked-rayon`: the vectorize lesson's `blocked-rayon` rung, written by you.
//!
//! Run the blocked algorithm on a pool of `threads` threads: check the shapes, clear `c`, and
//! call `multiply` with the best instruction set and `parallel` set, inside the pool, so that
//! each thread takes a slab of rows of `c`.
//!
//! Check it: `cargo xtask exercise check vectorize-blocked-rayon` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint vectorize-blocked-rayon`. The chapter: `book/src/vectorize.md#every-core`.
//!
//! Derived from `crates/vectorize/src/ladder.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset vectorize-blocked-rayon` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;

use ladder::Ladder;
use lesson_vectorize::blas::OPENBLAS;
use lesson_vectorize::blocked::Dims;
use lesson_vectorize::blocked::Isa;
use lesson_vectorize::blocked::multiply;
use lesson_vectorize::error::Error;
use lesson_vectorize::ladder::dims;
use lesson_vectorize::matrix::Matrix;
use lesson_vectorize::matrix::check_output;
use lesson_vectorize::matrix::check_product;

/// The same on `threads` threads: each thread takes one slab of rows of `c` and runs the whole
/// algorithm on it, packing its own blocks of `a` and `b`.
pub fn blocked_rayon(
    a: &Matrix,
    b: &Matrix,
    c: &mut Matrix,
    threads: NonZeroUsize,
) -> Result<(), Error> {
    // TODO: Run the blocked algorithm on a pool of `threads` threads: check the shapes, clear `c`,
    // and call `multiply` with the best instruction set and `parallel` set, inside the pool, so
    // that each thread takes a slab of rows of `c`.
    // Check: `cargo xtask exercise check vectorize-blocked-rayon`; a hint: `… exercise hint vectorize-blocked-rayon`.
    todo!("vectorize-blocked-rayon: write the body of `blocked_rayon`")
}
