//! What the vectorize lesson's benchmarks measure, and the targets its figures are judged by.
//!
//! `benches/benches/vectorize*.rs` and `cargo xtask bench` both read these, so no size, id or
//! target is typed twice.

use ladder::bench::Id;
use serde::{Deserialize, Serialize};

use crate::elementwise::Version;
use crate::ladder::{BLOCKED, FLAT, LADDER, Rung, TRANSPOSED};

/// Every rung at every size, one thread.
pub const MATMUL_GROUP: &str = "vectorize-matmul";
/// The parallel rungs by thread count, at the target size.
pub const THREADS_GROUP: &str = "vectorize-threads";
/// The elementwise operations, in and out of cache.
pub const ELEMENTWISE_GROUP: &str = "vectorize-elementwise";

/// The wall-time id of `rung` on two `n × n` matrices, one thread.
pub fn matmul_id(rung: &Rung, n: usize) -> Id {
    Id::new(MATMUL_GROUP, rung.name).at(n)
}

/// The wall-time id of `rung` on `threads` threads, at the target size.
pub fn threads_id(rung: &Rung, threads: usize) -> Id {
    Id::new(THREADS_GROUP, rung.name).at(threads)
}

/// The wall-time id of an elementwise version on vectors of `len`.
pub fn elementwise_id(version: &Version, len: usize) -> Id {
    Id::new(ELEMENTWISE_GROUP, version.name).at(len)
}

/// What one run of `cargo xtask bench` measures; the benchmark is handed it whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The matrix sizes: square matrices, two of each.
    pub sizes: Vec<usize>,
    /// A rung predicted to take longer than this per run, in seconds, is not run at the next
    /// size.
    pub longest_run_s: f64,
}

/// The plan of a full run (the seed's 100, then up to 2048) or of a quick one.
pub fn plan(quick: bool) -> Plan {
    match quick {
        false => Plan { sizes: vec![100, 256, 512, 1024, 2048], longest_run_s: 1.5 },
        true => Plan { sizes: vec![64, 100], longest_run_s: 0.3 },
    }
}

/// The size the targets are stated at.
pub const TARGET_SIZE: usize = 1024;

impl Plan {
    /// The size the targets are stated at: [`TARGET_SIZE`], or the largest measured if smaller.
    pub fn target_size(&self) -> usize {
        self.sizes.iter().copied().filter(|&n| n <= TARGET_SIZE).max().unwrap_or(TARGET_SIZE)
    }
}

/// The thread counts a parallel rung is measured on: one, every core, twice that.
pub fn thread_counts() -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut counts = vec![1, cores, 2 * cores];
    counts.dedup();
    counts
}

/// Vector lengths of the elementwise benchmark: in the level-1 and level-2 caches (32 KiB per
/// vector), and far beyond every cache.
pub const VECTOR_LENGTHS: [usize; 2] = [4096, 1 << 24];

/// The shape whose error every rung reports: sizes that are multiples of no block.
pub const ERROR_SHAPE: (usize, usize, usize) = (500, 500, 500);

/// The matrix size of the instruction counts: every rung's steady state, small enough for
/// valgrind to be quick.
pub const INSTRUCTION_SIZE: usize = 96;

/// The rungs whose instructions are counted: every single-threaded rung of ours (callgrind runs
/// threads one at a time, and OpenBLAS's count says nothing about the lesson's code).
pub fn counted_rungs() -> impl Iterator<Item = &'static Rung> {
    LADDER.iter().filter(|r| !r.parallel)
}

/// One innermost loop the chapter shows as compiled.
#[derive(Debug)]
pub struct Loop {
    /// The function that holds it, as `objdump -C` names it.
    pub symbol: &'static str,
    /// Which rung it is, for the record.
    pub title: &'static str,
    /// The anchor of its section in the tables' Markdown.
    pub anchor: &'static str,
}

/// The innermost loops of three rungs.
pub static LOOPS: &[Loop] = &[
    Loop { symbol: "lesson_vectorize::ladder::flat", title: "flat", anchor: "asm-flat" },
    Loop {
        symbol: "lesson_vectorize::ladder::transposed",
        title: "transposed",
        anchor: "asm-transposed",
    },
    Loop {
        symbol: "lesson_vectorize::arch::avx512::band",
        title: "blocked, AVX-512 kernel",
        anchor: "asm-blocked",
    },
];

/// The seed's triple loop in pure Python, timed for context.
pub const PYTHON_SCRIPT: &str = include_str!("../python/triple_loop.py");
/// The size the Python loop is timed at: the seed's.
pub const PYTHON_SIZE: usize = 100;

/// The rungs written by hand, one thread: the best of them is compared with the library.
pub static HAND_WRITTEN: &[&Rung] = &[&FLAT, &TRANSPOSED, &BLOCKED];

/// The library's target: its share of the measured FMA peak.
pub const BLAS_SHARE_TARGET: f64 = 0.65;
/// The best hand-written rung's target: its share of the library, one thread.
pub const HAND_VS_BLAS_TARGET: f64 = 0.60;
/// The parallel blocked rung's target: on every core against one thread.
pub const RAYON_TARGET: f64 = 1.8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plans_have_a_target_size_and_the_loops_are_named_once() {
        assert_eq!(plan(false).target_size(), TARGET_SIZE);
        assert_eq!(plan(true).target_size(), 100);
        for (i, a) in LOOPS.iter().enumerate() {
            assert!(LOOPS[..i].iter().all(|b| b.anchor != a.anchor && b.symbol != a.symbol));
        }
        assert!(counted_rungs().all(|r| r.role != ladder::Role::Library));
    }
}
