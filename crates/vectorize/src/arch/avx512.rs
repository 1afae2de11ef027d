//! AVX-512: 512-bit vectors of eight doubles and fused multiply-add, on x86-64 processors that
//! have them (Intel since Skylake-SP; AMD since Zen 4, which runs each 512-bit instruction as two
//! 256-bit halves).

use std::ops::Range;

use std::arch::x86_64::{
    _mm512_fmadd_pd, _mm512_loadu_pd, _mm512_reduce_add_pd, _mm512_set1_pd, _mm512_setzero_pd,
    _mm512_storeu_pd,
};

use super::CHAINS;
use crate::blocked::{Block, band as blocked_band};

/// Rows of the micro-kernel's tile of `c`.
pub(crate) const MR: usize = 8;
/// Columns of the micro-kernel's tile of `c`: three vectors.
pub(crate) const NR: usize = 24;
/// Doubles per vector.
pub(crate) const LANES: u64 = 8;

// ANCHOR: kernel
/// The micro-kernel for AVX-512, `8 × 24`, written with the processor's vector operations
/// (`std::arch`): the tile of `c` is 8 rows of three 8-wide vectors, 24 of the 32 vector
/// registers. Each step loads 24 values of `b` (three vectors), broadcasts each of 8 values of
/// `a` to a whole vector, and does 24 fused multiply-adds.
#[target_feature(enable = "avx512f")]
unsafe fn kernel(kc: usize, a: &[f64], b: &[f64]) -> [[f64; 24]; 8] {
    assert!(a.len() >= 8 * kc && b.len() >= 24 * kc, "packed slivers too short");
    let mut c = [[_mm512_setzero_pd(); 3]; 8];
    for p in 0..kc {
        // SAFETY: step p reads b[24p..24p + 24] and a[8p..8p + 8], in bounds by the assert.
        let b = unsafe { b.as_ptr().add(24 * p) };
        let b =
            unsafe { [_mm512_loadu_pd(b), _mm512_loadu_pd(b.add(8)), _mm512_loadu_pd(b.add(16))] };
        for (i, row) in c.iter_mut().enumerate() {
            // SAFETY: i < 8, so this reads a[8p + i], in bounds by the assert.
            let a_i = _mm512_set1_pd(unsafe { *a.as_ptr().add(8 * p + i) });
            for (c, b) in row.iter_mut().zip(b) {
                *c = _mm512_fmadd_pd(a_i, b, *c);
            }
        }
    }
    let mut tile = [[0.0; 24]; 8];
    for (out, row) in tile.iter_mut().zip(c) {
        for (out, v) in out.chunks_exact_mut(8).zip(row) {
            // SAFETY: `out` is 8 doubles long.
            unsafe { _mm512_storeu_pd(out.as_mut_ptr(), v) };
        }
    }
    tile
}
// ANCHOR_END: kernel

/// One band of the blocked product, the packing and loops around the kernel compiled for
/// AVX-512 too, so that they inline into one function.
///
/// # Safety
/// The processor must have AVX-512F and FMA ([`super::Isa::Avx512`] supported).
#[target_feature(enable = "avx512f,fma")]
pub(crate) unsafe fn band(
    block: &Block<'_>,
    rows: Range<usize>,
    c: &mut [f64],
    packed: &mut Vec<f64>,
) {
    // SAFETY: this function is compiled for the kernel's features, which its caller checked.
    blocked_band::<MR, NR>(|kc, a, b| unsafe { kernel(kc, a, b) }, block, rows, c, packed)
}

// ANCHOR: fma
/// `rounds` rounds of one fused multiply-add on each of `CHAINS` registers of eight doubles.
///
/// # Safety
/// The processor must have AVX-512F.
#[target_feature(enable = "avx512f")]
pub(crate) unsafe fn fma(rounds: u64, x: f64) -> f64 {
    let (mut acc, mul, add) =
        ([_mm512_set1_pd(1.0); CHAINS], _mm512_set1_pd(0.999_999_9), _mm512_set1_pd(x));
    for _ in 0..rounds {
        for v in acc.iter_mut() {
            *v = _mm512_fmadd_pd(*v, mul, add);
        }
    }
    acc.iter().map(|v| _mm512_reduce_add_pd(*v)).sum()
}
// ANCHOR_END: fma
