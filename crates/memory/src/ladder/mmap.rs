//! Rung 4: the same parser over a memory-mapped file, and the mapping and header reading the
//! other mapped rungs (and their exercises) share.

use std::fs::File;
use std::path::Path;

use memmap2::Mmap;

use super::Options;
use crate::error::Error;
use crate::fast::{Digits, HeaderError, Parser};
use crate::totals::Totals;

/// A file mapped into memory. An empty file cannot be mapped, so it is reported as empty
/// here; a pipe or device cannot be mapped either, and says so.
pub fn map(path: &Path) -> Result<Mmap, Error> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let metadata = file.metadata().map_err(|e| Error::io(path, e))?;
    if !metadata.is_file() {
        let why = "not a regular file: the mapped rungs need a file on disk (the `stream` rung reads pipes)";
        return Err(Error::io(path, std::io::Error::other(why)));
    }
    if metadata.len() == 0 {
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
pub fn header(bytes: &[u8], at_eof: bool, path: &Path) -> Result<Option<(Parser, usize)>, Error> {
    if at_eof && bytes.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    match Parser::from_header(bytes, at_eof) {
        Ok(found) => Ok(Some(found)),
        Err(HeaderError::Incomplete) => Ok(None),
        Err(HeaderError::Wrong(found)) => Err(Error::Header { path: path.into(), found }),
    }
}

/// Reads the header of a whole file held in `bytes`: there is no more input to wait for.
pub fn header_at_eof(bytes: &[u8], path: &Path) -> Result<(Parser, usize), Error> {
    if bytes.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    match Parser::from_header(bytes, true) {
        Ok(found) => Ok(found),
        Err(HeaderError::Wrong(found)) => Err(Error::Header { path: path.into(), found }),
        // `split_row` always ends a row at the end of the input.
        Err(HeaderError::Incomplete) => {
            Err(Error::Header { path: path.into(), found: String::new() })
        }
    }
}

/// Parses a whole mapped file on this thread, reading digits the given way.
pub fn parse_mapped(bytes: &[u8], path: &Path, digits: Digits) -> Result<Totals, Error> {
    let (parser, header_len) = header_at_eof(bytes, path)?;
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
