//! `cargo xtask figures`: every table and plot of the book, drawn from the records alone.
//!
//! A lesson's record (`{lesson}.json`, written by `cargo xtask bench`) holds everything its
//! figures show, so they can be redrawn in seconds, without measuring anything: after rewording
//! a table, or to check that the committed figures are what their records give (`--check`, part
//! of `cargo xtask test`, in the manner of rust-analyzer's `ensure_file_contents`).
//!
//! The tables of a lesson go into one `{lesson}.md` whose sections are mdBook anchors
//! (`<!-- ANCHOR: ladder -->`), so a chapter includes each table where its text needs it; the
//! plots are SVG files beside it.

pub mod compute;
pub mod diagnose;
pub mod gpu;
pub mod io;
pub mod memory;
pub mod plot;
pub mod summary;
pub mod vectorize;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use ladder::Machine;

use crate::lessons::{Drawn, LESSONS};
use crate::shell::root;

/// Where the book's reference records and figures live.
pub fn reference_dir() -> PathBuf {
    root().join("book/src/generated")
}

/// A lesson's tables (one Markdown file of anchored sections) and plots (SVG files).
pub struct Figures {
    /// The lesson: the tables are `{lesson}.md`.
    pub lesson: &'static str,
    /// The tables.
    pub markdown: String,
    /// Each plot's file name and SVG.
    pub plots: Vec<(String, String)>,
}

impl Figures {
    /// Every file, named, with its contents.
    fn files(&self) -> impl Iterator<Item = (String, &str)> {
        let tables = (format!("{}.md", self.lesson), self.markdown.as_str());
        std::iter::once(tables)
            .chain(self.plots.iter().map(|(name, svg)| (name.clone(), svg.as_str())))
    }
}

/// Writes `figures` into `dir`, each file atomically; with `check`, changes nothing and fails
/// naming the files that differ from what is there.
pub fn write(dir: &Path, figures: &Figures, check: bool) -> Result<()> {
    let stale: Vec<String> = figures
        .files()
        .filter(|(name, contents)| {
            fs::read_to_string(dir.join(name)).ok().as_deref() != Some(*contents)
        })
        .map(|(name, _)| name)
        .collect();
    if check {
        return match stale.as_slice() {
            [] => Ok(()),
            names => bail!(
                "in {}, {} differ from what the records give: run `cargo xtask figures` and commit \
                 the result",
                dir.display(),
                names.join(", ")
            ),
        };
    }
    for (name, contents) in figures.files().filter(|(name, _)| stale.contains(name)) {
        ensure_file(&dir.join(name), contents)?;
    }
    Ok(())
}

/// Writes `contents` to `path` atomically.
pub fn ensure_file(path: &Path, contents: &str) -> Result<()> {
    ladder::fs::write_atomically(path, |out| std::io::Write::write_all(out, contents.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Draws every record in `dir` and writes its figures and the closing table there, or (with
/// `check`) changes nothing and fails naming every file that differs. Returns the lessons drawn.
pub fn write_dir(dir: &Path, check: bool) -> Result<Vec<Drawn>> {
    let (mut drawn, mut missing, mut problems) = (Vec::new(), Vec::new(), Vec::new());
    for lesson in LESSONS {
        let path = dir.join(format!("{}.json", lesson.name));
        let Ok(json) = fs::read_to_string(&path) else {
            missing.push(lesson.name);
            continue;
        };
        let lesson = (lesson.draw)(&json, &path)?;
        if let Err(e) = write(dir, &lesson.figures, check) {
            problems.push(format!("{e:#}"));
        }
        drawn.push(lesson);
    }
    let scale = dir.join(compute::SCALE_RECORD);
    if let Ok(json) = fs::read_to_string(&scale) {
        let run = serde_json::from_str(&json).with_context(|| scale.display().to_string())?;
        if let Err(e) = write(dir, &compute::scale_figures(&run), check) {
            problems.push(format!("{e:#}"));
        }
    }
    if let Err(e) = summary::write(dir, &drawn, &missing, check) {
        problems.push(format!("{e:#}"));
    }
    match problems.as_slice() {
        [] => Ok(drawn),
        _ => bail!("{}", problems.join("\n")),
    }
}

/// `cargo xtask figures`: the book's figures, redrawn from its records or (with `check`)
/// compared with them.
pub fn run(check: bool) -> Result<()> {
    let dir = reference_dir();
    let drawn = write_dir(&dir, check)?;
    let done = if check { "match their records" } else { "are redrawn from their records" };
    let names: Vec<&str> = drawn.iter().map(|d| d.name).collect();
    eprintln!("the figures of {} {done}", names.join(", "));
    Ok(())
}

/// The start of every lesson's tables: who wrote them.
pub fn markdown() -> String {
    String::from("<!-- Written by `cargo xtask bench`; do not edit. -->\n\n")
}

/// Appends `body` as the anchored section `anchor`.
pub fn section(out: &mut String, anchor: &str, body: impl FnOnce(&mut String)) {
    let _ = writeln!(out, "<!-- ANCHOR: {anchor} -->");
    body(out);
    let _ = writeln!(out, "<!-- ANCHOR_END: {anchor} -->\n");
}

/// The line naming the run, and the warning a quick run carries: the start of every lesson's
/// `machine` section.
pub fn measured_on(md: &mut String, machine: &Machine, quick: bool) {
    let flag = if quick { " --quick" } else { "" };
    let _ = writeln!(md, "*Measured by `cargo xtask bench{flag}` on {}.*", machine.caption());
}

/// The warning a quick run's tables carry, about `what`.
pub fn quick_warning(md: &mut String, quick: bool, what: &str) {
    if quick {
        let _ = writeln!(
            md,
            "\n**This is a quick run{what}: its figures only show that the pipeline works.**"
        );
    }
}

/// `✅ met` or `❌ missed`.
pub fn mark(ok: bool) -> &'static str {
    if ok { "✅ met" } else { "❌ missed" }
}

/// The distinct items, in first-seen order (the series of a plot, the sizes of a table).
pub fn dedup<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo xtask figures --check`: the committed tables and plots are exactly what their
    /// records give, so a table reworded without redrawing, or a record committed without its
    /// figures, fails the test command.
    #[test]
    fn the_committed_figures_are_what_their_records_give() {
        run(true).unwrap_or_else(|e| panic!("{e:#}"));
    }

    /// The width of the book's column, in CSS pixels: a wider figure is shown scaled down.
    const COLUMN: f64 = 750.0;

    /// The smallest text a reader may be asked to read, in pixels on the screen.
    const SMALLEST: f64 = 12.0;

    /// Every plot drawn from the committed records has no text smaller than [`SMALLEST`] once
    /// the book's column has scaled it.
    #[test]
    fn every_plot_s_text_is_at_least_twelve_pixels_in_the_book_s_column() {
        let number = |svg: &str, attribute: &str| -> Vec<f64> {
            svg.split(&format!("{attribute}=\""))
                .skip(1)
                .filter_map(|rest| rest.split('"').next()?.parse().ok())
                .collect()
        };
        let mut checked = 0;
        for lesson in LESSONS {
            let path = reference_dir().join(format!("{}.json", lesson.name));
            let json = fs::read_to_string(&path).expect("a committed record");
            let drawn = (lesson.draw)(&json, &path).expect("drawn");
            for (name, svg) in &drawn.figures.plots {
                let width = number(svg, "width").first().copied().expect("a width");
                let scale = (COLUMN / width).min(1.0);
                for size in number(svg, "font-size") {
                    assert!(
                        size * scale >= SMALLEST,
                        "{name}: text of {size:.1} px shows at {:.1} px",
                        size * scale
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 10, "{checked} plots");
    }

    #[test]
    fn dedup_keeps_first_seen_order() {
        assert_eq!(dedup(["b", "a", "b", "c", "a"].into_iter()), vec!["b", "a", "c"]);
    }
}
