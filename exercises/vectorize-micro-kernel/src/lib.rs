//! Exercise `vectorize-micro-kernel`: the vectorize lesson's `blocked` rung, written by you.
//!
//! Compute an `MR × NR` tile of `c` from a packed sliver of `a` (step `p`: `a[p * MR..][..MR]`)
//! and one of `b` (`b[p * NR..][..NR]`): for each of the `kc` steps, add every product `a_i ·
//! b_j` to the tile's `(i, j)`, keeping the tile in a local array the compiler can hold in
//! registers.
//!
//! Check it: `cargo xtask exercise check vectorize-micro-kernel` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint vectorize-micro-kernel`. The chapter: `book/src/vectorize.md#rung-4-blocks-packing-and-a-micro-kernel`.
//!
//! Derived from `crates/vectorize/src/arch/portable.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset vectorize-micro-kernel` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::hint::black_box;
use std::ops::Range;

use lesson_vectorize::arch::CHAINS;
use lesson_vectorize::blocked::Block;
use lesson_vectorize::blocked::band as blocked_band;

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
    // TODO: Compute an `MR × NR` tile of `c` from a packed sliver of `a` (step `p`: `a[p *
    // MR..][..MR]`) and one of `b` (`b[p * NR..][..NR]`): for each of the `kc` steps, add every
    // product `a_i · b_j` to the tile's `(i, j)`, keeping the tile in a local array the compiler
    // can hold in registers.
    // Check: `cargo xtask exercise check vectorize-micro-kernel`; a hint: `… exercise hint vectorize-micro-kernel`.
    todo!("vectorize-micro-kernel: write the body of `micro_kernel::<4, 4>`")
}
