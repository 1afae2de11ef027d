//! `io`: read a dataset's shard files with each rung of the I/O lesson.
//!
//! ```text
//! io data/tx-10M-8shards                      # every rung, files in the page cache
//! io data/tx-10M-8shards --cold               # each rung after evicting the files
//! io --json --in-flight 16 part-000.csv part-001.csv
//! ```

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use lesson_io::cache::evict;
use lesson_io::ladder::{LADDER, Options, run};
use lesson_io::latency::{Server, fetch_all};
use lesson_io::usage::Usage;
use lesson_memory::cli::{LadderArgs, exit, print_ladder};
use lesson_memory::dataset::Manifest;
use serde_json::json;

/// Total the shards of a transactions dataset with each rung of the I/O lesson.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// A dataset folder (from `cargo xtask data --shards K`) or the CSV files themselves.
    #[arg(required_unless_present = "list")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    ladder: LadderArgs,
    /// Evict the files from the page cache before each rung, so it reads from the disk.
    #[arg(long)]
    cold: bool,
    /// Parser threads [default: the number of cores].
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    /// Reads in flight at once [default: the number of cores].
    #[arg(long)]
    in_flight: Option<NonZeroUsize>,
    /// Instead of reading the files, serve them from a server on loopback that answers each
    /// request after this many milliseconds, and fetch them one at a time, then `--in-flight`
    /// at a time.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    latency_ms: Option<u64>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.ladder.list {
        print_ladder(LADDER, |s| (s.name, s.summary));
        return ExitCode::SUCCESS;
    }
    exit(run_all(&args))
}

/// The files to read: a dataset folder's shards, in order, or the files given.
fn files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    match inputs {
        [dir] if dir.is_dir() => {
            let manifest = Manifest::load(dir)
                .map_err(|e| format!("{}: no readable manifest.json: {e}", dir.display()))?;
            Ok(manifest.paths(dir))
        }
        _ => Ok(inputs.to_vec()),
    }
}

fn run_all(args: &Args) -> Result<(), String> {
    let files = files(&args.inputs)?;
    if let Some(ms) = args.latency_ms {
        let in_flight = args.in_flight.map_or(64, NonZeroUsize::get);
        return latency(files, Duration::from_millis(ms), in_flight, args.ladder.json);
    }
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
    let mut options = Options::default();
    options.threads = args.threads.unwrap_or(options.threads);
    options.in_flight = args.in_flight.unwrap_or(options.in_flight);
    let chosen = args.ladder.choose(LADDER, |s| s.name)?;
    if !args.ladder.json {
        let state =
            if args.cold { "evicted from the page cache before each rung" } else { "as cached" };
        println!("{} files, {:.1} MB, {state}", files.len(), bytes as f64 / 1e6);
        println!(
            "{:<10} {:>9} {:>10} {:>9} {:>13} {:>22}",
            "strategy", "seconds", "MB/s", "cpu/wall", "MB from disk", "total"
        );
    }
    let mut first = None;
    for s in chosen {
        if args.cold {
            files.iter().try_for_each(|f| {
                evict(f).map_err(|e| format!("{}: cannot evict: {e}", f.display()))
            })?;
        }
        let (before, start) = (Usage::now(), Instant::now());
        let summary = run(s, &files, &options).map_err(|e| e.to_string())?.summary();
        let seconds = start.elapsed().as_secs_f64();
        let used = Usage::now().since(&before);
        let cpu_per_wall = used.cpu.as_secs_f64() / seconds;
        if first.get_or_insert_with(|| summary.clone()) != &summary {
            return Err(format!("{} gave different totals (a bug: please report it)", s.name));
        }
        let total = &summary.overall;
        if args.ladder.json {
            println!(
                "{}",
                json!({"lesson": "io", "strategy": s.name, "seconds": seconds, "rows": total.rows,
                       "total": total.total, "exact": total.exact, "bytes": bytes, "files": files.len(),
                       "bytes_per_second": bytes as f64 / seconds, "cold": args.cold,
                       "threads": options.threads.get(), "in_flight": options.in_flight.get(),
                       "cpu_seconds": used.cpu.as_secs_f64(), "cpu_per_wall": cpu_per_wall,
                       "device_read_bytes": used.device_read_bytes})
            );
        } else {
            let from_disk = used
                .device_read_bytes
                .map_or_else(|| "unknown".to_string(), |b| format!("{:.1}", b as f64 / 1e6));
            println!(
                "{:<10} {seconds:>9.3} {:>10.1} {cpu_per_wall:>9.2} {from_disk:>13} {:>22}",
                s.name,
                bytes as f64 / seconds / 1e6,
                total.total.0
            );
        }
    }
    if let (Some(summary), false) = (first, args.ladder.json) {
        println!("exact total: {} (every rung agrees, bit for bit)", summary.overall.exact);
    }
    Ok(())
}

/// The latency-bound case: the same shards fetched from a loopback server that holds each
/// answer back by `delay`, one request at a time and then `in_flight` at a time.
fn latency(
    files: Vec<PathBuf>,
    delay: Duration,
    in_flight: usize,
    json: bool,
) -> Result<(), String> {
    let count = u32::try_from(files.len()).map_err(|_| "too many files".to_string())?;
    let server = Server::start(files, delay).map_err(|e| e.to_string())?;
    let mut first = None;
    for at_once in [1, in_flight] {
        let start = Instant::now();
        let totals = fetch_all(server.addr(), count, at_once).map_err(|e| e.to_string())?.summary();
        let seconds = start.elapsed().as_secs_f64();
        let baseline = *first.get_or_insert(seconds);
        if json {
            println!(
                "{}",
                json!({"lesson": "io", "strategy": "fetch", "in_flight": at_once, "seconds": seconds,
                       "latency_seconds": delay.as_secs_f64(), "requests": count,
                       "exact": totals.overall.exact, "speedup": baseline / seconds})
            );
        } else {
            println!(
                "{count} requests, {delay:?} each, {at_once:>3} in flight: {seconds:.3} s ({:.1}× one at a time), exact total {}",
                baseline / seconds,
                totals.overall.exact
            );
        }
    }
    Ok(())
}
