//! The I/O lesson's part of `cargo xtask bench`:
//!
//! 1. make the shard datasets that are missing;
//! 2. criterion: every rung warm and cold, reading only and reading and parsing at 1 to 16
//!    threads, and fetching from a loopback server with a delay per request, 1 to 128 in flight;
//! 3. the `io` binary once per rung warm and cold: processor time against wall time and bytes
//!    fetched from the device (the evidence for each regime's bottleneck), and its exact totals,
//!    which must equal the manifest's;
//! 4. write `book/src/generated/io.{json,md}` and three plots, and print a summary.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, ensure};
use lesson_io::ladder::LADDER;
use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec};
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use workshop_benches::{
    IN_FLIGHT, IO_DATA_ENV, IO_THREADS, LATENCY_DATA_ENV, LATENCY_MS_ENV, REQUEST_BYTES,
};

use crate::bench::{run_criterion, timing};
use crate::data;
use crate::machine::Machine;
use crate::plot::{dedup, figure, labelled_line, legend, rate, seconds, section, write_figures};
use crate::shell::{cargo, json_lines, root, run, target_dir};

/// What one run reads.
struct Plan {
    /// The shards read warm and cold.
    shards: Spec,
    /// The shards the latency-bound case serves: many small files, as in object storage.
    served: Spec,
    /// The server's delay per request.
    latency_ms: u64,
}

const FULL: Plan = Plan {
    shards: Spec { rows: 10_000_000, seed: DEFAULT_SEED, shards: 16 },
    served: Spec { rows: 1_280_000, seed: DEFAULT_SEED, shards: 128 },
    latency_ms: 20,
};

const QUICK: Plan = Plan {
    shards: Spec { rows: 100_000, seed: DEFAULT_SEED, shards: 16 },
    served: Spec { rows: 100_000, seed: DEFAULT_SEED, shards: 16 },
    latency_ms: 2,
};

/// The warm-cache target: the best parallel rung against the sequential one.
const WARM_TARGET: f64 = 1.8;
/// The latency-bound target: 64 requests in flight against one at a time.
const LATENCY_TARGET: f64 = 20.0;

/// `io.json`: everything the chapter's figures are made from.
#[derive(Debug, Serialize)]
pub struct IoReport {
    machine: Machine,
    quick: bool,
    /// The shards read warm and cold.
    dataset: Shards,
    /// The shards served with a delay.
    served: Shards,
    /// The server's delay per request, in milliseconds.
    latency_ms: u64,
    /// Threads and reads in flight the rungs used (one per core).
    threads: usize,
    /// Every rung, warm and cold, in ladder order.
    rungs: Vec<IoRung>,
    /// Throughput against threads, per series.
    sweep: Vec<SweepPoint>,
    /// The device's sequential bandwidth: reading only, one file at a time, cold.
    device_sequential_bytes_per_s: f64,
    /// The best cold read-only throughput at any thread count and request size.
    device_best_bytes_per_s: f64,
    /// Fetching every served shard, by requests in flight.
    latency: Vec<LatencyPoint>,
}

/// A shard dataset.
#[derive(Debug, Serialize)]
struct Shards {
    path: String,
    files: usize,
    rows: u64,
    bytes: u64,
    exact_total: String,
}

/// One rung in both regimes.
#[derive(Debug, Serialize)]
struct IoRung {
    name: String,
    summary: String,
    warm: Regime,
    cold: Regime,
}

/// One rung's figures with the files in the page cache, or evicted before each run.
#[derive(Debug, Serialize)]
struct Regime {
    /// Criterion's median of ten runs.
    median_s: f64,
    bytes_per_s: f64,
    /// The sequential rung's median in the same regime, divided by this one's.
    speedup: f64,
    /// Processor time over wall time in one run of the `io` binary.
    cpu_per_wall: f64,
    /// Bytes the kernel fetched from the device in that run, where the system reports it.
    device_read_bytes: Option<u64>,
}

/// One point of the thread sweep.
#[derive(Debug, Serialize)]
struct SweepPoint {
    series: String,
    threads: usize,
    median_s: f64,
    bytes_per_s: f64,
}

/// One point of the latency-bound sweep.
#[derive(Debug, Serialize)]
struct LatencyPoint {
    in_flight: usize,
    median_s: f64,
    /// One request at a time, divided by this.
    speedup: f64,
    /// The best any client could do: the requests in flight, at most the requests there are.
    ideal: f64,
}

/// One line of `io --json`.
#[derive(Deserialize)]
struct CliLine {
    strategy: String,
    rows: u64,
    exact: String,
    cpu_per_wall: f64,
    device_read_bytes: Option<u64>,
}

fn shards(dir: &Path, manifest: &Manifest) -> Shards {
    Shards {
        path: dir.strip_prefix(root()).unwrap_or(dir).display().to_string(),
        files: manifest.files.len(),
        rows: manifest.rows,
        bytes: manifest.bytes,
        exact_total: manifest.expected.overall.exact.clone(),
    }
}

/// Runs the `io` binary over every rung, checks its totals, and returns its lines by rung.
fn usage(binary: &Path, dir: &Path, manifest: &Manifest, cold: bool) -> Result<Vec<CliLine>> {
    let mut command = std::process::Command::new(binary);
    command.arg("--json").arg(dir);
    if cold {
        command.arg("--cold");
    }
    let lines: Vec<CliLine> = json_lines(&mut command)?;
    for line in &lines {
        ensure!(
            line.exact == manifest.expected.overall.exact && line.rows == manifest.rows,
            "{} gave a total that differs from the manifest's on {}",
            line.strategy,
            dir.display()
        );
    }
    ensure!(lines.len() == LADDER.len(), "`io --json` printed {} lines", lines.len());
    Ok(lines)
}

/// Runs the I/O benchmarks and writes the book's figures.
pub fn bench(quick: bool, timing_flags: &[&str]) -> Result<()> {
    let plan = if quick { QUICK } else { FULL };
    let (dir, manifest) = data::ensure(&plan.shards)?;
    let (served_dir, served_manifest) = data::ensure(&plan.served)?;

    eprintln!("timing the I/O ladder with criterion on {}", dir.display());
    let latency_ms = plan.latency_ms.to_string();
    let results = run_criterion(
        "io",
        &["io-warm", "io-cold", "io-threads", "io-latency"],
        timing_flags,
        &[
            (IO_DATA_ENV, dir.as_os_str()),
            (LATENCY_DATA_ENV, served_dir.as_os_str()),
            (LATENCY_MS_ENV, latency_ms.as_ref()),
        ],
    )?;

    eprintln!("processor time and bytes from the device, per rung, warm and cold");
    run(cargo().args(["build", "--release", "--quiet", "--package", "lesson-io", "--bin", "io"]))?;
    let binary = target_dir()?.join("release/io");
    usage(&binary, &dir, &manifest, false)?; // brings every shard into the page cache
    let warm_usage = usage(&binary, &dir, &manifest, false)?;
    let cold_usage = usage(&binary, &dir, &manifest, true)?;

    let bytes = manifest.bytes as f64;
    let regime = |group: &str, lines: &[CliLine], name: &str, baseline: f64| -> Result<Regime> {
        let median_s = timing(&results.join(group).join(name))?.median;
        let line =
            lines.iter().find(|l| l.strategy == name).context("a rung the binary skipped")?;
        Ok(Regime {
            median_s,
            bytes_per_s: bytes / median_s,
            speedup: baseline / median_s,
            cpu_per_wall: line.cpu_per_wall,
            device_read_bytes: line.device_read_bytes,
        })
    };
    let sequential = LADDER[0].name;
    let warm_base = timing(&results.join("io-warm").join(sequential))?.median;
    let cold_base = timing(&results.join("io-cold").join(sequential))?.median;
    let rungs = LADDER
        .iter()
        .map(|s| {
            Ok(IoRung {
                name: s.name.into(),
                summary: s.summary.into(),
                warm: regime("io-warm", &warm_usage, s.name, warm_base)?,
                cold: regime("io-cold", &cold_usage, s.name, cold_base)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut series: Vec<String> = vec!["warm-rayon".into(), "cold-rayon".into()];
    series.extend(REQUEST_BYTES.iter().map(|(name, _)| format!("cold-{name}")));
    let mut sweep = Vec::new();
    for name in &series {
        for &threads in IO_THREADS {
            let dir = results.join("io-threads").join(name).join(threads.to_string());
            let median_s = timing(&dir)?.median;
            sweep.push(SweepPoint {
                series: name.clone(),
                threads,
                median_s,
                bytes_per_s: bytes / median_s,
            });
        }
    }
    let read_only = format!("cold-{}", REQUEST_BYTES[0].0);
    let device_sequential_bytes_per_s = sweep
        .iter()
        .find(|p| p.series == read_only && p.threads == 1)
        .context("no one-thread read-only point")?
        .bytes_per_s;
    let device_best_bytes_per_s = sweep
        .iter()
        .filter(|p| p.series.starts_with("cold-read-only"))
        .map(|p| p.bytes_per_s)
        .fold(0.0, f64::max);

    let one_at_a_time = timing(&results.join("io-latency/fetch/1"))?.median;
    let latency = IN_FLIGHT
        .iter()
        .map(|&in_flight| {
            let median_s =
                timing(&results.join("io-latency/fetch").join(in_flight.to_string()))?.median;
            Ok(LatencyPoint {
                in_flight,
                median_s,
                speedup: one_at_a_time / median_s,
                ideal: in_flight.min(served_manifest.files.len()) as f64,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let report = IoReport {
        machine: Machine::current(),
        quick,
        dataset: shards(&dir, &manifest),
        served: shards(&served_dir, &served_manifest),
        latency_ms: plan.latency_ms,
        threads: lesson_io::ladder::Options::default().threads.get(),
        rungs,
        sweep,
        device_sequential_bytes_per_s,
        device_best_bytes_per_s,
        latency,
    };
    write(&report)?;
    summary(&report);
    Ok(())
}

fn write(r: &IoReport) -> Result<()> {
    let plots = [
        ("io-rungs.svg", rungs_plot(r)?),
        ("io-threads.svg", threads_plot(r)?),
        ("io-latency.svg", latency_plot(r)?),
    ];
    write_figures("io", r, &markdown(r), &plots)
}

/// The best parallel rung in a regime (every rung but the sequential one).
fn best(r: &IoReport, regime: impl Fn(&IoRung) -> &Regime) -> Option<&IoRung> {
    r.rungs.iter().skip(1).max_by(|a, b| regime(a).speedup.total_cmp(&regime(b).speedup))
}

fn megabytes(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "not reported".into(), |b| format!("{:.0} MB", b as f64 / 1e6))
}

fn markdown(r: &IoReport) -> String {
    let mut md = String::from("<!-- Written by `cargo xtask bench`; do not edit. -->\n\n");
    let d = &r.dataset;
    section(&mut md, "machine", |md| {
        let quick = if r.quick { " --quick" } else { "" };
        let _ =
            writeln!(md, "*Measured by `cargo xtask bench{quick}` on {}.*", r.machine.caption());
        let _ = writeln!(
            md,
            "*Files: `{}`, {} shards, {} rows, {:.1} MB; {} threads (one per core).*",
            d.path,
            d.files,
            d.rows,
            d.bytes as f64 / 1e6,
            r.threads
        );
        if r.quick {
            let _ = writeln!(
                md,
                "\n**This is a quick run on tiny data: its figures only show that the pipeline works.**"
            );
        }
    });
    section(&mut md, "ladder", |md| {
        let _ = writeln!(
            md,
            "| rung | warm | × sequential | CPU / wall | cold | × sequential | CPU / wall | read from the device |"
        );
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for g in &r.rungs {
            let _ = writeln!(
                md,
                "| `{}` | {} | {:.2}× | {:.2} | {} | {:.2}× | {:.2} | {} |",
                g.name,
                rate(g.warm.bytes_per_s),
                g.warm.speedup,
                g.warm.cpu_per_wall,
                rate(g.cold.bytes_per_s),
                g.cold.speedup,
                g.cold.cpu_per_wall,
                megabytes(g.cold.device_read_bytes)
            );
        }
        let warm_read: Option<u64> = r.rungs.iter().map(|g| g.warm.device_read_bytes).sum();
        let _ = writeln!(
            md,
            "\nThroughput is the files' {:.1} MB over criterion's median of ten runs. CPU / wall \
             (processor time over wall time) and the bytes read from the device come from one \
             run of `io` per rung; warm, all five rungs together read {} from the device.",
            d.bytes as f64 / 1e6,
            megabytes(warm_read)
        );
    });
    section(&mut md, "threads", |md| {
        let series: Vec<&str> = dedup(r.sweep.iter().map(|p| p.series.as_str()));
        let _ = write!(md, "| threads |");
        for s in &series {
            let _ = write!(md, " `{s}` |");
        }
        let _ = writeln!(md, "\n| ---: |{}", " ---: |".repeat(series.len()));
        for &threads in IO_THREADS {
            let _ = write!(md, "| {threads} |");
            for s in &series {
                let p = r.sweep.iter().find(|p| p.series == *s && p.threads == threads);
                let _ = write!(md, " {} |", p.map_or("–".into(), |p| rate(p.bytes_per_s)));
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(
            md,
            "\n`rayon` reads and parses one file per task; `read-only` reads the same files \
             with `read()` calls of 1 MiB and throws the bytes away, `read-only-64k` with \
             calls of 64 KiB. Cold, read-only is the device itself: **{}** one file at a time, \
             **{}** at best.",
            rate(r.device_sequential_bytes_per_s),
            rate(r.device_best_bytes_per_s)
        );
    });
    section(&mut md, "latency", |md| {
        let s = &r.served;
        let _ = writeln!(md, "| in flight | time | × one at a time | best possible |");
        let _ = writeln!(md, "| ---: | ---: | ---: | ---: |");
        for p in &r.latency {
            let _ = writeln!(
                md,
                "| {} | {} | {:.1}× | {:.0}× |",
                p.in_flight,
                seconds(p.median_s),
                p.speedup,
                p.ideal
            );
        }
        let _ = writeln!(
            md,
            "\n{} shards of `{}` ({:.1} MB in all) from a server on loopback that holds each \
             answer back by {} ms; one client thread.",
            s.files,
            s.path,
            s.bytes as f64 / 1e6,
            r.latency_ms
        );
    });
    section(&mut md, "targets", |md| {
        let mark = |ok: bool| if ok { "✅ met" } else { "❌ missed" };
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "| --- | --- | --- |");
        if let Some(b) = best(r, |g| &g.warm) {
            let _ = writeln!(
                md,
                "| warm: parallel ≥ {WARM_TARGET}× sequential on {} cores | `{}` {:.2}× | {} |",
                r.machine.cores,
                b.name,
                b.warm.speedup,
                mark(b.warm.speedup >= WARM_TARGET)
            );
        }
        if let Some(b) = best(r, |g| &g.cold) {
            let _ = writeln!(
                md,
                "| cold: the best rung against the device's sequential bandwidth ({}) and against `sequential` | `{}` {}: {:.0}% of the device, {:.2}× sequential | reported |",
                rate(r.device_sequential_bytes_per_s),
                b.name,
                rate(b.cold.bytes_per_s),
                100.0 * b.cold.bytes_per_s / r.device_sequential_bytes_per_s,
                b.cold.speedup
            );
        }
        if let Some(p) = r.latency.iter().find(|p| p.in_flight == 64) {
            let _ = writeln!(
                md,
                "| latency-bound: 64 requests in flight ≥ {LATENCY_TARGET}× one at a time | {:.1}× | {} |",
                p.speedup,
                mark(p.speedup >= LATENCY_TARGET)
            );
        }
    });
    md
}

const WARM: RGBColor = RGBColor(214, 39, 40);
const COLD: RGBColor = RGBColor(31, 119, 180);
const GREY: RGBColor = RGBColor(120, 120, 120);

/// Warm and cold throughput of every rung, as pairs of bars, with the device's ceiling.
fn rungs_plot(r: &IoReport) -> Result<String> {
    let n = r.rungs.len();
    let top = r
        .rungs
        .iter()
        .flat_map(|g| [g.warm.bytes_per_s, g.cold.bytes_per_s])
        .chain([r.device_sequential_bytes_per_s])
        .fold(0.0, f64::max)
        / 1e9
        * 1.8; // room on the right for the legend
    let height = 150 + 60 * n as u32;
    figure((860, height), height - 30, &r.machine, |area| {
        let names: Vec<String> = r.rungs.iter().map(|g| g.name.clone()).collect();
        // Rung i (top to bottom) is centred on y = n - 1 - i; warm above, cold below.
        let y_of = |i: usize| (n - 1 - i) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!(
                    "Totalling {} shards ({:.0} MB): warm and cold throughput",
                    r.dataset.files,
                    r.dataset.bytes as f64 / 1e6
                ),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..top, -0.6..(n as f64 - 0.4))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc("GB/s")
            .y_labels(n)
            .y_label_formatter(&|y| {
                let row = y.round();
                match ((y - row).abs() < 1e-6).then_some(n as f64 - 1.0 - row) {
                    Some(i) if (0.0..n as f64).contains(&i) => names[i as usize].clone(),
                    _ => String::new(),
                }
            })
            .draw()?;
        for (regime, color, offset) in [("warm", WARM, 0.19), ("cold", COLD, -0.19)] {
            let value = |g: &IoRung| {
                if regime == "warm" { g.warm.bytes_per_s } else { g.cold.bytes_per_s }
            };
            chart
                .draw_series(r.rungs.iter().enumerate().map(|(i, g)| {
                    let y = y_of(i) + offset;
                    Rectangle::new([(0.0, y - 0.17), (value(g) / 1e9, y + 0.17)], color.filled())
                }))?
                .label(format!(
                    "{regime}: {}",
                    if regime == "warm" {
                        "files in the page cache"
                    } else {
                        "evicted before each run"
                    }
                ))
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.filled())
                });
        }
        let device = r.device_sequential_bytes_per_s / 1e9;
        chart
            .draw_series(DashedLineSeries::new(
                [(device, -0.6), (device, n as f64 - 0.4)],
                6,
                4,
                GREY.stroke_width(2),
            ))?
            .label("the device, reading only, one file at a time")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    })
}

/// What a sweep series measures, for a legend.
fn described(series: &str) -> String {
    let (cache, what) = series.split_once('-').unwrap_or(("", series));
    let what = match what {
        "rayon" => "read and parse (rayon)".to_string(),
        "read-only" => "read only, 1 MiB requests".to_string(),
        "read-only-64k" => "read only, 64 KiB requests".to_string(),
        other => other.to_string(),
    };
    format!("{what}, {cache}")
}

/// Throughput against threads, one line per series.
fn threads_plot(r: &IoReport) -> Result<String> {
    let top = r.sweep.iter().map(|p| p.bytes_per_s).fold(0.0, f64::max) / 1e9 * 1.2;
    let most = IO_THREADS.iter().copied().max().unwrap_or(1) as f64;
    figure((860, 520), 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption("Throughput against threads reading at once", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((0.8f64..most * 1.25).log_scale(), 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("threads (log scale)")
            .y_desc("GB/s")
            .max_light_lines(0)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()?;
        let colors = [WARM, COLD, RGBColor(44, 160, 44), RGBColor(148, 103, 189)];
        for (i, series) in dedup(r.sweep.iter().map(|p| p.series.as_str())).into_iter().enumerate()
        {
            let points: Vec<(f64, f64)> = r
                .sweep
                .iter()
                .filter(|p| p.series == series)
                .map(|p| (p.threads as f64, p.bytes_per_s / 1e9))
                .collect();
            labelled_line(&mut chart, points, &described(series), colors[i % colors.len()])?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}

/// Speedup over one request at a time against requests in flight, with the ideal.
fn latency_plot(r: &IoReport) -> Result<String> {
    let most = IN_FLIGHT.iter().copied().max().unwrap_or(1) as f64;
    figure((860, 520), 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!(
                    "{} requests that each wait {} ms: speedup (log-log)",
                    r.served.files, r.latency_ms
                ),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(
                (0.8f64..most * 1.25).log_scale(),
                (0.8f64..most * 1.25).log_scale(),
            )?;
        chart
            .configure_mesh()
            .x_desc("requests in flight")
            .y_desc("× one at a time")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        let ideal: Vec<(f64, f64)> =
            r.latency.iter().map(|p| (p.in_flight as f64, p.ideal)).collect();
        chart
            .draw_series(DashedLineSeries::new(ideal, 6, 4, GREY.stroke_width(1)))?
            .label(format!("best possible ({} requests in all)", r.served.files))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY));
        let measured: Vec<(f64, f64)> =
            r.latency.iter().map(|p| (p.in_flight as f64, p.speedup)).collect();
        labelled_line(&mut chart, measured, "one client thread, measured", COLD)?;
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

fn summary(r: &IoReport) {
    println!(
        "\nI/O lesson: {} shards, {:.0} MB; the device reads {} one file at a time",
        r.dataset.files,
        r.dataset.bytes as f64 / 1e6,
        rate(r.device_sequential_bytes_per_s)
    );
    for g in &r.rungs {
        println!(
            "  {:<11} warm {:>10} {:.2}×   cold {:>10} {:.2}×",
            g.name,
            rate(g.warm.bytes_per_s),
            g.warm.speedup,
            rate(g.cold.bytes_per_s),
            g.cold.speedup
        );
    }
    if let Some(p) = r.latency.iter().find(|p| p.in_flight == 64) {
        println!(
            "  {} requests of {} ms: 64 in flight {:.1}× one at a time",
            r.served.files, r.latency_ms, p.speedup
        );
    }
    println!(
        "figures written to book/src/generated/: io.json, io.md, io-rungs.svg, io-threads.svg, io-latency.svg"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plans_read_what_their_sweeps_need() {
        for plan in [FULL, QUICK] {
            let files = plan.shards.shards as usize;
            assert!(files >= IO_THREADS.iter().copied().max().unwrap_or(1), "a thread per file");
            assert!(plan.served.shards >= 16, "enough requests to overlap");
        }
        assert!(FULL.served.shards as usize >= 64, "the 64-in-flight target needs 64 requests");
    }

    #[test]
    fn every_sweep_series_has_a_description() {
        assert_eq!(described("warm-rayon"), "read and parse (rayon), warm");
        for (name, _) in REQUEST_BYTES {
            assert!(described(&format!("cold-{name}")).starts_with("read only, "), "{name}");
        }
    }
}
