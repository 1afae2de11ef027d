//! Rules of the repository that a test can check, so no review has to.

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use crate::shell::root;

    fn files(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("a readable folder").flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && name != "target" && name != "book" && name != "data" {
                files(&path, extension, found);
            } else if path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }

    /// Every Rust file starts with a `//!` doc saying what it is for.
    #[test]
    fn every_module_says_what_it_is_for() {
        let mut rust = Vec::new();
        for dir in ["crates", "benches", "xtask"] {
            files(&root().join(dir), "rs", &mut rust);
        }
        assert!(rust.len() > 10, "found only {} Rust files", rust.len());
        for path in rust {
            let text = fs::read_to_string(&path).expect("readable");
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
            assert!(first.starts_with("//!"), "{} does not start with a `//!` doc", path.display());
        }
    }

    /// The book shows tested code: every Rust block in a chapter is an `{{#include}}`.
    #[test]
    fn book_code_is_included_not_pasted() {
        let mut chapters = Vec::new();
        files(&root().join("book/src"), "md", &mut chapters);
        assert!(!chapters.is_empty());
        for path in chapters {
            let text = fs::read_to_string(&path).expect("readable");
            let mut blocks = text.split("```").skip(1).step_by(2);
            for block in blocks.by_ref().filter(|b| b.starts_with("rust")) {
                let body = block.split_once('\n').map_or("", |(_, body)| body);
                assert!(
                    body.trim().starts_with("{{#include") && body.trim().lines().count() == 1,
                    "{}: a Rust block that is not one {{{{#include}}}}:\n{block}",
                    path.display()
                );
            }
        }
    }

    /// An anchor's name and text, for every `ANCHOR: name` … `ANCHOR_END: name` in `text`; a
    /// mark without its pair is an error naming the file.
    fn anchors(path: &Path, text: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut open: Vec<(String, usize)> = Vec::new();
        for (at, line) in text.lines().enumerate() {
            if let Some(name) = line.split("ANCHOR: ").nth(1) {
                open.push((name.trim_end_matches("-->").trim().to_string(), at));
            } else if let Some(name) = line.split("ANCHOR_END: ").nth(1) {
                let name = name.trim_end_matches("-->").trim();
                let position = open.iter().position(|(n, _)| n == name);
                let (_, start) = position.map(|i| open.remove(i)).unwrap_or_else(|| {
                    panic!("{}: ANCHOR_END: {name} without its ANCHOR", path.display())
                });
                let body: Vec<&str> = text.lines().skip(start + 1).take(at - start - 1).collect();
                found.push((name.to_string(), body.join("\n")));
            }
        }
        if let Some((name, _)) = open.first() {
            panic!("{}: ANCHOR: {name} without its ANCHOR_END", path.display());
        }
        found
    }

    /// Every `{{#include path:anchor}}` of every chapter, resolved: the chapter, the file and the
    /// anchor.
    fn includes() -> Vec<(PathBuf, PathBuf, Option<String>)> {
        let mut chapters = Vec::new();
        files(&root().join("book/src"), "md", &mut chapters);
        let mut found = Vec::new();
        for chapter in chapters {
            let text = fs::read_to_string(&chapter).expect("readable");
            for include in text.split("{{#include ").skip(1) {
                let target = include.split("}}").next().unwrap_or_default().trim();
                let (file, anchor) = match target.rsplit_once(':') {
                    Some((file, anchor)) => (file, Some(anchor.to_string())),
                    None => (target, None),
                };
                let file = chapter.parent().expect("a folder").join(file);
                found.push((chapter.clone(), file, anchor));
            }
        }
        found
    }

    /// Every include resolves to a file that has its anchor, and every anchor in the code is
    /// included by some chapter: nothing the book shows is missing, nothing marked is unshown.
    #[test]
    fn every_include_resolves_and_every_anchor_is_shown() {
        let includes = includes();
        assert!(includes.len() > 50, "found only {} includes", includes.len());
        for (chapter, file, anchor) in &includes {
            let text = fs::read_to_string(file).unwrap_or_else(|_| {
                panic!("{}: includes missing {}", chapter.display(), file.display())
            });
            if let Some(anchor) = anchor {
                assert!(
                    anchors(file, &text).iter().any(|(name, _)| name == anchor),
                    "{}: anchor `{anchor}` is not in {}",
                    chapter.display(),
                    file.display()
                );
            }
        }
        let mut sources = Vec::new();
        for extension in ["rs", "py", "wgsl"] {
            files(&root().join("crates"), extension, &mut sources);
        }
        for file in sources {
            let text = fs::read_to_string(&file).expect("readable");
            for (name, _) in anchors(&file, &text) {
                let shown = includes.iter().any(|(_, f, a)| {
                    a.as_deref() == Some(name.as_str())
                        && f.canonicalize().ok() == file.canonicalize().ok()
                });
                assert!(shown, "{}: anchor `{name}` is included by no chapter", file.display());
            }
        }
    }

    /// An anchored piece of Rust is a complete item or items: its brackets balance, so the book
    /// never shows code that stops inside an open block.
    #[test]
    fn every_anchored_piece_of_rust_is_complete() {
        let mut rust = Vec::new();
        files(&root().join("crates"), "rs", &mut rust);
        for file in rust {
            let text = fs::read_to_string(&file).expect("readable");
            for (name, body) in anchors(&file, &text) {
                let code = ladder::exercise::code_only(&body);
                let mut depth = 0i64;
                for c in code.chars() {
                    depth += match c {
                        '{' | '(' | '[' => 1,
                        '}' | ')' | ']' => -1,
                        _ => 0,
                    };
                    assert!(
                        depth >= 0,
                        "{}: anchor `{name}` closes what it did not open",
                        file.display()
                    );
                }
                assert_eq!(
                    depth,
                    0,
                    "{}: anchor `{name}` ends inside an open block",
                    file.display()
                );
            }
        }
    }

    /// The benchmarks and xtask name no rung by a string: they take rungs from the lessons'
    /// ladders and ids from the lessons' `bench` modules, so renaming a rung cannot break a
    /// benchmark run near its end. (The callgrind benchmarks' cases come from the lessons'
    /// `counted_rungs()`.)
    #[test]
    fn no_rung_is_named_by_a_string_outside_its_lesson() {
        let mut names: Vec<&str> = lesson_memory::LADDER.names();
        names.extend(lesson_compute::waiting::LADDER.names());
        names.extend(lesson_compute::pi::LADDER.names());
        names.extend(lesson_io::ladder::LADDER.names());
        names.extend(lesson_io::latency::LADDER.names());
        names.extend(lesson_vectorize::ladder::LADDER.names());
        let mut rust = Vec::new();
        for dir in ["benches", "xtask"] {
            files(&root().join(dir), "rs", &mut rust);
        }
        // Where the same word is not a rung: a table's anchor, an axis.
        let not_rungs = ["section(&mut md, ", ".x_desc("];
        for file in rust {
            let text = fs::read_to_string(&file).expect("readable");
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for name in &names {
                    let literal = format!("\"{name}\"");
                    let Some(at) = line.find(&literal) else { continue };
                    assert!(
                        not_rungs.iter().any(|p| line[..at].ends_with(p)),
                        "{}: names the rung `{name}` by a string; use the lesson's `static`: {line}",
                        file.display()
                    );
                }
            }
        }
        let mut benches = Vec::new();
        files(&root().join("benches/benches"), "rs", &mut benches);
        for file in benches {
            let text = fs::read_to_string(&file).expect("readable");
            let cases = text.matches("#[benches::").count() + text.matches("#[bench::").count();
            assert_eq!(
                cases,
                text.matches("iter = counted_rungs()").count(),
                "{}: every callgrind benchmark takes its cases from `counted_rungs()`",
                file.display()
            );
        }
    }

    /// The committed figures come from a full run, not a `--quick` one.
    #[test]
    fn committed_figures_are_a_full_run() {
        for lesson in crate::lessons::LESSONS.iter().map(|l| l.name) {
            let path = root().join(format!("book/src/generated/{lesson}.json"));
            let text = fs::read_to_string(&path).expect("the reference figures are committed");
            let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(
                report["quick"],
                false,
                "{} holds a --quick run: run `cargo xtask bench` before committing figures",
                path.display()
            );
        }
    }
}
