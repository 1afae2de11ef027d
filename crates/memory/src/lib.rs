//! # Memory: chunk and stream a file that does not fit in RAM
//!
//! The lesson's job is the seed notebook's: the total of a transactions CSV, overall and per
//! user. Its [`ladder`] holds every way we do it, from loading the whole file the way
//! `pd.read_csv` does to parsing a memory-mapped file on every core; every rung returns the
//! same exact [`Totals`], defined so that order and chunking cannot change a single bit (see
//! [`exact`]).
//!
//! The modules, in the order a reader meets them:
//! - [`dataset`] makes the data and the manifest of its exact totals;
//! - [`decimal`] and [`record`] define a valid value and a valid row, for every rung;
//! - [`exact`] and [`totals`] add values without rounding;
//! - [`fast`] is the hand-written parser the fast rungs share;
//! - [`ladder`] is the list of rungs; [`drift`] shows what naive float sums do instead;
//! - [`alloc`] measures the heap each rung uses; [`anatomy`] times the fast rung's stages;
//! - [`cli`] is the `memory` binary's command line; [`bench`] is what the benchmarks measure and
//!   the targets they are judged by; [`report`] is the record of a measured run;
//! - `kit` (with the feature `kit`) holds the rung tests, for the lesson's tests and the
//!   exercises.

pub mod alloc;
pub mod anatomy;
pub mod bench;
pub mod cli;
pub mod dataset;
pub mod decimal;
pub mod drift;
pub mod error;
pub mod exact;
pub mod exercises;
pub mod fast;
#[cfg(feature = "kit")]
pub mod kit;
pub mod ladder;
pub mod record;
pub mod report;
pub mod totals;

pub use self::ladder::{LADDER, Options, parse_bytes};
pub use error::{Error, Problem};
pub use totals::{Summary, Totals};
