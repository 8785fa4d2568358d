//! Faults and switches a scenario (or the page) can inject: nodes and kubelets that stop and come
//! back, containers killed with an exit code, images that vanish from the registry, and the
//! control-plane components switched off so a learner sees what stops working.

use crate::api::ObjectKey;
use crate::sim::Simulation;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The node's kubelet process stops: no more heartbeats, no more pod changes on that node;
    /// the containers already running keep running.
    KubeletStop {
        node: String,
    },
    /// The kubelet starts again (posts status, reconciles its pods).
    KubeletStart {
        node: String,
    },
    /// The whole machine goes down: the kubelet and every container on it stop, the node is
    /// unreachable.
    NodeDown {
        node: String,
    },
    /// The machine comes back up.
    NodeUp {
        node: String,
    },
    /// A container's main process dies with `exit_code` (137 = SIGKILL, as `kill -9`).
    KillContainer {
        pod: ObjectKey,
        container: Option<String>,
        exit_code: i32,
    },
    /// The registry no longer has this image (any tag if none is given): later pulls fail.
    ImageMissing {
        image: String,
    },
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

    /// Kubelet stop/start and node down/up (the node lifecycle controller notices the silence
    /// after the grace period; see controllers/node_lifecycle.rs).
    fn node_fault(&mut self, fault: Fault) -> Result<String, String> {
        match fault {
            Fault::KubeletStop { node } => self.kubelet_stop(&node, false),
            Fault::NodeDown { node } => self.kubelet_stop(&node, true),
            Fault::KubeletStart { node } => self.kubelet_start(&node, false),
            Fault::NodeUp { node } => self.kubelet_start(&node, true),
            other => Err(format!("not a node fault: {other:?}")),
        }
    }

    /// KillContainer and ImageMissing: the container's process exits (the kubelet restarts it
    /// per restartPolicy, with the crash-loop back-off), or the registry loses an image.
    fn workload_fault(&mut self, fault: Fault) -> Result<String, String> {
        match fault {
            Fault::KillContainer { pod, container, exit_code } => {
                let pod = if pod.namespace.is_empty() { ObjectKey::new(pod.kind, "default", &pod.name) } else { pod };
                let node = match self.store().get(&pod).and_then(|o| o.as_pod()) {
                    None => return Err(format!("pods \"{}\" not found", pod.name)),
                    Some(p) => p.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
                };
                if node.is_empty() {
                    return Err(format!("pod \"{}\" is not running on a node yet", pod.name));
                }
                self.with_kubelets(|kubelets, ctx| match kubelets.get_mut(&node) {
                    Some(k) => k.kill_process(&pod, container.as_deref(), exit_code, ctx),
                    None => Err(format!("node \"{node}\" has no kubelet")),
                })
            }
            Fault::ImageMissing { image } => {
                if !crate::runtime::catalog::valid_reference(&image) {
                    return Err(format!("{image:?} is not a valid image reference"));
                }
                self.registry.lose(&image);
                let registry = self.registry.clone();
                self.with_kubelets(|kubelets, _| {
                    for k in kubelets.values_mut() {
                        k.set_registry(&registry);
                    }
                });
                Ok(format!(
                    "the registry no longer has {image}: new pulls fail with \"not found\", copies cached on nodes keep working"
                ))
            }
            other => Err(format!("not a workload fault: {other:?}")),
        }
    }

    fn switch_fault(&mut self, fault: Fault) -> Result<String, String> {
        Ok(match fault {
            Fault::SchedulerStop => self.set_scheduler_running(false),
            Fault::SchedulerStart => self.set_scheduler_running(true),
            Fault::ControllerManagerStop => self.set_controllers_running(false),
            Fault::ControllerManagerStart => self.set_controllers_running(true),
            other => return Err(format!("not a switch: {other:?}")),
        })
    }
}
