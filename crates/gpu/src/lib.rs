//! # Accelerate: the GPU
//!
//! A GPU is many slow cores with wide vector units, its own memory, and a bus in between. This
//! lesson runs two of the workshop's jobs on one, through wgpu and WGSL shaders on Vulkan:
//! the notebook's matrix product, a ladder of kernels from one invocation per element to
//! register tiles ([`matmul`]), each checked against the vectorize lesson's reference within
//! its error bound in `f32` and `f64`; and the memory lesson's exact totals, parsed on the
//! processor ([`column`]) and added on the GPU by a ladder of reduction kernels ([`sum`]), bit
//! for bit that lesson's, with a float sum beside it ([`float`]).
//!
//! The modules, in the order a reader meets them: [`device`] finds the GPU and says what it can
//! do, and [`ceilings`] measures its limits; [`shader`] is how a kernel's source is put
//! together; [`kernel`] compiles, uploads, dispatches, times and downloads; [`cli`] is the `gpu`
//! binary's command line, [`bench`] what `cargo xtask bench` measures and [`report`] its
//! record. Without a GPU, Mesa's lavapipe driver runs the same shaders on the processor, which
//! is how the lesson is tested everywhere; `kit` (with the feature `kit`) holds the rung tests.

pub mod bench;
pub mod ceilings;
pub mod cli;
pub mod column;
pub mod cublas;
pub mod device;
pub mod error;
pub mod float;
pub mod kernel;
#[cfg(feature = "kit")]
pub mod kit;
pub mod matmul;
pub mod report;
pub mod shader;
pub mod sum;

pub use device::Gpu;
pub use error::Error;
