//! The record of one measured run of this lesson: what `cargo xtask bench` writes as
//! `vectorize.json` and `cargo xtask figures` draws the tables and plots from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

/// Everything the chapter's figures are made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and when it was measured.
    pub machine: Machine,
    /// True for a `--quick` run.
    pub quick: bool,
    /// The widest instructions the kernels and the peak used.
    pub isa: String,
    /// One core's fused multiply-add peak, FLOP/s.
    pub peak_flops: f64,
    /// One core's bandwidth reading memory, bytes/s.
    pub read_bytes_per_s: f64,
    /// One core's bandwidth reading two arrays and writing one (`a·x + y`), bytes/s.
    pub update_bytes_per_s: f64,
    /// Whether the BLAS rung was built (OpenBLAS found).
    pub blas: bool,
    /// The size the targets are stated at.
    pub target_size: usize,
    /// A rung predicted to take longer than this per run was not run at the next size.
    pub longest_run_s: f64,
    /// Every rung at every size, one thread.
    pub matmul: Vec<MatmulPoint>,
    /// The parallel rungs by thread count.
    pub threads: Vec<ThreadPoint>,
    /// The elementwise operations.
    pub elementwise: Vec<ElementPoint>,
    /// Every rung's error on the error shape.
    pub errors: Vec<ErrorPoint>,
    /// The size of the instruction counts.
    pub instruction_size: usize,
    /// Instructions per floating-point operation (callgrind), where valgrind was there.
    pub instructions: Vec<InstructionPoint>,
    /// The seed's pure-Python loop, if Python was there.
    pub python: Option<PythonPoint>,
    /// The innermost loops of three rungs, as compiled.
    pub assembly: Vec<AsmLoop>,
}

/// One innermost loop in the binary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AsmLoop {
    /// Which rung's loop (see [`crate::bench::LOOPS`]).
    pub rung: String,
    /// Its instructions, one per line.
    pub instructions: Vec<String>,
}

/// One rung at one size, one thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatmulPoint {
    /// The rung.
    pub rung: String,
    /// The matrices' size.
    pub n: usize,
    /// Criterion's median; `None` when predicted to take too long.
    pub median_s: Option<f64>,
    /// 2n³ operations over the median.
    pub gflops: Option<f64>,
}

/// A parallel rung at the target size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadPoint {
    /// The rung.
    pub rung: String,
    /// The matrices' size.
    pub n: usize,
    /// Threads it was given.
    pub threads: usize,
    /// Criterion's median.
    pub median_s: f64,
    /// 2n³ operations over the median.
    pub gflops: f64,
    /// Its own one-thread time over this one.
    pub speedup: f64,
}

/// One elementwise operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElementPoint {
    /// The version (see [`crate::elementwise::VERSIONS`]).
    pub version: String,
    /// Vector length.
    pub len: usize,
    /// Criterion's median.
    pub median_s: f64,
    /// Operations over the median.
    pub gflops: f64,
    /// Bytes read and written per second.
    pub bytes_per_s: f64,
}

/// A rung's relative error on the error shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorPoint {
    /// The rung.
    pub rung: String,
    /// ‖c − reference‖ / (‖a‖ ‖b‖).
    pub rel_error: f64,
    /// The bound it must stay within.
    pub bound: f64,
}

/// Instructions per operation of one rung.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstructionPoint {
    /// The rung.
    pub rung: String,
    /// Instructions executed over floating-point operations.
    pub per_flop: f64,
}

/// The seed's loop in CPython.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PythonPoint {
    /// The matrices' size.
    pub n: usize,
    /// Best of three, seconds.
    pub seconds: f64,
    /// 2n³ operations over that.
    pub gflops: f64,
}
