//! The one list of lessons: `bench`, `figures`, the closing table and the tidy tests all
//! iterate over [`LESSONS`]. Adding a lesson is one line here and one entry in the list, its
//! two modules (`measure/` to run its benchmarks and write its record, `figures/` to draw the
//! record), and one workspace member.

use std::path::Path;

use anyhow::{Context, Result};
use ladder::Machine;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::figures::{Figures, summary::Row};
use crate::measure::Run;

/// What xtask needs of a lesson.
pub trait Lesson {
    /// Its name: the record is `{NAME}.json`, the tables `{NAME}.md`.
    const NAME: &'static str;
    /// Its exercises (the lesson crate's `exercises::EXERCISES`).
    const EXERCISES: &'static [ladder::exercise::Exercise];
    /// The record of one measured run (the lesson crate's `report::Report`).
    type Report: Serialize + DeserializeOwned;
    /// Measures everything the lesson's figures need.
    fn measure(run: &Run) -> Result<Self::Report>;
    /// Draws the tables and plots from a record.
    fn figures(report: &Self::Report) -> Result<Figures>;
    /// The lesson's rows of the closing chapter's table.
    fn summary(report: &Self::Report) -> Result<Vec<Row>>;
    /// Where and when the record was measured, and whether it was a quick run.
    fn measured(report: &Self::Report) -> (&Machine, bool);
}

/// A lesson's record drawn: its figures, its rows of the closing table, and its run.
pub struct Drawn {
    /// The lesson.
    pub name: &'static str,
    /// Its tables and plots.
    pub figures: Figures,
    /// Its rows of the closing table.
    pub rows: Vec<Row>,
    /// Where and when its record was measured.
    pub machine: Machine,
    /// Whether that was a quick run.
    pub quick: bool,
}

/// One lesson, its types erased so that every lesson fits one list.
pub struct Entry {
    /// The lesson's name.
    pub name: &'static str,
    /// Its exercises.
    pub exercises: &'static [ladder::exercise::Exercise],
    /// Measures the lesson and returns its record, as JSON.
    pub measure: fn(&Run) -> Result<String>,
    /// Draws the lesson from its record's JSON (read from `path`).
    pub draw: fn(&str, &Path) -> Result<Drawn>,
}

impl Entry {
    const fn of<L: Lesson>() -> Entry {
        Entry { name: L::NAME, exercises: L::EXERCISES, measure: measure::<L>, draw: draw::<L> }
    }
}

fn measure<L: Lesson>(run: &Run) -> Result<String> {
    record(&L::measure(run)?)
}

/// A lesson's record as a file holds it: its JSON, pretty, with a final newline.
pub fn record(report: &impl serde::Serialize) -> Result<String> {
    Ok(serde_json::to_string_pretty(report)? + "\n")
}

fn draw<L: Lesson>(json: &str, path: &Path) -> Result<Drawn> {
    let report: L::Report = serde_json::from_str(json)
        .with_context(|| format!("{} is not a {} record", path.display(), L::NAME))?;
    let canonical = record(&report)?;
    anyhow::ensure!(
        canonical == json,
        "{} is not exactly what a measured run writes (edited by hand, or from an older \
         layout): measure it again with `cargo xtask bench --lesson {}`",
        path.display(),
        L::NAME
    );
    let figures = L::figures(&report).with_context(|| format!("drawing {}", path.display()))?;
    let rows = L::summary(&report).with_context(|| format!("summarising {}", path.display()))?;
    let (machine, quick) = L::measured(&report);
    Ok(Drawn { name: L::NAME, figures, rows, machine: machine.clone(), quick })
}

/// A lesson whose crate has the usual `cli::LESSON` and `report::Report`, and whose xtask
/// modules are `measure::$module` (`measure`) and `figures::$module` (`figures`, `summary`).
macro_rules! lesson {
    ($lesson:ident, $krate:ident, $module:ident, $exercises:expr) => {
        #[doc = concat!("The `", stringify!($module), "` lesson.")]
        pub struct $lesson;

        impl Lesson for $lesson {
            const NAME: &'static str = $krate::cli::LESSON;
            const EXERCISES: &'static [ladder::exercise::Exercise] = $exercises;
            type Report = $krate::report::Report;

            fn measure(run: &Run) -> Result<Self::Report> {
                crate::measure::$module::measure(run)
            }

            fn figures(report: &Self::Report) -> Result<Figures> {
                crate::figures::$module::figures(report)
            }

            fn summary(report: &Self::Report) -> Result<Vec<Row>> {
                crate::figures::$module::summary(report)
            }

            fn measured(report: &Self::Report) -> (&Machine, bool) {
                (&report.machine, report.quick)
            }
        }
    };
}

lesson!(Diagnose, lesson_diagnose, diagnose, lesson_diagnose::exercises::EXERCISES);
lesson!(Memory, lesson_memory, memory, lesson_memory::exercises::EXERCISES);
lesson!(Compute, lesson_compute, compute, lesson_compute::exercises::EXERCISES);
lesson!(Vectorize, lesson_vectorize, vectorize, lesson_vectorize::exercises::EXERCISES);
lesson!(Io, lesson_io, io, lesson_io::exercises::EXERCISES);
lesson!(Accelerate, lesson_gpu, gpu, &[]);

/// Every lesson with figures, in the book's order.
pub const LESSONS: &[Entry] = &[
    Entry::of::<Diagnose>(),
    Entry::of::<Memory>(),
    Entry::of::<Compute>(),
    Entry::of::<Vectorize>(),
    Entry::of::<Accelerate>(),
    Entry::of::<Io>(),
];

/// A lesson's name from the command line.
pub fn parse(name: &str) -> Result<&'static str, String> {
    LESSONS.iter().map(|l| l.name).find(|l| *l == name).ok_or_else(|| {
        let names: Vec<&str> = LESSONS.iter().map(|l| l.name).collect();
        format!("no lesson `{name}`; the lessons are {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every committed record draws, and gives its rows of the closing table.
    #[test]
    fn every_committed_record_gives_its_rows() {
        let dir = crate::figures::reference_dir();
        for lesson in LESSONS {
            let path = dir.join(format!("{}.json", lesson.name));
            let json = std::fs::read_to_string(&path).expect("the reference records are committed");
            let drawn = (lesson.draw)(&json, &path).unwrap_or_else(|e| panic!("{e:#}"));
            assert!(!drawn.rows.is_empty(), "{}: no rows", lesson.name);
            for r in drawn.rows {
                assert!(!r.before.is_empty() && !r.after.is_empty() && !r.gain.is_empty());
            }
        }
    }

    #[test]
    fn lessons_are_named_once_and_found_by_name() {
        for (i, lesson) in LESSONS.iter().enumerate() {
            assert!(LESSONS[..i].iter().all(|l| l.name != lesson.name));
            assert_eq!(parse(lesson.name), Ok(lesson.name));
        }
        assert!(parse("gpu-someday").is_err());
    }
}
