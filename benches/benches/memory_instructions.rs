//! Instructions each single-threaded memory rung executes on a small fixed file, counted by
//! callgrind: unlike wall time, the count repeats exactly on a busy machine.

// gungraun's macros generate public items (modules, constants) that cannot carry docs.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use gungraun::{library_benchmark, library_benchmark_group, main};
use lesson_memory::bench::counted_rungs;
use lesson_memory::ladder::Rung;
use lesson_memory::{Options, Totals};
use workshop_benches::small_file;

/// Outside the measurement: the rung to run, and the file, written once.
fn file_for(rung: &'static Rung) -> (&'static Rung, PathBuf) {
    (rung, small_file())
}

// One benchmark per counted rung, `rungs_0`, `rungs_1`, … in the lesson's order: `cargo xtask
// bench` maps each back with the same `counted_rungs()`.
#[library_benchmark]
#[benches::rungs(iter = counted_rungs(), setup = file_for)]
fn rung((rung, path): (&'static Rung, PathBuf)) -> Totals {
    (rung.run)(black_box(&path), &Options::default()).expect("the benchmark's data is valid")
}

library_benchmark_group!(name = memory; benchmarks = rung);
main!(library_benchmark_groups = memory);
