//! One process of a cluster, whatever its job: the hostfile that lists the processes, the
//! connections between them, and the deadline that bounds a run.
//!
//! The processes connect themselves ([`connect`]) and hand the connections to timely, rather
//! than let timely connect them: timely's own set-up waits a whole second between attempts.
//! Timely would wait forever for a peer that never starts, or one that is stopped or stuck, so
//! a run happens on a thread that is waited for with a deadline ([`in_cluster`]); while it
//! waits, the process says which peer it is waiting for ([`Progress`]). A peer that dies during
//! the run is noticed the next time a worker exchanges data with it, and ends the run with an
//! error too.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use timely::communication::allocator::ProcessBuilder;
use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::{AllocatorBuilder, Hooks};
use timely::execute::execute_from;
use timely::worker::Worker;

use crate::error::Error;

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

/// How long a process waits before it tries again to reach a peer that is not listening yet.
/// Timely's own set-up waits a second each time, and polls for peers that have not connected
/// once a second too, so forming a cluster took a second or two however quickly its processes
/// started; [`connect`] makes the same connections and tries again at this pace.
pub const RETRY: Duration = Duration::from_millis(10);

/// How often a process that is still waiting says what for.
pub const REPORT_EVERY: Duration = Duration::from_secs(5);

/// What one process of a cluster is still waiting for: the peers it has no connection with
/// yet, and the results each peer still owes (a job that deals out work says what it dealt,
/// [`Progress::owes`], and what came back, [`Progress::paid`]). Shared by the threads of a
/// run, and read by the thread that holds the deadline, to say which peer is slow.
#[derive(Debug)]
pub struct Progress {
    me: usize,
    addresses: Vec<String>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    connected: Vec<bool>,
    owed: Vec<usize>,
}

impl Progress {
    fn new(addresses: &[String], me: usize) -> Progress {
        let mut connected = vec![false; addresses.len()];
        connected[me] = true;
        let state = Mutex::new(State { connected, owed: vec![0; addresses.len()] });
        Progress { me, addresses: addresses.to_vec(), state }
    }

    /// The progress of a process that runs alone, with no peer to wait for.
    pub fn alone() -> Progress {
        Progress::new(&["this process".into()], 0)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A thread that panicked holding the lock left counts that are still counts.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn connected(&self, process: usize) {
        self.state().connected[process] = true;
    }

    /// `process` was sent one more piece of work whose result comes back to this process.
    pub fn owes(&self, process: usize) {
        self.state().owed[process] += 1;
    }

    /// A result of `process` arrived.
    pub fn paid(&self, process: usize) {
        let owed = &mut self.state().owed[process];
        *owed = owed.saturating_sub(1);
    }

    /// Which peers this process is waiting for, and why, in a sentence.
    pub fn waiting_for(&self) -> String {
        let state = self.state();
        let name = |p: usize| format!("process {p} ({})", self.addresses[p]);
        let absent: Vec<String> =
            (0..self.addresses.len()).filter(|&p| !state.connected[p]).map(name).collect();
        if !absent.is_empty() {
            return format!(
                "process {} has no connection yet with {}: not started, or cannot be reached",
                self.me,
                absent.join(", ")
            );
        }
        let owing: Vec<usize> = (0..self.addresses.len()).filter(|&p| state.owed[p] > 0).collect();
        match owing.as_slice() {
            [] => format!("every process is connected, and process {} has not finished", self.me),
            [p] if self.addresses.len() > 1 => format!(
                "{} still owes {} of its results, the others none: it is slow, stopped or stuck",
                name(*p),
                state.owed[*p]
            ),
            _ => {
                let each: Vec<String> =
                    owing.iter().map(|&p| format!("{} from {}", state.owed[p], name(p))).collect();
                format!("results still to come: {}", each.join(", "))
            }
        }
    }
}

/// The TCP connections of process `me` to every other process of `addresses`, made as timely's
/// own set-up makes them: each process listens at its address, connects to every process
/// before it and sends its index (a big-endian `u64`), and accepts every process after it.
/// A peer that never comes keeps it waiting: [`in_cluster`] holds the deadline.
fn connect(
    addresses: &[String],
    me: usize,
    progress: &Progress,
) -> std::io::Result<Vec<Option<TcpStream>>> {
    let listener = TcpListener::bind(&addresses[me])?;
    let mut sockets: Vec<Option<TcpStream>> = (0..addresses.len()).map(|_| None).collect();
    for (index, address) in addresses.iter().enumerate().take(me) {
        let mut stream = loop {
            match TcpStream::connect(address) {
                Ok(stream) => break stream,
                Err(_) => std::thread::sleep(RETRY), // not listening yet
            }
        };
        stream.set_nodelay(true)?;
        stream.write_all(&(me as u64).to_be_bytes())?;
        sockets[index] = Some(stream);
        progress.connected(index);
    }
    for _ in me + 1..addresses.len() {
        let (mut stream, _) = listener.accept()?;
        stream.set_nodelay(true)?;
        let mut index = [0; 8];
        stream.read_exact(&mut index)?;
        let index = usize::try_from(u64::from_be_bytes(index)).unwrap_or(usize::MAX);
        match sockets.get_mut(index) {
            Some(slot @ None) if index > me => {
                *slot = Some(stream);
                progress.connected(index);
            }
            _ => {
                return Err(std::io::Error::other(format!(
                    "a peer said it was process {index}, which is not one after {me} still to come"
                )));
            }
        }
    }
    Ok(sockets)
}

// ANCHOR: cluster
/// Runs `work` as one process of a cluster: what worker 0 returns (so `Some` in process 0,
/// `None` in the others). The processes connect ([`connect`], retrying while peers start up),
/// then timely runs the dataflow over those connections, each worker calling `work` with the
/// run's [`Progress`]. A peer that never comes, or stops, would keep it waiting forever, so
/// the run happens on a thread we wait for with a deadline (which covers the whole run: raise
/// it for large jobs), saying every [`REPORT_EVERY`] which peer it waits for. After a timeout
/// that thread is left behind: the caller is expected to exit, as `compute` does.
pub fn in_cluster<T, F>(cluster: &Cluster, work: F) -> Result<Option<T>, Error>
where
    T: Send + 'static,
    F: Fn(&mut Worker, &Arc<Progress>) -> Option<T> + Send + Sync + 'static,
{
    let (addresses, process, threads) =
        (cluster.addresses.clone(), cluster.process, cluster.threads.get());
    let progress = Arc::new(Progress::new(&addresses, process));
    let shared = Arc::clone(&progress);
    let (done, answer) = mpsc::channel();
    std::thread::spawn(move || {
        let run = connect(&addresses, process, &shared)
            .map_err(|e| format!("cannot connect to the other processes: {e}"))
            .and_then(|sockets| {
                let hooks = Hooks::default();
                let local = ProcessBuilder::new_typed_vector(
                    threads,
                    hooks.refill.clone(),
                    hooks.spill.clone(),
                );
                initialize_networking_from_sockets(local, sockets, process, threads, hooks)
                    .map_err(|e| format!("cannot start timely's networking: {e}"))
            })
            .and_then(|(builders, guard)| {
                let builders = builders.into_iter().map(AllocatorBuilder::Tcp).collect();
                let work = move |worker: &mut Worker| work(worker, &shared);
                execute_from(builders, Box::new(guard), timely::WorkerConfig::default(), work)
            })
            .and_then(|guards| guards.join().into_iter().collect::<Result<Vec<_>, _>>());
        let _ = done.send(run); // the receiver may have given up
    });
    let start = Instant::now();
    let outcome = loop {
        let left = cluster.deadline.saturating_sub(start.elapsed());
        match answer.recv_timeout(left.min(REPORT_EVERY)) {
            Err(mpsc::RecvTimeoutError::Timeout) if start.elapsed() < cluster.deadline => {
                let waited = start.elapsed().as_secs_f64();
                let deadline = cluster.deadline.as_secs_f64();
                eprintln!(
                    "still waiting after {waited:.0} s of {deadline} s: {}",
                    progress.waiting_for()
                );
            }
            outcome => break outcome,
        }
    };
    match outcome {
        Ok(run) => Ok(run.map_err(Error::Timely)?.into_iter().flatten().next()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::PeerTimeout {
            seconds: cluster.deadline.as_secs_f64(),
            waiting: progress.waiting_for(),
        }),
        // The thread ended without an answer: timely's threads panicked, which is what a
        // connection lost in the middle of the run (a peer that died) does.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Error::Timely("a peer process died or closed its connection".into()))
        }
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
    fn the_progress_names_the_peers_still_missing_then_those_still_owing() {
        let addresses: Vec<String> = (0..3).map(|p| format!("h{p}:1")).collect();
        let progress = Progress::new(&addresses, 0);
        let said = progress.waiting_for();
        assert!(
            said.contains("no connection yet with process 1 (h1:1), process 2 (h2:1)"),
            "{said}"
        );
        progress.connected(1);
        progress.connected(2);
        assert!(progress.waiting_for().contains("process 0 has not finished"));
        for p in [0, 2, 2] {
            progress.owes(p);
        }
        let said = progress.waiting_for();
        assert!(said.contains("1 from process 0 (h0:1), 2 from process 2 (h2:1)"), "{said}");
        progress.paid(0);
        progress.paid(2);
        let said = progress.waiting_for();
        assert!(said.starts_with("process 2 (h2:1) still owes 1 of its results, the others none"));
    }

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
