//! Instructions each single-threaded memory rung executes on a small fixed file, counted by
//! callgrind: unlike wall time, the count repeats exactly on a busy machine.

// gungraun's macros generate public items (modules, constants) that cannot carry docs.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use gungraun::{library_benchmark, library_benchmark_group, main};
use lesson_memory::{Options, Totals, strategy};
use workshop_benches::small_file;

/// Outside the measurement: the rung to run, and the file, written once.
fn file_for(rung: &'static str) -> (&'static str, PathBuf) {
    (rung, small_file())
}

// Each benchmark's id is its rung's name with `_` for `-`; `cargo xtask bench` maps it back.
#[library_benchmark]
#[bench::load_all(args = ("load-all"), setup = file_for)]
#[bench::chunked(args = ("chunked"), setup = file_for)]
#[bench::stream(args = ("stream"), setup = file_for)]
#[bench::mmap(args = ("mmap"), setup = file_for)]
#[bench::swar(args = ("swar"), setup = file_for)]
fn rung((name, path): (&'static str, PathBuf)) -> Totals {
    let rung = strategy(name).expect("a registered rung");
    (rung.run)(black_box(&path), &Options::default()).expect("the benchmark's data is valid")
}

library_benchmark_group!(name = memory; benchmarks = rung);
main!(library_benchmark_groups = memory);
