//! Rung 4: the same parser over a memory-mapped file.

use std::fs::File;
use std::path::Path;

use memmap2::Mmap;

use super::Options;
use crate::error::Error;
use crate::fast::{Digits, HeaderError, Parser};
use crate::totals::Totals;

/// A file mapped into memory, or nothing for an empty file (which cannot be mapped).
pub(crate) fn map(path: &Path) -> Result<Mmap, Error> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len == 0 {
        return Err(Error::Empty { path: path.into() });
    }
    // SAFETY: the map is only read, and it is only sound while no process truncates or
    // rewrites the file; the workshop's data files are written once, atomically, and never
    // changed in place. A truncated file would make reads past its end fault (SIGBUS).
    let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
    // We read front to back: ask the kernel to read ahead aggressively. Advice only, so a
    // system that ignores it loses nothing.
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

/// Reads the header at the start of `bytes`: the parser after it and the header's length,
/// or `None` when the header line is not complete yet (more input is coming).
pub(super) fn header(
    bytes: &[u8],
    at_eof: bool,
    path: &Path,
) -> Result<Option<(Parser, usize)>, Error> {
    if at_eof && bytes.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    match Parser::from_header(bytes, at_eof) {
        Ok(found) => Ok(Some(found)),
        Err(HeaderError::Incomplete) => Ok(None),
        Err(HeaderError::Wrong(found)) => Err(Error::Header { path: path.into(), found }),
    }
}

/// Parses a whole mapped file on this thread, reading digits the given way.
pub(super) fn parse_mapped(bytes: &[u8], path: &Path, digits: Digits) -> Result<Totals, Error> {
    let Some((parser, header_len)) = header(bytes, true, path)? else {
        unreachable!("at the end of the file a header is complete or wrong")
    };
    let mut parser = parser.with_digits(digits);
    let mut totals = Totals::default();
    parser.parse(&bytes[header_len..], true, &mut totals).map_err(|e| e.in_file(path))?;
    Ok(totals)
}

// ANCHOR: mmap
/// Maps the file and parses it as one slice of bytes: the kernel brings pages in as the
/// parser touches them, and no bytes are copied into a buffer of ours.
pub fn mmap(path: &Path, _: &Options) -> Result<Totals, Error> {
    let map = map(path)?;
    parse_mapped(&map, path, Digits::OneAtATime)
}
// ANCHOR_END: mmap
