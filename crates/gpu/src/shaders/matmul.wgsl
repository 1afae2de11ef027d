// What every matrix-multiply kernel binds: the shapes, `a` (m × k) and `b` (k × n) to read and
// `c` (m × n) to write, each row-major in one array of `real`: `f32` or `f64`, whichever the
// Rust side compiles the kernel for.

struct Dims {
    m: u32,
    k: u32,
    n: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<real>;
@group(0) @binding(2) var<storage, read> b: array<real>;
@group(0) @binding(3) var<storage, read_write> c: array<real>;
