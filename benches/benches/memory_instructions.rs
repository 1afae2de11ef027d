//! Instructions each single-threaded memory rung executes on a small fixed file, counted by
//! callgrind: unlike wall time, the count repeats exactly on a busy machine.

// gungraun's macros generate public items (modules, constants) that cannot carry docs.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use gungraun::{library_benchmark, library_benchmark_group, main};
use lesson_memory::{Options, Totals, strategy};
use workshop_benches::small_file;

fn run(name: &str, path: PathBuf) -> Totals {
    let rung = strategy(name).expect("a registered rung");
    (rung.run)(black_box(&path), &Options::default()).expect("the benchmark's data is valid")
}

#[library_benchmark(setup = small_file)]
#[bench::file()]
fn load_all(path: PathBuf) -> Totals {
    run("load-all", path)
}

#[library_benchmark(setup = small_file)]
#[bench::file()]
fn chunked(path: PathBuf) -> Totals {
    run("chunked", path)
}

#[library_benchmark(setup = small_file)]
#[bench::file()]
fn stream(path: PathBuf) -> Totals {
    run("stream", path)
}

#[library_benchmark(setup = small_file)]
#[bench::file()]
fn mmap(path: PathBuf) -> Totals {
    run("mmap", path)
}

#[library_benchmark(setup = small_file)]
#[bench::file()]
fn swar(path: PathBuf) -> Totals {
    run("swar", path)
}

library_benchmark_group!(name = memory; benchmarks = load_all, chunked, stream, mmap, swar);
main!(library_benchmark_groups = memory);
