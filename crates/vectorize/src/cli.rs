//! The `vectorize` binary's command line: its arguments, how the driver runs one rung on two
//! random matrices ([`MultiplyRandom`], a [`ladder::cli::Job`]), and `vectorize peak`.

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::Duration;

use ladder::cli::{Column, Job, Row};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::flops;
use crate::ladder::{Multiply, Rung};
use crate::matrix::{Matrix, error_bound, reference, relative_error};
use crate::peak::{fma_peak, memory_bandwidth};

/// The lesson, as every line names it.
pub const LESSON: &str = "vectorize";

/// The largest product the reference is computed for by default: it runs at a few hundred
/// million terms per second, so about ten seconds here.
pub const REFERENCE_TERMS: usize = 1 << 30;

/// Largest side accepted: 2^16 × 2^16 doubles is already 32 GiB.
pub const MAX_SIDE: usize = 1 << 16;

/// Multiply two random matrices with every rung of the vectorize lesson.
#[derive(clap::Parser, Debug)]
#[command(name = "vectorize", version, args_conflicts_with_subcommands = true)]
pub struct Args {
    /// `peak`, or none to run the ladder.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The matrices to multiply.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Threads for the rungs that use several [default: the number of cores].
    #[arg(long)]
    pub threads: Option<NonZeroUsize>,
    /// The rungs to run, and how to print them.
    #[command(flatten)]
    pub ladder: ladder::cli::Args,
}

/// The two random matrices a run multiplies, and whether it checks the product: the arguments
/// of this lesson's binary and of the GPU lesson's.
#[derive(clap::Args, Debug)]
pub struct Inputs {
    /// Square matrices of this size.
    #[arg(long, default_value_t = 512, conflicts_with = "shape")]
    pub n: usize,
    /// `MxKxN`: an M×K matrix times a K×N one.
    #[arg(long, value_parser = parse_shape)]
    pub shape: Option<(usize, usize, usize)>,
    /// Seed of the random matrices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Skip the reference product (and so the error column), which takes long for big sizes.
    #[arg(long)]
    pub no_check: bool,
}

impl Inputs {
    /// The two matrices, `a` (m × k) and `b` (k × n), from the seed; sides beyond
    /// [`MAX_SIDE`] are refused.
    pub fn matrices(&self) -> Result<(Matrix, Matrix), Error> {
        let (m, k, n) = self.shape.unwrap_or((self.n, self.n, self.n));
        if m.max(k).max(n) > MAX_SIDE {
            return Err(Error::Shape(format!("sizes up to {MAX_SIDE} only")));
        }
        Ok((Matrix::random(m, k, self.seed), Matrix::random(k, n, self.seed.wrapping_add(1))))
    }

    /// Whether to compute the reference product of `a` and `b`, and the note that says why
    /// not where it is skipped for its size rather than asked to be.
    pub fn check(&self, a: &Matrix, b: &Matrix) -> (bool, Option<&'static str>) {
        let terms = a.rows().saturating_mul(a.cols()).saturating_mul(b.cols());
        let check = !self.no_check && terms <= REFERENCE_TERMS;
        let note = (!self.no_check && !check).then_some(
            "(no error column: the reference takes minutes at this size; --no-check hides this)",
        );
        (check, note)
    }
}

/// What `vectorize` does besides running the ladder.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// This machine's ceilings: one core's fused multiply-add peak and memory bandwidth.
    Peak {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// `MxKxN` (`300x200x500`) as the three sizes, each at most [`MAX_SIDE`].
pub fn parse_shape(text: &str) -> Result<(usize, usize, usize), String> {
    let parts: Vec<&str> = text.split(['x', 'X', '×']).collect();
    let side = |s: &str| match s.trim().parse::<usize>() {
        Ok(v) if v <= MAX_SIDE => Ok(v),
        _ => Err(format!("`{s}` in `{text}` is not a size from 0 to {MAX_SIDE}")),
    };
    match parts.as_slice() {
        [m, k, n] => Ok((side(m)?, side(k)?, side(n)?)),
        _ => Err(format!("expected MxKxN, such as 300x200x500, found `{text}`")),
    }
}

/// The vectorize lesson's fields of one rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// Rows of `a` and of the product.
    pub m: usize,
    /// Columns of `a`, rows of `b`.
    pub k: usize,
    /// Columns of `b` and of the product.
    pub n: usize,
    /// Threads the rung was given.
    pub threads: usize,
    /// 2 m k n operations over the rung's time.
    pub gflops: f64,
    /// ‖c − reference‖ / (‖a‖ ‖b‖), unless the check was skipped.
    pub rel_error: Option<f64>,
    /// The most that error may be, for this `k`.
    pub bound: f64,
}

impl Row for Fields {
    const COLUMNS: &'static [Column] =
        &[Column::right("GFLOP/s", 9), Column::right("rel. error", 12)];

    fn cells(&self) -> Vec<String> {
        let error = self.rel_error.map_or_else(|| "–".to_string(), |e| format!("{e:.1e}"));
        vec![format!("{:.2}", self.gflops), error]
    }
}

/// Two random matrices, multiplied by each rung asked for.
pub struct MultiplyRandom {
    a: Matrix,
    b: Matrix,
    /// The reference product, unless the check is skipped.
    truth: Option<Matrix>,
    /// Where the next rung writes; touched before timing, so the time is the multiply's, not
    /// the kernel's mapping of fresh memory.
    c: Matrix,
    threads: NonZeroUsize,
    note: Option<&'static str>,
}

impl MultiplyRandom {
    /// The job `args` asks for, with its reference computed.
    pub fn new(args: &Args) -> Result<MultiplyRandom, Error> {
        let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        let (a, b) = args.inputs.matrices()?;
        let (check, note) = args.inputs.check(&a, &b);
        let truth = check.then(|| reference(&a, &b)).transpose()?;
        let c = Matrix::zeros(a.rows(), b.cols());
        Ok(MultiplyRandom { a, b, truth, c, threads: args.threads.unwrap_or(cores), note })
    }

    fn dims(&self) -> (usize, usize, usize) {
        (self.a.rows(), self.a.cols(), self.b.cols())
    }
}

impl Job for MultiplyRandom {
    type Run = Multiply;
    type Facts = ();
    type Output = Matrix;
    type Fields = Fields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        let (m, k, n) = self.dims();
        let shape =
            format!("{m}×{k} times {k}×{n}, {} threads for the parallel rungs", self.threads);
        Some(self.note.map_or(shape.clone(), |note| format!("{note}\n{shape}")))
    }

    fn prepare(&mut self) -> Result<(), Error> {
        let (m, _, n) = self.dims();
        self.c = Matrix::zeros(m, n);
        self.c.data_mut().fill(1.0);
        Ok(())
    }

    fn run(&mut self, rung: &Rung) -> Result<Matrix, Error> {
        let threads = if rung.parallel { self.threads } else { NonZeroUsize::MIN };
        (rung.run)(&self.a, &self.b, &mut self.c, threads)?;
        Ok(std::mem::replace(&mut self.c, Matrix::zeros(0, 0)))
    }

    fn fields(&self, rung: &Rung, c: &Matrix, _: &Matrix, seconds: f64) -> Result<Fields, String> {
        let (m, k, n) = self.dims();
        let bound = error_bound(k);
        let rel_error = self.truth.as_ref().map(|t| relative_error(c, t, &self.a, &self.b));
        if let Some(e) = rel_error.filter(|e| *e > bound) {
            return Err(format!("relative error {e:e} above the bound {bound:e}"));
        }
        let threads = if rung.parallel { self.threads.get() } else { 1 };
        Ok(Fields { m, k, n, threads, gflops: flops(m, k, n) / seconds / 1e9, rel_error, bound })
    }

    fn finish(&mut self, _: &Matrix, json: bool) -> Result<(), Error> {
        if !json && self.truth.is_some() {
            let k = self.a.cols();
            println!(
                "rel. error: ‖c − reference‖ / (‖a‖ ‖b‖); the bound for k = {k} is {:.1e}",
                error_bound(k)
            );
        }
        Ok(())
    }
}

/// What `vectorize peak --json` prints: this machine's ceilings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ceilings {
    /// The lesson.
    pub lesson: String,
    /// One core's fused multiply-add peak, FLOP/s.
    pub fma_flops_per_s: f64,
    /// The instructions it used.
    pub isa: String,
    /// One core reading memory, bytes per second.
    pub read_bytes_per_s: f64,
    /// One core reading two arrays and writing one, bytes per second.
    pub update_bytes_per_s: f64,
}

/// `vectorize peak`: measures and prints this machine's ceilings.
pub fn peak(json: bool) -> ExitCode {
    let (flops_per_s, isa) = fma_peak(Duration::from_millis(300));
    let bandwidth = memory_bandwidth(256 << 20);
    let ceilings = Ceilings {
        lesson: LESSON.into(),
        fma_flops_per_s: flops_per_s,
        isa: isa.name().into(),
        read_bytes_per_s: bandwidth.read,
        update_bytes_per_s: bandwidth.update,
    };
    if json {
        match serde_json::to_string(&ceilings) {
            Ok(text) => println!("{text}"),
            Err(e) => return ladder::cli::exit(Err(Error::Ladder(ladder::Error::Json(e)))),
        }
    } else {
        println!(
            "one core, {} fused multiply-adds: {:.1} GFLOP/s",
            ceilings.isa,
            flops_per_s / 1e9
        );
        println!(
            "one core's memory bandwidth: {:.1} GB/s reading, {:.1} GB/s reading and writing",
            bandwidth.read / 1e9,
            bandwidth.update / 1e9
        );
    }
    ExitCode::SUCCESS
}
