//! What can stop a vectorize rung.

/// Everything that can go wrong multiplying matrices here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The inner dimensions of a product differ, or a matrix's data does not fit its shape.
    #[error("{0}")]
    Shape(String),
    /// The rung needs something this build or machine does not have (names what is missing).
    #[error("{rung} is not available: built without {}: {}", need.what, need.how)]
    Unavailable {
        /// The rung.
        rung: &'static str,
        /// What is missing and how to get it.
        need: &'static ladder::Need,
    },
    /// A kernel was asked for instructions this processor does not have.
    #[error("this processor cannot run {0} instructions")]
    Instructions(&'static str),
    /// A thread pool could not start.
    #[error(transparent)]
    Pool(#[from] ladder::pool::PoolError),
    /// The `vectorize` binary's driver refused (an unknown rung, a result outside its bound).
    #[error(transparent)]
    Ladder(#[from] ladder::Error),
}
