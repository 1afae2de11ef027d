//! # Compute: parallelize
//!
//! Two kinds of slow work and what to do about each:
//!
//! - [`waiting`]: tasks that wait (the seed's `computation(x)` sleeps for a second). They need
//!   many waits in flight, not many cores: threads or async tasks, not a pool sized for the
//!   cores.
//! - [`pi`]: tasks that compute (a Monte-Carlo estimate of π). They need cores: threads, a
//!   work-stealing pool, or, beyond one machine, a distributed engine ([`distributed`]: timely
//!   dataflow over TCP, its processes connected and held to a deadline by [`cluster`]).
//! - [`sum`]: the memory lesson's job, the exact totals of a transactions dataset, on the same
//!   distributed engine: a job that reads as well as computes, cut into pieces across machines.
//!
//! Every rung of each ladder returns exactly the same result, whatever the number of threads
//! or processes: the squares in input order for the waiting tasks, and an integer count of
//! hits for π, drawn from a counter-based generator. [`cli`] is the `compute` binary's command
//! line, [`bench`] what the benchmarks measure and the targets they are judged by, and
//! [`report`] the record of a measured run; `kit` (with the feature `kit`) holds the rung tests,
//! for the lesson's tests and the exercises, listed in [`exercises`].

pub mod bench;
pub mod cli;
pub mod cluster;
pub mod distributed;
pub mod error;
pub mod exercises;
#[cfg(feature = "kit")]
pub mod kit;
pub mod pi;
pub mod report;
pub mod sum;
pub mod waiting;

pub use error::Error;
