//! The scheduler, shaped like kube-scheduler: a queue of pods without a node, Filter plugins,
//! Score plugins (normalised and weighted), then binding. Every attempt keeps its table.

pub mod framework;
pub mod plugins;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Source, NORMAL, WARNING};
use crate::sim::{Ctx, Wake};
use crate::store::{Change, Op};
use crate::time::Millis;
use framework::{Attempt, FilterPlugin, NodeInfo, NodeVerdict, ScorePlugin};
use plugins::*;

/// Time from a pod appearing in the queue to its scheduling cycle.
pub const QUEUE_DELAY_MS: Millis = 20;

pub struct Scheduler {
    filters: Vec<Box<dyn FilterPlugin>>,
    scores: Vec<Box<dyn ScorePlugin>>,
    active: VecDeque<ObjectKey>,
    queued: BTreeSet<ObjectKey>,
    /// Pods that fit nowhere; retried when the cluster changes.
    unschedulable: BTreeSet<ObjectKey>,
    wake_pending: bool,
    attempts: BTreeMap<ObjectKey, Attempt>,
}

impl Default for Scheduler {
    fn default() -> Self {
        // The default profile's order (pkg/scheduler/apis/config/v1/default_plugins.go).
        Scheduler {
            filters: vec![
                Box::new(node_unschedulable::NodeUnschedulable),
                Box::new(node_name::NodeName),
                Box::new(taint_toleration::TaintToleration),
                Box::new(node_resources_fit::NodeResourcesFit),
            ],
            scores: vec![
                Box::new(taint_toleration::TaintToleration),
                Box::new(node_resources_fit::NodeResourcesFit),
                Box::new(node_resources_balanced_allocation::NodeResourcesBalancedAllocation),
            ],
            active: VecDeque::new(),
            queued: BTreeSet::new(),
            unschedulable: BTreeSet::new(),
            wake_pending: false,
            attempts: BTreeMap::new(),
        }
    }
}

fn wants_scheduling(pod: &Pod) -> bool {
    let spec = pod.spec.as_ref();
    let unbound = spec.and_then(|s| s.node_name.as_deref()).unwrap_or("").is_empty();
    let ours = spec.and_then(|s| s.scheduler_name.as_deref()).unwrap_or("default-scheduler") == "default-scheduler";
    unbound && ours && pod.metadata.deletion_timestamp.is_none()
}

impl Scheduler {
    /// The latest attempt's table for a pod.
    pub fn attempt(&self, pod: &ObjectKey) -> Option<&Attempt> {
        self.attempts.get(pod)
    }

    pub fn observe(&mut self, change: &Change, ctx: &mut Ctx) {
        match change.key.kind {
            Kind::Pod => {
                if change.op == Op::Deleted {
                    self.queued.remove(&change.key);
                    self.unschedulable.remove(&change.key);
                    self.attempts.remove(&change.key);
                    // Freed resources may let a waiting pod in.
                    self.requeue_unschedulable();
                } else if let Some(pod) = change.object.as_pod() {
                    if wants_scheduling(pod) && !self.unschedulable.contains(&change.key) {
                        self.enqueue(change.key.clone());
                    }
                }
            }
            Kind::Node => self.requeue_unschedulable(),
            _ => {}
        }
        if !self.active.is_empty() && !self.wake_pending {
            self.wake_pending = true;
            ctx.clock.after(QUEUE_DELAY_MS, Wake::Schedule);
        }
    }

    fn enqueue(&mut self, key: ObjectKey) {
        if self.queued.insert(key.clone()) {
            self.active.push_back(key);
        }
    }

    fn requeue_unschedulable(&mut self) {
        for key in std::mem::take(&mut self.unschedulable) {
            self.enqueue(key);
        }
    }

    /// Runs scheduling cycles for every queued pod, against one snapshot of the nodes that is
    /// updated as pods are assumed onto them.
    pub fn run(&mut self, ctx: &mut Ctx) {
        self.wake_pending = false;
        let mut nodes: Vec<NodeInfo> =
            ctx.store.list(Kind::Node, None).filter_map(Object::as_node).cloned().map(NodeInfo::new).collect();
        let index: BTreeMap<String, usize> = nodes.iter().enumerate().map(|(i, n)| (n.name.clone(), i)).collect();
        for pod in ctx.store.list(Kind::Pod, None).filter_map(Object::as_pod) {
            let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("");
            let terminal = matches!(pod.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"));
            if let (Some(&i), false) = (index.get(node), terminal) {
                nodes[i].add_pod(pod);
            }
        }
        while let Some(key) = self.active.pop_front() {
            self.queued.remove(&key);
            let Some(pod) = ctx.store.get(&key).and_then(Object::as_pod).cloned() else {
                continue;
            };
            if !wants_scheduling(&pod) {
                continue;
            }
            let attempt = self.schedule_one(&pod, &nodes, ctx);
            match &attempt.chosen {
                Some(node) => {
                    if let Some(&i) = index.get(node) {
                        nodes[i].add_pod(&pod);
                    }
                    bind(&key, node, ctx);
                }
                None => {
                    self.unschedulable.insert(key.clone());
                    fail(&key, attempt.message.clone().unwrap_or_default(), ctx);
                }
            }
            self.attempts.insert(key, attempt);
        }
    }

    fn schedule_one(&self, pod: &Pod, nodes: &[NodeInfo], ctx: &mut Ctx) -> Attempt {
        let mut verdicts: Vec<NodeVerdict> = nodes
            .iter()
            .map(|n| {
                let mut filters = Vec::new();
                for f in &self.filters {
                    let reasons = f.filter(pod, n).err().unwrap_or_default();
                    let failed = !reasons.is_empty();
                    filters.push((f.name().to_string(), reasons));
                    if failed {
                        break;
                    }
                }
                NodeVerdict { node: n.name.clone(), filters, scores: Vec::new(), total: None }
            })
            .collect();
        let feasible: Vec<usize> = (0..nodes.len()).filter(|&i| verdicts[i].feasible()).collect();
        let at = ctx.clock.now();
        if feasible.is_empty() {
            return Attempt { at, message: Some(fit_error(&verdicts)), nodes: verdicts, chosen: None };
        }
        for s in &self.scores {
            let mut raw: Vec<i64> = feasible.iter().map(|&i| s.score(pod, &nodes[i])).collect();
            s.normalize(&mut raw);
            for (j, &i) in feasible.iter().enumerate() {
                verdicts[i].scores.push((s.name().to_string(), raw[j], s.weight()));
            }
        }
        for &i in &feasible {
            verdicts[i].total = Some(verdicts[i].scores.iter().map(|(_, s, w)| s * w).sum());
        }
        // Highest total wins; ties are broken at random (selectHost's reservoir sampling).
        let best = feasible.iter().filter_map(|&i| verdicts[i].total).max().unwrap_or(0);
        let top: Vec<usize> = feasible.iter().copied().filter(|&i| verdicts[i].total == Some(best)).collect();
        let chosen = top[ctx.rng.below(top.len())];
        Attempt { at, chosen: Some(nodes[chosen].name.clone()), message: None, nodes: verdicts }
    }
}

/// The FailedScheduling message (framework.FitError.Error): a histogram of reasons, each
/// "<count> <reason>", sorted as strings, then the preemption summary.
fn fit_error(verdicts: &[NodeVerdict]) -> String {
    let mut hist: BTreeMap<&str, usize> = BTreeMap::new();
    for v in verdicts {
        for (_, reasons) in &v.filters {
            for r in reasons {
                *hist.entry(r.as_str()).or_default() += 1;
            }
        }
    }
    let mut parts: Vec<String> = hist.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    let n = verdicts.len();
    let mut msg = format!("0/{n} nodes are available:");
    if !parts.is_empty() {
        msg.push_str(&format!(" {}.", parts.join(", ")));
    }
    // No pod in the playground has a priority that could preempt another, so preemption never
    // helps: upstream then says so for every node.
    msg.push_str(&format!(" preemption: 0/{n} nodes are available: {n} Preemption is not helpful for scheduling."));
    msg
}

fn bind(key: &ObjectKey, node: &str, ctx: &mut Ctx) {
    let now = ctx.clock.now();
    let now_t = ctx.store.epoch().time(now);
    let node_name = node.to_string();
    ctx.store.modify(key, now, |o| {
        if let Object::Pod(p) = o {
            // The binding subresource sets nodeName and PodScheduled=True.
            p.spec.get_or_insert_with(Default::default).node_name = Some(node_name);
            let status = p.status.get_or_insert_with(PodStatus::default);
            set_scheduled_condition(status, "True", None, None, now_t);
        }
    });
    if let Some(obj) = ctx.store.get(key).cloned() {
        let msg = format!("Successfully assigned {}/{} to {}", key.namespace, key.name, node);
        ctx.recorder.record(ctx.store, ctx.rng, now, Source::scheduler(), &obj, None, NORMAL, "Scheduled", msg);
    }
}

fn fail(key: &ObjectKey, message: String, ctx: &mut Ctx) {
    let now = ctx.clock.now();
    let now_t = ctx.store.epoch().time(now);
    let m = message.clone();
    ctx.store.modify(key, now, |o| {
        if let Object::Pod(p) = o {
            let status = p.status.get_or_insert_with(PodStatus::default);
            status.phase.get_or_insert_with(|| "Pending".into());
            set_scheduled_condition(status, "False", Some("Unschedulable"), Some(m), now_t);
        }
    });
    if let Some(obj) = ctx.store.get(key).cloned() {
        ctx.recorder.record(
            ctx.store,
            ctx.rng,
            now,
            Source::scheduler(),
            &obj,
            None,
            WARNING,
            "FailedScheduling",
            message,
        );
    }
}

fn set_scheduled_condition(
    status: &mut PodStatus,
    value: &str,
    reason: Option<&str>,
    message: Option<String>,
    now: k8s_openapi::apimachinery::pkg::apis::meta::v1::Time,
) {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    let transition = conditions
        .iter()
        .find(|c| c.type_ == "PodScheduled" && c.status == value)
        .and_then(|c| c.last_transition_time.clone())
        .unwrap_or_else(|| now.clone());
    conditions.retain(|c| c.type_ != "PodScheduled");
    conditions.push(PodCondition {
        type_: "PodScheduled".into(),
        status: value.into(),
        reason: reason.map(Into::into),
        message,
        last_transition_time: Some(transition),
        last_probe_time: None,
        observed_generation: None,
    });
}
