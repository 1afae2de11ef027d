//! Wall time of the compute lesson's rungs: waiting tasks by task count, and the Monte-Carlo
//! job by thread count (1 up to and beyond the cores, to show oversubscription).

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Duration;

use criterion::Criterion;
use lesson_compute::bench::{
    PI_GROUP, PI_JOB, Plan, WAIT_GROUP, WAIT_MS, WAIT_TASKS, pi_id, pi_threads, plan, wait_id,
};
use lesson_compute::{pi, waiting};
use workshop_benches::{group, id};

fn main() {
    let plan: Plan = workshop_benches::plan(|| plan(false));
    let mut criterion = Criterion::default().configure_from_args();
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let wait = Duration::from_millis(WAIT_MS);

    let mut waiting = group(&mut criterion, WAIT_GROUP);
    for rung in waiting::LADDER.iter() {
        for &tasks in WAIT_TASKS {
            // Rungs that would wait for minutes are left out (the table says so).
            if rung.facts.predicted(tasks, wait, cores).as_secs_f64() > plan.longest_run_s {
                continue;
            }
            let inputs: Vec<u64> = (1..=tasks as u64).collect();
            // A machine may not allow ten thousand threads: say so and go on.
            if let Err(e) = (rung.run)(&inputs, wait, cores) {
                eprintln!("{}: skipped: {}", wait_id(rung, tasks), ladder::cli::chain(&e));
                continue;
            }
            waiting.bench_with_input(id(&wait_id(rung, tasks)), &inputs, |b, inputs| {
                b.iter(|| (rung.run)(black_box(inputs), wait, cores).expect("runs"))
            });
        }
    }
    waiting.finish();

    let mut pi = group(&mut criterion, PI_GROUP);
    for rung in pi::LADDER.iter() {
        for threads in pi_threads(rung) {
            let t = NonZeroUsize::new(threads).expect("non-zero");
            pi.bench_function(id(&pi_id(rung, threads)), |b| {
                b.iter(|| (rung.run)(black_box(PI_JOB), t).expect("runs"))
            });
        }
    }
    pi.finish();
    criterion.final_summary();
}
