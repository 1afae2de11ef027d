//! Exercise `compute-wait-tokio`: the compute lesson's `tokio` rung, written by you.
//!
//! Start one async task per input (`tokio::spawn`), each waiting with
//! `tokio::time::sleep(wait).await` and then squaring its input; only then await the tasks, in
//! input order: every wait is in flight at once, on however few threads.
//!
//! Check it: `cargo xtask exercise check compute-wait-tokio` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint compute-wait-tokio`. The chapter: `book/src/compute.md#waiting-many-waits-in-flight-not-many-cores`.
//!
//! Derived from `crates/compute/src/waiting.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset compute-wait-tokio` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;
use std::time::Duration;

use ladder::Ladder;
use lesson_compute::error::Error;
use lesson_compute::waiting::runtime;
use rayon::prelude::*;

/// Asynchronous tasks on a runtime with one thread per core. `tokio::time::sleep` does not
/// hold the thread: the task is parked on a timer and the thread runs other tasks, so all the
/// waits overlap, thousands of them on two threads.
pub fn tokio(inputs: &[u64], wait: Duration, threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    runtime(threads)?.block_on(squares_in_flight(inputs.to_vec(), wait))
}

/// The tasks themselves, on whatever runtime runs this: one task per input, each parked on a
/// timer for `wait`, so that every wait is in flight at once; the squares in input order.
pub async fn squares_in_flight(inputs: Vec<u64>, wait: Duration) -> Result<Vec<u64>, Error> {
    // TODO: Start one async task per input (`tokio::spawn`), each waiting with
    // `tokio::time::sleep(wait).await` and then squaring its input; only then await the tasks, in
    // input order: every wait is in flight at once, on however few threads.
    // Check: `cargo xtask exercise check compute-wait-tokio`; a hint: `… exercise hint compute-wait-tokio`.
    todo!("compute-wait-tokio: write the body of `squares_in_flight`")
}
