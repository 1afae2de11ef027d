//! The programs of known bottleneck (the `probe` binary's subcommands) as the tool meets them:
//! each with the verdict it must get. The tests assert every one; `probe all` runs them all and
//! prints the record the chapter's table is drawn from.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Bound, Diagnosis, Error, Options, diagnose};

/// One probe: its name, its arguments to the `probe` binary, what it does, and its bottleneck.
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    /// Its name in the table.
    pub name: &'static str,
    /// Its arguments; `{file}` is the data file, `{cores}` the machine's cores.
    pub args: &'static [&'static str],
    /// What it does, in a few words.
    pub does: &'static str,
    /// The memory it is judged against, bytes (none: the machine's).
    pub memory_bytes: Option<u64>,
    /// The memory limit the kernel holds it to, bytes, where it has one.
    pub limit_bytes: Option<u64>,
    /// The verdict it must get.
    pub expected: Bound,
}

/// Every probe, in the chapter's order.
pub const PROBES: [Probe; 9] = [
    Probe {
        name: "spin, one thread",
        args: &["spin", "--threads", "1"],
        does: "arithmetic on one thread",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Compute,
    },
    Probe {
        name: "spin, every core",
        args: &["spin", "--threads", "{cores}"],
        does: "arithmetic on as many threads as cores",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Compute,
    },
    Probe {
        name: "sleep",
        args: &["sleep"],
        does: "nothing: one sleep",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Waiting,
    },
    Probe {
        name: "slow server",
        args: &["server", "--delay-ms", "20"],
        does: "requests one at a time to a loopback server that answers after 20 ms",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Waiting,
    },
    Probe {
        name: "cold read",
        args: &["read", "{file}", "--seconds", "30"],
        does: "a 512 MiB file dropped from the page cache, read once in 1 MiB requests",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Io,
    },
    Probe {
        name: "small direct reads",
        args: &["direct", "{file}"],
        does: "4 KiB reads at scattered offsets that bypass the page cache, one at a time",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Io,
    },
    Probe {
        name: "memory near its limit",
        args: &["memory", "--bytes", "314572800"],
        does: "300 MiB allocated, touched and held, judged against 400 MiB",
        memory_bytes: Some(400 << 20),
        limit_bytes: None,
        expected: Bound::Memory,
    },
    Probe {
        name: "memory past its limit",
        args: &["memory", "--bytes", "629145600"],
        does: "600 MiB allocated and touched under a limit of 400 MiB that the kernel enforces",
        memory_bytes: None,
        limit_bytes: Some(400 << 20),
        expected: Bound::Memory,
    },
    Probe {
        name: "memory with room",
        args: &["memory", "--bytes", "31457280"],
        does: "30 MiB allocated, touched and held, judged against the machine's memory",
        memory_bytes: None,
        limit_bytes: None,
        expected: Bound::Waiting,
    },
];

/// The size of the data file the read probes read: the size the device is measured on.
pub const FILE_BYTES: usize = crate::device::SAMPLE_BYTES;

/// Writes the read probes' file into `dir` and flushes it to the device.
pub fn data_file(dir: &Path) -> std::io::Result<PathBuf> {
    let path = dir.join("probe-data");
    let mut file = std::fs::File::create(&path)?;
    let block: Vec<u8> = (0..1 << 20).map(|i| (i % 253) as u8 + 1).collect();
    for _ in 0..FILE_BYTES / block.len() {
        file.write_all(&block)?;
    }
    file.sync_all()?;
    Ok(path)
}

/// `probe` run by the `probe` binary at `binary`, reading `file`, diagnosed with `options` (and
/// the probe's own memory, if it has one).
pub fn run(
    probe: &Probe,
    binary: &Path,
    file: &Path,
    options: &Options,
) -> Result<Diagnosis, Error> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).to_string();
    let args = probe.args.iter().map(|&a| match a {
        "{file}" => file.as_os_str().to_owned(),
        "{cores}" => OsString::from(&cores),
        other => OsString::from(other),
    });
    let command: Vec<OsString> =
        std::iter::once(binary.as_os_str().to_owned()).chain(args).collect();
    let options = Options {
        memory_bytes: probe.memory_bytes.or(options.memory_bytes),
        limit_bytes: probe.limit_bytes.or(options.limit_bytes),
        ..options.clone()
    };
    diagnose(&command, &options)
}

/// One probe's diagnosis, for the record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosed {
    /// The probe's name.
    pub name: String,
    /// What it does.
    pub does: String,
    /// The verdict it must get.
    pub expected: Bound,
    /// What the tool said.
    pub diagnosis: Diagnosis,
}

/// Every probe, one after another, with the data file in `dir` and the device measured there
/// first.
pub fn run_all(binary: &Path, dir: &Path) -> Result<Vec<Diagnosed>, Error> {
    let file = data_file(dir).map_err(|source| Error::Device { dir: dir.into(), source })?;
    // Measured afresh rather than kept: a record states the device's speed on the day.
    let device_throughput = Some(crate::device::measure(dir)?);
    let options = Options { device_throughput, ..Options::default() };
    let mut diagnosed = Vec::new();
    for probe in &PROBES {
        eprintln!("  {}", probe.name);
        let diagnosis = match run(probe, binary, &file, &options) {
            Err(Error::Limit { why }) if probe.limit_bytes.is_some() => {
                eprintln!("    left out: {why}");
                continue;
            }
            other => other?,
        };
        diagnosed.push(Diagnosed {
            name: probe.name.into(),
            does: probe.does.into(),
            expected: probe.expected,
            diagnosis,
        });
    }
    Ok(diagnosed)
}
