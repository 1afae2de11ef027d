//! `cargo xtask exercise verify`: proof that no exercise can be passed without doing it, run by
//! the test command on fresh copies (never on the learner's files).
//!
//! For every exercise, in a scratch workspace under `target/`:
//! 1. as shipped, its tests fail, and fail at its `todo!()`;
//! 2. with the lesson's own bodies spliced in, they pass;
//! 3. every mutant fails: the body replaced by a call to each rung of the lesson's ladder (which
//!    `does_the_work_itself` refuses: its own check is run on the mutant's source), and by a
//!    constant (compiled and tested: the lesson's checks must catch it);
//! 4. its hints are not empty, and its book section exists.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use ladder::exercise::{Exercise, uses_only};

use super::template::{Body, Crate, arguments, derive, package, solution, write};
use super::{all, folder};
use crate::shell::{cargo, root, target_dir};

/// Each exercise's verdicts, one line each, then whether all held.
pub fn run() -> Result<()> {
    let scratch = target_dir()?.join("exercise-verify");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    let exercises = all();
    let members: String = exercises.iter().map(|e| format!("\"{}\", ", e.name)).collect();
    let manifest =
        format!("[workspace]\nresolver = \"3\"\nmembers = [{members}]\n\n{}", super::PROFILE);
    fs::write(scratch.join("Cargo.toml"), manifest)?;
    fs::copy(folder().join("Cargo.lock"), scratch.join("Cargo.lock"))
        .context("exercises/Cargo.lock is missing: run `cargo xtask exercise generate`")?;
    let up = root().display().to_string();
    // Every member as shipped first: cargo loads the whole workspace.
    for exercise in &exercises {
        write(&scratch_copy(&derive(exercise, &Body::Todo, &up)?), &scratch.join(exercise.name))?;
    }
    let mut problems = Vec::new();
    let count = exercises.len();
    let all_start = Instant::now();
    for exercise in exercises {
        let start = Instant::now();
        match one(exercise, &scratch, &up) {
            Ok(verdict) => println!("{} ({:.0} s)", verdict, start.elapsed().as_secs_f64()),
            Err(e) => {
                println!("✗ {}: {e:#}", exercise.name);
                problems.push(exercise.name);
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "exercises that can be passed without doing them, or fail their solution: {}",
            problems.join(", ")
        );
    }
    println!("{count} exercises verified in {:.0} s", all_start.elapsed().as_secs_f64());
    Ok(())
}

/// How long one variant's build and tests may take: a mutant that never ends is stopped, and
/// counts as caught.
const LIMIT: Duration = Duration::from_secs(300);

/// `cargo test` of `exercise`'s package in the scratch workspace, as `krate`: whether it passed,
/// and its output.
fn test(exercise: &Exercise, krate: &Crate, scratch: &Path) -> Result<(bool, String)> {
    write(&scratch_copy(krate), &scratch.join(exercise.name))?;
    let mut child = cargo()
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target_dir()?)
        .env("RUST_BACKTRACE", "0")
        .args(["test", "--quiet", "--no-fail-fast", "--package", &scratch_package(exercise)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run cargo")?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > LIMIT {
            // cargo's child, the test binary, would keep the pipes open: stop it too.
            let _ = Command::new("pkill").arg("-P").arg(child.id().to_string()).status();
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = out.join().unwrap_or_default() + &err.join().unwrap_or_default();
    match status {
        Some(status) => Ok((status.success(), text)),
        None => Ok((false, format!("{text}\n---- timed-out after {} s", LIMIT.as_secs()))),
    }
}

/// The constant mutants: each replaces a hole's body where it has the function's type (a value,
/// a `Result`, an array of arrays whose length is generic).
const CONSTANTS: [&str; 3] = [
    "Default::default()",
    "Ok(Default::default())",
    "std::array::from_fn(|_| std::array::from_fn(|_| Default::default()))",
];

/// The scratch workspace's name for `exercise`'s package: not the learner's, so that the two,
/// built in one target folder, never take each other's place.
fn scratch_package(exercise: &Exercise) -> String {
    format!("verify-{}", package(exercise))
}

/// `krate` as the scratch workspace holds it: the same library, under the scratch's package name.
fn scratch_copy(krate: &Crate) -> Crate {
    Crate {
        manifest: krate.manifest.replacen("name = \"exercise-", "name = \"verify-exercise-", 1),
        lib: krate.lib.clone(),
        tests: krate.tests.clone(),
        allowed: krate.allowed.clone(),
    }
}

/// The tests that failed, from cargo's output.
fn failed(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("---- ")?.split(' ').next().map(String::from))
        .collect()
}

fn one(exercise: &Exercise, scratch: &Path, up: &str) -> Result<String> {
    ensure!(
        !exercise.hints.is_empty() && exercise.hints.iter().all(|h| !h.trim().is_empty()),
        "a hint is empty"
    );
    section_exists(exercise.section)?;

    let shipped = derive(exercise, &Body::Todo, up)?;
    let (passed, text) = test(exercise, &shipped, scratch)?;
    ensure!(!passed, "passes as shipped, before anything is written");
    let marker = format!("not yet implemented: {}:", exercise.name);
    ensure!(text.contains(&marker), "fails as shipped, but not at its todo!():\n{text}");

    let solved = derive(exercise, &Body::Solution, up)?;
    let (passed, text) = test(exercise, &solved, scratch)?;
    ensure!(passed, "fails with the lesson's own code spliced in:\n{text}");

    let tested = *exercise.holes.first().context("no hole")?;
    let args = arguments(&solution(exercise)?, super::template::function(tested))?.join(", ");
    let lesson = super::template::Lesson::of(exercise)?;
    let (module, names) = exercise.ladder;
    let mut refused = 0;
    for name in names() {
        let call = format!("({module}::{}.run)({args})", name.to_uppercase().replace('-', "_"));
        let mutant =
            derive(exercise, &Body::Mutant { hole: tested, expression: call.clone() }, up)?;
        ensure!(
            uses_only(&mutant.lib, &lesson.lib, &as_str(&mutant.allowed)).is_err(),
            "`{call}` is not refused by does_the_work_itself"
        );
        refused += 1;
    }
    let mut caught = Vec::new();
    for &hole in exercise.holes {
        let mut typed = false;
        for constant in CONSTANTS {
            let body = Body::Mutant { hole, expression: constant.into() };
            let (passed, text) = test(exercise, &derive(exercise, &body, up)?, scratch)?;
            if text.contains("error[E0308]") || text.contains("error[E0277]") {
                continue; // not of the function's type: not a mutant of it
            }
            typed = true;
            ensure!(!passed, "passes with the body of `{hole}` replaced by `{constant}`");
            caught
                .push(format!("`{hole}` as `{constant}` (caught by {})", failed(&text).join(", ")));
        }
        ensure!(typed, "no constant mutant of `{hole}` has its type");
    }
    Ok(format!(
        "✓ {}: fails at its todo!() as shipped, passes with the lesson's code; mutants: {refused} \
         calls to a rung refused by does_the_work_itself, {} constant {}",
        exercise.name,
        caught.len(),
        caught.join(", ")
    ))
}

fn as_str(paths: &[String]) -> Vec<&str> {
    paths.iter().map(String::as_str).collect()
}

/// Checks that `section` (`memory.md#rung-2-chunks`) is a chapter with that heading.
fn section_exists(section: &str) -> Result<()> {
    let (file, anchor) = section.split_once('#').context("a section is `chapter.md#heading`")?;
    let text = fs::read_to_string(root().join("book/src").join(file))
        .with_context(|| format!("no chapter {file}"))?;
    let found = text.lines().filter_map(|l| l.strip_prefix('#')).any(|heading| {
        let title = heading.trim_start_matches('#').trim();
        slug(title) == anchor
    });
    ensure!(found, "{file} has no heading whose link is #{anchor}");
    Ok(())
}

/// The link mdBook gives a heading: lower case, spaces as `-`, other punctuation dropped.
pub fn slug(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
            ' ' | '-' => Some('-'),
            '_' => Some('_'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_link_as_mdbook_links_them() {
        assert_eq!(slug("Rung 2: chunks"), "rung-2-chunks");
        assert_eq!(
            slug("Rung 5: eight digits at a time (a prediction that failed)"),
            "rung-5-eight-digits-at-a-time-a-prediction-that-failed"
        );
    }
}
