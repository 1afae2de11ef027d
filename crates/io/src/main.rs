//! `io`: read a dataset's shard files with each rung of the I/O lesson.
//!
//! ```text
//! io data/tx-10M-16shards                     # every rung, files in the page cache
//! io data/tx-10M-16shards --cold              # each rung after evicting the files
//! io --json --in-flight 16 part-000.csv part-001.csv
//! io data/tx-1M-128shards --latency-ms 20     # served with a delay: one request at a time, then many
//! ```

use std::process::ExitCode;

use clap::Parser;
use lesson_io::cli::{Args, FetchShards, ReadShards};
use lesson_io::ladder::LADDER;
use lesson_io::latency;

fn main() -> ExitCode {
    let args = Args::parse();
    match args.latency_ms {
        Some(_) => ladder::cli::main(&latency::LADDER, &args.ladder, || FetchShards::new(&args)),
        None => ladder::cli::main(&LADDER, &args.ladder, || ReadShards::new(&args)),
    }
}
