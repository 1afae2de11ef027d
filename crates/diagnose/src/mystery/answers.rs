//! What limits each program of [`super::MYSTERIES`], and its remedy: the answers the exercise
//! asks for, checked against the tool run on each.

use crate::verdict::{Bound, Remedy};

/// What limits a program, and what to do about it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// The limit, as the tool says it.
    pub bound: Bound,
    /// The remedy the workshop teaches for it.
    pub remedy: Remedy,
}

// ANCHOR: answers
/// What limits each program in `crates/diagnose/mysteries/`, and its remedy, in the order the
/// exercise lists them: `checksums.py`, `report.py`, `dedupe.py`, `scan.py`.
pub fn answers() -> [Answer; 4] {
    [
        // Four threads, but Python's global interpreter lock lets one run at a time: one core
        // busy of the machine's. Processes (`ProcessPoolExecutor`) would use them all.
        Answer { bound: Bound::Compute, remedy: Remedy::Parallelize },
        // Forty requests, one after another, each answered after 25 ms.
        Answer { bound: Bound::Waiting, remedy: Remedy::OverlapWaits },
        // Every distinct line kept in a dictionary: eight times the input, eight times the
        // memory.
        Answer { bound: Bound::Memory, remedy: Remedy::Stream },
        // Cold, it reads at the device's pace and holds 1 MiB at a time.
        Answer { bound: Bound::Io, remedy: Remedy::ReadInParallel },
    ]
}
// ANCHOR_END: answers
