//! An exercise crate, derived from the lesson's anchored code.
//!
//! The template is the anchored code verbatim (signature, doc comments, helpers) with the body of
//! each hole replaced, and the file's `use` lines rewritten to reach the lesson's crate from
//! outside it (`crate::` and `super::` become the lesson's paths). The tests call the lesson's
//! kit on the learner's function, and check that the code reaches into the lesson only through
//! the template's imports. The same derivation, with the original bodies kept, is the solution.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use ladder::exercise::{Exercise, code_only};

use crate::shell::root;

/// What goes where each hole's body was.
#[derive(Clone, Debug)]
pub enum Body {
    /// `todo!()`, under a `// TODO` saying what to write: the exercise as shipped.
    Todo,
    /// The lesson's own body: the solution.
    Solution,
    /// The lesson's own bodies, but one hole's replaced by an expression (a mutant: a call to
    /// another rung, a constant).
    Mutant {
        /// The hole replaced.
        hole: &'static str,
        /// What replaces its body.
        expression: String,
    },
}

/// An exercise's lesson crate: where it is and what it is called.
pub struct Lesson {
    /// Its folder, relative to the workspace: `crates/memory`.
    pub dir: String,
    /// Its package: `lesson-memory`.
    pub package: String,
    /// Its library: `lesson_memory`.
    pub lib: String,
}

impl Lesson {
    /// The lesson crate that holds `exercise`'s file.
    pub fn of(exercise: &Exercise) -> Result<Lesson> {
        let mut parts = exercise.file.splitn(3, '/');
        let (Some("crates"), Some(dir)) = (parts.next(), parts.next()) else {
            bail!("{}: expected a file under crates/", exercise.file);
        };
        let dir = format!("crates/{dir}");
        let manifest = fs::read_to_string(root().join(&dir).join("Cargo.toml"))?;
        let package = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"'))
            .with_context(|| format!("{dir}/Cargo.toml has no name"))?
            .to_string();
        Ok(Lesson { lib: package.replace('-', "_"), dir, package })
    }
}

/// A derived exercise crate's files.
pub struct Crate {
    /// `Cargo.toml`.
    pub manifest: String,
    /// `src/lib.rs`: the template (or solution, or mutant).
    pub lib: String,
    /// `tests/*.rs`, named.
    pub tests: Vec<(String, String)>,
    /// The paths into the lesson that the template imports: all the code may use.
    pub allowed: Vec<String>,
}

/// The anchored text of `anchor` in `text`, without the marks of nested anchors.
pub fn anchored(text: &str, anchor: &str, file: &str) -> Result<String> {
    let start = format!("ANCHOR: {anchor}");
    let end = format!("ANCHOR_END: {anchor}");
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|l| l.trim_end().ends_with(&start));
    let to = lines.iter().position(|l| l.trim_end().ends_with(&end));
    let (Some(from), Some(to)) = (from, to) else { bail!("{file} has no anchor `{anchor}`") };
    let body: Vec<&str> =
        lines[from + 1..to].iter().copied().filter(|l| !l.contains("ANCHOR")).collect();
    Ok(body.join("\n") + "\n")
}

/// The module path of `file` in its crate: `crates/memory/src/ladder/csv_rows.rs` is
/// `["ladder", "csv_rows"]`.
fn module_path(file: &str) -> Vec<String> {
    let inside = file.split_once("/src/").map_or(file, |(_, rest)| rest);
    let inside = inside.trim_end_matches(".rs");
    let mut parts: Vec<String> = inside.split('/').map(String::from).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Every path the top-level `use` lines of `text` import, groups flattened
/// (`use std::io::{self, Read};` is `std::io` and `std::io::Read`), `as` renames kept.
fn imports(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut statement = String::new();
    for line in text.lines() {
        if statement.is_empty() && !(line.starts_with("use ") || line.starts_with("pub use ")) {
            continue;
        }
        statement.push_str(line.trim());
        statement.push(' ');
        if line.trim_end().ends_with(';') {
            let tree = statement.trim().trim_start_matches("pub ").trim_start_matches("use ");
            flatten("", tree.trim_end_matches(';').trim(), &mut found);
            statement.clear();
        }
    }
    found
}

/// The paths of one use tree (`a::{b, c::{d, e}}`), each prefixed with `prefix`.
fn flatten(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let join = |a: &str, b: &str| match (a.is_empty(), b) {
        (true, _) => b.to_string(),
        (false, "self") => a.to_string(),
        _ => format!("{a}::{b}"),
    };
    match tree.find('{') {
        None => out.push(join(prefix, tree.trim())),
        Some(open) => {
            let head = tree[..open].trim().trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        flatten(&join(prefix, head), &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if !inner[start..].trim().is_empty() {
                flatten(&join(prefix, head), &inner[start..], out);
            }
        }
    }
}

/// `path` as seen from outside the lesson crate `lib`, for a file in `module`.
fn from_outside(path: &str, lib: &str, module: &[String]) -> String {
    let parent = module[..module.len().saturating_sub(1)].join("::");
    let with = |base: String, rest: &str| match (base.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => base,
        (false, false) => format!("{base}::{rest}"),
    };
    if let Some(rest) = path.strip_prefix("crate::") {
        format!("{lib}::{rest}")
    } else if let Some(rest) = path.strip_prefix("super::") {
        with(with(lib.to_string(), &parent), rest)
    } else if let Some(rest) = path.strip_prefix("self::") {
        with(with(lib.to_string(), &module.join("::")), rest)
    } else {
        path.to_string()
    }
}

/// `text` (the anchored code) with the body of function `hole` replaced by `body`.
fn hollow(text: &str, hole: &str, body: &str) -> Result<String> {
    let chars: Vec<char> = text.chars().collect();
    let code: Vec<char> = code_only(text).chars().collect();
    let pattern: Vec<char> = format!("fn {hole}").chars().collect();
    let at = (0..code.len())
        .find(|&i| {
            code[i..].starts_with(&pattern)
                && code.get(i + pattern.len()).is_some_and(|c| *c == '(' || *c == '<')
        })
        .with_context(|| format!("no `fn {hole}` in the anchored code"))?;
    let matching = |open: usize, (o, c): (char, char)| -> Result<usize> {
        let mut depth = 0;
        for (i, ch) in code.iter().enumerate().skip(open) {
            depth += i32::from(*ch == o) - i32::from(*ch == c);
            if depth == 0 {
                return Ok(i);
            }
        }
        bail!("`fn {hole}` is not closed")
    };
    let params = (at..code.len()).find(|&i| code[i] == '(').context("no parameters")?;
    let open =
        (matching(params, ('(', ')'))?..code.len()).find(|&i| code[i] == '{').context("no body")?;
    let close = matching(open, ('{', '}'))?;
    let line_start = chars[..at].iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
    let indent: String = chars[line_start..].iter().take_while(|c| **c == ' ').collect();
    let body: String =
        body.lines().map(|l| format!("{indent}    {l}\n")).collect::<Vec<_>>().concat();
    let mut out: String = chars[..=open].iter().collect();
    out.push('\n');
    out.push_str(&body);
    out.push_str(&indent);
    out.extend(&chars[close..]);
    Ok(out)
}

/// The parameters' names of `fn hole` in `text`, to call another function with them.
pub fn arguments(text: &str, hole: &str) -> Result<Vec<String>> {
    let code = code_only(text);
    let at = code.find(&format!("fn {hole}")).with_context(|| format!("no `fn {hole}`"))?;
    let open = at + code[at..].find('(').context("no parameters")?;
    let (mut depth, mut end) = (0, open);
    for (i, c) in code[open..].char_indices() {
        depth += i32::from(c == '(') - i32::from(c == ')');
        if depth == 0 {
            end = open + i;
            break;
        }
    }
    let (mut names, mut depth, mut start) = (Vec::new(), 0, open + 1);
    for (i, c) in code[open + 1..end].char_indices().map(|(i, c)| (open + 1 + i, c)) {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                names.push(code[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    names.push(code[start..end].to_string());
    let names: Vec<String> = names
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.split(':').next().unwrap_or_default().trim().to_string())
        .collect();
    ensure!(
        names.iter().all(|n| !n.is_empty() && n != "_" && !n.starts_with("mut ")),
        "`fn {hole}`'s parameters need plain names, not `_` or `mut`: {names:?}"
    );
    Ok(names)
}

/// Wraps `text` at about `width` characters, each line starting with `prefix`.
fn wrap(text: &str, width: usize, prefix: &str) -> String {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("at least one line");
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            lines.push(String::new());
        }
        let line = lines.last_mut().expect("at least one line");
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.iter().map(|l| format!("{prefix}{l}")).collect::<Vec<_>>().join("\n")
}

/// The function a hole names: `micro_kernel` for `micro_kernel::<4, 4>` (a hole may say which
/// instance of a generic function the tests call).
pub fn function(hole: &str) -> &str {
    hole.split("::<").next().unwrap_or(hole)
}

/// The crate name of `exercise`'s package: `exercise-memory-chunked`.
pub fn package(exercise: &Exercise) -> String {
    format!("exercise-{}", exercise.name)
}

/// Derives `exercise`'s crate with `body` in every hole; `up` is the path from the crate's
/// folder to the workspace root (`../..` for `exercises/NAME`).
pub fn derive(exercise: &Exercise, body: &Body, up: &str) -> Result<Crate> {
    let lesson = Lesson::of(exercise)?;
    let source = fs::read_to_string(root().join(exercise.file))
        .with_context(|| format!("cannot read {}", exercise.file))?;
    let module = module_path(exercise.file);
    let mut imports: Vec<String> =
        imports(&source).iter().map(|p| from_outside(p, &lesson.lib, &module)).collect();
    let here =
        std::iter::once(lesson.lib.clone()).chain(module.iter().cloned()).collect::<Vec<_>>();
    imports.extend(exercise.uses.iter().map(|item| format!("{}::{item}", here.join("::"))));
    let mut code = anchored(&source, exercise.anchor, exercise.file)?;
    for (i, hole) in exercise.holes.iter().enumerate() {
        let todo = match i {
            0 => exercise.todo,
            _ => "write this one too: the function above calls it.",
        };
        let replacement = match body {
            Body::Todo => format!(
                "{}\n// Check: `cargo xtask exercise check {name}`; a hint: `… exercise hint {name}`.\ntodo!(\"{name}: write the body of `{hole}`\")",
                wrap(&format!("TODO: {todo}"), 92, "// "),
                name = exercise.name,
            ),
            Body::Mutant { hole: mutated, expression } if mutated == hole => expression.clone(),
            Body::Solution | Body::Mutant { .. } => continue,
        };
        code = hollow(&code, function(hole), &replacement)?;
    }
    let allowed: Vec<String> = imports
        .iter()
        .filter(|p| p.starts_with(&format!("{}::", lesson.lib)))
        .map(|p| p.split(" as ").next().unwrap_or(p).to_string())
        .collect();
    // The standard library's imports first, then the lesson's, as rustfmt groups them.
    let std_first = |p: &&String| ["std::", "core::", "alloc::"].iter().any(|s| p.starts_with(s));
    let (standard, others): (Vec<&String>, Vec<&String>) = imports.iter().partition(std_first);
    let group =
        |paths: Vec<&String>| paths.iter().map(|p| format!("use {p};\n")).collect::<String>();
    let uses = [group(standard), group(others)]
        .into_iter()
        .filter(|g| !g.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let lib = format!(
        "//! Exercise `{name}`: the {lesson} lesson's `{rung}` rung, written by you.\n//!\n{todo}\n//!\n\
         //! Check it: `cargo xtask exercise check {name}` (or `cargo test` in this folder).\n\
         //! A hint: `cargo xtask exercise hint {name}`. The chapter: `book/src/{section}`.\n//!\n\
         //! Derived from `{file}` by `cargo xtask exercise generate`.\n\
         //! Start again: `cargo xtask exercise reset {name}` (yours is kept in `exercises/.backup/`).\n\n\
         // Until the body is written, its arguments and some imports are unused.\n\
         #![allow(unused_imports, unused_variables)]\n\n{uses}\n{code}",
        name = exercise.name,
        lesson = lesson.dir.trim_start_matches("crates/"),
        rung = exercise.rung,
        todo = wrap(exercise.todo, 94, "//! "),
        section = exercise.section,
        file = exercise.file,
    );
    let lib_name = package(exercise).replace('-', "_");
    let tested = exercise.holes.first().context("an exercise needs a hole")?;
    let call = |kit: &str, name: &str| {
        format!(
            "#[test]\nfn {name}() {{\n    {kit}(\"{exercise}\", {lib_name}::{tested});\n}}\n",
            exercise = exercise.name
        )
    };
    let header = |what: &str| {
        format!(
            "//! {what}\n//!\n//! Generated by `cargo xtask exercise generate` from the lesson's \
             `exercises.rs`:\n//! edit the lesson, not this file.\n\n"
        )
    };
    let allowed_list: String = allowed.iter().map(|p| format!("        \"{p}\",\n")).collect();
    let mut lesson_tests = header(&format!(
        "The {} lesson's own checks of its `{}` rung, run on yours.",
        lesson.dir.trim_start_matches("crates/"),
        exercise.rung
    ));
    for test in exercise.tests.iter().filter(|t| !t.alone) {
        lesson_tests.push_str(&call(test.kit, test.name));
        lesson_tests.push('\n');
    }
    lesson_tests.push_str(&format!(
        "/// The work is yours: the code reaches into the lesson only through the template's\n\
         /// imports, so it cannot hand the job to one of the lesson's rungs.\n\
         #[test]\nfn does_the_work_itself() {{\n    let allowed = [\n{allowed_list}    ];\n    \
         let source = include_str!(\"../src/lib.rs\");\n    \
         if let Err(why) = ladder::exercise::uses_only(source, \"{lib}\", &allowed) {{\n        \
         panic!(\"{name}: {{why}}\");\n    }}\n}}\n",
        lib = lesson.lib,
        name = exercise.name,
    ));
    let mut tests = vec![("lesson.rs".to_string(), lesson_tests)];
    for test in exercise.tests.iter().filter(|t| t.alone) {
        let mut file = header(&format!(
            "`{}`: in a test binary of its own, since what it counts is the whole process's.",
            test.name
        ));
        if !test.setup.is_empty() {
            file.push_str(test.setup);
            file.push_str("\n\n");
        }
        file.push_str(&call(test.kit, test.name));
        tests.push((format!("{}.rs", test.name), file));
    }
    let workspace = fs::read_to_string(root().join("Cargo.toml"))?;
    let dependencies: String = exercise
        .dependencies
        .iter()
        .map(|name| {
            let line = workspace
                .lines()
                .find(|l| l.starts_with(&format!("{name} = ")))
                .with_context(|| format!("`{name}` is not among the workspace's dependencies"))?;
            // A path in the workspace's table is the root's: seen from the exercise, it is `up`.
            Ok(format!("{}\n", line.replace("path = \"", &format!("path = \"{up}/"))))
        })
        .collect::<Result<_>>()?;
    let manifest = format!(
        "# Generated by `cargo xtask exercise generate` from {dir}/src/exercises.rs: edit the lesson,\n\
         # not this file.\n[package]\nname = \"{package}\"\ndescription = \"Exercise {name}: the \
         {short} lesson's `{rung}` rung\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [lib]\nname = \"{lib_name}\"\n\n\
         [dependencies]\nladder = {{ path = \"{up}/crates/ladder\" }}\n{lesson_package} = {{ path = \
         \"{up}/{dir}\" }}\n{dependencies}\n[dev-dependencies]\n{lesson_package} = {{ path = \
         \"{up}/{dir}\", features = [\"kit\"] }}\n",
        dir = lesson.dir,
        package = package(exercise),
        name = exercise.name,
        short = lesson.dir.trim_start_matches("crates/"),
        rung = exercise.rung,
        lesson_package = lesson.package,
        lib_name = package(exercise).replace('-', "_"),
    );
    let tests =
        tests.into_iter().map(|(name, text)| Ok((name, rustfmt(&text)?))).collect::<Result<_>>()?;
    Ok(Crate { manifest, lib: rustfmt(&lib)?, tests, allowed })
}

/// `code` as rustfmt formats it with the workspace's settings, so that an editor formatting the
/// file on save changes nothing but what the learner wrote.
fn rustfmt(code: &str) -> Result<String> {
    use std::io::Write as _;
    let mut child = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
        .arg(root().join("rustfmt.toml"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (rustup component add rustfmt)")?;
    child.stdin.take().context("rustfmt's input")?.write_all(code.as_bytes())?;
    let out = child.wait_with_output()?;
    ensure!(
        out.status.success(),
        "rustfmt refused the derived code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// The lesson's own code of `exercise`: the solution, as the book shows it.
pub fn solution(exercise: &Exercise) -> Result<String> {
    let source = fs::read_to_string(root().join(exercise.file))?;
    anchored(&source, exercise.anchor, exercise.file)
}

/// Writes `krate` into `dir` (made if needed).
pub fn write(krate: &Crate, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir.join("src"))?;
    fs::create_dir_all(dir.join("tests"))?;
    crate::figures::ensure_file(&dir.join("Cargo.toml"), &krate.manifest)?;
    crate::figures::ensure_file(&dir.join("src/lib.rs"), &krate.lib)?;
    for (name, text) in &krate.tests {
        crate::figures::ensure_file(&dir.join("tests").join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_lines_are_flattened_and_rewritten_from_outside() {
        let text = "//! doc\nuse std::io::{self, Read};\nuse super::csv_rows::Rows;\nuse crate::{a::B, c::{D, E as F}};\n\nfn x() {\n    use inner::Thing;\n}\n";
        let found = imports(text);
        assert_eq!(
            found,
            [
                "std::io",
                "std::io::Read",
                "super::csv_rows::Rows",
                "crate::a::B",
                "crate::c::D",
                "crate::c::E as F"
            ]
        );
        let module = module_path("crates/memory/src/ladder/csv_rows.rs");
        assert_eq!(module, ["ladder", "csv_rows"]);
        assert_eq!(
            from_outside("super::csv_rows::Rows", "lesson_memory", &module),
            "lesson_memory::ladder::csv_rows::Rows"
        );
        assert_eq!(from_outside("crate::a::B", "lesson_memory", &module), "lesson_memory::a::B");
        assert_eq!(module_path("crates/io/src/ladder.rs"), ["ladder"]);
        assert_eq!(from_outside("super::x", "lesson_io", &["ladder".to_string()]), "lesson_io::x");
    }

    #[test]
    fn a_hole_keeps_its_signature_and_docs_and_loses_its_body() {
        let text = "/// Adds.\npub fn add(a: u32, b: u32) -> u32 {\n    // } in a comment\n    a + b\n}\n\nfn other() -> u32 {\n    1\n}\n";
        let hollowed = hollow(text, "add", "todo!()").expect("a body");
        assert_eq!(
            hollowed,
            "/// Adds.\npub fn add(a: u32, b: u32) -> u32 {\n    todo!()\n}\n\nfn other() -> u32 {\n    1\n}\n"
        );
        assert_eq!(arguments(text, "add").expect("named"), ["a", "b"]);
        assert!(hollow(text, "ad", "x").is_err(), "`fn ad` is not `fn add`");
        assert!(arguments("fn f(_: u8) {}", "f").is_err());
    }

    #[test]
    fn text_is_wrapped_under_its_prefix() {
        assert_eq!(wrap("one two three four", 9, "// "), "// one two\n// three\n// four");
    }
}
