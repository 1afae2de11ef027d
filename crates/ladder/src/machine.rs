//! The machine a result was measured on: every record, table and plot names it.

use serde::{Deserialize, Serialize};

/// What was measured where, when, with what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Processor model, as `/proc/cpuinfo` names it.
    pub cpu: String,
    /// Cores the measuring process could use.
    pub cores: usize,
    /// Total memory in GiB.
    pub memory_gib: f64,
    /// Operating system and kernel.
    pub os: String,
    /// `rustc --version`.
    pub rustc: String,
    /// The workshop's commit (with `-dirty` if the tree had changes).
    pub commit: String,
    /// When, in UTC (ISO 8601).
    pub date: String,
}

impl Machine {
    /// One line for a caption: `AMD EPYC, 2 cores, 23.4 GiB, Debian 12 …, rustc 1.95.0, commit
    /// abc1234, 2026-11-23`.
    pub fn caption(&self) -> String {
        format!(
            "{}, {} cores, {} GiB, {}, {}, commit {}, {}",
            self.cpu,
            self.cores,
            self.memory_gib,
            self.os,
            self.rustc,
            self.commit,
            self.day()
        )
    }

    /// The caption in two lines, for a figure's narrow strip: the hardware and system, then
    /// the compiler, commit and day.
    pub fn caption_lines(&self) -> (String, String) {
        (
            format!("{}, {} cores, {} GiB, {}", self.cpu, self.cores, self.memory_gib, self.os),
            format!("{}, commit {}, {}", self.rustc, self.commit, self.day()),
        )
    }

    /// The day of the run, `2026-11-23`.
    pub fn day(&self) -> &str {
        &self.date[..10.min(self.date.len())]
    }
}
