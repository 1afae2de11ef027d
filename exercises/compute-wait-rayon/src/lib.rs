//! Exercise `compute-wait-rayon`: the compute lesson's `rayon` rung, written by you.
//!
//! Run the tasks on a rayon pool of `threads` threads (`par_iter` over the inputs, each
//! `square_after(x, wait)`), keeping the squares in input order: right for computing, and, as you
//! will see, wrong for waiting.
//!
//! Check it: `cargo xtask exercise check compute-wait-rayon` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint compute-wait-rayon`. The chapter: `book/src/compute.md#waiting-many-waits-in-flight-not-many-cores`.
//!
//! Derived from `crates/compute/src/waiting.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset compute-wait-rayon` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;
use std::time::Duration;

use ladder::Ladder;
use lesson_compute::error::Error;
use lesson_compute::waiting::square_after;
use rayon::prelude::*;

/// A rayon pool with one thread per core: right for computing, wrong for waiting. Each
/// thread runs one task at a time, so `n` tasks take `n / threads` waits.
pub fn rayon(inputs: &[u64], wait: Duration, threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    // TODO: Run the tasks on a rayon pool of `threads` threads (`par_iter` over the inputs, each
    // `square_after(x, wait)`), keeping the squares in input order: right for computing, and, as
    // you will see, wrong for waiting.
    // Check: `cargo xtask exercise check compute-wait-rayon`; a hint: `… exercise hint compute-wait-rayon`.
    todo!("compute-wait-rayon: write the body of `rayon`")
}
