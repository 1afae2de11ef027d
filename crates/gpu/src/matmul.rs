//! The notebook's matrix product on the GPU: a ladder of kernels, each one change from the one
//! before, every one checked against the vectorize lesson's reference product within the same
//! rounding-error bound ([`error_bound`]). Each kernel compiles in `f64`, the vectorize lesson's
//! precision, and in `f32`, the precision a GPU is built for, with its own bound.
//!
//! A GPU runs thousands of invocations of one kernel at once, in groups that share a small fast
//! memory. The kernels differ in which invocation computes which elements of `c`, and in where
//! each value of `a` and `b` is read from: device memory (large, far) or the workgroup's memory
//! (small, near).

use std::borrow::Cow;
use std::time::Duration;

use lesson_vectorize::Matrix;
use lesson_vectorize::matrix::check_product;

use crate::device::Gpu;
use crate::error::Error;
use crate::shader::{Precision, Shader};

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

/// How a register-tiled kernel cuts the work: a workgroup computes a `bm × bn` block of `c`,
/// stepping `bk` along `k`, and each of its invocations a `tm × tn` tile of the block.
#[derive(Clone, Copy, Debug)]
pub struct Blocking {
    /// Rows of the block.
    pub bm: u32,
    /// Columns of the block.
    pub bn: u32,
    /// The step along `k`.
    pub bk: u32,
    /// Rows of an invocation's tile.
    pub tm: u32,
    /// Columns of an invocation's tile.
    pub tn: u32,
}

impl Blocking {
    /// The shader's constants for this blocking.
    const fn constants(self) -> [(&'static str, u32); 5] {
        [("BM", self.bm), ("BN", self.bn), ("BK", self.bk), ("TM", self.tm), ("TN", self.tn)]
    }
}

/// A column of eight elements per invocation, 512 invocations for a 64 × 64 block.
pub const COLUMN: Blocking = Blocking { bm: 64, bn: 64, bk: 8, tm: 8, tn: 1 };

/// A 4 × 4 tile per invocation, 256 invocations for a 64 × 64 block.
pub const SQUARE: Blocking = Blocking { bm: 64, bn: 64, bk: 8, tm: 4, tn: 4 };

/// The register-tiled kernel with a column per invocation.
pub static REGISTER_1D_SHADER: Shader = Shader {
    name: "register-1d",
    bindings: BINDINGS,
    body: include_str!("shaders/matmul/register.wgsl"),
    constants: &COLUMN.constants(),
};

/// The register-tiled kernel with a square tile per invocation.
pub static REGISTER_2D_SHADER: Shader = Shader {
    name: "register-2d",
    bindings: BINDINGS,
    body: include_str!("shaders/matmul/register.wgsl"),
    constants: &SQUARE.constants(),
};

/// The register-2d kernel moving four values at a time. It declares its own bindings: its
/// arrays hold vectors of four.
pub static WIDE_SHADER: Shader = Shader {
    name: "wide-loads",
    bindings: "",
    body: include_str!("shaders/matmul/wide.wgsl"),
    constants: &SQUARE.constants(),
};

/// The values the wide-loads kernel moves at once: rows of its inputs and output are padded to
/// a multiple of this.
pub const LANES: usize = 4;

/// The most loop turns any kernel here takes in one invocation for each step along `k`, and as
/// many again for the rest, counted as if the compiler unrolled no loop (register-2d takes
/// about 30; the naive kernel, one): on lavapipe, `k` up to 2046.
pub const TURNS_PER_STEP: u64 = 32;

/// A product computed on the GPU, and how long the kernel itself took on the GPU's clock (where
/// the device can tell).
#[derive(Clone, Debug)]
pub struct Product {
    /// `a × b`.
    pub c: Matrix,
    /// The kernel's own time: no upload, no download.
    pub kernel: Option<Duration>,
}

/// How a kernel runs: its shader, its grid of workgroups, and the multiple its rows are padded
/// to (1: not padded).
#[derive(Clone, Copy, Debug)]
pub struct Launch {
    /// The kernel.
    pub shader: &'static Shader,
    /// Workgroups along `x`, `y` and `z`.
    pub groups: [u64; 3],
    /// Rows of `a`, `b` and `c` as the kernel reads them hold a multiple of this many values,
    /// and `b` a multiple of this many rows: zeros added on the way up, dropped on the way back.
    pub lanes: usize,
}

/// The values of `x` as a `rows × cols` matrix, zeros where `x` has none: a borrow where the
/// shapes are the same.
fn padded(x: &Matrix, rows: usize, cols: usize) -> Cow<'_, [f64]> {
    if (rows, cols) == (x.rows(), x.cols()) {
        return Cow::Borrowed(x.data());
    }
    let mut data = vec![0.0; rows * cols];
    if x.cols() > 0 {
        for (to, from) in data.chunks_exact_mut(cols).zip(x.data().chunks_exact(x.cols())) {
            to[..x.cols()].copy_from_slice(from);
        }
    }
    Cow::Owned(data)
}

/// Runs `launch` in `precision` for `a × b`: uploads both, dispatches, and downloads `c`. Every
/// rung is this with its own kernel and grid. In `f32`, the inputs are rounded to `f32` on the
/// way (exact, for inputs made with [`in_f32`]) and `c` comes back exactly as computed.
pub fn multiply(
    gpu: &Gpu,
    launch: Launch,
    precision: Precision,
    (a, b): (&Matrix, &Matrix),
) -> Result<Product, Error> {
    check_product(a, b)?;
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    gpu.allows(launch.shader.name, TURNS_PER_STEP * (k as u64 + 1))?;
    let kernel = gpu.kernel(launch.shader, Some(precision))?;
    let (k_wide, n_wide) = (k.next_multiple_of(launch.lanes), n.next_multiple_of(launch.lanes));
    let shape = [m, k_wide, n_wide].map(|d| u32::try_from(d).unwrap_or(u32::MAX));
    let dims = gpu.uniform("the shapes", &shape)?;
    let (a_data, b_data) = (padded(a, m, k_wide), padded(b, k_wide, n_wide));
    let single = |x: &[f64]| x.iter().map(|&v| v as f32).collect::<Vec<f32>>();
    let (a_on_gpu, b_on_gpu, c_on_gpu) = match precision {
        Precision::F32 => (
            gpu.upload("a", &single(&a_data))?,
            gpu.upload("b", &single(&b_data))?,
            gpu.output::<f32>("c", m * n_wide)?,
        ),
        Precision::F64 => (
            gpu.upload("a", &a_data)?,
            gpu.upload("b", &b_data)?,
            gpu.output::<f64>("c", m * n_wide)?,
        ),
    };
    let bound = [&dims, &a_on_gpu, &b_on_gpu, &c_on_gpu];
    let kernel_time = gpu.dispatch(&kernel, &bound, launch.groups)?;
    let mut data: Vec<f64> = match precision {
        Precision::F32 => gpu.download::<f32>("c", &c_on_gpu)?.into_iter().map(f64::from).collect(),
        Precision::F64 => gpu.download("c", &c_on_gpu)?,
    };
    data.truncate(m * n_wide);
    if n_wide != n {
        data = data.chunks_exact(n_wide).flat_map(|row| &row[..n]).copied().collect();
    }
    Ok(Product { c: Matrix::new(m, n, data)?, kernel: kernel_time })
}

/// `matrix` with every value rounded to the nearest `f32`: inputs an `f32` kernel reads exactly,
/// so that the reference product, computed from the same values, is the truth for it too.
pub fn in_f32(matrix: &Matrix) -> Matrix {
    let data = matrix.data().iter().map(|&v| f64::from(v as f32)).collect();
    Matrix::new(matrix.rows(), matrix.cols(), data).expect("the same shape")
}

/// The worst relative error of a product computed in `precision` with inner dimension `k`:
/// the vectorize lesson's bound, `γ_k`, with that precision's unit roundoff.
pub fn error_bound(k: usize, precision: Precision) -> f64 {
    lesson_vectorize::matrix::error_bound_with(k, precision.unit_roundoff())
}

/// Workgroups of `side` invocations needed to cover `len`.
fn groups(len: usize, side: u32) -> u64 {
    (len as u64).div_ceil(u64::from(side))
}

/// The naive kernel: one invocation per element of `c`, invocation `(x, y)` computing
/// `c[x][y]`.
pub fn naive(gpu: &Gpu, precision: Precision, a: &Matrix, b: &Matrix) -> Result<Product, Error> {
    let groups = [groups(a.rows(), WG), groups(b.cols(), WG), 1];
    multiply(gpu, Launch { shader: &NAIVE_SHADER, groups, lanes: 1 }, precision, (a, b))
}

/// The coalesced kernel: invocation `(x, y)` computes `c[y][x]`, so neighbouring invocations
/// read neighbouring values of `b`.
pub fn coalesced(
    gpu: &Gpu,
    precision: Precision,
    a: &Matrix,
    b: &Matrix,
) -> Result<Product, Error> {
    let groups = [groups(b.cols(), WG), groups(a.rows(), WG), 1];
    multiply(gpu, Launch { shader: &COALESCED_SHADER, groups, lanes: 1 }, precision, (a, b))
}

/// The tiled kernel: a workgroup computes a `TILE × TILE` block of `c` from tiles of `a` and
/// `b` it loads into workgroup memory together.
pub fn tiled(gpu: &Gpu, precision: Precision, a: &Matrix, b: &Matrix) -> Result<Product, Error> {
    let groups = [groups(b.cols(), TILE), groups(a.rows(), TILE), 1];
    multiply(gpu, Launch { shader: &TILED_SHADER, groups, lanes: 1 }, precision, (a, b))
}

/// The register-tiled kernel `shader`, cut as `blocking` says, reading `lanes` values at a
/// time: one workgroup per block of `c`.
fn register(
    gpu: &Gpu,
    (shader, blocking, lanes): (&'static Shader, Blocking, usize),
    precision: Precision,
    a: &Matrix,
    b: &Matrix,
) -> Result<Product, Error> {
    let groups = [groups(b.cols(), blocking.bn), groups(a.rows(), blocking.bm), 1];
    multiply(gpu, Launch { shader, groups, lanes }, precision, (a, b))
}

/// Register tiles of one column: each invocation computes eight elements of a column of `c`,
/// reusing each value of `b` it reads eight times.
pub fn register_1d(
    gpu: &Gpu,
    precision: Precision,
    a: &Matrix,
    b: &Matrix,
) -> Result<Product, Error> {
    register(gpu, (&REGISTER_1D_SHADER, COLUMN, 1), precision, a, b)
}

/// Register tiles of 4 × 4: each invocation computes sixteen elements of `c` from four values
/// of `a` and four of `b` at each step.
pub fn register_2d(
    gpu: &Gpu,
    precision: Precision,
    a: &Matrix,
    b: &Matrix,
) -> Result<Product, Error> {
    register(gpu, (&REGISTER_2D_SHADER, SQUARE, 1), precision, a, b)
}

/// Register-2d's tiles, with every value moved four at a time: vector loads from device memory
/// and from workgroup memory, vector multiply-adds.
pub fn wide_loads(
    gpu: &Gpu,
    precision: Precision,
    a: &Matrix,
    b: &Matrix,
) -> Result<Product, Error> {
    register(gpu, (&WIDE_SHADER, SQUARE, LANES), precision, a, b)
}

/// What every rung of the ladder does: `a × b` on the GPU, in `f32` or `f64`.
pub type Multiply = fn(&Gpu, Precision, &Matrix, &Matrix) -> Result<Product, Error>;

/// A rung of the ladder; its facts are the shader it runs (none for the vendor's library).
pub type Rung = ladder::Rung<Multiply, Option<&'static Shader>>;

/// One invocation per element, neighbours a row apart.
pub static NAIVE: Rung = Rung::with_facts(
    "naive",
    "one invocation per element of c; neighbouring invocations read rows of a far apart",
    Some(&NAIVE_SHADER),
    naive,
)
.baseline();

/// One invocation per element, neighbours a column apart.
pub static COALESCED: Rung = Rung::with_facts(
    "coalesced",
    "the indices swapped: neighbouring invocations read neighbouring values of b, fetched together",
    Some(&COALESCED_SHADER),
    coalesced,
);

/// Tiles in workgroup memory.
pub static TILED: Rung = Rung::with_facts(
    "tiled",
    "tiles of a and b in workgroup memory: each value read from device memory is used 16 times",
    Some(&TILED_SHADER),
    tiled,
);

/// A column of elements per invocation.
pub static REGISTER_1D: Rung = Rung::with_facts(
    "register-1d",
    "64 × 64 blocks, eight elements of a column per invocation: each value of b read is used 8 times",
    Some(&REGISTER_1D_SHADER),
    register_1d,
);

/// A square tile of elements per invocation.
pub static REGISTER_2D: Rung = Rung::with_facts(
    "register-2d",
    "64 × 64 blocks, a 4 × 4 tile per invocation: 16 multiply-adds for every 8 values read",
    Some(&REGISTER_2D_SHADER),
    register_2d,
);

/// Four values per load.
pub static WIDE_LOADS: Rung = Rung::with_facts(
    "wide-loads",
    "register-2d moving four values at a time: one vector load where register-2d issued four",
    Some(&WIDE_SHADER),
    wide_loads,
);

/// NVIDIA's own library.
pub static CUBLAS: Rung = Rung::with_facts(
    "cublas",
    "NVIDIA's cuBLAS (SGEMM, DGEMM): the vendor's kernels, where there is an NVIDIA GPU",
    None,
    crate::cublas::cublas,
)
.library()
.needs(&crate::cublas::NEEDS);

/// A ladder of matrix-multiply rungs.
pub type Ladder = ladder::Ladder<Multiply, Option<&'static Shader>>;

/// The matrix-multiply ladder.
pub static LADDER: Ladder = ladder::Ladder::new(&[
    &NAIVE,
    &COALESCED,
    &TILED,
    &REGISTER_1D,
    &REGISTER_2D,
    &WIDE_LOADS,
    &CUBLAS,
]);
