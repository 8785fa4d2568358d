//! The Job controller (pkg/controller/job), NonIndexed completion mode: it keeps up to
//! `parallelism` pods running until `completions` have succeeded, counts failures against
//! `backoffLimit` (failed pods with `restartPolicy: Never`; container restarts with `OnFailure`),
//! waits the pod failure back-off (10 s doubling, at most 6 min) before replacing a failed pod,
//! and ends with the SuccessCriteriaMet/Complete or FailureTarget/Failed conditions (v1.31+).

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{Job, JobCondition, JobStatus};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use crate::api::{Kind, Object, ObjectKey};
use crate::events::{Recorder, Source, NORMAL, WARNING};
use crate::rng::Rng;
use crate::store::Store;
use crate::time::{Millis, SECOND};

const BACKOFF_BASE: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 360 * SECOND;

fn source() -> Source {
    Source { component: "job-controller", host: None }
}

fn phase(p: &Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

fn has_condition(job: &Job, type_: &str) -> bool {
    job.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == type_ && c.status == "True"))
}

/// When a failed pod's last container finished (for the failure back-off).
fn finished_at(p: &Pod, store: &Store) -> Option<Millis> {
    p.status
        .as_ref()?
        .container_statuses
        .iter()
        .flatten()
        .filter_map(|c| c.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref())
        .map(|t| store.epoch().millis_of(t))
        .max()
}

/// The pod failure back-off after `failures` failures: 10 s, 20 s, 40 s ... at most 6 min.
pub fn failure_backoff(failures: u32) -> Millis {
    if failures == 0 {
        return 0;
    }
    BACKOFF_BASE.saturating_mul(1 << (failures - 1).min(10)).min(BACKOFF_MAX)
}

fn condition(
    type_: &str,
    reason: &str,
    message: &str,
    t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time,
) -> JobCondition {
    JobCondition {
        type_: type_.into(),
        status: "True".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_probe_time: Some(t.clone()),
        last_transition_time: Some(t.clone()),
    }
}

/// Reconciles every Job of a namespace; returns pods to delete and when to look again.
pub fn reconcile_namespace(
    store: &mut Store,
    rng: &mut Rng,
    recorder: &mut Recorder,
    now: Millis,
    namespace: &str,
) -> (Vec<ObjectKey>, Option<Millis>) {
    let jobs: Vec<Job> = store
        .list(Kind::Job, Some(namespace))
        .filter_map(|o| match o {
            Object::Job(j) => Some(j.clone()),
            _ => None,
        })
        .collect();
    let mut delete = Vec::new();
    let mut next: Option<Millis> = None;
    let t = store.epoch().time(now);
    for job in jobs {
        if job.metadata.deletion_timestamp.is_some() || has_condition(&job, "Complete") || has_condition(&job, "Failed")
        {
            continue;
        }
        let name = job.metadata.name.clone().unwrap_or_default();
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let key = ObjectKey::new(Kind::Job, namespace, &name);
        let mut job = job;
        if job.spec.as_ref().is_some_and(|s| s.selector.is_none()) {
            generate_selector(&mut job);
            let updated = job.clone();
            store.modify(&key, now, |o| *o = Object::Job(updated));
        }
        let spec = job.spec.clone().unwrap_or_default();
        let completions = spec.completions.unwrap_or(1).max(0);
        let parallelism = spec.parallelism.unwrap_or(1).max(0);
        let backoff_limit = spec.backoff_limit.unwrap_or(6).max(0);
        let on_failure = spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) == Some("OnFailure");
        let pods: Vec<Pod> = store
            .list(Kind::Pod, Some(namespace))
            .filter_map(Object::as_pod)
            .filter(|p| {
                p.metadata.owner_references.iter().flatten().any(|o| o.uid == uid && o.controller == Some(true))
            })
            .cloned()
            .collect();
        let active: Vec<&Pod> = pods
            .iter()
            .filter(|p| !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none())
            .collect();
        let terminating = pods
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_some() && !matches!(phase(p), "Succeeded" | "Failed"))
            .count() as i32;
        let succeeded = pods.iter().filter(|p| phase(p) == "Succeeded").count() as i32;
        let failed_pods: Vec<&Pod> = pods.iter().filter(|p| phase(p) == "Failed").collect();
        let failed = failed_pods.len() as i32;
        let restarts: i32 = active
            .iter()
            .flat_map(|p| {
                p.status.iter().flat_map(|s| {
                    s.container_statuses.iter().flatten().chain(s.init_container_statuses.iter().flatten())
                })
            })
            .map(|c| c.restart_count)
            .sum();
        let ready = active
            .iter()
            .filter(|p| {
                p.status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
            })
            .count() as i32;

        // Failure: more failed pods than backoffLimit (Never), or as many restarts (OnFailure).
        let past_limit = failed > backoff_limit
            || (on_failure && backoff_limit > 0 && restarts >= backoff_limit)
            || (on_failure && backoff_limit == 0 && restarts > 0);
        let done = succeeded >= completions;
        let mut conditions = job.status.as_ref().and_then(|s| s.conditions.clone()).unwrap_or_default();
        let mut completion_time = job.status.as_ref().and_then(|s| s.completion_time.clone());
        let job_obj = Object::Job(job.clone());
        if past_limit {
            let msg = "Job has reached the specified backoff limit";
            conditions.push(condition("FailureTarget", "BackoffLimitExceeded", msg, &t));
            conditions.push(condition("Failed", "BackoffLimitExceeded", msg, &t));
            for p in &active {
                let pname = p.metadata.name.clone().unwrap_or_default();
                delete.push(ObjectKey::new(Kind::Pod, namespace, &pname));
                recorder.record(
                    store,
                    rng,
                    now,
                    source(),
                    &job_obj,
                    None,
                    NORMAL,
                    "SuccessfulDelete",
                    format!("Deleted pod: {pname}"),
                );
            }
            recorder.record(store, rng, now, source(), &job_obj, None, WARNING, "BackoffLimitExceeded", msg.into());
        } else if done {
            let msg = "Reached expected number of succeeded pods";
            conditions.push(condition("SuccessCriteriaMet", "CompletionsReached", msg, &t));
            conditions.push(condition("Complete", "CompletionsReached", msg, &t));
            completion_time = Some(t.clone());
            recorder.record(store, rng, now, source(), &job_obj, None, NORMAL, "Completed", "Job completed".into());
        } else {
            let want = parallelism.min(completions - succeeded) - active.len() as i32 - terminating;
            // The pod failure back-off (Never: new pods wait after a failure).
            let last_failure = failed_pods.iter().filter_map(|p| finished_at(p, store)).max();
            let ready_at = last_failure.map(|f| f + failure_backoff(failed as u32)).unwrap_or(0);
            if want > 0 && ready_at > now {
                next = Some(next.map_or(ready_at, |n: Millis| n.min(ready_at)));
            } else if want > 0 {
                for _ in 0..want {
                    create_pod(store, rng, recorder, now, &job, &job_obj, namespace);
                }
            }
        }
        let active_after = if past_limit {
            0
        } else {
            store
                .list(Kind::Pod, Some(namespace))
                .filter_map(Object::as_pod)
                .filter(|p| {
                    p.metadata.owner_references.iter().flatten().any(|o| o.uid == uid)
                        && !matches!(phase(p), "Succeeded" | "Failed")
                })
                .count() as i32
        };
        let status = JobStatus {
            active: (active_after > 0).then_some(active_after),
            ready: Some(if past_limit { 0 } else { ready }),
            succeeded: (succeeded > 0).then_some(succeeded),
            // Active pods deleted for the failure count as failed too.
            failed: {
                let f = failed + if past_limit { active.len() as i32 } else { 0 };
                (f > 0).then_some(f)
            },
            terminating: Some(terminating),
            start_time: job.status.as_ref().and_then(|s| s.start_time.clone()).or_else(|| Some(t.clone())),
            completion_time,
            conditions: (!conditions.is_empty()).then_some(conditions),
            ..job.status.clone().unwrap_or_default()
        };
        store.modify(&key, now, |o| {
            if let Object::Job(j) = o {
                j.status = Some(status);
            }
        });
    }
    (delete, next)
}

/// The labels every pod of a Job carries (and its generated selector matches).
pub fn job_labels(name: &str, uid: &str) -> BTreeMap<String, String> {
    [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", name),
        ("controller-uid", uid),
        ("job-name", name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The apiserver's Job defaulting that needs the uid: the generated selector and template labels.
pub fn generate_selector(job: &mut Job) {
    let name = job.metadata.name.clone().unwrap_or_default();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let Some(spec) = job.spec.as_mut() else { return };
    if spec.manual_selector == Some(true) {
        return;
    }
    spec.selector = Some(LabelSelector {
        match_labels: Some([("batch.kubernetes.io/controller-uid".to_string(), uid.clone())].into()),
        match_expressions: None,
    });
    let meta = spec.template.metadata.get_or_insert_with(Default::default);
    meta.labels.get_or_insert_with(BTreeMap::new).extend(job_labels(&name, &uid));
}

fn create_pod(
    store: &mut Store,
    rng: &mut Rng,
    recorder: &mut Recorder,
    now: Millis,
    job: &Job,
    job_obj: &Object,
    namespace: &str,
) {
    let name = job.metadata.name.clone().unwrap_or_default();
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let Some(spec) = job.spec.as_ref() else { return };
    let template = spec.template.clone();
    let mut labels = template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    labels.extend(job_labels(&name, &uid));
    let mut pod = Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: Some(namespace.to_string()),
            labels: Some(labels),
            annotations: template.metadata.as_ref().and_then(|m| m.annotations.clone()),
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "Job".into(),
                name: name.clone(),
                uid,
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    };
    crate::sim::admit_pod(&mut pod, rng);
    if let Ok(k) = store.create(Object::Pod(pod), now, rng) {
        recorder.record(
            store,
            rng,
            now,
            source(),
            job_obj,
            None,
            NORMAL,
            "SuccessfulCreate",
            format!("Created pod: {}", k.name),
        );
    }
}
