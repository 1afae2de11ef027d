//! `cargo xtask distributed`: the compute lesson's job on a timely cluster of processes on this
//! machine, checked against one thread; `cargo xtask bench` measures its cost the same way.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use ladder::Line;
use ladder::fs::write_atomically;
use lesson_compute::bench::CLUSTER_DEADLINE;
use lesson_compute::cli::PiFields;
use lesson_compute::pi;
use lesson_compute::report::ClusterRun;

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

/// Starts `processes` cluster processes on loopback ports, waits for them (killing any still
/// running after `deadline`), and checks the answer against one thread's.
pub fn local_cluster(
    processes: usize,
    workers: usize,
    samples: u64,
    deadline: Duration,
) -> Result<ClusterRun> {
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
    let timeout = format!("{}", deadline.as_secs_f64());
    let mut children = Children(Vec::new());
    for p in 0..processes {
        let child = Command::new(&binary)
            .args(["cluster", "--json", "--timeout", &timeout, "--samples", &samples.to_string()])
            .args(["--workers", &workers.to_string(), "--process", &p.to_string()])
            .arg("--hostfile")
            .arg(&hostfile)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start a cluster process")?;
        children.0.push(Some(child));
    }
    let outputs = children.wait_all(deadline + Duration::from_secs(5))?;
    // Timely prints its own connection progress on stdout too: the result is the JSON line.
    let stdout = String::from_utf8_lossy(&outputs[0].stdout);
    let line =
        stdout.lines().find(|l| l.starts_with('{')).context("process 0 printed no result")?;
    let cluster: Line<PiFields> = serde_json::from_str(line)?;
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

/// `cargo xtask distributed`.
pub fn run_distributed(processes: usize, workers: usize, samples: u64) -> Result<()> {
    let run = local_cluster(processes, workers, samples, CLUSTER_DEADLINE)?;
    println!(
        "{} processes × {} workers: {} hits of {} samples in {:.3} s, the same as one thread ({} hits)",
        run.processes, run.workers, run.hits, run.samples, run.seconds, run.single_hits
    );
    println!(
        "on real machines: write one host:port per machine into a hostfile, copy it to every machine,"
    );
    println!(
        "and start `compute cluster --hostfile hosts.txt --process I` on machine I (I = 0, 1, ...)"
    );
    Ok(())
}
