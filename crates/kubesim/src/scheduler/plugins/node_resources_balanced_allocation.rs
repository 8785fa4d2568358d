//! NodeResourcesBalancedAllocation: favours nodes where cpu and memory would be used in equal
//! fractions after placing the pod.

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{CycleState, NodeInfo, ScorePlugin, MAX_NODE_SCORE};

pub struct NodeResourcesBalancedAllocation;

impl ScorePlugin for NodeResourcesBalancedAllocation {
    fn name(&self) -> &'static str {
        "NodeResourcesBalancedAllocation"
    }
    fn weight(&self) -> i64 {
        1
    }
    /// `(1 - std) * 100` of the requested fractions (balancedResourceScorer in
    /// noderesources/balanced_allocation.go); with two resources the std is |a - b| / 2.
    fn score(&self, _: &Pod, node: &NodeInfo, state: &CycleState) -> i64 {
        let req = state.non_zero_requests;
        let frac = |used: i64, cap: i64| {
            if cap == 0 {
                1.0
            } else {
                (used as f64 / cap as f64).min(1.0)
            }
        };
        let cpu = frac(node.non_zero_requested.milli_cpu + req.milli_cpu, node.allocatable.milli_cpu);
        let mem = frac(node.non_zero_requested.memory + req.memory, node.allocatable.memory);
        let std = (cpu - mem).abs() / 2.0;
        ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
    }
}
