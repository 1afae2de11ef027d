//! Wall time of the I/O lesson: every rung with the shards in the page cache (warm) and
//! evicted before each run (cold); reading only, and reading and parsing, at 1 to 16 threads;
//! and fetching shards from a loopback server with a delay per request, 1 to 128 in flight.
//!
//! A cold run evicts the files first, outside the timed part, with `iter_custom`.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, measurement::WallTime};
use lesson_io::cache::evict;
use lesson_io::device::read_only;
use lesson_io::ladder::{LADDER, Options, Strategy, run};
use lesson_io::latency::{Server, fetch_all};
use workshop_benches::{
    IN_FLIGHT, IO_DATA_ENV, IO_THREADS, LATENCY_DATA_ENV, LATENCY_MS, LATENCY_MS_ENV,
    REQUEST_BYTES, shard_files,
};

/// Whether the files are in the page cache when a run starts.
#[derive(Clone, Copy, PartialEq)]
enum Cache {
    Warm,
    Cold,
}

/// Times `job`, evicting `files` before each run when cold.
fn time(
    group: &mut BenchmarkGroup<WallTime>,
    id: BenchmarkId,
    files: &[PathBuf],
    cache: Cache,
    job: impl Fn() -> u64,
) {
    group.bench_function(id, |b| {
        b.iter_custom(|iterations| {
            let mut timed = Duration::ZERO;
            for _ in 0..iterations {
                if cache == Cache::Cold {
                    for f in files {
                        evict(f).expect("the shards can be evicted");
                    }
                }
                let start = Instant::now();
                black_box(job());
                timed += start.elapsed();
            }
            timed
        })
    });
}

fn rung(s: &Strategy, files: &[PathBuf], options: &Options) -> u64 {
    run(s, files, options).expect("the shards read").summary().overall.rows
}

fn main() {
    let (files, served) =
        match shard_files(IO_DATA_ENV).and_then(|f| Ok((f, shard_files(LATENCY_DATA_ENV)?))) {
            Ok(both) => both,
            Err(message) => {
                eprintln!("io benchmark skipped: {message}");
                return;
            }
        };
    let mut criterion = Criterion::default().configure_from_args();
    let options = Options::default();

    for (name, cache) in [("io-warm", Cache::Warm), ("io-cold", Cache::Cold)] {
        let mut group = criterion.benchmark_group(name);
        group.sampling_mode(SamplingMode::Flat).sample_size(10);
        for s in LADDER {
            time(&mut group, BenchmarkId::from_parameter(s.name), &files, cache, || {
                rung(s, &files, &options)
            });
        }
        group.finish();
    }

    let mut sweep = criterion.benchmark_group("io-threads");
    sweep.sampling_mode(SamplingMode::Flat).sample_size(10);
    for &threads in IO_THREADS {
        let n = NonZeroUsize::new(threads).expect("non-zero");
        let options = Options { threads: n, in_flight: n };
        for (series, cache) in [("warm-rayon", Cache::Warm), ("cold-rayon", Cache::Cold)] {
            let rayon = LADDER.iter().find(|s| s.name == "rayon").expect("a rayon rung");
            time(&mut sweep, BenchmarkId::new(series, threads), &files, cache, || {
                rung(rayon, &files, &options)
            });
        }
        for &(series, request) in REQUEST_BYTES {
            let id = BenchmarkId::new(format!("cold-{series}"), threads);
            time(&mut sweep, id, &files, Cache::Cold, || {
                read_only(&files, n, request).expect("the shards read")
            });
        }
    }
    sweep.finish();

    let count = u32::try_from(served.len()).expect("fewer than 4 billion shards");
    let delay_ms =
        std::env::var(LATENCY_MS_ENV).ok().and_then(|v| v.parse().ok()).unwrap_or(LATENCY_MS);
    let server = Server::start(served, Duration::from_millis(delay_ms)).expect("the server starts");
    let mut latency = criterion.benchmark_group("io-latency");
    latency.sampling_mode(SamplingMode::Flat).sample_size(10);
    for &in_flight in IN_FLIGHT {
        latency.bench_function(BenchmarkId::new("fetch", in_flight), |b| {
            b.iter(|| {
                fetch_all(server.addr(), count, in_flight).expect("the shards arrive").summary()
            })
        });
    }
    latency.finish();
    criterion.final_summary();
}
