//! Bad input gets a clear error: the file, the line, what was expected. For a bad row, every
//! rung reports the same problem on the same line, and a version that accepts a bad file, or
//! says less, fails here.

use std::path::Path;

use crate::error::{Error, Problem};
use crate::ladder::{Options, Sum};

/// `sum`'s error on `path`, or a panic if it accepted the file.
fn error_of(what: &str, sum: Sum, path: &Path) -> Error {
    match sum(path, &Options::default()) {
        Ok(totals) => panic!("{what} accepted a bad file: {:?}", totals.summary()),
        Err(e) => e,
    }
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// Every rung fails on line `line` with `problem`, and says so with the file's name.
fn assert_row_error(what: &str, sum: Sum, bytes: &[u8], line: u64, problem: &Problem) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, "bad.csv", bytes);
    let error = error_of(what, sum, &path);
    assert_eq!(error.row_problem(), Some((line, problem)), "{what}: {error}");
    let message = error.to_string();
    assert!(message.starts_with(&format!("{}:{line}: ", path.display())), "{what}: {message}");
}

fn bad_value(found: &str) -> Problem {
    Problem::BadField {
        column: "transaction_value",
        expected: "a finite decimal number such as 93.0150054830155 or -1.5e-05",
        found: found.into(),
    }
}

/// A file that does not exist: an I/O error that names it.
pub fn missing_file(what: &str, sum: Sum) {
    let error = error_of(what, sum, Path::new("/no/such/transactions.csv"));
    assert!(matches!(error, Error::Io { .. }), "{what}: {error}");
    assert!(error.to_string().contains("/no/such/transactions.csv"), "{what}: {error}");
}

/// An empty file: said to be empty, with the header it should start with.
pub fn empty_file(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    let error = error_of(what, sum, &write(&dir, "empty.csv", b""));
    assert!(matches!(error, Error::Empty { .. }), "{what}: {error}");
    assert!(error.to_string().contains("empty.csv: the file is empty"), "{what}: {error}");
}

/// A header that is not a transactions header, on line 1.
pub fn wrong_header(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    for header in
        [&b"a,b,c\n0,1,2\n"[..], b"user,value\n", b"\n\n", b",user,transaction_value,extra\n"]
    {
        let error = error_of(what, sum, &write(&dir, "header.csv", header));
        assert!(matches!(error, Error::Header { .. }), "{what}: {error}");
        assert!(error.to_string().contains("header.csv:1: wrong header"), "{what}: {error}");
    }
}

/// A value that is not a number, on its line, in LF and CRLF files.
pub fn value_that_is_not_a_number(what: &str, sum: Sum) {
    let text = b",user,transaction_value\n0,1,1.5\n1,2,12.5abc\n2,3,4\n";
    assert_row_error(what, sum, text, 3, &bad_value("12.5abc"));
    let crlf = b",user,transaction_value\r\n0,1,1.5\r\n\r\n1,2,nan\r\n";
    assert_row_error(what, sum, crlf, 4, &bad_value("nan"));
}

/// A missing value (pandas writes an empty field), on its line.
pub fn missing_value(what: &str, sum: Sum) {
    assert_row_error(what, sum, b",user,transaction_value\n0,1,1.5\n1,2,\n", 3, &bad_value(""));
}

/// A user id that is not an integer, on its line.
pub fn user_that_is_not_an_integer(what: &str, sum: Sum) {
    let problem = Problem::BadField {
        column: "user",
        expected: "an integer user id such as 3",
        found: "3.0".into(),
    };
    assert_row_error(what, sum, b",user,transaction_value\n0,3.0,1.5\n", 2, &problem);
}

/// Rows with fewer or more fields than the header, the last line included.
pub fn short_and_long_rows(what: &str, sum: Sum) {
    let short = b",user,transaction_value\n0,1,1.5\n\n1,2\n2,3,4\n";
    assert_row_error(what, sum, short, 4, &Problem::ShortRow { expected: 3, found: 2 });
    let long = b"user,transaction_value\n1,1.5\n2,2.5,9\n";
    assert_row_error(what, sum, long, 3, &Problem::LongRow { expected: 2, found: 3 });
    let last_line = b",user,transaction_value\n0,1,1.5\n1";
    assert_row_error(what, sum, last_line, 3, &Problem::ShortRow { expected: 3, found: 1 });
}

/// Bytes that are not UTF-8, on their line.
pub fn invalid_utf8(what: &str, sum: Sum) {
    assert_row_error(
        what,
        sum,
        b",user,transaction_value\n0,1,1.5\n\xff\xfe,2,3\n",
        3,
        &Problem::InvalidUtf8,
    );
    assert_row_error(
        what,
        sum,
        b",user,transaction_value\n0,1,1.5\n1,2,3\xe9\n",
        3,
        &Problem::InvalidUtf8,
    );
}

/// A bad row after a quoted field that spans two lines: the right line number.
pub fn errors_after_quoted_line_ends_name_the_right_line(what: &str, sum: Sum) {
    let text = b",user,transaction_value\n\"a\nb\",1,2\n1,x,3\n";
    let problem = Problem::BadField {
        column: "user",
        expected: "an integer user id such as 3",
        found: "x".into(),
    };
    assert_row_error(what, sum, text, 4, &problem);
}

/// A directory given as the file: an I/O error that names it.
pub fn a_directory_is_not_a_transactions_file(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    let error = error_of(what, sum, dir.path());
    assert!(matches!(error, Error::Io { .. }), "{what}: {error}");
    assert!(error.to_string().contains(&dir.path().display().to_string()), "{what}: {error}");
}

/// Every case above.
pub fn all(what: &str, sum: Sum) {
    missing_file(what, sum);
    empty_file(what, sum);
    wrong_header(what, sum);
    value_that_is_not_a_number(what, sum);
    missing_value(what, sum);
    user_that_is_not_an_integer(what, sum);
    short_and_long_rows(what, sum);
    invalid_utf8(what, sum);
    errors_after_quoted_line_ends_name_the_right_line(what, sum);
    a_directory_is_not_a_transactions_file(what, sum);
}
