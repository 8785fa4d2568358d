//! The kubelet, one per node: it watches pods bound to its node and runs them: the pod sandbox,
//! image pulls, init containers in order, app containers, probes, restarts with back-off, and
//! graceful termination; it writes status back as the status manager does.
//!
//! Each pod has a worker, like upstream's pod workers: `sync` does what can be done now (the
//! kuberuntime's computePodActions + SyncPod) and anything that takes time (sandbox creation, a
//! pull, a process's sleep, a probe period, a grace period) schedules a wake-up.

pub mod backoff;
pub mod host;
pub mod image_manager;
pub mod prober;
pub mod status;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container as ContainerSpec, Pod};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Source, NORMAL, WARNING};
use crate::runtime::catalog;
use crate::runtime::container::{Container, LogLine, Next, OnTerm, StartSpec};
use crate::sim::{Ctx, Wake};
use crate::store::{Change, Op};
use crate::time::{format_go_duration, Millis, SECOND};
use backoff::Backoff;
use host::{LocalPort, PodHost};
use image_manager::{ImageManager, PullTicket};
use prober::{Handler, Outcome, PortRef, ProbeKind, ProbeResult, ProbeTick};

/// Delay between a pod being bound and its kubelet's first sync (watch delivery).
pub const WATCH_DELAY_MS: Millis = 50;
/// Time to create the pod sandbox (pause container and network) through the CRI.
pub const SANDBOX_CREATE_MS: Millis = 900;
/// The PLEG relists containers every second: an exit is noticed at the next relist.
pub const PLEG_PERIOD_MS: Millis = SECOND;
/// A failed pull attempt (resolving a reference that does not exist) takes this long.
pub const FAILED_PULL_MS: Millis = 3_800;
/// Pod workers requeue after an error in 10 s, jittered up to +50 % (pod_workers.go backOffPeriod).
pub const ERROR_REQUEUE_MS: Millis = 10 * SECOND;
/// The runtime never stops a container with less than 2 s (minimumGracePeriodInSeconds).
pub const MIN_KILL_GRACE_MS: Millis = 2 * SECOND;

/// Identifies a container within a pod: init or app, by index in the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CRef {
    pub init: bool,
    pub index: usize,
}

/// PLEG's relist period: how soon the kubelet notices that a container it started runs.
const PLEG_RELIST_MS: Millis = 1_000;

/// The kubelet's own wake-ups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubeletWake {
    SyncPod(ObjectKey),
    PullDone {
        pod: ObjectKey,
        c: CRef,
        ticket: PullTicket,
        error: Option<String>,
    },
    /// A container process asked to be resumed (its `sleep` ended).
    Process {
        pod: ObjectKey,
        c: CRef,
        instance: u32,
    },
    Probe {
        pod: ObjectKey,
        c: CRef,
        kind: ProbeKind,
        instance: u32,
    },
    /// The grace period of a stopping container ran out: SIGKILL.
    Kill {
        pod: ObjectKey,
        c: CRef,
        instance: u32,
    },
    /// The stop signal reaches a process that exits on it (after the preStop hook).
    Signal {
        pod: ObjectKey,
        c: CRef,
        instance: u32,
        code: i32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Sandbox {
    None,
    Creating { ready_at: Millis },
    Ready { ip: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Exit {
    pub code: i32,
    pub reason: String,
    pub started_at: Millis,
    pub finished_at: Millis,
    pub container_id: String,
}

/// One run of a container (a restart makes a new one).
#[derive(Clone, Debug)]
struct Instance {
    seq: u32,
    id: String,
    started_at: Millis,
    /// The process while it runs.
    proc: Option<Container>,
    exit: Option<Exit>,
    /// Set once SIGTERM was sent (deletion, liveness failure).
    stopping: bool,
    /// Killed by the kubelet to be restarted (liveness/startup failure, failed postStart): upstream
    /// restarts it in the same SyncPod, judging the back-off by the instance before it.
    killed_for_restart: bool,
    /// The kubelet has noticed the exit (PLEG relist).
    noticed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pull {
    NotStarted,
    InProgress,
    Ready,
}

#[derive(Clone, Debug)]
struct Ctr {
    spec: ContainerSpec,
    cref: CRef,
    /// A restartable init container (native sidecar).
    sidecar: bool,
    instances: u32,
    current: Option<Instance>,
    /// The previous instance's exit, for `lastState`.
    last: Option<Exit>,
    restart_count: i32,
    /// Why the container is waiting (reasonCache): reason and message.
    waiting: Option<(String, Option<String>)>,
    pull: Pull,
    /// This start attempt already passed its back-off check (upstream does the check and the
    /// blocking pull in one step; our pull is a wake-up, so remember it).
    backoff_passed: bool,
    /// The spec's image changed since this container started: it is restarted whatever the
    /// restart policy, without a crash back-off (a new spec hash is a new back-off key).
    definition_changed: bool,
    logs: Vec<LogLine>,
    previous_logs: Vec<LogLine>,
    probes: Vec<prober::Worker>,
    /// Recent probe runs (bounded), for the timeline.
    probe_history: prober::History,
}

impl Ctr {
    fn name(&self) -> &str {
        &self.spec.name
    }
    fn image(&self) -> &str {
        self.spec.image.as_deref().unwrap_or("")
    }
    fn running(&self) -> bool {
        self.current.as_ref().is_some_and(|i| i.exit.is_none())
    }
    fn exit(&self) -> Option<&Exit> {
        self.current.as_ref().and_then(|i| i.exit.as_ref())
    }
    fn probe(&self, kind: ProbeKind) -> Option<&prober::Worker> {
        self.probes.iter().find(|p| p.kind == kind)
    }
    /// `started`: running and past its startup probe (or has none).
    fn started(&self) -> bool {
        self.running() && self.probe(ProbeKind::Startup).is_none_or(|p| p.result == Some(true))
    }
    fn field_path(&self) -> String {
        w_field(self.cref, &self.spec.name)
    }
}

#[derive(Clone, Debug)]
struct PodWorker {
    uid: String,
    /// The pod's volumes, shared by its containers.
    volumes: crate::runtime::container::Volumes,
    sandbox: Sandbox,
    init: Vec<Ctr>,
    app: Vec<Ctr>,
    /// Blocked on an image pull.
    pulling: bool,
    /// The next sync already scheduled (to avoid piling up wake-ups).
    sync_at: Option<Millis>,
    /// Termination in progress: the pod's effective grace period.
    terminating: Option<Millis>,
    /// The final status has been written; nothing more to do.
    finished: bool,
    /// The kubelet's own conditions as it last wrote them (the status manager's cache): a
    /// status patch that drops them does not lose them, nor their transition times.
    own_conditions: Vec<k8s_openapi::api::core::v1::PodCondition>,
}

impl PodWorker {
    fn ctr(&self, c: CRef) -> Option<&Ctr> {
        if c.init {
            self.init.get(c.index)
        } else {
            self.app.get(c.index)
        }
    }
    fn ctr_mut(&mut self, c: CRef) -> Option<&mut Ctr> {
        if c.init {
            self.init.get_mut(c.index)
        } else {
            self.app.get_mut(c.index)
        }
    }
    fn all(&self) -> impl Iterator<Item = &Ctr> {
        self.init.iter().chain(self.app.iter())
    }
    fn ip(&self) -> String {
        match &self.sandbox {
            Sandbox::Ready { ip } => ip.clone(),
            _ => String::new(),
        }
    }
    fn local_ports(&mut self) -> Vec<LocalPort> {
        let mut v = Vec::new();
        for c in self.init.iter_mut().chain(self.app.iter_mut()) {
            if let Some(p) = c.current.as_mut().and_then(|i| i.proc.as_mut()) {
                let ports = p.listening().to_vec();
                let docroot = if ports.is_empty() { None } else { p.docroot() };
                for port in ports {
                    v.push(LocalPort { port, liveness_demo: p.liveness_demo_start(), docroot: docroot.clone() });
                }
            }
        }
        v
    }
    fn ports_in_use_except(&self, c: CRef) -> Vec<u16> {
        self.all()
            .filter(|x| x.cref != c)
            .filter_map(|x| x.current.as_ref().and_then(|i| i.proc.as_ref()))
            .flat_map(|p| p.listening().to_vec())
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct Kubelet {
    node: String,
    node_ip: String,
    /// The first three octets of the node's pod CIDR (a /24).
    pod_net: String,
    next_ip: u32,
    images: ImageManager,
    crash_backoff: Backoff,
    pull_backoff: Backoff,
    /// Previous pull errors by back-off key, for the ImagePullBackOff message.
    pull_errors: BTreeMap<String, String>,
    workers: BTreeMap<ObjectKey, PodWorker>,
    container_seq: u64,
    /// Static pods from this node's manifest directory, by the key of their mirror pod.
    static_pods: BTreeMap<ObjectKey, Pod>,
    /// What the registry has lost (a fault): pulls of these images fail.
    registry: crate::runtime::registry::Registry,
}

/// Adds a newly pulled image to the node's `status.images`, as the kubelet's next status update
/// reports it (the scheduler's ImageLocality reads it from there).
fn report_image(node: &str, image: &str, size: u64, now: Millis, ctx: &mut Ctx) {
    let name = catalog::canonical(image);
    ctx.store.modify(&ObjectKey::new(crate::api::Kind::Node, "", node), now, |o| {
        if let Object::Node(n) = o {
            let images = n.status.get_or_insert_with(Default::default).images.get_or_insert_with(Vec::new);
            if !images.iter().any(|i| i.names.iter().flatten().any(|x| *x == name)) {
                images.push(k8s_openapi::api::core::v1::ContainerImage {
                    names: Some(vec![name.clone()]),
                    size_bytes: Some(size as i64),
                });
            }
        }
    });
}

/// Schedules a sync of `w` at `at` unless one is already due by then.
fn schedule_sync(node: &str, w: &mut PodWorker, ctx: &mut Ctx, key: &ObjectKey, at: Millis) {
    let now = ctx.clock.now();
    let at = at.max(now);
    if w.sync_at.is_some_and(|s| s <= at && s >= now) {
        return;
    }
    w.sync_at = Some(at);
    ctx.clock.at(at, Wake::Kubelet { node: node.to_string(), wake: KubeletWake::SyncPod(key.clone()) });
}

/// What a pod's volumes hold when it starts: the projected service account volume has the
/// token, the cluster CA and the namespace; other volumes start empty.
fn initial_volumes(pod: &Pod) -> crate::runtime::container::Volumes {
    let mut vols = BTreeMap::new();
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
        let mut files = BTreeMap::new();
        if let Some(p) = &v.projected {
            for src in p.sources.iter().flatten() {
                if let Some(t) = &src.service_account_token {
                    files.insert(
                        t.path.clone(),
                        "eyJhbGciOiJSUzI1NiIsImtpZCI6InBsYXlncm91bmQifQ.simulated.token".to_string(),
                    );
                }
                if let Some(cm) = &src.config_map {
                    for item in cm.items.iter().flatten() {
                        if cm.name == "kube-root-ca.crt" {
                            files.insert(
                                item.path.clone(),
                                "-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n".into(),
                            );
                        }
                    }
                }
                if let Some(d) = &src.downward_api {
                    for item in d.items.iter().flatten() {
                        if item.field_ref.as_ref().is_some_and(|f| f.field_path == "metadata.namespace") {
                            files.insert(item.path.clone(), ns.clone());
                        }
                    }
                }
            }
        }
        vols.insert(v.name.clone(), files);
    }
    std::rc::Rc::new(std::cell::RefCell::new(vols))
}

/// Upstream's `format.Pod`: `name_namespace(uid)`.
fn format_pod(pod: &Pod) -> String {
    format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or(""),
        pod.metadata.namespace.as_deref().unwrap_or(""),
        pod.metadata.uid.as_deref().unwrap_or("")
    )
}

fn restart_policy(pod: &Pod) -> &str {
    pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("Always")
}

/// ContainerShouldRestart with the pod-level policy (or the container's own, for sidecars).
fn should_restart(policy: &str, code: i32) -> bool {
    match policy {
        "Always" => true,
        "OnFailure" => code != 0,
        _ => false,
    }
}

fn memory_limit(spec: &ContainerSpec) -> Option<u64> {
    let q = spec.resources.as_ref()?.limits.as_ref()?.get("memory")?;
    crate::quantity::parse(&q.0).ok().map(|v| v.value().max(0) as u64)
}

impl Kubelet {
    pub fn new(node: &str, node_ip: &str, pod_cidr: &str) -> Self {
        let net = pod_cidr.split('/').next().unwrap_or("10.244.0.0");
        let pod_net = net.rsplit_once('.').map(|(a, _)| a.to_string()).unwrap_or_else(|| "10.244.0".into());
        Kubelet {
            node: node.into(),
            node_ip: node_ip.into(),
            pod_net,
            next_ip: 2, // .1 is the bridge (cni0) gateway
            images: ImageManager::default(),
            crash_backoff: Backoff::crash_loop(),
            pull_backoff: Backoff::image_pull(),
            pull_errors: BTreeMap::new(),
            workers: BTreeMap::new(),
            container_seq: 0,
            static_pods: BTreeMap::new(),
            registry: Default::default(),
        }
    }

    /// Uses another crash-loop back-off curve (the scenario's preset).
    pub fn set_crash_loop_backoff(&mut self, curve: backoff::CrashLoopBackOff) {
        self.crash_backoff = Backoff::crash_loop_with(curve);
    }

    /// What the registry has lost (images deleted there): later pulls of them fail, the copies
    /// in this node's cache keep working.
    pub fn set_registry(&mut self, registry: &crate::runtime::registry::Registry) {
        self.registry = registry.clone();
    }

    /// A container's main process dies with `code` (a fault: `kill -9` from the node, a crash).
    /// The kubelet notices at its next PLEG relist and restarts it per restartPolicy with the
    /// usual back-off. The terminated reason is what containerd reports: "Completed" for 0,
    /// "Error" otherwise, even for 137 — "OOMKilled" only comes from an OOM event
    /// (containerd internal/cri/server/container_status.go).
    pub fn kill_process(
        &mut self,
        pod: &ObjectKey,
        container: Option<&str>,
        code: i32,
        ctx: &mut Ctx,
    ) -> Result<String, String> {
        let now = ctx.clock.now();
        let Some(w) = self.workers.get_mut(pod) else {
            return Err(format!("pod \"{}\" has no containers on node {}", pod.name, self.node));
        };
        let c = match container {
            Some(name) => w.init.iter_mut().chain(w.app.iter_mut()).find(|c| c.name() == name),
            None => w.app.first_mut(),
        };
        let Some(c) = c else {
            return Err(format!("container {} is not valid for pod {}", container.unwrap_or(""), pod.name));
        };
        let name = c.name().to_string();
        let Some(inst) = c.current.as_mut().filter(|i| i.exit.is_none()) else {
            return Err(format!("container \"{name}\" of pod \"{}\" is not running", pod.name));
        };
        finish(inst, code, now);
        self.pleg(pod, ctx);
        Ok(format!("container \"{name}\" of pod \"{}\" exited with code {code}", pod.name))
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    /// The kubelet process starts again after a stop: it lists the pods bound to its node (it
    /// missed their changes), forgets those gone from the API, and syncs every pod.
    pub fn resync_all(&mut self, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let bound: Vec<(ObjectKey, std::sync::Arc<Object>)> = ctx
            .store
            .list(Kind::Pod, None)
            .filter(|o| o.as_pod().and_then(|p| p.spec.as_ref()?.node_name.as_deref()) == Some(self.node.as_str()))
            .map(|o| (o.key(), std::sync::Arc::new(o.clone())))
            .collect();
        let gone: Vec<ObjectKey> =
            self.workers.keys().filter(|k| !bound.iter().any(|(b, _)| b == *k)).cloned().collect();
        for key in gone {
            let change = Change {
                at: now,
                resource_version: 0,
                op: Op::Deleted,
                key: key.clone(),
                object: std::sync::Arc::new(Object::Pod(Pod::default())),
            };
            self.observe(&change, ctx);
        }
        for (key, object) in bound {
            let change = Change { at: now, resource_version: 0, op: Op::Modified, key: key.clone(), object };
            self.observe(&change, ctx);
            self.request_sync(ctx, &key, now);
        }
    }

    /// After a reboot: the containers that were running are gone (containerd reports exit code
    /// 255); the kubelet starts them again as restarts.
    pub fn reboot_containers(&mut self, ctx: &mut Ctx) {
        let keys: Vec<ObjectKey> = self.workers.keys().cloned().collect();
        for key in keys {
            let names: Vec<String> = self
                .workers
                .get(&key)
                .map(|w| {
                    w.init
                        .iter()
                        .chain(w.app.iter())
                        .filter(|c| c.current.as_ref().is_some_and(|i| i.exit.is_none()))
                        .map(|c| c.name().to_string())
                        .collect()
                })
                .unwrap_or_default();
            for n in names {
                let _ = self.kill_process(&key, Some(&n), 255, ctx);
            }
        }
    }

    /// Runs `pod` as a static pod of this node (a manifest in its staticPodPath) and creates its
    /// mirror pod `<name>-<node>` in the API, owned by the Node
    /// (pkg/kubelet/pod/mirror_client.go, pkg/kubelet/config/common.go).
    pub fn add_static_pod(&mut self, mut pod: Pod, node_uid: &str, ctx: &mut Ctx) -> ObjectKey {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
        let name = format!("{}-{}", pod.metadata.name.as_deref().unwrap_or("static"), self.node);
        let ns = pod.metadata.namespace.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "default".into());
        let hash = status::digest(&format!("{ns}/{name}"))[..32].to_string();
        pod.metadata.name = Some(name.clone());
        pod.metadata.namespace = Some(ns.clone());
        let annotations = pod.metadata.annotations.get_or_insert_with(Default::default);
        annotations.insert("kubernetes.io/config.hash".into(), hash.clone());
        annotations.insert("kubernetes.io/config.mirror".into(), hash);
        annotations
            .insert("kubernetes.io/config.seen".into(), ctx.store.epoch().timestamp(ctx.clock.now()).to_string());
        annotations.insert("kubernetes.io/config.source".into(), "file".into());
        pod.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "v1".into(),
            kind: "Node".into(),
            name: self.node.clone(),
            uid: node_uid.into(),
            controller: Some(true),
            block_owner_deletion: None,
        }]);
        let spec = pod.spec.get_or_insert_with(Default::default);
        spec.node_name = Some(self.node.clone());
        // Static pods tolerate every NoExecute taint (the kubelet adds this toleration).
        spec.tolerations.get_or_insert_with(Vec::new).push(k8s_openapi::api::core::v1::Toleration {
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            ..Default::default()
        });
        let key = ObjectKey::new(Kind::Pod, &ns, &name);
        self.static_pods.insert(key.clone(), pod);
        self.create_mirror(&key, ctx);
        key
    }

    fn create_mirror(&mut self, key: &ObjectKey, ctx: &mut Ctx) {
        let Some(template) = self.static_pods.get(key).cloned() else { return };
        let mut mirror = template;
        let now = ctx.clock.now();
        let qos = mirror.spec.as_ref().map(crate::qos::qos_class).unwrap_or("BestEffort");
        mirror.status = Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some("Pending".into()),
            qos_class: Some(qos.into()),
            ..Default::default()
        });
        let _ = ctx.store.create(Object::Pod(mirror), now, ctx.rng);
    }

    /// Runs a command in a running container (`kubectl exec`): status, stdout, stderr.
    pub fn exec(
        &mut self,
        pod: &ObjectKey,
        container: &str,
        argv: &[String],
        ctx: &mut Ctx,
    ) -> Result<(i32, String, String), String> {
        let now = ctx.clock.now();
        let cluster = host::ClusterNet::from_store(ctx.store, &pod.namespace);
        let Some(w) = self.workers.get_mut(pod) else {
            return Err(format!("pod {} does not have a host assigned", pod.name));
        };
        let local = w.local_ports();
        let ip = w.ip();
        let Some(c) = w.init.iter_mut().chain(w.app.iter_mut()).find(|c| c.name() == container) else {
            return Err(format!("container {container} is not valid for pod {}", pod.name));
        };
        let image = c.image().to_string();
        let Some(p) = c.current.as_mut().filter(|i| i.exit.is_none()).and_then(|i| i.proc.as_mut()) else {
            return Err(format!("unable to upgrade connection: container not found (\"{container}\")"));
        };
        let mut host = PodHost { now, pod_ip: ip, image, local, cluster };
        let r = p.exec(argv, &mut host, 60 * SECOND);
        Ok((r.status, r.stdout, r.stderr))
    }

    /// What `kubectl port-forward` reaches: an HTTP GET to `port` inside the pod's network
    /// namespace (its localhost), answered by whatever listens there.
    pub fn forward_http(
        &mut self,
        pod: &ObjectKey,
        port: u16,
        path: &str,
        ctx: &mut Ctx,
    ) -> Result<(u16, String), String> {
        use crate::runtime::shell::Host;
        let now = ctx.clock.now();
        let cluster = host::ClusterNet::from_store(ctx.store, &pod.namespace);
        let Some(w) = self.workers.get_mut(pod) else {
            return Err(format!("pod {} does not have a host assigned", pod.name));
        };
        let local = w.local_ports();
        let ip = w.ip();
        let image = w.app.first().map(|c| c.image().to_string()).unwrap_or_default();
        let mut host = PodHost { now, pod_ip: ip, image, local, cluster };
        host.http_get("127.0.0.1", port, path)
    }

    /// The recent probe runs of a container (bounded; oldest first), for the timeline.
    pub fn probe_history(&self, pod: &ObjectKey, container: &str) -> Option<&prober::History> {
        let w = self.workers.get(pod)?;
        w.all().find(|c| c.name() == container).map(|c| &c.probe_history)
    }

    /// The crash-loop back-off a container is waiting out at `now`, if any: when it exited and
    /// when the kubelet will start it again (the same test `start_container` makes, so the page's
    /// countdown ends exactly when the restart happens).
    pub fn restart_backoff(&self, pod: &ObjectKey, container: &str, policy: &str, now: Millis) -> Option<BackoffWait> {
        let w = self.workers.get(pod)?;
        if w.terminating.is_some() || w.finished {
            return None;
        }
        let c = w.all().find(|c| c.name() == container)?;
        let inst = c.current.as_ref()?;
        let exit = inst.exit.as_ref().filter(|_| inst.noticed)?;
        let restarts = if c.sidecar {
            true
        } else if c.cref.init {
            exit.code != 0 && policy != "Never"
        } else {
            should_restart(policy, exit.code)
        };
        if !restarts || c.backoff_passed || c.definition_changed {
            return None;
        }
        let since = if inst.killed_for_restart { c.last.as_ref()?.finished_at } else { exit.finished_at };
        let key = crash_backoff_key(&pod.name, &pod.namespace, &w.uid, container, c.image());
        if !self.crash_backoff.in_backoff_since(&key, since, now) {
            return None;
        }
        Some(BackoffWait {
            since,
            until: self.crash_backoff.expiry(&key, since),
            backoff: self.crash_backoff.get(&key),
        })
    }

    /// The log lines of a container: the current instance's, or with `previous` the one before.
    pub fn logs(&self, pod: &ObjectKey, container: &str, previous: bool) -> Option<Vec<LogLine>> {
        let w = self.workers.get(pod)?;
        let c = w.all().find(|c| c.name() == container)?;
        if previous {
            (c.restart_count > 0 || c.last.is_some()).then(|| c.previous_logs.clone())
        } else {
            Some(c.logs.clone())
        }
    }

    fn wake_at(&self, ctx: &mut Ctx, at: Millis, wake: KubeletWake) {
        ctx.clock.at(at, Wake::Kubelet { node: self.node.clone(), wake });
    }

    fn request_sync(&mut self, ctx: &mut Ctx, key: &ObjectKey, at: Millis) {
        let node = self.node.clone();
        let Some(w) = self.workers.get_mut(key) else { return };
        schedule_sync(&node, w, ctx, key, at);
    }

    /// Reacts to a change in the store (the kubelet's pod informer, filtered by node).
    pub fn observe(&mut self, change: &Change, ctx: &mut Ctx) {
        if change.key.kind != Kind::Pod {
            return;
        }
        if change.op == Op::Deleted && self.static_pods.contains_key(&change.key) {
            // A static pod runs from its file, not from the API: deleting its mirror pod does
            // not stop it, and the kubelet creates the mirror again.
            self.create_mirror(&change.key, ctx);
            let now = ctx.clock.now();
            self.request_sync(ctx, &change.key, now);
            return;
        }
        if change.op == Op::Deleted {
            // Removed from the API (force deletion or after termination): stop what still runs.
            if let Some(mut w) = self.workers.remove(&change.key) {
                for c in w.init.iter_mut().chain(w.app.iter_mut()) {
                    if let Some(p) = c.current.as_mut().and_then(|i| i.proc.as_mut()) {
                        p.stop();
                    }
                }
            }
            return;
        }
        let Some(pod) = change.object.as_pod() else { return };
        let bound_here = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(self.node.as_str());
        if !bound_here {
            return;
        }
        if !self.workers.contains_key(&change.key) {
            let now = ctx.clock.now();
            let spec = pod.spec.clone().unwrap_or_default();
            let mk = |spec: &ContainerSpec, cref: CRef| {
                let mut probes = Vec::new();
                // Probe workers start with the pod's first sync, before the container exists.
                let anchor = now + WATCH_DELAY_MS;
                if let Some(p) = &spec.startup_probe {
                    probes.push(prober::Worker::new(ProbeKind::Startup, p.clone(), anchor));
                }
                if let Some(p) = &spec.liveness_probe {
                    probes.push(prober::Worker::new(ProbeKind::Liveness, p.clone(), anchor));
                }
                if let Some(p) = &spec.readiness_probe {
                    probes.push(prober::Worker::new(ProbeKind::Readiness, p.clone(), anchor));
                }
                let sidecar = cref.init && spec.restart_policy.as_deref() == Some("Always");
                if cref.init && !sidecar {
                    probes.clear(); // regular init containers are not probed
                }
                Ctr {
                    spec: spec.clone(),
                    cref,
                    sidecar,
                    instances: 0,
                    current: None,
                    last: None,
                    restart_count: 0,
                    waiting: None,
                    pull: Pull::NotStarted,
                    backoff_passed: false,
                    definition_changed: false,
                    logs: Vec::new(),
                    previous_logs: Vec::new(),
                    probes,
                    probe_history: prober::History::default(),
                }
            };
            let init = spec
                .init_containers
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, c)| mk(c, CRef { init: true, index: i }))
                .collect();
            let app = spec.containers.iter().enumerate().map(|(i, c)| mk(c, CRef { init: false, index: i })).collect();
            self.workers.insert(
                change.key.clone(),
                PodWorker {
                    volumes: initial_volumes(pod),
                    uid: pod.metadata.uid.clone().unwrap_or_default(),
                    sandbox: Sandbox::None,
                    init,
                    app,
                    pulling: false,
                    sync_at: None,
                    terminating: None,
                    finished: false,
                    own_conditions: Vec::new(),
                },
            );
            self.request_sync(ctx, &change.key, now + WATCH_DELAY_MS);
        } else if pod.metadata.deletion_timestamp.is_some()
            && self.workers.get(&change.key).is_some_and(|w| w.terminating.is_none())
        {
            let now = ctx.clock.now();
            self.request_sync(ctx, &change.key, now);
        } else if !self.take_new_images(&change.key, pod, ctx) && self.status_stale(&change.key, pod) {
            // Someone else wrote the status (a gate's condition, or dropped the kubelet's own):
            // the status manager recomputes and writes it back at once.
            self.refresh_status(&change.key, ctx);
        }
    }

    /// Takes in the images a pod update changed (the only container field it may change) and says
    /// whether there were any. Upstream the container's spec hash no longer matches, so
    /// computePodActions kills it with "Container X definition changed, will be restarted" and
    /// starts it again with the new image, whatever the restart policy
    /// (pkg/kubelet/kuberuntime/kuberuntime_manager.go). Regular init containers that already ran
    /// are not run again; one that has not run yet takes the new image.
    fn take_new_images(&mut self, key: &ObjectKey, pod: &Pod, ctx: &mut Ctx) -> bool {
        let Some(spec) = pod.spec.as_ref() else { return false };
        let Some(w) = self.workers.get_mut(key) else { return false };
        let init = spec.init_containers.iter().flatten();
        let (mut changed, mut kill) = (false, Vec::new());
        for (c, s) in w.init.iter_mut().zip(init).chain(w.app.iter_mut().zip(&spec.containers)) {
            if c.spec.image == s.image {
                continue;
            }
            changed = true;
            c.spec.image = s.image.clone();
            if c.pull != Pull::InProgress {
                c.pull = Pull::NotStarted;
            }
            if c.cref.init && !c.sidecar {
                continue;
            }
            c.definition_changed = true;
            c.backoff_passed = false;
            if c.running() {
                kill.push((c.cref, format!("Container {} definition changed, will be restarted", c.name())));
            }
        }
        if !changed {
            return false;
        }
        for (cref, message) in kill {
            self.kill_container(key, cref, message, None, ctx);
        }
        let now = ctx.clock.now();
        self.request_sync(ctx, key, now);
        true
    }

    /// Whether a pod's stored status needs the kubelet again: it has readiness gates (whose
    /// conditions others set), or a write dropped conditions the kubelet owns.
    fn status_stale(&self, key: &ObjectKey, pod: &Pod) -> bool {
        let gated = pod.spec.as_ref().and_then(|s| s.readiness_gates.as_ref()).is_some_and(|g| !g.is_empty());
        let conds = pod.status.as_ref().and_then(|s| s.conditions.as_ref());
        let dropped = self.workers.get(key).is_some_and(|w| {
            w.own_conditions.iter().any(|c| !conds.is_some_and(|l| l.iter().any(|x| x.type_ == c.type_)))
        });
        gated || dropped
    }

    /// Rewrites a pod's status from what the worker knows (once its first sync has begun).
    fn refresh_status(&mut self, key: &ObjectKey, ctx: &mut Ctx) {
        let Some(pod) = ctx.store.get(key).and_then(Object::as_pod).cloned() else { return };
        if self.workers.get(key).is_none_or(|w| matches!(w.sandbox, Sandbox::None)) {
            return;
        }
        let Some(mut w) = self.workers.remove(key) else { return };
        self.write_status(&mut w, &pod, key, ctx);
        self.workers.insert(key.clone(), w);
    }

    pub fn handle(&mut self, wake: KubeletWake, ctx: &mut Ctx) {
        match wake {
            KubeletWake::SyncPod(key) => {
                if let Some(w) = self.workers.get_mut(&key) {
                    if w.sync_at == Some(ctx.clock.now()) {
                        w.sync_at = None;
                    }
                }
                self.sync(&key, ctx);
            }
            KubeletWake::PullDone { pod, c, ticket, error } => self.pull_done(&pod, c, ticket, error, ctx),
            KubeletWake::Process { pod, c, instance } => self.resume_process(&pod, c, instance, ctx),
            KubeletWake::Probe { pod, c, kind, instance } => self.run_probe(&pod, c, kind, instance, ctx),
            KubeletWake::Kill { pod, c, instance } => self.signal(&pod, c, instance, 137, ctx),
            KubeletWake::Signal { pod, c, instance, code } => self.signal(&pod, c, instance, code, ctx),
        }
    }

    /// A stop signal ends a container instance with `code`.
    fn signal(&mut self, key: &ObjectKey, c: CRef, instance: u32, code: i32, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let Some(ctr) = self.workers.get_mut(key).and_then(|w| w.ctr_mut(c)) else {
            return;
        };
        let Some(inst) = ctr.current.as_mut().filter(|i| i.seq == instance && i.exit.is_none()) else {
            return;
        };
        finish(inst, code, now);
        self.pleg(key, ctx);
    }

    fn event(
        &self,
        ctx: &mut Ctx,
        about: &Object,
        field: Option<&str>,
        type_: &'static str,
        reason: &str,
        message: String,
    ) {
        let now = ctx.clock.now();
        ctx.recorder.record(ctx.store, ctx.rng, now, Source::kubelet(&self.node), about, field, type_, reason, message);
    }

    /// The PLEG notices exits at its next relist; then the pod is synced.
    fn pleg(&mut self, key: &ObjectKey, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let at = (now / PLEG_PERIOD_MS + 1) * PLEG_PERIOD_MS;
        self.request_sync(ctx, key, at);
    }

    /// One pass of the pod worker.
    fn sync(&mut self, key: &ObjectKey, ctx: &mut Ctx) {
        let Some(obj) = ctx.store.get(key).cloned() else {
            self.workers.remove(key);
            return;
        };
        let Some(pod) = obj.as_pod().cloned() else { return };
        let Some(mut w) = self.workers.remove(key) else { return };
        if w.finished {
            self.workers.insert(key.clone(), w);
            return;
        }
        for c in w.init.iter_mut().chain(w.app.iter_mut()) {
            if let Some(i) = c.current.as_mut() {
                if i.exit.is_some() {
                    i.noticed = true;
                }
            }
        }
        if pod.metadata.deletion_timestamp.is_some() {
            self.terminate(&mut w, &obj, &pod, key, ctx);
        } else if !w.pulling {
            self.advance(&mut w, &obj, &pod, key, ctx);
        }
        self.write_status(&mut w, &pod, key, ctx);
        self.workers.insert(key.clone(), w);
    }

    /// computePodActions + SyncPod: sandbox, init containers one by one, then app containers.
    fn advance(&mut self, w: &mut PodWorker, obj: &Object, pod: &Pod, key: &ObjectKey, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        match w.sandbox {
            Sandbox::None => {
                w.sandbox = Sandbox::Creating { ready_at: now + SANDBOX_CREATE_MS };
                self.wake_at(ctx, now + SANDBOX_CREATE_MS, KubeletWake::SyncPod(key.clone()));
                return;
            }
            Sandbox::Creating { ready_at } if now < ready_at => return,
            Sandbox::Creating { .. } => {
                let ip = format!("{}.{}", self.pod_net, self.next_ip);
                self.next_ip = if self.next_ip >= 254 { 2 } else { self.next_ip + 1 };
                w.sandbox = Sandbox::Ready { ip };
            }
            Sandbox::Ready { .. } => {}
        }
        let policy = restart_policy(pod).to_string();
        // Init containers, in order: each must finish (sidecars: start) before the next.
        for i in 0..w.init.len() {
            let c = &w.init[i];
            if c.sidecar {
                if c.started() {
                    continue;
                }
                if c.running() {
                    return; // wait for its startup probe
                }
            } else {
                match c.exit() {
                    Some(e) if e.code == 0 => continue,
                    Some(e) if policy == "Never" => {
                        let _ = e;
                        return; // the pod has failed
                    }
                    _ if c.running() => return,
                    _ => {}
                }
            }
            let sidecar = c.sidecar;
            let blocked = self.start_container(w, CRef { init: true, index: i }, obj, pod, key, ctx, &policy);
            if sidecar && !blocked {
                // A restartable init container is not waited for to finish: the next sync, when
                // PLEG relists (1 s) and sees it running, goes on to the next init container
                // (computeInitContainerActions in kuberuntime_container.go).
                schedule_sync(&self.node, w, ctx, key, ctx.clock.now() + PLEG_RELIST_MS);
            }
            return;
        }
        for i in 0..w.app.len() {
            let c = &w.app[i];
            if c.running() {
                continue;
            }
            if let Some(e) = c.exit() {
                if !should_restart(&policy, e.code) && !c.definition_changed {
                    continue;
                }
            }
            if self.start_container(w, CRef { init: false, index: i }, obj, pod, key, ctx, &policy) {
                return; // blocked on a pull
            }
        }
    }

    /// Starts (or restarts) one container if its back-off and image allow. Returns true when
    /// the worker is now blocked (pulling).
    #[allow(clippy::too_many_arguments)]
    fn start_container(
        &mut self,
        w: &mut PodWorker,
        cref: CRef,
        obj: &Object,
        pod: &Pod,
        key: &ObjectKey,
        ctx: &mut Ctx,
        _policy: &str,
    ) -> bool {
        let now = ctx.clock.now();
        let Some(c) = w.ctr(cref).cloned() else { return false };
        let field = c.field_path();
        // doBackOff: a container that exited before waits out its crash-loop back-off.
        let backoff_key = crash_backoff_key(
            pod.metadata.name.as_deref().unwrap_or(""),
            pod.metadata.namespace.as_deref().unwrap_or(""),
            &w.uid,
            c.name(),
            c.image(),
        );
        let killed_for_restart = c.current.as_ref().is_some_and(|i| i.killed_for_restart);
        let exit_for_backoff = if killed_for_restart { c.last.as_ref() } else { c.exit() };
        if let Some(exit) = exit_for_backoff.filter(|_| !c.backoff_passed && !c.definition_changed) {
            if self.crash_backoff.in_backoff_since(&backoff_key, exit.finished_at, now) {
                let backoff = self.crash_backoff.get(&backoff_key);
                self.event(
                    ctx,
                    obj,
                    Some(&field),
                    WARNING,
                    "BackOff",
                    format!("Back-off restarting failed container {} in pod {}", c.name(), format_pod(pod)),
                );
                let msg = format!(
                    "back-off {} restarting failed container={} pod={}",
                    format_go_duration(backoff),
                    c.name(),
                    format_pod(pod)
                );
                if let Some(cm) = w.ctr_mut(cref) {
                    cm.waiting = Some(("CrashLoopBackOff".into(), Some(msg)));
                }
                let expiry = self.crash_backoff.expiry(&backoff_key, exit.finished_at);
                schedule_sync(&self.node, w, ctx, key, expiry);
                return false;
            }
            self.crash_backoff.next(&backoff_key, exit.finished_at, now);
            if let Some(cm) = w.ctr_mut(cref) {
                cm.backoff_passed = true;
            }
        }
        // EnsureImageExists.
        if c.pull != Pull::Ready {
            let image = c.image().to_string();
            if !catalog::valid_reference(&image) {
                // applyDefaultImageTag fails: InvalidImageName, and no pull is tried.
                let msg = format!(
                    "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format"
                );
                self.event(ctx, obj, Some(&field), WARNING, "InspectFailed", msg.clone());
                self.event(ctx, obj, Some(&field), WARNING, "Failed", "Error: InvalidImageName".into());
                if let Some(cm) = w.ctr_mut(cref) {
                    cm.waiting = Some(("InvalidImageName".into(), Some(msg)));
                }
                let jitter = ctx.rng.below(5_001) as Millis;
                schedule_sync(&self.node, w, ctx, key, now + ERROR_REQUEUE_MS + jitter);
                return false;
            }
            let policy =
                c.spec.image_pull_policy.clone().unwrap_or_else(|| crate::defaults::image_pull_policy(&image).into());
            let pull_key = format!("{}_{}", w.uid, image);
            if self.images.should_pull(&image, &policy) {
                if self.pull_backoff.in_backoff_since_update(&pull_key, now) {
                    let prev = self.pull_errors.get(&pull_key).cloned().unwrap_or_default();
                    self.event(
                        ctx,
                        obj,
                        Some(&field),
                        NORMAL,
                        "BackOff",
                        format!("Back-off pulling image \"{image}\""),
                    );
                    self.event(ctx, obj, Some(&field), WARNING, "Failed", "Error: ImagePullBackOff".into());
                    let mut msg = format!("Back-off pulling image \"{image}\"");
                    if !prev.is_empty() {
                        msg.push_str(&format!(": {prev}"));
                    }
                    if let Some(cm) = w.ctr_mut(cref) {
                        cm.waiting = Some(("ImagePullBackOff".into(), Some(msg)));
                    }
                    let jitter = ctx.rng.below(5_001) as Millis;
                    schedule_sync(&self.node, w, ctx, key, now + ERROR_REQUEUE_MS + jitter);
                    return false;
                }
                let has_secrets =
                    pod.spec.as_ref().and_then(|s| s.image_pull_secrets.as_ref()).is_some_and(|v| !v.is_empty());
                let error = catalog::pull_error_for(&image, has_secrets).or_else(|| self.registry.pull_error(&image));
                let ticket = if error.is_some() {
                    PullTicket { requested_at: now, started_at: now, done_at: now + FAILED_PULL_MS }
                } else {
                    self.images.enqueue(&image, now)
                };
                self.event(ctx, obj, Some(&field), NORMAL, "Pulling", format!("Pulling image \"{image}\""));
                if let Some(cm) = w.ctr_mut(cref) {
                    cm.pull = Pull::InProgress;
                }
                w.pulling = true;
                self.wake_at(ctx, ticket.done_at, KubeletWake::PullDone { pod: key.clone(), c: cref, ticket, error });
                return true;
            }
            if policy == "Never" && !self.images.is_present(&image) {
                let msg = format!("Container image \"{image}\" is not present with pull policy of Never");
                self.event(ctx, obj, Some(&field), WARNING, "ErrImageNeverPull", msg.clone());
                self.event(ctx, obj, Some(&field), WARNING, "Failed", "Error: ErrImageNeverPull".into());
                if let Some(cm) = w.ctr_mut(cref) {
                    cm.waiting = Some(("ErrImageNeverPull".into(), Some(msg)));
                }
                let jitter = ctx.rng.below(5_001) as Millis;
                schedule_sync(&self.node, w, ctx, key, now + ERROR_REQUEUE_MS + jitter);
                return false;
            }
            self.event(
                ctx,
                obj,
                Some(&field),
                NORMAL,
                "Pulled",
                format!("Container image \"{image}\" already present on machine and can be accessed by the pod"),
            );
        }
        // Create and start.
        self.container_seq += 1;
        let id =
            format!("{:016x}{:016x}{:016x}{:016x}", ctx.rng.u64(), ctx.rng.u64(), ctx.rng.u64(), self.container_seq);
        let ip = w.ip();
        let ports_in_use = w.ports_in_use_except(cref);
        let local = w.local_ports();
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        env.insert("HOSTNAME".into(), pod.metadata.name.clone().unwrap_or_default());
        env.insert("KUBERNETES_SERVICE_HOST".into(), "10.96.0.1".into());
        env.insert("KUBERNETES_SERVICE_PORT".into(), "443".into());
        env.insert("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
        for e in c.spec.env.iter().flatten() {
            env.insert(e.name.clone(), e.value.clone().unwrap_or_default());
        }
        let declared: Vec<u16> =
            c.spec.ports.iter().flatten().map(|p| p.container_port.clamp(0, 65535) as u16).collect();
        let command = c.spec.command.clone().unwrap_or_default();
        let args = c.spec.args.clone().unwrap_or_default();
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let cluster = host::ClusterNet::from_store(ctx.store, &namespace);
        let mut host = PodHost { now, pod_ip: ip, image: c.image().to_string(), local, cluster };
        let (proc, next) = Container::start(
            StartSpec {
                image: c.image(),
                command: &command,
                args: &args,
                env,
                declared_ports: declared,
                memory_limit: memory_limit(&c.spec),
                namespace: &namespace,
                mounts: c.spec.volume_mounts.iter().flatten().map(|m| (m.mount_path.clone(), m.name.clone())).collect(),
                volumes: w.volumes.clone(),
            },
            now,
            &mut host,
            &ports_in_use,
        );
        self.event(ctx, obj, Some(&field), NORMAL, "Created", "Container created".into());
        self.event(ctx, obj, Some(&field), NORMAL, "Started", "Container started".into());
        let Some(cm) = w.ctr_mut(cref) else { return false };
        let restarted = cm.current.is_some();
        if let Some(prev) = cm.current.take() {
            cm.last = prev.exit;
            cm.previous_logs = std::mem::take(&mut cm.logs);
            cm.restart_count += 1;
        }
        cm.instances += 1;
        let seq = cm.instances;
        cm.waiting = None;
        cm.backoff_passed = false;
        cm.definition_changed = false;
        // The next start ensures the image again (policy Always pulls every time).
        cm.pull = Pull::NotStarted;
        let _ = restarted;
        for p in cm.probes.iter_mut() {
            p.reset(seq);
        }
        let mut inst = Instance {
            seq,
            id,
            started_at: now,
            proc: Some(proc),
            exit: None,
            stopping: false,
            killed_for_restart: false,
            noticed: false,
        };
        cm.logs = inst.proc.as_ref().map(|p| p.logs.clone()).unwrap_or_default();
        if let Some(p) = inst.proc.as_mut() {
            p.logs.clear();
        }
        let probe_kinds: Vec<(ProbeKind, Millis)> = cm.probes.iter().map(|p| (p.kind, p.next_tick(now))).collect();
        match next {
            Next::Exited(code) => {
                let oom = inst.proc.as_ref().is_some_and(|p| p.oom_killed);
                finish_with(&mut inst, code, now, oom);
            }
            Next::WakeAfter(d) => {
                self.wake_at(ctx, now + d, KubeletWake::Process { pod: key.clone(), c: cref, instance: seq })
            }
            Next::Running => {}
        }
        let exited = inst.exit.is_some();
        cm.current = Some(inst);
        if exited {
            let at = (now / PLEG_PERIOD_MS + 1) * PLEG_PERIOD_MS;
            schedule_sync(&self.node, w, ctx, key, at);
        }
        for (kind, tick) in probe_kinds {
            // Readiness gets a manual trigger as soon as the container shows as running.
            let at = if kind == ProbeKind::Readiness { now } else { tick };
            self.wake_at(ctx, at, KubeletWake::Probe { pod: key.clone(), c: cref, kind, instance: seq });
        }
        if !exited {
            self.post_start(w, cref, obj, key, ctx);
        }
        false
    }

    /// The postStart hook runs right after the container starts; if it fails the kubelet records
    /// FailedPostStartHook and kills the container (kuberuntime_container.go startContainer).
    fn post_start(&mut self, w: &mut PodWorker, cref: CRef, obj: &Object, key: &ObjectKey, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let local = w.local_ports();
        let ip = w.ip();
        let Some(c) = w.ctr_mut(cref) else { return };
        let Some(hook) = c.spec.lifecycle.as_ref().and_then(|l| l.post_start.clone()) else { return };
        let image = c.image().to_string();
        let field = c.field_path();
        let Some(p) = c.current.as_mut().and_then(|i| i.proc.as_mut()) else { return };
        let ok = if let Some(e) = &hook.exec {
            let mut host = PodHost {
                now,
                pod_ip: ip.clone(),
                image,
                local,
                cluster: host::ClusterNet::from_store(ctx.store, &key.namespace),
            };
            let r = p.exec(&e.command.clone().unwrap_or_default(), &mut host, 30 * SECOND);
            c.logs.append(&mut p.logs);
            r.status == 0 && !r.timed_out
        } else if let Some(h) = &hook.http_get {
            let port = match prober::handler(&k8s_openapi::api::core::v1::Probe {
                http_get: Some(h.clone()),
                ..Default::default()
            }) {
                Handler::Http { port: PortRef::Number(n), .. } => n,
                _ => 0,
            };
            local.iter().any(|l| l.port == port)
        } else {
            true
        };
        if !ok {
            self.event(ctx, obj, Some(&field), WARNING, "FailedPostStartHook", "PostStartHook failed".into());
            // The Killing event's message is literally the reason (upstream quirk).
            let _ = &mut *w;
            let taken = std::mem::replace(w, self.placeholder());
            self.workers.insert(key.clone(), taken);
            self.kill_container(key, cref, "FailedPostStartHook".into(), None, ctx);
            if let Some(back) = self.workers.remove(key) {
                *w = back;
            }
        }
    }

    fn pull_done(&mut self, key: &ObjectKey, cref: CRef, ticket: PullTicket, error: Option<String>, ctx: &mut Ctx) {
        let Some(obj) = ctx.store.get(key).cloned() else { return };
        let Some(pod) = obj.as_pod().cloned() else { return };
        let now = ctx.clock.now();
        let Some(w) = self.workers.get_mut(key) else { return };
        w.pulling = false;
        let uid = w.uid.clone();
        let Some(c) = w.ctr_mut(cref) else { return };
        let image = c.image().to_string();
        let field = c.field_path();
        let _ = pod;
        match error {
            None => {
                c.pull = Pull::Ready;
                let size = catalog::lookup(&image).size;
                if !self.images.is_present(&image) {
                    self.images.mark_present(&image);
                    report_image(&self.node, &image, size, now, ctx);
                }
                let message = format!(
                    "Successfully pulled image \"{image}\" in {} ({} including waiting). Image size: {size} bytes.",
                    format_go_duration(ticket.done_at - ticket.started_at),
                    format_go_duration(ticket.done_at - ticket.requested_at),
                );
                self.event(ctx, &obj, Some(&field), NORMAL, "Pulled", message);
                self.sync(key, ctx);
            }
            Some(err) => {
                c.pull = Pull::NotStarted;
                c.waiting = Some(("ErrImagePull".into(), Some(err.clone())));
                let pull_key = format!("{uid}_{image}");
                self.pull_backoff.next(&pull_key, now, now);
                self.pull_errors.insert(pull_key, format!("ErrImagePull: {err}"));
                self.event(
                    ctx,
                    &obj,
                    Some(&field),
                    WARNING,
                    "Failed",
                    format!("Failed to pull image \"{image}\": {err}"),
                );
                self.event(ctx, &obj, Some(&field), WARNING, "Failed", "Error: ErrImagePull".into());
                let jitter = ctx.rng.below(5_001) as Millis;
                self.request_sync(ctx, key, now + ERROR_REQUEUE_MS + jitter);
                // Write the ErrImagePull status now.
                if let Some(mut w) = self.workers.remove(key) {
                    if let Some(p) = obj.as_pod() {
                        self.write_status(&mut w, p, key, ctx);
                    }
                    self.workers.insert(key.clone(), w);
                }
            }
        }
    }

    fn resume_process(&mut self, key: &ObjectKey, cref: CRef, instance: u32, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let Some(w) = self.workers.get_mut(key) else { return };
        let ports = w.ports_in_use_except(cref);
        let local = w.local_ports();
        let ip = w.ip();
        let Some(c) = w.ctr_mut(cref) else { return };
        let image = c.image().to_string();
        let Some(inst) = c.current.as_mut().filter(|i| i.seq == instance && i.exit.is_none()) else {
            return;
        };
        let Some(p) = inst.proc.as_mut() else { return };
        let mut host =
            PodHost { now, pod_ip: ip, image, local, cluster: host::ClusterNet::from_store(ctx.store, &key.namespace) };
        let next = p.resume(now, &mut host, &ports);
        let oom = p.oom_killed;
        c.logs.append(&mut p.logs);
        match next {
            Next::WakeAfter(d) => {
                self.wake_at(ctx, now + d, KubeletWake::Process { pod: key.clone(), c: cref, instance })
            }
            Next::Exited(code) => {
                finish_with(inst, code, now, oom);
                self.pleg(key, ctx);
            }
            Next::Running => {}
        }
    }

    fn run_probe(&mut self, key: &ObjectKey, cref: CRef, kind: ProbeKind, instance: u32, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        // Probes run often: the pod object is only cloned when an event or a status write needs it.
        let Some(restart) = ctx.store.get(key).map(|o| should_restart(restart_policy_of(o), 1)) else { return };
        let Some(w) = self.workers.get_mut(key) else { return };
        if w.terminating.is_some() || w.finished {
            return;
        }
        let local = w.local_ports();
        let ip = w.ip();
        let Some(c) = w.ctr_mut(cref) else { return };
        let started = c.started();
        let has_startup = c.probe(ProbeKind::Startup).is_some();
        let image = c.image().to_string();
        let name = c.name().to_string();
        let named_ports: Vec<(String, u16)> = c
            .spec
            .ports
            .iter()
            .flatten()
            .filter_map(|p| p.name.clone().map(|n| (n, p.container_port.clamp(0, 65535) as u16)))
            .collect();
        let Some(pw) = c.probes.iter().find(|p| p.kind == kind).cloned() else {
            return;
        };
        if pw.instance != instance {
            return; // a wake-up for an older instance
        }
        let Some(inst) = c.current.as_mut().filter(|i| i.seq == instance) else {
            return;
        };
        // Keep ticking while the instance runs.
        let next_tick = pw.next_tick(now);
        let running = inst.exit.is_none() && !inst.stopping;
        if !running {
            return;
        }
        let reschedule = |kl: &Kubelet, ctx: &mut Ctx| {
            kl.wake_at(ctx, next_tick, KubeletWake::Probe { pod: key.clone(), c: cref, kind, instance })
        };
        let elapsed_s = (now.saturating_sub(inst.started_at)) / SECOND;
        let skip = pw.on_hold
            || elapsed_s < pw.timing.initial_delay / SECOND
            || (kind == ProbeKind::Startup && started)
            || (kind != ProbeKind::Startup && has_startup && !started);
        if skip {
            reschedule(self, ctx);
            return;
        }
        // Run the probe against the container.
        let handler = prober::handler(&pw.probe);
        let resolve = |p: &PortRef| -> u16 {
            match p {
                PortRef::Number(n) => *n,
                PortRef::Name(name) => named_ports.iter().find(|(n, _)| n == name).map(|(_, p)| *p).unwrap_or(0),
            }
        };
        let listening = |port: u16| local.iter().any(|l| l.port == port);
        let (ok, output) = match handler {
            Handler::Exec(argv)
                if argv.first().is_none_or(|a| a.trim().is_empty() || a.contains(char::is_whitespace)) =>
            {
                // The runtime cannot even start such a command (a whole command line written as
                // one argv element): the probe *errors*, which counts toward no threshold
                // (prober.go: "probe errored and resulted in unknown state").
                let arg0 = argv.first().cloned().unwrap_or_default();
                let exec_id =
                    format!("{:016x}{:016x}{:016x}{:016x}", ctx.rng.u64(), ctx.rng.u64(), ctx.rng.u64(), ctx.rng.u64());
                let msg = format!(
                    "{} probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{arg0}\": stat {arg0}: no such file or directory: unknown",
                    kind.title()
                );
                c.probe_history.push(ProbeTick { at: now, kind, result: ProbeResult::Unknown, instance });
                if let Some(obj) = ctx.store.get(key).cloned() {
                    let field = w_field(cref, &name);
                    self.event(ctx, &obj, Some(&field), WARNING, "Unhealthy", msg);
                }
                reschedule(self, ctx);
                return;
            }
            Handler::Exec(argv) => {
                let mut host = PodHost {
                    now,
                    pod_ip: ip.clone(),
                    image: image.clone(),
                    local: local.clone(),
                    cluster: host::ClusterNet::from_store(ctx.store, &key.namespace),
                };
                let Some(p) = inst.proc.as_mut() else { return };
                let r = p.exec(&argv, &mut host, pw.timing.timeout);
                if r.timed_out {
                    (false, format!("command \"{}\" timed out", argv.join(" ")))
                } else {
                    (r.status == 0, format!("{}{}", r.stdout, r.stderr))
                }
            }
            Handler::Http { port, path, host, scheme } => {
                let port = resolve(&port);
                let h = host.unwrap_or_else(|| ip.clone());
                let url = format!("{scheme}://{}/{}", join_host_port(&h, port), path.trim_start_matches('/'));
                let mut ph = PodHost {
                    now,
                    pod_ip: ip.clone(),
                    image: image.clone(),
                    local: local.clone(),
                    cluster: host::ClusterNet::default(),
                };
                match shell_http(&mut ph, &h, port, &path) {
                    Ok(code) if (200..400).contains(&code) => (true, String::new()),
                    Ok(code) => (false, format!("HTTP probe failed with statuscode: {code}")),
                    Err(()) => (
                        false,
                        format!("Get \"{url}\": dial tcp {}: connect: connection refused", join_host_port(&h, port)),
                    ),
                }
            }
            Handler::Tcp { port, host } => {
                let port = resolve(&port);
                let h = host.unwrap_or_else(|| ip.clone());
                if listening(port) && (h == ip || h == "localhost" || h == "127.0.0.1") {
                    (true, String::new())
                } else {
                    (false, format!("dial tcp {}: connect: connection refused", join_host_port(&h, port)))
                }
            }
            Handler::Grpc { port } => {
                if listening(port) {
                    (true, "service healthy".into())
                } else {
                    let t = format_go_duration(pw.timing.timeout);
                    (
                        false,
                        format!(
                            "timeout: failed to connect service \"{}\" within {t}: context deadline exceeded",
                            join_host_port(&ip, port)
                        ),
                    )
                }
            }
            Handler::None => (true, String::new()),
        };
        let result = if ok { ProbeResult::Success } else { ProbeResult::Failure };
        c.probe_history.push(ProbeTick { at: now, kind, result, instance });
        let outcome = {
            let Some(pwm) = c.probes.iter_mut().find(|p| p.kind == kind) else {
                return;
            };
            pwm.record(ok)
        };
        if !ok {
            let Some(obj) = ctx.store.get(key).cloned() else { return };
            let field = w_field(cref, &name);
            self.event(
                ctx,
                &obj,
                Some(&field),
                WARNING,
                "Unhealthy",
                format!("{} probe failed: {output}", kind.title()),
            );
        }
        reschedule(self, ctx);
        if let Outcome::Changed(result) = outcome {
            match (kind, result) {
                (ProbeKind::Liveness, false) | (ProbeKind::Startup, false) => {
                    let what = if kind == ProbeKind::Liveness { "liveness" } else { "startup" };
                    let mut msg = format!("Container {name} failed {what} probe");
                    if restart {
                        msg.push_str(", will be restarted");
                    }
                    let grace = pw.probe.termination_grace_period_seconds.map(|s| s.max(0) as Millis * SECOND);
                    self.kill_container(key, cref, msg, grace, ctx);
                }
                _ => {
                    // Readiness or startup success changes Ready/Started: write status now.
                    let pod = ctx.store.get(key).and_then(Object::as_pod).cloned();
                    if let (Some(mut w), Some(pod)) = (self.workers.remove(key), pod) {
                        self.write_status(&mut w, &pod, key, ctx);
                        self.workers.insert(key.clone(), w);
                    }
                }
            }
        }
    }

    /// killContainer: the Killing event, preStop, SIGTERM, and SIGKILL when the grace runs out.
    fn kill_container(&mut self, key: &ObjectKey, cref: CRef, message: String, grace: Option<Millis>, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let Some(obj) = ctx.store.get(key).cloned() else { return };
        let pod_grace = obj
            .as_pod()
            .and_then(|p| {
                p.metadata
                    .deletion_grace_period_seconds
                    .or(p.spec.as_ref().and_then(|s| s.termination_grace_period_seconds))
            })
            .unwrap_or(30)
            .max(0) as Millis
            * SECOND;
        let Some(w) = self.workers.get_mut(key) else { return };
        let local = w.local_ports();
        let ip = w.ip();
        let Some(c) = w.ctr_mut(cref) else { return };
        let field = c.field_path();
        let image = c.image().to_string();
        let pre_stop = c.spec.lifecycle.as_ref().and_then(|l| l.pre_stop.clone());
        let Some(inst) = c.current.as_mut().filter(|i| i.exit.is_none() && !i.stopping) else {
            return;
        };
        inst.stopping = true;
        inst.killed_for_restart = w_restart_kill(&message);
        let seq = inst.seq;
        let mut grace = grace.unwrap_or(pod_grace);
        let mut hook_ms: Millis = 0;
        let mut hook_failed = false;
        // preStop runs before the stop signal and eats into the grace period (whole seconds).
        if let (Some(hook), Some(p)) = (pre_stop, inst.proc.as_mut()) {
            if grace > 0 {
                if let Some(e) = &hook.exec {
                    let mut host = PodHost {
                        now,
                        pod_ip: ip.clone(),
                        image: image.clone(),
                        local: local.clone(),
                        cluster: host::ClusterNet::from_store(ctx.store, &key.namespace),
                    };
                    let r = p.exec(&e.command.clone().unwrap_or_default(), &mut host, grace);
                    hook_failed = r.status != 0 && !r.timed_out;
                    hook_ms = r.elapsed.min(grace);
                } else if let Some(s) = &hook.sleep {
                    hook_ms = (s.seconds.max(0) as Millis * SECOND).min(grace);
                } else if hook.http_get.is_some() {
                    hook_ms = 10; // a quick request to the container
                }
                grace = grace.saturating_sub(hook_ms / SECOND * SECOND);
            }
        }
        let on_term = inst.proc.as_ref().map(|p| p.on_term()).unwrap_or(OnTerm::Exit(143));
        let grace = grace.max(MIN_KILL_GRACE_MS);
        self.event(ctx, &obj, Some(&field), NORMAL, "Killing", message);
        if hook_failed {
            self.event(ctx, &obj, Some(&field), WARNING, "FailedPreStopHook", "PreStopHook failed".into());
        }
        let wake = match on_term {
            OnTerm::Exit(code) => {
                (now + hook_ms, KubeletWake::Signal { pod: key.clone(), c: cref, instance: seq, code })
            }
            OnTerm::Ignore => (now + hook_ms + grace, KubeletWake::Kill { pod: key.clone(), c: cref, instance: seq }),
        };
        self.wake_at(ctx, wake.0, wake.1);
    }

    /// A pod being deleted: stop every running container, then write the final status and let
    /// the API remove the object.
    fn terminate(&mut self, w: &mut PodWorker, obj: &Object, pod: &Pod, key: &ObjectKey, ctx: &mut Ctx) {
        if w.terminating.is_none() {
            let grace = pod
                .metadata
                .deletion_grace_period_seconds
                .or(pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds))
                .unwrap_or(30)
                .max(1) as Millis
                * SECOND;
            w.terminating = Some(grace);
            let running: Vec<CRef> = w.all().filter(|c| c.running()).map(|c| c.cref).collect();
            let names: Vec<(CRef, String)> =
                running.iter().filter_map(|r| w.ctr(*r).map(|c| (*r, c.name().to_string()))).collect();
            // Put the worker back so kill_container can reach it, then take it again.
            let taken = std::mem::replace(w, self.placeholder());
            self.workers.insert(key.clone(), taken);
            for (cref, name) in names {
                self.kill_container(key, cref, format!("Stopping container {name}"), Some(grace), ctx);
            }
            if let Some(back) = self.workers.remove(key) {
                *w = back;
            }
            let _ = obj;
        }
        if w.all().all(|c| !c.running()) {
            // Everything stopped: the final status, then the apiserver deletes the object.
            w.finished = true;
            self.write_status(w, pod, key, ctx);
            let now = ctx.clock.now();
            let _ = ctx.store.delete(key, now);
        }
    }

    fn placeholder(&self) -> PodWorker {
        PodWorker {
            volumes: Default::default(),
            uid: String::new(),
            sandbox: Sandbox::None,
            init: Vec::new(),
            app: Vec::new(),
            pulling: false,
            sync_at: None,
            terminating: None,
            finished: true,
            own_conditions: Vec::new(),
        }
    }

    /// The status manager: computes the API status from the worker and writes it if it changed.
    fn write_status(&self, w: &mut PodWorker, pod: &Pod, key: &ObjectKey, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let epoch = ctx.store.epoch();
        let input = status::Input {
            node_ip: &self.node_ip,
            pod_ip: w.ip(),
            sandbox_ready: matches!(w.sandbox, Sandbox::Ready { .. }),
            init: w.init.iter().map(|c| view(c, pod)).collect(),
            app: w.app.iter().map(|c| view(c, pod)).collect(),
            terminal: w.finished,
        };
        // Conditions of the kubelet's that someone else's status write dropped come back from
        // its cache (status manager: mergePodStatus keeps only others' conditions from the API).
        let owned = |t: &str| {
            matches!(t, "PodScheduled" | "Ready" | "Initialized" | "ContainersReady" | "PodReadyToStartContainers")
        };
        let mut seen = pod.clone();
        if let Some(st) = seen.status.as_mut() {
            let conds = st.conditions.get_or_insert_with(Vec::new);
            for c in &w.own_conditions {
                if !conds.iter().any(|x| x.type_ == c.type_) {
                    conds.push(c.clone());
                }
            }
        }
        let new = status::generate(&seen, &input, epoch, now);
        w.own_conditions = new.conditions.iter().flatten().filter(|c| owned(&c.type_)).cloned().collect();
        if pod.status.as_ref() != Some(&new) {
            ctx.store.modify(key, now, |o| {
                if let Object::Pod(p) = o {
                    p.status = Some(new);
                }
            });
        }
    }
}

/// A crash-loop back-off being waited out: the exit it counts from, when it ends, its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackoffWait {
    pub since: Millis,
    pub until: Millis,
    pub backoff: Millis,
}

/// The back-off key of a container: upstream's `GetStableKey` (pkg/kubelet/kuberuntime/helpers.go)
/// ends in the container's spec hash; the image is the only part of the spec a pod update may
/// change, so it stands for the hash: a new image starts a new back-off.
fn crash_backoff_key(name: &str, namespace: &str, uid: &str, container: &str, image: &str) -> String {
    format!("{name}_{namespace}_{uid}_{container}_{image}")
}

/// Whether a kill message is one of the kubelet's kill-to-restart reasons.
fn w_restart_kill(message: &str) -> bool {
    message.contains("failed liveness probe")
        || message.contains("definition changed")
        || message.contains("failed startup probe")
        || message == "FailedPostStartHook"
}

/// The event field path of a container (`spec.containers{name}`).
fn w_field(cref: CRef, name: &str) -> String {
    let list = if cref.init { "initContainers" } else { "containers" };
    format!("spec.{list}{{{name}}}")
}

fn restart_policy_of(obj: &Object) -> &str {
    obj.as_pod().map(restart_policy).unwrap_or("Always")
}

fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

fn shell_http(host: &mut PodHost, h: &str, port: u16, path: &str) -> Result<u16, ()> {
    use crate::runtime::shell::Host;
    host.http_get(h, port, path).map(|(code, _)| code).map_err(|_| ())
}

fn finish(inst: &mut Instance, code: i32, now: Millis) {
    finish_with(inst, code, now, false)
}

fn finish_with(inst: &mut Instance, code: i32, now: Millis, oom: bool) {
    if inst.exit.is_some() {
        return;
    }
    let reason = if oom {
        "OOMKilled"
    } else if code == 0 {
        "Completed"
    } else {
        "Error"
    };
    inst.exit = Some(Exit {
        code,
        reason: reason.into(),
        started_at: inst.started_at,
        finished_at: now,
        container_id: inst.id.clone(),
    });
    if let Some(p) = inst.proc.as_mut() {
        p.stop();
    }
}

/// What the status manager needs to know about one container.
fn view(c: &Ctr, pod: &Pod) -> status::ContainerView {
    let has_init = pod.spec.as_ref().is_some_and(|s| s.init_containers.as_ref().is_some_and(|v| !v.is_empty()));
    // Until the PLEG notices an exit, the kubelet still reports the container as it last saw it.
    let reported_running = c.current.as_ref().filter(|i| i.exit.is_none() || !i.noticed);
    let started = reported_running.is_some() && c.probe(ProbeKind::Startup).is_none_or(|p| p.result == Some(true));
    let ready = if c.cref.init && !c.sidecar {
        c.current.as_ref().filter(|i| i.noticed).and_then(|i| i.exit.as_ref()).is_some_and(|e| e.code == 0)
    } else {
        started && c.probe(ProbeKind::Readiness).is_none_or(|p| p.result == Some(true))
    };
    status::ContainerView {
        name: c.name().to_string(),
        mounts: c.spec.volume_mounts.clone().unwrap_or_default(),
        image: c.image().to_string(),
        sidecar: c.sidecar,
        running_since: reported_running.map(|i| i.started_at),
        exit: c.current.as_ref().and_then(|i| if i.noticed { i.exit.clone() } else { None }),
        container_id: c.current.as_ref().map(|i| i.id.clone()),
        last: c.last.clone(),
        restart_count: c.restart_count,
        waiting: c.waiting.clone(),
        default_waiting: if has_init { "PodInitializing" } else { "ContainerCreating" },
        ready,
        started,
    }
}
