//! `compute`: run the compute lesson's ladders.
//!
//! ```text
//! compute wait                          # the seed's case: 3 tasks that each wait 1 s
//! compute wait --tasks 10000 --wait-ms 10 --strategy tokio --strategy threads
//! compute pi --samples 100000000 --threads 2 --json
//! compute cluster --hostfile hosts.txt --process 0   # one process of a timely cluster
//! ```

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use lesson_compute::distributed::{Cluster, in_cluster, read_hostfile};
use lesson_compute::pi::{CPU, Job};
use lesson_compute::waiting::WAITING;
use lesson_memory::cli::{LadderArgs, exit, print_ladder};
use serde_json::json;

/// Tasks the `wait` job accepts: a million squares still fit a `u64` sum.
const MAX_TASKS: u64 = 1_000_000;
/// Samples the π jobs accept: far more than anyone waits for, far from any overflow.
const MAX_SAMPLES: u64 = 1_000_000_000_000_000;
/// Threads or workers: more than any machine here has cores, few enough to start.
const MAX_THREADS: i64 = 256;

/// Run the compute lesson's ladders: waiting tasks, a CPU-bound job, and a cluster.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    job: JobCommand,
}

#[derive(Subcommand)]
enum JobCommand {
    /// Tasks that wait, then square their input (the seed's `computation`).
    Wait {
        /// Number of tasks (inputs 1, 2, …), at most a million.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=MAX_TASKS))]
        tasks: u64,
        /// How long each task waits, in milliseconds (at most an hour).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
        wait_ms: u64,
        #[command(flatten)]
        common: Common,
    },
    /// A Monte-Carlo estimate of π: pure computation.
    Pi {
        /// Random points to throw (at most 10^15).
        #[arg(long, default_value_t = 100_000_000, value_parser = clap::value_parser!(u64).range(0..=MAX_SAMPLES))]
        samples: u64,
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[command(flatten)]
        common: Common,
    },
    /// One process of a timely dataflow cluster computing π (start one per hostfile line).
    Cluster {
        /// One `host:port` per line, one line per process, the same file for every process.
        #[arg(long)]
        hostfile: PathBuf,
        /// This process's line in the hostfile, from 0.
        #[arg(long)]
        process: usize,
        /// Worker threads per process (at most 256).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
        workers: u16,
        /// Random points to throw, across the whole cluster (at most 10^15).
        #[arg(long, default_value_t = 100_000_000, value_parser = clap::value_parser!(u64).range(0..=MAX_SAMPLES))]
        samples: u64,
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Give up, with an error, if the result is not back after this many seconds.
        #[arg(long, default_value_t = 60.0)]
        timeout: f64,
        /// Print one JSON object instead of a sentence (timely itself also prints its
        /// connection progress, such as `awaiting connections`, on stdout).
        #[arg(long)]
        json: bool,
    },
}

/// The options every ladder takes.
#[derive(Args)]
struct Common {
    #[command(flatten)]
    ladder: LadderArgs,
    /// Threads (or workers), at most 256 [default: the number of cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    threads: Option<u16>,
}

impl Common {
    fn threads(&self) -> NonZeroUsize {
        let cores = || std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        self.threads.and_then(|t| NonZeroUsize::new(usize::from(t))).unwrap_or_else(cores)
    }
}

fn main() -> ExitCode {
    exit(run(Cli::parse().job))
}

fn run(job: JobCommand) -> Result<(), String> {
    match job {
        JobCommand::Wait { tasks, wait_ms, common } => {
            wait(tasks, Duration::from_millis(wait_ms), &common)
        }
        JobCommand::Pi { samples, seed, common } => pi(Job { samples, seed }, &common),
        JobCommand::Cluster { hostfile, process, workers, samples, seed, timeout, json } => {
            let addresses = read_hostfile(&hostfile).map_err(|e| e.to_string())?;
            if process >= addresses.len() {
                return Err(format!(
                    "--process {process}, but {} has {} lines",
                    hostfile.display(),
                    addresses.len()
                ));
            }
            let deadline =
                Duration::try_from_secs_f64(timeout).map_err(|e| format!("--timeout: {e}"))?;
            let threads = NonZeroUsize::new(usize::from(workers)).unwrap_or(NonZeroUsize::MIN);
            let cluster = Cluster { addresses, process, threads, deadline };
            let job = Job { samples, seed };
            let start = Instant::now();
            let result = in_cluster(job, &cluster);
            let seconds = start.elapsed().as_secs_f64();
            match result {
                Ok(Some(hits)) if json => println!(
                    "{}",
                    json!({"lesson": "compute", "job": "pi", "strategy": "timely-cluster", "seconds": seconds,
                           "samples": samples, "hits": hits, "pi": job.estimate(hits),
                           "processes": cluster.addresses.len(), "workers": workers})
                ),
                Ok(Some(hits)) => println!(
                    "{hits} hits of {samples} samples on {} processes: π ≈ {} ({seconds:.3} s)",
                    cluster.addresses.len(),
                    job.estimate(hits)
                ),
                Ok(None) => {}
                Err(e) => {
                    // Timely's connection threads may still be retrying: end the process.
                    eprintln!("error: {e}");
                    std::process::exit(2);
                }
            }
            Ok(())
        }
    }
}

fn wait(tasks: u64, wait: Duration, common: &Common) -> Result<(), String> {
    if common.ladder.list {
        print_ladder(WAITING, |s| (s.name, s.summary));
        return Ok(());
    }
    let inputs: Vec<u64> = (1..=tasks).collect();
    let threads = common.threads();
    let expected: Vec<u64> = inputs.iter().map(|x| x * x).collect();
    if !common.ladder.json {
        println!("{tasks} tasks, each waiting {wait:?}, on {threads} threads");
        println!("{:<15} {:>10} {:>10}  result", "strategy", "seconds", "predicted");
    }
    for s in common.ladder.choose(WAITING, |s| s.name)? {
        let start = Instant::now();
        let squares = (s.run)(&inputs, wait, threads).map_err(|e| e.to_string())?;
        let seconds = start.elapsed().as_secs_f64();
        if squares != expected {
            return Err(format!("{} returned wrong squares (a bug: please report it)", s.name));
        }
        let predicted = s.predicted(inputs.len(), wait, threads).as_secs_f64();
        let shown: Vec<u64> = squares.iter().copied().take(5).collect();
        if common.ladder.json {
            println!(
                "{}",
                json!({"lesson": "compute", "job": "wait", "strategy": s.name, "seconds": seconds,
                       "predicted_seconds": predicted, "tasks": tasks, "wait_seconds": wait.as_secs_f64(),
                       "threads": threads.get(), "sum_of_squares": squares.iter().sum::<u64>()})
            );
        } else {
            let more = if squares.len() > shown.len() { ", …" } else { "" };
            println!("{:<15} {seconds:>10.3} {predicted:>10.3}  {shown:?}{more}", s.name);
        }
    }
    Ok(())
}

fn pi(job: Job, common: &Common) -> Result<(), String> {
    if common.ladder.list {
        print_ladder(CPU, |s| (s.name, s.summary));
        return Ok(());
    }
    let threads = common.threads();
    if !common.ladder.json {
        println!("{} samples on {threads} threads", job.samples);
        println!("{:<11} {:>10} {:>14} {:>12}", "strategy", "seconds", "hits", "π ≈");
    }
    let mut first = None;
    for s in common.ladder.choose(CPU, |s| s.name)? {
        let start = Instant::now();
        let hits = (s.run)(job, threads).map_err(|e| e.to_string())?;
        let seconds = start.elapsed().as_secs_f64();
        if *first.get_or_insert(hits) != hits {
            return Err(format!(
                "{} counted a different number of hits (a bug: please report it)",
                s.name
            ));
        }
        if common.ladder.json {
            println!(
                "{}",
                json!({"lesson": "compute", "job": "pi", "strategy": s.name, "seconds": seconds,
                       "samples": job.samples, "hits": hits, "pi": job.estimate(hits), "threads": threads.get()})
            );
        } else {
            println!("{:<11} {seconds:>10.3} {hits:>14} {:>12.6}", s.name, job.estimate(hits));
        }
    }
    Ok(())
}
