//! The `memory` binary as a user runs it: the ladder, JSON lines, errors and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn memory(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_memory")).args(args).output().expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn lists_the_ladder() {
    let out = memory(&["--list"]);
    assert!(out.status.success());
    let names: Vec<String> = text(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    let ladder: Vec<&str> = lesson_memory::LADDER.names();
    assert_eq!(names, ladder);
}

#[test]
fn json_lines_carry_the_exact_total_for_every_rung() {
    let file = fixture("pandas_default.csv");
    let out = memory(&["--json", "--per-user", "--drift", file.to_str().expect("UTF-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("pandas_expected.json")).expect("read"),
    )
    .expect("json");
    let rungs: Vec<&serde_json::Value> = lines.iter().filter(|l| l.get("rung").is_some()).collect();
    assert_eq!(rungs.len(), lesson_memory::LADDER.len());
    for line in rungs {
        assert_eq!(line["lesson"], "memory");
        assert_eq!(line["rows"], 1000);
        assert_eq!(line["total"].as_f64(), expected["overall"]["total"].as_f64(), "{line}");
        assert!(line["seconds"].as_f64().is_some_and(|s| s > 0.0));
        assert!(line["peak_heap_bytes"].as_u64().is_some());
        assert_eq!(line["per_user"].as_array().map(Vec::len), Some(11));
    }
    assert!(lines.iter().any(|l| l.get("drift").is_some()), "the --drift line");
}

#[test]
fn a_table_for_people() {
    let file = fixture("pandas_crlf.csv");
    let out = memory(&["-s", "mmap", "-s", "parallel", file.to_str().expect("UTF-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("rung"), "{stdout}");
    assert!(stdout.contains("exact total: 10000000012397978.93898897950029093"), "{stdout}");
}

#[test]
fn bad_input_exits_non_zero_with_the_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, ",user,transaction_value\n0,1,1.5\n1,2,x\n").expect("write");
    let bad = bad.to_str().expect("UTF-8 path");
    let out = memory(&[bad]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(&format!("{bad}:3: column `transaction_value`")),
        "{}",
        text(&out.stderr)
    );

    let out = memory(&["/no/such/file.csv"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("/no/such/file.csv"), "{}", text(&out.stderr));

    let out = memory(&["--strategy", "fastest", bad]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no rung `fastest`"), "{}", text(&out.stderr));
}
