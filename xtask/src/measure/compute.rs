//! The compute lesson's measurements: criterion over both ladders, then the job on a timely
//! cluster of processes on loopback.

use std::time::Duration;

use anyhow::Result;
use lesson_compute::bench::{
    CLUSTER_DEADLINE, CLUSTER_PROCESSES, PI_GROUP, PI_JOB, WAIT_GROUP, WAIT_MS, WAIT_TASKS, cores,
    pi_id, pi_threads, plan, wait_id,
};
use lesson_compute::report::{PiPoint, Report, WaitPoint};
use lesson_compute::{pi, waiting};

use super::{Criterion, Run};
use crate::distributed::local_cluster;
use crate::machine;

/// Measures the compute lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let plan = plan(run.quick);
    eprintln!("timing the compute ladders with criterion");
    let criterion = Criterion::run("compute", &[WAIT_GROUP, PI_GROUP], run, &plan)?;
    let wait = Duration::from_millis(WAIT_MS);
    let threads = std::num::NonZeroUsize::new(cores()).unwrap_or(std::num::NonZeroUsize::MIN);
    let mut waiting = Vec::new();
    for rung in waiting::LADDER.iter() {
        for &tasks in WAIT_TASKS {
            waiting.push(WaitPoint {
                rung: rung.name.into(),
                tasks,
                predicted_s: rung.facts.predicted(tasks, wait, threads).as_secs_f64(),
                median_s: criterion.measured(&wait_id(rung, tasks))?.map(|t| t.median),
            });
        }
    }
    let baseline = pi::LADDER.baseline();
    let sequential = criterion.timing(&pi_id(baseline, 1))?.median;
    let mut points = Vec::new();
    for rung in pi::LADDER.iter() {
        for threads in pi_threads(rung) {
            let median_s = criterion.timing(&pi_id(rung, threads))?.median;
            let speedup = sequential / median_s;
            let efficiency = speedup / threads as f64;
            points.push(PiPoint { rung: rung.name.into(), threads, median_s, speedup, efficiency });
        }
    }
    let cluster = local_cluster(CLUSTER_PROCESSES, 1, plan.cluster_samples, CLUSTER_DEADLINE)?;
    let cluster_empty = local_cluster(CLUSTER_PROCESSES, 1, 1, CLUSTER_DEADLINE)?;
    Ok(Report {
        machine: machine::current(),
        quick: run.quick,
        wait_ms: WAIT_MS,
        waiting,
        pi_samples: PI_JOB.samples,
        pi: points,
        cluster,
        cluster_empty,
    })
}
