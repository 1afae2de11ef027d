//! The hand-written row parser that the fast rungs share.
//!
//! A row of the workshop's data is about 28 bytes: `1234567,3,93.0150054830155\n`. The csv
//! crate handles every corner of CSV for every row, copies each field into a record, and
//! then we parse the numbers in a second pass. Here an ordinary row takes one pass over its
//! bytes with no copy: skip the index digits, read the user id, read the value's digits
//! straight into an integer mantissa, add it to the exact sum, and expect a line end.
//!
//! Anything else (a quote, a blank line, a string index, a bad value, the last row without a
//! line end) leaves the fast path for [`crate::record`]'s careful one, so the rules of a valid
//! row still live in one place and unusual files cost speed, never correctness.

use crate::decimal::{decimal_prefix, integer_prefix};
use std::path::Path;

use crate::error::{Error, Problem};
use crate::exact::Decimal;
use crate::record::{Layout, check_header, check_record, split_row};
use crate::totals::Totals;

/// A row problem found by the parser, before the caller adds the file's name.
#[derive(Debug, PartialEq, Eq)]
pub struct RowError {
    /// Line the row starts on (1 is the header).
    pub line: u64,
    /// Offset of the row's first byte.
    pub byte: u64,
    /// What is wrong.
    pub problem: Problem,
}

impl RowError {
    /// The full error, naming the file.
    pub fn in_file(self, path: &Path) -> Error {
        Error::Row { path: path.into(), line: self.line, byte: self.byte, problem: self.problem }
    }
}

/// Why the header could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// Not one complete line yet: give more input.
    Incomplete,
    /// Not a transactions header; holds the line as read.
    Wrong(String),
}

/// Parses rows from consecutive buffers of one file, keeping track of line and offset.
#[derive(Debug)]
pub struct Parser {
    layout: Layout,
    line: u64,
    offset: u64,
    saw_quote: bool,
}

impl Parser {
    /// Reads the header at the start of a file. Returns the parser, positioned after it, and
    /// the header's length in bytes.
    pub fn from_header(bytes: &[u8], at_eof: bool) -> Result<(Parser, usize), HeaderError> {
        let row = split_row(bytes, at_eof).ok_or(HeaderError::Incomplete)?;
        let fields: Vec<&[u8]> = row.fields.iter().map(Vec::as_slice).collect();
        let line = String::from_utf8_lossy(&bytes[..row.len]).trim_end().to_string();
        let layout = check_header(&fields).ok_or(HeaderError::Wrong(line))?;
        let parser =
            Parser { layout, line: 2 + row.extra_lines, offset: row.len as u64, saw_quote: false };
        Ok((parser, row.len))
    }

    /// A parser for a piece of a file that starts at a row boundary, with line numbers
    /// counted from the piece's start (the parallel rung uses it; see [`Parser::saw_quote`]).
    pub fn for_piece(layout: Layout, offset: u64) -> Parser {
        Parser { layout, line: 0, offset, saw_quote: false }
    }

    /// The line the next row starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The file's columns.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// True once a quote character has been seen. A quoted field may hold a line end, so
    /// a piece cut at a line end is only known to start at a row boundary if the file has
    /// no quotes at all.
    pub fn saw_quote(&self) -> bool {
        self.saw_quote
    }

    /// Adds every complete row at the start of `bytes` to `totals` and returns how many bytes
    /// they took. With `at_eof` the last row needs no line end; without it, an unfinished row
    /// is left for the next call, which must start with it.
    pub fn parse(
        &mut self,
        bytes: &[u8],
        at_eof: bool,
        totals: &mut Totals,
    ) -> Result<usize, RowError> {
        let has_index = self.layout.has_index;
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            if let Some(row) = ordinary_row(rest, has_index) {
                totals.add_small(row.user, row.negative, row.magnitude, row.scale);
                pos += row.len;
                self.line += 1;
                continue;
            }
            let Some(row) = split_row(rest, at_eof) else { break };
            self.saw_quote |= rest[..row.len].contains(&b'"');
            let fields: Vec<&[u8]> = row.fields.iter().map(Vec::as_slice).collect();
            match check_record(&fields, self.layout) {
                Ok(Some((user, value))) => totals.add(user, &value),
                Ok(None) => {}
                Err(problem) => {
                    let byte = self.offset + pos as u64;
                    return Err(RowError { line: self.line, byte, problem });
                }
            }
            pos += row.len;
            self.line += 1 + row.extra_lines;
        }
        self.offset += pos as u64;
        Ok(pos)
    }
}

// ANCHOR: ordinary_row
/// A row read on the fast path.
pub(crate) struct OrdinaryRow {
    pub(crate) user: i64,
    pub(crate) negative: bool,
    pub(crate) magnitude: u64,
    pub(crate) scale: u8,
    pub(crate) len: usize,
}

/// Reads an ordinary row, `digits,user,value\n` (or `\r\n`), in one pass, or returns `None`
/// for anything else so the careful path can decide.
#[inline(always)]
pub(crate) fn ordinary_row(bytes: &[u8], has_index: bool) -> Option<OrdinaryRow> {
    let mut i = 0;
    if has_index {
        // pandas' default index: digits we skip without converting them.
        while bytes.get(i)?.is_ascii_digit() {
            i += 1;
        }
        if i == 0 || bytes[i] != b',' {
            return None;
        }
        i += 1;
    }
    let (user, used) = integer_prefix(&bytes[i..]).ok()?;
    i += used;
    if *bytes.get(i)? != b',' {
        return None;
    }
    i += 1;
    let (value, used) = decimal_prefix(&bytes[i..]).ok()?;
    let Decimal::Small { negative, magnitude, scale } = value else { return None };
    i += used;
    match *bytes.get(i)? {
        b'\n' => i += 1,
        b'\r' if *bytes.get(i + 1)? == b'\n' => i += 2,
        _ => return None,
    }
    Some(OrdinaryRow { user, negative, magnitude, scale, len: i })
}
// ANCHOR_END: ordinary_row

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &[u8]) -> Result<Totals, RowError> {
        let (mut parser, header) = Parser::from_header(text, true).expect("header");
        let mut totals = Totals::default();
        parser.parse(&text[header..], true, &mut totals)?;
        Ok(totals)
    }

    #[test]
    fn every_valid_form() {
        let text =
            b",user,transaction_value\r\n0,1,1.5\r\n\r\n1,1,-2.5e-01\n\"2\",\"1\",\"0.75\"\n";
        let totals = parse_all(text).expect("valid");
        assert_eq!(totals.summary().overall.exact, "2");
        assert_eq!(totals.summary().overall.rows, 3);
        let no_final_newline = parse_all(b"user,transaction_value\n3,1.25").expect("valid");
        assert_eq!(no_final_newline.summary().overall.exact, "1.25");
    }

    #[test]
    fn reports_line_and_byte_of_the_bad_row() {
        let text = b",user,transaction_value\n0,1,1.5\n\"multi\nline\",1,2\n2,1,oops\n";
        let error = parse_all(text).expect_err("bad value");
        assert_eq!((error.line, error.byte), (5, 49));
        assert!(matches!(error.problem, Problem::BadField { ref found, .. } if found == "oops"));
    }

    #[test]
    fn unfinished_rows_wait_for_more_input() {
        let text = b"0,1,1.5\n1,2,2.2";
        let mut parser = Parser::for_piece(Layout { has_index: true }, 0);
        let mut totals = Totals::default();
        assert_eq!(parser.parse(text, false, &mut totals), Ok(8));
        assert_eq!(parser.parse(&text[8..], true, &mut totals), Ok(7));
        assert_eq!(totals.summary().overall.exact, "3.7");
    }

    #[test]
    fn header_needs_a_whole_line() {
        assert_eq!(Parser::from_header(b",user,trans", false).err(), Some(HeaderError::Incomplete));
        let wrong = Parser::from_header(b"a,b\n", false).err();
        assert_eq!(wrong, Some(HeaderError::Wrong("a,b".into())));
    }
}
