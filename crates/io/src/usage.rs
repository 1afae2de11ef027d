//! What a run cost besides wall time: processor time, and the bytes the kernel fetched from
//! the storage device on our behalf.
//!
//! These are the evidence for which bottleneck a run has. Processor time divided by wall time
//! near the number of busy threads means computing; far below it means waiting. Bytes fetched
//! from the device near the files' size means the data came from the disk; near zero means it
//! came from the page cache.

use std::time::Duration;

/// The process's usage so far (all its threads, including finished ones).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Usage {
    /// User plus system processor time.
    pub cpu: Duration,
    /// Bytes read from storage by the process (`read_bytes` in `/proc/self/io`), where the
    /// system reports it (Linux).
    pub device_read_bytes: Option<u64>,
}

impl Usage {
    /// The usage now.
    pub fn now() -> Usage {
        Usage { cpu: cpu_time(), device_read_bytes: device_read_bytes() }
    }

    /// The usage between `earlier` and `self`.
    pub fn since(&self, earlier: &Usage) -> Usage {
        Usage {
            cpu: self.cpu.saturating_sub(earlier.cpu),
            device_read_bytes: self
                .device_read_bytes
                .zip(earlier.device_read_bytes)
                .map(|(now, then)| now.saturating_sub(then)),
        }
    }
}

// ANCHOR: usage
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` is valid for writes of one `rusage`, which getrusage fills on success.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return Duration::ZERO;
    }
    // SAFETY: getrusage succeeded, so it initialised the struct (and zeroed is valid anyway).
    let usage = unsafe { usage.assume_init() };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn device_read_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/io").ok()?;
    text.lines().find_map(|l| l.strip_prefix("read_bytes:")).and_then(|v| v.trim().parse().ok())
}
// ANCHOR_END: usage

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spinning_costs_processor_time_and_sleeping_does_not() {
        // Spin until 20 ms of processor time are counted (however busy the machine, a spinning
        // thread gets some), within a generous wall-time limit.
        let start = Usage::now();
        let wall = std::time::Instant::now();
        let mut x = 0u64;
        while Usage::now().since(&start).cpu < Duration::from_millis(20) {
            assert!(wall.elapsed() < Duration::from_secs(20), "spinning counted no processor time");
            for _ in 0..10_000 {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
        let after_spin = Usage::now();
        std::thread::sleep(Duration::from_millis(60));
        let after_sleep = Usage::now();
        assert!(after_sleep.since(&after_spin).cpu < Duration::from_millis(30), "{after_sleep:?}");
        if cfg!(target_os = "linux") {
            assert!(start.device_read_bytes.is_some(), "/proc/self/io is readable on Linux");
        }
    }
}
