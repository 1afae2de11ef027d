//! The exact-sum kernels' tests: a kernel must give bit for bit what the memory lesson gives,
//! so it meets that lesson's own tests of a rung (files generated with their exact totals,
//! random files in every valid form, files written by pandas, every kind of bad input), and
//! then the cases that are the GPU's own: carries through every limb, buckets of every length
//! around a workgroup's piece, and files too large for one upload.

use std::cell::Cell;
use std::path::Path;

use lesson_memory::totals::Rows;
use lesson_memory::{Options, Totals};

use super::gpu;
use crate::column::{Collect, Column};
use crate::sum::{Adder, Sum, add_up_within};

thread_local! {
    /// The kernel [`on_the_gpu`] runs: the memory lesson's tests take a plain function of a
    /// path, so the kernel under test waits here, on the thread that runs them.
    static UNDER_TEST: Cell<Option<Sum>> = const { Cell::new(None) };
}

/// The memory lesson's kind of rung made of a GPU one: parse on the processor, add on the GPU.
fn on_the_gpu(path: &Path, _: &Options) -> Result<Totals, lesson_memory::Error> {
    let sum = UNDER_TEST.get().expect("set by passes_the_memory_lessons_tests");
    let column = Column::read(path)?;
    let gpu = gpu().expect("checked by passes_the_memory_lessons_tests");
    match sum(&gpu, &column) {
        Ok(added) => Ok(added.totals),
        Err(e) => panic!("the GPU failed on {}: {}", path.display(), ladder::cli::chain(&e)),
    }
}

/// `sum` passes every test the memory lesson's rungs pass that does not measure a processor's
/// threads or heap.
pub fn passes_the_memory_lessons_tests(what: &str, sum: Sum) {
    if gpu().is_none() {
        return;
    }
    UNDER_TEST.set(Some(sum));
    lesson_memory::kit::matches_the_generated_oracle(what, on_the_gpu);
    lesson_memory::kit::random::on_random_files(what, on_the_gpu);
    lesson_memory::kit::pandas::reads_files_written_by_pandas(what, on_the_gpu);
    lesson_memory::kit::reads_a_byte_order_mark_before_quoted_fields(what, on_the_gpu);
    lesson_memory::kit::bad_input::all(what, on_the_gpu);
    UNDER_TEST.set(None);
}

/// A column of `rows`, and the memory lesson's totals of the same rows.
fn column_and_truth(rows: impl Iterator<Item = (i64, bool, u64, u8)>) -> (Column, Totals) {
    let (mut collect, mut truth) = (Collect::default(), Totals::default());
    for (user, negative, magnitude, scale) in rows {
        collect.add_small(user, negative, magnitude, scale);
        truth.add_small(user, negative, magnitude, scale);
    }
    (collect.into_column(), truth)
}

/// `sum` of `column` is `truth`, or the test fails naming `case`.
fn check(what: &str, sum: Sum, case: &str, column: &Column, truth: &Totals) {
    let Some(gpu) = gpu() else { return };
    let added = sum(&gpu, column)
        .unwrap_or_else(|e| panic!("{what} on {case}: {}", ladder::cli::chain(&e)));
    assert!(
        added.totals == *truth,
        "{what} on {case}: {:?}, not {:?}",
        added.totals.summary().overall,
        truth.summary().overall
    );
}

/// A million values of the largest 64-bit mantissa in one bucket: every addition carries out
/// of the low limb, and the sum (about 2⁸⁴) fills the high one.
pub fn carries_through_every_limb(what: &str, sum: Sum) {
    let rows = (0..1_000_000).map(|i| (i % 2, false, u64::MAX, 7));
    let (column, truth) = column_and_truth(rows);
    check(what, sum, "a million values of 2⁶⁴ − 1", &column, &truth);
}

/// Buckets of every length around a workgroup's piece (1, 255, 256, 257, 8191, 8192, 8193 and
/// more), so that pieces start and end at every parity and offset, with random magnitudes.
pub fn adds_buckets_of_every_length(what: &str, sum: Sum) {
    let lengths = [1, 2, 3, 255, 256, 257, 511, 8191, 8192, 8193, 20_000, 1, 2];
    let rows = lengths.iter().enumerate().flat_map(|(b, &len)| {
        (0..len).map(move |i| {
            let bits = ladder::random::mix((b as u64) << 32 | i as u64);
            (b as i64 / 2, b % 2 == 1, bits, (b % 5) as u8)
        })
    });
    let (column, truth) = column_and_truth(rows);
    check(what, sum, "buckets of every length", &column, &truth);
    check(what, sum, "no values", &Column::default(), &Totals::default());
}

/// `adder` with uploads of a few values at a time: a file too large for one buffer gives the
/// same totals, in batches.
pub fn adds_up_in_batches(what: &str, adder: &'static Adder) {
    let Some(gpu) = gpu() else { return };
    let rows = (0..5000u64).map(|i| ((i % 3) as i64, i % 7 == 0, ladder::random::mix(i), 2));
    let (column, truth) = column_and_truth(rows);
    for budget in [4, 10, 1000, 4096] {
        let added = add_up_within(&gpu, adder, &column, budget).unwrap_or_else(|e| {
            panic!("{what} in uploads of {budget}: {}", ladder::cli::chain(&e))
        });
        assert!(added.totals == truth, "{what} in uploads of {budget} values");
    }
}
