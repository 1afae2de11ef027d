//! The record of one measured run of this lesson: what `cargo xtask bench` writes as
//! `compute.json` and `cargo xtask figures` draws the tables and plots from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

/// Everything the lesson's figures are made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and when it was measured.
    pub machine: Machine,
    /// True for a `--quick` run.
    pub quick: bool,
    /// How long each waiting task waited, in milliseconds.
    pub wait_ms: u64,
    /// Every waiting rung at every task count.
    pub waiting: Vec<WaitPoint>,
    /// Samples of the Monte-Carlo job.
    pub pi_samples: u64,
    /// Every CPU-bound rung at every thread count.
    pub pi: Vec<PiPoint>,
    /// The job on a timely cluster on loopback.
    pub cluster: ClusterRun,
    /// The same cluster on a job of one sample: what forming it, exchanging and stopping cost,
    /// with no work to hide it.
    pub cluster_empty: ClusterRun,
}

impl Report {
    /// Amdahl's serial fraction: `speedup(n) = 1 / (s + (1 − s) / n)` solved for `s`, with the
    /// speedup of the rayon rung on `cores` threads over `sequential`, the plain one-thread
    /// loop (not rayon on one thread, whose own overhead would flatter it). `None` without
    /// both, or on one core.
    pub fn serial_fraction(&self, cores: usize) -> Option<f64> {
        let rayon =
            self.pi.iter().find(|p| p.rung == crate::pi::RAYON.name && p.threads == cores)?;
        let n = cores as f64;
        (cores > 1).then(|| ((n / rayon.speedup - 1.0) / (n - 1.0)).clamp(0.0, 1.0))
    }
}

/// One measured (or skipped) waiting run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitPoint {
    /// The rung.
    pub rung: String,
    /// Tasks run.
    pub tasks: usize,
    /// What the rung's concurrency predicts.
    pub predicted_s: f64,
    /// `None` when the run was predicted to take too long and was skipped.
    pub median_s: Option<f64>,
}

/// One measured Monte-Carlo run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PiPoint {
    /// The rung.
    pub rung: String,
    /// Threads it was given.
    pub threads: usize,
    /// Criterion's median.
    pub median_s: f64,
    /// The baseline's median over this one.
    pub speedup: f64,
    /// Speedup over threads.
    pub efficiency: f64,
}

/// What a local cluster run gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterRun {
    /// Processes started.
    pub processes: usize,
    /// Worker threads per process.
    pub workers: usize,
    /// Samples thrown.
    pub samples: u64,
    /// Hits counted by the cluster.
    pub hits: u64,
    /// Hits counted by one thread: must be equal.
    pub single_hits: u64,
    /// Wall time of process 0, connecting included.
    pub seconds: f64,
}
