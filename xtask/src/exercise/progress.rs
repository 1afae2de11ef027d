//! What the learner has done: the exercises that passed and the hints given, kept in
//! `exercises/.progress.json` (not committed: it is the learner's).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::folder;

/// The learner's progress.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    /// The exercises whose checks passed.
    pub done: BTreeSet<String>,
    /// How many hints each exercise has given.
    pub hints: BTreeMap<String, usize>,
}

impl Progress {
    fn path() -> PathBuf {
        folder().join(".progress.json")
    }

    /// The progress so far; none if nothing was done yet (or the file cannot be read).
    pub fn load() -> Progress {
        fs::read_to_string(Self::path())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Keeps the progress.
    pub fn save(&self) -> Result<()> {
        crate::figures::ensure_file(&Self::path(), &(serde_json::to_string_pretty(self)? + "\n"))
    }
}
