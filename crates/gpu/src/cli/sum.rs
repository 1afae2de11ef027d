//! `gpu sum FILE`: the memory lesson's job with the adding done on the GPU. The file is parsed
//! once on the processor, outside the rungs' time, and every kernel is checked against the
//! memory lesson's own totals of the same file, bit for bit.

use std::path::PathBuf;
use std::time::Instant;

use ladder::cli::{Column as Cell, Job, Row};
use lesson_memory::Options;
use lesson_memory::totals::{Figures, Summary};
use serde::{Deserialize, Serialize};

use super::LESSON;
use crate::column::Column;
use crate::device::Gpu;
use crate::error::Error;
use crate::float::float_sum;
use crate::shader::Precision;
use crate::sum::{Added, Adder, LADDER, Rung, Sum};

/// What `gpu sum` is asked.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The transactions CSV, for example one made by `cargo xtask data`.
    #[arg(required_unless_present = "list")]
    pub file: Option<PathBuf>,
    /// The rungs to run, and how to print them.
    #[command(flatten)]
    pub ladder: ladder::cli::Args,
}

/// The GPU lesson's fields of one exact-sum rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// Rows, the exact total every digit, and rounded once.
    #[serde(flatten)]
    pub overall: Figures,
    /// Bytes of mantissas the GPU added: eight a value.
    pub bytes: u64,
    /// Those bytes over the whole time: upload, kernel, download and the host's last additions.
    pub bytes_per_second: f64,
    /// The kernels' own time on the GPU's clock, where the device can tell.
    pub kernel_seconds: Option<f64>,
    /// Those bytes over the kernels' own time.
    pub kernel_bytes_per_second: Option<f64>,
}

impl Row for Fields {
    const COLUMNS: &'static [Cell] = &[
        Cell::right("rows", 12),
        Cell::right("total", 22),
        Cell::right("GB/s", 8),
        Cell::right("kernel", 10),
        Cell::right("kernel GB/s", 12),
    ];

    fn cells(&self) -> Vec<String> {
        let dash = || "–".to_string();
        vec![
            self.overall.rows.to_string(),
            self.overall.total.0.to_string(),
            format!("{:.2}", self.bytes_per_second / 1e9),
            self.kernel_seconds.map_or_else(dash, ladder::units::seconds),
            self.kernel_bytes_per_second.map_or_else(dash, |b| format!("{:.2}", b / 1e9)),
        ]
    }
}

/// A parsed file, added up on the GPU by each rung asked for.
pub struct SumOnGpu {
    gpu: Gpu,
    path: PathBuf,
    column: Column,
    /// The memory lesson's totals of the file, from its parallel rung.
    truth: Summary,
    /// How long the memory lesson's parallel rung took, parsing included.
    memory_seconds: f64,
    /// How long parsing into the column took.
    parse_seconds: f64,
}

impl SumOnGpu {
    /// The job `args` asks for: the file parsed into a column, the memory lesson's totals of it,
    /// and every kernel compiled, so that no rung's time includes either.
    pub fn new(args: &Args) -> Result<SumOnGpu, Error> {
        let path = args.file.clone().unwrap_or_default();
        let gpu = Gpu::open()?;
        for rung in LADDER.iter() {
            gpu.kernel(&rung.facts.shader, None)?;
        }
        let started = Instant::now();
        let truth = lesson_memory::ladder::parallel(&path, &Options::default())?.summary();
        let memory_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let column = Column::read(&path)?;
        let parse_seconds = started.elapsed().as_secs_f64();
        Ok(SumOnGpu { gpu, path, column, truth, memory_seconds, parse_seconds })
    }
}

impl Job for SumOnGpu {
    type Run = Sum;
    type Facts = &'static Adder;
    type Output = Added;
    type Fields = Fields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        let facts = self.gpu.facts();
        Some(format!(
            "{}: {} values in {} buckets on {} ({})",
            self.path.display(),
            self.column.buckets().iter().map(|b| b.range.len()).sum::<usize>(),
            self.column.buckets().len(),
            facts.name,
            facts.kind
        ))
    }

    fn run(&mut self, rung: &Rung) -> Result<Added, Error> {
        (rung.run)(&self.gpu, &self.column)
    }

    fn fields(&self, _: &Rung, added: &Added, _: &Added, seconds: f64) -> Result<Fields, String> {
        let summary = added.totals.summary();
        if summary != self.truth {
            return Err(format!(
                "the totals differ from the memory lesson's: {} against {}",
                summary.overall.exact, self.truth.overall.exact
            ));
        }
        let bytes = 8 * self.column.buckets().iter().map(|b| b.range.len() as u64).sum::<u64>();
        let kernel_seconds = added.kernel.map(|t| t.as_secs_f64());
        Ok(Fields {
            overall: summary.overall,
            bytes,
            bytes_per_second: bytes as f64 / seconds,
            kernel_seconds,
            kernel_bytes_per_second: kernel_seconds.filter(|&s| s > 0.0).map(|s| bytes as f64 / s),
        })
    }

    fn finish(&mut self, _: &Added, json: bool) -> Result<(), Error> {
        if !json {
            let numbers = crate::float::numbers(&self.column);
            let exact = self.truth.overall.total.0;
            for precision in Precision::ALL.into_iter().filter(|&p| self.gpu.supports(p)) {
                let once = float_sum(&self.gpu, precision, &numbers)?;
                let again = float_sum(&self.gpu, precision, &numbers)?;
                let same =
                    if once.to_bits() == again.to_bits() { "the same bits" } else { "other bits" };
                println!(
                    "a float sum on the GPU in {}: {once}, and {same} when run again; {:+.3e} from the \
                     exact total rounded once ({exact})",
                    precision.name(),
                    once - exact
                );
            }
            println!(
                "every rung's totals are the memory lesson's, bit for bit: {}",
                self.truth.overall.exact
            );
            println!(
                "GB/s counts the whole time, upload and download included; kernel, the kernels \
                 alone on the GPU's clock. Parsing the file into values took {} on the processor; \
                 the memory lesson's parallel rung parses and adds it in {}",
                ladder::units::seconds(self.parse_seconds),
                ladder::units::seconds(self.memory_seconds)
            );
        }
        Ok(())
    }
}
