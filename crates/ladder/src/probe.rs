//! Counting what a piece of code does while it runs, without timing it: the most threads the
//! process had at once, and the most files under a folder it held open at once.
//!
//! These are the counted properties the lessons' checks use (a parallel rung uses the threads
//! it is given; a rung with bounded reads keeps at most so many files open), read from Linux's
//! `/proc/self`: a sampler thread looks every tenth of a millisecond while the code runs. A
//! sample can miss a peak that lasts less than that, never invent one, so a check asks for the
//! least the code must reach, or the most it may, with room for what a sample misses.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What the sampler saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Peaks {
    /// The most threads of this process at once, the sampler not counted.
    pub threads: usize,
    /// The most files under the watched folder open at once.
    pub open_files: usize,
    /// How many samples were taken.
    pub samples: usize,
}

/// Runs `f` and returns its result with the peaks seen while it ran; open files are counted
/// under `watch`, if given. `None` where `/proc/self` cannot be read (not Linux).
pub fn peaks_during<T>(watch: Option<&Path>, f: impl FnOnce() -> T) -> (T, Option<Peaks>) {
    if threads_now().is_none() {
        return (f(), None);
    }
    let watch: Option<PathBuf> = watch.and_then(|d| d.canonicalize().ok());
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut peaks = Peaks::default();
            loop {
                let finished = done.load(Ordering::Acquire);
                // The sampler is one of the threads it counts.
                peaks.threads = peaks.threads.max(threads_now().unwrap_or(1).saturating_sub(1));
                if let Some(dir) = &watch {
                    peaks.open_files = peaks.open_files.max(open_under(dir));
                }
                peaks.samples += 1;
                if finished {
                    return peaks;
                }
                std::thread::sleep(Duration::from_micros(100));
            }
        });
        /// Stops the sampler however `f` ends, a panic included: the scope waits for it.
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Release);
            }
        }
        let stop = Stop(&done);
        let result = f();
        drop(stop);
        let peaks = sampler.join().ok();
        (result, peaks)
    })
}

/// Runs `f` and returns its result with the most threads that ran at once beyond those the
/// process had before it (a thread `f` starts and ends counts; the caller does not); `None`, after
/// saying so on stderr for `what`, where threads cannot be counted.
pub fn threads_started_during<T>(what: &str, f: impl FnOnce() -> T) -> (T, Option<usize>) {
    let before = threads_now().unwrap_or(0);
    let (result, peaks) = peaks_during(None, f);
    if peaks.is_none() {
        eprintln!("{what}: threads cannot be counted here (no /proc/self): not checked");
    }
    (result, peaks.map(|p| p.threads.saturating_sub(before)))
}

/// This process's threads now, from `/proc/self/status`.
pub fn threads_now() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok())
}

/// How many of this process's open files are under `dir`.
fn open_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else { return 0 };
    entries
        .flatten()
        .filter(|e| std::fs::read_link(e.path()).is_ok_and(|target| target.starts_with(dir)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_and_open_files_are_counted() {
        let dir = tempfile::tempdir().expect("temp dir");
        for i in 0..3 {
            std::fs::write(dir.path().join(i.to_string()), b"x").expect("write");
        }
        let ((), peaks) = peaks_during(Some(dir.path()), || {
            let files: Vec<_> = (0..3)
                .map(|i| std::fs::File::open(dir.path().join(i.to_string())).expect("open"))
                .collect();
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| std::thread::sleep(Duration::from_millis(30)));
                }
            });
            drop(files);
        });
        let Some(peaks) = peaks else { return }; // not Linux: nothing to count with
        assert!(peaks.threads >= 5, "{peaks:?}: this thread and four more");
        assert_eq!(peaks.open_files, 3, "{peaks:?}");
        let ((), quiet) =
            peaks_during(Some(dir.path()), || std::thread::sleep(Duration::from_millis(5)));
        assert_eq!(quiet.map(|p| p.open_files), Some(0));
    }

    #[test]
    fn a_panic_inside_stops_the_sampler_and_goes_on() {
        let caught = std::panic::catch_unwind(|| peaks_during(None, || panic!("inside")));
        assert!(caught.is_err(), "the panic comes out, instead of the sampler running forever");
    }
}
