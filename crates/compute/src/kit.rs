//! The compute lesson's tests of a rung, as functions of the rung: the lesson's own tests run
//! them on every rung of its ladders, and each exercise runs them on the learner's version
//! (built with the feature `kit`).
//!
//! Besides the results (the squares in order; the same count of hits on any thread count),
//! counted properties, read while the rung runs: the threads a parallel rung starts and how many
//! waiting tasks have a thread each ([`ladder::probe`]), which count the whole process, so an
//! exercise runs them in a test binary of its own; the waits in flight at once, on a runtime's
//! paused clock; and which workers a dataflow's counts come from, in timely's own log.

use std::collections::BTreeSet;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use timely::logging::{TimelyEvent, TimelyEventBuilder};
use timely::worker::Worker;

use crate::distributed;
use crate::error::Error;
use crate::pi::{self, Count, Job};
use crate::waiting::Squares;

/// The waiting tasks' results: the squares of the inputs, in input order, on 1, 2 and 5 threads.
pub fn returns_the_squares_in_order(what: &str, squares: Squares) {
    let inputs: Vec<u64> = (0..37).collect();
    let expected: Vec<u64> = inputs.iter().map(|x| x * x).collect();
    for threads in [1, 2, 5] {
        let threads = NonZeroUsize::new(threads).expect("non-zero");
        match squares(&inputs, Duration::from_millis(1), threads) {
            Ok(got) => assert_eq!(got, expected, "{what} on {threads} threads"),
            Err(e) => panic!("{what} on {threads} threads failed: {}", ladder::cli::chain(&e)),
        }
    }
}

/// 200 tasks that each wait 100 ms: with a thread each, all wait at once, so at least 150
/// threads beside the caller run at the same moment. A pool, or one thread after another, gives
/// the same squares and fails here.
pub fn waits_on_a_thread_per_task(what: &str, squares: Squares) {
    let inputs: Vec<u64> = (1..=200).collect();
    let two = NonZeroUsize::new(2).expect("non-zero");
    let (result, more) = ladder::probe::threads_started_during(what, || {
        squares(&inputs, Duration::from_millis(100), two)
    });
    let got = result.unwrap_or_else(|e| panic!("{what} failed: {}", ladder::cli::chain(&e)));
    assert_eq!(got, inputs.iter().map(|x| x * x).collect::<Vec<_>>(), "{what}");
    let Some(more) = more else { return };
    assert!(
        more >= 150,
        "{what}: 200 waiting tasks, but at most {more} threads more than the caller ran at once: \
         with a thread per task every task waits at the same time"
    );
}

/// Forty tasks that each wait 20 ms, on four threads: a pool of that size, so between three and
/// five threads beside the caller run at once (the caller may be one of the four), never one per
/// task. A thread per task, or one task after another, gives the same squares and fails here.
pub fn waits_on_a_pool_of_its_threads(what: &str, squares: Squares) {
    let inputs: Vec<u64> = (1..=40).collect();
    let four = NonZeroUsize::new(4).expect("non-zero");
    let (result, more) = ladder::probe::threads_started_during(what, || {
        squares(&inputs, Duration::from_millis(20), four)
    });
    let got = result.unwrap_or_else(|e| panic!("{what} failed: {}", ladder::cli::chain(&e)));
    assert_eq!(got, inputs.iter().map(|x| x * x).collect::<Vec<_>>(), "{what}");
    let Some(more) = more else { return };
    assert!(
        (3..=5).contains(&more),
        "{what}: 40 tasks on four threads, but {more} threads beside the caller ran at once: a \
         pool of four runs four tasks at a time"
    );
}

/// A thousand tasks that each wait 1 ms, on a runtime of one thread whose clock is paused: it
/// moves only when every task is parked on a timer, straight to the next timer. If every wait is
/// in flight at once, 1 ms passes on that clock; one after another, a second; and a blocking
/// sleep, which parks nothing, lets none pass. The runtime's clock counts the waits, and no thread
/// may start beside the runtime's own: nothing here is timed.
pub fn waits_all_at_once_on_the_runtimes_clock<F, Fut>(what: &str, tasks: F)
where
    F: FnOnce(Vec<u64>, Duration) -> Fut,
    Fut: Future<Output = Result<Vec<u64>, Error>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime with a paused clock");
    let inputs: Vec<u64> = (1..=1000).collect();
    let wait = Duration::from_millis(1);
    let ((squares, passed), more) = ladder::probe::threads_started_during(what, || {
        runtime.block_on(async {
            let start = tokio::time::Instant::now();
            let squares = tasks(inputs.clone(), wait).await;
            (squares, start.elapsed())
        })
    });
    let squares = squares.unwrap_or_else(|e| panic!("{what} failed: {}", ladder::cli::chain(&e)));
    assert_eq!(squares, inputs.iter().map(|x| x * x).collect::<Vec<_>>(), "{what}");
    if let Some(more) = more {
        assert_eq!(
            more, 0,
            "{what} started {more} threads for 1 000 waiting tasks on a runtime of one thread: \
             async tasks wait without a thread each (`tokio::spawn`, not `std::thread::spawn` or \
             `spawn_blocking`)"
        );
    }
    assert!(
        passed >= wait,
        "{what}: {passed:?} passed on the runtime's clock for tasks that each wait {wait:?}: the \
         waits are not on the runtime's timers (a blocking `std::thread::sleep` holds the thread \
         instead of parking the task; use `tokio::time::sleep(wait).await`)"
    );
    assert!(
        passed < 2 * wait,
        "{what}: {passed:?} passed on the runtime's clock for 1 000 tasks that each wait {wait:?}: \
         they waited one after another; start them all (`tokio::spawn`) before awaiting any"
    );
}

/// What a timely worker runs: its part of the job, and the total on worker 0.
pub type Dataflow = fn(&mut Worker, Job) -> Option<u64>;

/// The dataflow gives one thread's count of hits on 1, 2, 3 and 8 workers, and spreads the work:
/// on four workers, worker 0 receives a count from every worker. The messages are counted by
/// timely itself, which logs every batch of records a channel carries, from which worker to
/// which: a dataflow that counts every slice on worker 0 gets the right total, not these
/// messages.
pub fn spreads_the_slices_over_every_worker(what: &str, dataflow: Dataflow) {
    let job = Job { samples: 1_000_000, seed: 5 };
    let expected = pi::hits(job.seed, 0..job.samples);
    for workers in [1, 2, 3, 8] {
        let threads = NonZeroUsize::new(workers).expect("non-zero");
        match distributed::on_workers(threads, move |worker| dataflow(worker, job)) {
            Ok(hits) => assert_eq!(hits, expected, "{what} on {workers} workers"),
            Err(e) => panic!("{what} on {workers} workers failed: {}", ladder::cli::chain(&e)),
        }
    }
    let received = Arc::new(Mutex::new(BTreeSet::new()));
    let log = Arc::clone(&received);
    let four = NonZeroUsize::new(4).expect("non-zero");
    let hits = distributed::on_workers(four, move |worker| {
        let log = Arc::clone(&log);
        if let Some(mut registry) = worker.log_register() {
            registry.insert::<TimelyEventBuilder, _>("timely", move |_, events| {
                for (_, event) in events.iter().flatten() {
                    if let TimelyEvent::Messages(m) = event
                        && !m.is_send
                        && m.record_count > 0
                        && m.target == 0
                    {
                        log.lock().expect("the log").insert(m.source);
                    }
                }
            });
        }
        let total = dataflow(worker, job);
        if let Some(mut registry) = worker.log_register() {
            registry.flush();
        }
        total
    });
    let hits = hits.unwrap_or_else(|e| panic!("{what} failed: {}", ladder::cli::chain(&e)));
    assert_eq!(hits, expected, "{what} on 4 workers");
    let senders: Vec<usize> = received.lock().expect("the log").iter().copied().collect();
    assert_eq!(
        senders,
        [0, 1, 2, 3],
        "{what}: on 4 workers, worker 0 received records only from workers {senders:?}: the \
         others counted no slices. Send slice k to worker k mod workers (`.exchange(|k| *k)`) \
         before counting, and every count to worker 0 (`.exchange(|_| 0)`) after"
    );
}

/// The Monte-Carlo job's count of hits: the same as one thread's on 1, 2, 3 and 8 threads, and
/// an estimate near π.
pub fn counts_the_same_hits(what: &str, count: Count) {
    let job = Job { samples: 200_003, seed: 7 };
    let expected = pi::hits(job.seed, 0..job.samples);
    for threads in [1, 2, 3, 8] {
        let threads = NonZeroUsize::new(threads).expect("non-zero");
        match count(job, threads) {
            Ok(hits) => assert_eq!(hits, expected, "{what} on {threads}"),
            Err(e) => panic!("{what} on {threads} threads failed: {}", ladder::cli::chain(&e)),
        }
    }
    let pi = job.estimate(expected);
    assert!((pi - std::f64::consts::PI).abs() < 0.01, "{pi}");
}

/// Four threads asked for: at least three threads beside the caller must run at once (the
/// caller may be the fourth). A version that counts on one thread gives the same hits and fails
/// here.
pub fn uses_the_threads_it_is_given(what: &str, count: Count) {
    let job = Job { samples: 8_000_000, seed: 3 };
    let four = NonZeroUsize::new(4).expect("non-zero");
    let (hits, more) = ladder::probe::threads_started_during(what, || count(job, four));
    let hits = hits.unwrap_or_else(|e| panic!("{what} failed: {}", ladder::cli::chain(&e)));
    assert_eq!(hits, pi::hits(job.seed, 0..job.samples), "{what} on 4 threads");
    let Some(more) = more else { return };
    assert!(
        more >= 3,
        "{what}: asked for 4 threads, at most {more} more than the caller ran at once: the \
         samples are counted one slice after another, not on every core"
    );
}
