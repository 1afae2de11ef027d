//! A transactions file's values, parsed on the processor and laid out for the GPU.
//!
//! The memory lesson adds each value's integer mantissa to the slot of its user and its scale
//! (digits after the point): exact, in any order. A GPU adds well when every invocation does the
//! same thing, so the values are laid out so that there is nothing to decide: the mantissas of
//! one user, one sign and one scale form one *bucket*, and the buckets lie one after another in
//! one array. A kernel then adds plain unsigned integers, and the host gives each bucket's sum
//! to the memory lesson's [`Totals`], which does the rest exactly as for any other rung.
//!
//! Parsing is the processor's work here, and the memory lesson's parser does it
//! ([`lesson_memory::fast::Parser`]): what the GPU is given is the part of the job it can do.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use lesson_memory::Totals;
use lesson_memory::exact::{Decimal, SLOTS};
use lesson_memory::ladder::mmap::{header_at_eof, map};
use lesson_memory::totals::Rows;

/// The values of one user, one sign and one scale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// Whose values.
    pub user: i64,
    /// Values below zero (their magnitudes are stored).
    pub negative: bool,
    /// Digits after the point.
    pub scale: u8,
    /// Where its magnitudes lie in [`Column::values`].
    pub range: Range<usize>,
}

/// A file's values, bucket after bucket, and what the GPU is not given.
#[derive(Clone, Debug, Default)]
pub struct Column {
    values: Vec<u64>,
    buckets: Vec<Bucket>,
    rest: Totals,
}

impl Column {
    /// Parses a transactions file with the memory lesson's parser (errors name the file, the
    /// line and what was expected, as that lesson's do) and lays its values out.
    pub fn read(path: &Path) -> Result<Column, lesson_memory::Error> {
        Column::parse(&map(path)?, path)
    }

    /// Parses the whole contents of a transactions file held in `bytes`; `path` names it in
    /// errors.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Column, lesson_memory::Error> {
        let (mut parser, header_len) = header_at_eof(bytes, path)?;
        let mut collect = Collect::default();
        parser.parse(&bytes[header_len..], true, &mut collect).map_err(|e| e.in_file(path))?;
        Ok(collect.into_column())
    }

    /// Every magnitude, bucket after bucket, padded with a zero to an even length that no
    /// bucket covers, so that a kernel may read them two at a time.
    pub fn values(&self) -> &[u64] {
        &self.values
    }

    /// The buckets, in order of user, sign and scale.
    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }

    /// The rows the GPU is not given, added on the host: values with more than 19 digits or a
    /// scale beyond the memory lesson's slots. The workshop's data has none.
    pub fn rest(&self) -> &Totals {
        &self.rest
    }

    /// Totals from each bucket's sum, in the order of [`Column::buckets`], and the rest: what
    /// every rung returns.
    pub fn totals(&self, sums: &[u128]) -> Totals {
        let mut totals = self.rest.clone();
        for (bucket, &sum) in self.buckets.iter().zip(sums) {
            let rows = bucket.range.len() as u64;
            totals.add_many(bucket.user, rows, bucket.negative, sum, bucket.scale);
        }
        totals
    }
}

/// The column being built, as the parser hands it rows.
#[derive(Default)]
pub struct Collect {
    /// Buckets of users `0..DENSE_USERS`, at `(user · 2 + negative) · SLOTS + scale`: no
    /// lookup on the hot path.
    dense: Vec<Vec<u64>>,
    /// Buckets of other users.
    sparse: BTreeMap<(i64, bool, u8), Vec<u64>>,
    rest: Totals,
}

/// Users below this are bucketed by index, as the memory lesson's totals are.
const DENSE_USERS: i64 = 1024;

impl Rows for Collect {
    #[inline(always)]
    fn add_small(&mut self, user: i64, negative: bool, magnitude: u64, scale: u8) {
        if (0..DENSE_USERS).contains(&user) && usize::from(scale) < SLOTS {
            let index = (user as usize * 2 + usize::from(negative)) * SLOTS + usize::from(scale);
            if index >= self.dense.len() {
                self.dense.resize_with(index + 1, Vec::new);
            }
            self.dense[index].push(magnitude);
        } else {
            self.sparse.entry((user, negative, scale)).or_default().push(magnitude);
        }
    }

    fn add(&mut self, user: i64, value: &Decimal) {
        match *value {
            Decimal::Small { negative, magnitude, scale } => {
                self.add_small(user, negative, magnitude, scale)
            }
            Decimal::Big(_) => self.rest.add(user, value),
        }
    }
}

impl Collect {
    /// The column: every bucket in order of user, sign and scale.
    pub fn into_column(self) -> Column {
        let dense = self.dense.into_iter().enumerate().map(|(index, values)| {
            let scale = (index % SLOTS) as u8; // < SLOTS
            let negative = (index / SLOTS) % 2 == 1;
            ((index / SLOTS / 2) as i64, negative, scale, values)
        });
        let sparse =
            self.sparse.into_iter().map(|((user, negative, scale), v)| (user, negative, scale, v));
        let mut all: Vec<_> = dense.chain(sparse).filter(|(.., v)| !v.is_empty()).collect();
        all.sort_by_key(|&(user, negative, scale, _)| (user, negative, scale));
        let len: usize = all.iter().map(|(.., v)| v.len()).sum();
        let mut values = Vec::with_capacity(len + 1);
        let mut buckets = Vec::with_capacity(all.len());
        for (user, negative, scale, magnitudes) in all {
            let range = values.len()..values.len() + magnitudes.len();
            values.extend_from_slice(&magnitudes);
            buckets.push(Bucket { user, negative, scale, range });
        }
        if values.len() % 2 == 1 {
            values.push(0);
        }
        Column { values, buckets, rest: self.rest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lesson_memory::decimal::parse_decimal;

    fn column(rows: &[(i64, bool, u64, u8)]) -> Column {
        let mut collect = Collect::default();
        for &(user, negative, magnitude, scale) in rows {
            collect.add_small(user, negative, magnitude, scale);
        }
        collect.into_column()
    }

    #[test]
    fn buckets_by_user_sign_and_scale_in_order() {
        let c = column(&[(3, false, 5, 2), (-7, true, 1, 0), (3, false, 6, 2), (3, true, 9, 2)]);
        let keys: Vec<_> =
            c.buckets().iter().map(|b| (b.user, b.negative, b.scale, b.range.clone())).collect();
        assert_eq!(keys, [(-7, true, 0, 0..1), (3, false, 2, 1..3), (3, true, 2, 3..4)]);
        assert_eq!(c.values(), [1, 5, 6, 9]);
    }

    #[test]
    fn pads_to_pairs_with_a_zero_no_bucket_covers() {
        let c = column(&[(1, false, 7, 0)]);
        assert_eq!(c.values(), [7, 0]);
        assert_eq!(c.buckets()[0].range, 0..1);
    }

    #[test]
    fn totals_from_bucket_sums_are_the_memory_lessons() {
        let rows = [
            (0, "9999999999999999999e-3"), // the largest mantissa at scale 3
            (0, "9999999999999999.999"),
            (2, "-1.5"),
            (5, "1e-40"),                     // beyond the slots: the rest
            (-9, "123456789012345678901234"), // beyond 19 digits: the rest
        ];
        let (mut collect, mut expected) = (Collect::default(), Totals::default());
        for (user, text) in rows {
            let value = parse_decimal(text.as_bytes()).expect("a number");
            collect.add(user, &value);
            expected.add(user, &value);
        }
        let c = collect.into_column();
        assert_eq!(c.buckets().len(), 2);
        assert_eq!(c.rest().summary().overall.rows, 2);
        let sums: Vec<u128> = c
            .buckets()
            .iter()
            .map(|b| c.values()[b.range.clone()].iter().map(|&v| u128::from(v)).sum())
            .collect();
        assert_eq!(c.totals(&sums), expected);
    }
}
