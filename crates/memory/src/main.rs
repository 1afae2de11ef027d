//! `memory`: run the memory lesson's ladder on any transactions CSV.
//!
//! ```text
//! memory data/tx-10M/transactions.csv                   # every rung, as a table
//! memory --strategy mmap --strategy parallel FILE       # some rungs
//! memory --json --per-user FILE                         # one JSON object per rung per line
//! memory --list                                         # the ladder
//! ```

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use lesson_memory::alloc::{CountingAllocator, human_bytes, peak_during};
use lesson_memory::cli::{LadderArgs, exit, print_ladder};
use lesson_memory::drift::drift;
use lesson_memory::{LADDER, Options, Strategy, Summary};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Sum a transactions CSV (`,user,transaction_value`) with each rung of the memory lesson.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The CSV file, for example one made by `cargo xtask data` or by pandas' `to_csv()`.
    #[arg(required_unless_present = "list")]
    file: Option<PathBuf>,
    #[command(flatten)]
    ladder: LadderArgs,
    /// Add each user's rows and total.
    #[arg(long)]
    per_user: bool,
    /// Also show the naive floating-point sums in several orders.
    #[arg(long)]
    drift: bool,
    /// Threads for the parallel rung [default: the number of cores].
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    /// Rows held at once by the chunked rung.
    #[arg(long, default_value_t = Options::default().rows_per_chunk)]
    rows_per_chunk: usize,
    /// Bytes per read() for the streaming rung.
    #[arg(long, default_value_t = Options::default().buffer_bytes)]
    buffer_bytes: usize,
}

/// One rung's run.
struct Outcome {
    strategy: &'static Strategy,
    summary: Summary,
    seconds: f64,
    peak_heap: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.ladder.list {
        print_ladder(LADDER, |s| (s.name, s.summary));
        return ExitCode::SUCCESS;
    }
    exit(run(&args))
}

fn run(args: &Args) -> Result<(), String> {
    let path = args.file.as_deref().ok_or("no file given")?;
    let chosen = args.ladder.choose(LADDER, |s| s.name)?;
    let mut options = Options {
        rows_per_chunk: args.rows_per_chunk,
        buffer_bytes: args.buffer_bytes,
        ..Options::default()
    };
    if let Some(threads) = args.threads {
        options.threads = threads;
    }
    let bytes =
        std::fs::metadata(path).map(|m| m.len()).map_err(|e| format!("{}: {e}", path.display()))?;

    let mut outcomes = Vec::new();
    for s in chosen {
        let ((result, seconds), peak_heap) = peak_during(|| {
            let start = Instant::now();
            let result = (s.run)(path, &options);
            (result, start.elapsed().as_secs_f64())
        });
        let summary = result.map_err(|e| e.to_string())?.summary();
        let outcome = Outcome { strategy: s, summary, seconds, peak_heap };
        if args.ladder.json {
            println!("{}", json_line(&outcome, bytes, args.per_user));
        }
        outcomes.push(outcome);
    }
    if let Some(first) = outcomes.first()
        && let Some(odd) = outcomes.iter().find(|o| o.summary != first.summary)
    {
        return Err(format!(
            "rungs disagree: {} and {} gave different totals (a bug: please report it)",
            first.strategy.name, odd.strategy.name
        ));
    }
    if !args.ladder.json {
        print_table(&outcomes, bytes, args.per_user);
    }
    if args.drift {
        let exact = outcomes.first().map_or(0.0, |o| o.summary.overall.total.0);
        let drift = drift(path, exact).map_err(|e| e.to_string())?;
        if args.ladder.json {
            println!("{}", json!({ "lesson": "memory", "drift": drift }));
        } else {
            println!("\nnaive f64 sums (`total += value`) in different orders:");
            for (name, value, ulps) in drift.rows() {
                println!("  {name:<30} {value:<24} {ulps:+} ulp");
            }
        }
    }
    Ok(())
}

fn json_line(o: &Outcome, bytes: u64, per_user: bool) -> serde_json::Value {
    let mut line = json!({
        "lesson": "memory",
        "strategy": o.strategy.name,
        "seconds": o.seconds,
        "rows": o.summary.overall.rows,
        "total": o.summary.overall.total,
        "exact": o.summary.overall.exact,
        "bytes": bytes,
        "bytes_per_second": bytes as f64 / o.seconds,
        "peak_heap_bytes": o.peak_heap,
    });
    if per_user {
        line["per_user"] = json!(o.summary.per_user);
    }
    line
}

fn print_table(outcomes: &[Outcome], bytes: u64, per_user: bool) {
    println!(
        "{:<10} {:>12} {:>22} {:>9} {:>10} {:>11}",
        "strategy", "rows", "total", "seconds", "MB/s", "peak heap"
    );
    for o in outcomes {
        println!(
            "{:<10} {:>12} {:>22} {:>9.3} {:>10.1} {:>11}",
            o.strategy.name,
            o.summary.overall.rows,
            o.summary.overall.total.0,
            o.seconds,
            bytes as f64 / o.seconds / 1e6,
            human_bytes(o.peak_heap as u64),
        );
    }
    let Some(first) = outcomes.first() else { return };
    println!("exact total: {} (every rung agrees, bit for bit)", first.summary.overall.exact);
    if per_user {
        println!("\n{:>6} {:>12} {:>22}  exact", "user", "rows", "total");
        for u in &first.summary.per_user {
            println!(
                "{:>6} {:>12} {:>22}  {}",
                u.user, u.figures.rows, u.figures.total.0, u.figures.exact
            );
        }
    }
}
