//! `cargo xtask distributed`: a job on a timely cluster of processes on this machine, checked
//! against the single-machine answer: the compute lesson's π against one thread, or the memory
//! lesson's exact sum of a dataset against its manifest; `cargo xtask bench` measures the
//! cluster's cost the same way.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use ladder::Line;
use ladder::fs::write_atomically;
use lesson_compute::bench::CLUSTER_DEADLINE;
use lesson_compute::cli::{PiFields, SumFields};
use lesson_compute::pi;
use lesson_compute::report::{ClusterRun, ScaleRun, SumRun};
use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec};
use lesson_memory::totals::Summary;

use crate::measure::binary;
use crate::network::Network;
use crate::shell::{json_lines, target_dir};

/// Child processes that are killed and reaped if still running when this is dropped: no
/// cluster process outlives the command that started it, whatever fails.
pub struct Children(pub Vec<Option<Child>>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in self.0.iter_mut().flatten() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What the processes of a finished cluster left.
struct Finished {
    /// Every process's output, process 0's first.
    outputs: Vec<std::process::Output>,
    /// Every process's peak resident memory, in bytes, as the kernel's high-water mark read
    /// while it ran (what it reached in its last few milliseconds may be missed).
    peaks: Vec<u64>,
}

impl Children {
    /// Waits for every child. The first that fails, the deadline, or Ctrl-C ends the wait, and
    /// the others are stopped when `self` is dropped.
    fn wait_all(mut self, limit: Duration) -> Result<Finished> {
        let _interruptible = ladder::interrupt::Interruptible::new()?;
        let start = Instant::now();
        let mut peaks = vec![0; self.0.len()];
        loop {
            let mut running = false;
            for (p, slot) in self.0.iter_mut().enumerate() {
                let Some(child) = slot else { continue };
                if let Some(peak) = peak_resident(child.id()) {
                    peaks[p] = peaks[p].max(peak);
                }
                match child.try_wait()? {
                    None => running = true,
                    Some(status) if status.success() => {}
                    Some(_) => return Err(self.failure(p)),
                }
            }
            if !running {
                let outputs = self
                    .0
                    .iter_mut()
                    .map(|slot| Ok(slot.take().context("a child")?.wait_with_output()?))
                    .collect::<Result<_>>()?;
                return Ok(Finished { outputs, peaks });
            }
            ensure!(start.elapsed() < limit, "the cluster did not finish within {limit:?}");
            ladder::interrupt::check()?;
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Children {
    /// Waits at most `limit` for child `p` alone: its output. The others are stopped when
    /// `self` is dropped.
    pub fn wait_for(&mut self, p: usize, limit: Duration) -> Result<std::process::Output> {
        let start = Instant::now();
        let child = self.0[p].as_mut().context("a child")?;
        while child.try_wait()?.is_none() {
            ensure!(start.elapsed() < limit, "cluster process {p} still ran after {limit:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(self.0[p].take().context("a child")?.wait_with_output()?)
    }

    /// The error of a cluster in which process `failed` failed. Its peers fail soon after it,
    /// a process that lost its connection with timely's panic, so process 0's own message,
    /// which names what it waited for or found, is the one shown if process 0 failed too (it
    /// is given a second to end).
    fn failure(&mut self, failed: usize) -> anyhow::Error {
        let start = Instant::now();
        let mut shown = failed;
        if let Some(first) = self.0[0].as_mut() {
            while start.elapsed() < Duration::from_secs(1) {
                match first.try_wait() {
                    Ok(Some(status)) => {
                        if !status.success() {
                            shown = 0;
                        }
                        break;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                    Err(_) => break,
                }
            }
        }
        let output = self.0[shown].take().map(Child::wait_with_output);
        let why = match output {
            Some(Ok(out)) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
            Some(Err(e)) => e.to_string(),
            None => "no message".into(),
        };
        anyhow::anyhow!("cluster process {shown} failed: {why}")
    }
}

/// The peak resident memory of process `pid` so far (`VmHWM`), if it is still there to ask.
fn peak_resident(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Writes a hostfile for `processes` processes on `network`: its path, for this run alone.
pub fn write_hostfile(network: &Network, processes: usize) -> Result<PathBuf> {
    let dir = target_dir()?.join("xtask-cluster");
    std::fs::create_dir_all(&dir)?;
    let hostfile = dir.join(format!("hosts-{}.txt", std::process::id()));
    let lines: Vec<String> =
        network.addresses(processes)?.iter().map(|a| format!("{a}\n")).collect();
    write_atomically(&hostfile, |out| std::io::Write::write_all(out, lines.concat().as_bytes()))?;
    Ok(hostfile)
}

/// Starts `processes` processes of `workers` workers each on `network`, each `compute JOB
/// --json --timeout T --workers W --hostfile H --process P` with `job` naming the job and its own
/// arguments, and waits for them (killing any still running after `deadline`).
fn start_cluster(
    network: &Network,
    processes: usize,
    workers: usize,
    job: &[std::ffi::OsString],
    deadline: Duration,
) -> Result<Finished> {
    ensure!(processes >= 1, "at least one process is needed");
    let binary = binary("lesson-compute", "compute", &[])?;
    let hostfile = write_hostfile(network, processes)?;
    eprintln!(
        "starting {processes} timely processes {} ({})",
        network.describe(),
        hostfile.display()
    );
    let mut children = Children(Vec::new());
    for p in 0..processes {
        let child = network
            .command(p, &binary)
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
    let finished = children.wait_all(deadline + Duration::from_secs(5));
    let _ = std::fs::remove_file(&hostfile);
    finished
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
    let finished = start_cluster(&Network::Loopback, processes, workers, &job, deadline)?;
    let cluster: Line<PiFields> = result_line(&finished.outputs)?;
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

/// Sums `dataset` on `processes` processes of `workers` workers on `network`: the run, the
/// cluster's exact totals and the manifest's (the caller compares them).
pub fn local_sum(
    network: &Network,
    processes: usize,
    workers: usize,
    dataset: &Path,
    deadline: Duration,
) -> Result<(SumRun, Summary, Summary)> {
    let manifest = Manifest::load(dataset)
        .with_context(|| format!("{}: a dataset folder needs its manifest", dataset.display()))?;
    let sent_before = network.sent_bytes()?;
    let paged_in = paged_in_bytes()?;
    let job = ["cluster-sum".into(), dataset.into()];
    let finished = start_cluster(network, processes, workers, &job, deadline)?;
    let line: Line<SumFields> = result_line(&finished.outputs)?;
    let sent = match (sent_before, network.sent_bytes()?) {
        (Some(before), Some(after)) => {
            Some(after.iter().zip(&before).take(processes).map(|(a, b)| a - b).collect())
        }
        _ => None,
    };
    let run = SumRun {
        processes,
        workers,
        network: network.name().into(),
        rate: network.rate().map(Into::into),
        rows: manifest.expected.overall.rows,
        bytes: manifest.bytes,
        seconds: line.seconds,
        sent_bytes: sent,
        peak_resident_bytes: finished.peaks,
        paged_in_bytes: paged_in_bytes()? - paged_in,
    };
    Ok((run, line.fields.totals, manifest.expected))
}

/// Prints a sum's run and its totals beside the manifest's; fails if they differ.
fn report_sum(dataset: &Path, run: &SumRun, cluster: &Summary, manifest: &Summary) -> Result<()> {
    println!(
        "{} processes × {} workers summed {} ({:.1} GB) in {:.3} s:",
        run.processes,
        run.workers,
        dataset.display(),
        run.bytes as f64 / 1e9,
        run.seconds
    );
    println!("  the cluster:  {} rows, total {}", cluster.overall.rows, cluster.overall.exact);
    println!("  the manifest: {} rows, total {}", manifest.overall.rows, manifest.overall.exact);
    ensure!(cluster == manifest, "the cluster's totals differ from the manifest's");
    println!("  equal, every user's rows and exact total included");
    let peak = run.peak_resident_bytes.iter().max().copied().unwrap_or(0);
    println!(
        "  peak resident memory of a process: {:.0} MB at most (the file pages it had mapped included)",
        peak as f64 / 1e6
    );
    println!(
        "  read from this machine's disks meanwhile: {:.2} GB; the dataset is {:.2} GB",
        run.paged_in_bytes as f64 / 1e9,
        run.bytes as f64 / 1e9
    );
    if let Some(sent) = &run.sent_bytes {
        println!(
            "  sent over the network: {} bytes, TCP/IP headers included ({} by each process)",
            sent.iter().sum::<u64>(),
            sent.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}

/// How long a sum of `dataset` may take: [`CLUSTER_DEADLINE`], or its bytes read at 50 MB/s,
/// slower than any disk this project runs on, if that is longer (a billion rows, 30 GB, take
/// half a minute to a minute and a half here, as the disk's speed varies).
fn sum_deadline(dataset: &Path) -> Result<Duration> {
    let manifest = Manifest::load(dataset)
        .with_context(|| format!("{}: a dataset folder needs its manifest", dataset.display()))?;
    Ok(CLUSTER_DEADLINE.max(Duration::from_secs(manifest.bytes / 50_000_000)))
}

/// What every process of this machine has read from its disks so far (`pgpgin`, kept by the
/// kernel in KiB): a run that reads less than its dataset found the rest in the page cache.
fn paged_in_bytes() -> Result<u64> {
    let vmstat = std::fs::read_to_string("/proc/vmstat").context("/proc/vmstat")?;
    let line = vmstat.lines().find(|l| l.starts_with("pgpgin ")).context("/proc/vmstat: pgpgin")?;
    let kib: u64 = line[7..].trim().parse().with_context(|| format!("/proc/vmstat: `{line}`"))?;
    Ok(kib * 1024)
}

/// `cargo xtask distributed`: π, or the exact sum of `dataset` (the default dataset, 10 million
/// rows in 16 shards, unless one is named).
pub fn run_distributed(args: &Args) -> Result<()> {
    let Args { job, processes, workers, samples, record, timeout, .. } = *args;
    let link = &args.link;
    ensure!(!record || matches!(job, Job::Sum), "--record records a sum");
    match job {
        Job::Pi => {
            ensure!(!link.namespaces && link.rate.is_none(), "π runs on loopback only");
            let run = local_cluster(processes, workers, samples, CLUSTER_DEADLINE)?;
            println!(
                "{} processes × {} workers: {} hits of {} samples in {:.3} s, the same as one thread ({} hits)",
                run.processes, run.workers, run.hits, run.samples, run.seconds, run.single_hits
            );
        }
        Job::Faults => {
            let network = link.network(2)?;
            eprintln!("making each fault happen on two processes {}", network.describe());
            for run in crate::faults::run_all(&network)? {
                let when = if run.since_kill { "after the kill" } else { "after the start" };
                println!("{}: {:.2} s {when}", run.fault, run.seconds);
                for line in &run.said {
                    println!("  {line}");
                }
                if run.succeeded {
                    println!("  (the totals, equal to the manifest's)");
                }
            }
        }
        Job::Sum => {
            let dataset = match args.dataset.clone() {
                Some(dir) => dir,
                None => {
                    crate::data::ensure(&Spec { rows: 10_000_000, seed: DEFAULT_SEED, shards: 16 })?
                        .0
                }
            };
            let network = link.network(processes)?;
            let deadline = match timeout {
                Some(seconds) => Duration::from_secs_f64(seconds),
                None => sum_deadline(&dataset)?,
            };
            // The machine and commit as they are when the runs start: the tree may change
            // during a long run.
            let machine = crate::machine::current();
            let mut runs = Vec::new();
            let mut total = String::new();
            for _ in 0..args.repeats.max(1) {
                let (run, cluster, manifest) =
                    local_sum(&network, processes, workers, &dataset, deadline)?;
                report_sum(&dataset, &run, &cluster, &manifest)?;
                total = manifest.overall.exact.to_string();
                runs.push(run);
            }
            if record {
                let args: Vec<String> = std::env::args().skip(1).collect();
                let command = format!("cargo xtask {}", args.join(" "));
                let scale = ScaleRun { machine, command, runs, total };
                let dir = crate::figures::reference_dir();
                let path = dir.join(crate::figures::compute::SCALE_RECORD);
                crate::figures::ensure_file(&path, &serde_json::to_string_pretty(&scale)?)?;
                crate::figures::write(
                    &dir,
                    &crate::figures::compute::scale_figures(&scale),
                    false,
                )?;
                println!("recorded in {}", path.display());
            }
        }
    }
    println!(
        "on real machines: write one host:port per machine into a hostfile, copy it to every machine,"
    );
    println!(
        "and start `compute {} --hostfile hosts.txt --process I` on machine I (I = 0, 1, ...)",
        match job {
            Job::Pi => "cluster",
            Job::Sum | Job::Faults => "cluster-sum DATASET",
        }
    );
    Ok(())
}

/// `cargo xtask distributed`'s flags.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The job.
    #[arg(long, value_enum, default_value = "pi")]
    pub job: Job,
    /// The dataset the sum reads (a folder from `cargo xtask data`) [default: 10 million
    /// rows in 16 shards, made if missing].
    #[arg(long)]
    pub dataset: Option<PathBuf>,
    /// Processes to start on this machine.
    #[arg(long, default_value_t = 2)]
    pub processes: usize,
    /// Worker threads per process.
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Random points to throw, for π.
    #[arg(long, default_value_t = 100_000_000)]
    pub samples: u64,
    /// How the sum's processes are linked.
    #[command(flatten)]
    pub link: Link,
    /// Record the sum's runs as the book's large-scale run (`compute-scale.json`).
    #[arg(long)]
    pub record: bool,
    /// Sum this many times, one run after another (a disk shared with other machines is
    /// faster at some times than at others).
    #[arg(long, default_value_t = 1)]
    pub repeats: usize,
    /// Seconds the sum may take, connecting included [default: 120, or longer for a
    /// dataset too large to read in that time at 50 MB/s].
    #[arg(long)]
    pub timeout: Option<f64>,
}

/// How the summing cluster's processes are linked.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Link {
    /// Each process in a network namespace of its own (needs root and `ip`), instead of all on
    /// loopback [default: when the machine allows it].
    #[arg(long, conflicts_with = "loopback")]
    pub namespaces: bool,
    /// All processes on loopback, sharing one network stack.
    #[arg(long)]
    pub loopback: bool,
    /// Limit every host's link to this rate, in `tc`'s units (`100mbit`, `1mbit`): needs
    /// namespaces.
    #[arg(long, conflicts_with = "loopback")]
    pub rate: Option<String>,
}

impl Link {
    /// The network for `processes` processes this asks for.
    pub fn network(&self, processes: usize) -> Result<Network> {
        if self.loopback {
            return Ok(Network::Loopback);
        }
        let mut why_not = String::new();
        let network = Network::new(processes, self.rate.as_deref(), &mut why_not)?;
        if matches!(network, Network::Loopback) {
            ensure!(!self.namespaces, "cannot make network namespaces: {why_not}");
            eprintln!("on loopback instead of network namespaces: {why_not}");
        }
        Ok(network)
    }
}

/// The job `cargo xtask distributed` runs.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Job {
    /// The compute lesson's Monte-Carlo π.
    Pi,
    /// The memory lesson's exact totals of a transactions dataset.
    Sum,
    /// The sum's faults, each made to happen on two processes.
    Faults,
}
