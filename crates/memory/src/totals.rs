//! The result every rung returns: rows and exact sums, per user and overall.
//!
//! Each row adds its value to its user's [`ExactSum`]; the overall total is the merge of the
//! users' sums, computed once at the end rather than on every row. Because the sums are exact,
//! two [`Totals`] built from the same rows are equal however the rows were split, ordered or
//! spread over threads, and [`Totals::merge`] is how partial results combine.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exact::{Decimal, ExactDecimal, ExactSum};

/// User ids below this are kept in a flat array indexed by id: no hashing on the hot path.
/// The workshop's data has users 0 to 10; other ids go to an ordered map.
const DENSE_USERS: i64 = 1024;

/// Rows and exact sum for one user, or for the whole file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Group {
    /// How many rows were added.
    pub rows: u64,
    /// Their exact sum.
    pub sum: ExactSum,
}

impl Group {
    fn merge(&mut self, other: &Group) {
        self.rows += other.rows;
        self.sum.merge(&other.sum);
    }
}

// ANCHOR: rows
/// Where a parser puts the rows it reads. [`Totals`] adds them up as they come; another lesson
/// keeps them, to add them up elsewhere (the GPU lesson lays them out for the GPU).
pub trait Rows {
    /// One row whose value is given by its parts: the parsers' hot path.
    fn add_small(&mut self, user: i64, negative: bool, magnitude: u64, scale: u8);
    /// One row of any value.
    fn add(&mut self, user: i64, value: &Decimal);
}

impl Rows for Totals {
    #[inline(always)]
    fn add_small(&mut self, user: i64, negative: bool, magnitude: u64, scale: u8) {
        Totals::add_small(self, user, negative, magnitude, scale);
    }

    #[inline]
    fn add(&mut self, user: i64, value: &Decimal) {
        Totals::add(self, user, value);
    }
}
// ANCHOR_END: rows

/// Exact totals of a transactions file, per user and overall.
///
/// Memory grows with the number of distinct users (about half a KiB each: an [`ExactSum`]
/// has 32 slots of 16 bytes), never with the number of rows. The workshop's data has 11. It
/// serializes exactly, so that partial totals can travel between the processes of a cluster.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Totals {
    dense: Vec<Group>,
    sparse: BTreeMap<i64, Group>,
}

impl Totals {
    /// The group of `user`, created on first use.
    #[inline(always)]
    fn group(&mut self, user: i64) -> &mut Group {
        if (0..DENSE_USERS).contains(&user) {
            let index = user as usize; // in 0..DENSE_USERS
            if index >= self.dense.len() {
                self.dense.resize_with(index + 1, Group::default);
            }
            &mut self.dense[index]
        } else {
            self.sparse.entry(user).or_default()
        }
    }

    /// Adds one row whose value is given by its parts: the parsers' hot path.
    #[inline(always)]
    pub fn add_small(&mut self, user: i64, negative: bool, magnitude: u64, scale: u8) {
        let group = self.group(user);
        group.rows += 1;
        group.sum.add_small(negative, magnitude, scale);
    }

    /// Adds `rows` rows of `user` at once, all of one sign and scale, given the sum of their
    /// mantissas (see [`ExactSum::add_many`]).
    pub fn add_many(&mut self, user: i64, rows: u64, negative: bool, magnitude: u128, scale: u8) {
        let group = self.group(user);
        group.rows += rows;
        group.sum.add_many(negative, magnitude, scale);
    }

    /// Adds one row.
    #[inline]
    pub fn add(&mut self, user: i64, value: &Decimal) {
        let group = self.group(user);
        group.rows += 1;
        group.sum.add(value);
    }

    /// Adds every row of `other`.
    pub fn merge(&mut self, other: &Totals) {
        for (user, group) in other.users() {
            self.group(user).merge(group);
        }
    }

    /// Every user with at least one row, in ascending order of id.
    pub fn users(&self) -> impl Iterator<Item = (i64, &Group)> {
        let dense = self.dense.iter().enumerate().map(|(id, g)| (id as i64, g));
        let mut sparse = self.sparse.iter().map(|(id, g)| (*id, g)).peekable();
        // Negative ids sort before the dense block, large ids after it.
        let negatives: Vec<_> = std::iter::from_fn(|| sparse.next_if(|(id, _)| *id < 0)).collect();
        negatives.into_iter().chain(dense).chain(sparse).filter(|(_, g)| g.rows > 0)
    }

    /// The whole file: all users merged.
    pub fn overall(&self) -> Group {
        let mut all = Group::default();
        for (_, group) in self.users() {
            all.merge(group);
        }
        all
    }

    /// The exact figures, ready to compare, print or store.
    pub fn summary(&self) -> Summary {
        let per_user = self.users().map(|(user, g)| UserSummary::new(user, g)).collect();
        Summary { overall: Figures::of(&self.overall()), per_user }
    }
}

impl PartialEq for Totals {
    fn eq(&self, other: &Self) -> bool {
        self.summary() == other.summary()
    }
}

/// Rows, exact total and its rounded value: what the manifest stores and the binary prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Number of rows.
    pub rows: u64,
    /// The exact sum, every digit, as text (for example `"465034219.650203"`).
    pub exact: String,
    /// The exact sum rounded once to the nearest double, printed to round-trip.
    pub total: F64,
}

/// A double that compares bit for bit, so a summary can derive `Eq`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct F64(pub f64);

impl PartialEq for F64 {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}
impl Eq for F64 {}

impl Figures {
    fn of(group: &Group) -> Self {
        let exact: ExactDecimal = group.sum.value();
        Figures { rows: group.rows, exact: exact.to_string(), total: F64(exact.to_f64()) }
    }
}

/// One user's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// The user id.
    pub user: i64,
    /// That user's rows and sum.
    #[serde(flatten)]
    pub figures: Figures,
}

impl UserSummary {
    fn new(user: i64, group: &Group) -> Self {
        UserSummary { user, figures: Figures::of(group) }
    }
}

/// Overall and per-user figures of a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The whole file.
    pub overall: Figures,
    /// Each user, in ascending order of id.
    pub per_user: Vec<UserSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::parse_decimal;

    fn value(text: &str) -> Decimal {
        parse_decimal(text.as_bytes()).expect("valid test number")
    }

    #[test]
    fn groups_by_user_in_id_order() {
        let mut totals = Totals::default();
        for (user, v) in [(3, "1.5"), (-7, "2"), (3, "0.25"), (5000, "-1"), (0, "10")] {
            totals.add(user, &value(v));
        }
        let summary = totals.summary();
        let ids: Vec<i64> = summary.per_user.iter().map(|u| u.user).collect();
        assert_eq!(ids, [-7, 0, 3, 5000]);
        assert_eq!(summary.per_user[2].figures.exact, "1.75");
        assert_eq!(summary.overall.rows, 5);
        assert_eq!(summary.overall.exact, "12.75");
        assert_eq!(summary.overall.total, F64(12.75));
    }

    #[test]
    fn merged_parts_equal_the_whole() {
        let rows = [(1, "0.1"), (2, "0.2"), (1, "-0.3"), (9, "1e-30"), (2, "7")];
        let mut whole = Totals::default();
        let (mut left, mut right) = (Totals::default(), Totals::default());
        for (i, (user, v)) in rows.iter().enumerate() {
            whole.add(*user, &value(v));
            if i % 2 == 0 { &mut left } else { &mut right }.add(*user, &value(v));
        }
        right.merge(&left);
        assert_eq!(whole, right);
        assert_ne!(whole, left);
    }

    #[test]
    fn totals_cross_a_network_exactly_big_values_included() {
        let mut totals = Totals::default();
        for (user, v) in [(1, "0.1"), (-3, "-1e300"), (70_000, "123456789012345678901234567890.5")]
        {
            totals.add(user, &value(v));
        }
        let sent = serde_json::to_string(&totals).expect("serializable");
        let received: Totals = serde_json::from_str(&sent).expect("deserializable");
        assert_eq!(received, totals);
        assert_eq!(received.summary(), totals.summary());
    }
}
