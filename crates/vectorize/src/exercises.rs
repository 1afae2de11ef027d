//! The vectorize lesson's exercises: rungs of its ladder for the learner to write, each checked
//! by the lesson's own kit (see [`ladder::exercise`]).

use ladder::exercise::{Exercise, Test};

use crate::ladder::{BLOCKED, BLOCKED_RAYON, FLAT, LADDER};

/// The checks every matrix product runs: within the bound everywhere, and a clear shape error.
const MULTIPLIES: [Test; 4] = [
    Test::new("on_shapes_that_fit_no_block", "lesson_vectorize::kit::on_shapes_that_fit_no_block"),
    Test::new("on_empty_dimensions", "lesson_vectorize::kit::on_empty_dimensions"),
    Test::new("refuses_a_bad_shape", "lesson_vectorize::kit::refuses_a_bad_shape"),
    Test::new("on_random_shapes", "lesson_vectorize::kit::on_random_shapes"),
];

/// Every exercise of the lesson, easiest first.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        name: "vectorize-flat",
        rung: FLAT.name,
        file: "crates/vectorize/src/ladder.rs",
        anchor: "flat",
        holes: &["flat"],
        uses: &[],
        dependencies: &[],
        ladder: ("lesson_vectorize::ladder", || LADDER.names()),
        todo: "Write `a × b` into `c`, each matrix one contiguous array, with the loops in the \
               order i, k, j: for each row of `a` and each of its elements `a[i][k]`, add \
               `a[i][k] · b[k][j]` to `c[i][j]` along the whole row, so the compiler can do \
               several `j` at once.",
        prediction: "Against the seed's order (a column of `b` at a time), how many times fewer \
                     instructions per operation? How much faster at n = 100, and at n = 1024?",
        hints: &[
            "`check_output(a, b, c)?` first: it refuses shapes that do not fit, with both named.",
            "`c` may hold anything: start with `c.data_mut().fill(0.0)`.",
            "`a.data().chunks_exact(k)` gives the rows of `a`, `c.data_mut().chunks_exact_mut(n)` \
             those of `c`; zip them, then zip each row of `a` with the rows of `b` \
             (`b.data().chunks_exact(n)`). Use `k.max(1)` and `n.max(1)`: `chunks_exact(0)` panics.",
            "The innermost loop: `for (c_ij, &b_kj) in c_row.iter_mut().zip(b_row) { *c_ij += a_ik \
             * b_kj; }`: no index, no bounds check, every `j` independent of the others.",
        ],
        minutes: 20,
        section: "vectorize.md#rung-2-contiguous-memory-and-a-loop-the-compiler-vectorizes",
        tests: &[
            MULTIPLIES[0],
            MULTIPLIES[1],
            MULTIPLIES[2],
            MULTIPLIES[3],
            Test::alone("vectorizes_like_flat", "lesson_vectorize::kit::vectorizes_like_flat", ""),
        ],
    },
    Exercise {
        name: "vectorize-micro-kernel",
        rung: BLOCKED.name,
        file: "crates/vectorize/src/arch/portable.rs",
        anchor: "micro_kernel",
        holes: &["micro_kernel::<4, 4>"],
        uses: &[],
        dependencies: &[],
        ladder: ("lesson_vectorize::ladder", || LADDER.names()),
        todo: "Compute an `MR × NR` tile of `c` from a packed sliver of `a` (step `p`: \
               `a[p * MR..][..MR]`) and one of `b` (`b[p * NR..][..NR]`): for each of the `kc` \
               steps, add every product `a_i · b_j` to the tile's `(i, j)`, keeping the tile in a \
               local array the compiler can hold in registers.",
        prediction: "How many loads and multiply-adds per step for a 4 × 4 tile? How many \
                     instructions per operation, next to the `flat` rung's?",
        hints: &[
            "`let mut acc = [[0.0; NR]; MR];` is the tile: a local array, so it can live in \
             registers for the whole loop.",
            "`let a: &[f64; MR] = a[p * MR..][..MR].try_into().expect(\"MR values\");` gives one \
             step's values as an array of known length: no bounds check inside the loop.",
            "Two loops inside the step loop, over the rows of `acc` zipped with `a`, and over each \
             row zipped with `b`: `*c += a_i * b_j`.",
        ],
        minutes: 30,
        section: "vectorize.md#rung-4-blocks-packing-and-a-micro-kernel",
        tests: &[
            Test::new("computes_the_tile", "lesson_vectorize::kit::computes_the_tile"),
            Test::alone(
                "vectorizes_like_the_lessons_kernel",
                "lesson_vectorize::kit::vectorizes_like_the_lessons_kernel",
                "",
            ),
        ],
    },
    Exercise {
        name: "vectorize-blocked-rayon",
        rung: BLOCKED_RAYON.name,
        file: "crates/vectorize/src/ladder.rs",
        anchor: "blocked_rayon",
        holes: &["blocked_rayon"],
        uses: &["dims"],
        dependencies: &[],
        ladder: ("lesson_vectorize::ladder", || LADDER.names()),
        todo: "Run the blocked algorithm on a pool of `threads` threads: check the shapes, clear \
               `c`, and call `multiply` with the best instruction set and `parallel` set, inside \
               the pool, so that each thread takes a slab of rows of `c`.",
        prediction: "On two cores, how close to twice the blocked rung's speed? What do the two \
                     threads share, and what does each copy for itself?",
        hints: &[
            "A pool of that many threads: `ladder::pool::pool(threads)?`; the blocked code splits its \
             work over the pool it runs in, so run it inside `pool.install(|| …)`.",
            "`multiply(Isa::detect(), (a.data(), b.data(), c.data_mut()), dims(a, b), true)`: the \
             last argument cuts the rows of `c` into one slab per thread of the current pool.",
            "`multiply` adds to `c`: clear it first with `c.data_mut().fill(0.0)`.",
        ],
        minutes: 10,
        section: "vectorize.md#every-core",
        tests: &[
            MULTIPLIES[0],
            MULTIPLIES[1],
            MULTIPLIES[2],
            MULTIPLIES[3],
            Test::alone(
                "uses_the_threads_it_is_given",
                "lesson_vectorize::kit::uses_the_threads_it_is_given",
                "",
            ),
        ],
    },
];
