//! What can stop a vectorize rung.

/// Everything that can go wrong multiplying matrices here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The inner dimensions of a product differ, or a matrix's data does not fit its shape.
    #[error("{0}")]
    Shape(String),
    /// The rung needs something this build or machine does not have (names what is missing).
    #[error("{rung} is not available: {why}")]
    Unavailable {
        /// The rung.
        rung: &'static str,
        /// What is missing and how to get it.
        why: String,
    },
    /// A thread pool could not start.
    #[error("cannot start the threads: {0}")]
    Spawn(String),
}
