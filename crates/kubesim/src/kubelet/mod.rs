//! The kubelet, one per node: it watches pods bound to its node and runs them through the pod
//! sandbox, image pulls and container starts, writing status back as the status manager does.
//!
//! Each pod has a worker that does one step at a time, like upstream's pod workers: a step that
//! takes time (sandbox creation, a pull) schedules a wake-up for when it is done.

pub mod image_manager;
pub mod status;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateWaiting, ContainerStatus, HostIP, Pod, PodIP, PodStatus,
};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Source, NORMAL};
use crate::sim::{Ctx, Wake};
use crate::store::{Change, Op};
use crate::time::{format_go_duration, Millis};
use image_manager::{ImageManager, PullTicket};

/// Delay between a pod being bound and its kubelet's first sync (watch delivery).
pub const WATCH_DELAY_MS: Millis = 50;
/// Time to create the pod sandbox (pause container and network) through the CRI.
pub const SANDBOX_CREATE_MS: Millis = 900;

/// The kubelet's own wake-ups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubeletWake {
    SyncPod(ObjectKey),
    PullDone {
        pod: ObjectKey,
        container: usize,
        ticket: PullTicket,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Sandbox {
    None,
    Creating { ready_at: Millis },
    Ready { ip: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pull {
    NotStarted,
    InProgress,
    Done,
}

#[derive(Clone, Debug)]
struct ContainerRuntime {
    name: String,
    image: String,
    pull: Pull,
    started_at: Option<Millis>,
    container_id: Option<String>,
}

#[derive(Clone, Debug)]
struct PodWorker {
    sandbox: Sandbox,
    containers: Vec<ContainerRuntime>,
    /// A step is in flight; the worker waits for its wake-up.
    busy: bool,
}

#[derive(Clone, Debug)]
pub struct Kubelet {
    node: String,
    node_ip: String,
    /// The first three octets of the node's pod CIDR (a /24).
    pod_net: String,
    next_ip: u32,
    images: ImageManager,
    workers: BTreeMap<ObjectKey, PodWorker>,
}

impl Kubelet {
    pub fn new(node: &str, node_ip: &str, pod_cidr: &str) -> Self {
        let net = pod_cidr.split('/').next().unwrap_or("10.244.0.0");
        let pod_net = net
            .rsplit_once('.')
            .map(|(a, _)| a.to_string())
            .unwrap_or_else(|| "10.244.0".into());
        Kubelet {
            node: node.into(),
            node_ip: node_ip.into(),
            pod_net,
            next_ip: 2, // .1 is the bridge (cni0) gateway
            images: ImageManager::default(),
            workers: BTreeMap::new(),
        }
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    fn wake(&self, ctx: &mut Ctx, after: Millis, wake: KubeletWake) {
        ctx.clock.after(
            after,
            Wake::Kubelet {
                node: self.node.clone(),
                wake,
            },
        );
    }

    /// Reacts to a change in the store (the kubelet's pod informer, filtered by node).
    pub fn observe(&mut self, change: &Change, ctx: &mut Ctx) {
        if change.key.kind != Kind::Pod {
            return;
        }
        if change.op == Op::Deleted {
            self.workers.remove(&change.key);
            return;
        }
        let Some(pod) = change.object.as_pod() else { return };
        let bound_here = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(self.node.as_str());
        if bound_here && !self.workers.contains_key(&change.key) {
            let containers = pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .map(|c| ContainerRuntime {
                    name: c.name.clone(),
                    image: c.image.clone().unwrap_or_default(),
                    pull: Pull::NotStarted,
                    started_at: None,
                    container_id: None,
                })
                .collect();
            self.workers.insert(
                change.key.clone(),
                PodWorker {
                    sandbox: Sandbox::None,
                    containers,
                    busy: false,
                },
            );
            self.wake(ctx, WATCH_DELAY_MS, KubeletWake::SyncPod(change.key.clone()));
        }
    }

    pub fn handle(&mut self, wake: KubeletWake, ctx: &mut Ctx) {
        match wake {
            KubeletWake::SyncPod(key) => self.sync_pod(&key, ctx),
            KubeletWake::PullDone { pod, container, ticket } => {
                let Some(obj) = ctx.store.get(&pod).cloned() else {
                    return;
                };
                let Some(w) = self.workers.get_mut(&pod) else { return };
                let Some(c) = w.containers.get_mut(container) else {
                    return;
                };
                c.pull = Pull::Done;
                w.busy = false;
                let image = c.image.clone();
                self.images.mark_present(&image);
                let size = crate::runtime::catalog::lookup(&image).size;
                let message = format!(
                    "Successfully pulled image \"{image}\" in {} ({} including waiting). Image size: {size} bytes.",
                    format_go_duration(ticket.done_at - ticket.started_at),
                    format_go_duration(ticket.done_at - ticket.requested_at),
                );
                let field = format!("spec.containers{{{}}}", c.name);
                self.event(ctx, &obj, Some(&field), NORMAL, "Pulled", message);
                self.sync_pod(&pod, ctx);
            }
        }
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
        ctx.recorder.record(
            ctx.store,
            ctx.rng,
            now,
            Source::kubelet(&self.node),
            about,
            field,
            type_,
            reason,
            message,
        );
    }

    /// One pass of the pod worker (kuberuntime's SyncPod): sandbox, then each container in order:
    /// ensure its image, create it, start it. A step that takes time ends the pass.
    fn sync_pod(&mut self, key: &ObjectKey, ctx: &mut Ctx) {
        let Some(obj) = ctx.store.get(key).cloned() else {
            self.workers.remove(key);
            return;
        };
        let Some(pod) = obj.as_pod().cloned() else { return };
        let Some(mut w) = self.workers.remove(key) else { return };
        if !w.busy {
            self.advance_worker(&mut w, &obj, &pod, key, ctx);
        }
        self.write_status(&w, &pod, key, ctx);
        self.workers.insert(key.clone(), w);
    }

    fn advance_worker(&mut self, w: &mut PodWorker, obj: &Object, pod: &Pod, key: &ObjectKey, ctx: &mut Ctx) {
        match w.sandbox {
            Sandbox::None => {
                w.sandbox = Sandbox::Creating {
                    ready_at: ctx.clock.now() + SANDBOX_CREATE_MS,
                };
                self.wake(ctx, SANDBOX_CREATE_MS, KubeletWake::SyncPod(key.clone()));
                return;
            }
            Sandbox::Creating { ready_at } if ctx.clock.now() < ready_at => return,
            Sandbox::Creating { .. } => {
                let ip = format!("{}.{}", self.pod_net, self.next_ip);
                self.next_ip = if self.next_ip >= 254 { 2 } else { self.next_ip + 1 };
                w.sandbox = Sandbox::Ready { ip };
            }
            Sandbox::Ready { .. } => {}
        }
        let spec = pod.spec.clone().unwrap_or_default();
        for (i, c) in w.containers.iter_mut().enumerate() {
            if c.started_at.is_some() {
                continue;
            }
            let field = format!("spec.containers{{{}}}", c.name);
            if c.pull == Pull::NotStarted {
                let policy = spec
                    .containers
                    .get(i)
                    .and_then(|s| s.image_pull_policy.clone())
                    .unwrap_or_else(|| crate::defaults::image_pull_policy(&c.image).into());
                if self.images.should_pull(&c.image, &policy) {
                    let now = ctx.clock.now();
                    let ticket = self.images.enqueue(&c.image, now);
                    c.pull = Pull::InProgress;
                    w.busy = true;
                    let msg = format!("Pulling image \"{}\"", c.image);
                    let node = self.node.clone();
                    ctx.recorder.record(
                        ctx.store,
                        ctx.rng,
                        now,
                        Source::kubelet(&node),
                        obj,
                        Some(&field),
                        NORMAL,
                        "Pulling",
                        msg,
                    );
                    ctx.clock.at(
                        ticket.done_at,
                        Wake::Kubelet {
                            node,
                            wake: KubeletWake::PullDone {
                                pod: key.clone(),
                                container: i,
                                ticket,
                            },
                        },
                    );
                    return;
                }
                let msg = format!(
                    "Container image \"{}\" already present on machine and can be accessed by the pod",
                    c.image
                );
                let now = ctx.clock.now();
                ctx.recorder.record(
                    ctx.store,
                    ctx.rng,
                    now,
                    Source::kubelet(&self.node),
                    obj,
                    Some(&field),
                    NORMAL,
                    "Pulled",
                    msg,
                );
                c.pull = Pull::Done;
            }
            if c.pull != Pull::Done {
                return;
            }
            let now = ctx.clock.now();
            c.container_id = Some(format!(
                "containerd://{:016x}{:016x}{:016x}{:016x}",
                ctx.rng.u64(),
                ctx.rng.u64(),
                ctx.rng.u64(),
                ctx.rng.u64()
            ));
            c.started_at = Some(now);
            let node = self.node.clone();
            ctx.recorder.record(
                ctx.store,
                ctx.rng,
                now,
                Source::kubelet(&node),
                obj,
                Some(&field),
                NORMAL,
                "Created",
                format!("Created container: {}", c.name),
            );
            ctx.recorder.record(
                ctx.store,
                ctx.rng,
                now,
                Source::kubelet(&node),
                obj,
                Some(&field),
                NORMAL,
                "Started",
                format!("Started container {}", c.name),
            );
        }
    }

    /// The status manager: computes the API status from the worker's state and writes it if it
    /// changed.
    fn write_status(&self, w: &PodWorker, pod: &Pod, key: &ObjectKey, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        let now_t = ctx.store.epoch().time(now);
        let spec = pod.spec.clone().unwrap_or_default();
        let old = pod.status.clone().unwrap_or_default();
        let statuses: Vec<ContainerStatus> = w
            .containers
            .iter()
            .map(|c| {
                let running = c.started_at.map(|t| ContainerState {
                    running: Some(ContainerStateRunning {
                        started_at: Some(ctx.store.epoch().time(t)),
                    }),
                    ..Default::default()
                });
                let (repo, tag) = crate::runtime::catalog::split_reference(&c.image);
                let full = if repo.contains('/')
                    && repo
                        .split('/')
                        .next()
                        .is_some_and(|h| h.contains('.') || h.contains(':'))
                {
                    format!("{repo}:{tag}")
                } else if repo.contains('/') {
                    format!("docker.io/{repo}:{tag}")
                } else {
                    format!("docker.io/library/{repo}:{tag}")
                };
                ContainerStatus {
                    name: c.name.clone(),
                    image: if running.is_some() {
                        full.clone()
                    } else {
                        c.image.clone()
                    },
                    image_id: if running.is_some() {
                        format!("{}@sha256:{}", full.split(':').next().unwrap_or(&full), digest(&full))
                    } else {
                        String::new()
                    },
                    container_id: if running.is_some() {
                        c.container_id.clone()
                    } else {
                        None
                    },
                    ready: running.is_some(),
                    started: Some(running.is_some()),
                    restart_count: 0,
                    state: Some(running.unwrap_or(ContainerState {
                        waiting: Some(ContainerStateWaiting {
                            reason: Some("ContainerCreating".into()),
                            message: None,
                        }),
                        ..Default::default()
                    })),
                    last_state: Some(ContainerState::default()),
                    ..Default::default()
                }
            })
            .collect();
        let prev = old.conditions.clone().unwrap_or_default();
        let unready: Vec<&str> = statuses.iter().filter(|s| !s.ready).map(|s| s.name.as_str()).collect();
        let all_ready = unready.is_empty();
        let not_ready_msg = format!("containers with unready status: [{}]", unready.join(" "));
        let sandbox_ready = matches!(w.sandbox, Sandbox::Ready { .. });
        let mut conditions = vec![
            status::condition(&prev, "PodReadyToStartContainers", sandbox_ready, None, None, &now_t),
            status::condition(&prev, "Initialized", true, None, None, &now_t),
            status::condition(
                &prev,
                "Ready",
                all_ready,
                (!all_ready).then_some("ContainersNotReady"),
                (!all_ready).then(|| not_ready_msg.clone()),
                &now_t,
            ),
            status::condition(
                &prev,
                "ContainersReady",
                all_ready,
                (!all_ready).then_some("ContainersNotReady"),
                (!all_ready).then_some(not_ready_msg),
                &now_t,
            ),
        ];
        // PodScheduled was set at binding; keep it.
        conditions.extend(prev.iter().filter(|c| c.type_ == "PodScheduled").cloned());
        let phase = status::phase(&spec, &[], &statuses);
        let ip = match &w.sandbox {
            Sandbox::Ready { ip } => Some(ip.clone()),
            _ => None,
        };
        let new = PodStatus {
            phase: Some(phase.into()),
            conditions: Some(conditions),
            host_ip: Some(self.node_ip.clone()),
            host_ips: Some(vec![HostIP {
                ip: self.node_ip.clone(),
            }]),
            pod_ip: ip.clone(),
            pod_ips: ip.map(|ip| vec![PodIP { ip }]),
            start_time: old.start_time.clone().or(Some(now_t)),
            container_statuses: Some(statuses),
            qos_class: old.qos_class.clone(),
            ..Default::default()
        };
        if pod.status.as_ref() != Some(&new) {
            ctx.store.modify(key, now, |o| {
                if let Object::Pod(p) = o {
                    p.status = Some(new);
                }
            });
        }
    }
}

/// A stable fake image digest (FNV-1a of the reference, stretched to 64 hex digits).
fn digest(reference: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut out = String::with_capacity(64);
    for round in 0..4u8 {
        for b in reference.bytes().chain([round]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}
