//! Every kernel of the ladder gives the product within the vectorize lesson's bound, on the
//! shapes where kernels go wrong, on whatever GPU this machine has (lavapipe without one).

use lesson_gpu::kit;
use lesson_gpu::matmul::LADDER;

#[test]
fn every_kernel_multiplies_within_the_bound() {
    for rung in kit::matmul::available(&LADDER) {
        kit::matmul::multiplies_within_the_bound(rung.name, rung.run);
    }
}

#[test]
fn every_kernel_multiplies_empty_matrices() {
    for rung in kit::matmul::available(&LADDER) {
        kit::matmul::multiplies_empty_matrices(rung.name, rung.run);
    }
}

#[test]
fn every_kernel_refuses_a_bad_shape() {
    for rung in kit::matmul::available(&LADDER) {
        kit::matmul::refuses_a_bad_shape(rung.name, rung.run);
    }
}

#[test]
fn every_kernel_never_stops_short() {
    for rung in kit::matmul::available(&LADDER) {
        kit::matmul::never_stops_short(rung.name, rung.run);
    }
}
