//! Watching a process tree while it runs: every few milliseconds, the state of each of its
//! threads and the memory of each of its processes. What a sampling profiler does for code,
//! this does for resources: the share of samples in which some thread was on a core (or ready
//! for one), or waiting for a device, says where the wall time went.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::proc::{self, State};

/// What the samples saw, over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    /// Samples taken.
    pub samples: u64,
    /// The share of samples in which at least one thread was on a core or ready for one.
    pub running_share: f64,
    /// The share of samples in which at least one thread waited for a device (state `D`).
    pub disk_share: f64,
    /// The most memory of its own the tree held at once (not counting mapped files' pages),
    /// every process together, in bytes.
    pub peak_resident_bytes: u64,
    /// How long its threads waited, ready to run, for a core another program held, in seconds,
    /// all threads together.
    pub queued_s: f64,
    /// The most threads alive at once.
    pub most_threads: usize,
    /// Processes seen in the tree.
    pub processes: usize,
}

/// The samples so far.
#[derive(Debug, Default)]
struct Tally {
    samples: u64,
    running: u64,
    disk: u64,
    peak_resident_bytes: u64,
    queued_ns: HashMap<i32, u64>,
    most_threads: usize,
    processes: HashSet<i32>,
}

impl Tally {
    fn sample(&mut self, root: i32) {
        let pids = proc::tree(root);
        if pids.is_empty() {
            return;
        }
        let (mut running, mut disk, mut threads, mut resident) = (false, false, 0, 0);
        for &pid in &pids {
            self.processes.insert(pid);
            resident += proc::resident_bytes(pid);
            for thread in proc::threads(pid) {
                threads += 1;
                running |= thread.state == State::Running;
                disk |= thread.state == State::Disk;
                // Cumulative per thread: the last value seen is the thread's total so far.
                self.queued_ns.insert(thread.tid, thread.queued_ns);
            }
        }
        self.samples += 1;
        self.running += u64::from(running);
        self.disk += u64::from(disk);
        self.peak_resident_bytes = self.peak_resident_bytes.max(resident);
        self.most_threads = self.most_threads.max(threads);
    }

    fn observed(&self) -> Observed {
        let share = |n: u64| if self.samples == 0 { 0.0 } else { n as f64 / self.samples as f64 };
        Observed {
            samples: self.samples,
            running_share: share(self.running),
            disk_share: share(self.disk),
            peak_resident_bytes: self.peak_resident_bytes,
            queued_s: self.queued_ns.values().sum::<u64>() as f64 / 1e9,
            most_threads: self.most_threads,
            processes: self.processes.len(),
        }
    }
}

/// Samples the tree under `root` every `every` until `stop` is set, then says what it saw.
pub fn watch(root: i32, stop: &AtomicBool, every: Duration) -> Observed {
    let mut tally = Tally::default();
    while !stop.load(Ordering::Acquire) {
        tally.sample(root);
        std::thread::sleep(every);
    }
    tally.observed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spinning_thread_is_seen_running_and_a_sleeping_child_is_not() {
        let spin = std::process::Command::new("sh")
            .args(["-c", "while :; do :; done"])
            .spawn()
            .expect("sh");
        let sleep = std::process::Command::new("sleep").arg("5").spawn().expect("sleep");
        let mut tally = Tally::default();
        for _ in 0..20 {
            tally.sample(spin.id() as i32);
            std::thread::sleep(Duration::from_millis(5));
        }
        let spinning = tally.observed();
        let mut tally = Tally::default();
        for _ in 0..20 {
            tally.sample(sleep.id() as i32);
            std::thread::sleep(Duration::from_millis(5));
        }
        let sleeping = tally.observed();
        for mut child in [spin, sleep] {
            let _ = child.kill();
            let _ = child.wait();
        }
        assert!(spinning.running_share > 0.5, "{spinning:?}");
        assert_eq!(sleeping.running_share, 0.0, "{sleeping:?}");
        assert!(spinning.peak_resident_bytes > 0 && spinning.processes == 1, "{spinning:?}");
    }
}
