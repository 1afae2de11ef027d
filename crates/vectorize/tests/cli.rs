//! The `vectorize` binary as a user runs it: JSON lines within the bound, the machine's
//! ceilings, and clear errors for shapes that are not shapes.

use std::process::Command;

fn vectorize(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vectorize")).args(args).output().expect("the binary runs")
}

#[test]
fn every_available_rung_prints_a_json_line_within_the_bound() {
    let out = vectorize(&["--json", "--shape", "37x51x29"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let available = lesson_vectorize::ladder::LADDER.available().count();
    assert_eq!(lines.len(), available);
    for line in lines {
        assert_eq!(line["lesson"], "vectorize");
        assert_eq!(
            (line["m"].as_u64(), line["k"].as_u64(), line["n"].as_u64()),
            (Some(37), Some(51), Some(29))
        );
        let (error, bound) = (line["rel_error"].as_f64(), line["bound"].as_f64());
        assert!(error.zip(bound).is_some_and(|(e, b)| e <= b), "{line}");
        assert!(line["gflops"].as_f64().is_some_and(|g| g > 0.0), "{line}");
    }
}

#[test]
fn the_ceilings_are_reported() {
    let out = vectorize(&["peak", "--json"]);
    assert!(out.status.success());
    let peak: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("JSON");
    assert!(peak["fma_flops_per_s"].as_f64().is_some_and(|f| f > 0.0), "{peak}");
    for key in ["read_bytes_per_s", "update_bytes_per_s"] {
        assert!(peak[key].as_f64().is_some_and(|b| b > 0.0), "{peak}");
    }
}

#[test]
fn bad_shapes_and_rungs_are_clear_errors() {
    for (args, expected) in [
        (&["--shape", "3x4"][..], "expected MxKxN"),
        (&["--shape", "3xfourx5"][..], "`four`"),
        (&["--shape", "99999999x1x1"][..], "is not a size"),
        (&["--strategy", "fastest"][..], "no rung `fastest`"),
    ] {
        let out = vectorize(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
