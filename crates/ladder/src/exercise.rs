//! Exercises: a rung for the learner to write, derived from the lesson's own code.
//!
//! A lesson lists its exercises as [`Exercise`]s. `cargo xtask exercise` generates one crate per
//! exercise under `exercises/`: the lesson's anchored code with the body of each hole replaced by
//! a call to `todo!`, and tests that run the lesson's own kit on the learner's function. The solution is
//! the lesson's code itself, so the exercise cannot drift from the chapter that teaches it.
//!
//! Equal results are necessary, not enough: a body that calls one of the lesson's rungs would
//! pass them. So every exercise also runs [`uses_only`], which refuses any path into the lesson's
//! crate that the template does not import, and the lesson's kit checks a counted property
//! (heap, threads, requests in flight) that a wrong approach cannot meet.

/// One exercise.
#[derive(Debug)]
pub struct Exercise {
    /// Its name, `{lesson}-{what}`: the crate is `exercises/{name}`.
    pub name: &'static str,
    /// The rung whose teachable part it is.
    pub rung: &'static str,
    /// The lesson's source file that holds it, relative to the workspace.
    pub file: &'static str,
    /// The name of the mdBook anchor around the code, which the book shows too.
    pub anchor: &'static str,
    /// The functions in the anchor whose bodies the learner writes; the first is the one tested.
    pub holes: &'static [&'static str],
    /// Items of the file's own module that the code uses and the template imports (the file's
    /// `use` lines are imported too).
    pub uses: &'static [&'static str],
    /// Crates the template uses besides the lesson's and the standard library (`rayon`), at the
    /// versions the workspace uses.
    pub dependencies: &'static [&'static str],
    /// The module that holds the ladder's rungs as statics (`lesson_memory::ladder`), and the
    /// ladder's rung names: the mutants that replace the body by a call to another rung.
    pub ladder: (&'static str, fn() -> Vec<&'static str>),
    /// What to write, in one or two sentences: the comment above the hole's `todo!` call.
    pub todo: &'static str,
    /// What to predict before writing it, and check against the figures afterwards.
    pub prediction: &'static str,
    /// Hints, given one at a time, the last the nearest to the answer.
    pub hints: &'static [&'static str],
    /// About how long it takes, in minutes.
    pub minutes: u32,
    /// The book's section that teaches it: `memory.md#rung-2-a-fixed-number-of-rows-at-a-time`.
    pub section: &'static str,
    /// The lesson's checks it runs.
    pub tests: &'static [Test],
}

/// One of the lesson's checks, run on the learner's function.
#[derive(Clone, Copy, Debug)]
pub struct Test {
    /// The test's name, saying what it proves.
    pub name: &'static str,
    /// The kit function it calls, as a path: called with the exercise's name and the function.
    pub kit: &'static str,
    /// Lines the test's file needs first (a counting allocator, for heap checks).
    pub setup: &'static str,
    /// Whether it needs a test binary of its own: what it counts (heap, threads) is the whole
    /// process's, so no other test may run beside it.
    pub alone: bool,
}

impl Test {
    /// A check that runs beside the others.
    pub const fn new(name: &'static str, kit: &'static str) -> Test {
        Test { name, kit, setup: "", alone: false }
    }

    /// A check that counts something of the whole process, in a test binary of its own.
    pub const fn alone(name: &'static str, kit: &'static str, setup: &'static str) -> Test {
        Test { name, kit, setup, alone: true }
    }
}

/// Checks that `source` (an exercise's code) reaches into `krate` only through `allowed`, the
/// paths its template imports: a body that calls one of the lesson's rungs instead of doing the
/// work does not pass. Comments and strings are not code, so they may say anything.
pub fn uses_only(source: &str, krate: &str, allowed: &[&str]) -> Result<(), String> {
    let code = code_only(source);
    let prefix = format!("{krate}::");
    for (at, _) in code.match_indices(&prefix) {
        let path: String = code[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        if !allowed.contains(&path.as_str()) {
            return Err(format!(
                "the exercise uses `{path}`, which its template does not import: write the \
                 rung's work yourself, with what the template gives you ({})",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

/// `text` with its comments, strings and character literals blanked out, so that only code
/// remains (a lifetime such as `'a` is code). Every character is kept in place: a blanked one
/// becomes a space, a line end stays a line end, so positions in the result are positions in
/// `text`.
pub fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let end_of = |end: &str, from: usize| -> usize {
        let end: Vec<char> = end.chars().collect();
        (from..chars.len())
            .find(|&j| chars[j..].starts_with(&end))
            .map_or(chars.len(), |j| j + end.len())
    };
    let mut i = 0;
    while i < chars.len() {
        let end = match &chars[i..] {
            ['/', '/', ..] => (i..chars.len()).find(|&j| chars[j] == '\n').unwrap_or(chars.len()),
            ['/', '*', ..] => end_of("*/", i + 2),
            ['r', '#', '"', ..] => end_of("\"#", i + 3),
            ['"', ..] => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                (j + 1).min(chars.len())
            }
            ['\'', '\\', ..] => end_of("'", i + 3),
            ['\'', c, '\'', ..] if *c != '\\' => i + 3,
            _ => {
                i += 1;
                continue;
            }
        };
        for c in &mut out[i..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = end;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_what_remains_without_comments_strings_and_characters() {
        let text = "fn a() { \"}\" } // }\n'}' '\\'' <'a>";
        assert_eq!(code_only(text), "fn a() {     }     \n         <'a>");
        assert_eq!(code_only(text).chars().count(), text.chars().count());
    }

    #[test]
    fn only_the_templates_paths_into_the_lesson_pass() {
        let allowed = ["lesson_memory::ladder::Options", "lesson_memory::totals::Totals"];
        let good = "use lesson_memory::ladder::Options;\nuse lesson_memory::totals::Totals;\n\
                    // lesson_memory::ladder::stream would do it\nfn f() {}";
        assert_eq!(uses_only(good, "lesson_memory", &allowed), Ok(()));
        let bad =
            "use lesson_memory::ladder::Options;\nfn f() { lesson_memory::ladder::stream(p, o) }";
        let error = uses_only(bad, "lesson_memory", &allowed).expect_err("calls a rung");
        assert!(error.contains("`lesson_memory::ladder::stream`"), "{error}");
        let sneaky = "use lesson_memory::ladder::{Options, stream};";
        assert!(uses_only(sneaky, "lesson_memory", &allowed).is_err());
    }
}
