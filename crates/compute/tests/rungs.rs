//! Every rung of both ladders gives the same result on any thread count: the squares in input
//! order, the same count of hits. The checks are the lesson's kit (`lesson_compute::kit`), which
//! the exercises run on the learner's code too.

use lesson_compute::{kit, pi, waiting};

#[test]
fn every_waiting_rung_returns_the_squares_in_order() {
    for rung in waiting::LADDER.available() {
        kit::returns_the_squares_in_order(rung.name, rung.run);
    }
}

#[test]
fn every_cpu_rung_counts_the_same_hits_on_any_thread_count() {
    for rung in pi::LADDER.available() {
        kit::counts_the_same_hits(rung.name, rung.run);
    }
}
