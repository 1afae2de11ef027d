//! # I/O: read many files at once
//!
//! The seed reads the same CSV ten times in a loop and asks whether independent files must be
//! read one at a time. This lesson reads the K shard files that `cargo xtask data --shards K`
//! writes and returns their exact totals, every rung the same ([`ladder`]); the parsing and
//! the exact sums are the memory lesson's, reused, not copied. [`cache`] evicts files from the
//! page cache, so reads can be measured from the disk as well as from memory, and [`latency`]
//! serves shards from a loopback server with a stated delay per request, the latency-bound case.
//!
//! Status: the ladder, the `io` binary (`--cold` evicts the files before each rung) and their
//! tests. The benchmarks (warm and cold), the latency-bound case and the chapter are still to
//! come.

pub mod cache;
pub mod error;
pub mod ladder;
pub mod latency;

pub use error::Error;
