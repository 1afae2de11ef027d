//! `cargo xtask bench`: measure each lesson and write its record, then draw its figures.
//!
//! Each lesson's module here runs what that lesson's figures need (its criterion benchmark,
//! its binary, callgrind, Python) and returns its record, the lesson crate's typed
//! `report::Report`. What is measured, and under which ids, comes from the lesson's `bench`
//! module; this module holds what all lessons share: the run's settings, criterion's results,
//! callgrind's counts and the lesson binaries.

pub mod compute;
pub mod diagnose;
pub mod gpu;
pub mod io;
pub mod memory;
pub mod vectorize;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use ladder::bench::{Id, plan_var};
use serde::Serialize;

use crate::flags;
use crate::lessons::LESSONS;
use crate::shell::{CargoTool, blas_features, cargo, probe, root, run, target_dir};

/// One run of `cargo xtask bench`.
pub struct Run {
    /// Tiny data and short measurements.
    pub quick: bool,
    /// Count instructions where valgrind is installed.
    pub instructions: bool,
}

impl Run {
    /// Criterion's timing flags: a second of warm-up and five of measuring, or a tenth and
    /// three tenths for a quick run.
    fn criterion_flags(&self) -> [&'static str; 4] {
        match self.quick {
            false => ["--warm-up-time", "1", "--measurement-time", "5"],
            true => ["--warm-up-time", "0.1", "--measurement-time", "0.3"],
        }
    }
}

/// Where `cargo xtask bench` writes: the book's reference figures, or (quick runs) a folder
/// under `target/` that nothing commits.
pub fn out_dir(flags: &flags::Bench) -> Result<PathBuf> {
    Ok(match (&flags.out, flags.quick) {
        (Some(dir), _) => dir.clone(),
        (None, false) => crate::figures::reference_dir(),
        (None, true) => target_dir()?.join("xtask/generated"),
    })
}

/// `cargo xtask bench`: every lesson asked for, measured, recorded and drawn, then the closing
/// chapter's table from every record in the folder.
pub fn bench(flags: &flags::Bench) -> Result<()> {
    let run = Run { quick: flags.quick, instructions: !flags.no_instructions };
    crate::shell::ensure_network_tools();
    let out = out_dir(flags)?;
    fs::create_dir_all(&out)?;
    let chosen: Vec<&str> = LESSONS
        .iter()
        .map(|l| l.name)
        .filter(|name| flags.lesson.is_empty() || flags.lesson.contains(name))
        .collect();
    for lesson in LESSONS.iter().filter(|l| chosen.contains(&l.name)) {
        eprintln!("\n== measuring the {} lesson", lesson.name);
        let record = (lesson.measure)(&run)?;
        let path = out.join(format!("{}.json", lesson.name));
        crate::figures::ensure_file(&path, &record)?;
    }
    for drawn in crate::figures::write_dir(&out, false)?.iter().filter(|d| chosen.contains(&d.name))
    {
        println!("\n{} lesson, {}:", drawn.name, drawn.machine.caption());
        for row in &drawn.rows {
            println!(
                "  {}: {}: {} → {} ({})",
                row.bottleneck, row.job, row.before, row.after, row.gain
            );
        }
    }
    println!("\nrecords and figures written to {}", relative(&out));
    Ok(())
}

/// Criterion's results of one benchmark file.
pub struct Criterion {
    dir: PathBuf,
}

impl Criterion {
    /// Runs the `workshop-benches` benchmark `bench` with `plan` handed over, after removing the
    /// old results of its `groups` (so a measurement no longer made cannot leave a stale figure
    /// behind).
    pub fn run(
        bench: &str,
        groups: &[&str],
        run: &Run,
        plan: &impl Serialize,
    ) -> Result<Criterion> {
        let dir = target_dir()?.join("criterion");
        for group in groups {
            let _ = fs::remove_dir_all(dir.join(group));
        }
        let (name, value) = plan_var(plan);
        crate::shell::run(
            cargo()
                .args(["bench", "--quiet", "--package", "workshop-benches", "--bench", bench])
                .args(blas_features()) // one feature set for every benchmark: no rebuilds between them
                .args(["--", "--noplot"])
                .args(run.criterion_flags())
                .env(name, value),
        )?;
        Ok(Criterion { dir })
    }

    /// Where criterion keeps `id`'s results.
    fn path(&self, id: &Id) -> PathBuf {
        let dir = self.dir.join(id.group).join(&id.function);
        id.parameter.as_ref().map_or(dir.clone(), |p| dir.join(p))
    }

    /// `id`'s timing; an error if it was not measured.
    pub fn timing(&self, id: &Id) -> Result<Timing> {
        Timing::read(&self.path(id).join("new/raw.csv")).with_context(|| format!("{id}"))
    }

    /// `id`'s timing, or `None` if the benchmark chose not to run it (predicted too long).
    pub fn measured(&self, id: &Id) -> Result<Option<Timing>> {
        self.path(id).exists().then(|| self.timing(id)).transpose()
    }
}

/// Median, fastest and slowest time per run, in seconds.
pub struct Timing {
    /// The median.
    pub median: f64,
    /// The fastest run.
    pub min: f64,
    /// The slowest.
    pub max: f64,
}

impl Timing {
    /// Reads one benchmark's samples from criterion's `raw.csv` (its stable output format).
    fn read(raw: &Path) -> Result<Timing> {
        let mut per_run: Vec<f64> = Vec::new();
        let mut reader = csv::Reader::from_path(raw)
            .with_context(|| format!("no criterion results in {}", raw.display()))?;
        for record in reader.deserialize::<BTreeMap<String, String>>() {
            let record = record?;
            let field = |k: &str| -> Result<f64> {
                record
                    .get(k)
                    .with_context(|| format!("{} has no {k}", raw.display()))?
                    .parse()
                    .with_context(|| format!("{k} in {}", raw.display()))
            };
            ensure!(
                record.get("unit").map(String::as_str) == Some("ns"),
                "{} is not in nanoseconds",
                raw.display()
            );
            per_run.push(field("sample_measured_value")? / field("iteration_count")? / 1e9);
        }
        per_run.sort_by(f64::total_cmp);
        let Some((&min, &max)) = per_run.first().zip(per_run.last()) else {
            bail!("{} is empty", raw.display())
        };
        let mid = per_run.len() / 2;
        let median = match per_run.len() % 2 {
            1 => per_run[mid],
            _ => (per_run[mid - 1] + per_run[mid]) / 2.0,
        };
        Ok(Timing { median, min, max })
    }
}

/// The gungraun runner must match the library's version exactly.
const GUNGRAUN_RUNNER: CargoTool = CargoTool {
    krate: "gungraun-runner",
    version: "=0.20.0",
    binary: "gungraun-runner",
    accept: |v| v.ends_with(" 0.20.0"),
};

/// Instructions per rung from callgrind for the gungraun benchmark `bench`, whose cases are
/// `rungs_0`, `rungs_1`, … for `rungs` in order; or why they were not counted.
pub fn instruction_counts(
    run: &Run,
    bench: &str,
    rungs: impl Iterator<Item = &'static str>,
) -> Result<Result<BTreeMap<String, u64>, String>> {
    if !run.instructions {
        return Ok(Err("instruction counts skipped (--no-instructions)".into()));
    }
    if probe("valgrind", &["--version"]).is_none() {
        return Ok(Err("valgrind is not installed: instruction counts skipped (on Debian or \
                       Ubuntu: apt-get install valgrind)"
            .into()));
    }
    GUNGRAUN_RUNNER.ensure()?;
    let results = target_dir()?.join("gungraun/workshop-benches").join(bench);
    let _ = fs::remove_dir_all(&results);
    eprintln!("counting instructions with callgrind");
    crate::shell::run(
        cargo()
            .args(["bench", "--quiet", "--package", "workshop-benches", "--bench", bench])
            .args(blas_features())
            .args(["--", "--save-summary=json"]),
    )?;
    let names: Vec<&str> = rungs.collect();
    let mut counts = BTreeMap::new();
    for summary in find_files(&results, "summary.json")? {
        let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&summary)?)?;
        let id = json["id"].as_str().context("summary without an id")?;
        let name = id
            .strip_prefix("rungs_")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| names.get(i))
            .with_context(|| {
                format!("{}: `{id}` is not one of the counted rungs", summary.display())
            })?;
        let ir = json["profiles"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["tool"] == "Callgrind")
            .and_then(|p| p["data"]["total"]["metrics"]["Ir"]["values"]["new"].as_u64())
            .with_context(|| format!("no instruction count in {}", summary.display()))?;
        counts.insert(name.to_string(), ir);
    }
    ensure!(
        counts.len() == names.len(),
        "callgrind counted {} of {} rungs",
        counts.len(),
        names.len()
    );
    Ok(Ok(counts))
}

fn find_files(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(find_files(&path, name)?);
        } else if path.file_name().is_some_and(|n| n == name) {
            found.push(path);
        }
    }
    Ok(found)
}

/// A lesson's binary, built in release mode with `features`.
pub fn binary(package: &str, bin: &str, features: &[String]) -> Result<PathBuf> {
    run(cargo()
        .args(["build", "--release", "--quiet", "--package", package, "--bin", bin])
        .args(features))?;
    Ok(target_dir()?.join("release").join(bin))
}

/// `path` relative to the workspace, for a record.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}
