//! Goal checks: questions about the live simulation a lesson asks ("is pod web Running?", "did
//! the Service get two endpoints?"). Each is a pure function of the simulation, read through the
//! same code kubectl prints with (STATUS text, node STATUS, read-only kubectl), so a goal says
//! what the learner sees.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use crate::api::{Kind, Object, ObjectKey};
use crate::kubectl::printers::{node_row, pod_cells, Now};
use crate::selector::Selector;
use crate::sim::Simulation;
use crate::store::Op;
use crate::time::Millis;

/// Which pods a goal looks at.
#[derive(Clone, Debug, PartialEq)]
pub enum PodTarget {
    Name(String),
    /// A label selector as `kubectl -l` writes it, with its source text.
    Selector(String, Selector),
}

/// What a kubectl command's output must show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The text appears somewhere in stdout and stderr.
    Contains(String),
    /// A whole line matches the pattern: `*` stands for any text, a run of spaces for any run of
    /// spaces (so `web * Running` matches a `kubectl get pods` row whatever the columns' widths).
    Matches(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// At least `at_least` of the target pods (1 for a named pod) show every given value:
    /// `status` is kubectl's STATUS column, `phase` the API phase, `ready` the Ready condition.
    PodStatus {
        namespace: String,
        target: PodTarget,
        status: Option<String>,
        phase: Option<String>,
        ready: Option<bool>,
        at_least: usize,
    },
    /// The pod's restarts (one container's, or all containers' together) reached `at_least`.
    Restarts { namespace: String, pod: String, container: Option<String>, at_least: i32 },
    /// The Service's Endpoints list exactly `count` ready addresses.
    Endpoints { namespace: String, service: String, count: usize },
    /// `kubectl get nodes` shows this STATUS for the node (`Ready`, `NotReady`,
    /// `Ready,SchedulingDisabled`).
    NodeStatus { node: String, status: String },
    /// An event with this reason was recorded, about the object (`KIND/NAME` or a name) if given,
    /// its message containing `message` if given.
    EventSeen {
        namespace: Option<String>,
        reason: String,
        object: Option<(Option<Kind>, String)>,
        message: Option<String>,
    },
    /// A pod matching the selector was deleted, and another one matching it now runs, created
    /// after the deletion, with a new name and a new IP (a controller replaced it). A kubelet
    /// recreates a static pod's mirror under the same name and IP: `new_name`/`new_ip` false.
    PodReplaced { namespace: String, selector: (String, Selector), new_name: bool, new_ip: bool },
    /// A read-only kubectl command (`get`, `describe`, `logs`) prints what `expect` says.
    Kubectl { command: String, expect: Expect },
}

impl Check {
    /// Whether the goal holds now.
    pub fn holds(&self, sim: &Simulation) -> bool {
        let store = sim.store();
        let now = Now { epoch: store.epoch(), at: sim.now() };
        match self {
            Check::PodStatus { namespace, target, status, phase, ready, at_least } => {
                let pods = target_pods(sim, namespace, target);
                let ok = pods
                    .iter()
                    .filter(|p| {
                        status.as_ref().is_none_or(|s| &pod_cells(p, now).status == s)
                            && phase.as_ref().is_none_or(|ph| pod_phase(p) == ph)
                            && ready.is_none_or(|r| pod_ready(p) == r)
                    })
                    .count();
                let need = if matches!(target, PodTarget::Name(_)) { 1 } else { *at_least };
                ok >= need.max(1)
            }
            Check::Restarts { namespace, pod, container, at_least } => {
                let Some(p) = store.get(&ObjectKey::new(Kind::Pod, namespace, pod)).and_then(Object::as_pod) else {
                    return false;
                };
                let status = p.status.clone().unwrap_or_default();
                let all =
                    status.container_statuses.iter().flatten().chain(status.init_container_statuses.iter().flatten());
                let restarts: i32 = match container {
                    Some(c) => all.filter(|s| &s.name == c).map(|s| s.restart_count).sum(),
                    None => status.container_statuses.iter().flatten().map(|s| s.restart_count).sum(),
                };
                restarts >= *at_least
            }
            Check::Endpoints { namespace, service, count } => {
                let ready = store
                    .get(&ObjectKey::new(Kind::Endpoints, namespace, service))
                    .and_then(Object::as_endpoints)
                    .map_or(0, |e| e.subsets.iter().flatten().map(|s| s.addresses.as_ref().map_or(0, Vec::len)).sum());
                ready == *count
            }
            Check::NodeStatus { node, status } => store
                .get(&ObjectKey::new(Kind::Node, "", node))
                .and_then(Object::as_node)
                .is_some_and(|n| node_row(n, now, false).get(1) == Some(status)),
            Check::EventSeen { namespace, reason, object, message } => store
                .list(Kind::Event, namespace.as_deref())
                .filter_map(Object::as_event)
                .filter(|e| e.reason.as_deref() == Some(reason.as_str()))
                .filter(|e| {
                    object.as_ref().is_none_or(|(kind, name)| {
                        e.involved_object.name.as_deref() == Some(name.as_str())
                            && kind.is_none_or(|k| e.involved_object.kind.as_deref() == Some(k.name()))
                    })
                })
                .any(|e| message.as_ref().is_none_or(|m| e.message.as_deref().unwrap_or("").contains(m.as_str()))),
            Check::PodReplaced { namespace, selector, new_name, new_ip } => {
                pod_replaced(sim, namespace, &selector.1, *new_name, *new_ip)
            }
            Check::Kubectl { command, expect } => {
                let out = crate::kubectl::run_read_only(sim, command).combined();
                match expect {
                    Expect::Contains(text) => out.contains(text.as_str()),
                    Expect::Matches(pattern) => out.lines().any(|l| line_matches(pattern, l)),
                }
            }
        }
    }
}

fn target_pods<'s>(sim: &'s Simulation, namespace: &str, target: &PodTarget) -> Vec<&'s Pod> {
    let store = sim.store();
    match target {
        PodTarget::Name(name) => {
            store.get(&ObjectKey::new(Kind::Pod, namespace, name)).and_then(Object::as_pod).into_iter().collect()
        }
        PodTarget::Selector(_, sel) => store
            .list(Kind::Pod, Some(namespace))
            .filter_map(Object::as_pod)
            .filter(|p| sel.matches(p.metadata.labels.as_ref()))
            .collect(),
    }
}

fn pod_phase(p: &Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("")
}

fn pod_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn pod_ip(p: &Pod) -> &str {
    p.status.as_ref().and_then(|s| s.pod_ip.as_deref()).unwrap_or("")
}

/// From the watch log: when each matching pod (by uid) was created and when its deletion began,
/// with its last IP; then a running pod created after some deletion, with another name and IP.
fn pod_replaced(sim: &Simulation, namespace: &str, selector: &Selector, new_name: bool, new_ip: bool) -> bool {
    struct Seen {
        name: String,
        added: Millis,
        deleted: Option<Millis>,
        ip: String,
    }
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    for c in sim.store().log() {
        if c.key.kind != Kind::Pod || c.key.namespace != namespace {
            continue;
        }
        let Some(p) = c.object.as_pod() else { continue };
        if !selector.matches(p.metadata.labels.as_ref()) {
            continue;
        }
        let uid = p.metadata.uid.clone().unwrap_or_default();
        let s = seen.entry(uid).or_insert_with(|| Seen {
            name: c.key.name.clone(),
            added: c.at,
            deleted: None,
            ip: String::new(),
        });
        if !pod_ip(p).is_empty() {
            s.ip = pod_ip(p).to_string();
        }
        if s.deleted.is_none() && (c.op == Op::Deleted || p.metadata.deletion_timestamp.is_some()) {
            s.deleted = Some(c.at);
        }
    }
    let gone: Vec<&Seen> = seen.values().filter(|s| s.deleted.is_some()).collect();
    let store = sim.store();
    seen.values().filter(|s| s.deleted.is_none()).any(|new| {
        let Some(p) = store.get(&ObjectKey::new(Kind::Pod, namespace, &new.name)).and_then(Object::as_pod) else {
            return false;
        };
        let running = pod_phase(p) == "Running" && !pod_ip(p).is_empty();
        running
            && gone.iter().any(|old| {
                old.deleted.is_some_and(|d| new.added >= d)
                    && (!new_name || old.name != new.name)
                    && (!new_ip || old.ip != pod_ip(p))
            })
    })
}

/// `pattern` against a whole `line`: `*` is any text, a run of spaces any run of whitespace.
pub fn line_matches(pattern: &str, line: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Char(char),
        Any,
        Space,
    }
    let mut toks: Vec<Tok> = Vec::new();
    for ch in pattern.trim().chars() {
        let t = match ch {
            '*' => Tok::Any,
            c if c.is_whitespace() => Tok::Space,
            c => Tok::Char(c),
        };
        if !(t == Tok::Space && toks.last() == Some(&Tok::Space)) {
            toks.push(t);
        }
    }
    let chars: Vec<char> = line.trim().chars().collect();
    // can[j]: the tokens so far match chars[..j].
    let mut can = vec![false; chars.len() + 1];
    can[0] = true;
    for t in toks {
        let mut next = vec![false; chars.len() + 1];
        for j in 0..=chars.len() {
            match t {
                Tok::Any => next[j] = can[j] || (j > 0 && next[j - 1]),
                Tok::Char(c) => next[j] = j > 0 && can[j - 1] && chars[j - 1] == c,
                Tok::Space => {
                    next[j] = j > 0 && chars[j - 1].is_whitespace() && (can[j - 1] || next[j - 1]);
                }
            }
        }
        can = next;
    }
    can[chars.len()]
}
