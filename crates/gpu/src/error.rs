//! What can stop a GPU rung.

/// Everything that can go wrong on the GPU here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No Vulkan adapter: no GPU driver, and no software driver either.
    #[error(
        "no GPU adapter found through Vulkan: install a Vulkan driver (without a GPU, Mesa's \
         software one: apt-get install mesa-vulkan-drivers libvulkan1)"
    )]
    NoAdapter(#[source] wgpu::RequestAdapterError),
    /// The adapter refused to give a device with the features and limits asked for.
    #[error("the GPU adapter {adapter} refused a device")]
    Device {
        /// The adapter's name.
        adapter: String,
        /// Why.
        #[source]
        source: wgpu::RequestDeviceError,
    },
    /// The adapter cannot do what a kernel needs (`f64` in shaders, say).
    #[error("the GPU adapter {adapter} has no {feature}, which the {kernel} kernel needs")]
    Feature {
        /// The adapter's name.
        adapter: String,
        /// What it lacks.
        feature: &'static str,
        /// The kernel.
        kernel: &'static str,
    },
    /// More loop turns in one invocation than the driver lets a shader take.
    #[error(
        "the {kernel} kernel would take {turns} loop turns in one invocation, and {adapter} ends \
         every loop after {limit}: use a smaller size (or a GPU)"
    )]
    LoopTurns {
        /// The adapter's name.
        adapter: String,
        /// The kernel.
        kernel: &'static str,
        /// Turns it would take.
        turns: u64,
        /// Turns the driver allows.
        limit: u64,
    },
    /// A buffer larger than the device can bind.
    #[error(
        "{what} needs a buffer of {} but this GPU binds at most {}: use a smaller size",
        ladder::units::bytes(*bytes),
        ladder::units::bytes(*limit)
    )]
    TooLarge {
        /// What the buffer holds.
        what: &'static str,
        /// Its size.
        bytes: u64,
        /// The device's limit.
        limit: u64,
    },
    /// More workgroups in one dimension than a dispatch may have.
    #[error("{what} needs {count} workgroups in one dimension; a dispatch may have {limit}")]
    Dispatch {
        /// The kernel.
        what: &'static str,
        /// Workgroups asked for.
        count: u64,
        /// The device's limit.
        limit: u32,
    },
    /// The GPU reported an error: a shader that does not compile, a dispatch it refused.
    #[error("the GPU refused {what}: {message}")]
    Gpu {
        /// What was asked.
        what: String,
        /// wgpu's description.
        message: String,
    },
    /// Waiting for the GPU failed or timed out.
    #[error("waiting for the GPU to finish {what} failed")]
    Wait {
        /// What was waited for.
        what: &'static str,
        /// Why.
        #[source]
        source: wgpu::PollError,
    },
    /// A result could not be read back from the GPU.
    #[error("cannot read {what} back from the GPU")]
    Map {
        /// What was read.
        what: &'static str,
        /// Why.
        #[source]
        source: wgpu::BufferAsyncError,
    },
    /// A CUDA or cuBLAS call failed.
    #[error("CUDA refused {what}: {why}")]
    Cuda {
        /// What was asked.
        what: String,
        /// CUDA's description.
        why: String,
    },
    /// The shapes of a product do not fit, as the vectorize lesson checks them, or one of that
    /// lesson's rungs failed on the processor.
    #[error(transparent)]
    Vectorize(#[from] lesson_vectorize::Error),
    /// The file to sum could not be read or parsed, as the memory lesson reports it.
    #[error(transparent)]
    Memory(#[from] lesson_memory::Error),
    /// The `gpu` binary's driver refused (an unknown rung, a result outside its bound).
    #[error(transparent)]
    Ladder(#[from] ladder::Error),
}
