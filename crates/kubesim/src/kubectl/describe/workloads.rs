//! `kubectl describe` for workloads (describe.go `DescribePodTemplate`, `describeDeployment`,
//! `describeJob`), on the pod describer's shared blocks.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{
    describe_containers, describe_events, describe_volumes, format_label_selector, print_annotations, print_labels,
    print_tolerations, rfc1123z, s, Now, PrefixWriter,
};
use crate::kubectl::humanize::human_duration;

/// DescribePodTemplate: the template's labels, annotations, containers, volumes, node selector
/// and tolerations, indented under `Pod Template:`.
fn pod_template(w: &mut PrefixWriter, t: &PodTemplateSpec) {
    w.w(0, "Pod Template:\n");
    let meta = t.metadata.clone().unwrap_or_default();
    let spec = t.spec.clone().unwrap_or_default();
    print_labels(w, "", "  Labels", "\t", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        print_annotations(w, "  Annotations", meta.annotations.as_ref());
    }
    if !s(&spec.service_account_name).is_empty() {
        w.w(1, &format!("Service Account:\t{}\n", s(&spec.service_account_name)));
    }
    // Environment references resolve against no pod (upstream passes no resolver).
    let pod = Pod::default();
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        describe_containers(w, "Init Containers", init, &[], &pod, "  ");
    }
    describe_containers(w, "Containers", &spec.containers, &[], &pod, "  ");
    describe_volumes(w, spec.volumes.as_deref().unwrap_or(&[]), "  ");
    if !s(&spec.priority_class_name).is_empty() {
        w.w(1, &format!("Priority Class Name:\t{}\n", s(&spec.priority_class_name)));
    }
    print_labels(w, "", "  Node-Selectors", "\t", spec.node_selector.as_ref());
    print_tolerations(w, "  Tolerations", spec.tolerations.as_deref().unwrap_or(&[]));
}

/// The pod template block alone (`kubectl rollout history --revision=N`).
pub fn describe_pod_template(t: &PodTemplateSpec) -> String {
    let mut w = PrefixWriter::new();
    pod_template(&mut w, t);
    w.finish()
}

fn int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "0".into(),
    }
}

/// printReplicaSetsByLabels: `name (current/desired replicas created)`, or `<none>`.
fn replica_sets(list: &[&ReplicaSet]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                s(&rs.metadata.name),
                rs.status.as_ref().map(|st| st.replicas).unwrap_or(0),
                rs.spec.as_ref().and_then(|sp| sp.replicas).unwrap_or(0)
            )
        })
        .collect();
    if items.is_empty() {
        "<none>".into()
    } else {
        items.join(", ")
    }
}

/// describeDeployment, with the deployment's old ReplicaSets (those still holding pods, as
/// FindOldReplicaSets returns them for describe) and its new one.
pub fn describe_deployment(
    d: &Deployment,
    old: &[&ReplicaSet],
    new: Option<&ReplicaSet>,
    events: Option<&[&Event]>,
    now: Now,
) -> String {
    let mut w = PrefixWriter::new();
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    w.w(0, &format!("Name:\t{}\n", s(&d.metadata.name)));
    w.w(0, &format!("Namespace:\t{}\n", s(&d.metadata.namespace)));
    w.w(0, &format!("CreationTimestamp:\t{}\n", rfc1123z(d.metadata.creation_timestamp.as_ref())));
    print_labels(&mut w, "", "Labels", "\t", d.metadata.labels.as_ref());
    print_annotations(&mut w, "Annotations", d.metadata.annotations.as_ref());
    let selector = format_label_selector(&spec.selector);
    w.w(0, &format!("Selector:\t{}\n", if selector == "<none>" { "" } else { &selector }));
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            spec.replicas.unwrap_or(1),
            st.updated_replicas.unwrap_or(0),
            st.replicas.unwrap_or(0),
            st.available_replicas.unwrap_or(0),
            st.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    w.w(0, &format!("StrategyType:\t{}\n", s(&strategy.type_)));
    w.w(0, &format!("MinReadySeconds:\t{}\n", spec.min_ready_seconds.unwrap_or(0)));
    if let Some(ru) = &strategy.rolling_update {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(ru.max_unavailable.as_ref()),
                int_or_string(ru.max_surge.as_ref())
            ),
        );
    }
    pod_template(&mut w, &spec.template);
    let conditions = st.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.w(1, "----\t------\t------\n");
        for c in &conditions {
            w.w(1, &format!("{} \t{}\t{}\n", c.type_, c.status, s(&c.reason)));
        }
    }
    if !old.is_empty() || new.is_some() {
        w.w(0, &format!("OldReplicaSets:\t{}\n", replica_sets(old)));
        w.w(0, &format!("NewReplicaSet:\t{}\n", replica_sets(&new.into_iter().collect::<Vec<_>>())));
    }
    if let Some(events) = events {
        describe_events(&mut w, events, now);
    }
    w.finish()
}

/// describeJob.
pub fn describe_job(j: &Job, events: Option<&[&Event]>, now: Now) -> String {
    let mut w = PrefixWriter::new();
    let spec = j.spec.clone().unwrap_or_default();
    let st = j.status.clone().unwrap_or_default();
    w.w(0, &format!("Name:\t{}\n", s(&j.metadata.name)));
    w.w(0, &format!("Namespace:\t{}\n", s(&j.metadata.namespace)));
    let selector = spec.selector.as_ref().map(format_label_selector).unwrap_or_default();
    w.w(0, &format!("Selector:\t{}\n", if selector == "<none>" { "" } else { &selector }));
    print_labels(&mut w, "", "Labels", "\t", j.metadata.labels.as_ref());
    print_annotations(&mut w, "Annotations", j.metadata.annotations.as_ref());
    if let Some(owner) = j.metadata.owner_references.iter().flatten().find(|o| o.controller == Some(true)) {
        w.w(0, &format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
    if let Some(p) = spec.parallelism {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match spec.completions {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    if let Some(m) = &spec.completion_mode {
        w.w(0, &format!("Completion Mode:\t{m}\n"));
    }
    if let Some(b) = spec.suspend {
        w.w(0, &format!("Suspend:\t{b}\n"));
    }
    if let Some(b) = spec.backoff_limit {
        w.w(0, &format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = spec.ttl_seconds_after_finished {
        w.w(0, &format!("TTL Seconds After Finished:\t{t}\n"));
    }
    if let Some(t) = &st.start_time {
        w.w(0, &format!("Start Time:\t{}\n", rfc1123z(Some(t))));
    }
    if let Some(t) = &st.completion_time {
        w.w(0, &format!("Completed At:\t{}\n", rfc1123z(Some(t))));
    }
    if let (Some(a), Some(b)) = (&st.start_time, &st.completion_time) {
        let ms = (b.0.as_second() - a.0.as_second()).max(0) as u64 * 1000;
        w.w(0, &format!("Duration:\t{}\n", human_duration(ms)));
    }
    if let Some(ads) = spec.active_deadline_seconds {
        w.w(0, &format!("Active Deadline Seconds:\t{ads}s\n"));
    }
    let (active, succeeded, failed) = (st.active.unwrap_or(0), st.succeeded.unwrap_or(0), st.failed.unwrap_or(0));
    match st.ready {
        None => w.w(0, &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")),
        Some(r) => {
            w.w(0, &format!("Pods Statuses:\t{active} Active ({r} Ready) / {succeeded} Succeeded / {failed} Failed\n"))
        }
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        w.w(0, &format!("Completed Indexes:\t{}\n", cap_indexes(st.completed_indexes.as_deref().unwrap_or(""), 50)));
    }
    pod_template(&mut w, &spec.template);
    if let Some(events) = events {
        describe_events(&mut w, events, now);
    }
    w.finish()
}

/// capIndexesListOrNone: at most about `soft_limit` characters, cut after a comma.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.get(soft_limit..).and_then(|rest| rest.find(',')) {
        Some(i) => format!("{}...", &indexes[..soft_limit + i + 1]),
        None => indexes.to_string(),
    }
}
