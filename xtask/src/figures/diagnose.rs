//! The diagnosis chapter's table: every probe, what it does, the verdict it must get, the
//! verdict the tool gave, and the rule that decided.

use std::fmt::Write as _;

use anyhow::Result;
use lesson_diagnose::report::Report;

use super::summary::Row;
use super::{Figures, mark, measured_on, section};

/// The tables.
pub fn figures(r: &Report) -> Result<Figures> {
    let mut plots = Vec::new();
    if let Some(f) = &r.flame {
        let title = format!("the {} lesson's `{}` rung on {}", f.lesson, f.rung, f.job);
        plots.push((
            "diagnose-flame.svg".into(),
            lesson_diagnose::profile::draw(&f.folded, &title)?,
        ));
    }
    Ok(Figures { lesson: lesson_diagnose::cli::LESSON, markdown: markdown(r), plots })
}

fn markdown(r: &Report) -> String {
    let mut md = super::markdown();
    section(&mut md, "probes", |md| {
        let _ = writeln!(md, "| probe | what it does | must be | the tool says | | because |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- |");
        for p in &r.probes {
            let v = &p.diagnosis.verdict;
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                p.name,
                p.does,
                p.expected.name(),
                v.bound.name(),
                mark(v.bound == p.expected),
                v.rule
            );
        }
        let notes: Vec<String> = r
            .probes
            .iter()
            .flat_map(|p| p.diagnosis.verdict.notes.iter().map(move |n| format!("{}: {n}", p.name)))
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(md, "\nNotes the tool added:\n");
            for note in notes {
                let _ = writeln!(md, "- {note}");
            }
        }
        let _ = writeln!(md);
        measured_on(md, &r.machine, r.quick);
        if let Some(p) = r.probes.first() {
            let _ = writeln!(md, "\nDecided from {}.", p.diagnosis.tier);
        }
    });
    section(&mut md, "additions", |md| {
        let _ = writeln!(md, "| language | instructions per addition | time per addition |");
        let _ = writeln!(md, "| --- | ---: | ---: |");
        for c in &r.additions {
            let _ = writeln!(
                md,
                "| {} | {:.1} | {:.2} ns |",
                c.language, c.instructions, c.nanoseconds
            );
        }
        if let [rust, python, ..] = r.additions.as_slice() {
            let _ = writeln!(
                md,
                "\nOne addition costs {:.0} times the instructions in {} that it costs in Rust, and \
                 {:.0} times the time.",
                python.instructions / rust.instructions,
                python.language,
                python.nanoseconds / rust.nanoseconds
            );
        }
        let _ = writeln!(
            md,
            "\nInstructions counted by cachegrind, time by the clock (the best of three runs), \
             each as the difference between two sizes of the loop over the difference in \
             additions, so that starting the program cancels out."
        );
        let _ = writeln!(md);
        measured_on(md, &r.machine, r.quick);
    });
    section(&mut md, "rungs", |md| {
        let _ = writeln!(md, "| lesson | job | rung | the tool says | because | remedy |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- |");
        for r in &r.rungs {
            let v = &r.diagnosis.verdict;
            let _ = writeln!(
                md,
                "| {} | {} | `{}` | {} | {} | [{}]({}) |",
                r.lesson,
                r.job,
                r.rung,
                v.bound.name(),
                v.rule,
                v.chapter.trim_end_matches(".md"),
                v.chapter
            );
        }
        let busy: Vec<String> = r
            .rungs
            .iter()
            .filter(|r| r.diagnosis.verdict.notes.iter().any(|n| n.contains("busy with other")))
            .map(|r| format!("`{}` ({})", r.rung, r.lesson))
            .collect();
        if !busy.is_empty() {
            let _ = writeln!(
                md,
                "\nThe machine was busy with other work during {}: their figures are the \
                 competition's as much as their own.",
                busy.join(", ")
            );
        }
        let _ = writeln!(md);
        measured_on(md, &r.machine, r.quick);
    });
    md
}

/// The closing table's row: how many probes the tool judged right.
pub fn summary(r: &Report) -> Result<Vec<Row>> {
    let right = r.probes.iter().filter(|p| p.diagnosis.verdict.bound == p.expected).count();
    Ok(vec![Row {
        bottleneck: "(finding it)",
        job: format!("the diagnosis tool on {} programs of known bottleneck", r.probes.len()),
        before: "–".into(),
        after: format!("{right} of {} verdicts right", r.probes.len()),
        gain: "–".into(),
    }])
}
