//! The vendor's library, where there is one: NVIDIA's cuBLAS, through cudarc. It is the rung
//! every hand-written kernel is measured against, as OpenBLAS is in the vectorize lesson.
//!
//! cudarc loads the CUDA libraries when they are first used, so this builds on every machine;
//! where they are missing it would panic on first use, so [`present`] asks first, and the rung
//! is skipped with a message saying what it needs. cuBLAS stores matrices by columns and ours
//! are stored by rows: a row-major `c = a b` is the column-major `cᵀ = bᵀ aᵀ`, so the call
//! passes `b` before `a` and transposes nothing.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use cudarc::cublas::sys::cublasOperation_t::CUBLAS_OP_N;
use cudarc::cublas::{CudaBlas, Gemm, GemmConfig};
use cudarc::driver::sys::CUevent_flags::CU_EVENT_DEFAULT;
use cudarc::driver::{CudaContext, CudaStream, DeviceRepr, ValidAsZeroBits};
use lesson_vectorize::Matrix;
use lesson_vectorize::matrix::check_product;

use crate::device::Gpu;
use crate::error::Error;
use crate::matmul::Product;
use crate::shader::Precision;

/// What the cuBLAS rung needs, for the driver's message where it is missing.
pub static NEEDS: [ladder::Need; 1] = [ladder::Need {
    what: "an NVIDIA GPU with its driver and cuBLAS",
    found: present,
    how: "install the NVIDIA driver and the CUDA toolkit's cuBLAS (libcublas)",
}];

/// Whether the CUDA driver and cuBLAS can be loaded here.
pub fn present() -> bool {
    // SAFETY: each only tries to load a shared library by name and unloads it again; loading
    // runs the library's initialisers, which the CUDA libraries keep to themselves.
    unsafe { cudarc::driver::sys::is_culib_present() && cudarc::cublas::sys::is_culib_present() }
}

/// The first CUDA device's stream and cuBLAS handle, made once.
fn library() -> Result<&'static (Arc<CudaStream>, CudaBlas), Error> {
    static LIBRARY: OnceLock<Result<(Arc<CudaStream>, CudaBlas), String>> = OnceLock::new();
    let made = LIBRARY.get_or_init(|| {
        if !present() {
            return Err("no CUDA driver or cuBLAS on this machine".into());
        }
        let context = CudaContext::new(0).map_err(|e| e.to_string())?;
        let stream = context.default_stream();
        let blas = CudaBlas::new(Arc::clone(&stream)).map_err(|e| e.to_string())?;
        Ok((stream, blas))
    });
    made.as_ref().map_err(|why| cuda("opening the CUDA device", why))
}

/// A CUDA call's error, naming what was asked.
fn cuda(what: &str, why: impl std::fmt::Display) -> Error {
    Error::Cuda { what: what.into(), why: why.to_string() }
}

/// The two element types cuBLAS multiplies here.
trait Real: DeviceRepr + ValidAsZeroBits + Copy {
    const ZERO: Self;
    const ONE: Self;
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
}

/// `c = a b` with cuBLAS's GEMM in `T`, timed on the GPU by two events around the call.
fn gemm<T: Real>(
    a: &[T],
    b: &[T],
    (m, k, n): (usize, usize, usize),
) -> Result<(Vec<T>, Duration), Error>
where
    CudaBlas: Gemm<T>,
{
    let (stream, blas) = library()?;
    let upload = |values: &[T]| match values {
        [] => stream.clone_htod(&[T::ZERO][..]),
        _ => stream.clone_htod(values),
    };
    let a = upload(a).map_err(|e| cuda("an upload", e))?;
    let b = upload(b).map_err(|e| cuda("an upload", e))?;
    let mut c = stream.alloc_zeros::<T>((m * n).max(1)).map_err(|e| cuda("the output", e))?;
    let context = stream.context();
    let event = || context.new_event(Some(CU_EVENT_DEFAULT)).map_err(|e| cuda("an event", e));
    let (start, end) = (event()?, event()?);
    let dim = |d: usize| i32::try_from(d.max(1)).unwrap_or(i32::MAX);
    // ANCHOR: gemm
    // Column-major cᵀ (n × m) = bᵀ (n × k) · aᵀ (k × m): our row-major matrices, unchanged.
    let config = GemmConfig {
        transa: CUBLAS_OP_N,
        transb: CUBLAS_OP_N,
        m: dim(n),
        n: dim(m),
        k: dim(k),
        alpha: T::ONE,
        lda: dim(n),
        ldb: dim(k),
        beta: T::ZERO,
        ldc: dim(n),
    };
    start.record(stream).map_err(|e| cuda("an event", e))?;
    if m > 0 && n > 0 && k > 0 {
        // SAFETY: `a` holds m × k values, `b` k × n and `c` m × n (each at least one), and the
        // leading dimensions are those of row-major matrices read as column-major ones.
        unsafe { blas.gemm(config, &b, &a, &mut c) }.map_err(|e| cuda("cuBLAS's GEMM", e))?;
    }
    end.record(stream).map_err(|e| cuda("an event", e))?;
    // ANCHOR_END: gemm
    let ms = start.elapsed_ms(&end).map_err(|e| cuda("the kernel's time", e))?;
    let mut values = stream.clone_dtoh(&c).map_err(|e| cuda("a download", e))?;
    values.truncate(m * n);
    Ok((values, Duration::from_secs_f64(f64::from(ms) / 1e3)))
}

/// `a × b` with cuBLAS in `precision` (`SGEMM` or `DGEMM`). The wgpu device is not used: the
/// library has its own.
pub fn cublas(_: &Gpu, precision: Precision, a: &Matrix, b: &Matrix) -> Result<Product, Error> {
    check_product(a, b)?;
    let dims = (a.rows(), a.cols(), b.cols());
    let (c, kernel) = match precision {
        Precision::F32 => {
            let single = |x: &Matrix| x.data().iter().map(|&v| v as f32).collect::<Vec<f32>>();
            let (c, kernel) = gemm(&single(a), &single(b), dims)?;
            (c.into_iter().map(f64::from).collect(), kernel)
        }
        Precision::F64 => gemm(a.data(), b.data(), dims)?,
    };
    Ok(Product { c: Matrix::new(dims.0, dims.2, c)?, kernel: Some(kernel) })
}
