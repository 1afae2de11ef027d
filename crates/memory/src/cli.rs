//! The `memory` binary's command line: its arguments, and how the driver runs one rung on the
//! user's file ([`SumFile`], a [`ladder::cli::Job`]).

use std::num::NonZeroUsize;
use std::path::PathBuf;

use ladder::cli::{Column, Job, Row};
use ladder::units::bytes as human_bytes;
use serde::{Deserialize, Serialize};

use crate::alloc::peak_during;
use crate::drift::{Drift, drift};
use crate::error::Error;
use crate::ladder::{Heap, Options, Rung, Sum};
use crate::totals::{Figures, Totals, UserSummary};

/// The lesson, as every line names it.
pub const LESSON: &str = "memory";

/// Sum a transactions CSV (`,user,transaction_value`) with each rung of the memory lesson.
#[derive(clap::Parser, Debug)]
#[command(name = "memory", version)]
pub struct Args {
    /// The CSV file, for example one made by `cargo xtask data` or by pandas' `to_csv()`.
    #[arg(required_unless_present = "list")]
    pub file: Option<PathBuf>,
    /// The rungs to run, and how to print them.
    #[command(flatten)]
    pub ladder: ladder::cli::Args,
    /// Add each user's rows and total.
    #[arg(long)]
    pub per_user: bool,
    /// Also show the naive floating-point sums in several orders.
    #[arg(long)]
    pub drift: bool,
    /// Threads for the parallel rung [default: the number of cores].
    #[arg(long)]
    pub threads: Option<NonZeroUsize>,
    /// Rows held at once by the chunked rung.
    #[arg(long, default_value_t = Options::default().rows_per_chunk)]
    pub rows_per_chunk: usize,
    /// Bytes per read() for the streaming rung.
    #[arg(long, default_value_t = Options::default().buffer_bytes)]
    pub buffer_bytes: usize,
}

/// The memory lesson's fields of one rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// Rows, the exact total every digit, and rounded once.
    #[serde(flatten)]
    pub overall: Figures,
    /// The file's size.
    pub bytes: u64,
    /// The file's size over the rung's time.
    pub bytes_per_second: f64,
    /// The most heap the rung held at once.
    pub peak_heap_bytes: u64,
    /// Each user's rows and total, with `--per-user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_user: Option<Vec<UserSummary>>,
}

impl Row for Fields {
    const COLUMNS: &'static [Column] = &[
        Column::right("rows", 12),
        Column::right("total", 22),
        Column::right("MB/s", 10),
        Column::right("peak heap", 11),
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.overall.rows.to_string(),
            self.overall.total.0.to_string(),
            format!("{:.1}", self.bytes_per_second / 1e6),
            human_bytes(self.peak_heap_bytes),
        ]
    }
}

/// The line `--drift` adds: the naive float sums beside the exact one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DriftLine {
    /// The lesson.
    pub lesson: String,
    /// The sums.
    pub drift: Drift,
}

/// What one rung gave: its totals and the most heap it held.
pub struct Outcome {
    totals: Totals,
    peak_heap: usize,
}

/// One file, summed by each rung asked for.
pub struct SumFile {
    path: PathBuf,
    options: Options,
    bytes: u64,
    per_user: bool,
    drift: bool,
}

impl SumFile {
    /// The job `args` asks for; an error if the file cannot be read.
    pub fn new(args: &Args) -> Result<SumFile, Error> {
        let path = args.file.clone().ok_or(Error::Option("no file given".into()))?;
        let bytes = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?.len();
        let mut options = Options {
            rows_per_chunk: args.rows_per_chunk,
            buffer_bytes: args.buffer_bytes,
            ..Options::default()
        };
        if let Some(threads) = args.threads {
            options.threads = threads;
        }
        Ok(SumFile { path, options, bytes, per_user: args.per_user, drift: args.drift })
    }
}

impl Job for SumFile {
    type Run = Sum;
    type Facts = Heap;
    type Output = Outcome;
    type Fields = Fields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn run(&mut self, rung: &Rung) -> Result<Outcome, Error> {
        let (totals, peak_heap) = peak_during(|| (rung.run)(&self.path, &self.options));
        Ok(Outcome { totals: totals?, peak_heap })
    }

    fn fields(
        &self,
        _: &Rung,
        output: &Outcome,
        first: &Outcome,
        seconds: f64,
    ) -> Result<Fields, String> {
        let summary = output.totals.summary();
        if summary != first.totals.summary() {
            return Err("different totals".into());
        }
        Ok(Fields {
            overall: summary.overall,
            bytes: self.bytes,
            bytes_per_second: self.bytes as f64 / seconds,
            peak_heap_bytes: output.peak_heap as u64,
            per_user: self.per_user.then_some(summary.per_user),
        })
    }

    fn finish(&mut self, first: &Outcome, json: bool) -> Result<(), Error> {
        let summary = first.totals.summary();
        if !json {
            println!("exact total: {} (every rung agrees, bit for bit)", summary.overall.exact);
            if self.per_user {
                println!("\n{:>6} {:>12} {:>22}  exact", "user", "rows", "total");
                for u in &summary.per_user {
                    let f = &u.figures;
                    println!("{:>6} {:>12} {:>22}  {}", u.user, f.rows, f.total.0, f.exact);
                }
            }
        }
        if self.drift {
            let drift = drift(&self.path, summary.overall.total.0)?;
            if json {
                let line = DriftLine { lesson: LESSON.into(), drift };
                let text = serde_json::to_string(&line).map_err(ladder::Error::Json)?;
                println!("{text}");
            } else {
                println!("\nnaive f64 sums (`total += value`) in different orders:");
                for (name, value, ulps) in drift.rows() {
                    println!("  {name:<46} {value:<24} {ulps:+} ulp");
                }
            }
        }
        Ok(())
    }
}
