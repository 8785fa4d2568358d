//! Read models for the page's inspector: the four things people confuse when a pod misbehaves —
//! the pod's `status.phase`, each container's state, the STATUS column kubectl prints, and the
//! pod's conditions — read from the stored pod, plus which of them the STATUS column came from
//! (by printPod's rules, `kubectl::printers::pod_cells`). Nothing here is computed anew: every
//! value is a field of the Pod object or kubectl's own column.

use serde::Serialize;

use crate::api::{Kind, Object, ObjectKey};
use crate::kubectl::printers::{pod_cells, Now};
use crate::sim::Simulation;

/// One container's `state` as the kubelet reported it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ContainerState {
    pub name: String,
    pub init: bool,
    /// `waiting`, `running`, `terminated`, or empty when the kubelet has not reported it yet.
    pub state: String,
    /// The waiting or terminated reason (empty when there is none).
    pub reason: String,
    pub exit_code: Option<i32>,
    pub ready: bool,
    pub restart_count: i32,
    /// `lastState.terminated`: (reason, exit code) of the previous run.
    pub last_terminated: Option<(String, i32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub type_: String,
    pub status: String,
    pub reason: String,
}

/// Where kubectl's STATUS column took its text from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum StatusSource {
    /// The phase itself.
    Phase,
    /// The pod's `status.reason` (e.g. Evicted).
    PodReason,
    /// A container's waiting reason.
    Waiting(String),
    /// A container's terminated reason (or `ExitCode:N` / `Signal:N`).
    Terminated(String),
    /// An init container's progress or failure (`Init:...`).
    Init,
    /// The pod is being deleted (`deletionTimestamp` set).
    Terminating,
    /// Another of printPod's rules (SchedulingGated, NotReady...).
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PodStates {
    pub phase: String,
    /// `status.reason`, empty when unset.
    pub pod_reason: String,
    /// kubectl's STATUS and READY columns.
    pub status_column: String,
    pub ready_column: String,
    pub source: StatusSource,
    /// Init containers first, then app containers, in spec order; containers the kubelet has
    /// not reported yet have an empty `state`.
    pub containers: Vec<ContainerState>,
    pub conditions: Vec<Condition>,
    /// `spec.nodeName`, empty while unscheduled.
    pub node: String,
}

/// The selected pod's states, or None when there is no such pod.
pub fn pod_states(sim: &Simulation, namespace: &str, name: &str) -> Option<PodStates> {
    let pod = sim.store().get(&ObjectKey::new(Kind::Pod, namespace, name)).and_then(Object::as_pod)?;
    let now = Now { epoch: sim.store().epoch(), at: sim.now() };
    let cells = pod_cells(pod, now);
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let reported = |init: bool| {
        if init {
            status.init_container_statuses.clone().unwrap_or_default()
        } else {
            status.container_statuses.clone().unwrap_or_default()
        }
    };
    let mut containers = Vec::new();
    for (init, specs) in [(true, spec.init_containers.clone().unwrap_or_default()), (false, spec.containers.clone())] {
        let statuses = reported(init);
        for c in specs {
            let mut view = ContainerState { name: c.name.clone(), init, ..Default::default() };
            if let Some(s) = statuses.iter().find(|s| s.name == c.name) {
                view.ready = s.ready;
                view.restart_count = s.restart_count;
                let state = s.state.clone().unwrap_or_default();
                if let Some(w) = state.waiting {
                    view.state = "waiting".into();
                    view.reason = w.reason.unwrap_or_default();
                } else if let Some(t) = state.terminated {
                    view.state = "terminated".into();
                    view.reason = t.reason.unwrap_or_default();
                    view.exit_code = Some(t.exit_code);
                } else if state.running.is_some() {
                    view.state = "running".into();
                }
                view.last_terminated = s
                    .last_state
                    .as_ref()
                    .and_then(|l| l.terminated.as_ref())
                    .map(|t| (t.reason.clone().unwrap_or_default(), t.exit_code));
            }
            containers.push(view);
        }
    }
    let phase = status.phase.clone().unwrap_or_default();
    let pod_reason = status.reason.clone().unwrap_or_default();
    let column = cells.status.clone();
    let source = if pod.metadata.deletion_timestamp.is_some() && (column == "Terminating" || column == "Unknown") {
        StatusSource::Terminating
    } else if column.starts_with("Init:") {
        StatusSource::Init
    } else if let Some(c) = containers.iter().find(|c| !c.init && c.state == "waiting" && c.reason == column) {
        StatusSource::Waiting(c.name.clone())
    } else if let Some(c) = containers.iter().find(|c| {
        !c.init
            && c.state == "terminated"
            && (c.reason == column
                || (c.reason.is_empty() && (column.starts_with("ExitCode:") || column.starts_with("Signal:"))))
    }) {
        StatusSource::Terminated(c.name.clone())
    } else if !pod_reason.is_empty() && column == pod_reason {
        StatusSource::PodReason
    } else if column == phase {
        StatusSource::Phase
    } else {
        StatusSource::Other
    };
    Some(PodStates {
        phase,
        pod_reason,
        status_column: column,
        ready_column: cells.ready,
        source,
        containers,
        conditions: status
            .conditions
            .iter()
            .flatten()
            .map(|c| Condition {
                type_: c.type_.clone(),
                status: c.status.clone(),
                reason: c.reason.clone().unwrap_or_default(),
            })
            .collect(),
        node: spec.node_name.unwrap_or_default(),
    })
}

/// Objects the inspector can show besides pods (nodes, workloads, services), as
/// `type/name` or `type/name -n namespace` — at most `limit` of them.
pub fn inspectable(sim: &Simulation, limit: usize) -> Vec<String> {
    let kinds = [Kind::Node, Kind::Deployment, Kind::ReplicaSet, Kind::Service, Kind::Pod];
    let mut out = Vec::new();
    for kind in kinds {
        for o in sim.store().list(kind, None) {
            if out.len() >= limit {
                return out;
            }
            let ty = kind.name().to_lowercase();
            let ns = o.namespace();
            out.push(if ns.is_empty() || ns == "default" {
                format!("{ty}/{}", o.name())
            } else {
                format!("{ty}/{} -n {ns}", o.name())
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::default_nodes;
    use crate::sim::Config;

    fn sim_with(yaml: &str, ms: u64) -> Simulation {
        let mut sim = Simulation::new(Config { nodes: default_nodes(1), ..Config::default() });
        sim.apply_text(yaml);
        sim.advance_by(ms);
        sim
    }

    #[test]
    fn crash_loop_is_a_waiting_reason_while_the_phase_stays_running() {
        let sim = sim_with(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n",
            60_000,
        );
        let s = pod_states(&sim, "default", "crasher").expect("pod");
        assert_eq!(s.phase, "Running");
        assert_eq!(s.status_column, "CrashLoopBackOff");
        assert_eq!(s.source, StatusSource::Waiting("app".into()));
        let app = &s.containers[0];
        assert_eq!((app.state.as_str(), app.reason.as_str()), ("waiting", "CrashLoopBackOff"));
        assert!(app.restart_count >= 1);
        assert_eq!(app.last_terminated, Some(("Completed".to_string(), 0)));
        assert!(s.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "False"));
        assert!(pod_states(&sim, "default", "nope").is_none());
    }

    #[test]
    fn pending_and_running_pods() {
        let sim = sim_with(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelector:\n    disk: ssd\n  containers:\n  - name: c\n    image: nginx:1.25\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: r\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n",
            30_000,
        );
        let p = pod_states(&sim, "default", "p").expect("pod");
        assert_eq!(
            (p.phase.as_str(), p.status_column.as_str(), p.source.clone()),
            ("Pending", "Pending", StatusSource::Phase)
        );
        assert_eq!(p.containers[0].state, "");
        assert!(p
            .conditions
            .iter()
            .any(|c| c.type_ == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable"));
        let r = pod_states(&sim, "default", "r").expect("pod");
        assert_eq!((r.phase.as_str(), r.status_column.as_str()), ("Running", "Running"));
        assert_eq!(r.containers[0].state, "running");
        assert_eq!(r.node, "k8s-worker1");
        let all = inspectable(&sim, 100);
        assert!(all.contains(&"node/k8s-worker1".to_string()), "{all:?}");
        assert!(all.contains(&"pod/p".to_string()), "{all:?}");
        assert_eq!(inspectable(&sim, 1).len(), 1);
    }
}
