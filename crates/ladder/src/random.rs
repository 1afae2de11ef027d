//! Random numbers that any thread or machine can compute in any order.

/// SplitMix64's finalizer: a fast bijective hash whose outputs pass statistical tests. Hashing
/// a counter gives a *counter-based* random generator: the `i`-th number needs no state, so
/// any thread or machine can compute any part of the sequence, and every split of the work
/// draws exactly the same numbers (the datasets, the Monte-Carlo samples, the test matrices).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The top 53 bits of `bits` as a double in [0, 1): every value a multiple of 2⁻⁵³.
pub fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_fixed_and_spread() {
        // SplitMix64's published first output for seed 0 (Vigna's reference implementation).
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
        assert_ne!(mix(1), mix(2));
        assert!((0..1000).map(|i| unit(mix(i))).all(|u| (0.0..1.0).contains(&u)));
        assert_eq!(unit(u64::MAX), 1.0 - 1.0 / (1u64 << 53) as f64);
    }
}
