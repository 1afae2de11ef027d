//! The ladder: every way this lesson reads K shard files, each returning their exact totals.
//!
//! Each shard is parsed by the memory lesson's code (its `stream` and `mmap` rungs, called by
//! path, or [`lesson_memory::parse_bytes`] for bytes read here), and the shards' exact totals
//! are merged, so every rung returns the same totals whatever the order the files finish in.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use ladder::Ladder;
use lesson_memory::ladder::{mmap as mmap_file, stream as stream_file};
use lesson_memory::{Totals, parse_bytes};
use rayon::prelude::*;

use crate::error::Error;

/// Settings a rung may use.
#[derive(Clone, Debug)]
pub struct Options {
    /// Threads for parsing (and for rayon's reads).
    pub threads: NonZeroUsize,
    /// Reads in flight at once, for the rungs that read apart from parsing.
    pub in_flight: NonZeroUsize,
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        Options { threads: cores, in_flight: cores }
    }
}

/// Reads and parses one file with one of the memory lesson's rungs.
pub fn with(rung: lesson_memory::ladder::Sum, path: &Path) -> Result<Totals, Error> {
    Ok(rung(path, &lesson_memory::Options::default())?)
}

/// The shards' totals merged, or the first shard's error.
pub fn merged(parts: impl IntoIterator<Item = Result<Totals, Error>>) -> Result<Totals, Error> {
    let mut totals = Totals::default();
    for part in parts {
        totals.merge(&part?);
    }
    Ok(totals)
}

// ANCHOR: sequential
/// One file after another: open, read, parse, next.
pub fn sequential(files: &[PathBuf], _: &Options) -> Result<Totals, Error> {
    merged(files.iter().map(|f| with(stream_file, f)))
}
// ANCHOR_END: sequential

// ANCHOR: rayon
/// One file per task on a pool: reading and parsing of different files overlap.
pub fn rayon(files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    let parts: Vec<_> = ladder::pool::pool(options.threads)?
        .install(|| files.par_iter().map(|f| with(stream_file, f)).collect());
    merged(parts)
}
// ANCHOR_END: rayon

// ANCHOR: tokio
/// Async reads, at most `in_flight` at once, each file parsed on the blocking pool as soon as
/// it has arrived. tokio's file reads themselves also run on that blocking pool: operating
/// systems offer no readiness notification for regular files, so "async" file I/O is a
/// thread doing a blocking read.
pub fn tokio(files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    let (threads, in_flight) = (options.threads.get(), options.in_flight.get());
    let runtime = Error::runtime(threads, threads.max(in_flight))?;
    runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(options.in_flight.get()));
        let tasks: Vec<_> = files
            .iter()
            .cloned()
            .map(|path| {
                let permits = Arc::clone(&permits);
                tokio::spawn(async move {
                    let permit = permits.acquire_owned().await.map_err(Error::Closed)?;
                    let bytes = tokio::fs::read(&path)
                        .await
                        .map_err(|e| lesson_memory::Error::io(&path, e))?;
                    drop(permit); // the read is done: let the next one start while we parse
                    tokio::task::spawn_blocking(move || {
                        parse_bytes(&bytes, &path).map_err(Error::from)
                    })
                    .await
                    .map_err(Error::Task)?
                })
            })
            .collect();
        let mut totals = Totals::default();
        for task in tasks {
            totals.merge(&task.await.map_err(Error::Task)??);
        }
        Ok(totals)
    })
}
// ANCHOR_END: tokio

// ANCHOR: mmap
/// One file per task on a pool, each memory-mapped: no copy into our buffers at all.
pub fn mmap(files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    let parts: Vec<_> = ladder::pool::pool(options.threads)?
        .install(|| files.par_iter().map(|f| with(mmap_file, f)).collect());
    merged(parts)
}
// ANCHOR_END: mmap

// ANCHOR: pipeline
/// `in_flight` reader threads read whole files and hand them, through a channel that holds at
/// most `in_flight` files, to `threads` parser threads: reading the next files overlaps with
/// parsing the last ones, and the bounded channel keeps memory bounded when reading outpaces
/// parsing.
pub fn pipeline(files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    let (sender, receiver) =
        mpsc::sync_channel::<Result<(&Path, Vec<u8>), Error>>(options.in_flight.get());
    let receiver = std::sync::Mutex::new(receiver);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..options.in_flight.get() {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let read =
                        std::fs::read(path).map_err(|e| lesson_memory::Error::io(path, e).into());
                    if sender.send(read.map(|bytes| (path.as_path(), bytes))).is_err() {
                        return; // the parsers stopped after an error
                    }
                }
            });
        }
        drop(sender); // the channel closes when the last reader is done
        let parsers: Vec<_> = (0..options.threads.get())
            .map(|_| {
                scope.spawn(|| {
                    let mut totals = Totals::default();
                    loop {
                        let next = receiver.lock().map_err(|_| Error::Panicked)?.recv();
                        let Ok(read) = next else { return Ok(totals) };
                        let (path, bytes) = read?;
                        totals.merge(&parse_bytes(&bytes, path)?);
                    }
                })
            })
            .collect();
        merged(parsers.into_iter().map(|p| p.join().map_err(|_| Error::Panicked)?))
    })
}
// ANCHOR_END: pipeline

/// What every rung does: the exact totals of the shard files.
pub type Read = fn(&[PathBuf], &Options) -> Result<Totals, Error>;

/// A rung of this lesson.
pub type Rung = ladder::Rung<Read>;

/// One file after another.
pub static SEQUENTIAL: Rung =
    Rung::new("sequential", "one file after another: open, read, parse", sequential).baseline();

/// One file per task on a pool.
pub static RAYON: Rung =
    Rung::new("rayon", "one file per task on a pool of one thread per core", rayon).parallel();

/// Async reads with bounded concurrency.
pub static TOKIO: Rung =
    Rung::new("tokio", "async reads with bounded concurrency, parsing on the blocking pool", tokio)
        .parallel();

/// One memory-mapped file per task.
pub static MMAP: Rung =
    Rung::new("mmap", "one memory-mapped file per task on a pool", mmap).parallel();

/// Readers feeding parsers.
pub static PIPELINE: Rung =
    Rung::new("pipeline", "reader threads feed parser threads through a bounded channel", pipeline)
        .parallel();

/// The I/O ladder.
pub static LADDER: Ladder<Read> = Ladder::new(&[&SEQUENTIAL, &RAYON, &TOKIO, &MMAP, &PIPELINE]);

/// Runs `rung` on `files`, after checking that there is something to read.
pub fn run(rung: &Rung, files: &[PathBuf], options: &Options) -> Result<Totals, Error> {
    if files.is_empty() {
        return Err(Error::NoFiles);
    }
    (rung.run)(files, options)
}
