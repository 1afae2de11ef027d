//! `vectorize`: run the vectorize lesson's matrix-multiply ladder, or measure this machine's
//! ceilings.
//!
//! ```text
//! vectorize --n 512                           # every rung on two random 512×512 matrices
//! vectorize --shape 300x200x500 --json        # a 300×200 matrix times a 200×500 one
//! vectorize --n 1024 -r blocked -r blas --threads 2
//! vectorize peak                              # one core's FMA peak and memory bandwidth
//! ```

use std::process::ExitCode;

use clap::Parser;
use lesson_vectorize::cli::{Args, Command, MultiplyRandom, peak};
use lesson_vectorize::ladder::LADDER;

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Some(Command::Peak { json }) => peak(json),
        None => ladder::cli::main(&LADDER, &args.ladder, || MultiplyRandom::new(&args)),
    }
}
