//! The memory lesson's job across machines: the exact totals, overall and per user, of a
//! transactions dataset, on timely dataflow, the same dataflow on worker threads in one process
//! or on processes on many machines.
//!
//! The dataset's files are cut into pieces, byte ranges of their rows that end at line ends, as
//! the memory lesson's parallel rung cuts one file. Worker 0 names the pieces; `exchange` sends
//! each to a worker; that worker maps the file and parses its piece with the memory lesson's
//! parser into exact partial totals; a second `exchange` brings every partial to worker 0,
//! which merges them. Exact sums make the merge order irrelevant, so the totals are the same,
//! bit for bit, for any number of processes and workers and any assignment of pieces to them.
//!
//! Every process reads the files itself: they must be at the same path on every machine (a
//! shared file system, or copies of the shards). A piece that cannot be read, or a bad row,
//! ends the run with an error that names the process, the file and, for a bad row, the line.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use lesson_memory::dataset::Manifest;
use lesson_memory::fast::Digits;
use lesson_memory::ladder::mmap::{header_at_eof, map, parse_mapped};
use lesson_memory::ladder::parallel::{cut_at_line_ends, parse_piece};
use lesson_memory::totals::Totals;
use serde::{Deserialize, Serialize};
use timely::dataflow::operators::vec::Map;
use timely::dataflow::operators::{Exchange, Input, Inspect, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};
use timely::worker::Worker;

use crate::cluster::{Cluster, Progress};
use crate::distributed::on_workers;
use crate::error::Error;

/// Pieces per worker, as the memory lesson's parallel rung cuts per thread: a few, so that a
/// worker that finishes early is not left idle while another parses a large piece.
pub const PIECES_PER_WORKER: usize = 4;

/// What to sum, and how to spread it.
#[derive(Clone, Debug)]
pub struct Job {
    /// The dataset's files, in row order, at the same path on every machine.
    pub files: Vec<PathBuf>,
    /// Which worker parses which piece: 0 deals them out in turn, any other value shuffles
    /// them by that seed (the totals must not change).
    pub assignment: u64,
}

impl Job {
    /// The files of `dataset`, a dataset's folder (its manifest lists them) or one CSV file,
    /// dealt out in turn.
    pub fn of(dataset: &Path) -> Result<Job, Error> {
        let files = if dataset.is_dir() {
            let manifest = Manifest::load(dataset).map_err(|e| Error::Dataset {
                path: dataset.into(),
                problem: format!("a dataset folder needs its manifest.json ({e})"),
            })?;
            manifest.paths(dataset)
        } else {
            vec![dataset.to_owned()]
        };
        Ok(Job { files, assignment: 0 })
    }
}

/// One piece: the `k`-th of `of` ranges of file `file`'s rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// The file's index in [`Job::files`].
    pub file: usize,
    /// Which range.
    pub k: usize,
    /// Of how many.
    pub of: usize,
}

/// What a worker found in a piece.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Found {
    /// The piece's exact totals.
    Piece {
        /// The process whose worker summed it.
        process: usize,
        /// The file.
        file: usize,
        /// Its rows in the piece.
        totals: Totals,
    },
    /// The whole file's, parsed on one thread: the piece saw a quote, and a quoted field may
    /// hold a line end, so only the whole file says where its rows end.
    File {
        /// The process whose worker parsed it.
        process: usize,
        /// The file.
        file: usize,
        /// All its rows.
        totals: Totals,
    },
    /// The piece could not be summed.
    Failed {
        /// The process whose worker tried.
        process: usize,
        /// The file.
        file: usize,
        /// What went wrong: the file, and for a bad row its line and what was expected.
        problem: String,
    },
}

/// The pieces of `files` for `workers` workers: every file cut into the same number of ranges,
/// enough for [`PIECES_PER_WORKER`] per worker across the files.
pub fn pieces(files: usize, workers: usize) -> Vec<Piece> {
    let of = (workers * PIECES_PER_WORKER).div_ceil(files.max(1)).max(1);
    (0..files).flat_map(|file| (0..of).map(move |k| Piece { file, k, of })).collect()
}

impl Found {
    /// The process whose worker found it.
    pub fn process(&self) -> usize {
        match self {
            Found::Piece { process, .. }
            | Found::File { process, .. }
            | Found::Failed { process, .. } => *process,
        }
    }
}

/// The worker, of `workers`, a piece goes to. `exchange` sends a record to the worker its key
/// names, modulo the workers, so worker 0, which deals the pieces, knows where each one went.
fn destination(piece: &Piece, assignment: u64, workers: usize) -> usize {
    let index = (piece.file * piece.of + piece.k) as u64;
    let key = match assignment {
        0 => index,
        // A multiply-xorshift hash of the index and the seed: any other assignment.
        seed => {
            let mut x = (index ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            x ^= x >> 31;
            x.wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 29)
        }
    };
    (key % workers.max(1) as u64) as usize
}

/// Sums `piece` of `job`, in `process`: the memory lesson's fastest parser on the piece's
/// bytes, mapped.
pub fn sum_piece(job: &Job, piece: Piece, process: usize) -> Found {
    let failed = |problem: String| Found::Failed { process, file: piece.file, problem };
    // Each machine lists its own copy's files: one may have fewer than worker 0's.
    let Some(path) = job.files.get(piece.file) else {
        return failed(format!(
            "its dataset lists {} files, and worker 0's has a file number {}",
            job.files.len(),
            piece.file + 1
        ));
    };
    let map = match map(path) {
        Ok(map) => map,
        Err(e) => return failed(ladder::cli::chain(&e)),
    };
    let (parser, header_len) = match header_at_eof(&map, path) {
        Ok(header) => header,
        Err(e) => return failed(ladder::cli::chain(&e)),
    };
    let rows = &map[header_len..];
    let Some(range) = cut_at_line_ends(rows, piece.of).get(piece.k).cloned() else {
        // A file with fewer lines than pieces: this piece is empty.
        return Found::Piece { process, file: piece.file, totals: Totals::default() };
    };
    match parse_piece(rows, range, header_len, parser.layout()) {
        Some(totals) => Found::Piece { process, file: piece.file, totals },
        // A quote or an error: the whole file on one thread, the authority on both.
        None => match parse_mapped(&map, path, Digits::OneAtATime) {
            Ok(totals) => Found::File { process, file: piece.file, totals },
            Err(e) => failed(ladder::cli::chain(&e)),
        },
    }
}

/// The dataset's totals from what the workers found: each file's pieces merged, or its whole
/// parse where a piece needed one; the first failure, by file, if any.
pub fn merge(job: &Job, found: Vec<Found>) -> Result<Totals, Error> {
    let mut failures = BTreeMap::new();
    let mut files: BTreeMap<usize, Totals> = BTreeMap::new();
    let mut whole = BTreeMap::new();
    for f in found {
        match f {
            Found::Piece { file, totals, .. } => files.entry(file).or_default().merge(&totals),
            Found::File { file, totals, .. } => {
                whole.insert(file, totals);
            }
            Found::Failed { process, file, problem } => {
                failures.entry(file).or_insert((process, problem));
            }
        }
    }
    if let Some((file, (process, problem))) = failures.into_iter().next() {
        return Err(Error::Piece { process, path: job.files[file].clone(), problem });
    }
    // A file's whole parse stands in for its pieces.
    files.extend(whole);
    let mut totals = Totals::default();
    for part in files.values() {
        totals.merge(part);
    }
    Ok(totals)
}

// ANCHOR: sum_dataflow
/// One worker's part of the job, `threads` workers to a process; worker 0 returns what every
/// worker found, and keeps `progress` told of the pieces each process still owes it.
pub fn find(
    worker: &mut Worker,
    job: &Job,
    threads: usize,
    progress: &Arc<Progress>,
) -> Option<Vec<Found>> {
    let found = Rc::new(RefCell::new(Vec::new()));
    let collected = Rc::clone(&found);
    let (process, threads) = (worker.index() / threads.max(1), threads.max(1));
    let (assignment, workers) = (job.assignment, worker.peers());
    let paid = Arc::clone(progress);
    let mut input = InputHandle::new();
    let probe = ProbeHandle::new();
    let work = job.clone();
    worker.dataflow::<u64, _, _>(|scope| {
        scope
            .input_from(&mut input)
            .container::<Vec<Piece>>()
            .exchange(move |piece| destination(piece, assignment, workers) as u64)
            .map(move |piece| sum_piece(&work, piece, process))
            .exchange(|_| 0) // every partial to worker 0
            .inspect(move |f| {
                paid.paid(f.process());
                collected.borrow_mut().push(f.clone());
            })
            .probe_with(&probe);
    });
    if worker.index() == 0 {
        for piece in pieces(job.files.len(), workers) {
            progress.owes(destination(&piece, assignment, workers) / threads);
            input.send(piece);
        }
    }
    input.close();
    worker.step_while(|| !probe.done());
    (worker.index() == 0).then(|| found.take())
}
// ANCHOR_END: sum_dataflow

/// The job on `threads` timely workers in this process.
pub fn in_process(job: &Job, threads: NonZeroUsize) -> Result<Totals, Error> {
    let work = job.clone();
    // One process: nothing to wait for that the progress could name.
    let progress = Arc::new(Progress::alone());
    let found = on_workers(threads, move |worker| find(worker, &work, threads.get(), &progress))?;
    merge(job, found)
}

/// The job as one process of `cluster`: the totals in process 0, `None` in the others.
pub fn in_cluster(job: &Job, cluster: &Cluster) -> Result<Option<Totals>, Error> {
    let (work, threads) = (job.clone(), cluster.threads.get());
    let found = crate::cluster::in_cluster(cluster, move |worker, progress| {
        find(worker, &work, threads, progress)
    })?;
    found.map(|found| merge(job, found)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    use lesson_memory::dataset::{Spec, generate};

    fn threads(n: usize) -> NonZeroUsize {
        NonZeroUsize::new(n).expect("at least one")
    }

    #[test]
    fn the_totals_are_the_manifest_s_for_every_worker_count_and_assignment() {
        let dir = tempfile::tempdir().expect("a folder");
        for shards in [1, 3] {
            let data = dir.path().join(format!("shards-{shards}"));
            let manifest = generate(&Spec { rows: 20_000, seed: 11, shards }, &data, &|_| {})
                .expect("generated");
            let job = Job::of(&data).expect("a dataset");
            assert_eq!(job.files.len(), shards as usize);
            for workers in 1..=5 {
                for assignment in [0, 1, 987_654_321] {
                    let job = Job { assignment, ..job.clone() };
                    let totals = in_process(&job, threads(workers)).expect("summed");
                    assert_eq!(
                        totals.summary(),
                        manifest.expected,
                        "{workers} workers, {assignment}"
                    );
                }
            }
        }
    }

    /// A CSV file of `rows` in `dir`.
    fn csv(dir: &Path, name: &str, rows: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, format!(",user,transaction_value\n{rows}")).expect("written");
        path
    }

    #[test]
    fn more_pieces_than_rows_and_a_quoted_field_give_the_one_thread_totals() {
        let dir = tempfile::tempdir().expect("a folder");
        let small = csv(dir.path(), "small.csv", "0,1,2.5\n1,2,-0.25\n");
        let quoted = csv(dir.path(), "quoted.csv", "0,1,\"2.5\"\n1,2,3\n2,1,0.1\n");
        let job = Job::of(&quoted).expect("a file");
        let piece = Piece { file: 0, k: 0, of: 2 };
        assert!(matches!(sum_piece(&job, piece, 0), Found::File { .. }), "a quote: the whole file");
        for path in [small, quoted] {
            let one = parse_mapped(&map(&path).expect("mapped"), &path, Digits::OneAtATime)
                .expect("parsed");
            for workers in [1, 4, 7] {
                let job = Job::of(&path).expect("a file");
                let totals = in_process(&job, threads(workers)).expect("summed");
                assert_eq!(totals.summary(), one.summary(), "{}", path.display());
            }
        }
    }

    #[test]
    fn a_bad_row_and_a_missing_file_are_named_with_the_process() {
        let dir = tempfile::tempdir().expect("a folder");
        let good = csv(dir.path(), "good.csv", "0,1,2.5\n");
        let bad = csv(dir.path(), "bad.csv", "0,1,2.5\n1,2,lots\n");
        let job = Job { files: vec![good.clone(), bad], assignment: 0 };
        let why = in_process(&job, threads(3)).expect_err("a bad row").to_string();
        assert!(why.starts_with("process 0: "), "{why}");
        assert!(why.contains("bad.csv:3: ") && why.contains("`lots`"), "{why}");
        let missing = dir.path().join("missing.csv");
        let job = Job { files: vec![good, missing], assignment: 0 };
        let why = in_process(&job, threads(2)).expect_err("a missing file").to_string();
        assert!(why.contains("missing.csv") && why.contains("No such file"), "{why}");
        let short = Job { files: Vec::new(), assignment: 0 };
        let piece = Piece { file: 1, k: 0, of: 1 };
        let Found::Failed { problem, .. } = sum_piece(&short, piece, 3) else {
            panic!("a file this machine does not have");
        };
        assert!(problem.contains("lists 0 files") && problem.contains("number 2"), "{problem}");
        let why = Job::of(dir.path()).expect_err("a folder without a manifest").to_string();
        assert!(why.contains("manifest.json"), "{why}");
    }

    #[test]
    fn every_piece_of_every_file_is_dealt_once() {
        for (files, workers) in [(1, 1), (1, 3), (16, 2), (5, 7)] {
            let all = pieces(files, workers);
            assert!(all.len() >= workers * PIECES_PER_WORKER);
            for file in 0..files {
                let of: Vec<usize> = all.iter().filter(|p| p.file == file).map(|p| p.k).collect();
                assert_eq!(of, (0..all[0].of).collect::<Vec<_>>());
            }
        }
    }
}
