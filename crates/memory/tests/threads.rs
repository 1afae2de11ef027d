//! The parallel rung uses the threads it is given, counted while it runs; and the check notices
//! a rung that parses on one thread.
//!
//! The count is the whole process's, so this binary holds one test, which runs alone.

use lesson_memory::kit;
use lesson_memory::ladder::{MMAP, PARALLEL};

#[test]
fn the_parallel_rung_uses_its_threads_and_the_check_notices_one_that_does_not() {
    kit::uses_the_threads_it_is_given(PARALLEL.name, PARALLEL.run);
    if ladder::probe::threads_now().is_some() {
        let caught =
            std::panic::catch_unwind(|| kit::uses_the_threads_it_is_given(MMAP.name, MMAP.run));
        assert!(caught.is_err(), "mmap parses on one thread, so the check must fail it");
    }
}
