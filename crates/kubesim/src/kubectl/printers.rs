//! Table rows as kubectl prints them (pkg/printers/internalversion/printers.go).

use k8s_openapi::api::core::v1::{Event, Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

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

pub fn pod_cells(pod: &Pod, now: Now) -> PodCells {
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let total = spec.containers.len();
    let mut ready = 0;
    let mut restarts: i32 = 0;
    let mut last_restart: Option<Time> = None;
    let mut reason =
        status.reason.clone().filter(|r| !r.is_empty()).unwrap_or_else(|| status.phase.clone().unwrap_or_default());

    let note_restart = |t: Option<&Time>, last: &mut Option<Time>| {
        if let Some(t) = t {
            if last.as_ref().is_none_or(|l| t.0 > l.0) {
                *last = Some(t.clone());
            }
        }
    };

    let mut initializing = false;
    let init_specs = spec.init_containers.clone().unwrap_or_default();
    for (i, c) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts += c.restart_count;
        let last_term = c.last_state.as_ref().and_then(|s| s.terminated.as_ref());
        note_restart(last_term.and_then(|t| t.finished_at.as_ref()), &mut last_restart);
        let state = c.state.clone().unwrap_or_default();
        if let Some(t) = &state.terminated {
            if t.exit_code == 0 {
                continue;
            }
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal.unwrap_or(0) != 0 => format!("Init:Signal:{}", t.signal.unwrap_or(0)),
                None => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(w) =
            state.waiting.as_ref().and_then(|w| w.reason.clone()).filter(|r| !r.is_empty() && r != "PodInitializing")
        {
            reason = format!("Init:{w}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    let initialized = status.conditions.iter().flatten().any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = 0;
        last_restart = None;
        let mut has_running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            restarts += c.restart_count;
            let last_term = c.last_state.as_ref().and_then(|s| s.terminated.as_ref());
            note_restart(last_term.and_then(|t| t.finished_at.as_ref()), &mut last_restart);
            let state = c.state.clone().unwrap_or_default();
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
            let pod_ready = status.conditions.iter().flatten().any(|c| c.type_ == "Ready" && c.status == "True");
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
        row.push(status.pod_ip.filter(|s| !s.is_empty()).unwrap_or_else(none));
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
    let status = node.status.clone().unwrap_or_default();
    let mut conds = Vec::new();
    match status.conditions.iter().flatten().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => conds.push("Ready".to_string()),
        Some(c) if c.status == "False" => conds.push("NotReady".to_string()),
        _ => conds.push("Unknown".to_string()),
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
    roles.sort();
    roles.dedup();
    let info = status.node_info.clone().unwrap_or_default();
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
        row.push(info.os_image.clone());
        row.push(info.kernel_version.clone());
        row.push(info.container_runtime_version.clone());
    }
    row
}

pub const EVENT_HEADERS: &[&str] = &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];

pub fn event_row(e: &Event, now: Now) -> Vec<String> {
    let last = e.last_timestamp.as_ref().or(e.first_timestamp.as_ref());
    let obj = &e.involved_object;
    vec![
        now.short_since(last),
        e.type_.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
        format!("{}/{}", obj.kind.clone().unwrap_or_default().to_lowercase(), obj.name.clone().unwrap_or_default()),
        e.message.clone().unwrap_or_default().trim().to_string(),
    ]
}
