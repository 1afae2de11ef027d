//! The device's own speed: the shards' bytes read and thrown away, with no parsing.
//!
//! Every rung of the ladder reads *and* parses. To say which of the two limits a rung, we need
//! the other number too: how fast this machine can only read the same files, one at a time and
//! several at once, with a stated request size. Read cold (after [`crate::cache::evict`]), that
//! is the storage device's bandwidth at that depth of queue; read warm, it is the speed of
//! copying from the page cache.

use std::fs::File;
use std::io::Read;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::Error;

// ANCHOR: read_only
/// Reads every file to its end with `read()` calls of `request_bytes`, `threads` files at a
/// time, and returns the bytes read. Nothing is parsed: this is the ceiling for any rung.
pub fn read_only(
    files: &[PathBuf],
    threads: NonZeroUsize,
    request_bytes: usize,
) -> Result<u64, Error> {
    let read_one = |path: &PathBuf| -> Result<u64, Error> {
        let failed = |e| Error::from(lesson_memory::Error::io(path, e));
        let mut file = File::open(path).map_err(failed)?;
        let mut buffer = vec![0; request_bytes.max(1)];
        let mut bytes = 0;
        loop {
            match file.read(&mut buffer) {
                Ok(0) => return Ok(bytes),
                Ok(n) => bytes += n as u64,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(failed(e)),
            }
        }
    };
    ladder::pool::pool(threads)?.install(|| files.par_iter().map(read_one).sum())
}
// ANCHOR_END: read_only

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_byte_of_every_file_and_names_a_missing_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files: Vec<PathBuf> = (0..5).map(|i| dir.path().join(format!("f{i}"))).collect();
        for (i, f) in files.iter().enumerate() {
            std::fs::write(f, vec![b'x'; 1000 * i + 7]).expect("write");
        }
        let expected: u64 = (0..5).map(|i| 1000 * i + 7).sum();
        for (threads, request) in [(1, 1), (2, 64), (3, 1 << 20)] {
            let threads = NonZeroUsize::new(threads).expect("non-zero");
            assert_eq!(read_only(&files, threads, request).expect("reads"), expected);
        }
        let missing = dir.path().join("missing");
        let error =
            read_only(std::slice::from_ref(&missing), NonZeroUsize::MIN, 64).expect_err("missing");
        assert!(error.to_string().contains(&missing.display().to_string()), "{error}");
    }
}
