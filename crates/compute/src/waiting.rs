//! Waiting-bound work: the seed's `computation(x)`, which sleeps and then returns `x²`.
//!
//! A task that waits (for a timer, a network reply, a disk) uses no processor while it waits.
//! So the question is not how many cores we have but how many waits we can have in flight at
//! once. Each rung runs the same tasks and returns the same squares, in input order:
//!
//! - `sequential`: one after another, so the waits add up;
//! - `threads`: one operating-system thread per task, all waiting at once;
//! - `rayon`: a pool sized for the cores, which runs at most that many tasks at a time, so
//!   waiting work is serialized beyond the pool's size;
//! - `tokio`: asynchronous tasks; a waiting task gives its thread back, so thousands wait at once
//!   on two threads;
//! - `tokio-blocking`: the common mistake, a blocking sleep inside an async task, which holds
//!   its thread and behaves like the rayon pool.

use std::num::NonZeroUsize;
use std::time::Duration;

use ladder::Ladder;
use rayon::prelude::*;

use crate::error::Error;

/// The seed's task: wait, then compute.
pub fn square_after(x: u64, wait: Duration) -> u64 {
    std::thread::sleep(wait);
    x * x
}

/// Stack size for the one-thread-per-task rung: the task needs almost none, and 10 000 threads
/// with the default 2 MiB each would reserve 20 GiB of address space.
pub const SMALL_STACK: usize = 64 * 1024;

// ANCHOR: sequential
/// One task after another: `n` tasks take `n` waits.
pub fn sequential(inputs: &[u64], wait: Duration, _: NonZeroUsize) -> Result<Vec<u64>, Error> {
    Ok(inputs.iter().map(|&x| square_after(x, wait)).collect())
}
// ANCHOR_END: sequential

// ANCHOR: threads
/// One thread per task, all started at once: the waits overlap. Threads are cheap but not
/// free (each costs a system call to start and its own stack), which shows at 10 000 tasks.
pub fn threads(inputs: &[u64], wait: Duration, _threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    std::thread::scope(|scope| {
        let handles = inputs
            .iter()
            .map(|&x| {
                std::thread::Builder::new()
                    .stack_size(SMALL_STACK)
                    .spawn_scoped(scope, move || square_after(x, wait))
                    .map_err(Error::Thread)
            })
            .collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().map(|h| h.join().map_err(|_| Error::Panicked)).collect()
    })
}
// ANCHOR_END: threads

// ANCHOR: rayon
/// A rayon pool with one thread per core: right for computing, wrong for waiting. Each
/// thread runs one task at a time, so `n` tasks take `n / threads` waits.
pub fn rayon(inputs: &[u64], wait: Duration, threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    let pool = ladder::pool::pool(threads)?;
    Ok(pool.install(|| inputs.par_iter().map(|&x| square_after(x, wait)).collect()))
}
// ANCHOR_END: rayon

// ANCHOR: tokio
/// Asynchronous tasks on a runtime with one thread per core. `tokio::time::sleep` does not
/// hold the thread: the task is parked on a timer and the thread runs other tasks, so all the
/// waits overlap, thousands of them on two threads.
pub fn tokio(inputs: &[u64], wait: Duration, threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    runtime(threads)?.block_on(squares_in_flight(inputs.to_vec(), wait))
}

/// The tasks themselves, on whatever runtime runs this: one task per input, each parked on a
/// timer for `wait`, so that every wait is in flight at once; the squares in input order.
pub async fn squares_in_flight(inputs: Vec<u64>, wait: Duration) -> Result<Vec<u64>, Error> {
    let tasks: Vec<_> = inputs
        .into_iter()
        .map(|x| {
            tokio::spawn(async move {
                tokio::time::sleep(wait).await;
                x * x
            })
        })
        .collect();
    let mut squares = Vec::with_capacity(tasks.len());
    for task in tasks {
        squares.push(task.await.map_err(Error::Task)?);
    }
    Ok(squares)
}
// ANCHOR_END: tokio

// ANCHOR: tokio_blocking
/// The same tasks with the mistake: `std::thread::sleep` in async code blocks the runtime's
/// thread, so only one task per thread waits at a time, exactly like the rayon pool.
pub fn tokio_blocking(
    inputs: &[u64],
    wait: Duration,
    threads: NonZeroUsize,
) -> Result<Vec<u64>, Error> {
    runtime(threads)?.block_on(async {
        let tasks: Vec<_> =
            inputs.iter().map(|&x| tokio::spawn(async move { square_after(x, wait) })).collect();
        let mut squares = Vec::with_capacity(tasks.len());
        for task in tasks {
            squares.push(task.await.map_err(Error::Task)?);
        }
        Ok(squares)
    })
}
// ANCHOR_END: tokio_blocking

/// A tokio runtime on `threads` worker threads with its timers on: the one the tokio rungs run
/// their tasks on.
pub fn runtime(threads: NonZeroUsize) -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.get())
        .enable_time()
        .build()
        .map_err(Error::Runtime)
}

/// What every waiting rung does: the squares of `inputs`, each after waiting `wait`, on
/// `threads` threads (where the rung uses them).
pub type Squares = fn(&[u64], Duration, NonZeroUsize) -> Result<Vec<u64>, Error>;

/// How many tasks a rung has waiting at once: this lesson's fact about each of its rungs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtOnce {
    /// One task at a time.
    One,
    /// One task per thread.
    PerThread,
    /// Every task.
    All,
}

impl AtOnce {
    /// The time `tasks` tasks of `wait` each should take on `threads` threads: used to skip
    /// runs that would take minutes, and printed beside the measurement.
    pub fn predicted(self, tasks: usize, wait: Duration, threads: NonZeroUsize) -> Duration {
        let at_once = match self {
            AtOnce::One => 1,
            AtOnce::PerThread => threads.get(),
            AtOnce::All => tasks.max(1),
        };
        let rounds = u32::try_from(tasks.div_ceil(at_once)).unwrap_or(u32::MAX);
        wait.saturating_mul(rounds)
    }
}

/// A rung of the waiting ladder.
pub type Rung = ladder::Rung<Squares, AtOnce>;

/// One task after another.
pub static SEQUENTIAL: Rung = Rung::with_facts(
    "sequential",
    "one task after another: the waits add up",
    AtOnce::One,
    sequential,
)
.baseline();

/// A thread per task.
pub static THREADS: Rung = Rung::with_facts(
    "threads",
    "one OS thread per task (std::thread::scope): every wait at once, a thread each",
    AtOnce::All,
    threads,
);

/// A pool sized for the cores.
pub static RAYON: Rung = Rung::with_facts(
    "rayon",
    "a pool with one thread per core: right for computing, serializes waiting",
    AtOnce::PerThread,
    rayon,
)
.parallel();

/// Async tasks that give their thread back while they wait.
pub static TOKIO: Rung = Rung::with_facts(
    "tokio",
    "async tasks with tokio::time::sleep: thousands of waits on one thread per core",
    AtOnce::All,
    tokio,
)
.parallel();

/// Async tasks that block their thread: the mistake.
pub static TOKIO_BLOCKING: Rung = Rung::with_facts(
    "tokio-blocking",
    "the mistake: std::thread::sleep inside async tasks blocks the runtime's threads",
    AtOnce::PerThread,
    tokio_blocking,
)
.parallel();

/// The waiting ladder.
pub static LADDER: Ladder<Squares, AtOnce> =
    Ladder::new(&[&SEQUENTIAL, &THREADS, &RAYON, &TOKIO, &TOKIO_BLOCKING]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_follow_concurrency() {
        let two = NonZeroUsize::new(2).expect("non-zero");
        let ms = Duration::from_millis(10);
        assert_eq!(SEQUENTIAL.facts.predicted(100, ms, two), Duration::from_millis(1000));
        assert_eq!(RAYON.facts.predicted(101, ms, two), Duration::from_millis(510));
        assert_eq!(TOKIO.facts.predicted(10_000, ms, two), ms);
    }
}
