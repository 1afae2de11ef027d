//! A parallel rung starts the threads it is given, counted while it runs; and the check notices
//! a rung that runs on one thread.
//!
//! The count is the whole process's, so this binary holds one test, which runs alone.

use ladder::Role;
use lesson_vectorize::kit;
use lesson_vectorize::ladder::{BLOCKED, LADDER};

#[test]
fn parallel_rungs_use_their_threads_and_the_check_notices_one_that_does_not() {
    // OpenBLAS chooses its own thread count, at most the cores it finds: only our rungs are
    // held to the count they are given.
    for rung in LADDER.available().filter(|r| r.parallel && r.role != Role::Library) {
        kit::uses_the_threads_it_is_given(rung.name, rung.run);
    }
    if ladder::probe::threads_now().is_some() {
        let one = || kit::uses_the_threads_it_is_given(BLOCKED.name, BLOCKED.run);
        assert!(std::panic::catch_unwind(one).is_err(), "blocked runs on one thread");
    }
}
