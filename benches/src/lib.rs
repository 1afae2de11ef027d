//! What every benchmark file shares: criterion's groups and ids made from a lesson's
//! [`ladder::bench::Id`]s, and the plan `cargo xtask bench` hands over.
//!
//! Each file in `benches/` measures one lesson, taking every id, size and limit from that
//! lesson's `bench` module, so that `cargo xtask bench` finds each result where the lesson says
//! it is.

use std::path::PathBuf;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode};
use ladder::bench::Id;
use serde::de::DeserializeOwned;

/// A criterion group for runs of a second or so: flat sampling, the minimum of ten samples,
/// so that a full `cargo xtask bench` takes minutes, not hours.
pub fn group<'a>(criterion: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = criterion.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group
}

/// Criterion's id of `id` within its group.
pub fn id(id: &Id) -> BenchmarkId {
    match &id.parameter {
        Some(parameter) => BenchmarkId::new(&id.function, parameter),
        None => BenchmarkId::from_parameter(&id.function),
    }
}

/// The plan `cargo xtask bench` handed over, or `default` when the benchmark runs by hand. A
/// plan that cannot be read stops the benchmark with the reason.
pub fn plan<T: DeserializeOwned>(default: impl FnOnce() -> T) -> T {
    match ladder::bench::plan() {
        Ok(plan) => plan.unwrap_or_else(default),
        Err(why) => panic!("{why}"),
    }
}

/// The settings `cargo xtask bench` handed over, for a benchmark that reads data only it makes;
/// `None`, after saying so, when the benchmark runs by hand.
pub fn settings<T: DeserializeOwned>(lesson: &str) -> Option<T> {
    let settings = plan(|| None);
    if settings.is_none() {
        eprintln!(
            "{lesson} benchmark skipped: run `cargo xtask bench`, which makes the data it reads"
        );
    }
    settings
}

/// Writes (once) the small deterministic file the memory lesson's instruction counts read.
pub fn small_file() -> PathBuf {
    use lesson_memory::bench::INSTRUCTION_ROWS;
    use lesson_memory::dataset::{DEFAULT_SEED, Manifest, Spec, generate};
    let spec = Spec { rows: INSTRUCTION_ROWS, seed: DEFAULT_SEED, shards: 1 };
    let dir = std::env::temp_dir().join(format!("workshop-{}", spec.dir_name()));
    let complete = Manifest::load(&dir).is_ok_and(|m| m.is_complete(&dir, &spec));
    if !complete {
        generate(&spec, &dir, &|_| {})
            .expect("cannot write the benchmark's small file in the temp dir");
    }
    dir.join(&spec.file_names()[0])
}
