//! Exercise `io-tokio`: the io lesson's `tokio` rung, written by you.
//!
//! On a tokio runtime, start one task per shard that waits for a permit (at most
//! `options.in_flight` reads at once), reads the whole file with `tokio::fs::read`, gives the
//! permit back, and parses the bytes on the blocking pool; merge the totals.
//!
//! Check it: `cargo xtask exercise check io-tokio` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint io-tokio`. The chapter: `book/src/io.md#cold-the-device-and-the-parser-one-after-the-other`.
//!
//! Derived from `crates/io/src/ladder.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset io-tokio` (yours is kept in `exercises/.backup/`).

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
use lesson_memory::Totals;
use lesson_memory::ladder::mmap as mmap_file;
use lesson_memory::ladder::stream as stream_file;
use lesson_memory::parse_bytes;
use rayon::prelude::*;

/// Async reads, at most `in_flight` at once, each file parsed on the blocking pool as soon as
/// it has arrived. tokio's file reads themselves also run on that blocking pool: operating
/// systems offer no readiness notification for regular files, so "async" file I/O is a
/// thread doing a blocking read.
pub fn tokio(files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    // TODO: On a tokio runtime, start one task per shard that waits for a permit (at most
    // `options.in_flight` reads at once), reads the whole file with `tokio::fs::read`, gives the
    // permit back, and parses the bytes on the blocking pool; merge the totals.
    // Check: `cargo xtask exercise check io-tokio`; a hint: `… exercise hint io-tokio`.
    todo!("io-tokio: write the body of `tokio`")
}
