//! The threads each rung runs, counted while it runs: a parallel rung uses the threads it is
//! given, the thread-per-task rung has every task waiting at once, the tokio tasks wait all at
//! once on one thread, and the checks notice rungs that do not.
//!
//! The count is the whole process's, so this binary holds one test, which runs alone.

use std::time::Duration;

use lesson_compute::{kit, pi, waiting};

#[test]
fn parallel_rungs_use_their_threads_and_the_checks_notice_those_that_do_not() {
    for rung in pi::LADDER.available().filter(|r| r.parallel) {
        kit::uses_the_threads_it_is_given(rung.name, rung.run);
    }
    kit::waits_on_a_thread_per_task(waiting::THREADS.name, waiting::THREADS.run);
    kit::waits_on_a_pool_of_its_threads(waiting::RAYON.name, waiting::RAYON.run);
    tokio_tasks_wait_all_at_once_and_the_checks_notice_those_that_do_not();
    if ladder::probe::threads_now().is_none() {
        return; // nothing to count with here
    }
    let one = &pi::SEQUENTIAL;
    let caught = std::panic::catch_unwind(|| kit::uses_the_threads_it_is_given(one.name, one.run));
    assert!(caught.is_err(), "the sequential rung counts on one thread");
    let pool = &waiting::RAYON;
    let caught = std::panic::catch_unwind(|| kit::waits_on_a_thread_per_task(pool.name, pool.run));
    assert!(caught.is_err(), "a pool of two threads has two tasks waiting at once, not 200");
    let each = &waiting::THREADS;
    let caught =
        std::panic::catch_unwind(|| kit::waits_on_a_pool_of_its_threads(each.name, each.run));
    assert!(caught.is_err(), "a thread per task is forty threads, not a pool of four");
}

/// The tokio tasks on a paused clock, and three ways to miss: waits in turn, blocking waits, and a
/// thread for each task.
fn tokio_tasks_wait_all_at_once_and_the_checks_notice_those_that_do_not() {
    kit::waits_all_at_once_on_the_runtimes_clock("tokio", waiting::squares_in_flight);
    let in_turn = || {
        kit::waits_all_at_once_on_the_runtimes_clock("in turn", |inputs, wait| async move {
            let mut squares = Vec::new();
            for x in inputs {
                tokio::time::sleep(wait).await;
                squares.push(x * x);
            }
            Ok(squares)
        })
    };
    assert!(std::panic::catch_unwind(in_turn).is_err(), "waits in turn take a second");
    let blocking = || {
        kit::waits_all_at_once_on_the_runtimes_clock("blocking", |inputs, wait| async move {
            let tasks: Vec<_> = inputs
                .into_iter()
                .map(|x| {
                    tokio::spawn(async move {
                        std::thread::sleep(wait);
                        x * x
                    })
                })
                .collect();
            let mut squares = Vec::new();
            for task in tasks {
                squares.push(task.await.map_err(lesson_compute::error::Error::Task)?);
            }
            Ok(squares)
        })
    };
    assert!(std::panic::catch_unwind(blocking).is_err(), "blocking waits park no task");
    if ladder::probe::threads_now().is_none() {
        return; // nothing to count with here
    }
    let thread_each = || {
        kit::waits_all_at_once_on_the_runtimes_clock("a thread each", |inputs, wait| async move {
            let threads: Vec<_> = inputs
                .into_iter()
                .map(|x| {
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(20));
                        x * x
                    })
                })
                .collect();
            tokio::time::sleep(wait).await;
            Ok(threads.into_iter().map(|t| t.join().expect("a squaring thread")).collect())
        })
    };
    assert!(std::panic::catch_unwind(thread_each).is_err(), "a thread each is 1 000 threads");
}
