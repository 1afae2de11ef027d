//! `gpu`: run the GPU lesson's matrix-multiply ladder or its exact-sum ladder, or say what the
//! GPU is.
//!
//! ```text
//! gpu --n 512                          # every kernel on two random 512×512 matrices
//! gpu --shape 300x200x500 --json       # a 300×200 matrix times a 200×500 one
//! gpu --n 1024 -r tiled
//! gpu device                           # the adapter, its limits and features
//! gpu peak                             # its FMA peak, memory bandwidth and transfers
//! gpu bench --quick                    # everything the chapter's figures need, as JSON
//! gpu sum data/tx-1M/transactions.csv  # the memory lesson's exact totals, added on the GPU
//! ```

use std::process::ExitCode;

use clap::Parser;
use lesson_gpu::cli::sum::SumOnGpu;
use lesson_gpu::cli::{Args, Command, MultiplyOnGpu, bench, device, peak};
use lesson_gpu::matmul::LADDER;

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Some(Command::Device { json }) => device(json),
        Some(Command::Peak { json }) => peak(json),
        Some(Command::Bench { quick }) => bench(quick),
        Some(Command::Sum(args)) => {
            ladder::cli::main(&lesson_gpu::sum::LADDER, &args.ladder, || SumOnGpu::new(&args))
        }
        None => ladder::cli::main(&LADDER, &args.ladder, || MultiplyOnGpu::new(&args)),
    }
}
