//! What `cargo xtask bench` measures of this lesson, and how. A GPU's work is timed by the GPU
//! itself (its timestamps around a kernel) and by the host around everything a program waits
//! for, so the `gpu` binary measures here rather than criterion: `gpu bench --json` prints
//! a [`Measured`], on any machine with a Vulkan driver, the H200 included, which needs no Rust
//! toolchain to run it.
//!
//! The data is made where it is measured: random matrices from a seed, and rows of the memory
//! lesson's generator written as CSV in memory, then parsed into a column.

use std::path::Path;
use std::time::{Duration, Instant};

use lesson_memory::Totals;
use lesson_memory::dataset::render;
use lesson_vectorize::Matrix;
use lesson_vectorize::matrix::{reference, relative_error};

use crate::ceilings;
use crate::column::Column;
use crate::device::Gpu;
use crate::error::Error;
use crate::matmul::{self, error_bound, in_f32};
use crate::report::{
    ErrorPoint, HostCeilings, HostMatmulPoint, HostSumPoint, MatmulPoint, Measured, SumPoint,
};
use crate::shader::Precision;

/// The side of the matrices every rung's error is measured on.
pub const ERROR_SIDE: usize = 256;

/// A rung predicted to take longer than this per run (its last time, scaled by the work) is not
/// run at that size or any larger one.
pub const LONGEST_RUN_S: f64 = 2.0;

/// Whether a run of `work` units is predicted to take longer than [`LONGEST_RUN_S`], from the
/// last run's `seconds` for `done` units.
fn too_long(last: Option<(f64, f64)>, work: f64) -> bool {
    last.is_some_and(|(seconds, done)| seconds * work / done > LONGEST_RUN_S)
}

/// The seed of the matrices and of the rows.
pub const SEED: u64 = 42;

/// The sizes a run measures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Sides of the square matrices.
    pub matmul_sides: Vec<usize>,
    /// Numbers of values summed.
    pub sum_values: Vec<usize>,
    /// Runs of each size.
    pub repeats: usize,
    /// How long each ceiling's kernel runs.
    pub ceiling_time: Duration,
    /// The array the processor's read bandwidth is measured on, far larger than its caches.
    pub host_read_bytes: usize,
}

/// What to measure: small sizes for `quick` (a check that everything runs), sizes a processor
/// finishes in minutes where the "GPU" is one (lavapipe), and sizes up to 8192 and 100 million
/// values on a GPU.
pub fn plan(quick: bool, gpu: &Gpu) -> Plan {
    let (matmul_sides, sum_values, repeats) = match (quick, gpu.facts().is_cpu()) {
        (true, _) => (vec![64, 128], vec![100_000], 2),
        (false, true) => (vec![128, 256, 512], vec![1_000_000, 10_000_000], 5),
        (false, false) => {
            (vec![512, 1024, 2048, 4096, 8192], vec![1_000_000, 10_000_000, 100_000_000], 5)
        }
    };
    let ceiling_time = Duration::from_millis(if quick { 20 } else { 500 });
    let host_read_bytes = if quick { 16 << 20 } else { 256 << 20 };
    Plan { matmul_sides, sum_values, repeats, ceiling_time, host_read_bytes }
}

/// The median of `times`.
fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The medians of `repeats` runs of `f`: its whole time and what it says the kernel took.
fn timed<T>(
    repeats: usize,
    mut f: impl FnMut() -> Result<(T, Option<Duration>), Error>,
) -> Result<(f64, Option<f64>, T), Error> {
    let (mut wall, mut kernel, mut last) = (Vec::new(), Vec::new(), None);
    for _ in 0..repeats.max(1) {
        let start = Instant::now();
        let (output, on_gpu) = f()?;
        wall.push(start.elapsed().as_secs_f64());
        kernel.extend(on_gpu.map(|d| d.as_secs_f64()));
        last = Some(output);
    }
    let kernel = (kernel.len() == wall.len()).then(|| median(kernel));
    Ok((median(wall), kernel, last.expect("at least one run")))
}

/// Inputs of side `n` in `precision`, from [`SEED`].
fn inputs(precision: Precision, n: usize) -> (Matrix, Matrix) {
    let (a, b) = (Matrix::random(n, n, SEED), Matrix::random(n, n, SEED + 1));
    match precision {
        Precision::F32 => (in_f32(&a), in_f32(&b)),
        Precision::F64 => (a, b),
    }
}

/// Every matrix-multiply rung in every precision the device has: its error at
/// [`ERROR_SIDE`], then its times at each side until a run is predicted to take longer than
/// [`LONGEST_RUN_S`].
fn measure_matmul(gpu: &Gpu, plan: &Plan) -> Result<(Vec<MatmulPoint>, Vec<ErrorPoint>), Error> {
    let (mut points, mut errors) = (Vec::new(), Vec::new());
    for precision in Precision::ALL.into_iter().filter(|&p| gpu.supports(p)) {
        let (a, b) = inputs(precision, ERROR_SIDE);
        let truth = reference(&a, &b)?;
        for rung in matmul::LADDER.available() {
            eprintln!("  {} in {}", rung.name, precision.name());
            let product = (rung.run)(gpu, precision, &a, &b)?;
            let rel_error = relative_error(&product.c, &truth, &a, &b);
            let bound = check_error(rung.name, rel_error, precision)?;
            errors.push(ErrorPoint { rung: rung.name.into(), precision, rel_error, bound });
            let mut last = None;
            for &n in &plan.matmul_sides {
                let work = (n as f64).powi(3);
                let (seconds, kernel_seconds) = if too_long(last, work) {
                    last = Some((f64::INFINITY, 1.0));
                    (None, None)
                } else {
                    let (a, b) = inputs(precision, n);
                    let run = || (rung.run)(gpu, precision, &a, &b).map(|p| ((), p.kernel));
                    let (seconds, kernel, ()) = timed(plan.repeats, run)?;
                    last = Some((seconds, work));
                    (Some(seconds), kernel)
                };
                let (rung, n) = (rung.name.into(), n);
                points.push(MatmulPoint { rung, precision, n, seconds, kernel_seconds });
            }
        }
    }
    Ok((points, errors))
}

/// The vectorize lesson's rungs the GPU is measured against on the processor: its fastest
/// hand-written one, on every core, and OpenBLAS, where it is linked.
pub static HOST_RUNGS: [&lesson_vectorize::ladder::Rung; 2] =
    [&lesson_vectorize::ladder::BLOCKED_RAYON, &lesson_vectorize::ladder::BLAS];

/// The processor's ceilings as the vectorize lesson measures them: one core's FMA peak, and
/// one core reading an array of `bytes`.
fn measure_host(duration: Duration, bytes: usize) -> HostCeilings {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (fma_core_flops_per_s, _) = lesson_vectorize::peak::fma_peak(duration);
    let read_bytes_per_s = lesson_vectorize::peak::memory_bandwidth(bytes).read;
    HostCeilings { cores, fma_core_flops_per_s, read_bytes_per_s }
}

/// Each of [`HOST_RUNGS`] this machine has, on every core, in `f64` at each side of the plan:
/// checked against the reference product at [`ERROR_SIDE`] first, then timed as the GPU's
/// rungs are, until a run is predicted to take longer than [`LONGEST_RUN_S`].
fn measure_host_matmul(plan: &Plan) -> Result<Vec<HostMatmulPoint>, Error> {
    let threads = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    let (a, b) = inputs(Precision::F64, ERROR_SIDE);
    let truth = reference(&a, &b)?;
    let mut points = Vec::new();
    for rung in HOST_RUNGS.into_iter().filter(|rung| rung.available()) {
        eprintln!("  {} on {threads} cores", rung.name);
        let c = lesson_vectorize::ladder::product(rung, &a, &b, threads)?;
        check_error(rung.name, relative_error(&c, &truth, &a, &b), Precision::F64)?;
        let mut last = None;
        for &n in &plan.matmul_sides {
            let work = (n as f64).powi(3);
            let seconds = if too_long(last, work) {
                last = Some((f64::INFINITY, 1.0));
                None
            } else {
                let (a, b) = inputs(Precision::F64, n);
                let mut c = Matrix::zeros(n, n);
                let run = || Ok(((rung.run)(&a, &b, &mut c, threads)?, None));
                let (seconds, _, ()) = timed(plan.repeats, run)?;
                last = Some((seconds, work));
                Some(seconds)
            };
            points.push(HostMatmulPoint { rung: rung.name.into(), n, seconds });
        }
    }
    Ok(points)
}

/// `Ok` if a product's relative error at [`ERROR_SIDE`] is within the bound for `precision`,
/// or the error that says by how much it is not.
fn check_error(rung: &'static str, rel_error: f64, precision: Precision) -> Result<f64, Error> {
    let bound = error_bound(ERROR_SIDE, precision);
    if rel_error > bound {
        let why = format!("relative error {rel_error:e} above the bound {bound:e}");
        return Err(ladder::Error::Disagree { rung, first: "the reference product", why }.into());
    }
    Ok(bound)
}

/// `rows` rows of the memory lesson's generator as a CSV file in memory, as pandas would
/// write them.
pub fn csv(rows: usize) -> Vec<u8> {
    let mut out = b",user,transaction_value\n".to_vec();
    out.extend(render(SEED, 0..rows as u64).0);
    out
}

/// The processor adding every bucket of `column` on one core, exactly: the same work as the
/// GPU's, for the crossover.
pub fn host_sum(column: &Column) -> Totals {
    let sums: Vec<u128> = column
        .buckets()
        .iter()
        .map(|b| column.values()[b.range.clone()].iter().map(|&v| u128::from(v)).sum())
        .collect();
    column.totals(&sums)
}

/// Every exact-sum rung on each number of values, checked against the memory lesson's
/// parser's own totals, and the processor doing the same.
fn measure_sums(gpu: &Gpu, plan: &Plan) -> Result<(Vec<SumPoint>, Vec<HostSumPoint>), Error> {
    let (mut points, mut host) = (Vec::new(), Vec::new());
    // Each rung's last run: its time and its number of values.
    let mut last = vec![None; crate::sum::LADDER.iter().count()];
    for &values in &plan.sum_values {
        eprintln!("  {values} values");
        let text = csv(values);
        let path = Path::new("(the generated rows)");
        let (parse_seconds, _, truth) =
            timed(plan.repeats, || Ok((lesson_memory::parse_bytes(&text, path)?, None)))?;
        let column = Column::parse(&text, path)?;
        let parallel_seconds = time_parallel(&text, plan.repeats, &truth)?;
        drop(text);
        let (seconds, _, on_host) = timed(plan.repeats, || Ok((host_sum(&column), None)))?;
        if on_host != truth {
            return Err(disagree("the processor's sum of the column"));
        }
        host.push(HostSumPoint { values, seconds, parse_seconds, parallel_seconds });
        for (rung, last) in crate::sum::LADDER.iter().zip(&mut last) {
            let (seconds, kernel_seconds) = if too_long(*last, values as f64) {
                *last = Some((f64::INFINITY, 1.0));
                (None, None)
            } else {
                let run = || (rung.run)(gpu, &column).map(|added| (added.totals, added.kernel));
                let (seconds, kernel_seconds, totals) = timed(plan.repeats, run)?;
                if totals != truth {
                    return Err(disagree(rung.name));
                }
                *last = Some((seconds, values as f64));
                (Some(seconds), kernel_seconds)
            };
            points.push(SumPoint { rung: rung.name.into(), values, seconds, kernel_seconds });
        }
    }
    Ok((points, host))
}

/// The memory lesson's fastest rung doing the whole job, parsing and adding, on every core, on
/// `text` written to a file (in the page cache, as the memory lesson measures it warm): the
/// median of `repeats` runs, checked against `truth`.
fn time_parallel(text: &[u8], repeats: usize, truth: &Totals) -> Result<f64, Error> {
    let io = |e| lesson_memory::Error::io(std::env::temp_dir(), e);
    let mut file = tempfile::NamedTempFile::new().map_err(io)?;
    std::io::Write::write_all(&mut file, text).map_err(io)?;
    let options = lesson_memory::Options::default();
    let rung = &lesson_memory::ladder::PARALLEL;
    let (seconds, _, totals) = timed(repeats, || Ok(((rung.run)(file.path(), &options)?, None)))?;
    if totals != *truth {
        return Err(disagree(rung.name));
    }
    Ok(seconds)
}

fn disagree(rung: &'static str) -> Error {
    let why = "the totals differ from the memory lesson's".to_string();
    ladder::Error::Disagree { rung, first: "the memory lesson's parser", why }.into()
}

/// Everything `plan` asks for, on `gpu`.
pub fn measure(gpu: &Gpu, plan: &Plan) -> Result<Measured, Error> {
    eprintln!("the device's ceilings");
    let ceilings = ceilings::measure(gpu, plan.ceiling_time)?;
    eprintln!("the matrix-multiply ladder");
    let (matmul, errors) = measure_matmul(gpu, plan)?;
    eprintln!("the exact-sum ladder");
    let (sums, host_sums) = measure_sums(gpu, plan)?;
    eprintln!("the processor: its ceilings and the vectorize lesson's fastest rungs");
    let host = measure_host(plan.ceiling_time, plan.host_read_bytes);
    let host_matmul = measure_host_matmul(plan)?;
    Ok(Measured {
        device: gpu.facts().clone(),
        ceilings,
        repeats: plan.repeats,
        longest_run_s: LONGEST_RUN_S,
        matmul,
        errors,
        sums,
        host_sums,
        host,
        host_matmul,
    })
}
