//! This device's ceilings, measured as the vectorize lesson measures the processor's: how many
//! floating-point operations per second it can do at best, how many bytes per second its
//! kernels can read from its own memory, and how fast data crosses the bus between the host and
//! the device, which every end-to-end time pays.
//!
//! The **FMA peak** runs eight independent chains of fused multiply-adds per invocation on
//! registers only, over a grid grown until one dispatch takes a good share of the time asked
//! for. The **read bandwidth** streams a buffer as large as the device binds (up to 1 GiB)
//! through the simplest loop there is. The **transfers** time an upload (host memory into a
//! device buffer) and a download (a device buffer back into host memory) at sizes from 4 KiB up:
//! small transfers are dominated by the fixed cost of each, large ones by the bus.
//!
//! Kernel times come from the GPU's clock where it has one, otherwise from the host's around
//! the dispatch; transfers are always timed by the host, as a program sees them.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::device::Gpu;
use crate::error::Error;
use crate::kernel::Kernel;
use crate::shader::{Precision, Shader};

/// Invocations per workgroup of both kernels.
pub const WG: u32 = 256;

/// Turns of the FMA loop, each eight fused multiply-adds: 16 operations.
pub const ROUNDS: u32 = 4096;

/// The FMA-chain kernel.
pub static FMA_SHADER: Shader = Shader {
    name: "fma-peak",
    bindings: "",
    body: include_str!("shaders/ceilings/fma.wgsl"),
    constants: &[("WG", WG), ("ROUNDS", ROUNDS)],
};

/// The read-bandwidth kernel.
pub static READ_SHADER: Shader = Shader {
    name: "read-bandwidth",
    bindings: "",
    body: include_str!("shaders/ceilings/read.wgsl"),
    constants: &[("WG", WG)],
};

/// The largest buffer the read bandwidth streams.
pub const READ_BYTES: u64 = 1 << 30;

/// The sizes transfers are timed at (those the device can bind).
pub const TRANSFER_BYTES: [u64; 7] =
    [4 << 10, 32 << 10, 256 << 10, 2 << 20, 16 << 20, 128 << 20, 1 << 30];

/// How fast one transfer size went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    /// Its size.
    pub bytes: u64,
    /// Host memory into a device buffer, bytes per second.
    pub upload_bytes_per_s: f64,
    /// A device buffer into host memory, bytes per second.
    pub download_bytes_per_s: f64,
}

/// This device's ceilings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ceilings {
    /// The fused multiply-add peak in `f32`, FLOP/s.
    pub fma_f32_flops_per_s: f64,
    /// The same in `f64`, where shaders have it.
    pub fma_f64_flops_per_s: Option<f64>,
    /// A kernel reading device memory, bytes per second.
    pub read_bytes_per_s: f64,
    /// The size the read bandwidth was measured on.
    pub read_bytes: u64,
    /// Host ↔ device transfers, by size.
    pub transfers: Vec<Transfer>,
    /// Whether kernel times came from the GPU's own clock.
    pub gpu_clock: bool,
}

/// Every ceiling, each kernel's dispatches taking about `duration` in all.
pub fn measure(gpu: &Gpu, duration: Duration) -> Result<Ceilings, Error> {
    let fma_f64_flops_per_s = match gpu.supports(Precision::F64) {
        true => Some(fma_peak(gpu, Precision::F64, duration)?),
        false => None,
    };
    let read_bytes = READ_BYTES.min(gpu.facts().max_binding_bytes) / 16 * 16;
    Ok(Ceilings {
        fma_f32_flops_per_s: fma_peak(gpu, Precision::F32, duration)?,
        fma_f64_flops_per_s,
        read_bytes_per_s: read_bandwidth(gpu, read_bytes, duration)?,
        read_bytes,
        transfers: transfers(gpu)?,
        gpu_clock: gpu.facts().timestamps,
    })
}

/// Seconds one dispatch of `kernel` took: on the GPU's clock where it has one.
fn seconds(
    gpu: &Gpu,
    kernel: &Kernel,
    buffers: &[&wgpu::Buffer],
    groups: u64,
) -> Result<f64, Error> {
    let start = Instant::now();
    let on_gpu = gpu.dispatch(kernel, buffers, [groups, 1, 1])?;
    Ok(on_gpu.unwrap_or_else(|| start.elapsed()).as_secs_f64())
}

/// The best rate of five dispatches on the grid that takes a fifth of `duration`, grown from
/// one workgroup by doubling: `work` units per workgroup, per second.
fn best_rate(
    gpu: &Gpu,
    kernel: &Kernel,
    buffers: &[&wgpu::Buffer],
    (work, duration): (f64, Duration),
) -> Result<f64, Error> {
    let limit = u64::from(gpu.facts().workgroups_per_dimension);
    let mut groups = 1;
    while seconds(gpu, kernel, buffers, groups)? < duration.as_secs_f64() / 5.0 && groups < limit {
        groups = (groups * 2).min(limit);
    }
    let mut best = 0.0f64;
    for _ in 0..5 {
        best = best.max(work * groups as f64 / seconds(gpu, kernel, buffers, groups)?);
    }
    Ok(best)
}

/// Fused multiply-adds in `precision` per second, counted as two operations each.
pub fn fma_peak(gpu: &Gpu, precision: Precision, duration: Duration) -> Result<f64, Error> {
    gpu.allows(FMA_SHADER.name, u64::from(ROUNDS))?;
    let kernel = gpu.kernel(&FMA_SHADER, Some(precision))?;
    let out = gpu.output::<f64>("the peak's result", 1)?;
    let flops_per_group = 2.0 * 8.0 * f64::from(ROUNDS) * f64::from(WG);
    best_rate(gpu, &kernel, &[&out], (flops_per_group, duration))
}

/// Bytes per second a kernel reads from a device buffer of `bytes`: the best of several
/// dispatches, each invocation making 16 loads of 16 bytes, as the fastest sum kernel does (on
/// lavapipe, a loop turn costs more than a load: 64 loads per invocation read at a third of
/// the speed).
pub fn read_bandwidth(gpu: &Gpu, bytes: u64, duration: Duration) -> Result<f64, Error> {
    let kernel = gpu.kernel(&READ_SHADER, None)?;
    let data = gpu.output::<u8>("the buffer the read bandwidth streams", bytes as usize)?;
    let out = gpu.output::<u32>("the read's result", 1)?;
    let loads = bytes / 16;
    let groups =
        (loads / 16 / u64::from(WG)).clamp(1, u64::from(gpu.facts().workgroups_per_dimension));
    gpu.allows(READ_SHADER.name, loads.div_ceil(groups * u64::from(WG)))?;
    let mut best = 0.0f64;
    let rounds = 5.max((duration.as_secs_f64() / 0.01) as usize).min(50);
    for _ in 0..rounds {
        best = best.max(bytes as f64 / seconds(gpu, &kernel, &[&data, &out], groups)?);
    }
    Ok(best)
}

/// Upload and download rates at each of [`TRANSFER_BYTES`] the device binds, the best of
/// three each.
pub fn transfers(gpu: &Gpu) -> Result<Vec<Transfer>, Error> {
    let limit = gpu.facts().max_binding_bytes;
    let mut all = Vec::new();
    for bytes in TRANSFER_BYTES.into_iter().filter(|&b| b <= limit) {
        let host = vec![1u8; bytes as usize];
        let buffer = gpu.transfer_buffer(bytes)?;
        let (mut up, mut down) = (Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            let start = Instant::now();
            gpu.write(&buffer, &host)?;
            up = up.min(start.elapsed());
            let start = Instant::now();
            let back: Vec<u8> = gpu.download("a transfer", &buffer)?;
            down = down.min(start.elapsed());
            if back != host {
                return Err(Error::Gpu {
                    what: format!("a transfer of {}", ladder::units::bytes(bytes)),
                    message: "the bytes that came back are not those that went up".into(),
                });
            }
        }
        let rate = |d: Duration| bytes as f64 / d.as_secs_f64().max(1e-9);
        all.push(Transfer {
            bytes,
            upload_bytes_per_s: rate(up),
            download_bytes_per_s: rate(down),
        });
    }
    Ok(all)
}
