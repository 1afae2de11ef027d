//! The memory lesson's exercises: rungs of its ladder for the learner to write, each checked by
//! the lesson's own kit (see [`ladder::exercise`]).

use ladder::exercise::{Exercise, Test};

use crate::ladder::{CHUNKED, LADDER};

/// The heap check's test binary needs the lesson's counting allocator.
const COUNTING_ALLOCATOR: &str = "#[global_allocator]\nstatic HEAP: lesson_memory::alloc::CountingAllocator = lesson_memory::alloc::CountingAllocator;";

/// The checks every exercise that sums a whole file runs: the exact totals, everywhere the rungs
/// are tested, and the same clear errors.
macro_rules! sums_a_file {
    ($($extra:expr),* $(,)?) => {
        &[
            Test { name: "matches_the_generated_oracle", kit: "lesson_memory::kit::matches_the_generated_oracle", setup: "" },
            Test { name: "reads_files_written_by_pandas", kit: "lesson_memory::kit::pandas::reads_files_written_by_pandas", setup: "" },
            Test { name: "reads_a_byte_order_mark_before_quoted_fields", kit: "lesson_memory::kit::reads_a_byte_order_mark_before_quoted_fields", setup: "" },
            Test { name: "gives_the_exact_totals_of_random_files", kit: "lesson_memory::kit::random::on_random_files", setup: "" },
            Test { name: "refuses_bad_input_with_the_line_and_what_was_expected", kit: "lesson_memory::kit::bad_input::all", setup: "" },
            $($extra),*
        ]
    };
}

/// Every exercise of the lesson, easiest first.
pub static EXERCISES: &[Exercise] = &[Exercise {
    name: "memory-chunked",
    rung: CHUNKED.name,
    file: "crates/memory/src/ladder/chunked.rs",
    anchor: "chunked",
    holes: &["chunked"],
    uses: &[],
    ladder: ("lesson_memory::ladder", || LADDER.names()),
    todo: "Read `options.rows_per_chunk` rows at a time with `Rows::next_row`, sum each chunk into \
           a `Totals` of its own, and merge it into the running totals; stop when a chunk comes \
           back empty. Keep the memory of one chunk, whatever the file's size.",
    prediction: "How much heap will it hold for a file of 10 000 rows, and for one of 100 000, with \
                 chunks of 1 000 rows? (`load-all` needs 24 bytes a row: 2.4 MB for the larger.)",
    hints: &[
        "`Rows::open(path)?` checks the header and gives you the rows; `rows.next_row()?` is \
         `Some((user, value))` until the end of the file, then `None`.",
        "One `Vec` for the chunk, made once with `Vec::with_capacity(options.rows_per_chunk)` and \
         emptied with `clear()` before each chunk: the same memory, reused.",
        "Sum a chunk into `let mut partial = Totals::default();` with `partial.add(user, &value)`, \
         then `totals.merge(&partial)`. The sums are exact, so merging changes nothing.",
        "Zero rows per chunk would loop forever: refuse it first, with \
         `Error::Option(\"rows per chunk must be at least 1\".into())`.",
    ],
    minutes: 15,
    section: "memory.md#rung-2-chunks",
    tests: sums_a_file!(
        Test {
            name: "refuses_chunks_of_no_rows",
            kit: "lesson_memory::kit::refuses_chunks_of_no_rows",
            setup: "",
        },
        Test {
            name: "holds_a_flat_heap_whatever_the_files_size",
            kit: "lesson_memory::kit::heap_stays_flat",
            setup: COUNTING_ALLOCATOR,
        },
    ),
}];
