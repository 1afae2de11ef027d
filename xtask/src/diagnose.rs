//! `cargo xtask diagnose -- COMMAND [ARGS...]`: the diagnosis tool (`crates/diagnose`), built in
//! release mode and run on the command; it fails only if no diagnosis could be made. With
//! `--lesson NAME`, every rung of that lesson on its data, as `cargo xtask bench` records them.

use std::ffi::OsString;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::measure::binary;

/// Diagnoses every rung of `lesson` and prints each verdict.
pub fn lesson(lesson: &str) -> Result<()> {
    for rung in crate::measure::diagnose::diagnose_rungs(false, Some(lesson))? {
        println!("\n{} ({}), `{}`:", rung.lesson, rung.job, rung.rung);
        print!("{}", rung.diagnosis.render());
    }
    Ok(())
}

/// Runs the `diagnose` binary with `args`.
pub fn run(args: &[OsString]) -> Result<()> {
    let diagnose = binary("lesson-diagnose", "diagnose", &[])?;
    let status = Command::new(&diagnose)
        .args(args)
        .status()
        .with_context(|| format!("cannot run {}", diagnose.display()))?;
    if !status.success() {
        bail!("the diagnosis failed ({status})");
    }
    Ok(())
}
