//! A float sum on the GPU, beside the exact ladder: what `torch.sum` or `cupy.sum` of the
//! column would do. Each value becomes the nearest float, workgroups add them in a fixed tree
//! and the host adds the workgroups' sums in order: the same file gives the same bits every
//! time, but every addition rounds, so they are not the exact total's bits, and a different
//! tree (another workgroup size, another GPU's library) gives other bits again.

use crate::column::Column;
use crate::device::Gpu;
use crate::error::Error;
use crate::shader::{Precision, Shader};

/// Invocations per workgroup.
pub const WG: u32 = 256;

/// Numbers each invocation adds before the tree.
pub const PER: u32 = 32;

/// The float-sum kernel.
pub static FLOAT_SHADER: Shader = Shader {
    name: "float-sum",
    bindings: "",
    body: include_str!("shaders/sum/float.wgsl"),
    constants: &[("WG", WG), ("PER", PER)],
};

/// Every value of `column` as a float: `±m / 10^s`, each correctly rounded to `f64` (then to
/// `f32` where that is asked for), in the column's order.
pub fn numbers(column: &Column) -> Vec<f64> {
    let mut all = Vec::with_capacity(column.values().len());
    for bucket in column.buckets() {
        let sign = if bucket.negative { "-" } else { "" };
        for &m in &column.values()[bucket.range.clone()] {
            // Rust's parsing rounds correctly, whatever the digits.
            let value: f64 = format!("{sign}{m}e-{}", bucket.scale).parse().expect("digits");
            all.push(value);
        }
    }
    all
}

/// The float sum of `numbers` on the GPU in `precision`.
pub fn float_sum(gpu: &Gpu, precision: Precision, numbers: &[f64]) -> Result<f64, Error> {
    let kernel = gpu.kernel(&FLOAT_SHADER, Some(precision))?;
    let per_group = (WG * PER) as usize;
    let pieces = numbers.len().div_ceil(per_group).max(1);
    let on_gpu = match precision {
        Precision::F32 => {
            let single: Vec<f32> = numbers.iter().map(|&x| x as f32).collect();
            gpu.upload("the numbers", &single)?
        }
        Precision::F64 => gpu.upload("the numbers", numbers)?,
    };
    let size = match precision {
        Precision::F32 => size_of::<f32>(),
        Precision::F64 => size_of::<f64>(),
    };
    let partials = gpu.output::<u8>("the partial sums", pieces * size)?;
    let limit = u64::from(gpu.facts().workgroups_per_dimension);
    let x = (pieces as u64).min(limit);
    gpu.dispatch(&kernel, &[&on_gpu, &partials], [x, (pieces as u64).div_ceil(x), 1])?;
    // The workgroups' sums in order, one after another, in the same precision: a fixed order,
    // so a fixed result.
    Ok(match precision {
        Precision::F32 => {
            let partials = gpu.download::<f32>("the partial sums", &partials)?;
            f64::from(partials[..pieces].iter().fold(0.0f32, |sum, &x| sum + x))
        }
        Precision::F64 => {
            let partials = gpu.download::<f64>("the partial sums", &partials)?;
            partials[..pieces].iter().fold(0.0, |sum, &x| sum + x)
        }
    })
}
