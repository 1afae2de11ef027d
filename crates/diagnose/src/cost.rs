//! What one addition costs, in CPython and in Rust: the reason behind the vectorize chapter's
//! fifty-fold gap, measured rather than told.
//!
//! Each language runs the same loop, `s += i` for `i` in `0..n` (`add.py`, and the `probe`
//! binary's `add`), at two sizes. The difference
//! between the two runs divided by the difference in `n` is the cost of one turn of the loop,
//! with the program's start-up and the interpreter's set-up cancelled out. Instructions come
//! from cachegrind's count ([`crate::simulate`]); time from the wall clock, the best of three
//! runs of each size.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::simulate::simulate;

/// The cost of one addition in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// The language and how it ran: `CPython 3.11`, `Rust (release)`.
    pub language: String,
    /// Instructions per addition.
    pub instructions: f64,
    /// Nanoseconds per addition.
    pub nanoseconds: f64,
}

/// A way to run the loop `n` times.
struct Runner {
    language: String,
    command: Box<dyn Fn(u64) -> Vec<OsString>>,
    /// The two sizes counted on the simulator, and the two timed.
    simulated: [u64; 2],
    timed: [u64; 2],
}

/// The Python program: the loop, `n` from its argument.
pub const PYTHON: &str = include_str!("add.py");

fn best_of_three(command: &[OsString]) -> Result<f64, Error> {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        let status = Command::new(&command[0])
            .args(&command[1..])
            .status()
            .map_err(|source| Error::Spawn { command: format!("{command:?}"), source })?;
        if !status.success() {
            let why = std::io::Error::other(format!("{status}"));
            return Err(Error::Wait { command: format!("{command:?}"), source: why });
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    Ok(best)
}

fn measure(runner: &Runner) -> Result<Cost, Error> {
    let [small, large] = runner.simulated;
    let counted = [small, large].map(|n| simulate(&(runner.command)(n)));
    let [counted_small, counted_large] = counted;
    let instructions = (counted_large?.instructions as f64 - counted_small?.instructions as f64)
        / (large - small) as f64;
    let [small, large] = runner.timed;
    let timed_small = best_of_three(&(runner.command)(small))?;
    let timed_large = best_of_three(&(runner.command)(large))?;
    let nanoseconds = 1e9 * (timed_large - timed_small) / (large - small) as f64;
    Ok(Cost { language: runner.language.clone(), instructions, nanoseconds })
}

/// The sizes of the loop, a tenth of them for a `quick` run.
fn scaled(sizes: [u64; 2], quick: bool) -> [u64; 2] {
    if quick { sizes.map(|n| n / 10) } else { sizes }
}

/// The cost of one addition in Rust, with the `probe` binary at `probe`; `quick` runs loops a
/// tenth as long.
pub fn rust(probe: &Path, quick: bool) -> Result<Cost, Error> {
    let probe = probe.to_path_buf();
    measure(&Runner {
        language: "Rust (release)".into(),
        command: Box::new(move |n| {
            vec![probe.clone().into(), "add".into(), "--n".into(), n.to_string().into()]
        }),
        simulated: scaled([1_000_000, 11_000_000], quick),
        timed: scaled([100_000_000, 1_100_000_000], quick),
    })
}

/// The cost of one addition in CPython, where `python3` runs; `quick` runs loops a tenth as
/// long. (Slow: the interpreter starts twice on the simulator.)
pub fn python(quick: bool) -> Result<Option<Cost>, Error> {
    let Ok(version) = Command::new("python3").arg("--version").output() else { return Ok(None) };
    if !version.status.success() {
        return Ok(None);
    }
    let language = String::from_utf8_lossy(&version.stdout).trim().replace("Python", "CPython");
    let cost = measure(&Runner {
        language,
        command: Box::new(|n| {
            vec!["python3".into(), "-c".into(), PYTHON.into(), n.to_string().into()]
        }),
        simulated: scaled([100_000, 1_100_000], quick),
        timed: scaled([1_000_000, 11_000_000], quick),
    })?;
    Ok(Some(cost))
}

/// [`rust`], then [`python`] where it runs.
pub fn costs(probe: &Path, quick: bool) -> Result<Vec<Cost>, Error> {
    let mut costs = vec![rust(probe, quick)?];
    costs.extend(python(quick)?);
    Ok(costs)
}
