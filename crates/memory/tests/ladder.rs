//! Every rung returns the same exact totals: on generated data against the manifest's oracle,
//! on files written by pandas itself against totals computed in Python, and on random files
//! in every valid form against a reference built without parsing text at all.

use std::num::NonZeroUsize;
use std::path::Path;

use ladder::testing::every_rung;
use lesson_memory::dataset::{self, Spec};
use lesson_memory::exact::Decimal;
use lesson_memory::ladder::mmap;
use lesson_memory::{LADDER, Options, Summary, Totals};
use num_bigint::BigInt;
use proptest::prelude::*;

/// Option sets that change how each rung splits its work: none may change the result.
fn option_sets() -> Vec<Options> {
    let threads = |n| NonZeroUsize::new(n).expect("non-zero");
    vec![
        Options::default(),
        Options { rows_per_chunk: 1, buffer_bytes: 64, threads: threads(1) },
        Options { rows_per_chunk: 7, buffer_bytes: 100, threads: threads(2) },
        Options { rows_per_chunk: 4096, buffer_bytes: 4099, threads: threads(7) },
    ]
}

fn run_every_rung(path: &Path, options: &Options) -> Vec<(&'static str, Summary)> {
    every_rung(&LADDER, |r| (r.run)(path, options).map(|t| t.summary()))
}

#[test]
fn every_rung_matches_the_generated_oracle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = Spec { rows: 60_000, seed: 7, shards: 1 };
    let manifest = dataset::generate(&spec, dir.path(), &|_| {}).expect("generate");
    let file = dir.path().join(&manifest.files[0].name);
    assert_eq!(manifest.expected.overall.rows, 60_000);
    assert_eq!(manifest.expected.per_user.len(), dataset::USERS as usize);
    for options in option_sets() {
        for (name, summary) in run_every_rung(&file, &options) {
            assert_eq!(summary, manifest.expected, "{name} with {options:?}");
        }
    }
}

#[test]
fn generation_is_deterministic_and_shards_hold_the_same_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = Spec { rows: 5_000, seed: 3, shards: 1 };
    let three = Spec { shards: 3, ..one };
    let a = dataset::generate(&one, &dir.path().join("a"), &|_| {}).expect("generate");
    dataset::generate(&one, &dir.path().join("b"), &|_| {}).expect("generate");
    let c = dataset::generate(&three, &dir.path().join("c"), &|_| {}).expect("generate");
    let read = |d: &str, name: &str| std::fs::read(dir.path().join(d).join(name)).expect("read");
    assert_eq!(read("a", "transactions.csv"), read("b", "transactions.csv"));
    assert_eq!(a.expected, c.expected);
    assert!(a.is_complete(&dir.path().join("a"), &one));
    assert!(!a.is_complete(&dir.path().join("a"), &three));
    // Shards concatenated without their headers are the single file's rows.
    let header = b",user,transaction_value\n".len();
    let joined: Vec<u8> =
        c.files.iter().flat_map(|f| read("c", &f.name)[header..].to_vec()).collect();
    assert_eq!(joined, read("a", "transactions.csv")[header..]);
    let mut total = Totals::default();
    for f in &c.files {
        total.merge(&mmap(&dir.path().join("c").join(&f.name), &Options::default()).expect("read"));
    }
    assert_eq!(total.summary(), c.expected);
}

/// pandas' `to_csv(index=False, quoting=QUOTE_ALL, encoding="utf-8-sig")`: a byte-order mark,
/// then a quoted header.
#[test]
fn every_rung_reads_a_byte_order_mark_before_quoted_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bom.csv");
    std::fs::write(
        &path,
        b"\xEF\xBB\xBF\"user\",\"transaction_value\"\r\n\"1\",\"2.5\"\r\n\"2\",\"-1e-1\"\r\n",
    )
    .expect("write");
    for (name, summary) in run_every_rung(&path, &Options::default()) {
        assert_eq!((summary.overall.rows, summary.overall.exact.as_str()), (2, "2.4"), "{name}");
    }
}

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

fn check_python(figures: &lesson_memory::totals::Figures, python: &PythonFigures, what: &str) {
    assert_eq!(figures.rows, python.rows, "{what}");
    assert!(
        decimal_equals_fraction(&figures.exact, &python.exact_fraction),
        "{what}: {}",
        figures.exact
    );
    assert_eq!(figures.total.0.to_bits(), python.total.to_bits(), "{what}");
}

#[test]
fn every_rung_reads_files_written_by_pandas() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(fixtures.join("pandas_expected.json")).expect("fixture");
    let expected: PandasExpected = serde_json::from_str(&text).expect("json");
    assert_eq!(expected.files.len(), 5);
    for file in &expected.files {
        for options in option_sets() {
            for (name, summary) in run_every_rung(&fixtures.join(file), &options) {
                let what = format!("{name} on {file}");
                check_python(&summary.overall, &expected.overall, &what);
                assert_eq!(summary.per_user.len(), expected.per_user.len(), "{what}");
                for (ours, python) in summary.per_user.iter().zip(&expected.per_user) {
                    assert_eq!(ours.user, python.user, "{what}");
                    check_python(&ours.figures, &python.figures, &what);
                }
            }
        }
    }
}

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any file in any valid form, read by any rung with any chunking, buffer and thread
    /// count, gives exactly the totals of the values we wrote into it.
    #[test]
    fn every_rung_on_random_files(
        rows in proptest::collection::vec(random_row(), 0..300),
        has_index in any::<bool>(),
        final_newline in any::<bool>(),
        rows_per_chunk in 1usize..50,
        buffer_bytes in 1usize..300,
        threads in 1usize..9,
    ) {
        let rows: Vec<RandomRow> = rows.into_iter().map(|r| RandomRow { odd_index: r.odd_index && has_index, ..r }).collect();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("random.csv");
        std::fs::write(&path, write_file(&rows, has_index, final_newline)).expect("write");
        let mut reference = Totals::default();
        for r in &rows {
            // Straight from the integers: no text is parsed to build the reference.
            let value = Decimal::Small { negative: r.negative, magnitude: r.magnitude, scale: r.scale };
            reference.add(r.user, &value);
        }
        let options = Options {
            rows_per_chunk,
            buffer_bytes,
            threads: NonZeroUsize::new(threads).expect("non-zero"),
        };
        for (name, summary) in run_every_rung(&path, &options) {
            prop_assert_eq!(&summary, &reference.summary(), "{}", name);
        }
    }
}
