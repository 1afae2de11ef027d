//! The GPU lesson's tables and plot, from its record. Every table names the device, and where
//! the device is a processor running the GPU's API (lavapipe), says so above the figures.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use ladder::units::{bytes, seconds};
use lesson_gpu::report::{MatmulPoint, Report, SumPoint};
use lesson_gpu::shader::Precision;
use lesson_gpu::{matmul, sum};
use lesson_vectorize::flops;
use plotters::prelude::*;

use super::plot::{
    GREY, PALETTE, TEXT, TITLE, figure, labelled_line, legend, mesh, roof, roofline_chart,
};
use super::summary::{Row, rounded};
use super::{Figures, dedup, measured_on, quick_warning, section};

/// The tables and the plot.
pub fn figures(r: &Report) -> Result<Figures> {
    Ok(Figures {
        lesson: lesson_gpu::cli::LESSON,
        markdown: markdown(r),
        plots: vec![
            ("gpu-matmul.svg".into(), matmul_plot(r)?),
            ("gpu-roofline.svg".into(), roofline_plot(r)?),
        ],
    })
}

/// Kernel GFLOP/s of a point, where it was run and timed on the GPU's clock.
fn kernel_gflops(p: &MatmulPoint) -> Option<f64> {
    Some(flops(p.n, p.n, p.n) / p.kernel_seconds? / 1e9)
}

/// The FMA peak in `precision`, GFLOP/s.
fn peak(r: &Report, precision: Precision) -> Option<f64> {
    let c = &r.measured.ceilings;
    match precision {
        Precision::F32 => Some(c.fma_f32_flops_per_s / 1e9),
        Precision::F64 => c.fma_f64_flops_per_s.map(|f| f / 1e9),
    }
}

/// The least a product of side `n` in `precision` moves, whether through device memory or
/// over the bus: `a` and `b` in, `c` out.
fn matmul_bytes(n: usize, precision: Precision) -> f64 {
    let size = match precision {
        Precision::F32 => 4.0,
        Precision::F64 => 8.0,
    };
    3.0 * (n * n) as f64 * size
}

/// The GPU's fastest rung in `precision` at side `n`, by the kernel's own time or by the whole
/// run's: its name and GFLOP/s.
fn fastest_on_gpu(
    r: &Report,
    precision: Precision,
    n: usize,
    time: fn(&MatmulPoint) -> Option<f64>,
) -> Option<(&str, f64)> {
    r.measured
        .matmul
        .iter()
        .filter(|p| p.precision == precision && p.n == n)
        .filter_map(|p| Some((p.rung.as_str(), flops(n, n, n) / time(p)? / 1e9)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// A processor rung's GFLOP/s at side `n`, where it ran.
fn on_host(r: &Report, rung: &str, n: usize) -> Option<f64> {
    let p = r.measured.host_matmul.iter().find(|p| p.rung == rung && p.n == n)?;
    Some(flops(n, n, n) / p.seconds? / 1e9)
}

/// Bytes of mantissas a sum point added.
fn sum_bytes(p: &SumPoint) -> f64 {
    8.0 * p.values as f64
}

fn markdown(r: &Report) -> String {
    let m = &r.measured;
    let d = &m.device;
    let mut md = super::markdown();
    section(&mut md, "machine", |md| {
        measured_on(md, &r.machine, r.quick);
        let _ = writeln!(md, "\nThe device: **{}** ({}), driver {}.", d.name, d.kind, d.driver);
        if d.is_cpu() {
            let _ = writeln!(
                md,
                "\n**This device is the processor running the GPU's API (Mesa's lavapipe), not a \
                 GPU**: its figures show that every kernel runs and what each costs on a \
                 processor, not what a GPU does."
            );
        }
        quick_warning(md, r.quick, "");
    });
    section(&mut md, "ceilings", |md| {
        let c = &m.ceilings;
        let _ = writeln!(md, "| ceiling | measured |");
        let _ = writeln!(md, "| --- | ---: |");
        let _ = writeln!(
            md,
            "| fused multiply-adds, f32 | {:.1} GFLOP/s |",
            c.fma_f32_flops_per_s / 1e9
        );
        if let Some(f) = c.fma_f64_flops_per_s {
            let _ = writeln!(md, "| fused multiply-adds, f64 | {:.1} GFLOP/s |", f / 1e9);
        }
        let _ = writeln!(
            md,
            "| a kernel reading {} of device memory | {:.1} GB/s |",
            bytes(c.read_bytes),
            c.read_bytes_per_s / 1e9
        );
        let clock = if c.gpu_clock { "the GPU's own clock" } else { "the host's clock" };
        let _ = writeln!(md, "\nKernels timed on {clock}.");
    });
    section(&mut md, "transfers", |md| {
        let _ = writeln!(md, "| size | upload | download |");
        let _ = writeln!(md, "| ---: | ---: | ---: |");
        for t in &m.ceilings.transfers {
            let _ = writeln!(
                md,
                "| {} | {:.2} GB/s | {:.2} GB/s |",
                bytes(t.bytes),
                t.upload_bytes_per_s / 1e9,
                t.download_bytes_per_s / 1e9
            );
        }
    });
    for precision in Precision::ALL {
        let points: Vec<&MatmulPoint> =
            m.matmul.iter().filter(|p| p.precision == precision).collect();
        if points.is_empty() {
            continue;
        }
        section(&mut md, &format!("matmul-{}", precision.name()), |md| {
            let sides = dedup(points.iter().map(|p| p.n));
            let _ = write!(md, "| rung |");
            for n in &sides {
                let _ = write!(md, " n = {n} |");
            }
            let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(sides.len()));
            let library = |n: usize| {
                let at = points.iter().find(|p| p.rung == matmul::CUBLAS.name && p.n == n);
                at.and_then(|p| kernel_gflops(p))
            };
            for rung in matmul::LADDER.iter() {
                let _ = write!(md, "| `{}` |", rung.name);
                if !points.iter().any(|p| p.rung == rung.name) {
                    let need = rung.needs.first().map_or("what this device lacks", |n| n.what);
                    let _ = writeln!(
                        md,
                        " not on this device: needs {need} |{}",
                        " |".repeat(sides.len() - 1)
                    );
                    continue;
                }
                for &n in &sides {
                    let p = points.iter().find(|p| p.rung == rung.name && p.n == n);
                    let cell = match p.and_then(|p| Some((p, kernel_gflops(p)?, p.seconds?))) {
                        Some((p, gflops, whole)) => {
                            let mut shares = Vec::new();
                            if let Some(peak) = peak(r, precision) {
                                shares.push(format!("{:.0}% of peak", 100.0 * gflops / peak));
                            }
                            if let Some(lib) =
                                library(n).filter(|_| rung.name != matmul::CUBLAS.name)
                            {
                                shares.push(format!("{:.0}% of cuBLAS", 100.0 * gflops / lib));
                            }
                            let end_to_end = flops(p.n, p.n, p.n) / whole / 1e9;
                            format!(
                                "{gflops:.1} ({}); {end_to_end:.1} end to end",
                                shares.join(", ")
                            )
                        }
                        None => "not run".into(),
                    };
                    let _ = write!(md, " {cell} |");
                }
                let _ = writeln!(md);
            }
            let _ = writeln!(
                md,
                "\nGFLOP/s of the kernel alone (its share of the FMA peak, and of cuBLAS where it ran), \
                 then of the whole run: \
                 upload, kernel and download. The median of {} runs; a rung predicted to take over \
                 {} a run was not run.",
                m.repeats,
                seconds(m.longest_run_s)
            );
        });
    }
    section(&mut md, "errors", |md| {
        let _ = writeln!(md, "| rung | precision | relative error | bound |");
        let _ = writeln!(md, "| --- | --- | ---: | ---: |");
        for e in &m.errors {
            let _ = writeln!(
                md,
                "| `{}` | {} | {:.1e} | {:.1e} |",
                e.rung,
                e.precision.name(),
                e.rel_error,
                e.bound
            );
        }
        let _ = writeln!(
            md,
            "\nAt n = {}, against the vectorize lesson's reference product.",
            lesson_gpu::bench::ERROR_SIDE
        );
    });
    section(&mut md, "sums", |md| {
        let counts = dedup(m.sums.iter().map(|p| p.values));
        let _ = write!(md, "| rung |");
        for v in &counts {
            let _ = write!(md, " {} values |", rounded(*v as f64));
        }
        let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(counts.len()));
        for rung in sum::LADDER.iter() {
            let _ = write!(md, "| `{}` |", rung.name);
            for &v in &counts {
                let p = m.sums.iter().find(|p| p.rung == rung.name && p.values == v);
                let cell = match p.and_then(|p| Some((p, p.seconds?))) {
                    Some((p, whole)) => {
                        let kernel = p.kernel_seconds.map_or("–".to_string(), |k| {
                            let rate = sum_bytes(p) / k;
                            format!(
                                "{:.2} GB/s ({:.0}% of the read bandwidth)",
                                rate / 1e9,
                                100.0 * rate / m.ceilings.read_bytes_per_s
                            )
                        });
                        format!("{kernel}; {:.2} end to end", sum_bytes(p) / whole / 1e9)
                    }
                    None => "not run".into(),
                };
                let _ = write!(md, " {cell} |");
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(
            md,
            "\nEight bytes of mantissa per value, over the kernels' own time, then over the whole \
             run (upload, kernels, download). Every rung's totals are the memory lesson's, bit \
             for bit."
        );
    });
    section(&mut md, "crossover-matmul", |md| {
        let host_rungs: Vec<&str> = lesson_gpu::bench::HOST_RUNGS
            .iter()
            .map(|rung| rung.name)
            .filter(|name| m.host_matmul.iter().any(|p| p.rung == *name))
            .collect();
        let _ = write!(md, "| n |");
        for rung in &host_rungs {
            let _ = write!(md, " processor: `{rung}`, f64 |");
        }
        let kernel: fn(&MatmulPoint) -> Option<f64> = |p| p.kernel_seconds;
        let whole: fn(&MatmulPoint) -> Option<f64> = |p| p.seconds;
        let gpu_columns = [
            (Precision::F64, "best kernel", kernel),
            (Precision::F64, "end to end", whole),
            (Precision::F32, "best kernel", kernel),
            (Precision::F32, "end to end", whole),
        ];
        let gpu_columns: Vec<_> = gpu_columns
            .into_iter()
            .filter(|(p, ..)| m.matmul.iter().any(|q| q.precision == *p))
            .collect();
        for (precision, what, _) in &gpu_columns {
            let _ = write!(md, " GPU {}, {what} |", precision.name());
        }
        let _ =
            writeln!(md, "\n| ---: |{}", " ---: |".repeat(host_rungs.len() + gpu_columns.len()));
        for n in dedup(m.matmul.iter().map(|p| p.n)) {
            let _ = write!(md, "| {n} |");
            for rung in &host_rungs {
                let cell = on_host(r, rung, n).map_or("not run".into(), |g| format!("{g:.1}"));
                let _ = write!(md, " {cell} |");
            }
            for &(precision, _, time) in &gpu_columns {
                let cell = fastest_on_gpu(r, precision, n, time)
                    .map_or("not run".into(), |(rung, g)| format!("{g:.1} (`{rung}`)"));
                let _ = write!(md, " {cell} |");
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(
            md,
            "\nGFLOP/s. The processor's rungs are the vectorize lesson's, on all {} cores, in the \
             same run; on the GPU, the fastest rung at each size, by its kernel's own time and by \
             the whole run (upload, kernel, download).",
            m.host.cores
        );
    });
    section(&mut md, "crossover-sum", |md| {
        let _ = writeln!(
            md,
            "| values | parsing the CSV, one core | adding on the processor, one core | the whole job, `parallel` on {} cores | best GPU kernel | the GPU, end to end |",
            m.host.cores
        );
        let _ = writeln!(md, "| ---: | ---: | ---: | ---: | ---: | ---: |");
        for h in &m.host_sums {
            let at: Vec<&SumPoint> = m.sums.iter().filter(|p| p.values == h.values).collect();
            let kernel = at.iter().filter_map(|p| p.kernel_seconds).min_by(f64::total_cmp);
            let whole = at.iter().filter_map(|p| p.seconds).min_by(f64::total_cmp);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                rounded(h.values as f64),
                seconds(h.parse_seconds),
                seconds(h.seconds),
                seconds(h.parallel_seconds),
                kernel.map_or("–".into(), seconds),
                whole.map_or("–".into(), seconds)
            );
        }
        let _ = writeln!(
            md,
            "\nThe median of {} runs. Parsing reads the rows from memory, and the memory lesson's \
             `parallel` rung from a file in the page cache, doing the whole job; the processor's \
             adding and the GPU's start from the parsed column.",
            m.repeats
        );
        let largest = m.host_sums.iter().max_by_key(|h| h.values);
        let gpu_whole = |values: usize| {
            m.sums
                .iter()
                .filter(|p| p.values == values)
                .filter_map(|p| p.seconds)
                .min_by(f64::total_cmp)
        };
        if let Some((h, whole)) = largest.and_then(|h| Some((h, gpu_whole(h.values)?))) {
            let ratio = h.parallel_seconds / whole;
            let _ = writeln!(
                md,
                "\nAt {} values, the processor's {} cores do the whole job, parsing included, in \
                 {:.2} times the time the GPU takes to receive and add values already parsed.",
                rounded(h.values as f64),
                m.host.cores,
                ratio
            );
        }
    });
    md
}

/// The kernels' GFLOP/s by size on a log scale, f32 solid and f64 dashed in each rung's colour,
/// under the device's FMA peaks: how far below its arithmetic every kernel runs.
fn matmul_plot(r: &Report) -> Result<String> {
    let m = &r.measured;
    let points: Vec<(&MatmulPoint, f64)> =
        m.matmul.iter().filter_map(|p| Some((p, kernel_gflops(p)?))).collect();
    let peaks: Vec<(Precision, f64)> =
        Precision::ALL.into_iter().filter_map(|p| Some((p, peak(r, p)?))).collect();
    let values = points.iter().map(|(_, g)| *g).chain(peaks.iter().map(|(_, g)| *g));
    let (bottom, top) = values.fold((f64::MAX, 0.0f64), |(lo, hi), g| (lo.min(g), hi.max(g)));
    let sides = dedup(m.matmul.iter().map(|p| p.n));
    let (low, high) = (
        *sides.first().context("no sizes")? as f64 / 1.5,
        *sides.last().context("no sizes")? as f64 * 1.5,
    );
    figure(860, 490, &r.machine, |area| {
        let caption = format!("Matrix multiply on {}: each kernel's GFLOP/s", m.device.name);
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", TITLE))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .build_cartesian_2d((low..high).log_scale(), (bottom / 2.0..top * 2.0).log_scale())?;
        mesh(&mut chart)
            .x_desc("n (n × n matrices)")
            .y_desc("GFLOP/s (log scale)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.1}"))
            .draw()?;
        for (precision, gflops) in &peaks {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(low, *gflops), (high, *gflops)],
                    6,
                    4,
                    GREY.stroke_width(1),
                ))?
                .label(format!("FMA peak, {}: {gflops:.1}", precision.name()))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY));
        }
        for (i, rung) in matmul::LADDER.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            for precision in Precision::ALL {
                let line: Vec<(f64, f64)> = points
                    .iter()
                    .filter(|(p, _)| p.rung == rung.name && p.precision == precision)
                    .map(|(p, g)| (p.n as f64, *g))
                    .collect();
                if line.is_empty() {
                    continue;
                }
                let label = format!("{} {}", rung.name, precision.name());
                match precision {
                    Precision::F32 => labelled_line(&mut chart, line, &label, color)?,
                    Precision::F64 => {
                        chart
                            .draw_series(DashedLineSeries::new(
                                line.clone(),
                                5,
                                3,
                                color.stroke_width(2),
                            ))?
                            .label(label)
                            .legend(move |(x, y)| {
                                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(1))
                            });
                        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 4, color)))?;
                    }
                }
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

/// The roofline of the GPU beside the processor's (log-log): the device's roofs in each
/// precision, the bus's roof (what an end-to-end run is held under), and the processor's, with
/// the fastest product of each kind and the fastest exact sum placed at their intensities: a
/// filled dot for the kernel alone, a ring of the same colour for the whole run.
fn roofline_plot(r: &Report) -> Result<String> {
    let m = &r.measured;
    let c = &m.ceilings;
    let device_read = c.read_bytes_per_s / 1e9;
    let bus = c.transfers.iter().map(|t| t.upload_bytes_per_s).fold(0.0, f64::max) / 1e9;
    let host_peak = m.host.fma_flops_per_s() / 1e9;
    let host_read = m.host.read_bytes_per_s / 1e9;
    // Points: a label, an intensity (operations per byte), a rate (G operations/s), a colour,
    // and whether it is a kernel's own time (filled) or the whole run's (a ring).
    let mut points: Vec<(String, f64, f64, RGBColor, bool)> = Vec::new();
    for (precision, color) in [(Precision::F32, PALETTE[0]), (Precision::F64, PALETTE[3])] {
        let timed = |p: &&MatmulPoint| p.precision == precision && p.kernel_seconds.is_some();
        let Some(n) = m.matmul.iter().filter(timed).map(|p| p.n).max() else { continue };
        let intensity = flops(n, n, n) / matmul_bytes(n, precision);
        let name = precision.name();
        if let Some((rung, g)) = fastest_on_gpu(r, precision, n, |p| p.kernel_seconds) {
            let label = format!("GPU {name}, `{rung}`, kernel (n = {n})");
            points.push((label, intensity, g, color, true));
        }
        if let Some((rung, g)) = fastest_on_gpu(r, precision, n, |p| p.seconds) {
            let label = format!("GPU {name}, `{rung}`, end to end (n = {n})");
            points.push((label, intensity, g, color, false));
        }
    }
    if let Some((rung, n, g)) = m
        .host_matmul
        .iter()
        .filter_map(|p| Some((p.rung.as_str(), p.n, on_host(r, &p.rung, p.n)?)))
        .max_by(|a, b| a.1.cmp(&b.1).then(a.2.total_cmp(&b.2)))
    {
        let intensity = flops(n, n, n) / matmul_bytes(n, Precision::F64);
        points.push((format!("processor f64, `{rung}` (n = {n})"), intensity, g, PALETTE[2], true));
    }
    let most = m.sums.iter().map(|p| p.values).max().context("no sums")?;
    let at_most = || m.sums.iter().filter(move |p| p.values == most);
    let sum_rate = |time: f64| most as f64 / time / 1e9;
    let values = rounded(most as f64);
    if let Some(k) = at_most().filter_map(|p| p.kernel_seconds).min_by(f64::total_cmp) {
        let label = format!("exact sum of {values} values, kernel (additions)");
        points.push((label, 1.0 / 8.0, sum_rate(k), PALETTE[1], true));
    }
    if let Some(w) = at_most().filter_map(|p| p.seconds).min_by(f64::total_cmp) {
        let label = format!("exact sum of {values} values, end to end (additions)");
        points.push((label, 1.0 / 8.0, sum_rate(w), PALETTE[1], false));
    }
    let f32_peak = peak(r, Precision::F32).context("no f32 peak")?;
    let top = f32_peak.max(host_peak);
    let widest = points.iter().map(|p| p.1).fold(1.0, f64::max);
    let lowest = points.iter().map(|p| p.2).fold(f64::INFINITY, f64::min).min(bus * 0.05);
    let (x_low, x_high) = (0.05, widest * 4.0);
    let key_rows = points.len().div_ceil(2) as u32;
    let height = 560 + 20 * key_rows + 30;
    figure(860, height - 20, &r.machine, |above| {
        let (area, key) = above.split_vertically(560);
        let caption = format!("The roofline of {} beside the processor's (log-log)", m.device.name);
        let x = x_low..x_high;
        let mut chart = roofline_chart(
            &area,
            &caption,
            (x.clone(), lowest / 2.0..top * 3.0),
            ("arithmetic intensity: operations per byte moved", "G operations/s"),
        )?;
        // (label, peak, bandwidth, colour, dashed)
        let mut roofs = vec![(
            format!("GPU f32: min({f32_peak:.0} GFLOP/s, {device_read:.0} GB/s × intensity)"),
            f32_peak,
            device_read,
            BLACK,
            false,
        )];
        if let Some(p) = peak(r, Precision::F64) {
            let label =
                format!("GPU f64, dashed: min({p:.0} GFLOP/s, {device_read:.0} GB/s × intensity)");
            roofs.push((label, p, device_read, BLACK, true));
        }
        roofs.push((
            format!("the bus: {bus:.1} GB/s × intensity (the fastest upload measured)"),
            f32_peak,
            bus,
            PALETTE[4],
            false,
        ));
        roofs.push((
            format!(
                "processor: min({host_peak:.0} GFLOP/s on {} cores, {host_read:.0} GB/s × intensity)",
                m.host.cores
            ),
            host_peak,
            host_read,
            GREY,
            false,
        ));
        for (label, peak, bandwidth, color, dashed) in roofs {
            let style = color.stroke_width(2);
            let series = roof(&x, peak, bandwidth);
            let drawn = if dashed {
                chart.draw_series(DashedLineSeries::new(series, 6, 4, style))?
            } else {
                chart.draw_series(LineSeries::new(series, style))?
            };
            drawn
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        let text = ("sans-serif", TEXT).into_font().color(&BLACK);
        for (i, (label, x, y, color, kernel)) in points.into_iter().enumerate() {
            let style = if kernel { color.filled() } else { color.stroke_width(2) };
            let (column, row) = ((i % 2) as i32, (i / 2) as i32);
            let at = (30 + 410 * column, 10 + 20 * row);
            chart.draw_series(std::iter::once(Circle::new((x, y), 6, style)))?;
            key.draw(&Circle::new(at, 5, style))?;
            key.draw(&Text::new(label, (at.0 + 12, at.1 - 7), text.clone()))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}

/// The closing table's rows: the matrix product and the exact sum on the device.
pub fn summary(r: &Report) -> Result<Vec<Row>> {
    let m = &r.measured;
    let device = if m.device.is_cpu() {
        format!("{} (the processor, not a GPU)", m.device.name)
    } else {
        m.device.name.clone()
    };
    // The largest size the naive kernel ran at, in f32: every faster rung ran there too.
    let baseline = matmul::LADDER.baseline().name;
    let largest = m
        .matmul
        .iter()
        .filter(|p| p.rung == baseline && p.precision == Precision::F32)
        .filter(|p| p.kernel_seconds.is_some())
        .map(|p| p.n)
        .max()
        .context("no timed naive f32 product")?;
    let at = |rung: &str| {
        m.matmul
            .iter()
            .find(|p| p.rung == rung && p.n == largest && p.precision == Precision::F32)
            .and_then(kernel_gflops)
    };
    let naive = at(baseline).context("no naive f32 point")?;
    let (best_rung, best) = matmul::LADDER
        .iter()
        .filter_map(|rung| Some((rung.name, at(rung.name)?)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .context("no f32 point")?;
    let one_rung = sum::LADDER.baseline().name;
    let most = m
        .sums
        .iter()
        .filter(|p| p.rung == one_rung && p.kernel_seconds.is_some())
        .map(|p| p.values)
        .max()
        .context("no timed one-invocation sum")?;
    let kernel = |rung: &str| {
        m.sums.iter().find(|p| p.rung == rung && p.values == most).and_then(|p| p.kernel_seconds)
    };
    let one = kernel(one_rung).context("no one-invocation point")?;
    let (best_sum, fastest) = sum::LADDER
        .iter()
        .filter_map(|rung| Some((rung.name, kernel(rung.name)?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .context("no sum point")?;
    Ok(vec![
        Row {
            bottleneck: "compute, on the GPU",
            job: format!("f32 matrix multiply, n = {largest}, on {device}"),
            before: format!("one invocation per element: {naive:.1} GFLOP/s"),
            after: format!("`{best_rung}`: {best:.1} GFLOP/s"),
            gain: format!("{:.1}×", best / naive),
        },
        Row {
            bottleneck: "memory bandwidth, on the GPU",
            job: format!("the exact sum of {} parsed values, on {device}", rounded(most as f64)),
            before: format!("one invocation: {}", seconds(one)),
            after: format!("`{best_sum}`: {}", seconds(fastest)),
            gain: format!("{:.1}×", one / fastest),
        },
    ])
}
