//! `cargo xtask data` interrupted, as a learner's Ctrl-C interrupts a billion-row run: nothing
//! is left but complete datasets, whether it was asked to stop or killed outright.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Enough rows that the generation is still writing its file when the signal comes.
const ROWS: &str = "30000000";

/// Starts generating into `datasets` and waits until its temporary file has data.
fn start(datasets: &Path) -> (Child, PathBuf) {
    let child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["data", "--rows", ROWS, "--dir"])
        .arg(datasets)
        .spawn()
        .expect("xtask starts");
    let temporary = datasets.join("tx-30M").join(format!("transactions.csv.tmp-{}", child.id()));
    let start = Instant::now();
    while !std::fs::metadata(&temporary).is_ok_and(|m| m.len() >= 1 << 20) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no {} after a minute",
            temporary.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, temporary)
}

fn signal(child: &Child, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(child.id()).expect("a process id");
    // SAFETY: sends a signal to our own child, which has not been reaped yet.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "signal {signal}");
}

/// The files in the dataset's folder.
fn left(datasets: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(datasets.join("tx-30M"))
        .expect("the dataset's folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_interrupted_generation_leaves_no_partial_file_and_the_next_removes_a_killed_one_s() {
    let datasets = tempfile::tempdir().expect("a folder");
    // Asked to stop: it removes its own partial file and fails, quickly.
    let (mut child, temporary) = start(datasets.path());
    let asked = Instant::now();
    signal(&child, libc::SIGINT);
    let status = child.wait().expect("reaped");
    assert!(!status.success(), "an interrupted run is not a success");
    assert!(asked.elapsed() < Duration::from_secs(10), "stopped after {:?}", asked.elapsed());
    assert!(!temporary.exists());
    assert_eq!(left(datasets.path()), Vec::<String>::new(), "no manifest, no partial file");
    // Killed outright, it leaves its file; the next run removes it before it writes its own.
    let (mut killed, stale) = start(datasets.path());
    signal(&killed, libc::SIGKILL);
    killed.wait().expect("reaped");
    assert!(stale.exists(), "nothing runs in a process killed outright");
    let (mut next, temporary) = start(datasets.path());
    assert!(!stale.exists(), "the killed run's partial file is removed");
    signal(&next, libc::SIGTERM);
    next.wait().expect("reaped");
    assert!(!temporary.exists());
    assert_eq!(left(datasets.path()), Vec::<String>::new());
}
