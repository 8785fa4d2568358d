//! The simulation: the store, the virtual clock and the components, wired the way Kubernetes
//! wires them (through the apiserver only). `advance_to` and `step` are the only ways time moves.

use std::collections::BTreeMap;

use crate::api::{Kind, Object, ObjectKey};
use crate::clock::Clock;
use crate::cluster::{self, NodeSpecLite};
use crate::events::Recorder;
use crate::kubelet::{Kubelet, KubeletWake};
use crate::manifest::{self, ManifestError};
use crate::rng::Rng;
use crate::scheduler::Scheduler;
use crate::store::{ApiError, Store};
use crate::time::{Epoch, Millis};

const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";

/// Replaces `cur` with `want`; whether anything changed.
fn replace<T: Clone + PartialEq>(cur: &mut Option<T>, want: &Option<T>) -> bool {
    if cur == want {
        false
    } else {
        *cur = want.clone();
        true
    }
}

/// What the apiserver does to every new Pod, whoever creates it (a learner or a controller):
/// defaulting, the ServiceAccount token volume, generation 1, phase Pending and the QoS class.
pub fn admit_pod(p: &mut k8s_openapi::api::core::v1::Pod, rng: &mut Rng) {
    crate::defaults::default_pod(p);
    crate::defaults::mount_service_account_token(p, &rng.name_suffix(5));
    // Pods carry a generation since PodObservedGenerationTracking (GA in 1.35).
    p.metadata.generation = Some(1);
    let qos = p.spec.as_ref().map(crate::qos::qos_class).unwrap_or("BestEffort");
    p.status = Some(k8s_openapi::api::core::v1::PodStatus {
        phase: Some("Pending".into()),
        qos_class: Some(qos.into()),
        ..Default::default()
    });
}

/// What the apiserver fills in on a Namespace: the `kubernetes.io/metadata.name` label, the
/// `kubernetes` finalizer and phase Active.
fn default_namespace(obj: &mut Object) {
    if let Object::Namespace(n) = obj {
        let name = n.metadata.name.clone().unwrap_or_default();
        n.metadata.labels.get_or_insert_with(Default::default).insert("kubernetes.io/metadata.name".into(), name);
        n.spec.get_or_insert_with(Default::default).finalizers.get_or_insert_with(|| vec!["kubernetes".into()]);
        n.status = Some(k8s_openapi::api::core::v1::NamespaceStatus { phase: Some("Active".into()), conditions: None });
    }
}

/// Copies `from`'s status into `to` (same kind); whether it changed.
fn copy_status(to: &mut Object, from: &Object) -> bool {
    match (to, from) {
        (Object::Pod(a), Object::Pod(b)) => replace(&mut a.status, &b.status),
        (Object::Node(a), Object::Node(b)) => replace(&mut a.status, &b.status),
        (Object::Service(a), Object::Service(b)) => replace(&mut a.status, &b.status),
        (Object::Deployment(a), Object::Deployment(b)) => replace(&mut a.status, &b.status),
        (Object::ReplicaSet(a), Object::ReplicaSet(b)) => replace(&mut a.status, &b.status),
        (Object::ReplicationController(a), Object::ReplicationController(b)) => replace(&mut a.status, &b.status),
        (Object::Job(a), Object::Job(b)) => replace(&mut a.status, &b.status),
        (Object::Namespace(a), Object::Namespace(b)) => replace(&mut a.status, &b.status),
        _ => false,
    }
}

/// A timed wake-up of one component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wake {
    Schedule,
    Kubelet {
        node: String,
        wake: KubeletWake,
    },
    /// A pass of the node lifecycle and taint eviction controllers.
    NodeMonitor,
    /// The Job controller's delayed sync of a namespace (pod failure back-off, activeDeadlineSeconds).
    Job {
        namespace: String,
    },
}

/// What a component gets to act with: the store, the clock, the RNG and the event recorder.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub clock: &'a mut Clock<Wake>,
    pub rng: &'a mut Rng,
    pub recorder: &'a mut Recorder,
}

/// How a simulation starts.
#[derive(Clone, Debug)]
pub struct Config {
    pub seed: u64,
    pub nodes: Vec<NodeSpecLite>,
    pub epoch: Epoch,
    /// The kubelets' container restart back-off (a scenario's preset can make it faster).
    pub crash_loop: crate::kubelet::backoff::CrashLoopBackOff,
}

impl Default for Config {
    fn default() -> Self {
        Config { seed: 1, nodes: cluster::default_nodes(2), epoch: Epoch::default(), crash_loop: Default::default() }
    }
}

/// The result of applying one document.
#[derive(Clone, Debug, PartialEq)]
pub enum Applied {
    Created(ObjectKey),
    /// An existing object was changed (`kubectl apply` says "configured").
    Configured(ObjectKey),
    Unchanged(ObjectKey),
    Invalid(ManifestError),
    Rejected(ApiError),
}

pub struct Simulation {
    clock: Clock<Wake>,
    store: Store,
    rng: Rng,
    recorder: Recorder,
    scheduler: Scheduler,
    kubelets: BTreeMap<String, Kubelet>,
    /// How far into the watch log the components have been told.
    cursor: usize,
    events_processed: u64,
    /// The controller manager runs (a scenario can stop it to show what stops working).
    controllers_running: bool,
    scheduler_running: bool,
    /// Kubelets whose process is stopped (their wake-ups and watch events are dropped), and
    /// machines that are down (their containers die with them).
    stopped_kubelets: std::collections::BTreeSet<String>,
    down_nodes: std::collections::BTreeSet<String>,
    node_lifecycle: crate::controllers::node_lifecycle::NodeLifecycle,
    /// NodeMonitor passes already asked of the clock.
    monitor_wakes: std::collections::BTreeSet<Millis>,
    jobs: crate::controllers::job::JobController,
    /// Every kubelet's crash-loop back-off curve, kept for nodes that join later.
    crash_loop: crate::kubelet::backoff::CrashLoopBackOff,
    /// Images the registry lost (faults), kept for kubelets of nodes that join later.
    pub(crate) registry: crate::runtime::registry::Registry,
}

impl Simulation {
    pub fn new(config: Config) -> Self {
        let mut sim = Simulation {
            clock: Clock::default(),
            store: Store::new(config.epoch),
            rng: Rng::new(config.seed),
            recorder: Recorder::default(),
            scheduler: Scheduler::default(),
            kubelets: BTreeMap::new(),
            cursor: 0,
            events_processed: 0,
            controllers_running: true,
            scheduler_running: true,
            stopped_kubelets: Default::default(),
            down_nodes: Default::default(),
            node_lifecycle: Default::default(),
            monitor_wakes: Default::default(),
            jobs: Default::default(),
            crash_loop: config.crash_loop,
            registry: Default::default(),
        };
        // The namespaces every cluster starts with.
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let mut obj = Object::Namespace(k8s_openapi::api::core::v1::Namespace {
                metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                    name: Some(ns.into()),
                    ..Default::default()
                },
                ..Default::default()
            });
            default_namespace(&mut obj);
            let _ = sim.store.create(obj, 0, &mut sim.rng);
        }
        sim.create_kubernetes_service(&config);
        let created = config.epoch.time(0);
        for (i, spec) in config.nodes.iter().enumerate() {
            let node = cluster::node_object(spec, i, created.clone());
            let kubelet = sim.new_kubelet(&spec.name, i);
            sim.kubelets.insert(spec.name.clone(), kubelet);
            // Node names come from the scenario; a duplicate is skipped, the first one wins.
            let _ = sim.store.create(Object::Node(node), 0, &mut sim.rng);
        }
        sim.reconcile();
        sim
    }

    /// The `kubernetes` Service every cluster has (10.96.0.1:443 → the apiserver on the first
    /// node, 6443), with its hand-kept Endpoints.
    fn create_kubernetes_service(&mut self, config: &Config) {
        use k8s_openapi::api::core::v1::{
            EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Service, ServicePort, ServiceSpec,
        };
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
        use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
        let labels: std::collections::BTreeMap<String, String> =
            [("component", "apiserver"), ("provider", "kubernetes")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into();
        let mut svc = Service {
            metadata: ObjectMeta {
                name: Some("kubernetes".into()),
                namespace: Some("default".into()),
                labels: Some(labels.clone()),
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                cluster_ip: Some("10.96.0.1".into()),
                ports: Some(vec![ServicePort {
                    name: Some("https".into()),
                    port: 443,
                    protocol: Some("TCP".into()),
                    target_port: Some(IntOrString::Int(6443)),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            status: None,
        };
        crate::defaults::default_service(&mut svc, &mut self.rng, &Default::default(), &Default::default());
        let _ = self.store.create(Object::Service(svc), 0, &mut self.rng);
        if !config.nodes.is_empty() {
            let ep = Endpoints {
                metadata: ObjectMeta {
                    name: Some("kubernetes".into()),
                    namespace: Some("default".into()),
                    labels: Some([("endpointslice.kubernetes.io/skip-mirror".to_string(), "true".to_string())].into()),
                    ..Default::default()
                },
                subsets: Some(vec![EndpointSubset {
                    addresses: Some(vec![EndpointAddress { ip: cluster::node_ip(0), ..Default::default() }]),
                    ports: Some(vec![EndpointPort {
                        name: Some("https".into()),
                        port: 6443,
                        protocol: Some("TCP".into()),
                        app_protocol: None,
                    }]),
                    not_ready_addresses: None,
                }]),
            };
            let _ = self.store.create(Object::Endpoints(ep), 0, &mut self.rng);
        }
    }

    /// The kubelet of the `index`-th node, configured as this simulation's kubelets are.
    fn new_kubelet(&self, name: &str, index: usize) -> Kubelet {
        let mut k = Kubelet::new(name, &cluster::node_ip(index), &cluster::pod_cidr(index));
        k.set_crash_loop_backoff(self.crash_loop);
        k.set_registry(&self.registry);
        k
    }

    /// Runs `f` with every kubelet and a component context, then reconciles (faults reach into
    /// the nodes this way).
    pub(crate) fn with_kubelets<R>(&mut self, f: impl FnOnce(&mut BTreeMap<String, Kubelet>, &mut Ctx) -> R) -> R {
        let Simulation { clock, store, rng, recorder, kubelets, .. } = self;
        let mut ctx = Ctx { store, clock, rng, recorder };
        let r = f(kubelets, &mut ctx);
        self.reconcile();
        r
    }

    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn kubelet(&self, node: &str) -> Option<&Kubelet> {
        self.kubelets.get(node)
    }

    /// A graceful delete, as the apiserver does it: a pod on a node gets a deletionTimestamp and
    /// its kubelet stops it within `grace` seconds (default: the pod's
    /// terminationGracePeriodSeconds); anything else, or `grace == 0`, goes at once.
    pub fn delete(&mut self, key: &ObjectKey, grace: Option<i64>) -> Result<(), ApiError> {
        let result = self.delete_inner(key, grace);
        self.reconcile();
        result
    }

    /// Deletes without reconciling; dependents (by controller ownerReference) go too, as the
    /// garbage collector's background cascade does.
    fn delete_inner(&mut self, key: &ObjectKey, grace: Option<i64>) -> Result<(), ApiError> {
        let uid = self.store.get(key).and_then(|o| o.meta().uid.clone());
        let result = self.delete_one(key, grace);
        if let (Ok(()), Some(uid)) = (&result, uid) {
            if matches!(key.kind, Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController | Kind::Job) {
                let dependents: Vec<ObjectKey> = [Kind::ReplicaSet, Kind::Pod]
                    .into_iter()
                    .flat_map(|k| self.store.list(k, Some(&key.namespace)))
                    .filter(|o| o.meta().owner_references.iter().flatten().any(|r| r.uid == uid))
                    .map(Object::key)
                    .collect();
                for d in dependents {
                    let _ = self.delete_inner(&d, None);
                }
            }
        }
        result
    }

    fn delete_one(&mut self, key: &ObjectKey, grace: Option<i64>) -> Result<(), ApiError> {
        let now = self.clock.now();
        let Some(obj) = self.store.get(key).cloned() else {
            return Err(ApiError::not_found(key));
        };
        let result = match obj {
            Object::Pod(p) => {
                let bound = p.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
                let grace =
                    grace.or(p.spec.as_ref().and_then(|s| s.termination_grace_period_seconds)).unwrap_or(30).max(0);
                let terminal =
                    matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"));
                // A mirror pod only reflects a static pod: deleting it removes the API object,
                // and its kubelet creates it again (the containers keep running).
                let mirror =
                    p.metadata.annotations.as_ref().is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
                if !bound || grace == 0 || terminal || mirror {
                    self.store.delete(key, now).map(|_| ())
                } else if p.metadata.deletion_timestamp.is_some() {
                    Ok(()) // already terminating; a second delete changes nothing here
                } else {
                    let ts = self.store.epoch().time(now + grace as Millis * crate::time::SECOND);
                    self.store.modify(key, now, |o| {
                        let m = o.meta_mut();
                        m.deletion_timestamp = Some(ts);
                        m.deletion_grace_period_seconds = Some(grace);
                    });
                    Ok(())
                }
            }
            _ => self.store.delete(key, now).map(|_| ()),
        };
        result
    }

    /// Places a Pod manifest in `node`'s static pod directory: the kubelet runs it and shows it
    /// as the mirror pod `<name>-<node>`.
    pub fn add_static_pod(&mut self, node: &str, text: &str) -> Result<ObjectKey, String> {
        let node_uid = self
            .store
            .get(&ObjectKey::new(Kind::Node, "", node))
            .and_then(|n| n.meta().uid.clone())
            .ok_or_else(|| format!("node \"{node}\" not found"))?;
        let mut docs = manifest::decode(text).into_iter();
        let pod = match docs.next() {
            Some(Ok(Object::Pod(p))) => p,
            Some(Ok(o)) => return Err(format!("a static pod manifest must be a Pod, not a {}", o.kind())),
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("the static pod manifest is empty".into()),
        };
        let mut pod = pod;
        crate::defaults::default_pod(&mut pod);
        let Simulation { clock, store, rng, recorder, kubelets, .. } = self;
        let kubelet = kubelets.get_mut(node).ok_or_else(|| format!("node \"{node}\" has no kubelet"))?;
        let mut ctx = Ctx { store, clock, rng, recorder };
        let key = kubelet.add_static_pod(pod, &node_uid, &mut ctx);
        self.reconcile();
        Ok(key)
    }

    /// The scale subresource: sets `spec.replicas` (and bumps the generation).
    pub fn scale(&mut self, key: &ObjectKey, replicas: i32) -> Result<(), ApiError> {
        let now = self.clock.now();
        if self.store.get(key).is_none() {
            return Err(ApiError::not_found(key));
        }
        self.store.modify(key, now, |o| {
            let gen = o.meta().generation.unwrap_or(1);
            let changed = match o {
                Object::Deployment(d) => {
                    let s = d.spec.get_or_insert_with(Default::default);
                    s.replicas.replace(replicas) != Some(replicas)
                }
                Object::ReplicaSet(rs) => {
                    let s = rs.spec.get_or_insert_with(Default::default);
                    s.replicas.replace(replicas) != Some(replicas)
                }
                Object::ReplicationController(rc) => {
                    let s = rc.spec.get_or_insert_with(Default::default);
                    s.replicas.replace(replicas) != Some(replicas)
                }
                _ => false,
            };
            if changed {
                o.meta_mut().generation = Some(gen + 1);
            }
        });
        self.reconcile();
        Ok(())
    }

    /// A client-side edit of a Deployment sent as a patch (kubectl rollout undo/restart/pause):
    /// the generation goes up when the spec changed. Returns whether anything changed.
    pub fn patch_deployment(
        &mut self,
        key: &ObjectKey,
        f: impl FnOnce(&mut k8s_openapi::api::apps::v1::Deployment),
    ) -> Result<bool, ApiError> {
        let now = self.clock.now();
        let Some(Object::Deployment(before)) = self.store.get(key).cloned() else {
            return Err(ApiError::not_found(key));
        };
        let mut after = before.clone();
        f(&mut after);
        if after == before {
            return Ok(false);
        }
        if after.spec != before.spec {
            after.metadata.generation = Some(before.metadata.generation.unwrap_or(1) + 1);
        }
        let r = self.store.update(Object::Deployment(after), now).map(|_| true);
        self.reconcile();
        r
    }

    /// Runs `f` on the kubelet of the node the pod is bound to.
    fn on_pod_kubelet<R>(
        &mut self,
        pod: &ObjectKey,
        f: impl FnOnce(&mut Kubelet, &mut Ctx) -> Result<R, String>,
    ) -> Result<R, String> {
        let node = self
            .store
            .get(pod)
            .and_then(Object::as_pod)
            .and_then(|p| p.spec.as_ref()?.node_name.clone())
            .unwrap_or_default();
        let Simulation { clock, store, rng, recorder, kubelets, .. } = self;
        let Some(k) = kubelets.get_mut(&node) else {
            return Err(format!("pod {} does not have a host assigned", pod.name));
        };
        f(k, &mut Ctx { store, clock, rng, recorder })
    }

    /// `kubectl exec`: runs `argv` in a running container of the pod, on its node.
    pub fn exec(&mut self, pod: &ObjectKey, container: &str, argv: &[String]) -> Result<(i32, String, String), String> {
        let r = self.on_pod_kubelet(pod, |k, ctx| k.exec(pod, container, argv, ctx));
        // What the command did (a file written, a process killed) reaches the other components.
        self.reconcile();
        r
    }

    /// `kubectl port-forward`'s data path: an HTTP GET to `port` on the pod's own localhost.
    pub fn port_forward_http(&mut self, pod: &ObjectKey, port: u16, path: &str) -> Result<(u16, String), String> {
        self.on_pod_kubelet(pod, |k, ctx| k.forward_http(pod, port, path, ctx))
    }

    /// A client's update of an object it read and changed (`kubectl label`, `annotate`,
    /// `patch`): validation, then the update rules of `update_object`. With `status`, the
    /// `/status` subresource: only the status is taken, the rest stays.
    pub fn update_existing(&mut self, desired: Object, status: bool) -> Applied {
        let key = desired.key();
        let Some(existing) = self.store.get(&key).cloned() else {
            return Applied::Rejected(ApiError::not_found(&key));
        };
        let result = if status {
            let mut updated = existing.clone();
            if !copy_status(&mut updated, &desired) {
                Applied::Unchanged(key)
            } else {
                match self.store.update(updated, self.clock.now()) {
                    Ok(()) => Applied::Configured(key),
                    Err(e) => Applied::Rejected(e),
                }
            }
        } else {
            let errs = crate::validation::validate(&desired);
            if errs.is_empty() {
                self.update_object(existing, desired)
            } else {
                let (message, _) = crate::validation::invalid_message(key.kind, &key.name, &errs);
                Applied::Rejected(ApiError { reason: "Invalid", message })
            }
        };
        self.reconcile();
        result
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Wake-ups handled so far (a throughput measure for benchmarks).
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }

    /// Time of the next pending wake-up, if any.
    pub fn next_event_at(&self) -> Option<Millis> {
        self.clock.next_at()
    }

    /// `kubectl apply -f` of a whole text: each document is decoded, defaulted and created.
    pub fn apply_text(&mut self, text: &str) -> Vec<Applied> {
        let results = manifest::decode(text)
            .into_iter()
            .map(|d| match d {
                Ok(obj) => self.apply_object(obj),
                Err(e) => Applied::Invalid(e),
            })
            .collect();
        self.reconcile();
        results
    }

    /// `kubectl apply` of an object that exists: metadata and spec replace the stored ones
    /// (what the server allocated is kept); pods accept only metadata changes here.
    fn update_object(&mut self, existing: Object, mut desired: Object) -> Applied {
        let key = existing.key();
        let now = self.clock.now();
        let mut updated = existing.clone();
        {
            let (m, d) = (updated.meta_mut(), desired.meta());
            m.labels = d.labels.clone();
            let kept = m.annotations.as_ref().and_then(|a| a.get(REVISION_ANNOTATION).cloned());
            m.annotations = d.annotations.clone();
            // The controller's revision annotation is not the manifest's to remove (apply's
            // three-way merge keeps fields it never set).
            if let Some(r) = kept {
                m.annotations.get_or_insert_with(Default::default).entry(REVISION_ANNOTATION.into()).or_insert(r);
            }
        }
        crate::defaults::default_workload(&mut desired);
        let spec_changed = match (&mut updated, &desired) {
            (Object::Pod(cur), Object::Pod(want)) => {
                let mut want = want.clone();
                crate::defaults::default_pod(&mut want);
                // What a pod update may not change: everything but the containers' images
                // (ValidatePodUpdate, pkg/apis/core/validation/validation.go).
                let strip = |p: &k8s_openapi::api::core::v1::Pod| {
                    let mut spec = p.spec.clone().unwrap_or_default();
                    spec.node_name = None;
                    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
                        c.image = None;
                    }
                    spec.volumes = spec
                        .volumes
                        .map(|v| v.into_iter().filter(|v| !v.name.starts_with("kube-api-access-")).collect::<Vec<_>>())
                        .filter(|v| !v.is_empty());
                    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
                        c.volume_mounts = c
                            .volume_mounts
                            .take()
                            .map(|v| {
                                v.into_iter()
                                    .filter(|m| m.mount_path != crate::defaults::SERVICE_ACCOUNT_MOUNT)
                                    .collect::<Vec<_>>()
                            })
                            .filter(|v| !v.is_empty());
                    }
                    spec
                };
                if strip(cur) != strip(&want) {
                    return Applied::Rejected(ApiError {
                        reason: "Invalid",
                        message: format!(
                            "The Pod \"{}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                            key.name
                        ),
                    });
                }
                // New images (the containers match one to one: the rest of the spec is equal): the
                // kubelet sees the container's definition changed and restarts it.
                let mut changed = false;
                if let (Some(spec), Some(new)) = (cur.spec.as_mut(), want.spec.as_ref()) {
                    let ours = spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut());
                    for (c, n) in ours.zip(new.init_containers.iter().flatten().chain(&new.containers)) {
                        if c.image != n.image {
                            c.image = n.image.clone();
                            changed = true;
                        }
                    }
                }
                changed
            }
            (Object::Deployment(cur), Object::Deployment(want)) => replace(&mut cur.spec, &want.spec),
            (Object::ReplicaSet(cur), Object::ReplicaSet(want)) => replace(&mut cur.spec, &want.spec),
            (Object::ReplicationController(cur), Object::ReplicationController(want)) => {
                replace(&mut cur.spec, &want.spec)
            }
            (Object::Job(cur), Object::Job(want)) => replace(&mut cur.spec, &want.spec),
            // A node's spec (unschedulable, taints) changes without a generation.
            (Object::Node(cur), Object::Node(want)) => {
                replace(&mut cur.spec, &want.spec);
                false
            }
            (Object::Service(cur), Object::Service(want)) => {
                let mut want_spec = want.spec.clone().unwrap_or_default();
                let cur_spec = cur.spec.clone().unwrap_or_default();
                // The allocated ClusterIP and node ports stay.
                want_spec.cluster_ip = cur_spec.cluster_ip.clone();
                want_spec.cluster_ips = cur_spec.cluster_ips.clone();
                let mut probe = Object::Service(k8s_openapi::api::core::v1::Service {
                    spec: Some(want_spec),
                    ..Default::default()
                });
                if let Object::Service(svc) = &mut probe {
                    crate::defaults::default_service(svc, &mut self.rng, &Default::default(), &Default::default());
                    for (p, old) in svc
                        .spec
                        .iter_mut()
                        .flat_map(|s| s.ports.iter_mut().flatten())
                        .zip(cur_spec.ports.iter().flatten())
                    {
                        if old.node_port.is_some() && p.port == old.port {
                            p.node_port = old.node_port;
                        }
                    }
                    replace(&mut cur.spec, &svc.spec)
                } else {
                    false
                }
            }
            _ => false,
        };
        if spec_changed {
            let g = updated.meta().generation.unwrap_or(1);
            updated.meta_mut().generation = Some(g + 1);
        }
        if updated == existing {
            return Applied::Unchanged(key);
        }
        match self.store.update(updated, now) {
            Ok(()) => Applied::Configured(key),
            Err(e) => Applied::Rejected(e),
        }
    }

    /// Creates one object through the apiserver's create path (validation included).
    pub fn create_object(&mut self, obj: Object) -> Applied {
        let key = obj.key();
        let key =
            ObjectKey::new(key.kind, if key.namespace.is_empty() { "default" } else { &key.namespace }, &key.name);
        if self.store.get(&key).is_some() {
            // A create never changes an object that exists.
            return Applied::Rejected(ApiError::already_exists(&key));
        }
        let errs = crate::validation::validate(&obj);
        if !errs.is_empty() {
            let (message, _) = crate::validation::invalid_message(obj.kind(), obj.name(), &errs);
            return Applied::Rejected(ApiError { reason: "Invalid", message });
        }
        let r = self.apply_object(obj);
        self.reconcile();
        r
    }

    fn apply_object(&mut self, mut obj: Object) -> Applied {
        let early = obj.key();
        let early = ObjectKey::new(
            early.kind,
            if early.namespace.is_empty() { "default" } else { &early.namespace },
            &early.name,
        );
        if let Some(existing) = self.store.get(&early).cloned() {
            return self.update_object(existing, obj);
        }
        if let Object::Pod(p) = &mut obj {
            admit_pod(p, &mut self.rng);
        }
        crate::defaults::default_workload(&mut obj);
        default_namespace(&mut obj);
        if let Object::Service(svc) = &mut obj {
            let services: Vec<&k8s_openapi::api::core::v1::Service> =
                self.store.list(Kind::Service, None).filter_map(Object::as_service).collect();
            let used_ips = services.iter().filter_map(|s| s.spec.as_ref()?.cluster_ip.clone()).collect();
            let used_ports = services
                .iter()
                .flat_map(|s| s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()))
                .filter_map(|p| p.node_port)
                .collect();
            crate::defaults::default_service(svc, &mut self.rng, &used_ips, &used_ports);
        }
        let key = obj.key();
        let key =
            ObjectKey::new(key.kind, if key.namespace.is_empty() { "default" } else { &key.namespace }, &key.name);
        // NamespaceLifecycle admission: objects go only into namespaces that exist.
        if key.kind.namespaced() && self.store.get(&ObjectKey::new(Kind::Namespace, "", &key.namespace)).is_none() {
            return Applied::Rejected(ApiError {
                reason: "NotFound",
                message: format!("namespaces \"{}\" not found", key.namespace),
            });
        }
        if self.store.get(&key).is_some() {
            // Updates of existing objects arrive with the lifecycle issue; same object = unchanged.
            return Applied::Unchanged(key);
        }
        let now = self.clock.now();
        if let Object::Node(n) = &mut obj {
            let index = self.kubelets.len();
            let name = n.metadata.name.clone().unwrap_or_default();
            let kubelet = self.new_kubelet(&name, index);
            self.kubelets.insert(name.clone(), kubelet);
            // A machine joining: its kubelet registers it with its capacity, addresses and
            // conditions (the applied labels and taints are kept).
            *n = cluster::registered_node(n, index, self.store.epoch().time(now));
        }
        match self.store.create(obj, now, &mut self.rng) {
            Ok(k) if k.kind == Kind::Job => {
                // generateSelector needs the uid the create just assigned.
                self.store.modify(&k, now, |o| {
                    if let Object::Job(j) = o {
                        crate::controllers::job::generate_selector(j);
                    }
                });
                Applied::Created(k)
            }
            Ok(k) => Applied::Created(k),
            Err(e) => Applied::Rejected(e),
        }
    }

    /// Runs every wake-up due up to `t`, then sets the clock to `t`.
    pub fn advance_to(&mut self, t: Millis) {
        while let Some(wake) = self.clock.pop_until(t) {
            self.dispatch(wake);
        }
        self.clock.set_now(t);
    }

    pub fn advance_by(&mut self, dt: Millis) {
        self.advance_to(self.clock.now().saturating_add(dt));
    }

    /// Runs the next wake-up (and every other one due at the same instant); returns its time.
    pub fn step(&mut self) -> Option<Millis> {
        let t = self.clock.next_at()?;
        self.advance_to(t);
        Some(t)
    }

    fn dispatch(&mut self, wake: Wake) {
        self.events_processed += 1;
        let wake_is_monitor = wake == Wake::NodeMonitor;
        if let Wake::Job { namespace } = &wake {
            let now = self.clock.now();
            self.jobs.woke(namespace, now);
            if self.controllers_running {
                self.sync_jobs(namespace);
            }
            self.reconcile();
            return;
        }
        {
            let Simulation { clock, store, rng, recorder, scheduler, kubelets, .. } = self;
            let mut ctx = Ctx { store, clock, rng, recorder };
            match wake {
                Wake::Schedule if self.scheduler_running => scheduler.run(&mut ctx),
                Wake::Schedule => {}
                Wake::Kubelet { node, wake } => {
                    if let (Some(k), false) = (kubelets.get_mut(&node), self.stopped_kubelets.contains(&node)) {
                        k.handle(wake, &mut ctx);
                    }
                }
                Wake::NodeMonitor | Wake::Job { .. } => {}
            }
        }
        if wake_is_monitor {
            self.node_monitor();
        }
        self.reconcile();
    }

    /// Asks for a node monitor pass at `at` (once per instant).
    fn monitor_at(&mut self, at: Millis) {
        if self.monitor_wakes.insert(at) {
            self.clock.at(at, Wake::NodeMonitor);
        }
    }

    /// The node lifecycle controller's pass, then the taint eviction controller's.
    fn node_monitor(&mut self) {
        let now = self.clock.now();
        self.monitor_wakes.retain(|&t| t > now);
        if !self.controllers_running {
            return;
        }
        let Simulation { store, rng, recorder, node_lifecycle, .. } = self;
        node_lifecycle.monitor(store, rng, recorder, now);
        let (due, next) = crate::controllers::taint_eviction::pass(store, rng, recorder, now);
        for key in due {
            let _ = self.delete_inner(&key, None);
        }
        if let Some(at) = next {
            self.monitor_at(at);
        }
    }

    pub(crate) fn kubelet_stop(&mut self, node: &str, down: bool) -> Result<String, String> {
        if !self.kubelets.contains_key(node) {
            return Err(format!("nodes \"{node}\" not found"));
        }
        let now = self.clock.now();
        if down {
            self.down_nodes.insert(node.to_string());
        }
        if !self.stopped_kubelets.insert(node.to_string()) {
            return Ok(format!("the kubelet on {node} is already stopped"));
        }
        let at = self.node_lifecycle.kubelet_stopped(node, now);
        self.monitor_at(at);
        Ok(if down {
            format!(
                "node {node} is down: its kubelet and containers stopped; the node controller notices after {}s",
                crate::controllers::node_lifecycle::NODE_MONITOR_GRACE / 1000
            )
        } else {
            format!("the kubelet on {node} stopped: containers keep running, but nothing reports; the node controller notices after {}s", crate::controllers::node_lifecycle::NODE_MONITOR_GRACE / 1000)
        })
    }

    pub(crate) fn kubelet_start(&mut self, node: &str, up: bool) -> Result<String, String> {
        if !self.kubelets.contains_key(node) {
            return Err(format!("nodes \"{node}\" not found"));
        }
        let was_down = self.down_nodes.remove(node);
        if !self.stopped_kubelets.remove(node) {
            return Ok(format!("the kubelet on {node} is already running"));
        }
        let now = self.clock.now();
        self.node_lifecycle.kubelet_started(node);
        crate::controllers::node_lifecycle::kubelet_posts_ready(
            &mut self.store,
            &mut self.rng,
            &mut self.recorder,
            now,
            node,
            was_down,
        );
        let name = node.to_string();
        self.with_kubelets(|kubelets, ctx| {
            if let Some(k) = kubelets.get_mut(&name) {
                k.resync_all(ctx);
                if was_down {
                    k.reboot_containers(ctx);
                }
            }
        });
        self.monitor_at(crate::controllers::node_lifecycle::next_tick(now + 1));
        let _ = up;
        Ok(if was_down {
            format!("node {node} is up again: the kubelet restarts the containers of its pods")
        } else {
            format!("the kubelet on {node} runs again and reports its node and pods")
        })
    }

    pub(crate) fn set_scheduler_running(&mut self, on: bool) -> String {
        let was = std::mem::replace(&mut self.scheduler_running, on);
        if on && !was {
            let Simulation { clock, store, rng, recorder, scheduler, .. } = self;
            let mut ctx = Ctx { store, clock, rng, recorder };
            scheduler.restart(&mut ctx);
        }
        if on {
            "kube-scheduler runs: pending pods get scheduled".into()
        } else {
            "kube-scheduler stopped: new pods stay Pending, with no event".into()
        }
    }

    pub(crate) fn set_controllers_running(&mut self, on: bool) -> String {
        let was = std::mem::replace(&mut self.controllers_running, on);
        if on && !was {
            // Catch up on everything missed: every namespace, every node.
            let now = self.clock.now();
            let namespaces: Vec<String> =
                self.store.list(Kind::Namespace, None).map(|o| o.name().to_string()).collect();
            for ns in namespaces {
                self.reconcile_controllers(&ns, true, now);
            }
            self.monitor_at(now);
            self.reconcile();
        }
        if on {
            "kube-controller-manager runs: controllers catch up".into()
        } else {
            "kube-controller-manager stopped: no replacement pods, no endpoint updates, no node monitoring".into()
        }
    }

    fn reconcile_controllers(&mut self, ns: &str, workloads: bool, now: Millis) {
        crate::controllers::endpoints::reconcile_namespace(&mut self.store, &mut self.rng, now, ns);
        if workloads {
            self.reconcile_workloads(ns, now);
        }
    }

    /// The Deployment, ReplicaSet and Job controllers for one namespace.
    fn reconcile_workloads(&mut self, ns: &str, now: Millis) {
        let Simulation { store, rng, recorder, .. } = self;
        crate::controllers::deployment::reconcile_namespace(store, rng, recorder, now, ns);
        let surplus = crate::controllers::replicaset::reconcile_namespace(store, rng, recorder, now, ns);
        for k in surplus {
            let _ = self.delete_inner(&k, None);
        }
        self.sync_jobs(ns);
    }

    /// Runs the Job controller for one namespace and deletes (gracefully) the pods it gives up.
    fn sync_jobs(&mut self, namespace: &str) {
        let now = self.clock.now();
        let Simulation { clock, store, rng, recorder, jobs, .. } = self;
        let mut ctx = crate::controllers::job::JobCtx { store, clock, rng, recorder };
        for k in jobs.reconcile_namespace(&mut ctx, now, namespace) {
            let _ = self.delete_inner(&k, None);
        }
    }

    /// Delivers every new watch-log entry to the components, until none is left (their reactions
    /// may write more).
    fn reconcile(&mut self) {
        loop {
            let end = self.store.log().len();
            if self.cursor >= end {
                break;
            }
            let mut endpoints = crate::controllers::endpoints::Queue::default();
            let mut workload_namespaces = std::collections::BTreeSet::new();
            let mut nodes_changed = false;
            for i in self.cursor..end {
                let change = self.store.log()[i].clone();
                endpoints.observe(&self.store, &change);
                if matches!(
                    change.key.kind,
                    Kind::Pod | Kind::ReplicaSet | Kind::ReplicationController | Kind::Deployment | Kind::Job
                ) {
                    workload_namespaces.insert(change.key.namespace.clone());
                }
                let Simulation { clock, store, rng, recorder, scheduler, kubelets, jobs, .. } = self;
                let mut ctx = Ctx { store, clock, rng, recorder };
                if change.key.kind == Kind::Event {
                    continue;
                }
                nodes_changed |= change.key.kind == Kind::Node;
                jobs.observe(&change);
                scheduler.observe(&change, &mut ctx);
                if let Some(pod) = change.object.as_pod() {
                    let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("");
                    if let (Some(k), false) = (kubelets.get_mut(node), self.stopped_kubelets.contains(node)) {
                        k.observe(&change, &mut ctx);
                    }
                }
            }
            self.cursor = end;
            // The controllers follow what changed: the endpoints controllers the Services queued
            // for them, the workload controllers the namespaces where pods or their owners
            // changed; node changes (taints) wake the taint eviction.
            let now = self.clock.now();
            if self.controllers_running {
                let mut namespaces = endpoints.namespaces();
                namespaces.extend(workload_namespaces.iter().cloned());
                for ns in namespaces {
                    if endpoints.has(&ns) {
                        endpoints.sync_namespace(&mut self.store, &mut self.rng, now, &ns);
                    }
                    if workload_namespaces.contains(&ns) {
                        self.reconcile_workloads(&ns, now);
                    }
                }
                if nodes_changed {
                    self.monitor_at(now);
                }
            }
        }
    }
}
