//! What can go wrong in diagnosing a program, each saying what was tried.

use std::path::PathBuf;

/// A diagnosis that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing to run.
    #[error("no command to diagnose: give one after `--`, as in `diagnose -- python3 job.py`")]
    NoCommand,
    /// `--versus` was given, but no argument of the command names a file or folder to replace.
    #[error("--versus needs an argument of the command that names a file or folder to replace")]
    NoInput,
    /// The program could not be started.
    #[error("cannot start `{command}`")]
    Spawn {
        /// The program.
        command: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Waiting for the program failed.
    #[error("cannot wait for `{command}`")]
    Wait {
        /// The program.
        command: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The device's read throughput could not be measured.
    #[error("cannot measure the read throughput of the device under {}", dir.display())]
    Device {
        /// The folder whose device was measured.
        dir: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A tool the option needs is not installed.
    #[error("`{tool}` is not installed here: install it (apt-get install {package})")]
    Missing {
        /// The tool.
        tool: &'static str,
        /// Where it comes from.
        package: &'static str,
    },
    /// A tool the option needs failed.
    #[error("`{tool}` failed")]
    Tool {
        /// The tool.
        tool: &'static str,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A tool's output was not what it should be.
    #[error("{}: expected {what}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What was expected.
        what: String,
    },
    /// A file could not be dropped from the page cache.
    #[error("cannot drop {} from the page cache", file.display())]
    Evict {
        /// The file.
        file: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The memory limit could not be set up.
    #[error("cannot enforce a memory limit: {why}")]
    Limit {
        /// What failed.
        why: String,
    },
    /// An output could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}
