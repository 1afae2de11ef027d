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

    /// The committed figures come from a full run, not a `--quick` one.
    #[test]
    fn committed_figures_are_a_full_run() {
        for lesson in ["memory", "compute", "vectorize", "io"] {
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
