//! Machines on one box: each process of a cluster in a network namespace of its own, with its
//! own interface and address, the namespaces joined by a bridge as machines are by a switch.
//! A process's traffic then leaves through its interface and crosses the kernel's network
//! stack to another host's, instead of staying on the shared loopback device; the link's
//! bandwidth can be limited (`tc`'s token bucket), and the bytes each host sent are counted
//! by the kernel.
//!
//! Namespaces need root and `ip` (Debian's `iproute2`). Every address stays in the loopback
//! range, `127.77.0.x`, which an interface accepts once `route_localnet` is set in its
//! namespace, so no traffic can reach another machine. Each namespace's `lo` stays down: up,
//! it would claim all of `127.0.0.0/8` as the namespace's own. The namespaces are deleted when
//! the [`Namespaces`] is dropped, and a run that was killed outright leaves names the next run
//! removes ([`remove_stale`]).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

/// Every namespace this module makes starts with this, then the making process's id.
const PREFIX: &str = "dac-cluster-";

/// The port every process listens at, on its own address.
const PORT: u16 = 4101;

/// The interface each host's namespace has, as a machine has its network card.
const INTERFACE: &str = "eth0";

/// Hosts on one bridge: the addresses end in 1 to 250.
pub const MOST_HOSTS: usize = 250;

/// Where the processes of a cluster run.
pub enum Network {
    /// All on this machine's loopback, sharing one network stack.
    Loopback,
    /// Each in a namespace of its own.
    Namespaces(Namespaces),
}

impl Network {
    /// Namespaces for `processes` hosts, their links limited to `rate` (`tc`'s units, such as
    /// `10mbit`) if given, when this machine allows it; loopback otherwise (with `rate`, an
    /// error: loopback cannot be limited). `why_not` is told why namespaces could not be made.
    pub fn new(processes: usize, rate: Option<&str>, why_not: &mut String) -> Result<Network> {
        match Namespaces::create(processes, rate) {
            Ok(namespaces) => Ok(Network::Namespaces(namespaces)),
            Err(e) => {
                ensure!(rate.is_none(), "a limited link needs network namespaces: {e:#}");
                *why_not = format!("{e:#}");
                Ok(Network::Loopback)
            }
        }
    }

    /// Each process's `host:port`: free loopback ports, or the namespaces' addresses.
    pub fn addresses(&self, processes: usize) -> Result<Vec<String>> {
        match self {
            Network::Loopback => {
                // Ask the system for free ports (another program could still take one before
                // the cluster binds it).
                let listeners: Vec<std::net::TcpListener> = (0..processes)
                    .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
                    .collect::<Result<_, _>>()?;
                listeners
                    .iter()
                    .map(|l| Ok(format!("127.0.0.1:{}", l.local_addr()?.port())))
                    .collect()
            }
            Network::Namespaces(n) => Ok((0..processes).map(|p| n.address(p)).collect()),
        }
    }

    /// A command that runs `program` as host `p`.
    pub fn command(&self, p: usize, program: &Path) -> Command {
        match self {
            Network::Loopback => Command::new(program),
            Network::Namespaces(n) => {
                let mut command = Command::new("ip");
                command.args(["netns", "exec", &n.host(p)]).arg(program);
                command
            }
        }
    }

    /// The bytes each host has sent over its interface so far, headers included: `None` on
    /// loopback, where the cluster's traffic is not told apart from the rest of the machine's.
    pub fn sent_bytes(&self) -> Result<Option<Vec<u64>>> {
        match self {
            Network::Loopback => Ok(None),
            Network::Namespaces(n) => n.sent_bytes().map(Some),
        }
    }

    /// `loopback` or `namespaces`, as the record names it.
    pub fn name(&self) -> &'static str {
        match self {
            Network::Loopback => "loopback",
            Network::Namespaces(_) => "namespaces",
        }
    }

    /// The rate every link is limited to, if any.
    pub fn rate(&self) -> Option<&str> {
        match self {
            Network::Loopback => None,
            Network::Namespaces(n) => n.rate.as_deref(),
        }
    }

    /// A phrase for the run's heading.
    pub fn describe(&self) -> String {
        match self {
            Network::Loopback => "on loopback".into(),
            Network::Namespaces(n) => format!(
                "each in a network namespace of its own (127.77.0.1 to 127.77.0.{}, one bridge){}",
                n.hosts,
                n.rate.as_ref().map(|r| format!(", every link limited to {r}")).unwrap_or_default()
            ),
        }
    }
}

/// Namespaces made by this process so far: part of their names, so that two sets made at
/// once do not share one.
static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The namespaces of one cluster's hosts and the hub between them; deleted on drop.
pub struct Namespaces {
    /// The start of every one of their names: [`PREFIX`], this process's id, a number.
    name: String,
    hosts: usize,
    rate: Option<String>,
    made: Vec<String>,
}

impl Namespaces {
    /// Makes `hosts` namespaces joined by a bridge in a hub namespace, each link limited to
    /// `rate` if given. Whatever was made before a failure is deleted.
    pub fn create(hosts: usize, rate: Option<&str>) -> Result<Namespaces> {
        ensure!(
            (1..=MOST_HOSTS).contains(&hosts),
            "one bridge takes 1 to {MOST_HOSTS} hosts, not {hosts}"
        );
        // SAFETY: `geteuid` has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            bail!("network namespaces need root");
        }
        remove_stale()?;
        let set = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("{PREFIX}{}-{set}-", std::process::id());
        let mut namespaces = Namespaces { name, hosts, rate: rate.map(Into::into), made: vec![] };
        let hub = namespaces.hub();
        namespaces.add(&hub)?;
        ip(&["-n", &hub, "link", "add", "br0", "type", "bridge"])?;
        ip(&["-n", &hub, "link", "set", "br0", "up"])?;
        for p in 0..hosts {
            let host = namespaces.host(p);
            namespaces.add(&host)?;
            // A cable: one end the host's interface, the other a port of the hub's bridge.
            let port = format!("p{p}");
            let veth = ["link", "add", &port, "type", "veth", "peer", "name", INTERFACE];
            ip(&[&["-n", &hub][..], &veth, &["netns", &host]].concat())?;
            ip(&["-n", &hub, "link", "set", &port, "master", "br0", "up"])?;
            // Loopback addresses on the interface, and no IPv6: its neighbour discovery would
            // add the kernel's own packets to the bytes counted.
            let sysctl = format!(
                "echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet && \
                 echo 1 > /proc/sys/net/ipv4/conf/{INTERFACE}/route_localnet && \
                 if [ -e /proc/sys/net/ipv6 ]; then \
                 echo 1 > /proc/sys/net/ipv6/conf/{INTERFACE}/disable_ipv6; fi"
            );
            run(Command::new("ip").args(["netns", "exec", &host, "sh", "-c", &sysctl]))?;
            let address = format!("127.77.0.{}/24", p + 1);
            ip(&["-n", &host, "addr", "add", &address, "dev", INTERFACE])?;
            ip(&["-n", &host, "link", "set", INTERFACE, "up"])?;
            if let Some(rate) = rate {
                // A token bucket on the host's way out: what it sends leaves at `rate`, in
                // bursts of at most 16 KiB.
                let tbf = [
                    "-n", &host, "qdisc", "add", "dev", INTERFACE, "root", "tbf", "rate", rate,
                    "burst", "16kb", "latency", "1s",
                ];
                run(Command::new("tc").args(tbf)).context("cannot limit the link with tc")?;
            }
        }
        Ok(namespaces)
    }

    fn hub(&self) -> String {
        format!("{}hub", self.name)
    }

    fn host(&self, p: usize) -> String {
        format!("{}{p}", self.name)
    }

    fn address(&self, p: usize) -> String {
        format!("127.77.0.{}:{PORT}", p + 1)
    }

    fn add(&mut self, name: &str) -> Result<()> {
        ip(&["netns", "add", name])?;
        self.made.push(name.into());
        Ok(())
    }

    fn sent_bytes(&self) -> Result<Vec<u64>> {
        let mut sent = Vec::new();
        for p in 0..self.hosts {
            let file = format!("/sys/class/net/{INTERFACE}/statistics/tx_bytes");
            let out = run(Command::new("ip").args(["netns", "exec", &self.host(p), "cat", &file]))?;
            sent.push(out.trim().parse::<u64>().with_context(|| format!("{file}: `{out}`"))?);
        }
        Ok(sent)
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        // Deleting a namespace deletes its interfaces, and with them the other ends of its
        // links.
        for name in self.made.iter().rev() {
            let _ = ip(&["netns", "del", name]);
        }
    }
}

/// Deletes the namespaces of runs whose process is gone (killed before it could clean up).
pub fn remove_stale() -> Result<()> {
    let list = run(Command::new("ip").args(["netns", "list"]))?;
    for name in list.lines().filter_map(|l| l.split_whitespace().next()) {
        let Some(rest) = name.strip_prefix(PREFIX) else { continue };
        let Some(Ok(pid)) = rest.split('-').next().map(str::parse::<u32>) else { continue };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            ip(&["netns", "del", name])?;
        }
    }
    Ok(())
}

/// Runs `ip` with `args`.
fn ip(args: &[&str]) -> Result<()> {
    run(Command::new("ip").args(args)).map(drop)
}

/// Runs `command`: its standard output, or an error with its standard error.
fn run(command: &mut Command) -> Result<String> {
    let out = command.output().with_context(|| {
        format!("cannot run {:?} (Debian's iproute2 has `ip` and `tc`)", command.get_program())
    })?;
    ensure!(
        out.status.success(),
        "{:?} failed: {}",
        command.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsRawFd;

    /// Runs `f` on a thread that has entered host `p`'s namespace, as a process there would.
    fn in_host<T: Send>(n: &Namespaces, p: usize, f: impl FnOnce() -> T + Send) -> T {
        let file = std::fs::File::open(format!("/run/netns/{}", n.host(p))).expect("a namespace");
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    // SAFETY: a descriptor of a network namespace; only this thread moves.
                    let entered = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
                    assert_eq!(entered, 0, "{}", std::io::Error::last_os_error());
                    f()
                })
                .join()
                .expect("the thread")
        })
    }

    /// The namespaces whose names start with `name`.
    fn named(name: &str) -> Vec<String> {
        let list = run(Command::new("ip").args(["netns", "list"])).expect("ip netns list");
        list.lines().filter(|l| l.starts_with(name)).map(Into::into).collect()
    }

    /// Namespaces can be made here, or the test says why not (and fails in CI, which runs as
    /// root).
    fn namespaces(hosts: usize, rate: Option<&str>) -> Option<Namespaces> {
        match Namespaces::create(hosts, rate) {
            Ok(n) => Some(n),
            Err(why) => {
                assert!(std::env::var_os("CI").is_none(), "CI runs as root: {why:#}");
                eprintln!("{why:#}: skipped");
                None
            }
        }
    }

    #[test]
    fn hosts_reach_each_other_across_the_bridge_their_bytes_are_counted_and_nothing_is_left() {
        let Some(n) = namespaces(3, Some("10mbit")) else { return };
        let name = n.name.clone();
        assert_eq!(named(&name).len(), 4, "three hosts and the hub: {:?}", named(&name));
        let message = vec![7u8; 100_000];
        let listener = in_host(&n, 2, || TcpListener::bind(n.address(2)).expect("host 2 listens"));
        let before = n.sent_bytes().expect("counted")[0];
        let received = std::thread::scope(|scope| {
            let server = scope.spawn(|| {
                let (mut stream, _) = listener.accept().expect("a connection");
                let mut got = Vec::new();
                stream.read_to_end(&mut got).expect("read");
                got
            });
            in_host(&n, 0, || {
                let mut stream = TcpStream::connect(n.address(2)).expect("host 0 reaches host 2");
                stream.write_all(&message).expect("sent");
            });
            server.join().expect("the server")
        });
        assert_eq!(received, message);
        let sent = n.sent_bytes().expect("counted")[0] - before;
        assert!(sent > message.len() as u64, "{sent} bytes counted");
        // Host 0 cannot reach this machine's own loopback: it is on a network of its own.
        in_host(&n, 0, || {
            let outside = TcpListener::bind("127.0.0.1:0").ok().and_then(|l| l.local_addr().ok());
            assert!(outside.is_none(), "127.0.0.1 is not an address of host 0: {outside:?}");
        });
        let qdisc =
            run(Command::new("tc").args(["-n", &n.host(1), "qdisc", "show", "dev", INTERFACE]))
                .expect("tc");
        assert!(qdisc.contains("tbf") && qdisc.contains("10Mbit"), "{qdisc}");
        drop(n);
        assert!(named(&name).is_empty(), "left behind: {:?}", named(&name));
    }

    #[test]
    fn a_run_killed_before_it_cleaned_up_is_cleaned_up_by_the_next() {
        if namespaces(1, None).is_none() {
            return;
        }
        // No process has this id: Linux's ids stop at 2^22.
        let stale = format!("{PREFIX}{}-0-hub", 1u32 << 23);
        ip(&["netns", "add", &stale]).expect("made");
        remove_stale().expect("removed");
        let list = run(Command::new("ip").args(["netns", "list"])).expect("listed");
        assert!(!list.contains(&stale), "{list}");
    }
}
