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
    /// The memory lesson's exact sum on clusters of several sizes: the cost model's runs.
    pub sums: Sums,
    /// The sum's faults, each made to happen on two processes.
    pub faults: Vec<FaultRun>,
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

/// The summing cluster on one dataset at [`crate::bench::SUM_PROCESSES`] processes, and on a
/// dataset of almost nothing at the same sizes: what a cost model of the cluster is fitted to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sums {
    /// The dataset's runs, one per size (the median of a few).
    pub runs: Vec<SumRun>,
    /// The runs on almost no data: the fixed cost at each size.
    pub empty: Vec<SumRun>,
    /// Two processes on the dataset with every link limited, where the machine allows
    /// namespaces.
    pub limited: Option<SumRun>,
}

impl Sums {
    fn at(runs: &[SumRun], processes: usize) -> Option<&SumRun> {
        runs.iter().find(|r| r.processes == processes)
    }

    /// The fixed cost of a cluster of `processes`: its whole run on almost no data.
    pub fn fixed(&self, processes: usize) -> Option<f64> {
        Sums::at(&self.empty, processes).map(|r| r.seconds)
    }

    /// Seconds per byte of one worker: one process's time beyond its fixed cost, per byte.
    pub fn per_byte(&self) -> Option<f64> {
        let one = Sums::at(&self.runs, 1)?;
        Some(((one.seconds - self.fixed(1)?) / one.bytes as f64).max(0.0))
    }

    /// The model's time for `processes` processes of one worker each, `cores` cores shared
    /// among them: the fixed cost, and the bytes at one worker's pace spread over the
    /// processes that can run at once.
    pub fn predicted(&self, processes: usize, cores: usize) -> Option<f64> {
        let bytes = Sums::at(&self.runs, 1)?.bytes as f64;
        let at_once = processes.min(cores.max(1)) as f64;
        Some(self.fixed(processes)? + bytes * self.per_byte()? / at_once)
    }

    /// The dataset size, in bytes, beyond which `processes` machines (one worker each) finish
    /// before one: where the time the others save, `bytes × per_byte × (1 − 1/n)`, covers what
    /// the larger cluster's fixed cost adds.
    pub fn break_even_bytes(&self, processes: usize) -> Option<f64> {
        let n = processes as f64;
        let extra = (self.fixed(processes)? - self.fixed(1)?).max(0.0);
        let saved_per_byte = self.per_byte()? * (1.0 - 1.0 / n);
        (saved_per_byte > 0.0).then(|| extra / saved_per_byte)
    }

    /// The limited run's predicted time, an upper bound: the unlimited run's, plus the time its
    /// busiest host takes to send its bytes at the limited rate (each host's link is limited on
    /// its own, and they send at once). In the run, part of those bytes leave during the work.
    pub fn predicted_limited(&self, rate_bits: u64) -> Option<f64> {
        let limited = self.limited.as_ref()?;
        let free = Sums::at(&self.runs, limited.processes)?;
        let busiest = free.sent_bytes.as_ref()?.iter().copied().max()?;
        Some(free.seconds + busiest as f64 * 8.0 / rate_bits as f64)
    }
}

/// One summing run on a large dataset, recorded by `cargo xtask distributed --record`: the
/// book's evidence that the cluster sums the notebook's "billions" in bounded memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScaleRun {
    /// Where and when it was measured.
    pub machine: Machine,
    /// The command that made it.
    pub command: String,
    /// Its runs, one after another.
    pub runs: Vec<SumRun>,
    /// The exact overall total, the cluster's and the manifest's (the run fails unless they
    /// are equal, every user's included).
    pub total: String,
}

/// A fault of the summing cluster made to happen, and what process 0 did about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRun {
    /// What went wrong.
    pub fault: String,
    /// Whether process 0 succeeded (a late peer is waited for).
    pub succeeded: bool,
    /// Whether process 0 printed totals (only a run that succeeded may).
    pub totals: bool,
    /// What process 0 said on its standard error: its waiting lines and its error.
    pub said: Vec<String>,
    /// How long after the start (or, for a peer killed, after the kill) process 0 ended.
    pub seconds: f64,
    /// Whether `seconds` counts from the kill.
    pub since_kill: bool,
}

/// One run of the summing cluster on a dataset, its totals checked against the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SumRun {
    /// Processes started.
    pub processes: usize,
    /// Worker threads per process.
    pub workers: usize,
    /// `loopback`, or `namespaces`: each process in a network namespace of its own.
    pub network: String,
    /// The rate every link was limited to (`tc`'s units), if any.
    pub rate: Option<String>,
    /// The dataset's rows.
    pub rows: u64,
    /// The dataset's bytes.
    pub bytes: u64,
    /// Wall time of process 0, connecting included.
    pub seconds: f64,
    /// What each process sent the others, TCP/IP headers included (namespaces only: the
    /// kernel counts each host's interface).
    pub sent_bytes: Option<Vec<u64>>,
    /// Every process's peak resident memory, the file pages it had mapped included.
    pub peak_resident_bytes: Vec<u64>,
    /// What the whole machine read from its disks during the run.
    pub paged_in_bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(processes: usize, bytes: u64, seconds: f64) -> SumRun {
        SumRun {
            processes,
            workers: 1,
            network: "namespaces".into(),
            rate: None,
            rows: 0,
            bytes,
            seconds,
            sent_bytes: Some(vec![25_000, 125_000]),
            peak_resident_bytes: vec![],
            paged_in_bytes: 0,
        }
    }

    #[test]
    fn the_cost_model_spreads_the_work_over_the_cores_and_adds_the_fixed_cost() {
        let gb = 1_000_000_000;
        let sums = Sums {
            runs: vec![run(1, gb, 2.01), run(2, gb, 1.02), run(4, gb, 1.04)],
            empty: vec![run(1, 0, 0.01), run(2, 0, 0.02), run(4, 0, 0.04)],
            limited: Some(run(2, gb, 2.1)),
        };
        let close = |a: Option<f64>, b: f64| (a.expect("a value") / b - 1.0).abs() < 1e-9;
        assert!(close(sums.per_byte(), 2e-9));
        assert!(close(sums.predicted(2, 2), 0.02 + 1.0));
        assert!(close(sums.predicted(4, 2), 0.04 + 1.0), "two cores: four processes, two at once");
        assert!(close(sums.predicted(4, 8), 0.04 + 0.5));
        // Two machines save half of 2 ns a byte and pay 10 ms more: 10 MB.
        assert!(close(sums.break_even_bytes(2).map(|b| b / 1e7), 1.0));
        // The busiest host's 125 000 bytes at a megabit a second: one more second.
        assert!(close(sums.predicted_limited(1_000_000), 1.02 + 1.0));
        let none = Sums { empty: vec![], ..sums };
        assert_eq!(none.predicted(2, 2), None);
    }
}
