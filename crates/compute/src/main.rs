//! `compute`: run the compute lesson's ladders.
//!
//! ```text
//! compute wait                          # the seed's case: 3 tasks that each wait 1 s
//! compute wait --tasks 10000 --wait-ms 10 --rung tokio --rung threads
//! compute pi --samples 100000000 --threads 2 --json
//! compute cluster --hostfile hosts.txt --process 0   # one process of a timely cluster
//! compute cluster-sum --hostfile hosts.txt --process 0 data/tx-10M-16shards
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lesson_compute::cli::{
    ClusterArgs, PiArgs, SumArgs, ThrowPoints, WaitArgs, WaitTasks, cluster, cluster_sum,
};
use lesson_compute::{pi, waiting};

/// Run the compute lesson's ladders: waiting tasks, a CPU-bound job, and clusters.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    job: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tasks that wait, then square their input (the seed's `computation`).
    Wait(WaitArgs),
    /// A Monte-Carlo estimate of π: pure computation.
    Pi(PiArgs),
    /// One process of a timely dataflow cluster computing π (start one per hostfile line).
    Cluster(ClusterArgs),
    /// One process of a timely dataflow cluster summing a transactions dataset exactly (start
    /// one per hostfile line, each with the dataset at the same path).
    ClusterSum(SumArgs),
}

fn main() -> ExitCode {
    match Cli::parse().job {
        Command::Wait(args) => {
            ladder::cli::main(&waiting::LADDER, &args.common.ladder, || WaitTasks::new(&args))
        }
        Command::Pi(args) => {
            ladder::cli::main(&pi::LADDER, &args.common.ladder, || ThrowPoints::new(&args))
        }
        Command::Cluster(args) => cluster(&args),
        Command::ClusterSum(args) => cluster_sum(&args),
    }
}
