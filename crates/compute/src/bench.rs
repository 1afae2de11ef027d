//! What the compute lesson's benchmarks measure, and the targets its figures are judged by.
//!
//! `benches/benches/compute.rs` and `cargo xtask bench` both read these, so no count, id or
//! target is typed twice.

use std::num::NonZeroUsize;
use std::time::Duration;

use ladder::bench::Id;
use serde::{Deserialize, Serialize};

use crate::pi::{self, Job};
use crate::waiting;

/// The criterion group of the waiting ladder: a function per rung, a parameter per task count.
pub const WAIT_GROUP: &str = "compute-wait";
/// The criterion group of the CPU-bound ladder: a function per rung, a parameter per thread
/// count.
pub const PI_GROUP: &str = "compute-pi";

/// How long each waiting task waits in the benchmarks (the seed waits a second; ten
/// milliseconds keeps the benchmark short and the lesson the same).
pub const WAIT_MS: u64 = 10;
/// Task counts of the waiting benchmark: the seed's three, then a hundred and ten thousand.
pub const WAIT_TASKS: &[usize] = &[3, 100, 10_000];
/// The Monte-Carlo job of the benchmark: about a tenth of a second on one core.
pub const PI_JOB: Job = Job { samples: 20_000_000, seed: 42 };

/// The wall-time id of a waiting rung at `tasks` tasks.
pub fn wait_id(rung: &waiting::Rung, tasks: usize) -> Id {
    Id::new(WAIT_GROUP, rung.name).at(tasks)
}

/// The wall-time id of a CPU-bound rung on `threads` threads.
pub fn pi_id(rung: &pi::Rung, threads: usize) -> Id {
    Id::new(PI_GROUP, rung.name).at(threads)
}

/// The cores this process may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// The thread counts a CPU-bound rung is measured on: one for a rung that uses one; else 1, 2,
/// 3, 4 and 8, this machine's cores and twice that, so the table always has a point at every
/// core and points beyond.
pub fn pi_threads(rung: &pi::Rung) -> Vec<usize> {
    if !rung.parallel {
        return vec![1];
    }
    let mut counts = vec![1, 2, 3, 4, 8, cores(), 2 * cores()];
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// What one run of `cargo xtask bench` measures; the benchmark is handed it whole.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Plan {
    /// Rungs predicted to take longer than this per run, in seconds, are not measured.
    pub longest_run_s: f64,
    /// Samples of the cluster run.
    pub cluster_samples: u64,
    /// Rows of the dataset the summing cluster sums, in [`SUM_SHARDS`] shards.
    pub sum_rows: u64,
}

/// The plan of a full run, or of a quick one (which only shows that the pipeline works).
pub fn plan(quick: bool) -> Plan {
    match quick {
        false => {
            Plan { longest_run_s: 1.5, cluster_samples: 5 * PI_JOB.samples, sum_rows: 10_000_000 }
        }
        true => Plan { longest_run_s: 0.3, cluster_samples: 2_000_000, sum_rows: 100_000 },
    }
}

/// Processes of the cluster run: the smallest cluster there is.
pub const CLUSTER_PROCESSES: usize = 2;
/// How long a cluster run on this machine may take, connecting included, before it is stopped.
pub const CLUSTER_DEADLINE: Duration = Duration::from_secs(120);

/// Processes of the summing cluster's runs: one, the smallest cluster, and more than this
/// project's two-core machines have cores.
pub const SUM_PROCESSES: [usize; 3] = [1, 2, 4];
/// Shards of the datasets the summing cluster sums.
pub const SUM_SHARDS: u32 = 16;
/// Rows of the dataset whose sum is the cluster's fixed cost: so few that only forming the
/// cluster, opening the files and stopping take time.
pub const SUM_EMPTY_ROWS: u64 = 10_000;
/// Runs of each summing configuration: the median is kept.
pub const SUM_REPEATS: usize = 3;
/// The rate, in bits per second, of the limited links of one summing run.
pub const SUM_RATE_BITS: u64 = 1_000_000;

/// The waiting target: this many tasks with tokio take at most [`TOKIO_TARGET`] times one wait.
pub const TOKIO_TARGET_TASKS: usize = 10_000;
/// See [`TOKIO_TARGET_TASKS`].
pub const TOKIO_TARGET: f64 = 1.1;
/// The CPU-bound target: rayon on every core against one thread.
pub const RAYON_TARGET: f64 = 1.8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rung_on_one_thread_is_measured_once_and_the_others_beyond_the_cores() {
        assert_eq!(pi_threads(&pi::SEQUENTIAL), [1]);
        let counts = pi_threads(&pi::RAYON);
        assert!(
            counts.contains(&1) && counts.contains(&cores()) && counts.contains(&(2 * cores()))
        );
        assert!(WAIT_TASKS.contains(&TOKIO_TARGET_TASKS));
    }
}
