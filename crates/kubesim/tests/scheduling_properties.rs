//! Properties of scheduling over random clusters and workloads: no node is ever committed beyond
//! its allocatable; every pod's node passed every filter at the moment it was bound; and a run is
//! a pure function of its inputs and seed.
//!
//! The checks replay the watch log on their own (which pods are on which node, what the nodes
//! looked like then) instead of trusting the scheduler's bookkeeping.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use kubesim::api::{Kind, Object, ObjectKey};
use kubesim::cluster::NodeSpecLite;
use kubesim::scheduler::framework::{pod_requests, NodeInfo};
use kubesim::store::Op;
use kubesim::time::SECOND;
use kubesim::{Config, Simulation};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct NodeGen {
    cpu: u32,
    memory_gi: u32,
    ssd: bool,
    dedicated: bool,
}

#[derive(Clone, Debug)]
struct PodGen {
    at_s: u64,
    cpu_m: u32,
    memory_mi: u32,
    want_ssd: bool,
    tolerate: bool,
    host_port: bool,
    delete_after_s: Option<u64>,
}

fn node_gen() -> impl Strategy<Value = NodeGen> {
    (1u32..4, 1u32..6, any::<bool>(), prop::bool::weighted(0.25)).prop_map(|(cpu, memory_gi, ssd, dedicated)| NodeGen {
        cpu,
        memory_gi,
        ssd,
        dedicated,
    })
}

fn pod_gen() -> impl Strategy<Value = PodGen> {
    (
        0u64..60,
        prop_oneof![Just(0u32), 100u32..1500],
        prop_oneof![Just(0u32), 64u32..3000],
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.3, 1u64..90),
    )
        .prop_map(|(at_s, cpu_m, memory_mi, want_ssd, tolerate, host_port, delete_after_s)| PodGen {
            at_s,
            cpu_m,
            memory_mi,
            want_ssd,
            tolerate,
            host_port,
            delete_after_s,
        })
}

fn cluster(nodes: &[NodeGen]) -> Vec<NodeSpecLite> {
    let mut specs = vec![NodeSpecLite::control_plane("k8s-master")];
    for (i, n) in nodes.iter().enumerate() {
        let mut s = NodeSpecLite::worker(&format!("k8s-worker{}", i + 1));
        s.cpu = n.cpu.to_string();
        s.memory = format!("{}Gi", n.memory_gi);
        s.labels.insert("disktype".into(), if n.ssd { "ssd" } else { "hdd" }.into());
        if n.dedicated {
            s.taints.push(Taint {
                key: "dedicated".into(),
                value: Some("db".into()),
                effect: "NoSchedule".into(),
                time_added: None,
            });
        }
        specs.push(s);
    }
    specs
}

fn pod_yaml(i: usize, p: &PodGen) -> String {
    let mut y = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n");
    if p.want_ssd {
        y.push_str("  nodeSelector:\n    disktype: ssd\n");
    }
    if p.tolerate {
        y.push_str("  tolerations:\n  - key: dedicated\n    operator: Exists\n    effect: NoSchedule\n");
    }
    y.push_str("  containers:\n  - name: app\n    image: nginx\n");
    if p.host_port {
        y.push_str("    ports:\n    - containerPort: 80\n      hostPort: 8080\n");
    }
    let mut req = Vec::new();
    if p.cpu_m > 0 {
        req.push(format!("cpu: {}m", p.cpu_m));
    }
    if p.memory_mi > 0 {
        req.push(format!("memory: {}Mi", p.memory_mi));
    }
    if !req.is_empty() {
        y.push_str("    resources:\n      requests:\n");
        for r in req {
            y.push_str(&format!("        {r}\n"));
        }
    }
    y
}

/// Runs the workload: pods applied at their times, some deleted later, two minutes in all.
fn run(nodes: &[NodeGen], pods: &[PodGen], seed: u64) -> Simulation {
    let mut sim = Simulation::new(Config { seed, nodes: cluster(nodes), ..Config::default() });
    let mut actions: Vec<(u64, usize, bool)> = Vec::new();
    for (i, p) in pods.iter().enumerate() {
        actions.push((p.at_s, i, true));
        if let Some(d) = p.delete_after_s {
            actions.push((p.at_s + d, i, false));
        }
    }
    actions.sort();
    for (at, i, create) in actions {
        sim.advance_to(at * SECOND);
        if create {
            sim.apply_text(&pod_yaml(i, &pods[i]));
        } else {
            let _ = sim.delete(&ObjectKey::new(Kind::Pod, "default", &format!("p{i}")), None);
        }
    }
    sim.advance_to(180 * SECOND);
    sim
}

fn node_of(p: &Pod) -> &str {
    p.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("")
}

fn terminal(p: &Pod) -> bool {
    matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
}

/// Replays the log, checking both placement properties at every change.
fn check_log(sim: &Simulation) -> Result<(), TestCaseError> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut placed: BTreeMap<ObjectKey, Pod> = BTreeMap::new();
    let filters = kubesim::scheduler::default_filters();
    for change in sim.store().log() {
        match change.object.as_ref() {
            Object::Node(n) => {
                nodes.insert(change.key.name.clone(), n.clone());
            }
            Object::Pod(p) => {
                let node = node_of(p).to_string();
                let leaving = change.op == Op::Deleted || node.is_empty() || terminal(p);
                let newly_bound = !leaving && !placed.contains_key(&change.key);
                if newly_bound {
                    // Every filter must pass against the node as it was, with the pods on it then.
                    let n = nodes.get(&node).ok_or_else(|| TestCaseError::fail(format!("bound to unknown {node}")))?;
                    let mut info = NodeInfo::new(n.clone());
                    for other in placed.values().filter(|o| node_of(o) == node) {
                        info.add_pod(other);
                    }
                    let images = Default::default();
                    let state = kubesim::scheduler::framework::CycleState::for_pod(p, nodes.len(), &images);
                    for f in &filters {
                        prop_assert!(
                            f.filter(p, &info, &state).is_ok(),
                            "{} bound to {node} but {} rejects it: {:?}",
                            change.key.name,
                            f.name(),
                            f.filter(p, &info, &state)
                        );
                    }
                }
                if leaving {
                    placed.remove(&change.key);
                } else {
                    placed.insert(change.key.clone(), p.clone());
                }
                // No node beyond its allocatable.
                for (name, n) in &nodes {
                    let alloc = NodeInfo::new(n.clone()).allocatable;
                    let (mut cpu, mut mem, mut count) = (0, 0, 0);
                    for o in placed.values().filter(|o| node_of(o) == name) {
                        let r = pod_requests(o, false);
                        cpu += r.milli_cpu;
                        mem += r.memory;
                        count += 1;
                    }
                    prop_assert!(cpu <= alloc.milli_cpu, "{name}: cpu {cpu}m > {}m", alloc.milli_cpu);
                    prop_assert!(mem <= alloc.memory, "{name}: memory {mem} > {}", alloc.memory);
                    prop_assert!(count <= alloc.pods, "{name}: {count} pods");
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The whole trace as text: every change and every event.
fn trace(sim: &Simulation) -> String {
    let mut out = String::new();
    for c in sim.store().log() {
        out.push_str(&format!("{} {} {:?} {:?}\n", c.at, c.resource_version, c.op, c.key));
        out.push_str(&format!("{:?}", c.object));
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn placement_respects_allocatable_and_filters(
        nodes in prop::collection::vec(node_gen(), 1..5),
        pods in prop::collection::vec(pod_gen(), 1..24),
        seed in 0u64..1000,
    ) {
        let sim = run(&nodes, &pods, seed);
        check_log(&sim)?;
    }

    #[test]
    fn same_seed_same_trace(
        nodes in prop::collection::vec(node_gen(), 1..4),
        pods in prop::collection::vec(pod_gen(), 1..12),
        seed in 0u64..1000,
    ) {
        let a = trace(&run(&nodes, &pods, seed));
        let b = trace(&run(&nodes, &pods, seed));
        prop_assert!(a == b, "two runs with seed {seed} differ");
    }
}

/// The replay check itself must catch an overcommitted node (so the property can fail).
#[test]
fn the_checker_catches_overcommit() {
    let mut sim = Simulation::new(Config {
        seed: 1,
        nodes: cluster(&[NodeGen { cpu: 1, memory_gi: 1, ssd: false, dedicated: false }]),
        ..Config::default()
    });
    // nodeName bypasses the scheduler, as in upstream: the kubelet would reject it (OutOfmemory),
    // but the log shows it bound beyond allocatable first.
    sim.apply_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: hog\nspec:\n  nodeName: k8s-worker1\n  containers:\n  - name: a\n    image: nginx\n    resources:\n      requests:\n        memory: 2Gi\n");
    sim.advance_to(10 * SECOND);
    assert!(check_log(&sim).is_err());
}
