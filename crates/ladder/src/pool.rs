//! A pool of worker threads of a stated size, for the rungs that spread their work with rayon.
//!
//! A rung builds its own pool rather than use rayon's global one, so that its thread count is
//! the one it is given (a benchmark measures it on 1, 2, 4 … threads) and not whatever ran
//! first in the process.

use std::num::NonZeroUsize;

/// The pool could not start (the system refused the threads).
#[derive(Debug, thiserror::Error)]
#[error("cannot start a pool of {threads} threads")]
pub struct PoolError {
    /// Threads asked for.
    pub threads: usize,
    /// What rayon said.
    source: rayon::ThreadPoolBuildError,
}

/// A rayon pool of `threads` threads.
pub fn pool(threads: NonZeroUsize) -> Result<rayon::ThreadPool, PoolError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.get())
        .build()
        .map_err(|source| PoolError { threads: threads.get(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_has_the_threads_asked_for() {
        let three = NonZeroUsize::new(3).expect("non-zero");
        assert_eq!(pool(three).expect("starts").install(rayon::current_num_threads), 3);
    }
}
