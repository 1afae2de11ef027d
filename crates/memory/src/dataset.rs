//! The workshop's data: the seed's transactions, generated the same way on every machine.
//!
//! The seed notebook made its file with pandas: a user from 0 to 10 and a value of
//! 100 × uniform[0, 1) per row, written by `DataFrame.to_csv()`. We write the same format,
//! byte for byte as pandas would print it (`,user,transaction_value` header, an index column,
//! shortest round-trip floats such as `93.0150054830155` or `1.5e-05`).
//!
//! Row `i` depends only on the seed and `i` (a counter-based generator: a hash of the two),
//! so blocks of rows are made on every core at once, in any order, and any number of rows
//! or shards gives the same rows. Memory stays bounded at any size: a few blocks are in
//! flight at a time. While writing, the generator adds each value *as written* to exact
//! totals, which the manifest stores: the oracle every rung is tested against.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use ladder::fs::write_atomically;
use ladder::random::{mix, unit};
use num_bigint::BigInt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::exact::{Decimal, SLOTS};
use crate::totals::{Summary, Totals};

/// The seed used unless another is asked for.
pub const DEFAULT_SEED: u64 = 42;
/// Users are numbered from 0 to `USERS - 1`, as in the seed.
pub const USERS: u64 = 11;
/// Bumped whenever the bytes a seed produces change, so stale data is regenerated.
pub const FORMAT_VERSION: u32 = 1;
/// Rows rendered by one task.
const BLOCK_ROWS: u64 = 1 << 16;
/// Blocks in flight at once: bounds memory at about 16 × 2 MB whatever the row count.
const BLOCKS_IN_FLIGHT: u64 = 16;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// Rows in all files together.
    pub rows: u64,
    /// The generator's seed.
    pub seed: u64,
    /// Files to split the rows into (the I/O lesson reads several).
    pub shards: u32,
}

impl Spec {
    /// The dataset's folder name, for example `tx-10M`, `tx-1M-seed7` or `tx-10M-8shards`.
    pub fn dir_name(&self) -> String {
        let mut name = format!("tx-{}", rows_label(self.rows));
        if self.seed != DEFAULT_SEED {
            write!(name, "-seed{}", self.seed).expect("writing to a String cannot fail");
        }
        if self.shards != 1 {
            write!(name, "-{}shards", self.shards).expect("writing to a String cannot fail");
        }
        name
    }

    /// The data files' names, in row order.
    pub fn file_names(&self) -> Vec<String> {
        match self.shards {
            1 => vec!["transactions.csv".into()],
            k => (0..k).map(|i| format!("part-{i:03}.csv")).collect(),
        }
    }

    /// The rows of shard `k`: the rows split as evenly as possible, in order.
    fn shard_rows(&self, k: u32) -> Range<u64> {
        let at = |k: u64| (u128::from(self.rows) * u128::from(k) / u128::from(self.shards)) as u64;
        at(u64::from(k))..at(u64::from(k) + 1)
    }
}

/// `10M`, `250k`, `1B` or the plain number.
pub fn rows_label(rows: u64) -> String {
    match rows {
        0 => "0".into(),
        r if r % 1_000_000_000 == 0 => format!("{}B", r / 1_000_000_000),
        r if r % 1_000_000 == 0 => format!("{}M", r / 1_000_000),
        r if r % 1_000 == 0 => format!("{}k", r / 1_000),
        r => r.to_string(),
    }
}

/// One data file in a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its name inside the dataset's folder.
    pub name: String,
    /// Data rows (the header not counted).
    pub rows: u64,
    /// Size in bytes.
    pub bytes: u64,
}

/// What was generated, and the exact totals that reading it must give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] at generation.
    pub format_version: u32,
    /// The generator's seed.
    pub seed: u64,
    /// Rows in all files.
    pub rows: u64,
    /// Bytes in all files.
    pub bytes: u64,
    /// The files, in row order.
    pub files: Vec<FileEntry>,
    /// The exact totals of every file together.
    pub expected: Summary,
}

impl Manifest {
    /// The data files of the dataset in `dir`, in row order.
    pub fn paths(&self, dir: &Path) -> Vec<PathBuf> {
        self.files.iter().map(|f| dir.join(&f.name)).collect()
    }

    /// Where a dataset folder keeps its manifest.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join("manifest.json")
    }

    /// Reads a dataset's manifest.
    pub fn load(dir: &Path) -> io::Result<Manifest> {
        let text = fs::read_to_string(Self::path(dir))?;
        serde_json::from_str(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// True if the manifest describes `spec` at the current format and its files are there
    /// with the sizes it lists.
    pub fn is_complete(&self, dir: &Path, spec: &Spec) -> bool {
        let names: Vec<&str> = self.files.iter().map(|f| f.name.as_str()).collect();
        self.format_version == FORMAT_VERSION
            && self.seed == spec.seed
            && self.rows == spec.rows
            && names == spec.file_names()
            && self
                .files
                .iter()
                .all(|f| fs::metadata(dir.join(&f.name)).is_ok_and(|m| m.len() == f.bytes))
    }
}

/// The user and value of row `index`, drawn from a counter-based generator
/// ([`ladder::random::mix`]): row `i` needs no other row.
pub fn row(seed: u64, index: u64) -> (u64, f64) {
    let user = mix(seed ^ mix(2 * index)) % USERS;
    (user, 100.0 * unit(mix(seed ^ mix(2 * index + 1))))
}

/// Appends `value` as Python's `repr(float)` (and so pandas' `to_csv`) writes it: the
/// shortest digits that read back to the same double, positional from 1e-4 up to 1e16 and
/// in exponent form outside. Returns the exact decimal that was written.
pub fn write_python_float(value: f64, out: &mut Vec<u8>, scratch: &mut String) -> Decimal {
    scratch.clear();
    write!(scratch, "{value:e}").expect("writing to a String cannot fail"); // shortest digits
    let (mantissa, exponent) = scratch.split_once('e').expect("`{:e}` always has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes an integer exponent");
    let negative = mantissa.starts_with('-');
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    if negative {
        out.push(b'-');
    }
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            let int_digits = &digits[..int_len.min(digits.len())];
            out.extend_from_slice(int_digits);
            out.extend(std::iter::repeat_n(b'0', int_len - int_digits.len()));
            out.push(b'.');
            match &digits[int_digits.len()..] {
                [] => out.push(b'0'),
                frac => out.extend_from_slice(frac),
            }
        } else {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (-exponent - 1) as usize));
            out.extend_from_slice(&digits);
        }
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        write!(out, "e{sign}{:02}", exponent.unsigned_abs()).expect("writing to a Vec cannot fail");
    }
    let scale = digits.len() as i32 - 1 - exponent;
    let magnitude: u64 =
        std::str::from_utf8(&digits).ok().and_then(|d| d.parse().ok()).unwrap_or(0);
    match u8::try_from(scale) {
        Ok(scale) if usize::from(scale) < SLOTS => Decimal::Small { negative, magnitude, scale },
        _ => {
            let m = BigInt::from(magnitude);
            Decimal::Big(Box::new((if negative { -m } else { m }, scale)))
        }
    }
}

/// Renders rows `range` as CSV lines (no header) and adds each value, as written, to exact
/// totals: the rows of every file `generate` writes, and of the GPU lesson's data in memory.
pub fn render(seed: u64, range: Range<u64>) -> (Vec<u8>, Totals) {
    let mut out = Vec::with_capacity((range.end - range.start) as usize * 30);
    let mut totals = Totals::default();
    let mut scratch = String::new();
    for index in range {
        let (user, value) = row(seed, index);
        write!(out, "{index},{user},").expect("writing to a Vec cannot fail");
        let written = write_python_float(value, &mut out, &mut scratch);
        out.push(b'\n');
        totals.add(user as i64, &written); // user < USERS
    }
    (out, totals)
}

/// Writes the dataset `spec` into `dir` (created if needed) and returns its manifest. Each
/// file is written under a temporary name and renamed when complete, and the manifest is
/// written last, so an interrupted run never leaves a file that looks finished. A run asked to
/// stop (Ctrl-C under a [`ladder::interrupt::Interruptible`] guard) removes its partial file
/// and returns an error of kind `Interrupted`; the partial files of a run killed outright are
/// removed by the next. `progress` is called with the number of rows written so far.
pub fn generate(spec: &Spec, dir: &Path, progress: &(dyn Fn(u64) + Sync)) -> io::Result<Manifest> {
    if spec.shards == 0 {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "at least one shard is needed"));
    }
    fs::create_dir_all(dir)?;
    ladder::fs::remove_stale(dir)?;
    let _ = fs::remove_file(Manifest::path(dir)); // the old data stops counting as complete now
    let mut totals = Totals::default();
    let mut files = Vec::new();
    let mut done = 0;
    for (k, name) in spec.file_names().into_iter().enumerate() {
        let rows = spec.shard_rows(k as u32);
        let bytes = write_atomically(&dir.join(&name), |out| {
            out.write_all(b",user,transaction_value\n")?;
            let mut written = 24;
            let blocks: Vec<Range<u64>> = (rows.start..rows.end)
                .step_by(BLOCK_ROWS as usize)
                .map(|start| start..(start + BLOCK_ROWS).min(rows.end))
                .collect();
            for batch in blocks.chunks(BLOCKS_IN_FLIGHT as usize) {
                let rendered: Vec<_> =
                    batch.par_iter().map(|r| render(spec.seed, r.clone())).collect();
                for ((text, part), range) in rendered.iter().zip(batch) {
                    out.write_all(text)?;
                    written += text.len() as u64;
                    totals.merge(part);
                    done += range.end - range.start;
                }
                progress(done);
                ladder::interrupt::check()?;
            }
            Ok(written)
        })?;
        files.push(FileEntry { name, rows: rows.end - rows.start, bytes });
    }
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        seed: spec.seed,
        rows: spec.rows,
        bytes: files.iter().map(|f| f.bytes).sum(),
        files,
        expected: totals.summary(),
    };
    write_atomically(&Manifest::path(dir), |out| {
        serde_json::to_writer_pretty(&mut *out, &manifest)?;
        out.write_all(b"\n")
    })?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::parse_decimal;
    use crate::exact::ExactSum;
    use proptest::prelude::*;

    fn python(value: f64) -> String {
        let mut out = Vec::new();
        write_python_float(value, &mut out, &mut String::new());
        String::from_utf8(out).expect("ASCII")
    }

    #[test]
    fn writes_floats_as_python_repr_does() {
        // Each pair checked against CPython 3.11's repr().
        for (value, repr) in [
            (93.0150054830155, "93.0150054830155"),
            (1.5e-05, "1.5e-05"),
            (0.0001, "0.0001"),
            (5.0, "5.0"),
            (50.0, "50.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (-2.5e-300, "-2.5e-300"),
            (99.99999999999999, "99.99999999999999"),
        ] {
            assert_eq!(python(value), repr);
        }
    }

    #[test]
    fn names() {
        assert_eq!(Spec { rows: 10_000_000, seed: 42, shards: 1 }.dir_name(), "tx-10M");
        assert_eq!(Spec { rows: 2500, seed: 7, shards: 4 }.dir_name(), "tx-2500-seed7-4shards");
        assert_eq!(Spec { rows: 10, seed: 42, shards: 3 }.file_names()[2], "part-002.csv");
    }

    #[test]
    fn shards_split_rows_evenly_and_in_order() {
        let spec = Spec { rows: 10, seed: 1, shards: 3 };
        let ranges: Vec<_> = (0..3).map(|k| spec.shard_rows(k)).collect();
        assert_eq!(ranges, [0..3, 3..6, 6..10]);
    }

    #[test]
    fn values_cover_the_seed_range() {
        let (mut low, mut high, mut users) = (f64::MAX, f64::MIN, [0u32; USERS as usize]);
        for i in 0..100_000 {
            let (user, value) = row(DEFAULT_SEED, i);
            users[user as usize] += 1;
            (low, high) = (low.min(value), high.max(value));
        }
        assert!((0.0..0.01).contains(&low) && (99.99..100.0).contains(&high), "{low} {high}");
        assert!(users.iter().all(|&n| (8_000..10_200).contains(&n)), "{users:?}");
    }

    proptest! {
        #[test]
        fn written_text_is_the_double_and_the_decimal(value in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            let mut out = Vec::new();
            let written = write_python_float(value, &mut out, &mut String::new());
            let text = std::str::from_utf8(&out).expect("ASCII");
            prop_assert_eq!(text.parse::<f64>().expect("a float"), value);
            let (mut read, mut meant) = (ExactSum::default(), ExactSum::default());
            read.add(&parse_decimal(&out).expect("valid"));
            meant.add(&written);
            prop_assert_eq!(read.value(), meant.value());
        }
    }
}
