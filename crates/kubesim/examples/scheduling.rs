//! Scheduling throughput, natively: 10,000 pending pods on 1,000 nodes (by default), every one
//! through the full filter and score plugins. Prints pods per second.
//!
//!     cargo run --release -p kubesim --example scheduling [-- NODES PODS]

use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let nodes = args.first().copied().unwrap_or(1_000);
    let pods = args.get(1).copied().unwrap_or(10_000);
    let t0 = Instant::now();
    let mut sim = kubesim::bench::pending_pods(nodes, pods);
    let setup = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let bound = kubesim::bench::schedule_all(&mut sim);
    let run = t1.elapsed().as_secs_f64();
    println!("workload: {pods} pending pods (100m/128Mi) on {nodes} nodes");
    println!("setup (parse + apply): {setup:.3} s");
    println!("schedule: {run:.3} s wall, {bound} pods bound");
    println!("scheduling throughput: {:.0} pods/s", bound as f64 / run);
}
