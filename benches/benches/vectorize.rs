//! Wall time of the vectorize lesson: every matrix-multiply rung on one thread at each size
//! (a rung predicted to take longer than `WORKSHOP_LONGEST_RUN` is not run at the next size),
//! the parallel rungs on 1 to 2× the cores at the target size, and the elementwise operations
//! at a length that fits the nearest caches and one that fits no cache.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, SamplingMode};
use lesson_vectorize::Matrix;
use lesson_vectorize::elementwise::{
    axpy_indexed, axpy_ndarray, axpy_zip, sum_squares_iter, sum_squares_lanes, sum_squares_ndarray,
};
use lesson_vectorize::ladder::LADDER;
use workshop_benches::{TARGET_SIZE, VECTOR_LENGTHS, matrix_sizes, run_longest_seconds};

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let sizes = matrix_sizes();

    let mut matmul = criterion.benchmark_group("vectorize-matmul");
    matmul.sampling_mode(SamplingMode::Flat).sample_size(10);
    for s in LADDER {
        if !s.available() {
            eprintln!("vectorize-matmul/{}: skipped: built without OpenBLAS", s.name);
            continue;
        }
        let mut predicted = 0.0;
        for (i, &n) in sizes.iter().enumerate() {
            if predicted > run_longest_seconds() {
                eprintln!("vectorize-matmul/{}/{n}: not run, predicted {predicted:.1} s", s.name);
                continue;
            }
            let (a, b) = (Matrix::random(n, n, 1), Matrix::random(n, n, 2));
            let mut c = Matrix::zeros(n, n);
            let one = NonZeroUsize::MIN;
            let start = Instant::now();
            (s.run)(&a, &b, &mut c, one).expect("the rung runs");
            let seconds = start.elapsed().as_secs_f64();
            // Work grows as n³: predict the next size from this one.
            if let Some(&next) = sizes.get(i + 1) {
                predicted = seconds * (next as f64 / n as f64).powi(3);
            }
            matmul.bench_function(BenchmarkId::new(s.name, n), |bench| {
                bench.iter(|| (s.run)(black_box(&a), black_box(&b), &mut c, one).expect("runs"))
            });
        }
    }
    matmul.finish();

    let n = sizes.iter().copied().filter(|&n| n <= TARGET_SIZE).max().unwrap_or(TARGET_SIZE);
    let (a, b) = (Matrix::random(n, n, 1), Matrix::random(n, n, 2));
    let mut c = Matrix::zeros(n, n);
    let mut threads = criterion.benchmark_group("vectorize-threads");
    threads.sampling_mode(SamplingMode::Flat).sample_size(10);
    for s in LADDER.iter().filter(|s| s.parallel && s.available()) {
        let mut counts = vec![1, cores.get(), 2 * cores.get()];
        counts.dedup();
        for t in counts {
            let t = NonZeroUsize::new(t).expect("non-zero");
            threads.bench_function(BenchmarkId::new(s.name, t), |bench| {
                bench.iter(|| (s.run)(black_box(&a), black_box(&b), &mut c, t).expect("runs"))
            });
        }
    }
    threads.finish();

    let mut elementwise = criterion.benchmark_group("vectorize-elementwise");
    elementwise.sample_size(10);
    for &len in VECTOR_LENGTHS {
        let x = Matrix::random(1, len, 3).data().to_vec();
        let mut y = Matrix::random(1, len, 4).data().to_vec();
        let (xa, mut ya) = (ndarray::Array1::from(x.clone()), ndarray::Array1::from(y.clone()));
        let mut bench = |name: &str, f: &mut dyn FnMut()| {
            elementwise.bench_function(BenchmarkId::new(name, len), |b| b.iter(&mut *f));
        };
        bench("axpy-indexed", &mut || axpy_indexed(black_box(1e-9), &x, &mut y));
        bench("axpy-zip", &mut || axpy_zip(black_box(1e-9), &x, &mut y));
        bench("axpy-ndarray", &mut || axpy_ndarray(black_box(1e-9), &xa, &mut ya));
        bench("sum-squares-iter", &mut || {
            black_box(sum_squares_iter(black_box(&x)));
        });
        bench("sum-squares-lanes", &mut || {
            black_box(sum_squares_lanes(black_box(&x)));
        });
        bench("sum-squares-ndarray", &mut || {
            black_box(sum_squares_ndarray(black_box(&xa)));
        });
    }
    elementwise.finish();
    criterion.final_summary();
}
