//! Exercise `io-fetch`: the io lesson's `in-flight` rung, written by you.
//!
//! On one thread, keep at most `in_flight` requests to the server outstanding: take a permit,
//! start `fetch(server, index)` as a task that parses the bytes it gets, and merge the totals of
//! the tasks as they finish.
//!
//! Check it: `cargo xtask exercise check io-fetch` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint io-fetch`. The chapter: `book/src/io.md#latency-bound-many-requests-in-flight-on-one-thread`.
//!
//! Derived from `crates/io/src/latency.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset io-fetch` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::time::Duration;

use ladder::Ladder;
use lesson_io::error::Error;
use lesson_io::latency::fetch;
use lesson_memory::Totals;
use lesson_memory::parse_bytes;
use tokio::io::AsyncReadExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::net::TcpStream;

/// Fetches shards `0..count` from `server`, at most `in_flight` requests outstanding, on one
/// thread, and totals them. Every request waits; none uses the processor while it waits.
pub fn fetch_all(server: SocketAddr, count: u32, in_flight: usize) -> Result<Totals, Error> {
    // TODO: On one thread, keep at most `in_flight` requests to the server outstanding: take a
    // permit, start `fetch(server, index)` as a task that parses the bytes it gets, and merge the
    // totals of the tasks as they finish.
    // Check: `cargo xtask exercise check io-fetch`; a hint: `… exercise hint io-fetch`.
    todo!("io-fetch: write the body of `fetch_all`")
}
