//! Faults and switches a scenario (or the page) can inject: nodes and kubelets that stop and come
//! back, containers killed with an exit code, images that vanish from the registry, and the
//! control-plane components switched off so a learner sees what stops working.

use crate::api::ObjectKey;
use crate::sim::Simulation;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The node's kubelet process stops: no more heartbeats, no more pod changes on that node;
    /// the containers already running keep running.
    KubeletStop { node: String },
    /// The kubelet starts again (posts status, reconciles its pods).
    KubeletStart { node: String },
    /// The whole machine goes down: the kubelet and every container on it stop, the node is
    /// unreachable.
    NodeDown { node: String },
    /// The machine comes back up.
    NodeUp { node: String },
    /// A container's main process dies with `exit_code` (137 = SIGKILL, as `kill -9`).
    KillContainer { pod: ObjectKey, container: Option<String>, exit_code: i32 },
    /// The registry no longer has this image (any tag if none is given): later pulls fail.
    ImageMissing { image: String },
    SchedulerStop,
    SchedulerStart,
    /// kube-controller-manager: every controller (deployment, replicaset, endpoints, job, node
    /// lifecycle, garbage collector).
    ControllerManagerStop,
    ControllerManagerStart,
}

impl Simulation {
    /// Injects a fault; returns a one-line account of what happened, or why it could not be done.
    pub fn inject(&mut self, fault: Fault) -> Result<String, String> {
        match fault {
            Fault::KubeletStop { .. } | Fault::KubeletStart { .. } | Fault::NodeDown { .. } | Fault::NodeUp { .. } => {
                self.node_fault(fault)
            }
            Fault::KillContainer { .. } | Fault::ImageMissing { .. } => self.workload_fault(fault),
            Fault::SchedulerStop
            | Fault::SchedulerStart
            | Fault::ControllerManagerStop
            | Fault::ControllerManagerStart => self.switch_fault(fault),
        }
    }

    fn node_fault(&mut self, fault: Fault) -> Result<String, String> {
        Err(format!("not simulated yet: {fault:?}"))
    }

    fn workload_fault(&mut self, fault: Fault) -> Result<String, String> {
        Err(format!("not simulated yet: {fault:?}"))
    }

    fn switch_fault(&mut self, fault: Fault) -> Result<String, String> {
        Err(format!("not simulated yet: {fault:?}"))
    }
}
