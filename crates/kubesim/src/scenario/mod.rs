//! Scenarios: a cluster, the manifests applied at 0 s, and timed steps (kubectl lines,
//! manifests applied or deleted, faults), in one YAML document. A public contract: course
//! authors write them, the page's share links and recorded actions serialise to them, and the
//! `kubesim` CLI runs them. README.md ("Scenarios") documents every field.
//!
//! ```yaml
//! apiVersion: playground.kube/v1alpha1
//! kind: Scenario
//! metadata:
//!   name: crash-loop
//! seed: 1
//! manifests: |
//!   apiVersion: v1
//!   kind: Pod
//!   ...
//! steps:
//! - at: 30s
//!   fault:
//!     killContainer: {pod: web, exitCode: 137}
//! - at: 31s
//!   kubectl: get pods -w
//! until: 2m
//! ```
//!
//! [`Scenario::from_yaml`] decodes strictly (unknown fields with a did-you-mean, types, durations,
//! step order, node names; every error located); [`Scenario::to_yaml`] writes it back so that
//! decoding gives the same value; [`Run`] builds the simulation and plays the steps up to any
//! time (the page rewinds by building a new `Run` and playing it to the earlier time).

// Errors are `ManifestError`s, shared with the manifest reader so the page shows both alike.
#![allow(clippy::result_large_err)]

pub(crate) mod decode;
mod encode;
mod run;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Taint;

use crate::cluster::{self, NodeSpecLite};
use crate::faults::Fault;
use crate::kubelet::backoff::CrashLoopBackOff;
use crate::time::Millis;

pub use run::{execute, Run, StepOutput};

/// The scenario format's `apiVersion`.
pub const API_VERSION: &str = "playground.kube/v1alpha1";
pub const KIND: &str = "Scenario";
/// Upstream behaviour versions the engine follows (`preset.version`).
pub const VERSIONS: &[&str] = &["1.35"];
pub const DEFAULT_VERSION: &str = "1.35";
pub const DEFAULT_SEED: u64 = 1;
/// Feature gates a preset may set, with their v1.35 defaults.
pub const FEATURE_GATES: &[(&str, bool)] =
    &[("KubeletCrashLoopBackOffMax", true), ("ReduceDefaultCrashLoopBackOffDecay", false)];

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// `metadata.name`.
    pub name: String,
    pub seed: u64,
    pub preset: Preset,
    /// `None`: the default cluster (`k8s-master` and `k8s-worker1`, `k8s-worker2`).
    pub nodes: Option<Vec<ScenarioNode>>,
    /// Multi-document YAML applied at 0 s (empty: nothing).
    pub manifests: String,
    /// Pods that nodes' kubelets run from their static pod directory (mirror pods in the API).
    pub static_pods: Vec<StaticPod>,
    /// In time order.
    pub steps: Vec<Step>,
    /// How long to run; `None`: until the last step.
    pub until: Option<Millis>,
}

/// A Pod manifest in a node's static pod directory (`/etc/kubernetes/manifests`): that node's
/// kubelet runs it without the scheduler and publishes the mirror pod `<name>-<node>`.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticPod {
    pub node: String,
    pub manifest: String,
}

/// Which upstream behaviour to follow, and the options that change it.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub version: String,
    /// Feature gates set explicitly (the others keep their v1.35 defaults).
    pub feature_gates: BTreeMap<String, bool>,
    /// The kubelet configuration's `crashLoopBackOff.maxContainerRestartPeriod`.
    pub max_container_restart_period: Option<Millis>,
}

impl Default for Preset {
    fn default() -> Self {
        Preset { version: DEFAULT_VERSION.into(), feature_gates: BTreeMap::new(), max_container_restart_period: None }
    }
}

impl Preset {
    pub fn gate(&self, name: &str) -> bool {
        self.feature_gates.get(name).copied().unwrap_or_else(|| FEATURE_GATES.iter().any(|(g, on)| *g == name && *on))
    }

    /// The kubelets' container restart back-off under these gates and settings.
    pub fn crash_loop_backoff(&self) -> CrashLoopBackOff {
        CrashLoopBackOff::from_gates(
            self.gate("ReduceDefaultCrashLoopBackOffDecay"),
            self.gate("KubeletCrashLoopBackOffMax"),
            self.max_container_restart_period,
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    ControlPlane,
    Worker,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ControlPlane => "control-plane",
            Role::Worker => "worker",
        }
    }
}

/// One node of the cluster. Unset fields take the role's defaults (2 CPUs, 4026128Ki of memory,
/// 110 pods; a control-plane node has the `node-role.kubernetes.io/control-plane:NoSchedule`
/// taint unless `taints` is given).
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioNode {
    pub name: String,
    pub role: Role,
    pub labels: BTreeMap<String, String>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub pods: Option<u32>,
    pub taints: Option<Vec<Taint>>,
}

impl ScenarioNode {
    pub fn worker(name: &str) -> Self {
        ScenarioNode {
            name: name.into(),
            role: Role::Worker,
            labels: BTreeMap::new(),
            cpu: None,
            memory: None,
            pods: None,
            taints: None,
        }
    }

    pub fn spec(&self) -> NodeSpecLite {
        let mut n = match self.role {
            Role::ControlPlane => NodeSpecLite::control_plane(&self.name),
            Role::Worker => NodeSpecLite::worker(&self.name),
        };
        n.labels = self.labels.clone();
        if let Some(c) = &self.cpu {
            n.cpu = c.clone();
        }
        if let Some(m) = &self.memory {
            n.memory = m.clone();
        }
        if let Some(p) = self.pods {
            n.pods = p;
        }
        if let Some(t) = &self.taints {
            n.taints = t.clone();
        }
        n
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub at: Millis,
    pub action: Action,
}

/// What a step does (exactly one per step).
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A kubectl command line, with or without the leading `kubectl`.
    Kubectl(String),
    /// `kubectl apply -f` of this manifest text.
    Apply(String),
    /// `kubectl delete -f` of this manifest text.
    Delete(String),
    Fault(Fault),
}

impl Step {
    /// The line the CLI prints above the step's output, after its time: `$ kubectl get pods`,
    /// `$ kubectl apply -f -`, `fault: killContainer pod=web exitCode=137`.
    pub fn header(&self) -> String {
        match &self.action {
            Action::Kubectl(line) => {
                let line = line.trim();
                let line = line.strip_prefix("kubectl").filter(|r| r.is_empty() || r.starts_with(' ')).unwrap_or(line);
                format!("$ kubectl {}", line.trim_start())
            }
            Action::Apply(_) => "$ kubectl apply -f -".into(),
            Action::Delete(_) => "$ kubectl delete -f -".into(),
            Action::Fault(f) => format!("fault: {}", fault_summary(f)),
        }
    }
}

/// `killContainer pod=web container=app exitCode=137`, `kubeletStop k8s-worker1`.
pub fn fault_summary(f: &Fault) -> String {
    match f {
        Fault::KubeletStop { node } => format!("kubeletStop {node}"),
        Fault::KubeletStart { node } => format!("kubeletStart {node}"),
        Fault::NodeDown { node } => format!("nodeDown {node}"),
        Fault::NodeUp { node } => format!("nodeUp {node}"),
        Fault::KillContainer { pod, container, exit_code } => {
            let mut s = format!("killContainer pod={}", pod.name);
            if !pod.namespace.is_empty() && pod.namespace != "default" {
                s.push_str(&format!(" namespace={}", pod.namespace));
            }
            if let Some(c) = container {
                s.push_str(&format!(" container={c}"));
            }
            s.push_str(&format!(" exitCode={exit_code}"));
            s
        }
        Fault::ImageMissing { image } => format!("imageMissing {image}"),
        Fault::SchedulerStop => "schedulerStop".into(),
        Fault::SchedulerStart => "schedulerStart".into(),
        Fault::ControllerManagerStop => "controllerManagerStop".into(),
        Fault::ControllerManagerStart => "controllerManagerStart".into(),
    }
}

/// A virtual time as the step headers show it: Go's duration format (`0s`, `1m30s`).
pub fn format_at(t: Millis) -> String {
    if t == 0 {
        "0s".into()
    } else {
        crate::time::format_go_duration(t)
    }
}

impl Scenario {
    /// An empty scenario on the default cluster.
    pub fn new(name: &str) -> Self {
        Scenario {
            name: name.into(),
            seed: DEFAULT_SEED,
            preset: Preset::default(),
            nodes: None,
            manifests: String::new(),
            static_pods: Vec::new(),
            steps: Vec::new(),
            until: None,
        }
    }

    /// Strict decoding and validation; every problem found, each located in `text`.
    pub fn from_yaml(text: &str) -> Result<Scenario, Vec<crate::manifest::ManifestError>> {
        decode::decode(text)
    }

    /// The scenario as YAML, in the field order of the README; `from_yaml` of it gives `self`.
    pub fn to_yaml(&self) -> String {
        encode::encode(self)
    }

    /// Whether `text`'s first document says `kind: Scenario` (how the CLI tells a scenario file
    /// from a manifest file).
    pub fn is_scenario(text: &str) -> bool {
        decode::is_scenario(text)
    }

    /// The nodes the cluster starts with.
    pub fn node_specs(&self) -> Vec<NodeSpecLite> {
        match &self.nodes {
            Some(nodes) => nodes.iter().map(ScenarioNode::spec).collect(),
            None => cluster::default_nodes(2),
        }
    }

    /// How long the scenario runs: `until`, or the last step's time.
    pub fn end(&self) -> Millis {
        self.until.unwrap_or_else(|| self.steps.last().map_or(0, |s| s.at))
    }

    /// The simulation's configuration.
    pub fn config(&self) -> crate::sim::Config {
        crate::sim::Config {
            seed: self.seed,
            nodes: self.node_specs(),
            crash_loop: self.preset.crash_loop_backoff(),
            ..crate::sim::Config::default()
        }
    }

    /// Adds a step after every step at the same time or earlier (the page records actions so).
    pub fn push_step(&mut self, step: Step) {
        let i = self.steps.partition_point(|s| s.at <= step.at);
        self.steps.insert(i, step);
    }
}
