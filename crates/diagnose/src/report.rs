//! The record of one measured run: every probe (what `probe all` prints) and every rung of every
//! lesson, diagnosed, with the machine they ran on, for `cargo xtask figures` to draw the
//! chapter's tables from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

use crate::Diagnosis;
use crate::probes::Diagnosed;

/// Every probe's diagnosis, and where it was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Where and when.
    pub machine: Machine,
    /// True for a `--quick` run.
    pub quick: bool,
    /// Every probe, diagnosed.
    pub probes: Vec<Diagnosed>,
    /// Every rung of every lesson, diagnosed.
    pub rungs: Vec<Rung>,
    /// What one addition costs, in Rust and in CPython.
    pub additions: Vec<crate::cost::Cost>,
    /// One rung's call stacks, sampled, for the chapter's flame graph (where perf ran).
    pub flame: Option<Flame>,
}

/// A rung's call stacks, folded: what a flame graph is drawn from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flame {
    /// The lesson.
    pub lesson: String,
    /// The rung.
    pub rung: String,
    /// The job, as the table names it.
    pub job: String,
    /// The stacks, one line each with its weight (`main;parse 1000000`).
    pub folded: String,
}

/// One rung of a lesson's job, diagnosed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rung {
    /// The lesson.
    pub lesson: String,
    /// The job, as the table names it: `the 282 MB CSV`.
    pub job: String,
    /// The rung.
    pub rung: String,
    /// What the tool said.
    pub diagnosis: Diagnosis,
}
