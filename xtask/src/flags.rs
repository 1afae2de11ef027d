//! The whole command line of `cargo xtask`, in one place.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use lesson_memory::dataset::DEFAULT_SEED;

/// The workshop's workflows.
#[derive(Parser, Debug)]
#[command(about = "The workshop's workflows")]
pub struct Xtask {
    /// What to do.
    #[command(subcommand)]
    pub task: Task,
}

/// One workflow.
#[derive(Subcommand, Debug)]
pub enum Task {
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
        /// The folder that holds the datasets [default: data/ in the workspace].
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Run the benchmarks, write each lesson's record and draw its figures.
    Bench(Bench),
    /// Record what `crates/gpu/device/run.sh` measured on a machine with a GPU as the GPU
    /// lesson's record, and redraw the figures from it.
    ImportGpu {
        /// The folder run.sh wrote (its $OUT): host.txt and gpu-measured.json.
        dir: PathBuf,
        /// Write the record and figures into this folder [default: book/src/generated].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run any program and say what limits it: compute, memory, I/O or waiting, with the
    /// evidence and the remedy (`cargo xtask diagnose -- python3 job.py`); or every rung of a
    /// lesson (`cargo xtask diagnose --lesson memory`); or print the commands of the
    /// exercise's programs (`--mysteries`).
    Diagnose {
        /// Diagnose every rung of this lesson on its data instead, one line each.
        #[arg(long, conflicts_with = "args")]
        lesson: Option<String>,
        /// Write the inputs of the exercise's programs you have not seen, and print the command
        /// that diagnoses each.
        #[arg(long, conflicts_with_all = ["args", "lesson"])]
        mysteries: bool,
        /// The diagnosis tool's options (`--json`, `--memory 4G`), then `--`, the program and its
        /// arguments.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            required_unless_present_any = ["lesson", "mysteries"]
        )]
        args: Vec<std::ffi::OsString>,
    },
    /// Redraw every table and plot from the records in book/src/generated/, running nothing.
    Figures {
        /// Change nothing: fail if a table or plot differs from what its record gives.
        #[arg(long)]
        check: bool,
    },
    /// Build the book into book/book/html, checking its links.
    Book {
        /// Serve it on http://localhost:3000 and rebuild on changes.
        #[arg(long)]
        serve: bool,
    },
    /// Check formatting, lints and the figures, then run every test.
    Test,
    /// The exercises: list them, check, hint, show the solution, reset, watch; generate and
    /// verify them.
    Exercise {
        /// What to do with them.
        #[command(subcommand)]
        command: ExerciseCommand,
    },
    /// Run a job on a timely cluster of local processes and check it against one machine's
    /// answer: π against one thread, or a dataset's exact sum against its manifest.
    Distributed(crate::distributed::Args),
}

/// `cargo xtask exercise …`.
#[derive(Subcommand, Debug)]
pub enum ExerciseCommand {
    /// Every exercise, its lesson, the rung it reproduces, how long it takes, and whether it
    /// passes; and the next one.
    List,
    /// Run the lesson's checks on your version of an exercise.
    Check {
        /// The exercise, as `list` names it.
        name: String,
    },
    /// The next hint for an exercise, then the book's section.
    Hint {
        /// The exercise.
        name: String,
    },
    /// The lesson's own code for an exercise, once yours passes.
    Solution {
        /// The exercise.
        name: String,
    },
    /// An exercise as shipped again; your version is kept in exercises/.backup/.
    Reset {
        /// The exercise.
        name: String,
    },
    /// Check again on every save: the next exercise not done, or the one named.
    Watch {
        /// The exercise [default: the next one not done].
        name: Option<String>,
        /// Check again when you press Enter, for folders where saves are not seen (network
        /// drives, WSL).
        #[arg(long)]
        manual: bool,
    },
    /// Write the exercise crates from the lessons' registries (a crate's src/lib.rs only where it
    /// is missing, unless --force).
    Generate {
        /// Change nothing: fail if a file differs from what the lessons give.
        #[arg(long)]
        check: bool,
        /// Also rewrite every src/lib.rs (your versions are kept in exercises/.backup/).
        #[arg(long, conflicts_with = "check")]
        force: bool,
    },
    /// Prove every exercise fails as shipped, passes with the lesson's code, and fails with
    /// every mutant.
    Verify,
}

/// Options of `cargo xtask bench`.
#[derive(clap::Args, Debug)]
pub struct Bench {
    /// Tiny data and short measurements: the whole pipeline in a few minutes (CI uses it). Its
    /// records and figures go under target/, never over the book's.
    #[arg(long)]
    pub quick: bool,
    /// Skip the instruction counts even where valgrind is installed.
    #[arg(long)]
    pub no_instructions: bool,
    /// Measure only these lessons [default: all of them].
    #[arg(long, value_delimiter = ',', value_parser = crate::lessons::parse)]
    pub lesson: Vec<&'static str>,
    /// Write the records and figures into this folder [default: book/src/generated, or
    /// target/xtask/generated with --quick].
    #[arg(long)]
    pub out: Option<PathBuf>,
}
