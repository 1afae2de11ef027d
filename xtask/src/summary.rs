//! `book/src/generated/summary.md`: the closing chapter's table, one row per bottleneck, made
//! from the lessons' own reports (`memory.json`, `compute.json`, `vectorize.json`, `io.json`),
//! so the workshop's conclusion quotes the same measured numbers as its chapters and changes
//! when they do.
//!
//! It is rewritten at the end of every `cargo xtask bench` (and by `cargo xtask book`); a lesson
//! not measured in that run keeps the figures of its last run, and the table names the commit
//! and date of each lesson's.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use lesson_memory::alloc::human_bytes;
use lesson_memory::dataset::write_atomically;
use serde_json::Value;

use crate::plot::{rate, seconds, section};
use crate::shell::root;

/// One row of the table.
struct Row {
    bottleneck: &'static str,
    job: String,
    before: String,
    after: String,
    gain: String,
}

/// `x` to two significant figures with its thousands spaced, for ratios like 63 000×.
fn rounded(x: f64) -> String {
    if !x.is_finite() || x < 100.0 {
        return format!("{x:.0}");
    }
    let digits = x.log10().floor() as i32;
    let step = 10f64.powi(digits - 1);
    let whole = ((x / step).round() * step) as u64;
    let text = whole.to_string();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            out.push('\u{202f}'); // a narrow no-break space
        }
        out.push(c);
    }
    out
}

/// Reads a lesson's report, if it has been measured on this checkout.
fn report(dir: &Path, lesson: &str) -> Result<Option<Value>> {
    let path = dir.join(format!("{lesson}.json"));
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path)?;
    Ok(Some(serde_json::from_str(&text).with_context(|| format!("{}", path.display()))?))
}

fn f(v: &Value, pointer: &str) -> Result<f64> {
    v.pointer(pointer).and_then(Value::as_f64).with_context(|| format!("no number at {pointer}"))
}

fn s<'a>(v: &'a Value, pointer: &str) -> Result<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).with_context(|| format!("no text at {pointer}"))
}

/// The entry of the array at `pointer` whose `key` is `name`.
fn find<'a>(v: &'a Value, pointer: &str, key: &str, name: &str) -> Result<&'a Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .and_then(|items| items.iter().find(|i| i[key] == name))
        .with_context(|| format!("no {key} = {name} in {pointer}"))
}

/// "commit abc1234 on 2026-11-24", with "quick run" when it was one.
fn run_of(v: &Value) -> Result<String> {
    let date = s(v, "/machine/date")?;
    let quick = if v["quick"] == true { ", quick run" } else { "" };
    Ok(format!("commit {} on {}{quick}", s(v, "/machine/commit")?, &date[..10.min(date.len())]))
}

fn memory_rows(m: &Value) -> Result<Vec<Row>> {
    let megabytes = f(m, "/dataset/bytes")? / 1e6;
    let rungs = m["rungs"].as_array().context("no rungs")?;
    let first = rungs.first().context("no rungs")?;
    let fastest = rungs
        .iter()
        .max_by(|a, b| {
            a["bytes_per_s"]
                .as_f64()
                .partial_cmp(&b["bytes_per_s"].as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .context("no rungs")?;
    let leanest = rungs
        .iter()
        .min_by_key(|r| r["peak_heap_bytes"].as_u64().unwrap_or(u64::MAX))
        .context("no rungs")?;
    let heap = |r: &Value| human_bytes(r["peak_heap_bytes"].as_u64().unwrap_or(0));
    let mut rows = vec![
        Row {
            bottleneck: "memory",
            job: format!("memory to total a {megabytes:.0} MB CSV file"),
            before: format!("`{}`: {} of heap", s(first, "/name")?, heap(first)),
            after: format!(
                "`{}`: {} of heap, whatever the file's size",
                s(leanest, "/name")?,
                heap(leanest)
            ),
            gain: format!(
                "{}× less memory",
                rounded(
                    first["peak_heap_bytes"].as_f64().unwrap_or(0.0)
                        / leanest["peak_heap_bytes"].as_f64().unwrap_or(1.0).max(1.0)
                )
            ),
        },
        Row {
            bottleneck: "memory, then compute",
            job: format!("time to total a {megabytes:.0} MB CSV file"),
            before: format!("`{}`: {}", s(first, "/name")?, rate(f(first, "/bytes_per_s")?)),
            after: format!("`{}`: {}", s(fastest, "/name")?, rate(f(fastest, "/bytes_per_s")?)),
            gain: format!("{:.1}×", f(fastest, "/speedup")?),
        },
    ];
    if let Some(pandas) = m["pandas"].as_array().and_then(|p| p.first()) {
        let pandas_rate = f(m, "/dataset/bytes")? / f(pandas, "/seconds")?;
        rows.push(Row {
            bottleneck: "(for comparison)",
            job: format!("the same file with {}", s(pandas, "/name")?),
            before: rate(pandas_rate),
            after: format!("`{}`: {}", s(fastest, "/name")?, rate(f(fastest, "/bytes_per_s")?)),
            gain: format!("{:.1}×", f(fastest, "/bytes_per_s")? / pandas_rate),
        });
    }
    Ok(rows)
}

fn compute_rows(c: &Value) -> Result<Vec<Row>> {
    let cores = f(c, "/machine/cores")? as usize;
    let wait_ms = f(c, "/wait_ms")?;
    let waiting = c["waiting"].as_array().context("no waiting")?;
    let most = waiting.iter().filter_map(|p| p["tasks"].as_u64()).max().context("no tasks")?;
    let at = |name: &str| waiting.iter().find(|p| p["strategy"] == name && p["tasks"] == most);
    let sequential = at("sequential").context("no sequential waiting point")?;
    let before = f(sequential, "/predicted_s")?;
    let tokio = f(at("tokio").context("no tokio waiting point")?, "/median_s")?;
    let pi_sequential = find(c, "/pi", "strategy", "sequential")?;
    let rayon = c["pi"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["strategy"] == "rayon" && p["threads"] == cores))
        .context("no rayon point on every core")?;
    let samples = f(c, "/pi_samples")?;
    let cluster = &c["cluster"];
    let per_sample = f(rayon, "/median_s")? / samples;
    let overhead = (f(cluster, "/seconds")? - per_sample * f(cluster, "/samples")?).max(0.0);
    Ok(vec![
        Row {
            bottleneck: "waiting",
            job: format!("{} tasks that each wait {wait_ms} ms", rounded(most as f64)),
            before: format!("one after another: {} (predicted)", seconds(before)),
            after: format!("tokio tasks: {}", seconds(tokio)),
            gain: format!("{}×", rounded(before / tokio)),
        },
        Row {
            bottleneck: "compute",
            job: format!("Monte-Carlo π, {:.0} million samples", samples / 1e6),
            before: format!("one thread: {}", seconds(f(pi_sequential, "/median_s")?)),
            after: format!("rayon on {cores} cores: {}", seconds(f(rayon, "/median_s")?)),
            gain: format!("{:.2}×", f(rayon, "/speedup")?),
        },
        Row {
            bottleneck: "compute, across machines",
            job: format!("the same job on {} timely processes", f(cluster, "/processes")? as usize),
            before: format!(
                "rayon on {cores} cores: {} for as many samples",
                seconds(per_sample * f(cluster, "/samples")?)
            ),
            after: format!("a fixed cost of about {}", seconds(overhead)),
            gain: format!("pays on two machines beyond about {} of work", seconds(2.0 * overhead)),
        },
    ])
}

fn io_rows(io: &Value) -> Result<Vec<Row>> {
    let files = f(io, "/dataset/files")? as usize;
    let rungs = io["rungs"].as_array().context("no rungs")?;
    let first = rungs.first().context("no rungs")?;
    let best = |regime: &str| {
        rungs.iter().skip(1).max_by(|a, b| {
            a[regime]["speedup"]
                .as_f64()
                .partial_cmp(&b[regime]["speedup"].as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    };
    let mut rows = Vec::new();
    for (regime, what) in [("warm", "in the page cache"), ("cold", "read from the disk")] {
        let b = best(regime).context("no parallel rung")?;
        let device = if regime == "cold" {
            format!(
                " ({:.0}% of the device's sequential read)",
                100.0 * f(b, "/cold/bytes_per_s")? / f(io, "/device_sequential_bytes_per_s")?
            )
        } else {
            String::new()
        };
        rows.push(Row {
            bottleneck: if regime == "warm" { "compute (parsing)" } else { "I/O and compute" },
            job: format!("{files} files, {what}"),
            before: format!(
                "one at a time: {}",
                rate(f(first, &format!("/{regime}/bytes_per_s"))?)
            ),
            after: format!(
                "`{}`: {}{device}",
                s(b, "/name")?,
                rate(f(b, &format!("/{regime}/bytes_per_s"))?)
            ),
            gain: format!("{:.2}×", f(b, &format!("/{regime}/speedup"))?),
        });
    }
    let latency = io["latency"].as_array().context("no latency")?;
    if let (Some(one), Some(many)) = (
        latency.iter().find(|p| p["in_flight"] == 1),
        latency.iter().find(|p| p["in_flight"] == 64),
    ) {
        rows.push(Row {
            bottleneck: "I/O latency",
            job: format!(
                "{} requests that each wait {} ms",
                f(io, "/served/files")? as usize,
                f(io, "/latency_ms")?
            ),
            before: format!("one at a time: {}", seconds(f(one, "/median_s")?)),
            after: format!("64 in flight, one thread: {}", seconds(f(many, "/median_s")?)),
            gain: format!("{:.1}×", f(many, "/speedup")?),
        });
    }
    Ok(rows)
}

fn vectorize_rows(v: &Value) -> Result<Vec<Row>> {
    let points = v["matmul"].as_array().context("no matmul")?;
    let gflops = |name: &str, n: u64| {
        points
            .iter()
            .find(|p| p["strategy"] == name && p["n"] == n)
            .and_then(|p| p["gflops"].as_f64())
    };
    // The largest size the naive rung was measured at, and the fastest one-thread rung there.
    let n = points
        .iter()
        .filter(|p| p["strategy"] == "naive" && p["gflops"].is_f64())
        .filter_map(|p| p["n"].as_u64())
        .max()
        .context("naive was never measured")?;
    let naive = gflops("naive", n).context("no naive point")?;
    let (best, best_gflops) = points
        .iter()
        .filter(|p| p["n"] == n)
        .filter_map(|p| Some((p["strategy"].as_str()?, p["gflops"].as_f64()?)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .context("no rung measured")?;
    let peak = f(v, "/peak_flops")? / 1e9;
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
    if let Some(python) = v.get("python").filter(|p| !p.is_null()) {
        rows.push(Row {
            bottleneck: "(for comparison)",
            job: format!("the same loop in pure Python, n = {}", python["n"]),
            before: format!("{:.3} GFLOP/s", f(python, "/gflops")?),
            after: format!("`{best}` at n = {n}: {best_gflops:.1} GFLOP/s"),
            gain: format!("{}×", rounded(best_gflops / f(python, "/gflops")?)),
        });
    }
    Ok(rows)
}

/// Makes a lesson's rows from its report.
type Rows = fn(&Value) -> Result<Vec<Row>>;

/// Every lesson with figures, in the book's order.
const LESSONS: [(&str, Rows); 4] = [
    ("memory", memory_rows),
    ("compute", compute_rows),
    ("vectorize", vectorize_rows),
    ("io", io_rows),
];

/// Rewrites `summary.md` from the reports there are.
pub fn write() -> Result<()> {
    let dir = root().join("book/src/generated");
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    for (lesson, make) in LESSONS {
        match report(&dir, lesson)? {
            Some(v) => rows.extend(make(&v).with_context(|| format!("{lesson}.json"))?),
            None => missing.push(lesson),
        }
    }
    let mut md = String::from("<!-- Written by `cargo xtask bench`; do not edit. -->\n\n");
    let mut machines: Vec<String> = Vec::new();
    let mut runs: Vec<String> = Vec::new();
    for (lesson, _) in LESSONS {
        if let Some(v) = report(&dir, lesson)? {
            runs.push(format!("{lesson}: {}", run_of(&v)?));
            let m = &v["machine"];
            let machine = format!(
                "{}, {} cores, {} GiB, {}, {}",
                s(&v, "/machine/cpu")?,
                m["cores"],
                m["memory_gib"],
                s(&v, "/machine/os")?,
                s(&v, "/machine/rustc")?
            );
            if !machines.contains(&machine) {
                machines.push(machine);
            }
        }
    }
    section(&mut md, "summary", |md| {
        let _ = writeln!(md, "| bottleneck | job | straightforward | best here | gain |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- |");
        for r in &rows {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                r.bottleneck, r.job, r.before, r.after, r.gain
            );
        }
        let _ = writeln!(
            md,
            "\n*Measured by `cargo xtask bench` on {} ({}).*",
            machines.join("; and on "),
            runs.join("; ")
        );
        if !missing.is_empty() {
            let _ = writeln!(md, "\n*Not measured yet on this checkout: {}.*", missing.join(", "));
        }
    });
    write_atomically(&dir.join("summary.md"), |out| std::io::Write::write_all(out, md.as_bytes()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed reports still have every field the table reads.
    #[test]
    fn every_committed_report_gives_its_rows() {
        let dir = root().join("book/src/generated");
        assert_eq!(rounded(63_394.0), "63\u{202f}000");
        assert_eq!(rounded(6532.4), "6\u{202f}500");
        assert_eq!(rounded(10_000.0), "10\u{202f}000");
        assert_eq!(rounded(99.6), "100");
        for (lesson, make) in LESSONS {
            let report = report(&dir, lesson).expect("readable").expect("committed");
            let rows = make(&report).unwrap_or_else(|e| panic!("{lesson}.json: {e:#}"));
            assert!(rows.len() >= 2, "{lesson}: {} rows", rows.len());
            for r in rows {
                assert!(!r.before.is_empty() && !r.after.is_empty() && !r.gain.is_empty());
            }
        }
    }
}
