//! What the buttons on a node card do: faults as a scenario's `fault` steps, cordon and uncordon
//! as the kubectl lines a learner would type. The answer (or the engine's error) is shown on the
//! card.

use kubesim::faults::Fault;
use kubesim::scenario::Action;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeAction {
    /// The node's kubelet stops (the machine stays up).
    StopKubelet,
    /// The whole machine goes down.
    Fail,
    /// The machine comes back and its kubelet runs again.
    Recover,
    Cordon,
    Uncordon,
}

impl NodeAction {
    /// The `data-action` value (stable, for tests).
    pub fn code(self) -> &'static str {
        match self {
            NodeAction::StopKubelet => "stop-kubelet",
            NodeAction::Fail => "fail",
            NodeAction::Recover => "recover",
            NodeAction::Cordon => "cordon",
            NodeAction::Uncordon => "uncordon",
        }
    }
}

/// The recorded action a button stands for: a fault step, or the kubectl line a learner would
/// type. The page does it through the session's `Player`, so it rewinds and shares like the rest.
pub fn action(node: &str, action: NodeAction) -> Action {
    let node = node.to_string();
    match action {
        NodeAction::StopKubelet => Action::Fault(Fault::KubeletStop { node }),
        NodeAction::Fail => Action::Fault(Fault::NodeDown { node }),
        // Brings up whatever is down: a stopped kubelet, or the whole machine.
        NodeAction::Recover => Action::Fault(Fault::NodeUp { node }),
        NodeAction::Cordon | NodeAction::Uncordon => Action::Kubectl(format!("{} {node}", action.code())),
    }
}
