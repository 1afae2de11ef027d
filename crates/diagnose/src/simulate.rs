//! `--sim`: what the caches did, from a simulated processor. Without hardware counters no
//! program here can count its cache misses, but cachegrind (part of valgrind) can run it on a
//! simulated processor that counts every instruction and every miss of a model of its caches.
//! It runs programs some fifty times slower, so give it a short run; the counts are the
//! simulation's, stated as such, and never decide the verdict.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::profile::ensure;

/// What cachegrind counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulated {
    /// Instructions executed.
    pub instructions: u64,
    /// Reads and writes of data.
    pub data_accesses: u64,
    /// Data accesses that missed the first-level cache.
    pub l1_data_misses: u64,
    /// Instruction and data accesses that missed the last-level cache: trips to memory.
    pub last_level_misses: u64,
}

impl Simulated {
    /// Misses of the first-level data cache per thousand data accesses.
    pub fn l1_misses_per_thousand(&self) -> f64 {
        1000.0 * self.l1_data_misses as f64 / self.data_accesses.max(1) as f64
    }
}

/// Reads cachegrind's output file: its `events:` line names the columns of its `summary:` line.
pub fn parse(text: &str, path: &Path) -> Result<Simulated, Error> {
    let malformed = |what: &str| Error::Malformed { path: path.to_path_buf(), what: what.into() };
    let line = |prefix: &str| text.lines().find_map(|l| l.strip_prefix(prefix));
    let events: Vec<&str> =
        line("events:").ok_or_else(|| malformed("an `events:` line"))?.split_whitespace().collect();
    let counts: Vec<u64> = line("summary:")
        .ok_or_else(|| malformed("a `summary:` line"))?
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| malformed("numbers on the `summary:` line"))?;
    let count = |name: &str| -> Result<u64, Error> {
        let at = events.iter().position(|e| *e == name);
        at.and_then(|i| counts.get(i).copied())
            .ok_or_else(|| malformed(&format!("a count of `{name}` (run with --cache-sim=yes)")))
    };
    Ok(Simulated {
        instructions: count("Ir")?,
        data_accesses: count("Dr")? + count("Dw")?,
        l1_data_misses: count("D1mr")? + count("D1mw")?,
        last_level_misses: count("ILmr")? + count("DLmr")? + count("DLmw")?,
    })
}

/// Runs `command` under cachegrind with its cache simulation: the counts of every process of
/// its tree together.
pub fn simulate(command: &[OsString]) -> Result<Simulated, Error> {
    ensure("valgrind", "valgrind")?;
    let failed = |source| Error::Tool { tool: "valgrind", source };
    let dir = tempfile::tempdir().map_err(failed)?;
    // One file per process: a launcher script (`python3` is often one) execs the real program,
    // and every process of the tree counts.
    let mut run = Command::new("valgrind");
    run.args(["--tool=cachegrind", "--cache-sim=yes", "--trace-children=yes", "--quiet"])
        .arg(format!("--cachegrind-out-file={}/cachegrind.%p", dir.path().display()))
        .arg("--")
        .args(command);
    let status = run.status().map_err(failed)?;
    let mut total: Option<Simulated> = None;
    for entry in std::fs::read_dir(dir.path()).map_err(failed)? {
        let path = entry.map_err(failed)?.path();
        let text = std::fs::read_to_string(&path).map_err(failed)?;
        let one = parse(&text, &path)?;
        total = Some(match total {
            None => one,
            Some(t) => Simulated {
                instructions: t.instructions + one.instructions,
                data_accesses: t.data_accesses + one.data_accesses,
                l1_data_misses: t.l1_data_misses + one.l1_data_misses,
                last_level_misses: t.last_level_misses + one.last_level_misses,
            },
        });
    }
    total
        .ok_or_else(|| failed(std::io::Error::other(format!("{status}: cachegrind wrote nothing"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "desc: I1 cache: 32768 B, 64 B, 8-way associative\n\
        cmd: ./probe spin\n\
        events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\n\
        fl=probe.rs\n\
        summary: 1000 10 2 400 40 4 100 10 1\n";

    #[test]
    fn reads_the_summary_by_its_event_names() {
        let s = parse(OUT, Path::new("cg.out")).expect("cachegrind's format");
        assert_eq!(
            s,
            Simulated {
                instructions: 1000,
                data_accesses: 500,
                l1_data_misses: 50,
                last_level_misses: 7
            }
        );
        assert_eq!(s.l1_misses_per_thousand(), 100.0);
    }

    #[test]
    fn a_run_without_the_cache_simulation_is_named() {
        let why = parse("events: Ir\nsummary: 1000\n", Path::new("cg.out")).expect_err("no Dr");
        assert!(why.to_string().contains("cg.out") && why.to_string().contains("Dr"), "{why}");
    }
}
