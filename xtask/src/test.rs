//! `cargo xtask test`: everything CI checks about the code, in the order that fails fastest.

use anyhow::Result;

use crate::shell::{blas_features, cargo, probe, run};

/// Formatting, lints (warnings are errors, benchmarks included), then every test of every crate,
/// doc tests included, with the vectorize lesson's BLAS rung where OpenBLAS is found and the
/// GPU lesson's kernels on whatever Vulkan driver is here (lavapipe without a GPU) and the
/// diagnosis tool's profilers where they can be installed: among
/// them xtask's own, which check the figures against their records (`cargo xtask figures
/// --check`) and the repository's rules (`tidy`); last, the proof that no exercise passes
/// without its work (`cargo xtask exercise verify`). The benchmarks themselves are not run here:
/// the instruction counts need valgrind and callgrind's runner, which `cargo xtask bench`
/// installs.
pub fn run_all() -> Result<()> {
    if probe("cargo", &["fmt", "--version"]).is_none()
        || probe("cargo", &["clippy", "--version"]).is_none()
    {
        run(std::process::Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    }
    run(cargo().args(["fmt", "--all", "--check"]))?;
    let gpu = crate::shell::ensure_vulkan()?;
    crate::shell::ensure_diagnosis_tools();
    crate::shell::ensure_network_tools();
    // With OpenBLAS where it can be had, so the BLAS rung is linted and tested too.
    let blas = blas_features();
    run(cargo()
        .args(["clippy", "--workspace", "--all-targets"])
        .args(&blas)
        .args(["--", "-D", "warnings"]))?;
    run(cargo()
        .args(["test", "--workspace", "--lib", "--bins", "--tests"])
        .args(&blas)
        .envs(gpu.iter().cloned()))?;
    run(cargo().args(["test", "--workspace", "--doc"]).args(&blas).envs(gpu.iter().cloned()))?;
    eprintln!("$ cargo xtask exercise verify");
    crate::exercise::verify()
}
