//! Table rows as kubectl prints them (pkg/printers/internalversion/printers.go).

use k8s_openapi::api::core::v1::{ContainerState, Event, Node, Pod, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};

use super::humanize::{human_duration, short_human_duration};
use crate::time::{Epoch, Millis};

/// Where "now" is, to compute ages.
#[derive(Clone, Copy)]
pub struct Now {
    pub epoch: Epoch,
    pub at: Millis,
}

impl Now {
    /// translateTimestampSince: "<unknown>" for a missing time, else HumanDuration of the age.
    pub fn since(&self, t: Option<&Time>) -> String {
        match t {
            None => "<unknown>".into(),
            Some(t) => human_duration(self.age_ms(t)),
        }
    }
    /// translateMicroTimestampSince: as `since`, for MicroTime (sub-second parts count).
    pub fn since_micro(&self, t: Option<&MicroTime>) -> String {
        match t {
            None => "<unknown>".into(),
            Some(t) => {
                let now_ms = self.epoch.0 as i128 * 1000 + self.at as i128;
                let age = now_ms - t.0.as_millisecond() as i128;
                human_duration(age.clamp(0, u64::MAX as i128) as Millis)
            }
        }
    }
    pub fn short_since(&self, t: Option<&Time>) -> String {
        match t {
            None => "<unknown>".into(),
            Some(t) => short_human_duration(self.age_ms(t)),
        }
    }
    fn age_ms(&self, t: &Time) -> Millis {
        let now_s = self.epoch.timestamp(self.at).as_second();
        ((now_s - t.0.as_second()).max(0) as Millis) * 1000
    }
}

/// The READY, STATUS and RESTARTS cells of a pod (printPod).
pub struct PodCells {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

/// printPod (pkg/printers/internalversion/printers.go): the READY, STATUS and RESTARTS cells,
/// counting restartable init containers (sidecars) as containers.
pub fn pod_cells(pod: &Pod, now: Now) -> PodCells {
    // Borrowed, not cloned: the page builds these cells for every pod on every clock tick.
    let default_spec = PodSpec::default();
    let default_status = PodStatus::default();
    let spec = pod.spec.as_ref().unwrap_or(&default_spec);
    let status = pod.status.as_ref().unwrap_or(&default_status);
    let init_specs: &[k8s_openapi::api::core::v1::Container] = spec.init_containers.as_deref().unwrap_or_default();
    let is_sidecar =
        |name: &str| init_specs.iter().any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"));
    let mut total = spec.containers.len();
    total += init_specs.iter().filter(|c| c.restart_policy.as_deref() == Some("Always")).count();
    let mut ready = 0;
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut last_restart: Option<Time> = None;
    let mut last_sidecar_restart: Option<Time> = None;
    let mut reason =
        status.reason.clone().filter(|r| !r.is_empty()).unwrap_or_else(|| status.phase.clone().unwrap_or_default());
    let conditions: &[k8s_openapi::api::core::v1::PodCondition] = status.conditions.as_deref().unwrap_or_default();
    if conditions.iter().any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated")) {
        reason = "SchedulingGated".into();
    }

    // lastRestartDate.Before(&terminatedDate): a missing finishedAt never counts.
    let note_restart = |t: Option<&Time>, last: &mut Option<Time>| {
        if let Some(t) = t {
            if last.as_ref().is_none_or(|l| t.0 > l.0) {
                *last = Some(t.clone());
            }
        }
    };

    let default_state = ContainerState::default();
    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts += c.restart_count as i64;
        let last_term = c.last_state.as_ref().and_then(|s| s.terminated.as_ref());
        note_restart(last_term.and_then(|t| t.finished_at.as_ref()), &mut last_restart);
        let sidecar = is_sidecar(&c.name);
        if sidecar {
            sidecar_restarts += c.restart_count as i64;
            note_restart(last_term.and_then(|t| t.finished_at.as_ref()), &mut last_sidecar_restart);
        }
        let state = c.state.as_ref().unwrap_or(&default_state);
        match (&state.terminated, &state.waiting) {
            (Some(t), _) if t.exit_code == 0 => continue,
            _ if sidecar && c.started == Some(true) => {
                if c.ready {
                    ready += 1;
                }
                continue;
            }
            (Some(t), _) => {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => format!("Init:{r}"),
                    None if t.signal.unwrap_or(0) != 0 => format!("Init:Signal:{}", t.signal.unwrap_or(0)),
                    None => format!("Init:ExitCode:{}", t.exit_code),
                };
            }
            (None, Some(w)) if w.reason.as_deref().is_some_and(|r| !r.is_empty() && r != "PodInitializing") => {
                reason = format!("Init:{}", w.reason.as_deref().unwrap_or(""));
            }
            _ => reason = format!("Init:{i}/{}", init_specs.len()),
        }
        initializing = true;
        break;
    }

    let initialized = conditions.iter().any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            restarts += c.restart_count as i64;
            let last_term = c.last_state.as_ref().and_then(|s| s.terminated.as_ref());
            note_restart(last_term.and_then(|t| t.finished_at.as_ref()), &mut last_restart);
            let state = c.state.as_ref().unwrap_or(&default_state);
            if let Some(r) = state.waiting.as_ref().and_then(|w| w.reason.clone()).filter(|r| !r.is_empty()) {
                reason = r;
            } else if let Some(t) = &state.terminated {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None if t.signal.unwrap_or(0) != 0 => format!("Signal:{}", t.signal.unwrap_or(0)),
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        // A pod whose containers completed but one still runs shows Running (or NotReady).
        if reason == "Completed" && has_running {
            let pod_ready = conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running".into() } else { "NotReady".into() };
        }
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".into();
        } else if !matches!(status.phase.as_deref(), Some("Succeeded" | "Failed")) {
            reason = "Terminating".into();
        }
    }

    let restarts = match &last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", now.since(Some(t))),
        _ => restarts.to_string(),
    };
    PodCells { ready: format!("{ready}/{total}"), status: reason, restarts }
}

pub fn pod_row(pod: &Pod, now: Now, wide: bool) -> Vec<String> {
    let cells = pod_cells(pod, now);
    let mut row = vec![
        pod.metadata.name.clone().unwrap_or_default(),
        cells.ready,
        cells.status,
        cells.restarts,
        now.since(pod.metadata.creation_timestamp.as_ref()),
    ];
    if wide {
        let status = pod.status.clone().unwrap_or_default();
        let spec = pod.spec.clone().unwrap_or_default();
        let none = || "<none>".to_string();
        // The first of status.podIPs (not status.podIP).
        row.push(
            status
                .pod_ips
                .and_then(|ips| ips.into_iter().next())
                .map(|ip| ip.ip)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(none),
        );
        row.push(spec.node_name.filter(|s| !s.is_empty()).unwrap_or_else(none));
        row.push(status.nominated_node_name.filter(|s| !s.is_empty()).unwrap_or_else(none));
        let gates = spec.readiness_gates.unwrap_or_default();
        if gates.is_empty() {
            row.push(none());
        } else {
            let conds = status.conditions.unwrap_or_default();
            let ok = gates
                .iter()
                .filter(|g| conds.iter().any(|c| c.type_ == g.condition_type && c.status == "True"))
                .count();
            row.push(format!("{ok}/{}", gates.len()));
        }
    }
    row
}

pub const POD_HEADERS: &[&str] = &["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
pub const POD_WIDE_HEADERS: &[&str] = &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"];

pub const NODE_HEADERS: &[&str] = &["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
pub const NODE_WIDE_HEADERS: &[&str] =
    &["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"];

pub fn node_row(node: &Node, now: Now, wide: bool) -> Vec<String> {
    let default_status = k8s_openapi::api::core::v1::NodeStatus::default();
    let status = node.status.as_ref().unwrap_or(&default_status);
    let mut conds = Vec::new();
    // printNode: Ready when True, NotReady for any other status (Unknown included), Unknown
    // only without a Ready condition (the last one of that type counts).
    match status.conditions.iter().flatten().rev().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => conds.push("Ready".to_string()),
        Some(_) => conds.push("NotReady".to_string()),
        None => conds.push("Unknown".to_string()),
    }
    if node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false) {
        conds.push("SchedulingDisabled".into());
    }
    let mut roles: Vec<String> = node
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, v)| {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                (!role.is_empty()).then(|| role.to_string())
            } else if k == "kubernetes.io/role" {
                (!v.is_empty()).then(|| v.clone())
            } else {
                None
            }
        })
        .collect();
    crate::sorting::sort(&mut roles);
    roles.dedup();
    let default_info = k8s_openapi::api::core::v1::NodeSystemInfo::default();
    let info = status.node_info.as_ref().unwrap_or(&default_info);
    let mut row = vec![
        node.metadata.name.clone().unwrap_or_default(),
        conds.join(","),
        if roles.is_empty() { "<none>".into() } else { roles.join(",") },
        now.since(node.metadata.creation_timestamp.as_ref()),
        info.kubelet_version.clone(),
    ];
    if wide {
        let addr = |t: &str| {
            status
                .addresses
                .iter()
                .flatten()
                .find(|a| a.type_ == t)
                .map(|a| a.address.clone())
                .unwrap_or_else(|| "<none>".into())
        };
        row.push(addr("InternalIP"));
        row.push(addr("ExternalIP"));
        let or_unknown = |v: &str| {
            if v.is_empty() {
                "<unknown>".to_string()
            } else {
                v.to_string()
            }
        };
        row.push(or_unknown(&info.os_image));
        row.push(or_unknown(&info.kernel_version));
        row.push(or_unknown(&info.container_runtime_version));
    }
    row
}

pub const EVENT_HEADERS: &[&str] = &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
pub const EVENT_WIDE_HEADERS: &[&str] =
    &["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"];

/// printEvent: LAST SEEN is the age of lastTimestamp (falling back to the first time seen, or
/// the series' last observation for events.k8s.io events), as a HumanDuration.
pub fn event_row(e: &Event, now: Now, wide: bool) -> Vec<String> {
    let first = match &e.first_timestamp {
        Some(t) => now.since(Some(t)),
        None => now.since_micro(e.event_time.as_ref()),
    };
    let mut last = match &e.last_timestamp {
        Some(t) => now.since(Some(t)),
        None => first.clone(),
    };
    let mut count = e.count.unwrap_or(0);
    if let Some(series) = &e.series {
        last = now.since_micro(series.last_observed_time.as_ref());
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        // Singleton events of the new API have no count.
        count = 1;
    }
    let obj = &e.involved_object;
    let kind = obj.kind.clone().unwrap_or_default().to_lowercase();
    let target = match obj.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("{kind}/{name}"),
        None => kind,
    };
    let message = e.message.clone().unwrap_or_default().trim().to_string();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    if wide {
        let source = e.source.clone().unwrap_or_default();
        let component = text(&source.component);
        let component = if component.is_empty() { text(&e.reporting_component) } else { component };
        let host = text(&source.host);
        let host = if host.is_empty() { text(&e.reporting_instance) } else { host };
        let source = if host.is_empty() { component } else { format!("{component}, {host}") };
        vec![
            last,
            text(&e.type_),
            text(&e.reason),
            target,
            text(&obj.field_path),
            source,
            message,
            first,
            count.to_string(),
            text(&e.metadata.name),
        ]
    } else {
        vec![last, text(&e.type_), text(&e.reason), target, message]
    }
}

pub const SERVICE_HEADERS: &[&str] = &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"];
pub const ENDPOINTS_HEADERS: &[&str] = &["NAME", "ENDPOINTS", "AGE"];
pub const ENDPOINT_SLICE_HEADERS: &[&str] = &["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"];

/// printService: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S) (`80/TCP`, `80:30080/TCP`), and with
/// `-o wide` the SELECTOR.
pub fn service_row(svc: &k8s_openapi::api::core::v1::Service, now: Now, wide: bool) -> Vec<String> {
    let spec = svc.spec.clone().unwrap_or_default();
    let type_ = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec.cluster_ip.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "<none>".into());
    let external = match type_.as_str() {
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        "LoadBalancer" => {
            let ingress: Vec<String> = svc
                .status
                .iter()
                .flat_map(|s| s.load_balancer.iter())
                .flat_map(|lb| lb.ingress.iter().flatten())
                .filter_map(|i| i.ip.clone().or(i.hostname.clone()))
                .collect();
            if ingress.is_empty() {
                "<pending>".into()
            } else {
                ingress.join(",")
            }
        }
        _ => {
            spec.external_ips.clone().filter(|v| !v.is_empty()).map(|v| v.join(",")).unwrap_or_else(|| "<none>".into())
        }
    };
    let ports: Vec<String> = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            match p.node_port {
                Some(np) if np != 0 => format!("{}:{np}/{proto}", p.port),
                _ => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    let mut row = vec![
        svc.metadata.name.clone().unwrap_or_default(),
        type_,
        cluster_ip,
        external,
        if ports.is_empty() { "<none>".into() } else { ports.join(",") },
        now.since(svc.metadata.creation_timestamp.as_ref()),
    ];
    if wide {
        let sel: Vec<String> = spec.selector.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
        row.push(if sel.is_empty() { "<none>".into() } else { sel.join(",") });
    }
    row
}

/// formatEndpoints: up to three `ip:port`, then ` + N more...`; `<none>` when empty.
pub fn endpoints_row(ep: &k8s_openapi::api::core::v1::Endpoints, now: Now) -> Vec<String> {
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0;
    for ss in ep.subsets.iter().flatten() {
        let addrs = ss.addresses.as_deref().unwrap_or(&[]);
        let ports = ss.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            for a in addrs {
                if list.len() < MAX {
                    list.push(a.ip.clone());
                }
                count += 1;
            }
        } else {
            for p in ports {
                for a in addrs {
                    if list.len() < MAX {
                        list.push(format!("{}:{}", a.ip, p.port));
                    }
                    count += 1;
                }
            }
        }
    }
    let cell = if count == 0 {
        "<none>".to_string()
    } else if count > MAX {
        format!("{} + {} more...", list.join(","), count - MAX)
    } else {
        list.join(",")
    };
    vec![ep.metadata.name.clone().unwrap_or_default(), cell, now.since(ep.metadata.creation_timestamp.as_ref())]
}

/// printEndpointSlice: ADDRESSTYPE, PORTS (`80,443` or `<unset>`), ENDPOINTS (addresses).
pub fn endpoint_slice_row(s: &k8s_openapi::api::discovery::v1::EndpointSlice, now: Now) -> Vec<String> {
    let ports: Vec<String> = s.ports.iter().flatten().filter_map(|p| p.port.map(|n| n.to_string())).collect();
    let addrs: Vec<&String> = s.endpoints.iter().flat_map(|e| e.addresses.iter()).collect();
    let shown: Vec<String> = addrs.iter().take(3).map(|a| a.to_string()).collect();
    let eps = if addrs.is_empty() {
        "<unset>".to_string()
    } else if addrs.len() > 3 {
        format!("{} + {} more...", shown.join(","), addrs.len() - 3)
    } else {
        shown.join(",")
    };
    vec![
        s.metadata.name.clone().unwrap_or_default(),
        s.address_type.clone(),
        if ports.is_empty() { "<unset>".into() } else { ports.join(",") },
        eps,
        now.since(s.metadata.creation_timestamp.as_ref()),
    ]
}

pub const DEPLOYMENT_HEADERS: &[&str] = &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"];
pub const REPLICASET_HEADERS: &[&str] = &["NAME", "DESIRED", "CURRENT", "READY", "AGE"];

fn containers_images(t: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>) -> (String, String) {
    let cs: Vec<&k8s_openapi::api::core::v1::Container> =
        t.and_then(|t| t.spec.as_ref()).map(|s| s.containers.iter().collect()).unwrap_or_default();
    (
        cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        cs.iter().map(|c| c.image.clone().unwrap_or_default()).collect::<Vec<_>>().join(","),
    )
}

/// printDeployment: READY is `ready/desired`, then UP-TO-DATE and AVAILABLE.
pub fn deployment_row(d: &k8s_openapi::api::apps::v1::Deployment, now: Now, wide: bool) -> Vec<String> {
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let mut row = vec![
        d.metadata.name.clone().unwrap_or_default(),
        format!("{}/{}", st.ready_replicas.unwrap_or(0), spec.replicas.unwrap_or(1)),
        st.updated_replicas.unwrap_or(0).to_string(),
        st.available_replicas.unwrap_or(0).to_string(),
        now.since(d.metadata.creation_timestamp.as_ref()),
    ];
    if wide {
        let (c, i) = containers_images(Some(&spec.template));
        row.extend([c, i, super::describe::format_label_selector(&spec.selector)]);
    }
    row
}

/// printReplicaSet: DESIRED, CURRENT, READY.
pub fn replicaset_row(rs: &k8s_openapi::api::apps::v1::ReplicaSet, now: Now, wide: bool) -> Vec<String> {
    let spec = rs.spec.clone().unwrap_or_default();
    let st = rs.status.clone().unwrap_or_default();
    let mut row = vec![
        rs.metadata.name.clone().unwrap_or_default(),
        spec.replicas.unwrap_or(1).to_string(),
        st.replicas.to_string(),
        st.ready_replicas.unwrap_or(0).to_string(),
        now.since(rs.metadata.creation_timestamp.as_ref()),
    ];
    if wide {
        let (c, i) = containers_images(spec.template.as_ref());
        row.extend([c, i, super::describe::format_label_selector(&spec.selector)]);
    }
    row
}

/// printReplicationController: DESIRED, CURRENT, READY.
pub fn rc_row(rc: &k8s_openapi::api::core::v1::ReplicationController, now: Now, wide: bool) -> Vec<String> {
    let spec = rc.spec.clone().unwrap_or_default();
    let st = rc.status.clone().unwrap_or_default();
    let mut row = vec![
        rc.metadata.name.clone().unwrap_or_default(),
        spec.replicas.unwrap_or(1).to_string(),
        st.replicas.to_string(),
        st.ready_replicas.unwrap_or(0).to_string(),
        now.since(rc.metadata.creation_timestamp.as_ref()),
    ];
    if wide {
        let (c, i) = containers_images(spec.template.as_ref());
        let sel: Vec<String> = spec.selector.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
        row.extend([c, i, if sel.is_empty() { "<none>".into() } else { sel.join(",") }]);
    }
    row
}

pub const JOB_HEADERS: &[&str] = &["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"];
pub const JOB_WIDE_HEADERS: &[&str] =
    &["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"];

/// printJob: STATUS from the conditions (Complete, Failed, Terminating, Suspended, FailureTarget,
/// SuccessCriteriaMet, else Running), COMPLETIONS `succeeded/completions`, DURATION from
/// startTime to completionTime (or now).
pub fn job_row(job: &k8s_openapi::api::batch::v1::Job, now: Now, wide: bool) -> Vec<String> {
    let spec = job.spec.clone().unwrap_or_default();
    let st = job.status.clone().unwrap_or_default();
    let has = |t: &str| st.conditions.iter().flatten().any(|c| c.type_ == t && c.status == "True");
    let status = if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if job.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    };
    let succeeded = st.succeeded.unwrap_or(0);
    let completions = match (spec.completions, spec.parallelism) {
        (Some(c), _) => format!("{succeeded}/{c}"),
        (None, Some(p)) if p > 1 => format!("{succeeded}/1 of {p}"),
        _ => format!("{succeeded}/1"),
    };
    let duration = match (&st.start_time, &st.completion_time) {
        (None, _) => String::new(),
        (Some(s), Some(c)) => human_duration((now.epoch.millis_of(c)).saturating_sub(now.epoch.millis_of(s))),
        (Some(s), None) => now.since(Some(s)),
    };
    let mut row = vec![
        job.metadata.name.clone().unwrap_or_default(),
        status.into(),
        completions,
        duration,
        now.since(job.metadata.creation_timestamp.as_ref()),
    ];
    if wide {
        let (c, i) = containers_images(Some(&spec.template));
        row.extend([
            c,
            i,
            spec.selector.as_ref().map(super::describe::format_label_selector).unwrap_or_else(|| "<none>".into()),
        ]);
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Epoch;
    use serde_json::json;

    fn now_at(secs: u64) -> Now {
        Now { epoch: Epoch::default(), at: secs * 1000 }
    }

    #[test]
    fn event_rows_follow_print_event() {
        // Legacy event, aggregated: LAST SEEN from lastTimestamp.
        let legacy: Event = serde_json::from_value(json!({
            "metadata": {"name": "web.a"},
            "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{app}"},
            "type": "Warning", "reason": "BackOff", "message": "  Back-off restarting failed container  ",
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:02:00Z", "count": 5,
            "source": {"component": "kubelet", "host": "node-1"}
        }))
        .unwrap();
        assert_eq!(
            event_row(&legacy, now_at(150), false),
            ["30s", "Warning", "BackOff", "pod/web", "Back-off restarting failed container"]
        );
        assert_eq!(
            event_row(&legacy, now_at(150), true),
            [
                "30s",
                "Warning",
                "BackOff",
                "pod/web",
                "spec.containers{app}",
                "kubelet, node-1",
                "Back-off restarting failed container",
                "2m30s",
                "5",
                "web.a"
            ]
        );
        // events.k8s.io event: eventTime, series, reporting controller; no kind name → kind only.
        let new: Event = serde_json::from_value(json!({
            "metadata": {"name": "x.b"},
            "involvedObject": {"kind": "Node"},
            "type": "Normal", "reason": "Scheduled", "message": "m",
            "eventTime": "2026-01-01T00:00:10.500000Z",
            "series": {"count": 3, "lastObservedTime": "2026-01-01T00:01:00.000000Z"},
            "reportingComponent": "default-scheduler", "reportingInstance": "default-scheduler-a"
        }))
        .unwrap();
        assert_eq!(
            event_row(&new, now_at(300), true),
            [
                "4m",
                "Normal",
                "Scheduled",
                "node",
                "",
                "default-scheduler, default-scheduler-a",
                "m",
                "4m49s",
                "3",
                "x.b"
            ]
        );
        // A singleton of the new API has no count: it prints 1.
        let single: Event = serde_json::from_value(json!({"metadata": {"name": "s"}, "involvedObject": {},
            "eventTime": "2026-01-01T00:00:00.000000Z"}))
        .unwrap();
        assert_eq!(event_row(&single, now_at(59), true)[8], "1");
        assert_eq!(event_row(&single, now_at(59), true)[0], "59s");
    }

    #[test]
    fn pod_cells_count_sidecars_and_gates() {
        let pod: Pod = serde_json::from_value(json!({
            "spec": {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}, {"name": "setup"}],
                "containers": [{"name": "app"}]},
            "status": {"phase": "Running",
                "conditions": [{"type": "Initialized", "status": "True"}],
                "initContainerStatuses": [
                    {"name": "proxy", "image": "", "imageID": "", "ready": true, "restartCount": 2, "started": true,
                     "state": {"running": {}}, "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-01-01T00:00:30Z"}}},
                    {"name": "setup", "image": "", "imageID": "", "ready": false, "restartCount": 0,
                     "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
                "containerStatuses": [{"name": "app", "image": "", "imageID": "", "ready": true, "restartCount": 1,
                    "state": {"running": {}}, "lastState": {"terminated": {"exitCode": 2, "finishedAt": "2026-01-01T00:00:40Z"}}}]}
        }))
        .unwrap();
        let cells = pod_cells(&pod, now_at(100));
        assert_eq!(
            (cells.ready.as_str(), cells.status.as_str(), cells.restarts.as_str()),
            ("2/2", "Running", "3 (60s ago)")
        );
        let gated: Pod = serde_json::from_value(json!({
            "spec": {"containers": [{"name": "app"}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}
        }))
        .unwrap();
        assert_eq!(pod_cells(&gated, now_at(0)).status, "SchedulingGated");
    }

    #[test]
    fn node_status_column() {
        let node = |status: &str| -> Node {
            serde_json::from_value(json!({"metadata": {"name": "n"}, "spec": {"unschedulable": true},
                "status": {"conditions": [{"type": "Ready", "status": status}]}}))
            .unwrap()
        };
        assert_eq!(node_row(&node("True"), now_at(0), false)[1], "Ready,SchedulingDisabled");
        assert_eq!(node_row(&node("Unknown"), now_at(0), false)[1], "NotReady,SchedulingDisabled");
        let wide = node_row(&node("False"), now_at(0), true);
        assert_eq!(&wide[5..], ["<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"]);
    }
}
