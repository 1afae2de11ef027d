//! The machine a program is judged against: its cores, the memory it has available, and the
//! pressure-stall counters the kernel keeps for the whole machine (how long some task waited for
//! a core, a device or memory), which say whether something else was competing.

use std::fs;

use serde::{Deserialize, Serialize};

use crate::proc::bytes_field;

/// The cores and memory the machine offers a program.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    /// Cores this process may use.
    pub cores: usize,
    /// Memory available to new work (`MemAvailable`), in bytes.
    pub available_bytes: u64,
    /// All the memory (`MemTotal`), in bytes.
    pub total_bytes: u64,
}

impl Capacity {
    /// This machine, now.
    pub fn now() -> Capacity {
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        Capacity {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            available_bytes: bytes_field(&meminfo, "MemAvailable:"),
            total_bytes: bytes_field(&meminfo, "MemTotal:"),
        }
    }
}

/// Microseconds in which at least one task of the machine stalled, by resource (the `some`
/// lines' `total` in `/proc/pressure/*`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pressure {
    /// Waiting for a core.
    pub cpu_us: u64,
    /// Waiting for a device.
    pub io_us: u64,
    /// Waiting for memory to be freed or paged in.
    pub memory_us: u64,
}

impl Pressure {
    /// The counters now, where the kernel keeps them.
    pub fn now() -> Option<Pressure> {
        let some = |resource: &str| -> Option<u64> {
            let text = fs::read_to_string(format!("/proc/pressure/{resource}")).ok()?;
            parse_some_total(&text)
        };
        Some(Pressure { cpu_us: some("cpu")?, io_us: some("io")?, memory_us: some("memory")? })
    }

    /// The stalls between `earlier` and `self`, in seconds: cpu, io, memory.
    pub fn since(&self, earlier: &Pressure) -> [f64; 3] {
        [
            self.cpu_us.saturating_sub(earlier.cpu_us),
            self.io_us.saturating_sub(earlier.io_us),
            self.memory_us.saturating_sub(earlier.memory_us),
        ]
        .map(|us| us as f64 / 1e6)
    }
}

/// The `total=` of the `some` line of a pressure file.
fn parse_some_total(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("some "))?;
    line.split_whitespace().find_map(|f| f.strip_prefix("total="))?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_some_line_of_a_pressure_file() {
        let text = "some avg10=3.13 avg60=1.29 avg300=1.40 total=1506366487\n\
                    full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
        assert_eq!(parse_some_total(text), Some(1_506_366_487));
        assert_eq!(parse_some_total("full avg10=0 total=5\n"), None);
    }

    #[test]
    fn this_machine_has_cores_and_memory() {
        let capacity = Capacity::now();
        assert!(capacity.cores >= 1);
        assert!(capacity.total_bytes >= capacity.available_bytes && capacity.available_bytes > 0);
    }
}
