//! Wall time of the compute lesson's rungs: waiting tasks by task count, and the Monte-Carlo
//! job by thread count (1 up to and beyond the cores, to show oversubscription).

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode};
use lesson_compute::pi::{CPU, Job};
use lesson_compute::waiting::WAITING;
use workshop_benches::{PI_SAMPLES, WAIT_MS, WAIT_TASKS, pi_threads, run_longest_seconds};

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let wait = Duration::from_millis(WAIT_MS);

    let mut waiting = criterion.benchmark_group("compute-wait");
    waiting.sampling_mode(SamplingMode::Flat).sample_size(10);
    for s in WAITING {
        for &tasks in WAIT_TASKS {
            // Rungs that would wait for minutes are left out (the table says so).
            if s.predicted(tasks, wait, cores).as_secs_f64() > run_longest_seconds() {
                continue;
            }
            let inputs: Vec<u64> = (1..=tasks as u64).collect();
            // A machine may not allow ten thousand threads: say so and go on.
            if let Err(e) = (s.run)(&inputs, wait, cores) {
                eprintln!("compute-wait/{}/{tasks} skipped: {e}", s.name);
                continue;
            }
            waiting.bench_with_input(BenchmarkId::new(s.name, tasks), &inputs, |b, inputs| {
                b.iter(|| (s.run)(black_box(inputs), wait, cores).expect("runs"))
            });
        }
    }
    waiting.finish();

    let mut pi = criterion.benchmark_group("compute-pi");
    pi.sampling_mode(SamplingMode::Flat).sample_size(10);
    let job = Job { samples: PI_SAMPLES, seed: 42 };
    for s in CPU {
        let thread_counts = if s.name == "sequential" { vec![1] } else { pi_threads() };
        for threads in thread_counts {
            let threads = NonZeroUsize::new(threads).expect("non-zero");
            pi.bench_with_input(BenchmarkId::new(s.name, threads), &threads, |b, &threads| {
                b.iter(|| (s.run)(black_box(job), threads).expect("runs"))
            });
        }
    }
    pi.finish();
    criterion.final_summary();
}
