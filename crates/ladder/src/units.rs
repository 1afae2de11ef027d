//! Quantities for people: bytes, bytes per second and durations, the same in every table.

/// A byte count: `512 B`, `6.2 KiB`, `2.3 MiB`, `3.00 GiB`.
pub fn bytes(n: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = n as f64;
    match n {
        n if n >= 1 << 30 => format!("{:.2} GiB", b / (KIB * KIB * KIB)),
        n if n >= 1 << 20 => format!("{:.1} MiB", b / (KIB * KIB)),
        n if n >= 1 << 10 => format!("{:.1} KiB", b / KIB),
        n => format!("{n} B"),
    }
}

/// A throughput: `791 MB/s`, `1.52 GB/s` (decimal units, as disks and networks are sold).
pub fn rate(bytes_per_s: f64) -> String {
    if bytes_per_s >= 1e9 {
        format!("{:.2} GB/s", bytes_per_s / 1e9)
    } else {
        format!("{:.0} MB/s", bytes_per_s / 1e6)
    }
}

/// A duration, or a difference of two: `1.25 s`, `12.3 ms`, `45.67 µs`, `-8.3 ms`.
pub fn seconds(s: f64) -> String {
    if s.abs() >= 1.0 {
        format!("{s:.2} s")
    } else if s.abs() >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_for_people() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(6349), "6.2 KiB");
        assert_eq!(bytes(100_000 * 24), "2.3 MiB");
        assert_eq!(bytes(3 << 30), "3.00 GiB");
    }

    #[test]
    fn rates_and_durations_for_people() {
        assert_eq!(rate(791e6), "791 MB/s");
        assert_eq!(rate(1.524e9), "1.52 GB/s");
        assert_eq!(seconds(1.254), "1.25 s");
        assert_eq!(seconds(0.01234), "12.3 ms");
        assert_eq!(seconds(4.567e-5), "45.67 µs");
        assert_eq!(seconds(-0.00835), "-8.3 ms");
    }
}
