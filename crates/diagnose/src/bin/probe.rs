//! Programs whose bottleneck is known by construction, for the diagnosis tool's tests and the
//! chapter: each does one thing, for about as long as it is told.
//!
//! - `spin --threads N`: arithmetic on N threads (compute);
//! - `sleep`: nothing at all (waiting);
//! - `read FILE`: the file read once in 1 MiB requests, after dropping it from the page cache
//!   (I/O);
//! - `direct FILE`: 4 KiB reads that bypass the page cache, one at a time (I/O, each thread
//!   waiting for the device);
//! - `memory --bytes B`: B bytes allocated and touched, then held (memory);
//! - `load FILE`: the whole file read into memory at once, as `pd.read_csv` does (memory that
//!   grows with the input);
//! - `server`: requests, one at a time, to a loopback server that answers each after a delay
//!   (waiting);
//! - `add --n N`: the loop `s += i` for `i` in `0..N`, one addition at a time (what one
//!   addition costs, beside CPython's);
//! - `all --dir D`: every probe above under the diagnosis tool, one after another, printed as
//!   one JSON array (what `cargo xtask bench` records).

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

/// A program with a known bottleneck.
#[derive(Parser, Debug)]
struct Args {
    /// How long to keep at it, seconds.
    #[arg(long, default_value_t = 1.0, global = true)]
    seconds: f64,
    /// What to do.
    #[command(subcommand)]
    probe: Probe,
}

#[derive(Subcommand, Debug)]
enum Probe {
    /// Arithmetic on this many threads.
    Spin {
        /// Threads.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Sleep.
    Sleep,
    /// Read a file cold, in 1 MiB requests, until its end or the time is up.
    Read {
        /// The file.
        file: PathBuf,
    },
    /// Read a file in 4 KiB requests that bypass the page cache, until the time is up.
    Direct {
        /// The file.
        file: PathBuf,
    },
    /// Read a whole file into memory at once, and hold it for the time given.
    Load {
        /// The file.
        file: PathBuf,
    },
    /// Allocate and touch this many bytes, then hold them.
    Memory {
        /// Bytes.
        #[arg(long)]
        bytes: usize,
    },
    /// Ask a loopback server that answers after a delay, one request at a time.
    Server {
        /// The server's delay per request, milliseconds.
        #[arg(long, default_value_t = 20)]
        delay_ms: u64,
    },
    /// Add the numbers below `n`, one addition at a time.
    Add {
        /// How many.
        #[arg(long)]
        n: u64,
    },
    /// Every probe under the diagnosis tool, printed as JSON.
    All {
        /// A folder on the disk to measure, for the read probes' file.
        #[arg(long)]
        dir: PathBuf,
    },
}

/// `probe all`: every probe diagnosed, as JSON on standard output.
fn all(dir: &std::path::Path) -> Result<u64, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let diagnosed =
        lesson_diagnose::probes::run_all(&me, dir).map_err(|e| ladder::cli::chain(&e))?;
    let json = serde_json::to_string(&diagnosed).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(diagnosed.len() as u64)
}

/// Arithmetic the compiler cannot skip, until `deadline`.
fn spin(deadline: Instant) -> u64 {
    let mut x = 1u64;
    while Instant::now() < deadline {
        for _ in 0..100_000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }
    x
}

// ANCHOR: add
/// The numbers below `n` added one at a time: each sum passes through `black_box`, so the
/// compiler can neither fold the loop into a formula nor add several numbers at once.
fn add(n: u64) -> u64 {
    let mut s = 0u64;
    for i in 0..n {
        s = std::hint::black_box(s.wrapping_add(i));
    }
    s
}
// ANCHOR_END: add

fn read_cold(file: &PathBuf, deadline: Instant) -> std::io::Result<u64> {
    lesson_io::cache::evict(file)?;
    let mut input = File::open(file)?;
    let (mut buffer, mut total) = (vec![0; 1 << 20], 0);
    while Instant::now() < deadline {
        match input.read(&mut buffer)? {
            0 => break,
            n => total += n as u64,
        }
    }
    Ok(total)
}

/// A buffer aligned for `O_DIRECT`.
#[repr(C, align(4096))]
struct Block([u8; 4096]);

fn read_direct(file: &PathBuf, deadline: Instant) -> std::io::Result<u64> {
    let input = OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open(file)?;
    let blocks = input.metadata()?.len() / 4096;
    let mut block = Box::new(Block([0; 4096]));
    let (mut total, mut at) = (0, 0u64);
    while Instant::now() < deadline && blocks > 0 {
        // Jump around the file, so no read is served by the device's own read-ahead.
        at = (at + 7919) % blocks;
        std::os::unix::fs::FileExt::read_exact_at(&input, &mut block.0, at * 4096)?;
        total += 4096;
    }
    Ok(total)
}

fn hold_memory(bytes: usize, deadline: Instant) -> u64 {
    let mut memory = vec![0u8; bytes];
    for page in memory.chunks_mut(4096) {
        page[0] = 1;
    }
    std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
    std::hint::black_box(&memory).iter().step_by(4096).map(|&b| u64::from(b)).sum()
}

fn ask_server(delay: Duration, deadline: Instant) -> std::io::Result<u64> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                std::thread::sleep(delay);
                if reader.get_mut().write_all(line.as_bytes()).is_err() {
                    break;
                }
                line.clear();
            }
        }
    });
    let mut stream = TcpStream::connect(address)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let (mut answers, mut line) = (0, String::new());
    while Instant::now() < deadline {
        stream.write_all(b"ping\n")?;
        line.clear();
        reader.read_line(&mut line)?;
        answers += 1;
    }
    Ok(answers)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let deadline = Instant::now() + Duration::from_secs_f64(args.seconds.max(0.0));
    let done = match &args.probe {
        Probe::Spin { threads } => {
            let spins: Vec<_> = (0..(*threads).max(1))
                .map(|_| std::thread::spawn(move || spin(deadline)))
                .collect();
            Ok(spins.into_iter().map(|s| s.join().unwrap_or(0)).fold(0, u64::wrapping_add))
        }
        Probe::Sleep => {
            std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
            Ok(0)
        }
        Probe::Read { file } => read_cold(file, deadline),
        Probe::Direct { file } => read_direct(file, deadline),
        Probe::Memory { bytes } => Ok(hold_memory(*bytes, deadline)),
        Probe::Load { file } => std::fs::read(file).map(|bytes| {
            std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
            bytes.iter().step_by(4096).map(|&b| u64::from(b)).sum()
        }),
        Probe::Server { delay_ms } => ask_server(Duration::from_millis(*delay_ms), deadline),
        Probe::Add { n } => Ok(add(*n)),
        Probe::All { dir } => {
            return match all(dir) {
                Ok(_) => ExitCode::SUCCESS,
                Err(why) => {
                    eprintln!("probe: {why}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    // The result is kept from the optimizer, not printed: `probe all` prints its JSON on the
    // same standard output the probes it runs inherit.
    match done {
        Ok(n) => {
            std::hint::black_box(n);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("probe: {e}");
            ExitCode::FAILURE
        }
    }
}
