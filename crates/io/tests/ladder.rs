//! Every I/O rung returns the manifest's exact totals for K shards, whatever the threads and
//! reads in flight, and a missing or unreadable shard stops every rung with its name; the rungs
//! that read several files at once do, and the bounded ones keep within their bound. The checks
//! are the lesson's kit (`lesson_io::kit`), which the exercises run on the learner's code.

use lesson_io::kit;
use lesson_io::ladder::{LADDER, Options, PIPELINE, RAYON, SEQUENTIAL, TOKIO, run};

#[test]
fn every_rung_matches_the_manifest() {
    for rung in LADDER.available() {
        kit::matches_the_manifest(rung.name, rung.run);
    }
}

#[test]
fn a_missing_shard_is_named_by_every_rung() {
    for rung in LADDER.available() {
        kit::names_a_missing_shard(rung.name, rung.run);
    }
    assert!(run(LADDER.baseline(), &[], &Options::default()).is_err());
}

#[test]
fn the_rayon_rung_reads_several_files_at_once_and_the_check_notices_one_that_does_not() {
    kit::reads_several_files_at_once(RAYON.name, RAYON.run);
    if ladder::probe::threads_now().is_some() {
        let one = || kit::reads_several_files_at_once(SEQUENTIAL.name, SEQUENTIAL.run);
        assert!(std::panic::catch_unwind(one).is_err(), "sequential opens one file at a time");
    }
}

#[test]
fn bounded_rungs_keep_within_their_reads_in_flight_and_the_check_notices_one_that_does_not() {
    for rung in [&TOKIO, &PIPELINE] {
        kit::keeps_at_most_in_flight_files_open(rung.name, rung.run);
    }
    if ladder::probe::threads_now().is_some() {
        let unbounded = || kit::keeps_at_most_in_flight_files_open(RAYON.name, RAYON.run);
        assert!(std::panic::catch_unwind(unbounded).is_err(), "rayon opens a file per thread");
    }
}
