//! Instructions each single-threaded matrix-multiply rung executes for one product of two
//! small matrices, counted by callgrind: divided by the operations, instructions per flop, the
//! most direct measure of how much work each vector instruction does.
//!
//! valgrind runs the program on a virtual processor without AVX-512, so the blocked rung runs
//! its AVX2 kernel here (four doubles per instruction, not eight).

// gungraun's macros generate public items (modules, constants) that cannot carry docs.
#![allow(missing_docs)]

use std::hint::black_box;
use std::num::NonZeroUsize;

use gungraun::{library_benchmark, library_benchmark_group, main};
use lesson_vectorize::Matrix;
use lesson_vectorize::bench::{INSTRUCTION_SIZE, counted_rungs};
use lesson_vectorize::ladder::Rung;

/// Outside the measurement: the rung, the two matrices and the output.
fn matrices(rung: &'static Rung) -> (&'static Rung, Matrix, Matrix, Matrix) {
    let n = INSTRUCTION_SIZE;
    (rung, Matrix::random(n, n, 1), Matrix::random(n, n, 2), Matrix::zeros(n, n))
}

// One benchmark per counted rung, `rungs_0`, `rungs_1`, … in the lesson's order: `cargo xtask
// bench` maps each back with the same `counted_rungs()`.
#[library_benchmark]
#[benches::rungs(iter = counted_rungs(), setup = matrices)]
fn rung((rung, a, b, mut c): (&'static Rung, Matrix, Matrix, Matrix)) -> Matrix {
    (rung.run)(black_box(&a), black_box(&b), &mut c, NonZeroUsize::MIN).expect("valid shapes");
    c
}

library_benchmark_group!(name = vectorize; benchmarks = rung);
main!(library_benchmark_groups = vectorize);
