//! NodeResourcesFit: the filter checks requests against what is left of allocatable; the score
//! (LeastAllocated strategy, upstream's default) favours emptier nodes.

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{
    CycleState, FilterPlugin, FilterResult, NodeInfo, Rejection, ScorePlugin, MAX_NODE_SCORE,
};

pub struct NodeResourcesFit;

impl FilterPlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }
    fn filter(&self, _: &Pod, node: &NodeInfo, state: &CycleState) -> FilterResult {
        // Order of checks and messages as fitsRequest in noderesources/fit.go.
        let req = state.requests;
        let mut reasons = Vec::new();
        if node.requested.pods + 1 > node.allocatable.pods {
            reasons.push("Too many pods".to_string());
        }
        if req.milli_cpu > 0 && req.milli_cpu > node.allocatable.milli_cpu - node.requested.milli_cpu {
            reasons.push("Insufficient cpu".to_string());
        }
        if req.memory > 0 && req.memory > node.allocatable.memory - node.requested.memory {
            reasons.push("Insufficient memory".to_string());
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Rejection::unschedulable(reasons))
        }
    }
}

/// `(capacity - requested) * 100 / capacity`, 0 when over (leastRequestedScore).
fn least_requested(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * MAX_NODE_SCORE / capacity
}

impl ScorePlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }
    fn weight(&self) -> i64 {
        1
    }
    /// LeastAllocated over cpu and memory with weight 1 each, counting the pod's non-zero requests.
    fn score(&self, _: &Pod, node: &NodeInfo, state: &CycleState) -> i64 {
        let req = state.non_zero_requests;
        let cpu = least_requested(node.non_zero_requested.milli_cpu + req.milli_cpu, node.allocatable.milli_cpu);
        let mem = least_requested(node.non_zero_requested.memory + req.memory, node.allocatable.memory);
        (cpu + mem) / 2
    }
}
