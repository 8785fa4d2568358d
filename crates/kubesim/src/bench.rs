//! Benchmark workloads, shared by the native example (`cargo run --release -p kubesim --example
//! throughput`) and the page's `?bench=throughput` mode, so both measure the same work. The
//! engine does not time anything itself (it has no clock): callers do.

use crate::cluster;
use crate::sim::{Config, Simulation};

/// `pods` nginx pods, each with an HTTP readiness probe and a TCP liveness probe (period 10 s),
/// applied at t=0 to a cluster of `nodes` workers.
pub fn pods_with_probes(nodes: usize, pods: usize) -> Simulation {
    let mut sim = Simulation::new(Config { nodes: cluster::default_nodes(nodes), ..Config::default() });
    let mut text = String::new();
    for i in 0..pods {
        text.push_str(&format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: web-{i}
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports:
    - containerPort: 80
    readinessProbe:
      httpGet:
        path: /
        port: 80
      periodSeconds: 10
    livenessProbe:
      tcpSocket:
        port: 80
      periodSeconds: 10
---
"
        ));
    }
    sim.apply_text(&text);
    sim
}
