//! Exercise `diagnose-mystery`: the diagnose lesson's `answers` rung, written by you.
//!
//! Say what limits each of the four programs in `crates/diagnose/mysteries/` and the remedy the
//! workshop teaches for it, in the order of `MYSTERIES`: run `cargo xtask diagnose --mysteries`
//! for the commands, run each, and read the verdict.
//!
//! Check it: `cargo xtask exercise check diagnose-mystery` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint diagnose-mystery`. The chapter: `book/src/diagnose.md#exercise-a-program-you-have-not-seen`.
//!
//! Derived from `crates/diagnose/src/mystery/answers.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset diagnose-mystery` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use lesson_diagnose::mystery::answers::Answer;
use lesson_diagnose::verdict::Bound;
use lesson_diagnose::verdict::Remedy;

/// What limits each program in `crates/diagnose/mysteries/`, and its remedy, in the order the
/// exercise lists them: `checksums.py`, `report.py`, `dedupe.py`, `scan.py`.
pub fn answers() -> [Answer; 4] {
    // TODO: Say what limits each of the four programs in `crates/diagnose/mysteries/` and the
    // remedy the workshop teaches for it, in the order of `MYSTERIES`: run `cargo xtask diagnose
    // --mysteries` for the commands, run each, and read the verdict.
    // Check: `cargo xtask exercise check diagnose-mystery`; a hint: `… exercise hint diagnose-mystery`.
    todo!("diagnose-mystery: write the body of `answers`")
}
