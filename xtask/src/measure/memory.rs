//! The memory lesson's measurements:
//!
//! 1. make the datasets that are missing;
//! 2. run the `memory` binary once per rung at three file sizes: peak heap and the exact
//!    total, which must equal the manifest's;
//! 3. criterion: wall time of every rung on the main file, median and spread of ten runs, and of
//!    the anatomy's stages;
//! 4. gungraun (callgrind): instructions per row on a small file, where valgrind is present;
//! 5. pandas, if installed, timed on the same file in the same run, for comparison.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, ensure};
use ladder::Line;
use lesson_memory::anatomy::{STAGES, WHOLE, WHOLE_ADDS};
use lesson_memory::bench::{
    ANATOMY_GROUP, GROUP, INSTRUCTION_ROWS, PANDAS_PROGRAMS, PANDAS_SCRIPT, Settings,
    counted_rungs, id, plan, stage_id,
};
use lesson_memory::cli::{DriftLine, Fields};
use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec};
use lesson_memory::ladder::{Heap, LADDER};
use lesson_memory::report::{Dataset, DriftRow, HeapPoint, Report, RungFigures, StageTime, Tool};

use super::{Criterion, Run, binary, instruction_counts, relative};
use crate::data;
use crate::machine;
use crate::shell::{json_lines, output, probe};

/// What the `memory` binary prints with `--json --drift`: a line per rung, then the drift.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Printed {
    Rung(Line<Fields>),
    Drift(DriftLine),
}

/// Measures the memory lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let plan = plan(run.quick);
    let mut notes = Vec::new();
    let spec = |rows| Spec { rows, seed: DEFAULT_SEED, shards: 1 };
    let main = data::ensure(&spec(plan.main_rows))?;
    let heap_sets: Vec<(PathBuf, Manifest)> =
        plan.heap_rows.iter().map(|&r| data::ensure(&spec(r))).collect::<Result<_>>()?;
    let memory = binary("lesson-memory", "memory", &[])?;

    eprintln!("measuring peak heap at {} sizes", heap_sets.len());
    let mut heap = Vec::new();
    for (dir, manifest) in &heap_sets {
        let file = data_file(dir, manifest);
        for line in rung_lines(&cli(&memory, &file, &[])?) {
            ensure!(
                line.fields.overall == manifest.expected.overall,
                "{} gave a total that differs from the manifest's on {}",
                line.rung,
                file.display()
            );
            heap.push(HeapPoint {
                rung: line.rung.clone(),
                rows: manifest.rows,
                file_bytes: manifest.bytes,
                peak_heap_bytes: line.fields.peak_heap_bytes,
            });
        }
    }

    let (main_dir, main_manifest) = &main;
    let main_file = data_file(main_dir, main_manifest);
    // Every rung already ran on the main file above (it is one of the heap sizes): one rung is
    // enough to get the drift line.
    let printed = cli(&memory, &main_file, &["--rung", WHOLE.name, "--drift"])?;
    let drift = printed
        .into_iter()
        .find_map(|p| match p {
            Printed::Drift(line) => Some(line.drift),
            Printed::Rung(_) => None,
        })
        .context("the binary printed no drift line")?;
    let drift = drift
        .rows()
        .into_iter()
        .map(|(order, total, ulps)| DriftRow { order: order.into(), total, ulps })
        .collect();

    eprintln!("timing every rung with criterion on {}", main_file.display());
    let settings = Settings { file: main_file.clone() };
    let criterion = Criterion::run("memory", &[GROUP, ANATOMY_GROUP], run, &settings)?;

    let instructions =
        match instruction_counts(run, "memory_instructions", counted_rungs().map(|r| r.name))? {
            Ok(counts) => counts,
            Err(why) => {
                eprintln!("{why}");
                notes.push(why);
                BTreeMap::new()
            }
        };

    let pandas = pandas(&main_file).unwrap_or_else(|why| {
        eprintln!("{why}");
        notes.push(why);
        Vec::new()
    });

    let baseline = criterion.timing(&id(LADDER.baseline()))?.median;
    let bytes = main_manifest.bytes as f64;
    let rungs = LADDER
        .iter()
        .map(|rung| {
            let t = criterion.timing(&id(rung))?;
            let peak_heap_bytes = heap
                .iter()
                .find(|h| h.rung == rung.name && h.rows == main_manifest.rows)
                .map_or(0, |h| h.peak_heap_bytes);
            Ok(RungFigures {
                name: rung.name.into(),
                summary: rung.summary.into(),
                median_s: t.median,
                min_s: t.min,
                max_s: t.max,
                bytes_per_s: bytes / t.median,
                speedup: baseline / t.median,
                peak_heap_bytes,
                instructions_per_row: instructions
                    .get(rung.name)
                    .map(|ir| *ir as f64 / INSTRUCTION_ROWS as f64),
                streaming: rung.facts == Heap::Bounded,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut anatomy: Vec<StageTime> = STAGES
        .iter()
        .map(|stage| {
            let median_s = criterion.timing(&stage_id(stage))?.median;
            Ok(StageTime { name: stage.name.into(), adds: stage.adds.into(), median_s })
        })
        .collect::<Result<_>>()?;
    anatomy.push(StageTime {
        name: format!("{} rung", WHOLE.name),
        adds: WHOLE_ADDS.into(),
        median_s: criterion.timing(&id(WHOLE))?.median,
    });
    // Each stage does all the work of the one before: a stage much faster than its
    // predecessor measured something else (noise does not halve a time of a second or so; on
    // the quick run's sub-millisecond times it might, so there it is only a note).
    for pair in anatomy.windows(2) {
        if pair[1].median_s <= pair[0].median_s * 0.5 {
            let problem = format!(
                "stage `{}` took {:.2} ms, under half of `{}` ({:.2} ms), which it includes",
                pair[1].name,
                pair[1].median_s * 1e3,
                pair[0].name,
                pair[0].median_s * 1e3
            );
            ensure!(run.quick, "{problem}: a measurement bug");
            notes.push(format!("{problem} (timer noise on tiny data)"));
        }
    }

    Ok(Report {
        machine: machine::current(),
        quick: run.quick,
        dataset: Dataset {
            path: relative(&main_file),
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
    })
}

fn data_file(dir: &Path, manifest: &Manifest) -> PathBuf {
    dir.join(&manifest.files[0].name)
}

fn cli(binary: &Path, file: &Path, extra: &[&str]) -> Result<Vec<Printed>> {
    json_lines(Command::new(binary).arg("--json").args(extra).arg(file))
}

fn rung_lines(printed: &[Printed]) -> impl Iterator<Item = &Line<Fields>> {
    printed.iter().filter_map(|p| match p {
        Printed::Rung(line) => Some(line),
        Printed::Drift(_) => None,
    })
}

/// Times the seed's two pandas programs, or says why it could not.
fn pandas(file: &Path) -> Result<Vec<Tool>, String> {
    if probe("python3", &["-c", "import pandas; print(pandas.__version__)"]).is_none() {
        return Err(
            "pandas is not installed: the comparison with pandas is skipped (pip install pandas)"
                .into(),
        );
    }
    eprintln!("timing pandas on the same file");
    PANDAS_PROGRAMS
        .iter()
        .map(|program| {
            let mut python = Command::new("python3");
            python.args(["-c", PANDAS_SCRIPT]).arg(file).arg(program);
            let text = output(&mut python).map_err(|e| e.to_string())?;
            serde_json::from_str(text.trim()).map_err(|e| format!("pandas printed `{text}`: {e}"))
        })
        .collect()
}
