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

/// What the scheduler knows of one node: the node and the pods assigned to it.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub node: Node,
    pub name: String,
    pub allocatable: Resources,
    pub requested: Resources,
    /// Requests with the scoring defaults for pods that state none.
    pub non_zero_requested: Resources,
    pub pods: Vec<String>,
}

impl NodeInfo {
    pub fn new(node: Node) -> Self {
        let alloc = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
        let q = |name: &str| alloc.and_then(|m| m.get(name)).and_then(|v| quantity::parse(&v.0).ok());
        let allocatable = Resources {
            milli_cpu: q("cpu").map(|v| v.milli()).unwrap_or(0),
            memory: q("memory").map(|v| v.value()).unwrap_or(0),
            pods: q("pods").map(|v| v.value()).unwrap_or(110),
        };
        NodeInfo {
            name: node.metadata.name.clone().unwrap_or_default(),
            node,
            allocatable,
            requested: Resources::default(),
            non_zero_requested: Resources::default(),
            pods: Vec::new(),
        }
    }

    pub fn add_pod(&mut self, pod: &Pod) {
        let r = pod_requests(pod, false);
        let nz = pod_requests(pod, true);
        self.requested.milli_cpu += r.milli_cpu;
        self.requested.memory += r.memory;
        self.requested.pods += 1;
        self.non_zero_requested.milli_cpu += nz.milli_cpu;
        self.non_zero_requested.memory += nz.memory;
        self.non_zero_requested.pods += 1;
        self.pods.push(pod.metadata.name.clone().unwrap_or_default());
    }
}

/// A Filter plugin's verdict on one node: `Ok`, or the reasons it does not fit, in upstream's words.
pub type FilterResult = Result<(), Vec<String>>;

pub trait FilterPlugin {
    fn name(&self) -> &'static str;
    fn filter(&self, pod: &Pod, node: &NodeInfo) -> FilterResult;
}

pub trait ScorePlugin {
    fn name(&self) -> &'static str;
    /// The weight in the default profile (pkg/scheduler/apis/config/v1/default_plugins.go).
    fn weight(&self) -> i64;
    fn score(&self, pod: &Pod, node: &NodeInfo) -> i64;
    /// Scales raw scores to 0–100 where the plugin's raw range differs (NormalizeScore).
    fn normalize(&self, _scores: &mut [i64]) {}
}

pub const MAX_NODE_SCORE: i64 = 100;

/// One node's row in an attempt's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeVerdict {
    pub node: String,
    /// Each filter plugin that ran, in order, with its failure reasons (empty = passed). Filtering
    /// stops at the first failing plugin, as upstream's does.
    pub filters: Vec<(String, Vec<String>)>,
    /// Score plugins: (plugin, normalised score, weight); only for feasible nodes.
    pub scores: Vec<(String, i64, i64)>,
    pub total: Option<i64>,
}

impl NodeVerdict {
    pub fn feasible(&self) -> bool {
        self.filters.iter().all(|(_, reasons)| reasons.is_empty())
    }
}

/// The record of one scheduling attempt, kept so kubectl and the page can say why a pod went
/// where it went, or why it is Pending.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attempt {
    pub at: u64,
    pub nodes: Vec<NodeVerdict>,
    pub chosen: Option<String>,
    /// The FailedScheduling message when no node fits.
    pub message: Option<String>,
}
