//! The ladder: every way this lesson multiplies two matrices, from the seed's triple loop to
//! OpenBLAS. Each rung computes `a × b` in `f64`; they differ in the order of the additions, so
//! their results differ in the last bits, within [`crate::matrix::error_bound`].

use std::num::NonZeroUsize;

use ladder::Ladder;

use crate::blas::OPENBLAS;
use crate::blocked::{Dims, Isa, multiply};
use crate::error::Error;
use crate::matrix::{Matrix, check_output, check_product};

// ANCHOR: naive
/// The seed's loop: lists of rows, and for each element of `c` a dot product down a column of
/// `b`, which jumps from row to row of `b` at every step.
pub fn naive_lists(a: &[Vec<f64>], b: &[Vec<f64>], n: usize) -> Vec<Vec<f64>> {
    let mut c = vec![vec![0.0; n]; a.len()];
    for i in 0..a.len() {
        for j in 0..n {
            for k in 0..b.len() {
                c[i][j] += a[i][k] * b[k][j];
            }
        }
    }
    c
}
// ANCHOR_END: naive

fn naive(a: &Matrix, b: &Matrix, c: &mut Matrix, _: NonZeroUsize) -> Result<(), Error> {
    check_output(a, b, c)?;
    let lists = naive_lists(&a.to_nested(), &b.to_nested(), b.cols());
    *c = Matrix::from_nested(&lists, b.cols())?;
    Ok(())
}

// ANCHOR: flat
/// One contiguous array per matrix, and the loops in the order i, k, j: the innermost loop
/// walks along a row of `b` and a row of `c` together, `c[i][j] += a[i][k] · b[k][j]` for
/// every `j`, with no dependence from one `j` to the next. The compiler turns it into vector
/// instructions by itself.
pub fn flat(a: &Matrix, b: &Matrix, c: &mut Matrix, _threads: NonZeroUsize) -> Result<(), Error> {
    check_output(a, b, c)?;
    let (k, n) = (a.cols(), b.cols());
    c.data_mut().fill(0.0);
    for (a_row, c_row) in
        a.data().chunks_exact(k.max(1)).zip(c.data_mut().chunks_exact_mut(n.max(1)))
    {
        for (&a_ik, b_row) in a_row.iter().zip(b.data().chunks_exact(n.max(1))) {
            for (c_ij, &b_kj) in c_row.iter_mut().zip(b_row) {
                *c_ij += a_ik * b_kj;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: flat

// ANCHOR: transposed
/// Transpose `b` first, so that every element of `c` is a dot product of two contiguous rows.
/// Memory access is as good as in `flat`, but a dot product is a *reduction*: each addition
/// needs the previous one's result, and the compiler may not reorder floating-point additions
/// to vectorize it (the answer would change in the last bits).
pub fn transposed(a: &Matrix, b: &Matrix, c: &mut Matrix, _: NonZeroUsize) -> Result<(), Error> {
    check_output(a, b, c)?;
    let (k, n) = (a.cols(), b.cols());
    let mut bt = vec![0.0; k * n];
    for (p, b_row) in b.data().chunks_exact(n.max(1)).enumerate() {
        for (j, &value) in b_row.iter().enumerate() {
            bt[j * k + p] = value;
        }
    }
    if k == 0 {
        c.data_mut().fill(0.0);
    }
    for (a_row, c_row) in
        a.data().chunks_exact(k.max(1)).zip(c.data_mut().chunks_exact_mut(n.max(1)))
    {
        for (c_ij, bt_row) in c_row.iter_mut().zip(bt.chunks_exact(k.max(1))) {
            *c_ij = a_row.iter().zip(bt_row).map(|(x, y)| x * y).sum();
        }
    }
    Ok(())
}
// ANCHOR_END: transposed

/// The shapes of `a × b`, for the blocked algorithm.
pub fn dims(a: &Matrix, b: &Matrix) -> Dims {
    Dims { m: a.rows(), k: a.cols(), n: b.cols() }
}

// ANCHOR: blocked
/// Cache blocks, packing and a register-tiled micro-kernel (see [`crate::blocked`]), compiled
/// for the best instruction set this processor has, on one thread.
pub fn blocked(a: &Matrix, b: &Matrix, c: &mut Matrix, _: NonZeroUsize) -> Result<(), Error> {
    check_output(a, b, c)?;
    c.data_mut().fill(0.0);
    multiply(Isa::detect(), (a.data(), b.data(), c.data_mut()), dims(a, b), false)
}
// ANCHOR_END: blocked

// ANCHOR: blocked_rayon
/// The same on `threads` threads: each thread takes one slab of rows of `c` and runs the whole
/// algorithm on it, packing its own blocks of `a` and `b`.
pub fn blocked_rayon(
    a: &Matrix,
    b: &Matrix,
    c: &mut Matrix,
    threads: NonZeroUsize,
) -> Result<(), Error> {
    check_output(a, b, c)?;
    let pool = ladder::pool::pool(threads)?;
    c.data_mut().fill(0.0);
    pool.install(|| multiply(Isa::detect(), (a.data(), b.data(), c.data_mut()), dims(a, b), true))
}
// ANCHOR_END: blocked_rayon

/// A matrix's memory seen as an ndarray array, without a copy.
fn view(m: &Matrix) -> Result<ndarray::ArrayView2<'_, f64>, Error> {
    ndarray::ArrayView2::from_shape((m.rows(), m.cols()), m.data())
        .map_err(|e| Error::Shape(e.to_string()))
}

// ANCHOR: ndarray
/// ndarray's matrix product (`general_mat_mul`, what `a.dot(&b)` calls, here writing into `c`),
/// which hands the work to the `matrixmultiply` crate: the same blocked algorithm, written by
/// others, with kernels for AVX2 and FMA chosen at run time.
pub fn ndarray(a: &Matrix, b: &Matrix, c: &mut Matrix, _: NonZeroUsize) -> Result<(), Error> {
    check_output(a, b, c)?;
    let (m, n) = (c.rows(), c.cols());
    let mut out = ndarray::ArrayViewMut2::from_shape((m, n), c.data_mut())
        .map_err(|e| Error::Shape(e.to_string()))?;
    ndarray::linalg::general_mat_mul(1.0, &view(a)?, &view(b)?, 0.0, &mut out);
    Ok(())
}
// ANCHOR_END: ndarray

/// What every rung does: write `a × b` into `c`, which must have its shape, on `threads`
/// threads where the rung uses more than one. Like BLAS, the rungs write into memory the caller
/// owns, so that a benchmark measures the multiply, not the kernel mapping fresh memory for each
/// result.
pub type Multiply = fn(&Matrix, &Matrix, &mut Matrix, NonZeroUsize) -> Result<(), Error>;

/// A rung of this lesson.
pub type Rung = ladder::Rung<Multiply>;

/// The seed's triple loop.
pub static NAIVE: Rung =
    Rung::new("naive", "the seed's triple loop over lists of rows, a column of b at a time", naive)
        .baseline();

/// Contiguous arrays in i-k-j order.
pub static FLAT: Rung = Rung::new(
    "flat",
    "contiguous arrays, loops in i-k-j order: the compiler vectorizes the inner loop",
    flat,
);

/// Every element a dot product.
pub static TRANSPOSED: Rung = Rung::new(
    "transposed",
    "b transposed, every element a dot product: a reduction the compiler cannot vectorize",
    transposed,
);

/// Cache blocks and a register-tiled micro-kernel.
pub static BLOCKED: Rung = Rung::new(
    "blocked",
    "cache blocks, packing, and a register-tiled FMA micro-kernel for this processor",
    blocked,
);

/// The blocked rung on every core.
pub static BLOCKED_RAYON: Rung =
    Rung::new("blocked-rayon", "the blocked rung with bands of rows on every core", blocked_rayon)
        .parallel();

/// ndarray's product.
pub static NDARRAY: Rung =
    Rung::new("ndarray", "ndarray's dot: the matrixmultiply crate's blocked kernels", ndarray);

/// OpenBLAS.
pub static BLAS: Rung = Rung::new(
    "blas",
    "OpenBLAS's dgemm: hand-written assembly kernels for this processor",
    crate::blas::multiply,
)
.library()
.parallel()
.needs(std::slice::from_ref(&OPENBLAS));

/// The matrix-multiply ladder.
pub static LADDER: Ladder<Multiply> =
    Ladder::new(&[&NAIVE, &FLAT, &TRANSPOSED, &BLOCKED, &BLOCKED_RAYON, &NDARRAY, &BLAS]);

/// `a × b` with `rung` into a new matrix.
pub fn product(
    rung: &Rung,
    a: &Matrix,
    b: &Matrix,
    threads: NonZeroUsize,
) -> Result<Matrix, Error> {
    check_product(a, b)?;
    let mut c = Matrix::zeros(a.rows(), b.cols());
    (rung.run)(a, b, &mut c, threads)?;
    Ok(c)
}
