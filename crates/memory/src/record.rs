//! One row's rules, shared by every rung: the header, the fields, and what a row means.
//!
//! The csv-crate rungs hand each record's fields to [`check_record`]; the hand-written parser
//! takes a fast path for ordinary rows and sends anything unusual (quotes, blank lines, bad
//! values) through [`split_row`] and then [`check_record`] too. So there is one definition of
//! a valid row, and every rung accepts, rejects and reports exactly the same rows.

use crate::decimal::{parse_decimal, parse_integer};
use crate::error::Problem;
use crate::exact::Decimal;

/// What a user field must hold.
pub(crate) const EXPECTED_USER: &str = "an integer user id such as 3";
/// What a value field must hold.
pub(crate) const EXPECTED_VALUE: &str =
    "a finite decimal number such as 93.0150054830155 or -1.5e-05";

/// Which columns a file has, from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// True when an index column comes first (pandas' default `to_csv()`).
    pub has_index: bool,
}

impl Layout {
    /// Fields per row.
    pub fn fields(self) -> usize {
        if self.has_index { 3 } else { 2 }
    }
}

/// Reads the header's fields: `[index],user,transaction_value`, the index column named
/// anything or nothing. Returns `None` for any other header. (A byte-order mark before the
/// header is removed by [`crate::fast::Parser::from_header`], before the row is split.)
pub fn check_header(fields: &[&[u8]]) -> Option<Layout> {
    let mut fields = fields.to_vec();
    if let Some(last) = fields.last_mut() {
        *last = last.strip_suffix(b"\r").unwrap_or(last);
    }
    match fields[..] {
        [b"user", b"transaction_value"] => Some(Layout { has_index: false }),
        [_, b"user", b"transaction_value"] => Some(Layout { has_index: true }),
        _ => None,
    }
}

/// Checks one record and returns its user and value, or `None` for a blank line (which
/// pandas skips too). A carriage return ending the last field (CRLF files) is ignored.
pub fn check_record(fields: &[&[u8]], layout: Layout) -> Result<Option<(i64, Decimal)>, Problem> {
    let expected = layout.fields();
    let last = fields.last().map(|f| f.strip_suffix(b"\r").unwrap_or(f)).unwrap_or(b"");
    if fields.len() <= 1 && last.is_empty() {
        return Ok(None);
    }
    if fields.len() < expected {
        return Err(Problem::ShortRow { expected, found: fields.len() });
    }
    if fields.len() > expected {
        return Err(Problem::LongRow { expected, found: fields.len() });
    }
    if layout.has_index && std::str::from_utf8(fields[0]).is_err() {
        return Err(Problem::InvalidUtf8);
    }
    let user_field = fields[expected - 2];
    let user = parse_integer(user_field)
        .map_err(|_| Problem::bad_field("user", EXPECTED_USER, user_field))?;
    let value = parse_decimal(last)
        .map_err(|_| Problem::bad_field("transaction_value", EXPECTED_VALUE, last))?;
    Ok(Some((user, value)))
}

/// One row cut into fields by [`split_row`].
#[derive(Debug, PartialEq, Eq)]
pub struct SplitRow {
    /// The fields, unquoted (`"a""b"` becomes `a"b`).
    pub fields: Vec<Vec<u8>>,
    /// Bytes the row used, its line end included.
    pub len: usize,
    /// Line ends inside quoted fields: lines the row spans beyond its first.
    pub extra_lines: u64,
}

/// Cuts the row at the start of `bytes` into fields, following the csv crate's reading of
/// RFC 4180: a field that starts with `"` runs to the next lone `"` and may hold commas and
/// line ends; bytes after its closing quote belong to the field; a quote left open at the end
/// of the file closes there. Returns `None` if the row may continue past `bytes` and more
/// input is coming (`at_eof` false).
pub fn split_row(bytes: &[u8], at_eof: bool) -> Option<SplitRow> {
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let mut extra_lines = 0;
    let mut i = 0;
    let mut at_field_start = true;
    loop {
        let Some(&byte) = bytes.get(i) else {
            if !at_eof {
                return None;
            }
            fields.push(field);
            return Some(SplitRow { fields, len: i, extra_lines });
        };
        i += 1;
        match byte {
            b'"' if at_field_start => loop {
                // Inside quotes: copy until a quote that is not doubled.
                let Some(&inner) = bytes.get(i) else {
                    if !at_eof {
                        return None;
                    }
                    break;
                };
                i += 1;
                match inner {
                    b'"' if bytes.get(i) == Some(&b'"') => {
                        field.push(b'"');
                        i += 1;
                    }
                    b'"' => {
                        if bytes.get(i).is_none() && !at_eof {
                            return None; // the next byte could be a doubled quote
                        }
                        break;
                    }
                    b'\n' => {
                        extra_lines += 1;
                        field.push(inner);
                    }
                    _ => field.push(inner),
                }
            },
            b',' => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
                continue;
            }
            b'\n' => {
                fields.push(field);
                return Some(SplitRow { fields, len: i, extra_lines });
            }
            _ => field.push(byte),
        }
        at_field_start = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PANDAS: Layout = Layout { has_index: true };

    fn fields(row: &SplitRow) -> Vec<&[u8]> {
        row.fields.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn headers() {
        assert_eq!(check_header(&[b"", b"user", b"transaction_value"]), Some(PANDAS));
        assert_eq!(check_header(&[b"id", b"user", b"transaction_value\r"]), Some(PANDAS));
        assert_eq!(
            check_header(&[b"user", b"transaction_value"]),
            Some(Layout { has_index: false })
        );
        assert_eq!(check_header(&[b"", b"user", b"value"]), None);
        assert_eq!(check_header(&[b""]), None);
    }

    #[test]
    fn records() {
        let row = |f: &[&[u8]]| check_record(f, PANDAS);
        assert_eq!(row(&[b"0", b"3", b"1.5\r"]).map(|r| r.map(|(u, _)| u)), Ok(Some(3)));
        assert_eq!(row(&[b""]), Ok(None));
        assert_eq!(row(&[b"\r"]), Ok(None));
        assert_eq!(row(&[b"0", b"3"]), Err(Problem::ShortRow { expected: 3, found: 2 }));
        assert_eq!(row(&[b"0", b"3", b"1", b""]), Err(Problem::LongRow { expected: 3, found: 4 }));
        assert!(matches!(row(&[b"0", b"x", b"1"]), Err(Problem::BadField { column: "user", .. })));
        assert!(matches!(
            row(&[b"0", b"1", b""]),
            Err(Problem::BadField { column: "transaction_value", .. })
        ));
        assert_eq!(row(&[b"\xff", b"1", b"2"]), Err(Problem::InvalidUtf8));
    }

    #[test]
    fn splits_quoted_fields_like_the_csv_crate() {
        let row = split_row(b"\"a,\"\"b\"\"\nc\",\"3\",1.5\r\nnext", false).expect("complete");
        assert_eq!(fields(&row), [&b"a,\"b\"\nc"[..], b"3", b"1.5\r"]);
        assert_eq!((row.len, row.extra_lines), (21, 1));
        assert_eq!(split_row(b"0,1,2.5", false), None, "no line end yet: wait for more");
        assert_eq!(split_row(b"0,1,\"2.5", false), None);
        let last = split_row(b"0,1,\"2.5", true).expect("end of file closes the quote");
        assert_eq!(fields(&last), [&b"0"[..], b"1", b"2.5"]);
        assert_eq!(split_row(b"0,1,\"2.5\"", false), None, "a doubled quote may follow");
    }
}
