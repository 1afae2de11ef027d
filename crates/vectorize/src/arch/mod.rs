//! The instruction sets the kernels are written for, one module each, behind one dispatcher.
//!
//! A binary for "x86-64" may only assume SSE2 (two doubles per instruction, no fused
//! multiply-add), so the kernels for wider instructions are compiled with `#[target_feature]`
//! and the processor is asked at run time which it can execute ([`Isa::detect`]): one binary,
//! the best code for each machine. Each module holds everything written for its instruction set:
//! the matrix-multiply micro-kernel (the algorithm around it is [`crate::blocked`]'s, the same
//! for all) and the loop of fused multiply-adds that measures the peak ([`crate::peak`]). A new
//! instruction set (aarch64's NEON, say) is one new module and one line in each `match` here.
//!
//! - [`portable`]: plain Rust, whatever the compilation target promises;
//! - `avx2`: 256-bit vectors (4 doubles) and fused multiply-add (x86-64);
//! - `avx512`: 512-bit vectors (8 doubles) and fused multiply-add (x86-64).

use std::ops::Range;

use crate::blocked::{Block, Dims};

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
pub mod portable;

/// The instruction sets the kernels are compiled for, from the least to the most capable.
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
        Isa::available().into_iter().next().unwrap_or(Isa::Portable)
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

/// One band of the blocked product (see [`crate::blocked::band`]) compiled for one instruction
/// set, with its micro-kernel's tile: `rows` of `c` += those rows of `a` times the block's
/// packed panel of `b`.
pub(crate) type BandFn = fn(&Block<'_>, Range<usize>, &mut [f64], &mut Vec<f64>);

/// `c += a × b` with [`crate::blocked::gemm`] and the band and micro-kernel tile of `isa`. The
/// caller checks `isa.supported()` first: a band compiled for instructions the processor lacks
/// would stop the program with an illegal instruction.
pub(crate) fn gemm(isa: Isa, operands: (&[f64], &[f64], &mut [f64]), dims: Dims, parallel: bool) {
    use crate::blocked::gemm;
    match isa {
        // SAFETY (both): `multiply` checked that this processor has the instruction set.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => {
            gemm::<{ avx512::MR }, { avx512::NR }>(operands, dims, parallel, |b, r, c, p| unsafe {
                avx512::band(b, r, c, p)
            })
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => {
            gemm::<{ avx2::MR }, { avx2::NR }>(operands, dims, parallel, |b, r, c, p| unsafe {
                avx2::band(b, r, c, p)
            })
        }
        _ => gemm::<{ portable::MR }, { portable::NR }>(operands, dims, parallel, portable::band),
    }
}

/// The fused multiply-add loop for `isa` (see [`crate::peak`]): the doubles each of its
/// instructions works on, and the loop, `rounds` rounds over [`CHAINS`] independent chains.
/// The caller checks `isa.supported()` first.
pub(crate) fn fma_chains(isa: Isa) -> (u64, fn(u64, f64) -> f64) {
    match isa {
        // SAFETY (both): the caller checked that this processor has the instruction set.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => (avx512::LANES, |rounds, x| unsafe { avx512::fma(rounds, x) }),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => (avx2::LANES, |rounds, x| unsafe { avx2::fma(rounds, x) }),
        _ => (portable::LANES, portable::fma),
    }
}

/// Independent chains of fused multiply-adds in the peak loop: a fused multiply-add takes about
/// four cycles and a core can start two per cycle, so it takes at least eight chains to keep
/// both units busy.
pub const CHAINS: usize = 12;
