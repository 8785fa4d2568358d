//! The taint eviction controller (pkg/controller/tainteviction): pods on a node with NoExecute
//! taints are deleted at once if they do not tolerate them all, or when the shortest matching
//! `tolerationSeconds` (counted from the taint's `timeAdded`) runs out. DefaultTolerationSeconds
//! gives every pod 300 s for `not-ready` and `unreachable`.

use k8s_openapi::api::core::v1::{Pod, PodCondition, Taint};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Recorder, Source, NORMAL};
use crate::rng::Rng;
use crate::scheduler::plugins::taint_toleration::tolerates;
use crate::store::Store;
use crate::time::{Millis, SECOND};

pub fn source() -> Source {
    Source { component: "taint-eviction-controller", host: None }
}

/// When `pod` must go from a node with `taints` (None: it may stay).
pub fn eviction_time(pod: &Pod, taints: &[Taint], store: &Store) -> Option<Millis> {
    let tolerations = pod.spec.as_ref().and_then(|s| s.tolerations.as_deref()).unwrap_or(&[]);
    let mut when: Option<Millis> = None;
    for taint in taints.iter().filter(|t| t.effect == "NoExecute") {
        let added = taint.time_added.as_ref().map(|t| store.epoch().millis_of(t)).unwrap_or(0);
        let matching: Vec<_> = tolerations.iter().filter(|t| tolerates(t, taint)).collect();
        if matching.is_empty() {
            return Some(added);
        }
        // The shortest limit among the matching tolerations; one without a limit tolerates forever.
        if matching.iter().all(|t| t.toleration_seconds.is_some()) {
            let secs = matching.iter().filter_map(|t| t.toleration_seconds).min().unwrap_or(0).max(0);
            let at = added + secs as Millis * SECOND;
            when = Some(when.map_or(at, |w: Millis| w.min(at)));
        }
    }
    when
}

/// Evicts what is due on every node; returns the pods to delete and the next time a pod falls due.
pub fn pass(
    store: &mut Store,
    rng: &mut Rng,
    recorder: &mut Recorder,
    now: Millis,
) -> (Vec<ObjectKey>, Option<Millis>) {
    let mut due = Vec::new();
    let mut next: Option<Millis> = None;
    for node in store.list(Kind::Node, None).filter_map(Object::as_node) {
        let taints = node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or(&[]);
        if !taints.iter().any(|t| t.effect == "NoExecute") {
            continue;
        }
        let name = node.metadata.name.as_deref().unwrap_or("");
        for pod in store.list(Kind::Pod, None).filter_map(Object::as_pod) {
            if pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) != Some(name)
                || pod.metadata.deletion_timestamp.is_some()
            {
                continue;
            }
            match eviction_time(pod, taints, store) {
                Some(at) if at <= now => due.push(ObjectKey::new(
                    Kind::Pod,
                    pod.metadata.namespace.as_deref().unwrap_or("default"),
                    pod.metadata.name.as_deref().unwrap_or(""),
                )),
                Some(at) => next = Some(next.map_or(at, |n: Millis| n.min(at))),
                None => {}
            }
        }
    }
    let t = store.epoch().time(now);
    for key in &due {
        // The DisruptionTarget condition says why the pod is going (PodDisruptionConditions, GA 1.31).
        store.modify(key, now, |o| {
            if let Object::Pod(p) = o {
                let conds = p.status.get_or_insert_with(Default::default).conditions.get_or_insert_with(Vec::new);
                conds.retain(|c| c.type_ != "DisruptionTarget");
                conds.push(PodCondition {
                    type_: "DisruptionTarget".into(),
                    status: "True".into(),
                    reason: Some("DeletionByTaintManager".into()),
                    message: Some("Taint manager: deleting due to NoExecute taint".into()),
                    last_transition_time: Some(t.clone()),
                    ..Default::default()
                });
            }
        });
        if let Some(obj) = store.get(key).cloned() {
            let msg = format!("Marking for deletion Pod {}/{}", key.namespace, key.name);
            recorder.record(store, rng, now, source(), &obj, None, NORMAL, "TaintManagerEviction", msg);
        }
    }
    (due, next)
}
