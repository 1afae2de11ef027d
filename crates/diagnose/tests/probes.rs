//! The tool on programs whose bottleneck is known by construction (the `probe` binary): each
//! verdict asserted. The probes run one at a time, so that none is another's competition, except
//! where competition is the point.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use lesson_diagnose::{Bound, Diagnosis, Options, diagnose};

/// One probe at a time.
static ALONE: Mutex<()> = Mutex::new(());

const PROBE: &str = env!("CARGO_BIN_EXE_probe");

/// A folder on the same disk as the build (the test's target folder), never a RAM-backed
/// `/tmp`: a cold read must come from a device.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a folder in the target folder")
}

fn options(dir: &Path) -> Options {
    Options { device_dir: Some(dir.to_path_buf()), ..Options::default() }
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
fn a_spin_computes_on_one_core_and_on_every_core() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let one = probe(&["spin", "--threads", "1"], &options(dir.path()));
    assert_bound(&one, Bound::Compute);
    let cores = one.machine.cores;
    if cores > 1 {
        assert_eq!(one.verdict.chapter, "compute.md", "{}", one.render());
        assert!(one.evidence.cores_busy < 1.2, "{}", one.render());
    }
    let threads = cores.to_string();
    let all = probe(&["spin", "--threads", &threads], &options(dir.path()));
    assert_bound(&all, Bound::Compute);
    assert_eq!(all.verdict.chapter, "vectorize.md", "{}", all.render());
}

#[test]
fn a_sleep_and_a_slow_server_are_waiting() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    assert_bound(&probe(&["sleep"], &options(dir.path())), Bound::Waiting);
    assert_bound(&probe(&["server", "--delay-ms", "20"], &options(dir.path())), Bound::Waiting);
}

#[test]
fn a_cold_read_and_small_direct_reads_are_io() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let path = dir.path().join("data");
    let mut file = std::fs::File::create(&path).expect("create");
    let block: Vec<u8> = (0..1 << 20).map(|i| (i % 253) as u8 + 1).collect();
    for _ in 0..512 {
        file.write_all(&block).expect("write");
    }
    file.sync_all().expect("sync");
    let file = path.to_str().expect("a UTF-8 path");
    let cold = probe(&["read", file, "--seconds", "30"], &options(dir.path()));
    assert_bound(&cold, Bound::Io);
    assert!(cold.evidence.device_share.is_some_and(|s| s >= 0.5), "{}", cold.render());
    let direct = probe(&["direct", file], &options(dir.path()));
    assert_bound(&direct, Bound::Io);
}

#[test]
fn memory_near_the_limit_is_memory() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch();
    let limited = Options { memory_bytes: Some(400 << 20), ..options(dir.path()) };
    let held = probe(&["memory", "--bytes", &(300usize << 20).to_string()], &limited);
    assert_bound(&held, Bound::Memory);
    // The same program judged against the machine's memory is not memory-bound.
    let roomy = probe(&["memory", "--bytes", &(30usize << 20).to_string()], &options(dir.path()));
    assert_ne!(roomy.verdict.bound, Bound::Memory, "{}", roomy.render());
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
