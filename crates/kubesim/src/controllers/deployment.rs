//! The Deployment controller (pkg/controller/deployment): each pod template gets a ReplicaSet
//! named `<deployment>-<pod-template-hash>`; the current one is scaled to `replicas`, older ones
//! down to zero. Status and conditions follow its ReplicaSets.
//!
//! Rolling updates here replace old ReplicaSets at once (maxSurge/maxUnavailable pacing is not
//! modelled yet).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DeploymentCondition, ReplicaSet, ReplicaSetSpec};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::api::{Kind, Object};
use crate::events::{Recorder, Source, NORMAL};
use crate::rng::Rng;
use crate::store::Store;
use crate::time::Millis;

const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// ComputeHash: an FNV-32a hash of the template, printed in decimal and mapped digit by digit
/// onto the safe alphabet (rand.SafeEncodeString), as the `pod-template-hash` label.
pub fn pod_template_hash(template: &PodTemplateSpec) -> String {
    // Through a Value: the bundle keeps one serializer per k8s type (`to_value`), not two.
    let text = serde_json::to_value(template).map(|v| v.to_string()).unwrap_or_default();
    let mut h: u32 = 0x811c9dc5;
    for b in text.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h.to_string().bytes().map(|d| SAFE[d as usize % SAFE.len()] as char).collect()
}

pub fn reconcile_namespace(store: &mut Store, rng: &mut Rng, recorder: &mut Recorder, now: Millis, namespace: &str) {
    let deployments: Vec<Object> = store.list(Kind::Deployment, Some(namespace)).cloned().collect();
    for obj in deployments {
        let Object::Deployment(d) = &obj else { continue };
        if d.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(spec) = d.spec.clone() else { continue };
        let name = d.metadata.name.clone().unwrap_or_default();
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let replicas = spec.replicas.unwrap_or(1);
        let hash = pod_template_hash(&spec.template);
        let rs_name = format!("{name}-{hash}");
        let owned: Vec<ReplicaSet> = store
            .list(Kind::ReplicaSet, Some(namespace))
            .filter_map(|o| match o {
                Object::ReplicaSet(rs) => Some(rs),
                _ => None,
            })
            .filter(|rs| rs.metadata.owner_references.iter().flatten().any(|o| o.uid == uid))
            .cloned()
            .collect();
        let source = Source { component: "deployment-controller", host: None };
        let old: Vec<&ReplicaSet> =
            owned.iter().filter(|rs| rs.metadata.name.as_deref() != Some(rs_name.as_str())).collect();
        let spec_of = |rs: &ReplicaSet| rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
        let avail_of = |rs: &ReplicaSet| rs.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0);
        let old_total: i32 = old.iter().map(|rs| spec_of(rs)).sum();
        let old_pods: i32 = old.iter().map(|rs| rs.status.as_ref().map(|s| s.replicas).unwrap_or(0)).sum();
        let strategy = spec.strategy.clone().unwrap_or_default();
        let recreate = strategy.type_.as_deref() == Some("Recreate");
        let (max_surge, max_unavailable) = surge_and_unavailable(&strategy, replicas);
        // getNewReplicaSet: the new ReplicaSet's revision is one past the old ones' highest.
        let new_revision = old.iter().map(|rs| revision_of(rs)).max().unwrap_or(0) + 1;
        let paused = spec.paused == Some(true);
        let existing_new = owned.iter().find(|rs| rs.metadata.name.as_deref() == Some(rs_name.as_str()));
        if paused {
            // A paused Deployment only keeps its ReplicaSets (no rollout); see checkPausedConditions.
            set_paused_condition(store, now, &obj, true);
        } else if was_paused(d) {
            set_paused_condition(store, now, &obj, false);
        }
        if let Some(rs) = existing_new.filter(|_| !paused) {
            // SetNewReplicaSetAnnotations: deployment annotations, and a higher revision when an
            // older template comes back (its former revisions go to revision-history).
            let key = crate::api::ObjectKey::new(Kind::ReplicaSet, namespace, &rs_name);
            let current = revision_of(rs);
            let copied = copied_annotations(d);
            store.modify(&key, now, |o| {
                if let Object::ReplicaSet(rs) = o {
                    let a = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
                    a.extend(copied);
                    if current < new_revision {
                        a.insert(REVISION.into(), new_revision.to_string());
                        if current > 0 {
                            let history = match a.get(REVISION_HISTORY) {
                                Some(h) if !h.is_empty() => format!("{h},{current}"),
                                _ => current.to_string(),
                            };
                            a.insert(REVISION_HISTORY.into(), history);
                        }
                    }
                }
            });
        }
        // The new ReplicaSet.
        match existing_new {
            None if paused => {}
            None => {
                // A first rollout starts at full size; an update starts within the surge, and
                // Recreate only once the old pods are gone.
                let initial = if old_total == 0 && old_pods == 0 {
                    replicas
                } else if recreate {
                    0
                } else {
                    (replicas + max_surge - old_total).clamp(0, replicas)
                };
                let mut template = spec.template.clone();
                let meta = template.metadata.get_or_insert_with(Default::default);
                meta.labels.get_or_insert_with(BTreeMap::new).insert("pod-template-hash".into(), hash.clone());
                let mut selector = spec.selector.clone();
                selector
                    .match_labels
                    .get_or_insert_with(BTreeMap::new)
                    .insert("pod-template-hash".into(), hash.clone());
                let mut annotations = copied_annotations(d);
                annotations.insert("deployment.kubernetes.io/desired-replicas".into(), replicas.to_string());
                annotations.insert("deployment.kubernetes.io/max-replicas".into(), (replicas + max_surge).to_string());
                annotations.insert(REVISION.into(), new_revision.to_string());
                let rs = ReplicaSet {
                    metadata: ObjectMeta {
                        name: Some(rs_name.clone()),
                        namespace: Some(namespace.into()),
                        labels: meta.labels.clone(),
                        annotations: Some(annotations),
                        owner_references: Some(vec![OwnerReference {
                            api_version: "apps/v1".into(),
                            kind: "Deployment".into(),
                            name: name.clone(),
                            uid: uid.clone(),
                            controller: Some(true),
                            block_owner_deletion: Some(true),
                        }]),
                        generation: Some(1),
                        ..Default::default()
                    },
                    spec: Some(ReplicaSetSpec {
                        replicas: Some(initial),
                        selector,
                        template: Some(template),
                        min_ready_seconds: spec.min_ready_seconds,
                    }),
                    status: None,
                };
                if store.create(Object::ReplicaSet(rs), now, rng).is_ok() {
                    recorder.record(
                        store,
                        rng,
                        now,
                        source.clone(),
                        &obj,
                        None,
                        NORMAL,
                        "ScalingReplicaSet",
                        format!("Scaled up replica set {rs_name} from 0 to {initial}"),
                    );
                }
            }
            Some(_) if paused => {
                // sync(): a paused Deployment still scales its newest ReplicaSet to `replicas`.
                if let Some(rs) = existing_new {
                    let current = spec_of(rs);
                    if old_total == 0 && current != replicas {
                        scale(
                            store,
                            rng,
                            recorder,
                            now,
                            &obj,
                            &rs_name,
                            namespace,
                            current,
                            replicas,
                            replicas + max_surge,
                        );
                    }
                }
            }
            Some(rs) => {
                let current = spec_of(rs);
                let target = if old_total == 0 && old_pods == 0 {
                    replicas
                } else if recreate {
                    if old_pods == 0 {
                        replicas
                    } else {
                        current
                    }
                } else {
                    // reconcileNewReplicaSet: grow within replicas + maxSurge.
                    let room = replicas + max_surge - (current + old_total);
                    (current + room.max(0)).min(replicas).max(current.min(replicas))
                };
                if current != target {
                    scale(store, rng, recorder, now, &obj, &rs_name, namespace, current, target, replicas + max_surge);
                }
                // reconcileOldReplicaSets: shrink while keeping replicas - maxUnavailable available.
                let new_rs = store.get(&crate::api::ObjectKey::new(Kind::ReplicaSet, namespace, &rs_name)).and_then(
                    |o| match o {
                        Object::ReplicaSet(r) => Some(r.clone()),
                        _ => None,
                    },
                );
                let new_spec = new_rs.as_ref().map(&spec_of).unwrap_or(0);
                let new_unavailable = (new_spec - new_rs.as_ref().map(&avail_of).unwrap_or(0)).max(0);
                let all = new_spec + old_total;
                let min_available = replicas - max_unavailable;
                let mut budget = if recreate { old_total } else { (all - min_available - new_unavailable).max(0) };
                for rs in &old {
                    if budget == 0 {
                        break;
                    }
                    let cur = spec_of(rs);
                    if cur == 0 {
                        continue;
                    }
                    let down = cur.min(budget);
                    budget -= down;
                    let n = rs.metadata.name.clone().unwrap_or_default();
                    scale(store, rng, recorder, now, &obj, &n, namespace, cur, cur - down, replicas + max_surge);
                }
            }
        }
        // Status from the ReplicaSets.
        let owned: Vec<ReplicaSet> = store
            .list(Kind::ReplicaSet, Some(namespace))
            .filter_map(|o| match o {
                Object::ReplicaSet(rs) => Some(rs.clone()),
                _ => None,
            })
            .filter(|rs| rs.metadata.owner_references.iter().flatten().any(|o| o.uid == uid))
            .collect();
        let sum = |f: &dyn Fn(&ReplicaSet) -> i32| owned.iter().map(f).sum::<i32>();
        let total = sum(&|rs| rs.status.as_ref().map(|s| s.replicas).unwrap_or(0));
        let ready = sum(&|rs| rs.status.as_ref().and_then(|s| s.ready_replicas).unwrap_or(0));
        let available = sum(&|rs| rs.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0));
        let updated = owned
            .iter()
            .find(|rs| rs.metadata.name.as_deref() == Some(rs_name.as_str()))
            .and_then(|rs| rs.status.as_ref().map(|s| s.replicas))
            .unwrap_or(0);
        let ts = store.epoch().time(now);
        let key = obj.key();
        let generation = d.metadata.generation.unwrap_or(1);
        let revision = owned
            .iter()
            .find(|rs| rs.metadata.name.as_deref() == Some(rs_name.as_str()))
            .map(revision_of)
            .filter(|r| *r > 0);
        let _ = store.modify(&key, now, |o| {
            let Object::Deployment(d) = o else { return };
            if let Some(r) = revision {
                // SetDeploymentRevision: the Deployment shows its new ReplicaSet's revision.
                d.metadata.annotations.get_or_insert_with(BTreeMap::new).insert(REVISION.into(), r.to_string());
            }
            let st = d.status.get_or_insert_with(Default::default);
            st.replicas = Some(total);
            st.updated_replicas = Some(updated);
            st.ready_replicas = Some(ready);
            st.available_replicas = Some(available);
            st.unavailable_replicas = Some((replicas - available).max(0)).filter(|n| *n > 0);
            st.observed_generation = Some(generation);
            let conditions = st.conditions.get_or_insert_with(Vec::new);
            let set = |conds: &mut Vec<DeploymentCondition>, type_: &str, ok: bool, reason: &str, message: String| {
                let status = if ok { "True" } else { "False" };
                match conds.iter_mut().find(|c| c.type_ == type_) {
                    Some(c) => {
                        if c.status != status {
                            c.last_transition_time = Some(ts.clone());
                        }
                        if c.status != status || c.reason.as_deref() != Some(reason) {
                            c.last_update_time = Some(ts.clone());
                        }
                        c.status = status.into();
                        c.reason = Some(reason.into());
                        c.message = Some(message);
                    }
                    None => conds.push(DeploymentCondition {
                        type_: type_.into(),
                        status: status.into(),
                        reason: Some(reason.into()),
                        message: Some(message),
                        last_transition_time: Some(ts.clone()),
                        last_update_time: Some(ts.clone()),
                    }),
                }
            };
            let min_available = available >= replicas;
            set(
                conditions,
                "Available",
                min_available,
                if min_available { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" },
                if min_available {
                    "Deployment has minimum availability.".into()
                } else {
                    "Deployment does not have minimum availability.".into()
                },
            );
            let done = updated == replicas && available >= replicas && total == replicas;
            if paused || (was_resumed(conditions) && !done) {
                crate::sorting::sort_by_key(conditions, |c| if c.type_ == "Available" { 0 } else { 1 });
                return;
            }
            set(
                conditions,
                "Progressing",
                true,
                if done { "NewReplicaSetAvailable" } else { "ReplicaSetUpdated" },
                if done {
                    format!("ReplicaSet \"{rs_name}\" has successfully progressed.")
                } else {
                    format!("ReplicaSet \"{rs_name}\" is progressing.")
                },
            );
            // Available is listed first, as upstream writes them.
            crate::sorting::sort_by_key(conditions, |c| if c.type_ == "Available" { 0 } else { 1 });
        });
    }
}

const REVISION: &str = "deployment.kubernetes.io/revision";
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";

/// deploymentutil.Revision: the ReplicaSet's revision annotation (0 when missing or bad).
pub fn revision_of(rs: &ReplicaSet) -> i64 {
    rs.metadata.annotations.as_ref().and_then(|a| a.get(REVISION)).and_then(|r| r.parse().ok()).unwrap_or(0)
}

/// copyDeploymentAnnotationsToReplicaSet: every Deployment annotation but the ones the
/// controller and kubectl keep for themselves (kubernetes.io/change-cause goes along).
fn copied_annotations(d: &k8s_openapi::api::apps::v1::Deployment) -> BTreeMap<String, String> {
    const SKIP: &[&str] = &[
        "kubectl.kubernetes.io/last-applied-configuration",
        REVISION,
        REVISION_HISTORY,
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    ];
    d.metadata
        .annotations
        .iter()
        .flatten()
        .filter(|(k, _)| !SKIP.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn progressing(d: &k8s_openapi::api::apps::v1::Deployment) -> Option<&DeploymentCondition> {
    d.status.as_ref()?.conditions.as_ref()?.iter().find(|c| c.type_ == "Progressing")
}

fn was_paused(d: &k8s_openapi::api::apps::v1::Deployment) -> bool {
    progressing(d).is_some_and(|c| c.reason.as_deref() == Some("DeploymentPaused"))
}

fn was_resumed(conds: &[DeploymentCondition]) -> bool {
    conds.iter().any(|c| c.type_ == "Progressing" && c.reason.as_deref() == Some("DeploymentResumed"))
}

/// checkPausedConditions: Progressing Unknown/DeploymentPaused while paused, then
/// True/DeploymentResumed (until the rollout completes).
fn set_paused_condition(store: &mut Store, now: Millis, obj: &Object, paused: bool) {
    let ts = store.epoch().time(now);
    let (status, reason, message) = if paused {
        ("Unknown", "DeploymentPaused", "Deployment is paused")
    } else {
        ("True", "DeploymentResumed", "Deployment is resumed")
    };
    store.modify(&obj.key(), now, |o| {
        let Object::Deployment(d) = o else { return };
        if d.spec.as_ref().and_then(|s| s.progress_deadline_seconds).is_none() {
            return;
        }
        let conds = d.status.get_or_insert_with(Default::default).conditions.get_or_insert_with(Vec::new);
        if let Some(c) = conds.iter_mut().find(|c| c.type_ == "Progressing") {
            if c.reason.as_deref() == Some(reason) {
                return;
            }
            if c.status != status {
                c.last_transition_time = Some(ts.clone());
            }
            c.status = status.into();
            c.reason = Some(reason.into());
            c.message = Some(message.into());
            c.last_update_time = Some(ts.clone());
        } else {
            conds.push(DeploymentCondition {
                type_: "Progressing".into(),
                status: status.into(),
                reason: Some(reason.into()),
                message: Some(message.into()),
                last_transition_time: Some(ts.clone()),
                last_update_time: Some(ts),
            });
        }
    });
}

/// maxSurge (rounded up) and maxUnavailable (rounded down) as counts; both zero means one
/// unavailable (deploymentutil.ResolveFenceposts).
fn surge_and_unavailable(strategy: &k8s_openapi::api::apps::v1::DeploymentStrategy, replicas: i32) -> (i32, i32) {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let ru = strategy.rolling_update.clone().unwrap_or_default();
    let resolve = |v: Option<IntOrString>, up: bool| -> i32 {
        match v {
            Some(IntOrString::Int(n)) => n.max(0),
            Some(IntOrString::String(s)) => {
                let pct: f64 = s.trim_end_matches('%').parse().unwrap_or(25.0);
                let x = pct * replicas as f64 / 100.0;
                (if up { x.ceil() } else { x.floor() }) as i32
            }
            None => {
                let x = 25.0 * replicas as f64 / 100.0;
                (if up { x.ceil() } else { x.floor() }) as i32
            }
        }
    };
    let surge = resolve(ru.max_surge, true);
    let unavailable = resolve(ru.max_unavailable, false);
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

#[allow(clippy::too_many_arguments)]
fn scale(
    store: &mut Store,
    rng: &mut Rng,
    recorder: &mut Recorder,
    now: Millis,
    deployment: &Object,
    rs_name: &str,
    namespace: &str,
    from: i32,
    to: i32,
    max_replicas: i32,
) {
    // scaleReplicaSet: the size, and SetReplicasAnnotations (the deployment's replicas and
    // replicas + maxSurge).
    let desired = match deployment {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        _ => to,
    };
    let key = crate::api::ObjectKey::new(Kind::ReplicaSet, namespace, rs_name);
    let changed = store.modify(&key, now, |o| {
        if let Object::ReplicaSet(rs) = o {
            rs.spec.get_or_insert_with(Default::default).replicas = Some(to);
            let a = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
            a.insert("deployment.kubernetes.io/desired-replicas".into(), desired.to_string());
            a.insert("deployment.kubernetes.io/max-replicas".into(), max_replicas.to_string());
        }
    });
    if changed {
        let verb = if to > from { "up" } else { "down" };
        recorder.record(
            store,
            rng,
            now,
            Source { component: "deployment-controller", host: None },
            deployment,
            None,
            NORMAL,
            "ScalingReplicaSet",
            format!("Scaled {verb} replica set {rs_name} from {from} to {to}"),
        );
    }
}
