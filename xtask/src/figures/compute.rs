//! The compute lesson's tables and plots, from its record.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use ladder::units::{bytes, rate, seconds};
use lesson_compute::bench::{
    RAYON_TARGET, SUM_EMPTY_ROWS, SUM_RATE_BITS, SUM_REPEATS, SUM_SHARDS, TOKIO_TARGET,
    TOKIO_TARGET_TASKS, WAIT_MS, WAIT_TASKS,
};
use lesson_compute::report::{FaultRun, Report, ScaleRun, SumRun, Sums, WaitPoint};
use lesson_compute::{pi, waiting};
use lesson_memory::dataset::rows_label;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::plot::{GREY, PALETTE, TITLE, figure, labelled_line, legend, merge_equal, mesh};
use super::summary::{Row, rounded};
use super::{Figures, mark, measured_on, quick_warning, section};

/// The large-scale run's record, beside the lesson's in the reference folder.
pub const SCALE_RECORD: &str = "compute-scale.json";

/// The large-scale run's table, `compute-scale.md`.
pub fn scale_figures(scale: &ScaleRun) -> Figures {
    let mut md = super::markdown();
    section(&mut md, "scale", |md| {
        let _ = writeln!(md, "*Measured by `{}` on {}.*\n", scale.command, scale.machine.caption());
        let Some(first) = scale.runs.first() else { return };
        let _ = writeln!(
            md,
            "{} rows ({}), summed by {} processes of {} worker each:\n",
            rows_label(first.rows),
            bytes(first.bytes),
            first.processes,
            first.workers
        );
        let _ = writeln!(
            md,
            "| run | time | rate | read from the disks | largest peak memory of a process | sent between processes |"
        );
        let _ = writeln!(md, "| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (i, r) in scale.runs.iter().enumerate() {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                seconds(r.seconds),
                rate(r.bytes as f64 / r.seconds),
                bytes(r.paged_in_bytes),
                bytes(r.peak_resident_bytes.iter().copied().max().unwrap_or(0)),
                sent(r),
            );
        }
        let read = scale.runs.iter().map(|r| r.paged_in_bytes).min().unwrap_or(0);
        let from = if read as f64 >= 0.9 * first.bytes as f64 {
            "every run read almost all of it from the disk"
        } else {
            "the runs read part of it from the page cache"
        };
        let _ = writeln!(
            md,
            "\nEach run's exact total, {}, equals the manifest's, every user's included. The \
             dataset is {} and the machine has {} GiB of memory: {from}.",
            scale.total,
            bytes(first.bytes),
            scale.machine.memory_gib
        );
    });
    Figures { lesson: "compute-scale", markdown: md, plots: Vec::new() }
}

/// The tables and the two plots.
pub fn figures(r: &Report) -> Result<Figures> {
    let cores = r.machine.cores;
    Ok(Figures {
        lesson: lesson_compute::cli::LESSON,
        markdown: markdown(r, cores),
        plots: vec![
            ("compute-wait.svg".into(), wait_plot(r)?),
            ("compute-speedup.svg".into(), speedup_plot(r, cores)?),
            ("compute-cluster.svg".into(), cluster_plot(&r.sums, r, cores)?),
        ],
    })
}

fn markdown(r: &Report, cores: usize) -> String {
    let mut md = super::markdown();
    section(&mut md, "machine", |md| {
        measured_on(md, &r.machine, r.quick);
        quick_warning(md, r.quick, "");
    });
    section(&mut md, "waiting", |md| {
        let _ = write!(md, "| rung |");
        for t in WAIT_TASKS {
            let _ = write!(md, " {t} tasks |");
        }
        let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(WAIT_TASKS.len()));
        for s in waiting::LADDER.iter() {
            let _ = write!(md, "| `{}` |", s.name);
            for &t in WAIT_TASKS {
                let p = r.waiting.iter().find(|p| p.rung == s.name && p.tasks == t);
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
                p.rung,
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
        let Some(s) = r.serial_fraction(cores) else {
            let _ = writeln!(md, "On one core there is no speedup to fit.");
            return;
        };
        let fitted = format!(
            "Fitted to `rayon` on {cores} threads against `sequential` on one: a serial fraction \
             of **{:.1}%**.",
            100.0 * s
        );
        if s > 0.0 {
            let _ = writeln!(
                md,
                "{fitted} Amdahl's law then predicts {:.1}× on 4 cores, {:.1}× on 16 and at \
                 most {:.0}× on any number.",
                1.0 / (s + (1.0 - s) / 4.0),
                1.0 / (s + (1.0 - s) / 16.0),
                1.0 / s
            );
        } else {
            let _ = writeln!(
                md,
                "{fitted} In this run `rayon` on {cores} threads was at least {cores} times as \
                 fast as `sequential`, so the fit finds nothing serial, and Amdahl's law, given \
                 nothing serial, promises every core's worth: a forecast this run cannot support."
            );
        }
    });
    section(&mut md, "cluster", |md| {
        let c = &r.cluster;
        let rayon = r.pi.iter().find(|p| p.rung == pi::RAYON.name && p.threads == cores);
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
        for run in [c, &r.cluster_empty] {
            let _ = writeln!(
                md,
                "| timely, {} processes × {} worker on loopback, connecting included | {} | {} | {} (one thread: {}) |",
                run.processes,
                run.workers,
                run.samples,
                seconds(run.seconds),
                run.hits,
                run.single_hits
            );
        }
        let ratio = c.seconds / rayon_same.max(1e-9);
        let _ = if ratio < 1.1 {
            writeln!(
                md,
                "\nThe whole cluster run took {ratio:.2} times `rayon`'s time for as many samples: \
                 the same, within this machine's noise."
            )
        } else {
            writeln!(
                md,
                "\nThe whole cluster run took {ratio:.2} times `rayon`'s time for as many samples."
            )
        };
        let fixed = r.cluster_empty.seconds;
        let _ = writeln!(
            md,
            "\nThe cluster's fixed cost, measured as the whole run of a job of one sample, is \
             about **{}** (connecting, setting up the dataflow, exchanging, stopping). Spread \
             over k machines, a job that takes T seconds on one machine's cores takes about T / k \
             plus that cost: k machines pay once T exceeds about k / (k − 1) times it, so **two \
             machines pay for jobs over about {}** of work.",
            seconds(fixed),
            seconds(2.0 * fixed)
        );
    });
    section(&mut md, "sums", |md| sums_table(md, &r.sums, cores));
    section(&mut md, "faults", |md| faults_table(md, &r.faults));
    section(&mut md, "targets", |md| {
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "| --- | --- | --- |");
        if let Some(t) = r
            .waiting
            .iter()
            .find(|p| p.rung == waiting::TOKIO.name && p.tasks == TOKIO_TARGET_TASKS)
            .and_then(|p| p.median_s)
        {
            let ok = t <= TOKIO_TARGET * WAIT_MS as f64 / 1e3;
            let _ = writeln!(
                md,
                "| 10 000 tasks of {WAIT_MS} ms with tokio ≤ 1.1 × {WAIT_MS} ms | {} | {} |",
                seconds(t),
                mark(ok)
            );
        }
        if let Some(p) = r.pi.iter().find(|p| p.rung == pi::RAYON.name && p.threads == cores) {
            let _ = writeln!(
                md,
                "| `rayon` speedup ≥ 1.8× on {cores} cores | {:.2}× | {} |",
                p.speedup,
                mark(p.speedup >= RAYON_TARGET)
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

/// The summing cluster's runs beside the cost model's predictions.
fn sums_table(md: &mut String, sums: &Sums, cores: usize) {
    let Some(first) = sums.runs.first() else { return };
    let network = match first.network.as_str() {
        "namespaces" => "each process in a network namespace of its own, one bridge between them",
        _ => "all processes on loopback (network namespaces need root)",
    };
    let _ = writeln!(
        md,
        "The memory lesson's dataset of {} rows ({}) in {SUM_SHARDS} shards, summed exactly by \
         timely processes of one worker each, {network}; every run's totals equal the \
         manifest's. Each time is the median of {SUM_REPEATS} runs of process 0, from its start \
         to its answer, connecting included.\n",
        rows_label(first.rows),
        bytes(first.bytes)
    );
    let _ = writeln!(
        md,
        "| processes | time | fixed cost ({} rows) | the model | sent between processes | largest peak memory of a process |",
        rows_label(SUM_EMPTY_ROWS)
    );
    let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for run in &sums.runs {
        let n = run.processes;
        let label =
            if n > cores { format!("{n} (more than the {cores} cores)") } else { n.to_string() };
        let cell = |v: Option<f64>| v.map_or("–".into(), seconds);
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {} | {} |",
            seconds(run.seconds),
            cell(sums.fixed(n)),
            cell(sums.predicted(n, cores)),
            sent(run),
            bytes(run.peak_resident_bytes.iter().copied().max().unwrap_or(0))
        );
    }
    if let (Some(limited), Some(predicted)) = (&sums.limited, sums.predicted_limited(SUM_RATE_BITS))
    {
        let _ = writeln!(
            md,
            "| {}, every link limited to {} | {} | | {} | {} | |",
            limited.processes,
            megabits(SUM_RATE_BITS),
            seconds(limited.seconds),
            seconds(predicted),
            sent(limited),
        );
    }
    let (Some(per_byte), Some(even)) = (sums.per_byte(), sums.break_even_bytes(2)) else {
        return;
    };
    let _ = writeln!(
        md,
        "\nThe model: a cluster of n processes takes its fixed cost F(n), the whole run on almost \
         no data, plus the dataset's bytes at one worker's pace, {:.2} ns a byte ({}), divided among \
         the processes that can run at once: min(n, {cores}) on this machine's {cores} cores, n \
         on n machines. Two machines finish first once the time the second saves covers what \
         it adds to the fixed cost: beyond about **{}** of data.",
        per_byte * 1e9,
        rate(1.0 / per_byte),
        bytes(even as u64)
    );
    let off: Vec<String> = sums
        .runs
        .iter()
        .filter(|run| run.processes > 1)
        .filter_map(|run| {
            let predicted = sums.predicted(run.processes, cores)?;
            Some(format!("{:+.0}% at {}", 100.0 * (run.seconds / predicted - 1.0), run.processes))
        })
        .collect();
    let _ = writeln!(
        md,
        "\nThe measured times differ from the model's by {}: the model takes its pace from one \
         process's run, and on a shared machine one run can be slower or faster than the next.",
        off.join(" and ")
    );
}

/// What process 0 said about each fault, and when.
fn faults_table(md: &mut String, faults: &[FaultRun]) {
    let _ = writeln!(md, "| what goes wrong | what process 0 says | when it ends | a total? |");
    let _ = writeln!(md, "| --- | --- | ---: | --- |");
    for f in faults {
        let said = if f.said.is_empty() {
            "nothing: it waits, and sums".to_string()
        } else {
            // Escaped, so that a table cell holds it and `--` is not made a dash.
            let escape =
                |l: &String| l.replace('|', "\\|").replace('<', "&lt;").replace('-', "\\-");
            f.said.iter().map(escape).collect::<Vec<_>>().join("<br>")
        };
        let from = if f.since_kill { "after the kill" } else { "after the start" };
        let total = if f.totals { "yes, the manifest's" } else { "no" };
        let _ = writeln!(md, "| {} | {said} | {} {from} | {total} |", f.fault, seconds(f.seconds));
    }
}

/// What a run's processes sent each other: the total, and each process's share.
fn sent(run: &SumRun) -> String {
    match &run.sent_bytes {
        None => "not counted on loopback".into(),
        Some(each) if each.len() < 2 => bytes(each.iter().sum()),
        Some(each) => {
            let shares: Vec<String> = each.iter().map(|&b| bytes(b)).collect();
            format!("{} ({})", bytes(each.iter().sum()), shares.join(" + "))
        }
    }
}

/// A link's rate, `1 Mbit/s`.
fn megabits(bits: u64) -> String {
    format!("{} Mbit/s", bits as f64 / 1e6)
}

/// Measured times of the summing cluster against the model, on this machine and on as many
/// machines as processes.
fn cluster_plot(sums: &Sums, r: &Report, cores: usize) -> Result<String> {
    let most = sums.runs.iter().map(|p| p.processes).max().unwrap_or(1) as f64;
    let high = sums.runs.iter().map(|p| p.seconds).fold(0.0f64, f64::max).max(1e-3) * 1.3;
    figure(860, 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption("The exact sum on a timely cluster: whole run", ("sans-serif", TITLE))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(0.5f64..most + 0.5, 0.0f64..high)?;
        mesh(&mut chart)
            .x_desc("processes, one worker each")
            .y_desc("seconds")
            .x_labels(most as usize)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.2}"))
            .draw()?;
        let curve = |machines: bool| -> Vec<(f64, f64)> {
            sums.runs
                .iter()
                .filter_map(|run| {
                    let at_once = if machines { run.processes } else { cores };
                    Some((run.processes as f64, sums.predicted(run.processes, at_once)?))
                })
                .collect()
        };
        chart
            .draw_series(DashedLineSeries::new(curve(false), 6, 4, BLACK.stroke_width(1)))?
            .label(format!("the model, on these {cores} cores"))
            .legend(move |(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 20, y)], 6, 4, BLACK.stroke_width(1))
            });
        chart
            .draw_series(DashedLineSeries::new(curve(true), 6, 4, GREY.stroke_width(2)))?
            .label("the model, one machine per process")
            .legend(move |(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 20, y)], 6, 4, GREY.stroke_width(2))
            });
        let measured: Vec<(f64, f64)> =
            sums.runs.iter().map(|p| (p.processes as f64, p.seconds)).collect();
        labelled_line(&mut chart, measured, "measured, this machine", PALETTE[3])?;
        let fixed: Vec<(f64, f64)> =
            sums.empty.iter().map(|p| (p.processes as f64, p.seconds)).collect();
        labelled_line(&mut chart, fixed, "fixed cost (almost no data)", PALETTE[1])?;
        if let Some(limited) = &sums.limited {
            let point = (limited.processes as f64, limited.seconds);
            chart
                .draw_series([TriangleMarker::new(point, 7, PALETTE[0].filled())])?
                .label(format!("links limited to {}", megabits(SUM_RATE_BITS)))
                .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 6, PALETTE[0].filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    })
}

fn wait_plot(r: &Report) -> Result<String> {
    let measured: Vec<f64> = r.waiting.iter().filter_map(|p| p.median_s).collect();
    let (low, high) = measured.iter().fold((f64::MAX, 0.0f64), |(l, h), &m| (l.min(m), h.max(m)));
    let skipped = r.waiting.iter().filter(|p| p.median_s.is_none()).map(|p| p.predicted_s);
    let high = skipped.fold(high, f64::max);
    figure(860, 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("Tasks that each wait {} ms: wall time (log-log)", r.wait_ms),
                ("sans-serif", TITLE),
            )
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (2.0f64..20_000.0).log_scale(),
                (low / 2.0..high * 2.0).log_scale(),
            )?;
        mesh(&mut chart)
            .x_desc("tasks")
            .y_desc("seconds")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| if *y >= 1.0 { format!("{y:.0}") } else { format!("{y:.3}") })
            .draw()?;
        let series = waiting::LADDER.iter().map(|s| {
            let points: Vec<(f64, f64)> = r
                .waiting
                .iter()
                .filter(|p| p.rung == s.name)
                .filter_map(|p| Some((p.tasks as f64, p.median_s?)))
                .collect();
            (s.name.to_string(), points)
        });
        for (i, (names, points)) in merge_equal(series.collect()).into_iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            labelled_line(&mut chart, points, &names, color)?;
            // A count a rung was not run at: a ring at its predicted time.
            let named = |rung: &str| names.split(" = ").any(|n| n == rung);
            let skipped = r.waiting.iter().filter(|p| named(&p.rung) && p.median_s.is_none());
            chart.draw_series(
                skipped.map(|p| {
                    Circle::new((p.tasks as f64, p.predicted_s), 6, color.stroke_width(2))
                }),
            )?;
        }
        if r.waiting.iter().any(|p| p.median_s.is_none()) {
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                .label("ring: not run, at its predicted time")
                .legend(|(x, y)| Circle::new((x + 10, y), 6, BLACK.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

fn speedup_plot(r: &Report, cores: usize) -> Result<String> {
    let max_threads = r.pi.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    figure(860, 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption("Monte-Carlo π: speedup over one thread", ("sans-serif", TITLE))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5f64..max_threads + 0.5, 0.0f64..(cores as f64 + 1.0))?;
        mesh(&mut chart).x_desc("threads").y_desc("speedup").draw()?;
        let ideal: Vec<(f64, f64)> =
            (1..=max_threads as usize).map(|n| (n as f64, n.min(cores) as f64)).collect();
        chart
            .draw_series(LineSeries::new(ideal, GREY.stroke_width(1)))?
            .label(format!("ideal on {cores} cores"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY));
        if let Some(s) = r.serial_fraction(cores) {
            let amdahl: Vec<(f64, f64)> = (10..=(max_threads as usize * 10))
                .map(|n| n as f64 / 10.0)
                .map(|n| (n, 1.0 / (s + (1.0 - s) / n.min(cores as f64))))
                .collect();
            chart
                .draw_series(DashedLineSeries::new(amdahl, 6, 4, BLACK.stroke_width(1)))?
                .label(format!("Amdahl, serial fraction {:.1}%", 100.0 * s))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
        }
        for (i, rung) in pi::LADDER.iter().filter(|r| r.parallel).enumerate() {
            let color = PALETTE[(i + 2) % PALETTE.len()];
            let points: Vec<(f64, f64)> =
                r.pi.iter()
                    .filter(|p| p.rung == rung.name)
                    .map(|p| (p.threads as f64, p.speedup))
                    .collect();
            labelled_line(&mut chart, points, rung.name, color)?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}

/// The closing table's rows: waiting, computing, and computing across machines.
pub fn summary(c: &Report) -> Result<Vec<Row>> {
    let cores = c.machine.cores;
    let most = c.waiting.iter().map(|p| p.tasks).max().context("no tasks")?;
    let at =
        |rung: &waiting::Rung| c.waiting.iter().find(|p| p.rung == rung.name && p.tasks == most);
    let before = at(waiting::LADDER.baseline()).context("no sequential waiting point")?.predicted_s;
    let tokio = at(&waiting::TOKIO).and_then(|p| p.median_s).context("no tokio waiting point")?;
    let pi_sequential =
        c.pi.iter()
            .find(|p| p.rung == pi::LADDER.baseline().name)
            .context("no sequential point")?;
    let rayon =
        c.pi.iter()
            .find(|p| p.rung == pi::RAYON.name && p.threads == cores)
            .context("no rayon point on every core")?;
    let cluster = &c.cluster;
    let per_sample = rayon.median_s / c.pi_samples as f64;
    Ok(vec![
        Row {
            bottleneck: "waiting",
            job: format!("{} tasks that each wait {} ms", rounded(most as f64), c.wait_ms),
            before: format!("one after another: {} (predicted)", seconds(before)),
            after: format!("tokio tasks: {}", seconds(tokio)),
            gain: format!("{}×", rounded(before / tokio)),
        },
        Row {
            bottleneck: "compute",
            job: format!("Monte-Carlo π, {:.0} million samples", c.pi_samples as f64 / 1e6),
            before: format!("one thread: {}", seconds(pi_sequential.median_s)),
            after: format!("rayon on {cores} cores: {}", seconds(rayon.median_s)),
            gain: format!("{:.2}×", rayon.speedup),
        },
        Row {
            bottleneck: "compute, across machines",
            job: format!("the same job on {} timely processes", cluster.processes),
            before: format!(
                "rayon on {cores} cores: {} for as many samples",
                seconds(per_sample * cluster.samples as f64)
            ),
            after: format!("a fixed cost of about {}", seconds(c.cluster_empty.seconds)),
            gain: format!(
                "pays on two machines beyond about {} of work",
                seconds(2.0 * c.cluster_empty.seconds)
            ),
        },
    ])
}
