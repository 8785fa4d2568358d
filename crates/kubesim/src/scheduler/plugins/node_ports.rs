//! NodePorts: a pod asking for a `hostPort` fits only on nodes where no other pod holds the same
//! port and protocol on an overlapping host IP (0.0.0.0 overlaps every address).

use k8s_openapi::api::core::v1::Pod;

use crate::scheduler::framework::{CycleState, FilterPlugin, FilterResult, NodeInfo, Rejection};

pub const ERR_REASON: &str = "node(s) didn't have free ports for the requested pod ports";

pub struct NodePorts;

impl FilterPlugin for NodePorts {
    fn name(&self) -> &'static str {
        "NodePorts"
    }
    fn filter(&self, _: &Pod, node: &NodeInfo, state: &CycleState) -> FilterResult {
        let clash = state.host_ports.iter().any(|(ip, proto, port)| {
            node.used_ports.iter().any(|(uip, uproto, uport)| {
                uport == port && uproto == proto && (ip.is_empty() || uip.is_empty() || uip == ip)
            })
        });
        // Unschedulable, not unresolvable: evicting the pod holding the port would free it.
        if clash {
            Err(Rejection::unschedulable(vec![ERR_REASON.into()]))
        } else {
            Ok(())
        }
    }
}
