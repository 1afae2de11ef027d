//! Running a program to diagnose it: started as given, its output left alone, watched while it
//! runs ([`crate::watch`]), and reaped with `wait4`, which returns the resource usage of the
//! whole tree it waited for (the program and every descendant that was itself waited for): the
//! processor time in user code and in the kernel, the peak resident memory, page faults, block
//! I/O and context switches. Under a memory limit ([`crate::limit`]) the child enters its
//! cgroup before it becomes the program, so that everything it starts is held too.

use std::ffi::OsString;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::limit::{Cgroup, Limited};
use crate::machine::Pressure;
use crate::watch::{Observed, watch};

/// How often the tree is sampled.
pub const EVERY: Duration = Duration::from_millis(10);

/// The signal that kills a process outright, as the kernel does when memory runs out.
pub const SIGKILL: i32 = libc::SIGKILL;

/// How a program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exit {
    /// It returned this status.
    Code(i32),
    /// A signal ended it (9: killed, often for lack of memory; 6: it aborted).
    Signal(i32),
}

/// Everything measured of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// The command, as run.
    pub command: Vec<String>,
    /// How it ended.
    pub exit: Exit,
    /// Wall time, seconds.
    pub wall_s: f64,
    /// Processor time in the program's own code, seconds, the whole tree.
    pub user_s: f64,
    /// Processor time in the kernel on its behalf, seconds, the whole tree.
    pub system_s: f64,
    /// The largest resident memory of any one process of the tree, bytes, mapped files' pages
    /// included.
    pub max_resident_bytes: u64,
    /// Page faults served without the disk (fresh memory, pages in the cache).
    pub minor_faults: u64,
    /// Page faults that read from the disk: paging, or a mapped file read cold.
    pub major_faults: u64,
    /// Bytes the tree had read from storage devices.
    pub device_read_bytes: u64,
    /// Bytes it had written to them.
    pub device_written_bytes: u64,
    /// Times a thread gave up its core to wait for something.
    pub voluntary_switches: u64,
    /// Times a thread was taken off its core for another.
    pub involuntary_switches: u64,
    /// What the samples saw.
    pub observed: Observed,
    /// The whole machine's stalls during the run (another program's included): seconds in
    /// which some task waited for a core, a device, memory.
    pub pressure_s: Option<[f64; 3]>,
    /// What its memory limit saw, where it ran under one.
    pub limited: Option<Limited>,
}

/// Runs `command` to its end, measuring it, in the cgroup `limit` where one is given.
pub fn run(command: &[OsString], limit: Option<&Cgroup>) -> Result<Measured, Error> {
    let (program, args) = command.split_first().ok_or(Error::NoCommand)?;
    let shown: Vec<String> = command.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let named = || shown.join(" ");
    let pressure_before = Pressure::now();
    let start = Instant::now();
    let mut child = Command::new(program);
    child.args(args);
    if let Some(cgroup) = limit {
        let procs = cgroup.procs();
        // SAFETY: the closure only makes a system call on a descriptor the parent holds open.
        unsafe { child.pre_exec(move || crate::limit::enter(procs)) };
    }
    let child = child.spawn().map_err(|source| Error::Spawn { command: named(), source })?;
    let pid = child.id() as libc::pid_t;
    let stop = AtomicBool::new(false);
    let (status, usage, observed) = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| watch(pid, &stop, EVERY));
        let reaped = reap(pid);
        stop.store(true, Ordering::Release);
        let observed = watcher.join().unwrap_or_default();
        reaped.map(|(status, usage)| (status, usage, observed))
    })
    .map_err(|source| Error::Wait { command: named(), source })?;
    let wall_s = start.elapsed().as_secs_f64();
    // `wait4` reaped it: the handle must not wait again.
    drop(child);
    let pressure_s =
        Pressure::now().zip(pressure_before).map(|(after, before)| after.since(&before));
    let status = std::process::ExitStatus::from_raw(status);
    let exit = match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => Exit::Code(-1),
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let count = |n: libc::c_long| n.max(0) as u64;
    Ok(Measured {
        command: shown,
        exit,
        wall_s,
        user_s: seconds(usage.ru_utime),
        system_s: seconds(usage.ru_stime),
        max_resident_bytes: count(usage.ru_maxrss) * 1024,
        minor_faults: count(usage.ru_minflt),
        major_faults: count(usage.ru_majflt),
        // Linux counts block I/O in 512-byte units of the bytes that reached the device.
        device_read_bytes: count(usage.ru_inblock) * 512,
        device_written_bytes: count(usage.ru_oublock) * 512,
        voluntary_switches: count(usage.ru_nvcsw),
        involuntary_switches: count(usage.ru_nivcsw),
        observed,
        pressure_s,
        limited: limit.map(Cgroup::limited),
    })
}

/// Waits for `pid` to end: its raw status and the resource usage of its tree.
fn reap(pid: libc::pid_t) -> std::io::Result<(i32, libc::rusage)> {
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    loop {
        // SAFETY: `status` and `usage` are valid for writes; `pid` is our own child, which
        // nothing else waits for.
        let done = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
        if done == pid {
            // SAFETY: wait4 succeeded and filled the struct (which was zeroed anyway).
            return Ok((status, unsafe { usage.assume_init() }));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_sh(script: &str) -> Measured {
        run(&["sh".into(), "-c".into(), script.into()], None).expect("sh runs")
    }

    #[test]
    fn the_exit_and_the_children_s_processor_time_are_counted() {
        let measured = run_sh("exit 3");
        assert_eq!(measured.exit, Exit::Code(3));
        // A grandchild's spin counts: `wait4` sums the tree it reaped.
        let measured = run_sh("sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'");
        assert!(measured.user_s + measured.system_s > 0.05, "{measured:?}");
        let measured = run_sh("kill -9 $$");
        assert_eq!(measured.exit, Exit::Signal(9));
    }

    #[test]
    fn a_missing_program_is_named() {
        let why = run(&["no-such-program-here".into()], None).expect_err("not on PATH");
        assert!(why.to_string().contains("no-such-program-here"), "{why}");
        assert!(matches!(run(&[], None), Err(Error::NoCommand)));
    }
}
