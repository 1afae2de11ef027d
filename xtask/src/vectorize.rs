//! The vectorize lesson's part of `cargo xtask bench`:
//!
//! 1. the machine's ceilings with `vectorize peak`: one core's fused multiply-add peak and memory
//!    bandwidth;
//! 2. criterion: every matrix-multiply rung at each size on one thread, the parallel rungs by
//!    thread count, and the elementwise operations in and out of cache;
//! 3. every rung's error against the reference product, from `vectorize --json`;
//! 4. the seed's pure-Python triple loop at n = 100, where Python is installed, for context;
//! 5. write `book/src/generated/vectorize.{json,md}` and two plots (the ladder, the roofline).

use std::fmt::Write as _;
use std::process::Command;

use anyhow::{Context, Result};
use lesson_vectorize::ladder::LADDER;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use workshop_benches::{INSTRUCTION_SIZE, MATRIX_SIZES_ENV, TARGET_SIZE, VECTOR_LENGTHS};

use crate::bench::{instruction_counts, run_criterion, timing};
use crate::machine::Machine;
use crate::plot::{dedup, figure, labelled_line, legend, seconds, section, write_figures};
use crate::shell::{blas_features, cargo, json_lines, output, probe, run, target_dir};

/// The sizes a full run measures, and a quick one.
const FULL_SIZES: &[usize] = &[100, 256, 512, 1024, 2048];
const QUICK_SIZES: &[usize] = &[64, 100];
/// The shape whose error every rung reports: sizes that are multiples of no block.
const ERROR_SHAPE: &str = "500x500x500";

/// Targets from the issue.
const BLAS_SHARE_TARGET: f64 = 0.65;
const HAND_VS_BLAS_TARGET: f64 = 0.60;
const RAYON_TARGET: f64 = 1.8;

/// `vectorize.json`.
#[derive(Debug, Serialize)]
pub struct VectorizeReport {
    machine: Machine,
    quick: bool,
    /// The widest instructions the kernels and the peak used.
    isa: String,
    /// One core's fused multiply-add peak, FLOP/s.
    peak_flops: f64,
    /// One core's memory bandwidth (best of a read and a read-write stream), bytes/s.
    read_bytes_per_s: f64,
    /// One core's bandwidth reading two arrays and writing one (`a·x + y`), bytes/s.
    update_bytes_per_s: f64,
    /// Whether the BLAS rung was built (OpenBLAS found).
    blas: bool,
    /// The size the targets are stated at.
    target_size: usize,
    matmul: Vec<MatmulPoint>,
    threads: Vec<ThreadPoint>,
    elementwise: Vec<ElementPoint>,
    errors: Vec<ErrorPoint>,
    /// The size of the instruction counts.
    instruction_size: usize,
    /// Instructions per floating-point operation (callgrind), where valgrind was there.
    instructions: Vec<InstructionPoint>,
    /// The seed's pure-Python loop, if Python was there.
    python: Option<PythonPoint>,
    /// The innermost loops of three rungs, as compiled.
    assembly: Vec<AsmLoop>,
}

/// One innermost loop in the binary.
#[derive(Debug, Serialize)]
struct AsmLoop {
    rung: String,
    instructions: Vec<String>,
}

/// One rung at one size, one thread.
#[derive(Debug, Serialize)]
struct MatmulPoint {
    strategy: String,
    n: usize,
    /// `None` when predicted to take too long.
    median_s: Option<f64>,
    gflops: Option<f64>,
}

/// A parallel rung at the target size.
#[derive(Debug, Serialize)]
struct ThreadPoint {
    strategy: String,
    n: usize,
    threads: usize,
    median_s: f64,
    gflops: f64,
    /// Its own one-thread time over this one.
    speedup: f64,
}

/// One elementwise operation.
#[derive(Debug, Serialize)]
struct ElementPoint {
    version: String,
    len: usize,
    median_s: f64,
    gflops: f64,
    /// Bytes read and written per second.
    bytes_per_s: f64,
}

/// A rung's relative error on [`ERROR_SHAPE`].
#[derive(Debug, Serialize, Deserialize)]
struct ErrorPoint {
    strategy: String,
    rel_error: f64,
    bound: f64,
}

/// Instructions per operation of one rung.
#[derive(Debug, Serialize)]
struct InstructionPoint {
    strategy: String,
    per_flop: f64,
}

/// The seed's loop in CPython.
#[derive(Debug, Serialize)]
struct PythonPoint {
    n: usize,
    seconds: f64,
    gflops: f64,
}

/// Operations and bytes per element of each elementwise version.
fn per_element(version: &str) -> (f64, f64) {
    if version.starts_with("axpy") {
        (2.0, 24.0) // a multiply and an add; read x and y, write y
    } else {
        (2.0, 8.0) // a multiply and an add; read x
    }
}

const ELEMENTWISE: [&str; 6] = [
    "axpy-indexed",
    "axpy-zip",
    "axpy-ndarray",
    "sum-squares-iter",
    "sum-squares-lanes",
    "sum-squares-ndarray",
];

fn vectorize_binary() -> Result<std::path::PathBuf> {
    run(cargo()
        .args(["build", "--release", "--quiet", "--package", "lesson-vectorize"])
        .args(["--bin", "vectorize"])
        .args(blas_features()))?;
    Ok(target_dir()?.join("release/vectorize"))
}

/// The seed's triple loop in pure Python at `n`, best of three, if `python3` runs.
fn python(n: usize) -> Option<PythonPoint> {
    const SCRIPT: &str = r#"
import random, sys, time
n = int(sys.argv[1])
A = [[random.random() for _ in range(n)] for _ in range(n)]
B = [[random.random() for _ in range(n)] for _ in range(n)]
best = float("inf")
for _ in range(3):
    C = [[0.0] * n for _ in range(n)]
    start = time.perf_counter()
    for i in range(n):
        for j in range(n):
            for k in range(n):
                C[i][j] += A[i][k] * B[k][j]
    best = min(best, time.perf_counter() - start)
print(best)
"#;
    let seconds: f64 = probe("python3", &["-c", SCRIPT, &n.to_string()])?.parse().ok()?;
    Some(PythonPoint { n, seconds, gflops: lesson_vectorize::flops(n, n, n) / seconds / 1e9 })
}

/// The functions whose innermost loops the chapter shows, with what each shows.
const LOOPS: [(&str, &str); 3] = [
    ("lesson_vectorize::ladder::flat", "flat"),
    ("lesson_vectorize::ladder::transposed", "transposed"),
    ("lesson_vectorize::blocked::band_avx512", "blocked, AVX-512 kernel"),
];

/// The innermost loops of [`LOOPS`] in the built binary, from `objdump`: for each function,
/// the loop (a backward jump) most densely packed with instructions on doubles, and its
/// instructions; or why there are none (objdump is missing).
fn assembly(binary: &std::path::Path) -> Result<Result<Vec<AsmLoop>, String>> {
    let Ok(out) = Command::new("objdump")
        .args(["-d", "--no-show-raw-insn", "-C"])
        .arg(binary)
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return Ok(Err("objdump is not installed (binutils): no assembly excerpts".into()));
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut loops = Vec::new();
    for (symbol, title) in LOOPS {
        let header = format!("<{symbol}>:");
        let Some(body) = text
            .split("\n\n")
            .find(|block| block.lines().next().is_some_and(|l| l.ends_with(&header)))
        else {
            continue; // inlined away or not built for this processor
        };
        // (address, instruction) for every line of the function.
        let lines: Vec<(u64, String)> = body
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (address, rest) = l.trim().split_once(':')?;
                Some((
                    u64::from_str_radix(address, 16).ok()?,
                    rest.split_whitespace().collect::<Vec<_>>().join(" "),
                ))
            })
            .collect();
        let doubles = |i: &String| {
            i.split(' ').next().is_some_and(|m| m.ends_with("pd") || m.ends_with("sd"))
        };
        let best = lines
            .iter()
            .enumerate()
            .filter_map(|(end, (address, instruction))| {
                let target = instruction.strip_prefix('j')?.split(' ').nth(1)?;
                let target = u64::from_str_radix(target, 16).ok()?;
                (target < *address).then_some(())?;
                let start = lines.iter().position(|(a, _)| *a == target)?;
                let count = lines[start..=end].iter().filter(|(_, i)| doubles(i)).count();
                Some((count, start, end))
            })
            .filter(|(count, ..)| *count >= 2)
            // The innermost loop: the one most densely packed with arithmetic on doubles.
            .max_by_key(|(count, start, end)| (count * 1000 / (end - start + 1), *count));
        if let Some((_, start, end)) = best {
            let instructions = lines[start..=end]
                .iter()
                .map(|(_, i)| i.split(" <").next().unwrap_or(i).to_string())
                .collect();
            loops.push(AsmLoop { rung: title.to_string(), instructions });
        }
    }
    Ok(Ok(loops))
}

/// Runs the vectorize benchmarks and writes the book's figures.
pub fn bench(quick: bool, timing_flags: &[&str], count_instructions: bool) -> Result<()> {
    let sizes = if quick { QUICK_SIZES } else { FULL_SIZES };
    let binary = vectorize_binary()?;
    let blas = !blas_features().is_empty();

    eprintln!("measuring this core's FMA peak and read bandwidth");
    let peak: serde_json::Value =
        serde_json::from_str(output(Command::new(&binary).args(["peak", "--json"]))?.trim())?;
    let number = |k: &str| peak[k].as_f64().with_context(|| format!("no {k} in {peak}"));
    let (peak_flops, read_bytes_per_s, update_bytes_per_s) =
        (number("fma_flops_per_s")?, number("read_bytes_per_s")?, number("update_bytes_per_s")?);
    let isa = peak["isa"].as_str().unwrap_or("unknown").to_string();

    eprintln!("every rung's error on a {ERROR_SHAPE} product");
    let errors: Vec<ErrorPoint> =
        json_lines(Command::new(&binary).args(["--json", "--shape", ERROR_SHAPE]))?;

    eprintln!("timing the vectorize ladder with criterion");
    let list: Vec<String> = sizes.iter().map(ToString::to_string).collect();
    let list = list.join(",");
    // The quick run skips anything predicted over 0.3 s per run; the full one over 1.5 s.
    let longest = std::ffi::OsStr::new(if quick { "0.3" } else { "1.5" });
    let results = run_criterion(
        "vectorize",
        &["vectorize-matmul", "vectorize-threads", "vectorize-elementwise"],
        timing_flags,
        &[(MATRIX_SIZES_ENV, list.as_ref()), ("WORKSHOP_LONGEST_RUN", longest)],
    )?;

    let mut matmul = Vec::new();
    for s in LADDER.iter().filter(|s| s.name != "blas" || blas) {
        for &n in sizes {
            let dir = results.join("vectorize-matmul").join(s.name).join(n.to_string());
            let median_s = dir.exists().then(|| timing(&dir)).transpose()?.map(|t| t.median);
            let gflops = median_s.map(|t| lesson_vectorize::flops(n, n, n) / t / 1e9);
            matmul.push(MatmulPoint { strategy: s.name.into(), n, median_s, gflops });
        }
    }
    let target_size =
        sizes.iter().copied().filter(|&n| n <= TARGET_SIZE).max().unwrap_or(TARGET_SIZE);
    let mut threads = Vec::new();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    for s in LADDER.iter().filter(|s| s.parallel && (s.name != "blas" || blas)) {
        let mut counts = vec![1, cores, 2 * cores];
        counts.dedup();
        let time = |t: usize| -> Result<f64> {
            Ok(timing(&results.join("vectorize-threads").join(s.name).join(t.to_string()))?.median)
        };
        let one = time(1)?;
        for t in counts {
            let median_s = time(t)?;
            threads.push(ThreadPoint {
                strategy: s.name.into(),
                n: target_size,
                threads: t,
                median_s,
                gflops: lesson_vectorize::flops(target_size, target_size, target_size)
                    / median_s
                    / 1e9,
                speedup: one / median_s,
            });
        }
    }
    let mut elementwise = Vec::new();
    for &len in VECTOR_LENGTHS {
        for version in ELEMENTWISE {
            let median_s =
                timing(&results.join("vectorize-elementwise").join(version).join(len.to_string()))?
                    .median;
            let (ops, bytes) = per_element(version);
            elementwise.push(ElementPoint {
                version: version.into(),
                len,
                median_s,
                gflops: ops * len as f64 / median_s / 1e9,
                bytes_per_s: bytes * len as f64 / median_s,
            });
        }
    }
    let instructions = if count_instructions {
        match instruction_counts("vectorize_instructions")? {
            Ok(counts) => {
                let flops =
                    lesson_vectorize::flops(INSTRUCTION_SIZE, INSTRUCTION_SIZE, INSTRUCTION_SIZE);
                counts
                    .into_iter()
                    .map(|(strategy, ir)| InstructionPoint {
                        strategy,
                        per_flop: ir as f64 / flops,
                    })
                    .collect()
            }
            Err(why) => {
                eprintln!("{why}");
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    eprintln!("timing the seed's pure-Python loop at n = 100");
    let report = VectorizeReport {
        machine: Machine::current(),
        quick,
        isa,
        peak_flops,
        read_bytes_per_s,
        update_bytes_per_s,
        blas,
        target_size,
        matmul,
        threads,
        elementwise,
        errors,
        instruction_size: INSTRUCTION_SIZE,
        instructions,
        python: python(100),
        assembly: match assembly(&binary)? {
            Ok(loops) => loops,
            Err(why) => {
                eprintln!("{why}");
                Vec::new()
            }
        },
    };
    write(&report)?;
    summary(&report);
    Ok(())
}

fn write(r: &VectorizeReport) -> Result<()> {
    let plots =
        [("vectorize-ladder.svg", ladder_plot(r)?), ("vectorize-roofline.svg", roofline_plot(r)?)];
    write_figures("vectorize", r, &markdown(r), &plots)
}

fn point<'a>(r: &'a VectorizeReport, strategy: &str, n: usize) -> Option<&'a MatmulPoint> {
    r.matmul.iter().find(|p| p.strategy == strategy && p.n == n)
}

fn markdown(r: &VectorizeReport) -> String {
    let mut md = String::from("<!-- Written by `cargo xtask bench`; do not edit. -->\n\n");
    let sizes: Vec<usize> = dedup(r.matmul.iter().map(|p| p.n));
    section(&mut md, "machine", |md| {
        let quick = if r.quick { " --quick" } else { "" };
        let _ =
            writeln!(md, "*Measured by `cargo xtask bench{quick}` on {}.*", r.machine.caption());
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
        if r.quick {
            let _ = writeln!(
                md,
                "\n**This is a quick run on tiny matrices: its figures only show that the pipeline works.**"
            );
        }
    });
    section(&mut md, "ladder", |md| {
        let _ = write!(md, "| rung |");
        for n in &sizes {
            let _ = write!(md, " n = {n} |");
        }
        let _ = writeln!(md, "\n| --- |{}", " ---: |".repeat(sizes.len()));
        for s in dedup(r.matmul.iter().map(|p| p.strategy.as_str())) {
            let _ = write!(md, "| `{s}` |");
            for &n in &sizes {
                let cell = match (point(r, s, n), point(r, "naive", n).and_then(|p| p.median_s)) {
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
            seconds(if r.quick { 0.3 } else { 1.5 })
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
        let _ = writeln!(
            md,
            "| rung at n = {n} | GFLOP/s | share of the peak | error on {ERROR_SHAPE} | bound |"
        );
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        for p in r.matmul.iter().filter(|p| p.n == n) {
            let error = r.errors.iter().find(|e| e.strategy == p.strategy);
            let (e, b) = error.map_or(("–".into(), "–".into()), |e| {
                (format!("{:.1e}", e.rel_error), format!("{:.1e}", e.bound))
            });
            let (g, share) = p.gflops.map_or(("not run".into(), "".into()), |g| {
                (format!("{g:.2}"), format!("{:.0}%", 100.0 * g * 1e9 / r.peak_flops))
            });
            let _ = writeln!(md, "| `{}` | {g} | {share} | {e} | {b} |", p.strategy);
        }
        let _ = writeln!(
            md,
            "\nThe error is ‖c − reference‖ / (‖a‖ ‖b‖) against a product computed in twice the \
             working precision; the bound is γ_k = k u / (1 − k u) for k = 500 and u = 2⁻⁵³."
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
        for s in LADDER {
            if let Some(p) = r.instructions.iter().find(|p| p.strategy == s.name) {
                let _ = writeln!(md, "| `{}` | {:.3} |", p.strategy, p.per_flop);
            }
        }
        let _ = writeln!(
            md,
            "\nCounted by callgrind for one {n}×{n} product ({:.1} million operations). valgrind's \
             virtual processor has no AVX-512, so `blocked` runs its AVX2 kernel here.",
            lesson_vectorize::flops(n, n, n) / 1e6
        );
    });
    for a in &r.assembly {
        let anchor = format!("asm-{}", a.rung.split([',', ' ']).next().unwrap_or("loop"));
        section(&mut md, &anchor, |md| {
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
                p.strategy, p.n, p.threads, p.gflops, p.speedup
            );
        }
    });
    section(&mut md, "elementwise", |md| {
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
            VECTOR_LENGTHS[0],
            VECTOR_LENGTHS[0] * 8 / 1024,
            VECTOR_LENGTHS[1],
            (VECTOR_LENGTHS[1] * 8) >> 20
        );
    });
    section(&mut md, "targets", |md| {
        let mark = |ok: bool| if ok { "✅ met" } else { "❌ missed" };
        let n = r.target_size;
        let _ = writeln!(md, "| target | measured | |");
        let _ = writeln!(md, "| --- | --- | --- |");
        match point(r, "blas", n).and_then(|p| p.gflops).map(|g| (n, g)) {
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
        let hand = ["flat", "transposed", "blocked"]
            .iter()
            .filter_map(|s| point(r, s, n).and_then(|p| p.gflops).map(|g| (*s, g)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some((name, g)), Some(blas)) = (hand, point(r, "blas", n).and_then(|p| p.gflops)) {
            let _ = writeln!(
                md,
                "| best hand-written rung ≥ {:.0}% of BLAS at n = {n}, one thread | `{name}` {g:.1} against {blas:.1} GFLOP/s: {:.0}% | {} |",
                100.0 * HAND_VS_BLAS_TARGET,
                100.0 * g / blas,
                mark(g / blas >= HAND_VS_BLAS_TARGET)
            );
        }
        if let Some(p) =
            r.threads.iter().find(|p| p.strategy == "blocked-rayon" && p.threads == r.machine.cores)
        {
            let _ = writeln!(
                md,
                "| `blocked-rayon` ≥ {RAYON_TARGET}× one thread on {} cores, n = {n} | {:.2}× | {} |",
                r.machine.cores,
                p.speedup,
                mark(p.speedup >= RAYON_TARGET)
            );
        }
    });
    md
}

const PALETTE: [RGBColor; 7] = [
    RGBColor(214, 39, 40),
    RGBColor(255, 127, 14),
    RGBColor(188, 189, 34),
    RGBColor(44, 160, 44),
    RGBColor(23, 190, 207),
    RGBColor(31, 119, 180),
    RGBColor(148, 103, 189),
];
const GREY: RGBColor = RGBColor(120, 120, 120);

/// GFLOP/s against n, one line per rung, under the peak.
fn ladder_plot(r: &VectorizeReport) -> Result<String> {
    let sizes: Vec<usize> = dedup(r.matmul.iter().map(|p| p.n));
    let (low, high) = (*sizes.first().unwrap_or(&1) as f64, *sizes.last().unwrap_or(&2) as f64);
    let slowest = r.matmul.iter().filter_map(|p| p.gflops).fold(f64::INFINITY, f64::min);
    let peak = r.peak_flops / 1e9;
    figure((860, 540), 510, &r.machine, |area| {
        let mut chart = ChartBuilder::on(area)
            .caption(
                "Matrix multiply, one thread: GFLOP/s against size (log-log)",
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(
                (low / 1.2..high * 1.2).log_scale(),
                (slowest.min(peak) / 2.0..peak * 2.0).log_scale(),
            )?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .x_desc("n (n×n matrices)")
            .y_desc("GFLOP/s")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| if *y >= 1.0 { format!("{y:.0}") } else { format!("{y:.2}") })
            .draw()?;
        chart
            .draw_series(DashedLineSeries::new(
                [(low / 1.2, peak), (high * 1.2, peak)],
                6,
                4,
                GREY.stroke_width(2),
            ))?
            .label(format!("FMA peak of one core, {peak:.0} GFLOP/s"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY.stroke_width(2)));
        for (i, s) in dedup(r.matmul.iter().map(|p| p.strategy.as_str())).into_iter().enumerate() {
            let points: Vec<(f64, f64)> = r
                .matmul
                .iter()
                .filter(|p| p.strategy == s)
                .filter_map(|p| Some((p.n as f64, p.gflops?)))
                .collect();
            labelled_line(&mut chart, points, s, PALETTE[i % PALETTE.len()])?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    })
}

/// The roofline: GFLOP/s against operations per byte, under `min(peak, intensity × bandwidth)`
/// for both kinds of memory stream. Each matrix rung is drawn at the largest size it ran at.
fn roofline_plot(r: &VectorizeReport) -> Result<String> {
    let peak = r.peak_flops / 1e9;
    // Matrix multiply moves at least its three matrices: 2n³ operations over 24 n² bytes.
    let intensity = |n: usize| n as f64 / 12.0;
    let mut points: Vec<(String, f64, f64)> = Vec::new();
    for s in dedup(r.matmul.iter().map(|p| p.strategy.as_str())) {
        let largest = r
            .matmul
            .iter()
            .filter(|p| p.strategy == s)
            .filter_map(|p| Some((p.n, p.gflops?)))
            .max_by_key(|(n, _)| *n);
        if let Some((n, g)) = largest {
            points.push((format!("{s} (n = {n})"), intensity(n), g));
        }
    }
    let widest = r.matmul.iter().map(|p| p.n).max().unwrap_or(TARGET_SIZE);
    let long = VECTOR_LENGTHS[1];
    for p in r.elementwise.iter().filter(|p| p.len == long) {
        let (ops, bytes) = per_element(&p.version);
        points.push((format!("{} (long)", p.version), ops / bytes, p.gflops));
    }
    let lowest = points.iter().map(|p| p.2).fold(f64::INFINITY, f64::min).min(0.5);
    let (x_low, x_high) = (0.01, intensity(widest) * 4.0);
    // The points' key goes in three columns under the chart, where it hides nothing.
    let key_rows = points.len().div_ceil(3) as u32;
    let height = 560 + 20 * key_rows + 30;
    figure((860, height), height - 20, &r.machine, |above| {
        let (area, key) = above.split_vertically(560);
        let mut chart = ChartBuilder::on(&area)
            .caption("The roofline of one core (log-log)", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(
                (x_low..x_high).log_scale(),
                (lowest / 2.0..peak * 3.0).log_scale(),
            )?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .x_desc("arithmetic intensity: floating-point operations per byte moved")
            .y_desc("GFLOP/s")
            .x_label_formatter(&|x| if *x >= 1.0 { format!("{x:.0}") } else { format!("{x:.2}") })
            .y_label_formatter(&|y| if *y >= 1.0 { format!("{y:.0}") } else { format!("{y:.2}") })
            .draw()?;
        let roof = |bandwidth: f64| -> Vec<(f64, f64)> {
            (0..=200)
                .map(|i| x_low * (x_high / x_low).powf(i as f64 / 200.0))
                .map(|x| (x, peak.min(bandwidth * x)))
                .collect()
        };
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
        let text = ("sans-serif", 13).into_font().color(&BLACK);
        for (i, (label, x, y)) in points.into_iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let (column, row) = ((i % 3) as i32, (i / 3) as i32);
            let at = (30 + 275 * column, 10 + 20 * row);
            if label.contains("(long)") {
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
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}

fn summary(r: &VectorizeReport) {
    println!(
        "\nvectorize lesson: one core peaks at {:.1} GFLOP/s ({}); memory {:.1} GB/s reading, {:.1} GB/s reading and writing",
        r.peak_flops / 1e9,
        r.isa,
        r.read_bytes_per_s / 1e9,
        r.update_bytes_per_s / 1e9
    );
    for p in r.matmul.iter().filter(|p| p.n == r.target_size) {
        match p.gflops {
            Some(g) => println!("  n = {:<5} {:<14} {g:>7.2} GFLOP/s", p.n, p.strategy),
            None => println!("  n = {:<5} {:<14} not run", p.n, p.strategy),
        }
    }
    for p in r.threads.iter().filter(|p| p.threads == r.machine.cores) {
        println!("  {} on {} threads: {:.2}× one thread", p.strategy, p.threads, p.speedup);
    }
    println!(
        "figures written to book/src/generated/: vectorize.json, vectorize.md, vectorize-ladder.svg, vectorize-roofline.svg"
    );
}
