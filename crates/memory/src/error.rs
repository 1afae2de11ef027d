//! What can go wrong reading a transactions file, said so a person can fix it.
//!
//! Every error names the file; a problem in a row also names the line (1-based, counted the
//! way an editor counts) and the byte offset where that row starts. All rungs report the same
//! [`Problem`] on the same line for the same bad file: tests check it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// The header the seed's pandas `to_csv()` writes: an unnamed index column first.
pub const EXPECTED_HEADER: &str = ",user,transaction_value";

/// Everything that can stop a rung.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file has no bytes at all.
    #[error("{}: the file is empty; expected a header line `{EXPECTED_HEADER}`", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The first line is not a transactions header.
    #[error(
        "{}:1: wrong header: expected `{EXPECTED_HEADER}` (pandas' to_csv) or \
         `user,transaction_value`, found `{found}`",
        path.display()
    )]
    Header {
        /// The file.
        path: PathBuf,
        /// The header line as read (lossily decoded).
        found: String,
    },
    /// A row that is not a valid transaction.
    #[error("{}:{line}: {problem} (row starts at byte {byte})", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// The line the row starts on, from 1 (the header).
        line: u64,
        /// The offset of the row's first byte.
        byte: u64,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A setting that cannot work, such as zero rows per chunk.
    #[error("invalid option: {0}")]
    Option(String),
    /// The parallel rung's threads could not start.
    #[error(transparent)]
    Pool(#[from] ladder::pool::PoolError),
    /// The `memory` binary's driver refused (an unknown rung, rungs that disagree).
    #[error(transparent)]
    Ladder(#[from] ladder::Error),
}

impl Error {
    /// Wraps an I/O error with the file it came from.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// The line and problem of a row error, for comparing rungs in tests.
    pub fn row_problem(&self) -> Option<(u64, &Problem)> {
        match self {
            Error::Row { line, problem, .. } => Some((*line, problem)),
            _ => None,
        }
    }
}

/// What is wrong with one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Fewer fields than the header has.
    ShortRow {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// More fields than the header has.
    LongRow {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A field that does not hold what its column needs.
    BadField {
        /// The column's name.
        column: &'static str,
        /// What that column needs.
        expected: &'static str,
        /// The field as written (shortened if long).
        found: String,
    },
    /// Bytes that are not UTF-8 text.
    InvalidUtf8,
}

impl Problem {
    /// A bad field, or invalid UTF-8 if the field is not even text.
    pub(crate) fn bad_field(column: &'static str, expected: &'static str, field: &[u8]) -> Self {
        match std::str::from_utf8(field) {
            Err(_) => Problem::InvalidUtf8,
            Ok(text) => {
                let mut found: String = text.chars().take(40).collect();
                if found.len() < text.len() {
                    found.push('…');
                }
                Problem::BadField { column, expected, found }
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::ShortRow { expected, found } => {
                write!(f, "short row: expected {expected} fields like the header, found {found}")
            }
            Problem::LongRow { expected, found } => {
                write!(f, "long row: expected {expected} fields like the header, found {found}")
            }
            Problem::BadField { column, expected, found } if found.is_empty() => write!(
                f,
                "column `{column}`: expected {expected}, found an empty field \
                 (pandas writes a missing value as an empty field)"
            ),
            Problem::BadField { column, expected, found } => {
                write!(f, "column `{column}`: expected {expected}, found `{found}`")
            }
            Problem::InvalidUtf8 => write!(
                f,
                "the row is not valid UTF-8 text; expected a CSV file in UTF-8, pandas' default \
                 encoding (re-save it with `encoding=\"utf-8\"`)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_file_line_and_expectation() {
        let error = Error::Row {
            path: "data/t.csv".into(),
            line: 7,
            byte: 120,
            problem: Problem::bad_field("transaction_value", "a decimal number", b"12,5"),
        };
        assert_eq!(
            error.to_string(),
            "data/t.csv:7: column `transaction_value`: expected a decimal number, found `12,5` \
             (row starts at byte 120)"
        );
        assert_eq!(Problem::bad_field("user", "an integer", b"\xff"), Problem::InvalidUtf8);
        let long = Problem::bad_field("user", "an integer", "x".repeat(100).as_bytes());
        assert!(long.to_string().ends_with("…`"), "{long}");
    }
}
