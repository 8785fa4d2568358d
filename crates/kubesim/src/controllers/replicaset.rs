//! The ReplicaSet and ReplicationController controllers (pkg/controller/replicaset,
//! pkg/controller/replication): keep `replicas` pods matching the selector, creating them from
//! the template with `generateName: <owner>-` and a controller ownerReference, and deleting the
//! surplus; the status counts replicas, ready and available ones.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Recorder, Source, NORMAL};
use crate::rng::Rng;
use crate::store::Store;
use crate::time::Millis;

/// What the two controllers share about their owner object.
struct Owner {
    key: ObjectKey,
    api_version: &'static str,
    kind: &'static str,
    uid: String,
    replicas: i32,
    selector: LabelSelector,
    template: PodTemplateSpec,
    generation: i64,
    deleting: bool,
}

fn owner_of(obj: &Object) -> Option<Owner> {
    match obj {
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.clone()?;
            Some(Owner {
                key: obj.key(),
                api_version: "apps/v1",
                kind: "ReplicaSet",
                uid: rs.metadata.uid.clone().unwrap_or_default(),
                replicas: spec.replicas.unwrap_or(1),
                selector: spec.selector,
                template: spec.template.unwrap_or_default(),
                generation: rs.metadata.generation.unwrap_or(1),
                deleting: rs.metadata.deletion_timestamp.is_some(),
            })
        }
        Object::ReplicationController(rc) => {
            let spec = rc.spec.clone()?;
            let template = spec.template.unwrap_or_default();
            // An RC without a selector selects its template's labels (defaulting).
            let labels = spec.selector.or_else(|| template.metadata.as_ref().and_then(|m| m.labels.clone()));
            Some(Owner {
                key: obj.key(),
                api_version: "v1",
                kind: "ReplicationController",
                uid: rc.metadata.uid.clone().unwrap_or_default(),
                replicas: spec.replicas.unwrap_or(1),
                selector: LabelSelector { match_labels: labels, match_expressions: None },
                template,
                generation: rc.metadata.generation.unwrap_or(1),
                deleting: rc.metadata.deletion_timestamp.is_some(),
            })
        }
        _ => None,
    }
}

fn is_active(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none()
        && !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
}

fn is_ready(p: &Pod) -> bool {
    p.status.iter().flat_map(|s| s.conditions.iter().flatten()).any(|c| c.type_ == "Ready" && c.status == "True")
}

fn controlled_by(p: &Pod, uid: &str) -> bool {
    p.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true) && o.uid == uid)
}

/// ClaimPods (pkg/controller/controller_ref_manager.go): a controlled pod whose labels stopped
/// matching the selector is released (its controller reference removed), and an active orphan
/// that matches is adopted. This is how relabelling a pod takes it out of its ReplicaSet.
fn claim_pods(store: &mut Store, now: Millis, namespace: &str, owner: &Owner) {
    let mut release = Vec::new();
    let mut adopt = Vec::new();
    for p in store.list(Kind::Pod, Some(namespace)).filter_map(Object::as_pod) {
        let matches = crate::validation::labels::selector_matches(Some(&owner.selector), p.metadata.labels.as_ref());
        let key = ObjectKey::new(Kind::Pod, namespace, p.metadata.name.as_deref().unwrap_or(""));
        let orphan = !p.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true));
        if controlled_by(p, &owner.uid) && !matches {
            release.push(key);
        } else if orphan && matches && is_active(p) {
            adopt.push(key);
        }
    }
    for key in release {
        store.modify(&key, now, |o| {
            let refs = o.meta_mut().owner_references.take().unwrap_or_default();
            let rest: Vec<OwnerReference> = refs.into_iter().filter(|r| r.uid != owner.uid).collect();
            o.meta_mut().owner_references = (!rest.is_empty()).then_some(rest);
        });
    }
    for key in adopt {
        store.modify(&key, now, |o| {
            o.meta_mut().owner_references.get_or_insert_with(Vec::new).push(OwnerReference {
                api_version: owner.api_version.into(),
                kind: owner.kind.into(),
                name: owner.key.name.clone(),
                uid: owner.uid.clone(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            });
        });
    }
}

/// Reconciles every ReplicaSet and ReplicationController of `namespace`. Returns the pods to
/// delete (the caller deletes them gracefully, as the API would).
pub fn reconcile_namespace(
    store: &mut Store,
    rng: &mut Rng,
    recorder: &mut Recorder,
    now: Millis,
    namespace: &str,
) -> Vec<ObjectKey> {
    let owners: Vec<Owner> = store
        .list(Kind::ReplicaSet, Some(namespace))
        .chain(store.list(Kind::ReplicationController, Some(namespace)))
        .filter_map(owner_of)
        .collect();
    let mut to_delete = Vec::new();
    for owner in owners {
        if owner.deleting {
            continue;
        }
        claim_pods(store, now, namespace, &owner);
        let selector = owner.selector.clone();
        // What the sync needs of each pod it controls (not the pods themselves: copying every
        // pod of the namespace on each sync made a burst of pod updates cost O(n²)).
        let template_labels = owner.template.metadata.as_ref().and_then(|m| m.labels.as_ref());
        let pods: Vec<Brief> = store
            .list(Kind::Pod, Some(namespace))
            .filter_map(Object::as_pod)
            .filter(|p| controlled_by(p, &owner.uid) && is_active(p))
            .map(|p| Brief {
                name: p.metadata.name.clone().unwrap_or_default(),
                scheduled: p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some(),
                ready: is_ready(p),
                created: p.metadata.creation_timestamp.as_ref().map(|t| -t.0.as_second()).unwrap_or(0),
                labeled: template_labels.is_none_or(|tl| crate::selector::set_matches(tl, p.metadata.labels.as_ref())),
            })
            .collect();
        let diff = pods.len() as i64 - owner.replicas.max(0) as i64;
        let Some(owner_obj) = store.get(&owner.key).cloned() else { continue };
        if diff < 0 {
            for _ in 0..(-diff) {
                let mut pod = Pod {
                    metadata: owner.template.metadata.clone().unwrap_or_default(),
                    spec: owner.template.spec.clone(),
                    status: None,
                };
                pod.metadata = ObjectMeta {
                    generate_name: Some(format!("{}-", owner.key.name)),
                    namespace: Some(namespace.to_string()),
                    labels: pod.metadata.labels.clone(),
                    annotations: pod.metadata.annotations.clone(),
                    owner_references: Some(vec![OwnerReference {
                        api_version: owner.api_version.into(),
                        kind: owner.kind.into(),
                        name: owner.key.name.clone(),
                        uid: owner.uid.clone(),
                        controller: Some(true),
                        block_owner_deletion: Some(true),
                    }]),
                    ..Default::default()
                };
                crate::sim::admit_pod(&mut pod, rng);
                if let Ok(k) = store.create(Object::Pod(pod), now, rng) {
                    recorder.record(
                        store,
                        rng,
                        now,
                        Source { component: controller_name(owner.kind), host: None },
                        &owner_obj,
                        None,
                        NORMAL,
                        "SuccessfulCreate",
                        format!("Created pod: {}", k.name),
                    );
                }
            }
        } else if diff > 0 {
            // getPodsToDelete ranks the least valuable first: unscheduled, then not ready, then newest.
            let mut ranked: Vec<&Brief> = pods.iter().collect();
            crate::sorting::sort_by_key(&mut ranked, |p| (p.scheduled, p.ready, p.created));
            for p in ranked.into_iter().take(diff as usize) {
                let name = p.name.clone();
                to_delete.push(ObjectKey::new(Kind::Pod, namespace, &name));
                recorder.record(
                    store,
                    rng,
                    now,
                    Source { component: controller_name(owner.kind), host: None },
                    &owner_obj,
                    None,
                    NORMAL,
                    "SuccessfulDelete",
                    format!("Deleted pod: {name}"),
                );
            }
        }
        // Status.
        let labeled = pods.iter().filter(|p| p.labeled).count() as i32;
        let ready = pods.iter().filter(|p| p.ready).count() as i32;
        // The next sync (the new pods' watch events) brings the count up to date.
        let replicas = pods.len() as i32;
        let _ = selector;
        let _ = store.modify(&owner.key, now, |o| match o {
            Object::ReplicaSet(rs) => {
                let st = rs.status.get_or_insert_with(Default::default);
                st.replicas = replicas;
                st.fully_labeled_replicas = Some(labeled);
                st.ready_replicas = Some(ready);
                st.available_replicas = Some(ready);
                st.observed_generation = Some(owner.generation);
            }
            Object::ReplicationController(rc) => {
                let st = rc.status.get_or_insert_with(Default::default);
                st.replicas = replicas;
                st.fully_labeled_replicas = Some(labeled);
                st.ready_replicas = Some(ready);
                st.available_replicas = Some(ready);
                st.observed_generation = Some(owner.generation);
            }
            _ => {}
        });
    }
    to_delete
}

/// One controlled pod, as the sync sees it.
struct Brief {
    name: String,
    scheduled: bool,
    ready: bool,
    /// Minus the creation second: newest first when sorted.
    created: i64,
    /// Carries the template's labels.
    labeled: bool,
}

fn controller_name(kind: &str) -> &'static str {
    if kind == "ReplicaSet" {
        "replicaset-controller"
    } else {
        "replication-controller"
    }
}

/// Labels of pods created from `template` (for printers).
pub fn template_labels(template: &PodTemplateSpec) -> BTreeMap<String, String> {
    template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default()
}
