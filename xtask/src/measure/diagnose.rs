//! The diagnosis tool's measurements: every probe of known bottleneck run under it (`probe
//! all`), in a folder of the build's target on the disk, with the machine it ran on.

use std::process::Command;

use anyhow::{Context, Result};
use lesson_diagnose::probes::Diagnosed;
use lesson_diagnose::report::Report;

use super::{Run, binary};
use crate::machine;
use crate::shell::{output, target_dir};

/// Measures the probes. A quick run measures the same probes: each takes about a second.
pub fn measure(run: &Run) -> Result<Report> {
    let probe = binary("lesson-diagnose", "probe", &[])?;
    let dir = target_dir()?.join("diagnose");
    std::fs::create_dir_all(&dir)?;
    eprintln!("every probe under the diagnosis tool (probe all)");
    let text = output(Command::new(&probe).arg("all").arg("--dir").arg(&dir))?;
    let probes: Vec<Diagnosed> = serde_json::from_str(text.trim())
        .context("`probe all` printed something else than its diagnoses")?;
    Ok(Report { machine: machine::current(), quick: run.quick, probes })
}
