//! AVX2 with FMA: 256-bit vectors of four doubles and fused multiply-add, on x86-64 processors
//! since about 2013 (Intel Haswell, AMD Zen).

use std::ops::Range;

use std::arch::x86_64::{
    _mm256_fmadd_pd, _mm256_loadu_pd, _mm256_set1_pd, _mm256_setzero_pd, _mm256_storeu_pd,
};

use super::CHAINS;
use crate::blocked::{Block, band as blocked_band};

/// Rows of the micro-kernel's tile of `c`.
pub(crate) const MR: usize = 4;
/// Columns of the micro-kernel's tile of `c`: three vectors.
pub(crate) const NR: usize = 12;
/// Doubles per vector.
pub(crate) const LANES: u64 = 4;

/// The micro-kernel for AVX2 and FMA, `4 × 12`: 12 of the 16 vector registers hold the tile.
#[target_feature(enable = "avx2,fma")]
unsafe fn kernel(kc: usize, a: &[f64], b: &[f64]) -> [[f64; 12]; 4] {
    assert!(a.len() >= 4 * kc && b.len() >= 12 * kc, "packed slivers too short");
    let mut c = [[_mm256_setzero_pd(); 3]; 4];
    for p in 0..kc {
        // SAFETY: step p reads b[12p..12p + 12] and a[4p..4p + 4], in bounds by the assert.
        let b = unsafe { b.as_ptr().add(12 * p) };
        let b =
            unsafe { [_mm256_loadu_pd(b), _mm256_loadu_pd(b.add(4)), _mm256_loadu_pd(b.add(8))] };
        for (i, row) in c.iter_mut().enumerate() {
            // SAFETY: i < 4, so this reads a[4p + i], in bounds by the assert.
            let a_i = _mm256_set1_pd(unsafe { *a.as_ptr().add(4 * p + i) });
            for (c, b) in row.iter_mut().zip(b) {
                *c = _mm256_fmadd_pd(a_i, b, *c);
            }
        }
    }
    let mut tile = [[0.0; 12]; 4];
    for (out, row) in tile.iter_mut().zip(c) {
        for (out, v) in out.chunks_exact_mut(4).zip(row) {
            // SAFETY: `out` is 4 doubles long.
            unsafe { _mm256_storeu_pd(out.as_mut_ptr(), v) };
        }
    }
    tile
}

/// One band of the blocked product, compiled for AVX2 and FMA.
///
/// # Safety
/// The processor must have AVX2 and FMA ([`super::Isa::Avx2`] supported).
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn band(
    block: &Block<'_>,
    rows: Range<usize>,
    c: &mut [f64],
    packed: &mut Vec<f64>,
) {
    // SAFETY: this function is compiled for the kernel's features, which its caller checked.
    blocked_band::<MR, NR>(|kc, a, b| unsafe { kernel(kc, a, b) }, block, rows, c, packed)
}

/// `rounds` rounds of one fused multiply-add on each of `CHAINS` registers of four doubles.
///
/// # Safety
/// The processor must have AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn fma(rounds: u64, x: f64) -> f64 {
    let (mut acc, mul, add) =
        ([_mm256_set1_pd(1.0); CHAINS], _mm256_set1_pd(0.999_999_9), _mm256_set1_pd(x));
    for _ in 0..rounds {
        for v in acc.iter_mut() {
            *v = _mm256_fmadd_pd(*v, mul, add);
        }
    }
    let mut lanes = [0.0; 4];
    let mut total = 0.0;
    for v in acc {
        // SAFETY: `lanes` holds 4 doubles.
        unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), v) };
        total += lanes.iter().sum::<f64>();
    }
    total
}
