//! The record of one measured run of this lesson: what `gpu bench --json` prints
//! ([`Measured`]) and `cargo xtask bench` writes as `gpu.json`, with the machine it ran on
//! ([`Report`]), for `cargo xtask figures` to draw the tables from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

use crate::ceilings::Ceilings;
use crate::device::Facts;
use crate::shader::Precision;

/// Everything the chapter's figures are made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and when it was measured (the host of the GPU).
    pub machine: Machine,
    /// True for a `--quick` run.
    pub quick: bool,
    /// What was measured.
    #[serde(flatten)]
    pub measured: Measured,
}

/// What the `gpu` binary measures itself: the GPU's timings, kernel and end to end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// The device.
    pub device: Facts,
    /// Its ceilings.
    pub ceilings: Ceilings,
    /// Runs of each size: the median is reported.
    pub repeats: usize,
    /// A rung predicted to take longer than this per run was not run at that size.
    pub longest_run_s: f64,
    /// Every matrix-multiply rung at every size, in each precision.
    pub matmul: Vec<MatmulPoint>,
    /// Every matrix-multiply rung's error at [`crate::bench::ERROR_SIDE`].
    pub errors: Vec<ErrorPoint>,
    /// Every exact-sum rung at every number of values.
    pub sums: Vec<SumPoint>,
    /// The processor adding the same values on one core, exactly, for the crossover.
    pub host_sums: Vec<HostSumPoint>,
    /// The processor's own ceilings, measured in the same run, for the roofline.
    pub host: HostCeilings,
    /// The vectorize lesson's fastest rungs on the processor, at the same sizes, for the
    /// crossover.
    pub host_matmul: Vec<HostMatmulPoint>,
}

/// The processor beside the GPU, as the vectorize lesson measures it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostCeilings {
    /// Its cores: the threads its parallel rungs ran on.
    pub cores: usize,
    /// One core's `f64` FMA peak, FLOP/s.
    pub fma_core_flops_per_s: f64,
    /// One core reading memory, bytes per second.
    pub read_bytes_per_s: f64,
}

impl HostCeilings {
    /// The most the whole processor can do: every core at one core's peak.
    pub fn fma_flops_per_s(&self) -> f64 {
        self.cores as f64 * self.fma_core_flops_per_s
    }
}

/// One of the vectorize lesson's rungs on the processor at one size, in `f64`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostMatmulPoint {
    /// The rung.
    pub rung: String,
    /// The matrices' side.
    pub n: usize,
    /// The median time of the product, on every core; `None` where not run.
    pub seconds: Option<f64>,
}

/// One matrix-multiply rung at one size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatmulPoint {
    /// The rung.
    pub rung: String,
    /// Its precision.
    pub precision: Precision,
    /// The matrices' side.
    pub n: usize,
    /// The median of the whole time: upload, kernel and download; `None` where not run.
    pub seconds: Option<f64>,
    /// The median of the kernel's own time, where the GPU can tell.
    pub kernel_seconds: Option<f64>,
}

/// One matrix-multiply rung's error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorPoint {
    /// The rung.
    pub rung: String,
    /// Its precision.
    pub precision: Precision,
    /// ‖c − reference‖ / (‖a‖ ‖b‖).
    pub rel_error: f64,
    /// The most it may be.
    pub bound: f64,
}

/// One exact-sum rung on one number of values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SumPoint {
    /// The rung.
    pub rung: String,
    /// Values added.
    pub values: usize,
    /// The median of the whole time: upload, kernel, download and the host's last additions;
    /// `None` where not run.
    pub seconds: Option<f64>,
    /// The median of the kernels' own time, where the GPU can tell.
    pub kernel_seconds: Option<f64>,
}

/// The processor adding a column exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostSumPoint {
    /// Values added.
    pub values: usize,
    /// The median time, one core.
    pub seconds: f64,
    /// How long parsing those rows from CSV takes on one core (the memory lesson's parser),
    /// for scale.
    pub parse_seconds: f64,
    /// How long the memory lesson's `parallel` rung takes for the whole job, parsing and
    /// adding, on every core, from a file in the page cache.
    pub parallel_seconds: f64,
}
