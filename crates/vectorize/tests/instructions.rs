//! `flat`'s inner loop is vectorized: callgrind counts its instructions per operation (where
//! valgrind is installed), and the check notices the seed's loop, which is not.
//!
//! Each test runs itself again under callgrind to count (see `kit::vectorizes_like_flat`); in that
//! run it only computes the product.

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
