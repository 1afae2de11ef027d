//! `--profile FILE.svg`: where a program's processor time goes, drawn as a flame graph.
//!
//! `perf record` samples the program's call stacks a thousand times a second on the software
//! clock (`cpu-clock`: these machines have no hardware counters, and the picture is the same
//! where there are), `perf script` prints the samples, and inferno folds identical stacks
//! together and draws them: each box is a function, as wide as the share of samples in which it
//! was on the stack, above the function that called it. Stacks are walked by frame pointers, so
//! code built without them shows shallow stacks; `RUSTFLAGS="-C force-frame-pointers=yes"` gives
//! the whole chain.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use inferno::collapse::Collapse;

use crate::error::Error;

/// Samples per second.
pub const FREQUENCY: u32 = 999;

/// Runs `command` under `perf record` and returns its samples as folded stacks.
pub fn record(command: &[OsString]) -> Result<String, Error> {
    ensure("perf", "linux-perf (Debian) or linux-tools-$(uname -r) (Ubuntu)")?;
    let dir = tempfile::tempdir().map_err(|source| Error::Tool { tool: "perf", source })?;
    let data = dir.path().join("perf.data");
    let recorded = Command::new("perf")
        .args(["record", "--quiet", "-e", "cpu-clock", "-g", "-F", &FREQUENCY.to_string(), "-o"])
        .arg(&data)
        .arg("--")
        .args(command)
        .status()
        .map_err(|source| Error::Tool { tool: "perf record", source })?;
    if !data.exists() {
        let why = format!("{recorded}: no samples written (perf_event_paranoid may forbid it)");
        return Err(Error::Tool { tool: "perf record", source: std::io::Error::other(why) });
    }
    let failed = |source| Error::Tool { tool: "perf script", source };
    let script = Command::new("perf").args(["script", "-i"]).arg(&data).output().map_err(failed)?;
    if !script.status.success() {
        let why = String::from_utf8_lossy(&script.stderr).trim().to_string();
        return Err(failed(std::io::Error::other(why)));
    }
    fold(&script.stdout).map_err(failed)
}

/// The processor time folded stacks stand for, seconds: on the software clock every sample is
/// weighted by its period in nanoseconds.
pub fn sampled_s(folded: &str) -> f64 {
    let ns: u64 = folded.lines().filter_map(|l| l.rsplit_once(' ')?.1.parse::<u64>().ok()).sum();
    ns as f64 / 1e9
}

/// Folded stacks drawn as a flame graph titled `title`: an SVG, the same for the same stacks.
pub fn draw(folded: &str, title: &str) -> Result<String, Error> {
    let mut options = inferno::flamegraph::Options::default();
    options.title = title.to_string();
    options.count_name = "ns of processor time".into();
    options.deterministic = true;
    let mut svg = Vec::new();
    inferno::flamegraph::from_lines(&mut options, folded.lines(), &mut svg)
        .map_err(|source| Error::Tool { tool: "inferno", source })?;
    String::from_utf8(svg)
        .map_err(|e| Error::Tool { tool: "inferno", source: std::io::Error::other(e) })
}

/// Runs `command` under `perf record`, then draws its samples as a flame graph titled `title`
/// into `svg`, atomically.
pub fn profile(command: &[OsString], title: &str, svg: &Path) -> Result<crate::Profiled, Error> {
    let folded = record(command)?;
    let drawn = draw(&folded, title)?;
    ladder::fs::write_atomically(svg, |out| std::io::Write::write_all(out, drawn.as_bytes()))
        .map_err(|source| Error::Write { path: svg.to_path_buf(), source })?;
    Ok(crate::Profiled { svg: svg.to_path_buf(), sampled_s: sampled_s(&folded) })
}

/// `perf script`'s text as folded stacks: one line per distinct stack, `main;f;g 42`.
pub fn fold(script: &[u8]) -> std::io::Result<String> {
    let mut folded = Vec::new();
    inferno::collapse::perf::Folder::default().collapse(script, &mut folded)?;
    String::from_utf8(folded).map_err(std::io::Error::other)
}

/// `Ok` if `tool` runs here, or an error saying which package to install.
pub fn ensure(tool: &'static str, package: &'static str) -> Result<(), Error> {
    match Command::new(tool).arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        _ => Err(Error::Missing { tool, package }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_stacks_draw_the_same_flame_graph() {
        let folded = "main;parse;digits 3000000\nmain;parse 1000000\nmain;read 2000000\n";
        let once = draw(folded, "a run").expect("inferno draws");
        assert_eq!(once, draw(folded, "a run").expect("inferno draws"));
        assert!(once.contains("digits") && once.contains("a run"));
        assert_eq!(sampled_s(folded), 0.006);
    }

    #[test]
    fn folds_perf_script_stacks_innermost_last_weighted_by_their_period() {
        let script = b"probe 1 1.0: 1001001 cpu-clock:\n\
            \t afb40 probe::spin+0xa0 (/bin/probe)\n\
            \t 891f5 start_thread+0x305 (/lib/libc.so.6)\n\n\
            probe 1 1.1: 1001001 cpu-clock:\n\
            \t afb40 probe::spin+0xa0 (/bin/probe)\n\
            \t 891f5 start_thread+0x305 (/lib/libc.so.6)\n\n";
        let folded = fold(script).expect("perf script's format");
        // Each sample weighs its period: 1 001 001 ns of the software clock.
        assert_eq!(folded.trim(), "probe;start_thread;probe::spin 2002002");
    }
}
