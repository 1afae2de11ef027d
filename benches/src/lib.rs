//! Helpers the benchmarks share: where the data is and how it was made.
//!
//! `cargo xtask bench` generates the datasets, then runs the benchmarks with
//! [`DATA_ENV`] pointing at the file to measure; run by hand, a benchmark says what to do.

use std::path::PathBuf;

/// How long each waiting task waits in the benchmarks (the seed waits a second; ten
/// milliseconds keeps the benchmark short and the lesson the same).
pub const WAIT_MS: u64 = 10;
/// Task counts for the waiting benchmark: the seed's three, then a hundred and ten thousand.
pub const WAIT_TASKS: &[usize] = &[3, 100, 10_000];
/// Samples of the Monte-Carlo benchmark: about a tenth of a second on one core.
pub const PI_SAMPLES: u64 = 20_000_000;
/// Thread counts of the Monte-Carlo benchmark: 1, 2, 3, 4 and 8, and this machine's cores,
/// so the table always has a point at every core and points beyond.
pub fn pi_threads() -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut counts = vec![1, 2, 3, 4, 8, cores, 2 * cores];
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// Rungs predicted to take longer than this per run are not benchmarked; the environment
/// variable `WORKSHOP_LONGEST_RUN` (seconds) changes it.
pub fn run_longest_seconds() -> f64 {
    std::env::var("WORKSHOP_LONGEST_RUN").ok().and_then(|s| s.parse().ok()).unwrap_or(1.5)
}

/// The environment variable naming the transactions file the memory benchmark reads.
pub const DATA_ENV: &str = "WORKSHOP_MEMORY_DATA";

/// The file named by [`DATA_ENV`], or a message saying how to get one.
pub fn data_file() -> Result<PathBuf, String> {
    let path = std::env::var_os(DATA_ENV).map(PathBuf::from).ok_or_else(|| {
        format!("{DATA_ENV} is not set: run `cargo xtask bench`, which makes the data and sets it")
    })?;
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{DATA_ENV}={} is not a file: run `cargo xtask data`", path.display()))
    }
}

/// Rows in the small file the instruction-count benchmark parses: enough that per-row work
/// dominates the fixed cost of opening the file, small enough for valgrind to be quick.
pub const INSTRUCTION_ROWS: u64 = 20_000;

/// Writes (once) the small deterministic file the instruction-count benchmark reads.
pub fn small_file() -> PathBuf {
    use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec, generate};
    let spec = Spec { rows: INSTRUCTION_ROWS, seed: DEFAULT_SEED, shards: 1 };
    let dir = std::env::temp_dir().join(format!("workshop-{}", spec.dir_name()));
    let complete = Manifest::load(&dir).is_ok_and(|m| m.is_complete(&dir, &spec));
    if !complete {
        generate(&spec, &dir, &|_| {})
            .expect("cannot write the benchmark's small file in the temp dir");
    }
    dir.join("transactions.csv")
}

/// The environment variable naming the shard folder the I/O benchmark reads warm and cold.
pub const IO_DATA_ENV: &str = "WORKSHOP_IO_DATA";
/// The environment variable naming the shard folder the latency-bound benchmark serves.
pub const LATENCY_DATA_ENV: &str = "WORKSHOP_IO_LATENCY_DATA";
/// The environment variable giving the server's delay per request, in milliseconds.
pub const LATENCY_MS_ENV: &str = "WORKSHOP_IO_LATENCY_MS";
/// The delay per request when [`LATENCY_MS_ENV`] is not set: a typical first-byte latency of
/// object storage.
pub const LATENCY_MS: u64 = 20;
/// Threads reading at once in the I/O concurrency sweep.
pub const IO_THREADS: &[usize] = &[1, 2, 4, 8, 16];
/// Requests in flight in the latency-bound sweep.
pub const IN_FLIGHT: &[usize] = &[1, 2, 4, 8, 16, 32, 64, 128];
/// The read request size of the device measurement: the memory lesson's buffer, and a small
/// one to show what request size does.
pub const REQUEST_BYTES: &[(&str, usize)] = &[("read-only", 1 << 20), ("read-only-64k", 64 << 10)];

/// The shard files of the dataset folder named by the environment variable `env`, in order,
/// or a message saying how to get them.
pub fn shard_files(env: &str) -> Result<Vec<PathBuf>, String> {
    let dir = std::env::var_os(env).map(PathBuf::from).ok_or_else(|| {
        format!("{env} is not set: run `cargo xtask bench`, which makes the data and sets it")
    })?;
    let manifest = lesson_memory::dataset::Manifest::load(&dir).map_err(|e| {
        format!("{env}={}: no readable manifest.json ({e}): run `cargo xtask data`", dir.display())
    })?;
    Ok(manifest.paths(&dir))
}

/// The environment variable listing the matrix sizes of the vectorize benchmark
/// (comma-separated); `cargo xtask bench --quick` sets small ones.
pub const MATRIX_SIZES_ENV: &str = "WORKSHOP_MATRIX_SIZES";

/// The matrix sizes: the seed's 100, then up to 2048, or those in [`MATRIX_SIZES_ENV`].
pub fn matrix_sizes() -> Vec<usize> {
    std::env::var(MATRIX_SIZES_ENV)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect::<Vec<usize>>())
        .filter(|sizes| !sizes.is_empty())
        .unwrap_or_else(|| vec![100, 256, 512, 1024, 2048])
}

/// The size at which the targets are stated (the largest measured if smaller).
pub const TARGET_SIZE: usize = 1024;

/// Vector lengths of the elementwise benchmark: in the level-1 and level-2 caches (32 KiB per
/// vector), and far beyond every cache.
pub const VECTOR_LENGTHS: &[usize] = &[4096, 1 << 24];

/// The matrix size of the instruction-count benchmark: every rung's steady state, small enough
/// for valgrind to be quick.
pub const INSTRUCTION_SIZE: usize = 96;
