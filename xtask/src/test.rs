//! `cargo xtask test`: everything CI checks about the code, in the order that fails fastest.

use anyhow::Result;

use crate::shell::{cargo, probe, run};

/// Formatting, lints (warnings are errors, benchmarks included), then every test of every
/// crate, doc tests included. The benchmarks themselves are not run here: the instruction
/// counts need valgrind and callgrind's runner, which `cargo xtask bench` installs.
pub fn run_all() -> Result<()> {
    if probe("cargo", &["fmt", "--version"]).is_none()
        || probe("cargo", &["clippy", "--version"]).is_none()
    {
        run(std::process::Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    }
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args(["test", "--workspace", "--lib", "--bins", "--tests"]))?;
    run(cargo().args(["test", "--workspace", "--doc"]))
}
