//! Wall time of the vectorize lesson: every matrix-multiply rung on one thread at each size
//! (a rung predicted to take longer than the plan's limit is not run at the next size), the
//! parallel rungs on 1 to 2× the cores at the target size, and the elementwise operations at a
//! length that fits the nearest caches and one that fits no cache.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Instant;

use criterion::Criterion;
use lesson_vectorize::Matrix;
use lesson_vectorize::bench::{
    ELEMENTWISE_GROUP, MATMUL_GROUP, Plan, THREADS_GROUP, VECTOR_LENGTHS, elementwise_id,
    matmul_id, plan, thread_counts, threads_id,
};
use lesson_vectorize::elementwise::{Kernel, VERSIONS};
use lesson_vectorize::ladder::LADDER;
use workshop_benches::{group, id};

fn main() {
    let plan: Plan = workshop_benches::plan(|| plan(false));
    let mut criterion = Criterion::default().configure_from_args();
    let one = NonZeroUsize::MIN;

    let mut matmul = group(&mut criterion, MATMUL_GROUP);
    for rung in LADDER.iter() {
        if let Some(need) = rung.missing() {
            eprintln!("{MATMUL_GROUP}/{}: skipped: needs {}", rung.name, need.what);
            continue;
        }
        let mut predicted = 0.0;
        for (i, &n) in plan.sizes.iter().enumerate() {
            if predicted > plan.longest_run_s {
                eprintln!("{}: not run, predicted {predicted:.1} s", matmul_id(rung, n));
                continue;
            }
            let (a, b) = (Matrix::random(n, n, 1), Matrix::random(n, n, 2));
            let mut c = Matrix::zeros(n, n);
            let start = Instant::now();
            (rung.run)(&a, &b, &mut c, one).expect("the rung runs");
            let seconds = start.elapsed().as_secs_f64();
            // Work grows as n³: predict the next size from this one.
            if let Some(&next) = plan.sizes.get(i + 1) {
                predicted = seconds * (next as f64 / n as f64).powi(3);
            }
            matmul.bench_function(id(&matmul_id(rung, n)), |bench| {
                bench.iter(|| (rung.run)(black_box(&a), black_box(&b), &mut c, one).expect("runs"))
            });
        }
    }
    matmul.finish();

    let n = plan.target_size();
    let (a, b) = (Matrix::random(n, n, 1), Matrix::random(n, n, 2));
    let mut c = Matrix::zeros(n, n);
    let mut threads = group(&mut criterion, THREADS_GROUP);
    for rung in LADDER.available().filter(|r| r.parallel) {
        for t in thread_counts() {
            let used = NonZeroUsize::new(t).expect("non-zero");
            threads.bench_function(id(&threads_id(rung, t)), |bench| {
                bench.iter(|| (rung.run)(black_box(&a), black_box(&b), &mut c, used).expect("runs"))
            });
        }
    }
    threads.finish();

    let mut elementwise = criterion.benchmark_group(ELEMENTWISE_GROUP);
    elementwise.sample_size(10);
    for len in VECTOR_LENGTHS {
        let x = Matrix::random(1, len, 3).data().to_vec();
        let mut y = Matrix::random(1, len, 4).data().to_vec();
        let (xa, mut ya) = (ndarray::Array1::from(x.clone()), ndarray::Array1::from(y.clone()));
        for version in VERSIONS {
            elementwise.bench_function(id(&elementwise_id(version, len)), |bench| {
                match version.kernel {
                    Kernel::Axpy(f) => bench.iter(|| f(black_box(1e-9), &x, &mut y)),
                    Kernel::AxpyArray(f) => bench.iter(|| f(black_box(1e-9), &xa, &mut ya)),
                    Kernel::SumSquares(f) => bench.iter(|| black_box(f(black_box(&x)))),
                    Kernel::SumSquaresArray(f) => bench.iter(|| black_box(f(black_box(&xa)))),
                }
            });
        }
    }
    elementwise.finish();
    criterion.final_summary();
}
