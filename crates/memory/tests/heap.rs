//! The heap each rung holds, counted by the lesson's allocator: a streaming rung's stays flat
//! when the file grows ten times, and the check notices a rung that keeps every row.
//!
//! The count is the whole process's, so this binary holds one test, which runs alone.

use lesson_memory::alloc::CountingAllocator;
use lesson_memory::kit;
use lesson_memory::ladder::{Heap, LADDER, LOAD_ALL};

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

#[test]
fn bounded_rungs_hold_a_flat_heap_and_the_check_notices_one_that_grows() {
    for rung in LADDER.available().filter(|r| r.facts == Heap::Bounded) {
        kit::heap_stays_flat(rung.name, rung.run);
    }
    assert_eq!(LOAD_ALL.facts, Heap::GrowsWithTheFile);
    let caught = std::panic::catch_unwind(|| kit::heap_stays_flat(LOAD_ALL.name, LOAD_ALL.run));
    assert!(caught.is_err(), "load-all keeps every row, so its heap must grow");
}
