//! The I/O lesson's tests of a rung, as functions of the rung: the lesson's own tests run them
//! on every rung, and each exercise runs them on the learner's version (built with the feature
//! `kit`).
//!
//! Besides the totals, counted properties, read while the rung runs ([`ladder::probe`] and the
//! shard server's own count): how many shard files are open at once (several, for a parallel
//! reader; at most the reads in flight, for a bounded one), and how many requests the server
//! holds at once.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lesson_memory::Summary;
use lesson_memory::dataset::{Spec, generate};
use lesson_memory::totals::Totals;

use crate::error::Error;
use crate::ladder::{Options, Read};
use crate::latency::Server;

fn options(threads: usize, in_flight: usize) -> Options {
    let n = |k| NonZeroUsize::new(k).expect("non-zero");
    Options { threads: n(threads), in_flight: n(in_flight) }
}

/// `k` shard files of `rows` rows in all, in `dir`, and their exact totals.
fn shards(dir: &Path, rows: u64, k: u32) -> (Vec<PathBuf>, Summary) {
    let manifest = generate(&Spec { rows, seed: 5, shards: k }, dir, &|_| {}).expect("generate");
    (manifest.paths(dir), manifest.expected)
}

/// `read` on `files`, or a panic naming `what` and the error.
fn totals(what: &str, read: Read, files: &[PathBuf], options: &Options) -> Summary {
    match read(files, options) {
        Ok(totals) => totals.summary(),
        Err(e) => panic!("{what} failed: {}", ladder::cli::chain(&e)),
    }
}

/// Seven shards: exactly their manifest's totals, whatever the threads and reads in flight.
pub fn matches_the_manifest(what: &str, read: Read) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expected) = shards(dir.path(), 30_000, 7);
    for (threads, in_flight) in [(1, 1), (2, 2), (3, 5), (2, 16)] {
        let got = totals(what, read, &files, &options(threads, in_flight));
        assert_eq!(got, expected, "{what} with {threads} threads, {in_flight} in flight");
    }
}

/// A missing shard, and a folder among the shards: an error that names one of them.
pub fn names_a_missing_shard(what: &str, read: Read) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut files, _) = shards(dir.path(), 30_000, 4);
    let missing = dir.path().join("part-999.csv");
    files.insert(2, missing.clone());
    files.push(dir.path().to_path_buf()); // a directory: unreadable as a shard
    let error = match read(&files, &options(2, 2)) {
        Ok(totals) => panic!("{what} read a missing shard: {:?}", totals.summary().overall),
        Err(e) => ladder::cli::chain(&e),
    };
    let names_one = error.contains(&missing.display().to_string())
        || error.contains(&dir.path().display().to_string());
    assert!(names_one, "{what}: `{error}` names neither the missing shard nor the folder");
}

/// Twelve shards read with four threads and four reads in flight: at some moment at least two
/// shards are open at once. A reader that opens one file after another gives the right totals
/// and fails here.
pub fn reads_several_files_at_once(what: &str, read: Read) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expected) = shards(dir.path(), 600_000, 12);
    let (got, peaks) = ladder::probe::peaks_during(Some(dir.path()), || {
        totals(what, read, &files, &options(4, 4))
    });
    assert_eq!(got, expected, "{what}");
    let Some(peaks) = peaks else {
        eprintln!("{what}: open files cannot be counted here (no /proc/self): not checked");
        return;
    };
    assert!(
        peaks.open_files >= 2,
        "{what}: with four threads, at most {} shard was open at once: the files are read one \
         after another",
        peaks.open_files
    );
}

/// Sixteen shards with four threads but two reads in flight: never more than two shards open at
/// once. A reader that starts every read at once gives the right totals and fails here.
pub fn keeps_at_most_in_flight_files_open(what: &str, read: Read) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expected) = shards(dir.path(), 600_000, 16);
    let (got, peaks) = ladder::probe::peaks_during(Some(dir.path()), || {
        totals(what, read, &files, &options(4, 2))
    });
    assert_eq!(got, expected, "{what}");
    if let Some(peaks) = peaks {
        assert!(
            peaks.open_files <= 2,
            "{what}: {} shards were open at once with two reads in flight asked for: the reads \
             are not bounded",
            peaks.open_files
        );
    }
}

/// What the latency exercise writes: fetch shards `0..count` from a server, at most
/// `in_flight` requests outstanding, and total them.
pub type FetchAll = fn(SocketAddr, u32, usize) -> Result<Totals, Error>;

/// Twelve shards served with a delay, fetched one at a time, four at a time and all at once:
/// always the manifest's totals; a shard the server does not have is an error naming it.
pub fn fetches_the_manifests_totals(what: &str, fetch: FetchAll) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expected) = shards(dir.path(), 6_000, 12);
    let server = Server::start(files, Duration::from_millis(5)).expect("a loopback server");
    for in_flight in [1, 4, 64] {
        match fetch(server.addr(), 12, in_flight) {
            Ok(totals) => assert_eq!(totals.summary(), expected, "{what}, {in_flight} in flight"),
            Err(e) => panic!("{what}, {in_flight} in flight: {}", ladder::cli::chain(&e)),
        }
    }
    match fetch(server.addr(), 13, 4) {
        Ok(_) => panic!("{what} fetched a shard the server does not have"),
        Err(e) => assert!(matches!(e, Error::Fetch { index: 12, .. }), "{what}: {e}"),
    }
}

/// Twenty-four shards served with 30 ms each, fetched with eight in flight: the server must see
/// more than four requests at once, and never more than eight. One request at a time, or every
/// request at once, gives the right totals and fails here.
pub fn keeps_requests_in_flight(what: &str, fetch: FetchAll) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expected) = shards(dir.path(), 24_000, 24);
    let server = Server::start(files, Duration::from_millis(30)).expect("a loopback server");
    let totals = fetch(server.addr(), 24, 8)
        .unwrap_or_else(|e| panic!("{what}: {}", ladder::cli::chain(&e)));
    assert_eq!(totals.summary(), expected, "{what}");
    let most = server.most_in_flight();
    assert!(
        most > 4,
        "{what}: the server never held more than {most} requests at once, with eight allowed: \
         each request waits for the one before"
    );
    assert!(most <= 8, "{what}: the server held {most} requests at once, with eight allowed");
}
