//! Wall time of every memory rung on the file `cargo xtask bench` names, with byte
//! throughput, and of the stages of the fastest single-threaded rung.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use lesson_memory::anatomy::STAGES;
use lesson_memory::bench::{ANATOMY_GROUP, GROUP, Settings, id, stage_id};
use lesson_memory::{LADDER, Options};
use workshop_benches::{group, settings};

fn main() {
    let Some(Settings { file }) = settings("memory") else { return };
    let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let mut criterion = Criterion::default().configure_from_args();
    let mut rungs = group(&mut criterion, GROUP);
    rungs.throughput(Throughput::Bytes(bytes));
    let options = Options::default();
    for rung in LADDER.iter() {
        rungs.bench_function(workshop_benches::id(&id(rung)), |b| {
            b.iter(|| {
                (rung.run)(black_box(&file), &options).expect("the benchmark's data is valid")
            })
        });
    }
    rungs.finish();

    // Where the time goes: the mmap rung's work in stages, each doing a little more.
    let mut anatomy = group(&mut criterion, ANATOMY_GROUP);
    anatomy.throughput(Throughput::Bytes(bytes));
    for stage in STAGES {
        anatomy.bench_function(workshop_benches::id(&stage_id(stage)), |b| {
            b.iter(|| (stage.run)(black_box(&file)).expect("the benchmark's data is valid"))
        });
    }
    anatomy.finish();
    criterion.final_summary();
}
