//! The compute lesson's measurements: `cargo xtask distributed`, and the compute part of
//! `cargo xtask bench` (criterion over both ladders, a two-process timely cluster on
//! loopback, then `book/src/generated/compute.{json,md}` and two plots).

use std::fmt::Write as _;
use std::net::TcpListener;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use lesson_compute::pi::CPU;
use lesson_compute::waiting::WAITING;
use lesson_memory::dataset::write_atomically;
use plotters::prelude::*;
use serde::Serialize;
use workshop_benches::{PI_SAMPLES, WAIT_MS, WAIT_TASKS, pi_threads};

use crate::bench::{run_criterion, timing};
use crate::machine::Machine;
use crate::plot::{figure, labelled_line, legend, seconds, section, write_figures};
use crate::shell::{cargo, output, run, target_dir};

/// The `compute` binary, built in release mode.
fn compute_binary() -> Result<PathBuf> {
    run(cargo().args([
        "build",
        "--release",
        "--quiet",
        "--package",
        "lesson-compute",
        "--bin",
        "compute",
    ]))?;
    Ok(target_dir()?.join("release/compute"))
}

/// Child processes that are killed and reaped if still running when this is dropped: no
/// cluster process outlives the command that started it, whatever fails.
struct Children(Vec<Option<Child>>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in self.0.iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Children {
    /// Waits for every child. The first that fails, or the deadline, ends the wait, and the
    /// others are stopped when `self` is dropped.
    fn wait_all(mut self, limit: Duration) -> Result<Vec<std::process::Output>> {
        let start = Instant::now();
        loop {
            let mut running = false;
            for (p, slot) in self.0.iter_mut().enumerate() {
                let Some(child) = slot else { continue };
                match child.try_wait()? {
                    None => running = true,
                    Some(status) if status.success() => {}
                    Some(_) => {
                        let out = slot.take().context("a child")?.wait_with_output()?;
                        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
                        anyhow::bail!("cluster process {p} failed: {why}");
                    }
                }
            }
            if !running {
                return self
                    .0
                    .iter_mut()
                    .map(|slot| Ok(slot.take().context("a child")?.wait_with_output()?))
                    .collect();
            }
            ensure!(start.elapsed() < limit, "the cluster did not finish within {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// What a local cluster run gave.
#[derive(Debug, Serialize)]
pub struct ClusterRun {
    /// Processes started.
    pub processes: usize,
    /// Worker threads per process.
    pub workers: usize,
    /// Samples thrown.
    pub samples: u64,
    /// Hits counted by the cluster.
    pub hits: u64,
    /// Hits counted by one thread: must be equal.
    pub single_hits: u64,
    /// Wall time of process 0, connecting included.
    pub seconds: f64,
}

/// Starts `processes` cluster processes on loopback ports, waits for them (killing any still
/// running after `deadline`), and checks the answer against one thread's.
pub fn local_cluster(
    processes: usize,
    workers: usize,
    samples: u64,
    deadline: Duration,
) -> Result<ClusterRun> {
    ensure!(processes >= 1, "at least one process is needed");
    let binary = compute_binary()?;
    let dir = target_dir()?.join("xtask-cluster");
    std::fs::create_dir_all(&dir)?;
    let hostfile = dir.join("hosts.txt");
    // Ask the system for free ports (another program could still take one before timely does).
    let listeners: Vec<TcpListener> =
        (0..processes).map(|_| TcpListener::bind("127.0.0.1:0")).collect::<Result<_, _>>()?;
    let ports: Vec<u16> =
        listeners.iter().map(|l| l.local_addr().map(|a| a.port())).collect::<Result<_, _>>()?;
    drop(listeners);
    let lines: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}\n")).collect();
    write_atomically(&hostfile, |out| std::io::Write::write_all(out, lines.concat().as_bytes()))?;
    eprintln!("starting {processes} timely processes on loopback ({})", hostfile.display());
    let timeout = format!("{}", deadline.as_secs_f64());
    let mut children = Children(Vec::new());
    for p in 0..processes {
        let child = Command::new(&binary)
            .args(["cluster", "--json", "--timeout", &timeout, "--samples", &samples.to_string()])
            .args(["--workers", &workers.to_string(), "--process", &p.to_string()])
            .arg("--hostfile")
            .arg(&hostfile)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start a cluster process")?;
        children.0.push(Some(child));
    }
    let outputs = children.wait_all(deadline + Duration::from_secs(5))?;
    let stdout = String::from_utf8_lossy(&outputs[0].stdout);
    let line =
        stdout.lines().find(|l| l.starts_with('{')).context("process 0 printed no result")?;
    let cluster: serde_json::Value = serde_json::from_str(line)?;
    let single = output(Command::new(&binary).args([
        "pi",
        "--json",
        "-s",
        "sequential",
        "--samples",
        &samples.to_string(),
    ]))?;
    let single: serde_json::Value = serde_json::from_str(single.trim())?;
    let field =
        |v: &serde_json::Value, k: &str| v[k].as_u64().with_context(|| format!("no {k} in {v}"));
    let run = ClusterRun {
        processes,
        workers,
        samples,
        hits: field(&cluster, "hits")?,
        single_hits: field(&single, "hits")?,
        seconds: cluster["seconds"].as_f64().context("no seconds")?,
    };
    ensure!(
        run.hits == run.single_hits,
        "the cluster counted {} hits, one thread {}",
        run.hits,
        run.single_hits
    );
    Ok(run)
}

/// `cargo xtask distributed`.
pub fn run_distributed(processes: usize, workers: usize, samples: u64) -> Result<()> {
    let run = local_cluster(processes, workers, samples, Duration::from_secs(120))?;
    println!(
        "{} processes × {} workers: {} hits of {} samples in {:.3} s, the same as one thread ({} hits)",
        run.processes, run.workers, run.hits, run.samples, run.seconds, run.single_hits
    );
    println!(
        "on real machines: write one host:port per machine into a hostfile, copy it to every machine,"
    );
    println!(
        "and start `compute cluster --hostfile hosts.txt --process I` on machine I (I = 0, 1, ...)"
    );
    Ok(())
}

/// One measured (or skipped) waiting run.
#[derive(Debug, Serialize)]
pub struct WaitPoint {
    strategy: String,
    tasks: usize,
    predicted_s: f64,
    /// `None` when the run was predicted to take too long and was skipped.
    median_s: Option<f64>,
}

/// One measured Monte-Carlo run.
#[derive(Debug, Serialize)]
pub struct PiPoint {
    strategy: String,
    threads: usize,
    median_s: f64,
    speedup: f64,
    efficiency: f64,
}

/// `compute.json`.
#[derive(Debug, Serialize)]
pub struct ComputeReport {
    machine: Machine,
    quick: bool,
    wait_ms: u64,
    waiting: Vec<WaitPoint>,
    pi_samples: u64,
    pi: Vec<PiPoint>,
    /// Serial fraction fitted to the rayon rung's speedup on all cores (Amdahl's law).
    serial_fraction: f64,
    cluster: ClusterRun,
}

/// Runs the compute benchmarks and writes the book's figures.
pub fn bench(quick: bool, timing_flags: &[&str]) -> Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    eprintln!("timing the compute ladders with criterion");
    // The quick run skips anything predicted over 0.3 s per run; the full one over 1.5 s.
    let longest = std::ffi::OsStr::new(if quick { "0.3" } else { "1.5" });
    let groups = ["compute-wait", "compute-pi"];
    let results =
        run_criterion("compute", &groups, timing_flags, &[("WORKSHOP_LONGEST_RUN", longest)])?;
    let wait = Duration::from_millis(WAIT_MS);
    let threads = NonZeroUsize::new(cores).unwrap_or(NonZeroUsize::MIN);
    let mut waiting = Vec::new();
    for s in WAITING {
        for &tasks in WAIT_TASKS {
            let dir = results.join("compute-wait").join(s.name).join(tasks.to_string());
            let median_s = dir.exists().then(|| timing(&dir)).transpose()?.map(|t| t.median);
            let predicted_s = s.predicted(tasks, wait, threads).as_secs_f64();
            waiting.push(WaitPoint { strategy: s.name.into(), tasks, predicted_s, median_s });
        }
    }
    let sequential = timing(&results.join("compute-pi/sequential/1"))?.median;
    let mut pi = Vec::new();
    let thread_counts = pi_threads();
    for s in CPU {
        let counts: &[usize] = if s.name == "sequential" { &[1] } else { &thread_counts };
        for &threads in counts {
            let median_s =
                timing(&results.join("compute-pi").join(s.name).join(threads.to_string()))?.median;
            let speedup = sequential / median_s;
            let efficiency = speedup / threads as f64;
            pi.push(PiPoint { strategy: s.name.into(), threads, median_s, speedup, efficiency });
        }
    }
    // Amdahl: speedup(n) = 1 / (s + (1 - s) / n); solve for s from rayon on every core
    // against rayon on one thread (its own scaling: rayon's per-task overhead is not serial).
    let rayon_on =
        |n: usize| pi.iter().find(|p| p.strategy == "rayon" && p.threads == n).map(|p| p.median_s);
    let (one, all) = rayon_on(1)
        .zip(rayon_on(cores))
        .context("rayon was not measured on 1 thread and on every core")?;
    let scaling = one / all;
    let serial_fraction = if cores > 1 {
        ((cores as f64 / scaling - 1.0) / (cores as f64 - 1.0)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let samples = if quick { 2_000_000 } else { 5 * PI_SAMPLES };
    let cluster = local_cluster(2, 1, samples, Duration::from_secs(120))?;
    let report = ComputeReport {
        machine: Machine::current(),
        quick,
        wait_ms: WAIT_MS,
        waiting,
        pi_samples: PI_SAMPLES,
        pi,
        serial_fraction,
        cluster,
    };
    write(&report, cores)?;
    summary(&report);
    Ok(())
}

fn write(r: &ComputeReport, cores: usize) -> Result<()> {
    let plots =
        [("compute-wait.svg", wait_plot(r)?), ("compute-speedup.svg", speedup_plot(r, cores)?)];
    write_figures("compute", r, &markdown(r, cores), &plots)
}

fn markdown(r: &ComputeReport, cores: usize) -> String {
    let mut md = String::from("<!-- Written by `cargo xtask bench`; do not edit. -->\n\n");
    section(&mut md, "machine", |md| {
        let quick = if r.quick { " --quick" } else { "" };
        let _ =
            writeln!(md, "*Measured by `cargo xtask bench{quick}` on {}.*", r.machine.caption());
        if r.quick {
            let _ = writeln!(
                md,
                "\n**This is a quick run: its figures only show that the pipeline works.**"
            );
        }
    });
    section(&mut md, "waiting", |md| {
        let _ = write!(md, "| rung |");
        for t in WAIT_TASKS {
            let _ = write!(md, " {t} tasks |");
        }
        let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(WAIT_TASKS.len()));
        for s in WAITING {
            let _ = write!(md, "| `{}` |", s.name);
            for &t in WAIT_TASKS {
                let p = r.waiting.iter().find(|p| p.strategy == s.name && p.tasks == t);
                let cell = match p {
                    Some(WaitPoint { median_s: Some(m), predicted_s, .. }) => {
                        format!("{} (predicted {})", seconds(*m), seconds(*predicted_s))
                    }
                    Some(WaitPoint { predicted_s, .. }) => {
                        format!("not run: predicted {}", seconds(*predicted_s))
                    }
                    None => "–".into(),
                };
                let _ = write!(md, " {cell} |");
            }
            let _ = writeln!(md);
        }
    });
    section(&mut md, "pi", |md| {
        let _ = writeln!(md, "| rung | threads | median | speedup | efficiency |");
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        for p in &r.pi {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {:.2}× | {:.0}% |",
                p.strategy,
                p.threads,
                seconds(p.median_s),
                p.speedup,
                100.0 * p.efficiency
            );
        }
        let _ = writeln!(
            md,
            "\n{} samples. Efficiency is speedup divided by threads; this machine has {cores} cores.",
            r.pi_samples
        );
    });
    section(&mut md, "amdahl", |md| {
        let s = r.serial_fraction;
        let _ = writeln!(
            md,
            "Fitted to `rayon`'s own scaling (on {cores} threads against on one): a serial fraction \
             of **{:.1}%**. Amdahl's law then predicts {:.1}× on 4 cores, {:.1}× on 16 and at most \
             {} on any number.",
            100.0 * s,
            1.0 / (s + (1.0 - s) / 4.0),
            1.0 / (s + (1.0 - s) / 16.0),
            if s > 0.0 { format!("{:.0}×", 1.0 / s) } else { "no limit".into() }
        );
    });
    section(&mut md, "cluster", |md| {
        let c = &r.cluster;
        let rayon = r.pi.iter().find(|p| p.strategy == "rayon" && p.threads == cores);
        let per_sample = rayon.map_or(0.0, |p| p.median_s / r.pi_samples as f64);
        let rayon_same = per_sample * c.samples as f64;
        let _ = writeln!(md, "| run | samples | time | hits |");
        let _ = writeln!(md, "| --- | ---: | ---: | ---: |");
        let _ = writeln!(
            md,
            "| `rayon`, {cores} threads (scaled from the table above) | {} | {} | |",
            c.samples,
            seconds(rayon_same)
        );
        let _ = writeln!(
            md,
            "| timely, {} processes × {} worker on loopback, connecting included | {} | {} | {} (one thread: {}) |",
            c.processes,
            c.workers,
            c.samples,
            seconds(c.seconds),
            c.hits,
            c.single_hits
        );
        let overhead = (c.seconds - rayon_same).max(0.0);
        let _ = writeln!(
            md,
            "\nThe cluster's fixed cost here is about **{}** (starting processes, connecting, \
             exchanging). Spread over k machines, a job that takes T seconds on one machine's \
             cores takes about T / k plus that cost: k machines pay once T exceeds about \
             k / (k − 1) times it, so **two machines pay for jobs over about {}** of work.",
            seconds(overhead),
            seconds(2.0 * overhead)
        );
    });
    section(&mut md, "targets", |md| {
        let mark = |ok: bool| if ok { "✅ met" } else { "❌ missed" };
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "| --- | --- | --- |");
        if let Some(t) = r
            .waiting
            .iter()
            .find(|p| p.strategy == "tokio" && p.tasks == 10_000)
            .and_then(|p| p.median_s)
        {
            let ok = t <= 1.1 * WAIT_MS as f64 / 1e3;
            let _ = writeln!(
                md,
                "| 10 000 tasks of {WAIT_MS} ms with tokio ≤ 1.1 × {WAIT_MS} ms | {} | {} |",
                seconds(t),
                mark(ok)
            );
        }
        if let Some(p) = r.pi.iter().find(|p| p.strategy == "rayon" && p.threads == cores) {
            let _ = writeln!(
                md,
                "| `rayon` speedup ≥ 1.8× on {cores} cores | {:.2}× | {} |",
                p.speedup,
                mark(p.speedup >= 1.8)
            );
        }
        let same = r.cluster.hits == r.cluster.single_hits;
        let _ = writeln!(
            md,
            "| timely on 2 processes gives the single-machine answer | {} hits | {} |",
            r.cluster.hits,
            mark(same)
        );
    });
    md
}

const PALETTE: [RGBColor; 5] = [
    RGBColor(214, 39, 40),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(31, 119, 180),
    RGBColor(148, 103, 189),
];

fn wait_plot(r: &ComputeReport) -> Result<String> {
    let measured: Vec<f64> = r.waiting.iter().filter_map(|p| p.median_s).collect();
    let (low, high) = measured.iter().fold((f64::MAX, 0.0f64), |(l, h), &m| (l.min(m), h.max(m)));
    figure((860, 520), 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("Tasks that each wait {} ms: wall time (log-log)", r.wait_ms),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (2.0f64..20_000.0).log_scale(),
                (low / 2.0..high * 2.0).log_scale(),
            )?;
        chart
            .configure_mesh()
            .x_desc("tasks")
            .y_desc("seconds")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.3}"))
            .draw()?;
        for (i, s) in WAITING.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let points: Vec<(f64, f64)> = r
                .waiting
                .iter()
                .filter(|p| p.strategy == s.name)
                .filter_map(|p| Some((p.tasks as f64, p.median_s?)))
                .collect();
            labelled_line(&mut chart, points, s.name, color)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

fn speedup_plot(r: &ComputeReport, cores: usize) -> Result<String> {
    let max_threads = pi_threads().into_iter().max().unwrap_or(1) as f64;
    figure((860, 520), 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption("Monte-Carlo π: speedup over one thread", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5f64..max_threads + 0.5, 0.0f64..(cores as f64 + 1.0))?;
        chart.configure_mesh().x_desc("threads").y_desc("speedup").draw()?;
        let ideal: Vec<(f64, f64)> =
            (1..=max_threads as usize).map(|n| (n as f64, n.min(cores) as f64)).collect();
        let grey = RGBColor(150, 150, 150);
        chart
            .draw_series(LineSeries::new(ideal, grey.stroke_width(1)))?
            .label(format!("ideal on {cores} cores"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey));
        let s = r.serial_fraction;
        let amdahl: Vec<(f64, f64)> = (10..=(max_threads as usize * 10))
            .map(|n| n as f64 / 10.0)
            .map(|n| (n, 1.0 / (s + (1.0 - s) / n.min(cores as f64))))
            .collect();
        let black = RGBColor(0, 0, 0);
        chart
            .draw_series(DashedLineSeries::new(amdahl, 6, 4, black.stroke_width(1)))?
            .label(format!("Amdahl, serial fraction {:.1}%", 100.0 * s))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], black));
        for (i, strategy) in ["threads", "rayon", "timely"].into_iter().enumerate() {
            let color = PALETTE[(i + 2) % PALETTE.len()];
            let points: Vec<(f64, f64)> =
                r.pi.iter()
                    .filter(|p| p.strategy == strategy)
                    .map(|p| (p.threads as f64, p.speedup))
                    .collect();
            labelled_line(&mut chart, points, strategy, color)?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}

fn summary(r: &ComputeReport) {
    println!(
        "\ncompute lesson: {} tasks of {} ms, and π from {} samples",
        WAIT_TASKS.iter().map(ToString::to_string).collect::<Vec<_>>().join("/"),
        r.wait_ms,
        r.pi_samples
    );
    for p in r.waiting.iter().filter(|p| p.tasks == 10_000) {
        match p.median_s {
            Some(m) => println!("  wait 10 000 tasks  {:<15} {}", p.strategy, seconds(m)),
            None => println!(
                "  wait 10 000 tasks  {:<15} not run (predicted {})",
                p.strategy,
                seconds(p.predicted_s)
            ),
        }
    }
    for p in r.pi.iter().filter(|p| p.threads == 2 || p.strategy == "sequential") {
        println!(
            "  π  {:<11} {} threads  {}  {:.2}×",
            p.strategy,
            p.threads,
            seconds(p.median_s),
            p.speedup
        );
    }
    let c = &r.cluster;
    println!(
        "  π  timely on {} processes: {} (same hits as one thread: {})",
        c.processes,
        seconds(c.seconds),
        c.hits == c.single_hits
    );
    println!(
        "figures written to book/src/generated/: compute.json, compute.md, compute-wait.svg, compute-speedup.svg"
    );
}
