//! The memory lesson's tests of a rung, as functions of the rung: the lesson's own tests run
//! them on every rung of its ladder, and each exercise runs them on the learner's version, so an
//! exercise is held to exactly what the lesson's code is (built with the feature `kit`).
//!
//! Each check takes a name for its messages and the function under test, and panics, saying
//! what went wrong in the lesson's terms, when the function does not do what every rung does:
//! - [`matches_the_generated_oracle`], [`reads_a_byte_order_mark_before_quoted_fields`],
//!   [`pandas::reads_files_written_by_pandas`] and [`random::on_random_files`]: the exact totals;
//! - [`bad_input`]: the same clear error, on the same line, for every kind of bad file;
//! - [`heap_stays_flat`]: memory that does not grow with the file (a streaming rung's promise).

pub mod bad_input;
pub mod pandas;
pub mod random;

use std::num::NonZeroUsize;
use std::path::Path;

use crate::alloc::peak_during;
use crate::dataset::{self, Spec};
use crate::ladder::{Options, Sum};
use crate::totals::Summary;

/// Option sets that change how a rung splits its work: none may change the result.
pub fn option_sets() -> Vec<Options> {
    let threads = |n| NonZeroUsize::new(n).expect("non-zero");
    vec![
        Options::default(),
        Options { rows_per_chunk: 1, buffer_bytes: 64, threads: threads(1) },
        Options { rows_per_chunk: 7, buffer_bytes: 100, threads: threads(2) },
        Options { rows_per_chunk: 4096, buffer_bytes: 4099, threads: threads(7) },
    ]
}

/// `sum` on `path`, or a panic naming `what` and the error.
pub fn summary(what: &str, sum: Sum, path: &Path, options: &Options) -> Summary {
    match sum(path, options) {
        Ok(totals) => totals.summary(),
        Err(e) => panic!("{what} failed on {}: {}", path.display(), ladder::cli::chain(&e)),
    }
}

/// A generated file of 60 000 rows: `sum` gives exactly the totals its manifest recorded while
/// writing it, whatever the chunking, buffer and thread count.
pub fn matches_the_generated_oracle(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = Spec { rows: 60_000, seed: 7, shards: 1 };
    let manifest = dataset::generate(&spec, dir.path(), &|_| {}).expect("generate");
    let file = dir.path().join(&manifest.files[0].name);
    assert_eq!(manifest.expected.overall.rows, 60_000);
    assert_eq!(manifest.expected.per_user.len(), dataset::USERS as usize);
    for options in option_sets() {
        assert_eq!(
            summary(what, sum, &file, &options),
            manifest.expected,
            "{what} with {options:?}"
        );
    }
}

/// pandas' `to_csv(index=False, quoting=QUOTE_ALL, encoding="utf-8-sig")`: a byte-order mark,
/// then a quoted header.
pub fn reads_a_byte_order_mark_before_quoted_fields(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bom.csv");
    std::fs::write(
        &path,
        b"\xEF\xBB\xBF\"user\",\"transaction_value\"\r\n\"1\",\"2.5\"\r\n\"2\",\"-1e-1\"\r\n",
    )
    .expect("write");
    let summary = summary(what, sum, &path, &Options::default());
    assert_eq!((summary.overall.rows, summary.overall.exact.as_str()), (2, "2.4"), "{what}");
}

/// A file of 300 000 rows read with four threads: at least three threads beside the caller must
/// have run at once (the caller may be the fourth). A version that parses on one thread gives
/// the right totals and fails here. The count is the whole process's: run this check in a test
/// binary of its own.
pub fn uses_the_threads_it_is_given(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest =
        dataset::generate(&Spec { rows: 300_000, seed: 9, shards: 1 }, dir.path(), &|_| {})
            .expect("generate");
    let file = dir.path().join(&manifest.files[0].name);
    let threads = NonZeroUsize::new(4).expect("non-zero");
    let options = Options { threads, ..Options::default() };
    let (summary, more) =
        ladder::probe::threads_started_during(what, || summary(what, sum, &file, &options));
    assert_eq!(summary, manifest.expected, "{what} with 4 threads");
    let Some(more) = more else { return };
    assert!(
        more >= threads.get() - 1,
        "{what}: asked for {threads} threads, at most {more} more than the caller ran at once: the \
         file's pieces are parsed one after another, not on every core"
    );
}

/// A chunk of zero rows would never end: a rung that reads in chunks refuses it, with a clear
/// error, rather than loop or return nothing.
pub fn refuses_chunks_of_no_rows(what: &str, sum: Sum) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.csv");
    std::fs::write(&path, ",user,transaction_value\n0,1,1.5\n").expect("write");
    let options = Options { rows_per_chunk: 0, ..Options::default() };
    match sum(&path, &options) {
        Err(crate::Error::Option(why)) => assert!(why.contains("at least 1"), "{what}: {why}"),
        Err(other) => panic!(
            "{what}: chunks of 0 rows gave `{other}`; expected an option error saying at least 1"
        ),
        Ok(totals) => {
            panic!("{what}: chunks of 0 rows were accepted, giving {:?}", totals.summary().overall)
        }
    }
}

/// Files of 10 000 and 100 000 rows, read with chunks of 1 000 rows and a 64 KiB buffer: the
/// larger file must not need more than twice the heap of the smaller. A streaming version keeps
/// the same memory whatever the file's size; one that keeps every row needs ten times as much.
///
/// The heap is counted by [`crate::alloc::CountingAllocator`], which the test binary must
/// install as its `#[global_allocator]`. The count is the whole process's: run this check in a
/// test binary of its own, where no other test allocates at the same time.
pub fn heap_stays_flat(what: &str, sum: Sum) {
    let (_, probe) = peak_during(|| std::hint::black_box(vec![0u8; 4096]));
    assert!(
        probe >= 4096,
        "the heap is not being counted: the test binary needs \
         `#[global_allocator] static HEAP: lesson_memory::alloc::CountingAllocator = \
         lesson_memory::alloc::CountingAllocator;`"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options { rows_per_chunk: 1_000, buffer_bytes: 64 << 10, ..Options::default() };
    let peak = |rows: u64| {
        let spec = Spec { rows, seed: 3, shards: 1 };
        let folder = dir.path().join(rows.to_string());
        let manifest = dataset::generate(&spec, &folder, &|_| {}).expect("generate");
        let file = folder.join(&manifest.files[0].name);
        let (summary, peak) = peak_during(|| summary(what, sum, &file, &options));
        assert_eq!(summary, manifest.expected, "{what} on {rows} rows");
        peak
    };
    let (small, large) = (peak(10_000), peak(100_000));
    let bytes = |b: usize| ladder::units::bytes(b as u64);
    assert!(
        large <= 2 * small + (16 << 10),
        "{what}: the peak heap grew from {} to {} when the file grew ten times: a streaming \
         version holds a fixed amount (a chunk of rows, a buffer) whatever the file's size",
        bytes(small),
        bytes(large)
    );
}
