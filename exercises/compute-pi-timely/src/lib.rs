//! Exercise `compute-pi-timely`: the compute lesson's `timely` rung, written by you.
//!
//! Build the dataflow every worker runs: slice numbers from an input that worker 0 feeds, routed
//! to worker `k mod workers`, counted there with `hits(job.seed, slice(job.samples, slices, k))`,
//! and every count routed to worker 0, which adds them up and returns the total (the other
//! workers return `None`).
//!
//! Check it: `cargo xtask exercise check compute-pi-timely` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint compute-pi-timely`. The chapter: `book/src/compute.md#across-machines-a-real-distributed-engine`.
//!
//! Derived from `crates/compute/src/distributed.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset compute-pi-timely` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::rc::Rc;

use lesson_compute::distributed::SLICES_PER_WORKER;
use lesson_compute::error::Error;
use lesson_compute::pi::Job;
use lesson_compute::pi::hits;
use lesson_compute::pi::slice;
use timely::dataflow::InputHandle;
use timely::dataflow::ProbeHandle;
use timely::dataflow::operators::Exchange;
use timely::dataflow::operators::Input;
use timely::dataflow::operators::Inspect;
use timely::dataflow::operators::Probe;
use timely::dataflow::operators::vec::Map;
use timely::worker::Worker;

/// One worker's part of the job; worker 0 returns the total.
pub fn count_hits(worker: &mut Worker, job: Job) -> Option<u64> {
    // TODO: Build the dataflow every worker runs: slice numbers from an input that worker 0 feeds,
    // routed to worker `k mod workers`, counted there with `hits(job.seed, slice(job.samples,
    // slices, k))`, and every count routed to worker 0, which adds them up and returns the total
    // (the other workers return `None`).
    // Check: `cargo xtask exercise check compute-pi-timely`; a hint: `… exercise hint compute-pi-timely`.
    todo!("compute-pi-timely: write the body of `count_hits`")
}
