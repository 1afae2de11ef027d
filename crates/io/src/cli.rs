//! The `io` binary's command line: its arguments, and how the driver runs one rung on the
//! user's shards ([`ReadShards`]) or on the same shards served with a delay ([`FetchShards`]).

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use ladder::cli::{Column, Job, Row};
use lesson_memory::Totals;
use lesson_memory::dataset::Manifest;
use lesson_memory::totals::Figures;
use serde::{Deserialize, Serialize};

use crate::cache::evict;
use crate::error::Error;
use crate::ladder::{Options, Read, Rung, run};
use crate::latency::{self, Fetch, Server};
use crate::usage::Usage;

/// The lesson, as every line names it.
pub const LESSON: &str = "io";

/// Requests in flight in the latency-bound ladder, unless `--in-flight` says otherwise.
const LATENCY_IN_FLIGHT: NonZeroUsize = match NonZeroUsize::new(64) {
    Some(n) => n,
    None => panic!("64 is not zero"),
};

/// Total the shards of a transactions dataset with each rung of the I/O lesson.
#[derive(clap::Parser, Debug)]
#[command(name = "io", version)]
pub struct Args {
    /// A dataset folder (from `cargo xtask data --shards K`) or the CSV files themselves.
    #[arg(required_unless_present = "list")]
    pub inputs: Vec<PathBuf>,
    /// The rungs to run, and how to print them.
    #[command(flatten)]
    pub ladder: ladder::cli::Args,
    /// Evict the files from the page cache before each rung, so it reads from the disk.
    #[arg(long)]
    pub cold: bool,
    /// Parser threads [default: the number of cores].
    #[arg(long)]
    pub threads: Option<NonZeroUsize>,
    /// Reads in flight at once [default: the number of cores; 64 with --latency-ms].
    #[arg(long)]
    pub in_flight: Option<NonZeroUsize>,
    /// Instead of reading the files, serve them from a server on loopback that answers each
    /// request after this many milliseconds, and run the latency-bound ladder: one request at
    /// a time, then `--in-flight` at a time.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub latency_ms: Option<u64>,
}

/// The files to read: a dataset folder's shards, in order, or the files given.
fn files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    match inputs {
        [dir] if dir.is_dir() => {
            let manifest = Manifest::load(dir)
                .map_err(|source| Error::Manifest { dir: dir.clone(), source })?;
            Ok(manifest.paths(dir))
        }
        _ => Ok(inputs.to_vec()),
    }
}

/// The reading ladder's fields of one rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadFields {
    /// Rows in all files, their exact total every digit, and rounded once.
    #[serde(flatten)]
    pub overall: Figures,
    /// Bytes in all files.
    pub bytes: u64,
    /// Files read.
    pub files: usize,
    /// Bytes over the rung's time.
    pub bytes_per_second: f64,
    /// Whether the files were evicted from the page cache first.
    pub cold: bool,
    /// Parser threads.
    pub threads: usize,
    /// Reads in flight.
    pub in_flight: usize,
    /// Processor time of the run, all threads.
    pub cpu_seconds: f64,
    /// Processor time over wall time.
    pub cpu_per_wall: f64,
    /// Bytes the kernel fetched from the device during the run, where the system says.
    pub device_read_bytes: Option<u64>,
}

impl Row for ReadFields {
    const COLUMNS: &'static [Column] = &[
        Column::right("MB/s", 10),
        Column::right("cpu/wall", 9),
        Column::right("MB from disk", 13),
        Column::right("total", 22),
    ];

    fn cells(&self) -> Vec<String> {
        let from_disk = self.device_read_bytes.map(|b| b as f64 / 1e6);
        vec![
            format!("{:.1}", self.bytes_per_second / 1e6),
            format!("{:.2}", self.cpu_per_wall),
            from_disk.map_or_else(|| "unknown".into(), |mb| format!("{mb:.1}")),
            self.overall.total.0.to_string(),
        ]
    }
}

/// What one reading rung gave: its totals and what the run cost.
pub struct Outcome {
    totals: Totals,
    used: Usage,
}

/// The shard files, totalled by each rung asked for.
pub struct ReadShards {
    files: Vec<PathBuf>,
    bytes: u64,
    options: Options,
    cold: bool,
}

impl ReadShards {
    /// The job `args` asks for.
    pub fn new(args: &Args) -> Result<ReadShards, Error> {
        let files = files(&args.inputs)?;
        let bytes = files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
        let defaults = Options::default();
        let options = Options {
            threads: args.threads.unwrap_or(defaults.threads),
            in_flight: args.in_flight.unwrap_or(defaults.in_flight),
        };
        Ok(ReadShards { files, bytes, options, cold: args.cold })
    }
}

/// Says the run's exact total, below the table.
fn exact_total(totals: &Totals, json: bool) {
    if !json {
        let exact = totals.summary().overall.exact;
        println!("exact total: {exact} (every rung agrees, bit for bit)");
    }
}

impl Job for ReadShards {
    type Run = Read;
    type Facts = ();
    type Output = Outcome;
    type Fields = ReadFields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        let state =
            if self.cold { "evicted from the page cache before each rung" } else { "as cached" };
        Some(format!("{} files, {:.1} MB, {state}", self.files.len(), self.bytes as f64 / 1e6))
    }

    fn prepare(&mut self) -> Result<(), Error> {
        if self.cold {
            for f in &self.files {
                evict(f).map_err(|e| lesson_memory::Error::io(f, e))?;
            }
        }
        Ok(())
    }

    fn run(&mut self, rung: &Rung) -> Result<Outcome, Error> {
        let before = Usage::now();
        let totals = run(rung, &self.files, &self.options)?;
        Ok(Outcome { totals, used: Usage::now().since(&before) })
    }

    fn fields(
        &self,
        _: &Rung,
        output: &Outcome,
        first: &Outcome,
        seconds: f64,
    ) -> Result<ReadFields, String> {
        if output.totals != first.totals {
            return Err("different totals".into());
        }
        let cpu = output.used.cpu.as_secs_f64();
        Ok(ReadFields {
            overall: output.totals.summary().overall,
            bytes: self.bytes,
            files: self.files.len(),
            bytes_per_second: self.bytes as f64 / seconds,
            cold: self.cold,
            threads: self.options.threads.get(),
            in_flight: self.options.in_flight.get(),
            cpu_seconds: cpu,
            cpu_per_wall: cpu / seconds,
            device_read_bytes: output.used.device_read_bytes,
        })
    }

    fn finish(&mut self, first: &Outcome, json: bool) -> Result<(), Error> {
        exact_total(&first.totals, json);
        Ok(())
    }
}

/// The latency-bound ladder's fields of one rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FetchFields {
    /// Requests outstanding at once.
    pub in_flight: usize,
    /// The server's delay per request.
    pub latency_seconds: f64,
    /// Requests made: one per shard.
    pub requests: u32,
    /// The exact total, every digit.
    pub exact: String,
}

impl Row for FetchFields {
    const COLUMNS: &'static [Column] = &[Column::right("in flight", 10)];

    fn cells(&self) -> Vec<String> {
        vec![self.in_flight.to_string()]
    }
}

/// The shards served from loopback with a delay per request, fetched by each rung asked for.
pub struct FetchShards {
    server: Server,
    requests: u32,
    delay: Duration,
    in_flight: NonZeroUsize,
}

impl FetchShards {
    /// The job `args` asks for, with its server started.
    pub fn new(args: &Args) -> Result<FetchShards, Error> {
        let files = files(&args.inputs)?;
        let requests = u32::try_from(files.len()).map_err(|_| Error::NoFiles)?;
        let delay = Duration::from_millis(args.latency_ms.unwrap_or(0));
        let server = Server::start(files, delay)?;
        let in_flight = args.in_flight.unwrap_or(LATENCY_IN_FLIGHT);
        Ok(FetchShards { server, requests, delay, in_flight })
    }
}

impl Job for FetchShards {
    type Run = Fetch;
    type Facts = ();
    type Output = Totals;
    type Fields = FetchFields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        Some(format!("{} requests, each answered after {:?}", self.requests, self.delay))
    }

    fn run(&mut self, rung: &latency::Rung) -> Result<Totals, Error> {
        (rung.run)(self.server.addr(), self.requests, self.in_flight)
    }

    fn fields(
        &self,
        rung: &latency::Rung,
        totals: &Totals,
        first: &Totals,
        _: f64,
    ) -> Result<FetchFields, String> {
        if totals != first {
            return Err("different totals".into());
        }
        Ok(FetchFields {
            in_flight: if rung.parallel { self.in_flight.get() } else { 1 },
            latency_seconds: self.delay.as_secs_f64(),
            requests: self.requests,
            exact: totals.summary().overall.exact,
        })
    }

    fn finish(&mut self, first: &Totals, json: bool) -> Result<(), Error> {
        exact_total(first, json);
        Ok(())
    }
}
