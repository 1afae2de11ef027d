//! Wall time of every memory rung on the file `cargo xtask bench` names, with byte
//! throughput, and of the stages of the fastest single-threaded rung.

use std::hint::black_box;

use criterion::{Criterion, SamplingMode, Throughput};
use lesson_memory::anatomy::{count_lines, parse_without_summing, touch_pages};
use lesson_memory::{LADDER, Options};
use workshop_benches::data_file;

fn main() {
    let path = match data_file() {
        Ok(path) => path,
        Err(message) => {
            eprintln!("memory benchmark skipped: {message}");
            return;
        }
    };
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("memory");
    group.throughput(Throughput::Bytes(bytes));
    // Each run reads the whole file (a second or more for the slow rungs): flat sampling
    // with the minimum of ten samples keeps the full benchmark to a couple of minutes.
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    let options = Options::default();
    for strategy in LADDER {
        group.bench_function(strategy.name, |b| {
            b.iter(|| {
                (strategy.run)(black_box(&path), &options).expect("the benchmark's data is valid")
            })
        });
    }
    group.finish();

    // Where the time goes: the mmap rung's work in stages, each doing a little more.
    let mut anatomy = criterion.benchmark_group("memory-anatomy");
    anatomy.throughput(Throughput::Bytes(bytes));
    anatomy.sampling_mode(SamplingMode::Flat).sample_size(10);
    anatomy.bench_function("touch-pages", |b| b.iter(|| touch_pages(black_box(&path))));
    anatomy.bench_function("find-lines", |b| b.iter(|| count_lines(black_box(&path))));
    anatomy.bench_function("parse", |b| b.iter(|| parse_without_summing(black_box(&path))));
    anatomy.finish();
    criterion.final_summary();
}
