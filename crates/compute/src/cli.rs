//! The `compute` binary's command line: the arguments of its three jobs, and how the driver runs
//! one rung of each ladder ([`WaitTasks`] and [`ThrowPoints`], [`ladder::cli::Job`]s), or one
//! process of a cluster, computing π ([`cluster`]) or summing a dataset ([`cluster_sum`]).

use std::fmt::Write as _;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ladder::Line;
use ladder::cli::{Column, Job as LadderJob, Row};
use lesson_memory::totals::Summary;
use serde::{Deserialize, Serialize};

use crate::cluster::{Cluster, in_cluster, read_hostfile};
use crate::distributed::count_hits;
use crate::error::Error;
use crate::pi::{self, Count, Job};
use crate::sum;
use crate::waiting::{self, AtOnce, Squares};

/// The lesson, as every line names it.
pub const LESSON: &str = "compute";

/// Tasks the `wait` job accepts: a million squares still fit a `u64` sum.
const MAX_TASKS: u64 = 1_000_000;
/// Samples the π jobs accept: far more than anyone waits for, far from any overflow.
const MAX_SAMPLES: u64 = 1_000_000_000_000_000;
/// Threads or workers: more than any machine here has cores, few enough to start.
const MAX_THREADS: i64 = 256;

/// The options both ladders take.
#[derive(clap::Args, Debug)]
pub struct Common {
    /// The rungs to run, and how to print them.
    #[command(flatten)]
    pub ladder: ladder::cli::Args,
    /// Threads (or workers), at most 256 [default: the number of cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    pub threads: Option<u16>,
}

impl Common {
    fn threads(&self) -> NonZeroUsize {
        let cores = || std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        self.threads.and_then(|t| NonZeroUsize::new(usize::from(t))).unwrap_or_else(cores)
    }
}

/// Tasks that wait, then square their input (the seed's `computation`).
#[derive(clap::Args, Debug)]
pub struct WaitArgs {
    /// Number of tasks (inputs 1, 2, …), at most a million.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=MAX_TASKS))]
    pub tasks: u64,
    /// How long each task waits, in milliseconds (at most an hour).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
    pub wait_ms: u64,
    /// The rungs and threads.
    #[command(flatten)]
    pub common: Common,
}

/// A Monte-Carlo estimate of π: pure computation.
#[derive(clap::Args, Debug)]
pub struct PiArgs {
    /// Random points to throw (at most 10^15).
    #[arg(long, default_value_t = 100_000_000, value_parser = clap::value_parser!(u64).range(0..=MAX_SAMPLES))]
    pub samples: u64,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The rungs and threads.
    #[command(flatten)]
    pub common: Common,
}

/// A process's place in a cluster, the same for every job.
#[derive(clap::Args, Debug)]
pub struct Place {
    /// One `host:port` per line, one line per process, the same file for every process.
    #[arg(long)]
    pub hostfile: PathBuf,
    /// This process's line in the hostfile, from 0.
    #[arg(long)]
    pub process: usize,
    /// Worker threads per process (at most 256).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    pub workers: u16,
    /// Give up, with an error, if the result is not back after this many seconds.
    #[arg(long, default_value_t = 60.0, value_parser = parse_timeout)]
    pub timeout: f64,
    /// Print one JSON object instead of a sentence (timely itself also prints its connection
    /// progress, such as `awaiting connections`, on stdout).
    #[arg(long)]
    pub json: bool,
}

impl Place {
    /// The cluster it describes, its hostfile read and checked.
    fn cluster(&self) -> Result<Cluster, Error> {
        let addresses = read_hostfile(&self.hostfile)?;
        if self.process >= addresses.len() {
            let problem = format!(
                "--process {} asks for line {} of {} lines",
                self.process,
                self.process + 1,
                addresses.len()
            );
            return Err(Error::Hostfile { path: self.hostfile.clone(), line: 0, problem });
        }
        let deadline = Duration::from_secs_f64(self.timeout); // checked by `parse_timeout`
        let threads = NonZeroUsize::new(usize::from(self.workers)).unwrap_or(NonZeroUsize::MIN);
        Ok(Cluster { addresses, process: self.process, threads, deadline })
    }
}

/// One process of a timely dataflow cluster computing π (start one per hostfile line).
#[derive(clap::Args, Debug)]
pub struct ClusterArgs {
    /// Where this process stands in the cluster.
    #[command(flatten)]
    pub place: Place,
    /// Random points to throw, across the whole cluster (at most 10^15).
    #[arg(long, default_value_t = 100_000_000, value_parser = clap::value_parser!(u64).range(0..=MAX_SAMPLES))]
    pub samples: u64,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// One process of a timely dataflow cluster summing a transactions dataset exactly (start one
/// per hostfile line, each with the dataset at the same path).
#[derive(clap::Args, Debug)]
pub struct SumArgs {
    /// Where this process stands in the cluster.
    #[command(flatten)]
    pub place: Place,
    /// The dataset: a folder from `cargo xtask data` (its manifest lists the files) or one CSV
    /// file.
    pub dataset: PathBuf,
    /// Which worker sums which piece: 0 deals them out in turn, any other number shuffles them
    /// by that seed (the totals do not change).
    #[arg(long, default_value_t = 0)]
    pub assignment: u64,
}

fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if Duration::try_from_secs_f64(s).is_ok() => Ok(s),
        _ => Err(format!("expected a number of seconds, such as 60, found `{text}`")),
    }
}

/// The waiting job's fields of one rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitFields {
    /// `wait`.
    pub job: String,
    /// What the rung's [`AtOnce`] predicts.
    pub predicted_seconds: f64,
    /// Tasks run.
    pub tasks: u64,
    /// How long each waited.
    pub wait_seconds: f64,
    /// Threads the rungs were given.
    pub threads: usize,
    /// The sum of the squares returned.
    pub sum_of_squares: u64,
    /// The first squares, for the table.
    #[serde(skip)]
    pub shown: String,
}

impl Row for WaitFields {
    const COLUMNS: &'static [Column] = &[Column::right("predicted", 10), Column::left("result")];

    fn cells(&self) -> Vec<String> {
        vec![ladder::units::seconds(self.predicted_seconds), self.shown.clone()]
    }
}

/// The seed's tasks: inputs 1 to `tasks`, each waiting, squared.
pub struct WaitTasks {
    inputs: Vec<u64>,
    wait: Duration,
    threads: NonZeroUsize,
}

impl WaitTasks {
    /// The job `args` asks for.
    pub fn new(args: &WaitArgs) -> Result<WaitTasks, Error> {
        let inputs = (1..=args.tasks).collect();
        let (wait, threads) = (Duration::from_millis(args.wait_ms), args.common.threads());
        Ok(WaitTasks { inputs, wait, threads })
    }
}

impl LadderJob for WaitTasks {
    type Run = Squares;
    type Facts = AtOnce;
    type Output = Vec<u64>;
    type Fields = WaitFields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        let (tasks, wait, threads) = (self.inputs.len(), self.wait, self.threads);
        Some(format!("{tasks} tasks, each waiting {wait:?}, on {threads} threads"))
    }

    fn run(&mut self, rung: &waiting::Rung) -> Result<Vec<u64>, Error> {
        (rung.run)(&self.inputs, self.wait, self.threads)
    }

    fn fields(
        &self,
        rung: &waiting::Rung,
        squares: &Vec<u64>,
        _: &Vec<u64>,
        _: f64,
    ) -> Result<WaitFields, String> {
        if !squares.iter().zip(&self.inputs).all(|(s, x)| *s == x * x)
            || squares.len() != self.inputs.len()
        {
            return Err("wrong squares".into());
        }
        let mut shown = format!("{:?}", &squares[..squares.len().min(5)]);
        if squares.len() > 5 {
            let _ = write!(shown, ", …");
        }
        let predicted = rung.facts.predicted(self.inputs.len(), self.wait, self.threads);
        Ok(WaitFields {
            job: "wait".into(),
            predicted_seconds: predicted.as_secs_f64(),
            tasks: self.inputs.len() as u64,
            wait_seconds: self.wait.as_secs_f64(),
            threads: self.threads.get(),
            sum_of_squares: squares.iter().sum(),
            shown,
        })
    }
}

/// The Monte-Carlo job's fields of one rung's line (and of a cluster's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PiFields {
    /// `pi`.
    pub job: String,
    /// Points thrown.
    pub samples: u64,
    /// Points inside the quarter circle.
    pub hits: u64,
    /// The estimate of π.
    pub pi: f64,
    /// Threads (or workers per process) the rung was given.
    pub threads: usize,
    /// Processes, for a cluster's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<usize>,
}

impl Row for PiFields {
    const COLUMNS: &'static [Column] = &[Column::right("hits", 14), Column::right("π ≈", 12)];

    fn cells(&self) -> Vec<String> {
        vec![self.hits.to_string(), format!("{:.6}", self.pi)]
    }
}

impl PiFields {
    fn new(job: Job, hits: u64, threads: usize, processes: Option<usize>) -> PiFields {
        let (samples, pi) = (job.samples, job.estimate(hits));
        PiFields { job: "pi".into(), samples, hits, pi, threads, processes }
    }
}

/// Random points thrown at a square by each rung asked for.
pub struct ThrowPoints {
    job: Job,
    threads: NonZeroUsize,
}

impl ThrowPoints {
    /// The job `args` asks for.
    pub fn new(args: &PiArgs) -> Result<ThrowPoints, Error> {
        let job = Job { samples: args.samples, seed: args.seed };
        Ok(ThrowPoints { job, threads: args.common.threads() })
    }
}

impl LadderJob for ThrowPoints {
    type Run = Count;
    type Facts = ();
    type Output = u64;
    type Fields = PiFields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        Some(format!("{} samples on {} threads", self.job.samples, self.threads))
    }

    fn run(&mut self, rung: &pi::Rung) -> Result<u64, Error> {
        (rung.run)(self.job, self.threads)
    }

    fn fields(&self, _: &pi::Rung, hits: &u64, first: &u64, _: f64) -> Result<PiFields, String> {
        if hits != first {
            return Err(format!("{hits} hits against {first}"));
        }
        Ok(PiFields::new(self.job, *hits, self.threads.get(), None))
    }
}

/// Runs one process of the cluster `args` describes; process 0 prints the result. A cluster
/// that fails ends the process at once (exit status 2): timely's connection threads may still
/// be retrying, and would keep it alive.
pub fn cluster(args: &ClusterArgs) -> std::process::ExitCode {
    let job = Job { samples: args.samples, seed: args.seed };
    in_place(
        &args.place,
        |cluster| {
            let hits = in_cluster(cluster, move |worker, _| count_hits(worker, job))?;
            let processes = Some(cluster.addresses.len());
            Ok(hits.map(|hits| PiFields::new(job, hits, cluster.threads.get(), processes)))
        },
        |fields, seconds| {
            format!(
                "{} hits of {} samples on {} processes: π ≈ {} ({seconds:.3} s)",
                fields.hits,
                fields.samples,
                fields.processes.unwrap_or(1),
                fields.pi
            )
        },
    )
}

/// The summing job's fields of a cluster's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SumFields {
    /// `sum`.
    pub job: String,
    /// The exact totals, overall and per user.
    pub totals: Summary,
    /// The dataset's files.
    pub files: usize,
    /// Processes.
    pub processes: usize,
    /// Workers per process.
    pub threads: usize,
}

/// Runs one process of the summing cluster `args` describes; process 0 prints the totals.
pub fn cluster_sum(args: &SumArgs) -> std::process::ExitCode {
    in_place(
        &args.place,
        |cluster| {
            let job = sum::Job { assignment: args.assignment, ..sum::Job::of(&args.dataset)? };
            let totals = sum::in_cluster(&job, cluster)?;
            Ok(totals.map(|totals| SumFields {
                job: "sum".into(),
                totals: totals.summary(),
                files: job.files.len(),
                processes: cluster.addresses.len(),
                threads: cluster.threads.get(),
            }))
        },
        |fields, seconds| {
            format!(
                "{} rows in {} files on {} processes: total {} ({seconds:.3} s)",
                fields.totals.overall.rows,
                fields.files,
                fields.processes,
                fields.totals.overall.exact
            )
        },
    )
}

/// Runs `job` as the process `place` describes, timed; process 0 prints what it returns, as a
/// JSON line or the sentence `say` makes of it. A failure ends the process at once (exit
/// status 2): timely's connection threads may still be retrying, and would keep it alive.
fn in_place<F: Serialize>(
    place: &Place,
    job: impl FnOnce(&Cluster) -> Result<Option<F>, Error>,
    say: impl FnOnce(&F, f64) -> String,
) -> std::process::ExitCode {
    let run = || -> Result<(), Error> {
        let cluster = place.cluster()?;
        let start = Instant::now();
        let result = job(&cluster);
        let seconds = start.elapsed().as_secs_f64();
        match result {
            Ok(Some(fields)) if place.json => {
                let line =
                    Line { lesson: LESSON.into(), rung: pi::TIMELY.name.into(), seconds, fields };
                println!("{}", serde_json::to_string(&line).map_err(ladder::Error::Json)?);
            }
            Ok(Some(fields)) => println!("{}", say(&fields, seconds)),
            Ok(None) => {}
            Err(e) => {
                eprintln!("error: {}", ladder::cli::chain(&e));
                std::process::exit(2);
            }
        }
        Ok(())
    };
    ladder::cli::exit(run())
}
