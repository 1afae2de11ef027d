//! The ladder: every way this lesson sums a transactions file, slowest first.
//!
//! [`LADDER`] is the one list of rungs. Tests, benchmarks, the `memory` binary, `cargo xtask
//! bench` and the book's tables all iterate over it, so a new rung added here appears
//! everywhere. Every rung returns the same exact [`Totals`]; each lives in its own module,
//! with its teachable code inside one named anchor that the book includes.

mod chunked;
mod csv_rows;
mod load_all;
mod mmap;
mod parallel;
mod stream;
mod swar;

use std::num::NonZeroUsize;
use std::path::Path;

use crate::error::Error;
use crate::totals::Totals;

pub(crate) use mmap::{header_at_eof, map as mmap_bytes};

/// Settings a rung may use; each rung ignores the ones it does not need.
#[derive(Clone, Debug)]
pub struct Options {
    /// Rows held in memory at once by the chunked rung (the seed's `chunksize`).
    pub rows_per_chunk: usize,
    /// Bytes read per `read()` call by the streaming rung.
    pub buffer_bytes: usize,
    /// Threads for the parallel rung.
    pub threads: NonZeroUsize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rows_per_chunk: 100_000,
            buffer_bytes: 1 << 20,
            threads: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
        }
    }
}

/// One rung: a way to compute the totals of a file.
pub struct Strategy {
    /// Short name used on the command line and in tables.
    pub name: &'static str,
    /// What this rung changes from the one before, and why.
    pub summary: &'static str,
    /// True when its memory does not grow with the file.
    pub streaming: bool,
    /// Computes the totals.
    pub run: fn(&Path, &Options) -> Result<Totals, Error>,
}

/// Every rung, from the seed's approach to the fastest.
pub static LADDER: &[Strategy] = &[
    Strategy {
        name: "load-all",
        summary: "csv crate; every row into one Vec, then sum: pandas' read_csv().sum(); memory grows with the file",
        streaming: false,
        run: load_all::load_all,
    },
    Strategy {
        name: "chunked",
        summary: "csv crate, a fixed number of rows at a time, each chunk summed and merged: the seed's loop",
        streaming: true,
        run: chunked::chunked,
    },
    Strategy {
        name: "stream",
        summary: "hand-written one-pass parser over a fixed read() buffer: no per-field copies or allocations",
        streaming: true,
        run: stream::stream,
    },
    Strategy {
        name: "mmap",
        summary: "the same parser over a memory-mapped file: no copy from the page cache into a buffer",
        streaming: true,
        run: mmap::mmap,
    },
    Strategy {
        name: "swar",
        summary: "the mapped parser reading digits eight at a time in a u64 (SIMD within a register): does it pay?",
        streaming: true,
        run: swar::swar,
    },
    Strategy {
        name: "parallel",
        summary: "the mmap parser on pieces of the file cut at line ends, on every core; exact partial totals merged",
        streaming: true,
        run: parallel::parallel,
    },
];

/// Parses the whole contents of one file that is already in memory, however it was read (the
/// I/O lesson reads files with tokio or through a pipeline), exactly as the `mmap` rung parses
/// a mapped file. `path` names the file in errors.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Totals, Error> {
    mmap::parse_mapped(bytes, path, crate::fast::Digits::OneAtATime)
}

/// The rung called `name`.
pub fn strategy(name: &str) -> Option<&'static Strategy> {
    LADDER.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_findable() {
        for s in LADDER {
            assert!(std::ptr::eq(strategy(s.name).expect("registered"), s));
        }
        assert!(strategy("no-such-rung").is_none());
    }
}
