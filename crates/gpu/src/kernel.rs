//! Running a kernel: compiling its shader once, moving data to the GPU and back, and timing the
//! kernel on the GPU's own clock.
//!
//! A GPU is a separate machine with its own memory: the data is copied there (an *upload*), the
//! kernel is *dispatched* as a grid of workgroups, and the result is copied back (a
//! *download*), each a step of its own that the host waits for. wgpu reports mistakes (a shader
//! that does not compile, a buffer too large) through error scopes, which turn them here into
//! errors that name what was asked, instead of a panic.

use std::sync::Arc;
use std::time::Duration;

use wgpu::util::DeviceExt;

use crate::device::Gpu;
use crate::error::Error;
use crate::shader::{Precision, Shader};

/// How long to wait for the GPU before calling it stuck.
const PATIENCE: Duration = Duration::from_secs(600);

/// A compiled kernel, ready to dispatch.
#[derive(Debug)]
pub struct Kernel {
    name: &'static str,
    pipeline: wgpu::ComputePipeline,
}

impl Gpu {
    /// Runs `f`, turning any validation or out-of-memory error the GPU reports meanwhile into
    /// an error naming `what`.
    fn checked<T>(&self, what: impl Fn() -> String, f: impl FnOnce() -> T) -> Result<T, Error> {
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let result = f();
        let errors = [validation.pop(), memory.pop()].map(pollster::block_on);
        match errors.into_iter().flatten().next() {
            None => Ok(result),
            Some(e) => Err(Error::Gpu { what: what(), message: e.to_string() }),
        }
    }

    /// `shader`'s kernel in `precision` (`None` for a kernel of integers only), compiled the
    /// first time it is asked for.
    pub fn kernel(
        &self,
        shader: &'static Shader,
        precision: Option<Precision>,
    ) -> Result<Arc<Kernel>, Error> {
        let key = (shader.name, precision);
        let cached = self.kernels.lock().ok().and_then(|k| k.get(&key).cloned());
        if let Some(kernel) = cached {
            return Ok(kernel);
        }
        let kernel = Arc::new(self.compile(shader, precision)?);
        if let Ok(mut kernels) = self.kernels.lock() {
            kernels.insert(key, Arc::clone(&kernel));
        }
        Ok(kernel)
    }

    /// Compiles `shader` into a kernel in `precision` (`None` for a kernel of integers only).
    pub fn compile(
        &self,
        shader: &'static Shader,
        precision: Option<Precision>,
    ) -> Result<Kernel, Error> {
        if let Some(precision) = precision {
            self.needs(precision, shader.name)?;
        }
        let source = shader.source(precision);
        let pipeline = self.checked(
            || match precision {
                Some(precision) => format!("the shader {} in {}", shader.name, precision.name()),
                None => format!("the shader {}", shader.name),
            },
            || {
                let module = self.device.create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some(shader.name),
                    source: wgpu::ShaderSource::Wgsl(source.into()),
                });
                self.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(shader.name),
                    layout: None,
                    module: &module,
                    entry_point: Some("main"),
                    compilation_options: Default::default(),
                    cache: None,
                })
            },
        )?;
        Ok(Kernel { name: shader.name, pipeline })
    }

    /// A binding may not be empty, nor smaller than one element of the array it binds: an empty
    /// matrix is bound as one unused element of the largest kind any kernel here reads, a
    /// `vec4<f64>`.
    const EMPTY_BINDING: usize = 32;

    /// A buffer on the GPU holding `data`, which kernels read (and may write).
    pub fn upload<T: bytemuck::Pod>(
        &self,
        what: &'static str,
        data: &[T],
    ) -> Result<wgpu::Buffer, Error> {
        let bytes: &[u8] =
            if data.is_empty() { &[0; Self::EMPTY_BINDING] } else { bytemuck::cast_slice(data) };
        self.fits(what, bytes.len() as u64)?;
        self.checked(
            || format!("a buffer for {what}"),
            || {
                self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some(what),
                    contents: bytes,
                    usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
                })
            },
        )
    }

    /// Small constants a kernel reads (the shapes), padded to the 16 bytes a uniform needs.
    pub fn uniform(&self, what: &'static str, values: &[u32]) -> Result<wgpu::Buffer, Error> {
        let mut padded = values.to_vec();
        padded.resize(values.len().div_ceil(4).max(1) * 4, 0);
        self.checked(
            || format!("a uniform for {what}"),
            || {
                self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some(what),
                    contents: bytemuck::cast_slice(&padded),
                    usage: wgpu::BufferUsages::UNIFORM,
                })
            },
        )
    }

    /// A buffer of `len` values of `T` for a kernel to write, then to download.
    pub fn output<T>(&self, what: &'static str, len: usize) -> Result<wgpu::Buffer, Error> {
        let bytes = (len * size_of::<T>()).max(Self::EMPTY_BINDING) as u64;
        self.fits(what, bytes)?;
        self.checked(
            || format!("a buffer for {what}"),
            || {
                self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some(what),
                    size: bytes,
                    usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
                    mapped_at_creation: false,
                })
            },
        )
    }

    /// A buffer of `bytes` that data can be written into from the host and read back from:
    /// what a transfer is timed on.
    pub fn transfer_buffer(&self, bytes: u64) -> Result<wgpu::Buffer, Error> {
        self.fits("a transfer", bytes)?;
        self.checked(
            || format!("a buffer of {} for a transfer", ladder::units::bytes(bytes)),
            || {
                self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("a transfer"),
                    size: bytes.max(8),
                    usage: wgpu::BufferUsages::STORAGE
                        | wgpu::BufferUsages::COPY_SRC
                        | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                })
            },
        )
    }

    /// Copies `data` from host memory into `buffer` (made by [`Gpu::transfer_buffer`]) and
    /// waits until it is there.
    pub fn write(&self, buffer: &wgpu::Buffer, data: &[u8]) -> Result<(), Error> {
        let submission = self.checked(
            || format!("a write of {}", ladder::units::bytes(data.len() as u64)),
            || {
                self.queue.write_buffer(buffer, 0, data);
                self.queue.submit([])
            },
        )?;
        self.wait("a write", Some(submission))
    }

    fn fits(&self, what: &'static str, bytes: u64) -> Result<(), Error> {
        let limit = self.facts().max_binding_bytes;
        if bytes <= limit { Ok(()) } else { Err(Error::TooLarge { what, bytes, limit }) }
    }

    /// Runs `kernel` on a grid of `groups` workgroups with `buffers` bound in order (binding 0,
    /// 1, …), and waits for it: the kernel's own time on the GPU's clock, where the device can
    /// tell it.
    pub fn dispatch(
        &self,
        kernel: &Kernel,
        buffers: &[&wgpu::Buffer],
        groups: [u64; 3],
    ) -> Result<Option<Duration>, Error> {
        let limit = self.facts().workgroups_per_dimension;
        let mut grid = [0u32; 3];
        for (g, &count) in grid.iter_mut().zip(&groups) {
            *g = u32::try_from(count).ok().filter(|&c| c <= limit).ok_or(Error::Dispatch {
                what: kernel.name,
                count,
                limit,
            })?;
        }
        let timer = self.facts().timestamps.then(|| Timer::new(self));
        let submission = self.checked(
            || format!("a dispatch of {}", kernel.name),
            || {
                let layout = kernel.pipeline.get_bind_group_layout(0);
                let entries: Vec<_> = buffers
                    .iter()
                    .enumerate()
                    .map(|(i, b)| wgpu::BindGroupEntry {
                        binding: i as u32,
                        resource: b.as_entire_binding(),
                    })
                    .collect();
                let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some(kernel.name),
                    layout: &layout,
                    entries: &entries,
                });
                let mut encoder = self.device.create_command_encoder(&Default::default());
                {
                    let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                        label: Some(kernel.name),
                        timestamp_writes: timer.as_ref().map(Timer::writes),
                    });
                    pass.set_pipeline(&kernel.pipeline);
                    pass.set_bind_group(0, &bind_group, &[]);
                    if grid.iter().all(|&g| g > 0) {
                        pass.dispatch_workgroups(grid[0], grid[1], grid[2]);
                    }
                }
                if let Some(timer) = &timer {
                    timer.resolve(&mut encoder);
                }
                self.queue.submit([encoder.finish()])
            },
        )?;
        self.wait("the kernel", Some(submission))?;
        match timer {
            Some(timer) => timer.read(self).map(Some),
            None => Ok(None),
        }
    }

    /// Copies `buffer` back to the host as values of `T`.
    pub fn download<T: bytemuck::Pod>(
        &self,
        what: &'static str,
        buffer: &wgpu::Buffer,
    ) -> Result<Vec<T>, Error> {
        let bytes = self.read(what, buffer)?;
        Ok(bytemuck::pod_collect_to_vec(&bytes[..bytes.len() / size_of::<T>() * size_of::<T>()]))
    }

    /// The bytes of `buffer`, through a buffer the host can map.
    fn read(&self, what: &'static str, buffer: &wgpu::Buffer) -> Result<Vec<u8>, Error> {
        let staging = self.checked(
            || format!("a download of {what}"),
            || {
                let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some(what),
                    size: buffer.size(),
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                });
                let mut encoder = self.device.create_command_encoder(&Default::default());
                encoder.copy_buffer_to_buffer(buffer, 0, &staging, 0, buffer.size());
                let submission = self.queue.submit([encoder.finish()]);
                (staging, submission)
            },
        )?;
        let (staging, submission) = staging;
        let (sender, receiver) = std::sync::mpsc::channel();
        staging.slice(..).map_async(wgpu::MapMode::Read, move |mapped| {
            let _ = sender.send(mapped);
        });
        self.wait(what, Some(submission))?;
        match receiver.recv() {
            Ok(Ok(())) => {}
            Ok(Err(source)) => return Err(Error::Map { what, source }),
            Err(_) => {
                return Err(Error::Gpu {
                    what: format!("a download of {what}"),
                    message: "the map never completed".into(),
                });
            }
        }
        let bytes = staging
            .slice(..)
            .get_mapped_range()
            .map_err(|e| Error::Gpu {
                what: format!("a download of {what}"),
                message: e.to_string(),
            })?
            .to_vec();
        staging.unmap();
        Ok(bytes)
    }

    /// Waits until the GPU has finished `submission`.
    fn wait(
        &self,
        what: &'static str,
        submission: Option<wgpu::SubmissionIndex>,
    ) -> Result<(), Error> {
        self.device
            .poll(wgpu::PollType::Wait { submission_index: submission, timeout: Some(PATIENCE) })
            .map(|_| ())
            .map_err(|source| Error::Wait { what, source })
    }
}

/// Two timestamps around a compute pass, written by the GPU on its own clock.
struct Timer {
    queries: wgpu::QuerySet,
    resolved: wgpu::Buffer,
    period_ns: f32,
}

impl Timer {
    fn new(gpu: &Gpu) -> Timer {
        let queries = gpu.device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("kernel time"),
            ty: wgpu::QueryType::Timestamp,
            count: 2,
        });
        let resolved = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("kernel time"),
            size: 2 * size_of::<u64>() as u64,
            usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        Timer { queries, resolved, period_ns: gpu.queue.get_timestamp_period() }
    }

    fn writes(&self) -> wgpu::ComputePassTimestampWrites<'_> {
        wgpu::ComputePassTimestampWrites {
            query_set: &self.queries,
            beginning_of_pass_write_index: Some(0),
            end_of_pass_write_index: Some(1),
        }
    }

    fn resolve(&self, encoder: &mut wgpu::CommandEncoder) {
        encoder.resolve_query_set(&self.queries, 0..2, &self.resolved, 0);
    }

    fn read(&self, gpu: &Gpu) -> Result<Duration, Error> {
        let ticks: Vec<u64> = gpu.download("the kernel's timestamps", &self.resolved)?;
        let elapsed = ticks[1].saturating_sub(ticks[0]);
        Ok(Duration::from_secs_f64(elapsed as f64 * f64::from(self.period_ns) * 1e-9))
    }
}
