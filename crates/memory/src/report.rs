//! The record of one measured run of this lesson: what `cargo xtask bench` writes as
//! `memory.json` and `cargo xtask figures` draws the tables and plots from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

/// Everything the lesson's figures are made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and when it was measured.
    pub machine: Machine,
    /// True for a `--quick` run (tiny data: do not compare with full runs).
    pub quick: bool,
    /// The main file.
    pub dataset: Dataset,
    /// One entry per rung, in ladder order.
    pub rungs: Vec<RungFigures>,
    /// The `mmap` rung's time in stages.
    pub anatomy: Vec<StageTime>,
    /// pandas on the same file, if it was installed.
    pub pandas: Vec<Tool>,
    /// Naive float sums in several orders (the drift lesson).
    pub drift: Vec<DriftRow>,
    /// Peak heap of every rung at three file sizes.
    pub heap: Vec<HeapPoint>,
    /// Why a part was skipped, if one was.
    pub notes: Vec<String>,
}

/// The file measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Its path, relative to the workspace.
    pub path: String,
    /// Data rows.
    pub rows: u64,
    /// Bytes.
    pub bytes: u64,
    /// The exact total every rung returned.
    pub exact_total: String,
    /// That total rounded once.
    pub total: f64,
}

/// One rung's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RungFigures {
    /// Its name.
    pub name: String,
    /// What it changes.
    pub summary: String,
    /// Median wall time in seconds (criterion, ten runs).
    pub median_s: f64,
    /// The fastest of those runs.
    pub min_s: f64,
    /// Slowest run.
    pub max_s: f64,
    /// Bytes per second at the median.
    pub bytes_per_s: f64,
    /// Baseline's median divided by this one's.
    pub speedup: f64,
    /// Peak heap on the main file.
    pub peak_heap_bytes: u64,
    /// Instructions per row (callgrind), if measured.
    pub instructions_per_row: Option<f64>,
    /// True when the lesson claims its heap does not grow with the file.
    pub streaming: bool,
}

/// One stage of the `mmap` rung (see [`crate::anatomy`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    /// Its name.
    pub name: String,
    /// What it does beyond the stage before.
    pub adds: String,
    /// Median wall time in seconds.
    pub median_s: f64,
}

/// A tool a Python user would pick, timed on the same file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// What was run.
    pub name: String,
    /// Wall time in seconds (best of three).
    pub seconds: f64,
    /// Peak resident memory of the Python process, bytes.
    pub peak_rss_bytes: u64,
    /// The sum it printed.
    pub total: f64,
}

/// One naive float sum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftRow {
    /// The order of the additions.
    pub order: String,
    /// The sum.
    pub total: f64,
    /// Distance from the exact total, in units in the last place.
    pub ulps: i64,
}

/// Peak heap of one rung on one file size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeapPoint {
    /// The rung.
    pub rung: String,
    /// Rows in the file.
    pub rows: u64,
    /// Bytes in the file.
    pub file_bytes: u64,
    /// Peak heap.
    pub peak_heap_bytes: u64,
}
