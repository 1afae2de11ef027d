//! Real timely clusters on loopback give the single-machine answers (π's hits, a dataset's exact
//! totals), and a cluster whose peer never starts, dies, or lacks a shard ends with a clear error
//! instead of hanging.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use lesson_compute::cli::SumFields;
use lesson_compute::pi::{Job, sequential};
use lesson_memory::dataset::{Spec, generate};

/// Ports the system says are free right now (a small race remains: another program could
/// take one before timely binds it).
fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> =
        (0..n).map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port")).collect();
    listeners.iter().map(|l| l.local_addr().expect("bound").port()).collect()
}

fn start(hostfile: &Path, process: usize, samples: u64, timeout: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_compute"))
        .args(["cluster", "--json", "--timeout", timeout, "--samples", &samples.to_string()])
        .arg("--hostfile")
        .arg(hostfile)
        .args(["--process", &process.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// A hostfile for `n` processes on loopback, in a temporary folder (kept alive by the caller).
fn hostfile(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let hostfile = dir.path().join("hosts.txt");
    let lines: Vec<String> = free_ports(n).iter().map(|p| format!("127.0.0.1:{p}")).collect();
    std::fs::write(&hostfile, lines.join("\n")).expect("write");
    (dir, hostfile)
}

/// Starts process `process` of a summing cluster on `dataset`, with `workers` workers and the
/// pieces dealt by `assignment`, giving up after `timeout` seconds.
fn start_sum(
    hostfile: &Path,
    process: usize,
    (workers, assignment): (usize, u64),
    dataset: &Path,
    timeout: &str,
) -> Child {
    Command::new(env!("CARGO_BIN_EXE_compute"))
        .args(["cluster-sum", "--json", "--timeout", timeout, "--workers", &workers.to_string()])
        .arg("--hostfile")
        .arg(hostfile)
        .args(["--process", &process.to_string(), "--assignment", &assignment.to_string()])
        .arg(dataset)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Runs a summing cluster of one process per entry of `datasets` (each process's own copy of
/// the dataset), each started `stagger` after the one before: every process's output.
fn sum_on_cluster(
    datasets: &[&Path],
    workers: usize,
    assignment: u64,
    stagger: Duration,
) -> Vec<Output> {
    let (_dir, hostfile) = hostfile(datasets.len());
    let mut running = Running(Vec::new());
    for (p, dataset) in datasets.iter().enumerate() {
        if p > 0 {
            std::thread::sleep(stagger);
        }
        running.0.push(Some(start_sum(&hostfile, p, (workers, assignment), dataset, "30")));
    }
    (0..datasets.len()).map(|p| finish(&mut running, p, Duration::from_secs(40))).collect()
}

/// Another machine's copy of the dataset in `whole`: a folder beside it.
fn copy_of(whole: &Path) -> std::path::PathBuf {
    let copy = whole.with_file_name("copy");
    std::fs::create_dir(&copy).expect("a folder");
    for entry in std::fs::read_dir(whole).expect("the dataset") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, copy.join(path.file_name().expect("a name"))).expect("copied");
    }
    copy
}

/// Process 0's totals, from its JSON line.
fn totals(outputs: &[Output]) -> lesson_memory::totals::Summary {
    for out in outputs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let stdout = String::from_utf8_lossy(&outputs[0].stdout);
    let json = stdout.lines().find(|l| l.starts_with('{')).expect("a JSON line");
    let line: ladder::Line<SumFields> = serde_json::from_str(json).expect("a sum's line");
    line.fields.totals
}

#[test]
fn a_dataset_sums_to_its_manifest_on_one_two_and_four_processes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = Spec { rows: 50_000, seed: 8, shards: 5 };
    let manifest = generate(&spec, dir.path(), &|_| {}).expect("generated");
    for (processes, workers, assignment) in [(1, 1, 0), (2, 1, 0), (2, 3, 5), (4, 1, 77)] {
        let datasets = vec![dir.path(); processes];
        let outputs = sum_on_cluster(&datasets, workers, assignment, Duration::ZERO);
        assert_eq!(totals(&outputs), manifest.expected, "{processes} × {workers}");
    }
}

#[test]
fn a_peer_that_starts_late_is_waited_for_and_a_bad_row_on_one_machine_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = dir.path().join("whole");
    let spec = Spec { rows: 10_000, seed: 8, shards: 2 };
    let manifest = generate(&spec, &whole, &|_| {}).expect("generated");
    // Three seconds late: process 0 keeps trying to connect, and the run is as if it were not.
    let late = sum_on_cluster(&[&whole, &whole], 1, 0, Duration::from_secs(3));
    assert_eq!(totals(&late), manifest.expected);
    // Machine 1's copy has a bad last row in its second shard, in the piece that machine 1 sums
    // (the last of four, dealt in turn to workers 0, 1, 0, 1).
    let copy = copy_of(&whole);
    let spoiled = copy.join(&manifest.files[1].name);
    let text = std::fs::read_to_string(&spoiled).expect("readable");
    let mut lines: Vec<&str> = text.lines().collect();
    let last = lines.len();
    lines[last - 1] = "9999,4,forty";
    std::fs::write(&spoiled, lines.join("\n") + "\n").expect("written");
    let outputs = sum_on_cluster(&[whole.as_path(), copy.as_path()], 1, 0, Duration::ZERO);
    assert!(!outputs[0].status.success(), "the run fails");
    let stderr = String::from_utf8_lossy(&outputs[0].stderr);
    let line = format!("{}:{last}: ", spoiled.display());
    assert!(stderr.contains("process 1: ") && stderr.contains(&line), "{stderr}");
    assert!(stderr.contains("`forty`"), "what was found: {stderr}");
    assert!(!String::from_utf8_lossy(&outputs[0].stdout).contains('{'), "no total");
}

#[test]
fn a_shard_missing_on_one_machine_is_named_with_its_process_and_no_total_is_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = dir.path().join("whole");
    let spec = Spec { rows: 10_000, seed: 8, shards: 4 };
    let manifest = generate(&spec, &whole, &|_| {}).expect("generated");
    // Machine 1's copy of the dataset lacks its third shard.
    let copy = copy_of(&whole);
    let lost = copy.join(&manifest.files[2].name);
    std::fs::remove_file(&lost).expect("removed");
    let started = Instant::now();
    let outputs = sum_on_cluster(&[whole.as_path(), copy.as_path()], 2, 0, Duration::ZERO);
    assert!(!outputs[0].status.success(), "the run fails");
    let stderr = String::from_utf8_lossy(&outputs[0].stderr);
    assert!(
        stderr.contains("process 1: ") && stderr.contains(&*lost.to_string_lossy()),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&outputs[0].stdout).contains('{'), "no total");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn a_machine_whose_disk_hangs_is_waited_for_named_while_waiting_and_ends_the_run_at_the_deadline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = dir.path().join("whole");
    let spec = Spec { rows: 10_000, seed: 8, shards: 2 };
    let manifest = generate(&spec, &whole, &|_| {}).expect("generated");
    // On machine 1, a shard is a pipe nobody writes to: opening it never returns, as a read
    // from a network file system whose server has gone quiet does not.
    let copy = copy_of(&whole);
    let stuck = copy.join(&manifest.files[1].name);
    std::fs::remove_file(&stuck).expect("removed");
    let path = std::ffi::CString::new(stuck.to_string_lossy().as_bytes()).expect("a path");
    // SAFETY: a valid C string; `mkfifo` only makes a file.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0, "mkfifo");
    let (_hosts, hostfile) = hostfile(2);
    let peer = std::fs::read_to_string(&hostfile).expect("the hostfile");
    let peer = peer.lines().nth(1).expect("process 1's address").to_string();
    // Process 0 gives up first, after 7 s, having said at 5 s what it waits for.
    let started = Instant::now();
    let mut running = Running(vec![
        Some(start_sum(&hostfile, 0, (1, 0), &whole, "7")),
        Some(start_sum(&hostfile, 1, (1, 0), &copy, "60")),
    ]);
    let out = finish(&mut running, 0, Duration::from_secs(30));
    let seconds = started.elapsed().as_secs_f64();
    assert!(!out.status.success(), "the run fails");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Process 1 was dealt pieces of both files and is stuck on the second's (how many of its
    // results reached process 0 before it stuck depends on when timely flushed them).
    let owing = format!("process 1 ({peer}) still owes ");
    let stuck = "of its results, the others none: it is slow, stopped or stuck";
    for said in [
        format!("still waiting after 5 s of 7 s: {owing}"),
        format!("no result after 7 s: {owing}"),
    ] {
        let line = stderr.lines().find(|l| l.contains(&said)).unwrap_or_default();
        assert!(line.contains(stuck), "`{said}` in {stderr}");
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains('{'), "no total");
    assert!((7.0..20.0).contains(&seconds), "ends at the deadline: {seconds} s");
}

/// Processes killed and reaped when dropped: none outlives the test, whatever fails.
struct Running(Vec<Option<Child>>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in self.0.iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits for process `p` at most `limit`; a panic here still stops every process.
fn finish(running: &mut Running, p: usize, limit: Duration) -> Output {
    let start = Instant::now();
    let child = running.0[p].as_mut().expect("not finished yet");
    while child.try_wait().expect("status").is_none() {
        assert!(start.elapsed() < limit, "a cluster process still ran after {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    running.0[p].take().expect("a child").wait_with_output().expect("output")
}

#[test]
fn two_processes_on_loopback_agree_with_one_thread() {
    let (_dir, hostfile) = hostfile(2);
    let samples = 2_000_000;
    let mut running = Running(Vec::new());
    for p in 0..2 {
        running.0.push(Some(start(&hostfile, p, samples, "30")));
    }
    let outputs: Vec<Output> =
        (0..2).map(|p| finish(&mut running, p, Duration::from_secs(40))).collect();
    for out in &outputs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // Timely prints its own connection progress ("awaiting connections") on stdout too.
    let stdout = String::from_utf8_lossy(&outputs[0].stdout);
    let json = stdout.lines().find(|l| l.starts_with('{')).expect("process 0 prints a JSON line");
    let line: serde_json::Value = serde_json::from_str(json).expect("one JSON object");
    let expected =
        sequential(Job { samples, seed: 42 }, std::num::NonZeroUsize::MIN).expect("runs");
    assert_eq!(line["hits"], expected);
    assert_eq!(line["processes"], 2);
    let others = String::from_utf8_lossy(&outputs[1].stdout);
    assert!(!others.contains('{'), "only process 0 reports: {others}");
}

#[test]
fn a_peer_that_never_starts_ends_the_run_with_an_error() {
    let (_dir, hostfile) = hostfile(2);
    let started = Instant::now();
    let mut running = Running(vec![Some(start(&hostfile, 0, 1000, "2"))]);
    let out = finish(&mut running, 0, Duration::from_secs(20));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peer = std::fs::read_to_string(&hostfile).expect("the hostfile");
    let peer = peer.lines().nth(1).expect("process 1's address");
    let named = format!("no connection yet with process 1 ({peer}): not started");
    assert!(stderr.contains(&named), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(15), "bounded: {:?}", started.elapsed());
}

#[test]
fn a_peer_that_dies_during_the_run_ends_it_with_an_error() {
    let (_dir, hostfile) = hostfile(2);
    // A job of several seconds: process 0 counts its slices, then finds its peer gone when it
    // next exchanges data with it.
    let samples = 400_000_000;
    let mut running = Running(vec![
        Some(start(&hostfile, 0, samples, "120")),
        Some(start(&hostfile, 1, samples, "120")),
    ]);
    std::thread::sleep(Duration::from_millis(2500)); // connected, and counting
    let peer = running.0[1].as_mut().expect("running");
    assert!(peer.try_wait().expect("status").is_none(), "process 1 ended early");
    peer.kill().expect("kill process 1");
    let started = Instant::now();
    let out = finish(&mut running, 0, Duration::from_secs(90));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The peer's death, not the 120 s deadline, ended the run.
    assert!(stderr.contains("a peer process died or closed its connection"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(90), "{:?}", started.elapsed());
}
