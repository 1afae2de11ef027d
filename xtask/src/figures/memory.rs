//! The memory lesson's tables and plots, from its record.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use ladder::units::{bytes, rate, seconds};
use lesson_memory::bench::{BOUNDED_HEAP_LIMIT, FASTEST_TARGET_BYTES_PER_S};
use lesson_memory::dataset::rows_label;
use lesson_memory::report::Report;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{
    GREY, PALETTE, TEXT, TITLE, figure, labelled_line, legend, merge_equal, mesh, row_label,
};
use super::summary::{Row, rounded};
use super::{Figures, mark, measured_on, quick_warning, section};

/// The tables and the two plots.
pub fn figures(r: &Report) -> Result<Figures> {
    Ok(Figures {
        lesson: lesson_memory::cli::LESSON,
        markdown: markdown(r),
        plots: vec![
            ("memory-throughput.svg".into(), throughput(r)?),
            ("memory-heap.svg".into(), heap(r)?),
        ],
    })
}

/// All the lesson's tables, each in its own anchored section.
fn markdown(r: &Report) -> String {
    let mut md = super::markdown();
    let d = &r.dataset;
    section(&mut md, "machine", |md| {
        measured_on(md, &r.machine, r.quick);
        let _ =
            writeln!(md, "*File: `{}`, {} rows, {:.1} MB.*", d.path, d.rows, d.bytes as f64 / 1e6);
        quick_warning(md, r.quick, " on tiny data");
        for note in &r.notes {
            let _ = writeln!(md, "\n*Note: {note}.*");
        }
    });
    section(&mut md, "ladder", |md| {
        let _ = writeln!(
            md,
            "| rung | median of 10 runs | fastest, slowest | throughput | peak heap | speedup | instructions a row |"
        );
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for g in &r.rungs {
            let ir = g.instructions_per_row.map_or("–".into(), |i| format!("{i:.0}"));
            let _ = writeln!(
                md,
                "| `{}` | {} | −{:.0}%, +{:.0}% | {} | {} | {:.1}× | {ir} |",
                g.name,
                seconds(g.median_s),
                100.0 * (1.0 - g.min_s / g.median_s),
                100.0 * (g.max_s / g.median_s - 1.0),
                rate(g.bytes_per_s),
                bytes(g.peak_heap_bytes),
                g.speedup
            );
        }
    });
    section(&mut md, "anatomy", |md| {
        let _ = writeln!(md, "| stage | what it adds | time | throughput | added time |");
        let _ = writeln!(md, "| --- | --- | ---: | ---: | ---: |");
        let mut before = 0.0;
        let total = r.anatomy.last().map_or(1.0, |s| s.median_s);
        for s in &r.anatomy {
            let added = s.median_s - before;
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} ({:.0}%) |",
                s.name,
                s.adds,
                seconds(s.median_s),
                rate(d.bytes as f64 / s.median_s),
                seconds(added),
                100.0 * added / total
            );
            before = s.median_s;
        }
    });
    section(&mut md, "pandas", |md| {
        if r.pandas.is_empty() {
            let _ =
                writeln!(md, "*pandas was not installed on the machine, so it was not measured.*");
            return;
        }
        let fastest = r.rungs.iter().map(|g| g.bytes_per_s).fold(0.0, f64::max);
        let _ = writeln!(
            md,
            "| program | time (best of 3) | throughput | peak memory (RSS) | fastest rung is | \
             its total, against the exact one |"
        );
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: |");
        for p in &r.pandas {
            let pandas_rate = d.bytes as f64 / p.seconds;
            let ulps = (p.total.to_bits() as i64).wrapping_sub(d.total.to_bits() as i64);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {:.1}× faster | `{:?}`: {ulps:+} ulp |",
                p.name,
                seconds(p.seconds),
                rate(pandas_rate),
                bytes(p.peak_rss_bytes),
                fastest / pandas_rate,
                p.total
            );
        }
    });
    section(&mut md, "heap", |md| {
        let mut sizes: Vec<(u64, u64)> = r.heap.iter().map(|h| (h.rows, h.file_bytes)).collect();
        sizes.sort_unstable();
        sizes.dedup();
        let _ = write!(md, "| rung |");
        for (rows, file) in &sizes {
            let _ = write!(md, " {} rows ({:.1} MB) |", rows_label(*rows), *file as f64 / 1e6);
        }
        let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(sizes.len()));
        for g in &r.rungs {
            let _ = write!(md, "| `{}` |", g.name);
            for (rows, _) in &sizes {
                let peak = r
                    .heap
                    .iter()
                    .find(|h| h.rung == g.name && h.rows == *rows)
                    .map_or("–".into(), |h| bytes(h.peak_heap_bytes));
                let _ = write!(md, " {peak} |");
            }
            let _ = writeln!(md);
        }
    });
    section(&mut md, "drift", |md| {
        let _ = writeln!(md, "| order of the additions | sum | distance from exact |");
        let _ = writeln!(md, "| --- | ---: | ---: |");
        for row in &r.drift {
            let _ = writeln!(md, "| {} | `{:?}` | {:+} ulp |", row.order, row.total, row.ulps);
        }
        let _ = writeln!(md, "\nThe exact total, every digit: `{}`.", d.exact_total);
    });
    section(&mut md, "targets", |md| targets(md, r));
    md
}

fn targets(md: &mut String, r: &Report) {
    let _ = writeln!(md, "| target | measured | |");
    let _ = writeln!(md, "| --- | --- | --- |");
    if let Some(fastest) = r.rungs.iter().max_by(|a, b| a.bytes_per_s.total_cmp(&b.bytes_per_s)) {
        let ok = fastest.bytes_per_s >= FASTEST_TARGET_BYTES_PER_S;
        let _ = writeln!(
            md,
            "| fastest rung ≥ {:.1} GB/s | `{}`: {} | {} |",
            FASTEST_TARGET_BYTES_PER_S / 1e9,
            fastest.name,
            rate(fastest.bytes_per_s),
            mark(ok)
        );
    }
    let sizes: Vec<u64> = r.heap.iter().map(|h| h.rows).collect();
    let larger = sizes.iter().max().unwrap_or(&1) / sizes.iter().min().unwrap_or(&1).max(&1);
    for g in r.rungs.iter().filter(|g| g.streaming) {
        let peaks: Vec<u64> =
            r.heap.iter().filter(|h| h.rung == g.name).map(|h| h.peak_heap_bytes).collect();
        let (low, high) =
            (peaks.iter().copied().min().unwrap_or(0), peaks.iter().copied().max().unwrap_or(0));
        let ok = high <= BOUNDED_HEAP_LIMIT && high <= low.max(1) * 2;
        let _ = writeln!(
            md,
            "| `{}` peak heap ≤ {} MiB and flat | {} to {} over a {larger}× larger file | {} |",
            g.name,
            BOUNDED_HEAP_LIMIT >> 20,
            bytes(low),
            bytes(high),
            mark(ok)
        );
    }
    if let Some(first) = r.rungs.iter().find(|g| !g.streaming) {
        let mut points: Vec<(u64, u64)> = r
            .heap
            .iter()
            .filter(|h| h.rung == first.name)
            .map(|h| (h.rows, h.peak_heap_bytes))
            .collect();
        points.sort_unstable();
        if let (Some(small), Some(large)) = (points.first(), points.last()) {
            let growth = large.1 as f64 / small.1.max(1) as f64;
            let rows = large.0 as f64 / small.0.max(1) as f64;
            let _ = writeln!(
                md,
                "| `{}` heap grows with the file | ×{growth:.0} for ×{rows:.0} rows | {} |",
                first.name,
                mark(growth > rows / 2.0)
            );
        }
    }
    let _ = writeln!(
        md,
        "| bit-identical totals | every rung equalled the manifest's exact total at every size (checked by `cargo xtask bench`) | ✅ met |"
    );
}

/// Throughput per rung (and pandas, if measured) as horizontal bars from zero: a bar's length
/// is its speed, so that twice as long is twice as fast (a log axis would hide that).
fn throughput(r: &Report) -> Result<String> {
    let mut bars: Vec<(String, f64, RGBColor)> =
        r.rungs.iter().map(|g| (g.name.clone(), g.bytes_per_s / 1e6, PALETTE[3])).collect();
    for p in &r.pandas {
        bars.push((p.name.clone(), r.dataset.bytes as f64 / p.seconds / 1e6, GREY));
    }
    // Room to the right of the longest bar for its label.
    let top = bars.iter().map(|b| b.1).fold(1.0, f64::max) * 1.3;
    let bottom = 0.0;
    figure(860, 105 + 40 * bars.len() as u32, &r.machine, |chart_area| {
        let n = bars.len();
        // Row i (top to bottom) sits at y = n - 1 - i, so the ladder reads downwards.
        let y_of = |i: usize| (n - 1 - i) as f64;
        let mut chart = ChartBuilder::on(chart_area)
            .caption(
                format!("Summing {:.0} MB of CSV: throughput", r.dataset.bytes as f64 / 1e6),
                ("sans-serif", TITLE),
            )
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(340)
            .build_cartesian_2d(bottom..top, -0.5..(n as f64 - 0.5))?;
        let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        mesh(&mut chart)
            .disable_y_mesh()
            .x_desc("MB/s")
            .x_labels(8)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_labels(n)
            .y_label_formatter(&|y| row_label(&names, *y))
            .draw()?;
        chart.draw_series(bars.iter().enumerate().map(|(i, (_, v, color))| {
            Rectangle::new([(bottom, y_of(i) - 0.35), (*v, y_of(i) + 0.35)], color.filled())
        }))?;
        let label = TextStyle::from(("sans-serif", TEXT).into_font())
            .pos(Pos::new(HPos::Left, VPos::Center));
        chart.draw_series(bars.iter().enumerate().map(|(i, (_, v, _))| {
            Text::new(format!(" {}", rate(v * 1e6)), (*v, y_of(i)), label.clone())
        }))?;
        Ok(())
    })
}

/// Peak heap against file size, log-log, one line per rung.
fn heap(r: &Report) -> Result<String> {
    let rows: Vec<u64> = r.heap.iter().map(|h| h.rows).collect();
    let (min_rows, max_rows) = (
        rows.iter().copied().min().unwrap_or(1) as f64,
        rows.iter().copied().max().unwrap_or(10) as f64,
    );
    let max_heap =
        r.heap.iter().map(|h| h.peak_heap_bytes).max().unwrap_or(1) as f64 / (1 << 20) as f64;
    let min_heap = r.heap.iter().map(|h| h.peak_heap_bytes).min().unwrap_or(1).max(1) as f64
        / (1 << 20) as f64;
    figure(860, 490, &r.machine, |chart_area| {
        let mut chart = ChartBuilder::on(chart_area)
            .caption("Peak heap against file size (log-log)", ("sans-serif", TITLE))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(
                (min_rows / 1.5..max_rows * 1.5).log_scale(),
                (min_heap / 3.0..max_heap * 3.0).log_scale(),
            )?;
        mesh(&mut chart)
            .x_desc("rows in the file")
            .y_desc("peak heap (MiB)")
            .x_label_formatter(&|x| rows_label(x.round() as u64))
            .y_label_formatter(&|y| if *y >= 1.0 { format!("{y:.0}") } else { format!("{y:.3}") })
            .draw()?;
        let series = r.rungs.iter().map(|g| {
            let mut points: Vec<(f64, f64)> = r
                .heap
                .iter()
                .filter(|h| h.rung == g.name)
                .map(|h| (h.rows as f64, h.peak_heap_bytes.max(1) as f64 / (1 << 20) as f64))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            (g.name.clone(), points)
        });
        let lines = merge_equal(series.collect());
        for (i, (names, points)) in lines.into_iter().enumerate() {
            labelled_line(&mut chart, points, &names, PALETTE[i % PALETTE.len()])?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

/// The closing table's rows: memory, time, and pandas for comparison.
pub fn summary(m: &Report) -> Result<Vec<Row>> {
    let megabytes = m.dataset.bytes as f64 / 1e6;
    let first = m.rungs.first().context("no rungs")?;
    let fastest = m
        .rungs
        .iter()
        .max_by(|a, b| a.bytes_per_s.total_cmp(&b.bytes_per_s))
        .context("no rungs")?;
    let leanest = m.rungs.iter().min_by_key(|r| r.peak_heap_bytes).context("no rungs")?;
    let mut rows = vec![
        Row {
            bottleneck: "memory",
            job: format!("memory to total a {megabytes:.0} MB CSV file"),
            before: format!("`{}`: {} of heap", first.name, bytes(first.peak_heap_bytes)),
            after: format!(
                "`{}`: {} of heap, whatever the file's size",
                leanest.name,
                bytes(leanest.peak_heap_bytes)
            ),
            gain: format!(
                "{}× less memory",
                rounded(first.peak_heap_bytes as f64 / leanest.peak_heap_bytes.max(1) as f64)
            ),
        },
        Row {
            bottleneck: "memory, then compute",
            job: format!("time to total a {megabytes:.0} MB CSV file"),
            before: format!("`{}`: {}", first.name, rate(first.bytes_per_s)),
            after: format!("`{}`: {}", fastest.name, rate(fastest.bytes_per_s)),
            gain: format!("{:.1}×", fastest.speedup),
        },
    ];
    if let Some(pandas) = m.pandas.first() {
        let pandas_rate = m.dataset.bytes as f64 / pandas.seconds;
        rows.push(Row {
            bottleneck: "(for comparison)",
            job: format!("the same file with {}", pandas.name),
            before: rate(pandas_rate),
            after: format!("`{}`: {}", fastest.name, rate(fastest.bytes_per_s)),
            gain: format!("{:.1}×", fastest.bytes_per_s / pandas_rate),
        });
    }
    Ok(rows)
}
