//! This machine's ceilings: how many floating-point operations one core can do per second at
//! best, and how many bytes per second it can move from and to memory.
//!
//! The **FMA peak** runs a loop of fused multiply-adds on registers only: several independent
//! chains (a fused multiply-add takes about four cycles and a core can start two per cycle, so
//! it takes at least eight chains to keep both units busy), each a full vector wide, compiled
//! for the widest vectors the processor has (the loops are in [`crate::arch`]). Nothing is loaded or stored, so nothing but the
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

use crate::arch::{CHAINS, Isa, fma_chains};

/// Floating-point operations per second of one core doing nothing but fused multiply-adds,
/// the best of five runs of a quarter to a half of `duration` each, with the instruction set
/// it used.
pub fn fma_peak(duration: Duration) -> (f64, Isa) {
    let isa = Isa::detect();
    let (width, run) = fma_chains(isa);
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
