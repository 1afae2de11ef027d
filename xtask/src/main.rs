//! The workshop's workflows, in Rust so they run wherever cargo does:
//!
//! - `cargo xtask data`: generate the transactions datasets;
//! - `cargo xtask bench`: generate what is missing, run every benchmark, write the book's
//!   figures and print a summary;
//! - `cargo xtask book`: build (or `--serve`) the book, with link checking;
//! - `cargo xtask test`: formatting, lints and every test;
//! - `cargo xtask distributed`: the compute lesson's job on a local timely cluster.

mod bench;
mod book;
mod compute;
mod data;
mod io;
mod machine;
mod plot;
mod shell;
mod summary;
mod test;
mod tidy;
mod vectorize;

use anyhow::Result;
use clap::{Parser, Subcommand};
use lesson_memory::dataset::{DEFAULT_SEED, Spec};

#[derive(Parser)]
#[command(about = "The workshop's workflows")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Generate a transactions dataset into data/ (skipped if already complete).
    Data {
        /// Rows in all files together.
        #[arg(long, default_value_t = 10_000_000)]
        rows: u64,
        /// Generator seed: the same seed gives the same bytes on any machine.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Split the rows into this many files (for the I/O lesson).
        #[arg(long, default_value_t = 1)]
        shards: u32,
    },
    /// Run the benchmarks and write the book's figures into book/src/generated/.
    Bench(bench::Args),
    /// Build the book into book/html, checking its links.
    Book {
        /// Serve it on http://localhost:3000 and rebuild on changes.
        #[arg(long)]
        serve: bool,
    },
    /// Check formatting and lints, then run every test.
    Test,
    /// Run the compute lesson's π job on a timely cluster of local processes, and check it
    /// against one thread.
    Distributed {
        /// Processes to start on this machine (loopback).
        #[arg(long, default_value_t = 2)]
        processes: usize,
        /// Worker threads per process.
        #[arg(long, default_value_t = 1)]
        workers: usize,
        /// Random points to throw.
        #[arg(long, default_value_t = 100_000_000)]
        samples: u64,
    },
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::Data { rows, seed, shards } => data::ensure(&Spec { rows, seed, shards }).map(drop),
        Task::Bench(args) => bench::run_bench(&args),
        Task::Book { serve } => book::run_book(serve),
        Task::Test => test::run_all(),
        Task::Distributed { processes, workers, samples } => {
            compute::run_distributed(processes, workers, samples)
        }
    }
}
