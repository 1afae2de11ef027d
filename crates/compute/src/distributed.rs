//! The Monte-Carlo job on timely dataflow, a real distributed engine: the same dataflow runs
//! on worker threads in one process or on worker processes on many machines.
//!
//! Worker 0 feeds slice numbers into the dataflow; `exchange` routes slice `k` to worker
//! `k mod workers`, wherever that worker runs; each worker counts its slices' hits; a second
//! `exchange` brings every count to worker 0, which adds them up. Between processes, timely
//! sends the data over TCP.
//!
//! Timely waits forever for a peer that never starts. A cluster run here has a deadline: if
//! the answer is not back in time, the run ends with an error that says so. A peer that dies
//! during the run is noticed the next time a worker exchanges data with it (after the slice
//! it is counting), and ends the run with an error too.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use timely::dataflow::operators::vec::Map;
use timely::dataflow::operators::{Exchange, Input, Inspect, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};
use timely::worker::Worker;

use crate::error::Error;
use crate::pi::{Job, hits, slice};

/// Slices per worker: a few, so the work spreads evenly.
pub const SLICES_PER_WORKER: u64 = 8;

// ANCHOR: dataflow
/// One worker's part of the job; worker 0 returns the total.
pub fn count_hits(worker: &mut Worker, job: Job) -> Option<u64> {
    let slices = worker.peers() as u64 * SLICES_PER_WORKER;
    let total = Rc::new(Cell::new(0));
    let sum = Rc::clone(&total);
    let mut input = InputHandle::new();
    let probe = ProbeHandle::new();
    worker.dataflow::<u64, _, _>(|scope| {
        scope
            .input_from(&mut input)
            .container::<Vec<u64>>()
            .exchange(|k| *k) // slice k goes to worker k mod workers
            .map(move |k| hits(job.seed, slice(job.samples, slices, k)))
            .exchange(|_| 0) // every count goes to worker 0
            .inspect(move |count| sum.set(sum.get() + count))
            .probe_with(&probe);
    });
    if worker.index() == 0 {
        for k in 0..slices {
            input.send(k);
        }
    }
    input.close();
    worker.step_while(|| !probe.done());
    (worker.index() == 0).then(|| total.get())
}
// ANCHOR_END: dataflow

/// The CPU ladder's `timely` rung: `threads` workers in this process.
pub fn in_process(job: Job, threads: NonZeroUsize) -> Result<u64, Error> {
    on_workers(threads, move |worker| count_hits(worker, job))
}

/// Runs `work` on `threads` timely workers in this process: what worker 0 returns.
pub fn on_workers<T, F>(threads: NonZeroUsize, work: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: Fn(&mut Worker) -> Option<T> + Send + Sync + 'static,
{
    let config = timely::Config::process(threads.get());
    let guards = timely::execute(config, work).map_err(Error::Timely)?;
    let results: Vec<Option<T>> =
        guards.join().into_iter().collect::<Result<_, _>>().map_err(Error::Timely)?;
    results
        .into_iter()
        .flatten()
        .next()
        .ok_or_else(|| Error::Timely("worker 0 gave no total".into()))
}

/// One process's place in a cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// `host:port` of every process, this one included, in process order.
    pub addresses: Vec<String>,
    /// This process's index in `addresses`.
    pub process: usize,
    /// Worker threads in each process.
    pub threads: NonZeroUsize,
    /// How long to wait for the whole run, connecting included.
    pub deadline: Duration,
}

// ANCHOR: cluster
/// Runs `work` as one process of a cluster: what worker 0 returns (so `Some` in process 0,
/// `None` in the others). Timely connects the processes (retrying while peers start up), then
/// runs the dataflow. A peer that never comes would keep it waiting forever, so the run happens
/// on a thread we wait for with a deadline (which covers the whole run: raise it for large
/// jobs). After a timeout that thread is left behind: the caller is expected to exit, as
/// `compute` does.
pub fn in_cluster<T, F>(cluster: &Cluster, work: F) -> Result<Option<T>, Error>
where
    T: Send + 'static,
    F: Fn(&mut Worker) -> Option<T> + Send + Sync + 'static,
{
    let config = timely::Config {
        communication: timely::CommunicationConfig::Cluster {
            threads: cluster.threads.get(),
            process: cluster.process,
            addresses: cluster.addresses.clone(),
            report: false,
            zerocopy: false,
        },
        worker: timely::WorkerConfig::default(),
    };
    let (done, answer) = mpsc::channel();
    std::thread::spawn(move || {
        let run = timely::execute(config, work)
            .and_then(|guards| guards.join().into_iter().collect::<Result<Vec<_>, _>>());
        let _ = done.send(run); // the receiver may have given up
    });
    match answer.recv_timeout(cluster.deadline) {
        Ok(run) => Ok(run.map_err(Error::Timely)?.into_iter().flatten().next()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::PeerTimeout {
            seconds: cluster.deadline.as_secs_f64(),
            addresses: cluster.addresses.join(", "),
        }),
        // The thread ended without an answer: timely's threads panicked, which is what a
        // connection lost in the middle of the run (a peer that died) does.
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Error::Timely(
            "the run failed: a peer process died or closed its connection".into(),
        )),
    }
}
// ANCHOR_END: cluster

/// Reads a hostfile: one `host:port` per line, in process order; blank lines and `#` comments
/// are skipped.
pub fn read_hostfile(path: &std::path::Path) -> Result<Vec<String>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Hostfile {
        path: path.into(),
        line: 0,
        problem: e.to_string(),
    })?;
    let mut addresses = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let port =
            line.rsplit_once(':').and_then(|(host, port)| (!host.is_empty()).then_some(port));
        let valid = !line.contains(char::is_whitespace)
            && port.and_then(|p| p.parse::<u16>().ok()).is_some_and(|p| p != 0);
        if !valid {
            let problem = format!(
                "expected `host:port` with a port from 1 to 65535, such as `127.0.0.1:4101` \
                 (`[::1]:4101` for IPv6), found `{line}`"
            );
            return Err(Error::Hostfile { path: path.into(), line: n + 1, problem });
        }
        if addresses.iter().any(|a| a == line) {
            let problem = format!("`{line}` is listed twice: each process needs its own address");
            return Err(Error::Hostfile { path: path.into(), line: n + 1, problem });
        }
        addresses.push(line.to_string());
    }
    if addresses.is_empty() {
        let problem = "no `host:port` line: expected one per process".to_string();
        return Err(Error::Hostfile { path: path.into(), line: 0, problem });
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostfiles() {
        let dir = std::env::temp_dir().join(format!("compute-hostfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("good");
        std::fs::write(&good, "# two processes\n127.0.0.1:4101\n\nlocalhost:4102\n")
            .expect("write");
        assert_eq!(read_hostfile(&good).expect("valid"), ["127.0.0.1:4101", "localhost:4102"]);
        let bad = dir.join("bad");
        for (text, message) in [
            ("127.0.0.1:4101\n127.0.0.1\n", "bad:2: expected `host:port`"),
            ("127.0.0.1:0\n", "bad:1: expected `host:port`"),
            ("127.0.0.1 :4101\n", "bad:1: expected `host:port`"),
            ("h:1\nh:1\n", "bad:2: `h:1` is listed twice"),
        ] {
            std::fs::write(&bad, text).expect("write");
            let error = read_hostfile(&bad).expect_err("invalid").to_string();
            assert!(error.contains(message), "{error}");
        }
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
