//! The workshop's diagnosis tool: run any program (a lesson's binary, your own, `python3
//! script.py`), children included, and say which resource limits it — compute, memory, I/O or
//! waiting — with the evidence, the rule that decided and the remedy the workshop teaches.
//!
//! These machines expose no hardware performance counters, so the verdict comes from what any
//! Linux process can read about another: the resource usage `wait4` returns for the whole tree
//! ([`run`]), the thread states and memory sampled from `/proc` while it runs ([`watch`],
//! [`proc`]), the machine's cores, memory and pressure-stall counters ([`machine`]), the storage
//! device's measured throughput ([`device`]), and under `--limit` what a memory cgroup counted
//! ([`limit`]). The rules that turn them into a verdict are in [`verdict`], one function of the
//! figures, tested on its own and on programs whose bottleneck is known (the `probe` binary).
//! Where the machine has hardware counters, a second run under `perf stat` adds what they say of
//! a computing program ([`counters`]). `kit` (with the feature `kit`) holds the checks of a set
//! of rules, for the lesson's tests and its exercises.

pub mod cli;
pub mod cost;
pub mod counters;
pub mod device;
pub mod error;
pub mod exercises;
#[cfg(feature = "kit")]
pub mod kit;
pub mod limit;
pub mod machine;
pub mod mystery;
pub mod probes;
pub mod proc;
pub mod profile;
pub mod report;
pub mod run;
pub mod simulate;
pub mod verdict;
pub mod watch;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use error::Error;
pub use verdict::{Bound, Evidence, Remedy, Verdict};

use machine::Capacity;
use run::Measured;

/// How to run a program and what to judge it against.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The memory the program has, bytes [default: the machine's available memory when it
    /// starts]: ask "would it fit in 4 GiB?" on a larger machine.
    pub memory_bytes: Option<u64>,
    /// Run it with at most this much memory, bytes, enforced by the kernel ([`limit`]), and
    /// judge it against that.
    pub limit_bytes: Option<u64>,
    /// The device's read throughput, bytes per second [default: measured once on the device
    /// holding `device_dir`, by writing a file of [`device::SAMPLE_BYTES`] there and reading it
    /// back cold, and kept].
    pub device_throughput: Option<f64>,
    /// The folder whose device is measured [default: the current folder].
    pub device_dir: Option<PathBuf>,
    /// Also run it once more under `perf`, sampling its call stacks, and draw them as a flame
    /// graph into this SVG file ([`profile`]); the verdict's run is not profiled.
    pub profile: Option<PathBuf>,
    /// Also run it once more on cachegrind's simulated processor, for its instruction and cache
    /// miss counts ([`simulate`]).
    pub simulate: bool,
    /// A smaller input to run it on first, in place of the last argument that names a file or
    /// folder: whether its memory grows with its input ([`verdict::with_growth`]).
    pub versus: Option<PathBuf>,
    /// Drop the files its arguments name from the page cache before each run, as after a
    /// restart, so that it reads them from the device.
    pub cold: bool,
}

/// The run on a smaller input, beside the main one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Smaller {
    /// The smaller input.
    pub input: PathBuf,
    /// The main input's size over the smaller one's, in bytes.
    pub input_ratio: f64,
    /// The smaller run's evidence.
    pub evidence: Evidence,
}

/// The files `path` names: itself, or a folder's files, those of its folders included.
fn files(path: &Path) -> Vec<PathBuf> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| entries.flatten().flat_map(|e| files(&e.path())).collect())
            .unwrap_or_default(),
        Ok(_) => vec![path.to_owned()],
        Err(_) => Vec::new(),
    }
}

/// The bytes of the files `path` names.
fn input_bytes(path: &Path) -> u64 {
    files(path).iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum()
}

/// Drops every file `command`'s arguments name from the page cache, each written to its device
/// first (the kernel keeps pages that are not), so that the run reads them from the device.
fn make_cold(command: &[OsString]) -> Result<(), Error> {
    for file in command.iter().skip(1).flat_map(|arg| files(Path::new(arg))) {
        let evict = std::fs::File::open(&file)
            .and_then(|f| f.sync_data())
            .and_then(|()| lesson_io::cache::evict(&file));
        evict.map_err(|source| Error::Evict { file, source })?;
    }
    Ok(())
}

/// A flame graph drawn of a second run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profiled {
    /// The SVG file.
    pub svg: PathBuf,
    /// The processor time its samples stand for, seconds.
    pub sampled_s: f64,
}

/// Which evidence decided: what the machine offers.
pub const TIER: &str = "process accounting (wait4 of the whole tree) and /proc samples";

/// A diagnosis: the verdict, the figures it came from, and everything measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The evidence the rules read.
    pub evidence: Evidence,
    /// Which evidence the machine offered, and so which decided.
    pub tier: String,
    /// Everything measured of the run.
    pub measured: Measured,
    /// The cores and memory the machine offered.
    pub capacity: Capacity,
    /// The flame graph of a second run, where one was asked for.
    pub profile: Option<Profiled>,
    /// Cachegrind's counts of a second run, where asked for.
    pub simulated: Option<simulate::Simulated>,
    /// The run on a smaller input, where asked for.
    pub smaller: Option<Smaller>,
    /// The hardware counters' counts of a second run, where the machine has counters.
    pub counted: Option<counters::Counted>,
}

/// Whether this machine has hardware performance counters (a PMU driver registered with the
/// kernel's perf events).
pub fn has_counters() -> bool {
    ["cpu", "cpu_core", "cpu_atom", "armv8_pmuv3_0"]
        .iter()
        .any(|pmu| Path::new("/sys/bus/event_source/devices").join(pmu).exists())
}

/// Runs `command` and diagnoses it.
pub fn diagnose(command: &[OsString], options: &Options) -> Result<Diagnosis, Error> {
    let capacity = Capacity::now();
    let device_throughput = match options.device_throughput {
        Some(t) => Some(t),
        None => {
            let dir = options.device_dir.clone().unwrap_or_else(|| PathBuf::from("."));
            Some(device::read_throughput(&dir)?)
        }
    };
    let memory_bytes =
        options.memory_bytes.or(options.limit_bytes).unwrap_or(capacity.available_bytes);
    // Each run in a cgroup of its own, so that each counts its own kills.
    let run = |command: &[OsString]| {
        if options.cold {
            make_cold(command)?;
        }
        let cgroup = options.limit_bytes.map(limit::Cgroup::new).transpose()?;
        run::run(command, cgroup.as_ref())
    };
    let judge =
        |measured: &Measured| Evidence::of(measured, &capacity, memory_bytes, device_throughput);
    let smaller = match &options.versus {
        Some(input) => {
            // An argument, not the program itself.
            let at = command
                .iter()
                .skip(1)
                .rposition(|a| Path::new(a).exists())
                .map(|i| i + 1)
                .ok_or(Error::NoInput)?;
            let mut smaller_command = command.to_vec();
            smaller_command[at] = input.clone().into_os_string();
            let input_ratio =
                input_bytes(Path::new(&command[at])) as f64 / input_bytes(input).max(1) as f64;
            let evidence = judge(&run(&smaller_command)?);
            Some(Smaller { input: input.clone(), input_ratio, evidence })
        }
        None => None,
    };
    let measured = run(command)?;
    let evidence = judge(&measured);
    let mut verdict = match &smaller {
        Some(s) => verdict::with_growth(&evidence, &s.evidence, s.input_ratio),
        None => verdict::decide(&evidence),
    };
    let profile = match &options.profile {
        Some(svg) => Some(profile::profile(command, &measured.command.join(" "), svg)?),
        None => None,
    };
    let simulated = if options.simulate { Some(simulate::simulate(command)?) } else { None };
    let (counted, tier) = if has_counters() {
        match counters::count(command, &counters::EVENTS).map(|c| counters::Counted::of(&c)) {
            Ok(Some(counted)) => {
                (Some(counted), format!("{TIER}, and hardware counters (perf stat, a second run)"))
            }
            Ok(None) => (None, format!("{TIER}; perf stat counted no cycles here")),
            Err(e) => (None, format!("{TIER}; this machine has hardware counters, but {e}")),
        }
    } else {
        (None, format!("{TIER}; this machine has no hardware counters"))
    };
    if let Some(counted) = &counted
        && verdict.bound == Bound::Compute
        && let Some(note) = counters::note(counted)
    {
        verdict.notes.push(note);
    }
    Ok(Diagnosis {
        verdict,
        evidence,
        tier,
        measured,
        capacity,
        profile,
        simulated,
        smaller,
        counted,
    })
}

impl Diagnosis {
    /// The diagnosis as a person reads it: the verdict, the rule, the remedy, the notes, and the
    /// figures.
    pub fn render(&self) -> String {
        let (v, e) = (&self.verdict, &self.evidence);
        let mut out = format!(
            "{}: {}-bound\n  because: {}\n  remedy: {} (book: {})\n",
            self.measured.command.join(" "),
            v.bound.name(),
            v.rule,
            v.advice,
            v.chapter
        );
        for note in &v.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        out.push_str(&format!(
            "  figures: wall {:.2} s; processor {:.2} s ({:.0}% in the kernel), {:.2} of {} cores \
             busy; running or ready in {:.0}% of {} samples, waiting for a device in {:.0}%; \
             peak memory {:.1} MiB of {:.1} GiB; {} major and {} minor faults; device {:.1} MB/s{}; \
             queued for a core {:.2} s\n  decided from: {}\n",
            e.wall_s,
            e.cpu_s,
            100.0 * e.system_share,
            e.cores_busy,
            e.cores,
            100.0 * e.running_share,
            self.measured.observed.samples,
            100.0 * e.disk_share,
            e.peak_resident_bytes as f64 / f64::from(1u32 << 20),
            e.memory_bytes as f64 / f64::from(1u32 << 30),
            e.major_faults,
            e.minor_faults,
            e.device_bytes_per_s / 1e6,
            e.device_throughput.map_or(String::new(), |t| format!(" of its {:.0} MB/s", t / 1e6)),
            e.queued_s,
            self.tier
        ));
        if let Some(l) = &self.measured.limited {
            out.push_str(&format!(
                "  limit: {:.1} MiB enforced; the out-of-memory killer ended {} of its \
                 processes{}\n",
                l.limit_bytes as f64 / f64::from(1u32 << 20),
                l.kills,
                l.peak_bytes.map_or(String::new(), |p| format!(
                    "; at most {:.1} MiB charged to it, file pages included",
                    p as f64 / f64::from(1u32 << 20)
                ))
            ));
        }
        if let Some(c) = &self.counted {
            out.push_str(&format!(
                "  counted (hardware counters, a second run): {:.3e} cycles, {:.3e} instructions \
                 ({:.2} per cycle){}\n",
                c.cycles,
                c.instructions,
                c.per_cycle(),
                c.miss_share().map_or(String::new(), |m| format!(
                    ", {:.0}% of cache references missed",
                    100.0 * m
                ))
            ));
        }
        if let Some(p) = &self.profile {
            out.push_str(&format!(
                "  flame graph (a second run): {} ({:.2} s of processor time sampled)\n",
                p.svg.display(),
                p.sampled_s
            ));
        }
        if let Some(s) = &self.simulated {
            out.push_str(&format!(
                "  simulated (cachegrind, a second run): {} instructions, {:.1} first-level data \
                 misses per thousand accesses, {} last-level misses\n",
                s.instructions,
                s.l1_misses_per_thousand(),
                s.last_level_misses
            ));
        }
        out
    }
}
