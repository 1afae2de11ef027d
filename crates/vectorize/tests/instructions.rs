//! `flat`'s inner loop is vectorized, and so is the portable micro-kernel: callgrind counts their
//! instructions per operation (where valgrind is installed), and the check notices the seed's
//! loop, which is not.
//!
//! Each test runs itself again under callgrind to count (see `kit::vectorizes_like_flat`); in that
//! run it only computes the product.

use lesson_vectorize::arch::portable::micro_kernel;
use lesson_vectorize::kit;
use lesson_vectorize::ladder::{FLAT, NAIVE};

#[test]
fn flat_is_vectorized() {
    kit::vectorizes_like_flat(FLAT.name, FLAT.run);
}

#[test]
fn the_check_notices_the_seeds_loop() {
    let seed = || kit::vectorizes_like_flat(NAIVE.name, NAIVE.run);
    if kit::probing() || std::process::Command::new("valgrind").arg("--version").output().is_err() {
        return seed();
    }
    assert!(std::panic::catch_unwind(seed).is_err(), "the seed's loop is not vectorized");
}

#[test]
fn the_portable_micro_kernel_computes_its_tile() {
    let kernel: kit::Tile = micro_kernel::<4, 4>;
    kit::computes_the_tile("micro_kernel", kernel);
    kit::vectorizes_like_the_lessons_kernel("micro_kernel", kernel);
}
