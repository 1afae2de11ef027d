//! The GPU lesson's tests of a rung ([`matmul`], [`sum`]), as functions of the rung: the
//! lesson's own tests run them on every rung of its ladders, and an exercise would run them on
//! the learner's kernel.
//!
//! Every test shares one device, one test at a time: a device is slow to open, and lavapipe
//! starts threads of its own for each. Where there is no GPU adapter at all, a test says so and
//! passes, except under `CI=true`, where a missing adapter is a failure: CI installs lavapipe,
//! so every kernel runs there.

use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::device::Gpu;

pub mod matmul;
pub mod sum;

/// The process's one device, locked for the caller; `None`, after saying why, where there is
/// none and this is not CI.
pub fn gpu() -> Option<MutexGuard<'static, Gpu>> {
    static GPU: OnceLock<Result<Mutex<Gpu>, String>> = OnceLock::new();
    let opened =
        GPU.get_or_init(|| Gpu::open().map(Mutex::new).map_err(|e| ladder::cli::chain(&e)));
    match opened {
        // A test that panicked while holding the device leaves it usable: every test uploads
        // its own buffers.
        Ok(gpu) => Some(gpu.lock().unwrap_or_else(|poisoned| poisoned.into_inner())),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true and {why}: CI must run every kernel (on lavapipe without a GPU)")
        }
        Err(why) => {
            eprintln!("skipped, {why}");
            None
        }
    }
}
