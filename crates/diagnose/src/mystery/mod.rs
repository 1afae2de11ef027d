//! The exercise "diagnose a program you have not seen": four short Python programs in
//! `crates/diagnose/mysteries/`, each limited by something else, the inputs they read, and the
//! tool run on each as a learner runs it (`cargo xtask diagnose --mysteries` prints the
//! commands). Programs that read a file are run cold, as after a restart, and beside a smaller
//! input, so that the tool can see whether their memory grows with it.

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Diagnosis, Error, Options, diagnose};

pub mod answers;

pub use answers::{Answer, answers};

/// One program to diagnose.
#[derive(Clone, Copy, Debug)]
pub struct Mystery {
    /// Its file in the mysteries folder.
    pub script: &'static str,
    /// The input it reads, if any.
    pub input: Option<Input>,
}

/// An input file, written in two sizes.
#[derive(Clone, Copy, Debug)]
pub struct Input {
    /// The file's name; the smaller one's ends in `-small`.
    pub name: &'static str,
    /// Its lines, the larger one's (the smaller has an eighth of them).
    pub lines: u64,
    /// Line `i` of it, from a number drawn for it.
    pub line: fn(u64, u64) -> String,
}

/// A log line: a time, a level (one in five an error), a request and its duration.
fn log_line(i: u64, drawn: u64) -> String {
    let level = ["INFO", "INFO", "INFO", "WARN", "ERROR"][(drawn % 5) as usize];
    let (request, ms) = (drawn >> 8 & 0xffff_ffff, drawn >> 40 & 0x3ff);
    format!(
        "2026-12-01T{:02}:{:02}:{:02} {level} request {request} done in {ms} ms\n",
        i / 3600 % 24,
        i / 60 % 60,
        i % 60
    )
}

/// A row of a user and an amount, nearly every one different.
fn user_line(_: u64, drawn: u64) -> String {
    format!("user{},{}\n", drawn % 1_000_000_000_000, drawn >> 44)
}

/// The programs, in the exercise's order.
pub const MYSTERIES: [Mystery; 4] = [
    Mystery { script: "checksums.py", input: None },
    Mystery { script: "report.py", input: None },
    Mystery {
        script: "dedupe.py",
        input: Some(Input { name: "users.csv", lines: 3_000_000, line: user_line }),
    },
    Mystery {
        script: "scan.py",
        input: Some(Input { name: "requests.log", lines: 4_000_000, line: log_line }),
    },
];

/// The folder of the programs.
pub fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("mysteries")
}

/// The folder their inputs are written to: the workspace's build folder, on a disk (a RAM-backed
/// `/tmp` cannot be read cold).
pub fn inputs_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/mysteries")
}

/// The larger and the smaller file of `input` in `dir`.
fn paths(input: &Input, dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join(input.name), dir.join(format!("{}-small", input.name)))
}

/// Writes `lines` lines of `line` to `path`, flushed to its device (a file with pages still
/// to write stays in the page cache, and cannot be read cold).
fn write(path: &Path, lines: u64, line: fn(u64, u64) -> String) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut out = BufWriter::with_capacity(1 << 20, &file);
    // A linear congruential generator: the same files everywhere.
    let mut drawn: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..lines {
        drawn =
            drawn.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        out.write_all(line(i, drawn).as_bytes())?;
    }
    out.flush()?;
    drop(out);
    file.sync_all()
}

/// Writes every program's inputs into `dir`, where they are not there already.
pub fn write_inputs(dir: &Path) -> Result<(), Error> {
    for input in MYSTERIES.iter().filter_map(|m| m.input.as_ref()) {
        let (larger, smaller) = paths(input, dir);
        for (path, lines) in [(larger, input.lines), (smaller, input.lines / 8)] {
            if !path.exists() {
                // Written whole under another name, then renamed: never a half-written input.
                let partial = path.with_extension(format!("partial-{}", std::process::id()));
                write(&partial, lines, input.line)
                    .and_then(|()| std::fs::rename(&partial, &path))
                    .map_err(|source| Error::Write { path, source })?;
            }
        }
    }
    Ok(())
}

/// The command that runs `mystery` on its inputs in `dir`, and the options a learner gives the
/// tool for it (cold, beside the smaller input, where it reads one).
pub fn command(mystery: &Mystery, dir: &Path) -> (Vec<OsString>, Options) {
    let mut command = vec![OsString::from("python3"), folder().join(mystery.script).into()];
    let mut options = Options::default();
    if let Some(input) = &mystery.input {
        let (larger, smaller) = paths(input, dir);
        command.push(larger.into());
        options.versus = Some(smaller);
        options.cold = true;
    }
    (command, options)
}

/// The tool's diagnosis of `mystery`, its inputs in `dir`, on a device that reads
/// `device_throughput` bytes per second.
pub fn diagnosis(
    mystery: &Mystery,
    dir: &Path,
    device_throughput: f64,
) -> Result<Diagnosis, Error> {
    let (command, options) = command(mystery, dir);
    diagnose(&command, &Options { device_throughput: Some(device_throughput), ..options })
}
