//! `summary.md`: the closing chapter's table, one row per bottleneck, made from the lessons'
//! own records, so the workshop's conclusion quotes the same measured numbers as its chapters
//! and changes when they do. A lesson not measured in a run keeps the figures of its last run,
//! and the table names the commit and date of each lesson's.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use super::{Figures, section};
use crate::lessons::Drawn;

/// One row of the table.
pub struct Row {
    /// What limited the program.
    pub bottleneck: &'static str,
    /// The job.
    pub job: String,
    /// The straightforward version's figure.
    pub before: String,
    /// The best version's figure.
    pub after: String,
    /// The ratio.
    pub gain: String,
}

/// `x` to two significant figures with its thousands spaced, for ratios like 63 000×.
pub fn rounded(x: f64) -> String {
    if !x.is_finite() || x < 100.0 {
        return format!("{x:.0}");
    }
    let digits = x.log10().floor() as i32;
    let step = 10f64.powi(digits - 1);
    let whole = ((x / step).round() * step) as u64;
    let text = whole.to_string();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            out.push('\u{202f}'); // a narrow no-break space
        }
        out.push(c);
    }
    out
}

/// Writes (or checks) `summary.md` in `dir` from the lessons `drawn`, naming those `missing`.
pub fn write(dir: &Path, drawn: &[Drawn], missing: &[&str], check: bool) -> Result<()> {
    let mut machines: Vec<String> = Vec::new();
    let mut runs: Vec<String> = Vec::new();
    for lesson in drawn {
        let m = &lesson.machine;
        let quick = if lesson.quick { ", quick run" } else { "" };
        runs.push(format!("{}: commit {} on {}{quick}", lesson.name, m.commit, m.day()));
        let machine =
            format!("{}, {} cores, {} GiB, {}, {}", m.cpu, m.cores, m.memory_gib, m.os, m.rustc);
        if !machines.contains(&machine) {
            machines.push(machine);
        }
    }
    let mut md = super::markdown();
    section(&mut md, "summary", |md| {
        let _ = writeln!(md, "| bottleneck | job | straightforward | best here | gain |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- |");
        for r in drawn.iter().flat_map(|d| &d.rows) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                r.bottleneck, r.job, r.before, r.after, r.gain
            );
        }
        let _ = writeln!(
            md,
            "\n*Measured by `cargo xtask bench` on {} ({}).*",
            machines.join("; and on "),
            runs.join("; ")
        );
        if !missing.is_empty() {
            let _ = writeln!(md, "\n*Not measured yet on this checkout: {}.*", missing.join(", "));
        }
    });
    super::write(dir, &Figures { lesson: "summary", markdown: md, plots: Vec::new() }, check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_rounded_to_two_figures_with_spaced_thousands() {
        assert_eq!(rounded(63_394.0), "63\u{202f}000");
        assert_eq!(rounded(6532.4), "6\u{202f}500");
        assert_eq!(rounded(10_000.0), "10\u{202f}000");
        assert_eq!(rounded(99.6), "100");
    }
}
