//! Reading one number from bytes: the single definition of a valid value for every rung.
//!
//! A value is a decimal number in the syntax pandas writes and Python's `float()` reads:
//! `[+-]? digits [. digits] [(e|E) [+-]? digits]`, with at least one digit before the
//! exponent (`5.`, `.5`, `-0.0`, `1.5e-05` are all fine). Unlike `float()` we reject the
//! spellings of infinity and NaN, underscores between digits, surrounding spaces, and
//! exponents beyond ±100 000. We keep the exact decimal digits instead of rounding to a
//! double: see [`crate::exact`]. (A value beyond a double's range, such as `1e400`, is summed
//! exactly; only the rounded total then becomes infinite, as in Python.)
//!
//! The parsers here read a *prefix*: they stop at the first byte that cannot continue the
//! number and say how far they got. The hand-written rungs call them in the middle of a
//! buffer and then check that a delimiter follows, so scanning and parsing are one pass; the
//! csv-crate rungs call [`parse_decimal`] on a whole field. Both use this same code.

use num_bigint::BigInt;

use crate::exact::{Decimal, SLOTS};

/// The largest exponent accepted, far beyond `f64`'s range (about 1e±308) but small enough
/// that the exact arithmetic stays cheap.
const MAX_EXPONENT: i64 = 100_000;

/// The bytes at this position are not a number of the expected form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotANumber;

/// Parses a whole field as a decimal number.
pub fn parse_decimal(field: &[u8]) -> Result<Decimal, NotANumber> {
    match decimal_prefix(field)? {
        (value, used) if used == field.len() => Ok(value),
        _ => Err(NotANumber),
    }
}

/// Parses a whole field as an integer (a user id).
pub fn parse_integer(field: &[u8]) -> Result<i64, NotANumber> {
    match integer_prefix(field)? {
        (value, used) if used == field.len() => Ok(value),
        _ => Err(NotANumber),
    }
}

/// Parses the decimal number at the start of `bytes`; returns it and how many bytes it used.
/// The caller decides whether the byte after it is an acceptable delimiter.
#[inline(always)]
pub fn decimal_prefix(bytes: &[u8]) -> Result<(Decimal, usize), NotANumber> {
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    // Accumulate up to 19 significant digits (always < 2^64); past that, note it and build
    // the mantissa as a big integer afterwards from the digit spans.
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    let int_start = i;
    while let Some(d) = digit(bytes, i) {
        push_digit(&mut mantissa, &mut significant, d);
        i += 1;
    }
    let int_end = i;
    let (mut frac_start, mut frac_end) = (i, i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_start = i;
        while let Some(d) = digit(bytes, i) {
            push_digit(&mut mantissa, &mut significant, d);
            i += 1;
        }
        frac_end = i;
    }
    if int_end == int_start && frac_end == frac_start {
        return Err(NotANumber); // no digit at all: "", "-", ".", "e5", "nan", ...
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let exp_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        while let Some(d) = digit(bytes, i) {
            exponent = (exponent * 10 + i64::from(d)).min(MAX_EXPONENT + 1);
            i += 1;
        }
        if i == exp_start || exponent > MAX_EXPONENT {
            return Err(NotANumber);
        }
        if exp_negative {
            exponent = -exponent;
        }
    }
    let frac_digits = (frac_end - frac_start) as i64;
    let scale = frac_digits - exponent;
    if significant <= 19 && (0..SLOTS as i64).contains(&scale) {
        let scale = scale as u8; // in 0..SLOTS
        return Ok((Decimal::Small { negative, magnitude: mantissa, scale }, i));
    }
    let scale = i32::try_from(scale).map_err(|_| NotANumber)?;
    let mut digits = Vec::with_capacity(int_end - int_start + frac_end - frac_start);
    digits.extend_from_slice(&bytes[int_start..int_end]);
    digits.extend_from_slice(&bytes[frac_start..frac_end]);
    let magnitude = BigInt::parse_bytes(&digits, 10).ok_or(NotANumber)?;
    let mantissa = if negative { -magnitude } else { magnitude };
    Ok((Decimal::Big(Box::new((mantissa, scale))), i))
}

/// Parses the integer at the start of `bytes`: `[+-]? digits`, at most 18 digits.
#[inline(always)]
pub fn integer_prefix(bytes: &[u8]) -> Result<(i64, usize), NotANumber> {
    let (negative, mut i) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let start = i;
    let mut value: i64 = 0;
    while let Some(d) = digit(bytes, i) {
        if i - start == 18 {
            return Err(NotANumber); // would risk overflow; no user id is this long
        }
        value = value * 10 + i64::from(d);
        i += 1;
    }
    if i == start {
        return Err(NotANumber);
    }
    Ok((if negative { -value } else { value }, i))
}

#[inline(always)]
fn digit(bytes: &[u8], i: usize) -> Option<u8> {
    let d = bytes.get(i)?.wrapping_sub(b'0');
    (d < 10).then_some(d)
}

#[inline(always)]
fn push_digit(mantissa: &mut u64, significant: &mut u32, d: u8) {
    // Leading zeros change nothing; every other digit is significant.
    if *mantissa != 0 || d != 0 {
        *significant += 1;
        if *significant <= 19 {
            *mantissa = *mantissa * 10 + u64::from(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn small(negative: bool, magnitude: u64, scale: u8) -> Decimal {
        Decimal::Small { negative, magnitude, scale }
    }

    #[test]
    fn reads_every_form_pandas_writes() {
        assert_eq!(parse_decimal(b"93.0150054830155"), Ok(small(false, 930150054830155, 13)));
        assert_eq!(parse_decimal(b"1.5e-05"), Ok(small(false, 15, 6)));
        assert_eq!(parse_decimal(b"-12.25"), Ok(small(true, 1225, 2)));
        assert_eq!(parse_decimal(b"+.5"), Ok(small(false, 5, 1)));
        assert_eq!(parse_decimal(b"5."), Ok(small(false, 5, 0)));
        assert_eq!(parse_decimal(b"0.000"), Ok(small(false, 0, 3)));
        assert_eq!(parse_decimal(b"2E+3").map(|d| d.to_parts()), Ok((BigInt::from(2), -3)));
    }

    #[test]
    fn rejects_what_is_not_a_finite_number() {
        for bad in ["", "-", ".", "e5", "1e", "1e+", "nan", "inf", "-inf", "1.2.3", "1,5", " 1"] {
            assert_eq!(parse_decimal(bad.as_bytes()), Err(NotANumber), "{bad:?}");
        }
        assert_eq!(parse_decimal(b"1e100001"), Err(NotANumber));
    }

    #[test]
    fn long_mantissas_stay_exact() {
        let (m, s) = parse_decimal(b"-0.12345678901234567890123").expect("valid").to_parts();
        assert_eq!((m.to_string().as_str(), s), ("-12345678901234567890123", 23));
    }

    #[test]
    fn prefix_stops_at_the_delimiter() {
        assert_eq!(decimal_prefix(b"1.25,7"), Ok((small(false, 125, 2), 4)));
        assert_eq!(integer_prefix(b"10,93.1"), Ok((10, 2)));
        assert_eq!(parse_integer(b"-3"), Ok(-3));
        assert_eq!(parse_integer(b"3.0"), Err(NotANumber));
    }

    proptest! {
        /// Whatever Rust's own float parser reads as a finite number, we read as the same
        /// exact decimal (checked through the double both round to), and we never accept
        /// text it rejects.
        #[test]
        fn agrees_with_std_on_random_text(text in "[-+]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][-+]?[0-9]{1,3})?") {
            let ours = parse_decimal(text.as_bytes());
            match text.parse::<f64>() {
                Ok(expected) => {
                    let (m, s) = ours.expect("std accepted it").to_parts();
                    let exact = format!("{m}e{}", -i64::from(s)).parse::<f64>().expect("valid");
                    prop_assert_eq!(exact.to_bits() & !(1 << 63), expected.to_bits() & !(1 << 63));
                }
                Err(_) => prop_assert!(ours.is_err()),
            }
        }

        #[test]
        fn any_double_round_trips(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            for text in [format!("{x}"), format!("{x:e}"), format!("{x:?}")] {
                let (m, s) = parse_decimal(text.as_bytes()).expect("valid").to_parts();
                let back: f64 = format!("{m}e{}", -i64::from(s)).parse().expect("valid");
                prop_assert_eq!(back, x);
            }
        }
    }
}
