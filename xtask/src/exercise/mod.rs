//! `cargo xtask exercise`: the exercise crates under `exercises/`, derived from the lessons'
//! anchored code, and the learner's workflow over them (in the manner of rustlings).
//!
//! - `list`: every exercise, its status and the next one;
//! - `check NAME`: the lesson's checks on the learner's version, explained;
//! - `hint NAME`: the next hint, then the chapter;
//! - `solution NAME`: the lesson's own code, once the checks pass;
//! - `reset NAME`: the exercise as shipped, the learner's version kept in `exercises/.backup/`;
//! - `watch`: the check again on every save (or, with `--manual`, on Enter);
//! - `generate [--check]`: the crates from the lessons' registries (CI checks they are current);
//! - `verify`: every exercise fails as shipped, passes with the solution, and fails with every
//!   mutant ([`verify`]).

mod progress;
mod template;
mod verify;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use ladder::exercise::Exercise;

use crate::flags::ExerciseCommand;
use crate::lessons::LESSONS;
use crate::shell::{cargo, root};
use progress::Progress;
use template::{Body, derive, package, solution};

/// The exercises' build profile: optimised, your code and the lessons' alike, so that the
/// lessons' checks run quickly and an instruction count means what the lesson's does.
pub const PROFILE: &str = "# Optimised, your code and the lessons' alike: the checks run quickly, and counting a\n\
                           # loop's instructions measures the loop the compiler makes of it.\n\
                           [profile.dev]\nopt-level = 2\n";

/// Where the exercise crates live.
pub fn folder() -> PathBuf {
    root().join("exercises")
}

/// Every exercise of every lesson, in the book's order.
pub fn all() -> Vec<&'static Exercise> {
    LESSONS.iter().flat_map(|l| l.exercises.iter()).collect()
}

/// The exercise called `name`, or an error listing them.
fn find(name: &str) -> Result<&'static Exercise> {
    all().into_iter().find(|e| e.name == name).with_context(|| {
        let names: Vec<&str> = all().iter().map(|e| e.name).collect();
        format!("no exercise `{name}`; they are {}", names.join(", "))
    })
}

/// `cargo xtask exercise …`.
pub fn run(command: &ExerciseCommand) -> Result<()> {
    match command {
        ExerciseCommand::List => list(),
        ExerciseCommand::Check { name } => match check(find(name)?)? {
            true => Ok(()),
            false => bail!("{name} does not pass the lesson's checks yet"),
        },
        ExerciseCommand::Hint { name } => hint(find(name)?),
        ExerciseCommand::Solution { name } => show_solution(find(name)?),
        ExerciseCommand::Reset { name } => reset(find(name)?),
        ExerciseCommand::Watch { name, manual } => watch(name.as_deref(), *manual),
        ExerciseCommand::Generate { check, force } => generate(*check, *force),
        ExerciseCommand::Verify => verify(),
    }
}

/// `cargo xtask exercise verify`: no exercise passes without its work (see [`verify`]).
pub fn verify() -> Result<()> {
    verify::run()
}

/// The chapters' sections on their exercises, one anchored section per lesson, from the
/// registries: what to write, what to predict first, the command that checks it, and how long
/// it takes.
fn chapter_sections() -> Result<String> {
    use std::fmt::Write as _;
    let mut md = String::from(
        "<!-- Written by `cargo xtask exercise generate` from the lessons' exercises; do not edit. -->\n\n",
    );
    for lesson in LESSONS {
        crate::figures::section(&mut md, lesson.name, |md| {
            if lesson.exercises.is_empty() {
                let _ = writeln!(md, "*This lesson has no exercises yet.*");
                return;
            }
            for e in lesson.exercises {
                let _ = writeln!(
                    md,
                    "**`{}`** (about {} minutes): write the `{}` rung in `exercises/{}/src/lib.rs`. {}\n",
                    e.name, e.minutes, e.rung, e.name, e.todo
                );
                let _ = writeln!(md, "- *Predict first:* {}", e.prediction);
                let _ = writeln!(md, "- *Check it:* `cargo xtask exercise check {}`\n", e.name);
            }
        });
        // One sentence for the chapter's opening lines: how long its exercises take.
        crate::figures::section(&mut md, &format!("{}-budget", lesson.name), |md| {
            let minutes: u32 = lesson.exercises.iter().map(|e| e.minutes).sum();
            let _ = match lesson.exercises.len() {
                0 => writeln!(md, "It has no exercises yet."),
                1 => writeln!(md, "Its exercise takes about {minutes} minutes."),
                n => writeln!(md, "Its {} exercises take about {minutes} minutes.", count(n)),
            };
        });
    }
    Ok(md)
}

/// `n` as a word, for the small numbers a sentence spells out.
fn count(n: usize) -> String {
    const WORDS: [&str; 11] =
        ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    WORDS.get(n).map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// The first exercise not done yet.
fn next(progress: &Progress) -> Option<&'static Exercise> {
    all().into_iter().find(|e| !progress.done.contains(e.name))
}

fn list() -> Result<()> {
    let progress = Progress::load();
    let next = next(&progress).map(|e| e.name);
    println!("{:<24} {:<10} {:<16} {:>7}  status", "exercise", "lesson", "rung", "minutes");
    for e in all() {
        let lesson = template::Lesson::of(e)?.dir.trim_start_matches("crates/").to_string();
        let status = if progress.done.contains(e.name) { "done" } else { "todo" };
        let marker = if Some(e.name) == next { "   ← next" } else { "" };
        println!("{:<24} {lesson:<10} {:<16} {:>7}  {status}{marker}", e.name, e.rung, e.minutes);
    }
    let total = all().len();
    println!(
        "\n{}/{total} done.",
        progress.done.iter().filter(|d| all().iter().any(|e| e.name == *d)).count()
    );
    match next {
        Some(name) => println!(
            "Next: write exercises/{name}/src/lib.rs, then `cargo xtask exercise check {name}` \
             (`cargo xtask exercise watch` checks on every save)."
        ),
        None => println!("Every exercise passes the lesson's checks."),
    }
    Ok(())
}

/// Runs the lesson's checks on the learner's version of `exercise`; true if they pass.
fn check(exercise: &Exercise) -> Result<bool> {
    let dir = folder().join(exercise.name);
    if !dir.join("src/lib.rs").exists() {
        bail!("{} is missing: `cargo xtask exercise generate` makes it", dir.display());
    }
    eprintln!("checking {} (`cargo test` in exercises/{})", exercise.name, exercise.name);
    let out = cargo()
        .current_dir(folder())
        .env("RUST_BACKTRACE", "0") // the checks' messages say what is wrong; a backtrace does not
        .args(["test", "--quiet", "--package", &package(exercise)])
        .output()
        .context("cannot run cargo")?;
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let mut progress = Progress::load();
    if out.status.success() {
        progress.done.insert(exercise.name.to_string());
        progress.save()?;
        println!(
            "✓ {} passes every check the lesson's own `{}` rung passes.",
            exercise.name, exercise.rung
        );
        println!(
            "  See the lesson's version with `cargo xtask exercise solution {}`.",
            exercise.name
        );
        if let Some(next) = next(&progress) {
            println!("  Next: {} (`cargo xtask exercise check {}`).", next.name, next.name);
        }
        return Ok(true);
    }
    progress.done.remove(exercise.name);
    progress.save()?;
    if text.contains(&format!("not yet implemented: {}:", exercise.name)) {
        println!(
            "✗ {} is not written yet: replace the `todo!()` in exercises/{}/src/lib.rs.\n  {}\n  \
             Stuck? `cargo xtask exercise hint {}`.",
            exercise.name, exercise.name, exercise.todo, exercise.name
        );
    } else {
        print!("{}", failures(&text));
        println!(
            "✗ {} does not pass yet: the lesson's checks above say what differs. Stuck? `cargo \
             xtask exercise hint {}`.",
            exercise.name, exercise.name
        );
    }
    Ok(false)
}

/// The parts of cargo's output a learner needs: compiler errors, or each failing test's message.
fn failures(text: &str) -> String {
    if text.contains("error[") || text.contains("error: could not compile") {
        return text.to_string();
    }
    let mut out = String::new();
    let mut keep = false;
    for line in text.lines() {
        if line.starts_with("---- ") {
            keep = true;
        } else if line.starts_with("failures:") || line.starts_with("test result:") {
            keep = false;
        }
        if keep && !line.starts_with("note: run with `RUST_BACKTRACE") {
            out.push_str(line);
            out.push('\n');
        }
    }
    if out.is_empty() { text.to_string() } else { out }
}

fn hint(exercise: &Exercise) -> Result<()> {
    let mut progress = Progress::load();
    let given = progress.hints.entry(exercise.name.to_string()).or_default();
    match exercise.hints.get(*given) {
        Some(hint) => {
            *given += 1;
            println!("Hint {}/{} for {}: {hint}", *given, exercise.hints.len(), exercise.name);
            if *given < exercise.hints.len() {
                println!("(`cargo xtask exercise hint {}` again for the next one)", exercise.name);
            }
        }
        None => println!(
            "That was every hint. The chapter teaches this rung: book/src/{} (`cargo xtask book \
             --serve` shows it). Once it passes, `cargo xtask exercise solution {}` shows the lesson's \
             code.",
            exercise.section, exercise.name
        ),
    }
    progress.save()
}

fn show_solution(exercise: &Exercise) -> Result<()> {
    if !Progress::load().done.contains(exercise.name) {
        bail!(
            "{0} has not passed its checks yet: the lesson's code is shown once it does (`cargo \
             xtask exercise check {0}`; stuck: `cargo xtask exercise hint {0}`)",
            exercise.name
        );
    }
    println!(
        "The lesson's own code, from {} (the book shows it in {}):\n",
        exercise.file, exercise.section
    );
    print!("{}", solution(exercise)?);
    Ok(())
}

/// Copies the learner's version of `exercise` into `exercises/.backup/`, if it differs from the
/// template; returns where.
fn back_up(exercise: &Exercise, template: &str) -> Result<Option<PathBuf>> {
    let lib = folder().join(exercise.name).join("src/lib.rs");
    let Ok(mine) = fs::read_to_string(&lib) else { return Ok(None) };
    if mine == template {
        return Ok(None);
    }
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let backup = folder().join(".backup").join(format!("{}-{stamp}.rs", exercise.name));
    fs::create_dir_all(backup.parent().context("a folder")?)?;
    fs::copy(&lib, &backup)?;
    Ok(Some(backup))
}

fn reset(exercise: &Exercise) -> Result<()> {
    let krate = derive(exercise, &Body::Todo, "../..")?;
    if let Some(backup) = back_up(exercise, &krate.lib)? {
        println!(
            "your version is kept in {}",
            backup.strip_prefix(root()).unwrap_or(&backup).display()
        );
    }
    template::write(&krate, &folder().join(exercise.name))?;
    let mut progress = Progress::load();
    progress.done.remove(exercise.name);
    progress.hints.remove(exercise.name);
    progress.save()?;
    println!("{} is back to its start: exercises/{}/src/lib.rs", exercise.name, exercise.name);
    Ok(())
}

fn watch(name: Option<&str>, manual: bool) -> Result<()> {
    loop {
        let exercise = match name {
            Some(name) => find(name)?,
            None => match next(&Progress::load()) {
                Some(e) => e,
                None => {
                    println!("Every exercise passes the lesson's checks.");
                    return Ok(());
                }
            },
        };
        let passed = check(exercise)?;
        if passed && name.is_some() {
            return Ok(());
        }
        if passed {
            continue;
        }
        let lib = folder().join(exercise.name).join("src/lib.rs");
        if manual {
            println!("\nEdit {} and press Enter to check again (Ctrl-C to stop).", lib.display());
            let mut line = String::new();
            if std::io::stdin().read_line(&mut line)? == 0 {
                return Ok(());
            }
        } else {
            println!(
                "\nWatching {} for changes (Ctrl-C to stop; --manual where saves are not seen).",
                lib.display()
            );
            wait_for_change(&lib)?;
        }
    }
}

/// Returns when `path` is modified: its modification time is polled twice a second, which works
/// wherever files do (network drives and WSL included, where change notifications may not).
fn wait_for_change(path: &Path) -> Result<()> {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let before = modified(path);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        if modified(path) != before {
            return Ok(());
        }
    }
}

/// The exercises' workspace: its manifest, its configuration (the root's target folder, so the
/// lessons are built once), and each exercise's crate. The learner's `src/lib.rs` is written only
/// where it is missing, or with `force` (keeping a backup); with `check`, nothing is written and
/// every file that differs from what the lessons give is named.
fn generate(check: bool, force: bool) -> Result<()> {
    let exercises = all();
    let members: String = exercises.iter().map(|e| format!("    \"{}\",\n", e.name)).collect();
    let mut files: Vec<(PathBuf, String, bool)> = vec![
        (
            PathBuf::from("Cargo.toml"),
            format!(
                "# The exercise crates, generated by `cargo xtask exercise generate` from each lesson's\n\
                 # `exercises.rs`. Their own workspace, so that the root's tests stay green while they fail.\n\
                 [workspace]\nresolver = \"3\"\nmembers = [\n{members}]\n\n{PROFILE}"
            ),
            true,
        ),
        (
            PathBuf::from(".cargo/config.toml"),
            "# Build in the root's target folder: the lessons are compiled once, for both workspaces.\n\
             [build]\ntarget-dir = \"../target\"\n"
                .to_string(),
            true,
        ),
    ];
    for e in &exercises {
        let krate = derive(e, &Body::Todo, "../..")?;
        let dir = PathBuf::from(e.name);
        files.push((dir.join("Cargo.toml"), krate.manifest.clone(), true));
        for (name, text) in &krate.tests {
            files.push((dir.join("tests").join(name), text.clone(), true));
        }
        let lib = dir.join("src/lib.rs");
        let ours = check || force || !folder().join(&lib).exists();
        if force && !check {
            back_up(e, &krate.lib)?;
        }
        files.push((lib, krate.lib.clone(), ours));
    }
    files.push((root().join("book/src/generated/exercises.md"), chapter_sections()?, true));
    let mut stale = Vec::new();
    for (path, text, ours) in files.iter().filter(|f| f.2) {
        let full = folder().join(path);
        if fs::read_to_string(&full).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else if *ours {
            fs::create_dir_all(full.parent().context("a folder")?)?;
            crate::figures::ensure_file(&full, text)?;
        }
    }
    if check && !stale.is_empty() {
        bail!(
            "exercises/ differs from what the lessons give ({}): run `cargo xtask exercise \
             generate --force` and commit the result",
            stale.join(", ")
        );
    }
    // The lockfile: the root's versions, trimmed by cargo to what the exercises use.
    let lock = folder().join("Cargo.lock");
    if !check && !lock.exists() {
        fs::copy(root().join("Cargo.lock"), &lock)?;
    }
    let mut metadata = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    metadata.current_dir(folder()).args(["metadata", "--format-version", "1", "--offline"]);
    if check {
        metadata.arg("--locked");
    }
    let out = metadata.output().context("cannot run cargo metadata")?;
    if !out.status.success() {
        bail!(
            "exercises/Cargo.lock is not what the root's lockfile gives: run `cargo xtask exercise \
             generate` ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    if check {
        println!("exercises/ is what the lessons give ({} exercises)", exercises.len());
    } else {
        eprintln!("the exercises are generated in {}", folder().display());
    }
    Ok(())
}
