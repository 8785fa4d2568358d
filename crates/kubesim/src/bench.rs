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

/// The page's frame-time workload (`?bench=frames`): `pods` pods on `nodes` workers in a mix that
/// keeps STATUS changing while time plays: ten teams (namespaces `team-0`..`team-9`), each a
/// Deployment of nginx behind a Service (7 in 8 pods); in `default`, crash-looping busybox pods
/// that run 10 to 59 s then exit 1 (1 in 16), image pulls that fail (1 in 32) and pods that
/// complete after 20 to 119 s (the rest). Run times are staggered so restarts spread over time as
/// on a real cluster, and teams live in their own namespaces (controllers reconcile per namespace).
pub fn cluster_view_mix(nodes: usize, pods: usize) -> Simulation {
    let mut sim = Simulation::new(Config { nodes: cluster::default_nodes(nodes), ..Config::default() });
    let deployed = pods * 7 / 8;
    let crashing = pods / 16;
    let bad_images = pods / 32;
    let completing = pods - deployed - crashing - bad_images;
    let teams = 10.min(deployed.max(1));
    let mut text = String::new();
    for d in 0..teams {
        let replicas = deployed / teams + usize::from(d < deployed % teams);
        text.push_str(&format!(
            "apiVersion: v1
kind: Namespace
metadata:
  name: team-{d}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-{d}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: team-{d}
spec:
  selector:
    app: web
  ports:
  - port: 80
---
"
        ));
    }
    sim.apply_text(&text);
    // (how many, name prefix, image, restartPolicy, the command of pod i)
    type Command = fn(usize) -> String;
    let singles: [(usize, &str, &str, &str, Command); 3] = [
        (crashing, "crash", "busybox:1.36", "Always", |i| {
            format!("[\"sh\", \"-c\", \"sleep {}; exit 1\"]", 10 + i % 50)
        }),
        (bad_images, "pull", "nginx:no-such-tag", "Always", |_| "[\"nginx\"]".to_string()),
        (completing, "job", "busybox:1.36", "Never", |i| format!("[\"sh\", \"-c\", \"sleep {}\"]", 20 + i % 100)),
    ];
    for (count, prefix, image, policy, command) in singles {
        let mut text = String::new();
        for i in 0..count {
            // One `apply -f` takes at most 1,000 documents: apply in batches.
            if i % 500 == 0 && !text.is_empty() {
                sim.apply_text(&text);
                text.clear();
            }
            let command = command(i);
            text.push_str(&format!(
                "apiVersion: v1
kind: Pod
metadata:
  name: {prefix}-{i}
  labels:
    app: {prefix}
spec:
  restartPolicy: {policy}
  containers:
  - name: app
    image: {image}
    command: {command}
    resources:
      requests:
        cpu: 20m
        memory: 32Mi
---
"
            ));
        }
        sim.apply_text(&text);
    }
    sim
}

#[cfg(test)]
mod tests {
    #[test]
    fn cluster_view_mix_has_every_kind_of_status() {
        let mut sim = super::cluster_view_mix(10, 160);
        let mut seen = std::collections::BTreeSet::new();
        for t in (5..=120).step_by(5) {
            sim.advance_to(t * crate::time::SECOND);
            let v = crate::view::cluster(&sim);
            let pods: Vec<_> = v.nodes.iter().flat_map(|n| &n.pods).chain(&v.unscheduled).collect();
            assert_eq!(pods.len(), 160);
            seen.extend(pods.iter().map(|p| p.status.clone()));
            assert_eq!(v.services.len(), 10);
        }
        for status in
            ["Running", "ContainerCreating", "CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "Completed"]
        {
            assert!(seen.contains(status), "no {status} pod: {seen:?}");
        }
    }
}
