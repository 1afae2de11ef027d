//! The vectorize lesson's measurements:
//!
//! 1. the machine's ceilings with `vectorize peak`: one core's fused multiply-add peak and
//!    memory bandwidth;
//! 2. every rung's error against the reference product, from `vectorize --json`;
//! 3. criterion: every matrix-multiply rung at each size on one thread, the parallel rungs by
//!    thread count, and the elementwise operations in and out of cache;
//! 4. callgrind's instructions per operation, where valgrind is installed;
//! 5. the seed's pure-Python triple loop, where Python is installed, for context;
//! 6. the innermost loops of three rungs, from the built binary.

use std::process::Command;

use anyhow::{Context, Result};
use ladder::Line;
use lesson_vectorize::bench::{
    ELEMENTWISE_GROUP, ERROR_SHAPE, INSTRUCTION_SIZE, LOOPS, MATMUL_GROUP, PYTHON_SCRIPT,
    PYTHON_SIZE, THREADS_GROUP, VECTOR_LENGTHS, counted_rungs, elementwise_id, matmul_id, plan,
    thread_counts, threads_id,
};
use lesson_vectorize::cli::{Ceilings, Fields};
use lesson_vectorize::elementwise::VERSIONS;
use lesson_vectorize::flops;
use lesson_vectorize::ladder::{BLAS, LADDER};
use lesson_vectorize::report::{
    AsmLoop, ElementPoint, ErrorPoint, InstructionPoint, MatmulPoint, PythonPoint, Report,
    ThreadPoint,
};

use super::{Criterion, Run, binary, instruction_counts};
use crate::machine;
use crate::shell::{blas_features, json_lines, output, probe};

/// Measures the vectorize lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let plan = plan(run.quick);
    let binary = binary("lesson-vectorize", "vectorize", &blas_features())?;
    // The rungs this build has: the BLAS rung only where OpenBLAS was found.
    let blas = !blas_features().is_empty();
    let built =
        |rung: &&'static lesson_vectorize::ladder::Rung| blas || !std::ptr::eq(*rung, &BLAS);

    eprintln!("measuring this core's FMA peak and read bandwidth");
    let peak: Ceilings =
        serde_json::from_str(output(Command::new(&binary).args(["peak", "--json"]))?.trim())?;

    let (m, k, n) = ERROR_SHAPE;
    eprintln!("every rung's error on a {m}×{k}×{n} product");
    let lines: Vec<Line<Fields>> =
        json_lines(Command::new(&binary).args(["--json", "--shape", &format!("{m}x{k}x{n}")]))?;
    let errors = lines
        .into_iter()
        .map(|l| {
            let rel_error =
                l.fields.rel_error.with_context(|| format!("{} has no error", l.rung))?;
            Ok(ErrorPoint { rung: l.rung, rel_error, bound: l.fields.bound })
        })
        .collect::<Result<Vec<_>>>()?;

    eprintln!("timing the vectorize ladder with criterion");
    let groups = [MATMUL_GROUP, THREADS_GROUP, ELEMENTWISE_GROUP];
    let criterion = Criterion::run("vectorize", &groups, run, &plan)?;

    let mut matmul = Vec::new();
    for rung in LADDER.iter().filter(built) {
        for &n in &plan.sizes {
            let median_s = criterion.measured(&matmul_id(rung, n))?.map(|t| t.median);
            let gflops = median_s.map(|t| flops(n, n, n) / t / 1e9);
            matmul.push(MatmulPoint { rung: rung.name.into(), n, median_s, gflops });
        }
    }
    let target_size = plan.target_size();
    let mut threads = Vec::new();
    for rung in LADDER.iter().filter(built).filter(|r| r.parallel) {
        let one = criterion.timing(&threads_id(rung, 1))?.median;
        for t in thread_counts() {
            let median_s = criterion.timing(&threads_id(rung, t))?.median;
            threads.push(ThreadPoint {
                rung: rung.name.into(),
                n: target_size,
                threads: t,
                median_s,
                gflops: flops(target_size, target_size, target_size) / median_s / 1e9,
                speedup: one / median_s,
            });
        }
    }
    let mut elementwise = Vec::new();
    for len in VECTOR_LENGTHS {
        for version in VERSIONS {
            let median_s = criterion.timing(&elementwise_id(version, len))?.median;
            let (ops, bytes) = version.per_element();
            elementwise.push(ElementPoint {
                version: version.name.into(),
                len,
                median_s,
                gflops: ops * len as f64 / median_s / 1e9,
                bytes_per_s: bytes * len as f64 / median_s,
            });
        }
    }
    let per_flop = flops(INSTRUCTION_SIZE, INSTRUCTION_SIZE, INSTRUCTION_SIZE);
    let instructions =
        match instruction_counts(run, "vectorize_instructions", counted_rungs().map(|r| r.name))? {
            Ok(counts) => counts
                .into_iter()
                .map(|(rung, ir)| InstructionPoint { rung, per_flop: ir as f64 / per_flop })
                .collect(),
            Err(why) => {
                eprintln!("{why}");
                Vec::new()
            }
        };
    eprintln!("timing the seed's pure-Python loop at n = {PYTHON_SIZE}");
    let python = probe("python3", &["-c", PYTHON_SCRIPT, &PYTHON_SIZE.to_string()])
        .and_then(|s| s.parse::<f64>().ok())
        .map(|seconds| PythonPoint {
            n: PYTHON_SIZE,
            seconds,
            gflops: flops(PYTHON_SIZE, PYTHON_SIZE, PYTHON_SIZE) / seconds / 1e9,
        });
    let assembly = assembly(&binary).unwrap_or_else(|why| {
        eprintln!("{why}");
        Vec::new()
    });
    Ok(Report {
        machine: machine::current(),
        quick: run.quick,
        isa: peak.isa,
        peak_flops: peak.fma_flops_per_s,
        read_bytes_per_s: peak.read_bytes_per_s,
        update_bytes_per_s: peak.update_bytes_per_s,
        blas,
        target_size,
        longest_run_s: plan.longest_run_s,
        matmul,
        threads,
        elementwise,
        errors,
        instruction_size: INSTRUCTION_SIZE,
        instructions,
        python,
        assembly,
    })
}

/// The innermost loops of [`LOOPS`] in the built binary, from `objdump`: for each function,
/// the loop (a backward jump) most densely packed with instructions on doubles, and its
/// instructions; or why there are none (objdump is missing).
fn assembly(binary: &std::path::Path) -> Result<Vec<AsmLoop>, String> {
    let out = Command::new("objdump")
        .args(["-d", "--no-show-raw-insn", "-C"])
        .arg(binary)
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|_| "objdump is not installed (binutils): no assembly excerpts".to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut loops = Vec::new();
    for asm in LOOPS {
        let header = format!("<{}>:", asm.symbol);
        let Some(body) = text
            .split("\n\n")
            .find(|block| block.lines().next().is_some_and(|l| l.ends_with(&header)))
        else {
            continue; // inlined away or not built for this processor
        };
        // (address, instruction) for every line of the function.
        let lines: Vec<(u64, String)> = body
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (address, rest) = l.trim().split_once(':')?;
                Some((
                    u64::from_str_radix(address, 16).ok()?,
                    rest.split_whitespace().collect::<Vec<_>>().join(" "),
                ))
            })
            .collect();
        let doubles = |i: &String| {
            i.split(' ').next().is_some_and(|m| m.ends_with("pd") || m.ends_with("sd"))
        };
        let best = lines
            .iter()
            .enumerate()
            .filter_map(|(end, (address, instruction))| {
                let target = instruction.strip_prefix('j')?.split(' ').nth(1)?;
                let target = u64::from_str_radix(target, 16).ok()?;
                (target < *address).then_some(())?;
                let start = lines.iter().position(|(a, _)| *a == target)?;
                let count = lines[start..=end].iter().filter(|(_, i)| doubles(i)).count();
                Some((count, start, end))
            })
            .filter(|(count, ..)| *count >= 2)
            // The innermost loop: the one most densely packed with arithmetic on doubles.
            .max_by_key(|(count, start, end)| (count * 1000 / (end - start + 1), *count));
        if let Some((_, start, end)) = best {
            let instructions = lines[start..=end]
                .iter()
                .map(|(_, i)| i.split(" <").next().unwrap_or(i).to_string())
                .collect();
            loops.push(AsmLoop { rung: asm.title.to_string(), instructions });
        }
    }
    Ok(loops)
}
