//! The I/O lesson's measurements:
//!
//! 1. make the shard datasets that are missing;
//! 2. criterion: every rung warm and cold, reading only and reading and parsing at 1 to 16
//!    threads, and fetching from a loopback server with a delay per request, 1 to 128 in flight;
//! 3. the `io` binary once per rung warm and cold: processor time against wall time and bytes
//!    fetched from the device (the evidence for each regime's bottleneck), and its exact totals,
//!    which must equal the manifest's.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use ladder::Line;
use lesson_io::bench::{
    COLD_GROUP, Cache, DEVICE, IN_FLIGHT, LATENCY_GROUP, Reader, SWEEP, Settings, THREADS,
    THREADS_GROUP, WARM_GROUP, id, latency_id, plan, sweep_id,
};
use lesson_io::cli::ReadFields;
use lesson_io::ladder::{LADDER, Options};
use lesson_io::report::{LatencyPoint, Regime, Report, RungFigures, Shards, SweepPoint};
use lesson_memory::dataset::Manifest;

use super::{Criterion, Run, binary, relative};
use crate::data;
use crate::machine;
use crate::shell::json_lines;

fn shards(dir: &Path, manifest: &Manifest) -> Shards {
    Shards {
        path: relative(dir),
        files: manifest.files.len(),
        rows: manifest.rows,
        bytes: manifest.bytes,
        exact_total: manifest.expected.overall.exact.clone(),
    }
}

/// Runs the `io` binary over every rung, checks its totals, and returns its lines.
fn usage(
    binary: &Path,
    dir: &Path,
    manifest: &Manifest,
    cache: Cache,
) -> Result<Vec<Line<ReadFields>>> {
    let mut command = std::process::Command::new(binary);
    command.arg("--json").arg(dir);
    if cache == Cache::Cold {
        command.arg("--cold");
    }
    let lines: Vec<Line<ReadFields>> = json_lines(&mut command)?;
    for line in &lines {
        ensure!(
            line.fields.overall == manifest.expected.overall,
            "{} gave a total that differs from the manifest's on {}",
            line.rung,
            dir.display()
        );
    }
    ensure!(lines.len() == LADDER.len(), "`io --json` printed {} lines", lines.len());
    Ok(lines)
}

/// Measures the I/O lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let plan = plan(run.quick);
    let (dir, manifest) = data::ensure(&plan.shards)?;
    let (served_dir, served_manifest) = data::ensure(&plan.served)?;

    eprintln!("timing the I/O ladder with criterion on {}", dir.display());
    let settings =
        Settings { shards: dir.clone(), served: served_dir.clone(), latency_ms: plan.latency_ms };
    let groups = [WARM_GROUP, COLD_GROUP, THREADS_GROUP, LATENCY_GROUP];
    let criterion = Criterion::run("io", &groups, run, &settings)?;

    eprintln!("processor time and bytes from the device, per rung, warm and cold");
    let binary = binary("lesson-io", "io", &[])?;
    usage(&binary, &dir, &manifest, Cache::Warm)?; // brings every shard into the page cache
    let warm = usage(&binary, &dir, &manifest, Cache::Warm)?;
    let cold = usage(&binary, &dir, &manifest, Cache::Cold)?;

    let bytes = manifest.bytes as f64;
    let baseline = LADDER.baseline();
    let regime = |cache: Cache, lines: &[Line<ReadFields>], rung| -> Result<Regime> {
        let median_s = criterion.timing(&id(rung, cache))?.median;
        let base = criterion.timing(&id(baseline, cache))?.median;
        let line =
            lines.iter().find(|l| l.rung == rung.name).context("a rung the binary skipped")?;
        Ok(Regime {
            median_s,
            bytes_per_s: bytes / median_s,
            speedup: base / median_s,
            cpu_per_wall: line.fields.cpu_per_wall,
            device_read_bytes: line.fields.device_read_bytes,
        })
    };
    let rungs = LADDER
        .iter()
        .map(|rung| {
            Ok(RungFigures {
                name: rung.name.into(),
                summary: rung.summary.into(),
                warm: regime(Cache::Warm, &warm, rung)?,
                cold: regime(Cache::Cold, &cold, rung)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut sweep = Vec::new();
    for series in SWEEP {
        for &threads in THREADS {
            let median_s = criterion.timing(&sweep_id(series, threads))?.median;
            sweep.push(SweepPoint {
                series: series.name.into(),
                threads,
                median_s,
                bytes_per_s: bytes / median_s,
            });
        }
    }
    let device =
        |threads: usize| sweep.iter().find(|p| p.series == DEVICE.name && p.threads == threads);
    let device_sequential_bytes_per_s =
        device(1).context("no one-thread read-only point")?.bytes_per_s;
    let read_only: Vec<&str> = SWEEP
        .iter()
        .filter(|s| s.cache == Cache::Cold && matches!(s.reader, Reader::ReadOnly { .. }))
        .map(|s| s.name)
        .collect();
    let device_best_bytes_per_s = sweep
        .iter()
        .filter(|p| read_only.contains(&p.series.as_str()))
        .map(|p| p.bytes_per_s)
        .fold(0.0, f64::max);

    let one_at_a_time = criterion.timing(&latency_id(1))?.median;
    let latency = IN_FLIGHT
        .iter()
        .map(|&in_flight| {
            let median_s = criterion.timing(&latency_id(in_flight))?.median;
            Ok(LatencyPoint {
                in_flight,
                median_s,
                speedup: one_at_a_time / median_s,
                ideal: in_flight.min(served_manifest.files.len()) as f64,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    Ok(Report {
        machine: machine::current(),
        quick: run.quick,
        dataset: shards(&dir, &manifest),
        served: shards(&served_dir, &served_manifest),
        latency_ms: plan.latency_ms,
        threads: Options::default().threads.get(),
        rungs,
        sweep,
        device_sequential_bytes_per_s,
        device_best_bytes_per_s,
        latency,
    })
}
