//! Exercise `memory-stream`: the memory lesson's `stream` rung, written by you.
//!
//! Fill one buffer with `read()`, hand the bytes read so far to the parser (the header first,
//! with `header`), move the unfinished last row to the front, and read again; at the end of the
//! file, the parser takes what is left.
//!
//! Check it: `cargo xtask exercise check memory-stream` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint memory-stream`. The chapter: `book/src/memory.md#rung-3-a-parser-for-exactly-this-format`.
//!
//! Derived from `crates/memory/src/ladder/stream.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset memory-stream` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::fs::File;
use std::io::Read;
use std::path::Path;

use lesson_memory::error::Error;
use lesson_memory::fast::Parser;
use lesson_memory::ladder::Options;
use lesson_memory::ladder::mmap::header;
use lesson_memory::totals::Totals;

/// Fills a buffer with `read()`, parses every complete row in it, moves the unfinished last
/// row to the front, and reads again. One buffer, reused: memory is its size, whatever the
/// file's.
pub fn stream(path: &Path, options: &Options) -> Result<Totals, Error> {
    // TODO: Fill one buffer with `read()`, hand the bytes read so far to the parser (the header
    // first, with `header`), move the unfinished last row to the front, and read again; at the end
    // of the file, the parser takes what is left.
    // Check: `cargo xtask exercise check memory-stream`; a hint: `… exercise hint memory-stream`.
    todo!("memory-stream: write the body of `stream`")
}
