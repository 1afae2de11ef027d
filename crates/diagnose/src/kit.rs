//! The checks of a set of rules, as functions of the rules, for the lesson's own tests and for
//! the exercise that has the learner write them: the verdict on every kind of evidence the
//! rules must tell apart. Every case starts from one plain run, [`one_busy_core`], and changes
//! only what the case is about.

use crate::mystery::{Answer, MYSTERIES};
use crate::run::{Exit, SIGKILL};
use crate::verdict::{Bound, Evidence};

/// What the rules are: the limit a run's evidence shows, and why.
pub type Rule = fn(&Evidence) -> (Bound, String);

/// A run of one second that computes on one of two cores, and nothing else.
pub fn one_busy_core() -> Evidence {
    Evidence {
        wall_s: 1.0,
        cpu_s: 1.0,
        system_share: 0.0,
        cores_busy: 1.0,
        cores: 2,
        running_share: 1.0,
        disk_share: 0.0,
        peak_resident_bytes: 2 << 20,
        memory_bytes: 16 << 30,
        memory_share: (2 << 20) as f64 / (16u64 << 30) as f64,
        major_faults: 0,
        minor_faults: 100,
        device_bytes: 0,
        device_bytes_per_s: 0.0,
        device_throughput: Some(1e9),
        device_share: Some(0.0),
        device_bytes_per_kernel_s: 0.0,
        io_pressure_share: Some(0.0),
        queued_s: 0.0,
        voluntary_switches: 2,
        exit: Exit::Code(0),
        memory_kills: 0,
    }
}

/// One kind of evidence, and the limit it shows.
#[derive(Clone, Debug)]
pub struct Case {
    /// What it is.
    pub what: &'static str,
    /// The figures.
    pub evidence: Evidence,
    /// The limit.
    pub bound: Bound,
}

/// Every case the rules must get right.
pub fn cases() -> Vec<Case> {
    let run = one_busy_core;
    let cold = Evidence {
        system_share: 0.9,
        device_bytes: 800 << 20,
        device_bytes_per_s: 0.8e9,
        device_share: Some(0.8),
        device_bytes_per_kernel_s: 0.9e9,
        ..run()
    };
    let case = |what, evidence, bound| Case { what, evidence, bound };
    vec![
        case("one busy core", run(), Bound::Compute),
        case("both cores busy", Evidence { cpu_s: 2.0, cores_busy: 2.0, ..run() }, Bound::Compute),
        case(
            "ready to run but kept off its core by another program",
            Evidence { cpu_s: 0.3, cores_busy: 0.3, queued_s: 0.7, ..run() },
            Bound::Compute,
        ),
        case(
            "off the processor and off the device",
            Evidence { cpu_s: 0.001, cores_busy: 0.001, running_share: 0.0, ..run() },
            Bound::Waiting,
        ),
        case("most of the memory held", Evidence { memory_share: 0.6, ..run() }, Bound::Memory),
        case(
            "killed holding a quarter of the memory",
            Evidence { memory_share: 0.3, exit: Exit::Signal(SIGKILL), ..run() },
            Bound::Memory,
        ),
        case(
            "killed holding almost nothing",
            Evidence { memory_share: 0.01, exit: Exit::Signal(SIGKILL), ..run() },
            Bound::Compute,
        ),
        case(
            "killed at its enforced limit, before a sample saw it grow",
            Evidence {
                memory_share: 0.05,
                memory_bytes: 400 << 20,
                exit: Exit::Signal(SIGKILL),
                memory_kills: 1,
                ..run()
            },
            Bound::Memory,
        ),
        case(
            "a worker killed at the limit, the program carrying on without it",
            Evidence { memory_kills: 1, ..run() },
            Bound::Memory,
        ),
        case("paging", Evidence { major_faults: 5000, ..run() }, Bound::Memory),
        case("a cold read, in the kernel's time", cold.clone(), Bound::Io),
        case(
            "a thread waiting in uninterruptible sleep",
            Evidence { disk_share: 0.9, cores_busy: 0.1, running_share: 0.1, ..run() },
            Bound::Io,
        ),
        case(
            "small reads from a fast device",
            Evidence {
                system_share: 0.98,
                cores_busy: 0.4,
                running_share: 0.85,
                device_bytes: 64 << 20,
                device_bytes_per_s: 0.064e9,
                device_share: Some(0.03),
                device_bytes_per_kernel_s: 0.17e9,
                ..run()
            },
            Bound::Io,
        ),
        case(
            "the machine stalled on a device while it moved bytes",
            Evidence { device_bytes: 64 << 20, io_pressure_share: Some(0.5), ..run() },
            Bound::Io,
        ),
        case(
            "another program's stalls, with none of its own bytes",
            Evidence { io_pressure_share: Some(0.9), ..run() },
            Bound::Compute,
        ),
        case(
            "a sleep that loads its own code from the disk",
            Evidence {
                cpu_s: 0.001,
                cores_busy: 0.001,
                running_share: 0.0,
                system_share: 0.84,
                device_bytes: 128 << 10,
                device_bytes_per_kernel_s: 33e6,
                ..run()
            },
            Bound::Waiting,
        ),
        case(
            "the kernel's time without the device: fresh memory",
            Evidence { system_share: 0.95, minor_faults: 70_000, ..run() },
            Bound::Compute,
        ),
        case(
            "a cold read from a device of unknown speed, nobody waiting",
            Evidence {
                device_throughput: None,
                device_share: None,
                device_bytes_per_kernel_s: 0.0,
                device_bytes: 0,
                ..cold
            },
            Bound::Compute,
        ),
    ]
}

/// `rule` on every case of [`cases`]: the limit each shows.
pub fn decides_like_the_tool(what: &str, rule: Rule) {
    for case in cases() {
        let (bound, why) = rule(&case.evidence);
        assert_eq!(bound, case.bound, "{what} on {}: said {bound:?} because {why}", case.what);
    }
}

/// `rule` on every case of [`cases`]: a reason that states a figure.
pub fn says_why_with_figures(what: &str, rule: Rule) {
    for case in cases() {
        let (_, why) = rule(&case.evidence);
        assert!(
            why.chars().any(|c| c.is_ascii_digit()),
            "{what} on {}: the reason `{why}` states no figure",
            case.what
        );
    }
}

/// `answers` against the tool run on each of [`MYSTERIES`]: the limit and the remedy of each.
/// Skipped where Python is missing, except in CI.
pub fn names_what_limits_each_mystery(what: &str, answers: fn() -> [Answer; 4]) {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "python3 is missing in CI");
        eprintln!("python3 not found: the mysteries are Python programs; skipped");
        return;
    }
    let dir = crate::mystery::inputs_folder();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    crate::mystery::write_inputs(&dir).unwrap_or_else(|e| panic!("the inputs: {e}"));
    let device = crate::device::read_throughput(&dir).unwrap_or_else(|e| panic!("{e}"));
    // The interpreter and the modules the programs import, read once into the page cache: on a
    // machine that has just written gigabytes (a fresh build), reading them again from a busy
    // disk can make a program that waits on the network look as if it waited for the disk.
    let imports = "import concurrent.futures, http.server, json, threading, urllib.request";
    let warmed = std::process::Command::new("python3").args(["-c", imports]).status();
    assert!(warmed.is_ok_and(|s| s.success()), "python3 -c '{imports}' failed");
    for (mystery, answer) in MYSTERIES.iter().zip(answers()) {
        let diagnosis = crate::mystery::diagnosis(mystery, &dir, device)
            .unwrap_or_else(|e| panic!("{}: {e}", mystery.script));
        let told = Answer { bound: diagnosis.verdict.bound, remedy: diagnosis.verdict.remedy };
        // The tool's verdict is not shown: running it is the exercise.
        assert!(
            answer == told,
            "{what}: {} is not {answer:?}; run the command `cargo xtask diagnose --mysteries` \
             prints for it, and read what it says",
            mystery.script
        );
    }
}
