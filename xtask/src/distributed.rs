//! `cargo xtask distributed`: a job on a timely cluster of processes on this machine, checked
//! against the single-machine answer: the compute lesson's π against one thread, or the memory
//! lesson's exact sum of a dataset against its manifest; `cargo xtask bench` measures the
//! cluster's cost the same way.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use ladder::Line;
use ladder::fs::write_atomically;
use lesson_compute::bench::CLUSTER_DEADLINE;
use lesson_compute::cli::{PiFields, SumFields};
use lesson_compute::pi;
use lesson_compute::report::ClusterRun;
use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec};
use lesson_memory::totals::Summary;

use crate::measure::binary;
use crate::shell::{json_lines, target_dir};

/// Child processes that are killed and reaped if still running when this is dropped: no
/// cluster process outlives the command that started it, whatever fails.
struct Children(Vec<Option<Child>>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in self.0.iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Children {
    /// Waits for every child. The first that fails, or the deadline, ends the wait, and the
    /// others are stopped when `self` is dropped.
    fn wait_all(mut self, limit: Duration) -> Result<Vec<std::process::Output>> {
        let start = Instant::now();
        loop {
            let mut running = false;
            for (p, slot) in self.0.iter_mut().enumerate() {
                let Some(child) = slot else { continue };
                match child.try_wait()? {
                    None => running = true,
                    Some(status) if status.success() => {}
                    Some(_) => {
                        let out = slot.take().context("a child")?.wait_with_output()?;
                        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
                        anyhow::bail!("cluster process {p} failed: {why}");
                    }
                }
            }
            if !running {
                return self
                    .0
                    .iter_mut()
                    .map(|slot| Ok(slot.take().context("a child")?.wait_with_output()?))
                    .collect();
            }
            ensure!(start.elapsed() < limit, "the cluster did not finish within {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Starts `processes` processes of `workers` workers each on loopback ports, each `compute JOB
/// --json --timeout T --workers W --hostfile H --process P` with `job` naming the job and its own
/// arguments, and waits for them (killing any still running after `deadline`): their outputs,
/// process 0's first.
fn start_cluster(
    processes: usize,
    workers: usize,
    job: &[std::ffi::OsString],
    deadline: Duration,
) -> Result<Vec<std::process::Output>> {
    ensure!(processes >= 1, "at least one process is needed");
    let binary = binary("lesson-compute", "compute", &[])?;
    let dir = target_dir()?.join("xtask-cluster");
    std::fs::create_dir_all(&dir)?;
    let hostfile = dir.join("hosts.txt");
    // Ask the system for free ports (another program could still take one before timely does).
    let listeners: Vec<TcpListener> =
        (0..processes).map(|_| TcpListener::bind("127.0.0.1:0")).collect::<Result<_, _>>()?;
    let ports: Vec<u16> =
        listeners.iter().map(|l| l.local_addr().map(|a| a.port())).collect::<Result<_, _>>()?;
    drop(listeners);
    let lines: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}\n")).collect();
    write_atomically(&hostfile, |out| std::io::Write::write_all(out, lines.concat().as_bytes()))?;
    eprintln!("starting {processes} timely processes on loopback ({})", hostfile.display());
    let mut children = Children(Vec::new());
    for p in 0..processes {
        let child = Command::new(&binary)
            .args(job)
            .args(["--json", "--timeout", &deadline.as_secs_f64().to_string()])
            .args(["--workers", &workers.to_string()])
            .arg("--hostfile")
            .arg(&hostfile)
            .args(["--process", &p.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start a cluster process")?;
        children.0.push(Some(child));
    }
    children.wait_all(deadline + Duration::from_secs(5))
}

/// Process 0's result: the JSON line among timely's own connection progress on its stdout.
fn result_line<F: serde::de::DeserializeOwned>(
    outputs: &[std::process::Output],
) -> Result<Line<F>> {
    let stdout = String::from_utf8_lossy(&outputs[0].stdout);
    let line =
        stdout.lines().find(|l| l.starts_with('{')).context("process 0 printed no result")?;
    Ok(serde_json::from_str(line)?)
}

/// Starts `processes` π processes of `workers` workers on loopback ports, waits for them
/// (killing any still running after `deadline`), and checks the answer against one thread's.
pub fn local_cluster(
    processes: usize,
    workers: usize,
    samples: u64,
    deadline: Duration,
) -> Result<ClusterRun> {
    let job = ["cluster".into(), "--samples".into(), samples.to_string().into()];
    let outputs = start_cluster(processes, workers, &job, deadline)?;
    let cluster: Line<PiFields> = result_line(&outputs)?;
    let binary = binary("lesson-compute", "compute", &[])?;
    let baseline = pi::LADDER.baseline().name;
    let samples_arg = samples.to_string();
    let single: Vec<Line<PiFields>> = json_lines(Command::new(&binary).args([
        "pi",
        "--json",
        "--rung",
        baseline,
        "--samples",
        &samples_arg,
    ]))?;
    let single = single.first().context("one thread printed no result")?;
    let run = ClusterRun {
        processes,
        workers,
        samples,
        hits: cluster.fields.hits,
        single_hits: single.fields.hits,
        seconds: cluster.seconds,
    };
    ensure!(
        run.hits == run.single_hits,
        "the cluster counted {} hits, one thread {}",
        run.hits,
        run.single_hits
    );
    Ok(run)
}

/// Sums `dataset` on `processes` processes of `workers` workers on loopback ports, and checks
/// the cluster's exact totals against the dataset's manifest: both, and the time.
pub fn local_sum(
    processes: usize,
    workers: usize,
    dataset: &Path,
    deadline: Duration,
) -> Result<(Summary, Summary, f64)> {
    let manifest = Manifest::load(dataset)
        .with_context(|| format!("{}: a dataset folder needs its manifest", dataset.display()))?;
    let outputs =
        start_cluster(processes, workers, &["cluster-sum".into(), dataset.into()], deadline)?;
    let line: Line<SumFields> = result_line(&outputs)?;
    Ok((line.fields.totals, manifest.expected, line.seconds))
}

/// `cargo xtask distributed`: π, or the exact sum of `dataset` (the default dataset, 10 million
/// rows in 16 shards, unless one is named).
pub fn run_distributed(
    job: Job,
    processes: usize,
    workers: usize,
    samples: u64,
    dataset: Option<PathBuf>,
) -> Result<()> {
    match job {
        Job::Pi => {
            let run = local_cluster(processes, workers, samples, CLUSTER_DEADLINE)?;
            println!(
                "{} processes × {} workers: {} hits of {} samples in {:.3} s, the same as one thread ({} hits)",
                run.processes, run.workers, run.hits, run.samples, run.seconds, run.single_hits
            );
        }
        Job::Sum => {
            let dataset = match dataset {
                Some(dir) => dir,
                None => {
                    crate::data::ensure(&Spec { rows: 10_000_000, seed: DEFAULT_SEED, shards: 16 })?
                        .0
                }
            };
            let (cluster, manifest, seconds) =
                local_sum(processes, workers, &dataset, CLUSTER_DEADLINE)?;
            println!(
                "{} processes × {} workers summed {} in {seconds:.3} s:",
                processes,
                workers,
                dataset.display()
            );
            println!(
                "  the cluster:  {} rows, total {}",
                cluster.overall.rows, cluster.overall.exact
            );
            println!(
                "  the manifest: {} rows, total {}",
                manifest.overall.rows, manifest.overall.exact
            );
            ensure!(cluster == manifest, "the cluster's totals differ from the manifest's");
            println!("  equal, every user's rows and exact total included");
        }
    }
    println!(
        "on real machines: write one host:port per machine into a hostfile, copy it to every machine,"
    );
    println!(
        "and start `compute {} --hostfile hosts.txt --process I` on machine I (I = 0, 1, ...)",
        match job {
            Job::Pi => "cluster",
            Job::Sum => "cluster-sum DATASET",
        }
    );
    Ok(())
}

/// The job `cargo xtask distributed` runs.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Job {
    /// The compute lesson's Monte-Carlo π.
    Pi,
    /// The memory lesson's exact totals of a transactions dataset.
    Sum,
}
