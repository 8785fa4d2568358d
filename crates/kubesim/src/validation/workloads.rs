//! Workload controllers: pkg/apis/apps/validation/validation.go (Deployment, ReplicaSet),
//! pkg/apis/core/validation/validation.go (ReplicationController) and
//! pkg/apis/batch/validation/validation.go (Job).

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStrategy, ReplicaSet, ReplicaSetSpec};
use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{PodTemplateSpec, ReplicationController, ReplicationControllerSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{q, FieldError, Msg, Path};
use super::labels::{self, NameRule};
use super::{names, pods};

fn nonnegative(v: Option<i32>, path: &Path) -> Vec<FieldError> {
    match v {
        Some(v) if v < 0 => vec![FieldError::invalid(path, v.to_string(), names::negative())],
        _ => Vec::new(),
    }
}

fn nonnegative64(v: Option<i64>, path: &Path) -> Vec<FieldError> {
    match v {
        Some(v) if v < 0 => vec![FieldError::invalid(path, v.to_string(), names::negative())],
        _ => Vec::new(),
    }
}

fn selector_mismatch(t: &PodTemplateSpec, path: &Path) -> FieldError {
    FieldError::invalid(
        &path.child("metadata").child("labels"),
        pods::template_labels(t),
        Msg::new(
            "`selector` does not match template `labels`",
            "셀렉터(selector)가 템플릿의 레이블(labels)과 일치하지 않습니다",
        ),
    )
}

/// `ValidatePodTemplateSpecForReplicaSet` (also used for Deployments).
fn template_for_replica_set(
    t: &PodTemplateSpec,
    sel: Option<&LabelSelector>,
    kind: &str,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    // An unset selector selects nothing (labels.Nothing()), so it "does not match" either.
    let empty = sel.is_some_and(labels::selector_is_empty);
    if !empty && !labels::selector_matches(sel, pods::labels_of(t)) {
        errs.push(selector_mismatch(t, path));
    }
    errs.extend(pods::template(t, path));
    errs.extend(template_restart_always(t, path));
    if let Some(a) = t.spec.as_ref().and_then(|s| s.active_deadline_seconds) {
        errs.push(FieldError::invalid(
            &path.child("spec").child("activeDeadlineSeconds"),
            a.to_string(),
            Msg::new(
                format!("activeDeadlineSeconds in {kind} is not Supported"),
                format!("{kind}에서는 activeDeadlineSeconds를 쓸 수 없습니다"),
            ),
        ));
    }
    errs
}

/// Controllers that keep pods running need `restartPolicy: Always` (the default).
fn template_restart_always(t: &PodTemplateSpec, path: &Path) -> Vec<FieldError> {
    match t.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        Some(rp) if !rp.is_empty() && rp != "Always" => {
            vec![FieldError::not_supported(&path.child("spec").child("restartPolicy"), rp, &["Always"])]
        }
        _ => Vec::new(),
    }
}

fn selector_required(sel: Option<&LabelSelector>, what: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let p = path.child("selector");
    match sel {
        None => errs.push(FieldError::required(&p, Msg::none())),
        Some(s) => {
            errs.extend(labels::label_selector(s, &p));
            if labels::selector_is_empty(s) {
                errs.push(FieldError::invalid(
                    &p,
                    labels::go_selector(s),
                    Msg::new(
                        format!("empty selector is invalid for {what}"),
                        "빈 셀렉터는 쓸 수 없습니다: matchLabels나 matchExpressions를 지정하세요",
                    ),
                ));
            }
        }
    }
    errs
}

pub fn deployment(d: &Deployment) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&d.metadata, true, NameRule::Subdomain, &Path::new("metadata"));
    let empty = DeploymentSpec::default();
    let spec = d.spec.as_ref().unwrap_or(&empty);
    let path = Path::new("spec");
    errs.extend(nonnegative(spec.replicas, &path.child("replicas")));
    // In apps/v1 the selector is required (it is no longer defaulted from the template).
    let sel = d.spec.as_ref().and_then(|s| s.selector_opt());
    errs.extend(selector_required(sel, "deployment", &path));
    errs.extend(template_for_replica_set(&spec.template, sel, "ReplicaSet", &path.child("template")));
    if let Some(s) = &spec.strategy {
        errs.extend(strategy(s, &path.child("strategy")));
    }
    errs.extend(nonnegative(spec.min_ready_seconds, &path.child("minReadySeconds")));
    errs.extend(nonnegative(spec.revision_history_limit, &path.child("revisionHistoryLimit")));
    if let Some(p) = spec.progress_deadline_seconds {
        errs.extend(nonnegative(Some(p), &path.child("progressDeadlineSeconds")));
        if p <= spec.min_ready_seconds.unwrap_or(0) {
            errs.push(FieldError::invalid(
                &path.child("progressDeadlineSeconds"),
                p.to_string(),
                Msg::new("must be greater than minReadySeconds", "minReadySeconds보다 커야 합니다"),
            ));
        }
    }
    errs
}

/// k8s-openapi makes `selector` a plain (non-optional) field that decodes to an empty selector
/// when missing, so "missing" is read as "neither matchLabels nor matchExpressions present".
/// Known limit: `selector: {}` therefore reports "Required value" instead of upstream's
/// "empty selector is invalid"; `matchLabels: {}` reports the latter, as upstream.
trait SelectorOpt {
    fn selector_opt(&self) -> Option<&LabelSelector>;
}

impl SelectorOpt for DeploymentSpec {
    fn selector_opt(&self) -> Option<&LabelSelector> {
        selector_if_written(&self.selector)
    }
}

impl SelectorOpt for ReplicaSetSpec {
    fn selector_opt(&self) -> Option<&LabelSelector> {
        selector_if_written(&self.selector)
    }
}

fn selector_if_written(s: &LabelSelector) -> Option<&LabelSelector> {
    (s.match_labels.is_some() || s.match_expressions.is_some()).then_some(s)
}

/// `ValidateDeploymentStrategy` + `ValidateRollingUpdateDeployment`.
fn strategy(s: &DeploymentStrategy, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match s.type_.as_deref().unwrap_or("RollingUpdate") {
        "Recreate" => {
            if s.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    &path.child("rollingUpdate"),
                    Msg::new(
                        "may not be specified when strategy `type` is 'Recreate'",
                        "strategy type이 'Recreate'이면 rollingUpdate를 쓸 수 없습니다",
                    ),
                ));
            }
        }
        "RollingUpdate" => {
            let Some(ru) = &s.rolling_update else { return errs };
            let p = path.child("rollingUpdate");
            let unavailable = ru.max_unavailable.clone().unwrap_or(IntOrString::String("25%".into()));
            let surge = ru.max_surge.clone().unwrap_or(IntOrString::String("25%".into()));
            errs.extend(int_or_percent(&unavailable, &p.child("maxUnavailable")));
            errs.extend(int_or_percent(&surge, &p.child("maxSurge")));
            if is_zero(&unavailable) && is_zero(&surge) {
                errs.push(FieldError::invalid(
                    &p.child("maxUnavailable"),
                    render_ios(&unavailable),
                    Msg::new("may not be 0 when `maxSurge` is 0", "maxSurge가 0이면 maxUnavailable도 0일 수 없습니다"),
                ));
            }
            if let IntOrString::String(v) = &unavailable {
                if percent(v).is_some_and(|p| p > 100) {
                    errs.push(FieldError::invalid(
                        &p.child("maxUnavailable"),
                        q(v),
                        Msg::new("must not be greater than 100%", "100%보다 클 수 없습니다"),
                    ));
                }
            }
        }
        other => errs.push(FieldError::not_supported(&path.child("type"), other, &["Recreate", "RollingUpdate"])),
    }
    errs
}

fn percent(s: &str) -> Option<i64> {
    let n = s.strip_suffix('%')?;
    if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn is_zero(v: &IntOrString) -> bool {
    match v {
        IntOrString::Int(i) => *i == 0,
        IntOrString::String(s) => percent(s) == Some(0),
    }
}

fn render_ios(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => q(s),
    }
}

/// `ValidatePositiveIntOrPercent`.
fn int_or_percent(v: &IntOrString, path: &Path) -> Vec<FieldError> {
    match v {
        IntOrString::Int(i) if *i < 0 => vec![FieldError::invalid(path, i.to_string(), names::negative())],
        IntOrString::String(s) if percent(s).is_none() => vec![FieldError::invalid(
            path,
            q(s),
            Msg::new(
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                "백분율은 숫자 뒤에 '%'를 붙여 써야 합니다 (예: '1%', '93%')",
            ),
        )],
        _ => Vec::new(),
    }
}

pub fn replica_set(rs: &ReplicaSet) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&rs.metadata, true, NameRule::Subdomain, &Path::new("metadata"));
    let empty = ReplicaSetSpec::default();
    let spec = rs.spec.as_ref().unwrap_or(&empty);
    let path = Path::new("spec");
    errs.extend(nonnegative(spec.replicas, &path.child("replicas")));
    errs.extend(nonnegative(spec.min_ready_seconds, &path.child("minReadySeconds")));
    let sel = rs.spec.as_ref().and_then(|s| s.selector_opt());
    // Upstream words this one "for deployment" for ReplicaSets too.
    errs.extend(selector_required(sel, "deployment", &path));
    let template = spec.template.clone().unwrap_or_default();
    errs.extend(template_for_replica_set(&template, sel, "ReplicaSet", &path.child("template")));
    errs
}

/// `ValidateReplicationControllerSpec`. RCs default an empty selector from the template labels
/// (SetDefaults_ReplicationController), so only a template without labels leaves it empty.
pub fn replication_controller(rc: &ReplicationController) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&rc.metadata, true, NameRule::Subdomain, &Path::new("metadata"));
    let empty = ReplicationControllerSpec::default();
    let spec = rc.spec.as_ref().unwrap_or(&empty);
    let path = Path::new("spec");
    errs.extend(nonnegative(spec.min_ready_seconds, &path.child("minReadySeconds")));
    let template_labels = spec.template.as_ref().and_then(pods::labels_of).cloned();
    let selector = match &spec.selector {
        Some(s) if !s.is_empty() => Some(s.clone()),
        _ => template_labels.clone().filter(|l| !l.is_empty()),
    };
    if selector.is_none() {
        errs.push(FieldError::required(&path.child("selector"), Msg::none()));
    }
    errs.extend(labels::labels(spec.selector.as_ref(), &path.child("selector")));
    errs.extend(nonnegative(spec.replicas, &path.child("replicas")));
    let tpath = path.child("template");
    match &spec.template {
        None => errs.push(FieldError::required(&tpath, Msg::none())),
        Some(t) => {
            if let Some(sel) = &selector {
                let labels = pods::labels_of(t);
                if !crate::selector::set_matches(sel, labels) {
                    errs.push(selector_mismatch(t, &tpath));
                }
            }
            errs.extend(pods::template(t, &tpath));
            errs.extend(template_restart_always(t, &tpath));
            if t.spec.as_ref().and_then(|s| s.active_deadline_seconds).is_some() {
                errs.push(FieldError::forbidden(
                    &tpath.child("spec").child("activeDeadlineSeconds"),
                    Msg::new(
                        "activeDeadlineSeconds in ReplicationController is not Supported",
                        "ReplicationController에서는 activeDeadlineSeconds를 쓸 수 없습니다",
                    ),
                ));
            }
        }
    }
    errs
}

/// `ValidateJob`: the selector is generated by the Job controller unless `manualSelector` is set
/// (pkg/registry/batch/job/strategy.go, generateSelector), then the spec.
pub fn job(j: &Job) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&j.metadata, true, NameRule::Subdomain, &Path::new("metadata"));
    let empty = JobSpec::default();
    let spec = j.spec.as_ref().unwrap_or(&empty);
    let path = Path::new("spec");
    let manual = spec.manual_selector == Some(true);
    match (&spec.selector, manual) {
        (Some(sel), false) => errs.push(FieldError::invalid(
            &path.child("selector"),
            labels::go_selector(sel),
            Msg::new(
                "`selector` not auto-generated",
                "잡(Job)의 셀렉터는 자동으로 만들어집니다: selector를 지우거나 manualSelector: true를 쓰세요",
            ),
        )),
        (None, true) => errs.push(FieldError::required(&path.child("selector"), Msg::none())),
        (Some(sel), true) => {
            errs.extend(labels::label_selector(sel, &path.child("selector")));
            if !labels::selector_matches(Some(sel), pods::labels_of(&spec.template)) {
                errs.push(selector_mismatch(&spec.template, &path.child("template")));
            }
        }
        (None, false) => {}
    }
    if let Some(name) = j.metadata.name.as_deref() {
        // The controller labels pods with the job name, so it must also be a valid label value.
        if name.len() > names::LABEL_VALUE_MAX {
            errs.push(FieldError::invalid(
                &path.child("template").child("labels"),
                q(name),
                names::max_len(names::LABEL_VALUE_MAX),
            ));
        }
    }
    errs.extend(nonnegative(spec.parallelism, &path.child("parallelism")));
    errs.extend(nonnegative(spec.completions, &path.child("completions")));
    errs.extend(nonnegative64(spec.active_deadline_seconds, &path.child("activeDeadlineSeconds")));
    errs.extend(nonnegative(spec.backoff_limit, &path.child("backoffLimit")));
    errs.extend(nonnegative(spec.ttl_seconds_after_finished, &path.child("ttlSecondsAfterFinished")));
    if let Some(mode) = spec.completion_mode.as_deref() {
        if !matches!(mode, "NonIndexed" | "Indexed") {
            errs.push(FieldError::not_supported(&path.child("completionMode"), mode, &["NonIndexed", "Indexed"]));
        }
        if mode == "Indexed" && spec.completions.is_none() {
            errs.push(FieldError::required(
                &path.child("completions"),
                Msg::new("when completion mode is Indexed", "completionMode가 Indexed이면 completions가 있어야 합니다"),
            ));
        }
    }
    let tpath = path.child("template");
    errs.extend(pods::template(&spec.template, &tpath));
    // The template's restartPolicy defaults to Always, which a Job does not allow.
    let rp = spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .filter(|s| !s.is_empty())
        .unwrap_or("Always");
    if !matches!(rp, "OnFailure" | "Never") {
        errs.push(FieldError::not_supported(&tpath.child("spec").child("restartPolicy"), rp, &["OnFailure", "Never"]));
    } else if rp == "OnFailure" && spec.pod_failure_policy.is_some() {
        errs.push(FieldError::invalid(
            &tpath.child("spec").child("restartPolicy"),
            q(rp),
            Msg::new(
                "only \"Never\" is supported when podFailurePolicy is specified",
                "podFailurePolicy를 쓰면 restartPolicy는 \"Never\"만 됩니다",
            ),
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use std::collections::BTreeMap;

    fn template(labels: &[(&str, &str)], restart: Option<&str>) -> PodTemplateSpec {
        PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
                ..Default::default()
            }),
            spec: Some(PodSpec {
                containers: vec![Container { name: "c".into(), image: Some("nginx".into()), ..Default::default() }],
                restart_policy: restart.map(Into::into),
                ..Default::default()
            }),
        }
    }

    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta { name: Some(name.into()), ..Default::default() }
    }

    fn sel(pairs: &[(&str, &str)]) -> LabelSelector {
        LabelSelector {
            match_labels: Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>()),
            match_expressions: None,
        }
    }

    fn msgs(v: Vec<FieldError>) -> Vec<String> {
        v.iter().map(FieldError::message).collect()
    }

    #[test]
    fn deployment_selector_must_match_template() {
        let d = Deployment {
            metadata: meta("web"),
            spec: Some(DeploymentSpec {
                selector: sel(&[("app", "web")]),
                template: template(&[("app", "api")], None),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            msgs(deployment(&d)),
            ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"]
        );
    }

    #[test]
    fn deployment_without_selector() {
        let d = Deployment {
            metadata: meta("web"),
            spec: Some(DeploymentSpec { template: template(&[("app", "web")], Some("Never")), ..Default::default() }),
            ..Default::default()
        };
        assert_eq!(
            msgs(deployment(&d)),
            [
                "spec.selector: Required value",
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            ]
        );
    }

    #[test]
    fn replication_controller_defaults_its_selector() {
        let rc = ReplicationController {
            metadata: meta("crane"),
            spec: Some(ReplicationControllerSpec {
                template: Some(template(&[("app", "crane")], None)),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert!(replication_controller(&rc).is_empty());
    }

    #[test]
    fn job_restart_policy() {
        let j = Job {
            metadata: meta("pi"),
            spec: Some(JobSpec { template: template(&[], None), ..Default::default() }),
            ..Default::default()
        };
        assert_eq!(
            msgs(job(&j)),
            ["spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""]
        );
        let j = Job {
            metadata: meta("pi"),
            spec: Some(JobSpec {
                template: template(&[], Some("Never")),
                selector: Some(sel(&[("a", "b")])),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(msgs(job(&j)).len(), 1);
    }

    #[test]
    fn rolling_update_params() {
        let s = DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(k8s_openapi::api::apps::v1::RollingUpdateDeployment {
                max_surge: Some(IntOrString::Int(0)),
                max_unavailable: Some(IntOrString::String("0%".into())),
            }),
        };
        assert_eq!(
            msgs(strategy(&s, &Path::new("spec").child("strategy"))),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"]
        );
        let s = DeploymentStrategy { type_: Some("Rolling".into()), rolling_update: None };
        assert_eq!(msgs(strategy(&s, &Path::new("spec").child("strategy"))).len(), 1);
    }
}
