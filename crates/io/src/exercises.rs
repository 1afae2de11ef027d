//! The I/O lesson's exercises: rungs of its ladders for the learner to write, each checked by
//! the lesson's own kit (see [`ladder::exercise`]).

use ladder::exercise::{Exercise, Test};

use crate::ladder::{LADDER, RAYON, TOKIO};
use crate::latency::{self, IN_FLIGHT};

/// The checks every reader of the shards runs: the manifest's totals, and a missing shard named.
const READS_THE_SHARDS: [Test; 2] = [
    Test::new("matches_the_manifest", "lesson_io::kit::matches_the_manifest"),
    Test::new("names_a_missing_shard", "lesson_io::kit::names_a_missing_shard"),
];

/// Every exercise of the lesson, easiest first.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        name: "io-rayon",
        rung: RAYON.name,
        file: "crates/io/src/ladder.rs",
        anchor: "rayon",
        holes: &["rayon"],
        uses: &["Options", "merged", "with"],
        dependencies: &["lesson-memory", "rayon", "tokio"],
        ladder: ("lesson_io::ladder", || LADDER.names()),
        todo: "Read and parse one shard per task on a pool of `options.threads` threads, with the \
               memory lesson's `stream` rung (`with(stream_file, path)`), and merge the shards' \
               exact totals.",
        prediction: "With the files in the page cache and two cores, how much faster than one file \
                     after another? And with the files on the disk?",
        hints: &[
            "A pool of that many threads: `ladder::pool::pool(options.threads)?`; `pool.install(|| \
             …)` runs a parallel iterator on it.",
            "`files.par_iter().map(|f| with(stream_file, f)).collect::<Vec<_>>()` reads every shard, \
             each on whichever thread is free.",
            "`merged(parts)` adds the shards' totals, or returns the first shard's error.",
        ],
        minutes: 10,
        section: "io.md#warm-the-bottleneck-is-parsing-so-use-every-core",
        tests: &[
            READS_THE_SHARDS[0],
            READS_THE_SHARDS[1],
            Test::new("reads_several_files_at_once", "lesson_io::kit::reads_several_files_at_once"),
        ],
    },
    Exercise {
        name: "io-tokio",
        rung: TOKIO.name,
        file: "crates/io/src/ladder.rs",
        anchor: "tokio",
        holes: &["tokio"],
        uses: &["Options"],
        dependencies: &["lesson-memory", "rayon", "tokio"],
        ladder: ("lesson_io::ladder", || LADDER.names()),
        todo: "On a tokio runtime, start one task per shard that waits for a permit (at most \
               `options.in_flight` reads at once), reads the whole file with `tokio::fs::read`, \
               gives the permit back, and parses the bytes on the blocking pool; merge the totals.",
        prediction: "Will async reads be faster than the rayon rung on the same two cores? Why, or \
                     why not, for files on a local disk?",
        hints: &[
            "`Error::runtime(threads, threads.max(in_flight))?` is a runtime with `threads` workers \
             and room for the blocking reads; `runtime.block_on(async { … })` runs the tasks.",
            "`Arc<tokio::sync::Semaphore>` with `in_flight` permits; `permits.acquire_owned().await` \
             in each task, and `drop(permit)` right after the read, so the next read starts while \
             this shard is parsed.",
            "Parsing is computing, not waiting: `tokio::task::spawn_blocking(move || \
             parse_bytes(&bytes, &path))` keeps it off the runtime's workers.",
            "A task's `JoinHandle` is a future of `Result<_, JoinError>`: await each in turn and \
             merge; `Error::Task` wraps a task that did not finish.",
        ],
        minutes: 25,
        section: "io.md#cold-the-device-and-the-parser-one-after-the-other",
        tests: &[
            READS_THE_SHARDS[0],
            READS_THE_SHARDS[1],
            Test::new(
                "keeps_at_most_in_flight_files_open",
                "lesson_io::kit::keeps_at_most_in_flight_files_open",
            ),
        ],
    },
    Exercise {
        name: "io-fetch",
        rung: IN_FLIGHT.name,
        file: "crates/io/src/latency.rs",
        anchor: "fetch",
        holes: &["fetch_all"],
        uses: &["fetch"],
        dependencies: &["lesson-memory", "tokio"],
        ladder: ("lesson_io::latency", || latency::LADDER.names()),
        todo: "On one thread, keep at most `in_flight` requests to the server outstanding: take a \
               permit, start `fetch(server, index)` as a task that parses the bytes it gets, and \
               merge the totals of the tasks as they finish.",
        prediction: "128 requests that each wait 20 ms: how long one at a time, and with 64 in \
                     flight? What limits it beyond that?",
        hints: &[
            "A runtime on this thread: `tokio::runtime::Builder::new_current_thread().enable_all()\
             .build()`; `Error::Runtime` wraps a failure to start it.",
            "`tokio::sync::Semaphore::new(in_flight.max(1))` in an `Arc`; acquire an owned permit \
             before starting each request, and move it into the task, so the loop waits when \
             `in_flight` are outstanding.",
            "`tokio::task::JoinSet`: `spawn` each request, then `join_next().await` until it is \
             empty, merging each shard's totals.",
            "Parse what `fetch` returns with `parse_bytes(&bytes, &name)`, naming the shard \
             `{server}/shard-{index}` so an error says which.",
        ],
        minutes: 25,
        section: "io.md#latency-bound-many-requests-in-flight-on-one-thread",
        tests: &[
            Test::new(
                "fetches_the_manifests_totals",
                "lesson_io::kit::fetches_the_manifests_totals",
            ),
            Test::new("keeps_requests_in_flight", "lesson_io::kit::keeps_requests_in_flight"),
        ],
    },
];
