//! # Accelerate: the GPU
//!
//! A GPU is many slow cores with wide vector units, its own memory, and a bus in between. This
//! lesson runs the notebook's matrix product on one, through wgpu and WGSL shaders on Vulkan, a
//! ladder of kernels from one invocation per element to tiles in workgroup memory
//! ([`matmul`]), each checked against the vectorize lesson's reference within its error bound.
//!
//! [`device`] finds the GPU and says what it can do; [`shader`] is how a kernel's source is put
//! together; [`kernel`] compiles, uploads, dispatches, times and downloads; [`cli`] is the `gpu`
//! binary's command line. Without a GPU,
//! Mesa's lavapipe driver runs the same shaders on the processor, which is how the lesson is
//! tested everywhere; `kit` (with the feature `kit`) holds the rung tests.

pub mod cli;
pub mod column;
pub mod device;
pub mod error;
pub mod kernel;
#[cfg(feature = "kit")]
pub mod kit;
pub mod matmul;
pub mod shader;
pub mod sum;

pub use device::Gpu;
pub use error::Error;
