//! What can stop an I/O rung.

/// Everything that can go wrong reading the shards.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A shard that cannot be read or is not a valid transactions file (names the file).
    #[error(transparent)]
    Shard(#[from] lesson_memory::Error),
    /// A thread, pool or runtime could not start.
    #[error("cannot start the workers: {0}")]
    Spawn(String),
    /// A request to the shard server failed (or the server closed without answering).
    #[error("fetching shard {index} from {server}: {problem}")]
    Fetch {
        /// The server.
        server: std::net::SocketAddr,
        /// The shard asked for.
        index: u32,
        /// What went wrong.
        problem: String,
    },
    /// No file to read.
    #[error("no shard files given")]
    NoFiles,
}
