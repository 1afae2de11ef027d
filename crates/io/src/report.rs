//! The record of one measured run of this lesson: what `cargo xtask bench` writes as
//! `io.json` and `cargo xtask figures` draws the tables and plots from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

/// Everything the chapter's figures are made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and when it was measured.
    pub machine: Machine,
    /// True for a `--quick` run.
    pub quick: bool,
    /// The shards read warm and cold.
    pub dataset: Shards,
    /// The shards served with a delay.
    pub served: Shards,
    /// The server's delay per request, in milliseconds.
    pub latency_ms: u64,
    /// Threads and reads in flight the rungs used (one per core).
    pub threads: usize,
    /// Every rung, warm and cold, in ladder order.
    pub rungs: Vec<RungFigures>,
    /// Throughput against threads, per series.
    pub sweep: Vec<SweepPoint>,
    /// The device's sequential bandwidth: reading only, one file at a time, cold.
    pub device_sequential_bytes_per_s: f64,
    /// The best cold read-only throughput at any thread count and request size.
    pub device_best_bytes_per_s: f64,
    /// Fetching every served shard, by requests in flight.
    pub latency: Vec<LatencyPoint>,
}

/// A shard dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shards {
    /// Its folder, relative to the workspace.
    pub path: String,
    /// Files in it.
    pub files: usize,
    /// Rows in all files.
    pub rows: u64,
    /// Bytes in all files.
    pub bytes: u64,
    /// Their exact total.
    pub exact_total: String,
}

/// One rung in both regimes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RungFigures {
    /// Its name.
    pub name: String,
    /// What it changes.
    pub summary: String,
    /// With the files in the page cache.
    pub warm: Regime,
    /// With the files evicted before each run.
    pub cold: Regime,
}

/// One rung's figures in one regime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Regime {
    /// Criterion's median of ten runs.
    pub median_s: f64,
    /// The files' bytes over the median.
    pub bytes_per_s: f64,
    /// The sequential rung's median in the same regime, divided by this one's.
    pub speedup: f64,
    /// Processor time over wall time in one run of the `io` binary.
    pub cpu_per_wall: f64,
    /// Bytes the kernel fetched from the device in that run, where the system reports it.
    pub device_read_bytes: Option<u64>,
}

/// One point of the thread sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The series (see [`crate::bench::SWEEP`]).
    pub series: String,
    /// Threads reading at once.
    pub threads: usize,
    /// Criterion's median.
    pub median_s: f64,
    /// The files' bytes over the median.
    pub bytes_per_s: f64,
}

/// One point of the latency-bound sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyPoint {
    /// Requests outstanding at once.
    pub in_flight: usize,
    /// Criterion's median.
    pub median_s: f64,
    /// One request at a time, divided by this.
    pub speedup: f64,
    /// The best any client could do: the requests in flight, at most the requests there are.
    pub ideal: f64,
}
