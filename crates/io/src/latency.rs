//! Latency-bound reads: when every request waits, keep many in flight.
//!
//! Object storage and network file systems answer each request after a delay that does not
//! depend on how busy our processor is. This module makes that real on one machine: a server
//! on the loopback interface that serves shard files, each answer held back by a stated delay
//! (for example 20 ms, a typical object-store first-byte latency). The client fetches every
//! shard with at most `in_flight` requests outstanding. Sequentially the delays add up; with
//! many in flight they overlap, and a single thread can keep dozens waiting.
//!
//! The protocol is the smallest that works: the client connects and sends a shard's index as
//! four bytes; the server waits, then sends the file's length as eight bytes and the file.
//!
//! Its [`LADDER`] has two rungs: one request at a time, and many in flight.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ladder::Ladder;
use lesson_memory::{Totals, parse_bytes};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::Error;

/// A shard server on loopback; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    load: Arc<Load>,
}

/// Requests the server holds right now, and the most it has held at once: how many requests a
/// client really keeps in flight, counted where they arrive.
#[derive(Default)]
struct Load {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Server {
    /// Starts serving `files` (by index) on a free loopback port, each answer after `delay`.
    pub fn start(files: Vec<PathBuf>, delay: Duration) -> Result<Server, Error> {
        let runtime = Error::runtime(1, 1)?;
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).map_err(Error::Listen)?;
        let addr = listener.local_addr().map_err(Error::Listen)?;
        let files = Arc::new(files);
        let load = Arc::new(Load::default());
        let counted = Arc::clone(&load);
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&files), delay, Arc::clone(&counted)));
            }
        });
        Ok(Server { addr, runtime: Some(runtime), load })
    }

    /// Where the server listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most requests the server has held at once (received, not yet answered), since it
    /// started or since [`Server::reset_load`].
    pub fn most_in_flight(&self) -> usize {
        self.load.most.load(Ordering::Acquire)
    }

    /// Starts counting [`Server::most_in_flight`] again.
    pub fn reset_load(&self) {
        self.load.most.store(self.load.now.load(Ordering::Acquire), Ordering::Release);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background(); // stops accepting and serving at once
        }
    }
}

/// Answers one request: waits `delay`, then sends the file (or closes on a bad index).
async fn serve(mut stream: TcpStream, files: Arc<Vec<PathBuf>>, delay: Duration, load: Arc<Load>) {
    let Ok(index) = stream.read_u32().await else { return };
    let now = load.now.fetch_add(1, Ordering::AcqRel) + 1;
    load.most.fetch_max(now, Ordering::AcqRel);
    tokio::time::sleep(delay).await; // the stated latency of the storage we model
    if let Some(path) = files.get(index as usize)
        && let Ok(bytes) = tokio::fs::read(path).await
    {
        let _ = stream.write_u64(bytes.len() as u64).await;
        let _ = stream.write_all(&bytes).await;
    }
    load.now.fetch_sub(1, Ordering::AcqRel);
}

// ANCHOR: fetch
/// Fetches shards `0..count` from `server`, at most `in_flight` requests outstanding, on one
/// thread, and totals them. Every request waits; none uses the processor while it waits.
pub fn fetch_all(server: SocketAddr, count: u32, in_flight: usize) -> Result<Totals, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(in_flight.max(1)));
        let mut requests = tokio::task::JoinSet::new();
        for index in 0..count {
            let permit = Arc::clone(&permits).acquire_owned().await.map_err(Error::Closed)?;
            requests.spawn(async move {
                let bytes = fetch(server, index).await;
                drop(permit);
                let name = PathBuf::from(format!("{server}/shard-{index}"));
                parse_bytes(&bytes?, &name).map_err(Error::from)
            });
        }
        let mut totals = Totals::default();
        while let Some(part) = requests.join_next().await {
            totals.merge(&part.map_err(Error::Task)??);
        }
        Ok(totals)
    })
}
// ANCHOR_END: fetch

/// What both rungs do: fetch shards `0..count` from a server and total them, with at most
/// `in_flight` requests outstanding where the rung keeps several.
pub type Fetch = fn(SocketAddr, u32, NonZeroUsize) -> Result<Totals, Error>;

/// A rung of the latency-bound ladder.
pub type Rung = ladder::Rung<Fetch>;

/// One request at a time: the delays add up.
pub static ONE_AT_A_TIME: Rung = Rung::new(
    "one-at-a-time",
    "one request at a time: every delay is waited for in turn",
    |server, count, _| fetch_all(server, count, 1),
)
.baseline();

/// Many requests outstanding on one thread: the delays overlap.
pub static IN_FLIGHT: Rung = Rung::new(
    "in-flight",
    "many requests outstanding on one thread: the delays overlap",
    |server, count, in_flight| fetch_all(server, count, in_flight.get()),
)
.parallel();

/// The latency-bound ladder.
pub static LADDER: Ladder<Fetch> = Ladder::new(&[&ONE_AT_A_TIME, &IN_FLIGHT]);

/// The largest shard a client accepts: a length from the network must not size an
/// allocation unchecked.
const MAX_SHARD_BYTES: u64 = 1 << 30;

/// One request: the shard's bytes, or an error naming the shard.
pub async fn fetch(server: SocketAddr, index: u32) -> Result<Vec<u8>, Error> {
    let failed = |source: std::io::Error| Error::Fetch { server, index, source };
    let mut stream = TcpStream::connect(server).await.map_err(failed)?;
    stream.write_u32(index).await.map_err(failed)?;
    let len = stream.read_u64().await.map_err(failed)?;
    if len > MAX_SHARD_BYTES {
        return Err(failed(std::io::Error::other(format!("the server announced {len} bytes"))));
    }
    let mut bytes = vec![0; len as usize]; // at most MAX_SHARD_BYTES
    stream.read_exact(&mut bytes).await.map_err(failed)?;
    Ok(bytes)
}
