//! CPU-bound work: estimating π by throwing random points at a square.
//!
//! Sample `i` is a point `(x, y)` in the unit square; the fraction that lands inside the
//! quarter circle `x² + y² < 1` tends to π/4. The work is pure arithmetic, and every sample is
//! independent of every other: *embarrassingly parallel*.
//!
//! **Equal by construction.** Sample `i`'s point is a hash of the seed and `i` (a
//! counter-based generator, [`ladder::random::mix`]), not the next draw of a stateful
//! generator. So any split of the indices, across threads, pieces or machines, draws exactly
//! the same points, and the result, a count of hits, is an integer: every rung returns the
//! same number, whatever the thread count.

use std::num::NonZeroUsize;
use std::ops::Range;

use ladder::Ladder;
use ladder::random::{mix, unit};
use rayon::prelude::*;

use crate::error::Error;

/// A Monte-Carlo job: how many samples, from which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    /// Points to throw.
    pub samples: u64,
    /// The generator's seed.
    pub seed: u64,
}

impl Job {
    /// π from a number of hits.
    pub fn estimate(&self, hits: u64) -> f64 {
        4.0 * hits as f64 / self.samples.max(1) as f64
    }
}

// ANCHOR: kernel
/// How many of the samples with indices in `range` land inside the quarter circle.
pub fn hits(seed: u64, range: Range<u64>) -> u64 {
    range
        .map(|i| {
            let x = unit(mix(seed ^ mix(2 * i)));
            let y = unit(mix(seed ^ mix(2 * i + 1)));
            u64::from(x * x + y * y < 1.0)
        })
        .sum()
}
// ANCHOR_END: kernel

/// The `k`-th of `parts` nearly equal slices of `0..total`.
pub fn slice(total: u64, parts: u64, k: u64) -> Range<u64> {
    let at = |k: u64| (u128::from(total) * u128::from(k) / u128::from(parts.max(1))) as u64;
    at(k)..at(k + 1)
}

// ANCHOR: cpu_sequential
/// Every sample on one thread.
pub fn sequential(job: Job, _: NonZeroUsize) -> Result<u64, Error> {
    Ok(hits(job.seed, 0..job.samples))
}
// ANCHOR_END: cpu_sequential

// ANCHOR: cpu_threads
/// One slice of the samples per thread, chosen by hand, and the counts added at the end.
pub fn threads(job: Job, threads: NonZeroUsize) -> Result<u64, Error> {
    let n = threads.get() as u64;
    std::thread::scope(|scope| {
        let workers = (0..n)
            .map(|k| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || hits(job.seed, slice(job.samples, n, k)))
                    .map_err(Error::Thread)
            })
            .collect::<Result<Vec<_>, _>>()?;
        workers.into_iter().map(|w| w.join().map_err(|_| Error::Panicked)).sum()
    })
}
// ANCHOR_END: cpu_threads

/// Samples per rayon task: large enough that scheduling costs nothing, small enough that
/// threads which finish early find work left to take.
pub const SAMPLES_PER_TASK: u64 = 1 << 16;

// ANCHOR: cpu_rayon
/// Many small slices on a rayon pool: idle threads take slices from busy ones (work
/// stealing), so a thread slowed by anything else on the machine does not hold up the end.
pub fn rayon(job: Job, threads: NonZeroUsize) -> Result<u64, Error> {
    let pool = ladder::pool::pool(threads)?;
    let tasks = job.samples.div_ceil(SAMPLES_PER_TASK);
    Ok(pool.install(|| {
        (0..tasks).into_par_iter().map(|k| hits(job.seed, slice(job.samples, tasks, k))).sum()
    }))
}
// ANCHOR_END: cpu_rayon

/// What every rung of the CPU-bound ladder does: count the hits of a job on `threads` threads
/// (or workers, where the rung uses them).
pub type Count = fn(Job, NonZeroUsize) -> Result<u64, Error>;

/// A rung of the CPU-bound ladder.
pub type Rung = ladder::Rung<Count>;

/// Every sample on one thread.
pub static SEQUENTIAL: Rung =
    Rung::new("sequential", "every sample on one core", sequential).baseline();

/// One slice per thread, cut by hand.
pub static THREADS: Rung = Rung::new(
    "threads",
    "one slice per thread, cut by hand (std::thread::scope); counts added",
    threads,
)
.parallel();

/// Many small slices on a work-stealing pool.
pub static RAYON: Rung = Rung::new(
    "rayon",
    "many small slices on a work-stealing pool: balanced even on a busy machine",
    rayon,
)
.parallel();

/// Timely dataflow workers in this process.
pub static TIMELY: Rung = Rung::new(
    "timely",
    "timely dataflow workers in this process: slices exchanged to workers, counts to worker 0",
    crate::distributed::in_process,
)
.parallel();

/// The CPU-bound ladder.
pub static LADDER: Ladder<Count> = Ladder::new(&[&SEQUENTIAL, &THREADS, &RAYON, &TIMELY]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_range_exactly() {
        for (total, parts) in [(10, 3), (0, 4), (7, 7), (5, 8)] {
            let slices: Vec<_> = (0..parts).map(|k| slice(total, parts, k)).collect();
            assert_eq!(slices.first().map(|r| r.start), Some(0));
            assert_eq!(slices.last().map(|r| r.end), Some(total));
            assert!(slices.windows(2).all(|w| w[0].end == w[1].start));
        }
    }
}
