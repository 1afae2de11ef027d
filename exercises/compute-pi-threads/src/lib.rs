//! Exercise `compute-pi-threads`: the compute lesson's `threads` rung, written by you.
//!
//! Cut the samples into one slice per thread (`slice(job.samples, n, k)`), count each slice's
//! hits on its own thread with `hits(job.seed, range)`, and add the counts.
//!
//! Check it: `cargo xtask exercise check compute-pi-threads` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint compute-pi-threads`. The chapter: `book/src/compute.md#computing-one-core-per-piece-of-work`.
//!
//! Derived from `crates/compute/src/pi.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset compute-pi-threads` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;
use std::ops::Range;

use ladder::Ladder;
use ladder::random::mix;
use ladder::random::unit;
use lesson_compute::error::Error;
use lesson_compute::pi::Job;
use lesson_compute::pi::hits;
use lesson_compute::pi::slice;
use rayon::prelude::*;

/// One slice of the samples per thread, chosen by hand, and the counts added at the end.
pub fn threads(job: Job, threads: NonZeroUsize) -> Result<u64, Error> {
    // TODO: Cut the samples into one slice per thread (`slice(job.samples, n, k)`), count each
    // slice's hits on its own thread with `hits(job.seed, range)`, and add the counts.
    // Check: `cargo xtask exercise check compute-pi-threads`; a hint: `… exercise hint compute-pi-threads`.
    todo!("compute-pi-threads: write the body of `threads`")
}
