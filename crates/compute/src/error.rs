//! What can stop a compute rung, said so a person can act on it.

use std::path::PathBuf;

/// Everything that can go wrong running a rung.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An operating-system thread could not start.
    #[error("cannot start a thread")]
    Thread(#[source] std::io::Error),
    /// A rayon pool could not start.
    #[error(transparent)]
    Pool(#[from] ladder::pool::PoolError),
    /// The tokio runtime could not start.
    #[error("cannot start the tokio runtime")]
    Runtime(#[source] std::io::Error),
    /// An async task did not finish (it panicked).
    #[error("an async task did not finish")]
    Task(#[source] tokio::task::JoinError),
    /// A thread panicked.
    #[error("a thread panicked")]
    Panicked,
    /// Timely dataflow reported a failure.
    #[error("timely dataflow failed: {0}")]
    Timely(String),
    /// A cluster run did not finish in time.
    #[error(
        "no result after {seconds} s: {waiting}; start every process of the hostfile, or raise \
         --timeout if the job takes longer"
    )]
    PeerTimeout {
        /// The deadline.
        seconds: f64,
        /// Which peers the process was still waiting for.
        waiting: String,
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
    /// A piece of a dataset could not be summed on one of the cluster's processes.
    #[error("process {process}: {problem}")]
    Piece {
        /// The process (its line in the hostfile, from 0).
        process: usize,
        /// The file.
        path: PathBuf,
        /// What went wrong, naming the file, and for a bad row its line and what was expected.
        problem: String,
    },
    /// A dataset that cannot be summed: no files, or a folder without its manifest.
    #[error("{}: {problem}", path.display())]
    Dataset {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The `compute` binary's driver refused (an unknown rung, rungs that disagree).
    #[error(transparent)]
    Ladder(#[from] ladder::Error),
}
