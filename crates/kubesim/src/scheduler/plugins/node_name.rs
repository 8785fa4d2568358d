//! NodeName: a pod that names its node (`spec.nodeName` before binding) fits only there.

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{CycleState, FilterPlugin, FilterResult, NodeInfo, Rejection};

pub const ERR_REASON: &str = "node(s) didn't match the requested node name";

pub struct NodeName;

impl FilterPlugin for NodeName {
    fn name(&self) -> &'static str {
        "NodeName"
    }
    fn filter(&self, pod: &Pod, node: &NodeInfo, _: &CycleState) -> FilterResult {
        match pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
            Some(n) if !n.is_empty() && n != &*node.name => Err(Rejection::unresolvable(ERR_REASON)),
            _ => Ok(()),
        }
    }
}
