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

use std::path::Path;

use crate::error::{Error, Problem};
use crate::exact::SLOTS;
use crate::record::{Layout, check_header, check_record, split_row};
use crate::totals::Rows;

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

/// How the fast path reads a value's digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Digits {
    /// One byte per step ([`digits_one_at_a_time`]).
    #[default]
    OneAtATime,
    /// Eight bytes per step with integer arithmetic on a `u64` ([`digits_eight_at_a_time`]).
    EightAtATime,
}

/// Parses rows from consecutive buffers of one file, keeping track of line and offset.
#[derive(Debug)]
pub struct Parser {
    layout: Layout,
    digits: Digits,
    line: u64,
    offset: u64,
    saw_quote: bool,
}

impl Parser {
    /// Reads the header at the start of a file. Returns the parser, positioned after it, and
    /// the header's length in bytes.
    pub fn from_header(bytes: &[u8], at_eof: bool) -> Result<(Parser, usize), HeaderError> {
        // A UTF-8 byte-order mark (Excel; pandas with `encoding="utf-8-sig"`) may come first.
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if !at_eof && bytes.len() < BOM.len() && BOM.starts_with(bytes) {
            return Err(HeaderError::Incomplete);
        }
        let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let row = split_row(&bytes[bom..], at_eof).ok_or(HeaderError::Incomplete)?;
        let fields: Vec<&[u8]> = row.fields.iter().map(Vec::as_slice).collect();
        let line = String::from_utf8_lossy(&bytes[bom..bom + row.len]).trim_end().to_string();
        let layout = check_header(&fields).ok_or(HeaderError::Wrong(line))?;
        let line = 2 + row.extra_lines;
        let parser = Parser {
            layout,
            digits: Digits::default(),
            line,
            offset: (bom + row.len) as u64,
            saw_quote: false,
        };
        Ok((parser, bom + row.len))
    }

    /// A parser for a piece of a file that starts at a row boundary, with line numbers
    /// counted from the piece's start (the parallel rung uses it; see [`Parser::saw_quote`]).
    pub fn for_piece(layout: Layout, offset: u64) -> Parser {
        Parser { layout, digits: Digits::default(), line: 0, offset, saw_quote: false }
    }

    /// The same parser, reading digits the given way.
    pub fn with_digits(self, digits: Digits) -> Parser {
        Parser { digits, ..self }
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

    /// Adds every complete row at the start of `bytes` to `rows` (a [`Totals`](crate::Totals),
    /// usually) and returns how many bytes they took. With `at_eof` the last row needs no line end; without it, an unfinished row
    /// is left for the next call, which must start with it.
    pub fn parse(
        &mut self,
        bytes: &[u8],
        at_eof: bool,
        rows: &mut impl Rows,
    ) -> Result<usize, RowError> {
        // One copy of the loop per way of reading digits, each with its reader inlined.
        match self.digits {
            Digits::OneAtATime => self.parse_with(bytes, at_eof, rows, digits_one_at_a_time),
            Digits::EightAtATime => self.parse_with(bytes, at_eof, rows, digits_eight_at_a_time),
        }
    }

    #[inline(always)]
    fn parse_with(
        &mut self,
        bytes: &[u8],
        at_eof: bool,
        rows: &mut impl Rows,
        digits: impl Fn(&[u8]) -> (u64, usize),
    ) -> Result<usize, RowError> {
        let has_index = self.layout.has_index;
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            if let Some(row) = ordinary_row(rest, has_index, &digits) {
                rows.add_small(row.user, row.negative, row.magnitude, row.scale);
                pos += row.len;
                self.line += 1;
                continue;
            }
            let Some(row) = split_row(rest, at_eof) else { break };
            self.saw_quote |= rest[..row.len].contains(&b'"');
            let fields: Vec<&[u8]> = row.fields.iter().map(Vec::as_slice).collect();
            match check_record(&fields, self.layout) {
                Ok(Some((user, value))) => rows.add(user, &value),
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

/// Reads an ordinary row, `index,user,value\n` (or `\r\n`), in one pass, or returns `None`
/// for anything else so the careful path can decide. Every field is built from runs of
/// digits, read by `digits`: a value is `[-]digits[.digits]` with at most 19 digits in all.
/// Exponents, `+` signs and longer numbers are rare, and left to the careful path.
#[inline(always)]
pub(crate) fn ordinary_row(
    bytes: &[u8],
    has_index: bool,
    digits: impl Fn(&[u8]) -> (u64, usize),
) -> Option<OrdinaryRow> {
    let mut i = 0;
    if has_index {
        let (_, len) = digits(bytes); // pandas' default index: digits we skip
        if len == 0 || *bytes.get(len)? != b',' {
            return None;
        }
        i = len + 1;
    }
    let (user, len) = digits(&bytes[i..]);
    if len == 0 || len > 18 || *bytes.get(i + len)? != b',' {
        return None;
    }
    i += len + 1;
    let negative = bytes.get(i) == Some(&b'-');
    i += usize::from(negative);
    let (mut magnitude, mut count) = digits(&bytes[i..]);
    i += count;
    let mut scale = 0;
    if bytes.get(i) == Some(&b'.') {
        let (fraction, len) = digits(&bytes[i + 1..]);
        if len > MAX_DIGITS {
            return None;
        }
        magnitude = magnitude.wrapping_mul(POW10[len]).wrapping_add(fraction);
        (count, scale) = (count + len, len);
        i += 1 + len;
    }
    if count == 0 || count > MAX_DIGITS || scale >= SLOTS {
        return None;
    }
    match *bytes.get(i)? {
        b'\n' => i += 1,
        b'\r' if *bytes.get(i + 1)? == b'\n' => i += 2,
        _ => return None,
    }
    let (user, scale) = (user as i64, scale as u8); // at most 18 digits; below SLOTS
    Some(OrdinaryRow { user, negative, magnitude, scale, len: i })
}
// ANCHOR_END: ordinary_row

/// Digits that always fit a `u64`: 10^19 − 1 < 2^64.
const MAX_DIGITS: usize = 19;

/// Powers of ten that fit a `u64`.
const POW10: [u64; MAX_DIGITS + 1] = {
    let mut table = [1u64; MAX_DIGITS + 1];
    let mut k = 1;
    while k <= MAX_DIGITS {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

// ANCHOR: one_at_a_time
/// The run of ASCII digits at the start of `bytes`, one byte per step: its value (modulo
/// 2^64; callers reject runs over 19 digits) and its length.
#[inline(always)]
pub(crate) fn digits_one_at_a_time(bytes: &[u8]) -> (u64, usize) {
    let mut value = 0u64;
    let mut len = 0;
    while let Some(d) = bytes.get(len).map(|b| b.wrapping_sub(b'0')).filter(|d| *d < 10) {
        value = value.wrapping_mul(10).wrapping_add(u64::from(d));
        len += 1;
    }
    (value, len)
}
// ANCHOR_END: one_at_a_time

// ANCHOR: swar
/// The same as [`digits_one_at_a_time`], eight bytes per step: load eight bytes into a
/// `u64`, find how many of them are leading digits with a few bit operations, and convert
/// those digits with three multiplications. SIMD within a register ("SWAR"): one ordinary
/// 64-bit instruction works on eight bytes at once.
#[inline(always)]
pub(crate) fn digits_eight_at_a_time(bytes: &[u8]) -> (u64, usize) {
    let mut value = 0u64;
    let mut len = 0;
    while let Some(word) = bytes.get(len..len + 8).and_then(|b| b.try_into().ok()) {
        let word = u64::from_le_bytes(word); // the first byte is the lowest
        let run = leading_digits(word);
        if run == 8 {
            value = value.wrapping_mul(100_000_000).wrapping_add(eight_digits(word));
            len += 8;
            continue;
        }
        if run > 0 {
            // Move the `run` digits to the top and fill the bottom with '0's: the same
            // number, written with eight digits.
            let padded = (word << (8 * (8 - run))) | (ZEROS >> (8 * run));
            value = value.wrapping_mul(POW10[run]).wrapping_add(eight_digits(padded));
        }
        return (value, len + run);
    }
    // Fewer than eight bytes left (the end of the file): one at a time.
    let (tail, run) = digits_one_at_a_time(&bytes[len..]);
    (value.wrapping_mul(POW10[run]).wrapping_add(tail), len + run)
}

/// Eight ASCII '0' characters.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// How many of the eight bytes of `word`, from the first, are ASCII digits. After `^ '0'` a
/// digit byte is 0..=9; adding 0x76 sets its top bit exactly when it is 10 or more. A carry
/// can only spoil bytes after the first non-digit, which we do not look at.
#[inline(always)]
fn leading_digits(word: u64) -> usize {
    let t = word ^ ZEROS;
    let non_digits = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
    (non_digits.trailing_zeros() / 8) as usize // 8 when all are digits
}

/// The number written by eight ASCII digits, the first byte being the most significant, in
/// three multiplications instead of eight: neighbouring digits into pairs, pairs into fours,
/// fours into eight (Daniel Lemire's method, from the fast_float library).
#[inline(always)]
fn eight_digits(word: u64) -> u64 {
    let v = word.wrapping_sub(ZEROS); // each byte now 0..=9
    let v = v.wrapping_mul(10).wrapping_add(v >> 8); // bytes 0, 2, 4, 6: two-digit numbers
    let pairs = v & 0x0000_00FF_0000_00FF; // bytes 0 and 4
    let next_pairs = (v >> 16) & 0x0000_00FF_0000_00FF; // bytes 2 and 6
    pairs
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(next_pairs.wrapping_mul(1 + (10_000 << 32)))
        >> 32
}
// ANCHOR_END: swar

#[cfg(test)]
mod tests {
    use super::*;
    use crate::totals::Totals;
    use proptest::prelude::*;

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
    fn eight_digits_at_once() {
        let word = |s: &[u8; 8]| u64::from_le_bytes(*s);
        assert_eq!(eight_digits(word(b"12345678")), 12_345_678);
        assert_eq!(eight_digits(word(b"00000009")), 9);
        assert_eq!(leading_digits(word(b"90817263")), 8);
        assert_eq!(leading_digits(word(b"123.5678")), 3);
        assert_eq!(leading_digits(word(b"/1234567")), 0);
        assert_eq!(leading_digits(word(b"12:45678")), 2);
        assert_eq!(leading_digits(word(b"1\xff\xff4567\n")), 1);
        assert_eq!(digits_eight_at_a_time(b"930150054830155\n"), (930150054830155, 15));
        assert_eq!(digits_eight_at_a_time(b"12"), (12, 2));
    }

    /// A file's rows as the fast path reads them, one reader or the other.
    fn fast_rows(
        bytes: &[u8],
        digits: fn(&[u8]) -> (u64, usize),
    ) -> Vec<(i64, bool, u64, u8, usize)> {
        let (mut pos, mut rows) = (0, Vec::new());
        while let Some(r) = ordinary_row(&bytes[pos..], true, digits) {
            rows.push((r.user, r.negative, r.magnitude, r.scale, r.len));
            pos += r.len;
        }
        rows
    }

    proptest! {
        /// Eight at a time reads exactly what one at a time reads, from any bytes.
        #[test]
        fn swar_agrees_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(digits_eight_at_a_time(&bytes), digits_one_at_a_time(&bytes));
        }

        #[test]
        fn swar_agrees_on_digit_runs(text in "[0-9]{0,30}[.,\n]?[0-9]{0,12}") {
            prop_assert_eq!(digits_eight_at_a_time(text.as_bytes()), digits_one_at_a_time(text.as_bytes()));
        }

        /// What the fast path accepts, it reads exactly as the careful path does.
        #[test]
        fn fast_rows_agree_with_the_careful_path(
            rows in proptest::collection::vec("[0-9]{1,9},-?[0-9]{1,3},-?[0-9]{0,12}(\\.[0-9]{0,12})?(e-?[0-9])?\r?\n", 1..8)
        ) {
            let text = rows.concat();
            let one = fast_rows(text.as_bytes(), digits_one_at_a_time);
            prop_assert_eq!(&one, &fast_rows(text.as_bytes(), digits_eight_at_a_time));
            let mut pos = 0;
            for (user, negative, magnitude, scale, len) in one {
                let row = split_row(&text.as_bytes()[pos..], true).expect("a whole row");
                let fields: Vec<&[u8]> = row.fields.iter().map(Vec::as_slice).collect();
                let careful = check_record(&fields, Layout { has_index: true }).expect("valid").expect("a row");
                let fast = crate::exact::Decimal::Small { negative, magnitude, scale };
                prop_assert_eq!((careful.0, &careful.1), (user, &fast));
                prop_assert_eq!(row.len, len);
                pos += len;
            }
        }
    }

    #[test]
    fn a_byte_order_mark_before_a_quoted_header() {
        let text = b"\xEF\xBB\xBF\"user\",\"transaction_value\"\n\"1\",\"2.5\"\n";
        assert_eq!(parse_all(text).expect("valid").summary().overall.exact, "2.5");
        assert_eq!(Parser::from_header(b"\xEF\xBB", false).err(), Some(HeaderError::Incomplete));
    }

    #[test]
    fn header_needs_a_whole_line() {
        assert_eq!(Parser::from_header(b",user,trans", false).err(), Some(HeaderError::Incomplete));
        let wrong = Parser::from_header(b"a,b\n", false).err();
        assert_eq!(wrong, Some(HeaderError::Wrong("a,b".into())));
    }
}
