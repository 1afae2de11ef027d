//! The Monte-Carlo job on timely dataflow, a real distributed engine: the same dataflow runs
//! on worker threads in one process or on worker processes on many machines.
//!
//! Worker 0 feeds slice numbers into the dataflow; `exchange` routes slice `k` to worker
//! `k mod workers`, wherever that worker runs; each worker counts its slices' hits; a second
//! `exchange` brings every count to worker 0, which adds them up. Between processes, timely
//! sends the data over TCP.
//!
//! [`crate::cluster`] runs it as one process of a cluster, with a deadline.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::rc::Rc;

use timely::dataflow::operators::vec::Map;
use timely::dataflow::operators::{Exchange, Input, Inspect, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};
use timely::worker::Worker;

use crate::error::Error;
use crate::pi::{Job, hits, slice};

/// Slices per worker: a few, so the work spreads evenly.
pub const SLICES_PER_WORKER: u64 = 8;

// ANCHOR: dataflow
/// One worker's part of the job; worker 0 returns the total.
pub fn count_hits(worker: &mut Worker, job: Job) -> Option<u64> {
    let slices = worker.peers() as u64 * SLICES_PER_WORKER;
    let total = Rc::new(Cell::new(0));
    let sum = Rc::clone(&total);
    let mut input = InputHandle::new();
    let probe = ProbeHandle::new();
    worker.dataflow::<u64, _, _>(|scope| {
        scope
            .input_from(&mut input)
            .container::<Vec<u64>>()
            .exchange(|k| *k) // slice k goes to worker k mod workers
            .map(move |k| hits(job.seed, slice(job.samples, slices, k)))
            .exchange(|_| 0) // every count goes to worker 0
            .inspect(move |count| sum.set(sum.get() + count))
            .probe_with(&probe);
    });
    if worker.index() == 0 {
        for k in 0..slices {
            input.send(k);
        }
    }
    input.close();
    worker.step_while(|| !probe.done());
    (worker.index() == 0).then(|| total.get())
}
// ANCHOR_END: dataflow

/// The CPU ladder's `timely` rung: `threads` workers in this process.
pub fn in_process(job: Job, threads: NonZeroUsize) -> Result<u64, Error> {
    on_workers(threads, move |worker| count_hits(worker, job))
}

/// Runs `work` on `threads` timely workers in this process: what worker 0 returns.
pub fn on_workers<T, F>(threads: NonZeroUsize, work: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: Fn(&mut Worker) -> Option<T> + Send + Sync + 'static,
{
    let config = timely::Config::process(threads.get());
    let guards = timely::execute(config, work).map_err(Error::Timely)?;
    let results: Vec<Option<T>> =
        guards.join().into_iter().collect::<Result<_, _>>().map_err(Error::Timely)?;
    results
        .into_iter()
        .flatten()
        .next()
        .ok_or_else(|| Error::Timely("worker 0 gave no result".into()))
}
