//! The record of one measured run of the probes: what `probe all` prints, with the machine it
//! ran on, for `cargo xtask figures` to draw the chapter's table from.

use ladder::Machine;
use serde::{Deserialize, Serialize};

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
}
