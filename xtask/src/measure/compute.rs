//! The compute lesson's measurements: criterion over both ladders, then π on a timely cluster
//! of processes on loopback, and the memory lesson's sum on clusters of several sizes, each
//! process in a network namespace of its own where the machine allows it.

use std::time::Duration;

use anyhow::{Result, ensure};
use lesson_compute::bench::{
    CLUSTER_DEADLINE, CLUSTER_PROCESSES, PI_GROUP, PI_JOB, Plan, SUM_EMPTY_ROWS, SUM_PROCESSES,
    SUM_RATE_BITS, SUM_REPEATS, SUM_SHARDS, WAIT_GROUP, WAIT_MS, WAIT_TASKS, cores, pi_id,
    pi_threads, plan, wait_id,
};
use lesson_compute::report::{PiPoint, Report, SumRun, Sums, WaitPoint};
use lesson_compute::{pi, waiting};
use lesson_memory::dataset::{DEFAULT_SEED, Spec};

use super::{Criterion, Run};
use crate::distributed::{Link, local_cluster, local_sum};
use crate::machine;
use crate::network::{Namespaces, Network};

/// Measures the compute lesson.
pub fn measure(run: &Run) -> Result<Report> {
    let plan = plan(run.quick);
    // The commit as it is when the measuring starts.
    let machine = machine::current();
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
    let sums = sums(&plan)?;
    eprintln!("making the summing cluster's faults happen");
    let faults = crate::faults::run_all(&Link::default().network(2)?)?;
    Ok(Report {
        machine,
        quick: run.quick,
        wait_ms: WAIT_MS,
        waiting,
        pi_samples: PI_JOB.samples,
        pi: points,
        cluster,
        cluster_empty,
        sums,
        faults,
    })
}

/// The summing cluster at every size of [`SUM_PROCESSES`], on the plan's dataset and on almost
/// no data, and on limited links where namespaces can be made: each the median of
/// [`SUM_REPEATS`] runs, its totals checked against the manifest.
fn sums(plan: &Plan) -> Result<Sums> {
    let spec = |rows| Spec { rows, seed: DEFAULT_SEED, shards: SUM_SHARDS };
    let (dataset, _) = crate::data::ensure(&spec(plan.sum_rows))?;
    let (empty, _) = crate::data::ensure(&spec(SUM_EMPTY_ROWS))?;
    let most = SUM_PROCESSES.iter().copied().max().unwrap_or(1);
    let network = Link::default().network(most)?;
    let limited_network = match network {
        Network::Namespaces(_) => {
            Some(Network::Namespaces(Namespaces::create(2, Some(&format!("{SUM_RATE_BITS}bit")))?))
        }
        Network::Loopback => None,
    };
    let median =
        |network: &Network, processes: usize, dataset: &std::path::Path| -> Result<SumRun> {
            let mut runs = Vec::new();
            for _ in 0..SUM_REPEATS {
                let (run, cluster, manifest) =
                    local_sum(network, processes, 1, dataset, CLUSTER_DEADLINE)?;
                ensure!(
                    cluster == manifest,
                    "{processes} processes summed {} to {}, its manifest says {}",
                    dataset.display(),
                    cluster.overall.exact,
                    manifest.overall.exact
                );
                runs.push(run);
            }
            runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
            Ok(runs.swap_remove(runs.len() / 2))
        };
    eprintln!("timing the summing cluster at {SUM_PROCESSES:?} processes");
    let mut sums = Sums { runs: Vec::new(), empty: Vec::new(), limited: None };
    for processes in SUM_PROCESSES {
        sums.runs.push(median(&network, processes, &dataset)?);
        sums.empty.push(median(&network, processes, &empty)?);
    }
    if let Some(limited) = &limited_network {
        sums.limited = Some(median(limited, 2, &dataset)?);
    }
    Ok(sums)
}
