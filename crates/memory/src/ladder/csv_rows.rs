//! Reading rows with the csv crate, for the first two rungs (and their exercises).
//!
//! The csv crate handles quoting and line ends; each record's fields then go through the same
//! [`check_record`] as every other rung. Line ends are split at `\n` only, so a CRLF file
//! leaves a `\r` on the last field, which `check_record` drops, exactly as the hand-written
//! parser does.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::Error;
use crate::exact::Decimal;
use crate::record::{Layout, check_record, split_row};

/// A csv reader over a file whose header has been checked.
pub struct Rows<'p> {
    path: &'p Path,
    reader: csv::Reader<BufReader<File>>,
    record: csv::ByteRecord,
    layout: Layout,
    /// Where the rows start: after the header, its byte length and the first row's line.
    rows_start: (u64, u64),
    /// Records the csv crate has returned so far: how a bad record is found again.
    ordinal: u64,
}

impl<'p> Rows<'p> {
    /// Opens `path` and checks its header. The header is read by the same code as in every
    /// other rung (the csv crate would skip blank lines before it); the csv crate then reads
    /// the rows after it.
    pub fn open(path: &'p Path) -> Result<Self, Error> {
        let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut start = Vec::new();
        let (parser, header_len) = loop {
            let read =
                (&mut file).take(8192).read_to_end(&mut start).map_err(|e| Error::io(path, e))?;
            if let Some(found) = super::mmap::header(&start, read == 0, path)? {
                break found;
            }
        };
        file.seek(SeekFrom::Start(header_len as u64)).map_err(|e| Error::io(path, e))?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true) // field counts are checked by `check_record`, like every rung
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(BufReader::new(file));
        Ok(Rows {
            path,
            reader,
            record: csv::ByteRecord::new(),
            layout: parser.layout(),
            rows_start: (header_len as u64, parser.line()),
            ordinal: 0,
        })
    }

    /// The next row's user and value; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<(i64, Decimal)>, Error> {
        loop {
            if !self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| csv_error(self.path, e))?
            {
                return Ok(None);
            }
            let ordinal = self.ordinal;
            self.ordinal += 1;
            // A valid row has at most three fields: hold them on the stack, not in a `Vec`
            // allocated for every row. A longer (invalid) row takes the general path.
            let mut few: [&[u8]; 3] = [&[]; 3];
            let many: Vec<&[u8]>;
            let fields: &[&[u8]] = if self.record.len() <= few.len() {
                few.iter_mut().zip(self.record.iter()).for_each(|(slot, field)| *slot = field);
                &few[..self.record.len()]
            } else {
                many = self.record.iter().collect();
                &many
            };
            match check_record(fields, self.layout) {
                Ok(Some(row)) => return Ok(Some(row)),
                Ok(None) => continue, // a blank line
                Err(problem) => {
                    let (line, byte) = locate(self.path, self.rows_start, ordinal)?;
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

/// Finds the line and byte where the csv crate's `ordinal`-th record (from 0) after the header
/// starts. The crate's own `Position` is off after blank lines and in CRLF files (rust-csv
/// issues 208 and 395), so we count again on this rare, error-only path, reading the file in
/// pieces so a bad row at the end of a huge file costs no more memory than the rung.
fn locate(path: &Path, (start, first_line): (u64, u64), ordinal: u64) -> Result<(u64, u64), Error> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start(start)).map_err(|e| Error::io(path, e))?;
    let (mut buffer, mut pos, mut at_eof) = (Vec::new(), 0, false);
    let (mut byte, mut line, mut seen) = (start, first_line, 0u64);
    loop {
        let Some(row) = split_row(&buffer[pos..], at_eof) else {
            // The row may go on past what we have read: keep its start, read more.
            buffer.drain(..pos);
            pos = 0;
            let read = (&mut file).take(1 << 16).read_to_end(&mut buffer);
            at_eof = read.map_err(|e| Error::io(path, e))? == 0;
            continue;
        };
        if pos == buffer.len() {
            break; // the end of the file
        }
        // The csv crate skips a line that is nothing but its line end.
        if !(row.len == 1 && buffer[pos] == b'\n') {
            if seen == ordinal {
                return Ok((line, byte));
            }
            seen += 1;
        }
        pos += row.len;
        byte += row.len as u64;
        line += 1 + row.extra_lines;
    }
    Err(Error::io(path, std::io::Error::other("the file changed while it was being read")))
}
