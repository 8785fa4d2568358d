//! Lessons: a scenario (the cluster the learner starts from), instructions in English and Korean,
//! and goals the engine checks against the live simulation, so the page only shows which goals
//! are reached (it never decides). A lesson is one YAML document of `kind: Lesson`:
//!
//! ```yaml
//! apiVersion: playground.kube/v1alpha1
//! kind: Lesson
//! metadata:
//!   name: first-pod
//! title: {en: Your first pod, ko: 첫 파드}
//! instructions:
//!   en: Apply the manifest in the editor, then ...
//!   ko: 편집기의 매니페스트를 적용하고 ...
//! editor: |            # optional: manifests put into the editor for the learner to Apply
//!   apiVersion: v1
//!   kind: Pod
//!   ...
//! scenario:            # optional: a Scenario without apiVersion/kind/metadata
//!   manifests: |       # applied when the lesson loads
//!   steps: [...]       # faults and changes at their times
//! staticPods:          # optional: Pods a node's kubelet runs from its manifest directory
//! - node: k8s-worker1
//!   manifest: |
//!     ...
//! goals:
//! - text: {en: The pod web is Running, ko: 파드 web이 Running 상태가 됩니다}
//!   podStatus: {pod: web, status: Running}
//! - text: {en: The pod is gone, ko: 파드가 사라졌습니다}
//!   kubectl: {command: get pod web, contains: not found}
//!   after: 0           # counts only once goal 0 was reached
//! solution:            # what a learner does, as scenario steps (tests play it)
//! - {at: 0s, apply: "..."}
//! - {at: 30s, kubectl: delete pod web}
//! ```
//!
//! Goals are sticky: [`Progress`] remembers when each was first reached, so a later step that
//! undoes one (deleting the pod that was Running) does not untick it.

#![allow(clippy::result_large_err)]

mod decode;
pub mod goals;
#[cfg(test)]
mod tests;

use crate::manifest::ManifestError;
use crate::scenario::{Run, Scenario, Step};
use crate::sim::Simulation;
use crate::time::Millis;

pub use goals::{Check, Expect, PodTarget};

pub const KIND: &str = "Lesson";

/// A text in both languages of the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

impl Text {
    /// The Korean text when `korean`, else the English one.
    pub fn get(&self, korean: bool) -> &str {
        if korean {
            &self.ko
        } else {
            &self.en
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub text: Text,
    pub check: Check,
    /// An earlier goal (by index) that must be reached first: "the pod is gone" only counts
    /// once it existed.
    pub after: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// `metadata.name` (also the scenario's name).
    pub name: String,
    pub title: Text,
    pub instructions: Text,
    /// Manifests the page puts into the editor for the learner to Apply (empty: none).
    pub editor: String,
    pub scenario: Scenario,
    pub goals: Vec<Goal>,
    /// What a learner does to reach every goal, as scenario steps (tests play it; the page could
    /// show it).
    pub solution: Vec<Step>,
}

impl Lesson {
    /// Strict decoding; every problem found, each located in `text`.
    pub fn from_yaml(text: &str) -> Result<Lesson, Vec<ManifestError>> {
        decode::decode(text)
    }

    /// The lesson's cluster at 0 s: its scenario's run (manifests applied, steps to come) with
    /// the static pods handed to their kubelets. The page and the tests both start here.
    pub fn start(&self) -> Run {
        self.run_of(&self.scenario)
    }

    /// As [`Lesson::start`], with the solution's steps to play (tests).
    pub fn start_solved(&self) -> Run {
        self.run_of(&self.solved_scenario())
    }

    fn run_of(&self, scenario: &Scenario) -> Run {
        // The static pods are the scenario's own (`staticPods`), so a rebuilt run has them too.
        Run::new(scenario)
    }

    /// The scenario with the solution's steps added after the lesson's own (what the learner
    /// is meant to do, played as a scenario).
    pub fn solved_scenario(&self) -> Scenario {
        let mut s = self.scenario.clone();
        for step in &self.solution {
            s.push_step(step.clone());
        }
        if let Some(last) = s.steps.last().map(|st| st.at) {
            s.until = Some(s.until.unwrap_or(0).max(last));
        }
        s
    }
}

/// Which goals a learner has reached, and when (virtual time).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub reached: Vec<Option<Millis>>,
}

impl Progress {
    pub fn new(lesson: &Lesson) -> Self {
        Progress { reached: vec![None; lesson.goals.len()] }
    }

    /// Checks the goals not reached yet against `sim`; true when one became reached.
    pub fn update(&mut self, lesson: &Lesson, sim: &Simulation) -> bool {
        let mut changed = false;
        for (i, goal) in lesson.goals.iter().enumerate() {
            let ready = goal.after.is_none_or(|a| self.done(a));
            if ready && !self.done(i) && goal.check.holds(sim) {
                if let Some(r) = self.reached.get_mut(i) {
                    *r = Some(sim.now());
                    changed = true;
                }
            }
        }
        changed
    }

    pub fn done(&self, goal: usize) -> bool {
        self.reached.get(goal).is_some_and(Option::is_some)
    }

    pub fn all_done(&self) -> bool {
        self.reached.iter().all(Option::is_some)
    }
}

/// The lessons that ship with the playground, in the order a course would take them.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("first-pod", include_str!("../../lessons/first-pod.yaml")),
    ("multi-container", include_str!("../../lessons/multi-container.yaml")),
    ("labels-selectors", include_str!("../../lessons/labels-selectors.yaml")),
    ("services-endpoints", include_str!("../../lessons/services-endpoints.yaml")),
    ("scheduling", include_str!("../../lessons/scheduling.yaml")),
    ("init-containers", include_str!("../../lessons/init-containers.yaml")),
    ("lifecycle", include_str!("../../lessons/lifecycle.yaml")),
    ("probes", include_str!("../../lessons/probes.yaml")),
    ("image-pull-backoff", include_str!("../../lessons/image-pull-backoff.yaml")),
    ("crash-loop", include_str!("../../lessons/crash-loop.yaml")),
    ("graceful-termination", include_str!("../../lessons/graceful-termination.yaml")),
    ("oom-killed", include_str!("../../lessons/oom-killed.yaml")),
    ("self-healing", include_str!("../../lessons/self-healing.yaml")),
    ("node-failure", include_str!("../../lessons/node-failure.yaml")),
    ("static-pods", include_str!("../../lessons/static-pods.yaml")),
    ("multi-container-patterns", include_str!("../../lessons/multi-container-patterns.yaml")),
];

/// Every built-in lesson, decoded (one that fails to decode is left out; the tests make sure
/// none does).
pub fn built_in() -> Vec<Lesson> {
    BUILT_IN.iter().filter_map(|(_, text)| Lesson::from_yaml(text).ok()).collect()
}
