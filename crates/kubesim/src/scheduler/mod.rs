//! The scheduler, shaped like kube-scheduler: a queue of pods without a node, Filter plugins,
//! Score plugins (normalised and weighted), then binding. Every attempt keeps its table.

pub mod cache;
pub mod framework;
pub mod plugins;
pub mod queue;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus};

use crate::api::Object;
use crate::api::{Kind, ObjectKey};
use crate::events::{Source, NORMAL, WARNING};
use crate::sim::{Ctx, Wake};
use crate::store::{Change, Op};
use crate::time::Millis;
use cache::Cache;
use framework::{Attempt, CycleState, FilterPlugin, NodeVerdict, ScorePlugin};
use plugins::*;
use queue::{ClusterEvent, SchedulingQueue};

/// Time from a pod appearing in the queue to its scheduling cycle.
pub const QUEUE_DELAY_MS: Millis = 20;
/// Tables kept for pods already scheduled (pending pods always keep theirs), so a big cluster's
/// memory stays bounded.
const KEPT_SCHEDULED_ATTEMPTS: usize = 1_000;

pub struct Scheduler {
    filters: Vec<Box<dyn FilterPlugin>>,
    scores: Vec<Box<dyn ScorePlugin>>,
    queue: SchedulingQueue,
    cache: Cache,
    wake_pending: bool,
    /// Flush ticks already asked of the clock.
    flush_wakes: BTreeSet<Millis>,
    /// Where the next cycle starts looking (nextStartNodeIndex), so big clusters spread the
    /// filtering work round the nodes.
    next_start: usize,
    attempts: BTreeMap<ObjectKey, Attempt>,
    scheduled: VecDeque<ObjectKey>,
}

impl Default for Scheduler {
    fn default() -> Self {
        // The default profile's order and weights (pkg/scheduler/apis/config/v1/default_plugins.go).
        Scheduler {
            filters: default_filters(),
            scores: vec![
                Box::new(taint_toleration::TaintToleration),
                Box::new(node_affinity::NodeAffinity),
                Box::new(node_resources_fit::NodeResourcesFit),
                Box::new(node_resources_balanced_allocation::NodeResourcesBalancedAllocation),
                Box::new(image_locality::ImageLocality),
            ],
            queue: SchedulingQueue::default(),
            cache: Cache::default(),
            wake_pending: false,
            flush_wakes: BTreeSet::new(),
            next_start: 0,
            attempts: BTreeMap::new(),
            scheduled: VecDeque::new(),
        }
    }
}

/// The default profile's Filter plugins, in the order they run.
pub fn default_filters() -> Vec<Box<dyn FilterPlugin>> {
    vec![
        Box::new(node_unschedulable::NodeUnschedulable),
        Box::new(node_name::NodeName),
        Box::new(taint_toleration::TaintToleration),
        Box::new(node_affinity::NodeAffinity),
        Box::new(node_ports::NodePorts),
        Box::new(node_resources_fit::NodeResourcesFit),
    ]
}

fn wants_scheduling(pod: &Pod) -> bool {
    let spec = pod.spec.as_ref();
    let unbound = spec.and_then(|s| s.node_name.as_deref()).unwrap_or("").is_empty();
    let ours = spec.and_then(|s| s.scheduler_name.as_deref()).unwrap_or("default-scheduler") == "default-scheduler";
    unbound && ours && pod.metadata.deletion_timestamp.is_none()
}

/// A digest of what scheduling depends on: spec, labels and annotations (not status).
fn shape(pod: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    // Through `to_value`, the one serializer the engine already instantiates for API types.
    serde_json::to_value(&pod.spec).map(|v| v.to_string()).unwrap_or_default().hash(&mut h);
    pod.metadata.labels.hash(&mut h);
    pod.metadata.annotations.hash(&mut h);
    h.finish()
}

/// numFeasibleNodesToFind with the adaptive percentageOfNodesToScore: every node up to 100, then
/// 50% less 1% per 125 nodes (at least 5%), never fewer than 100.
pub fn feasible_nodes_to_find(all: usize) -> usize {
    if all < 100 {
        return all;
    }
    let percent = 50usize.saturating_sub(all / 125).max(5);
    (all * percent / 100).max(100)
}

impl Scheduler {
    /// The latest attempt's table for a pod.
    pub fn attempt(&self, pod: &ObjectKey) -> Option<&Attempt> {
        self.attempts.get(pod)
    }

    /// Whether the pod waits among the unschedulable pods (for a cluster change or the flush).
    pub fn is_unschedulable(&self, pod: &ObjectKey) -> bool {
        self.queue.is_unschedulable(pod)
    }

    pub fn observe(&mut self, change: &Change, ctx: &mut Ctx) {
        let mut events = Vec::new();
        match change.key.kind {
            Kind::Pod => {
                if change.op == Op::Deleted {
                    self.queue.remove(&change.key);
                    self.attempts.remove(&change.key);
                    if self.cache.forget_pod(&change.key) {
                        events.push(ClusterEvent::AssignedPodDelete);
                    }
                } else if let Some(pod) = change.object.as_pod() {
                    let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("");
                    if !node.is_empty() {
                        self.queue.remove(&change.key);
                        let terminal = matches!(
                            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                            Some("Succeeded" | "Failed")
                        );
                        if terminal {
                            // A finished pod no longer holds its requests.
                            if self.cache.forget_pod(&change.key) {
                                events.push(ClusterEvent::AssignedPodDelete);
                            }
                        } else {
                            self.cache.assume_pod(&change.key, node, &change.object);
                        }
                    } else if wants_scheduling(pod) {
                        self.queue.update(change.key.clone(), shape(pod));
                    } else {
                        self.queue.remove(&change.key);
                    }
                }
            }
            Kind::Node => {
                if let Some(event) = self.cache.node_changed(change) {
                    events.push(event);
                }
            }
            _ => {}
        }
        for e in events {
            self.queue.on_event(e);
        }
        self.ask_for_cycle(ctx);
    }

    /// A scheduler process starting again: every pending pod gets a cycle (the new process
    /// lists them all into activeQ).
    pub fn restart(&mut self, ctx: &mut Ctx) {
        self.wake_pending = false;
        self.queue.requeue_all();
        self.ask_for_cycle(ctx);
    }

    fn ask_for_cycle(&mut self, ctx: &mut Ctx) {
        if self.queue.has_active() && !self.wake_pending {
            self.wake_pending = true;
            ctx.clock.after(QUEUE_DELAY_MS, Wake::Schedule);
        }
    }

    /// A scheduling wake-up: the flush of long-unschedulable pods, then a cycle for every pod in
    /// activeQ, against the cache (updated as pods are assumed onto nodes).
    pub fn run(&mut self, ctx: &mut Ctx) {
        let now = ctx.clock.now();
        self.wake_pending = false;
        self.flush_wakes.retain(|&t| t > now);
        self.queue.flush(now);
        while let Some(key) = self.queue.pop() {
            let Some(obj) = ctx.store.get(&key).cloned().map(Arc::new) else {
                continue;
            };
            let Some(pod) = obj.as_pod() else { continue };
            if !wants_scheduling(pod) {
                continue;
            }
            let attempt = self.schedule_one(pod, ctx);
            match &attempt.chosen {
                Some(node) => {
                    self.cache.assume_pod(&key, node, &obj);
                    bind(&key, node, ctx);
                    self.scheduled.push_back(key.clone());
                    while self.scheduled.len() > KEPT_SCHEDULED_ATTEMPTS {
                        if let Some(old) = self.scheduled.pop_front() {
                            if !self.queue.is_unschedulable(&old) {
                                self.attempts.remove(&old);
                            }
                        }
                    }
                }
                None => {
                    let rejectors: BTreeSet<&'static str> =
                        attempt.nodes.iter().filter_map(|v| v.failed.as_ref().map(|(p, _)| *p)).collect();
                    let flush_at = self.queue.unschedulable(key.clone(), now, rejectors);
                    if self.flush_wakes.insert(flush_at) {
                        ctx.clock.at(flush_at, Wake::Schedule);
                    }
                    fail(&key, attempt.message.clone().unwrap_or_default(), ctx);
                }
            }
            self.attempts.insert(key, attempt);
        }
    }

    /// One scheduling cycle: filter the nodes (starting where the last cycle stopped, until
    /// enough feasible ones are found), score the feasible ones, pick the best.
    fn schedule_one(&mut self, pod: &Pod, ctx: &mut Ctx) -> Attempt {
        let at = ctx.clock.now();
        let filter_names: Vec<&'static str> = self.filters.iter().map(|f| f.name()).collect();
        let nodes = self.cache.nodes();
        let total = nodes.len();
        let want = feasible_nodes_to_find(total);
        let state = CycleState::for_pod(pod, total, self.cache.image_nodes());
        let mut verdicts: Vec<NodeVerdict> = Vec::new();
        // Feasible rows, with their node's index in the cache.
        let mut feasible: Vec<(usize, usize)> = Vec::new();
        let mut examined = 0;
        while examined < total && feasible.len() < want {
            let i = (self.next_start + examined) % total;
            examined += 1;
            let node = &nodes[i];
            let mut verdict =
                NodeVerdict { node: node.name.clone(), passed: 0, failed: None, scores: Vec::new(), total: None };
            for f in &self.filters {
                match f.filter(pod, node, &state) {
                    Ok(()) => verdict.passed += 1,
                    Err(r) => {
                        verdict.failed = Some((f.name(), r));
                        break;
                    }
                }
            }
            if verdict.feasible() {
                feasible.push((verdicts.len(), i));
            }
            verdicts.push(verdict);
        }
        if total > 0 {
            self.next_start = (self.next_start + examined) % total;
        }
        let base =
            Attempt { at, filters: filter_names, nodes: Vec::new(), total_nodes: total, chosen: None, message: None };
        if feasible.is_empty() {
            return Attempt { message: Some(fit_error(&verdicts, total)), nodes: verdicts, ..base };
        }
        for s in &self.scores {
            let mut raw: Vec<i64> = feasible.iter().map(|&(_, i)| s.score(pod, &nodes[i], &state)).collect();
            s.normalize(&mut raw);
            for (j, &(r, _)) in feasible.iter().enumerate() {
                verdicts[r].scores.push((s.name(), raw.get(j).copied().unwrap_or(0), s.weight()));
            }
        }
        for &(r, _) in &feasible {
            verdicts[r].total = Some(verdicts[r].scores.iter().map(|(_, s, w)| s * w).sum());
        }
        // Highest total wins; ties are broken at random (selectHost's reservoir sampling).
        let best = feasible.iter().filter_map(|&(r, _)| verdicts[r].total).max().unwrap_or(0);
        let top: Vec<usize> = feasible.iter().map(|&(r, _)| r).filter(|&r| verdicts[r].total == Some(best)).collect();
        let chosen = top[ctx.rng.below(top.len())];
        Attempt { chosen: Some(verdicts[chosen].node.to_string()), nodes: verdicts, ..base }
    }
}

/// The FailedScheduling message (framework.FitError.Error): a histogram of the filters' reasons,
/// each "<count> <reason>", sorted as strings; then the preemption plugin's own histogram: nodes
/// turned down as unresolvable are "Preemption is not helpful for scheduling", the others have no
/// pod of lower priority to evict (every playground pod has priority 0) — "No preemption victims
/// found for incoming pod". Upstream ends that summary with its own period before FitError adds
/// one, hence the ".." real clusters print.
fn fit_error(verdicts: &[NodeVerdict], total: usize) -> String {
    fn histogram<'a>(items: impl Iterator<Item = &'a str>) -> String {
        let mut hist: BTreeMap<&str, usize> = BTreeMap::new();
        for r in items {
            *hist.entry(r).or_default() += 1;
        }
        let mut parts: Vec<String> = hist.iter().map(|(r, n)| format!("{n} {r}")).collect();
        crate::sorting::sort(&mut parts);
        parts.join(", ")
    }
    if total == 0 {
        return "no nodes available to schedule pods".into();
    }
    let failures = || verdicts.iter().filter_map(|v| v.failed.as_ref().map(|(_, r)| r));
    let reasons = histogram(failures().flat_map(|r| r.reasons.iter().map(String::as_str)));
    let preemption = histogram(failures().map(|r| {
        if r.unresolvable {
            "Preemption is not helpful for scheduling"
        } else {
            "No preemption victims found for incoming pod"
        }
    }));
    let mut msg = format!("0/{total} nodes are available:");
    if !reasons.is_empty() {
        msg.push_str(&format!(" {reasons}."));
    }
    msg.push_str(&format!(" preemption: 0/{total} nodes are available: {preemption}.."));
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
