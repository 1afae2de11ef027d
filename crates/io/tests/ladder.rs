//! Every I/O rung returns the manifest's exact totals for K shards, whatever the threads and
//! reads in flight, and a missing or unreadable shard stops every rung with its name.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use ladder::testing::{every_rung, every_rung_fails};
use lesson_io::ladder::{LADDER, Options, run};
use lesson_memory::dataset::{Spec, generate};

fn options(threads: usize, in_flight: usize) -> Options {
    let n = |k| NonZeroUsize::new(k).expect("non-zero");
    Options { threads: n(threads), in_flight: n(in_flight) }
}

fn shards(dir: &std::path::Path, k: u32) -> (Vec<PathBuf>, lesson_memory::Summary) {
    let manifest =
        generate(&Spec { rows: 30_000, seed: 5, shards: k }, dir, &|_| {}).expect("generate");
    let files = manifest.paths(dir);
    (files, manifest.expected)
}

#[test]
fn every_rung_matches_the_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expected) = shards(dir.path(), 7);
    for (threads, in_flight) in [(1, 1), (2, 2), (3, 5), (2, 16)] {
        let options = options(threads, in_flight);
        for (name, totals) in every_rung(&LADDER, |r| run(r, &files, &options)) {
            assert_eq!(
                totals.summary(),
                expected,
                "{name} with {threads} threads, {in_flight} in flight"
            );
        }
    }
}

#[test]
fn a_missing_shard_is_named_by_every_rung() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut files, _) = shards(dir.path(), 4);
    let missing = dir.path().join("part-999.csv");
    files.insert(2, missing.clone());
    files.push(dir.path().to_path_buf()); // a directory: unreadable as a shard
    for (name, error) in every_rung_fails(&LADDER, |r| run(r, &files, &options(2, 2))) {
        let error = error.to_string();
        let names_one = error.contains(&missing.display().to_string())
            || error.contains(&dir.path().display().to_string());
        assert!(names_one, "{name}: {error}");
    }
    assert!(run(LADDER.baseline(), &[], &Options::default()).is_err());
}
