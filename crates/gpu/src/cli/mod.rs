//! The `gpu` binary's command line: its arguments, how the driver runs one kernel on two random
//! matrices ([`MultiplyOnGpu`], a [`ladder::cli::Job`]), `gpu device`, and `gpu sum` ([`sum`]).

pub mod sum;

use std::process::ExitCode;

use ladder::cli::{Column, Job, Row};
use lesson_vectorize::Matrix;
use lesson_vectorize::cli::Inputs;
use lesson_vectorize::flops;
use lesson_vectorize::matrix::{reference, relative_error};
use serde::{Deserialize, Serialize};

use crate::device::Gpu;
use crate::error::Error;
use crate::matmul::{LADDER, Multiply, Product, Rung, error_bound, in_f32};
use crate::shader::{Precision, Shader};

/// The lesson, as every line names it.
pub const LESSON: &str = "gpu";

/// Multiply two random matrices on the GPU with every kernel of the lesson.
#[derive(clap::Parser, Debug)]
#[command(name = "gpu", version, args_conflicts_with_subcommands = true)]
pub struct Args {
    /// `device`, or none to run the ladder.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The matrices to multiply.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Compute in `f64`, as the vectorize lesson does, or in `f32`, what a GPU is built for.
    #[arg(long, value_enum, default_value_t = Precision::F64)]
    pub precision: Precision,
    /// The rungs to run, and how to print them.
    #[command(flatten)]
    pub ladder: ladder::cli::Args,
}

/// What `gpu` does besides running the matrix-multiply ladder.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// The exact totals of a transactions file, added on the GPU by each kernel of the
    /// exact-sum ladder.
    Sum(sum::Args),
    /// This device's ceilings: its FMA peak in f32 and f64, the bandwidth of its memory, and
    /// transfers between the host and the device.
    Peak {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Measure everything the chapter's figures need and print it as one JSON object (what
    /// `cargo xtask bench` records).
    Bench {
        /// Small sizes only: a check that everything runs.
        #[arg(long)]
        quick: bool,
    },
    /// The GPU this machine has, and what it can do.
    Device {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// The GPU lesson's fields of one rung's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// What the kernel computed in.
    pub precision: Precision,
    /// Rows of `a` and of the product.
    pub m: usize,
    /// Columns of `a`, rows of `b`.
    pub k: usize,
    /// Columns of `b` and of the product.
    pub n: usize,
    /// 2 m k n operations over the whole time: upload, kernel and download.
    pub gflops: f64,
    /// The kernel's own time on the GPU's clock, where the device can tell.
    pub kernel_seconds: Option<f64>,
    /// 2 m k n operations over the kernel's own time.
    pub kernel_gflops: Option<f64>,
    /// ‖c − reference‖ / (‖a‖ ‖b‖), unless the check was skipped.
    pub rel_error: Option<f64>,
    /// The most that error may be, for this `k`.
    pub bound: f64,
}

impl Row for Fields {
    const COLUMNS: &'static [Column] = &[
        Column::right("GFLOP/s", 9),
        Column::right("kernel", 10),
        Column::right("kernel GFLOP/s", 15),
        Column::right("rel. error", 12),
    ];

    fn cells(&self) -> Vec<String> {
        let dash = || "–".to_string();
        vec![
            format!("{:.2}", self.gflops),
            self.kernel_seconds.map_or_else(dash, ladder::units::seconds),
            self.kernel_gflops.map_or_else(dash, |g| format!("{g:.2}")),
            self.rel_error.map_or_else(dash, |e| format!("{e:.1e}")),
        ]
    }
}

/// Two random matrices, multiplied on the GPU by each rung asked for.
pub struct MultiplyOnGpu {
    gpu: Gpu,
    precision: Precision,
    a: Matrix,
    b: Matrix,
    /// The reference product, unless the check is skipped.
    truth: Option<Matrix>,
    note: Option<&'static str>,
}

impl MultiplyOnGpu {
    /// The job `args` asks for, with its reference computed and every kernel compiled, so that
    /// no rung's time includes compiling its shader.
    pub fn new(args: &Args) -> Result<MultiplyOnGpu, Error> {
        let precision = args.precision;
        let gpu = Gpu::open()?;
        for shader in LADDER.iter().filter_map(|rung| rung.facts) {
            gpu.kernel(shader, Some(precision))?;
        }
        let (mut a, mut b) = args.inputs.matrices()?;
        if precision == Precision::F32 {
            // Values the kernel reads exactly, so that the reference is the truth for it too.
            (a, b) = (in_f32(&a), in_f32(&b));
        }
        let (check, note) = args.inputs.check(&a, &b);
        let truth = check.then(|| reference(&a, &b)).transpose()?;
        Ok(MultiplyOnGpu { gpu, precision, a, b, truth, note })
    }

    fn dims(&self) -> (usize, usize, usize) {
        (self.a.rows(), self.a.cols(), self.b.cols())
    }
}

impl Job for MultiplyOnGpu {
    type Run = Multiply;
    type Facts = Option<&'static Shader>;
    type Output = Product;
    type Fields = Fields;
    type Error = Error;
    const LESSON: &'static str = LESSON;

    fn heading(&self) -> Option<String> {
        let (m, k, n) = self.dims();
        let facts = self.gpu.facts();
        let shape = format!(
            "{m}×{k} times {k}×{n} in {} on {} ({})",
            self.precision.name(),
            facts.name,
            facts.kind
        );
        Some(self.note.map_or(shape.clone(), |note| format!("{note}\n{shape}")))
    }

    fn run(&mut self, rung: &Rung) -> Result<Product, Error> {
        (rung.run)(&self.gpu, self.precision, &self.a, &self.b)
    }

    fn fields(
        &self,
        _: &Rung,
        product: &Product,
        _: &Product,
        seconds: f64,
    ) -> Result<Fields, String> {
        let (m, k, n) = self.dims();
        let bound = error_bound(k, self.precision);
        let rel_error =
            self.truth.as_ref().map(|t| relative_error(&product.c, t, &self.a, &self.b));
        if let Some(e) = rel_error.filter(|e| *e > bound) {
            return Err(format!("relative error {e:e} above the bound {bound:e}"));
        }
        let kernel_seconds = product.kernel.map(|t| t.as_secs_f64());
        Ok(Fields {
            precision: self.precision,
            m,
            k,
            n,
            gflops: flops(m, k, n) / seconds / 1e9,
            kernel_seconds,
            kernel_gflops: kernel_seconds.filter(|&s| s > 0.0).map(|s| flops(m, k, n) / s / 1e9),
            rel_error,
            bound,
        })
    }

    fn finish(&mut self, _: &Product, json: bool) -> Result<(), Error> {
        if !json {
            println!(
                "GFLOP/s counts the whole time, upload and download included; kernel, the kernel \
                 alone on the GPU's clock"
            );
            if self.truth.is_some() {
                let k = self.a.cols();
                println!(
                    "rel. error: ‖c − reference‖ / (‖a‖ ‖b‖); the bound for k = {k} is {:.1e}",
                    error_bound(k, self.precision)
                );
            }
        }
        Ok(())
    }
}

/// `gpu bench`: measures the lesson and prints the measurements as JSON.
pub fn bench(quick: bool) -> ExitCode {
    let measured = Gpu::open().and_then(|gpu| {
        let plan = crate::bench::plan(quick, &gpu);
        crate::bench::measure(&gpu, &plan)
    });
    let printed = measured.and_then(|m| {
        let text = serde_json::to_string(&m).map_err(|e| Error::Ladder(ladder::Error::Json(e)))?;
        println!("{text}");
        Ok(())
    });
    ladder::cli::exit(printed)
}

/// `gpu peak`: measures and prints this device's ceilings.
pub fn peak(json: bool) -> ExitCode {
    let measured = Gpu::open().and_then(|gpu| {
        let ceilings = crate::ceilings::measure(&gpu, std::time::Duration::from_millis(500))?;
        Ok((gpu, ceilings))
    });
    let (gpu, ceilings) = match measured {
        Ok(both) => both,
        Err(e) => return ladder::cli::exit(Err(e)),
    };
    if json {
        match serde_json::to_string(&ceilings) {
            Ok(text) => println!("{text}"),
            Err(e) => return ladder::cli::exit(Err(Error::Ladder(ladder::Error::Json(e)))),
        }
        return ExitCode::SUCCESS;
    }
    let facts = gpu.facts();
    println!(
        "{} ({}), kernels timed on the {} clock",
        facts.name,
        facts.kind,
        if ceilings.gpu_clock { "GPU's" } else { "host's" }
    );
    println!(
        "fused multiply-adds: {:.1} GFLOP/s in f32, {} in f64",
        ceilings.fma_f32_flops_per_s / 1e9,
        ceilings
            .fma_f64_flops_per_s
            .map_or("none".to_string(), |f| format!("{:.1} GFLOP/s", f / 1e9))
    );
    println!(
        "a kernel reading {} of device memory: {:.1} GB/s",
        ladder::units::bytes(ceilings.read_bytes),
        ceilings.read_bytes_per_s / 1e9
    );
    println!("{:>10} {:>14} {:>16}", "transfer", "upload GB/s", "download GB/s");
    for t in &ceilings.transfers {
        println!(
            "{:>10} {:>14.2} {:>16.2}",
            ladder::units::bytes(t.bytes),
            t.upload_bytes_per_s / 1e9,
            t.download_bytes_per_s / 1e9
        );
    }
    ExitCode::SUCCESS
}

/// `gpu device`: what the GPU is and can do.
pub fn device(json: bool) -> ExitCode {
    let gpu = match Gpu::open() {
        Ok(gpu) => gpu,
        Err(e) => return ladder::cli::exit(Err(e)),
    };
    let facts = gpu.facts();
    if json {
        match serde_json::to_string(facts) {
            Ok(text) => println!("{text}"),
            Err(e) => return ladder::cli::exit(Err(Error::Ladder(ladder::Error::Json(e)))),
        }
        return ExitCode::SUCCESS;
    }
    println!("{} ({}), driver {}", facts.name, facts.kind, facts.driver);
    if facts.is_cpu() {
        println!("  a processor running the GPU's API, not a GPU: its figures are the processor's");
    }
    let yes = |b: bool| if b { "yes" } else { "no" };
    println!(
        "  f64 in shaders: {}, u64: {}, kernel timestamps: {}",
        yes(facts.f64),
        yes(facts.u64),
        yes(facts.timestamps)
    );
    println!(
        "  largest binding {}, workgroup memory {}, {} invocations per workgroup, {}–{} in lock step",
        ladder::units::bytes(facts.max_binding_bytes),
        ladder::units::bytes(u64::from(facts.workgroup_bytes)),
        facts.workgroup_invocations,
        facts.subgroup.0,
        facts.subgroup.1
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[test]
    fn the_command_line_is_well_formed() {
        Args::command().debug_assert();
        let args = Args::try_parse_from(["gpu", "--n", "64", "--no-check", "--precision", "f32"])
            .expect("valid arguments");
        assert!(args.inputs.no_check && args.inputs.n == 64 && args.precision == Precision::F32);
        let sum = Args::try_parse_from(["gpu", "sum", "file.csv", "--json"]).expect("valid");
        assert!(matches!(sum.command, Some(Command::Sum(s)) if s.ladder.json));
    }
}
