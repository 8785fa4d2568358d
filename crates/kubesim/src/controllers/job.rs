//! The Job controller (pkg/controller/job/job_controller.go): runs pods from the template until
//! `completions` of them succeed, at most `parallelism` at a time; failed pods are replaced after
//! an exponential back-off (10 s doubling, capped at 10 min: backoff_utils.go), and the Job fails
//! once more than `backoffLimit` pods failed (restartPolicy Never), once its pods' container
//! restarts reach `backoffLimit` (OnFailure, pastBackoffLimitOnFailure), or after
//! `activeDeadlineSeconds`.
//!
//! As in v1.35 (JobPodReplacementPolicy and JobManagedBy are GA, so the terminal condition is
//! delayed): the interim `SuccessCriteriaMet` / `FailureTarget` condition comes first, and
//! `Complete` / `Failed` only once no pod of the Job is still terminating.
//!
//! Pods carry the `batch.kubernetes.io/job-tracking` finalizer until the controller has counted
//! them in `status.succeeded` / `status.failed`. The store does not hold objects for finalizers,
//! so a pod deleted before it was counted is remembered here (`lost`) and counted on the next sync.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::batch::v1::{Job, JobCondition, JobStatus, UncountedTerminatedPods};
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};

use crate::api::{Kind, Object, ObjectKey};
use crate::clock::Clock;
use crate::events::{Recorder, Source, NORMAL, WARNING};
use crate::rng::Rng;
use crate::sim::Wake;
use crate::store::{Change, Op, Store};
use crate::time::{Millis, MINUTE, SECOND};

pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
const POD_FAILURE_BACKOFF: Millis = 10 * SECOND;
const MAX_POD_FAILURE_BACKOFF: Millis = 10 * MINUTE;

/// What the apiserver does to a new Job (pkg/registry/batch/job/strategy.go generateSelector and
/// batch/v1 defaults): unless `manualSelector`, the template gets the controller-uid and job-name
/// labels (new and legacy keys) and the selector matches the uid; a Job without labels shows its
/// template's.
pub fn generate_selector(job: &mut Job) {
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let name = job.metadata.name.clone().unwrap_or_default();
    let Some(spec) = job.spec.as_mut() else { return };
    if spec.manual_selector != Some(true) {
        let labels =
            spec.template.metadata.get_or_insert_with(Default::default).labels.get_or_insert_with(BTreeMap::new);
        labels.insert("batch.kubernetes.io/controller-uid".into(), uid.clone());
        labels.insert("batch.kubernetes.io/job-name".into(), name.clone());
        labels.insert("controller-uid".into(), uid.clone());
        labels.insert("job-name".into(), name);
        spec.selector = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
            match_labels: Some([("batch.kubernetes.io/controller-uid".to_string(), uid)].into()),
            match_expressions: None,
        });
    }
    if job.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
        job.metadata.labels = spec.template.metadata.as_ref().and_then(|m| m.labels.clone());
    }
}

/// The per-Job failure record of backoff_utils.go: failures since the last success and when the
/// last one happened.
#[derive(Clone, Debug, Default)]
struct BackoffRecord {
    failures: u32,
    last_failure: Option<Millis>,
}

impl BackoffRecord {
    /// getRemainingTimeForFailuresCount.
    fn remaining(&self, now: Millis) -> Millis {
        let Some(last) = self.last_failure.filter(|_| self.failures > 0) else { return 0 };
        let mut delay = POD_FAILURE_BACKOFF;
        for _ in 1..self.failures {
            delay = delay.saturating_mul(2);
            if delay >= MAX_POD_FAILURE_BACKOFF {
                delay = MAX_POD_FAILURE_BACKOFF;
                break;
            }
        }
        delay.saturating_sub(now.saturating_sub(last))
    }
}

/// A pod that left the API before the controller counted it.
#[derive(Clone, Debug)]
struct Lost {
    succeeded: bool,
    finished: Millis,
    index: Option<i32>,
}

#[derive(Debug, Default)]
pub struct JobController {
    backoff: BTreeMap<String, BackoffRecord>,
    lost: BTreeMap<String, Vec<Lost>>,
    /// Wake-ups already asked for (namespace, time), so repeated syncs do not pile them up.
    scheduled: BTreeSet<(String, Millis)>,
}

fn phase(p: &Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("")
}

fn is_ready(p: &Pod) -> bool {
    p.status.iter().flat_map(|s| s.conditions.iter().flatten()).any(|c| c.type_ == "Ready" && c.status == "True")
}

fn has_finalizer(p: &Pod) -> bool {
    p.metadata.finalizers.iter().flatten().any(|f| f == TRACKING_FINALIZER)
}

/// FilterActivePods: neither finished nor being deleted.
fn is_active(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none() && !matches!(phase(p), "Succeeded" | "Failed")
}

/// isPodFailed (default podReplacementPolicy TerminatingOrFailed): failed, or deleted before it
/// succeeded.
fn is_failed(p: &Pod) -> bool {
    phase(p) == "Failed" || (p.metadata.deletion_timestamp.is_some() && phase(p) != "Succeeded")
}

fn completion_index(p: &Pod) -> Option<i32> {
    p.metadata.annotations.as_ref()?.get(COMPLETION_INDEX)?.parse().ok()
}

/// getFinishedTime: the last container's finish, else the Ready=False transition, else the
/// deletion time minus its grace, else creation.
fn finished_at(store: &Store, p: &Pod) -> Millis {
    let epoch = store.epoch();
    let st = p.status.clone().unwrap_or_default();
    let finishes: Option<Vec<Millis>> = st
        .container_statuses
        .iter()
        .flatten()
        .map(|c| c.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref().map(|t| epoch.millis_of(t)))
        .collect();
    if let Some(f) = finishes.filter(|f| !f.is_empty()) {
        return f.into_iter().max().unwrap_or(0);
    }
    if let Some(c) = st.conditions.iter().flatten().find(|c| c.type_ == "Ready" && c.status == "False") {
        if let Some(t) = &c.last_transition_time {
            return epoch.millis_of(t);
        }
    }
    if let Some(t) = &p.metadata.deletion_timestamp {
        let grace = p.metadata.deletion_grace_period_seconds.unwrap_or(0).max(0) as Millis * SECOND;
        return epoch.millis_of(t).saturating_sub(grace);
    }
    p.metadata.creation_timestamp.as_ref().map(|t| epoch.millis_of(t)).unwrap_or(0)
}

fn condition(type_: &str, reason: &str, message: &str, ts: &Time) -> JobCondition {
    JobCondition {
        type_: type_.into(),
        status: "True".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_probe_time: Some(ts.clone()),
        last_transition_time: Some(ts.clone()),
    }
}

/// Whether the Job has finished (a Complete or Failed condition that is True).
pub fn is_finished(job: &Job) -> bool {
    job.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .any(|c| matches!(c.type_.as_str(), "Complete" | "Failed") && c.status == "True")
}

/// A list of indexes as upstream writes `completedIndexes`: `1,3-5,7`.
fn format_intervals(indexes: &BTreeSet<i32>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut iter = indexes.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        out.push(if end > start { format!("{start}-{end}") } else { start.to_string() });
    }
    out.join(",")
}

fn parse_intervals(s: &str) -> BTreeSet<i32> {
    let mut out = BTreeSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) {
                    out.extend(a..=b.min(a.saturating_add(100_000)));
                }
            }
            None => {
                if let Ok(n) = part.parse() {
                    out.insert(n);
                }
            }
        }
    }
    out
}

/// What a component needs to act: the store and friends, as `sim::Ctx` holds them.
pub struct JobCtx<'a> {
    pub store: &'a mut Store,
    pub clock: &'a mut Clock<Wake>,
    pub rng: &'a mut Rng,
    pub recorder: &'a mut Recorder,
}

impl JobController {
    /// Remembers job pods that leave the API before the controller counted them.
    pub fn observe(&mut self, change: &Change) {
        if change.op != Op::Deleted {
            return;
        }
        let Some(p) = change.object.as_pod() else { return };
        if !has_finalizer(p) {
            return;
        }
        let Some(owner) = p.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true)) else {
            return;
        };
        if owner.kind != "Job" {
            return;
        }
        self.lost.entry(owner.uid.clone()).or_default().push(Lost {
            succeeded: phase(p) == "Succeeded",
            finished: change.at,
            index: completion_index(p),
        });
    }

    /// A timed wake-up for `namespace` has fired.
    pub fn woke(&mut self, namespace: &str, at: Millis) {
        self.scheduled.remove(&(namespace.to_string(), at));
    }

    fn wake_at(&mut self, clock: &mut Clock<Wake>, namespace: &str, at: Millis) {
        if self.scheduled.insert((namespace.to_string(), at)) {
            clock.at(at, Wake::Job { namespace: namespace.to_string() });
        }
    }

    /// Syncs every Job of `namespace`; returns the pods to delete (gracefully, by the caller).
    pub fn reconcile_namespace(&mut self, ctx: &mut JobCtx, now: Millis, namespace: &str) -> Vec<ObjectKey> {
        let jobs: Vec<Object> = ctx.store.list(Kind::Job, Some(namespace)).cloned().collect();
        let mut to_delete = Vec::new();
        for obj in &jobs {
            if let Object::Job(job) = obj {
                to_delete.extend(self.sync(ctx, now, obj, job));
            }
        }
        to_delete
    }

    fn sync(&mut self, ctx: &mut JobCtx, now: Millis, obj: &Object, job: &Job) -> Vec<ObjectKey> {
        let mut deletes = Vec::new();
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let record_key = uid.clone();
        if is_finished(job) || job.metadata.deletion_timestamp.is_some() {
            self.backoff.remove(&record_key);
            self.lost.remove(&uid);
            return deletes;
        }
        let Some(spec) = job.spec.clone() else { return deletes };
        let namespace = obj.namespace().to_string();
        let name = obj.name().to_string();
        let indexed = spec.completion_mode.as_deref() == Some("Indexed");
        let completions = spec.completions;
        let parallelism = spec.parallelism.unwrap_or(1).max(0);
        let backoff_limit = spec.backoff_limit.unwrap_or(6);
        let restart_policy = spec.template.spec.as_ref().and_then(|s| s.restart_policy.clone()).unwrap_or_default();
        let mut status = job.status.clone().unwrap_or_default();
        let ts = ctx.store.epoch().time(now);
        let source = Source { component: "job-controller", host: None };
        // The job-controller's Normal events about its pods (SuccessfulCreate/SuccessfulDelete).
        let pod_event = |ctx: &mut JobCtx, reason: &str, message: String| {
            ctx.recorder.record(ctx.store, ctx.rng, now, source.clone(), obj, None, NORMAL, reason, message);
        };

        let pods: Vec<Pod> = ctx
            .store
            .list(Kind::Pod, Some(&namespace))
            .filter_map(Object::as_pod)
            .filter(|p| {
                p.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true) && o.uid == uid)
            })
            .cloned()
            .collect();
        let active_pods: Vec<&Pod> = pods.iter().filter(|p| is_active(p)).collect();
        let mut active = active_pods.len() as i32;
        let mut ready = active_pods.iter().filter(|p| is_ready(p)).count() as i32;
        let mut terminating = pods
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_some() && !matches!(phase(p), "Succeeded" | "Failed"))
            .count() as i32;

        // The pods finished since the last count (still holding the finalizer), and lost ones.
        let lost = self.lost.remove(&uid).unwrap_or_default();
        let new_succeeded: Vec<&Pod> = pods.iter().filter(|p| has_finalizer(p) && phase(p) == "Succeeded").collect();
        let new_failed: Vec<&Pod> = pods.iter().filter(|p| has_finalizer(p) && is_failed(p)).collect();
        let mut succeeded_times: Vec<Millis> = new_succeeded.iter().map(|p| finished_at(ctx.store, p)).collect();
        let mut failed_times: Vec<Millis> = new_failed.iter().map(|p| finished_at(ctx.store, p)).collect();
        for l in &lost {
            if l.succeeded {
                succeeded_times.push(l.finished);
            } else {
                failed_times.push(l.finished);
            }
        }
        let mut succeeded_indexes = parse_intervals(status.completed_indexes.as_deref().unwrap_or(""));
        if indexed {
            let limit = completions.unwrap_or(0);
            for i in new_succeeded
                .iter()
                .filter_map(|p| completion_index(p))
                .chain(lost.iter().filter(|l| l.succeeded).filter_map(|l| l.index))
            {
                if (0..limit).contains(&i) {
                    succeeded_indexes.insert(i);
                }
            }
        }
        let succeeded = if indexed {
            succeeded_indexes.len() as i32
        } else {
            status.succeeded.unwrap_or(0) + succeeded_times.len() as i32
        };
        let mut failed = status.failed.unwrap_or(0) + failed_times.len() as i32;

        if status.start_time.is_none() && spec.suspend != Some(true) {
            status.start_time = Some(ts.clone());
        }
        let start = status.start_time.as_ref().map(|t| ctx.store.epoch().millis_of(t)).unwrap_or(now);

        // newBackoffRecord: failures after the last success.
        let record = self.backoff.entry(record_key.clone()).or_default();
        crate::sorting::sort(&mut succeeded_times);
        crate::sorting::sort(&mut failed_times);
        match succeeded_times.last() {
            None => {
                if let Some(last) = failed_times.last() {
                    record.failures += failed_times.len() as u32;
                    record.last_failure = Some(*last);
                }
            }
            Some(last_success) => {
                let after: Vec<Millis> = failed_times.iter().copied().filter(|t| t > last_success).collect();
                record.failures = after.len() as u32;
                record.last_failure = after.last().copied();
            }
        }
        let record = record.clone();

        // The finish condition: failure first, then success.
        let conditions = status.conditions.clone().unwrap_or_default();
        let has = |t: &str| conditions.iter().find(|c| c.type_ == t && c.status == "True").cloned();
        let mut finished: Option<JobCondition> = has("SuccessCriteriaMet").or_else(|| has("FailureTarget"));
        if finished.is_none() {
            let restarts: i32 = pods
                .iter()
                .filter(|p| matches!(phase(p), "Running" | "Pending"))
                .flat_map(|p| {
                    let st = p.status.as_ref();
                    st.into_iter()
                        .flat_map(|s| {
                            s.init_container_statuses.iter().flatten().chain(s.container_statuses.iter().flatten())
                        })
                        .map(|c| c.restart_count)
                        .collect::<Vec<_>>()
                })
                .sum();
            let past_on_failure = restart_policy == "OnFailure"
                && if backoff_limit == 0 { restarts > 0 } else { restarts >= backoff_limit };
            if failed > backoff_limit || past_on_failure {
                finished = Some(condition(
                    "FailureTarget",
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                    &ts,
                ));
            } else if let Some(ads) = spec.active_deadline_seconds.filter(|_| spec.suspend != Some(true)) {
                let deadline = start.saturating_add(ads.max(0) as Millis * SECOND);
                if now >= deadline {
                    finished = Some(condition(
                        "FailureTarget",
                        "DeadlineExceeded",
                        "Job was active longer than specified deadline",
                        &ts,
                    ));
                } else {
                    self.wake_at(ctx.clock, &namespace, deadline);
                }
            }
        }
        let failing = finished.as_ref().is_some_and(|c| c.type_ == "FailureTarget");

        if failing {
            // deleteActivePods: every active pod goes, and counts as failed.
            for p in &active_pods {
                let pname = p.metadata.name.clone().unwrap_or_default();
                deletes.push(ObjectKey::new(Kind::Pod, &namespace, &pname));
                pod_event(ctx, "SuccessfulDelete", format!("Deleted pod: {pname}"));
                if is_ready(p) {
                    ready -= 1;
                }
            }
            terminating += active;
            failed += active_pods.iter().filter(|p| has_finalizer(p)).count() as i32;
            active = 0;
        } else if finished.is_none() {
            // manageJob.
            if spec.suspend == Some(true) {
                for p in &active_pods {
                    let pname = p.metadata.name.clone().unwrap_or_default();
                    release(ctx.store, now, &namespace, &pname);
                    deletes.push(ObjectKey::new(Kind::Pod, &namespace, &pname));
                }
                terminating += active;
                active = 0;
            } else {
                let want = match completions {
                    None if succeeded > 0 => active,
                    None => parallelism,
                    Some(c) => (c - succeeded).clamp(0, parallelism),
                };
                if active > want {
                    // activePodsForRemoval: not ready, unscheduled, pending first.
                    let mut ranked = active_pods.clone();
                    crate::sorting::sort_by_key(&mut ranked, |p| {
                        let scheduled = p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
                        (scheduled, phase(p) == "Running", is_ready(p))
                    });
                    for p in ranked.into_iter().take((active - want) as usize) {
                        // deleteJobPods drops the finalizer first: a pod removed for being
                        // surplus is not a failure.
                        let pname = p.metadata.name.clone().unwrap_or_default();
                        release(ctx.store, now, &namespace, &pname);
                        deletes.push(ObjectKey::new(Kind::Pod, &namespace, &pname));
                        pod_event(ctx, "SuccessfulDelete", format!("Deleted pod: {pname}"));
                        if is_ready(p) {
                            ready -= 1;
                        }
                        active -= 1;
                        terminating += 1;
                    }
                } else if want > active {
                    let remaining = record.remaining(now);
                    if remaining > 0 {
                        self.wake_at(ctx.clock, &namespace, now + remaining);
                    } else {
                        let mut indexes: Vec<Option<i32>> = Vec::new();
                        if indexed {
                            let busy: BTreeSet<i32> = active_pods.iter().filter_map(|p| completion_index(p)).collect();
                            indexes = (0..completions.unwrap_or(0))
                                .filter(|i| !succeeded_indexes.contains(i) && !busy.contains(i))
                                .take((want - active) as usize)
                                .map(Some)
                                .collect();
                        } else {
                            indexes.resize((want - active) as usize, None);
                        }
                        for index in indexes {
                            if let Some(pname) = create_pod(ctx, now, job, &namespace, &name, &uid, index) {
                                pod_event(ctx, "SuccessfulCreate", format!("Created pod: {pname}"));
                                active += 1;
                            }
                        }
                    }
                }
            }
            let complete = match completions {
                None => succeeded > 0 && active == 0,
                Some(c) => succeeded >= c && active == 0,
            };
            if complete {
                finished = Some(condition(
                    "SuccessCriteriaMet",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    &ts,
                ));
            }
        }

        // trackJobStatusAndRemoveFinalizers: count, then let go of the counted pods.
        for p in pods.iter().filter(|p| has_finalizer(p)) {
            let counted = phase(p) == "Succeeded" || is_failed(p) || (failing && is_active(p));
            if counted {
                release(ctx.store, now, &namespace, p.metadata.name.as_deref().unwrap_or_default());
            }
        }
        status.active = Some(active).filter(|a| *a > 0);
        status.ready = Some(ready.max(0));
        status.terminating = Some(terminating);
        status.succeeded = Some(succeeded).filter(|s| *s > 0);
        status.failed = Some(failed).filter(|f| *f > 0);
        status.uncounted_terminated_pods = Some(UncountedTerminatedPods::default());
        if indexed {
            status.completed_indexes = Some(format_intervals(&succeeded_indexes));
        }
        let mut conds = conditions.clone();
        let mut done_event: Option<(&'static str, String, String)> = None;
        if let Some(c) = &finished {
            if !conds.iter().any(|x| x.type_ == c.type_) {
                conds.push(c.clone());
            }
            // enactJobFinished: the terminal condition once nothing is terminating.
            if terminating == 0 {
                let (type_, event_type) =
                    if c.type_ == "SuccessCriteriaMet" { ("Complete", NORMAL) } else { ("Failed", WARNING) };
                let reason = c.reason.clone().unwrap_or_default();
                let message = c.message.clone().unwrap_or_default();
                conds.push(condition(type_, &reason, &message, &ts));
                if type_ == "Complete" {
                    status.completion_time = Some(ts.clone());
                    done_event = Some((event_type, "Completed".into(), "Job completed".into()));
                } else {
                    done_event = Some((event_type, reason, message));
                }
            }
        }
        status.conditions = Some(conds).filter(|c| !c.is_empty());
        let key = obj.key();
        let new_status: JobStatus = status;
        ctx.store.modify(&key, now, |o| {
            if let Object::Job(j) = o {
                j.status = Some(new_status);
            }
        });
        if let Some((type_, reason, message)) = done_event {
            if let Some(updated) = ctx.store.get(&key).cloned() {
                ctx.recorder.record(ctx.store, ctx.rng, now, source, &updated, None, type_, &reason, message);
            }
            self.backoff.remove(&record_key);
        }
        deletes
    }
}

/// Removes the tracking finalizer from a pod (it has been counted, or must not be).
fn release(store: &mut Store, now: Millis, namespace: &str, pod: &str) {
    store.modify(&ObjectKey::new(Kind::Pod, namespace, pod), now, |o| {
        let m = o.meta_mut();
        if let Some(f) = m.finalizers.as_mut() {
            f.retain(|f| f != TRACKING_FINALIZER);
        }
        if m.finalizers.as_ref().is_some_and(|f| f.is_empty()) {
            m.finalizers = None;
        }
    });
}

/// CreatePodsWithGenerateName from the template: `<job>-` (Indexed: `<job>-<index>-`), the
/// tracking finalizer, a controller ownerReference; Indexed pods get their index as annotation,
/// label, hostname and the JOB_COMPLETION_INDEX variable.
fn create_pod(
    ctx: &mut JobCtx,
    now: Millis,
    job: &Job,
    namespace: &str,
    name: &str,
    uid: &str,
    index: Option<i32>,
) -> Option<String> {
    let template = job.spec.as_ref()?.template.clone();
    let tmeta = template.metadata.clone().unwrap_or_default();
    let mut finalizers = tmeta.finalizers.clone().unwrap_or_default();
    if !finalizers.iter().any(|f| f == TRACKING_FINALIZER) {
        finalizers.push(TRACKING_FINALIZER.into());
    }
    let mut pod = Pod {
        metadata: ObjectMeta {
            generate_name: Some(match index {
                Some(i) => format!("{name}-{i}-"),
                None => format!("{name}-"),
            }),
            namespace: Some(namespace.to_string()),
            labels: tmeta.labels.clone(),
            annotations: tmeta.annotations.clone(),
            finalizers: Some(finalizers),
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "Job".into(),
                name: name.to_string(),
                uid: uid.to_string(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: None,
    };
    if let Some(i) = index {
        pod.metadata.annotations.get_or_insert_with(BTreeMap::new).insert(COMPLETION_INDEX.into(), i.to_string());
        pod.metadata.labels.get_or_insert_with(BTreeMap::new).insert(COMPLETION_INDEX.into(), i.to_string());
        if let Some(spec) = pod.spec.as_mut() {
            spec.hostname = Some(format!("{name}-{i}"));
            for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
                let env = c.env.get_or_insert_with(Vec::new);
                if !env.iter().any(|e| e.name == "JOB_COMPLETION_INDEX") {
                    env.push(EnvVar {
                        name: "JOB_COMPLETION_INDEX".into(),
                        value: None,
                        value_from: Some(EnvVarSource {
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".into()),
                                field_path: format!("metadata.annotations['{COMPLETION_INDEX}']"),
                            }),
                            ..Default::default()
                        }),
                    });
                }
            }
        }
    }
    crate::sim::admit_pod(&mut pod, ctx.rng);
    ctx.store.create(Object::Pod(pod), now, ctx.rng).ok().map(|k| k.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_and_caps_at_ten_minutes() {
        let r = |failures| BackoffRecord { failures, last_failure: Some(0) }.remaining(0);
        assert_eq!([r(1), r(2), r(3), r(7), r(20)], [10_000, 20_000, 40_000, 600_000, 600_000]);
        assert_eq!(BackoffRecord { failures: 2, last_failure: Some(0) }.remaining(15_000), 5_000);
        assert_eq!(BackoffRecord::default().remaining(5), 0);
    }

    #[test]
    fn intervals_round_trip() {
        let set: BTreeSet<i32> = [0, 1, 2, 4, 6, 7].into();
        assert_eq!(format_intervals(&set), "0-2,4,6-7");
        assert_eq!(parse_intervals("0-2,4,6-7"), set);
    }
}
