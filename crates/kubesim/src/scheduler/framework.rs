//! The scheduling framework's shapes, after kube-scheduler's `framework` package: a node snapshot
//! (`NodeInfo`), plugin interfaces per extension point, and the record each attempt leaves.

use k8s_openapi::api::core::v1::{Node, Pod};
use serde::Serialize;

use crate::quantity;

/// Requests the scheduler counts for a pod that states none (pkg/scheduler/util: 100 millicores,
/// 200 MiB): only for scoring, never for fitting.
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// CPU (millicores), memory (bytes) and pod count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
    pub pods: i64,
}

/// Effective requests of a pod: the larger of the sum over app containers and the largest init
/// container (pkg/api/v1/resource's PodRequests; sidecars are added in the lifecycle issue).
pub fn pod_requests(pod: &Pod, non_zero: bool) -> Resources {
    let Some(spec) = &pod.spec else {
        return Resources::default();
    };
    let get = |c: &k8s_openapi::api::core::v1::Container| {
        let req = c.resources.as_ref().and_then(|r| r.requests.as_ref());
        let lim = c.resources.as_ref().and_then(|r| r.limits.as_ref());
        // An unset request defaults to the limit (apiserver defaulting).
        let q = |name: &str| req.and_then(|m| m.get(name)).or_else(|| lim.and_then(|m| m.get(name)));
        let mut cpu = q("cpu").and_then(|v| quantity::parse(&v.0).ok()).map(|v| v.milli());
        let mut mem = q("memory").and_then(|v| quantity::parse(&v.0).ok()).map(|v| v.value());
        if non_zero {
            cpu = cpu.filter(|v| *v != 0).or(Some(DEFAULT_MILLI_CPU_REQUEST));
            mem = mem.filter(|v| *v != 0).or(Some(DEFAULT_MEMORY_REQUEST));
        }
        (cpu.unwrap_or(0), mem.unwrap_or(0))
    };
    let mut r = Resources { milli_cpu: 0, memory: 0, pods: 1 };
    for c in &spec.containers {
        let (cpu, mem) = get(c);
        r.milli_cpu += cpu;
        r.memory += mem;
    }
    for c in spec.init_containers.iter().flatten() {
        let (cpu, mem) = get(c);
        r.milli_cpu = r.milli_cpu.max(cpu);
        r.memory = r.memory.max(mem);
    }
    r
}

/// A host port a pod uses on its node: (hostIP, protocol, port); hostIP empty means every
/// address (0.0.0.0).
pub type HostPort = (String, String, i32);

/// The host ports a pod asks for (containers' `hostPort`s; init containers do not keep ports).
pub fn pod_host_ports(pod: &Pod) -> Vec<HostPort> {
    let Some(spec) = &pod.spec else {
        return Vec::new();
    };
    spec.containers
        .iter()
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| {
            let host_port = p.host_port.filter(|&h| h > 0)?;
            let ip = p.host_ip.clone().filter(|ip| ip != "0.0.0.0").unwrap_or_default();
            Some((ip, p.protocol.clone().unwrap_or_else(|| "TCP".into()), host_port))
        })
        .collect()
}

/// What the scheduler knows of one node: the node and the pods assigned to it.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub node: Node,
    pub name: std::sync::Arc<str>,
    pub allocatable: Resources,
    pub requested: Resources,
    /// Requests with the scoring defaults for pods that state none.
    pub non_zero_requested: Resources,
    /// Host ports in use, one entry per pod using it.
    pub used_ports: Vec<HostPort>,
    /// Images the node reports (`status.images`): canonical name → size in bytes.
    pub images: std::collections::BTreeMap<String, i64>,
    pub pods: usize,
}

/// What a node offers pods (`status.allocatable`), as the scheduler reads it.
pub fn node_allocatable(node: &Node) -> Resources {
    let alloc = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let q = |name: &str| alloc.and_then(|m| m.get(name)).and_then(|v| quantity::parse(&v.0).ok());
    Resources {
        milli_cpu: q("cpu").map(|v| v.milli()).unwrap_or(0),
        memory: q("memory").map(|v| v.value()).unwrap_or(0),
        pods: q("pods").map(|v| v.value()).unwrap_or(110),
    }
}

impl NodeInfo {
    pub fn new(node: Node) -> Self {
        let status = node.status.as_ref();
        let allocatable = node_allocatable(&node);
        let images = status
            .and_then(|s| s.images.as_ref())
            .into_iter()
            .flatten()
            .flat_map(|i| {
                let size = i.size_bytes.unwrap_or(0);
                i.names.iter().flatten().map(move |n| (crate::runtime::catalog::canonical(n), size))
            })
            .collect();
        NodeInfo {
            name: node.metadata.name.as_deref().unwrap_or_default().into(),
            node,
            allocatable,
            requested: Resources::default(),
            non_zero_requested: Resources::default(),
            used_ports: Vec::new(),
            images,
            pods: 0,
        }
    }

    /// Replaces the Node object (labels, taints, allocatable, images) keeping the pods' usage.
    pub fn set_node(&mut self, node: Node) {
        let fresh = NodeInfo::new(node);
        self.node = fresh.node;
        self.allocatable = fresh.allocatable;
        self.images = fresh.images;
    }

    pub fn add_pod(&mut self, pod: &Pod) {
        self.account(pod, 1);
    }

    pub fn remove_pod(&mut self, pod: &Pod) {
        self.account(pod, -1);
    }

    fn account(&mut self, pod: &Pod, sign: i64) {
        let r = pod_requests(pod, false);
        let nz = pod_requests(pod, true);
        self.requested.milli_cpu += sign * r.milli_cpu;
        self.requested.memory += sign * r.memory;
        self.requested.pods += sign;
        self.non_zero_requested.milli_cpu += sign * nz.milli_cpu;
        self.non_zero_requested.memory += sign * nz.memory;
        self.non_zero_requested.pods += sign;
        self.pods = (self.pods as i64 + sign).max(0) as usize;
        for port in pod_host_ports(pod) {
            if sign > 0 {
                self.used_ports.push(port);
            } else if let Some(i) = self.used_ports.iter().position(|p| *p == port) {
                self.used_ports.swap_remove(i);
            }
        }
    }
}

/// Why a Filter plugin turned a node down: upstream's reasons, and whether the status was
/// `UnschedulableAndUnresolvable` (preemption cannot help: evicting pods would not change it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub reasons: Vec<String>,
    pub unresolvable: bool,
}

impl Rejection {
    /// `Unschedulable`: evicting pods might make room.
    pub fn unschedulable(reasons: Vec<String>) -> Self {
        Rejection { reasons, unresolvable: false }
    }
    /// `UnschedulableAndUnresolvable`: nothing on the node can change it.
    pub fn unresolvable(reason: &str) -> Self {
        Rejection { reasons: vec![reason.to_string()], unresolvable: true }
    }
}

/// A Filter plugin's verdict on one node.
pub type FilterResult = Result<(), Rejection>;

/// What plugins share within one scheduling cycle (PreFilter/PreScore state): the pod's requests,
/// host ports and images worked out once, the snapshot's size, and how many nodes hold each image
/// (ImageLocality spreads its score by it).
pub struct CycleState<'a> {
    pub requests: Resources,
    pub non_zero_requests: Resources,
    pub host_ports: Vec<HostPort>,
    pub images: Vec<String>,
    pub total_nodes: usize,
    pub image_nodes: &'a std::collections::BTreeMap<String, usize>,
}

impl<'a> CycleState<'a> {
    pub fn for_pod(pod: &Pod, total_nodes: usize, image_nodes: &'a std::collections::BTreeMap<String, usize>) -> Self {
        let images = pod
            .spec
            .iter()
            .flat_map(|s| s.init_containers.iter().flatten().chain(&s.containers))
            .filter_map(|c| c.image.as_deref())
            .map(crate::runtime::catalog::canonical)
            .collect();
        CycleState {
            requests: pod_requests(pod, false),
            non_zero_requests: pod_requests(pod, true),
            host_ports: pod_host_ports(pod),
            images,
            total_nodes,
            image_nodes,
        }
    }
}

pub trait FilterPlugin {
    fn name(&self) -> &'static str;
    fn filter(&self, pod: &Pod, node: &NodeInfo, state: &CycleState) -> FilterResult;
}

pub trait ScorePlugin {
    fn name(&self) -> &'static str;
    /// The weight in the default profile (pkg/scheduler/apis/config/v1/default_plugins.go).
    fn weight(&self) -> i64;
    fn score(&self, pod: &Pod, node: &NodeInfo, state: &CycleState) -> i64;
    /// Scales raw scores to 0–100 where the plugin's raw range differs (NormalizeScore).
    fn normalize(&self, _scores: &mut [i64]) {}
}

pub const MAX_NODE_SCORE: i64 = 100;

/// helper.DefaultNormalizeScore: scales so the best node gets `MAX_NODE_SCORE`; `reverse` turns
/// it round (fewest is best). All zero stays zero (or all max when reversed).
pub fn default_normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    for s in scores.iter_mut() {
        if max == 0 {
            *s = if reverse { MAX_NODE_SCORE } else { *s };
            continue;
        }
        let v = MAX_NODE_SCORE * *s / max;
        *s = if reverse { MAX_NODE_SCORE - v } else { v };
    }
}

/// One node's row in an attempt's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeVerdict {
    pub node: std::sync::Arc<str>,
    /// How many filter plugins passed before the first that failed (or all of them).
    pub passed: usize,
    /// The first filter plugin that turned the node down, and why. Filtering stops there, as
    /// upstream's does.
    pub failed: Option<(&'static str, Rejection)>,
    /// Score plugins: (plugin, normalised score, weight); only for feasible nodes.
    pub scores: Vec<(&'static str, i64, i64)>,
    pub total: Option<i64>,
}

impl NodeVerdict {
    pub fn feasible(&self) -> bool {
        self.failed.is_none()
    }
}

/// The record of one scheduling attempt, kept so kubectl and the page can say why a pod went
/// where it went, or why it is Pending.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attempt {
    pub at: u64,
    /// The filter plugins in the order they run (a row's `passed` counts into this list).
    pub filters: Vec<&'static str>,
    /// Nodes examined, in the order they were filtered. With more than 100 nodes the scheduler
    /// stops once it has enough feasible ones (percentageOfNodesToScore), as upstream does.
    pub nodes: Vec<NodeVerdict>,
    /// Nodes in the cluster (examined or not).
    pub total_nodes: usize,
    pub chosen: Option<String>,
    /// The FailedScheduling message when no node fits.
    pub message: Option<String>,
}
