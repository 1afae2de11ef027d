//! Rung 6: the mapped file cut at line ends into pieces parsed on every core.

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use super::Options;
use super::mmap::{header_at_eof, map, parse_mapped};
use crate::error::Error;
use crate::fast::{Digits, Parser};
use crate::record::Layout;
use crate::totals::Totals;

/// Pieces per thread: a few more pieces than threads lets a thread that finishes early take
/// another, so one slow piece does not hold up the end.
pub const PIECES_PER_THREAD: usize = 4;

// ANCHOR: parallel
/// Cuts the rows into pieces that end at line ends, parses the pieces on a pool of
/// `threads` threads, and merges their exact totals.
///
/// A line end is a row boundary only if no quoted field spans lines. Each piece's parser
/// notes any quote it sees; if one did, or if a piece failed, the file is parsed again on one
/// thread, which is the authority on quoted fields and on where exactly an error is.
pub fn parallel(path: &Path, options: &Options) -> Result<Totals, Error> {
    let map = map(path)?;
    let (parser, header_len) = header_at_eof(&map, path)?;
    let (layout, rows) = (parser.layout(), &map[header_len..]);
    let pieces = options.threads.get().saturating_mul(PIECES_PER_THREAD).min(rows.len().max(1));
    let pieces = cut_at_line_ends(rows, pieces);
    let pool = ladder::pool::pool(options.threads)?;
    let partials: Option<Vec<Totals>> = pool.install(|| {
        pieces.into_par_iter().map(|piece| parse_piece(rows, piece, header_len, layout)).collect()
    });
    let Some(partials) = partials else {
        return parse_mapped(&map, path, Digits::OneAtATime); // quotes or an error: one thread decides
    };
    let mut totals = Totals::default();
    for partial in &partials {
        totals.merge(partial);
    }
    Ok(totals)
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
    let mut ranges = Vec::with_capacity(pieces);
    let mut start = 0;
    for k in 1..=pieces {
        let target = (bytes.len() * k / pieces).max(start);
        let end = match memchr::memchr(b'\n', &bytes[target..]) {
            Some(offset) if k < pieces => target + offset + 1,
            _ => bytes.len(),
        };
        if end > start {
            ranges.push(start..end);
            start = end;
        }
    }
    ranges
}
// ANCHOR_END: parallel

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_everything_and_end_at_line_ends() {
        let bytes = b"a\nbb\nccc\n\ndddd\ne";
        for pieces in 1..20 {
            let ranges = cut_at_line_ends(bytes, pieces);
            assert_eq!(ranges.first().map(|r| r.start), Some(0));
            assert_eq!(ranges.last().map(|r| r.end), Some(bytes.len()));
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!(bytes[pair[0].end - 1], b'\n');
            }
        }
        assert!(cut_at_line_ends(b"", 4).is_empty());
    }
}
