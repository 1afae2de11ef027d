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
    /// No file to read.
    #[error("no shard files given")]
    NoFiles,
}
