//! Exercise `compute-wait-threads`: the compute lesson's `threads` rung, written by you.
//!
//! Start one operating-system thread per input, each running `square_after(x, wait)`, all at
//! once, then join them in input order and collect the squares: the waits overlap, so the tasks
//! take one wait, not one each.
//!
//! Check it: `cargo xtask exercise check compute-wait-threads` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint compute-wait-threads`. The chapter: `book/src/compute.md#waiting-many-waits-in-flight-not-many-cores`.
//!
//! Derived from `crates/compute/src/waiting.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset compute-wait-threads` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;
use std::time::Duration;

use ladder::Ladder;
use lesson_compute::error::Error;
use lesson_compute::waiting::SMALL_STACK;
use lesson_compute::waiting::square_after;
use rayon::prelude::*;

/// One thread per task, all started at once: the waits overlap. Threads are cheap but not
/// free (each costs a system call to start and its own stack), which shows at 10 000 tasks.
pub fn threads(inputs: &[u64], wait: Duration, _threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    // TODO: Start one operating-system thread per input, each running `square_after(x, wait)`, all
    // at once, then join them in input order and collect the squares: the waits overlap, so the
    // tasks take one wait, not one each.
    // Check: `cargo xtask exercise check compute-wait-threads`; a hint: `… exercise hint compute-wait-threads`.
    todo!("compute-wait-threads: write the body of `threads`")
}
