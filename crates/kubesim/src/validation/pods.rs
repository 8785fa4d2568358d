//! Pods and pod templates: pkg/apis/core/validation/validation.go (`ValidatePodSpec`,
//! `validateContainers`, `validateInitContainers`, `validateProbe`, `validateHandler`,
//! `ValidateVolumes`, `validateEnv`, `validateContainerPorts`, `ValidateTolerations`,
//! `validateAffinity`, `ValidatePodTemplateSpec`).
//!
//! Objects are validated as they arrive, before defaulting; where upstream validates a defaulted
//! field (restartPolicy, dnsPolicy, probe thresholds, port protocols, httpGet path), an unset
//! field stands for its default and passes.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Affinity, Container, EnvFromSource, EnvVar, ExecAction, HTTPGetAction, Lifecycle, LifecycleHandler,
    NodeSelectorTerm, Pod, PodAffinityTerm, PodSpec, PodTemplateSpec, Probe, TCPSocketAction, Toleration, Volume,
    VolumeMount,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{go_map, q, FieldError, Msg, Path};
use super::labels::{self, NameRule};
use super::{names, quantities};

const INIT_FORBIDDEN_EN: &str = "may not be set for init containers without restartPolicy=Always";
const INIT_FORBIDDEN_KO: &str = "restartPolicy=Always가 아닌 초기화 컨테이너에는 쓸 수 없습니다";

/// `ValidatePodCreate`: metadata and spec.
pub fn pod(p: &Pod) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&p.metadata, true, NameRule::Subdomain, &Path::new("metadata"));
    let empty = PodSpec::default();
    let spec = p.spec.as_ref().unwrap_or(&empty);
    errs.extend(pod_spec(spec, &Path::new("spec")));
    for (i, c) in spec.containers.iter().enumerate() {
        // Pod-only (not templates): validateContainersOnlyForPod.
        if let Some(img) = c.image.as_deref() {
            if !img.is_empty() && img.trim() != img {
                errs.push(FieldError::invalid(
                    &Path::new("spec").child("containers").index(i).child("image"),
                    q(img),
                    Msg::new("must not have leading or trailing whitespace", "앞뒤에 공백이 있으면 안 됩니다"),
                ));
            }
        }
    }
    errs
}

/// `ValidatePodTemplateSpec`: template labels and annotations (at `<path>.labels`, as upstream
/// names them), then the pod spec.
pub fn template(t: &PodTemplateSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(meta) = &t.metadata {
        let at = path.child("metadata");
        errs.extend(
            labels::labels(meta.labels.as_ref(), &path.child("labels"))
                .into_iter()
                .map(|e| relocate(e, &path.child("labels"), &at.child("labels"))),
        );
        errs.extend(
            labels::annotations(meta.annotations.as_ref(), &path.child("annotations"))
                .into_iter()
                .map(|e| relocate(e, &path.child("annotations"), &at.child("annotations"))),
        );
    }
    let empty = PodSpec::default();
    errs.extend(pod_spec(t.spec.as_ref().unwrap_or(&empty), &path.child("spec")));
    errs
}

/// Points an error reported at `from` to the same place under `to` in the text.
fn relocate(mut e: FieldError, from: &Path, to: &Path) -> FieldError {
    let base = e.locate.clone().unwrap_or_else(|| e.field.clone());
    if base.0.starts_with(&from.0) {
        let mut p = to.clone();
        p.0.extend(base.0[from.0.len()..].iter().cloned());
        e.locate = Some(p);
    }
    e
}

/// `ValidatePodSpec`.
pub fn pod_spec(spec: &PodSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let volumes = spec.volumes.as_deref().unwrap_or(&[]);
    errs.extend(validate_volumes(volumes, &path.child("volumes")));
    let volume_names: BTreeSet<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    let grace = spec.termination_grace_period_seconds.unwrap_or(30);
    let host_network = spec.host_network.unwrap_or(false);

    // Regular containers.
    let cpath = path.child("containers");
    if spec.containers.is_empty() {
        errs.push(FieldError::required(&cpath, Msg::none()));
    }
    let mut names_seen: BTreeSet<&str> = BTreeSet::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = cpath.index(i);
        errs.extend(container_common(c, &p, &mut names_seen, &volume_names, host_network));
        if let Some(l) = &c.lifecycle {
            errs.extend(lifecycle(l, grace, &p.child("lifecycle")));
        }
        errs.extend(probe(c.liveness_probe.as_ref(), &p.child("livenessProbe"), true));
        errs.extend(probe(c.readiness_probe.as_ref(), &p.child("readinessProbe"), false));
        errs.extend(probe(c.startup_probe.as_ref(), &p.child("startupProbe"), true));
        if let Some(rp) = c.restart_policy.as_deref() {
            if !matches!(rp, "Always" | "OnFailure" | "Never") {
                errs.push(FieldError::not_supported(&p.child("restartPolicy"), rp, &["Always", "OnFailure", "Never"]));
            }
        }
    }

    // Init containers: names must not clash with any container's.
    let ipath = path.child("initContainers");
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        let p = ipath.index(i);
        errs.extend(container_common(c, &p, &mut names_seen, &volume_names, host_network));
        let sidecar = c.restart_policy.as_deref() == Some("Always");
        if let Some(rp) = c.restart_policy.as_deref() {
            if !matches!(rp, "Always" | "OnFailure" | "Never") {
                errs.push(FieldError::not_supported(&p.child("restartPolicy"), rp, &["Always"]));
            }
        }
        if sidecar {
            if let Some(l) = &c.lifecycle {
                errs.extend(lifecycle(l, grace, &p.child("lifecycle")));
            }
            errs.extend(probe(c.liveness_probe.as_ref(), &p.child("livenessProbe"), true));
            errs.extend(probe(c.readiness_probe.as_ref(), &p.child("readinessProbe"), false));
            errs.extend(probe(c.startup_probe.as_ref(), &p.child("startupProbe"), true));
        } else {
            let forbid =
                |field: &str| FieldError::forbidden(&p.child(field), Msg::new(INIT_FORBIDDEN_EN, INIT_FORBIDDEN_KO));
            if c.lifecycle.is_some() {
                errs.push(forbid("lifecycle"));
            }
            if c.liveness_probe.is_some() {
                errs.push(forbid("livenessProbe"));
            }
            if c.readiness_probe.is_some() {
                errs.push(forbid("readinessProbe"));
            }
            if c.startup_probe.is_some() {
                errs.push(forbid("startupProbe"));
            }
        }
    }
    errs.extend(host_port_conflicts(spec, path));

    if let Some(rp) = spec.restart_policy.as_deref().filter(|s| !s.is_empty()) {
        if !matches!(rp, "Always" | "OnFailure" | "Never") {
            errs.push(FieldError::not_supported(&path.child("restartPolicy"), rp, &["Always", "OnFailure", "Never"]));
        }
    }
    if let Some(dp) = spec.dns_policy.as_deref().filter(|s| !s.is_empty()) {
        if !matches!(dp, "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None") {
            errs.push(FieldError::not_supported(
                &path.child("dnsPolicy"),
                dp,
                &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
            ));
        }
        if dp == "None" && spec.dns_config.as_ref().and_then(|c| c.nameservers.as_ref()).is_none_or(|n| n.is_empty()) {
            errs.push(FieldError::required(
                &path.child("dnsConfig"),
                Msg::new(
                    "must provide at least one DNS nameserver when DNSPolicy is None",
                    "dnsPolicy가 None이면 DNS 네임서버를 하나 이상 지정해야 합니다",
                ),
            ));
        }
    }
    if let Some(cfg) = &spec.dns_config {
        for (i, ns) in cfg.nameservers.iter().flatten().enumerate() {
            if ns.parse::<std::net::IpAddr>().is_err() {
                errs.push(FieldError::invalid(
                    &path.child("dnsConfig").child("nameservers").index(i),
                    q(ns),
                    Msg::new("must be a valid IP address", "올바른 IP 주소여야 합니다"),
                ));
            }
        }
    }
    errs.extend(labels::labels(spec.node_selector.as_ref(), &path.child("nodeSelector")));
    if let Some(a) = &spec.affinity {
        errs.extend(affinity(a, &path.child("affinity")));
    }
    for (i, t) in spec.tolerations.iter().flatten().enumerate() {
        errs.extend(toleration(t, &path.child("tolerations").index(i)));
    }
    for (i, g) in spec.readiness_gates.iter().flatten().enumerate() {
        for m in names::qualified_name(&g.condition_type) {
            errs.push(FieldError::invalid(
                &path.child("readinessGates").index(i).child("conditionType"),
                q(&g.condition_type),
                m,
            ));
        }
    }
    for (i, c) in spec.topology_spread_constraints.iter().flatten().enumerate() {
        let p = path.child("topologySpreadConstraints").index(i);
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(
                &p.child("maxSkew"),
                c.max_skew.to_string(),
                Msg::new("must be greater than zero", "0보다 커야 합니다"),
            ));
        }
        if c.topology_key.is_empty() {
            errs.push(FieldError::required(
                &p.child("topologyKey"),
                Msg::new("can not be empty", "비어 있으면 안 됩니다"),
            ));
        }
        if !matches!(c.when_unsatisfiable.as_str(), "DoNotSchedule" | "ScheduleAnyway") {
            errs.push(FieldError::not_supported(
                &p.child("whenUnsatisfiable"),
                &c.when_unsatisfiable,
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
    }
    for (field, value) in
        [("serviceAccountName", spec.service_account_name.as_deref()), ("nodeName", spec.node_name.as_deref())]
    {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            for m in names::dns1123_subdomain(v) {
                errs.push(FieldError::invalid(&path.child(field), q(v), m));
            }
        }
    }
    if let Some(v) = spec.active_deadline_seconds {
        if !(1..=i32::MAX as i64).contains(&v) {
            errs.push(FieldError::invalid(
                &path.child("activeDeadlineSeconds"),
                v.to_string(),
                names::inclusive_range(1, i32::MAX as i64),
            ));
        }
    }
    for (field, value) in [("hostname", spec.hostname.as_deref()), ("subdomain", spec.subdomain.as_deref())] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            for m in names::dns1123_label(v) {
                errs.push(FieldError::invalid(&path.child(field), q(v), m));
            }
        }
    }
    if let Some(p) = spec.preemption_policy.as_deref() {
        if !matches!(p, "PreemptLowerPriority" | "Never") {
            errs.push(FieldError::not_supported(
                &path.child("preemptionPolicy"),
                p,
                &["Never", "PreemptLowerPriority"],
            ));
        }
    }
    errs
}

/// `validateContainerCommon` and the per-container checks shared by init and app containers.
fn container_common<'c>(
    c: &'c Container,
    path: &Path,
    names_seen: &mut BTreeSet<&'c str>,
    volumes: &BTreeSet<&str>,
    host_network: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name_path = path.child("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, Msg::none()));
    } else {
        for m in names::dns1123_label(&c.name) {
            errs.push(FieldError::invalid(&name_path, q(&c.name), m));
        }
    }
    if !c.name.is_empty() && !names_seen.insert(c.name.as_str()) {
        errs.push(FieldError::duplicate(&name_path, q(&c.name)));
    }
    if c.image.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(&path.child("image"), Msg::none()));
    }
    errs.extend(container_ports(c, &path.child("ports"), host_network));
    for (i, e) in c.env.iter().flatten().enumerate() {
        errs.extend(env_var(e, &path.child("env").index(i)));
    }
    for (i, e) in c.env_from.iter().flatten().enumerate() {
        errs.extend(env_from(e, &path.child("envFrom"), &path.child("envFrom").index(i)));
    }
    errs.extend(volume_mounts(c.volume_mounts.as_deref().unwrap_or(&[]), volumes, &path.child("volumeMounts")));
    if let Some(p) = c.image_pull_policy.as_deref().filter(|s| !s.is_empty()) {
        if !matches!(p, "Always" | "IfNotPresent" | "Never") {
            errs.push(FieldError::not_supported(
                &path.child("imagePullPolicy"),
                p,
                &["Always", "IfNotPresent", "Never"],
            ));
        }
    }
    if let Some(p) = c.termination_message_policy.as_deref().filter(|s| !s.is_empty()) {
        if !matches!(p, "File" | "FallbackToLogsOnError") {
            errs.push(FieldError::not_supported(
                &path.child("terminationMessagePolicy"),
                p,
                &["File", "FallbackToLogsOnError"],
            ));
        }
    }
    if let Some(r) = &c.resources {
        errs.extend(quantities::requirements(r, &path.child("resources")));
    }
    errs
}

/// `validateContainerPorts`. A repeated containerPort/protocol pair is allowed (upstream only
/// warns).
fn container_ports(c: &Container, path: &Path, host_network: bool) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names_seen = BTreeSet::new();
    for (i, port) in c.ports.iter().flatten().enumerate() {
        let p = path.index(i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = names::port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(&p.child("name"), q(name), m));
                }
            } else if !names_seen.insert(name) {
                errs.push(FieldError::duplicate(&p.child("name"), q(name)));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&p.child("containerPort"), Msg::none()));
        } else {
            for m in names::port_num(port.container_port.into()) {
                errs.push(FieldError::invalid(&p.child("containerPort"), port.container_port.to_string(), m));
            }
        }
        if let Some(hp) = port.host_port.filter(|&h| h != 0) {
            for m in names::port_num(hp.into()) {
                errs.push(FieldError::invalid(&p.child("hostPort"), hp.to_string(), m));
            }
            if host_network && hp != port.container_port {
                errs.push(FieldError::invalid(
                    &p.child("hostPort"),
                    hp.to_string(),
                    Msg::new(
                        "must match `containerPort` when `hostNetwork` is true",
                        "hostNetwork가 true이면 containerPort와 같아야 합니다",
                    ),
                ));
            }
        }
        if let Some(proto) = port.protocol.as_deref() {
            if proto.is_empty() {
                errs.push(FieldError::required(&p.child("protocol"), Msg::none()));
            } else if !matches!(proto, "TCP" | "UDP" | "SCTP") {
                errs.push(FieldError::not_supported(&p.child("protocol"), proto, &["SCTP", "TCP", "UDP"]));
            }
        }
    }
    errs
}

/// `AccumulateUniqueHostPorts`: one hostPort/protocol per pod.
fn host_port_conflicts(spec: &PodSpec, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    let groups = [
        ("initContainers", spec.init_containers.as_deref().unwrap_or(&[])),
        ("containers", spec.containers.as_slice()),
    ];
    for (group, containers) in groups {
        for (ci, c) in containers.iter().enumerate() {
            for (pi, p) in c.ports.iter().flatten().enumerate() {
                let Some(hp) = p.host_port.filter(|&h| h != 0) else {
                    continue;
                };
                let key = format!("{hp}/{}", p.protocol.as_deref().unwrap_or("TCP"));
                let ip = p.host_ip.clone().unwrap_or_default();
                if !seen.insert((ip, key.clone())) {
                    errs.push(FieldError::duplicate(
                        &path.child(group).index(ci).child("ports").index(pi).child("hostPort"),
                        q(&key),
                    ));
                }
            }
        }
    }
    errs
}

/// `validateEnv` + `validateEnvVarValueFrom`.
fn env_var(e: &EnvVar, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if e.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), Msg::none()));
    } else {
        for m in names::env_var_name(&e.name) {
            errs.push(FieldError::invalid(&path.child("name"), q(&e.name), m));
        }
    }
    let Some(from) = &e.value_from else { return errs };
    let vpath = path.child("valueFrom");
    let mut sources = 0;
    if let Some(f) = &from.field_ref {
        sources += 1;
        let fp = vpath.child("fieldRef").child("fieldPath");
        const FIELDS: &[&str] = &[
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs",
        ];
        if f.field_path.is_empty() {
            errs.push(FieldError::required(&fp, Msg::none()));
        } else if let Some((base, sub)) = subscript(&f.field_path) {
            match base {
                "metadata.labels" | "metadata.annotations" => {
                    let key = if base == "metadata.annotations" { sub.to_lowercase() } else { sub.to_string() };
                    for m in names::qualified_name(&key) {
                        errs.push(FieldError::invalid(&vpath.child("fieldRef"), q(sub), m));
                    }
                }
                _ => errs.push(FieldError::invalid(
                    &vpath.child("fieldRef"),
                    q(base),
                    Msg::new("does not support subscript", "첨자([...])를 쓸 수 없는 필드입니다"),
                )),
            }
        } else if !FIELDS.contains(&f.field_path.as_str()) {
            errs.push(FieldError::not_supported(&fp, &f.field_path, FIELDS));
        }
    }
    if let Some(r) = &from.resource_field_ref {
        sources += 1;
        let rp = vpath.child("resourceFieldRef").child("resource");
        const RESOURCES: &[&str] = &[
            "limits.cpu",
            "limits.ephemeral-storage",
            "limits.memory",
            "requests.cpu",
            "requests.ephemeral-storage",
            "requests.memory",
        ];
        if r.resource.is_empty() {
            errs.push(FieldError::required(&rp, Msg::none()));
        } else if !RESOURCES.contains(&r.resource.as_str())
            && !r.resource.starts_with("limits.hugepages-")
            && !r.resource.starts_with("requests.hugepages-")
        {
            errs.push(FieldError::not_supported(&rp, &r.resource, RESOURCES));
        }
    }
    if let Some(k) = &from.config_map_key_ref {
        sources += 1;
        errs.extend(key_selector(&k.name, &k.key, &vpath.child("configMapKeyRef")));
    }
    if let Some(k) = &from.secret_key_ref {
        sources += 1;
        errs.extend(key_selector(&k.name, &k.key, &vpath.child("secretKeyRef")));
    }
    if from.file_key_ref.is_some() {
        sources += 1;
    }
    if sources == 0 {
        errs.push(FieldError::invalid(
            &vpath,
            q(""),
            Msg::new(
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                "fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef 중 하나를 지정해야 합니다",
            ),
        ));
    } else if !e.value.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::invalid(
            &vpath,
            q(""),
            Msg::new(
                "may not be specified when `value` is not empty",
                "value가 있으면 valueFrom을 함께 쓸 수 없습니다",
            ),
        ));
    } else if sources > 1 {
        errs.push(FieldError::invalid(
            &vpath,
            q(""),
            Msg::new(
                "may not have more than one field specified at a time",
                "한 번에 하나의 필드만 지정할 수 있습니다",
            ),
        ));
    }
    errs
}

/// `metadata.labels['app']` → (`metadata.labels`, `app`).
fn subscript(path: &str) -> Option<(&str, &str)> {
    let (base, rest) = path.split_once('[')?;
    let inner = rest.strip_suffix(']')?;
    let inner = inner
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))?;
    Some((base, inner))
}

fn key_selector(name: &str, key: &str, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), Msg::none()));
    }
    if key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), Msg::none()));
    } else {
        errs.extend(config_key(key).into_iter().map(|m| FieldError::invalid(&path.child("key"), q(key), m)));
    }
    errs
}

/// `IsConfigMapKey`.
fn config_key(key: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push(names::max_len(253));
    }
    if !key.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')) {
        errs.push(Msg::new(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            "설정 키는 영문자, 숫자, '-', '_', '.'로만 이루어져야 합니다 (예: 'key.name', 'KEY_NAME', 'key-name')",
        ));
    }
    if key == "." {
        errs.push(Msg::new("must not be '.'", "'.'일 수 없습니다"));
    } else if key == ".." {
        errs.push(Msg::new("must not be '..'", "'..'일 수 없습니다"));
    } else if key.starts_with("..") {
        errs.push(Msg::new("must not start with '..'", "'..'로 시작할 수 없습니다"));
    }
    errs
}

/// `validateEnvFrom`. Upstream reports the source-count errors on the whole `envFrom`.
fn env_from(e: &EnvFromSource, list_path: &Path, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(prefix) = e.prefix.as_deref().filter(|p| !p.is_empty()) {
        for m in names::env_var_name(prefix) {
            errs.push(FieldError::invalid(&path.child("prefix"), q(prefix), m));
        }
    }
    let mut sources = 0;
    for (field, name) in [
        ("configMapRef", e.config_map_ref.as_ref().map(|r| r.name.as_str())),
        ("secretRef", e.secret_ref.as_ref().map(|r| r.name.as_str())),
    ] {
        let Some(name) = name else { continue };
        sources += 1;
        let np = path.child(field).child("name");
        if name.is_empty() {
            errs.push(FieldError::required(&np, Msg::none()));
        } else {
            for m in names::dns1123_subdomain(name) {
                errs.push(FieldError::invalid(&np, q(name), m));
            }
        }
    }
    if sources == 0 {
        errs.push(
            FieldError::invalid(
                list_path,
                q(""),
                Msg::new(
                    "must specify one of: `configMapRef` or `secretRef`",
                    "configMapRef나 secretRef 중 하나를 지정해야 합니다",
                ),
            )
            .at(path.clone()),
        );
    } else if sources > 1 {
        errs.push(
            FieldError::invalid(
                list_path,
                q(""),
                Msg::new(
                    "may not have more than one field specified at a time",
                    "한 번에 하나의 필드만 지정할 수 있습니다",
                ),
            )
            .at(path.clone()),
        );
    }
    errs
}

/// `ValidateVolumeMounts`.
fn volume_mounts(mounts: &[VolumeMount], volumes: &BTreeSet<&str>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut points = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let p = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), Msg::none()));
        }
        if !volumes.contains(m.name.as_str()) {
            errs.push(FieldError::not_found(&p.child("name"), q(&m.name)));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&p.child("mountPath"), Msg::none()));
        }
        if !points.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                &p.child("mountPath"),
                q(&m.mount_path),
                Msg::new("must be unique", "같은 mountPath를 두 번 쓸 수 없습니다"),
            ));
        }
        if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            // Upstream names the list, not the item, here.
            let at = path.child("subPath");
            if sp.starts_with('/') {
                errs.push(
                    FieldError::invalid(&at, q(sp), Msg::new("must be a relative path", "상대 경로여야 합니다"))
                        .at(p.child("subPath")),
                );
            }
            if sp.split('/').any(|part| part == "..") {
                errs.push(
                    FieldError::invalid(&at, q(sp), Msg::new("must not contain '..'", "'..'를 포함할 수 없습니다"))
                        .at(p.child("subPath")),
                );
            }
        }
        if let Some(mp) = m.mount_propagation.as_deref() {
            if !matches!(mp, "None" | "HostToContainer" | "Bidirectional") {
                errs.push(FieldError::not_supported(
                    &p.child("mountPropagation"),
                    mp,
                    &["Bidirectional", "HostToContainer", "None"],
                ));
            }
        }
    }
    errs
}

/// `ValidateVolumes` + `validateVolumeSource` (the common sources in detail).
fn validate_volumes(volumes: &[Volume], path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, v) in volumes.iter().enumerate() {
        let p = path.index(i);
        // Upstream's order of volume types: the first one set counts, later ones are forbidden.
        let sources: [(&str, bool); 31] = [
            ("emptyDir", v.empty_dir.is_some()),
            ("hostPath", v.host_path.is_some()),
            ("gitRepo", v.git_repo.is_some()),
            ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
            ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
            ("secret", v.secret.is_some()),
            ("nfs", v.nfs.is_some()),
            ("iscsi", v.iscsi.is_some()),
            ("glusterfs", v.glusterfs.is_some()),
            ("flocker", v.flocker.is_some()),
            ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
            ("rbd", v.rbd.is_some()),
            ("flexVolume", v.flex_volume.is_some()),
            ("cinder", v.cinder.is_some()),
            ("cephfs", v.cephfs.is_some()),
            ("downwardAPI", v.downward_api.is_some()),
            ("fc", v.fc.is_some()),
            ("azureFile", v.azure_file.is_some()),
            ("vsphereVolume", v.vsphere_volume.is_some()),
            ("quobyte", v.quobyte.is_some()),
            ("azureDisk", v.azure_disk.is_some()),
            ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
            ("projected", v.projected.is_some()),
            ("portworxVolume", v.portworx_volume.is_some()),
            ("scaleIO", v.scale_io.is_some()),
            ("storageos", v.storageos.is_some()),
            ("configMap", v.config_map.is_some()),
            ("csi", v.csi.is_some()),
            ("ephemeral", v.ephemeral.is_some()),
            ("image", v.image.is_some()),
            ("", false),
        ];
        let mut count = 0;
        for (name, set) in sources {
            if !set {
                continue;
            }
            count += 1;
            if count > 1 {
                errs.push(FieldError::forbidden(
                    &p.child(name),
                    Msg::new("may not specify more than 1 volume type", "볼륨 종류는 하나만 지정할 수 있습니다"),
                ));
            }
        }
        if count == 0 {
            errs.push(FieldError::required(
                &p,
                Msg::new(
                    "must specify a volume type",
                    "볼륨 종류(emptyDir, configMap, secret, persistentVolumeClaim, hostPath 등)를 지정해야 합니다",
                ),
            ));
        }
        if let Some(h) = &v.host_path {
            if h.path.is_empty() {
                errs.push(FieldError::required(&p.child("hostPath").child("path"), Msg::none()));
            }
            if let Some(t) = h.type_.as_deref().filter(|t| !t.is_empty()) {
                const TYPES: &[&str] = &[
                    "",
                    "BlockDevice",
                    "CharDevice",
                    "Directory",
                    "DirectoryOrCreate",
                    "File",
                    "FileOrCreate",
                    "Socket",
                ];
                if !TYPES.contains(&t) {
                    errs.push(FieldError::not_supported(&p.child("hostPath").child("type"), t, TYPES));
                }
            }
        }
        if let Some(s) = &v.secret {
            if s.secret_name.as_deref().unwrap_or("").is_empty() {
                errs.push(FieldError::required(&p.child("secret").child("secretName"), Msg::none()));
            }
            errs.extend(default_mode(s.default_mode, &p.child("secret").child("defaultMode")));
        }
        if let Some(c) = &v.config_map {
            if c.name.is_empty() {
                errs.push(FieldError::required(&p.child("configMap").child("name"), Msg::none()));
            }
            errs.extend(default_mode(c.default_mode, &p.child("configMap").child("defaultMode")));
        }
        if let Some(c) = &v.persistent_volume_claim {
            if c.claim_name.is_empty() {
                errs.push(FieldError::required(&p.child("persistentVolumeClaim").child("claimName"), Msg::none()));
            }
        }
        if let Some(n) = &v.nfs {
            if n.server.is_empty() {
                errs.push(FieldError::required(&p.child("nfs").child("server"), Msg::none()));
            }
            if n.path.is_empty() {
                errs.push(FieldError::required(&p.child("nfs").child("path"), Msg::none()));
            } else if !n.path.starts_with('/') {
                errs.push(FieldError::invalid(
                    &p.child("nfs").child("path"),
                    q(&n.path),
                    Msg::new("must be an absolute path", "절대 경로여야 합니다"),
                ));
            }
        }
        if let Some(e) = &v.empty_dir {
            if let Some(limit) = &e.size_limit {
                if crate::quantity::parse(&limit.0).is_ok_and(|q| q.0 < 0) {
                    errs.push(FieldError::forbidden(
                        &p.child("emptyDir").child("sizeLimit"),
                        Msg::new(
                            "SizeLimit field must be a valid resource quantity",
                            "sizeLimit은 0 이상의 수량이어야 합니다",
                        ),
                    ));
                }
            }
        }
        let name_path = p.child("name");
        if v.name.is_empty() {
            errs.push(FieldError::required(&name_path, Msg::none()));
        } else {
            for m in names::dns1123_label(&v.name) {
                errs.push(FieldError::invalid(&name_path, q(&v.name), m));
            }
        }
        if !seen.insert(v.name.as_str()) {
            errs.push(FieldError::duplicate(&name_path, q(&v.name)));
        }
    }
    errs
}

fn default_mode(mode: Option<i32>, path: &Path) -> Vec<FieldError> {
    match mode {
        Some(m) if !(0..=0o777).contains(&m) => vec![FieldError::invalid(
            path,
            m.to_string(),
            Msg::new(
                "must be a number between 0 and 0777 (octal), both inclusive",
                "0에서 0777(8진수) 사이의 수여야 합니다",
            ),
        )],
        _ => Vec::new(),
    }
}

/// `validateProbe`. Zero thresholds are defaulted upstream, so only negatives fail.
fn probe(p: Option<&Probe>, path: &Path, success_must_be_one: bool) -> Vec<FieldError> {
    let Some(p) = p else { return Vec::new() };
    let mut errs = handler(
        Handlers {
            exec: p.exec.as_ref(),
            http_get: p.http_get.as_ref(),
            tcp_socket: p.tcp_socket.as_ref(),
            grpc: p.grpc.as_ref().map(|g| g.port),
            sleep: None,
        },
        30,
        path,
    );
    for (field, v) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        if let Some(v) = v.filter(|&v| v < 0) {
            errs.push(FieldError::invalid(&path.child(field), v.to_string(), names::negative()));
        }
    }
    if success_must_be_one {
        if let Some(s) = p.success_threshold.filter(|&s| s > 1) {
            errs.push(FieldError::invalid(
                &path.child("successThreshold"),
                s.to_string(),
                Msg::new("must be 1", "livenessProbe와 startupProbe의 successThreshold는 1이어야 합니다"),
            ));
        }
    }
    if let Some(t) = p.termination_grace_period_seconds.filter(|&t| t <= 0) {
        errs.push(FieldError::invalid(
            &path.child("terminationGracePeriodSeconds"),
            t.to_string(),
            Msg::new("must be greater than 0", "0보다 커야 합니다"),
        ));
    }
    errs
}

fn lifecycle(l: &Lifecycle, grace: i64, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (field, h) in [("postStart", l.post_start.as_ref()), ("preStop", l.pre_stop.as_ref())] {
        let Some(h) = h else { continue };
        errs.extend(handler(lifecycle_handlers(h), grace, &path.child(field)));
    }
    errs
}

fn lifecycle_handlers(h: &LifecycleHandler) -> Handlers<'_> {
    Handlers {
        exec: h.exec.as_ref(),
        http_get: h.http_get.as_ref(),
        tcp_socket: h.tcp_socket.as_ref(),
        grpc: None,
        sleep: h.sleep.as_ref().map(|s| s.seconds),
    }
}

struct Handlers<'a> {
    exec: Option<&'a ExecAction>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_socket: Option<&'a TCPSocketAction>,
    grpc: Option<i32>,
    sleep: Option<i64>,
}

/// `validateHandler`: exactly one handler, each checked.
fn handler(h: Handlers<'_>, grace: i64, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut n = 0;
    let mut one = |field: &str, errs: &mut Vec<FieldError>| -> bool {
        if n > 0 {
            errs.push(FieldError::forbidden(
                &path.child(field),
                Msg::new("may not specify more than 1 handler type", "핸들러는 한 종류만 지정할 수 있습니다"),
            ));
            false
        } else {
            n += 1;
            true
        }
    };
    if let Some(e) = h.exec {
        if one("exec", &mut errs) && e.command.as_ref().is_none_or(|c| c.is_empty()) {
            errs.push(FieldError::required(&path.child("exec").child("command"), Msg::none()));
        }
    }
    if let Some(g) = h.http_get {
        if one("httpGet", &mut errs) {
            let p = path.child("httpGet");
            errs.extend(port_num_or_name(&g.port, &p.child("port")));
            if let Some(s) = g.scheme.as_deref().filter(|s| !s.is_empty()) {
                if !matches!(s, "HTTP" | "HTTPS") {
                    errs.push(FieldError::not_supported(&p.child("scheme"), s, &["HTTP", "HTTPS"]));
                }
            }
            for hdr in g.http_headers.iter().flatten() {
                for m in names::http_header_name(&hdr.name) {
                    errs.push(FieldError::invalid(&p.child("httpHeaders"), q(&hdr.name), m));
                }
            }
        }
    }
    if let Some(t) = h.tcp_socket {
        if one("tcpSocket", &mut errs) {
            errs.extend(port_num_or_name(&t.port, &path.child("tcpSocket").child("port")));
        }
    }
    if let Some(port) = h.grpc {
        if one("grpc", &mut errs) {
            for m in names::port_num(port.into()) {
                errs.push(FieldError::invalid(&path.child("grpc").child("port"), port.to_string(), m));
            }
        }
    }
    if let Some(secs) = h.sleep {
        if one("sleep", &mut errs) {
            let p = path.child("sleep").child("seconds");
            if secs < 0 {
                errs.push(FieldError::invalid(
                    &p,
                    secs.to_string(),
                    Msg::new("must be non-negative", "0 이상이어야 합니다"),
                ));
            } else if secs > grace {
                errs.push(FieldError::invalid(
                    &p,
                    secs.to_string(),
                    Msg::new(
                        format!("must be less than terminationGracePeriodSeconds ({grace})"),
                        format!("terminationGracePeriodSeconds({grace})보다 작아야 합니다"),
                    ),
                ));
            }
        }
    }
    if n == 0 {
        errs.push(FieldError::required(
            path,
            Msg::new(
                "must specify a handler type",
                "핸들러(exec, httpGet, tcpSocket, grpc 등) 중 하나를 지정해야 합니다",
            ),
        ));
    }
    errs
}

/// `ValidatePortNumOrName`.
pub fn port_num_or_name(port: &IntOrString, path: &Path) -> Vec<FieldError> {
    match port {
        IntOrString::Int(i) => {
            names::port_num((*i).into()).into_iter().map(|m| FieldError::invalid(path, i.to_string(), m)).collect()
        }
        IntOrString::String(s) => names::port_name(s).into_iter().map(|m| FieldError::invalid(path, q(s), m)).collect(),
    }
}

/// `ValidateTolerations`.
fn toleration(t: &Toleration, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let key = t.key.as_deref().unwrap_or("");
    let op = t.operator.as_deref().unwrap_or("");
    if !key.is_empty() {
        for m in names::qualified_name(key) {
            errs.push(FieldError::invalid(&path.child("key"), q(key), m));
        }
    }
    if key.is_empty() && op != "Exists" {
        errs.push(FieldError::invalid(
            &path.child("operator"),
            q(op),
            Msg::new(
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                "key가 비어 있으면 operator는 Exists여야 합니다 (\"모든 키와 값에 일치\")",
            ),
        ));
    }
    if t.toleration_seconds.is_some() && t.effect.as_deref() != Some("NoExecute") {
        errs.push(FieldError::invalid(
            &path.child("effect"),
            q(t.effect.as_deref().unwrap_or("")),
            Msg::new(
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
                "tolerationSeconds를 쓰려면 effect가 'NoExecute'여야 합니다",
            ),
        ));
    }
    match op {
        "" | "Equal" => {
            for m in names::label_value(t.value.as_deref().unwrap_or("")) {
                errs.push(FieldError::invalid(&path.child("operator"), q(t.value.as_deref().unwrap_or("")), m));
            }
        }
        "Exists" => {
            if !t.value.as_deref().unwrap_or("").is_empty() {
                errs.push(FieldError::invalid(
                    &path.child("operator"),
                    q(t.value.as_deref().unwrap_or("")),
                    Msg::new(
                        "value must be empty when `operator` is 'Exists'",
                        "operator가 'Exists'이면 value는 비어 있어야 합니다",
                    ),
                ));
            }
        }
        other => errs.push(FieldError::not_supported(&path.child("operator"), other, &["Equal", "Exists"])),
    }
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        if !matches!(e, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            errs.push(FieldError::not_supported(
                &path.child("effect"),
                e,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            ));
        }
    }
    errs
}

/// `validateAffinity`.
fn affinity(a: &Affinity, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(na) = &a.node_affinity {
        let p = path.child("nodeAffinity");
        if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
            let rp = p.child("requiredDuringSchedulingIgnoredDuringExecution").child("nodeSelectorTerms");
            if req.node_selector_terms.is_empty() {
                errs.push(FieldError::required(
                    &rp,
                    Msg::new(
                        "must have at least one node selector term",
                        "nodeSelectorTerms가 하나 이상 있어야 합니다",
                    ),
                ));
            }
            for (i, t) in req.node_selector_terms.iter().enumerate() {
                errs.extend(node_selector_term(t, &rp.index(i)));
            }
        }
        for (i, t) in na.preferred_during_scheduling_ignored_during_execution.iter().flatten().enumerate() {
            let tp = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
            errs.extend(weight(t.weight, &tp.child("weight")));
            errs.extend(node_selector_term(&t.preference, &tp.child("preference")));
        }
    }
    for (field, pa) in [
        (
            "podAffinity",
            a.pod_affinity.as_ref().map(|x| {
                (
                    &x.required_during_scheduling_ignored_during_execution,
                    &x.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
        (
            "podAntiAffinity",
            a.pod_anti_affinity.as_ref().map(|x| {
                (
                    &x.required_during_scheduling_ignored_during_execution,
                    &x.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
    ] {
        let Some((req, pref)) = pa else { continue };
        let p = path.child(field);
        for (i, t) in req.iter().flatten().enumerate() {
            errs.extend(pod_affinity_term(t, &p.child("requiredDuringSchedulingIgnoredDuringExecution").index(i)));
        }
        for (i, t) in pref.iter().flatten().enumerate() {
            let tp = p.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
            errs.extend(weight(t.weight, &tp.child("weight")));
            errs.extend(pod_affinity_term(&t.pod_affinity_term, &tp.child("podAffinityTerm")));
        }
    }
    errs
}

fn weight(w: i32, path: &Path) -> Vec<FieldError> {
    if (1..=100).contains(&w) {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            w.to_string(),
            Msg::new("must be in the range 1-100", "1에서 100 사이여야 합니다"),
        )]
    }
}

fn node_selector_term(t: &NodeSelectorTerm, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (field, reqs) in [("matchExpressions", &t.match_expressions), ("matchFields", &t.match_fields)] {
        for (i, r) in reqs.iter().flatten().enumerate() {
            let p = path.child(field).index(i);
            let values = r.values.as_deref().unwrap_or(&[]);
            match r.operator.as_str() {
                "In" | "NotIn" => {
                    if values.is_empty() {
                        errs.push(FieldError::required(
                            &p.child("values"),
                            Msg::new(
                                "must be specified when `operator` is 'In' or 'NotIn'",
                                "operator가 'In'이나 'NotIn'이면 values가 있어야 합니다",
                            ),
                        ));
                    }
                }
                "Exists" | "DoesNotExist" => {
                    if !values.is_empty() {
                        errs.push(FieldError::forbidden(
                            &p.child("values"),
                            Msg::new(
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                                "operator가 'Exists'나 'DoesNotExist'이면 values를 쓸 수 없습니다",
                            ),
                        ));
                    }
                }
                "Gt" | "Lt" => {
                    if values.len() != 1 {
                        errs.push(FieldError::required(
                            &p.child("values"),
                            Msg::new(
                                "must be specified single value when `operator` is 'Lt' or 'Gt'",
                                "operator가 'Lt'나 'Gt'이면 값을 하나만 써야 합니다",
                            ),
                        ));
                    }
                }
                op => errs.push(FieldError::not_supported(
                    &p.child("operator"),
                    op,
                    &["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
                )),
            }
            if field == "matchExpressions" {
                for m in names::qualified_name(&r.key) {
                    errs.push(FieldError::invalid(&p.child("key"), q(&r.key), m));
                }
            }
        }
    }
    errs
}

fn pod_affinity_term(t: &PodAffinityTerm, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(sel) = &t.label_selector {
        errs.extend(labels::label_selector(sel, &path.child("labelSelector")));
    }
    if let Some(sel) = &t.namespace_selector {
        errs.extend(labels::label_selector(sel, &path.child("namespaceSelector")));
    }
    for (i, ns) in t.namespaces.iter().flatten().enumerate() {
        for m in names::dns1123_label(ns) {
            errs.push(FieldError::invalid(&path.child("namespaces").index(i), q(ns), m));
        }
    }
    if t.topology_key.is_empty() {
        errs.push(FieldError::required(
            &path.child("topologyKey"),
            Msg::new("can not be empty", "비어 있으면 안 됩니다"),
        ));
    } else {
        for m in names::qualified_name(&t.topology_key) {
            errs.push(FieldError::invalid(&path.child("topologyKey"), q(&t.topology_key), m));
        }
    }
    errs
}

/// For workload messages: the template's labels as upstream prints them.
pub fn template_labels(t: &PodTemplateSpec) -> String {
    go_map(t.metadata.as_ref().and_then(|m| m.labels.as_ref()))
}

/// The template's labels.
pub fn labels_of(t: &PodTemplateSpec) -> Option<&BTreeMap<String, String>> {
    t.metadata.as_ref().and_then(|m| m.labels.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ContainerPort, EnvVarSource, ObjectFieldSelector};

    fn container(name: &str, image: &str) -> Container {
        Container { name: name.into(), image: (!image.is_empty()).then(|| image.into()), ..Default::default() }
    }

    fn msgs(spec: &PodSpec) -> Vec<String> {
        pod_spec(spec, &Path::new("spec")).iter().map(FieldError::message).collect()
    }

    #[test]
    fn containers_required_and_named_uniquely() {
        assert_eq!(msgs(&PodSpec::default()), ["spec.containers: Required value"]);
        let spec = PodSpec {
            containers: vec![container("web", "nginx"), container("web", "")],
            init_containers: Some(vec![container("web", "busybox")]),
            ..Default::default()
        };
        assert_eq!(
            msgs(&spec),
            [
                "spec.containers[1].name: Duplicate value: \"web\"",
                "spec.containers[1].image: Required value",
                "spec.initContainers[0].name: Duplicate value: \"web\"",
            ]
        );
    }

    #[test]
    fn ports() {
        let mut c = container("web", "nginx");
        c.ports = Some(vec![
            ContainerPort { container_port: 70000, name: Some("HTTP".into()), ..Default::default() },
            ContainerPort { container_port: 80, protocol: Some("HTTP".into()), ..Default::default() },
            ContainerPort::default(),
        ]);
        let m = msgs(&PodSpec { containers: vec![c], ..Default::default() });
        assert_eq!(m.len(), 5, "{m:#?}");
        assert!(m.contains(
            &"spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
                .to_string()
        ));
        assert!(m.contains(&"spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"".to_string()));
        assert!(m.contains(&"spec.containers[0].ports[2].containerPort: Required value".to_string()));
    }

    #[test]
    fn probes_need_exactly_one_handler() {
        let mut c = container("web", "nginx");
        c.liveness_probe =
            Some(Probe { initial_delay_seconds: Some(-1), success_threshold: Some(2), ..Default::default() });
        c.readiness_probe = Some(Probe {
            exec: Some(ExecAction { command: Some(vec!["true".into()]) }),
            tcp_socket: Some(TCPSocketAction { port: IntOrString::Int(80), host: None }),
            ..Default::default()
        });
        let m = msgs(&PodSpec { containers: vec![c], ..Default::default() });
        assert_eq!(
            m,
            [
                "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                "spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
            ]
        );
    }

    #[test]
    fn init_containers_cannot_have_probes_unless_sidecars() {
        let mut c = container("init", "busybox");
        c.readiness_probe =
            Some(Probe { exec: Some(ExecAction { command: Some(vec!["true".into()]) }), ..Default::default() });
        let mut spec = PodSpec {
            containers: vec![container("web", "nginx")],
            init_containers: Some(vec![c]),
            ..Default::default()
        };
        assert_eq!(
            msgs(&spec),
            ["spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"]
        );
        spec.init_containers.as_mut().unwrap()[0].restart_policy = Some("Always".into());
        assert!(msgs(&spec).is_empty());
    }

    #[test]
    fn restart_policy_and_env() {
        let mut c = container("web", "nginx");
        c.env = Some(vec![
            EnvVar { name: "A=B".into(), ..Default::default() },
            EnvVar {
                name: "NODE".into(),
                value_from: Some(EnvVarSource {
                    field_ref: Some(ObjectFieldSelector { field_path: "spec.node".into(), api_version: None }),
                    ..Default::default()
                }),
                ..Default::default()
            },
            EnvVar {
                name: "APP".into(),
                value_from: Some(EnvVarSource {
                    field_ref: Some(ObjectFieldSelector {
                        field_path: "metadata.labels['app']".into(),
                        api_version: None,
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ]);
        let m = msgs(&PodSpec { containers: vec![c], restart_policy: Some("Sometimes".into()), ..Default::default() });
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(m[0].starts_with("spec.containers[0].env[0].name: Invalid value: \"A=B\""));
        assert!(m[1]
            .starts_with("spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.node\""));
        assert_eq!(m[2], "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
    }

    #[test]
    fn volumes_and_mounts() {
        let mut c = container("web", "nginx");
        c.volume_mounts = Some(vec![
            VolumeMount { name: "data".into(), mount_path: "/data".into(), ..Default::default() },
            VolumeMount { name: "missing".into(), mount_path: "/data".into(), ..Default::default() },
        ]);
        let spec = PodSpec {
            containers: vec![c],
            volumes: Some(vec![
                Volume { name: "data".into(), empty_dir: Some(Default::default()), ..Default::default() },
                Volume { name: "data".into(), ..Default::default() },
            ]),
            ..Default::default()
        };
        assert_eq!(
            msgs(&spec),
            [
                "spec.volumes[1]: Required value: must specify a volume type",
                "spec.volumes[1].name: Duplicate value: \"data\"",
                "spec.containers[0].volumeMounts[1].name: Not found: \"missing\"",
                "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
            ]
        );
    }

    #[test]
    fn lifecycle_exec_needs_a_command() {
        let mut c = container("web", "nginx");
        c.lifecycle = Some(Lifecycle {
            post_start: Some(LifecycleHandler {
                exec: Some(ExecAction { command: Some(vec![]) }),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(
            msgs(&PodSpec { containers: vec![c], ..Default::default() }),
            ["spec.containers[0].lifecycle.postStart.exec.command: Required value"]
        );
    }

    #[test]
    fn tolerations() {
        let spec = PodSpec {
            containers: vec![container("web", "nginx")],
            tolerations: Some(vec![
                Toleration {
                    key: Some("k".into()),
                    operator: Some("Exists".into()),
                    value: Some("v".into()),
                    ..Default::default()
                },
                Toleration {
                    operator: Some("Equal".into()),
                    effect: Some("NoSchedule".into()),
                    toleration_seconds: Some(5),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let m = msgs(&spec);
        assert_eq!(m.len(), 3, "{m:#?}");
    }
}
