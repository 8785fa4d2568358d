//! The node lifecycle controller (pkg/controller/nodelifecycle): it watches kubelet heartbeats and,
//! when a node has been silent longer than `node-monitor-grace-period`, sets its conditions to
//! Unknown, taints it `node.kubernetes.io/unreachable` (NoSchedule and NoExecute) and marks its
//! pods not Ready (MarkPodsNotReady). When the kubelet posts again the taints go.
//!
//! Heartbeats are not written to the store (no Lease objects, no status every 10 s): a running
//! kubelet counts as heartbeating continuously, and only a stopped kubelet's silence is tracked.
//! That keeps a 5,000-node cluster's watch log free of heartbeat noise; `lastHeartbeatTime` on a
//! node therefore shows the last status change, not the last renewal.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{NodeCondition, PodCondition, Taint};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Recorder, Source, NORMAL, WARNING};
use crate::rng::Rng;
use crate::store::Store;
use crate::time::{Millis, SECOND};

/// `--node-monitor-grace-period`: 50 s since v1.32 (it was 40 s before).
pub const NODE_MONITOR_GRACE: Millis = 50 * SECOND;
/// `--node-monitor-period`: how often the controller looks at the nodes.
pub const NODE_MONITOR_PERIOD: Millis = 5 * SECOND;

pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";

pub fn source() -> Source {
    Source { component: "node-controller", host: None }
}

#[derive(Debug, Default)]
pub struct NodeLifecycle {
    /// Nodes whose kubelet has stopped posting, and since when.
    silent_since: BTreeMap<String, Millis>,
}

/// The first monitor tick (a multiple of the period) at or after `t`.
pub fn next_tick(t: Millis) -> Millis {
    t.div_ceil(NODE_MONITOR_PERIOD) * NODE_MONITOR_PERIOD
}

impl NodeLifecycle {
    /// A kubelet stopped at `now`; returns when the controller will first find it overdue.
    pub fn kubelet_stopped(&mut self, node: &str, now: Millis) -> Millis {
        self.silent_since.entry(node.to_string()).or_insert(now);
        // Overdue once strictly past the grace period.
        next_tick(now + NODE_MONITOR_GRACE + 1)
    }

    pub fn kubelet_started(&mut self, node: &str) {
        self.silent_since.remove(node);
    }

    pub fn is_silent(&self, node: &str) -> bool {
        self.silent_since.contains_key(node)
    }

    /// One monitor pass over every node.
    pub fn monitor(&self, store: &mut Store, rng: &mut Rng, recorder: &mut Recorder, now: Millis) {
        let nodes: Vec<ObjectKey> = store.list(Kind::Node, None).map(Object::key).collect();
        for key in nodes {
            let overdue = self.silent_since.get(&key.name).is_some_and(|&since| now > since + NODE_MONITOR_GRACE);
            let Some(node) = store.get(&key).and_then(Object::as_node).cloned() else { continue };
            let ready = node
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
                .map(|c| c.status.clone())
                .unwrap_or_default();
            let tainted = node
                .spec
                .as_ref()
                .and_then(|s| s.taints.as_ref())
                .is_some_and(|t| t.iter().any(|t| t.key == UNREACHABLE_TAINT));
            if overdue && ready != "Unknown" {
                mark_unreachable(store, rng, recorder, now, &key);
            } else if !self.is_silent(&key.name) && tainted && ready == "True" {
                // The kubelet posts again: the unreachable taints go.
                store.modify(&key, now, |o| {
                    if let Object::Node(n) = o {
                        if let Some(t) = n.spec.as_mut().and_then(|s| s.taints.as_mut()) {
                            t.retain(|t| t.key != UNREACHABLE_TAINT && t.key != NOT_READY_TAINT);
                        }
                        if n.spec.as_ref().and_then(|s| s.taints.as_ref()).is_some_and(|t| t.is_empty()) {
                            if let Some(s) = n.spec.as_mut() {
                                s.taints = None;
                            }
                        }
                    }
                });
            }
        }
    }
}

fn mark_unreachable(store: &mut Store, rng: &mut Rng, recorder: &mut Recorder, now: Millis, key: &ObjectKey) {
    let t = store.epoch().time(now);
    store.modify(key, now, |o| {
        if let Object::Node(n) = o {
            let status = n.status.get_or_insert_with(Default::default);
            for c in status.conditions.get_or_insert_with(Vec::new).iter_mut() {
                *c = NodeCondition {
                    type_: c.type_.clone(),
                    status: "Unknown".into(),
                    reason: Some("NodeStatusUnknown".into()),
                    message: Some("Kubelet stopped posting node status.".into()),
                    last_heartbeat_time: c.last_heartbeat_time.clone(),
                    last_transition_time: Some(t.clone()),
                };
            }
            let taints = n.spec.get_or_insert_with(Default::default).taints.get_or_insert_with(Vec::new);
            taints.retain(|x| x.key != NOT_READY_TAINT);
            for effect in ["NoSchedule", "NoExecute"] {
                if !taints.iter().any(|x| x.key == UNREACHABLE_TAINT && x.effect == effect) {
                    taints.push(Taint {
                        key: UNREACHABLE_TAINT.into(),
                        value: None,
                        effect: effect.into(),
                        time_added: (effect == "NoExecute").then(|| t.clone()),
                    });
                }
            }
        }
    });
    if let Some(obj) = store.get(key).cloned() {
        let msg = format!("Node {} status is now: NodeNotReady", key.name);
        recorder.record(store, rng, now, source(), &obj, None, NORMAL, "NodeNotReady", msg);
    }
    // MarkPodsNotReady: every pod on the node loses Ready; the kubelet cannot say otherwise.
    let pods: Vec<ObjectKey> = store
        .list(Kind::Pod, None)
        .filter_map(Object::as_pod)
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(key.name.as_str()))
        .filter(|p| !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed")))
        .map(|p| {
            ObjectKey::new(
                Kind::Pod,
                p.metadata.namespace.as_deref().unwrap_or("default"),
                p.metadata.name.as_deref().unwrap_or(""),
            )
        })
        .collect();
    for pod in pods {
        store.modify(&pod, now, |o| {
            if let Object::Pod(p) = o {
                let conds = p.status.get_or_insert_with(Default::default).conditions.get_or_insert_with(Vec::new);
                if let Some(c) = conds.iter_mut().find(|c| c.type_ == "Ready") {
                    if c.status != "False" {
                        *c = PodCondition {
                            type_: "Ready".into(),
                            status: "False".into(),
                            last_transition_time: Some(t.clone()),
                            ..Default::default()
                        };
                    }
                }
            }
        });
        if let Some(obj) = store.get(&pod).cloned() {
            recorder.record(store, rng, now, source(), &obj, None, WARNING, "NodeNotReady", "Node is not ready".into());
        }
    }
}

/// A kubelet that starts posting again sets its node's conditions (Ready=True, no pressure) and
/// says so in an event; after a reboot it also reports the new boot.
pub fn kubelet_posts_ready(
    store: &mut Store,
    rng: &mut Rng,
    recorder: &mut Recorder,
    now: Millis,
    node: &str,
    rebooted: bool,
) {
    let key = ObjectKey::new(Kind::Node, "", node);
    let t = store.epoch().time(now);
    store.modify(&key, now, |o| {
        if let Object::Node(n) = o {
            let status = n.status.get_or_insert_with(Default::default);
            for c in status.conditions.get_or_insert_with(Vec::new).iter_mut() {
                let (value, reason, message) = match c.type_.as_str() {
                    "Ready" => ("True", "KubeletReady", "kubelet is posting ready status"),
                    "MemoryPressure" => {
                        ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available")
                    }
                    "DiskPressure" => ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    "PIDPressure" => ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    _ => continue,
                };
                let changed = c.status != value;
                c.status = value.into();
                c.reason = Some(reason.into());
                c.message = Some(message.into());
                c.last_heartbeat_time = Some(t.clone());
                if changed {
                    c.last_transition_time = Some(t.clone());
                }
            }
        }
    });
    if let Some(obj) = store.get(&key).cloned() {
        let kubelet = Source::kubelet(node);
        if rebooted {
            let msg = format!(
                "Node {node} has been rebooted, boot id: {}",
                crate::kubelet::status::digest(&format!("boot/{node}/{now}"))
            );
            recorder.record(store, rng, now, kubelet.clone(), &obj, None, WARNING, "Rebooted", msg);
        }
        let msg = format!("Node {node} status is now: NodeReady");
        recorder.record(store, rng, now, kubelet, &obj, None, NORMAL, "NodeReady", msg);
    }
}
