//! The diagnosis lesson's exercise: the tool's rules for the learner to write, checked by the
//! lesson's own kit (see [`ladder::exercise`]).

use ladder::exercise::{Exercise, Test};

/// The exercise.
pub static EXERCISES: &[Exercise] = &[Exercise {
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
           first that fires with a sentence that states its figures: memory (killed holding a \
           quarter of its memory, holding half, or paging), then the device (its bytes against \
           the device's throughput, threads in uninterruptible sleep, the machine's I/O pressure \
           with bytes of its own, or kernel time spent moving device bytes), then the processor \
           (half a core busy, or a thread running or ready in half the samples), and waiting \
           when nothing fires.",
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
}];
