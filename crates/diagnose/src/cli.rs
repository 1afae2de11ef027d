//! The `diagnose` binary's command line: `diagnose [--json] [--memory BYTES] [--limit BYTES]
//! [--profile FILE.svg] [--sim] [--versus SMALLER] [--cold] -- COMMAND [ARGS...]` runs the command and
//! prints what limits it.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::{Options, diagnose};

/// The lesson, as the records name it.
pub const LESSON: &str = "diagnose";

/// Run a program and say which resource limits it: compute, memory, I/O or waiting.
#[derive(Parser, Debug)]
#[command(name = "diagnose")]
pub struct Args {
    /// Print one JSON object: the bound, the rule, the remedy, the evidence, everything measured.
    #[arg(long)]
    pub json: bool,
    /// Judge its memory against this many bytes (`4G`, `512M`) [default: what the machine has
    /// available].
    #[arg(long, value_parser = parse_bytes)]
    pub memory: Option<u64>,
    /// Run it with at most this much memory (`4G`, `512M`), enforced by the kernel as a
    /// container's limit is (a memory cgroup: root, or a delegated cgroup), and judge it against
    /// that: a program that needs more is killed, and said to be memory-bound for certain.
    #[arg(long, value_parser = parse_bytes, value_name = "BYTES")]
    pub limit: Option<u64>,
    /// The storage device's read throughput in bytes per second [default: measured once on the
    /// current folder's device, by writing a 512 MiB file there and reading it back, and kept].
    #[arg(long)]
    pub device_throughput: Option<f64>,
    /// Also draw where its processor time goes as a flame graph into this SVG file (`perf
    /// record` on the software clock).
    #[arg(long, value_name = "FILE.svg")]
    pub profile: Option<std::path::PathBuf>,
    /// Also run it once more on cachegrind's simulated processor for its instruction and cache
    /// miss counts (some fifty times slower: give it a short run).
    #[arg(long)]
    pub sim: bool,
    /// Run it first on this smaller input, in place of its last argument that names a file or
    /// folder: memory that grows with the input is memory-bound, however much the machine has.
    #[arg(long, value_name = "SMALLER")]
    pub versus: Option<std::path::PathBuf>,
    /// Drop the files its arguments name (a file, or a folder's files) from the page cache
    /// before it runs, as after a restart: it reads them from the device.
    #[arg(long)]
    pub cold: bool,
    /// The program and its arguments.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<OsString>,
}

/// `4G`, `512M`, `64K` or a plain number of bytes.
fn parse_bytes(text: &str) -> Result<u64, String> {
    let (digits, scale) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 1 << 10),
        Some((i, 'M' | 'm')) => (&text[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    let value: f64 =
        digits.parse().map_err(|_| format!("expected bytes such as 4G or 512M, found `{text}`"))?;
    Ok((value * scale as f64) as u64)
}

/// Runs the binary with the process's arguments.
pub fn main() -> ExitCode {
    let args = Args::parse();
    let options = Options {
        memory_bytes: args.memory,
        limit_bytes: args.limit,
        device_throughput: args.device_throughput,
        device_dir: None,
        profile: args.profile,
        simulate: args.sim,
        versus: args.versus,
        cold: args.cold,
    };
    match diagnose(&args.command, &options) {
        Ok(diagnosis) if args.json => match serde_json::to_string(&diagnosis) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("diagnose: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(diagnosis) => {
            eprint!("{}", diagnosis.render());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("diagnose: {}", ladder::cli::chain(&e));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_their_units_and_nonsense_is_refused() {
        assert_eq!(parse_bytes("4G"), Ok(4 << 30));
        assert_eq!(parse_bytes("512m"), Ok(512 << 20));
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert!(parse_bytes("lots").expect_err("not a size").contains("`lots`"));
    }

    #[test]
    fn the_command_line_is_well_formed_and_keeps_the_program_s_own_flags() {
        use clap::CommandFactory;
        Args::command().debug_assert();
        let args = Args::parse_from(["diagnose", "--json", "--", "python3", "-c", "pass"]);
        assert!(args.json);
        assert_eq!(args.command, ["python3", "-c", "pass"]);
    }
}
