//! Ctrl-C as a request to stop cleanly. While an [`Interruptible`] guard lives, `SIGINT` (Ctrl-C)
//! and `SIGTERM` set a flag instead of ending the process at once, so that a long job, writing a
//! dataset of a billion rows, can notice between two blocks ([`check`]), remove its partial
//! file and return an error. A second signal ends the process at once, as the first would have:
//! a job that stopped checking cannot hold it hostage. Dropping the guard puts back what was
//! there before.
//!
//! A process killed outright (`SIGKILL`, the out-of-memory killer, a power cut) runs no code at
//! all: what it leaves behind is found by the next run ([`crate::fs::remove_stale`]).

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a stop was asked for since the guard was made.
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The signals a guard catches.
const SIGNALS: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

/// The exit status of a process ended by Ctrl-C, by the shell's convention (128 + `SIGINT`).
pub const EXIT_STATUS: i32 = 128 + libc::SIGINT;

extern "C" fn on_signal(_: libc::c_int) {
    if REQUESTED.swap(true, Ordering::SeqCst) {
        // SAFETY: `_exit` is async-signal-safe; it is the second request, so stop now.
        unsafe { libc::_exit(EXIT_STATUS) };
    }
}

/// While it lives, Ctrl-C and `SIGTERM` ask the job to stop instead of ending the process. One
/// at a time.
pub struct Interruptible {
    before: [libc::sigaction; 2],
}

impl Interruptible {
    /// Catches the signals until dropped.
    pub fn new() -> io::Result<Interruptible> {
        REQUESTED.store(false, Ordering::SeqCst);
        // SAFETY: `sigaction` is a plain C struct, for which all zeroes is a valid value.
        let mut before: [libc::sigaction; 2] = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        // Reads and writes interrupted by the signal carry on; the job checks the flag itself.
        action.sa_flags = libc::SA_RESTART;
        for (signal, before) in SIGNALS.iter().zip(&mut before) {
            // SAFETY: both pointers are to valid structs; the handler only touches an atomic
            // and calls `_exit`.
            if unsafe { libc::sigaction(*signal, &action, before) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(Interruptible { before })
    }
}

impl Drop for Interruptible {
    fn drop(&mut self) {
        for (signal, before) in SIGNALS.iter().zip(&self.before) {
            // SAFETY: puts back the action `new` saved.
            unsafe { libc::sigaction(*signal, before, std::ptr::null_mut()) };
        }
    }
}

/// An error of kind [`io::ErrorKind::Interrupted`] if a stop was asked for while a guard lives.
pub fn check() -> io::Result<()> {
    if REQUESTED.load(Ordering::SeqCst) {
        Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted (Ctrl-C or SIGTERM)"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_under_the_guard_is_a_request_and_the_process_lives_on() {
        let guard = Interruptible::new().expect("handlers installed");
        assert!(check().is_ok());
        // SAFETY: sends this process a signal its guard catches.
        unsafe { libc::kill(libc::getpid(), libc::SIGTERM) };
        // The handler runs before `kill` returns, on this thread or another.
        let mut waited = 0;
        while check().is_ok() && waited < 100 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            waited += 1;
        }
        let stop = check().expect_err("a stop was asked for");
        assert_eq!(stop.kind(), io::ErrorKind::Interrupted);
        drop(guard);
        // A new guard starts with no request.
        let _again = Interruptible::new().expect("handlers installed");
        assert!(check().is_ok());
    }
}
