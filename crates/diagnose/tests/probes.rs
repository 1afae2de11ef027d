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
    for probe in PROBES.iter().filter(|p| p.limit_bytes.is_none() || can_limit()) {
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
fn memory_that_grows_with_the_input_is_memory_and_a_stream_s_is_not() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let large = probes::data_file(dir.path()).expect("the read probes' file");
    let small = dir.path().join("small");
    std::fs::write(&small, vec![1u8; probes::FILE_BYTES / 8]).expect("a smaller file");
    let versus = Options { versus: Some(small), ..options(dir.path()) };
    let large = large.to_str().expect("a UTF-8 path");
    let load = probe(&["load", large, "--seconds", "0.3"], &versus);
    assert_bound(&load, Bound::Memory);
    assert!(load.verdict.rule.contains("grows with its input"), "{}", load.render());
    let stream = probe(&["read", large, "--seconds", "30"], &versus);
    assert_ne!(stream.verdict.bound, Bound::Memory, "{}", stream.render());
    let nothing = Options { versus: Some(dir.path().join("small")), ..options(dir.path()) };
    let why = diagnose(&[OsString::from(PROBE), "sleep".into()], &nothing).expect_err("no input");
    assert!(why.to_string().contains("--versus"), "{why}");
}

#[test]
fn a_busy_machine_is_named_and_not_misread_as_waiting() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = (2 * cores).to_string();
    // The device is measured before the rival starts, so the rival competes with the probes only.
    let options = options(dir.path());
    let mut rival = std::process::Command::new(PROBE)
        .args(["spin", "--threads", &threads, "--seconds", "10"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the rival starts");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let crowded = probe(&["spin", "--threads", "1"], &options);
    let sleeping = probe(&["sleep"], &options);
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

/// Whether this user may make a memory cgroup; if not, the tests that need one say so and pass,
/// except in CI, which runs as root.
fn can_limit() -> bool {
    match lesson_diagnose::limit::Cgroup::new(1 << 30) {
        Ok(_) => true,
        Err(why) => {
            assert!(std::env::var_os("CI").is_none(), "CI runs as root: {why}");
            eprintln!("{why}: skipped");
            false
        }
    }
}

/// The cgroups this test process made and left behind.
fn left_cgroups() -> Vec<String> {
    let own = std::fs::read_to_string("/proc/self/cgroup").expect("the process's cgroups");
    let prefix = format!("diagnose-{}-", std::process::id());
    let folders = own.lines().filter_map(|line| {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        let base = match controllers {
            "" => "/sys/fs/cgroup",
            c if c.split(',').any(|c| c == "memory") => "/sys/fs/cgroup/memory",
            _ => return None,
        };
        Some(format!("{base}{path}"))
    });
    folders
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().flatten())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&prefix))
        .collect()
}

#[test]
fn a_program_past_its_enforced_limit_dies_for_lack_of_memory_and_its_children_are_held_too() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    if !can_limit() {
        return;
    }
    let dir = scratch();
    let limited = Options { limit_bytes: Some(200 << 20), ..options(dir.path()) };
    let over = probe(&["memory", "--bytes", "419430400"], &limited);
    assert_bound(&over, Bound::Memory);
    assert_eq!(over.evidence.exit, lesson_diagnose::run::Exit::Signal(9), "{}", over.render());
    assert!(over.verdict.rule.contains("out-of-memory killer"), "{}", over.render());
    assert_eq!(over.evidence.memory_bytes, 200 << 20, "judged against its limit");
    // A grandchild is held by the same limit: the cgroup is entered before the program starts.
    let nested = format!("exec {PROBE} memory --bytes 419430400 & wait");
    let command: Vec<OsString> = ["sh", "-c", &nested].map(OsString::from).to_vec();
    let child = diagnose(&command, &limited).expect("sh runs");
    assert_bound(&child, Bound::Memory);
    assert_eq!(child.evidence.memory_kills, 1, "{}", child.render());
    // Within its limit it is not killed, and not memory-bound.
    let within = probe(&["memory", "--bytes", "31457280"], &limited);
    assert_eq!(within.evidence.memory_kills, 0, "{}", within.render());
    assert_bound(&within, Bound::Waiting);
    assert_eq!(left_cgroups(), Vec::<String>::new(), "every cgroup is removed");
}

/// Whether `tool` runs here; if not, the test that needs it says so and passes, except in CI,
/// which installs it.
fn has(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing in CI: cargo xtask test installs it"
        );
        eprintln!("{tool} not installed: skipped");
    }
    found
}

#[test]
fn a_profile_draws_the_spinning_function_and_a_simulation_counts_its_instructions() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let command: Vec<OsString> = [PROBE, "spin", "--seconds", "0.3"].map(OsString::from).to_vec();
    if has("perf") {
        let svg = dir.path().join("spin.svg");
        let profiled = Options { profile: Some(svg.clone()), ..options(dir.path()) };
        let d = diagnose(&command, &profiled).expect("perf records");
        let drawn = std::fs::read_to_string(&svg).expect("the flame graph is written");
        assert!(drawn.contains("probe::spin"), "the spinning function is in the flame graph");
        assert!(d.profile.is_some_and(|p| p.sampled_s > 0.1));
    }
    if has("valgrind") {
        let short: Vec<OsString> =
            [PROBE, "spin", "--seconds", "0.05"].map(OsString::from).to_vec();
        let simulated = Options { simulate: true, ..options(dir.path()) };
        let d = diagnose(&short, &simulated).expect("valgrind runs it");
        let s = d.simulated.expect("counts");
        assert!(s.instructions > 1_000_000 && s.data_accesses > 0, "{s:?}");
    }
}

#[test]
fn an_addition_in_rust_costs_a_few_instructions() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    if !has("valgrind") {
        return;
    }
    let rust = lesson_diagnose::cost::rust(Path::new(PROBE), true).expect("the loop runs");
    // The tests' probe is built without optimization: a few tens of instructions, not a few.
    assert!((1.0..100.0).contains(&rust.instructions), "{rust:?}");
    assert!(rust.nanoseconds > 0.0, "{rust:?}");
}
