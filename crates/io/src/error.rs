//! What can stop an I/O rung.

/// Everything that can go wrong reading the shards.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A shard that cannot be read or is not a valid transactions file (names the file).
    #[error(transparent)]
    Shard(#[from] lesson_memory::Error),
    /// A rayon pool could not start.
    #[error(transparent)]
    Pool(#[from] ladder::pool::PoolError),
    /// The tokio runtime could not start.
    #[error("cannot start the tokio runtime")]
    Runtime(#[source] std::io::Error),
    /// An async task did not finish (it panicked).
    #[error("an async task did not finish")]
    Task(#[source] tokio::task::JoinError),
    /// The limit on reads in flight was closed while tasks waited for it.
    #[error("the limit on reads in flight was closed")]
    Closed(#[source] tokio::sync::AcquireError),
    /// A thread panicked.
    #[error("a thread panicked")]
    Panicked,
    /// The shard server could not listen on loopback.
    #[error("cannot listen on loopback")]
    Listen(#[source] std::io::Error),
    /// A request to the shard server failed (or the server closed without answering).
    #[error("fetching shard {index} from {server}")]
    Fetch {
        /// The server.
        server: std::net::SocketAddr,
        /// The shard asked for.
        index: u32,
        /// What went wrong.
        source: std::io::Error,
    },
    /// No file to read.
    #[error("no shard files given")]
    NoFiles,
    /// A dataset folder without a readable manifest.
    #[error("{}: no readable manifest.json", dir.display())]
    Manifest {
        /// The folder.
        dir: std::path::PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The `io` binary's driver refused (an unknown rung, rungs that disagree).
    #[error(transparent)]
    Ladder(#[from] ladder::Error),
}

impl Error {
    /// The multi-threaded tokio runtime, with `workers` worker threads and at most `blocking`
    /// threads for blocking work.
    pub fn runtime(workers: usize, blocking: usize) -> Result<tokio::runtime::Runtime, Error> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .max_blocking_threads(blocking)
            .enable_all()
            .build()
            .map_err(Error::Runtime)
    }
}
