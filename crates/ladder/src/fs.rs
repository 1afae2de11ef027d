//! Files written so that an interrupted run never leaves one that looks finished, nor, run
//! after run, a pile of half-written ones.

use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// What a temporary file's name ends with, before the writer's process id.
const TEMPORARY: &str = ".tmp-";

/// Writes `path` through `write` into a temporary file beside it, then renames it into place:
/// readers see the old file or the whole new one, never a part.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<T>,
) -> io::Result<T> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!("{TEMPORARY}{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        let value = write(&mut out)?;
        out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()?;
        fs::rename(&tmp, path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes the temporary files [`write_atomically`] left in `dir` when their writer was killed
/// outright (`NAME.tmp-PID` where no process PID runs; a writer that was asked to stop removes
/// its own): the files removed.
pub fn remove_stale(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let writer = path.file_name().and_then(|n| n.to_str()).and_then(|name| {
            let (_, pid) = name.rsplit_once(TEMPORARY)?;
            pid.parse::<u32>().ok()
        });
        if let Some(pid) = writer
            && !Path::new("/proc").join(pid.to_string()).exists()
        {
            fs::remove_file(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.txt");
        write_atomically(&path, |out| out.write_all(b"old")).expect("written");
        let failed = write_atomically(&path, |out| {
            out.write_all(b"new, half")?;
            Err::<(), _>(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).expect("readable"), b"old");
        assert_eq!(fs::read_dir(dir.path()).expect("listable").count(), 1);
    }

    #[test]
    fn a_dead_writer_s_temporary_is_removed_and_a_live_one_s_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = std::process::Command::new("true").spawn().expect("true runs");
        let dead = child.id();
        child.wait().expect("reaped");
        let stale = dir.path().join(format!("part-000.csv{TEMPORARY}{dead}"));
        let live = dir.path().join(format!("part-001.csv{TEMPORARY}{}", std::process::id()));
        let other = dir.path().join("part-002.csv.tmp-notapid");
        for file in [&stale, &live, &other] {
            fs::write(file, b"half").expect("written");
        }
        assert_eq!(remove_stale(dir.path()).expect("listable"), std::slice::from_ref(&stale));
        assert!(!stale.exists() && live.exists() && other.exists());
    }
}
