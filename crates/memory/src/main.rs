//! `memory`: run the memory lesson's ladder on any transactions CSV.
//!
//! ```text
//! memory data/tx-10M/transactions.csv                   # every rung, as a table
//! memory --rung mmap --rung parallel FILE               # some rungs
//! memory --json --per-user FILE                         # one JSON object per rung per line
//! memory --list                                         # the ladder
//! ```

use std::process::ExitCode;

use clap::Parser;
use lesson_memory::alloc::CountingAllocator;
use lesson_memory::cli::{Args, SumFile};
use lesson_memory::ladder::LADDER;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let args = Args::parse();
    ladder::cli::main(&LADDER, &args.ladder, || SumFile::new(&args))
}
