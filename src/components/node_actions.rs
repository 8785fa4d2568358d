//! What the buttons on a node card do: faults go to the engine (`Simulation::inject`), cordon and
//! uncordon go through its kubectl, exactly as a learner would type them. The answer (or the
//! engine's error) is shown on the card.

use kubesim::faults::Fault;
use kubesim::{kubectl, Simulation};

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

/// Runs one action on `node`; `Ok` carries the engine's account, `Err` why it could not be done.
pub fn run(sim: &mut Simulation, node: &str, action: NodeAction) -> Result<String, String> {
    let node = node.to_string();
    match action {
        NodeAction::StopKubelet => sim.inject(Fault::KubeletStop { node }),
        NodeAction::Fail => sim.inject(Fault::NodeDown { node }),
        NodeAction::Recover => {
            // A node may be down or only have its kubelet stopped: bring up whatever is down.
            let up = sim.inject(Fault::NodeUp { node: node.clone() });
            let kubelet = sim.inject(Fault::KubeletStart { node });
            match (up, kubelet) {
                (Ok(a), Ok(b)) => Ok(format!("{a}\n{b}")),
                (Ok(a), Err(_)) | (Err(_), Ok(a)) => Ok(a),
                (Err(a), Err(_)) => Err(a),
            }
        }
        NodeAction::Cordon | NodeAction::Uncordon => {
            let out = kubectl::run(sim, &format!("{} {node}", action.code()));
            let text = out.combined().trim_end().to_string();
            if out.exit_code == 0 {
                Ok(text)
            } else {
                Err(text)
            }
        }
    }
}
