//! The diagnosis tool's measurements: every probe of known bottleneck run under it (`probe
//! all`), then every rung of every lesson, each its lesson's binary run on that lesson's data
//! with `--rung`, all with the machine they ran on.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use lesson_diagnose::probes::Diagnosed;
use lesson_diagnose::report::{Flame, Report, Rung};
use lesson_diagnose::{Options, diagnose};
use lesson_memory::dataset::{DEFAULT_SEED, Spec};

use super::{Run, binary};
use crate::data;
use crate::machine;
use crate::shell::{blas_features, output, root, target_dir};

/// One lesson's job as the tool runs it: a binary, its arguments before `--rung NAME`, and the
/// rungs.
struct Job {
    lesson: &'static str,
    job: String,
    binary: std::path::PathBuf,
    args: Vec<OsString>,
    rungs: Vec<&'static str>,
    /// A smaller input, for whether memory grows with the input.
    versus: Option<std::path::PathBuf>,
}

/// Measures the probes, then every rung.
pub fn measure(run: &Run) -> Result<Report> {
    let probe = binary("lesson-diagnose", "probe", &[])?;
    let dir = target_dir()?.join("diagnose");
    std::fs::create_dir_all(&dir)?;
    eprintln!("every probe under the diagnosis tool (probe all)");
    let text = output(Command::new(&probe).arg("all").arg("--dir").arg(&dir))?;
    let probes: Vec<Diagnosed> = serde_json::from_str(text.trim())
        .context("`probe all` printed something else than its diagnoses")?;
    eprintln!("what one addition costs, in Rust and in CPython (cachegrind, then the clock)");
    let additions = lesson_diagnose::cost::costs(&probe, run.quick)?;
    let rungs = diagnose_rungs(run.quick, None)?;
    let flame = flame(run.quick)?;
    Ok(Report { machine: machine::current(), quick: run.quick, probes, rungs, additions, flame })
}

/// The lessons whose rungs are diagnosed.
pub const LESSONS: [&str; 4] = [
    lesson_memory::cli::LESSON,
    lesson_compute::cli::LESSON,
    lesson_vectorize::cli::LESSON,
    lesson_io::cli::LESSON,
];

/// Every rung of every lesson (or of `lesson` alone), each its lesson's binary run under the
/// tool on that lesson's data (small data for a `quick` run).
pub fn diagnose_rungs(quick: bool, lesson: Option<&str>) -> Result<Vec<Rung>> {
    if let Some(lesson) = lesson {
        anyhow::ensure!(
            LESSONS.contains(&lesson),
            "no lesson `{lesson}` has rungs to diagnose: one of {}",
            LESSONS.join(", ")
        );
    }
    let dir = target_dir()?.join("diagnose");
    std::fs::create_dir_all(&dir)?;
    let device_throughput = Some(lesson_diagnose::device::measure(&dir)?);
    // The record names paths from the workspace, not from this machine's root.
    let prefix = format!("{}/", root().display());
    let mut rungs = Vec::new();
    for job in jobs(quick)?.into_iter().filter(|j| lesson.is_none_or(|l| l == j.lesson)) {
        eprintln!("every rung of the {} lesson: {}", job.lesson, job.job);
        for rung in &job.rungs {
            let mut command = vec![job.binary.clone().into_os_string()];
            command.extend(job.args.iter().cloned());
            command.extend(["--rung".into(), OsString::from(rung)]);
            let options =
                Options { device_throughput, versus: job.versus.clone(), ..Options::default() };
            let mut diagnosis = diagnose(&command, &options)?;
            for arg in &mut diagnosis.measured.command {
                *arg = arg.replace(&prefix, "");
            }
            let (lesson, job_name) = (job.lesson.to_string(), job.job.clone());
            rungs.push(Rung { lesson, job: job_name, rung: rung.to_string(), diagnosis });
        }
    }
    Ok(rungs)
}

/// The memory lesson's `mmap` rung on its file, sampled by perf, where perf runs.
fn flame(quick: bool) -> Result<Option<Flame>> {
    if lesson_diagnose::profile::ensure("perf", "linux-perf").is_err() {
        eprintln!("perf is not installed: no flame graph (install linux-perf)");
        return Ok(None);
    }
    let rows = if quick { 100_000 } else { 10_000_000 };
    let (dir, manifest) = data::ensure(&Spec { rows, seed: DEFAULT_SEED, shards: 1 })?;
    let file = dir.join(&manifest.files[0].name);
    let memory = binary("lesson-memory", "memory", &[])?;
    let rung = lesson_memory::ladder::MMAP.name;
    eprintln!("sampling the memory lesson's {rung} rung with perf");
    let command: Vec<OsString> = vec![memory.into(), file.into(), "--rung".into(), rung.into()];
    let folded = lesson_diagnose::profile::record(&command)?;
    let job = format!("the {} CSV", ladder::units::bytes(manifest.bytes));
    Ok(Some(Flame { lesson: "memory".into(), rung: rung.into(), job, folded }))
}

/// The jobs, on the lessons' own data (small data for a quick run).
fn jobs(quick: bool) -> Result<Vec<Job>> {
    let rows = if quick { 100_000 } else { 10_000_000 };
    let (file_dir, manifest) = data::ensure(&Spec { rows, seed: DEFAULT_SEED, shards: 1 })?;
    let file = file_dir.join(&manifest.files[0].name);
    let (smaller_dir, smaller_manifest) =
        data::ensure(&Spec { rows: rows / 10, seed: DEFAULT_SEED, shards: 1 })?;
    let smaller_file = smaller_dir.join(&smaller_manifest.files[0].name);
    let io_plan = lesson_io::bench::plan(quick);
    let (shards, shards_manifest) = data::ensure(&io_plan.shards)?;
    let (served, _) = data::ensure(&io_plan.served)?;
    let arg = |s: &str| OsString::from(s);
    let path = |p: &Path| p.as_os_str().to_owned();
    let memory = binary("lesson-memory", "memory", &[])?;
    let compute = binary("lesson-compute", "compute", &[])?;
    let vectorize = binary("lesson-vectorize", "vectorize", &blas_features())?;
    let io = binary("lesson-io", "io", &[])?;
    let (wait_ms, samples, side) =
        if quick { ("100", "10000000", "128") } else { ("1000", "100000000", "1024") };
    Ok(vec![
        Job {
            lesson: lesson_memory::cli::LESSON,
            job: format!(
                "the {} CSV, and one a tenth its size for how memory grows",
                ladder::units::bytes(manifest.bytes)
            ),
            binary: memory,
            args: vec![path(&file)],
            rungs: lesson_memory::LADDER.names(),
            versus: Some(smaller_file),
        },
        Job {
            lesson: lesson_compute::cli::LESSON,
            job: format!("the seed's 3 tasks that wait {wait_ms} ms"),
            binary: compute.clone(),
            args: vec![arg("wait"), arg("--wait-ms"), arg(wait_ms)],
            rungs: lesson_compute::waiting::LADDER.names(),
            versus: None,
        },
        Job {
            lesson: lesson_compute::cli::LESSON,
            job: format!("π from {samples} random points"),
            binary: compute,
            args: vec![arg("pi"), arg("--samples"), arg(samples)],
            rungs: lesson_compute::pi::LADDER.names(),
            versus: None,
        },
        Job {
            lesson: lesson_vectorize::cli::LESSON,
            job: format!("{side} × {side} matrices multiplied"),
            binary: vectorize,
            args: vec![arg("--n"), arg(side), arg("--no-check")],
            // Without OpenBLAS linked, the BLAS rung is not in the binary.
            rungs: lesson_vectorize::ladder::LADDER
                .iter()
                .filter(|r| r.available() || !blas_features().is_empty())
                .map(|r| r.name)
                .collect(),
            versus: None,
        },
        Job {
            lesson: lesson_io::cli::LESSON,
            job: format!(
                "{} shards ({}) read cold",
                shards_manifest.files.len(),
                ladder::units::bytes(shards_manifest.bytes)
            ),
            binary: io.clone(),
            args: vec![path(&shards), arg("--cold")],
            rungs: lesson_io::ladder::LADDER.names(),
            versus: None,
        },
        Job {
            lesson: lesson_io::cli::LESSON,
            job: format!(
                "the shards fetched from a server that answers after {} ms",
                io_plan.latency_ms
            ),
            binary: io,
            args: vec![path(&served), arg("--latency-ms"), arg(&io_plan.latency_ms.to_string())],
            rungs: lesson_io::latency::LADDER.names(),
            versus: None,
        },
    ])
}
