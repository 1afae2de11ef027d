//! The GPU: finding one, what it can do, and the one device a process uses.
//!
//! wgpu speaks to the GPU through Vulkan here, the API every vendor's driver offers on Linux.
//! Without a GPU, Mesa's *lavapipe* driver offers the same API on the processor: the same
//! shaders compile and run, slowly, which is how every kernel of this lesson is tested on
//! machines that have none.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::kernel::Kernel;
use crate::shader::Precision;

/// What this lesson asks of a device where the adapter offers it: `f64` and `u64` in shaders,
/// and timestamps around a compute pass, to time the kernel alone.
const WANTED: wgpu::Features = wgpu::Features::SHADER_F64
    .union(wgpu::Features::SHADER_INT64)
    .union(wgpu::Features::TIMESTAMP_QUERY);

/// An open GPU device and its queue, with what its adapter said about itself.
#[derive(Debug)]
pub struct Gpu {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    facts: Facts,
    /// Kernels compiled so far, by shader name: compiling is slow (lavapipe runs LLVM), and a
    /// rung run twice should not pay it twice.
    pub(crate) kernels: Mutex<HashMap<KernelKey, Arc<Kernel>>>,
}

/// A compiled kernel's name and precision (none for integers only).
pub(crate) type KernelKey = (&'static str, Option<Precision>);

/// Loop turns an invocation may take on lavapipe (see [`Facts::loop_turns`]).
pub const LAVAPIPE_LOOP_TURNS: u64 = 65_535;

/// What a GPU is and can do, as its adapter reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The adapter's name: `NVIDIA H200`, `llvmpipe (LLVM 15.0.6, 256 bits)`.
    pub name: String,
    /// The driver and its version.
    pub driver: String,
    /// A discrete GPU, an integrated one, or the processor (lavapipe).
    pub kind: String,
    /// Whether shaders may use `f64`.
    pub f64: bool,
    /// Whether shaders may use `u64`.
    pub u64: bool,
    /// Whether a compute pass can be timed on the GPU's own clock.
    pub timestamps: bool,
    /// The largest buffer one binding may hold, in bytes.
    pub max_binding_bytes: u64,
    /// Workgroup memory, in bytes.
    pub workgroup_bytes: u32,
    /// Invocations in one workgroup, at most.
    pub workgroup_invocations: u32,
    /// Workgroups in one dimension of a dispatch, at most.
    pub workgroups_per_dimension: u32,
    /// Invocations that run in lock step (a warp, a wavefront), smallest and largest.
    pub subgroup: (u32, u32),
    /// The most loop turns one invocation may take in all, where the driver caps them: Mesa's
    /// lavapipe ends every loop of an invocation once they have taken 65 535 turns together
    /// (`LP_MAX_TGSI_LOOP_ITERATIONS`, a guard against shaders that never finish), silently, so
    /// a kernel that needs more must be refused before it gives a wrong number.
    pub loop_turns: Option<u64>,
}

impl Facts {
    /// Whether this is a processor pretending to be a GPU: its figures are not a GPU's.
    pub fn is_cpu(&self) -> bool {
        self.kind == "processor"
    }
}

impl Gpu {
    /// The first Vulkan adapter, preferring a discrete GPU, opened with every feature this
    /// lesson uses that it has, and with the adapter's own limits (wgpu's defaults are lower:
    /// a 128 MiB binding, 16 KiB of workgroup memory).
    pub fn open() -> Result<Gpu, Error> {
        let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle();
        descriptor.backends = wgpu::Backends::VULKAN;
        let instance = wgpu::Instance::new(descriptor);
        let options = wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        };
        let adapter =
            pollster::block_on(instance.request_adapter(&options)).map_err(Error::NoAdapter)?;
        let info = adapter.get_info();
        let features = adapter.features() & WANTED;
        let limits = adapter.limits();
        let descriptor = wgpu::DeviceDescriptor {
            label: Some("workshop"),
            required_features: features,
            required_limits: limits.clone(),
            memory_hints: wgpu::MemoryHints::Performance,
            ..Default::default()
        };
        let (device, queue) = pollster::block_on(adapter.request_device(&descriptor))
            .map_err(|source| Error::Device { adapter: info.name.clone(), source })?;
        let kind = match info.device_type {
            wgpu::DeviceType::DiscreteGpu => "discrete GPU",
            wgpu::DeviceType::IntegratedGpu => "integrated GPU",
            wgpu::DeviceType::VirtualGpu => "virtual GPU",
            wgpu::DeviceType::Cpu => "processor",
            wgpu::DeviceType::Other => "other",
        };
        let facts = Facts {
            name: info.name.clone(),
            driver: format!("{} ({})", info.driver, info.driver_info),
            kind: kind.to_string(),
            f64: features.contains(wgpu::Features::SHADER_F64),
            u64: features.contains(wgpu::Features::SHADER_INT64),
            timestamps: features.contains(wgpu::Features::TIMESTAMP_QUERY),
            max_binding_bytes: limits.max_storage_buffer_binding_size.min(limits.max_buffer_size),
            workgroup_bytes: limits.max_compute_workgroup_storage_size,
            workgroup_invocations: limits.max_compute_invocations_per_workgroup,
            workgroups_per_dimension: limits.max_compute_workgroups_per_dimension,
            subgroup: (info.subgroup_min_size, info.subgroup_max_size),
            loop_turns: (info.driver == "llvmpipe" || info.name.starts_with("llvmpipe"))
                .then_some(LAVAPIPE_LOOP_TURNS),
        };
        Ok(Gpu { device, queue, facts, kernels: Mutex::default() })
    }

    /// What the adapter said about itself.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// `Ok` if `kernel` may take `turns` loop turns in one invocation on this device, or an
    /// error saying how many it may.
    pub fn allows(&self, kernel: &'static str, turns: u64) -> Result<(), Error> {
        match self.facts.loop_turns {
            Some(limit) if turns > limit => {
                let adapter = self.facts.name.clone();
                Err(Error::LoopTurns { adapter, kernel, turns, limit })
            }
            _ => Ok(()),
        }
    }

    /// Whether shaders may compute in `precision`.
    pub fn supports(&self, precision: Precision) -> bool {
        precision == Precision::F32 || self.facts.f64
    }

    /// `Ok` if shaders may compute in `precision`, or an error naming the kernel that needs it.
    pub fn needs(&self, precision: Precision, kernel: &'static str) -> Result<(), Error> {
        if self.supports(precision) {
            Ok(())
        } else {
            let adapter = self.facts.name.clone();
            Err(Error::Feature { adapter, feature: "f64 in shaders", kernel })
        }
    }
}
