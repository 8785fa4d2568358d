//! `kubectl describe`, following k8s.io/kubectl/pkg/describe/describe.go (v0.35): `describePod`,
//! `describeNode`, `describeNamespace`, the generic describer (used for events) and
//! `DescribeEvents`. Output goes through the same Go tabwriter settings (`tabbedString`:
//! minwidth 0, padding 2) and `PrefixWriter` (two spaces per level, terminal escaping).
//!
//! Everything here is a pure function of the objects and `Now`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, Event, Namespace, Node, Pod, Probe, ResourceRequirements, Toleration,
    Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, MicroTime, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::gosort;
use super::printers::Now;
use super::resource::Qty;
use super::tabwriter::TabWriter;

mod workloads;
pub use workloads::{describe_deployment, describe_job, describe_pod_template};

/// describe.go's `PrefixWriter` over `tabbedString`'s tabwriter.
struct PrefixWriter {
    tw: TabWriter,
}

impl PrefixWriter {
    fn new() -> Self {
        PrefixWriter { tw: TabWriter::for_describe() }
    }
    /// `Write(level, ...)`: the text (already formatted) after two spaces per level.
    fn w(&mut self, level: usize, text: &str) {
        let mut s = "  ".repeat(level);
        s.push_str(text);
        self.tw.write_str(&escape_terminal(&s));
    }
    /// `WriteLine(...)`: the text and a newline.
    fn line(&mut self, text: &str) {
        self.tw.write_str(&escape_terminal(&format!("{text}\n")));
    }
    fn flush(&mut self) {
        self.tw.flush();
    }
    fn finish(self) -> String {
        self.tw.finish()
    }
}

/// cli-runtime printers.WriteEscaped: ESC and CR are made visible.
fn escape_terminal(s: &str) -> String {
    if !s.contains(['\u{1b}', '\r']) {
        return s.to_string();
    }
    s.replace('\u{1b}', "^[").replace('\r', "\\r")
}

const ZERO_TIME: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

/// `t.Format(time.RFC1123Z)` in UTC (what kubectl prints with TZ=UTC); the zero time for `None`.
pub fn rfc1123z(t: Option<&Time>) -> String {
    match t {
        None => ZERO_TIME.into(),
        Some(t) => format_ts(t.0),
    }
}

fn format_ts(ts: k8s_openapi::jiff::Timestamp) -> String {
    k8s_openapi::jiff::fmt::strtime::format("%a, %d %b %Y %H:%M:%S +0000", ts).unwrap_or_else(|_| ZERO_TIME.into())
}

/// translateTimestampSince: HumanDuration of the age, `<unknown>` for the zero time.
fn since(now: Now, t: Option<&Time>) -> String {
    now.since(t)
}

fn since_micro(now: Now, t: Option<&MicroTime>) -> String {
    now.since_micro(t)
}

fn s(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or("")
}

fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

// ---------------------------------------------------------------------------------------------
// Shared blocks

/// printLabelsMultiline / printLabelsMultilineWithIndent.
fn print_labels(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    inner: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    w.w(0, &format!("{initial_indent}{title}:{inner}"));
    let labels = match labels {
        Some(l) if !l.is_empty() => l,
        _ => {
            w.line("<none>");
            return;
        }
    };
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.w(0, initial_indent);
            w.w(0, inner);
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

const MAX_ANNOTATION_LEN: usize = 140;

/// printAnnotationsMultiline (skips kubectl's last-applied-configuration).
fn print_annotations(w: &mut PrefixWriter, title: &str, annotations: Option<&BTreeMap<String, String>>) {
    w.w(0, &format!("{title}:\t"));
    let keys: Vec<(&String, &String)> = annotations
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    let indent = "\t";
    for (i, (k, v)) in keys.into_iter().enumerate() {
        if i != 0 {
            w.w(0, indent);
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.w(0, &format!("{k}:\n"));
            for line in value.split('\n') {
                w.w(0, &format!("{indent}  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.w(0, &format!("{k}: {value}\n"));
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

/// printPodTolerationsMultiline.
fn print_tolerations(w: &mut PrefixWriter, title: &str, tolerations: &[Toleration]) {
    w.w(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    gosort::sort(&mut sorted, |a, b| s(&a.key) < s(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let mut line = s(&t.key).to_string();
        if !s(&t.value).is_empty() {
            line.push('=');
            line.push_str(s(&t.value));
        }
        if !s(&t.effect).is_empty() {
            line.push(':');
            line.push_str(s(&t.effect));
        }
        if s(&t.operator) == "Exists" && s(&t.value).is_empty() {
            if !s(&t.key).is_empty() || !s(&t.effect).is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if let Some(secs) = t.toleration_seconds {
            line.push_str(&format!(" for {secs}s"));
        }
        line.push('\n');
        w.w(0, &line);
    }
}

/// describeResources: `Limits:` / `Requests:` with sorted resource names.
fn describe_resources(w: &mut PrefixWriter, r: Option<&ResourceRequirements>, level: usize) {
    let Some(r) = r else { return };
    for (title, list) in [("Limits", &r.limits), ("Requests", &r.requests)] {
        let Some(list) = list.as_ref().filter(|l| !l.is_empty()) else {
            continue;
        };
        w.w(level, &format!("{title}:\n"));
        for (name, q) in list {
            w.w(level + 1, &format!("{name}:\t{}\n", qty_string(q)));
        }
    }
}

fn qty_string(q: &Quantity) -> String {
    super::resource::canonical_str(&q.0)
}

/// DescribeEvents: sorted by lastTimestamp (Go's unstable sort), with `(xN over T)` for
/// repeated events and, since kubectl 1.35, the field path before the message.
fn describe_events(w: &mut PrefixWriter, events: &[&Event], now: Now) {
    if events.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted: Vec<&Event> = events.to_vec();
    let key = |e: &Event| e.last_timestamp.as_ref().map(|t| t.0.as_second()).unwrap_or(i64::MIN);
    gosort::sort(&mut sorted, |a, b| key(a) < key(b));
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let first = match &e.event_time {
            Some(t) => since_micro(now, Some(t)),
            None => since(now, e.first_timestamp.as_ref()),
        };
        let count = e.count.unwrap_or(0);
        let interval = if let Some(series) = &e.series {
            format!(
                "{} (x{} over {})",
                since_micro(now, series.last_observed_time.as_ref()),
                series.count.unwrap_or(0),
                first
            )
        } else if count > 1 {
            format!("{} (x{} over {})", since(now, e.last_timestamp.as_ref()), count, first)
        } else {
            first
        };
        let mut source = e.source.as_ref().map(|src| s(&src.component).to_string()).unwrap_or_default();
        if source.is_empty() {
            source = s(&e.reporting_component).to_string();
        }
        let mut message = s(&e.message).trim().to_string();
        let field_path = s(&e.involved_object.field_path);
        if !field_path.is_empty() {
            message = format!("{field_path}: {message}");
        }
        w.w(1, &format!("{}\t{}\t{}\t{}\t{}\n", s(&e.type_), s(&e.reason), interval, source, message));
    }
}

// ---------------------------------------------------------------------------------------------
// Pods

/// describePod. `events` is `None` with `--show-events=false`.
pub fn describe_pod(pod: &Pod, events: Option<&[&Event]>, now: Now) -> String {
    let mut w = PrefixWriter::new();
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    w.w(0, &format!("Name:\t{}\n", s(&meta.name)));
    w.w(0, &format!("Namespace:\t{}\n", s(&meta.namespace)));
    if let Some(p) = spec.priority {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    if !s(&spec.priority_class_name).is_empty() {
        w.w(0, &format!("Priority Class Name:\t{}\n", s(&spec.priority_class_name)));
    }
    if !s(&spec.runtime_class_name).is_empty() {
        w.w(0, &format!("Runtime Class Name:\t{}\n", s(&spec.runtime_class_name)));
    }
    if !s(&spec.service_account_name).is_empty() {
        w.w(0, &format!("Service Account:\t{}\n", s(&spec.service_account_name)));
    }
    if s(&spec.node_name).is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(0, &format!("Node:\t{}/{}\n", s(&spec.node_name), s(&status.host_ip)));
    }
    if let Some(t) = &status.start_time {
        w.w(0, &format!("Start Time:\t{}\n", rfc1123z(Some(t))));
    }
    print_labels(&mut w, "", "Labels", "\t", meta.labels.as_ref());
    print_annotations(&mut w, "Annotations", meta.annotations.as_ref());
    let phase = s(&status.phase);
    if meta.deletion_timestamp.is_some() && phase != "Failed" && phase != "Succeeded" {
        w.w(0, &format!("Status:\tTerminating (lasts {})\n", since(now, meta.deletion_timestamp.as_ref())));
        w.w(0, &format!("Termination Grace Period:\t{}s\n", meta.deletion_grace_period_seconds.unwrap_or(0)));
    } else {
        w.w(0, &format!("Status:\t{phase}\n"));
    }
    if !s(&status.reason).is_empty() {
        w.w(0, &format!("Reason:\t{}\n", s(&status.reason)));
    }
    if !s(&status.message).is_empty() {
        w.w(0, &format!("Message:\t{}\n", s(&status.message)));
    }
    if let Some(p) = spec.security_context.as_ref().and_then(|c| c.seccomp_profile.as_ref()) {
        w.w(0, &format!("SeccompProfile:\t{}\n", p.type_));
        if p.type_ == "Localhost" {
            w.w(0, &format!("LocalhostProfile:\t{}\n", s(&p.localhost_profile)));
        }
    }
    w.w(0, &format!("IP:\t{}\n", s(&status.pod_ip)));
    match status.pod_ips.as_ref().filter(|ips| !ips.is_empty()) {
        None => w.w(0, "IPs:\t<none>\n"),
        Some(ips) => {
            w.w(0, "IPs:\n");
            for ip in ips {
                w.w(1, &format!("IP:\t{}\n", ip.ip));
            }
        }
    }
    if let Some(c) = meta.owner_references.iter().flatten().find(|r| r.controller == Some(true)) {
        w.w(0, &format!("Controlled By:\t{}/{}\n", c.kind, c.name));
    }
    if !s(&status.nominated_node_name).is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{}\n", s(&status.nominated_node_name)));
    }
    if let Some(r) = &spec.resources {
        w.w(0, "Resources:\n");
        describe_resources(&mut w, Some(r), 1);
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        describe_containers(
            &mut w,
            "Init Containers",
            init,
            status.init_container_statuses.as_deref().unwrap_or(&[]),
            pod,
            "",
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        &spec.containers,
        status.container_statuses.as_deref().unwrap_or(&[]),
        pod,
        "",
    );
    if let Some(eph) = spec.ephemeral_containers.as_ref().filter(|c| !c.is_empty()) {
        let as_containers: Vec<Container> = eph
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .filter_map(|v| crate::manifest::from_json(&v).ok())
            .collect();
        describe_containers(
            &mut w,
            "Ephemeral Containers",
            &as_containers,
            status.ephemeral_container_statuses.as_deref().unwrap_or(&[]),
            pod,
            "",
        );
    }
    let conditions = status.conditions.clone().unwrap_or_default();
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let st = conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map(|c| c.status.clone())
                .unwrap_or_else(|| "<none>".into());
            w.w(1, &format!("{} \t{} \n", g.condition_type, st));
        }
    }
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in &conditions {
            w.w(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    describe_volumes(&mut w, spec.volumes.as_deref().unwrap_or(&[]), "");
    let qos = status.qos_class.clone().filter(|q| !q.is_empty()).unwrap_or_else(|| compute_pod_qos(pod).to_string());
    w.w(0, &format!("QoS Class:\t{qos}\n"));
    print_labels(&mut w, "", "Node-Selectors", "\t", spec.node_selector.as_ref());
    print_tolerations(&mut w, "Tolerations", spec.tolerations.as_deref().unwrap_or(&[]));
    if let Some(tscs) = spec.topology_spread_constraints.as_ref().filter(|t| !t.is_empty()) {
        let mut sorted: Vec<_> = tscs.iter().collect();
        gosort::sort(&mut sorted, |a, b| a.topology_key < b.topology_key);
        w.w(0, "Topology Spread Constraints:\t");
        for (i, t) in sorted.into_iter().enumerate() {
            if i != 0 {
                w.w(0, "\t");
            }
            let mut line =
                format!("{}:{} when max skew {} is exceeded", t.topology_key, t.when_unsatisfiable, t.max_skew);
            if let Some(sel) = &t.label_selector {
                line.push_str(&format!(" for selector {}", format_label_selector(sel)));
            }
            line.push('\n');
            w.w(0, &line);
        }
    }
    if let Some(wr) = &spec.workload_ref {
        w.w(0, "WorkloadRef:\n");
        w.w(1, &format!("Name:\t{}\n", wr.name));
        w.w(1, &format!("PodGroup:\t{}\n", wr.pod_group));
        if !s(&wr.pod_group_replica_key).is_empty() {
            w.w(1, &format!("PodGroupReplicaKey:\t{}\n", s(&wr.pod_group_replica_key)));
        }
    }
    if let Some(events) = events {
        describe_events(&mut w, events, now);
    }
    w.finish()
}

/// describeContainers; `space` indents the block inside a pod template (`"  "`).
fn describe_containers(
    w: &mut PrefixWriter,
    label: &str,
    containers: &[Container],
    statuses: &[ContainerStatus],
    pod: &Pod,
    space: &str,
) {
    let by_name: BTreeMap<&str, &ContainerStatus> = statuses.iter().map(|s| (s.name.as_str(), s)).collect();
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = by_name.get(c.name.as_str()).copied();
        w.w(1, &format!("{name_indent}{}:\n", c.name));
        if let Some(st) = status {
            w.w(2, &format!("Container ID:\t{}\n", s(&st.container_id)));
        }
        w.w(2, &format!("Image:\t{}\n", s(&c.image)));
        if let Some(st) = status {
            w.w(2, &format!("Image ID:\t{}\n", st.image_id));
        }
        let ports = c.ports.as_deref().unwrap_or(&[]);
        let fmt_ports = |host: bool| {
            ports
                .iter()
                .map(|p| {
                    let n = if host { p.host_port.unwrap_or(0) } else { p.container_port };
                    let mut s = format!("{n}/{}", s(&p.protocol));
                    if !s_opt(&p.name).is_empty() {
                        s = format!("{s} ({})", s_opt(&p.name));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let port_string = fmt_ports(false);
        if port_string.contains(',') {
            w.w(2, &format!("Ports:\t{port_string}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", or_none(&port_string)));
        }
        let host_string = fmt_ports(true);
        if host_string.contains(',') {
            w.w(2, &format!("Host Ports:\t{host_string}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", or_none(&host_string)));
        }
        if let Some(p) = c.security_context.as_ref().and_then(|sc| sc.seccomp_profile.as_ref()) {
            w.w(2, &format!("SeccompProfile:\t{}\n", p.type_));
            if p.type_ == "Localhost" {
                w.w(3, &format!("LocalhostProfile:\t{}\n", s(&p.localhost_profile)));
            }
        }
        for (title, list) in [("Command", &c.command), ("Args", &c.args)] {
            if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
                w.w(2, &format!("{title}:\n"));
                for item in list {
                    for line in item.split('\n') {
                        w.w(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(st) = status {
            let state = st.state.clone().unwrap_or_default();
            describe_status(w, "State", &state);
            let last = st.last_state.clone().unwrap_or_default();
            if last.terminated.is_some() {
                describe_status(w, "Last State", &last);
            }
            w.w(2, &format!("Ready:\t{}\n", print_bool(st.ready)));
            w.w(2, &format!("Restart Count:\t{}\n", st.restart_count));
        }
        describe_resources(w, Some(&c.resources.clone().unwrap_or_default()), 2);
        for (title, probe) in
            [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)]
        {
            if let Some(p) = probe {
                w.w(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        if let Some(env_from) = c.env_from.as_ref().filter(|e| !e.is_empty()) {
            w.w(2, "Environment Variables from:\n");
            for e in env_from {
                let (from, name, optional) = if let Some(r) = &e.config_map_ref {
                    ("ConfigMap", r.name.clone(), r.optional == Some(true))
                } else if let Some(r) = &e.secret_ref {
                    ("Secret", r.name.clone(), r.optional == Some(true))
                } else {
                    ("", String::new(), false)
                };
                if s(&e.prefix).is_empty() {
                    w.w(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
                } else {
                    w.w(3, &format!("{name}\t{from} with prefix '{}'\tOptional: {optional}\n", s(&e.prefix)));
                }
            }
        }
        describe_env(w, c, pod);
        describe_mounts(w, c);
    }
}

fn s_opt(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or("")
}

fn or_none(v: &str) -> &str {
    if v.is_empty() {
        "<none>"
    } else {
        v
    }
}

/// describeStatus.
fn describe_status(w: &mut PrefixWriter, name: &str, state: &ContainerState) {
    if let Some(r) = &state.running {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(3, &format!("Started:\t{}\n", rfc1123z(r.started_at.as_ref())));
    } else if let Some(wt) = &state.waiting {
        w.w(2, &format!("{name}:\tWaiting\n"));
        if !s(&wt.reason).is_empty() {
            w.w(3, &format!("Reason:\t{}\n", s(&wt.reason)));
        }
    } else if let Some(t) = &state.terminated {
        w.w(2, &format!("{name}:\tTerminated\n"));
        if !s(&t.reason).is_empty() {
            w.w(3, &format!("Reason:\t{}\n", s(&t.reason)));
        }
        if !s(&t.message).is_empty() {
            w.w(3, &format!("Message:\t{}\n", s(&t.message)));
        }
        w.w(3, &format!("Exit Code:\t{}\n", t.exit_code));
        if t.signal.unwrap_or(0) > 0 {
            w.w(3, &format!("Signal:\t{}\n", t.signal.unwrap_or(0)));
        }
        w.w(3, &format!("Started:\t{}\n", rfc1123z(t.started_at.as_ref())));
        w.w(3, &format!("Finished:\t{}\n", rfc1123z(t.finished_at.as_ref())));
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// describeContainerEnvVars. Field references resolve only for metadata.name and
/// metadata.namespace: kubectl converts the field label with client-go's scheme, which knows no
/// others (its `EnvValueRetriever`), so e.g. `status.podIP` prints an empty value.
fn describe_env(w: &mut PrefixWriter, c: &Container, pod: &Pod) {
    let env = c.env.as_deref().unwrap_or(&[]);
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.w(2, &format!("Environment:{none}\n"));
    for e in env {
        let Some(from) = &e.value_from else {
            for (i, line) in s(&e.value).split('\n').enumerate() {
                if i == 0 {
                    w.w(3, &format!("{}:\t{line}\n", e.name));
                } else {
                    w.w(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            let value = match f.field_path.as_str() {
                "metadata.name" => s(&pod.metadata.name).to_string(),
                "metadata.namespace" => s(&pod.metadata.namespace).to_string(),
                _ => String::new(),
            };
            w.w(3, &format!("{}:\t{} ({}:{})\n", e.name, value, s(&f.api_version), f.field_path));
        } else if let Some(r) = &from.resource_field_ref {
            let mut value = container_resource_value(&r.resource, r.divisor.as_ref(), c).unwrap_or_default();
            if value == "0" && (r.resource == "limits.cpu" || r.resource == "limits.memory") {
                value = "node allocatable".into();
            }
            w.w(3, &format!("{}:\t{} ({})\n", e.name, value, r.resource));
        } else if let Some(r) = &from.secret_key_ref {
            w.w(
                3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    r.key,
                    r.name,
                    r.optional == Some(true)
                ),
            );
        } else if let Some(r) = &from.config_map_key_ref {
            w.w(
                3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    r.key,
                    r.name,
                    r.optional == Some(true)
                ),
            );
        }
    }
}

/// kubectl util/resource ExtractContainerResourceValue: ceil(value / divisor).
fn container_resource_value(resource: &str, divisor: Option<&Quantity>, c: &Container) -> Option<String> {
    let divisor = divisor
        .and_then(|d| Qty::parse(&d.0))
        .filter(|d| d.nano != 0)
        .unwrap_or(Qty { nano: 1_000_000_000, format: super::resource::Format::DecimalSI });
    let res = c.resources.clone().unwrap_or_default();
    let (list, name) = resource.split_once('.')?;
    let map = match list {
        "limits" => res.limits,
        "requests" => res.requests,
        _ => None,
    };
    let q = map.as_ref().and_then(|m| m.get(name)).and_then(|q| Qty::parse(&q.0)).unwrap_or_default();
    let v = match name {
        "cpu" => (q.milli() as f64 / divisor.milli() as f64).ceil(),
        "memory" | "ephemeral-storage" => (q.value() as f64 / divisor.value() as f64).ceil(),
        n if n.starts_with("hugepages-") => (q.value() as f64 / divisor.value() as f64).ceil(),
        _ => return None,
    };
    Some(go_int64(v).to_string())
}

/// Go's float64 → int64 conversion on amd64 (NaN and out-of-range give the minimum).
fn go_int64(f: f64) -> i64 {
    if f.is_finite() && f > -9.223372036854776e18 && f < 9.223372036854776e18 {
        f as i64
    } else {
        i64::MIN
    }
}

/// describeContainerVolumes.
fn describe_mounts(w: &mut PrefixWriter, c: &Container) {
    let mounts = c.volume_mounts.clone().unwrap_or_default();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.w(2, &format!("Mounts:{none}\n"));
    let mut mounts: Vec<_> = mounts.iter().collect();
    gosort::sort(&mut mounts, |a, b| a.mount_path < b.mount_path);
    for m in mounts {
        let mut flags = vec![if m.read_only == Some(true) { "ro".to_string() } else { "rw".to_string() }];
        if !s(&m.sub_path).is_empty() {
            flags.push(format!("path={}", go_quote(s(&m.sub_path))));
        }
        w.w(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
    }
    let devices = c.volume_devices.clone().unwrap_or_default();
    if !devices.is_empty() {
        w.w(2, &format!("Devices:{none}\n"));
        let mut devices: Vec<_> = devices.iter().collect();
        gosort::sort(&mut devices, |a, b| a.device_path < b.device_path);
        for d in devices {
            w.w(3, &format!("{} from {}\n", d.device_path, d.name));
        }
    }
}

/// Go's `%q` (strconv.Quote).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// DescribeProbe, e.g. `http-get http://:8080/healthz delay=3s timeout=1s period=3s #success=1
/// #failure=3`.
pub fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(0),
        p.period_seconds.unwrap_or(0),
        p.success_threshold.unwrap_or(0),
        p.failure_threshold.unwrap_or(0)
    );
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.clone().unwrap_or_default().join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = s(&h.scheme).to_lowercase();
        let port = int_or_string(&h.port);
        let host = if port.is_empty() { s(&h.host).to_string() } else { join_host_port(s(&h.host), &port) };
        return format!("http-get {} {attrs}", url_string(&scheme, &host, s(&h.path)));
    }
    if let Some(t) = &p.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", s(&t.host), int_or_string(&t.port));
    }
    if let Some(g) = &p.grpc {
        return format!("grpc <pod>:{} {} {attrs}", g.port, s(&g.service));
    }
    format!("unknown {attrs}")
}

/// net.JoinHostPort.
fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// net/url `URL.String()` for a scheme, host and path (no query, user or fragment).
fn url_string(scheme: &str, host: &str, path: &str) -> String {
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(scheme);
        out.push(':');
    }
    if !scheme.is_empty() || !host.is_empty() {
        if !host.is_empty() || path.starts_with('/') {
            out.push_str("//");
        }
        out.push_str(&escape_host(host));
    }
    let escaped = escape_path(path);
    if !escaped.is_empty() && !escaped.starts_with('/') && !host.is_empty() {
        out.push('/');
    }
    out.push_str(&escaped);
    out
}

fn escape_host(host: &str) -> String {
    let mut out = String::new();
    for b in host.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_'
                    | b'.'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'['
                    | b']'
                    | b'<'
                    | b'>'
                    | b'"'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// url.PathEscape-like escaping of `encodePath` mode.
fn escape_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~' | b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'@');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// metav1.FormatLabelSelector.
pub(crate) fn format_label_selector(sel: &LabelSelector) -> String {
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        crate::sorting::sort(&mut values);
        values.dedup();
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => return "<error>".into(),
        };
        reqs.push((e.key.clone(), text));
    }
    crate::sorting::sort_by(&mut reqs, |a, b| a.0.cmp(&b.0));
    let l: Vec<String> = reqs.into_iter().map(|(_, t)| t).collect();
    if l.is_empty() {
        "<none>".into()
    } else {
        l.join(",")
    }
}

/// describeVolumes (the volume types a playground pod can have; others print `<unknown>`).
fn describe_volumes(w: &mut PrefixWriter, volumes: &[Volume], space: &str) {
    if volumes.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.w(1, &format!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            w.w(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    h.path,
                    h.type_.clone().unwrap_or_else(|| "<none>".into())
                ),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .and_then(|q| Qty::parse(&q.0))
                .filter(|q| q.nano > 0)
                .map(|q| q.to_string())
                .unwrap_or_else(|| "<unset>".into());
            w.w(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    s(&e.medium)
                ),
            );
        } else if let Some(g) = &v.git_repo {
            w.w(
                2,
                &format!(
                    "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t{}\n    Revision:\t{}\n",
                    g.repository,
                    s(&g.revision)
                ),
            );
        } else if let Some(sec) = &v.secret {
            w.w(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s(&sec.secret_name),
                    sec.optional == Some(true)
                ),
            );
        } else if let Some(cm) = &v.config_map {
            w.w(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    cm.name,
                    cm.optional == Some(true)
                ),
            );
        } else if let Some(nfs) = &v.nfs {
            w.w(
                2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    nfs.server,
                    nfs.path,
                    nfs.read_only == Some(true)
                ),
            );
        } else if let Some(pvc) = &v.persistent_volume_claim {
            w.w(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    pvc.claim_name,
                    pvc.read_only == Some(true)
                ),
            );
        } else if let Some(d) = &v.downward_api {
            w.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for item in d.items.iter().flatten() {
                if let Some(f) = &item.field_ref {
                    w.w(3, &format!("{} -> {}\n", f.field_path, item.path));
                }
                if let Some(r) = &item.resource_field_ref {
                    w.w(3, &format!("{} -> {}\n", r.resource, item.path));
                }
            }
        } else if let Some(p) = &v.projected {
            w.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for src in p.sources.iter().flatten() {
                if let Some(sec) = &src.secret {
                    w.w(2, &format!("SecretName:\t{}\n    Optional:\t{}\n", sec.name, sec.optional == Some(true)));
                } else if src.downward_api.is_some() {
                    w.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &src.config_map {
                    w.w(2, &format!("ConfigMapName:\t{}\n    Optional:\t{}\n", cm.name, cm.optional == Some(true)));
                } else if let Some(t) = &src.service_account_token {
                    w.w(2, &format!("TokenExpirationSeconds:\t{}\n", t.expiration_seconds.unwrap_or(0)));
                }
            }
        } else if let Some(csi) = &v.csi {
            w.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    csi.driver,
                    s(&csi.fs_type),
                    csi.read_only == Some(true)
                ),
            );
            w.w(2, "VolumeAttributes:\t");
            match csi.volume_attributes.as_ref().filter(|a| !a.is_empty()) {
                None => w.line("<none>"),
                Some(attrs) => {
                    for (i, (k, v)) in attrs.iter().enumerate() {
                        if i != 0 {
                            w.w(2, "");
                            w.w(2, "\t");
                        }
                        let line = shorten(&format!("{k}={v}"), MAX_ANNOTATION_LEN);
                        w.w(2, &format!("{line}\n"));
                    }
                }
            }
        } else if let Some(img) = &v.image {
            w.w(
                2,
                &format!(
                    "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                    s(&img.reference),
                    s(&img.pull_policy)
                ),
            );
        } else {
            w.w(1, "<unknown>\n");
        }
    }
}

/// kubectl util/qos ComputePodQOS (used when `status.qosClass` is empty).
pub fn compute_pod_qos(pod: &Pod) -> &'static str {
    let spec = pod.spec.clone().unwrap_or_default();
    let mut requests: BTreeMap<String, i128> = BTreeMap::new();
    let mut limits: BTreeMap<String, i128> = BTreeMap::new();
    let mut guaranteed = true;
    let positive = |m: &Option<BTreeMap<String, Quantity>>| -> Vec<(String, i128)> {
        m.iter()
            .flatten()
            .filter(|(k, _)| k.as_str() == "cpu" || k.as_str() == "memory")
            .filter_map(|(k, q)| Qty::parse(&q.0).map(|q| (k.clone(), q.nano)))
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    let mut process =
        |r: &ResourceRequirements, requests: &mut BTreeMap<String, i128>, limits: &mut BTreeMap<String, i128>| {
            for (k, n) in positive(&r.requests) {
                *requests.entry(k).or_insert(0) += n;
            }
            let lim = positive(&r.limits);
            let has = |name: &str| lim.iter().any(|(k, _)| k == name);
            if !(has("cpu") && has("memory")) {
                guaranteed = false;
            }
            for (k, n) in lim {
                *limits.entry(k).or_insert(0) += n;
            }
        };
    if let Some(r) = &spec.resources {
        let pod_level =
            ResourceRequirements { requests: r.requests.clone(), limits: r.limits.clone(), ..Default::default() };
        // With pod-level resources, only limits given at all are checked for cpu and memory.
        if r.limits.is_some() {
            process(&pod_level, &mut requests, &mut limits);
        } else {
            for (k, n) in positive(&r.requests) {
                *requests.entry(k).or_insert(0) += n;
            }
        }
    } else {
        for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
            process(&c.resources.clone().unwrap_or_default(), &mut requests, &mut limits);
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed && requests.iter().any(|(k, v)| limits.get(k) != Some(v)) {
        guaranteed = false;
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes

/// describeNode. `pods` are the node's non-terminated pods (in list order); `events` is `None`
/// with `--show-events=false`.
pub fn describe_node(node: &Node, pods: &[&Pod], events: Option<&[&Event]>, now: Now) -> String {
    let mut w = PrefixWriter::new();
    let meta = &node.metadata;
    let spec = node.spec.clone().unwrap_or_default();
    let status = node.status.clone().unwrap_or_default();
    w.w(0, &format!("Name:\t{}\n", s(&meta.name)));
    let roles = node_roles(meta.labels.as_ref());
    w.w(0, &format!("Roles:\t{}\n", if roles.is_empty() { "<none>".into() } else { roles.join(",") }));
    print_labels(&mut w, "", "Labels", "\t", meta.labels.as_ref());
    print_annotations(&mut w, "Annotations", meta.annotations.as_ref());
    w.w(0, &format!("CreationTimestamp:\t{}\n", rfc1123z(meta.creation_timestamp.as_ref())));
    // printNodeTaintsMultiline: sorted by "effect,key".
    w.w(0, "Taints:\t");
    let taints = spec.taints.clone().unwrap_or_default();
    if taints.is_empty() {
        w.line("<none>");
    } else {
        let mut sorted: Vec<_> = taints.iter().collect();
        gosort::sort(&mut sorted, |a, b| format!("{},{}", a.effect, a.key) < format!("{},{}", b.effect, b.key));
        for (i, t) in sorted.into_iter().enumerate() {
            if i != 0 {
                w.w(0, "\t");
            }
            let text = match t.value.as_deref().filter(|v| !v.is_empty()) {
                None => format!("{}:{}", t.key, t.effect),
                Some(v) => format!("{}={}:{}", t.key, v, t.effect),
            };
            w.w(0, &format!("{text}\n"));
        }
    }
    w.w(0, &format!("Unschedulable:\t{}\n", spec.unschedulable.unwrap_or(false)));
    describe_lease(&mut w, node, now);
    let conditions = status.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in &conditions {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    rfc1123z(c.last_heartbeat_time.as_ref()),
                    rfc1123z(c.last_transition_time.as_ref()),
                    s(&c.reason),
                    s(&c.message)
                ),
            );
        }
    }
    w.w(0, "Addresses:\n");
    for a in status.addresses.iter().flatten() {
        w.w(1, &format!("{}:\t{}\n", a.type_, a.address));
    }
    for (title, list) in [("Capacity", &status.capacity), ("Allocatable", &status.allocatable)] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            w.w(0, &format!("{title}:\n"));
            for (name, q) in list {
                w.w(0, &format!("  {name}:\t{}\n", qty_string(q)));
            }
        }
    }
    let info = status.node_info.clone().unwrap_or_default();
    w.w(0, "System Info:\n");
    w.w(0, &format!("  Machine ID:\t{}\n", info.machine_id));
    w.w(0, &format!("  System UUID:\t{}\n", info.system_uuid));
    w.w(0, &format!("  Boot ID:\t{}\n", info.boot_id));
    w.w(0, &format!("  Kernel Version:\t{}\n", info.kernel_version));
    w.w(0, &format!("  OS Image:\t{}\n", info.os_image));
    w.w(0, &format!("  Operating System:\t{}\n", info.operating_system));
    w.w(0, &format!("  Architecture:\t{}\n", info.architecture));
    w.w(0, &format!("  Container Runtime Version:\t{}\n", info.container_runtime_version));
    w.w(0, &format!("  Kubelet Version:\t{}\n", info.kubelet_version));
    w.w(0, &format!("  Kube-Proxy Version:\t{}\n", info.kube_proxy_version));
    if !s(&spec.pod_cidr).is_empty() {
        w.w(0, &format!("PodCIDR:\t{}\n", s(&spec.pod_cidr)));
    }
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.w(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if !s(&spec.provider_id).is_empty() {
        w.w(0, &format!("ProviderID:\t{}\n", s(&spec.provider_id)));
    }
    describe_node_resource(&mut w, node, pods, now);
    if let Some(events) = events {
        describe_events(&mut w, events, now);
    }
    w.finish()
}

/// The node's Lease (kube-node-lease/<node>): the playground keeps no Lease objects, so this is
/// the lease a healthy kubelet keeps: held by the node, renewed every 10 s (renewInterval =
/// 0.25 × the 40 s lease duration) since the node registered; a NotReady node stopped renewing
/// at its last heartbeat.
fn describe_lease(w: &mut PrefixWriter, node: &Node, now: Now) {
    w.w(0, "Lease:\n");
    w.w(1, &format!("HolderIdentity:\t{}\n", s(&node.metadata.name)));
    w.w(1, "AcquireTime:\t<unset>\n");
    let created = node.metadata.creation_timestamp.as_ref().map(|t| t.0.as_second());
    let ready = node.status.iter().flat_map(|s| s.conditions.iter().flatten()).find(|c| c.type_ == "Ready");
    let renew = match (created, ready) {
        (Some(_), Some(c)) if c.status != "True" => c.last_heartbeat_time.clone(),
        (Some(created), _) => {
            let now_s = now.epoch.timestamp(now.at).as_second();
            let age = (now_s - created).max(0);
            k8s_openapi::jiff::Timestamp::from_second(created + age / 10 * 10).ok().map(Time)
        }
        _ => None,
    };
    match renew {
        Some(t) => w.w(1, &format!("RenewTime:\t{}\n", rfc1123z(Some(&t)))),
        None => w.w(1, "RenewTime:\t<unset>\n"),
    }
}

pub fn node_roles(labels: Option<&BTreeMap<String, String>>) -> Vec<String> {
    let mut roles: Vec<String> = labels
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                (!role.is_empty()).then(|| role.to_string())
            } else if k == "kubernetes.io/role" && !v.is_empty() {
                Some(v.clone())
            } else {
                None
            }
        })
        .collect();
    crate::sorting::sort(&mut roles);
    roles.dedup();
    roles
}

type ResourceList = BTreeMap<String, Qty>;

fn to_list(m: &Option<BTreeMap<String, Quantity>>) -> ResourceList {
    m.iter().flatten().filter_map(|(k, q)| Qty::parse(&q.0).map(|q| (k.clone(), q))).collect()
}

fn add_list(list: &mut ResourceList, new: &ResourceList) {
    for (k, q) in new {
        match list.get(k) {
            None => {
                list.insert(k.clone(), *q);
            }
            Some(v) => {
                let sum = v.plus(*q);
                list.insert(k.clone(), sum);
            }
        }
    }
}

fn max_list(list: &mut ResourceList, new: &ResourceList) {
    for (k, q) in new {
        match list.get(k) {
            Some(v) if q.nano <= v.nano => {}
            _ => {
                list.insert(k.clone(), *q);
            }
        }
    }
}

/// kubectl util/resource PodRequestsAndLimits.
pub fn pod_requests_and_limits(pod: &Pod) -> (ResourceList, ResourceList) {
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let statuses: BTreeMap<&str, &ContainerStatus> = status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .map(|s| (s.name.as_str(), s))
        .collect();
    let resize_infeasible =
        status.conditions.iter().flatten().any(|c| c.type_ == "PodResizePending" && s(&c.reason) == "Infeasible");
    let container_reqs = |c: &Container| -> ResourceList {
        let spec_reqs = to_list(&c.resources.clone().unwrap_or_default().requests);
        match statuses.get(c.name.as_str()) {
            Some(cs) if cs.resources.is_some() => {
                let status_reqs = to_list(&cs.resources.clone().unwrap_or_default().requests);
                let allocated = to_list(&cs.allocated_resources);
                let mut result = if resize_infeasible { status_reqs.clone() } else { spec_reqs };
                if !resize_infeasible {
                    max_list(&mut result, &status_reqs);
                }
                max_list(&mut result, &allocated);
                result
            }
            _ => spec_reqs,
        }
    };
    let mut reqs = ResourceList::new();
    for c in &spec.containers {
        add_list(&mut reqs, &container_reqs(c));
    }
    let mut restartable = ResourceList::new();
    let mut init_reqs = ResourceList::new();
    for c in spec.init_containers.iter().flatten() {
        let mut creqs = container_reqs(c);
        if s(&c.restart_policy) == "Always" {
            add_list(&mut reqs, &creqs);
            add_list(&mut restartable, &creqs);
            creqs = restartable.clone();
        } else {
            let mut tmp = ResourceList::new();
            add_list(&mut tmp, &creqs);
            add_list(&mut tmp, &restartable);
            creqs = tmp;
        }
        max_list(&mut init_reqs, &creqs);
    }
    max_list(&mut reqs, &init_reqs);
    let overhead = to_list(&spec.overhead);
    add_list(&mut reqs, &overhead);

    let mut limits = ResourceList::new();
    for c in &spec.containers {
        add_list(&mut limits, &to_list(&c.resources.clone().unwrap_or_default().limits));
    }
    let mut restartable = ResourceList::new();
    let mut init_limits = ResourceList::new();
    for c in spec.init_containers.iter().flatten() {
        let mut climits = to_list(&c.resources.clone().unwrap_or_default().limits);
        if s(&c.restart_policy) == "Always" {
            add_list(&mut limits, &climits);
            add_list(&mut restartable, &climits);
            climits = restartable.clone();
        } else {
            let mut tmp = ResourceList::new();
            add_list(&mut tmp, &climits);
            add_list(&mut tmp, &restartable);
            climits = tmp;
        }
        max_list(&mut init_limits, &climits);
    }
    max_list(&mut limits, &init_limits);
    for (k, q) in &overhead {
        if let Some(v) = limits.get(k) {
            if v.nano != 0 {
                let sum = v.plus(*q);
                limits.insert(k.clone(), sum);
            }
        }
    }
    (reqs, limits)
}

fn percent(num: i64, den: i64) -> i64 {
    go_int64(num as f64 / den as f64 * 100.0)
}

/// describeNodeResource: the Non-terminated Pods table and Allocated resources.
fn describe_node_resource(w: &mut PrefixWriter, node: &Node, pods: &[&Pod], now: Now) {
    w.w(0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    w.w(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    w.w(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let status = node.status.clone().unwrap_or_default();
    let allocatable = match status.allocatable.as_ref().filter(|a| !a.is_empty()) {
        Some(_) => to_list(&status.allocatable),
        None => to_list(&status.capacity),
    };
    let get = |l: &ResourceList, k: &str| l.get(k).copied().unwrap_or_default();
    let alloc_cpu = get(&allocatable, "cpu").milli();
    let alloc_mem = get(&allocatable, "memory").value();
    for pod in pods {
        let (req, lim) = pod_requests_and_limits(pod);
        let (cr, cl, mr, ml) = (get(&req, "cpu"), get(&lim, "cpu"), get(&req, "memory"), get(&lim, "memory"));
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                s(&pod.metadata.namespace),
                s(&pod.metadata.name),
                cr,
                percent(cr.milli(), alloc_cpu),
                cl,
                percent(cl.milli(), alloc_cpu),
                mr,
                percent(mr.value(), alloc_mem),
                ml,
                percent(ml.value(), alloc_mem),
                since(now, pod.metadata.creation_timestamp.as_ref())
            ),
        );
    }
    w.w(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    let mut reqs = ResourceList::new();
    let mut limits = ResourceList::new();
    for pod in pods {
        let (r, l) = pod_requests_and_limits(pod);
        add_list(&mut reqs, &r);
        add_list(&mut limits, &l);
    }
    let frac = |num: i64, den: i64| {
        if den != 0 {
            go_int64(num as f64 / den as f64 * 100.0)
        } else {
            0
        }
    };
    let alloc_eph = get(&allocatable, "ephemeral-storage").value();
    for (name, by_value, den) in
        [("cpu", false, alloc_cpu), ("memory", true, alloc_mem), ("ephemeral-storage", true, alloc_eph)]
    {
        let (r, l) = (get(&reqs, name), get(&limits, name));
        let (rn, ln) = if by_value { (r.value(), l.value()) } else { (r.milli(), l.milli()) };
        w.w(1, &format!("{name}\t{r} ({}%)\t{l} ({}%)\n", frac(rn, den), frac(ln, den)));
    }
    let mut huge: Vec<&String> = Vec::new();
    let mut ext: Vec<&String> = Vec::new();
    for k in allocatable.keys() {
        if k.starts_with("hugepages-") {
            huge.push(k);
        } else if !matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage" | "pods") {
            ext.push(k);
        }
    }
    for k in huge {
        let (r, l, a) = (get(&reqs, k), get(&limits, k), get(&allocatable, k).value());
        w.w(1, &format!("{k}\t{r} ({}%)\t{l} ({}%)\n", frac(r.value(), a), frac(l.value(), a)));
    }
    for k in ext {
        w.w(1, &format!("{k}\t{}\t{}\n", get(&reqs, k), get(&limits, k)));
    }
}

// ---------------------------------------------------------------------------------------------
// Namespaces and the generic describer

/// describeNamespace (the playground has no ResourceQuotas or LimitRanges).
pub fn describe_namespace(ns: &Namespace) -> String {
    let mut w = PrefixWriter::new();
    w.w(0, &format!("Name:\t{}\n", s(&ns.metadata.name)));
    print_labels(&mut w, "", "Labels", "\t", ns.metadata.labels.as_ref());
    print_annotations(&mut w, "Annotations", ns.metadata.annotations.as_ref());
    let status = ns.status.clone().unwrap_or_default();
    w.w(0, &format!("Status:\t{}\n", s(&status.phase)));
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t------------------\t------\t-------\n");
        for c in conds {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    c.type_,
                    c.status,
                    rfc1123z(c.last_transition_time.as_ref()),
                    s(&c.reason),
                    s(&c.message)
                ),
            );
        }
    }
    w.w(0, "\n");
    w.w(0, "No resource quota.\n");
    w.w(0, "\n");
    w.w(0, "No LimitRange resource.\n");
    w.finish()
}

/// The generic describer (kinds without a dedicated one, such as Event): name, namespace, labels,
/// annotations, then every other field of the object with "smart" labels.
pub fn describe_generic(value: &Value, events: Option<&[&Event]>, now: Now) -> String {
    let mut w = PrefixWriter::new();
    let meta = value.get("metadata");
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let map = |v: Option<&Value>| -> Option<BTreeMap<String, String>> {
        v.and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
    };
    w.w(0, &format!("Name:\t{}\n", text(meta.and_then(|m| m.get("name")))));
    w.w(0, &format!("Namespace:\t{}\n", text(meta.and_then(|m| m.get("namespace")))));
    print_labels(&mut w, "", "Labels", "\t", map(meta.and_then(|m| m.get("labels"))).as_ref());
    print_annotations(&mut w, "Annotations", map(meta.and_then(|m| m.get("annotations"))).as_ref());
    if let Some(content) = value.as_object() {
        print_unstructured(
            &mut w,
            0,
            content,
            "",
            &[
                ".metadata.managedFields",
                ".metadata.name",
                ".metadata.namespace",
                ".metadata.labels",
                ".metadata.annotations",
            ],
        );
    }
    if let Some(events) = events {
        describe_events(&mut w, events, now);
    }
    w.finish()
}

fn print_unstructured(
    w: &mut PrefixWriter,
    level: usize,
    content: &serde_json::Map<String, Value>,
    prefix: &str,
    skip: &[&str],
) {
    for (field, value) in content {
        let expr = format!("{prefix}.{field}");
        if skip.contains(&expr.as_str()) {
            continue;
        }
        match value {
            Value::Object(m) => {
                w.w(level, &format!("{}:\n", smart_label(field)));
                print_unstructured(w, level + 1, m, &expr, skip);
            }
            Value::Array(items) => {
                w.w(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(m) => print_unstructured(w, level + 1, m, &expr, skip),
                        other => w.w(level + 1, &format!("{}\n", go_v(other))),
                    }
                }
            }
            other => w.w(level, &format!("{}:\t{}\n", smart_label(field), go_v(other))),
        }
    }
}

/// Go's `%v` of a JSON-decoded value.
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => {
                let f = n.as_f64().unwrap_or(0.0);
                super::yaml::go_format_float_g(f).replace(".inf", "+Inf").replace(".nan", "NaN")
            }
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            format!("map[{}]", m.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// describe.go smartLabelFor: "apiVersion" → "API Version", "involvedObject" → "Involved
/// Object"; fields with characters other than letters and '-' are kept as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: &[&str] = &["API", "URL", "UID", "OSB", "GUID"];
    camelcase_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                let mut cs = p.chars();
                match cs.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + &cs.as_str().to_lowercase(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// github.com/fatih/camelcase Split.
fn camelcase_split(src: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in src.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if k == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower =
            runs[i].first().is_some_and(|c| c.is_uppercase()) && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    runs.into_iter().filter(|r| !r.is_empty()).map(|r| r.into_iter().collect()).collect()
}

// ---------------------------------------------------------------------------------------------
// Services

/// formatEndpointSlices: the ready endpoints' `ip:port` for the port named `port_name`, up to
/// three, then ` + N more...`; `<none>` when there are none.
fn format_endpoint_slices(slices: &[&k8s_openapi::api::discovery::v1::EndpointSlice], port_name: &str) -> String {
    let mut list = Vec::new();
    let mut count = 0;
    for slice in slices {
        for port in slice.ports.iter().flatten() {
            if port.name.as_deref().unwrap_or("") != port_name {
                continue;
            }
            for ep in &slice.endpoints {
                let ready = ep.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true);
                if !ready {
                    continue;
                }
                for addr in &ep.addresses {
                    if list.len() < 3 {
                        list.push(format!("{addr}:{}", port.port.unwrap_or(0)));
                    }
                    count += 1;
                }
            }
        }
    }
    if count == 0 {
        "<none>".into()
    } else if count > 3 {
        format!("{} + {} more...", list.join(","), count - 3)
    } else {
        list.join(",")
    }
}

/// describeService (k8s.io/kubectl/pkg/describe/describe.go), endpoints from the Service's
/// EndpointSlices as kubectl 1.33+ reads them.
pub fn describe_service(
    svc: &k8s_openapi::api::core::v1::Service,
    slices: &[&k8s_openapi::api::discovery::v1::EndpointSlice],
    events: Option<&[&Event]>,
    now: Now,
) -> String {
    let mut w = PrefixWriter::new();
    let spec = svc.spec.clone().unwrap_or_default();
    w.w(0, &format!("Name:\t{}\n", s(&svc.metadata.name)));
    w.w(0, &format!("Namespace:\t{}\n", s(&svc.metadata.namespace)));
    print_labels(&mut w, "", "Labels", "\t", svc.metadata.labels.as_ref());
    print_annotations(&mut w, "Annotations", svc.metadata.annotations.as_ref());
    let selector: Vec<String> = spec.selector.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
    w.w(0, &format!("Selector:\t{}\n", selector.join(",")));
    w.w(0, &format!("Type:\t{}\n", s(&spec.type_)));
    if let Some(p) = &spec.ip_family_policy {
        w.w(0, &format!("IP Family Policy:\t{p}\n"));
    }
    match spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        Some(f) => w.w(0, &format!("IP Families:\t{}\n", f.join(","))),
        None => w.w(0, "IP Families:\t<none>\n"),
    }
    w.w(0, &format!("IP:\t{}\n", s(&spec.cluster_ip)));
    match spec.cluster_ips.as_ref().filter(|f| !f.is_empty()) {
        Some(ips) => w.w(0, &format!("IPs:\t{}\n", ips.join(","))),
        None => w.w(0, "IPs:\t<none>\n"),
    }
    if let Some(ips) = spec.external_ips.as_ref().filter(|v| !v.is_empty()) {
        w.w(0, &format!("External IPs:\t{}\n", ips.join(",")));
    }
    if let Some(name) = spec.external_name.as_ref().filter(|n| !n.is_empty()) {
        w.w(0, &format!("External Name:\t{name}\n"));
    }
    for sp in spec.ports.iter().flatten() {
        let name = sp.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
        let proto = sp.protocol.clone().unwrap_or_else(|| "TCP".into());
        w.w(0, &format!("Port:\t{name}\t{}/{proto}\n", sp.port));
        match &sp.target_port {
            Some(IntOrString::String(t)) => w.w(0, &format!("TargetPort:\t{t}/{proto}\n")),
            Some(IntOrString::Int(t)) => w.w(0, &format!("TargetPort:\t{t}/{proto}\n")),
            None => w.w(0, &format!("TargetPort:\t{}/{proto}\n", sp.port)),
        }
        if let Some(np) = sp.node_port.filter(|n| *n != 0) {
            w.w(0, &format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        w.w(0, &format!("Endpoints:\t{}\n", format_endpoint_slices(slices, sp.name.as_deref().unwrap_or(""))));
    }
    w.w(0, &format!("Session Affinity:\t{}\n", s(&spec.session_affinity)));
    if let Some(p) = spec.external_traffic_policy.as_ref().filter(|p| !p.is_empty()) {
        w.w(0, &format!("External Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = &spec.internal_traffic_policy {
        w.w(0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if let Some(events) = events {
        describe_events(&mut w, events, now);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Epoch;
    use serde_json::json;

    fn now_at(secs: u64) -> Now {
        Now { epoch: Epoch::default(), at: secs * 1000 }
    }

    fn ts(secs: u64) -> String {
        Epoch::default().time(secs * 1000).0.to_string()
    }

    #[test]
    fn rfc1123z_as_go_prints_it() {
        let at = |s: i64| format_ts(k8s_openapi::jiff::Timestamp::from_second(s).unwrap());
        assert_eq!(at(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(at(1_795_417_147), "Mon, 23 Nov 2026 06:59:07 +0000");
        assert_eq!(at(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(rfc1123z(None), ZERO_TIME);
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        name: &str,
        type_: &str,
        reason: &str,
        field: Option<&str>,
        first: u64,
        last: u64,
        count: i32,
        source: &str,
        msg: &str,
    ) -> Event {
        let mut involved =
            json!({"apiVersion": "v1", "kind": "Pod", "name": "web", "namespace": "default", "uid": "0f1e"});
        if let Some(f) = field {
            involved["fieldPath"] = json!(f);
        }
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": involved,
            "type": type_, "reason": reason, "message": msg,
            "firstTimestamp": ts(first), "lastTimestamp": ts(last), "count": count,
            "source": {"component": source}
        }))
        .unwrap()
    }

    fn web_pod() -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "uid": "0f1e",
                "labels": {"app": "web", "tier": "fe"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d4f", "uid": "u1", "controller": true}]},
            "spec": {
                "priority": 0, "serviceAccountName": "default", "nodeName": "node-1",
                "nodeSelector": {"disktype": "ssd"},
                "containers": [{
                    "name": "app", "image": "registry.k8s.io/app:1.0",
                    "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}, {"containerPort": 9090, "protocol": "TCP"}],
                    "command": ["/bin/app"], "args": ["--port=8080", "multi\nline"],
                    "resources": {"limits": {"memory": "128Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}},
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 3,
                        "timeoutSeconds": 1, "periodSeconds": 3, "successThreshold": 1, "failureThreshold": 3},
                    "readinessProbe": {"tcpSocket": {"port": 8080}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                    "startupProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 30},
                    "env": [
                        {"name": "MODE", "value": "prod"},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                        {"name": "NODE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
                        {"name": "PASS", "valueFrom": {"secretKeyRef": {"key": "password", "name": "db"}}}
                    ],
                    "volumeMounts": [{"name": "data", "mountPath": "/var/data"}, {"name": "config", "mountPath": "/etc/app", "readOnly": true, "subPath": "app.conf"}]
                }],
                "volumes": [{"name": "data", "emptyDir": {}}, {"name": "config", "configMap": {"name": "app-config"}}],
                "tolerations": [
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
                ]
            },
            "status": {
                "phase": "Running", "hostIP": "10.0.0.5", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}],
                "startTime": ts(0), "qosClass": "Burstable",
                "conditions": [
                    {"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"},
                    {"type": "ContainersReady", "status": "True"}, {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [{
                    "name": "app", "containerID": "containerd://abc", "image": "registry.k8s.io/app:1.0",
                    "imageID": "registry.k8s.io/app@sha256:def", "ready": true, "restartCount": 1,
                    "state": {"running": {"startedAt": ts(5)}},
                    "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": ts(1), "finishedAt": ts(4)}}
                }]
            }
        }))
        .unwrap()
    }

    /// Expected text: the stream describe.go writes for this pod (its format strings by hand),
    /// aligned by Go's tabwriter rules.
    #[test]
    fn describe_running_pod_with_restarts_and_events() {
        let pod = web_pod();
        let events = [
            event(
                "web.3",
                "Warning",
                "BackOff",
                Some("spec.containers{app}"),
                150,
                150,
                1,
                "kubelet",
                "Back-off restarting failed container app in pod web_default(0f1e)",
            ),
            event(
                "web.1",
                "Normal",
                "Scheduled",
                None,
                0,
                0,
                1,
                "default-scheduler",
                "Successfully assigned default/web to node-1",
            ),
            event(
                "web.2",
                "Normal",
                "Pulled",
                Some("spec.containers{app}"),
                1,
                121,
                3,
                "kubelet",
                "Container image \"registry.k8s.io/app:1.0\" already present on machine",
            ),
        ];
        let refs: Vec<&Event> = events.iter().collect();
        let got = describe_pod(&pod, Some(&refs), now_at(180));
        let want = r#"Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/10.0.0.5
Start Time:       Thu, 01 Jan 2026 00:00:00 +0000
Labels:           app=web
                  tier=fe
Annotations:      <none>
Status:           Running
IP:               10.244.1.7
IPs:
  IP:           10.244.1.7
Controlled By:  ReplicaSet/web-5d4f
Containers:
  app:
    Container ID:  containerd://abc
    Image:         registry.k8s.io/app:1.0
    Image ID:      registry.k8s.io/app@sha256:def
    Ports:         8080/TCP (http), 9090/TCP
    Host Ports:    0/TCP (http), 0/TCP
    Command:
      /bin/app
    Args:
      --port=8080
      multi
      line
    State:          Running
      Started:      Thu, 01 Jan 2026 00:00:05 +0000
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Thu, 01 Jan 2026 00:00:01 +0000
      Finished:     Thu, 01 Jan 2026 00:00:04 +0000
    Ready:          True
    Restart Count:  1
    Limits:
      memory:  128Mi
    Requests:
      cpu:      100m
      memory:   64Mi
    Liveness:   http-get http://:8080/healthz delay=3s timeout=1s period=3s #success=1 #failure=3
    Readiness:  tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=3
    Startup:    exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment:
      MODE:      prod
      POD_NAME:  web (v1:metadata.name)
      NODE:       (v1:spec.nodeName)
      PASS:      <set to the key 'password' in secret 'db'>  Optional: false
    Mounts:
      /etc/app from config (ro,path="app.conf")
      /var/data from data (rw)
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
  ContainersReady   True 
  PodScheduled      True 
Volumes:
  data:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  config:
    Type:        ConfigMap (a volume populated by a ConfigMap)
    Name:        app-config
    Optional:    false
QoS Class:       Burstable
Node-Selectors:  disktype=ssd
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                  From               Message
  ----     ------     ----                 ----               -------
  Normal   Scheduled  3m                   default-scheduler  Successfully assigned default/web to node-1
  Normal   Pulled     59s (x3 over 2m59s)  kubelet            spec.containers{app}: Container image "registry.k8s.io/app:1.0" already present on machine
  Warning  BackOff    30s                  kubelet            spec.containers{app}: Back-off restarting failed container app in pod web_default(0f1e)
"#;
        assert_eq!(got, want);
    }

    #[test]
    fn describe_node_with_pods_lease_and_allocation() {
        let node: Node = serde_json::from_value(json!({
            "metadata": {"name": "node-1", "uid": "n-uid", "creationTimestamp": ts(0),
                "labels": {"kubernetes.io/hostname": "node-1", "node-role.kubernetes.io/control-plane": ""},
                "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
            "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
                "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
                           {"key": "dedicated", "value": "gpu", "effect": "NoExecute"}]},
            "status": {
                "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": ts(0), "lastTransitionTime": ts(0),
                    "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                "addresses": [{"type": "InternalIP", "address": "10.0.0.5"}, {"type": "Hostname", "address": "node-1"}],
                "capacity": {"cpu": "2", "memory": "4Gi", "pods": "110", "ephemeral-storage": "20Gi"},
                "allocatable": {"cpu": "1900m", "memory": "3.5Gi", "pods": "110", "ephemeral-storage": "20Gi"},
                "nodeInfo": {"machineID": "m1", "systemUUID": "u1", "bootID": "b1", "kernelVersion": "6.8.0",
                    "osImage": "Ubuntu 24.04.2 LTS", "operatingSystem": "linux", "architecture": "amd64",
                    "containerRuntimeVersion": "containerd://2.1.4", "kubeletVersion": "v1.35.0", "kubeProxyVersion": ""}
            }
        }))
        .unwrap();
        let mut web = web_pod();
        web.metadata.creation_timestamp = Some(Epoch::default().time(0));
        let proxy: Pod = serde_json::from_value(json!({
            "metadata": {"name": "proxy", "namespace": "kube-system", "creationTimestamp": ts(0)},
            "spec": {"containers": [{"name": "p", "image": "proxy"}]}
        }))
        .unwrap();
        let ev: Event = serde_json::from_value(json!({
            "metadata": {"name": "node-1.1", "namespace": "default"},
            "involvedObject": {"kind": "Node", "name": "node-1", "uid": "node-1"},
            "type": "Normal", "reason": "NodeReady", "message": "Node node-1 status is now: NodeReady",
            "firstTimestamp": ts(0), "lastTimestamp": ts(0), "count": 1, "source": {"component": "kubelet", "host": "node-1"}
        }))
        .unwrap();
        let got = describe_node(&node, &[&web, &proxy], Some(&[&ev]), now_at(65));
        let want = r#"Name:               node-1
Roles:              control-plane
Labels:             kubernetes.io/hostname=node-1
                    node-role.kubernetes.io/control-plane=
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Thu, 01 Jan 2026 00:00:00 +0000
Taints:             dedicated=gpu:NoExecute
                    node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  node-1
  AcquireTime:     <unset>
  RenewTime:       Thu, 01 Jan 2026 00:01:00 +0000
Conditions:
  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
  ----    ------  -----------------                 ------------------                ------         -------
  Ready   True    Thu, 01 Jan 2026 00:00:00 +0000   Thu, 01 Jan 2026 00:00:00 +0000   KubeletReady   kubelet is posting ready status
Addresses:
  InternalIP:  10.0.0.5
  Hostname:    node-1
Capacity:
  cpu:                2
  ephemeral-storage:  20Gi
  memory:             4Gi
  pods:               110
Allocatable:
  cpu:                1900m
  ephemeral-storage:  20Gi
  memory:             3584Mi
  pods:               110
System Info:
  Machine ID:                 m1
  System UUID:                u1
  Boot ID:                    b1
  Kernel Version:             6.8.0
  OS Image:                   Ubuntu 24.04.2 LTS
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://2.1.4
  Kubelet Version:            v1.35.0
  Kube-Proxy Version:         
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     web      100m (5%)     0 (0%)      64Mi (1%)        128Mi (3%)     65s
  kube-system                 proxy    0 (0%)        0 (0%)      0 (0%)           0 (0%)         65s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests   Limits
  --------           --------   ------
  cpu                100m (5%)  0 (0%)
  memory             64Mi (1%)  128Mi (3%)
  ephemeral-storage  0 (0%)     0 (0%)
Events:
  Type    Reason     Age   From     Message
  ----    ------     ----  ----     -------
  Normal  NodeReady  65s   kubelet  Node node-1 status is now: NodeReady
"#;
        assert_eq!(got, want);
    }

    #[test]
    fn describe_pending_pod() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "pending", "namespace": "default"},
            "spec": {"serviceAccountName": "default", "containers": [{"name": "nginx", "image": "nginx"}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                "message": "0/3 nodes are available"}]}
        }))
        .unwrap();
        let want = r#"Name:             pending
Namespace:        default
Service Account:  default
Node:             <none>
Labels:           <none>
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Containers:
  nginx:
    Image:        nginx
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
"#;
        assert_eq!(describe_pod(&pod, Some(&[]), now_at(10)), want);
    }

    #[test]
    fn describe_terminating_pod_with_init_containers_without_events() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "job", "namespace": "default", "deletionTimestamp": ts(100), "deletionGracePeriodSeconds": 30},
            "spec": {"nodeName": "node-1",
                "initContainers": [{"name": "init", "image": "busybox"}],
                "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", "exit 1"]}]},
            "status": {"phase": "Running", "hostIP": "10.0.0.5", "podIP": "10.244.1.9", "podIPs": [{"ip": "10.244.1.9"}],
                "initContainerStatuses": [{"name": "init", "image": "busybox", "imageID": "", "ready": true, "restartCount": 0,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": ts(1), "finishedAt": ts(2)}}}],
                "containerStatuses": [{"name": "main", "containerID": "containerd://m", "image": "busybox", "imageID": "",
                    "ready": false, "restartCount": 4,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s restarting failed container"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(60), "finishedAt": ts(61)}}}]}
        }))
        .unwrap();
        let want = r#"Name:                      job
Namespace:                 default
Node:                      node-1/10.0.0.5
Labels:                    <none>
Annotations:               <none>
Status:                    Terminating (lasts 30s)
Termination Grace Period:  30s
IP:                        10.244.1.9
IPs:
  IP:  10.244.1.9
Init Containers:
  init:
    Container ID:   
    Image:          busybox
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Thu, 01 Jan 2026 00:00:01 +0000
      Finished:     Thu, 01 Jan 2026 00:00:02 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  main:
    Container ID:  containerd://m
    Image:         busybox
    Image ID:      
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Thu, 01 Jan 2026 00:01:00 +0000
      Finished:     Thu, 01 Jan 2026 00:01:01 +0000
    Ready:          False
    Restart Count:  4
    Environment:    <none>
    Mounts:         <none>
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        <none>
"#;
        assert_eq!(describe_pod(&pod, None, now_at(130)), want);
    }

    #[test]
    fn describe_namespaces() {
        let ns: Namespace = serde_json::from_value(json!({
            "metadata": {"name": "default", "labels": {"kubernetes.io/metadata.name": "default"}},
            "status": {"phase": "Active"}
        }))
        .unwrap();
        assert_eq!(
            describe_namespace(&ns),
            "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
        );
        // Long annotation values go on their own line, cut at 138 characters.
        let ns: Namespace = serde_json::from_value(json!({
            "metadata": {"name": "ns1", "annotations": {"a": "x".repeat(150), "b": "short"}},
            "status": {"phase": "Terminating"}
        }))
        .unwrap();
        assert_eq!(
            describe_namespace(&ns),
            format!(
                "Name:         ns1\nLabels:       <none>\nAnnotations:  a:\n                {}...\n              b: short\nStatus:       Terminating\n\nNo resource quota.\n\nNo LimitRange resource.\n",
                "x".repeat(138)
            )
        );
    }

    #[test]
    fn probes_like_describe_probe() {
        let probe = |v: serde_json::Value| describe_probe(&serde_json::from_value(v).unwrap());
        let attrs = "delay=0s timeout=0s period=0s #success=0 #failure=0";
        assert_eq!(probe(json!({"grpc": {"port": 50051}})), format!("grpc <pod>:50051  {attrs}"));
        assert_eq!(
            probe(json!({"grpc": {"port": 50051, "service": "health"}})),
            format!("grpc <pod>:50051 health {attrs}")
        );
        assert_eq!(
            probe(json!({"httpGet": {"host": "::1", "port": "web", "path": "/a b", "scheme": "HTTPS"}})),
            format!("http-get https://[::1]:web/a%20b {attrs}")
        );
        assert_eq!(probe(json!({"httpGet": {"port": 80, "scheme": "HTTP"}})), format!("http-get http://:80 {attrs}"));
        assert_eq!(probe(json!({"tcpSocket": {"port": 5432}})), format!("tcp-socket :5432 {attrs}"));
        assert_eq!(
            probe(json!({"exec": {"command": ["pg_isready", "-U", "app"]}, "initialDelaySeconds": 5,
                "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})),
            "exec [pg_isready -U app] delay=5s timeout=1s period=10s #success=1 #failure=3"
        );
        assert_eq!(probe(json!({})), format!("unknown {attrs}"));
    }

    #[test]
    fn tolerations_and_topology_spread() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"containers": [],
                "tolerations": [{"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"},
                    {"operator": "Exists"}, {"key": "gpu", "operator": "Exists"}],
                "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]}]}}]},
            "status": {"phase": "Pending"}
        }))
        .unwrap();
        let out = describe_pod(&pod, None, now_at(0));
        assert!(
            out.contains("\nTolerations:                  op=Exists\n                              gpu op=Exists\n                              k=v:NoSchedule\n"),
            "{out}"
        );
        assert!(out.contains("\nContainers: <none>\n"), "{out}");
        assert!(
            out.ends_with("Topology Spread Constraints:  zone:DoNotSchedule when max skew 1 is exceeded for selector app=web,tier in (be,fe)\n"),
            "{out}"
        );
    }

    #[test]
    fn smart_labels_follow_camelcase_split() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("involvedObject"), "Involved Object");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("reportingComponent"), "Reporting Component");
        assert_eq!(smart_label("PDFLoader"), "Pdf Loader");
        assert_eq!(smart_label("field2"), "field2");
        assert_eq!(camelcase_split("HTTPServer"), vec!["HTTP", "Server"]);
    }

    #[test]
    fn qos_is_computed_when_missing() {
        let pod = |res: serde_json::Value| -> Pod {
            serde_json::from_value(json!({"spec": {"containers": [{"name": "c", "resources": res}]}})).unwrap()
        };
        assert_eq!(compute_pod_qos(&pod(json!({}))), "BestEffort");
        assert_eq!(
            compute_pod_qos(&pod(
                json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}})
            )),
            "Guaranteed"
        );
        assert_eq!(compute_pod_qos(&pod(json!({"requests": {"cpu": "100m"}}))), "Burstable");
        assert_eq!(compute_pod_qos(&pod(json!({"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}))), "Burstable");
    }
}
