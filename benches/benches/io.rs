//! Wall time of the I/O lesson: every rung with the shards in the page cache (warm) and
//! evicted before each run (cold); reading only, and reading and parsing, at 1 to 16 threads;
//! and fetching shards from a loopback server with a delay per request, 1 to 128 in flight.
//!
//! A cold run evicts the files first, outside the timed part, with `iter_custom`.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};
use ladder::bench::Id;
use lesson_io::bench::{
    Cache, IN_FLIGHT, LATENCY_GROUP, Reader, SWEEP, Settings, THREADS, THREADS_GROUP, id,
    latency_id, sweep_id,
};
use lesson_io::cache::evict;
use lesson_io::device::read_only;
use lesson_io::ladder::{LADDER, Options, Rung, run};
use lesson_io::latency::{Server, fetch_all};
use lesson_memory::dataset::Manifest;
use workshop_benches::{group, settings};

/// Times `job`, evicting `files` before each run when cold.
fn time(
    group: &mut BenchmarkGroup<WallTime>,
    id: &Id,
    files: &[PathBuf],
    cache: Cache,
    job: impl Fn() -> u64,
) {
    group.bench_function(workshop_benches::id(id), |b| {
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

fn rows(rung: &Rung, files: &[PathBuf], options: &Options) -> u64 {
    run(rung, files, options).expect("the shards read").summary().overall.rows
}

fn shards(dir: &Path) -> Vec<PathBuf> {
    Manifest::load(dir).expect("`cargo xtask bench` made the dataset").paths(dir)
}

fn main() {
    let Some(Settings { shards: shard_dir, served, latency_ms }) = settings("io") else {
        return;
    };
    let (files, served) = (shards(&shard_dir), shards(&served));
    let mut criterion = Criterion::default().configure_from_args();
    let options = Options::default();

    for cache in [Cache::Warm, Cache::Cold] {
        let mut group = group(&mut criterion, cache.group());
        for rung in LADDER.iter() {
            time(&mut group, &id(rung, cache), &files, cache, || rows(rung, &files, &options));
        }
        group.finish();
    }

    let mut sweep = group(&mut criterion, THREADS_GROUP);
    for &threads in THREADS {
        let n = NonZeroUsize::new(threads).expect("non-zero");
        let options = Options { threads: n, in_flight: n };
        for series in SWEEP {
            let id = sweep_id(series, threads);
            match series.reader {
                Reader::Rung(rung) => {
                    time(&mut sweep, &id, &files, series.cache, || rows(rung, &files, &options))
                }
                Reader::ReadOnly { request_bytes } => {
                    time(&mut sweep, &id, &files, series.cache, || {
                        read_only(&files, n, request_bytes).expect("the shards read")
                    })
                }
            }
        }
    }
    sweep.finish();

    let count = u32::try_from(served.len()).expect("fewer than 4 billion shards");
    let server =
        Server::start(served, Duration::from_millis(latency_ms)).expect("the server starts");
    let mut latency = group(&mut criterion, LATENCY_GROUP);
    for &in_flight in IN_FLIGHT {
        latency.bench_function(workshop_benches::id(&latency_id(in_flight)), |b| {
            b.iter(|| {
                fetch_all(server.addr(), count, in_flight).expect("the shards arrive").summary()
            })
        });
    }
    latency.finish();
    criterion.final_summary();
}
