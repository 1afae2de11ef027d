//! Random files in every valid form pandas (or a person) can write: quoted fields, CRLF line
//! ends, blank lines, exponents, negative values, an index with a comma and a line end in it,
//! with and without a final newline; read with random chunking, buffers and thread counts.

use std::num::NonZeroUsize;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::exact::Decimal;
use crate::ladder::{Options, Sum};
use crate::totals::Totals;

/// One random row: a user, a value as integer parts, and how to write it.
#[derive(Clone, Debug)]
struct RandomRow {
    user: i64,
    negative: bool,
    magnitude: u64,
    scale: u8,
    scientific: bool,
    quote: bool,
    crlf: bool,
    blank_line_after: bool,
    odd_index: bool,
}

fn random_row() -> impl Strategy<Value = RandomRow> {
    (
        prop_oneof![0i64..11, -5i64..5000],
        any::<bool>(),
        prop_oneof![0u64..1000, any::<u64>()],
        0u8..25,
        (any::<bool>(), prop::bool::weighted(0.05), any::<bool>()),
        (prop::bool::weighted(0.05), prop::bool::weighted(0.02)),
    )
        .prop_map(
            |(user, negative, magnitude, scale, (scientific, quote, crlf), (blank, odd))| {
                RandomRow {
                    user,
                    negative,
                    magnitude,
                    scale,
                    scientific,
                    quote,
                    crlf,
                    blank_line_after: blank,
                    odd_index: odd,
                }
            },
        )
}

/// Writes `magnitude × 10^-scale` positionally (`0.0042`) or in exponent form (`4.2e-03`).
fn write_value(row: &RandomRow) -> String {
    let digits = row.magnitude.to_string();
    let sign = if row.negative { "-" } else { "" };
    if row.scientific {
        let exponent = digits.len() as i64 - 1 - i64::from(row.scale);
        let rest = if digits.len() > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        format!("{sign}{}{rest}e{exponent:+03}", &digits[..1])
    } else {
        let scale = usize::from(row.scale);
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
    }
}

fn write_file(rows: &[RandomRow], has_index: bool, final_newline: bool) -> Vec<u8> {
    let mut text = String::from(if has_index {
        ",user,transaction_value\n"
    } else {
        "user,transaction_value\n"
    });
    for (i, row) in rows.iter().enumerate() {
        let value = write_value(row);
        let q = |s: String| if row.quote { format!("\"{s}\"") } else { s };
        if has_index {
            // A string index with a comma, a quote and a line end: legal CSV, unusual data.
            let index = if row.odd_index {
                "\"id, \"\"x\"\"\nnext\"".to_string()
            } else {
                q(i.to_string())
            };
            text += &format!("{index},");
        }
        text += &format!("{},{}", q(row.user.to_string()), q(value));
        text += if row.crlf { "\r\n" } else { "\n" };
        if row.blank_line_after {
            text += "\n";
        }
    }
    if !final_newline {
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
    }
    text.into_bytes()
}

/// Any file in any valid form, read with any chunking, buffer and thread count, gives exactly
/// the totals of the values written into it, built straight from the integers (no text is
/// parsed to build the reference). Forty-eight random cases; a failure shows the smallest.
pub fn on_random_files(what: &str, sum: Sum) {
    let cases = (
        proptest::collection::vec(random_row(), 0..300),
        any::<bool>(),
        any::<bool>(),
        (1usize..50, 1usize..300, 1usize..9),
    );
    let mut runner = TestRunner::new(Config { cases: 48, ..Config::default() });
    let result =
        runner.run(&cases, |(rows, has_index, final_newline, (chunk, buffer, threads))| {
            let rows: Vec<RandomRow> = rows
                .into_iter()
                .map(|r| RandomRow { odd_index: r.odd_index && has_index, ..r })
                .collect();
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("random.csv");
            std::fs::write(&path, write_file(&rows, has_index, final_newline)).expect("write");
            let mut reference = Totals::default();
            for r in &rows {
                let value =
                    Decimal::Small { negative: r.negative, magnitude: r.magnitude, scale: r.scale };
                reference.add(r.user, &value);
            }
            let options = Options {
                rows_per_chunk: chunk,
                buffer_bytes: buffer,
                threads: NonZeroUsize::new(threads).expect("non-zero"),
            };
            let summary =
                sum(&path, &options).map_err(|e| TestCaseError::fail(e.to_string()))?.summary();
            prop_assert_eq!(&summary, &reference.summary(), "{} with {:?}", what, options);
            Ok(())
        });
    if let Err(e) = result {
        panic!("{what} on a random file: {e}");
    }
}
