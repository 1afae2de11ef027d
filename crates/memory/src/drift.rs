//! The floating-point lesson: the naive `+=` sum of doubles depends on the order of the rows.
//!
//! Python's `float` and Rust's `f64` round every addition to 53 bits, so adding the same
//! numbers in another order (file order, per chunk as the seed's loop does, or on two
//! threads) gives different last digits. This module computes those naive sums so the book
//! and the binary can show them beside the exact total that every rung agrees on.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ladder::{header_at_eof, mmap_bytes};
use crate::record::{check_record, split_row};

/// Naive double-precision sums of one file's values in several orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// `total += value` in file order, as a plain Python loop.
    pub file_order: f64,
    /// Each 100 000 rows summed by a loop, then the sums added: the seed's chunking.
    pub chunks_of_100k: f64,
    /// Even rows and odd rows summed apart, then added: two threads.
    pub two_threads: f64,
    /// In reverse file order.
    pub reversed: f64,
    /// The exact sum rounded once: what every rung returns.
    pub exact: f64,
}

impl Drift {
    /// The naive sums with how far each is from the exact one, in units in the last place.
    pub fn rows(&self) -> Vec<(&'static str, f64, i64)> {
        let ulps = |x: f64| (x.to_bits() as i64).wrapping_sub(self.exact.to_bits() as i64);
        [
            ("file order (a Python loop)", self.file_order),
            ("chunks of 100 000 rows, each summed by a loop", self.chunks_of_100k),
            ("even and odd rows apart (two threads)", self.two_threads),
            ("reversed", self.reversed),
            ("exact, rounded once (every rung)", self.exact),
        ]
        .into_iter()
        .map(|(name, x)| (name, x, ulps(x)))
        .collect()
    }
}

/// Parses every value as Python's `float()` would and sums the doubles in several orders.
pub fn drift(path: &Path, exact: f64) -> Result<Drift, Error> {
    let map = mmap_bytes(path)?;
    let bytes: &[u8] = &map;
    let (parser, header_len) = header_at_eof(bytes, path)?;
    let layout = parser.layout();
    let mut values = Vec::new();
    let (mut pos, mut line) = (header_len, parser.line());
    while pos < bytes.len() {
        let Some(row) = split_row(&bytes[pos..], true) else { break };
        let fields: Vec<&[u8]> = row.fields.iter().map(Vec::as_slice).collect();
        let checked = check_record(&fields, layout);
        let row_error = |problem| Error::Row { path: path.into(), line, byte: pos as u64, problem };
        if checked.map_err(row_error)?.is_some() {
            let text = std::str::from_utf8(fields[fields.len() - 1]).unwrap_or_default();
            values.push(text.trim_end_matches('\r').parse::<f64>().unwrap_or(f64::NAN));
        }
        pos += row.len;
        line += 1 + row.extra_lines;
    }
    let sum = |xs: &mut dyn Iterator<Item = &f64>| xs.fold(0.0, |acc, x| acc + x);
    Ok(Drift {
        file_order: sum(&mut values.iter()),
        chunks_of_100k: values.chunks(100_000).map(|c| sum(&mut c.iter())).sum(),
        two_threads: sum(&mut values.iter().step_by(2))
            + sum(&mut values.iter().skip(1).step_by(2)),
        reversed: sum(&mut values.iter().rev()),
        exact,
    })
}
