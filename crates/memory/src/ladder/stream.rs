//! Rung 3: the hand-written parser over a fixed buffer filled by `read()`.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::Options;
use super::mmap::header;
use crate::error::Error;
use crate::fast::Parser;
use crate::totals::Totals;

// ANCHOR: stream
/// Fills a buffer with `read()`, parses every complete row in it, moves the unfinished last
/// row to the front, and reads again. One buffer, reused: memory is its size, whatever the
/// file's.
pub fn stream(path: &Path, options: &Options) -> Result<Totals, Error> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buffer = vec![0; options.buffer_bytes.max(64)];
    let mut filled = 0; // buffer[..filled] holds bytes read but not yet parsed
    let mut parser: Option<Parser> = None;
    let mut totals = Totals::default();
    loop {
        if filled == buffer.len() {
            buffer.resize(buffer.len() * 2, 0); // one row longer than the whole buffer
        }
        let read = file.read(&mut buffer[filled..]).map_err(|e| Error::io(path, e))?;
        filled += read;
        let at_eof = read == 0;
        let mut used = 0;
        if parser.is_none() {
            match header(&buffer[..filled], at_eof, path)? {
                Some((header_parser, len)) => (parser, used) = (Some(header_parser), len),
                None => continue, // the header line is not complete yet
            }
        }
        if let Some(parser) = parser.as_mut() {
            used += parser
                .parse(&buffer[used..filled], at_eof, &mut totals)
                .map_err(|e| e.in_file(path))?;
        }
        if at_eof {
            return Ok(totals);
        }
        buffer.copy_within(used..filled, 0);
        filled -= used;
    }
}
// ANCHOR_END: stream
