//! What Linux tells anyone about a running process tree in `/proc`, no hardware counters
//! needed: which processes descend from the one we started, the state of each of their threads
//! (running, waiting for a device, sleeping), how long each waited for a core, and how much
//! memory each holds.
//!
//! Every file is read as text and parsed defensively: a process may end between listing it and
//! reading it, so a missing file means "gone", never an error.

use std::collections::{HashMap, HashSet};
use std::fs;

/// A thread's state, as the scheduler sees it (the third field of `/proc/PID/task/TID/stat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// On a core, or ready and waiting for one (`R`).
    Running,
    /// In uninterruptible sleep, almost always waiting for a device (`D`).
    Disk,
    /// Anything else: sleeping on a timer, a socket, a lock, a child (`S`, `T`, `Z`, …).
    Other,
}

impl State {
    fn of(code: char) -> State {
        match code {
            'R' => State::Running,
            'D' => State::Disk,
            _ => State::Other,
        }
    }
}

/// The fields of a `stat` line after the command's name, which may itself hold spaces and
/// parentheses: everything after the last `)`.
fn fields_after_name(stat: &str) -> Option<Vec<&str>> {
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().collect())
}

/// The state and parent of the process or thread whose `stat` line is `stat`.
pub fn parse_stat(stat: &str) -> Option<(State, i32)> {
    let fields = fields_after_name(stat)?;
    let state = fields.first()?.chars().next()?;
    let parent = fields.get(1)?.parse().ok()?;
    Some((State::of(state), parent))
}

/// Every live process descending from `root`, `root` included if it is alive.
pub fn tree(root: i32) -> Vec<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    let mut alive = HashSet::new();
    let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        if let Some((_, parent)) =
            fs::read_to_string(format!("/proc/{pid}/stat")).ok().as_deref().and_then(parse_stat)
        {
            children.entry(parent).or_default().push(pid);
            alive.insert(pid);
        }
    }
    let mut found = Vec::new();
    let mut next = vec![root];
    while let Some(pid) = next.pop() {
        if alive.contains(&pid) {
            found.push(pid);
        }
        next.extend(children.get(&pid).into_iter().flatten());
    }
    found
}

/// One thread at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thread {
    /// Its id.
    pub tid: i32,
    /// Its state.
    pub state: State,
    /// How long it has waited, ready, for a core so far, in nanoseconds (the second field of
    /// `schedstat`): time another program had the core it wanted.
    pub queued_ns: u64,
}

/// The threads of process `pid` now.
pub fn threads(pid: i32) -> Vec<Thread> {
    let Ok(entries) = fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| {
            let tid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let dir = entry.path();
            let (state, _) = parse_stat(&fs::read_to_string(dir.join("stat")).ok()?)?;
            let queued_ns = fs::read_to_string(dir.join("schedstat"))
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
                .unwrap_or(0);
            Some(Thread { tid, state, queued_ns })
        })
        .collect()
}

/// The memory of process `pid` now that only it holds, in bytes: its anonymous and shared
/// resident pages (`RssAnon` and `RssShmem` in `status`). The pages of files it maps
/// (`RssFile`) are left out: they are the page cache's, which the kernel can drop and read
/// again, so a program that maps a file larger than memory still fits.
pub fn resident_bytes(pid: i32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    bytes_field(&status, "RssAnon:") + bytes_field(&status, "RssShmem:")
}

/// The bytes of a `Name: 1234 kB` line of a `/proc` file such as `status` or `meminfo`, or 0
/// where it has none.
pub fn bytes_field(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_is_read_past_a_name_with_spaces_and_parentheses() {
        let line = "4242 (my (odd) name) D 17 4242 4242 0 -1 4194560 100 0 0 0 5 3";
        assert_eq!(parse_stat(line), Some((State::Disk, 17)));
        assert_eq!(parse_stat("1 (init) S 0 1 1"), Some((State::Other, 0)));
        assert_eq!(parse_stat("7 (x) R 1"), Some((State::Running, 1)));
        assert_eq!(parse_stat("garbage"), None);
        assert_eq!(parse_stat("7 (x) R not-a-number"), None);
        assert_eq!(bytes_field("Name:\tx\nRssAnon:\t  2048 kB\n", "RssAnon:"), 2 << 20);
        assert_eq!(bytes_field("RssAnon: 2048 kB\n", "RssFile:"), 0);
    }

    #[test]
    fn this_process_is_in_its_own_tree_with_its_threads_and_memory() {
        let me = std::process::id() as i32;
        assert!(tree(me).contains(&me));
        let mine = threads(me);
        assert!(mine.iter().any(|t| t.state == State::Running), "{mine:?}");
        assert!(resident_bytes(me) > 0);
        assert!(tree(i32::MAX).is_empty() && threads(i32::MAX).is_empty());
    }
}
