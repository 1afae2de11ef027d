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

use rayon::prelude::*;

use crate::error::Error;

/// The seed's task: wait, then compute.
fn square_after(x: u64, wait: Duration) -> u64 {
    std::thread::sleep(wait);
    x * x
}

/// Stack size for the one-thread-per-task rung: the task needs almost none, and 10 000 threads
/// with the default 2 MiB each would reserve 20 GiB of address space.
const SMALL_STACK: usize = 64 * 1024;

// ANCHOR: sequential
/// One task after another: `n` tasks take `n` waits.
pub fn sequential(inputs: &[u64], wait: Duration, _: NonZeroUsize) -> Result<Vec<u64>, Error> {
    Ok(inputs.iter().map(|&x| square_after(x, wait)).collect())
}
// ANCHOR_END: sequential

// ANCHOR: threads
/// One thread per task, all started at once: the waits overlap. Threads are cheap but not
/// free (each costs a system call to start and its own stack), which shows at 10 000 tasks.
pub fn threads(inputs: &[u64], wait: Duration, _: NonZeroUsize) -> Result<Vec<u64>, Error> {
    std::thread::scope(|scope| {
        let handles = inputs
            .iter()
            .map(|&x| {
                std::thread::Builder::new()
                    .stack_size(SMALL_STACK)
                    .spawn_scoped(scope, move || square_after(x, wait))
                    .map_err(|e| Error::Spawn(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| Error::Spawn("a task panicked".into())))
            .collect()
    })
}
// ANCHOR_END: threads

// ANCHOR: rayon
/// A rayon pool with one thread per core: right for computing, wrong for waiting. Each
/// thread runs one task at a time, so `n` tasks take `n / threads` waits.
pub fn rayon(inputs: &[u64], wait: Duration, threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.get())
        .build()
        .map_err(|e| Error::Spawn(e.to_string()))?;
    Ok(pool.install(|| inputs.par_iter().map(|&x| square_after(x, wait)).collect()))
}
// ANCHOR_END: rayon

// ANCHOR: tokio
/// Asynchronous tasks on a runtime with one thread per core. `tokio::time::sleep` does not
/// hold the thread: the task is parked on a timer and the thread runs other tasks, so all the
/// waits overlap, thousands of them on two threads.
pub fn tokio(inputs: &[u64], wait: Duration, threads: NonZeroUsize) -> Result<Vec<u64>, Error> {
    runtime(threads)?.block_on(async {
        let tasks: Vec<_> = inputs
            .iter()
            .map(|&x| {
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    x * x
                })
            })
            .collect();
        let mut squares = Vec::with_capacity(tasks.len());
        for task in tasks {
            squares.push(task.await.map_err(|e| Error::Spawn(e.to_string()))?);
        }
        Ok(squares)
    })
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
            squares.push(task.await.map_err(|e| Error::Spawn(e.to_string()))?);
        }
        Ok(squares)
    })
}
// ANCHOR_END: tokio_blocking

fn runtime(threads: NonZeroUsize) -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.get())
        .enable_time()
        .build()
        .map_err(|e| Error::Spawn(e.to_string()))
}

/// A waiting rung: squares of the inputs, each after waiting, on a number of threads.
pub type RunWaiting = fn(&[u64], Duration, NonZeroUsize) -> Result<Vec<u64>, Error>;

/// One way to run the waiting tasks.
pub struct WaitStrategy {
    /// Short name for the command line and tables.
    pub name: &'static str,
    /// What it changes, and why.
    pub summary: &'static str,
    /// How many tasks wait at once with `threads` threads (`None`: all of them).
    pub concurrency: fn(NonZeroUsize) -> Option<usize>,
    /// Runs the tasks: squares of `inputs`, each after waiting `wait`, on `threads` threads.
    pub run: RunWaiting,
}

impl WaitStrategy {
    /// The time the tasks should take, from how many wait at once: used to skip runs that
    /// would take minutes, and printed beside the measurement.
    pub fn predicted(&self, tasks: usize, wait: Duration, threads: NonZeroUsize) -> Duration {
        let at_once = (self.concurrency)(threads).unwrap_or(tasks).max(1);
        let rounds = u32::try_from(tasks.div_ceil(at_once)).unwrap_or(u32::MAX);
        wait.saturating_mul(rounds)
    }
}

/// The waiting ladder.
pub static WAITING: &[WaitStrategy] = &[
    WaitStrategy {
        name: "sequential",
        summary: "one task after another: the waits add up",
        concurrency: |_| Some(1),
        run: sequential,
    },
    WaitStrategy {
        name: "threads",
        summary: "one OS thread per task (std::thread::scope): every wait at once, a thread each",
        concurrency: |_| None,
        run: threads,
    },
    WaitStrategy {
        name: "rayon",
        summary: "a pool with one thread per core: right for computing, serializes waiting",
        concurrency: |t| Some(t.get()),
        run: rayon,
    },
    WaitStrategy {
        name: "tokio",
        summary: "async tasks with tokio::time::sleep: thousands of waits on one thread per core",
        concurrency: |_| None,
        run: tokio,
    },
    WaitStrategy {
        name: "tokio-blocking",
        summary: "the mistake: std::thread::sleep inside async tasks blocks the runtime's threads",
        concurrency: |t| Some(t.get()),
        run: tokio_blocking,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rung_returns_the_squares_in_order() {
        let inputs: Vec<u64> = (0..37).collect();
        let expected: Vec<u64> = inputs.iter().map(|x| x * x).collect();
        for threads in [1, 2, 5] {
            let threads = NonZeroUsize::new(threads).expect("non-zero");
            for s in WAITING {
                let squares = (s.run)(&inputs, Duration::from_millis(1), threads).expect("runs");
                assert_eq!(squares, expected, "{} on {threads} threads", s.name);
            }
        }
    }

    #[test]
    fn predictions_follow_concurrency() {
        let two = NonZeroUsize::new(2).expect("non-zero");
        let ms = Duration::from_millis(10);
        let by_name = |n: &str| WAITING.iter().find(|s| s.name == n).expect("registered");
        assert_eq!(by_name("sequential").predicted(100, ms, two), Duration::from_millis(1000));
        assert_eq!(by_name("rayon").predicted(101, ms, two), Duration::from_millis(510));
        assert_eq!(by_name("tokio").predicted(10_000, ms, two), ms);
    }
}
