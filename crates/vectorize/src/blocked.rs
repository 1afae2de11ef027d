//! Cache blocking with a register-tiled micro-kernel: how fast matrix multiply libraries work.
//!
//! The algorithm is Goto's, as BLIS and OpenBLAS use it, in three layers:
//!
//! 1. **Blocks that fit the caches.** A `KC × NC` panel of `b` is copied ("packed") once into
//!    a contiguous buffer sized for the last-level cache; an `MC × KC` block of `a` is packed
//!    for the level-2 cache. Every element then comes from a nearby cache many times over,
//!    instead of from memory once per use.
//! 2. **Packing in the order of use.** Both are stored in thin slivers (`MR` rows of `a`,
//!    `NR` columns of `b`) laid out exactly in the order the micro-kernel reads them, so its
//!    loads are consecutive, and the slivers are padded with zeros so edges need no special case.
//! 3. **A micro-kernel that lives in registers.** It keeps an `MR × NR` tile of `c` in vector
//!    registers and, for each of `KC` steps, loads `NR` values of `b`, broadcasts `MR` values of
//!    `a`, and does `MR × NR` fused multiply-adds. With `MR = 8`, `NR = 24` and AVX-512 that is 24
//!    registers of accumulators, and 24 fused multiply-adds for every 3 vector loads and 8
//!    broadcasts: enough independent work to keep the arithmetic units busy every cycle.
//!
//! The micro-kernels live in [`crate::arch`], one module per instruction set, and the processor
//! is asked at run time which it can execute: this module is the algorithm around them, the
//! same for all. The AVX-512 and AVX2 kernels are written with the processor's vector
//! operations (`std::arch`): the same loops in plain Rust, compiled for AVX-512, were vectorized
//! along the wrong dimension, with gathers, and ran at a twentieth of the speed.

use std::ops::Range;

use rayon::prelude::*;

pub use crate::arch::Isa;
use crate::arch::{self, BandFn};
use crate::error::Error;

/// Columns of `b` per packed panel (the panel is `KC × NC`, sized for the last-level cache).
const NC: usize = 3072;
/// Steps of the inner dimension per packed block.
const KC: usize = 256;
/// Rows of `a` per packed block (the block is `MC × KC`, sized for the level-2 cache).
const MC: usize = 96;

/// Packs rows `rows` and columns `ks` of `a` (row-major, `lda` per row) into slivers of `MR`
/// rows: sliver `s` holds, for each step `p`, the `MR` values `a[rows.start + s·MR + i][p]`.
/// Rows past the end are zeros.
#[inline(always)]
fn pack_a<const MR: usize>(
    a: &[f64],
    lda: usize,
    rows: Range<usize>,
    ks: Range<usize>,
    out: &mut Vec<f64>,
) {
    out.clear();
    for sliver in (rows.start..rows.end).step_by(MR) {
        for p in ks.clone() {
            for i in sliver..sliver + MR {
                out.push(if i < rows.end { a[i * lda + p] } else { 0.0 });
            }
        }
    }
}

/// Packs rows `ks` and columns `cols` of `b` into slivers of `NR` columns: sliver `s` holds,
/// for each step `p`, the `NR` values `b[p][cols.start + s·NR + j]`. Columns past the end are
/// zeros.
#[inline(always)]
fn pack_b<const NR: usize>(
    b: &[f64],
    ldb: usize,
    ks: Range<usize>,
    cols: Range<usize>,
    out: &mut Vec<f64>,
) {
    let kc = ks.len();
    out.clear();
    out.resize(cols.len().next_multiple_of(NR) * kc, 0.0);
    for (s, out) in out.chunks_mut(NR * kc).enumerate() {
        let j0 = cols.start + s * NR;
        let width = NR.min(cols.end - j0);
        for (p, out) in ks.clone().zip(out.chunks_exact_mut(NR)) {
            out[..width].copy_from_slice(&b[p * ldb + j0..][..width]);
        }
    }
}

/// The shapes of one product: `c` (`m × n`) += `a` (`m × k`) × `b` (`k × n`).
#[derive(Clone, Copy, Debug)]
pub struct Dims {
    /// Rows of `a` and `c`.
    pub m: usize,
    /// Columns of `a`, rows of `b`.
    pub k: usize,
    /// Columns of `b` and `c`.
    pub n: usize,
}

/// One packed panel of `b` and the part of `a` it multiplies.
pub struct Block<'a> {
    a: &'a [f64],
    dims: Dims,
    ks: Range<usize>,
    cols: Range<usize>,
    packed_b: &'a [f64],
}

/// One band of rows of `c`: `rows` of `c` (`band` holds exactly those rows, all columns) +=
/// the same rows of `a`, columns `block.ks`, times the block's packed panel of `b`, with
/// `kernel` for each `MR × NR` tile. Each instruction set's module compiles it with its own
/// features (see [`crate::arch`]), so that the kernel inlines into it.
#[inline(always)]
pub fn band<const MR: usize, const NR: usize>(
    kernel: impl Fn(usize, &[f64], &[f64]) -> [[f64; NR]; MR],
    block: &Block<'_>,
    rows: Range<usize>,
    band: &mut [f64],
    packed_a: &mut Vec<f64>,
) {
    let (kc, cols, n) = (block.ks.len(), block.cols.clone(), block.dims.n);
    pack_a::<MR>(block.a, block.dims.k, rows.clone(), block.ks.clone(), packed_a);
    for (s, j0) in cols.clone().step_by(NR).enumerate() {
        let b_sliver = &block.packed_b[s * NR * kc..][..NR * kc];
        let width = NR.min(cols.end - j0);
        for (t, i0) in rows.clone().step_by(MR).enumerate() {
            let a_sliver = &packed_a[t * MR * kc..][..MR * kc];
            let tile = kernel(kc, a_sliver, b_sliver);
            let height = MR.min(rows.end - i0);
            for (i, tile_row) in tile.iter().enumerate().take(height) {
                let at = (i0 - rows.start + i) * n + j0;
                for (c, t) in band[at..at + width].iter_mut().zip(tile_row) {
                    *c += t;
                }
            }
        }
    }
}

/// `c += a × b` with blocks of every size above. With `parallel`, the rows of `c` are split
/// into one slab per thread of the current rayon pool, and each thread runs the whole algorithm
/// on its slab, packing its own panels of `b`: a little copying twice, in exchange for threads
/// that never wait for each other (sharing one packed panel needs every thread to finish it
/// before the next is packed, and measured slower here).
pub(crate) fn gemm<const MR: usize, const NR: usize>(
    (a, b, c): (&[f64], &[f64], &mut [f64]),
    dims: Dims,
    parallel: bool,
    run_band: BandFn,
) {
    let Dims { m, k, n } = dims;
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    if parallel && rayon::current_num_threads() > 1 {
        let slab = m.div_ceil(rayon::current_num_threads()).next_multiple_of(MR);
        c.par_chunks_mut(slab * n).zip(a.par_chunks(slab * k)).for_each(|(c, a)| {
            let dims = Dims { m: c.len() / n, k, n };
            gemm::<MR, NR>((a, b, c), dims, false, run_band);
        });
        return;
    }
    let mut packed_b = Vec::new();
    let mut packed_a = Vec::with_capacity(MC.next_multiple_of(MR) * KC);
    for j0 in (0..n).step_by(NC) {
        let cols = j0..(j0 + NC).min(n);
        for p0 in (0..k).step_by(KC) {
            let ks = p0..(p0 + KC).min(k);
            pack_b::<NR>(b, n, ks.clone(), cols.clone(), &mut packed_b);
            let block = Block { a, dims, ks, cols: cols.clone(), packed_b: &packed_b };
            for (index, rows_of_c) in c.chunks_mut(MC * n).enumerate() {
                let rows = index * MC..(index * MC + MC).min(m);
                run_band(&block, rows, rows_of_c, &mut packed_a);
            }
        }
    }
}

/// `c += a × b` (all row-major, `c` is `m × n`) with the kernel for `isa`, on the current rayon
/// pool when `parallel` is set; an error if this processor cannot run `isa`.
pub fn multiply(
    isa: Isa,
    (a, b, c): (&[f64], &[f64], &mut [f64]),
    dims: Dims,
    parallel: bool,
) -> Result<(), Error> {
    let Dims { m, k, n } = dims;
    if a.len() != m * k || b.len() != k * n || c.len() != m * n {
        return Err(Error::Shape(format!(
            "{m}×{k} times {k}×{n} needs {} + {} + {} values, got {} + {} + {}",
            m * k,
            k * n,
            m * n,
            a.len(),
            b.len(),
            c.len()
        )));
    }
    if !isa.supported() {
        return Err(Error::Instructions(isa.name()));
    }
    arch::gemm(isa, (a, b, c), dims, parallel);
    Ok(())
}
