//! The `io` binary as a user runs it: a dataset folder, JSON lines, cold reads, errors.

use std::process::Command;

use lesson_memory::dataset::{Spec, generate};

fn io(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_io")).args(args).output().expect("the binary runs")
}

#[test]
fn reads_a_dataset_folder_warm_and_cold() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest =
        generate(&Spec { rows: 5_000, seed: 3, shards: 3 }, dir.path(), &|_| {}).expect("generate");
    let folder = dir.path().to_str().expect("UTF-8 path");
    for extra in [&[][..], &["--cold"][..]] {
        let out = io(&[&["--json", folder][..], extra].concat());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect();
        assert_eq!(lines.len(), lesson_io::ladder::LADDER.len());
        for line in lines {
            assert_eq!(line["lesson"], "io");
            assert_eq!(line["exact"], manifest.expected.overall.exact.as_str());
            assert_eq!(line["files"], 3);
            assert_eq!(line["cold"], !extra.is_empty());
            // The evidence columns: processor time is measured; the kernel's count of bytes
            // from the device is a number on Linux (zero when the files are cached or on tmpfs).
            assert!(line["cpu_seconds"].as_f64().is_some_and(|c| c > 0.0), "{line}");
            assert!(line["cpu_per_wall"].as_f64().is_some_and(f64::is_finite), "{line}");
            if cfg!(target_os = "linux") {
                assert!(line["device_read_bytes"].is_u64(), "{line}");
            }
        }
    }
}

#[test]
fn a_missing_shard_exits_non_zero_naming_it() {
    let out = io(&["/no/such/part-000.csv"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/part-000.csv"));
    let out = io(&["--strategy", "fastest", "/no/such/part-000.csv"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rung `fastest`"));
}
