//! Exercise `io-rayon`: the io lesson's `rayon` rung, written by you.
//!
//! Read and parse one shard per task on a pool of `options.threads` threads, with the memory
//! lesson's `stream` rung (`with(stream_file, path)`), and merge the shards' exact totals.
//!
//! Check it: `cargo xtask exercise check io-rayon` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint io-rayon`. The chapter: `book/src/io.md#warm-the-bottleneck-is-parsing-so-use-every-core`.
//!
//! Derived from `crates/io/src/ladder.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset io-rayon` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::num::NonZeroUsize;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use ladder::Ladder;
use lesson_io::error::Error;
use lesson_io::ladder::Options;
use lesson_io::ladder::merged;
use lesson_io::ladder::with;
use lesson_memory::Totals;
use lesson_memory::ladder::mmap as mmap_file;
use lesson_memory::ladder::stream as stream_file;
use lesson_memory::parse_bytes;
use rayon::prelude::*;

/// One file per task on a pool: reading and parsing of different files overlap.
pub fn rayon(files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    // TODO: Read and parse one shard per task on a pool of `options.threads` threads, with the
    // memory lesson's `stream` rung (`with(stream_file, path)`), and merge the shards' exact
    // totals.
    // Check: `cargo xtask exercise check io-rayon`; a hint: `… exercise hint io-rayon`.
    todo!("io-rayon: write the body of `rayon`")
}
