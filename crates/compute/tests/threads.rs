//! The threads each rung runs, counted while it runs: a parallel rung uses the threads it is
//! given, the thread-per-task rung has every task waiting at once, and the checks notice rungs
//! that do not.
//!
//! The count is the whole process's, so this binary holds one test, which runs alone.

use lesson_compute::{kit, pi, waiting};

#[test]
fn parallel_rungs_use_their_threads_and_the_checks_notice_those_that_do_not() {
    for rung in pi::LADDER.available().filter(|r| r.parallel) {
        kit::uses_the_threads_it_is_given(rung.name, rung.run);
    }
    kit::waits_on_a_thread_per_task(waiting::THREADS.name, waiting::THREADS.run);
    kit::waits_on_a_pool_of_its_threads(waiting::RAYON.name, waiting::RAYON.run);
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
