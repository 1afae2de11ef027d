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
//! A binary for "x86-64" may only assume SSE2 (two doubles per instruction, no FMA), so the
//! kernels for wider instructions are compiled with `#[target_feature]`, and the processor is
//! asked at run time which it can execute ([`Isa::detect`]): one binary, the best code for each
//! machine. The AVX-512 and AVX2 kernels are written with the processor's vector operations
//! (`std::arch`): the same loops in plain Rust, compiled for AVX-512, were vectorized along the
//! wrong dimension, with gathers, and ran at a twentieth of the speed. The portable kernel, for
//! every other processor, is plain Rust.

use std::ops::Range;

use rayon::prelude::*;

use crate::error::Error;

/// The instruction sets the kernel is compiled for, from the least to the most capable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// Whatever the compilation target promises (SSE2 on x86-64): separate multiply and add.
    Portable,
    /// 256-bit vectors (4 doubles) and fused multiply-add.
    Avx2,
    /// 512-bit vectors (8 doubles) and fused multiply-add.
    Avx512,
}

impl Isa {
    /// The best this processor can run.
    pub fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("fma") {
                return Isa::Avx512;
            }
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                return Isa::Avx2;
            }
        }
        Isa::Portable
    }

    /// Whether this processor can run the kernel for `self`: each instruction set's own
    /// features are checked (a processor, or a virtual one, may report AVX-512 without AVX2).
    pub fn supported(self) -> bool {
        match self {
            Isa::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("fma"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// Every instruction set this processor can run, best first.
    pub fn available() -> Vec<Isa> {
        [Isa::Avx512, Isa::Avx2, Isa::Portable].into_iter().filter(|i| i.supported()).collect()
    }

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Avx512 => "avx512",
            Isa::Avx2 => "avx2",
            Isa::Portable => "portable",
        }
    }
}

/// Columns of `b` per packed panel (the panel is `KC × NC`, sized for the last-level cache).
const NC: usize = 3072;
/// Steps of the inner dimension per packed block.
const KC: usize = 256;
/// Rows of `a` per packed block (the block is `MC × KC`, sized for the level-2 cache).
const MC: usize = 96;

// ANCHOR: micro_kernel
/// `MR × NR` of `c` += an `MR × kc` sliver of `a` times a `kc × NR` sliver of `b`, both packed
/// (step `p` of the `a` sliver is `a[p * MR..][..MR]`, of the `b` sliver `b[p * NR..][..NR]`),
/// in portable Rust: an array of accumulators, a multiply and an add per term (a fused
/// multiply-add is only fast where the target promises the instruction).
#[inline(always)]
fn micro_kernel<const MR: usize, const NR: usize>(
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

// ANCHOR: kernel_avx512
/// The micro-kernel for AVX-512, `8 × 24`, written with the processor's vector operations
/// (`std::arch`): the tile of `c` is 8 rows of three 8-wide vectors, 24 of the 32 vector
/// registers. Each step loads 24 values of `b` (three vectors), broadcasts each of 8 values of
/// `a` to a whole vector, and does 24 fused multiply-adds.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn kernel_avx512(kc: usize, a: &[f64], b: &[f64]) -> [[f64; 24]; 8] {
    use std::arch::x86_64::{
        _mm512_fmadd_pd, _mm512_loadu_pd, _mm512_set1_pd, _mm512_setzero_pd, _mm512_storeu_pd,
    };
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
// ANCHOR_END: kernel_avx512

/// The micro-kernel for AVX2 and FMA, `4 × 12`: 12 of the 16 vector registers hold the tile.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn kernel_avx2(kc: usize, a: &[f64], b: &[f64]) -> [[f64; 12]; 4] {
    use std::arch::x86_64::{
        _mm256_fmadd_pd, _mm256_loadu_pd, _mm256_set1_pd, _mm256_setzero_pd, _mm256_storeu_pd,
    };
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
struct Block<'a> {
    a: &'a [f64],
    dims: Dims,
    ks: Range<usize>,
    cols: Range<usize>,
    packed_b: &'a [f64],
}

/// One band of rows of `c`: `rows` of `c` (`band` holds exactly those rows, all columns) +=
/// the same rows of `a`, columns `block.ks`, times the block's packed panel of `b`.
#[inline(always)]
fn band<const MR: usize, const NR: usize>(
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

/// Runs [`band`] compiled for one instruction set.
type BandFn = fn(&Block<'_>, Range<usize>, &mut [f64], &mut Vec<f64>);

/// `c += a × b` with blocks of every size above. With `parallel`, the rows of `c` are split
/// into one slab per thread of the current rayon pool, and each thread runs the whole algorithm
/// on its slab, packing its own panels of `b`: a little copying twice, in exchange for threads
/// that never wait for each other (sharing one packed panel needs every thread to finish it
/// before the next is packed, and measured slower here).
fn gemm<const MR: usize, const NR: usize>(
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

/// Compiles [`band`] for one instruction set (its micro-kernel, `MR × NR`, and target
/// features) and a `gemm` that runs it.
macro_rules! for_isa {
    ($band:ident, $gemm:ident, $mr:literal, $nr:literal, $kernel:expr, $($feature:literal)?) => {
        $(#[target_feature(enable = $feature)])?
        unsafe fn $band(block: &Block<'_>, rows: Range<usize>, c: &mut [f64], packed_a: &mut Vec<f64>) {
            band::<$mr, $nr>($kernel, block, rows, c, packed_a)
        }

        fn $gemm(operands: (&[f64], &[f64], &mut [f64]), dims: Dims, parallel: bool) {
            fn run(block: &Block<'_>, rows: Range<usize>, c: &mut [f64], packed_a: &mut Vec<f64>) {
                // SAFETY: `multiply` calls this only for an instruction set the processor has.
                unsafe { $band(block, rows, c, packed_a) }
            }
            gemm::<$mr, $nr>(operands, dims, parallel, run)
        }
    };
}

// SAFETY (the two kernels): each is called only from a function compiled for its features.
#[cfg(target_arch = "x86_64")]
for_isa!(
    band_avx512,
    gemm_avx512,
    8,
    24,
    |kc, a, b| unsafe { kernel_avx512(kc, a, b) },
    "avx512f,fma"
);
#[cfg(target_arch = "x86_64")]
for_isa!(band_avx2, gemm_avx2, 4, 12, |kc, a, b| unsafe { kernel_avx2(kc, a, b) }, "avx2,fma");
for_isa!(band_portable, gemm_portable, 4, 4, micro_kernel::<4, 4>,);

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
        return Err(Error::Unavailable {
            rung: "blocked",
            why: format!("this processor cannot run {} instructions", isa.name()),
        });
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => gemm_avx512((a, b, c), dims, parallel),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => gemm_avx2((a, b, c), dims, parallel),
        _ => gemm_portable((a, b, c), dims, parallel),
    }
    Ok(())
}
