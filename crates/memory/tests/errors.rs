//! Bad input gets a clear error from every rung: the file, the line, what was expected.
//! For a bad row, every rung reports the same problem on the same line.

use lesson_memory::LADDER;
use lesson_memory::kit::{self, bad_input};
use lesson_memory::ladder::CHUNKED;

#[test]
fn the_chunked_rung_refuses_chunks_of_no_rows() {
    kit::refuses_chunks_of_no_rows(CHUNKED.name, CHUNKED.run);
}

#[test]
fn missing_file() {
    for rung in LADDER.available() {
        bad_input::missing_file(rung.name, rung.run);
    }
}

#[test]
fn empty_file() {
    for rung in LADDER.available() {
        bad_input::empty_file(rung.name, rung.run);
    }
}

#[test]
fn wrong_header() {
    for rung in LADDER.available() {
        bad_input::wrong_header(rung.name, rung.run);
    }
}

#[test]
fn value_that_is_not_a_number() {
    for rung in LADDER.available() {
        bad_input::value_that_is_not_a_number(rung.name, rung.run);
    }
}

#[test]
fn missing_value() {
    for rung in LADDER.available() {
        bad_input::missing_value(rung.name, rung.run);
    }
}

#[test]
fn user_that_is_not_an_integer() {
    for rung in LADDER.available() {
        bad_input::user_that_is_not_an_integer(rung.name, rung.run);
    }
}

#[test]
fn short_and_long_rows() {
    for rung in LADDER.available() {
        bad_input::short_and_long_rows(rung.name, rung.run);
    }
}

#[test]
fn invalid_utf8() {
    for rung in LADDER.available() {
        bad_input::invalid_utf8(rung.name, rung.run);
    }
}

#[test]
fn errors_after_quoted_line_ends_name_the_right_line() {
    for rung in LADDER.available() {
        bad_input::errors_after_quoted_line_ends_name_the_right_line(rung.name, rung.run);
    }
}

#[test]
fn a_directory_is_not_a_transactions_file() {
    for rung in LADDER.available() {
        bad_input::a_directory_is_not_a_transactions_file(rung.name, rung.run);
    }
}
