//! `cargo xtask bench`: measure every rung and write the book's figures.
//!
//! 1. make the datasets that are missing;
//! 2. run the `memory` binary once per rung at three file sizes: peak heap and the exact
//!    total, which must equal the manifest's;
//! 3. criterion: wall time of every rung on the main file, median and spread of ten runs;
//! 4. gungraun (callgrind): instructions per row on a small file, where valgrind is present;
//! 5. pandas, if installed, timed on the same file in the same run, for comparison;
//! 6. write `book/src/generated/memory.{json,md}` and the plots, and print a summary;
//! 7. then the other lessons' measurements (`crate::compute`, `crate::io`, `crate::vectorize`);
//! 8. last, the closing chapter's table from every lesson's report (`crate::summary`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use lesson_memory::LADDER;
use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec, rows_label};
use serde::{Deserialize, Serialize};
use workshop_benches::{DATA_ENV, INSTRUCTION_ROWS};

use crate::data;
use crate::machine::Machine;
use crate::plot;
use crate::shell::{
    CargoTool, blas_features, cargo, json_lines, output, probe, root, run, target_dir,
};

/// Options of `cargo xtask bench`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Tiny data and short measurements: the whole pipeline in a minute or two (CI uses it).
    #[arg(long)]
    quick: bool,
    /// Skip the instruction counts even where valgrind is installed.
    #[arg(long)]
    no_instructions: bool,
    /// Measure only these lessons [default: all of them].
    #[arg(long, value_enum, value_delimiter = ',')]
    lesson: Vec<Lesson>,
}

/// A lesson whose figures `cargo xtask bench` makes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum Lesson {
    /// Chunk and stream: `memory.{json,md}`.
    Memory,
    /// Parallelize: `compute.{json,md}`.
    Compute,
    /// Read in parallel: `io.{json,md}`.
    Io,
    /// Vectorize: `vectorize.{json,md}`.
    Vectorize,
}

/// What one run measures.
struct Plan {
    /// Rows of the file criterion and pandas read.
    main_rows: u64,
    /// Rows of the files whose peak heap is measured: three sizes, ten times apart.
    heap_rows: [u64; 3],
    /// Criterion's timing flags.
    criterion: &'static [&'static str],
}

const FULL: Plan = Plan {
    main_rows: 10_000_000,
    heap_rows: [1_000_000, 10_000_000, 100_000_000],
    criterion: &["--warm-up-time", "1", "--measurement-time", "5"],
};

const QUICK: Plan = Plan {
    main_rows: 100_000,
    heap_rows: [10_000, 100_000, 1_000_000],
    criterion: &["--warm-up-time", "0.1", "--measurement-time", "0.3"],
};

/// The gungraun runner must match the library's version exactly.
const GUNGRAUN_RUNNER: CargoTool = CargoTool {
    krate: "gungraun-runner",
    version: "=0.20.0",
    binary: "gungraun-runner",
    accept: |v| v.ends_with(" 0.20.0"),
};

/// Everything the lesson's figures are made from: `memory.json`.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Where and when it was measured.
    pub machine: Machine,
    /// True for a `--quick` run (tiny data: do not compare with full runs).
    pub quick: bool,
    /// The main file.
    pub dataset: Dataset,
    /// One entry per rung, in ladder order.
    pub rungs: Vec<Rung>,
    /// The `mmap` rung's time in stages.
    pub anatomy: Vec<Stage>,
    /// pandas on the same file, if it was installed.
    pub pandas: Vec<Reference>,
    /// Naive float sums in several orders (the drift lesson).
    pub drift: Vec<DriftRow>,
    /// Peak heap of every rung at three file sizes.
    pub heap: Vec<HeapPoint>,
    /// Why a part was skipped, if one was.
    pub notes: Vec<String>,
}

/// The file measured.
#[derive(Debug, Serialize)]
pub struct Dataset {
    /// Its path, relative to the workspace.
    pub path: String,
    /// Data rows.
    pub rows: u64,
    /// Bytes.
    pub bytes: u64,
    /// The exact total every rung returned.
    pub exact_total: String,
    /// That total rounded once.
    pub total: f64,
}

/// One rung's figures.
#[derive(Debug, Serialize)]
pub struct Rung {
    /// Its name.
    pub name: String,
    /// What it changes.
    pub summary: String,
    /// Median wall time in seconds (criterion, ten runs).
    pub median_s: f64,
    /// The fastest of those runs.
    pub min_s: f64,
    /// Slowest run.
    pub max_s: f64,
    /// Bytes per second at the median.
    pub bytes_per_s: f64,
    /// Baseline's median divided by this one's.
    pub speedup: f64,
    /// Peak heap on the main file.
    pub peak_heap_bytes: u64,
    /// Instructions per row (callgrind), if measured.
    pub instructions_per_row: Option<f64>,
    /// True when memory does not grow with the file.
    pub streaming: bool,
}

/// One stage of the `mmap` rung (see `lesson_memory::anatomy`).
#[derive(Debug, Serialize)]
pub struct Stage {
    /// Its name.
    pub name: String,
    /// What it does beyond the stage before.
    pub adds: String,
    /// Median wall time in seconds.
    pub median_s: f64,
}

/// A tool a Python user would pick, timed on the same file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reference {
    /// What was run.
    pub name: String,
    /// Wall time in seconds (best of three).
    pub seconds: f64,
    /// Peak resident memory of the Python process, bytes.
    pub peak_rss_bytes: u64,
    /// The sum it printed.
    pub total: f64,
}

/// One naive float sum.
#[derive(Debug, Serialize)]
pub struct DriftRow {
    /// The order of the additions.
    pub order: String,
    /// The sum.
    pub total: f64,
    /// Distance from the exact total, in units in the last place.
    pub ulps: i64,
}

/// Peak heap of one rung on one file size.
#[derive(Debug, Serialize)]
pub struct HeapPoint {
    /// The rung.
    pub rung: String,
    /// Rows in the file.
    pub rows: u64,
    /// Bytes in the file.
    pub file_bytes: u64,
    /// Peak heap.
    pub peak_heap_bytes: u64,
}

/// One line of `memory --json`.
#[derive(Deserialize)]
struct CliLine {
    strategy: Option<String>,
    rows: Option<u64>,
    exact: Option<String>,
    peak_heap_bytes: Option<u64>,
    drift: Option<serde_json::Value>,
}

/// Runs the whole pipeline, or the lessons asked for.
pub fn run_bench(args: &Args) -> Result<()> {
    let plan = if args.quick { QUICK } else { FULL };
    let chosen = |lesson| args.lesson.is_empty() || args.lesson.contains(&lesson);
    if chosen(Lesson::Memory) {
        memory(args, &plan)?;
    }
    if chosen(Lesson::Compute) {
        crate::compute::bench(args.quick, plan.criterion)?;
    }
    if chosen(Lesson::Io) {
        crate::io::bench(args.quick, plan.criterion)?;
    }
    if chosen(Lesson::Vectorize) {
        crate::vectorize::bench(args.quick, plan.criterion, !args.no_instructions)?;
    }
    crate::summary::write()
}

/// The memory lesson's measurements.
fn memory(args: &Args, plan: &Plan) -> Result<()> {
    ensure!(
        plan.heap_rows.contains(&plan.main_rows),
        "the main file must be one of the heap sizes"
    );
    let mut notes = Vec::new();
    let spec = |rows| Spec { rows, seed: DEFAULT_SEED, shards: 1 };
    let main = data::ensure(&spec(plan.main_rows))?;
    let heap_sets: Vec<(PathBuf, Manifest)> =
        plan.heap_rows.iter().map(|&r| data::ensure(&spec(r))).collect::<Result<_>>()?;

    run(cargo().args([
        "build",
        "--release",
        "--quiet",
        "--package",
        "lesson-memory",
        "--bin",
        "memory",
    ]))?;
    let target = target_dir()?;
    let memory_bin = target.join("release/memory");

    eprintln!("measuring peak heap at {} sizes", heap_sets.len());
    let mut heap = Vec::new();
    for (dir, manifest) in &heap_sets {
        let file = data_file(dir, manifest);
        for line in run_cli(&memory_bin, &file, &[])? {
            let (Some(rung), Some(peak)) = (line.strategy, line.peak_heap_bytes) else { continue };
            ensure!(
                line.exact.as_deref() == Some(manifest.expected.overall.exact.as_str())
                    && line.rows == Some(manifest.rows),
                "{rung} gave a total that differs from the manifest's on {}",
                file.display()
            );
            heap.push(HeapPoint {
                rung,
                rows: manifest.rows,
                file_bytes: manifest.bytes,
                peak_heap_bytes: peak,
            });
        }
    }

    let (main_dir, main_manifest) = &main;
    let main_file = data_file(main_dir, main_manifest);
    // Every rung already ran on the main file above (it is one of the heap sizes): one rung
    // is enough to get the drift line.
    let drift = drift_rows(&run_cli(&memory_bin, &main_file, &["--strategy", "mmap", "--drift"])?)?;
    let main_heap: BTreeMap<String, u64> = heap
        .iter()
        .filter(|h| h.rows == main_manifest.rows)
        .map(|h| (h.rung.clone(), h.peak_heap_bytes))
        .collect();

    eprintln!("timing every rung with criterion on {}", main_file.display());
    let (times, stage_times) = criterion(&main_file, plan.criterion)?;

    let instructions = if args.no_instructions {
        notes.push("instruction counts skipped (--no-instructions)".to_string());
        BTreeMap::new()
    } else {
        match instruction_counts("memory_instructions")? {
            Ok(counts) => counts,
            Err(why) => {
                eprintln!("{why}");
                notes.push(why);
                BTreeMap::new()
            }
        }
    };

    let pandas = match pandas(&main_file) {
        Ok(found) => found,
        Err(why) => {
            eprintln!("{why}");
            notes.push(why);
            Vec::new()
        }
    };

    let baseline = times.get(LADDER[0].name).map_or(f64::NAN, |t| t.median);
    let bytes = main_manifest.bytes as f64;
    let rungs = LADDER
        .iter()
        .map(|s| {
            let t = times
                .get(s.name)
                .with_context(|| format!("criterion did not measure {}", s.name))?;
            Ok(Rung {
                name: s.name.into(),
                summary: s.summary.into(),
                median_s: t.median,
                min_s: t.min,
                max_s: t.max,
                bytes_per_s: bytes / t.median,
                speedup: baseline / t.median,
                peak_heap_bytes: main_heap.get(s.name).copied().unwrap_or(0),
                instructions_per_row: instructions
                    .get(s.name)
                    .map(|ir| *ir as f64 / INSTRUCTION_ROWS as f64),
                streaming: s.streaming,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut anatomy: Vec<Stage> = STAGES
        .iter()
        .map(|(name, adds)| Stage {
            name: (*name).into(),
            adds: (*adds).into(),
            median_s: stage_times[*name].median,
        })
        .collect();
    let mmap = times.get("mmap").context("no mmap rung timing")?;
    anatomy.push(Stage {
        name: "mmap rung".into(),
        adds: "also add each value to the exact per-user sums".into(),
        median_s: mmap.median,
    });
    // Each stage does all the work of the one before: a stage much faster than its
    // predecessor measured something else (noise does not halve a time of a second or so;
    // on the quick run's sub-millisecond times it might, so there it is only a note).
    for pair in anatomy.windows(2) {
        if pair[1].median_s <= pair[0].median_s * 0.5 {
            let problem = format!(
                "stage `{}` took {:.2} ms, under half of `{}` ({:.2} ms), which it includes",
                pair[1].name,
                pair[1].median_s * 1e3,
                pair[0].name,
                pair[0].median_s * 1e3
            );
            ensure!(args.quick, "{problem}: a measurement bug");
            notes.push(format!("{problem} (timer noise on tiny data)"));
        }
    }

    let report = Report {
        machine: Machine::current(),
        quick: args.quick,
        dataset: Dataset {
            path: main_file.strip_prefix(root()).unwrap_or(&main_file).display().to_string(),
            rows: main_manifest.rows,
            bytes: main_manifest.bytes,
            exact_total: main_manifest.expected.overall.exact.clone(),
            total: main_manifest.expected.overall.total.0,
        },
        rungs,
        anatomy,
        pandas,
        drift,
        heap,
        notes,
    };
    write_outputs(&report)?;
    print_summary(&report);
    Ok(())
}

fn data_file(dir: &Path, manifest: &Manifest) -> PathBuf {
    dir.join(&manifest.files[0].name)
}

fn run_cli(binary: &Path, file: &Path, extra: &[&str]) -> Result<Vec<CliLine>> {
    json_lines(Command::new(binary).arg("--json").args(extra).arg(file))
}

fn drift_rows(lines: &[CliLine]) -> Result<Vec<DriftRow>> {
    let drift =
        lines.iter().find_map(|l| l.drift.clone()).context("the binary printed no drift line")?;
    let get = |k: &str| {
        drift
            .get(k)
            .and_then(serde_json::Value::as_f64)
            .with_context(|| format!("drift has no {k}"))
    };
    let exact = get("exact")?;
    let orders = [
        ("file order (a Python loop)", "file_order"),
        ("chunks of 100 000 rows, each summed by a loop", "chunks_of_100k"),
        ("even and odd rows apart (two threads)", "two_threads"),
        ("reversed", "reversed"),
        ("exact, rounded once (every rung)", "exact"),
    ];
    orders
        .iter()
        .map(|(order, key)| {
            let total = get(key)?;
            let ulps = (total.to_bits() as i64).wrapping_sub(exact.to_bits() as i64);
            Ok(DriftRow { order: (*order).into(), total, ulps })
        })
        .collect()
}

/// Median, fastest and slowest time per run, in seconds.
pub(crate) struct Timing {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// The stages of the `mmap` rung that the `memory-anatomy` group times, and what each adds.
const STAGES: [(&str, &str); 3] = [
    ("touch-pages", "map the file and bring every page into memory"),
    ("find-lines", "also look at every byte for line ends (memchr)"),
    ("parse", "also parse every row's user and value, adding nothing up"),
];

/// Runs the criterion benchmarks; returns each rung's and each stage's timing.
fn criterion(
    file: &Path,
    timing_flags: &[&str],
) -> Result<(BTreeMap<String, Timing>, BTreeMap<String, Timing>)> {
    let results = run_criterion(
        "memory",
        &["memory", "memory-anatomy"],
        timing_flags,
        &[(DATA_ENV, file.as_os_str())],
    )?;
    let rungs = LADDER
        .iter()
        .map(|s| Ok((s.name.to_string(), timing(&results.join("memory").join(s.name))?)))
        .collect::<Result<_>>()?;
    let stages = STAGES
        .iter()
        .map(|(name, _)| {
            Ok((name.to_string(), timing(&results.join("memory-anatomy").join(name))?))
        })
        .collect::<Result<_>>()?;
    Ok((rungs, stages))
}

/// Runs the `workshop-benches` benchmark `bench` with the variables `env` set, after removing the old
/// results of its criterion `groups` (so a rung that is no longer measured cannot leave a stale
/// figure behind). Returns criterion's results folder.
pub(crate) fn run_criterion(
    bench: &str,
    groups: &[&str],
    timing_flags: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<PathBuf> {
    let results = target_dir()?.join("criterion");
    for group in groups {
        let _ = fs::remove_dir_all(results.join(group));
    }
    run(cargo()
        .args(["bench", "--quiet", "--package", "workshop-benches", "--bench", bench])
        .args(blas_features()) // one feature set for every benchmark: no rebuilds between them
        .args(["--", "--noplot"])
        .args(timing_flags)
        .envs(env.iter().copied()))?;
    Ok(results)
}

/// Reads one benchmark's samples from criterion's `raw.csv` (its stable output format).
pub(crate) fn timing(dir: &Path) -> Result<Timing> {
    let raw = dir.join("new/raw.csv");
    let mut per_run: Vec<f64> = Vec::new();
    let mut reader = csv::Reader::from_path(&raw)
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
    let median =
        if per_run.len() % 2 == 1 { per_run[mid] } else { (per_run[mid - 1] + per_run[mid]) / 2.0 };
    Ok(Timing { median, min, max })
}

/// Instructions per rung from callgrind for the gungraun benchmark `bench`, or why they were
/// skipped.
pub(crate) fn instruction_counts(bench: &str) -> Result<Result<BTreeMap<String, u64>, String>> {
    if probe("valgrind", &["--version"]).is_none() {
        return Ok(Err(
            "valgrind is not installed: instruction counts skipped (on Debian or Ubuntu: \
                       apt-get install valgrind)"
                .into(),
        ));
    }
    GUNGRAUN_RUNNER.ensure()?;
    let results = target_dir()?.join("gungraun/workshop-benches").join(bench);
    let _ = fs::remove_dir_all(&results);
    eprintln!("counting instructions with callgrind");
    run(cargo()
        .args(["bench", "--quiet", "--package", "workshop-benches", "--bench"])
        .arg(bench)
        .args(blas_features())
        .args(["--", "--save-summary=json"]))?;
    let mut counts = BTreeMap::new();
    for summary in find_files(&results, "summary.json")? {
        let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&summary)?)?;
        // The benchmark's id is the rung's name with `_` for `-` (see memory_instructions.rs).
        let name = json["id"].as_str().context("summary without an id")?.replace('_', "-");
        let ir = json["profiles"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["tool"] == "Callgrind")
            .and_then(|p| p["data"]["total"]["metrics"]["Ir"]["values"]["new"].as_u64())
            .with_context(|| format!("no instruction count in {}", summary.display()))?;
        counts.insert(name, ir);
    }
    ensure!(!counts.is_empty(), "callgrind wrote no summaries under {}", results.display());
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

/// One of the seed's two pandas programs (`full` or `chunked`, the second argument) on the
/// file named by the first, best of three runs. Each program runs in its own process, so the
/// peak memory it reports is its own.
const PANDAS_SCRIPT: &str = r#"
import json, resource, sys, time
import pandas as pd
path, program = sys.argv[1], sys.argv[2]
def full():
    return float(pd.read_csv(path)["transaction_value"].sum())
def chunked():
    total = 0.0
    for chunk in pd.read_csv(path, chunksize=100_000):
        total += chunk["transaction_value"].sum()
    return float(total)
name, job = {
    "full": ("read_csv().sum()", full),
    "chunked": ("chunked loop (the seed)", chunked),
}[program]
best = None
for _ in range(3):
    start = time.perf_counter()
    total = job()
    seconds = time.perf_counter() - start
    best = seconds if best is None else min(best, seconds)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
name = f"pandas {pd.__version__}: {name}"
print(json.dumps({"name": name, "seconds": best, "peak_rss_bytes": peak, "total": total}))
"#;

/// Times pandas, or says why it could not.
fn pandas(file: &Path) -> Result<Vec<Reference>, String> {
    if probe("python3", &["-c", "import pandas; print(pandas.__version__)"]).is_none() {
        return Err(
            "pandas is not installed: the comparison with pandas is skipped (pip install pandas)"
                .into(),
        );
    }
    eprintln!("timing pandas on the same file");
    ["full", "chunked"]
        .iter()
        .map(|program| {
            let mut python = Command::new("python3");
            python.args(["-c", PANDAS_SCRIPT]).arg(file).arg(program);
            let text = output(&mut python).map_err(|e| e.to_string())?;
            serde_json::from_str(text.trim()).map_err(|e| format!("pandas printed `{text}`: {e}"))
        })
        .collect()
}

/// Writes `memory.json`, `memory.md` and the plots into the book.
fn write_outputs(report: &Report) -> Result<()> {
    let plots = [
        ("memory-throughput.svg", plot::throughput(report)?),
        ("memory-heap.svg", plot::heap(report)?),
    ];
    plot::write_figures("memory", report, &plot::markdown(report), &plots)
}

fn print_summary(report: &Report) {
    let d = &report.dataset;
    println!(
        "\nmemory lesson: {} ({} rows, {:.0} MB){}",
        d.path,
        rows_label(d.rows),
        d.bytes as f64 / 1e6,
        if report.quick { ", quick run" } else { "" }
    );
    println!(
        "{:<10} {:>10} {:>11} {:>11} {:>9}",
        "strategy", "median", "throughput", "peak heap", "speedup"
    );
    for r in &report.rungs {
        println!(
            "{:<10} {:>9.3}s {:>6.0} MB/s {:>7.1} MiB {:>8.1}×",
            r.name,
            r.median_s,
            r.bytes_per_s / 1e6,
            r.peak_heap_bytes as f64 / (1 << 20) as f64,
            r.speedup
        );
    }
    for p in &report.pandas {
        println!(
            "{:<34} {:>9.3}s {:>6.0} MB/s",
            p.name,
            p.seconds,
            d.bytes as f64 / p.seconds / 1e6
        );
    }
    for n in &report.notes {
        println!("note: {n}");
    }
    println!("exact total {} on every rung; machine: {}", d.exact_total, report.machine.caption());
    println!(
        "figures written to book/src/generated/: memory.json, memory.md, memory-throughput.svg, memory-heap.svg"
    );
}
