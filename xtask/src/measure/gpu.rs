//! The GPU lesson's measurements: the `gpu` binary times its own kernels (`gpu bench`), on
//! the GPU's clock and the host's; this adds the machine it ran on. Without a GPU, Mesa's
//! lavapipe runs every kernel on the processor, and the record says so. A machine with a GPU
//! but no Rust toolchain measures with the scripts in `crates/gpu/device`, and [`import`] makes
//! the record from what they bring back.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use ladder::Machine;
use lesson_gpu::report::{Measured, Report};

use super::{Run, binary};
use crate::machine;
use crate::shell::{blas_features, ensure_vulkan, output};

/// Measures the GPU lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let envs = ensure_vulkan()?;
    // The processor's side of the crossover includes the vectorize lesson's BLAS rung.
    let binary = binary("lesson-gpu", "gpu", &blas_features())?;
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

/// `cargo xtask import-gpu DIR`: the record `crates/gpu/device/run.sh` left in `dir`, measured
/// on a machine with a GPU and no Rust toolchain, written as the lesson's record into `out`
/// (the book's, by default) with its figures redrawn.
pub fn import(dir: &Path, out: Option<PathBuf>) -> Result<()> {
    let read = |name: &str| {
        let path = dir.join(name);
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let host = dir.join("host.txt");
    let (machine, quick) = parse_host(&read("host.txt")?, &host)?;
    let measured_path = dir.join("gpu-measured.json");
    let measured: Measured =
        serde_json::from_str(&read("gpu-measured.json")?).with_context(|| {
            format!(
                "{} is not what `gpu bench` prints (see bench.err beside it)",
                measured_path.display()
            )
        })?;
    let report = Report { machine, quick, measured };
    let out = out.unwrap_or_else(crate::figures::reference_dir);
    fs::create_dir_all(&out)?;
    crate::figures::ensure_file(&out.join("gpu.json"), &crate::lessons::record(&report)?)?;
    crate::figures::write_dir(&out, false)?;
    eprintln!(
        "the GPU lesson's record and figures, from {}, written to {}",
        dir.display(),
        out.display()
    );
    Ok(())
}

/// The machine `run.sh` describes in `host.txt` (at `path`), and whether it measured a quick
/// run: `key: value` lines, of which `cpu`, `cores`, `memory` (`141.2 GiB`), `os`, `rustc`,
/// `commit`, `date` and `quick` are needed, and anything else (the driver's own report) is kept
/// out of the record.
fn parse_host(text: &str, path: &Path) -> Result<(Machine, bool)> {
    let mut fields = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((key, value)) = line.split_once(": ") {
            fields.entry(key.trim()).or_insert((i + 1, value.trim()));
        }
    }
    let field = |key: &str| {
        fields.get(key).copied().with_context(|| {
            format!(
                "{}: no `{key}: …` line (run.sh writes it, with what prepare.sh recorded of the build)",
                path.display()
            )
        })
    };
    let number = |key: &str, unit: &str| -> Result<f64> {
        let (line, value) = field(key)?;
        value.strip_suffix(unit).unwrap_or(value).trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "{}: line {line}: expected `{key}: <a number>{unit}`, found `{value}`",
                path.display()
            )
        })
    };
    let text = |key: &str| field(key).map(|(_, value)| value.to_string());
    let cores = number("cores", "")?;
    anyhow::ensure!(
        cores >= 1.0 && cores.fract() == 0.0,
        "{}: line {}: expected a whole number of cores, found {cores}",
        path.display(),
        field("cores")?.0
    );
    let quick = match field("quick")? {
        (_, "true") => true,
        (_, "false") => false,
        (line, value) => anyhow::bail!(
            "{}: line {line}: expected `quick: true` or `quick: false`, found `{value}`",
            path.display()
        ),
    };
    let machine = Machine {
        cpu: text("cpu")?,
        cores: cores as usize,
        memory_gib: number("memory", " GiB")?,
        os: text("os")?,
        rustc: text("rustc")?,
        commit: text("commit")?,
        date: text("date")?,
    };
    Ok((machine, quick))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "cpu: Intel(R) Xeon(R) Platinum 8480C
cores: 16
memory: 125.8 GiB
os: Ubuntu 22.04.4 LTS, Linux 5.15.0
icd: /usr/share/vulkan/icd.d/nvidia_icd.json
rustc: rustc 1.95.0 (59807616e 2026-04-14)
commit: abc1234
date: 2026-12-01T12:00:00Z
quick: false
name, driver_version, memory.total [MiB]
NVIDIA H200, 580.65.06, 143771 MiB
";

    #[test]
    fn reads_the_machine_run_sh_describes() {
        let (machine, quick) =
            parse_host(HOST, Path::new("host.txt")).expect("a well-formed host.txt");
        assert!(!quick);
        assert_eq!(machine.cpu, "Intel(R) Xeon(R) Platinum 8480C");
        assert_eq!((machine.cores, machine.memory_gib), (16, 125.8));
        assert_eq!(
            (machine.commit.as_str(), machine.date.as_str()),
            ("abc1234", "2026-12-01T12:00:00Z")
        );
        assert!(machine.rustc.starts_with("rustc 1.95.0"));
    }

    #[test]
    fn a_missing_or_malformed_line_is_named() {
        let without = HOST.replace("rustc: rustc 1.95.0 (59807616e 2026-04-14)\n", "");
        let why = parse_host(&without, Path::new("out/host.txt")).expect_err("no rustc line");
        assert!(format!("{why}").contains("out/host.txt: no `rustc: …` line"), "{why}");
        let bad = HOST.replace("cores: 16", "cores: sixteen");
        let why = parse_host(&bad, Path::new("host.txt")).expect_err("cores not a number");
        assert!(format!("{why}").contains("line 2: expected `cores: <a number>`"), "{why}");
        let bad = HOST.replace("cores: 16", "cores: 1.5");
        let why = parse_host(&bad, Path::new("host.txt")).expect_err("half a core");
        assert!(format!("{why}").contains("line 2"), "{why}");
        let bad = HOST.replace("quick: false", "quick: maybe");
        let why = parse_host(&bad, Path::new("host.txt")).expect_err("neither true nor false");
        assert!(format!("{why}").contains("line 9: expected `quick: true`"), "{why}");
    }
}
