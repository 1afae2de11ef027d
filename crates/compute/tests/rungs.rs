//! Every rung of both ladders gives the same result on any thread count: the squares in input
//! order, the same count of hits; and the timely dataflow spreads its slices over every worker. The checks are the lesson's kit (`lesson_compute::kit`), which
//! the exercises run on the learner's code too.

use lesson_compute::{distributed, kit, pi, waiting};

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

#[test]
fn the_dataflow_spreads_the_slices_and_the_check_notices_one_that_does_not() {
    kit::spreads_the_slices_over_every_worker("timely", distributed::count_hits);
    let on_worker_zero = || {
        kit::spreads_the_slices_over_every_worker("on worker 0", |worker, job| {
            (worker.index() == 0).then(|| pi::hits(job.seed, 0..job.samples))
        })
    };
    assert!(std::panic::catch_unwind(on_worker_zero).is_err(), "every slice counted on worker 0");
}
