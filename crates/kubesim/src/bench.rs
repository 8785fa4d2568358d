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

/// `pods` pods (100m cpu, 128Mi memory each, no probes) applied to a cluster of `nodes` workers
/// and not yet scheduled: the scheduling throughput workload.
pub fn pending_pods(nodes: usize, pods: usize) -> Simulation {
    let mut sim = Simulation::new(Config { nodes: cluster::default_nodes(nodes), ..Config::default() });
    let mut text = String::with_capacity(500 * 260);
    for i in 0..pods {
        // One `apply -f` takes at most 1,000 documents: apply in batches.
        if i % 500 == 0 && !text.is_empty() {
            sim.apply_text(&text);
            text.clear();
        }
        text.push_str(&format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: batch-{i}
spec:
  containers:
  - name: app
    image: nginx:1.25
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
---
"
        ));
    }
    sim.apply_text(&text);
    sim
}

/// Runs the scheduler's wake-up for everything queued (and nothing later); returns how many pods
/// are bound to a node.
pub fn schedule_all(sim: &mut Simulation) -> usize {
    sim.advance_to(sim.now() + crate::scheduler::QUEUE_DELAY_MS);
    sim.store()
        .list(crate::api::Kind::Pod, None)
        .filter_map(crate::api::Object::as_pod)
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty()))
        .count()
}
