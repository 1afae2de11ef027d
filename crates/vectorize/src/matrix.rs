//! A dense matrix of `f64` in row-major order, random test matrices, and how far apart two
//! products are.
//!
//! Floating-point products computed in different orders differ in their last bits, so the
//! rungs are not compared for equality. Each is compared with a reference computed more
//! accurately ([`reference`]) by a relative error ([`relative_error`]) whose worst case follows
//! from the inner dimension and the machine epsilon ([`error_bound`]).

use ladder::random::{mix, unit};

use crate::error::Error;

/// A `rows × cols` matrix whose element `(i, j)` is `data[i * cols + j]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// A matrix from its rows, one after another; the data must have `rows × cols` elements.
    pub fn new(rows: usize, cols: usize, data: Vec<f64>) -> Result<Matrix, Error> {
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(Error::Shape(format!(
                "a {rows}×{cols} matrix needs {} values, got {}",
                rows.saturating_mul(cols),
                data.len()
            )));
        }
        Ok(Matrix { rows, cols, data })
    }

    /// All zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
    }

    /// Uniform values in [-1, 1) from a counter-based generator: the same seed gives the same
    /// matrix on any machine.
    pub fn random(rows: usize, cols: usize, seed: u64) -> Matrix {
        let stream = mix(seed);
        let data = (0..(rows * cols) as u64).map(|i| 2.0 * unit(mix(stream ^ i)) - 1.0).collect();
        Matrix { rows, cols, data }
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The elements, row after row.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// The elements, row after row, to write.
    pub fn data_mut(&mut self) -> &mut [f64] {
        &mut self.data
    }

    /// Element `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }

    /// The same matrix as a vector of rows, the way the seed's Python lists hold it.
    pub fn to_nested(&self) -> Vec<Vec<f64>> {
        (0..self.rows).map(|i| self.data[i * self.cols..][..self.cols].to_vec()).collect()
    }

    /// A matrix from a vector of rows, each `cols` long.
    pub fn from_nested(rows: &[Vec<f64>], cols: usize) -> Result<Matrix, Error> {
        if let Some(row) = rows.iter().find(|r| r.len() != cols) {
            return Err(Error::Shape(format!(
                "a row of {} values where {cols} were expected",
                row.len()
            )));
        }
        Ok(Matrix { rows: rows.len(), cols, data: rows.concat() })
    }

    /// The Frobenius norm: the square root of the sum of squared elements.
    pub fn frobenius(&self) -> f64 {
        self.data.iter().map(|x| x * x).sum::<f64>().sqrt()
    }
}

/// Checks that `a × b` is defined, naming both shapes if not.
pub fn check_product(a: &Matrix, b: &Matrix) -> Result<(), Error> {
    if a.cols == b.rows {
        Ok(())
    } else {
        Err(Error::Shape(format!(
            "cannot multiply a {}×{} matrix by a {}×{} matrix: the first has {} columns and the second {} rows",
            a.rows, a.cols, b.rows, b.cols, a.cols, b.rows
        )))
    }
}

/// Checks that `a × b` is defined and that `c` has its shape.
pub fn check_output(a: &Matrix, b: &Matrix, c: &Matrix) -> Result<(), Error> {
    check_product(a, b)?;
    if (c.rows, c.cols) == (a.rows, b.cols) {
        Ok(())
    } else {
        Err(Error::Shape(format!(
            "the product of a {}×{} and a {}×{} matrix is {}×{}, not {}×{}",
            a.rows, a.cols, b.rows, b.cols, a.rows, b.cols, c.rows, c.cols
        )))
    }
}

/// `a × b`, each element a dot product computed as if in twice the working precision
/// (Ogita, Rump and Oishi's *Dot2*: every product and sum is split into its rounded value and
/// its exact error with fused multiply-adds, and the errors are added up separately). Its own
/// error is about `u` times the result plus `k u²` times `|a| |b|`, far below any rung's, so it
/// serves as the truth.
pub fn reference(a: &Matrix, b: &Matrix) -> Result<Matrix, Error> {
    check_product(a, b)?;
    let mut c = Matrix::zeros(a.rows, b.cols);
    for i in 0..a.rows {
        for j in 0..b.cols {
            let (mut sum, mut error) = (0.0f64, 0.0f64);
            for p in 0..a.cols {
                let (x, y) = (a.get(i, p), b.get(p, j));
                let product = x * y;
                let product_error = x.mul_add(y, -product); // exact: x·y − fl(x·y)
                let next = sum + product;
                let z = next - sum;
                let sum_error = (sum - (next - z)) + (product - z); // exact: Knuth's TwoSum
                sum = next;
                error += product_error + sum_error;
            }
            c.data[i * b.cols + j] = sum + error;
        }
    }
    Ok(c)
}

/// `‖c − truth‖ / (‖a‖ ‖b‖)` in the Frobenius norm: the error relative to the size of the
/// inputs, which is what the rounding-error bound of a matrix product is stated against.
pub fn relative_error(c: &Matrix, truth: &Matrix, a: &Matrix, b: &Matrix) -> f64 {
    let difference: f64 =
        c.data.iter().zip(&truth.data).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt();
    let scale = a.frobenius() * b.frobenius();
    if scale == 0.0 { difference } else { difference / scale }
}

// ANCHOR: bound
/// The worst case of [`relative_error`] for any order of summation with inner dimension `k`:
/// each element of a computed product differs from the true one by at most `γ_k` times the
/// same element of `|a| |b|`, where `γ_k = k u / (1 − k u)` and `u = 2⁻⁵³` (Higham, *Accuracy
/// and Stability of Numerical Algorithms*, §3.5), and `‖ |a| |b| ‖ ≤ ‖a‖ ‖b‖` in the Frobenius
/// norm. A fused multiply-add rounds once instead of twice, which only lowers the error.
pub fn error_bound(k: usize) -> f64 {
    error_bound_with(k, f64::EPSILON / 2.0)
}

/// [`error_bound`] for a product computed with unit roundoff `u` (`2⁻²⁴` for `f32`).
pub fn error_bound_with(k: usize, u: f64) -> f64 {
    let ku = k.max(1) as f64 * u;
    ku / (1.0 - ku)
}
// ANCHOR_END: bound

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_checked_with_both_named() {
        let error = Matrix::new(2, 3, vec![0.0; 5]).expect_err("five values for six");
        assert!(error.to_string().contains("2×3"), "{error}");
        let error = check_product(&Matrix::zeros(2, 3), &Matrix::zeros(4, 5)).expect_err("3 ≠ 4");
        assert!(error.to_string().contains("2×3") && error.to_string().contains("4×5"), "{error}");
    }

    #[test]
    fn random_matrices_are_reproducible_and_in_range() {
        let a = Matrix::random(7, 9, 1);
        assert_eq!(a, Matrix::random(7, 9, 1));
        assert_ne!(a, Matrix::random(7, 9, 2));
        assert!(a.data().iter().all(|x| (-1.0..1.0).contains(x)));
    }

    #[test]
    fn the_reference_is_exact_where_the_answer_is_known() {
        // Products of small integers and of powers of two are exact in f64: any order gives the
        // same answer, so the reference must give it too.
        let a = Matrix::new(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).expect("2×3");
        let b = Matrix::new(3, 2, vec![7.0, 8.0, 9.0, 10.0, 11.0, 12.0]).expect("3×2");
        let c = reference(&a, &b).expect("defined");
        assert_eq!(c.data(), &[58.0, 64.0, 139.0, 154.0]);
        // And it recovers what plain summation loses: 1e16 + 1 − 1e16 is 1, not 0.
        let a = Matrix::new(1, 3, vec![1e16, 1.0, -1e16]).expect("1×3");
        let b = Matrix::new(3, 1, vec![1.0, 1.0, 1.0]).expect("3×1");
        assert_eq!(reference(&a, &b).expect("defined").data(), &[1.0]);
    }

    #[test]
    fn nested_round_trip() {
        let a = Matrix::random(3, 4, 9);
        assert_eq!(Matrix::from_nested(&a.to_nested(), 4).expect("4 columns"), a);
        assert!(Matrix::from_nested(&[vec![1.0], vec![1.0, 2.0]], 1).is_err());
    }
}
