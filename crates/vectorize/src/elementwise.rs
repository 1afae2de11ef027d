//! Vector operations, where the compiler vectorizes by itself, and where it may not.
//!
//! `y ← a·x + y` (the BLAS routine `axpy`) treats each element on its own: any order of the
//! elements gives the same bits, so the compiler is free to do 2, 4 or 8 at once, and does.
//! A sum of squares is a *reduction*: every addition needs the previous result, and since
//! floating-point addition is not associative, doing several at once would change the answer.
//! The compiler keeps the order the code states, one addition at a time. To vectorize it, the
//! code has to state a different order itself: several partial sums, added together at the end.
//! The answer then differs in the last bits, within a bound this module states and its tests
//! check.

// ANCHOR: axpy_indexed
/// `y[i] += a · x[i]` by index, as a translation from Python would write it. Every `x[i]` is
/// bounds-checked, and a check that may fail halfway through would stop the compiler from
/// doing several elements at once; but it can check once, before the loop, whether `x` is long
/// enough, and then run a vectorized loop without checks. The benchmark shows whether it did.
pub fn axpy_indexed(a: f64, x: &[f64], y: &mut [f64]) {
    for i in 0..y.len() {
        y[i] += a * x[i];
    }
}
// ANCHOR_END: axpy_indexed

// ANCHOR: axpy_zip
/// The same with iterators: no index, no bounds check, a loop the compiler vectorizes.
pub fn axpy_zip(a: f64, x: &[f64], y: &mut [f64]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}
// ANCHOR_END: axpy_zip

// ANCHOR: axpy_ndarray
/// ndarray's `scaled_add`: the same operation on arrays, as numpy would spell `y += a * x`
/// (without numpy's temporary array for `a * x`).
pub fn axpy_ndarray(a: f64, x: &ndarray::Array1<f64>, y: &mut ndarray::Array1<f64>) {
    y.scaled_add(a, x);
}
// ANCHOR_END: axpy_ndarray

// ANCHOR: sum_squares_iter
/// `Σ x²` in the order written: one addition after another, which the compiler keeps, so each
/// addition waits for the one before (three or four cycles, the latency of an addition).
pub fn sum_squares_iter(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}
// ANCHOR_END: sum_squares_iter

// ANCHOR: sum_squares_lanes
/// `Σ x²` as `LANES` partial sums, element `i` going to sum `i % LANES`, added together at the
/// end: independent additions the compiler can do in one vector instruction, and in flight
/// while the previous ones finish. A different order of additions, so a slightly different
/// answer.
pub fn sum_squares_lanes(x: &[f64]) -> f64 {
    const LANES: usize = 16;
    let mut sums = [0.0; LANES];
    let chunks = x.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (s, v) in sums.iter_mut().zip(chunk) {
            *s += v * v;
        }
    }
    sums.iter().sum::<f64>() + tail.iter().map(|v| v * v).sum::<f64>()
}
// ANCHOR_END: sum_squares_lanes

// ANCHOR: sum_squares_ndarray
/// ndarray's `dot` of a vector with itself, which sums in eight partial sums.
pub fn sum_squares_ndarray(x: &ndarray::Array1<f64>) -> f64 {
    x.dot(x)
}
// ANCHOR_END: sum_squares_ndarray

/// How one version is called.
#[derive(Clone, Copy, Debug)]
pub enum Kernel {
    /// `y ← a·x + y` on slices.
    Axpy(fn(f64, &[f64], &mut [f64])),
    /// `y ← a·x + y` on ndarray arrays.
    AxpyArray(fn(f64, &ndarray::Array1<f64>, &mut ndarray::Array1<f64>)),
    /// `Σ x²` of a slice.
    SumSquares(fn(&[f64]) -> f64),
    /// `Σ x²` of an ndarray array.
    SumSquaresArray(fn(&ndarray::Array1<f64>) -> f64),
}

/// One way to write one of the two operations.
#[derive(Debug)]
pub struct Version {
    /// Its name, in benchmark ids and tables.
    pub name: &'static str,
    /// The function.
    pub kernel: Kernel,
}

impl Version {
    /// Floating-point operations and bytes moved per element: a multiply and an add either
    /// way; `axpy` reads `x` and `y` and writes `y` (24 bytes), a sum of squares reads `x` (8).
    pub fn per_element(&self) -> (f64, f64) {
        match self.kernel {
            Kernel::Axpy(_) | Kernel::AxpyArray(_) => (2.0, 24.0),
            Kernel::SumSquares(_) | Kernel::SumSquaresArray(_) => (2.0, 8.0),
        }
    }
}

/// Every version, the benchmark's and the tables' one list.
pub static VERSIONS: &[Version] = &[
    Version { name: "axpy-indexed", kernel: Kernel::Axpy(axpy_indexed) },
    Version { name: "axpy-zip", kernel: Kernel::Axpy(axpy_zip) },
    Version { name: "axpy-ndarray", kernel: Kernel::AxpyArray(axpy_ndarray) },
    Version { name: "sum-squares-iter", kernel: Kernel::SumSquares(sum_squares_iter) },
    Version { name: "sum-squares-lanes", kernel: Kernel::SumSquares(sum_squares_lanes) },
    Version { name: "sum-squares-ndarray", kernel: Kernel::SumSquaresArray(sum_squares_ndarray) },
];

/// The worst relative difference between two sums of the same `n` squares added in different
/// orders: each is within `γ_(n−1)` of the true sum (all terms are positive, so relative to the
/// sum itself; Higham §4.2), where `γ_m = m u / (1 − m u)`, `u = 2⁻⁵³`, and each square adds one
/// rounding of its own; so twice `γ_n`.
pub fn sum_bound(n: usize) -> f64 {
    2.0 * crate::matrix::error_bound(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_axpy_gives_the_same_bits(
            a in -1e3f64..1e3,
            pairs in proptest::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 0..200),
        ) {
            let (x, y): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            let mut indexed = y.clone();
            axpy_indexed(a, &x, &mut indexed);
            let mut zipped = y.clone();
            axpy_zip(a, &x, &mut zipped);
            let mut array = ndarray::Array1::from(y);
            axpy_ndarray(a, &ndarray::Array1::from(x), &mut array);
            prop_assert_eq!(&indexed, &zipped);
            prop_assert_eq!(indexed, array.to_vec());
        }

        #[test]
        fn every_sum_of_squares_is_within_the_bound(
            x in proptest::collection::vec(-1e3f64..1e3, 0..500),
        ) {
            let one = sum_squares_iter(&x);
            let bound = sum_bound(x.len()) * one;
            for other in [sum_squares_lanes(&x), sum_squares_ndarray(&ndarray::Array1::from(x.clone()))] {
                prop_assert!((other - one).abs() <= bound, "{} vs {} (bound {})", other, one, bound);
            }
        }
    }

    #[test]
    fn the_orders_really_differ_on_a_long_vector() {
        // Not a bug but the point of the lesson: a million squares in two orders.
        let x = crate::Matrix::random(1, 1_000_000, 3).data().to_vec();
        let (one, lanes) = (sum_squares_iter(&x), sum_squares_lanes(&x));
        assert_ne!(one, lanes, "the orders gave the same bits");
        assert!((one - lanes).abs() <= sum_bound(x.len()) * one);
    }
}
