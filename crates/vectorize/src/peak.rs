//! This machine's ceilings: how many floating-point operations one core can do per second at
//! best, and how many bytes per second it can move from and to memory.
//!
//! The **FMA peak** runs a loop of fused multiply-adds on registers only: `CHAINS` independent
//! chains (a fused multiply-add takes about four cycles and a core can start two per cycle, so
//! it takes at least eight chains to keep both units busy), each a full vector wide, compiled
//! for the widest vectors the processor has. Nothing is loaded or stored, so nothing but the
//! arithmetic units limits it. The **bandwidth** streams arrays far larger than every cache
//! through the simplest loops there are, so only memory limits them: a sum (reading only) and
//! `a·x + y` (reading two arrays, writing one). They differ: a core keeps only so many reads
//! in flight, and writes travel alongside them.
//!
//! A rung's GFLOP/s over the peak says how much of the processor it uses; the two ceilings
//! together make the *roofline*: a computation that does `I` operations per byte it moves can
//! run at most at `min(peak, I × bandwidth)`, with the bandwidth of its kind of stream.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::blocked::Isa;

/// Independent chains of fused multiply-adds.
const CHAINS: usize = 12;

// ANCHOR: fma_avx512
/// `rounds` rounds of one fused multiply-add on each of `CHAINS` registers of eight doubles.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn fma_avx512(rounds: u64, x: f64) -> f64 {
    use std::arch::x86_64::{_mm512_fmadd_pd, _mm512_reduce_add_pd, _mm512_set1_pd};
    let (mut acc, mul, add) =
        ([_mm512_set1_pd(1.0); CHAINS], _mm512_set1_pd(0.999_999_9), _mm512_set1_pd(x));
    for _ in 0..rounds {
        for v in acc.iter_mut() {
            *v = _mm512_fmadd_pd(*v, mul, add);
        }
    }
    acc.iter().map(|v| _mm512_reduce_add_pd(*v)).sum()
}
// ANCHOR_END: fma_avx512

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fma_avx2(rounds: u64, x: f64) -> f64 {
    use std::arch::x86_64::{_mm256_fmadd_pd, _mm256_set1_pd, _mm256_storeu_pd};
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

/// Floating-point operations per second of one core doing nothing but fused multiply-adds,
/// the best of five runs of a quarter to a half of `duration` each, with the instruction set
/// it used.
pub fn fma_peak(duration: Duration) -> (f64, Isa) {
    let isa = Isa::detect();
    let (width, run): (u64, fn(u64, f64) -> f64) = match isa {
        // SAFETY (both): `Isa::detect` found the instructions these functions are compiled for.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => (8, |r, x| unsafe { fma_avx512(r, x) }),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => (4, |r, x| unsafe { fma_avx2(r, x) }),
        // Without FMA, a multiply and an add per step: count them as the same two operations.
        _ => (2, |r, x| {
            let mut acc = [[1.0f64; 2]; CHAINS];
            let (mul, add) = (black_box(0.999_999_9), black_box(x));
            for _ in 0..r {
                for v in acc.iter_mut().flatten() {
                    *v = *v * mul + add;
                }
            }
            acc.iter().flatten().sum()
        }),
    };
    let flops_per_round = (CHAINS as u64 * width * 2) as f64;
    let mut rounds = 1_000;
    loop {
        let start = Instant::now();
        black_box(run(rounds, 1e-9));
        if start.elapsed() >= duration / 4 {
            break;
        }
        rounds *= 2;
    }
    let best = (0..5)
        .map(|_| {
            let start = Instant::now();
            black_box(run(rounds, 1e-9));
            rounds as f64 * flops_per_round / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max);
    (best, isa)
}

/// One core's memory bandwidth, bytes per second, by kind of stream.
#[derive(Clone, Copy, Debug)]
pub struct Bandwidth {
    /// Reading one array (a sum: 8 bytes per element).
    pub read: f64,
    /// Reading two arrays and writing one back (`y ← a·x + y`: 24 bytes per element).
    pub update: f64,
}

/// One core's [`Bandwidth`] over arrays of `bytes` each (make them several times the
/// last-level cache), each the best of five runs.
pub fn memory_bandwidth(bytes: usize) -> Bandwidth {
    let x: Vec<f64> = (0..bytes / 8).map(|i| (i % 7) as f64).collect();
    let mut y = x.clone();
    let best = |bytes_per_element: f64, run: &mut dyn FnMut()| {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                run();
                bytes_per_element * x.len() as f64 / start.elapsed().as_secs_f64()
            })
            .fold(0.0, f64::max)
    };
    let read = best(8.0, &mut || {
        black_box(crate::elementwise::sum_squares_lanes(black_box(&x)));
    });
    let update = best(24.0, &mut || crate::elementwise::axpy_zip(black_box(1e-9), &x, &mut y));
    Bandwidth { read, update }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceilings_are_positive_and_plausible() {
        let (flops, _) = fma_peak(Duration::from_millis(20));
        assert!(flops > 1e8 && flops < 1e13, "{flops} FLOP/s");
        let bandwidth = memory_bandwidth(8 << 20);
        for bytes in [bandwidth.read, bandwidth.update] {
            assert!(bytes > 1e8 && bytes < 1e12, "{bandwidth:?}");
        }
    }
}
