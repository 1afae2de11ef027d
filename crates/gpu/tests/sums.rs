//! Every kernel of the exact-sum ladder gives bit for bit the memory lesson's totals: on that
//! lesson's own tests, and on the cases that are the GPU's own, on whatever GPU this machine has
//! (lavapipe without one).

use lesson_gpu::kit;
use lesson_gpu::sum::LADDER;

#[test]
fn every_kernel_passes_the_memory_lessons_tests() {
    for rung in LADDER.iter() {
        kit::sum::passes_the_memory_lessons_tests(rung.name, rung.run);
    }
}

#[test]
fn every_kernel_carries_through_every_limb() {
    for rung in LADDER.iter() {
        kit::sum::carries_through_every_limb(rung.name, rung.run);
    }
}

#[test]
fn every_kernel_adds_buckets_of_every_length() {
    for rung in LADDER.iter() {
        kit::sum::adds_buckets_of_every_length(rung.name, rung.run);
    }
}

#[test]
fn every_kernel_adds_up_in_batches() {
    for rung in LADDER.iter() {
        kit::sum::adds_up_in_batches(rung.name, rung.facts);
    }
}
