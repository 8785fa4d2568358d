//! A whole big cluster for one virtual hour: 5,000 nodes and 100,000 pods (by default) created at
//! t=0, scheduled, pulled, started and kept running. Prints wall time and peak memory (Linux).
//!
//!     cargo run --release -p kubesim --example big_cluster [-- NODES PODS]

use std::time::Instant;

/// Peak resident memory of this process (VmHWM), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let nodes = args.first().copied().unwrap_or(5_000);
    let pods = args.get(1).copied().unwrap_or(100_000);
    let t0 = Instant::now();
    let mut sim = kubesim::bench::pending_pods(nodes, pods);
    let setup = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    sim.advance_to(kubesim::time::HOUR);
    let run = t1.elapsed().as_secs_f64();
    let running = sim
        .store()
        .list(kubesim::api::Kind::Pod, None)
        .filter_map(kubesim::api::Object::as_pod)
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .count();
    println!("workload: {pods} pods on {nodes} nodes, 1 virtual hour");
    println!("setup (parse + apply): {setup:.1} s");
    println!("simulate: {run:.1} s wall");
    println!("wake-ups processed: {}", sim.events_processed());
    println!("store changes: {}", sim.store().log().len());
    println!("pods Running at the end: {running}");
    if let Some(m) = peak_rss_mib() {
        println!("peak memory (VmHWM): {m:.0} MiB");
    }
}
