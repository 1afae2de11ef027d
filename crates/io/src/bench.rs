//! What the I/O lesson's benchmarks measure, and the targets its figures are judged by.
//!
//! `benches/benches/io.rs` and `cargo xtask bench` both read these, so no count, id or target
//! is typed twice.

use std::path::PathBuf;

use ladder::bench::Id;
use lesson_memory::dataset::{DEFAULT_SEED, Spec};
use serde::{Deserialize, Serialize};

use crate::ladder::{RAYON, Rung};
use crate::latency::IN_FLIGHT as IN_FLIGHT_RUNG;

/// Every rung with the files in the page cache.
pub const WARM_GROUP: &str = "io-warm";
/// Every rung with the files evicted before each run.
pub const COLD_GROUP: &str = "io-cold";
/// Throughput against threads: the [`SWEEP`]'s series.
pub const THREADS_GROUP: &str = "io-threads";
/// The latency-bound case, by requests in flight.
pub const LATENCY_GROUP: &str = "io-latency";

/// Whether the files are in the page cache when a run starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cache {
    /// Read once before, so the kernel holds them in memory.
    Warm,
    /// Evicted before each run, so they come from the device.
    Cold,
}

impl Cache {
    /// The criterion group of every rung in this state.
    pub fn group(self) -> &'static str {
        match self {
            Cache::Warm => WARM_GROUP,
            Cache::Cold => COLD_GROUP,
        }
    }
}

/// The wall-time id of `rung` with the files `cache`.
pub fn id(rung: &Rung, cache: Cache) -> Id {
    Id::new(cache.group(), rung.name)
}

/// What a series of the thread sweep reads with.
#[derive(Clone, Copy, Debug)]
pub enum Reader {
    /// A rung of the ladder: reading and parsing.
    Rung(&'static Rung),
    /// [`crate::device::read_only`] with requests of this many bytes: reading only.
    ReadOnly {
        /// Bytes per `read()` call.
        request_bytes: usize,
    },
}

/// One series of the thread sweep.
#[derive(Debug)]
pub struct Series {
    /// Its name, in ids and records.
    pub name: &'static str,
    /// What it measures, for a legend.
    pub described: &'static str,
    /// Warm or cold.
    pub cache: Cache,
    /// How it reads.
    pub reader: Reader,
}

/// The thread sweep: reading and parsing warm and cold, and the device itself (reading only,
/// cold) with the memory lesson's buffer size and with a small one, to show what request size
/// does.
pub static SWEEP: &[Series] = &[
    Series {
        name: "warm-rayon",
        described: "read and parse (rayon), warm",
        cache: Cache::Warm,
        reader: Reader::Rung(&RAYON),
    },
    Series {
        name: "cold-rayon",
        described: "read and parse (rayon), cold",
        cache: Cache::Cold,
        reader: Reader::Rung(&RAYON),
    },
    Series {
        name: "cold-read-only",
        described: "read only, 1 MiB requests, cold",
        cache: Cache::Cold,
        reader: Reader::ReadOnly { request_bytes: 1 << 20 },
    },
    Series {
        name: "cold-read-only-64k",
        described: "read only, 64 KiB requests, cold",
        cache: Cache::Cold,
        reader: Reader::ReadOnly { request_bytes: 64 << 10 },
    },
];

/// The series whose one-thread point is the device's sequential bandwidth.
pub static DEVICE: &Series = &SWEEP[2];

/// Threads reading at once in the sweep.
pub const THREADS: &[usize] = &[1, 2, 4, 8, 16];

/// The wall-time id of `series` on `threads` threads.
pub fn sweep_id(series: &Series, threads: usize) -> Id {
    Id::new(THREADS_GROUP, series.name).at(threads)
}

/// Requests in flight in the latency-bound sweep.
pub const IN_FLIGHT: &[usize] = &[1, 2, 4, 8, 16, 32, 64, 128];

/// The wall-time id of fetching every served shard, `in_flight` at a time.
pub fn latency_id(in_flight: usize) -> Id {
    Id::new(LATENCY_GROUP, IN_FLIGHT_RUNG.name).at(in_flight)
}

/// What one run of `cargo xtask bench` reads.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Plan {
    /// The shards read warm and cold.
    pub shards: Spec,
    /// The shards the latency-bound case serves: many small files, as in object storage.
    pub served: Spec,
    /// The server's delay per request, in milliseconds.
    pub latency_ms: u64,
}

/// The plan of a full run, or of a quick one on tiny data (which only shows that the pipeline
/// works).
pub fn plan(quick: bool) -> Plan {
    let spec = |rows, shards| Spec { rows, seed: DEFAULT_SEED, shards };
    match quick {
        false => {
            Plan { shards: spec(10_000_000, 16), served: spec(1_280_000, 128), latency_ms: 20 }
        }
        true => Plan { shards: spec(100_000, 16), served: spec(100_000, 16), latency_ms: 2 },
    }
}

/// What the benchmark is handed: the two datasets, made, and the delay.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    /// The folder of the shards read warm and cold.
    pub shards: PathBuf,
    /// The folder of the shards served.
    pub served: PathBuf,
    /// The server's delay per request, in milliseconds.
    pub latency_ms: u64,
}

/// The warm target: the best parallel rung against the sequential one.
pub const WARM_TARGET: f64 = 1.8;
/// The latency-bound target: [`LATENCY_TARGET_IN_FLIGHT`] requests in flight against one at a
/// time.
pub const LATENCY_TARGET: f64 = 20.0;
/// See [`LATENCY_TARGET`].
pub const LATENCY_TARGET_IN_FLIGHT: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plans_read_what_their_sweeps_need() {
        for plan in [plan(false), plan(true)] {
            let files = plan.shards.shards as usize;
            assert!(files >= THREADS.iter().copied().max().unwrap_or(1), "a thread per file");
            assert!(plan.served.shards >= 16, "enough requests to overlap");
        }
        assert!(
            plan(false).served.shards as usize >= LATENCY_TARGET_IN_FLIGHT,
            "the target needs as many requests as it keeps in flight"
        );
        assert!(IN_FLIGHT.contains(&1) && IN_FLIGHT.contains(&LATENCY_TARGET_IN_FLIGHT));
    }

    #[test]
    fn every_sweep_series_has_its_own_name_and_description() {
        for (i, a) in SWEEP.iter().enumerate() {
            for b in &SWEEP[..i] {
                assert!(a.name != b.name && a.described != b.described, "{a:?} {b:?}");
            }
        }
        assert!(matches!(DEVICE.reader, Reader::ReadOnly { .. }) && DEVICE.cache == Cache::Cold);
        assert_eq!(SWEEP[0].described, "read and parse (rayon), warm");
        for series in SWEEP.iter().filter(|s| matches!(s.reader, Reader::ReadOnly { .. })) {
            assert!(series.described.starts_with("read only, "), "{series:?}");
        }
    }
}
