//! Every rung of both ladders gives the same result on any thread count: the squares in input
//! order, the same count of hits; and the timely dataflow spreads its slices over every worker. The checks are the lesson's kit (`lesson_compute::kit`), which
//! the exercises run on the learner's code too.

use std::cell::Cell;
use std::rc::Rc;

use lesson_compute::{distributed, kit, pi, waiting};
use timely::dataflow::operators::vec::Map;
use timely::dataflow::operators::{Exchange, Input, Inspect, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};

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
            let slices = worker.peers() as u64 * distributed::SLICES_PER_WORKER;
            let total = Rc::new(Cell::new(0));
            let sum = Rc::clone(&total);
            let mut input = InputHandle::new();
            let probe = ProbeHandle::new();
            worker.dataflow::<u64, _, _>(|scope| {
                scope
                    .input_from(&mut input)
                    .container::<Vec<u64>>()
                    .map(move |k| pi::hits(job.seed, pi::slice(job.samples, slices, k)))
                    .exchange(|_| 0)
                    .inspect(move |count| sum.set(sum.get() + count))
                    .probe_with(&probe);
            });
            if worker.index() == 0 {
                (0..slices).for_each(|k| input.send(k));
            }
            input.close();
            worker.step_while(|| !probe.done());
            (worker.index() == 0).then(|| total.get())
        })
    };
    assert!(std::panic::catch_unwind(on_worker_zero).is_err(), "every slice counted on worker 0");
}
