//! The tool on programs whose bottleneck is known by construction (the `probe` binary): each
//! verdict asserted. The probes run one at a time, so that none is another's competition, except
//! where competition is the point.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Mutex;

use lesson_diagnose::probes::{self, PROBES};
use lesson_diagnose::{Bound, Diagnosis, Options, diagnose};

/// One probe at a time.
static ALONE: Mutex<()> = Mutex::new(());

const PROBE: &str = env!("CARGO_BIN_EXE_probe");

/// A folder on the same disk as the build (the test's target folder), never a RAM-backed
/// `/tmp`: a cold read must come from a device.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a folder in the target folder")
}

/// The device measured once for this test run (not the figure kept from an earlier one: a
/// virtual disk's speed changes from day to day).
fn options(dir: &Path) -> Options {
    static DEVICE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let throughput =
        *DEVICE.get_or_init(|| lesson_diagnose::device::measure(dir).expect("the device reads"));
    Options { device_throughput: Some(throughput), ..Options::default() }
}

fn probe(args: &[&str], options: &Options) -> Diagnosis {
    let command: Vec<OsString> =
        std::iter::once(PROBE).chain(args.iter().copied()).map(OsString::from).collect();
    diagnose(&command, options).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn assert_bound(d: &Diagnosis, bound: Bound) {
    assert_eq!(d.verdict.bound, bound, "{}", d.render());
}

#[test]
fn every_probe_gets_its_verdict() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let file = probes::data_file(dir.path()).expect("the read probes' file");
    for probe in &PROBES {
        let d = probes::run(probe, Path::new(PROBE), &file, &options(dir.path()))
            .unwrap_or_else(|e| panic!("{}: {e}", probe.name));
        assert_eq!(d.verdict.bound, probe.expected, "{}: {}", probe.name, d.render());
    }
}

#[test]
fn one_busy_core_of_several_is_told_to_parallelize_and_every_core_to_vectorize() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let one = probe(&["spin", "--threads", "1"], &options(dir.path()));
    let cores = one.capacity.cores;
    if cores > 1 {
        assert_eq!(one.verdict.chapter, "compute.md", "{}", one.render());
        assert!(one.evidence.cores_busy < 1.2, "{}", one.render());
    }
    let threads = cores.to_string();
    let all = probe(&["spin", "--threads", &threads], &options(dir.path()));
    assert_eq!(all.verdict.chapter, "vectorize.md", "{}", all.render());
}

#[test]
fn a_cold_read_is_counted_in_device_bytes_at_the_device_s_speed() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let file = probes::data_file(dir.path()).expect("the read probes' file");
    let file = file.to_str().expect("a UTF-8 path");
    let cold = probe(&["read", file, "--seconds", "30"], &options(dir.path()));
    // In the units of the device's throughput: a share of it, not a thousand times it.
    assert!(
        cold.evidence.device_share.is_some_and(|s| (0.2..5.0).contains(&s)),
        "{}",
        cold.render()
    );
    assert!(cold.measured.device_read_bytes >= probes::FILE_BYTES as u64 / 2, "{}", cold.render());
}

#[test]
fn a_busy_machine_is_named_and_not_misread_as_waiting() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = (2 * cores).to_string();
    let mut rival = std::process::Command::new(PROBE)
        .args(["spin", "--threads", &threads, "--seconds", "4"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the rival starts");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let crowded = probe(&["spin", "--threads", "1"], &options(dir.path()));
    let sleeping = probe(&["sleep"], &options(dir.path()));
    let _ = rival.kill();
    let _ = rival.wait();
    assert_bound(&crowded, Bound::Compute);
    assert!(
        crowded.verdict.notes.iter().any(|n| n.contains("busy with other work")),
        "{}",
        crowded.render()
    );
    assert_bound(&sleeping, Bound::Waiting);
}

#[test]
fn a_python_program_is_diagnosed_with_its_interpreter() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 not found: skipped");
        return;
    }
    let dir = scratch();
    let command: Vec<OsString> =
        ["python3", "-c", "sum(i * i for i in range(10_000_000))"].map(OsString::from).to_vec();
    let spin = diagnose(&command, &options(dir.path())).expect("python3 runs");
    assert_bound(&spin, Bound::Compute);
    let command: Vec<OsString> =
        ["python3", "-c", "import time; time.sleep(1)"].map(OsString::from).to_vec();
    let sleep = diagnose(&command, &options(dir.path())).expect("python3 runs");
    assert_bound(&sleep, Bound::Waiting);
}
