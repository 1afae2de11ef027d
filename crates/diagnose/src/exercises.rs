//! The diagnosis lesson's exercises, checked by the lesson's own kit (see
//! [`ladder::exercise`]): the tool's rules for the learner to write, and four programs the
//! learner has not seen to diagnose.

use ladder::exercise::{Exercise, Test};

/// The exercises.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        name: "diagnose-rule",
        rung: "rule",
        file: "crates/diagnose/src/verdict.rs",
        anchor: "rule",
        holes: &["rule"],
        uses: &[
            "Bound",
            "Evidence",
            "gib",
            "mb_per_s",
            "percent",
            "KILLED_MEMORY_SHARE",
            "MEMORY_SHARE",
            "MAJOR_FAULTS",
            "MAJOR_FAULTS_PER_S",
            "DEVICE_SHARE",
            "DISK_SHARE",
            "OWN_DEVICE_BYTES",
            "SYSTEM_SHARE",
            "KERNEL_BUSY",
            "KERNEL_DEVICE_BYTES",
            "BUSY",
        ],
        // The file's derives are imported with it.
        dependencies: &["serde"],
        ladder: ("lesson_diagnose::verdict", Vec::new),
        todo: "Say what limits a run from its evidence, trying the rules in order and returning the \
           first that fires with a sentence that states its figures: memory (killed at an \
           enforced limit, killed holding a quarter of its memory, holding half, or paging), \
           then the device (its bytes against the device's throughput, threads in \
           uninterruptible sleep, the machine's I/O pressure with bytes of its own, or kernel \
           time spent moving device bytes), then the processor (half a core busy, or a thread \
           running or ready in half the samples), and waiting when nothing fires.",
        prediction: "Which of the four would you expect for `pd.read_csv` on a file a third the \
                 size of your memory, and for the same program on a file ten times larger? Run \
                 `cargo xtask diagnose --versus` on both and see.",
        hints: &[
            "Each rule is an `if` over the evidence's fields against the constants above it: \
         `if e.memory_share >= MEMORY_SHARE { return (Bound::Memory, format!(...)); }`.",
            "The order is the lesson's: a program that is killed or pages looks busy on a device, \
         and a cold read looks like processor time in the kernel, so memory first, then the \
         device, then the processor.",
            "`e.device_share` and `e.io_pressure_share` are `Option`s: a rule on them fires only \
         where they are known (`if let Some(share) = e.device_share && share >= DEVICE_SHARE`).",
            "The machine's I/O pressure counts only if the program moved bytes itself \
         (`e.device_bytes >= OWN_DEVICE_BYTES`), and kernel time counts only if it is a real \
         share of the run (`e.cores_busy * e.system_share >= KERNEL_BUSY`).",
        ],
        minutes: 25,
        section: "diagnose.md#the-rules",
        tests: &[
            Test::new("decides_like_the_tool", "lesson_diagnose::kit::decides_like_the_tool"),
            Test::new("says_why_with_figures", "lesson_diagnose::kit::says_why_with_figures"),
        ],
    },
    Exercise {
        name: "diagnose-mystery",
        rung: "answers",
        file: "crates/diagnose/src/mystery/answers.rs",
        anchor: "answers",
        holes: &["answers"],
        uses: &["Answer"],
        dependencies: &[],
        ladder: ("lesson_diagnose::mystery", Vec::new),
        todo: "Say what limits each of the four programs in `crates/diagnose/mysteries/` and \
               the remedy the workshop teaches for it, in the order of `MYSTERIES`: run `cargo \
               xtask diagnose --mysteries` for the commands, run each, and read the verdict.",
        prediction: "Before you run anything, read each program and guess its limit. Which one \
                     looks parallel but is not, and which one is fast only the second time \
                     you run it?",
        hints: &[
            "Each answer is one of the four limits with its remedy: `Answer { bound: \
             Bound::Waiting, remedy: Remedy::OverlapWaits }`. The tool prints both: the \
             remedy's name is in its `--json` output.",
            "A program that reads a file is run with `--cold` (its file dropped from the page \
             cache first) and `--versus` a smaller file: its memory may grow with its input \
             even when the machine has plenty.",
            "`checksums.py` runs four threads: count the cores the tool says it kept busy, and \
             remember Python's global interpreter lock.",
        ],
        minutes: 20,
        section: "diagnose.md#exercise-a-program-you-have-not-seen",
        tests: &[Test::new(
            "names_what_limits_each_mystery",
            "lesson_diagnose::kit::names_what_limits_each_mystery",
        )],
    },
];
