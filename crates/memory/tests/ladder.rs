//! Every rung returns the same exact totals: on generated data against the manifest's oracle,
//! on files written by pandas itself against totals computed in Python, and on random files
//! in every valid form against a reference built without parsing text at all. The checks are
//! the lesson's kit (`lesson_memory::kit`), which the exercises run on the learner's code too.

use lesson_memory::dataset::{self, Spec};
use lesson_memory::kit;
use lesson_memory::ladder::mmap;
use lesson_memory::{LADDER, Options, Totals};

#[test]
fn every_rung_matches_the_generated_oracle() {
    for rung in LADDER.available() {
        kit::matches_the_generated_oracle(rung.name, rung.run);
    }
}

#[test]
fn generation_is_deterministic_and_shards_hold_the_same_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = Spec { rows: 5_000, seed: 3, shards: 1 };
    let three = Spec { shards: 3, ..one };
    let a = dataset::generate(&one, &dir.path().join("a"), &|_| {}).expect("generate");
    dataset::generate(&one, &dir.path().join("b"), &|_| {}).expect("generate");
    let c = dataset::generate(&three, &dir.path().join("c"), &|_| {}).expect("generate");
    let read = |d: &str, name: &str| std::fs::read(dir.path().join(d).join(name)).expect("read");
    assert_eq!(read("a", "transactions.csv"), read("b", "transactions.csv"));
    assert_eq!(a.expected, c.expected);
    assert!(a.is_complete(&dir.path().join("a"), &one));
    assert!(!a.is_complete(&dir.path().join("a"), &three));
    // Shards concatenated without their headers are the single file's rows.
    let header = b",user,transaction_value\n".len();
    let joined: Vec<u8> =
        c.files.iter().flat_map(|f| read("c", &f.name)[header..].to_vec()).collect();
    assert_eq!(joined, read("a", "transactions.csv")[header..]);
    let mut total = Totals::default();
    for f in &c.files {
        total.merge(&mmap(&dir.path().join("c").join(&f.name), &Options::default()).expect("read"));
    }
    assert_eq!(total.summary(), c.expected);
}

/// pandas' `to_csv(index=False, quoting=QUOTE_ALL, encoding="utf-8-sig")`: a byte-order mark,
/// then a quoted header.
#[test]
fn every_rung_reads_a_byte_order_mark_before_quoted_fields() {
    for rung in LADDER.available() {
        kit::reads_a_byte_order_mark_before_quoted_fields(rung.name, rung.run);
    }
}

#[test]
fn every_rung_reads_files_written_by_pandas() {
    for rung in LADDER.available() {
        kit::pandas::reads_files_written_by_pandas(rung.name, rung.run);
    }
}

/// Any file in any valid form, read by any rung with any chunking, buffer and thread count,
/// gives exactly the totals of the values we wrote into it.
#[test]
fn every_rung_on_random_files() {
    for rung in LADDER.available() {
        kit::random::on_random_files(rung.name, rung.run);
    }
}
