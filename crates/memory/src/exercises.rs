//! The memory lesson's exercises: rungs of its ladder for the learner to write, each checked by
//! the lesson's own kit (see [`ladder::exercise`]).

use ladder::exercise::{Exercise, Test};

use crate::ladder::{CHUNKED, LADDER, PARALLEL, STREAM};

/// The heap check's test binary needs the lesson's counting allocator.
const COUNTING_ALLOCATOR: &str = "#[global_allocator]\nstatic HEAP: lesson_memory::alloc::CountingAllocator = lesson_memory::alloc::CountingAllocator;";

/// The checks every exercise that sums a whole file runs: the exact totals, everywhere the rungs
/// are tested, and the same clear errors.
macro_rules! sums_a_file {
    ($($extra:expr),* $(,)?) => {
        &[
            Test::new("matches_the_generated_oracle", "lesson_memory::kit::matches_the_generated_oracle"),
            Test::new("reads_files_written_by_pandas", "lesson_memory::kit::pandas::reads_files_written_by_pandas"),
            Test::new("reads_a_byte_order_mark_before_quoted_fields", "lesson_memory::kit::reads_a_byte_order_mark_before_quoted_fields"),
            Test::new("gives_the_exact_totals_of_random_files", "lesson_memory::kit::random::on_random_files"),
            Test::new("refuses_bad_input_with_the_line_and_what_was_expected", "lesson_memory::kit::bad_input::all"),
            $($extra),*
        ]
    };
}

/// The heap check, in a test binary of its own.
const FLAT_HEAP: Test = Test::alone(
    "holds_a_flat_heap_whatever_the_files_size",
    "lesson_memory::kit::heap_stays_flat",
    COUNTING_ALLOCATOR,
);

/// Every exercise of the lesson, easiest first.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        name: "memory-chunked",
        rung: CHUNKED.name,
        file: "crates/memory/src/ladder/chunked.rs",
        anchor: "chunked",
        holes: &["chunked"],
        uses: &[],
        dependencies: &[],
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
            Test::new("refuses_chunks_of_no_rows", "lesson_memory::kit::refuses_chunks_of_no_rows"),
            FLAT_HEAP,
        ),
    },
    Exercise {
        name: "memory-stream",
        rung: STREAM.name,
        file: "crates/memory/src/ladder/stream.rs",
        anchor: "stream",
        holes: &["stream"],
        uses: &[],
        dependencies: &[],
        ladder: ("lesson_memory::ladder", || LADDER.names()),
        todo: "Fill one buffer with `read()`, hand the bytes read so far to the parser (the header \
           first, with `header`), move the unfinished last row to the front, and read again; at \
           the end of the file, the parser takes what is left.",
        prediction: "How much heap for a file of 100 000 rows, with a buffer of 64 KiB? And how many \
                 `read()` calls for the 2.8 MB file?",
        hints: &[
            "One `Vec<u8>` of `options.buffer_bytes` (at least 64), and `filled`: how much of it holds \
         bytes read but not parsed yet. `file.read(&mut buffer[filled..])?` returns how many it \
         added; 0 means the end of the file.",
            "Until the header line is complete, `header(&buffer[..filled], at_eof, path)?` is `None`: \
         read more. Then it gives the `Parser` and the header's length.",
            "`parser.parse(bytes, at_eof, &mut totals)` parses every complete row and returns how many \
         bytes it used; `.map_err(|e| e.in_file(path))` names the file in its errors.",
            "Move the rest with `buffer.copy_within(used..filled, 0)`. If a single row fills the whole \
         buffer, double the buffer, or the loop never ends.",
        ],
        minutes: 30,
        section: "memory.md#rung-3-a-parser-for-exactly-this-format",
        tests: sums_a_file!(FLAT_HEAP),
    },
    Exercise {
        name: "memory-parallel",
        rung: PARALLEL.name,
        file: "crates/memory/src/ladder/parallel.rs",
        anchor: "parallel",
        holes: &["parallel", "cut_at_line_ends"],
        uses: &["PIECES_PER_THREAD"],
        dependencies: &["memchr", "rayon"],
        ladder: ("lesson_memory::ladder", || LADDER.names()),
        todo: "Cut the mapped rows into pieces that end at line ends (`cut_at_line_ends`), parse each \
           piece on a pool of `options.threads` threads into exact partial totals \
           (`parse_piece`), and merge them; if a piece saw a quote or an error, parse the whole \
           file on one thread instead.",
        prediction: "With two cores, how much faster than `mmap` (one thread) should it be, and what \
                 part of the work cannot be shared?",
        hints: &[
            "`map(path)?` maps the file and `header_at_eof(&map, path)?` gives the parser and the \
         header's length; the rows are `&map[header_len..]`.",
            "`cut_at_line_ends`: aim at `bytes.len() * k / pieces` for k = 1, 2, …, and move each cut \
         just past the next `\\n` (`memchr::memchr` finds it fast; a plain search works too).",
            "`parse_piece(rows, piece, header_len, parser.layout())` gives a piece's exact totals, \
         or `None` if it saw a quote (a quoted field could have spanned a cut) or an error.",
            "A pool of that many threads: `ladder::pool::pool(options.threads)?`; then `pool.install(|| \
         pieces.into_par_iter().map(…).collect())`. Collecting into `Option<Vec<Totals>>` stops \
         at the first piece that returns `None`.",
        ],
        minutes: 45,
        section: "memory.md#rung-6-every-core",
        tests: sums_a_file!(Test::alone(
            "uses_the_threads_it_is_given",
            "lesson_memory::kit::uses_the_threads_it_is_given",
            ""
        )),
    },
];
