//! Evicting a file from the page cache, so that the next read comes from the disk.
//!
//! After a file is read once, the kernel keeps its pages in memory (the page cache) and the
//! next read is a copy from RAM. To measure the disk, we ask the kernel to drop the file's
//! cached pages with `posix_fadvise(POSIX_FADV_DONTNEED)`: advice, not an order (pages that
//! are mapped or dirty stay), but enough for files we only read. It needs no privileges.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::Path;

// ANCHOR: evict
/// Drops `path`'s pages from the page cache.
pub fn evict(path: &Path) -> io::Result<()> {
    let file = File::open(path)?;
    // SAFETY: `file` is open for the whole call; offset 0 and length 0 mean "the whole file".
    let status = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    if status == 0 { Ok(()) } else { Err(io::Error::from_raw_os_error(status)) }
}
// ANCHOR_END: evict

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicting_a_file_is_allowed_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        std::fs::write(&path, b"some bytes").expect("write");
        evict(&path).expect("advice accepted");
        assert!(evict(&dir.path().join("missing")).is_err());
    }
}
