//! The scheduling queue (pkg/scheduler/backend/queue): pods wait in activeQ for a cycle; a pod
//! that fits nowhere goes to the unschedulable pods, remembering which plugins rejected it.
//! A cluster event moves it back only if one of those plugins cares about that event (the
//! queueing hints, GA since v1.32), and every pod left there longer than
//! `podMaxInUnschedulablePodsDuration` (5 min) is moved back by the flush that runs every 30 s.
//!
//! The back-off queue is not modelled separately: since v1.33 (KEP-5142, SchedulerPopFromBackoffQ,
//! on by default) the scheduler pops a backing-off pod as soon as activeQ is empty, which in the
//! playground's clusters is always the case by the end of a scheduling wake-up.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::api::ObjectKey;
use crate::time::{Millis, SECOND};

/// podMaxInUnschedulablePodsDuration.
pub const MAX_IN_UNSCHEDULABLE: Millis = 300 * SECOND;
/// flushUnschedulablePodsLeftover runs on this period.
pub const FLUSH_PERIOD: Millis = 30 * SECOND;

/// The cluster changes the queueing hints react to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClusterEvent {
    NodeAdd,
    /// Which parts of a node changed.
    NodeUpdate {
        labels: bool,
        taints: bool,
        unschedulable: bool,
        allocatable: bool,
    },
    /// An assigned pod left its node (deleted or finished): resources and ports are free.
    AssignedPodDelete,
}

/// Whether `plugin`, having rejected a pod, wants it retried after `event`.
fn hint(plugin: &str, event: ClusterEvent) -> bool {
    use ClusterEvent::*;
    match (plugin, event) {
        (_, NodeAdd) => true,
        ("NodeAffinity", NodeUpdate { labels, .. }) => labels,
        ("TaintToleration", NodeUpdate { taints, .. }) => taints,
        ("NodeUnschedulable", NodeUpdate { unschedulable, .. }) => unschedulable,
        ("NodeResourcesFit", NodeUpdate { allocatable, .. }) => allocatable,
        ("NodeResourcesFit" | "NodePorts", AssignedPodDelete) => true,
        _ => false,
    }
}

#[derive(Debug, Default)]
pub struct SchedulingQueue {
    active: VecDeque<ObjectKey>,
    in_active: BTreeSet<ObjectKey>,
    /// Unschedulable pods: when they were put there and the plugins that rejected them.
    unschedulable: BTreeMap<ObjectKey, (Millis, BTreeSet<&'static str>)>,
    /// What each pod waiting there looked like (spec, labels, annotations): only a change to
    /// that, not to its status, gives it a new cycle (isPodUpdated).
    shapes: BTreeMap<ObjectKey, u64>,
}

impl SchedulingQueue {
    /// A pending pod was added or changed. An unschedulable pod whose spec and metadata are as
    /// they were (only its status moved) stays where it is.
    pub fn update(&mut self, key: ObjectKey, shape: u64) {
        if self.shapes.get(&key) == Some(&shape) {
            return;
        }
        self.shapes.insert(key.clone(), shape);
        self.add(key);
    }

    /// The pod gets a (new) cycle.
    pub fn add(&mut self, key: ObjectKey) {
        self.unschedulable.remove(&key);
        if self.in_active.insert(key.clone()) {
            self.active.push_back(key);
        }
    }

    pub fn remove(&mut self, key: &ObjectKey) {
        self.unschedulable.remove(key);
        self.shapes.remove(key);
        if self.in_active.remove(key) {
            self.active.retain(|k| k != key);
        }
    }

    pub fn pop(&mut self) -> Option<ObjectKey> {
        let key = self.active.pop_front()?;
        self.in_active.remove(&key);
        Some(key)
    }

    pub fn has_active(&self) -> bool {
        !self.active.is_empty()
    }

    pub fn is_unschedulable(&self, key: &ObjectKey) -> bool {
        self.unschedulable.contains_key(key)
    }

    /// The pod fit nowhere; `plugins` turned it down. Returns when the flush will retry it.
    pub fn unschedulable(&mut self, key: ObjectKey, now: Millis, plugins: BTreeSet<&'static str>) -> Millis {
        self.unschedulable.insert(key, (now, plugins));
        flush_time(now)
    }

    /// Moves the unschedulable pods that `event` may help. Returns whether any moved.
    pub fn on_event(&mut self, event: ClusterEvent) -> bool {
        let moved: Vec<ObjectKey> = self
            .unschedulable
            .iter()
            .filter(|(_, (_, plugins))| plugins.iter().any(|p| hint(p, event)))
            .map(|(k, _)| k.clone())
            .collect();
        for k in &moved {
            self.add(k.clone());
        }
        !moved.is_empty()
    }

    /// Every unschedulable pod back to activeQ.
    pub fn requeue_all(&mut self) {
        let all: Vec<ObjectKey> = self.unschedulable.keys().cloned().collect();
        for k in all {
            self.add(k);
        }
    }

    /// flushUnschedulablePodsLeftover: pods unschedulable for longer than 5 minutes get a new
    /// cycle. Returns whether any moved.
    pub fn flush(&mut self, now: Millis) -> bool {
        let due: Vec<ObjectKey> = self
            .unschedulable
            .iter()
            .filter(|(_, (since, _))| now.saturating_sub(*since) > MAX_IN_UNSCHEDULABLE)
            .map(|(k, _)| k.clone())
            .collect();
        for k in &due {
            self.add(k.clone());
        }
        !due.is_empty()
    }
}

/// The first 30-second flush tick at which a pod put aside at `since` is overdue.
pub fn flush_time(since: Millis) -> Millis {
    let overdue = since + MAX_IN_UNSCHEDULABLE + 1;
    overdue.div_ceil(FLUSH_PERIOD) * FLUSH_PERIOD
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Kind;

    fn key(n: &str) -> ObjectKey {
        ObjectKey::new(Kind::Pod, "default", n)
    }

    #[test]
    fn hints_decide_who_moves() {
        let mut q = SchedulingQueue::default();
        q.unschedulable(key("selector"), 0, ["NodeAffinity"].into());
        q.unschedulable(key("memory"), 0, ["NodeResourcesFit", "TaintToleration"].into());
        // A pod going away frees memory but changes no labels.
        assert!(q.on_event(ClusterEvent::AssignedPodDelete));
        assert_eq!(q.pop(), Some(key("memory")));
        assert_eq!(q.pop(), None);
        let labels = ClusterEvent::NodeUpdate { labels: true, taints: false, unschedulable: false, allocatable: false };
        assert!(q.on_event(labels));
        assert_eq!(q.pop(), Some(key("selector")));
    }

    #[test]
    fn flush_after_five_minutes_on_a_thirty_second_tick() {
        assert_eq!(flush_time(0), 330 * SECOND); // 300 s is not "longer than" 5 min
        assert_eq!(flush_time(10 * SECOND), 330 * SECOND);
        let mut q = SchedulingQueue::default();
        q.unschedulable(key("a"), 10 * SECOND, ["NodeAffinity"].into());
        assert!(!q.flush(300 * SECOND));
        assert!(q.flush(330 * SECOND));
        assert_eq!(q.pop(), Some(key("a")));
    }
}
