//! The summing cluster's faults, made to happen: a peer that never starts, starts late, dies,
//! lacks a shard, has a bad row, or hangs on its disk. Each runs two real processes on a small
//! dataset (one of them with its own, spoiled, copy) and records what process 0 said, after how
//! long, and whether it printed a total: the book's table, and `cargo xtask distributed --job
//! faults` for a learner.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use lesson_compute::cli::SumFields;
use lesson_compute::report::FaultRun;
use lesson_memory::dataset::{Manifest, Spec};

use crate::distributed::{Children, write_hostfile};
use crate::measure::binary;
use crate::network::Network;
use crate::shell::target_dir;

/// What goes wrong, and how it is made to.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Process 1 is never started.
    NeverStarts,
    /// Process 1 starts [`LATE`] after process 0.
    StartsLate,
    /// Process 1 hangs on a shard, then is killed [`LATE`] into the run.
    Dies,
    /// Process 1's copy of the dataset lacks a shard.
    MissingShard,
    /// Process 1's copy has a bad last row.
    BadRow,
    /// Process 1's copy has a shard that never answers: a pipe nobody writes to.
    Hangs,
}

const FAULTS: [Fault; 6] = [
    Fault::NeverStarts,
    Fault::StartsLate,
    Fault::Dies,
    Fault::MissingShard,
    Fault::BadRow,
    Fault::Hangs,
];

/// How late a late peer starts, and how long a dying one lives.
const LATE: Duration = Duration::from_secs(2);

/// Process 0's deadline where it is the point of the fault; long otherwise.
const SHORT: Duration = Duration::from_secs(6);
const LONG: Duration = Duration::from_secs(60);

/// The dataset every fault is made on: small, so that everything but the fault is quick.
const SPEC: Spec = Spec { rows: 100_000, seed: 8, shards: 4 };

impl Fault {
    fn describe(self) -> String {
        match self {
            Fault::NeverStarts => format!("a peer never starts (`--timeout {}`)", SHORT.as_secs()),
            Fault::StartsLate => format!("a peer starts {} s late", LATE.as_secs()),
            Fault::Dies => format!("a peer is killed {} s into the run", LATE.as_secs()),
            Fault::MissingShard => "a shard is missing from one machine's copy".into(),
            Fault::BadRow => "one machine's copy has a bad row".into(),
            Fault::Hangs => {
                format!("one machine's disk stops answering (`--timeout {}`)", 2 * SHORT.as_secs())
            }
        }
    }

    /// Process 0's deadline.
    fn deadline(self) -> Duration {
        match self {
            Fault::NeverStarts => SHORT,
            Fault::Hangs => 2 * SHORT,
            _ => LONG,
        }
    }
}

/// Runs every fault on `network`: what process 0 said about each.
pub fn run_all(network: &Network) -> Result<Vec<FaultRun>> {
    let dir = target_dir()?.join("xtask-faults");
    let (whole, manifest) = crate::data::ensure_in(&SPEC, &dir)?;
    let binary = binary("lesson-compute", "compute", &[])?;
    let copy = dir.join("copy");
    FAULTS.iter().map(|&fault| run(network, &binary, fault, (&whole, &manifest), &copy)).collect()
}

/// Makes `fault` happen on two processes of `binary` summing `whole`, machine 1's copy of it
/// in `copy`.
fn run(
    network: &Network,
    binary: &Path,
    fault: Fault,
    (whole, manifest): (&Path, &Manifest),
    copy: &Path,
) -> Result<FaultRun> {
    let copy = machine_copy(fault, whole, manifest, copy)?;
    let hostfile = write_hostfile(network, 2)?;
    let start = |p: usize, dataset: &Path, deadline: Duration| {
        let args: [OsString; 5] = [
            "cluster-sum".into(),
            dataset.into(),
            "--timeout".into(),
            deadline.as_secs_f64().to_string().into(),
            "--hostfile".into(),
        ];
        network
            .command(p, binary)
            .args(args)
            .arg(&hostfile)
            .args(["--json", "--process", &p.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start a cluster process")
    };
    let began = Instant::now();
    let mut children = Children(vec![Some(start(0, whole, fault.deadline())?)]);
    let mut from = began;
    match fault {
        Fault::NeverStarts => {}
        Fault::StartsLate => {
            std::thread::sleep(LATE);
            children.0.push(Some(start(1, whole, LONG)?));
        }
        Fault::Dies => {
            children.0.push(Some(start(1, &copy, LONG)?));
            std::thread::sleep(LATE);
            if let Some(peer) = children.0[1].as_mut() {
                peer.kill()?;
            }
            from = Instant::now();
        }
        _ => children.0.push(Some(start(1, &copy, LONG)?)),
    }
    let out = children.wait_for(0, fault.deadline() + Duration::from_secs(10))?;
    let seconds = from.elapsed().as_secs_f64();
    drop(children);
    let _ = std::fs::remove_file(&hostfile);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stdout.lines().find(|l| l.starts_with('{'));
    if let Some(line) = line {
        let line: ladder::Line<SumFields> = serde_json::from_str(line)?;
        ensure!(
            line.fields.totals == manifest.expected,
            "{}: totals not the manifest's",
            fault.describe()
        );
    }
    let totals = line.is_some();
    // What the process itself said: its waiting lines and its error, not a thread's panic.
    let said = stderr
        .lines()
        .filter(|l| l.starts_with("still waiting") || l.starts_with("error: "))
        .map(|l| shorten(l, whole, &copy))
        .collect();
    let run = FaultRun {
        fault: fault.describe(),
        succeeded: out.status.success(),
        totals,
        said,
        seconds,
        since_kill: matches!(fault, Fault::Dies),
    };
    let expected = matches!(fault, Fault::StartsLate);
    ensure!(
        run.succeeded == expected && run.totals == expected,
        "{}: the run {} and {} a total: {stderr}",
        run.fault,
        if run.succeeded { "succeeded" } else { "failed" },
        if run.totals { "printed" } else { "did not print" },
    );
    Ok(run)
}

/// Machine 1's copy of `whole`, spoiled as `fault` needs, in `copy`.
fn machine_copy(fault: Fault, whole: &Path, manifest: &Manifest, copy: &Path) -> Result<PathBuf> {
    let _ = std::fs::remove_dir_all(copy);
    std::fs::create_dir_all(copy)?;
    for entry in std::fs::read_dir(whole)? {
        let path = entry?.path();
        std::fs::copy(&path, copy.join(path.file_name().context("a file name")?))?;
    }
    let last = copy.join(&manifest.files.last().context("a shard")?.name);
    match fault {
        Fault::MissingShard => std::fs::remove_file(copy.join(&manifest.files[2].name))?,
        Fault::BadRow => {
            let text = std::fs::read_to_string(&last)?;
            let body = text.trim_end_matches('\n');
            let cut = body.rfind(',').context("a row with fields")?;
            std::fs::write(&last, format!("{},forty\n", &body[..cut]))?;
        }
        Fault::Dies | Fault::Hangs => {
            std::fs::remove_file(&last)?;
            let path = std::ffi::CString::new(last.to_string_lossy().as_bytes())?;
            // SAFETY: a valid C string; `mkfifo` only makes a file.
            ensure!(
                unsafe { libc::mkfifo(path.as_ptr(), 0o600) } == 0,
                "mkfifo {}",
                last.display()
            );
        }
        _ => {}
    }
    Ok(copy.to_owned())
}

/// `line` with the folders of the two datasets shortened, as a table shows it.
fn shorten(line: &str, whole: &Path, copy: &Path) -> String {
    let line = line.replace(&format!("{}/", copy.display()), "copy/");
    line.replace(&format!("{}/", whole.display()), "")
}
