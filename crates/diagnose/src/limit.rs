//! A memory limit the kernel enforces, as a container or a batch scheduler's job holds a
//! program: the program runs in a memory cgroup of its own, made under the tool's own cgroup
//! and removed afterwards. When the program needs more than the limit, the kernel's
//! out-of-memory killer ends it (signal 9) and the cgroup counts the kill, so the verdict knows
//! for certain that it died for lack of memory, rather than guessing from a signal.
//!
//! Both cgroup versions are read: version 1 (a `memory` hierarchy of its own, under
//! `/sys/fs/cgroup/memory`) and version 2 (one unified hierarchy at `/sys/fs/cgroup`). Making
//! a cgroup takes root, or a subtree delegated to the user; without one the tool says so.

use std::fs::File;
use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Where the cgroup file systems are mounted.
const ROOT: &str = "/sys/fs/cgroup";

/// The cgroup interface, which names its files differently in each version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    /// `memory.limit_in_bytes`, `memory.oom_control`, `memory.max_usage_in_bytes`.
    One,
    /// `memory.max`, `memory.events`, `memory.peak`.
    Two,
}

impl Version {
    fn limit_file(self) -> &'static str {
        match self {
            Version::One => "memory.limit_in_bytes",
            Version::Two => "memory.max",
        }
    }

    /// The file that says how much more may go to swap, which would let the program page
    /// slowly instead of meeting its limit.
    fn swap_file(self) -> &'static str {
        match self {
            Version::One => "memory.memsw.limit_in_bytes",
            Version::Two => "memory.swap.max",
        }
    }

    fn kills_file(self) -> &'static str {
        match self {
            Version::One => "memory.oom_control",
            Version::Two => "memory.events",
        }
    }

    fn peak_file(self) -> &'static str {
        match self {
            Version::One => "memory.max_usage_in_bytes",
            Version::Two => "memory.peak",
        }
    }

    /// The swap limit's value: in version 1 memory and swap together, in version 2 the swap
    /// alone.
    fn swap_value(self, limit_bytes: u64) -> u64 {
        match self {
            Version::One => limit_bytes,
            Version::Two => 0,
        }
    }
}

/// What the limit saw of a run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limited {
    /// The limit, bytes.
    pub limit_bytes: u64,
    /// Times the out-of-memory killer ended one of its processes.
    pub kills: u64,
    /// The most memory charged to it at once, bytes, the pages of files it read included,
    /// where the kernel keeps that figure.
    pub peak_bytes: Option<u64>,
}

/// A memory cgroup with a limit, for one run; removed when dropped, its processes killed first.
#[derive(Debug)]
pub struct Cgroup {
    dir: PathBuf,
    version: Version,
    limit_bytes: u64,
    /// `cgroup.procs`, open for writing: a child writes `0` into it, between `fork` and `exec`,
    /// to move itself in, and nothing may be allocated there.
    procs: File,
}

/// The folder of this process's own memory cgroup, and the interface it offers.
fn own_cgroup() -> Result<(PathBuf, Version), String> {
    let text = std::fs::read_to_string("/proc/self/cgroup")
        .map_err(|e| format!("cannot read /proc/self/cgroup: {e}"))?;
    own_cgroup_in(&text, Path::new(ROOT).join("cgroup.controllers").exists())
}

/// [`own_cgroup`] from the text of `/proc/self/cgroup`: a version 1 line with the `memory`
/// controller (`4:memory:/a/b`) first, else the version 2 line (`0::/a/b`) where the unified
/// hierarchy is mounted at the root.
fn own_cgroup_in(text: &str, unified_at_root: bool) -> Result<(PathBuf, Version), String> {
    let relative = |path: &str| path.trim_start_matches('/').to_owned();
    for line in text.lines() {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next(), fields.next(), fields.next());
        if let (Some(controllers), Some(path)) = (controllers, path)
            && controllers.split(',').any(|c| c == "memory")
        {
            return Ok((Path::new(ROOT).join("memory").join(relative(path)), Version::One));
        }
    }
    match text.lines().find_map(|line| line.strip_prefix("0::")) {
        Some(path) if unified_at_root => Ok((Path::new(ROOT).join(relative(path)), Version::Two)),
        _ => Err("no memory cgroup controller is mounted at /sys/fs/cgroup".into()),
    }
}

/// The first number of `key` in a flat keyed file such as `memory.events` (`oom_kill 1`).
fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| line.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
}

impl Cgroup {
    /// A new cgroup under this process's own that holds its processes to `limit_bytes` of
    /// memory, with none of it in swap.
    pub fn new(limit_bytes: u64) -> Result<Cgroup, Error> {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let (parent, version) = own_cgroup().map_err(|why| Error::Limit { why })?;
        let name =
            format!("diagnose-{}-{}", std::process::id(), MADE.fetch_add(1, Ordering::Relaxed));
        let dir = parent.join(name);
        let failed = |what: &Path, e: std::io::Error| Error::Limit {
            why: format!(
                "cannot write {}: {e} (a memory limit needs root, or a cgroup subtree delegated \
                 to this user)",
                what.display()
            ),
        };
        std::fs::create_dir(&dir).map_err(|e| failed(&dir, e))?;
        // From here on, dropping the value removes the folder.
        let procs_path = dir.join("cgroup.procs");
        let procs = match File::options().write(true).open(&procs_path) {
            Ok(procs) => procs,
            Err(e) => {
                let _ = std::fs::remove_dir(&dir);
                return Err(failed(&procs_path, e));
            }
        };
        let cgroup = Cgroup { dir, version, limit_bytes, procs };
        let limit = cgroup.dir.join(version.limit_file());
        std::fs::write(&limit, limit_bytes.to_string()).map_err(|e| failed(&limit, e))?;
        // A kernel without swap accounting has no such file, and no swap to fear.
        let swap = cgroup.dir.join(version.swap_file());
        if swap.exists() {
            std::fs::write(&swap, version.swap_value(limit_bytes).to_string())
                .map_err(|e| failed(&swap, e))?;
        }
        Ok(cgroup)
    }

    /// The descriptor of its `cgroup.procs`, for [`enter`].
    pub fn procs(&self) -> RawFd {
        self.procs.as_raw_fd()
    }

    /// What it saw so far.
    pub fn limited(&self) -> Limited {
        let read = |file: &str| std::fs::read_to_string(self.dir.join(file)).ok();
        Limited {
            limit_bytes: self.limit_bytes,
            kills: read(self.version.kills_file()).and_then(|t| keyed(&t, "oom_kill")).unwrap_or(0),
            peak_bytes: read(self.version.peak_file()).and_then(|t| t.trim().parse().ok()),
        }
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        // A cgroup with processes in it cannot be removed: whatever of the program is left
        // (a grandchild nobody waited for) is ended first.
        for _ in 0..100 {
            let procs = std::fs::read_to_string(self.dir.join("cgroup.procs")).unwrap_or_default();
            let pids: Vec<libc::pid_t> = procs.lines().filter_map(|l| l.parse().ok()).collect();
            for &pid in &pids {
                // SAFETY: sends a signal; no memory is involved.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            if pids.is_empty() && std::fs::remove_dir(&self.dir).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        eprintln!("diagnose: could not remove the cgroup {}", self.dir.display());
    }
}

/// Moves the calling process into the cgroup whose `cgroup.procs` is open as `procs`: for a
/// child between `fork` and `exec`, where only system calls are safe.
pub fn enter(procs: RawFd) -> std::io::Result<()> {
    // SAFETY: writes one byte from a static buffer to a descriptor the parent holds open.
    let written = unsafe { libc::write(procs, b"0".as_ptr().cast(), 1) };
    if written == 1 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_cgroup_is_found_in_either_version() {
        let v1 = "5:devices:/\n4:memory:/jobs/a\n0::/\n";
        assert_eq!(
            own_cgroup_in(v1, false),
            Ok((PathBuf::from("/sys/fs/cgroup/memory/jobs/a"), Version::One))
        );
        let v2 = "0::/user.slice/session-1.scope\n";
        assert_eq!(
            own_cgroup_in(v2, true),
            Ok((PathBuf::from("/sys/fs/cgroup/user.slice/session-1.scope"), Version::Two))
        );
        assert!(own_cgroup_in(v2, false).is_err(), "a hybrid machine's unified tree has no memory");
        assert!(own_cgroup_in("", true).is_err());
    }

    #[test]
    fn kills_are_read_from_either_file() {
        let v1 = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";
        let v2 = "low 0\nhigh 0\nmax 31\noom 1\noom_kill 1\noom_group_kill 0\n";
        assert_eq!(keyed(v1, "oom_kill"), Some(2));
        assert_eq!(keyed(v2, "oom_kill"), Some(1));
        assert_eq!(keyed(v2, "oom"), Some(1), "the whole key, not a prefix of another");
        assert_eq!(keyed("", "oom_kill"), None);
    }
}
