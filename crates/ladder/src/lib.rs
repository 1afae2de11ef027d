//! # The ladder: the one pattern every lesson follows
//!
//! Each lesson of the workshop does one job many ways, from the notebook's Python approach to
//! the fastest we can write, and proves that every way gives the same result. This crate holds
//! what that pattern needs, and nothing about any one lesson:
//!
//! - [`rung`]: a [`Rung`] is one way, a [`Ladder`] all of them, checked when compiled;
//! - [`cli`]: the one driver of every lesson's binary (`--rung`, `--list`, `--json`, the table,
//!   the agreement check, the exit status), for any [`cli::Job`];
//! - [`line`]: the typed JSON [`Line`] the binaries print and `cargo xtask` reads back;
//! - [`testing`]: the runner of every lesson's "every rung agrees" tests, and [`exercise`]: what
//!   an exercise is and the check that it does the work itself;
//! - [`bench`]: the plan and the ids a benchmark and `cargo xtask bench` share, and
//!   [`machine`], the machine a record was measured on;
//! - small helpers more than one lesson needs: [`random`] numbers any thread can draw, a
//!   thread [`pool`] of a stated size, a [`probe`] that counts threads and open files while code
//!   runs, [`units`] for people, and [`fs::write_atomically`].
//!
//! Lessons depend on this crate, and it on none of them.

pub mod bench;
pub mod cli;
pub mod error;
pub mod exercise;
pub mod fs;
pub mod interrupt;
pub mod line;
pub mod machine;
pub mod pool;
pub mod probe;
pub mod random;
pub mod rung;
pub mod testing;
pub mod units;

pub use error::Error;
pub use line::Line;
pub use machine::Machine;
pub use rung::{Ladder, Need, Role, Rung};
