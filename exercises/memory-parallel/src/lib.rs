//! Exercise `memory-parallel`: the memory lesson's `parallel` rung, written by you.
//!
//! Cut the mapped rows into pieces that end at line ends (`cut_at_line_ends`), parse each piece
//! on a pool of `options.threads` threads into exact partial totals (`parse_piece`), and merge
//! them; if a piece saw a quote or an error, parse the whole file on one thread instead.
//!
//! Check it: `cargo xtask exercise check memory-parallel` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint memory-parallel`. The chapter: `book/src/memory.md#rung-6-every-core`.
//!
//! Derived from `crates/memory/src/ladder/parallel.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset memory-parallel` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::ops::Range;
use std::path::Path;

use lesson_memory::error::Error;
use lesson_memory::fast::Digits;
use lesson_memory::fast::Parser;
use lesson_memory::ladder::Options;
use lesson_memory::ladder::mmap::header_at_eof;
use lesson_memory::ladder::mmap::map;
use lesson_memory::ladder::mmap::parse_mapped;
use lesson_memory::ladder::parallel::PIECES_PER_THREAD;
use lesson_memory::record::Layout;
use lesson_memory::totals::Totals;
use rayon::prelude::*;

/// Cuts the rows into pieces that end at line ends, parses the pieces on a pool of
/// `threads` threads, and merges their exact totals.
///
/// A line end is a row boundary only if no quoted field spans lines. Each piece's parser
/// notes any quote it sees; if one did, or if a piece failed, the file is parsed again on one
/// thread, which is the authority on quoted fields and on where exactly an error is.
pub fn parallel(path: &Path, options: &Options) -> Result<Totals, Error> {
    // TODO: Cut the mapped rows into pieces that end at line ends (`cut_at_line_ends`), parse each
    // piece on a pool of `options.threads` threads into exact partial totals (`parse_piece`), and
    // merge them; if a piece saw a quote or an error, parse the whole file on one thread instead.
    // Check: `cargo xtask exercise check memory-parallel`; a hint: `… exercise hint memory-parallel`.
    todo!("memory-parallel: write the body of `parallel`")
}

/// The exact totals of `rows[piece]`, the rows starting `header_len` bytes into the file, laid
/// out as `layout` says; `None` if the piece saw a quote or an error, which only a parse of the
/// whole file on one thread can settle.
pub fn parse_piece(
    rows: &[u8],
    piece: Range<usize>,
    header_len: usize,
    layout: Layout,
) -> Option<Totals> {
    let mut parser = Parser::for_piece(layout, (header_len + piece.start) as u64);
    let mut totals = Totals::default();
    let parsed = parser.parse(&rows[piece], true, &mut totals);
    (parsed.is_ok() && !parser.saw_quote()).then_some(totals)
}

/// Splits `bytes` into about `pieces` ranges of similar size, each ending just after a `\n`
/// (or at the end).
pub fn cut_at_line_ends(bytes: &[u8], pieces: usize) -> Vec<Range<usize>> {
    // TODO: write this one too: the function above calls it.
    // Check: `cargo xtask exercise check memory-parallel`; a hint: `… exercise hint memory-parallel`.
    todo!("memory-parallel: write the body of `cut_at_line_ends`")
}
