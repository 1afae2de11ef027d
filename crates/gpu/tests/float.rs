//! The float sum beside the exact ladder: a fixed tree gives the same bits every time, and
//! rounds where the exact sum does not.

use lesson_gpu::column::Collect;
use lesson_gpu::float::{PER, WG, float_sum, numbers};
use lesson_gpu::kit;
use lesson_gpu::shader::Precision;
use lesson_memory::totals::Rows;

#[test]
fn a_fixed_tree_is_repeatable_but_not_exact() {
    let Some(gpu) = kit::gpu() else { return };
    let mut collect = Collect::default();
    // 10¹⁶ and many ones: a float near 10¹⁶ has no room for a one, the exact sum keeps them all.
    collect.add_small(0, false, 10_000_000_000_000_000, 0);
    for i in 0..(3 * WG * PER + 17) {
        collect.add_small(1 + i64::from(i % 3), false, 1, 0);
    }
    let column = collect.into_column();
    let numbers = numbers(&column);
    let exact = 1e16 + f64::from(3 * WG * PER + 17);
    for precision in [Precision::F32, Precision::F64].into_iter().filter(|&p| gpu.supports(p)) {
        let once = float_sum(&gpu, precision, &numbers).expect("a float sum");
        let again = float_sum(&gpu, precision, &numbers).expect("a float sum");
        assert_eq!(once.to_bits(), again.to_bits(), "{precision:?}: the same tree, the same bits");
        assert_ne!(once, exact, "{precision:?}: rounded away from {exact}");
    }
}

#[test]
fn a_float_sum_of_nothing_is_zero() {
    let Some(gpu) = kit::gpu() else { return };
    assert_eq!(float_sum(&gpu, Precision::F32, &[]).expect("a float sum"), 0.0);
}
