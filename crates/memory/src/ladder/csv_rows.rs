//! Reading rows with the csv crate, for the first two rungs.
//!
//! The csv crate handles quoting and line ends; each record's fields then go through the same
//! [`check_record`] as every other rung. Line ends are split at `\n` only, so a CRLF file
//! leaves a `\r` on the last field, which `check_record` drops, exactly as the hand-written
//! parser does.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::Error;
use crate::exact::Decimal;
use crate::record::{Layout, check_header, check_record, split_row};

/// A csv reader over a file whose header has been checked.
pub(super) struct Rows<'p> {
    path: &'p Path,
    reader: csv::Reader<BufReader<File>>,
    record: csv::ByteRecord,
    layout: Layout,
    /// Records read so far, the header included: how a bad record is found again.
    ordinal: u64,
}

impl<'p> Rows<'p> {
    /// Opens `path` and checks its header.
    pub(super) fn open(path: &'p Path) -> Result<Self, Error> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true) // field counts are checked by `check_record`, like every rung
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(BufReader::new(file));
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).map_err(|e| csv_error(path, e))? {
            return Err(Error::Empty { path: path.into() });
        }
        let fields: Vec<&[u8]> = record.iter().collect();
        let Some(layout) = check_header(&fields) else {
            let found = fields.iter().map(|f| String::from_utf8_lossy(f)).collect::<Vec<_>>();
            return Err(Error::Header { path: path.into(), found: found.join(",") });
        };
        Ok(Rows { path, reader, record, layout, ordinal: 1 })
    }

    /// The next row's user and value; `None` at the end of the file.
    pub(super) fn next_row(&mut self) -> Result<Option<(i64, Decimal)>, Error> {
        loop {
            if !self.reader.read_byte_record(&mut self.record).map_err(|e| csv_error(self.path, e))? {
                return Ok(None);
            }
            self.ordinal += 1;
            let fields: Vec<&[u8]> = self.record.iter().collect();
            match check_record(&fields, self.layout) {
                Ok(Some(row)) => return Ok(Some(row)),
                Ok(None) => continue, // a blank line
                Err(problem) => {
                    let (line, byte) = locate(self.path, self.ordinal)?;
                    return Err(Error::Row { path: self.path.into(), line, byte, problem });
                }
            }
        }
    }
}

fn csv_error(path: &Path, error: csv::Error) -> Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => Error::io(path, e),
        other => Error::io(path, std::io::Error::other(format!("{other:?}"))),
    }
}

/// Finds the line and byte where the csv crate's `ordinal`-th record (0 is the header) starts.
/// The crate's own `Position` is off by one after blank lines and in CRLF files (rust-csv
/// issues 208 and 395), so we count again on this rare, error-only path.
fn locate(path: &Path, ordinal: u64) -> Result<(u64, u64), Error> {
    let mut bytes = Vec::new();
    File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(|e| Error::io(path, e))?;
    let (mut pos, mut line, mut seen) = (0usize, 1u64, 0u64);
    while let Some(row) = split_row(&bytes[pos..], true) {
        // The csv crate skips a line that is nothing but its line end.
        if !(row.len == 1 && bytes[pos] == b'\n') {
            if seen == ordinal {
                return Ok((line, pos as u64));
            }
            seen += 1;
        }
        pos += row.len;
        line += 1 + row.extra_lines;
        if pos >= bytes.len() {
            break;
        }
    }
    Err(Error::io(path, std::io::Error::other("the file changed while it was being read")))
}
