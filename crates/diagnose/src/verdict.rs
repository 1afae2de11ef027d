//! The rules: which resource limits a run, decided from what any Linux process can read, in a
//! fixed order, each stated with the figures it used.
//!
//! The definitions are the notebook's. A program is
//! - **memory**-bound when its data does not fit: it died for lack of memory, or its peak
//!   resident memory is a large share of the memory it has, or it pages;
//! - **I/O**-bound when its time goes to a device: it moves bytes near the device's measured
//!   throughput, or its threads wait in uninterruptible sleep;
//! - **compute**-bound when it is on a processor (or ready for one) nearly all its wall time;
//! - **waiting** otherwise: off the processor and not on a device (sleeps, the network, locks,
//!   a slow server).
//!
//! The order matters. Memory comes first, because a program that pages looks busy on a device
//! and a program that dies looks like nothing. The device comes before the processor, because a
//! cold read from a virtual disk shows as processor time in the kernel, not as a thread in
//! uninterruptible sleep, and so do many small reads from a fast device: processor time mostly
//! in the kernel, with bytes flowing from the device, is the kernel serving requests. Before all of them, a busy machine is named: threads that waited,
//! ready, for a core another program held were computing, not waiting, and the figures are the
//! competition's as much as the program's.

use serde::{Deserialize, Serialize};

use crate::machine::Capacity;
use crate::run::{Exit, Measured, SIGKILL};

/// Which resource limits a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// The processor.
    Compute,
    /// Memory: the data does not fit.
    Memory,
    /// A device: reading or writing storage.
    Io,
    /// Nothing local: sleeps, the network, locks, another program. What is left when no
    /// other rule fires.
    #[default]
    Waiting,
}

impl Bound {
    /// Its name, as the JSON and the tables write it.
    pub fn name(self) -> &'static str {
        match self {
            Bound::Compute => "compute",
            Bound::Memory => "memory",
            Bound::Io => "io",
            Bound::Waiting => "waiting",
        }
    }
}

/// A share of peak resident memory over the memory the program has, at and above which it is
/// memory-bound.
pub const MEMORY_SHARE: f64 = 0.5;

/// The same for a program killed outright (signal 9): the kernel's out-of-memory killer ends
/// the largest process, often before it reaches the limit in our samples.
pub const KILLED_MEMORY_SHARE: f64 = 0.25;

/// Major faults per second (reads from disk to serve memory), with at least
/// [`MAJOR_FAULTS`] of them, at and above which a program pages.
pub const MAJOR_FAULTS_PER_S: f64 = 100.0;

/// See [`MAJOR_FAULTS_PER_S`].
pub const MAJOR_FAULTS: u64 = 1000;

/// A share of the device's measured throughput at and above which a program is read-bound.
pub const DEVICE_SHARE: f64 = 0.5;

/// A share of samples with a thread in uninterruptible sleep at and above which a program
/// waits for a device.
pub const DISK_SHARE: f64 = 0.3;

/// Bytes moved from and to the device per second of the program's time in the kernel, at and
/// above which a program whose processor time is mostly in the kernel is called I/O-bound: the
/// kernel is serving its requests (small ones, each costing a system call and an interrupt),
/// not computing for it. 16 MiB is 4096 requests of 4 KiB per second.
pub const KERNEL_DEVICE_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

/// The least time in the kernel, as a share of wall time, for [`KERNEL_DEVICE_BYTES`] to say
/// anything: a sleeping program's few microseconds of kernel time, loading its own code from
/// the disk, are not I/O-bound work.
pub const KERNEL_BUSY: f64 = 0.1;

/// Bytes a program must have moved from and to the device for the machine's I/O pressure, or
/// its time in the kernel, to be laid at the device's door.
pub const OWN_DEVICE_BYTES: u64 = 1 << 20;

/// Cores busy on average, or the share of samples with a thread on (or ready for) a core, at
/// and above which a program computes.
pub const BUSY: f64 = 0.5;

/// A share of the machine's cores at and above which a program uses all of them.
pub const ALL_CORES: f64 = 0.75;

/// Time its threads waited, ready, for a core held by another program, as a share of wall
/// time, at and above which the machine is called busy.
pub const QUEUED_SHARE: f64 = 0.2;

/// A share of processor time in the kernel above which that is worth a note.
pub const SYSTEM_SHARE: f64 = 0.5;

/// Peak memory of its own that grows at least this share as fast as its input (half as fast
/// or more)...
pub const GROWTH_SHARE: f64 = 0.5;

/// ...to at least this much on the larger input, says the data will not fit some day.
pub const GROWTH_FLOOR: u64 = 64 << 20;

/// Runs shorter than this are too short to judge well.
pub const SHORTEST_S: f64 = 0.05;

/// The figures the rules read, each derived from [`Measured`] and the machine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Wall time, seconds.
    pub wall_s: f64,
    /// Processor time, user and kernel, seconds.
    pub cpu_s: f64,
    /// The share of it in the kernel.
    pub system_share: f64,
    /// Cores kept busy on average: processor time over wall time.
    pub cores_busy: f64,
    /// The machine's cores.
    pub cores: usize,
    /// The share of samples with a thread on a core or ready for one.
    pub running_share: f64,
    /// The share of samples with a thread waiting for a device.
    pub disk_share: f64,
    /// The most memory of its own the program held, bytes, every process of the tree together
    /// (the pages of files it maps are the page cache's, and left out); for a run too short to
    /// sample, its largest process's whole resident memory.
    pub peak_resident_bytes: u64,
    /// The memory it is judged against, bytes.
    pub memory_bytes: u64,
    /// The one over the other.
    pub memory_share: f64,
    /// Page faults that read from the disk.
    pub major_faults: u64,
    /// Page faults served from memory (fresh pages, the page cache).
    pub minor_faults: u64,
    /// Bytes from and to the devices.
    pub device_bytes: u64,
    /// The same per second.
    pub device_bytes_per_s: f64,
    /// The device's measured read throughput, bytes per second, where known.
    pub device_throughput: Option<f64>,
    /// The one over the other.
    pub device_share: Option<f64>,
    /// Bytes from and to the devices per second of its processor time in the kernel.
    pub device_bytes_per_kernel_s: f64,
    /// The share of wall time in which some task of the machine stalled on a device (the
    /// kernel's pressure-stall information), where the kernel keeps it.
    pub io_pressure_share: Option<f64>,
    /// Seconds its threads waited, ready, for a core another program held.
    pub queued_s: f64,
    /// Times a thread gave up its core to wait.
    pub voluntary_switches: u64,
    /// How it ended.
    pub exit: Exit,
    /// Times the kernel's out-of-memory killer ended one of its processes at the limit it ran
    /// under (counted only under an enforced limit).
    pub memory_kills: u64,
}

impl Evidence {
    /// The evidence of `run` on a machine of `capacity`, judged against `memory_bytes` of
    /// memory and a device that reads `device_throughput` bytes per second.
    pub fn of(
        run: &Measured,
        capacity: &Capacity,
        memory_bytes: u64,
        device_throughput: Option<f64>,
    ) -> Evidence {
        let wall_s = run.wall_s.max(1e-9);
        let cpu_s = run.user_s + run.system_s;
        let peak_resident_bytes = match run.observed.samples {
            0 => run.max_resident_bytes,
            _ => run.observed.peak_resident_bytes,
        };
        let device_bytes = run.device_read_bytes + run.device_written_bytes;
        let device_bytes_per_s = device_bytes as f64 / wall_s;
        Evidence {
            wall_s: run.wall_s,
            cpu_s,
            system_share: if cpu_s > 0.0 { run.system_s / cpu_s } else { 0.0 },
            cores_busy: cpu_s / wall_s,
            cores: capacity.cores,
            running_share: run.observed.running_share,
            disk_share: run.observed.disk_share,
            peak_resident_bytes,
            memory_bytes,
            memory_share: peak_resident_bytes as f64 / memory_bytes.max(1) as f64,
            major_faults: run.major_faults,
            minor_faults: run.minor_faults,
            device_bytes_per_s,
            device_throughput,
            device_share: device_throughput.map(|t| device_bytes_per_s / t),
            device_bytes,
            device_bytes_per_kernel_s: device_bytes as f64 / run.system_s.max(1e-9),
            io_pressure_share: run.pressure_s.map(|[_, io, _]| io / wall_s),
            queued_s: run.observed.queued_s,
            voluntary_switches: run.voluntary_switches,
            exit: run.exit,
            memory_kills: run.limited.map_or(0, |l| l.kills),
        }
    }
}

/// What limits a run, why, and what to do about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The limit.
    pub bound: Bound,
    /// The rule that decided, with its figures.
    pub rule: String,
    /// What the workshop teaches for it.
    pub remedy: Remedy,
    /// The remedy in a sentence, for the JSON's readers.
    pub advice: String,
    /// The chapter that teaches it.
    pub chapter: String,
    /// What else the figures say: a busy machine, time in the kernel, a run too short.
    pub notes: Vec<String>,
}

impl Verdict {
    /// The verdict of `bound` for `rule`, with its remedy written out.
    fn new(bound: Bound, rule: String, remedy: Remedy, notes: Vec<String>) -> Verdict {
        let (advice, chapter) = (remedy.advice().into(), remedy.chapter().into());
        Verdict { bound, rule, remedy, advice, chapter, notes }
    }
}

/// `bytes` as the rules write memory: `0.30 GiB`.
pub fn gib(bytes: f64) -> String {
    format!("{:.2} GiB", bytes / f64::from(1u32 << 30))
}

/// A rate as the rules write it: `648 MB/s`.
pub fn mb_per_s(bytes_per_s: f64) -> String {
    format!("{:.0} MB/s", bytes_per_s / 1e6)
}

/// A share as the rules write it: `76%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", 100.0 * share)
}

/// The verdict on `e`.
pub fn decide(e: &Evidence) -> Verdict {
    let mut notes = Vec::new();
    if e.wall_s < SHORTEST_S {
        notes.push(format!(
            "it ran for only {:.0} ms: too short for the samples to say much; give it more work",
            e.wall_s * 1e3
        ));
    }
    if e.queued_s >= QUEUED_SHARE * e.wall_s {
        notes.push(format!(
            "the machine is busy with other work: its threads waited {:.2} s, ready to run, for \
             a core another program held ({} of the wall time); its figures are the \
             competition's as much as its own",
            e.queued_s,
            percent(e.queued_s / e.wall_s.max(1e-9))
        ));
    }
    if e.system_share > SYSTEM_SHARE && e.cpu_s >= SHORTEST_S {
        notes.push(format!(
            "{} of its processor time is in the kernel, on its behalf: {} minor page faults \
             (fresh memory being mapped, or a mapped file's pages), or copies of file data",
            percent(e.system_share),
            e.minor_faults
        ));
    }
    let (bound, rule) = rule(e);
    Verdict::new(bound, rule, Remedy::of(bound, e), notes)
}

// ANCHOR: rule
/// The first rule that fires, in the order of the module's doc: the limit, and why, with the
/// figures.
pub fn rule(e: &Evidence) -> (Bound, String) {
    let memory = format!("{} of {}", gib(e.peak_resident_bytes as f64), gib(e.memory_bytes as f64));
    if e.memory_kills > 0 {
        return (
            Bound::Memory,
            format!(
                "the kernel's out-of-memory killer ended {} of its processes at the enforced \
                 limit of {}: it needs more memory than it has",
                e.memory_kills,
                gib(e.memory_bytes as f64)
            ),
        );
    }
    if e.exit == Exit::Signal(SIGKILL) && e.memory_share >= KILLED_MEMORY_SHARE {
        return (
            Bound::Memory,
            format!(
                "killed (signal 9) holding {memory} ({}): the kernel ends the largest process \
                 when memory runs out",
                percent(e.memory_share)
            ),
        );
    }
    if e.memory_share >= MEMORY_SHARE {
        return (
            Bound::Memory,
            format!(
                "peak resident memory {memory} ({}, at least {}): the data does not fit with room \
                 to spare",
                percent(e.memory_share),
                percent(MEMORY_SHARE)
            ),
        );
    }
    let faults_per_s = e.major_faults as f64 / e.wall_s.max(1e-9);
    if e.major_faults >= MAJOR_FAULTS && faults_per_s >= MAJOR_FAULTS_PER_S {
        return (
            Bound::Memory,
            format!(
                "{} major page faults, {faults_per_s:.0} a second: memory is being read back \
                 from the disk",
                e.major_faults
            ),
        );
    }
    if let (Some(share), Some(throughput)) = (e.device_share, e.device_throughput)
        && share >= DEVICE_SHARE
    {
        return (
            Bound::Io,
            format!(
                "{} from and to the device, {} of its measured {} (at least {})",
                mb_per_s(e.device_bytes_per_s),
                percent(share),
                mb_per_s(throughput),
                percent(DEVICE_SHARE)
            ),
        );
    }
    if e.disk_share >= DISK_SHARE {
        return (
            Bound::Io,
            format!(
                "a thread waited for a device (uninterruptible sleep) in {} of the samples (at \
                 least {})",
                percent(e.disk_share),
                percent(DISK_SHARE)
            ),
        );
    }
    if let Some(share) = e.io_pressure_share
        && share >= DISK_SHARE
        && e.device_bytes >= OWN_DEVICE_BYTES
    {
        return (
            Bound::Io,
            format!(
                "the machine stalled on a device in {} of the wall time (at least {}) while it \
                 moved {} from and to the device",
                percent(share),
                percent(DISK_SHARE),
                mb_per_s(e.device_bytes_per_s)
            ),
        );
    }
    if e.system_share >= SYSTEM_SHARE
        && e.cores_busy * e.system_share >= KERNEL_BUSY
        && e.device_bytes >= OWN_DEVICE_BYTES
        && e.device_bytes_per_kernel_s >= KERNEL_DEVICE_BYTES
    {
        return (
            Bound::Io,
            format!(
                "{} of its processor time is in the kernel, moving {:.0} MB from and to the \
                 device per second of it (at least {:.0} MB): the kernel is serving its requests",
                percent(e.system_share),
                e.device_bytes_per_kernel_s / 1e6,
                KERNEL_DEVICE_BYTES / 1e6
            ),
        );
    }
    if e.cores_busy >= BUSY || e.running_share >= BUSY {
        return (
            Bound::Compute,
            format!(
                "on a processor or ready for one in {} of the samples, keeping {:.2} of the \
                 machine's {} cores busy",
                percent(e.running_share),
                e.cores_busy,
                e.cores
            ),
        );
    }
    (
        Bound::Waiting,
        format!(
            "off the processor {} of the time ({:.2} cores busy) and not waiting for a device: \
             {} times a thread gave up its core to wait",
            percent(1.0 - e.cores_busy.min(1.0)),
            e.cores_busy,
            e.voluntary_switches
        ),
    )
}

// ANCHOR_END: rule

/// The verdict on a run (`larger`) whose input is `input_ratio` times the input of another run
/// of the same program (`smaller`): memory-bound if its memory grew nearly as fast as its input,
/// whatever the larger run says alone (which goes into the notes); otherwise the larger run's
/// verdict.
pub fn with_growth(larger: &Evidence, smaller: &Evidence, input_ratio: f64) -> Verdict {
    let verdict = decide(larger);
    let growth = larger.peak_resident_bytes as f64 / smaller.peak_resident_bytes.max(1) as f64;
    if verdict.bound == Bound::Memory
        || growth < GROWTH_SHARE * input_ratio
        || larger.peak_resident_bytes < GROWTH_FLOOR
    {
        return verdict;
    }
    let mib = |b: u64| b as f64 / f64::from(1u32 << 20);
    let mut notes = verdict.notes;
    notes.push(format!("on the larger input alone, {}: {}", verdict.bound.name(), verdict.rule));
    let rule = format!(
        "its memory grows with its input: {:.0} MiB, then {:.0} MiB on {input_ratio:.1} times the \
         input ({growth:.1} times, at least {:.0}% as fast): some larger input will not fit",
        mib(smaller.peak_resident_bytes),
        mib(larger.peak_resident_bytes),
        100.0 * GROWTH_SHARE
    );
    Verdict::new(Bound::Memory, rule, Remedy::Stream, notes)
}

/// What the workshop teaches for a limit: the lesson to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Remedy {
    /// Chunk and stream (the memory lesson).
    Stream,
    /// Keep several requests in flight (the I/O lesson).
    ReadInParallel,
    /// Spread the work over every core (the compute lesson).
    Parallelize,
    /// Do more per instruction, on the vector units or the GPU, or do less (the vectorize and
    /// GPU lessons).
    Vectorize,
    /// Overlap the waits (the compute lesson's waiting tasks): the remedy of the default
    /// bound, [`Bound::Waiting`].
    #[default]
    OverlapWaits,
}

impl Remedy {
    /// The remedy for `bound` on the run `e`: for compute, whether it left cores idle.
    pub fn of(bound: Bound, e: &Evidence) -> Remedy {
        match bound {
            Bound::Memory => Remedy::Stream,
            Bound::Io => Remedy::ReadInParallel,
            Bound::Compute if e.cores > 1 && e.cores_busy < ALL_CORES * e.cores as f64 => {
                Remedy::Parallelize
            }
            Bound::Compute => Remedy::Vectorize,
            Bound::Waiting => Remedy::OverlapWaits,
        }
    }

    /// What to do, in a sentence.
    pub fn advice(self) -> &'static str {
        match self {
            Remedy::Stream => {
                "chunk and stream: hold a piece of the data at a time, not all of it (the memory \
                 lesson)"
            }
            Remedy::ReadInParallel => {
                "read in parallel: keep several requests in flight, so the device is never idle \
                 (the I/O lesson)"
            }
            Remedy::Parallelize => {
                "parallelize: it keeps fewer cores busy than the machine has; spread the work \
                 over all of them (the compute lesson: threads, rayon, processes)"
            }
            Remedy::Vectorize => {
                "every core is busy: do more per instruction (the vectorize lesson), move the \
                 arithmetic to the GPU (the GPU lesson), or do less work"
            }
            Remedy::OverlapWaits => {
                "keep many waits in flight at once: threads or async tasks, so the waits overlap \
                 (the compute lesson's waiting tasks)"
            }
        }
    }

    /// The book's chapter that teaches it.
    pub fn chapter(self) -> &'static str {
        match self {
            Remedy::Stream => "memory.md",
            Remedy::ReadInParallel => "io.md",
            Remedy::Parallelize | Remedy::OverlapWaits => "compute.md",
            Remedy::Vectorize => "vectorize.md",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::kit::one_busy_core as spin;

    #[test]
    fn one_busy_core_of_two_is_told_to_parallelize_and_two_to_vectorize() {
        let verdict = decide(&spin());
        assert_eq!((verdict.bound, verdict.chapter.as_str()), (Bound::Compute, "compute.md"));
        assert!(verdict.notes.is_empty(), "{verdict:?}");
        let both = Evidence { cpu_s: 2.0, cores_busy: 2.0, ..spin() };
        assert_eq!(decide(&both).chapter, "vectorize.md");
        let alone = Evidence { cores: 1, ..spin() };
        assert_eq!(decide(&alone).chapter, "vectorize.md");
    }

    #[test]
    fn the_rules_decide_every_case_and_say_why() {
        crate::kit::decides_like_the_tool("the rules", rule);
        crate::kit::says_why_with_figures("the rules", rule);
    }

    #[test]
    fn a_busy_machine_and_time_in_the_kernel_are_noted() {
        let crowded = Evidence { cpu_s: 0.3, cores_busy: 0.3, queued_s: 0.7, ..spin() };
        let verdict = decide(&crowded);
        assert!(verdict.notes.iter().any(|n| n.contains("busy with other work")), "{verdict:?}");
        let cold = Evidence { system_share: 0.9, device_share: Some(0.8), ..spin() };
        let verdict = decide(&cold);
        assert!(verdict.notes.iter().any(|n| n.contains("in the kernel")), "{verdict:?}");
    }

    #[test]
    fn memory_that_grows_with_the_input_is_memory_bound_and_memory_that_does_not_is_not() {
        let small = Evidence { peak_resident_bytes: 24 << 20, ..spin() };
        let large = Evidence { peak_resident_bytes: 230 << 20, ..spin() };
        let grows = with_growth(&large, &small, 10.0);
        assert_eq!(grows.bound, Bound::Memory, "{grows:?}");
        assert!(grows.rule.contains("24 MiB, then 230 MiB"), "{}", grows.rule);
        assert!(grows.notes.iter().any(|n| n.contains("compute")), "{grows:?}");
        let flat = Evidence { peak_resident_bytes: 70 << 20, ..spin() };
        let steady = Evidence { peak_resident_bytes: 68 << 20, ..spin() };
        assert_eq!(with_growth(&flat, &steady, 10.0).bound, Bound::Compute);
        let tiny_small = Evidence { peak_resident_bytes: 1 << 20, ..spin() };
        let tiny_large = Evidence { peak_resident_bytes: 10 << 20, ..spin() };
        assert_eq!(with_growth(&tiny_large, &tiny_small, 10.0).bound, Bound::Compute);
    }

    #[test]
    fn the_rule_states_its_figures() {
        let verdict = decide(&Evidence {
            memory_share: 0.75,
            peak_resident_bytes: 3 << 30,
            memory_bytes: 4 << 30,
            ..spin()
        });
        assert!(
            verdict.rule.contains("3.00 GiB of 4.00 GiB") && verdict.rule.contains("75%"),
            "{}",
            verdict.rule
        );
        let short = decide(&Evidence { wall_s: 0.01, ..spin() });
        assert!(short.notes.iter().any(|n| n.contains("too short")), "{short:?}");
    }
}
