//! Plain Rust for every processor: the micro-kernel and the peak loop with nothing but what the
//! compilation target promises (on x86-64, SSE2: two doubles per instruction, a separate
//! multiply and add).

use std::hint::black_box;
use std::ops::Range;

use super::CHAINS;
use crate::blocked::{Block, band as blocked_band};

/// Rows of the micro-kernel's tile of `c`.
pub(crate) const MR: usize = 4;
/// Columns of the micro-kernel's tile of `c`.
pub(crate) const NR: usize = 4;
/// Doubles per step of the peak loop: two, as SSE2's registers hold.
pub(crate) const LANES: u64 = 2;

// ANCHOR: micro_kernel
/// `MR × NR` of `c` += an `MR × kc` sliver of `a` times a `kc × NR` sliver of `b`, both packed
/// (step `p` of the `a` sliver is `a[p * MR..][..MR]`, of the `b` sliver `b[p * NR..][..NR]`),
/// in portable Rust: an array of accumulators, a multiply and an add per term (a fused
/// multiply-add is only fast where the target promises the instruction).
#[inline(always)]
pub fn micro_kernel<const MR: usize, const NR: usize>(
    kc: usize,
    a: &[f64],
    b: &[f64],
) -> [[f64; NR]; MR] {
    let mut acc = [[0.0; NR]; MR];
    for p in 0..kc {
        let a: &[f64; MR] = a[p * MR..][..MR].try_into().expect("MR values");
        let b: &[f64; NR] = b[p * NR..][..NR].try_into().expect("NR values");
        for (row, &a_i) in acc.iter_mut().zip(a) {
            for (c, &b_j) in row.iter_mut().zip(b) {
                *c += a_i * b_j;
            }
        }
    }
    acc
}
// ANCHOR_END: micro_kernel

/// One band of the blocked product with the portable micro-kernel.
pub(crate) fn band(block: &Block<'_>, rows: Range<usize>, c: &mut [f64], packed_a: &mut Vec<f64>) {
    blocked_band::<MR, NR>(micro_kernel::<MR, NR>, block, rows, c, packed_a)
}

/// `rounds` rounds of a multiply and an add on each of [`CHAINS`] pairs of doubles.
pub(crate) fn fma(rounds: u64, x: f64) -> f64 {
    let mut acc = [[1.0f64; 2]; CHAINS];
    let (mul, add) = (black_box(0.999_999_9), black_box(x));
    for _ in 0..rounds {
        for v in acc.iter_mut().flatten() {
            *v = *v * mul + add;
        }
    }
    acc.iter().flatten().sum()
}
