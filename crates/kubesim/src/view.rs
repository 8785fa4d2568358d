//! Read models for views (the page, the timeline): pure functions of the store, so the UI never
//! recomputes Kubernetes logic itself.

use serde::Serialize;

use crate::api::{Kind, Object};
use crate::kubectl::printers::{pod_cells, Now};
use crate::sim::Simulation;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    /// Empty while unscheduled.
    pub node: String,
    pub phase: String,
    /// The kubectl STATUS column text.
    pub status: String,
    pub ready: String,
    pub restarts: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
    pub pods: Vec<PodView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    pub type_: String,
    pub cluster_ip: String,
    /// `port/protocol` list as `kubectl get svc` prints it.
    pub ports: String,
    /// `key=value` pairs of the selector.
    pub selector: String,
    /// `namespace/name` of the pods behind ready endpoints.
    pub ready_pods: Vec<String>,
    /// `namespace/name` of selected pods that are not ready.
    pub not_ready_pods: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    pub now: u64,
    pub nodes: Vec<NodeView>,
    /// Pods not (yet) bound to a node.
    pub unscheduled: Vec<PodView>,
    pub services: Vec<ServiceView>,
}

pub fn cluster(sim: &Simulation) -> ClusterView {
    let store = sim.store();
    let now = Now { epoch: store.epoch(), at: sim.now() };
    let mut nodes: Vec<NodeView> = store
        .list(Kind::Node, None)
        .filter_map(Object::as_node)
        .map(|n| NodeView {
            name: n.metadata.name.clone().unwrap_or_default(),
            ready: n
                .status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .any(|c| c.type_ == "Ready" && c.status == "True"),
            control_plane: n
                .metadata
                .labels
                .as_ref()
                .is_some_and(|l| l.contains_key(crate::cluster::CONTROL_PLANE_LABEL)),
            pods: Vec::new(),
        })
        .collect();
    let mut unscheduled = Vec::new();
    for pod in store.list(Kind::Pod, None).filter_map(Object::as_pod) {
        let cells = pod_cells(pod, now);
        let status = pod.status.clone().unwrap_or_default();
        let view = PodView {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            node: pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
            phase: status.phase.unwrap_or_default(),
            status: cells.status,
            ready: cells.ready,
            restarts: cells.restarts,
            ip: status.pod_ip.unwrap_or_default(),
        };
        match nodes.iter_mut().find(|n| n.name == view.node) {
            Some(n) => n.pods.push(view),
            None => unscheduled.push(view),
        }
    }
    let services = store
        .list(Kind::Service, None)
        .filter_map(Object::as_service)
        .filter(|s| s.spec.as_ref().and_then(|sp| sp.selector.as_ref()).is_some_and(|sel| !sel.is_empty()))
        .map(|svc| {
            let ns = svc.metadata.namespace.clone().unwrap_or_default();
            let name = svc.metadata.name.clone().unwrap_or_default();
            let spec = svc.spec.clone().unwrap_or_default();
            let ep = store.get(&crate::api::ObjectKey::new(Kind::Endpoints, &ns, &name)).and_then(Object::as_endpoints);
            let refs = |ready: bool| -> Vec<String> {
                ep.iter()
                    .flat_map(|e| e.subsets.iter().flatten())
                    .flat_map(|ss| {
                        if ready {
                            ss.addresses.iter().flatten()
                        } else {
                            ss.not_ready_addresses.iter().flatten()
                        }
                    })
                    .filter_map(|a| a.target_ref.as_ref())
                    .map(|r| {
                        format!("{}/{}", r.namespace.clone().unwrap_or_default(), r.name.clone().unwrap_or_default())
                    })
                    .collect()
            };
            let row = crate::kubectl::printers::service_row(svc, now, false);
            ServiceView {
                namespace: ns,
                name,
                type_: spec.type_.clone().unwrap_or_default(),
                cluster_ip: spec.cluster_ip.clone().unwrap_or_default(),
                ports: row.get(4).cloned().unwrap_or_default(),
                selector: spec.selector.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
                ready_pods: refs(true),
                not_ready_pods: refs(false),
            }
        })
        .collect();
    ClusterView { now: sim.now(), nodes, unscheduled, services }
}
