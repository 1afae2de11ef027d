//! The GPU lesson's measurements: the `gpu` binary times its own kernels (`gpu bench`), on
//! the GPU's clock and the host's; this adds the machine it ran on. Without a GPU, Mesa's
//! lavapipe runs every kernel on the processor, and the record says so.

use std::process::Command;

use anyhow::{Context, Result};
use lesson_gpu::report::{Measured, Report};

use super::{Run, binary};
use crate::machine;
use crate::shell::{ensure_vulkan, output};

/// Measures the GPU lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let envs = ensure_vulkan()?;
    let binary = binary("lesson-gpu", "gpu", &[])?;
    eprintln!("timing the GPU ladders with the GPU's own clock (gpu bench)");
    let mut command = Command::new(&binary);
    command.arg("bench").envs(envs);
    if run.quick {
        command.arg("--quick");
    }
    let text = output(&mut command)?;
    let measured: Measured = serde_json::from_str(text.trim())
        .context("`gpu bench` printed something else than its record")?;
    Ok(Report { machine: machine::current(), quick: run.quick, measured })
}
