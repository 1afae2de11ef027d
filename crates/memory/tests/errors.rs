//! Bad input gets a clear error from every rung: the file, the line, what was expected.
//! For a bad row, every rung reports the same problem on the same line.

use std::path::Path;

use ladder::testing::every_rung_fails;
use lesson_memory::{Error, LADDER, Options, Problem};

fn errors_of(path: &Path) -> Vec<(&'static str, Error)> {
    every_rung_fails(&LADDER, |r| (r.run)(path, &Options::default()).map(|t| t.summary()))
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// Every rung fails on line `line` with `problem`, and says so with the file's name.
fn assert_row_error(bytes: &[u8], line: u64, problem: &Problem) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, "bad.csv", bytes);
    for (name, error) in errors_of(&path) {
        assert_eq!(error.row_problem(), Some((line, problem)), "{name}: {error}");
        let message = error.to_string();
        assert!(message.starts_with(&format!("{}:{line}: ", path.display())), "{name}: {message}");
    }
}

fn bad_value(found: &str) -> Problem {
    Problem::BadField {
        column: "transaction_value",
        expected: "a finite decimal number such as 93.0150054830155 or -1.5e-05",
        found: found.into(),
    }
}

#[test]
fn missing_file() {
    for (name, error) in errors_of(Path::new("/no/such/transactions.csv")) {
        assert!(matches!(error, Error::Io { .. }), "{name}: {error}");
        assert!(error.to_string().contains("/no/such/transactions.csv"), "{name}: {error}");
    }
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, error) in errors_of(&write(&dir, "empty.csv", b"")) {
        assert!(matches!(error, Error::Empty { .. }), "{name}: {error}");
        assert!(error.to_string().contains("empty.csv: the file is empty"), "{name}: {error}");
    }
}

#[test]
fn wrong_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    for header in
        [&b"a,b,c\n0,1,2\n"[..], b"user,value\n", b"\n\n", b",user,transaction_value,extra\n"]
    {
        for (name, error) in errors_of(&write(&dir, "header.csv", header)) {
            assert!(matches!(error, Error::Header { .. }), "{name}: {error}");
            assert!(error.to_string().contains("header.csv:1: wrong header"), "{name}: {error}");
        }
    }
}

#[test]
fn value_that_is_not_a_number() {
    let text = b",user,transaction_value\n0,1,1.5\n1,2,12.5abc\n2,3,4\n";
    assert_row_error(text, 3, &bad_value("12.5abc"));
    let crlf = b",user,transaction_value\r\n0,1,1.5\r\n\r\n1,2,nan\r\n";
    assert_row_error(crlf, 4, &bad_value("nan"));
}

#[test]
fn missing_value() {
    assert_row_error(b",user,transaction_value\n0,1,1.5\n1,2,\n", 3, &bad_value(""));
}

#[test]
fn user_that_is_not_an_integer() {
    let problem = Problem::BadField {
        column: "user",
        expected: "an integer user id such as 3",
        found: "3.0".into(),
    };
    assert_row_error(b",user,transaction_value\n0,3.0,1.5\n", 2, &problem);
}

#[test]
fn short_and_long_rows() {
    let short = b",user,transaction_value\n0,1,1.5\n\n1,2\n2,3,4\n";
    assert_row_error(short, 4, &Problem::ShortRow { expected: 3, found: 2 });
    let long = b"user,transaction_value\n1,1.5\n2,2.5,9\n";
    assert_row_error(long, 3, &Problem::LongRow { expected: 2, found: 3 });
    let last_line = b",user,transaction_value\n0,1,1.5\n1";
    assert_row_error(last_line, 3, &Problem::ShortRow { expected: 3, found: 1 });
}

#[test]
fn invalid_utf8() {
    assert_row_error(b",user,transaction_value\n0,1,1.5\n\xff\xfe,2,3\n", 3, &Problem::InvalidUtf8);
    assert_row_error(b",user,transaction_value\n0,1,1.5\n1,2,3\xe9\n", 3, &Problem::InvalidUtf8);
}

#[test]
fn errors_after_quoted_line_ends_name_the_right_line() {
    let text = b",user,transaction_value\n\"a\nb\",1,2\n1,x,3\n";
    let problem = Problem::BadField {
        column: "user",
        expected: "an integer user id such as 3",
        found: "x".into(),
    };
    assert_row_error(text, 4, &problem);
}

#[test]
fn a_directory_is_not_a_transactions_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, error) in errors_of(dir.path()) {
        assert!(matches!(error, Error::Io { .. }), "{name}: {error}");
        assert!(error.to_string().contains(&dir.path().display().to_string()), "{name}: {error}");
    }
}
