//! Exercise `compute-pi-rayon`: the compute lesson's `rayon` rung, written by you.
//!
//! Cut the samples into many small slices of about `SAMPLES_PER_TASK` each, and let a pool of
//! `threads` threads count them (`into_par_iter`), so that a thread that finishes early takes
//! slices from a busy one.
//!
//! Check it: `cargo xtask exercise check compute-pi-rayon` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint compute-pi-rayon`. The chapter: `book/src/compute.md#computing-one-core-per-piece-of-work`.
//!
//! Derived from `crates/compute/src/pi.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset compute-pi-rayon` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;
use std::ops::Range;

use ladder::Ladder;
use ladder::random::mix;
use ladder::random::unit;
use lesson_compute::error::Error;
use lesson_compute::pi::Job;
use lesson_compute::pi::SAMPLES_PER_TASK;
use lesson_compute::pi::hits;
use lesson_compute::pi::slice;
use rayon::prelude::*;

/// Many small slices on a rayon pool: idle threads take slices from busy ones (work
/// stealing), so a thread slowed by anything else on the machine does not hold up the end.
pub fn rayon(job: Job, threads: NonZeroUsize) -> Result<u64, Error> {
    // TODO: Cut the samples into many small slices of about `SAMPLES_PER_TASK` each, and let a
    // pool of `threads` threads count them (`into_par_iter`), so that a thread that finishes early
    // takes slices from a busy one.
    // Check: `cargo xtask exercise check compute-pi-rayon`; a hint: `… exercise hint compute-pi-rayon`.
    todo!("compute-pi-rayon: write the body of `rayon`")
}
