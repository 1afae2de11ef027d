//! The ladder: every way this lesson sums a transactions file, slowest first.
//!
//! [`LADDER`] is the one list of rungs. Tests, benchmarks, the `memory` binary, `cargo xtask
//! bench` and the book's tables all iterate over it, so a new rung added here appears
//! everywhere. Every rung returns the same exact [`Totals`]; each lives in its own module,
//! with its teachable code inside one named anchor that the book includes, and its function is
//! public here for other lessons to call by path (the I/O lesson parses each shard with
//! [`stream()`] or [`mmap()`]).

mod chunked;
pub mod csv_rows;
mod load_all;
pub mod mmap;
pub mod parallel;
mod stream;
mod swar;

use std::num::NonZeroUsize;
use std::path::Path;

use ladder::Ladder;

use crate::error::Error;
use crate::totals::Totals;

pub use chunked::chunked;
pub use load_all::load_all;
pub use mmap::mmap;
pub(crate) use mmap::{header_at_eof, map as mmap_bytes};
pub use parallel::parallel;
pub use stream::stream;
pub use swar::swar;

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

/// What every rung does: the exact totals of one file.
pub type Sum = fn(&Path, &Options) -> Result<Totals, Error>;

/// How a rung's heap grows with the file: the lesson's claim, checked by the benchmarks at
/// three file sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heap {
    /// It holds every row at once: ten times the rows, ten times the heap.
    GrowsWithTheFile,
    /// It holds a fixed amount, whatever the file's size.
    Bounded,
}

/// A rung of this lesson.
pub type Rung = ladder::Rung<Sum, Heap>;

/// The seed's approach: `pd.read_csv(path)`, then `.sum()`.
pub static LOAD_ALL: Rung = Rung::with_facts(
    "load-all",
    "csv crate; every row into one Vec, then sum: pandas' read_csv().sum(); memory grows with the file",
    Heap::GrowsWithTheFile,
    load_all,
)
.baseline();

/// The seed's chunked loop.
pub static CHUNKED: Rung = Rung::with_facts(
    "chunked",
    "csv crate, a fixed number of rows at a time, each chunk summed and merged: the seed's loop",
    Heap::Bounded,
    chunked,
);

/// One pass of a hand-written parser over a reused buffer.
pub static STREAM: Rung = Rung::with_facts(
    "stream",
    "hand-written one-pass parser over a fixed read() buffer: no per-field copies or allocations",
    Heap::Bounded,
    stream,
);

/// The same parser over a memory-mapped file.
pub static MMAP: Rung = Rung::with_facts(
    "mmap",
    "the same parser over a memory-mapped file: no copy from the page cache into a buffer",
    Heap::Bounded,
    mmap,
);

/// The mapped parser with eight digits read per step.
pub static SWAR: Rung = Rung::with_facts(
    "swar",
    "the mapped parser reading digits eight at a time in a u64 (SIMD within a register): does it pay?",
    Heap::Bounded,
    swar,
);

/// The mapped file cut into pieces parsed on every core.
pub static PARALLEL: Rung = Rung::with_facts(
    "parallel",
    "the mmap parser on pieces of the file cut at line ends, on every core; exact partial totals merged",
    Heap::Bounded,
    parallel,
)
.parallel();

/// Every rung, from the seed's approach to the fastest.
pub static LADDER: Ladder<Sum, Heap> =
    Ladder::new(&[&LOAD_ALL, &CHUNKED, &STREAM, &MMAP, &SWAR, &PARALLEL]);

/// Parses the whole contents of one file that is already in memory, however it was read (the
/// I/O lesson reads files with tokio or through a pipeline), exactly as the `mmap` rung parses
/// a mapped file. `path` names the file in errors.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Totals, Error> {
    mmap::parse_mapped(bytes, path, crate::fast::Digits::OneAtATime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_findable() {
        for s in LADDER.iter() {
            assert!(std::ptr::eq(LADDER.get(s.name).expect("registered"), s));
        }
        assert!(LADDER.get("no-such-rung").is_none());
    }
}
