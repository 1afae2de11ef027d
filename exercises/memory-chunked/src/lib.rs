//! Exercise `memory-chunked`: the memory lesson's `chunked` rung, written by you.
//!
//! Read `options.rows_per_chunk` rows at a time with `Rows::next_row`, sum each chunk into a
//! `Totals` of its own, and merge it into the running totals; stop when a chunk comes back empty.
//! Keep the memory of one chunk, whatever the file's size.
//!
//! Check it: `cargo xtask exercise check memory-chunked` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint memory-chunked`. The chapter: `book/src/memory.md#rung-2-chunks`.
//!
//! Derived from `crates/memory/src/ladder/chunked.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset memory-chunked` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::path::Path;

use lesson_memory::error::Error;
use lesson_memory::exact::Decimal;
use lesson_memory::ladder::Options;
use lesson_memory::ladder::csv_rows::Rows;
use lesson_memory::totals::Totals;

/// Reads `rows_per_chunk` rows, sums them, adds that partial result to the running total,
/// and reuses the same chunk buffer for the next rows: memory no longer grows with the file.
pub fn chunked(path: &Path, options: &Options) -> Result<Totals, Error> {
    // TODO: Read `options.rows_per_chunk` rows at a time with `Rows::next_row`, sum each chunk
    // into a `Totals` of its own, and merge it into the running totals; stop when a chunk comes
    // back empty. Keep the memory of one chunk, whatever the file's size.
    // Check: `cargo xtask exercise check memory-chunked`; a hint: `… exercise hint memory-chunked`.
    todo!("memory-chunked: write the body of `chunked`")
}
