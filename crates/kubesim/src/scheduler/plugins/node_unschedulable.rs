//! NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate the
//! `node.kubernetes.io/unschedulable:NoSchedule` taint.

use k8s_openapi::api::core::v1::{Pod, Taint};

use super::taint_toleration::tolerates;
use crate::scheduler::framework::{CycleState, FilterPlugin, FilterResult, NodeInfo, Rejection};

pub const ERR_REASON: &str = "node(s) were unschedulable";
pub const TAINT_KEY: &str = "node.kubernetes.io/unschedulable";

pub struct NodeUnschedulable;

impl FilterPlugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }
    fn filter(&self, pod: &Pod, node: &NodeInfo, _: &CycleState) -> FilterResult {
        let cordoned = node.node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
        if !cordoned {
            return Ok(());
        }
        let taint = Taint { key: TAINT_KEY.into(), effect: "NoSchedule".into(), value: None, time_added: None };
        let tolerations = pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[]);
        if tolerations.iter().any(|t| tolerates(t, &taint)) {
            Ok(())
        } else {
            Err(Rejection::unresolvable(ERR_REASON))
        }
    }
}
