//! What can go wrong in diagnosing a program, each saying what was tried.

use std::path::PathBuf;

/// A diagnosis that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing to run.
    #[error("no command to diagnose: give one after `--`, as in `diagnose -- python3 job.py`")]
    NoCommand,
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
}
