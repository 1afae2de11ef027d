//! The hardware-counter tier, where the machine has counters (a laptop, a server of one's own;
//! not the virtual machines this book was measured on): the program runs once more under `perf
//! stat`, which counts its cycles, instructions, and cache references and misses, children
//! included.
//! They say what the rest of the evidence cannot: whether a computing program's processor does
//! work in most cycles, or waits for memory inside the core.
//!
//! `perf stat -x,` writes one line per event, `value,unit,event,...`: `<not supported>` for a
//! value where the machine cannot count it, an event name with modifiers (`cycles:u` where only
//! user code may be counted) or a processor type (`cpu_core/cycles/` on a processor with two
//! kinds of core, one line per kind, summed here).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The hardware events counted.
pub const EVENTS: [&str; 4] = ["cycles", "instructions", "cache-references", "cache-misses"];

/// Instructions per cycle below which a computing program is said to wait inside the core...
pub const FEW_PER_CYCLE: f64 = 0.7;

/// ...when at least this share of its cache references miss the last level.
pub const MISS_SHARE: f64 = 0.2;

/// Instructions per cycle at and above which the core is doing work in most cycles.
pub const MANY_PER_CYCLE: f64 = 2.0;

/// What the counters counted of a run, the whole tree.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    /// Processor cycles.
    pub cycles: f64,
    /// Instructions completed.
    pub instructions: f64,
    /// References to the last-level cache, where counted.
    pub cache_references: Option<f64>,
    /// Those that missed it and went to memory, where counted.
    pub cache_misses: Option<f64>,
}

impl Counted {
    /// The four events of [`EVENTS`] out of `counts`, if cycles and instructions were counted.
    pub fn of(counts: &BTreeMap<String, f64>) -> Option<Counted> {
        Some(Counted {
            cycles: *counts.get("cycles")?,
            instructions: *counts.get("instructions")?,
            cache_references: counts.get("cache-references").copied(),
            cache_misses: counts.get("cache-misses").copied(),
        })
    }

    /// Instructions per cycle.
    pub fn per_cycle(&self) -> f64 {
        self.instructions / self.cycles.max(1.0)
    }

    /// The share of cache references that missed, where both were counted.
    pub fn miss_share(&self) -> Option<f64> {
        Some(self.cache_misses? / self.cache_references?.max(1.0))
    }
}

/// An event's name without its processor type or modifiers: `cpu_core/cycles/` and `cycles:u`
/// are `cycles`.
fn plain(event: &str) -> &str {
    let event = match event.split_once('/') {
        Some((_, rest)) => rest.trim_end_matches('/'),
        None => event,
    };
    event.split(':').next().unwrap_or(event)
}

/// The counts in the text `perf stat -x,` wrote, by plain event name; events it could not
/// count are left out. `path` names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<BTreeMap<String, f64>, Error> {
    let mut counts = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        let (Some(value), Some(event)) = (fields.first(), fields.get(2)) else {
            return Err(Error::Malformed {
                path: path.into(),
                what: format!("`value,unit,event,...` on line {}, found `{line}`", i + 1),
            });
        };
        if value.starts_with('<') {
            continue;
        }
        let value: f64 = value.parse().map_err(|_| Error::Malformed {
            path: path.into(),
            what: format!("a count on line {}, found `{value}`", i + 1),
        })?;
        *counts.entry(plain(event).to_owned()).or_insert(0.0) += value;
    }
    Ok(counts)
}

/// Runs `command` once more under `perf stat`, counting `events`: the counts, by plain name.
/// A second run, as for a profile, because `perf stat` reports a program killed by a signal as
/// a success, and the verdict's run must say how it ended.
pub fn count(command: &[OsString], events: &[&str]) -> Result<BTreeMap<String, f64>, Error> {
    let failed = |source| Error::Tool { tool: "perf stat", source };
    let out = tempfile::NamedTempFile::new().map_err(failed)?;
    let status = Command::new("perf")
        .args(["stat", "-x,", "-e", &events.join(","), "-o"])
        .arg(out.path())
        .arg("--")
        .args(command)
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Missing { tool: "perf", package: "linux-perf" });
        }
        other => drop(other.map_err(failed)?),
    }
    let text = std::fs::read_to_string(out.path()).map_err(failed)?;
    let counts = parse(&text, out.path())?;
    if counts.is_empty() {
        // Its own failure (an event it does not know), said on its standard error.
        return Err(Error::Malformed {
            path: out.path().into(),
            what: format!("a count of one of {}", events.join(", ")),
        });
    }
    Ok(counts)
}

/// What the counters add to a computing program's verdict, if anything.
pub fn note(counted: &Counted) -> Option<String> {
    let per_cycle = counted.per_cycle();
    match counted.miss_share() {
        Some(missed) if per_cycle < FEW_PER_CYCLE && missed >= MISS_SHARE => Some(format!(
            "its processor waits for memory: {per_cycle:.2} instructions per cycle, and {:.0}% \
             of its cache references missed (at most {FEW_PER_CYCLE} and at least {:.0}%): \
             data that stays in cache (the vectorize lesson's blocks) does more per cycle",
            100.0 * missed,
            100.0 * MISS_SHARE
        )),
        _ if per_cycle >= MANY_PER_CYCLE => Some(format!(
            "{per_cycle:.2} instructions per cycle (at least {MANY_PER_CYCLE}): the core does \
             work in most cycles; only fewer instructions, or more cores, make it faster"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `perf stat -x,` wrote on a laptop with counters, a two-kind processor and user-only
    /// counting among them, and on a virtual machine without.
    const LAPTOP: &str = "# started on Tue Dec  1 19:12:04 2026\n\n\
        4000000000,,cpu_core/cycles/,1000,100.00,,\n\
        1000000000,,cpu_atom/cycles/,1000,100.00,,\n\
        2500000000,,instructions:u,1000,100.00,0.50,insn per cycle\n\
        90000000,,cache-references,1000,100.00,,\n\
        30000000,,cache-misses,1000,100.00,33.333,% of all cache refs\n";
    const VIRTUAL: &str = "179.84,msec,task-clock,179835182,100.00,0.944,CPUs utilized\n\
        <not supported>,,cycles,0,100.00,,\n\
        <not supported>,,instructions,0,100.00,,\n";

    #[test]
    fn counts_are_read_by_plain_name_summed_over_kinds_of_core() {
        let counts = parse(LAPTOP, Path::new("laptop")).expect("well formed");
        let counted = Counted::of(&counts).expect("cycles and instructions");
        assert_eq!(counted.cycles, 5e9);
        assert_eq!(counted.per_cycle(), 0.5);
        assert_eq!(counted.miss_share(), Some(1.0 / 3.0));
        let note = note(&counted).expect("a note");
        assert!(note.contains("waits for memory") && note.contains("0.50"), "{note}");
    }

    #[test]
    fn events_it_could_not_count_are_left_out_and_nonsense_is_named() {
        let counts = parse(VIRTUAL, Path::new("vm")).expect("well formed");
        assert_eq!(counts.keys().collect::<Vec<_>>(), ["task-clock"]);
        assert_eq!(Counted::of(&counts), None);
        let why = parse("lots,,cycles\n", Path::new("perf.txt")).expect_err("not a number");
        assert!(why.to_string().contains("perf.txt") && why.to_string().contains("`lots`"));
        assert!(parse("12\n", Path::new("perf.txt")).is_err(), "a line without an event");
    }

    #[test]
    fn many_instructions_per_cycle_say_the_core_is_working_and_the_middle_says_nothing() {
        let busy =
            Counted { cycles: 1e9, instructions: 3e9, cache_references: None, cache_misses: None };
        assert!(note(&busy).is_some_and(|n| n.contains("3.00 instructions per cycle")));
        let middle = Counted { instructions: 1.2e9, ..busy };
        assert_eq!(note(&middle), None);
    }

    #[test]
    fn a_run_under_perf_stat_is_counted_children_included() {
        if std::process::Command::new("perf").arg("--version").output().is_err() {
            assert!(std::env::var_os("CI").is_none(), "perf is missing in CI");
            eprintln!("perf not installed: skipped");
            return;
        }
        // Software events stand in for the hardware ones, which this machine may not count:
        // the run, the file and the parsing are the same.
        let command: Vec<OsString> =
            ["sh", "-c", "sh -c 'cat /proc/self/status > /dev/null'"].map(OsString::from).to_vec();
        let counts = count(&command, &["task-clock", "page-faults"]).expect("perf runs");
        assert!(counts.get("page-faults").is_some_and(|&n| n > 10.0), "{counts:?}");
        assert!(counts.get("task-clock").is_some_and(|&ms| ms > 0.0), "{counts:?}");
        let unknown = count(&command, &["no-such-event"]).expect_err("an event perf does not know");
        assert!(unknown.to_string().contains("no-such-event"), "{unknown}");
    }
}
