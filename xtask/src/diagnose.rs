//! `cargo xtask diagnose -- COMMAND [ARGS...]`: the diagnosis tool (`crates/diagnose`), built in
//! release mode and run on the command; it fails only if no diagnosis could be made. With
//! `--lesson NAME`, every rung of that lesson on its data, as `cargo xtask bench` records them;
//! with `--mysteries`, the inputs of the exercise's programs written and the commands that
//! diagnose them printed.

use std::ffi::OsString;
use std::path::Path;
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

/// Writes the inputs of the exercise's programs and prints the command that diagnoses each.
pub fn mysteries() -> Result<()> {
    use lesson_diagnose::mystery::{self, MYSTERIES};
    let dir = mystery::inputs_folder();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    mystery::write_inputs(&dir)?;
    let root = crate::shell::root().canonicalize()?;
    let shown = |path: &Path| -> String {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        path.strip_prefix(&root).unwrap_or(&path).display().to_string()
    };
    println!("From {}, diagnose each program, then say what limits it:", root.display());
    for m in &MYSTERIES {
        let (command, options) = mystery::command(m, &dir);
        let mut line = String::from("  cargo xtask diagnose");
        if options.cold {
            line.push_str(" --cold");
        }
        if let Some(smaller) = &options.versus {
            line.push_str(&format!(" --versus {}", shown(smaller)));
        }
        line.push_str(" --");
        for arg in &command {
            line.push(' ');
            line.push_str(&shown(Path::new(arg)));
        }
        println!("{line}");
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
