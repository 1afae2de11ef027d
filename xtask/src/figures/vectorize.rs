//! The vectorize lesson's tables and plots, from its record.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use ladder::units::seconds;
use lesson_vectorize::bench::{
    BLAS_SHARE_TARGET, ERROR_SHAPE, HAND_VS_BLAS_TARGET, HAND_WRITTEN, LOOPS, RAYON_TARGET,
};
use lesson_vectorize::elementwise::{VERSIONS, Version};
use lesson_vectorize::flops;
use lesson_vectorize::ladder::{BLAS, BLOCKED_RAYON, LADDER, NAIVE};
use lesson_vectorize::report::{MatmulPoint, Report};
use plotters::prelude::*;

use super::plot::{
    GREY, PALETTE, SECOND_PALETTE, TEXT, TITLE, doubling, doubling_ticks, figure, legend, mesh,
    power_of_two, roof, roofline_chart,
};
use super::summary::{Row, rounded};
use super::{Figures, dedup, mark, measured_on, quick_warning, section};

/// The tables and the two plots.
pub fn figures(r: &Report) -> Result<Figures> {
    Ok(Figures {
        lesson: lesson_vectorize::cli::LESSON,
        markdown: markdown(r),
        plots: vec![
            ("vectorize-ladder.svg".into(), ladder_plot(r)?),
            ("vectorize-roofline.svg".into(), roofline_plot(r)?),
        ],
    })
}

/// The elementwise version a record names.
fn version(name: &str) -> Result<&'static Version> {
    VERSIONS
        .iter()
        .find(|v| v.name == name)
        .with_context(|| format!("no elementwise version `{name}`"))
}

fn point<'a>(r: &'a Report, rung: &str, n: usize) -> Option<&'a MatmulPoint> {
    r.matmul.iter().find(|p| p.rung == rung && p.n == n)
}

fn markdown(r: &Report) -> String {
    let mut md = super::markdown();
    let sizes: Vec<usize> = dedup(r.matmul.iter().map(|p| p.n));
    section(&mut md, "machine", |md| {
        measured_on(md, &r.machine, r.quick);
        let _ = writeln!(
            md,
            "*One core's ceilings, measured in the same run: **{:.1} GFLOP/s** of {} fused \
             multiply-adds; memory at **{:.1} GB/s** reading only (a sum) and **{:.1} GB/s** \
             reading and writing (`a·x + y`).*",
            r.peak_flops / 1e9,
            r.isa,
            r.read_bytes_per_s / 1e9,
            r.update_bytes_per_s / 1e9
        );
        if !r.blas {
            let _ = writeln!(
                md,
                "\n*The BLAS rung was skipped: OpenBLAS was not found (`apt-get install libopenblas-dev`).*"
            );
        }
        quick_warning(md, r.quick, " on tiny matrices");
    });
    section(&mut md, "ladder", |md| {
        let _ = write!(md, "| rung |");
        for n in &sizes {
            let _ = write!(md, " n = {n} |");
        }
        let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(sizes.len()));
        for s in dedup(r.matmul.iter().map(|p| p.rung.as_str())) {
            let _ = write!(md, "| `{s}` |");
            for &n in &sizes {
                let cell = match (point(r, s, n), point(r, NAIVE.name, n).and_then(|p| p.median_s))
                {
                    (Some(MatmulPoint { gflops: Some(g), median_s: Some(t), .. }), Some(naive)) => {
                        format!("{g:.2} ({:.0}×)", naive / t)
                    }
                    (Some(MatmulPoint { gflops: Some(g), .. }), None) => format!("{g:.2}"),
                    _ => "not run".into(),
                };
                let _ = write!(md, " {cell} |");
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(
            md,
            "\nGFLOP/s on one thread (2n³ operations over criterion's median), and in brackets \
             the speedup over `naive` at the same size. \"Not run\": predicted to take over \
             {} per run.",
            seconds(r.longest_run_s)
        );
        if let Some(p) = &r.python {
            let _ = writeln!(
                md,
                "\nFor context, the seed's triple loop in pure Python (CPython, same machine, same run) at \
                 n = {}: {} per product, **{:.3} GFLOP/s**.",
                p.n,
                seconds(p.seconds),
                p.gflops
            );
        }
    });
    section(&mut md, "share", |md| {
        let n = r.target_size;
        let (m, k, n_e) = ERROR_SHAPE;
        let _ = writeln!(
            md,
            "| rung at n = {n} | GFLOP/s | share of the peak | error on {m}x{k}x{n_e} | bound |"
        );
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        for p in r.matmul.iter().filter(|p| p.n == n) {
            let error = r.errors.iter().find(|e| e.rung == p.rung);
            let (e, b) = error.map_or(("–".into(), "–".into()), |e| {
                (format!("{:.1e}", e.rel_error), format!("{:.1e}", e.bound))
            });
            let (g, share) = p.gflops.map_or(("not run".into(), "".into()), |g| {
                (format!("{g:.2}"), format!("{:.0}%", 100.0 * g * 1e9 / r.peak_flops))
            });
            let _ = writeln!(md, "| `{}` | {g} | {share} | {e} | {b} |", p.rung);
        }
        let _ = writeln!(
            md,
            "\nThe error is ‖c − reference‖ / (‖a‖ ‖b‖) against a product computed in twice the \
             working precision; the bound is γ_k = k u / (1 − k u) for k = {k} and u = 2⁻⁵³."
        );
    });
    section(&mut md, "instructions", |md| {
        if r.instructions.is_empty() {
            let _ = writeln!(md, "*Instruction counts were not measured (valgrind is needed).*");
            return;
        }
        let n = r.instruction_size;
        let _ = writeln!(md, "| rung | instructions per operation, n = {n} |");
        let _ = writeln!(md, "| --- | ---: |");
        for s in LADDER.iter() {
            if let Some(p) = r.instructions.iter().find(|p| p.rung == s.name) {
                let _ = writeln!(md, "| `{}` | {:.3} |", p.rung, p.per_flop);
            }
        }
        let _ = writeln!(
            md,
            "\nCounted by callgrind for one {n}×{n} product ({:.1} million operations). valgrind's \
             virtual processor has no AVX-512, so `blocked` runs its AVX2 kernel here.",
            flops(n, n, n) / 1e6
        );
    });
    for a in &r.assembly {
        let anchor = LOOPS.iter().find(|l| l.title == a.rung).map_or("asm", |l| l.anchor);
        section(&mut md, anchor, |md| {
            let _ = writeln!(md, "```text\n{}\n```", a.instructions.join("\n"));
        });
    }
    section(&mut md, "threads", |md| {
        let _ = writeln!(md, "| rung | n | threads | GFLOP/s | × one thread |");
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        for p in &r.threads {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {:.2} | {:.2}× |",
                p.rung, p.n, p.threads, p.gflops, p.speedup
            );
        }
    });
    section(&mut md, "elementwise", |md| {
        let lengths = dedup(r.elementwise.iter().map(|p| p.len));
        let (short, long) =
            (lengths.first().copied().unwrap_or(0), lengths.last().copied().unwrap_or(0));
        let _ = writeln!(md, "| version | length | time | GFLOP/s | GB/s |");
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        for p in &r.elementwise {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {:.2} | {:.1} |",
                p.version,
                p.len,
                seconds(p.median_s),
                p.gflops,
                p.bytes_per_s / 1e9
            );
        }
        let _ = writeln!(
            md,
            "\nBytes count what the operation must move: 24 per element for `axpy` (read x and y, \
             write y), 8 for a sum of squares. The short vectors ({} doubles, {} KiB each) stay in the \
             level-1 and level-2 caches; the long ones ({} doubles, {} MiB) come from memory.",
            short,
            short * 8 / 1024,
            long,
            (long * 8) >> 20
        );
    });
    section(&mut md, "targets", |md| {
        let n = r.target_size;
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "| --- | --- | --- |");
        match point(r, BLAS.name, n).and_then(|p| p.gflops).map(|g| (n, g)) {
            Some((bn, g)) => {
                let share = g * 1e9 / r.peak_flops;
                let _ = writeln!(
                    md,
                    "| BLAS ≥ {:.0}% of the measured FMA peak ({:.1} GFLOP/s) | {g:.1} GFLOP/s at n = {bn}: {:.0}% | {} |",
                    100.0 * BLAS_SHARE_TARGET,
                    r.peak_flops / 1e9,
                    100.0 * share,
                    mark(share >= BLAS_SHARE_TARGET)
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "| BLAS ≥ {:.0}% of the FMA peak | not measured (no OpenBLAS) | – |",
                    100.0 * BLAS_SHARE_TARGET
                );
            }
        }
        let hand = HAND_WRITTEN
            .iter()
            .filter_map(|s| point(r, s.name, n).and_then(|p| p.gflops).map(|g| (s.name, g)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some((name, g)), Some(blas)) = (hand, point(r, BLAS.name, n).and_then(|p| p.gflops))
        {
            let _ = writeln!(
                md,
                "| best hand-written rung ≥ {:.0}% of BLAS at n = {n}, one thread | `{name}` {g:.1} against {blas:.1} GFLOP/s: {:.0}% | {} |",
                100.0 * HAND_VS_BLAS_TARGET,
                100.0 * g / blas,
                mark(g / blas >= HAND_VS_BLAS_TARGET)
            );
        }
        if let Some(p) =
            r.threads.iter().find(|p| p.rung == BLOCKED_RAYON.name && p.threads == r.machine.cores)
        {
            let _ = writeln!(
                md,
                "| `{}` ≥ {RAYON_TARGET}× one thread on {} cores, n = {n} | {:.2}× | {} |",
                BLOCKED_RAYON.name,
                r.machine.cores,
                p.speedup,
                mark(p.speedup >= RAYON_TARGET)
            );
        }
    });
    md
}

/// GFLOP/s against n, one line per rung, under the peak.
fn ladder_plot(r: &Report) -> Result<String> {
    let sizes: Vec<usize> = dedup(r.matmul.iter().map(|p| p.n));
    let (low, high) = (*sizes.first().unwrap_or(&1) as f64, *sizes.last().unwrap_or(&2) as f64);
    let slowest = r.matmul.iter().filter_map(|p| p.gflops).fold(f64::INFINITY, f64::min);
    let peak = r.peak_flops / 1e9;
    let x = doubling(low, high);
    let rungs = dedup(r.matmul.iter().map(|p| p.rung.as_str()));
    // The key goes in three columns under the chart, where it hides no line.
    let key_rows = (rungs.len() + 2).div_ceil(3) as u32;
    figure(860, 490 + 24 * key_rows + 10, &r.machine, |above| {
        let (area, key) = above.split_vertically(490);
        let mut chart = ChartBuilder::on(&area)
            .caption(
                "Matrix multiply, one thread: GFLOP/s against size (log-log)",
                ("sans-serif", TITLE),
            )
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .build_cartesian_2d(x.clone(), (slowest.min(peak) / 2.0..peak * 2.0).log_scale())?;
        mesh(&mut chart)
            .max_light_lines(0)
            .x_desc("n (n×n matrices; each step doubles n)")
            .y_desc("GFLOP/s")
            .x_labels(doubling_ticks(&x))
            .x_label_formatter(&power_of_two)
            .y_label_formatter(&|y| if *y >= 1.0 { format!("{y:.0}") } else { format!("{y:.2}") })
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            [(x.start, peak), (x.end, peak)],
            6,
            4,
            GREY.stroke_width(2),
        ))?;
        let text = ("sans-serif", TEXT).into_font().color(&BLACK);
        let at = |i: usize| (30 + 275 * (i % 3) as i32, 12 + 24 * (i / 3) as i32);
        let entry = |i: usize, name: &str| {
            key.draw(&Text::new(name.to_string(), (at(i).0 + 28, at(i).1 - 9), text.clone()))
        };
        key.draw(&PathElement::new(vec![at(0), (at(0).0 + 20, at(0).1)], GREY.stroke_width(2)))?;
        entry(0, &format!("FMA peak, {peak:.0} GFLOP/s"))?;
        for (i, s) in rungs.iter().copied().enumerate() {
            let points: Vec<(f64, f64)> = r
                .matmul
                .iter()
                .filter(|p| p.rung == s)
                .filter_map(|p| Some(((p.n as f64).log2(), p.gflops?)))
                .collect();
            let color = PALETTE[i % PALETTE.len()];
            chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
            key.draw(&PathElement::new(
                vec![at(i + 1), (at(i + 1).0 + 20, at(i + 1).1)],
                color.stroke_width(2),
            ))?;
            entry(i + 1, s)?;
            // A size the rung was not run at (predicted to take too long): a ring on the axis.
            let floor = slowest.min(peak) / 1.6;
            let skipped = r.matmul.iter().filter(|p| p.rung == s && p.gflops.is_none());
            chart
                .draw_series(skipped.map(|p| {
                    Circle::new(((p.n as f64).log2(), floor), 6, color.stroke_width(2))
                }))?;
        }
        if r.matmul.iter().any(|p| p.gflops.is_none()) {
            let last = rungs.len() + 1;
            key.draw(&Circle::new((at(last).0 + 10, at(last).1), 6, BLACK.stroke_width(2)))?;
            entry(last, "ring at the bottom: not run")?;
        }
        Ok(())
    })
}

/// The roofline: GFLOP/s against operations per byte, under `min(peak, intensity × bandwidth)`
/// for both kinds of memory stream. Each matrix rung is drawn at the largest size it ran at.
fn roofline_plot(r: &Report) -> Result<String> {
    let peak = r.peak_flops / 1e9;
    // Matrix multiply moves at least its three matrices: 2n³ operations over 24 n² bytes.
    let intensity = |n: usize| n as f64 / 12.0;
    let mut points: Vec<(String, f64, f64)> = Vec::new();
    for s in dedup(r.matmul.iter().map(|p| p.rung.as_str())) {
        let largest = r
            .matmul
            .iter()
            .filter(|p| p.rung == s)
            .filter_map(|p| Some((p.n, p.gflops?)))
            .max_by_key(|(n, _)| *n);
        if let Some((n, g)) = largest {
            points.push((format!("{s} (n = {n})"), intensity(n), g));
        }
    }
    let widest = r.matmul.iter().map(|p| p.n).max().unwrap_or(r.target_size);
    let long = r.elementwise.iter().map(|p| p.len).max().unwrap_or(0);
    for p in r.elementwise.iter().filter(|p| p.len == long) {
        let (ops, bytes) = version(&p.version)?.per_element();
        points.push((format!("{} (long)", p.version), ops / bytes, p.gflops));
    }
    let lowest = points.iter().map(|p| p.2).fold(f64::INFINITY, f64::min).min(0.5);
    let (x_low, x_high) = (0.01, intensity(widest) * 4.0);
    // The points' key goes in three columns under the chart, where it hides nothing.
    let key_rows = points.len().div_ceil(3) as u32 + 1;
    let height = 560 + 24 * key_rows + 30;
    figure(860, height - 20, &r.machine, |above| {
        let (area, key) = above.split_vertically(560);
        let x = x_low..x_high;
        let mut chart = roofline_chart(
            &area,
            "The roofline of one core (log-log)",
            (x.clone(), lowest / 2.0..peak * 3.0),
            ("arithmetic intensity: floating-point operations per byte moved", "GFLOP/s"),
        )?;
        let roof = |bandwidth: f64| roof(&x, peak, bandwidth);
        let (update, read) = (r.update_bytes_per_s / 1e9, r.read_bytes_per_s / 1e9);
        chart
            .draw_series(LineSeries::new(roof(update), BLACK.stroke_width(2)))?
            .label(format!(
                "roof: min({peak:.0} GFLOP/s, {update:.0} GB/s × intensity), read and write"
            ))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        chart
            .draw_series(DashedLineSeries::new(roof(read), 6, 4, BLACK.stroke_width(1)))?
            .label(format!("roof when only reading: {read:.0} GB/s × intensity"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(1)));
        let text = ("sans-serif", TEXT).into_font().color(&BLACK);
        // Points of one intensity (matrix rungs at one size, kernels of the same traffic)
        // would hide one another: each is drawn 15% to the right of the one before it there,
        // which the key says.
        let (mut matrix, mut kernels) = (0, 0);
        let mut seen: Vec<f64> = Vec::new();
        for (i, (label, x, y)) in points.into_iter().enumerate() {
            let long = label.contains("(long)");
            let color = if long {
                kernels += 1;
                SECOND_PALETTE[(kernels - 1) % SECOND_PALETTE.len()]
            } else {
                matrix += 1;
                PALETTE[(matrix - 1) % PALETTE.len()]
            };
            let before = seen.iter().filter(|&&s| (s / x - 1.0).abs() < 1e-9).count();
            seen.push(x);
            let x = x * 1.15f64.powi(before as i32);
            let (column, row) = ((i % 3) as i32, (i / 3) as i32);
            let at = (30 + 275 * column, 10 + 24 * row);
            if long {
                chart.draw_series(std::iter::once(TriangleMarker::new(
                    (x, y),
                    7,
                    color.filled(),
                )))?;
                key.draw(&TriangleMarker::new(at, 6, color.filled()))?;
            } else {
                chart.draw_series(std::iter::once(Circle::new((x, y), 6, color.filled())))?;
                key.draw(&Circle::new(at, 5, color.filled()))?;
            }
            key.draw(&Text::new(label, (at.0 + 12, at.1 - 7), text.clone()))?;
        }
        let note = "circles: matrix products at their least traffic, n/12 operations a byte; \
                    points of one intensity spread rightwards";
        key.draw(&Text::new(note, (20, 3 + 24 * (key_rows as i32 - 1)), text.clone()))?;
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

/// The closing table's rows: the matrix product, and pure Python for comparison.
pub fn summary(v: &Report) -> Result<Vec<Row>> {
    let gflops = |rung: &str, n: usize| point(v, rung, n).and_then(|p| p.gflops);
    // The largest size the naive rung was measured at, and the fastest one-thread rung there.
    let n = v
        .matmul
        .iter()
        .filter(|p| p.rung == NAIVE.name && p.gflops.is_some())
        .map(|p| p.n)
        .max()
        .context("naive was never measured")?;
    let naive = gflops(NAIVE.name, n).context("no naive point")?;
    let (best, best_gflops) = v
        .matmul
        .iter()
        .filter(|p| p.n == n)
        .filter_map(|p| Some((p.rung.as_str(), p.gflops?)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .context("no rung measured")?;
    let peak = v.peak_flops / 1e9;
    let mut rows = vec![Row {
        bottleneck: "compute (per instruction)",
        job: format!("multiply two {n}×{n} matrices, one core"),
        before: format!("the seed's triple loop in Rust: {naive:.2} GFLOP/s"),
        after: format!(
            "`{best}`: {best_gflops:.1} GFLOP/s ({:.0}% of the core's peak)",
            100.0 * best_gflops / peak
        ),
        gain: format!("{}×", rounded(best_gflops / naive)),
    }];
    if let Some(python) = &v.python {
        rows.push(Row {
            bottleneck: "(for comparison)",
            job: format!("the same loop in pure Python, n = {}", python.n),
            before: format!("{:.3} GFLOP/s", python.gflops),
            after: format!("`{best}` at n = {n}: {best_gflops:.1} GFLOP/s"),
            gain: format!("{}×", rounded(best_gflops / python.gflops)),
        });
    }
    Ok(rows)
}
