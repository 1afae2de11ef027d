//! The notebook's matrix product on the GPU, in `f64`: a ladder of kernels, each one change
//! from the one before, every one checked against the vectorize lesson's reference product
//! within the same rounding-error bound ([`lesson_vectorize::matrix::error_bound`]).
//!
//! A GPU runs thousands of invocations of one kernel at once, in groups that share a small fast
//! memory. The kernels differ in which invocation computes which elements of `c`, and in where
//! each value of `a` and `b` is read from: device memory (large, far) or the workgroup's memory
//! (small, near).

use std::time::Duration;

use lesson_vectorize::Matrix;
use lesson_vectorize::matrix::check_product;

use crate::device::Gpu;
use crate::error::Error;
use crate::shader::Shader;

/// What every matrix-multiply kernel binds.
pub const BINDINGS: &str = include_str!("shaders/matmul.wgsl");

/// Invocations along each side of a workgroup of the one-element kernels: 16 × 16 = 256.
pub const WG: u32 = 16;

/// The side of the tiles the tiled kernel keeps in workgroup memory.
pub const TILE: u32 = 16;

/// One invocation per element, rows along the workgroup's `x`.
pub static NAIVE_SHADER: Shader = Shader {
    name: "naive",
    bindings: BINDINGS,
    body: include_str!("shaders/matmul/naive.wgsl"),
    constants: &[("WG", WG)],
};

/// One invocation per element, columns along the workgroup's `x`.
pub static COALESCED_SHADER: Shader = Shader {
    name: "coalesced",
    bindings: BINDINGS,
    body: include_str!("shaders/matmul/coalesced.wgsl"),
    constants: &[("WG", WG)],
};

/// Tiles of `a` and `b` in workgroup memory.
pub static TILED_SHADER: Shader = Shader {
    name: "tiled",
    bindings: BINDINGS,
    body: include_str!("shaders/matmul/tiled.wgsl"),
    constants: &[("TILE", TILE)],
};

/// A product computed on the GPU, and how long the kernel itself took on the GPU's clock (where
/// the device can tell).
#[derive(Clone, Debug)]
pub struct Product {
    /// `a × b`.
    pub c: Matrix,
    /// The kernel's own time: no upload, no download.
    pub kernel: Option<Duration>,
}

/// Runs `shader` for `a × b` on a grid of `groups` workgroups: uploads both, dispatches, and
/// downloads `c`. Every rung is this with its own kernel and grid.
pub fn multiply(
    gpu: &Gpu,
    shader: &'static Shader,
    a: &Matrix,
    b: &Matrix,
    groups: [u64; 3],
) -> Result<Product, Error> {
    check_product(a, b)?;
    gpu.needs_f64(shader.name)?;
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let kernel = gpu.kernel(shader)?;
    let shape = [m, k, n].map(|d| u32::try_from(d).unwrap_or(u32::MAX));
    let dims = gpu.uniform("the shapes", &shape)?;
    let a_on_gpu = gpu.upload("a", a.data())?;
    let b_on_gpu = gpu.upload("b", b.data())?;
    let c_on_gpu = gpu.output::<f64>("c", m * n)?;
    let kernel_time = gpu.dispatch(&kernel, &[&dims, &a_on_gpu, &b_on_gpu, &c_on_gpu], groups)?;
    let mut data: Vec<f64> = gpu.download("c", &c_on_gpu)?;
    data.truncate(m * n);
    Ok(Product { c: Matrix::new(m, n, data)?, kernel: kernel_time })
}

/// Workgroups of `side` invocations needed to cover `len`.
fn groups(len: usize, side: u32) -> u64 {
    (len as u64).div_ceil(u64::from(side))
}

/// The naive kernel: one invocation per element of `c`, invocation `(x, y)` computing
/// `c[x][y]`.
pub fn naive(gpu: &Gpu, a: &Matrix, b: &Matrix) -> Result<Product, Error> {
    let grid = [groups(a.rows(), WG), groups(b.cols(), WG), 1];
    multiply(gpu, &NAIVE_SHADER, a, b, grid)
}

/// The coalesced kernel: invocation `(x, y)` computes `c[y][x]`, so neighbouring invocations
/// read neighbouring values of `b`.
pub fn coalesced(gpu: &Gpu, a: &Matrix, b: &Matrix) -> Result<Product, Error> {
    let grid = [groups(b.cols(), WG), groups(a.rows(), WG), 1];
    multiply(gpu, &COALESCED_SHADER, a, b, grid)
}

/// The tiled kernel: a workgroup computes a `TILE × TILE` block of `c` from tiles of `a` and
/// `b` it loads into workgroup memory together.
pub fn tiled(gpu: &Gpu, a: &Matrix, b: &Matrix) -> Result<Product, Error> {
    let grid = [groups(b.cols(), TILE), groups(a.rows(), TILE), 1];
    multiply(gpu, &TILED_SHADER, a, b, grid)
}

/// What every rung of the ladder does: `a × b` on the GPU.
pub type Multiply = fn(&Gpu, &Matrix, &Matrix) -> Result<Product, Error>;

/// A rung of the ladder; its facts are the shader it runs.
pub type Rung = ladder::Rung<Multiply, &'static Shader>;

/// One invocation per element, neighbours a row apart.
pub static NAIVE: Rung = Rung::with_facts(
    "naive",
    "one invocation per element of c; neighbouring invocations read rows of a far apart",
    &NAIVE_SHADER,
    naive,
)
.baseline();

/// One invocation per element, neighbours a column apart.
pub static COALESCED: Rung = Rung::with_facts(
    "coalesced",
    "the indices swapped: neighbouring invocations read neighbouring values of b, fetched together",
    &COALESCED_SHADER,
    coalesced,
);

/// Tiles in workgroup memory.
pub static TILED: Rung = Rung::with_facts(
    "tiled",
    "tiles of a and b in workgroup memory: each value read from device memory is used 16 times",
    &TILED_SHADER,
    tiled,
);

/// The matrix-multiply ladder.
pub static LADDER: ladder::Ladder<Multiply, &'static Shader> =
    ladder::Ladder::new(&[&NAIVE, &COALESCED, &TILED]);
