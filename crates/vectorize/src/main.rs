//! `vectorize`: run the vectorize lesson's matrix-multiply ladder, or measure this machine's
//! ceilings.
//!
//! ```text
//! vectorize --n 512                           # every rung on two random 512×512 matrices
//! vectorize --shape 300x200x500 --json        # a 300×200 matrix times a 200×500 one
//! vectorize --n 1024 -s blocked -s blas --threads 2
//! vectorize peak                              # one core's FMA peak and memory bandwidth
//! ```

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use lesson_memory::cli::{LadderArgs, exit, print_ladder};
use lesson_vectorize::ladder::{LADDER, product};
use lesson_vectorize::matrix::{error_bound, reference, relative_error};
use lesson_vectorize::peak::{fma_peak, memory_bandwidth};
use lesson_vectorize::{Matrix, flops};
use serde_json::json;

/// The largest product the reference is computed for by default: it runs at a few hundred
/// million terms per second, so about ten seconds here.
const REFERENCE_TERMS: usize = 1 << 30;

/// Multiply two random matrices with every rung of the vectorize lesson.
#[derive(Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Square matrices of this size.
    #[arg(long, default_value_t = 512, conflicts_with = "shape")]
    n: usize,
    /// `MxKxN`: an M×K matrix times a K×N one.
    #[arg(long, value_parser = parse_shape)]
    shape: Option<(usize, usize, usize)>,
    /// Threads for the rungs that use several [default: the number of cores].
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    /// Seed of the random matrices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Skip the reference product (and so the error column), which takes long for big sizes.
    #[arg(long)]
    no_check: bool,
    #[command(flatten)]
    ladder: LadderArgs,
}

#[derive(Subcommand)]
enum Command {
    /// This machine's ceilings: one core's fused multiply-add peak and memory bandwidth.
    Peak {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// Largest side accepted: 2^16 × 2^16 doubles is already 32 GiB.
const MAX_SIDE: usize = 1 << 16;

fn parse_shape(text: &str) -> Result<(usize, usize, usize), String> {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Peak { json }) => {
            peak(json);
            Ok(())
        }
        None if cli.ladder.list => {
            print_ladder(LADDER, |s| (s.name, s.summary));
            Ok(())
        }
        None => run(&cli),
    };
    exit(result)
}

fn peak(json: bool) {
    let (flops_per_s, isa) = fma_peak(Duration::from_millis(300));
    let bandwidth = memory_bandwidth(256 << 20);
    if json {
        println!(
            "{}",
            json!({"lesson": "vectorize", "fma_flops_per_s": flops_per_s, "isa": isa.name(),
                   "read_bytes_per_s": bandwidth.read, "update_bytes_per_s": bandwidth.update})
        );
    } else {
        println!("one core, {} fused multiply-adds: {:.1} GFLOP/s", isa.name(), flops_per_s / 1e9);
        println!(
            "one core's memory bandwidth: {:.1} GB/s reading, {:.1} GB/s reading and writing",
            bandwidth.read / 1e9,
            bandwidth.update / 1e9
        );
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    let (m, k, n) = cli.shape.unwrap_or((cli.n, cli.n, cli.n));
    if m.max(k).max(n) > MAX_SIDE {
        return Err(format!("sizes up to {MAX_SIDE} only"));
    }
    let chosen = cli.ladder.choose(LADDER, |s| s.name)?;
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let threads = cli.threads.unwrap_or(cores);
    let a = Matrix::random(m, k, cli.seed);
    let b = Matrix::random(k, n, cli.seed.wrapping_add(1));
    let check = !cli.no_check && m.saturating_mul(k).saturating_mul(n) <= REFERENCE_TERMS;
    if !cli.no_check && !check && !cli.ladder.json {
        println!(
            "(no error column: the reference takes minutes at this size; --no-check hides this)"
        );
    }
    let truth = check.then(|| reference(&a, &b)).transpose().map_err(|e| e.to_string())?;
    let bound = error_bound(k);
    if !cli.ladder.json {
        println!("{m}×{k} times {k}×{n}, {threads} threads for the parallel rungs");
        println!("{:<14} {:>9} {:>9} {:>12}", "strategy", "seconds", "GFLOP/s", "rel. error");
    }
    for s in chosen {
        if !s.available() {
            let message =
                product(s, &a, &b, threads).err().map(|e| e.to_string()).unwrap_or_default();
            eprintln!("{}: skipped: {message}", s.name);
            continue;
        }
        let used = if s.parallel { threads } else { NonZeroUsize::MIN };
        // Touched before timing, so the time is the multiply's, not the kernel's mapping of
        // fresh memory.
        let mut c = Matrix::zeros(m, n);
        c.data_mut().fill(1.0);
        let start = Instant::now();
        (s.run)(&a, &b, &mut c, used).map_err(|e| e.to_string())?;
        let seconds = start.elapsed().as_secs_f64();
        let error = truth.as_ref().map(|t| relative_error(&c, t, &a, &b));
        if let Some(e) = error.filter(|e| *e > bound) {
            return Err(format!(
                "{}: relative error {e:e} above the bound {bound:e} (a bug)",
                s.name
            ));
        }
        let gflops = flops(m, k, n) / seconds / 1e9;
        if cli.ladder.json {
            println!(
                "{}",
                json!({"lesson": "vectorize", "strategy": s.name, "seconds": seconds, "m": m,
                       "k": k, "n": n, "threads": used.get(), "gflops": gflops,
                       "rel_error": error, "bound": bound})
            );
        } else {
            let error = error.map_or_else(|| "–".to_string(), |e| format!("{e:.1e}"));
            println!("{:<14} {seconds:>9.4} {gflops:>9.2} {error:>12}", s.name);
        }
    }
    if !cli.ladder.json && check {
        println!("rel. error: ‖c − reference‖ / (‖a‖ ‖b‖); the bound for k = {k} is {bound:.1e}");
    }
    Ok(())
}
