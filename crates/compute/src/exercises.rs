//! The compute lesson's exercises: rungs of its ladders for the learner to write, each checked
//! by the lesson's own kit (see [`ladder::exercise`]).

use ladder::exercise::{Exercise, Test};

use crate::{pi, waiting};

/// The checks every Monte-Carlo rung on threads runs: the same hits as one thread, on the
/// threads it is given.
const COUNTS: [Test; 2] = [
    Test::new("counts_the_same_hits", "lesson_compute::kit::counts_the_same_hits"),
    Test::alone(
        "uses_the_threads_it_is_given",
        "lesson_compute::kit::uses_the_threads_it_is_given",
        "",
    ),
];

/// Every exercise of the lesson, easiest first.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        name: "compute-wait-threads",
        rung: waiting::THREADS.name,
        file: "crates/compute/src/waiting.rs",
        anchor: "threads",
        holes: &["threads"],
        uses: &["square_after", "SMALL_STACK"],
        dependencies: &["rayon"],
        ladder: ("lesson_compute::waiting", || waiting::LADDER.names()),
        todo: "Start one operating-system thread per input, each running `square_after(x, wait)`, \
               all at once, then join them in input order and collect the squares: the waits \
               overlap, so the tasks take one wait, not one each.",
        prediction: "How long should 3 tasks of a second take, and 10 000 tasks of 10 ms? What does \
                     each of 10 000 threads cost?",
        hints: &[
            "`std::thread::scope(|scope| { … })` lets the threads borrow `inputs` and ends only when \
             every thread it started has ended.",
            "`std::thread::Builder::new().stack_size(SMALL_STACK).spawn_scoped(scope, move || \
             square_after(x, wait))` starts one; it returns a `Result`, the error if the system \
             refused the thread (`Error::Thread`).",
            "Start them all first (collect the handles into a `Vec`), and only then `join()` each: \
             joining inside the loop that starts them waits for one before starting the next.",
            "`handle.join()` is `Err` if the thread panicked: `.map_err(|_| Error::Panicked)`; \
             collecting `Result<Vec<u64>, Error>` keeps the input order.",
        ],
        minutes: 15,
        section: "compute.md#waiting-many-waits-in-flight-not-many-cores",
        tests: &[
            Test::new(
                "returns_the_squares_in_order",
                "lesson_compute::kit::returns_the_squares_in_order",
            ),
            Test::alone(
                "waits_on_a_thread_per_task",
                "lesson_compute::kit::waits_on_a_thread_per_task",
                "",
            ),
        ],
    },
    Exercise {
        name: "compute-wait-rayon",
        rung: waiting::RAYON.name,
        file: "crates/compute/src/waiting.rs",
        anchor: "rayon",
        holes: &["rayon"],
        uses: &["square_after"],
        dependencies: &["rayon"],
        ladder: ("lesson_compute::waiting", || waiting::LADDER.names()),
        todo: "Run the tasks on a rayon pool of `threads` threads (`par_iter` over the inputs, each \
               `square_after(x, wait)`), keeping the squares in input order: right for computing, \
               and, as you will see, wrong for waiting.",
        prediction: "With two threads, how long do 3 tasks of a second take? 100 tasks of 10 ms? \
                     Write both down before you run `cargo run --release -p lesson-compute -- wait`.",
        hints: &[
            "A pool of that many threads: `ladder::pool::pool(threads)?`; `pool.install(|| …)` runs \
             a parallel iterator on it.",
            "`inputs.par_iter().map(|&x| square_after(x, wait)).collect()` keeps the input order: \
             rayon's `collect` puts each result where its input was.",
        ],
        minutes: 10,
        section: "compute.md#waiting-many-waits-in-flight-not-many-cores",
        tests: &[
            Test::new(
                "returns_the_squares_in_order",
                "lesson_compute::kit::returns_the_squares_in_order",
            ),
            Test::alone(
                "waits_on_a_pool_of_its_threads",
                "lesson_compute::kit::waits_on_a_pool_of_its_threads",
                "",
            ),
        ],
    },
    Exercise {
        name: "compute-wait-tokio",
        rung: waiting::TOKIO.name,
        file: "crates/compute/src/waiting.rs",
        anchor: "tokio",
        holes: &["squares_in_flight"],
        uses: &["runtime"],
        dependencies: &["rayon", "tokio"],
        ladder: ("lesson_compute::waiting", || waiting::LADDER.names()),
        todo: "Start one async task per input (`tokio::spawn`), each waiting with \
               `tokio::time::sleep(wait).await` and then squaring its input; only then await the \
               tasks, in input order: every wait is in flight at once, on however few threads.",
        prediction: "10 000 tasks of 10 ms on two threads: how long, and how many threads? Against \
                     the thread-per-task rung, what does each task cost?",
        hints: &[
            "`tokio::spawn(async move { … })` starts a task and returns its `JoinHandle` at once; \
             `move` gives the task its own copy of `x` and `wait`.",
            "Inside the task, `tokio::time::sleep(wait).await` parks it on a timer and gives the \
             thread back; `std::thread::sleep` would hold the thread the whole time.",
            "Collect every handle first, then `handle.await` each in turn: awaiting inside the loop \
             that spawns them runs the tasks one after another. A handle's error (`JoinError`) \
             becomes `Error::Task`.",
        ],
        minutes: 15,
        section: "compute.md#waiting-many-waits-in-flight-not-many-cores",
        tests: &[Test::alone(
            "waits_all_at_once_on_the_runtimes_clock",
            "lesson_compute::kit::waits_all_at_once_on_the_runtimes_clock",
            "",
        )],
    },
    Exercise {
        name: "compute-pi-threads",
        rung: pi::THREADS.name,
        file: "crates/compute/src/pi.rs",
        anchor: "cpu_threads",
        holes: &["threads"],
        uses: &["Job", "hits", "slice"],
        dependencies: &["rayon"],
        ladder: ("lesson_compute::pi", || pi::LADDER.names()),
        todo: "Cut the samples into one slice per thread (`slice(job.samples, n, k)`), count each \
               slice's hits on its own thread with `hits(job.seed, range)`, and add the counts.",
        prediction: "On two cores, how much faster than one thread? And on three threads, with \
                     only two cores?",
        hints: &[
            "`slice(total, parts, k)` is the `k`-th of `parts` nearly equal ranges of `0..total`: \
             together they cover every sample once.",
            "`std::thread::scope` and `std::thread::Builder::new().spawn_scoped(scope, move || \
             hits(job.seed, slice(job.samples, n, k)))`, one per `k` in `0..n`.",
            "Start every thread before joining any; `.sum()` over `Result<u64, Error>` adds the \
             counts, or stops at the first error.",
        ],
        minutes: 15,
        section: "compute.md#computing-one-core-per-piece-of-work",
        tests: &COUNTS,
    },
    Exercise {
        name: "compute-pi-rayon",
        rung: pi::RAYON.name,
        file: "crates/compute/src/pi.rs",
        anchor: "cpu_rayon",
        holes: &["rayon"],
        uses: &["Job", "SAMPLES_PER_TASK", "hits", "slice"],
        dependencies: &["rayon"],
        ladder: ("lesson_compute::pi", || pi::LADDER.names()),
        todo: "Cut the samples into many small slices of about `SAMPLES_PER_TASK` each, and let a \
               pool of `threads` threads count them (`into_par_iter`), so that a thread that \
               finishes early takes slices from a busy one.",
        prediction: "Will it be faster than one slice per thread on a quiet machine? On a busy one?",
        hints: &[
            "A pool of that many threads: `ladder::pool::pool(threads)?`; `pool.install(|| …)` runs \
             the parallel iterator on it.",
            "How many slices: `job.samples.div_ceil(SAMPLES_PER_TASK)`; slice `k` of them is \
             `slice(job.samples, tasks, k)`.",
            "`(0..tasks).into_par_iter().map(|k| hits(job.seed, slice(job.samples, tasks, k))).sum()`.",
        ],
        minutes: 10,
        section: "compute.md#computing-one-core-per-piece-of-work",
        tests: &COUNTS,
    },
    Exercise {
        name: "compute-pi-timely",
        rung: pi::TIMELY.name,
        file: "crates/compute/src/distributed.rs",
        anchor: "dataflow",
        holes: &["count_hits"],
        uses: &["SLICES_PER_WORKER"],
        dependencies: &["timely"],
        ladder: ("lesson_compute::pi", || pi::LADDER.names()),
        todo: "Build the dataflow every worker runs: slice numbers from an input that worker 0 \
               feeds, routed to worker `k mod workers`, counted there with `hits(job.seed, \
               slice(job.samples, slices, k))`, and every count routed to worker 0, which adds \
               them up and returns the total (the other workers return `None`).",
        prediction: "Two workers in one process against the rayon rung on two threads: faster, \
                     slower or the same? And two processes on one machine, before the first \
                     sample is counted?",
        hints: &[
            "How many slices: `worker.peers() as u64 * SLICES_PER_WORKER`, a few for each \
             worker. Every worker builds the same dataflow, `worker.dataflow::<u64, _, _>(|scope| …)`; \
             only worker 0 sends into it (`if worker.index() == 0 { for k in 0..slices { \
             input.send(k); } }`). Then every worker closes its input and steps until its probe \
             is done: `input.close(); worker.step_while(|| !probe.done());`.",
            "The stream starts at `scope.input_from(&mut input).container::<Vec<u64>>()`; \
             `.exchange(|k| *k)` routes slice `k` to worker `k mod workers`, wherever it runs.",
            "`.map(move |k| hits(job.seed, slice(job.samples, slices, k)))`, then \
             `.exchange(|_| 0)` to bring every count to worker 0, `.inspect(move |count| \
             sum.set(sum.get() + count))` into an `Rc<Cell<u64>>` shared with the worker, and \
             `.probe_with(&probe)`. Worker 0 returns `Some(total.get())`.",
        ],
        minutes: 30,
        section: "compute.md#across-machines-a-real-distributed-engine",
        tests: &[Test::new(
            "spreads_the_slices_over_every_worker",
            "lesson_compute::kit::spreads_the_slices_over_every_worker",
        )],
    },
];
