//! Exact, order-independent sums of decimal numbers.
//!
//! Floating-point addition is not associative: `(a + b) + c` and `a + (b + c)` can differ in
//! the last bits, so a sum computed in file order, in chunks, or on two threads gives three
//! different answers. We sidestep the problem instead of managing it: **we never add floats**.
//!
//! Every value in the file is a decimal written in text, `m × 10^-s`: an integer mantissa `m`
//! and a scale `s` (digits after the point, minus any exponent). Two values of the same scale
//! add as plain integers, exactly, in any order. An [`ExactSum`] keeps one 128-bit integer per
//! scale, so adding a value is one integer addition, and merging two sums (from two chunks,
//! two threads or two machines) adds them slot by slot. Only at the very end is the exact
//! decimal rounded, once, to the nearest `f64` ([`ExactDecimal::to_f64`]).
//!
//! The total is therefore *defined* as the exact sum of the decimal values written in the
//! file, rounded once. Python gives the same number with
//! `float(sum(fractions.Fraction(s) for s in column_as_text))`.
//!
//! **Why 128 bits cannot overflow.** Every row adds less than 2^64 to one slot, so a slot
//! could overflow `i128` only after 2^63 rows. A row is at least four bytes, so that file
//! would be over 32 EiB. Mantissas longer than 19 digits and scales outside the fixed slots
//! (such as `1e300`) go to an arbitrary-precision side table, which is just as exact.

use std::collections::BTreeMap;
use std::fmt;

use num_bigint::BigInt;
use serde::{Deserialize, Serialize};

/// Scales with a fixed slot: 0 to 31 digits after the point. The generated data needs up to
/// about 22 (`1.2345678901234567e-05`); anything else is exact too, only slower.
pub const SLOTS: usize = 32;

/// One number as written in the file: `±magnitude × 10^-scale`, exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decimal {
    /// At most 19 significant digits and a scale in `0..SLOTS`: the fast, common case.
    Small {
        /// True for a leading minus sign.
        negative: bool,
        /// The digits without the point, as an integer.
        magnitude: u64,
        /// How many places the point sits from the right, in `0..SLOTS`.
        scale: u8,
    },
    /// Any other finite decimal (long mantissa, large exponent); boxed to keep rows small.
    Big(Box<(BigInt, i32)>),
}

impl Decimal {
    /// The value as `(signed mantissa, scale)`, meaning `mantissa × 10^-scale`.
    pub fn to_parts(&self) -> (BigInt, i32) {
        match self {
            Decimal::Small { negative, magnitude, scale } => {
                let m = BigInt::from(*magnitude);
                (if *negative { -m } else { m }, i32::from(*scale))
            }
            Decimal::Big(parts) => (parts.0.clone(), parts.1),
        }
    }
}

// ANCHOR: exact_sum
/// An exact running sum of decimals: one integer per scale.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ExactSum {
    /// `slots[s]` is the sum of the signed mantissas of every value with scale `s`.
    slots: [i128; SLOTS],
    /// Values that do not fit a slot, by scale.
    #[serde(with = "big_integers")]
    rest: BTreeMap<i32, BigInt>,
}

impl ExactSum {
    /// Adds one value given by its parts; the hot path of every parser.
    #[inline(always)]
    pub fn add_small(&mut self, negative: bool, magnitude: u64, scale: u8) {
        let m = i128::from(magnitude);
        // `scale < SLOTS` is guaranteed by the parsers; the mask keeps the index in bounds
        // without a branch (an out-of-range scale cannot reach here).
        self.slots[usize::from(scale) & (SLOTS - 1)] += if negative { -m } else { m };
    }
}
// ANCHOR_END: exact_sum

impl ExactSum {
    /// Adds one value.
    pub fn add(&mut self, value: &Decimal) {
        match value {
            Decimal::Small { negative, magnitude, scale } => {
                self.add_small(*negative, *magnitude, *scale)
            }
            Decimal::Big(parts) => *self.rest.entry(parts.1).or_default() += &parts.0,
        }
    }

    /// Adds many values of one sign and scale at once, given their sum `magnitude`, added up
    /// elsewhere (the GPU lesson adds the mantissas of each scale on the GPU).
    pub fn add_many(&mut self, negative: bool, magnitude: u128, scale: u8) {
        match i128::try_from(magnitude) {
            Ok(m) if usize::from(scale) < SLOTS => {
                self.slots[usize::from(scale)] += if negative { -m } else { m };
            }
            _ => {
                let m = BigInt::from(magnitude);
                *self.rest.entry(i32::from(scale)).or_default() += if negative { -m } else { m };
            }
        }
    }

    /// Adds every value of `other`: the sum of the union of both sets of values.
    pub fn merge(&mut self, other: &ExactSum) {
        for (mine, theirs) in self.slots.iter_mut().zip(&other.slots) {
            *mine += theirs;
        }
        for (scale, m) in &other.rest {
            *self.rest.entry(*scale).or_default() += m;
        }
    }

    /// The exact value of the sum.
    pub fn value(&self) -> ExactDecimal {
        let parts = self.slots.iter().enumerate().filter(|(_, m)| **m != 0).map(|(s, m)| {
            (BigInt::from(*m), s as i32) // s < SLOTS, so the cast is exact
        });
        // Zeros are skipped: `0e-100000` must not make us build 10^100000.
        let rest = self.rest.iter().filter(|(_, m)| **m != BigInt::default());
        let parts: Vec<(BigInt, i32)> = parts.chain(rest.map(|(s, m)| (m.clone(), *s))).collect();
        let Some(scale) = parts.iter().map(|(_, s)| *s).max() else {
            return ExactDecimal::zero();
        };
        let mut mantissa = BigInt::default();
        for (m, s) in parts {
            mantissa += m * pow10(scale - s);
        }
        ExactDecimal::normalized(mantissa, scale)
    }
}

fn pow10(exponent: i32) -> BigInt {
    BigInt::from(10u8).pow(exponent.unsigned_abs())
}

/// An exact decimal `mantissa × 10^-scale` in lowest terms (no trailing zeros in the
/// mantissa), so two equal values have equal representations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExactDecimal {
    mantissa: BigInt,
    scale: i32,
}

impl ExactDecimal {
    /// Zero.
    pub fn zero() -> Self {
        ExactDecimal { mantissa: BigInt::default(), scale: 0 }
    }

    fn normalized(mut mantissa: BigInt, mut scale: i32) -> Self {
        if mantissa == BigInt::default() {
            return Self::zero();
        }
        // Strip trailing zeros sixteen at a time, then one at a time.
        for (step, digits) in [(BigInt::from(10u64.pow(16)), 16), (BigInt::from(10u8), 1)] {
            while (&mantissa % &step) == BigInt::default() {
                mantissa /= &step;
                scale -= digits;
            }
        }
        ExactDecimal { mantissa, scale }
    }

    /// The nearest `f64`, rounded once (ties to even), as Rust's and Python's `float()`
    /// parsing of the exact decimal text would give.
    pub fn to_f64(&self) -> f64 {
        // Rust's float parsing is correctly rounded for inputs of any length, so the exact
        // digits in scientific form are the simplest correct conversion.
        let text = format!("{}e{}", self.mantissa, -i64::from(self.scale));
        text.parse().expect("digits with an exponent are always valid float syntax")
    }
}

impl fmt::Display for ExactDecimal {
    /// Plain positional notation with every digit, for example `-12.5` or `465034219.6502`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let negative = self.mantissa < BigInt::default();
        let digits = self.mantissa.magnitude().to_string();
        let sign = if negative { "-" } else { "" };
        if self.scale <= 0 {
            let zeros = "0".repeat(self.scale.unsigned_abs() as usize);
            return write!(f, "{sign}{digits}{zeros}");
        }
        let scale = self.scale as usize;
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            write!(f, "{sign}{int}.{frac}")
        } else {
            write!(f, "{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
        }
    }
}

/// The side table's integers as their two's-complement bytes, so that a partial sum can cross a
/// network (the compute lesson's cluster) exactly.
mod big_integers {
    use std::collections::BTreeMap;

    use num_bigint::BigInt;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        rest: &BTreeMap<i32, BigInt>,
        out: S,
    ) -> Result<S::Ok, S::Error> {
        let bytes: Vec<(i32, Vec<u8>)> =
            rest.iter().map(|(scale, m)| (*scale, m.to_signed_bytes_le())).collect();
        bytes.serialize(out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        input: D,
    ) -> Result<BTreeMap<i32, BigInt>, D::Error> {
        let bytes = Vec::<(i32, Vec<u8>)>::deserialize(input)?;
        Ok(bytes.into_iter().map(|(scale, b)| (scale, BigInt::from_signed_bytes_le(&b))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::parse_decimal;
    use proptest::prelude::*;

    fn sum_of(texts: &[&str]) -> ExactSum {
        let mut sum = ExactSum::default();
        for t in texts {
            sum.add(&parse_decimal(t.as_bytes()).expect("valid test number"));
        }
        sum
    }

    #[test]
    fn exact_where_floats_drift() {
        let sum = sum_of(&["0.1", "0.2", "-0.3"]);
        assert_eq!(sum.value(), ExactDecimal::zero());
        assert_ne!(0.1f64 + 0.2 - 0.3, 0.0, "the float sum drifts");
    }

    #[test]
    fn prints_every_digit() {
        let sum = sum_of(&["93.0150054830155", "1.5e-05", "-0.0000150"]);
        assert_eq!(sum.value().to_string(), "93.0150054830155");
        assert_eq!(sum_of(&["1e3", "25"]).value().to_string(), "1025");
        assert_eq!(sum_of(&["-0.5", "0.25"]).value().to_string(), "-0.25");
        assert_eq!(sum_of(&["0.001"]).value().to_string(), "0.001");
    }

    #[test]
    fn rounds_once_to_nearest() {
        // 0.1 + 0.2 is exactly 0.3 in decimal; the nearest double to 0.3 is not 0.1 + 0.2.
        assert_eq!(sum_of(&["0.1", "0.2"]).value().to_f64(), 0.3);
        // Long mantissas and big exponents take the side table, still exactly.
        let long = sum_of(&["12345678901234567890123.5", "1e300", "-1e300"]);
        assert_eq!(long.value().to_string(), "12345678901234567890123.5");
        // Zeros at extreme scales cost nothing and change nothing.
        assert_eq!(
            sum_of(&["1e100000", "0e-100000", "1e-99999"]).value().to_string().len(),
            200_001
        );
        assert_eq!(sum_of(&["0e-100000", "0e100000", "2"]).value().to_string(), "2");
    }

    #[test]
    fn many_at_once_beyond_a_slot_is_still_exact() {
        let mut sum = ExactSum::default();
        sum.add_many(false, u128::MAX, 2);
        assert_eq!(sum.value().to_string(), "3402823669209384634633746074317682114.55");
        sum.add_many(true, u128::MAX, 2);
        assert_eq!(sum.value(), ExactDecimal::zero());
    }

    proptest! {
        /// Any split of any list of values, merged in any order, gives the same exact value,
        /// and it equals a plain big-integer reference.
        #[test]
        fn merge_is_order_independent(
            values in proptest::collection::vec((any::<bool>(), any::<u64>(), 0u8..40), 0..60),
            split in 0usize..60,
        ) {
            let texts: Vec<String> = values.iter().map(|(neg, m, s)| {
                let sign = if *neg { "-" } else { "" };
                format!("{sign}{m}e-{s}")
            }).collect();
            let split = split.min(texts.len());
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let (a, b) = refs.split_at(split);
            let mut left = sum_of(a);
            left.merge(&sum_of(b));
            let mut right = sum_of(b);
            right.merge(&sum_of(a));
            let reference = values.iter().fold(BigInt::default(), |acc, (neg, m, s)| {
                let m = BigInt::from(*m) * pow10(40 - i32::from(*s));
                if *neg { acc - m } else { acc + m }
            });
            prop_assert_eq!(left.value(), right.value());
            prop_assert_eq!(left.value(), ExactDecimal::normalized(reference, 40));
        }

        /// Values of one sign and scale added at once by their sum, as the GPU lesson does,
        /// give what adding them one by one gives, in a slot or (beyond it) in the side table.
        #[test]
        fn many_at_once_is_one_by_one(
            magnitudes in proptest::collection::vec(any::<u64>(), 0..40),
            negative in any::<bool>(),
            scale in 0u8..40,
        ) {
            let mut one_by_one = ExactSum::default();
            for &m in &magnitudes {
                let value = if usize::from(scale) < SLOTS {
                    Decimal::Small { negative, magnitude: m, scale }
                } else {
                    let m = BigInt::from(m);
                    Decimal::Big(Box::new((if negative { -m } else { m }, i32::from(scale))))
                };
                one_by_one.add(&value);
            }
            let mut at_once = ExactSum::default();
            at_once.add_many(negative, magnitudes.iter().map(|&m| u128::from(m)).sum(), scale);
            prop_assert_eq!(at_once.value(), one_by_one.value());
        }
    }
}
