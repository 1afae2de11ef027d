//! A real two-process timely cluster on loopback gives the single-machine answer, and a
//! cluster whose peer never starts ends with a clear error instead of hanging.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use lesson_compute::pi::{Job, sequential};

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

/// Waits for `child` at most `limit`, killing it after that: no process outlives the test.
fn finish(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().expect("status").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("a cluster process still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn two_processes_on_loopback_agree_with_one_thread() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hostfile = dir.path().join("hosts.txt");
    let lines: Vec<String> = free_ports(2).iter().map(|p| format!("127.0.0.1:{p}")).collect();
    std::fs::write(&hostfile, lines.join("\n")).expect("write");
    let samples = 2_000_000;
    let children: Vec<Child> = (0..2).map(|p| start(&hostfile, p, samples, "30")).collect();
    let outputs: Vec<Output> =
        children.into_iter().map(|c| finish(c, Duration::from_secs(40))).collect();
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
    let dir = tempfile::tempdir().expect("temp dir");
    let hostfile = dir.path().join("hosts.txt");
    let lines: Vec<String> = free_ports(2).iter().map(|p| format!("127.0.0.1:{p}")).collect();
    std::fs::write(&hostfile, lines.join("\n")).expect("write");
    let started = Instant::now();
    let out = finish(start(&hostfile, 0, 1000, "2"), Duration::from_secs(20));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a peer did not start, died, or cannot be reached"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(15), "bounded: {:?}", started.elapsed());
}
