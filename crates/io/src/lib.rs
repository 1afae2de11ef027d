//! # I/O: read many files at once
//!
//! The seed reads the same CSV ten times in a loop and asks whether independent files must be
//! read one at a time. This lesson reads the K shard files that `cargo xtask data --shards K`
//! writes and returns their exact totals, every rung the same ([`ladder`]); the parsing and
//! the exact sums are the memory lesson's, reused, not copied. [`cache`] evicts files from the
//! page cache, so reads can be measured from the disk as well as from memory, and [`latency`]
//! serves shards from a loopback server with a stated delay per request, the latency-bound case.
//!
//! [`device`] reads the same files without parsing them, the ceiling any rung can reach, and
//! [`usage`] measures what a run cost in processor time and in bytes fetched from the device:
//! the evidence for which bottleneck a run has. [`cli`] is the `io` binary's command line,
//! [`bench`] what the benchmarks measure and the targets they are judged by, and [`report`]
//! the record of a measured run; `kit` (with the feature `kit`) holds the rung tests, for the
//! lesson's tests and the exercises, listed in [`exercises`].

pub mod bench;
pub mod cache;
pub mod cli;
pub mod device;
pub mod error;
pub mod exercises;
#[cfg(feature = "kit")]
pub mod kit;
pub mod ladder;
pub mod latency;
pub mod report;
pub mod usage;

pub use error::Error;
