//! # Vectorize: more work per instruction
//!
//! The seed multiplies two matrices with three nested loops in pure Python. This lesson climbs
//! from that loop to OpenBLAS in `f64`, one change at a time ([`ladder`]): contiguous memory and
//! a loop order the compiler vectorizes, cache blocking with a register-tiled micro-kernel
//! compiled for the processor it finds at run time ([`blocked`]), every core, ndarray, and
//! BLAS ([`blas`]). [`matrix`] holds the matrices, a reference product computed in twice the
//! working precision, and the error bound every rung is tested against. [`elementwise`] shows
//! where the compiler vectorizes by itself (`a·x + y`) and where it may not (a floating-point
//! sum), and [`peak`] measures the two ceilings every rung is compared with: one core's
//! fused multiply-add peak, and its memory bandwidth. What is written for one instruction set
//! is in its own module of [`arch`]. [`cli`] is the `vectorize` binary's command line, [`bench`]
//! what the benchmarks measure and the targets they are judged by, and [`report`] the record of
//! a measured run; `kit` (with the feature `kit`) holds the rung tests, for the lesson's tests
//! and the exercises, listed in [`exercises`].

pub mod arch;
pub mod bench;
pub mod blas;
pub mod blocked;
pub mod cli;
pub mod elementwise;
pub mod error;
pub mod exercises;
#[cfg(feature = "kit")]
pub mod kit;
pub mod ladder;
pub mod matrix;
pub mod peak;
pub mod report;

pub use error::Error;
pub use matrix::Matrix;

/// Floating-point operations of an `m × k` by `k × n` product: a multiply and an add for each
/// of the `m k n` terms.
pub fn flops(m: usize, k: usize, n: usize) -> f64 {
    2.0 * m as f64 * k as f64 * n as f64
}
