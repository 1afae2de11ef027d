//! What the memory lesson's benchmarks measure, and the targets its figures are judged by.
//!
//! `benches/benches/memory*.rs` and `cargo xtask bench` both read these, so no size, id or
//! target is typed twice.

use std::path::PathBuf;

use ladder::bench::Id;
use serde::{Deserialize, Serialize};

use crate::anatomy::Stage;
use crate::ladder::{LADDER, Rung};

/// The criterion group of the rungs' wall times, one function per rung.
pub const GROUP: &str = "memory";
/// The criterion group of the anatomy's stages, one function per stage.
pub const ANATOMY_GROUP: &str = "memory-anatomy";

/// The wall-time id of `rung`.
pub fn id(rung: &Rung) -> Id {
    Id::new(GROUP, rung.name)
}

/// The wall-time id of `stage`.
pub fn stage_id(stage: &Stage) -> Id {
    Id::new(ANATOMY_GROUP, stage.name)
}

/// What one run of `cargo xtask bench` measures: files of these sizes, made by
/// `cargo xtask data`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Plan {
    /// Rows of the file criterion and pandas read.
    pub main_rows: u64,
    /// Rows of the files whose peak heap is measured: three sizes, ten times apart, the main
    /// file's among them.
    pub heap_rows: [u64; 3],
}

/// The plan of a full run, or of a quick one on tiny files (which only shows that the pipeline
/// works).
pub fn plan(quick: bool) -> Plan {
    match quick {
        false => Plan { main_rows: 10_000_000, heap_rows: [1_000_000, 10_000_000, 100_000_000] },
        true => Plan { main_rows: 100_000, heap_rows: [10_000, 100_000, 1_000_000] },
    }
}

/// What the wall-time benchmark is handed: the file to read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    /// A transactions file.
    pub file: PathBuf,
}

/// Rows in the small file the instruction counts parse: enough that per-row work dominates the
/// fixed cost of opening the file, small enough for valgrind to be quick.
pub const INSTRUCTION_ROWS: u64 = 20_000;

/// The rungs whose instructions are counted: every single-threaded one (callgrind runs
/// threads one at a time, so a parallel rung's count says nothing new).
pub fn counted_rungs() -> impl Iterator<Item = &'static Rung> {
    LADDER.iter().filter(|r| !r.parallel)
}

/// The seed's two pandas programs, timed on the same file for comparison: the script runs the
/// one its second argument names, one of [`PANDAS_PROGRAMS`].
pub const PANDAS_SCRIPT: &str = include_str!("../python/pandas_sum.py");
/// `full`: `read_csv()` then `.sum()`; `chunked`: the seed's loop over chunks.
pub const PANDAS_PROGRAMS: [&str; 2] = ["full", "chunked"];

/// The fastest rung's target on the full file, in bytes per second.
pub const FASTEST_TARGET_BYTES_PER_S: f64 = 1.5e9;
/// The most heap a [`crate::ladder::Heap::Bounded`] rung may hold, at any file size.
pub const BOUNDED_HEAP_LIMIT: u64 = 16 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plans_measure_the_main_file_among_the_heap_sizes() {
        for plan in [plan(false), plan(true)] {
            assert!(plan.heap_rows.contains(&plan.main_rows), "{plan:?}");
            assert!(plan.heap_rows.windows(2).all(|w| w[1] == 10 * w[0]), "{plan:?}");
        }
    }
}
