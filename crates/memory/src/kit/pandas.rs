//! Files written by pandas itself (see `tests/fixtures/make_pandas_fixtures.py`), against the
//! totals Python computed for them with exact fractions: a rung must agree with Python, not
//! only with the other rungs.

use std::path::Path;

use num_bigint::BigInt;

use super::{option_sets, summary};
use crate::ladder::Sum;
use crate::totals::Figures;

/// The totals Python computed for the files pandas wrote (see `make_pandas_fixtures.py`).
#[derive(serde::Deserialize)]
struct PandasExpected {
    overall: PythonFigures,
    per_user: Vec<PythonUser>,
    files: Vec<String>,
}

#[derive(serde::Deserialize)]
struct PythonFigures {
    rows: u64,
    exact_fraction: String,
    total: f64,
}

#[derive(serde::Deserialize)]
struct PythonUser {
    user: i64,
    #[serde(flatten)]
    figures: PythonFigures,
}

/// True if the decimal text `exact` equals the fraction `num/den`.
fn decimal_equals_fraction(exact: &str, fraction: &str) -> bool {
    let (num, den) = fraction.split_once('/').expect("num/den");
    let (num, den): (BigInt, BigInt) = (num.parse().expect("int"), den.parse().expect("int"));
    let (digits, scale) = match exact.split_once('.') {
        Some((int, frac)) => (format!("{int}{frac}"), frac.len() as u32),
        None => (exact.to_string(), 0),
    };
    let digits: BigInt = digits.parse().expect("int");
    digits * den == num * BigInt::from(10u8).pow(scale)
}

fn check_python(figures: &Figures, python: &PythonFigures, what: &str) {
    assert_eq!(figures.rows, python.rows, "{what}");
    assert!(
        decimal_equals_fraction(&figures.exact, &python.exact_fraction),
        "{what}: {}",
        figures.exact
    );
    assert_eq!(figures.total.0.to_bits(), python.total.to_bits(), "{what}");
}

/// Every fixture file pandas wrote, with every option set: rows, the exact total and its
/// rounding, overall and per user, as Python computed them.
pub fn reads_files_written_by_pandas(what: &str, sum: Sum) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(fixtures.join("pandas_expected.json")).expect("fixture");
    let expected: PandasExpected = serde_json::from_str(&text).expect("json");
    assert_eq!(expected.files.len(), 5);
    for file in &expected.files {
        for options in option_sets() {
            let summary = summary(what, sum, &fixtures.join(file), &options);
            let what = format!("{what} on {file}");
            check_python(&summary.overall, &expected.overall, &what);
            assert_eq!(summary.per_user.len(), expected.per_user.len(), "{what}");
            for (ours, python) in summary.per_user.iter().zip(&expected.per_user) {
                assert_eq!(ours.user, python.user, "{what}");
                check_python(&ours.figures, &python.figures, &what);
            }
        }
    }
}
