//! What can stop a compute rung, said so a person can act on it.

use std::path::PathBuf;

/// Everything that can go wrong running a rung.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A thread, pool or runtime could not start.
    #[error("cannot start the workers: {0}")]
    Spawn(String),
    /// Timely dataflow reported a failure.
    #[error("timely dataflow failed: {0}")]
    Timely(String),
    /// A cluster run did not finish in time.
    #[error(
        "no result after {seconds} s: a peer did not start or cannot be reached, or the job \
         takes longer than that (the processes are {addresses}); start every process of the \
         hostfile, or raise --timeout"
    )]
    PeerTimeout {
        /// The deadline.
        seconds: f64,
        /// The cluster's processes.
        addresses: String,
    },
    /// A hostfile that cannot be used.
    #[error("{}:{line}: {problem}", path.display())]
    Hostfile {
        /// The file.
        path: PathBuf,
        /// The line (0 for the file as a whole).
        line: usize,
        /// What is wrong.
        problem: String,
    },
}
