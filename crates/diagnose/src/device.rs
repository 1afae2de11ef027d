//! The storage device's read throughput, measured: the yardstick for "the time goes to
//! reading". On these machines a cold read shows as *system* time, not as a thread waiting in
//! state `D`, so the only sound evidence of a read-bound program is its bytes from the device
//! per second set against what the device can deliver.
//!
//! The measurement is the I/O lesson's: a file written, flushed, dropped from the page cache
//! ([`lesson_io::cache::evict`]) and read once to the end by one thread in 1 MiB requests
//! ([`lesson_io::device::read_only`]), as a program reading a file does. It is kept per device
//! in the temporary folder, since it takes a few seconds and the device does not change.

use std::fs;
use std::io::Write;
use std::num::NonZeroUsize;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Error;

/// The size of the file read: as large as the probes' file, so that a virtual disk's own cache
/// flatters neither.
pub const SAMPLE_BYTES: usize = 512 << 20;

/// The read request size.
const REQUEST_BYTES: usize = 1 << 20;

/// Bytes per second one thread reads cold from the device that holds `dir`.
pub fn measure(dir: &Path) -> Result<f64, Error> {
    let failed = |source| Error::Device { dir: dir.to_path_buf(), source };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    let block: Vec<u8> = (0..REQUEST_BYTES).map(|i| (i % 251) as u8 + 1).collect();
    for _ in 0..SAMPLE_BYTES / REQUEST_BYTES {
        file.write_all(&block).map_err(failed)?;
    }
    file.as_file().sync_all().map_err(failed)?;
    lesson_io::cache::evict(file.path()).map_err(failed)?;
    let start = Instant::now();
    let files = [file.path().to_path_buf()];
    let bytes = lesson_io::device::read_only(&files, NonZeroUsize::MIN, REQUEST_BYTES)
        .map_err(|e| failed(std::io::Error::other(ladder::cli::chain(&e))))?;
    Ok(bytes as f64 / start.elapsed().as_secs_f64())
}

/// Where the measurement for the device holding `dir` is kept.
fn kept_at(dir: &Path) -> Result<PathBuf, Error> {
    let device = fs::metadata(dir).map_err(|source| Error::Device { dir: dir.into(), source })?;
    Ok(std::env::temp_dir().join(format!("workshop-diagnose-device-{}.json", device.dev())))
}

/// [`measure`], or the figure kept from an earlier measurement of the same device.
pub fn read_throughput(dir: &Path) -> Result<f64, Error> {
    let path = kept_at(dir)?;
    if let Some(kept) = fs::read_to_string(&path).ok().and_then(|t| t.trim().parse::<f64>().ok()) {
        return Ok(kept);
    }
    let measured = measure(dir)?;
    // Kept for next time; a failure to keep it costs only a measurement.
    let _ = ladder::fs::write_atomically(&path, |out| write!(out, "{measured}"));
    Ok(measured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_reads_at_a_plausible_rate_and_a_missing_folder_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let rate = measure(dir.path()).expect("a writable folder");
        // Between a floppy disk and memory itself: a number, not a unit error.
        assert!((1e5..1e12).contains(&rate), "{rate}");
        let missing = dir.path().join("missing");
        let why = read_throughput(&missing).expect_err("no such folder");
        assert!(why.to_string().contains("missing"), "{why}");
    }
}
