//! The BLAS rung: OpenBLAS's `dgemm`, through its C interface.
//!
//! Built with the feature `openblas-system` (links the system's OpenBLAS: on Debian,
//! `apt-get install libopenblas-dev`) or `openblas-static` (downloads OpenBLAS and compiles it:
//! internet access and several minutes). Without either, the rung says so instead of running.
//! We call `cblas_dgemm` on the matrices' own memory, which is exactly what ndarray does with
//! its `blas` feature; calling it directly keeps the ndarray rung on matrixmultiply, so both
//! can be measured in one build.

use std::num::NonZeroUsize;

use ladder::Need;

use crate::error::Error;
use crate::matrix::{Matrix, check_output};

/// What the BLAS rung needs: this build linked against OpenBLAS.
pub static OPENBLAS: Need = Need {
    what: "OpenBLAS",
    found: || cfg!(feature = "blas"),
    how: "install it (Debian: apt-get install libopenblas-dev) and build with --features \
          lesson-vectorize/openblas-system",
};

// The system library is linked by name: `openblas-src` could find it too, but its build
// helper compiles a TLS stack for downloading even when nothing is downloaded.
#[cfg(feature = "blas")]
#[cfg_attr(not(feature = "openblas-static"), link(name = "openblas"))]
unsafe extern "C" {
    /// OpenBLAS's own setting for the threads its next calls use.
    fn openblas_set_num_threads(threads: std::ffi::c_int);
}

// With `openblas-static`, `openblas-src` builds the library and links it.
#[cfg(feature = "openblas-static")]
use openblas_src as _;

// ANCHOR: blas
/// `a × b` with OpenBLAS on `threads` threads.
#[cfg(feature = "blas")]
pub fn multiply(
    a: &Matrix,
    b: &Matrix,
    c: &mut Matrix,
    threads: NonZeroUsize,
) -> Result<(), Error> {
    use cblas_sys::{CBLAS_LAYOUT, CBLAS_TRANSPOSE, cblas_dgemm};
    check_output(a, b, c)?;
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let int = |x: usize| {
        i32::try_from(x.max(1)).map_err(|_| Error::Shape(format!("{x} is too large for BLAS")))
    };
    let (mi, ki, ni) = (int(m)?, int(k)?, int(n)?);
    if m == 0 || n == 0 {
        return Ok(());
    }
    if k == 0 {
        c.data_mut().fill(0.0);
        return Ok(());
    }
    // SAFETY: the three buffers hold m×k, k×n and m×n doubles in row-major order (checked
    // above and by `Matrix`), which is what the row-major dgemm call below reads and writes,
    // with leading dimensions k, n and n.
    unsafe {
        openblas_set_num_threads(int(threads.get())?);
        cblas_dgemm(
            CBLAS_LAYOUT::CblasRowMajor,
            CBLAS_TRANSPOSE::CblasNoTrans,
            CBLAS_TRANSPOSE::CblasNoTrans,
            mi,
            ni,
            ki,
            1.0,
            a.data().as_ptr(),
            ki,
            b.data().as_ptr(),
            ni,
            0.0,
            c.data_mut().as_mut_ptr(),
            ni,
        );
    }
    Ok(())
}
// ANCHOR_END: blas

/// Without a BLAS feature: an error that says how to get the rung.
#[cfg(not(feature = "blas"))]
pub fn multiply(a: &Matrix, b: &Matrix, c: &mut Matrix, _: NonZeroUsize) -> Result<(), Error> {
    check_output(a, b, c)?;
    Err(Error::Unavailable { rung: crate::ladder::BLAS.name, need: &OPENBLAS })
}
