//! The I/O lesson's tables and plots, from its record.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use ladder::units::{rate, seconds};
use lesson_io::bench::{LATENCY_TARGET, LATENCY_TARGET_IN_FLIGHT, SWEEP, WARM_TARGET};
use lesson_io::report::{Regime, Report, RungFigures};
use plotters::prelude::*;

use super::plot::{
    GREY, PALETTE, TITLE, doubling, doubling_ticks, figure, labelled_line, legend, mesh,
    power_of_two, row_label,
};
use super::summary::Row;
use super::{Figures, dedup, mark, measured_on, quick_warning, section};

/// The tables and the three plots.
pub fn figures(r: &Report) -> Result<Figures> {
    Ok(Figures {
        lesson: lesson_io::cli::LESSON,
        markdown: markdown(r),
        plots: vec![
            ("io-rungs.svg".into(), rungs_plot(r)?),
            ("io-threads.svg".into(), threads_plot(r)?),
            ("io-latency.svg".into(), latency_plot(r)?),
        ],
    })
}

/// The best parallel rung in a regime (every rung but the sequential one).
fn best(r: &Report, regime: fn(&RungFigures) -> &Regime) -> Option<&RungFigures> {
    r.rungs.iter().skip(1).max_by(|a, b| regime(a).speedup.total_cmp(&regime(b).speedup))
}

fn megabytes(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "not reported".into(), |b| format!("{:.0} MB", b as f64 / 1e6))
}

fn markdown(r: &Report) -> String {
    let mut md = super::markdown();
    let d = &r.dataset;
    section(&mut md, "machine", |md| {
        measured_on(md, &r.machine, r.quick);
        let _ = writeln!(
            md,
            "*Files: `{}`, {} shards, {} rows, {:.1} MB; {} threads (one per core).*",
            d.path,
            d.files,
            d.rows,
            d.bytes as f64 / 1e6,
            r.threads
        );
        quick_warning(md, r.quick, " on tiny data");
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
        for threads in dedup(r.sweep.iter().map(|p| p.threads)) {
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
    section(&mut md, "turns", |md| {
        let Some(sequential) =
            r.rungs.iter().find(|g| g.name == lesson_io::ladder::LADDER.baseline().name)
        else {
            return;
        };
        // One core that reads a piece, then parses it: the two stages take turns, or, at best,
        // the device reads ahead while the core parses and the slower stage alone sets the pace.
        let (read, parse) = (r.device_sequential_bytes_per_s, sequential.warm.bytes_per_s);
        let turns = 1.0 / (1.0 / read + 1.0 / parse);
        let overlap = read.min(parse);
        let cold = sequential.cold.bytes_per_s;
        let _ = writeln!(
            md,
            "Taking turns, a device that reads {} and a core that parses {} (warm `{}`) would \
             manage {}; overlapping perfectly, {}. Measured cold: **{}**, {:.0}% of the way from \
             taking turns to overlapping.",
            rate(read),
            rate(parse),
            sequential.name,
            rate(turns),
            rate(overlap),
            rate(cold),
            100.0 * (cold - turns) / (overlap - turns)
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
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "| --- | --- | --- |");
        if let Some(b) = best(r, warm) {
            let _ = writeln!(
                md,
                "| warm: parallel ≥ {WARM_TARGET}× sequential on {} cores | `{}` {:.2}× | {} |",
                r.machine.cores,
                b.name,
                b.warm.speedup,
                mark(b.warm.speedup >= WARM_TARGET)
            );
        }
        if let Some(b) = best(r, cold) {
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
        if let Some(p) = r.latency.iter().find(|p| p.in_flight == LATENCY_TARGET_IN_FLIGHT) {
            let _ = writeln!(
                md,
                "| latency-bound: {LATENCY_TARGET_IN_FLIGHT} requests in flight ≥ {LATENCY_TARGET}× one at a time | {:.1}× | {} |",
                p.speedup,
                mark(p.speedup >= LATENCY_TARGET)
            );
        }
    });
    md
}

/// Warm runs' colour.
const WARM: RGBColor = PALETTE[0];
/// Cold runs' colour.
const COLD: RGBColor = PALETTE[3];

/// Warm and cold throughput of every rung, as pairs of bars, with the device's ceiling.
fn rungs_plot(r: &Report) -> Result<String> {
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
    figure(860, height - 30, &r.machine, |area| {
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
                ("sans-serif", TITLE),
            )
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..top, -0.6..(n as f64 - 0.4))?;
        mesh(&mut chart)
            .disable_y_mesh()
            .x_desc("GB/s")
            .y_labels(n)
            .y_label_formatter(&|y| row_label(&names, *y))
            .draw()?;
        for (regime, color, offset) in [("warm", WARM, 0.19), ("cold", COLD, -0.19)] {
            let value = |g: &RungFigures| {
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
fn described(series: &str) -> &str {
    SWEEP.iter().find(|s| s.name == series).map_or(series, |s| s.described)
}

/// Throughput against threads, one line per series.
fn threads_plot(r: &Report) -> Result<String> {
    let top = r.sweep.iter().map(|p| p.bytes_per_s).fold(0.0, f64::max) / 1e9 * 1.2;
    let most = r.sweep.iter().map(|p| p.threads).max().unwrap_or(1) as f64;
    let x = doubling(1.0, most);
    figure(860, 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption("Throughput against threads reading at once", ("sans-serif", TITLE))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .build_cartesian_2d(x.clone(), 0.0..top)?;
        mesh(&mut chart)
            .x_desc("threads (each step doubles them)")
            .y_desc("GB/s")
            .max_light_lines(0)
            .x_labels(doubling_ticks(&x))
            .x_label_formatter(&power_of_two)
            .draw()?;
        let colors = [WARM, COLD, PALETTE[2], PALETTE[4]];
        for (i, series) in dedup(r.sweep.iter().map(|p| p.series.as_str())).into_iter().enumerate()
        {
            let points: Vec<(f64, f64)> = r
                .sweep
                .iter()
                .filter(|p| p.series == series)
                .map(|p| ((p.threads as f64).log2(), p.bytes_per_s / 1e9))
                .collect();
            labelled_line(&mut chart, points, described(series), colors[i % colors.len()])?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}

/// Speedup over one request at a time against requests in flight, with the ideal.
fn latency_plot(r: &Report) -> Result<String> {
    let most = r.latency.iter().map(|p| p.in_flight).max().unwrap_or(1) as f64;
    figure(860, 490, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!(
                    "{} requests that each wait {} ms: speedup (log-log)",
                    r.served.files, r.latency_ms
                ),
                ("sans-serif", TITLE),
            )
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .build_cartesian_2d(
                (0.8f64..most * 1.25).log_scale(),
                (0.8f64..most * 1.25).log_scale(),
            )?;
        mesh(&mut chart)
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

/// A rung's figures with the files in the page cache.
fn warm(g: &RungFigures) -> &Regime {
    &g.warm
}

/// A rung's figures with the files evicted first.
fn cold(g: &RungFigures) -> &Regime {
    &g.cold
}

/// The closing table's rows: warm, cold, and latency-bound.
pub fn summary(io: &Report) -> Result<Vec<Row>> {
    let first = io.rungs.first().context("no rungs")?;
    let mut rows = Vec::new();
    type Pick = fn(&RungFigures) -> &Regime;
    let regimes: [(Pick, &str, &str, bool); 2] = [
        (warm, "compute (parsing)", "in the page cache", false),
        (cold, "I/O and compute", "read from the disk", true),
    ];
    for (regime, bottleneck, what, from_device) in regimes {
        let b = best(io, regime).context("no parallel rung")?;
        let device = if from_device {
            format!(
                " ({:.0}% of the device's sequential read)",
                100.0 * b.cold.bytes_per_s / io.device_sequential_bytes_per_s
            )
        } else {
            String::new()
        };
        rows.push(Row {
            bottleneck,
            job: format!("{} files, {what}", io.dataset.files),
            before: format!("one at a time: {}", rate(regime(first).bytes_per_s)),
            after: format!("`{}`: {}{device}", b.name, rate(regime(b).bytes_per_s)),
            gain: format!("{:.2}×", regime(b).speedup),
        });
    }
    let at = |n: usize| io.latency.iter().find(|p| p.in_flight == n);
    if let (Some(one), Some(many)) = (at(1), at(LATENCY_TARGET_IN_FLIGHT)) {
        rows.push(Row {
            bottleneck: "I/O latency",
            job: format!("{} requests that each wait {} ms", io.served.files, io.latency_ms),
            before: format!("one at a time: {}", seconds(one.median_s)),
            after: format!(
                "{LATENCY_TARGET_IN_FLIGHT} in flight, one thread: {}",
                seconds(many.median_s)
            ),
            gain: format!("{:.1}×", many.speedup),
        });
    }
    Ok(rows)
}
