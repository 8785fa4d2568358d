//! The scheduler's choices and its table, through the whole engine.

use kubesim::api::{Kind, Object, ObjectKey};
use kubesim::cluster::NodeSpecLite;
use kubesim::time::SECOND;
use kubesim::{Config, Simulation};

fn two_workers() -> Simulation {
    Simulation::new(Config {
        seed: 7,
        nodes: vec![NodeSpecLite::worker("w1"), NodeSpecLite::worker("w2")],
        ..Config::default()
    })
}

fn node_of(sim: &Simulation, pod: &str) -> String {
    sim.store()
        .get(&ObjectKey::new(Kind::Pod, "default", pod))
        .and_then(Object::as_pod)
        .and_then(|p| p.spec.as_ref()?.node_name.clone())
        .unwrap_or_default()
}

fn pod(name: &str, image: &str, extra: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{extra}  containers:\n  - name: c\n    image: {image}\n")
}

#[test]
fn image_locality_prefers_the_node_that_has_the_image() {
    let mut sim = two_workers();
    sim.apply_text(&pod("first", "luksa/kubia", "  nodeName: w1\n"));
    sim.advance_to(30 * SECOND);
    sim.apply_text(&pod("second", "luksa/kubia", ""));
    sim.advance_to(31 * SECOND);
    assert_eq!(node_of(&sim, "second"), "w1");
    let attempt = sim.scheduler().attempt(&ObjectKey::new(Kind::Pod, "default", "second")).expect("a table");
    let row = |n: &str| attempt.nodes.iter().find(|r| &*r.node == n).expect("row");
    let image = |n: &str| row(n).scores.iter().find(|s| s.0 == "ImageLocality").map(|s| s.1);
    // 251 MB on one node of two: (125.5 MB - 23 MiB) / (1000 MiB - 23 MiB) of 100.
    assert_eq!(image("w1"), Some(9));
    assert_eq!(image("w2"), Some(0));
    // A smaller image of a pod with nothing cached goes by resources: the emptier w2.
    sim.apply_text(&pod("third", "nginx", ""));
    sim.advance_to(32 * SECOND);
    assert_eq!(node_of(&sim, "third"), "w2");
}

#[test]
fn preferred_affinity_and_host_ports() {
    let mut sim = Simulation::new(Config {
        seed: 3,
        nodes: vec![NodeSpecLite::worker("w1"), {
            let mut n = NodeSpecLite::worker("w2");
            n.labels.insert("zone".into(), "b".into());
            n
        }],
        ..Config::default()
    });
    let prefer_b = "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 50\n        preference:\n          matchExpressions:\n          - key: zone\n            operator: In\n            values: [b]\n";
    sim.apply_text(&pod("likes-b", "nginx", prefer_b));
    sim.advance_to(SECOND);
    assert_eq!(node_of(&sim, "likes-b"), "w2");
    // Two pods asking for hostPort 8080 cannot share a node; a third finds no node.
    let host_port = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n")
    };
    for n in ["hp1", "hp2", "hp3"] {
        sim.apply_text(&host_port(n));
        sim.advance_to(sim.now() + SECOND);
    }
    assert_ne!(node_of(&sim, "hp1"), node_of(&sim, "hp2"));
    assert_eq!(node_of(&sim, "hp3"), "");
    let attempt = sim.scheduler().attempt(&ObjectKey::new(Kind::Pod, "default", "hp3")).expect("a table");
    assert_eq!(
        attempt.message.as_deref(),
        Some("0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..")
    );
    assert!(attempt.nodes.iter().all(|r| r.failed.as_ref().is_some_and(|(p, _)| *p == "NodePorts") && r.passed == 4));
    // Deleting a pod that holds the port lets the waiting one in (a queueing hint of NodePorts).
    sim.delete(&ObjectKey::new(Kind::Pod, "default", "hp1"), Some(0)).expect("delete");
    sim.advance_to(sim.now() + SECOND);
    assert!(!node_of(&sim, "hp3").is_empty());
}

#[test]
fn big_clusters_filter_only_enough_nodes() {
    assert_eq!(kubesim::scheduler::feasible_nodes_to_find(50), 50);
    assert_eq!(kubesim::scheduler::feasible_nodes_to_find(1000), 420);
    assert_eq!(kubesim::scheduler::feasible_nodes_to_find(5000), 500);
    assert_eq!(kubesim::scheduler::feasible_nodes_to_find(200), 100);
    let mut sim = Simulation::new(Config { seed: 1, nodes: kubesim::cluster::default_nodes(300), ..Config::default() });
    sim.apply_text(&pod("one", "nginx", ""));
    sim.advance_to(SECOND);
    let attempt = sim.scheduler().attempt(&ObjectKey::new(Kind::Pod, "default", "one")).expect("a table");
    assert_eq!(attempt.total_nodes, 301);
    // 301 nodes: 48% → 144 feasible wanted, plus the tainted control plane if it came up.
    let feasible = attempt.nodes.iter().filter(|r| r.feasible()).count();
    assert_eq!(feasible, 144);
}
