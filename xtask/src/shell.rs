//! Running commands the way a person at a terminal would see them, and installing the tools
//! the workflows need.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Where cargo puts build results (honours `CARGO_TARGET_DIR` and `build.target-dir`).
pub fn target_dir() -> Result<PathBuf> {
    let metadata = output(cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    let metadata: serde_json::Value = serde_json::from_str(&metadata)?;
    let dir =
        metadata["target_directory"].as_str().context("cargo metadata gave no target_directory")?;
    Ok(PathBuf::from(dir))
}

/// `cargo`, the one that runs this xtask.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs `command`, showing it first, and fails if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status =
        command.status().with_context(|| format!("cannot start `{}`", describe(command)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(command));
    }
    Ok(())
}

/// Runs `command` and returns what it printed on stdout.
pub fn output(command: &mut Command) -> Result<String> {
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start `{}`", describe(command)))?;
    if !out.status.success() {
        bail!("`{}` failed ({})", describe(command), out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The first line `program args` prints, or `None` if it cannot run.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stdin(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status.success().then(|| text.lines().next().unwrap_or_default().trim().to_string())
}

fn describe(command: &Command) -> String {
    let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    format!("{} {}", command.get_program().to_string_lossy(), args.join(" "))
}

/// A tool installed from crates.io with `cargo install --locked`.
pub struct CargoTool {
    /// The crate to install.
    pub krate: &'static str,
    /// The version requirement (`=0.20.0`, `^0.5`).
    pub version: &'static str,
    /// The binary it installs.
    pub binary: &'static str,
    /// A check that the installed binary is an acceptable version, given its `--version`.
    pub accept: fn(&str) -> bool,
}

impl CargoTool {
    /// Installs the tool unless an acceptable version is on the PATH.
    pub fn ensure(&self) -> Result<()> {
        if let Some(version) = probe(self.binary, &["--version"]) {
            if (self.accept)(&version) {
                return Ok(());
            }
            eprintln!("{} is {version}; installing {} {}", self.binary, self.krate, self.version);
        } else {
            eprintln!(
                "{} is not installed; installing it (a one-time build of a few minutes)",
                self.binary
            );
        }
        run(cargo().args(["install", "--locked", self.krate, "--version", self.version]))
    }
}
