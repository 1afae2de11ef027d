//! Exercise `diagnose-rule`: the diagnose lesson's `rule` rung, written by you.
//!
//! Say what limits a run from its evidence, trying the rules in order and returning the first
//! that fires with a sentence that states its figures: memory (killed at an enforced limit,
//! killed holding a quarter of its memory, holding half, or paging), then the device (its bytes
//! against the device's throughput, threads in uninterruptible sleep, the machine's I/O pressure
//! with bytes of its own, or kernel time spent moving device bytes), then the processor (half a
//! core busy, or a thread running or ready in half the samples), and waiting when nothing fires.
//!
//! Check it: `cargo xtask exercise check diagnose-rule` (or `cargo test` in this folder).
//! A hint: `cargo xtask exercise hint diagnose-rule`. The chapter: `book/src/diagnose.md#the-rules`.
//!
//! Derived from `crates/diagnose/src/verdict.rs` by `cargo xtask exercise generate`.
//! Start again: `cargo xtask exercise reset diagnose-rule` (yours is kept in `exercises/.backup/`).

// Until the body is written, its arguments and some imports are unused.
#![allow(unused_imports, unused_variables)]

use lesson_diagnose::machine::Capacity;
use lesson_diagnose::run::Exit;
use lesson_diagnose::run::Measured;
use lesson_diagnose::run::SIGKILL;
use lesson_diagnose::verdict::BUSY;
use lesson_diagnose::verdict::Bound;
use lesson_diagnose::verdict::DEVICE_SHARE;
use lesson_diagnose::verdict::DISK_SHARE;
use lesson_diagnose::verdict::Evidence;
use lesson_diagnose::verdict::KERNEL_BUSY;
use lesson_diagnose::verdict::KERNEL_DEVICE_BYTES;
use lesson_diagnose::verdict::KILLED_MEMORY_SHARE;
use lesson_diagnose::verdict::MAJOR_FAULTS;
use lesson_diagnose::verdict::MAJOR_FAULTS_PER_S;
use lesson_diagnose::verdict::MEMORY_SHARE;
use lesson_diagnose::verdict::OWN_DEVICE_BYTES;
use lesson_diagnose::verdict::SYSTEM_SHARE;
use lesson_diagnose::verdict::gib;
use lesson_diagnose::verdict::mb_per_s;
use lesson_diagnose::verdict::percent;
use serde::Deserialize;
use serde::Serialize;

/// The first rule that fires, in the order of the module's doc: the limit, and why, with the
/// figures.
pub fn rule(e: &Evidence) -> (Bound, String) {
    // TODO: Say what limits a run from its evidence, trying the rules in order and returning the
    // first that fires with a sentence that states its figures: memory (killed at an enforced
    // limit, killed holding a quarter of its memory, holding half, or paging), then the device
    // (its bytes against the device's throughput, threads in uninterruptible sleep, the machine's
    // I/O pressure with bytes of its own, or kernel time spent moving device bytes), then the
    // processor (half a core busy, or a thread running or ready in half the samples), and waiting
    // when nothing fires.
    // Check: `cargo xtask exercise check diagnose-rule`; a hint: `… exercise hint diagnose-rule`.
    todo!("diagnose-rule: write the body of `rule`")
}
