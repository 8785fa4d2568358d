//! Read models for views (the page, the timeline): pure functions of the store, so the UI never
//! recomputes Kubernetes logic itself.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::api::{Kind, Object, ObjectKey};
use crate::kubectl::printers::{node_row, pod_cells, Now};
use crate::quantity::{self, Quantity};
use crate::scheduler::framework::{node_allocatable, pod_requests};
use crate::sim::Simulation;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    /// Distinguishes a pod from an earlier one of the same name (a chip's identity).
    pub uid: String,
    /// The count the RESTARTS column starts with.
    pub restart_count: i64,
    pub labels: BTreeMap<String, String>,
    /// The controller that owns the pod (ownerReferences), if any.
    pub owner: Option<OwnerView>,
    /// A deletionTimestamp is set: the pod is terminating.
    pub deleting: bool,
}

/// A pod's controlling owner, and the workload it belongs to: the Deployment above a ReplicaSet
/// it created, or the owner itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OwnerView {
    pub kind: String,
    pub name: String,
    pub workload_kind: String,
    pub workload_name: String,
}

/// Bytes in binary units rounded for a glance: `0`, `128Mi`, `3.8Gi`, `16Gi`.
pub fn human_bytes(b: i64) -> String {
    const KI: f64 = 1024.0;
    let f = b as f64;
    let (v, unit) = if f >= KI * KI * KI {
        (f / (KI * KI * KI), "Gi")
    } else if f >= KI * KI {
        (f / (KI * KI), "Mi")
    } else if f >= KI {
        (f / KI, "Ki")
    } else {
        return b.to_string();
    };
    let text = if v < 10.0 { format!("{v:.1}") } else { format!("{v:.0}") };
    format!("{}{unit}", text.trim_end_matches(".0"))
}

/// Requested against allocatable for one resource of a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ResourceUse {
    /// Millicores for CPU, bytes for memory.
    pub requested: i64,
    pub allocatable: i64,
    /// Quantities as Kubernetes prints them (`250m`, `128Mi`).
    pub requested_text: String,
    pub allocatable_text: String,
}

impl ResourceUse {
    fn new(requested: i64, allocatable: i64, format: quantity::Format, per_unit: i128) -> Self {
        ResourceUse {
            requested,
            allocatable,
            requested_text: quantity::canonical(Quantity(requested as i128 * per_unit), format),
            allocatable_text: quantity::canonical(Quantity(allocatable as i128 * per_unit), format),
        }
    }

    /// Requested as a percentage of allocatable (0 when nothing is allocatable), as `kubectl
    /// describe node` rounds it.
    pub fn percent(&self) -> i64 {
        if self.allocatable <= 0 {
            0
        } else {
            (self.requested as f64 * 100.0 / self.allocatable as f64) as i64
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
    /// The kubectl STATUS column (`Ready`, `NotReady,SchedulingDisabled`...).
    pub status: String,
    /// The Ready condition: `Ready` (True), `NotReady` (False) or `Unknown` (Unknown, or no
    /// condition yet: the node controller's view when the kubelet stopped posting).
    pub condition: String,
    /// Cordoned (`spec.unschedulable`).
    pub unschedulable: bool,
    /// The kubectl ROLES column.
    pub roles: String,
    pub labels: BTreeMap<String, String>,
    /// `key=value:Effect` (or `key:Effect`), as `kubectl describe node` lists them.
    pub taints: Vec<String>,
    /// Requests of the pods the scheduler counts on the node (bound, not finished), summed as it
    /// sums them, against the node's allocatable.
    pub cpu: ResourceUse,
    pub memory: ResourceUse,
    /// Shared with the previous view when unchanged (see [`Viewer`]).
    pub pods: Vec<Rc<PodView>>,
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
    pub selector_labels: BTreeMap<String, String>,
    /// `namespace/name` of the pods behind ready endpoints.
    pub ready_pods: Vec<String>,
    /// `namespace/name` of selected pods that are not ready.
    pub not_ready_pods: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    pub now: u64,
    /// Shared with the previous view when unchanged (see [`Viewer`]).
    pub nodes: Vec<Rc<NodeView>>,
    /// Pods not (yet) bound to a node.
    pub unscheduled: Vec<Rc<PodView>>,
    pub services: Vec<ServiceView>,
    /// Pods of the previous view (of the same [`Viewer`]) that no longer exist.
    pub removed: Vec<Rc<PodView>>,
}

/// The controlling ownerReference of an object: (kind, name).
fn controller_of(meta: &ObjectMeta) -> Option<(String, String)> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| (o.kind.clone(), o.name.clone()))
}

fn owner_view(
    store: &crate::store::Store,
    pod_meta: &ObjectMeta,
    cache: &mut HashMap<String, OwnerView>,
) -> Option<OwnerView> {
    let (kind, name) = controller_of(pod_meta)?;
    let ns = pod_meta.namespace.as_deref().unwrap_or_default();
    let cache_key = format!("{kind}/{ns}/{name}");
    if let Some(o) = cache.get(&cache_key) {
        return Some(o.clone());
    }
    // A ReplicaSet made by a Deployment: the pod belongs to the Deployment.
    let above = (kind == "ReplicaSet")
        .then(|| store.get(&ObjectKey::new(Kind::ReplicaSet, ns, &name)))
        .flatten()
        .and_then(|rs| controller_of(rs.meta()))
        .filter(|(k, _)| k == "Deployment");
    let (workload_kind, workload_name) = above.unwrap_or_else(|| (kind.clone(), name.clone()));
    let view = OwnerView { kind, name, workload_kind, workload_name };
    cache.insert(cache_key, view.clone());
    Some(view)
}

fn node_view(n: &k8s_openapi::api::core::v1::Node, now: Now) -> NodeView {
    let row = node_row(n, now, false);
    let condition = match n.status.iter().flat_map(|s| s.conditions.iter().flatten()).rev().find(|c| c.type_ == "Ready")
    {
        Some(c) if c.status == "True" => "Ready",
        Some(c) if c.status == "False" => "NotReady",
        _ => "Unknown",
    };
    let spec = n.spec.as_ref();
    let taints = spec
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(|t| match t.value.as_deref().filter(|v| !v.is_empty()) {
            None => format!("{}:{}", t.key, t.effect),
            Some(v) => format!("{}={}:{}", t.key, v, t.effect),
        })
        .collect();
    let alloc = node_allocatable(n);
    NodeView {
        name: n.metadata.name.clone().unwrap_or_default(),
        ready: condition == "Ready",
        control_plane: n.metadata.labels.as_ref().is_some_and(|l| l.contains_key(crate::cluster::CONTROL_PLANE_LABEL)),
        status: row.get(1).cloned().unwrap_or_default(),
        condition: condition.to_string(),
        unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
        roles: row.get(2).cloned().unwrap_or_default(),
        labels: n.metadata.labels.clone().unwrap_or_default(),
        taints,
        // Requests are filled in below, from the pods.
        cpu: ResourceUse { allocatable: alloc.milli_cpu, ..Default::default() },
        memory: ResourceUse { allocatable: alloc.memory, ..Default::default() },
        pods: Vec::new(),
    }
}

/// The view of the cluster now.
pub fn cluster(sim: &Simulation) -> ClusterView {
    Viewer::default().cluster(sim)
}

fn pod_view(
    store: &crate::store::Store,
    pod: &k8s_openapi::api::core::v1::Pod,
    now: Now,
    owners: &mut HashMap<String, OwnerView>,
) -> PodView {
    let cells = pod_cells(pod, now);
    let status = pod.status.as_ref();
    PodView {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        node: pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
        phase: status.and_then(|s| s.phase.clone()).unwrap_or_default(),
        restart_count: cells.restarts.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0),
        status: cells.status,
        ready: cells.ready,
        restarts: cells.restarts,
        ip: status.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
        uid: pod.metadata.uid.clone().unwrap_or_default(),
        labels: pod.metadata.labels.clone().unwrap_or_default(),
        owner: owner_view(store, &pod.metadata, owners),
        deleting: pod.metadata.deletion_timestamp.is_some(),
    }
}

struct CachedPod {
    resource_version: String,
    view: Rc<PodView>,
    /// (millicores, bytes) the scheduler counts for it.
    requests: (i64, i64),
    /// The last view that saw the pod.
    generation: u64,
}

/// Builds one view after another (the page asks ten times a second), reusing the `PodView` of
/// every pod whose object did not change (same resourceVersion) and whose texts do not depend on
/// the time (RESTARTS without "(5s ago)"). Unchanged pods keep the same `Rc`, so the page can skip
/// them by pointer; a pod whose texts were rebuilt but came out equal keeps its `Rc` too.
#[derive(Default)]
pub struct Viewer {
    pods: HashMap<String, CachedPod>,
    generation: u64,
    /// The last view of each node, with the resourceVersion its texts were built from.
    nodes: HashMap<String, (String, Rc<NodeView>)>,
}

impl Viewer {
    pub fn cluster(&mut self, sim: &Simulation) -> ClusterView {
        let store = sim.store();
        let now = Now { epoch: store.epoch(), at: sim.now() };
        // Node objects change rarely (heartbeats, cordon): rebuild their texts only then.
        let mut node_cache = std::mem::take(&mut self.nodes);
        let mut nodes: Vec<NodeView> = store
            .list(Kind::Node, None)
            .filter_map(Object::as_node)
            .map(|n| {
                let name = n.metadata.name.as_deref().unwrap_or_default();
                let rv = n.metadata.resource_version.as_deref().unwrap_or_default();
                match node_cache.get(name) {
                    Some((old_rv, old)) if old_rv == rv => {
                        let mut v = NodeView::clone(old);
                        v.pods.clear();
                        v
                    }
                    _ => node_view(n, now),
                }
            })
            .collect();
        let index: HashMap<String, usize> = nodes.iter().enumerate().map(|(i, n)| (n.name.clone(), i)).collect();
        let mut requested = vec![(0i64, 0i64); nodes.len()];
        let mut owners = HashMap::new();
        let mut unscheduled = Vec::new();
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        for pod in store.list(Kind::Pod, None).filter_map(Object::as_pod) {
            let uid = pod.metadata.uid.as_deref().unwrap_or_default();
            let rv = pod.metadata.resource_version.as_deref().unwrap_or_default();
            let entry = match self.pods.get_mut(uid) {
                Some(c) if c.resource_version == rv => {
                    // Same object: only RESTARTS' "(5s ago)" can move with the clock.
                    if c.view.restarts.contains('(') {
                        let cells = pod_cells(pod, now);
                        if cells.restarts != c.view.restarts
                            || cells.status != c.view.status
                            || cells.ready != c.view.ready
                        {
                            let v = Rc::make_mut(&mut c.view);
                            v.restarts = cells.restarts;
                            v.status = cells.status;
                            v.ready = cells.ready;
                        }
                    }
                    c
                }
                _ => {
                    let fresh = pod_view(store, pod, now, &mut owners);
                    // The scheduler's count: every bound pod that has not finished
                    // (scheduler/mod.rs forgets Succeeded and Failed pods).
                    let requests = if matches!(fresh.phase.as_str(), "Succeeded" | "Failed") {
                        (0, 0)
                    } else {
                        let r = pod_requests(pod, false);
                        (r.milli_cpu, r.memory)
                    };
                    let c = self.pods.entry(uid.to_string()).or_insert_with(|| CachedPod {
                        resource_version: String::new(),
                        view: Rc::new(fresh.clone()),
                        requests,
                        generation,
                    });
                    c.resource_version = rv.to_string();
                    c.requests = requests;
                    if *c.view != fresh {
                        c.view = Rc::new(fresh);
                    }
                    c
                }
            };
            entry.generation = generation;
            let (view, requests) = (entry.view.clone(), entry.requests);
            match index.get(&view.node) {
                Some(&i) => {
                    requested[i].0 += requests.0;
                    requested[i].1 += requests.1;
                    nodes[i].pods.push(view);
                }
                None => unscheduled.push(view),
            }
        }
        // Pods that are gone.
        let mut removed = Vec::new();
        self.pods.retain(|_, c| {
            if c.generation != generation {
                removed.push(c.view.clone());
            }
            c.generation == generation
        });
        for (n, (cpu, mem)) in nodes.iter_mut().zip(requested) {
            n.cpu = ResourceUse::new(cpu, n.cpu.allocatable, quantity::Format::DecimalSi, 1_000_000);
            n.memory = ResourceUse::new(mem, n.memory.allocatable, quantity::Format::BinarySi, 1_000_000_000);
            // A bar's label reads at a glance: `512Mi / 3.8Gi`, not the node's exact `4026128Ki`
            // (describe node and the inspector keep the exact quantity).
            n.memory.requested_text = human_bytes(n.memory.requested);
            n.memory.allocatable_text = human_bytes(n.memory.allocatable);
        }
        let services = store
            .list(Kind::Service, None)
            .filter_map(Object::as_service)
            .filter(|s| s.spec.as_ref().and_then(|sp| sp.selector.as_ref()).is_some_and(|sel| !sel.is_empty()))
            .map(|svc| {
                let ns = svc.metadata.namespace.clone().unwrap_or_default();
                let name = svc.metadata.name.clone().unwrap_or_default();
                let spec = svc.spec.clone().unwrap_or_default();
                let ep =
                    store.get(&crate::api::ObjectKey::new(Kind::Endpoints, &ns, &name)).and_then(Object::as_endpoints);
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
                            format!(
                                "{}/{}",
                                r.namespace.clone().unwrap_or_default(),
                                r.name.clone().unwrap_or_default()
                            )
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
                    selector: spec
                        .selector
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                    selector_labels: spec.selector.clone().unwrap_or_default(),
                    ready_pods: refs(true),
                    not_ready_pods: refs(false),
                }
            })
            .collect();
        // A node whose texts and pods are all the same keeps its `Rc` (pods compare by pointer).
        let nodes = nodes
            .into_iter()
            .zip(store.list(Kind::Node, None))
            .map(|(n, obj)| {
                let rv = obj.meta().resource_version.clone().unwrap_or_default();
                let rc = match node_cache.remove(&n.name) {
                    Some((_, old)) if *old == n => old,
                    _ => Rc::new(n),
                };
                self.nodes.insert(rc.name.clone(), (rv, rc.clone()));
                rc
            })
            .collect::<Vec<_>>();
        ClusterView { now: sim.now(), nodes, unscheduled, services, removed }
    }
}

/// Why a Service's selector does or does not pick a pod, for the page's selector hover. A Service
/// selects, in its own namespace, the pods whose labels hold every `key=value` of its selector
/// (labels.SelectorFromSet); the endpoints controller then lists those with an IP that have not
/// finished, ready ones as addresses, the others as notReadyAddresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum SelectorMatch {
    /// Selected, and a ready endpoint: traffic goes to it.
    Ready,
    /// Selected, but listed as not ready (readiness probe failing, containers not ready yet, or
    /// terminating): no traffic.
    NotReady,
    /// Selected, but not an endpoint at all: it has no IP yet.
    NoIp,
    /// Selected, but finished (Succeeded or Failed): finished pods are never endpoints.
    Finished,
    /// The pod lives in another namespace than the Service.
    OtherNamespace,
    /// Labels that do not match, one entry per selector pair that fails.
    Mismatch(Vec<LabelMismatch>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LabelMismatch {
    /// The pod has the key with another value.
    Differs { key: String, want: String, has: String },
    /// The pod lacks the key.
    Missing { key: String, want: String },
}

impl SelectorMatch {
    /// Whether the selector picks the pod (whatever its readiness).
    pub fn selected(&self) -> bool {
        matches!(self, SelectorMatch::Ready | SelectorMatch::NotReady | SelectorMatch::NoIp | SelectorMatch::Finished)
    }
}

/// How `svc`'s selector treats `pod`, from the same view (so it agrees with the endpoints drawn).
pub fn service_match(svc: &ServiceView, pod: &PodView) -> SelectorMatch {
    if svc.namespace != pod.namespace {
        return SelectorMatch::OtherNamespace;
    }
    let misses: Vec<LabelMismatch> = svc
        .selector_labels
        .iter()
        .filter_map(|(k, want)| match pod.labels.get(k) {
            Some(has) if has == want => None,
            Some(has) => Some(LabelMismatch::Differs { key: k.clone(), want: want.clone(), has: has.clone() }),
            None => Some(LabelMismatch::Missing { key: k.clone(), want: want.clone() }),
        })
        .collect();
    if !misses.is_empty() {
        return SelectorMatch::Mismatch(misses);
    }
    let id = format!("{}/{}", pod.namespace, pod.name);
    if svc.ready_pods.contains(&id) {
        SelectorMatch::Ready
    } else if svc.not_ready_pods.contains(&id) {
        SelectorMatch::NotReady
    } else if matches!(pod.phase.as_str(), "Succeeded" | "Failed") {
        SelectorMatch::Finished
    } else if pod.ip.is_empty() {
        SelectorMatch::NoIp
    } else {
        // The endpoints controller has not caught up yet (it runs after the pod's change).
        SelectorMatch::NotReady
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Config;
    use crate::time::SECOND;

    const LABELLED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {type: web, lo: dev}
spec:
  containers: [{name: c, image: nginx:1.25}]
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels: {type: db}
spec:
  containers: [{name: c, image: nginx:1.25}]
---
apiVersion: v1
kind: Pod
metadata:
  name: other
  namespace: kube-system
  labels: {type: web, lo: dev}
spec:
  containers: [{name: c, image: nginx:1.25}]
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  selector: {type: web, lo: dev}
  ports: [{port: 80}]
";

    fn pod<'a>(v: &'a ClusterView, ns: &str, name: &str) -> &'a PodView {
        v.nodes
            .iter()
            .flat_map(|n| &n.pods)
            .chain(&v.unscheduled)
            .find(|p| p.namespace == ns && p.name == name)
            .unwrap()
    }

    #[test]
    fn memory_labels_are_rounded_for_a_glance() {
        assert_eq!(super::human_bytes(0), "0");
        assert_eq!(super::human_bytes(128 * 1024 * 1024), "128Mi");
        assert_eq!(super::human_bytes(4_026_128 * 1024), "3.8Gi");
        assert_eq!(super::human_bytes(16 * 1024 * 1024 * 1024), "16Gi");
        assert_eq!(super::human_bytes(1536 * 1024 * 1024), "1.5Gi");
    }

    #[test]
    fn viewer_reuses_unchanged_pods_and_agrees_with_a_fresh_view() {
        let mut sim = Simulation::new(Config::default());
        sim.apply_text(LABELLED);
        sim.apply_text(
            "apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers: [{name: c, image: busybox:1.36, command: [sh, -c, 'sleep 2; exit 1']}]
",
        );
        let mut viewer = Viewer::default();
        let mut last: Option<ClusterView> = None;
        let mut restarts_seen = Vec::new();
        for t in (1..=60).map(|s| s * SECOND) {
            sim.advance_to(t);
            let v = viewer.cluster(&sim);
            assert_eq!(v, cluster(&sim), "at {t} ms the cached view differs from a fresh one");
            let web = |v: &ClusterView| v.nodes.iter().flat_map(|n| &n.pods).find(|p| p.name == "web").cloned();
            if let (Some(prev), Some(now)) = (last.as_ref().and_then(web), web(&v)) {
                if prev.status == "Running" && now.status == "Running" {
                    // The running pod did not change: the same allocation is handed out again.
                    assert!(Rc::ptr_eq(&prev, &now));
                }
            }
            restarts_seen.push(pod(&v, "default", "crasher").restart_count);
            last = Some(v);
        }
        assert!(restarts_seen.last().copied().unwrap_or(0) >= 2, "{restarts_seen:?}");
    }

    #[test]
    fn selector_reasons_per_pod() {
        let mut sim = Simulation::new(Config::default());
        sim.apply_text(LABELLED);
        // Before the scheduler's first cycle: selected but no IP.
        let v = cluster(&sim);
        let svc = &v.services[0];
        assert_eq!(service_match(svc, pod(&v, "default", "web")), SelectorMatch::NoIp);
        sim.advance_to(30 * SECOND);
        let v = cluster(&sim);
        let svc = &v.services[0];
        assert_eq!(service_match(svc, pod(&v, "default", "web")), SelectorMatch::Ready);
        assert_eq!(
            service_match(svc, pod(&v, "default", "db")),
            SelectorMatch::Mismatch(vec![
                LabelMismatch::Missing { key: "lo".into(), want: "dev".into() },
                LabelMismatch::Differs { key: "type".into(), want: "web".into(), has: "db".into() },
            ])
        );
        assert_eq!(service_match(svc, pod(&v, "kube-system", "other")), SelectorMatch::OtherNamespace);
        // Deleting: still selected, listed as not ready while it terminates.
        sim.delete(&ObjectKey::new(Kind::Pod, "default", "web"), None).unwrap();
        let v = cluster(&sim);
        let web = pod(&v, "default", "web");
        assert!(web.deleting);
        assert_eq!(web.status, "Terminating");
        assert_eq!(service_match(&v.services[0], web), SelectorMatch::NotReady);
    }

    #[test]
    fn nodes_show_requests_roles_taints_and_owners() {
        let mut sim = Simulation::new(Config::default());
        sim.apply_text(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx:1.25
        resources: {requests: {cpu: 250m, memory: 64Mi}}
      initContainers:
      - name: init
        image: busybox:1.36
        command: [\"true\"]
        resources: {requests: {cpu: 500m}}
---
apiVersion: v1
kind: Pod
metadata:
  name: done
spec:
  restartPolicy: Never
  nodeName: k8s-worker1
  containers: [{name: c, image: busybox:1.36, resources: {requests: {cpu: '1'}}}]
",
        );
        sim.advance_to(60 * SECOND);
        let v = cluster(&sim);
        let master = v.nodes.iter().find(|n| n.name == "k8s-master").unwrap();
        assert!(master.control_plane);
        assert_eq!(master.roles, "control-plane");
        assert_eq!(master.taints, vec!["node-role.kubernetes.io/control-plane:NoSchedule".to_string()]);
        assert_eq!(master.condition, "Ready");
        assert!(master.pods.is_empty());
        assert_eq!(master.cpu.requested, 0);
        let workers: Vec<&Rc<NodeView>> = v.nodes.iter().filter(|n| !n.control_plane).collect();
        // Each Deployment pod counts max(sum of app containers, largest init container): 500m, 64Mi.
        // The finished pod (busybox exits at once, restartPolicy Never) counts nothing.
        let done = pod(&v, "default", "done");
        assert_eq!(done.phase, "Succeeded");
        let cpu: i64 = workers.iter().map(|n| n.cpu.requested).sum();
        let mem: i64 = workers.iter().map(|n| n.memory.requested).sum();
        assert_eq!(cpu, 1000);
        assert_eq!(mem, 128 * 1024 * 1024);
        let busy = workers.iter().find(|n| n.cpu.requested > 0).unwrap();
        assert!(busy.cpu.requested_text.ends_with('m') || busy.cpu.requested_text == "1");
        assert!(busy.cpu.allocatable > 0 && busy.memory.allocatable > 0);
        let web: Vec<&Rc<PodView>> =
            v.nodes.iter().flat_map(|n| &n.pods).filter(|p| p.name.starts_with("web-")).collect();
        assert_eq!(web.len(), 2);
        for p in web {
            let o = p.owner.as_ref().unwrap();
            assert_eq!(o.kind, "ReplicaSet");
            assert!(o.name.starts_with("web-"));
            assert_eq!((o.workload_kind.as_str(), o.workload_name.as_str()), ("Deployment", "web"));
            assert_eq!(p.labels.get("app").map(String::as_str), Some("web"));
        }
        assert!(done.owner.is_none());
    }
}
