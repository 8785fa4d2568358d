//! Engine throughput, natively: 1,000 pods with probes on 100 nodes, simulated for one virtual
//! hour. Prints wall time, virtual seconds per wall second and wake-ups per second.
//!
//!     cargo run --release -p kubesim --example throughput [-- NODES PODS]

use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let nodes = args.first().copied().unwrap_or(100);
    let pods = args.get(1).copied().unwrap_or(1_000);
    let t0 = Instant::now();
    let mut sim = kubesim::bench::pods_with_probes(nodes, pods);
    let setup = t0.elapsed();
    let t1 = Instant::now();
    sim.advance_to(kubesim::time::HOUR);
    let run = t1.elapsed().as_secs_f64();
    let running = kubesim::kubectl::run(&mut sim, "get pods --no-headers").stdout.matches(" Running ").count();
    let wakeups = sim.events_processed();
    println!("workload: {pods} pods with readiness+liveness probes on {nodes} nodes, 1 virtual hour");
    println!("setup (parse + apply): {:.3} s", setup.as_secs_f64());
    println!("simulate: {run:.3} s wall");
    println!("virtual seconds per wall second: {:.0}", 3600.0 / run);
    println!("wake-ups processed: {wakeups} ({:.0}/s)", wakeups as f64 / run);
    println!("store changes: {}", sim.store().log().len());
    println!("pods Running at the end: {running}");
}
