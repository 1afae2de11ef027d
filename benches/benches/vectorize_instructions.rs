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
use lesson_vectorize::ladder::strategy;
use workshop_benches::INSTRUCTION_SIZE;

/// Outside the measurement: the rung, the two matrices and the output.
fn matrices(rung: &'static str) -> (&'static str, Matrix, Matrix, Matrix) {
    let n = INSTRUCTION_SIZE;
    (rung, Matrix::random(n, n, 1), Matrix::random(n, n, 2), Matrix::zeros(n, n))
}

// Each benchmark's id is its rung's name with `_` for `-`; `cargo xtask bench` maps it back.
#[library_benchmark]
#[bench::naive(args = ("naive"), setup = matrices)]
#[bench::flat(args = ("flat"), setup = matrices)]
#[bench::transposed(args = ("transposed"), setup = matrices)]
#[bench::blocked(args = ("blocked"), setup = matrices)]
#[bench::ndarray(args = ("ndarray"), setup = matrices)]
fn rung((name, a, b, mut c): (&'static str, Matrix, Matrix, Matrix)) -> Matrix {
    let rung = strategy(name).expect("a registered rung");
    (rung.run)(black_box(&a), black_box(&b), &mut c, NonZeroUsize::MIN).expect("valid shapes");
    c
}

library_benchmark_group!(name = vectorize; benchmarks = rung);
main!(library_benchmark_groups = vectorize);
