//! The workshop's workflows, in Rust so they run wherever cargo does. [`flags`] declares the
//! whole command line; [`lessons`] is the one list of lessons the workflows iterate over.
//!
//! - `cargo xtask data`: generate the transactions datasets;
//! - `cargo xtask bench`: generate what is missing, measure every lesson ([`measure`]), write
//!   each lesson's record and draw its figures ([`figures`]), and print a summary;
//! - `cargo xtask diagnose -- COMMAND`: what limits any program ([`diagnose`]);
//! - `cargo xtask import-gpu`: record what the GPU lesson's device scripts measured elsewhere;
//! - `cargo xtask figures`: redraw every table and plot from the records (`--check`: compare);
//! - `cargo xtask book`: build (or `--serve`) the book, with link checking;
//! - `cargo xtask test`: formatting, lints, the figures, every test, and the exercises' proof;
//! - `cargo xtask exercise`: the exercises ([`exercise`]);
//! - `cargo xtask distributed`: the compute lesson's job on a local timely cluster.

mod book;
mod data;
mod diagnose;
mod distributed;
mod exercise;
mod faults;
mod figures;
mod flags;
mod lessons;
mod machine;
mod measure;
mod network;
mod shell;
mod test;
mod tidy;

use anyhow::Result;
use clap::Parser;
use flags::{Task, Xtask};
use lesson_memory::dataset::Spec;

fn main() -> Result<()> {
    match Xtask::parse().task {
        Task::Data { rows, seed, shards, dir } => {
            let folder = dir.unwrap_or_else(data::data_dir);
            data::ensure_in(&Spec { rows, seed, shards }, &folder).map(drop)
        }
        Task::Bench(flags) => measure::bench(&flags),
        Task::ImportGpu { dir, out } => measure::gpu::import(&dir, out),
        Task::Diagnose { mysteries: true, .. } => diagnose::mysteries(),
        Task::Diagnose { lesson: Some(lesson), .. } => diagnose::lesson(&lesson),
        Task::Diagnose { lesson: None, args, .. } => diagnose::run(&args),
        Task::Figures { check } => figures::run(check),
        Task::Book { serve } => book::run_book(serve),
        Task::Test => test::run_all(),
        Task::Exercise { command } => exercise::run(&command),
        Task::Distributed(args) => distributed::run_distributed(&args),
    }
}
