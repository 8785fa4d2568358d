//! The kubelet's status computations (pkg/kubelet/kubelet_pods.go: getPhase,
//! generateAPIPodStatus, convertToAPIContainerStatuses; pkg/kubelet/status/generate.go: pod
//! conditions).

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, HostIP,
    Pod, PodCondition, PodIP, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::Exit;
use crate::runtime::catalog;
use crate::time::{Epoch, Millis};

/// What the status manager knows of one container.
#[derive(Clone, Debug)]
pub(crate) struct ContainerView {
    pub name: String,
    /// The container's volume mounts, reported in status (RecursiveReadOnlyMounts, GA).
    pub mounts: Vec<k8s_openapi::api::core::v1::VolumeMount>,
    pub image: String,
    pub sidecar: bool,
    pub running_since: Option<Millis>,
    /// The current instance's exit, once the PLEG noticed it.
    pub exit: Option<Exit>,
    pub container_id: Option<String>,
    /// The previous instance's exit.
    pub last: Option<Exit>,
    pub restart_count: i32,
    pub waiting: Option<(String, Option<String>)>,
    pub default_waiting: &'static str,
    pub ready: bool,
    pub started: bool,
}

pub(crate) struct Input<'a> {
    pub node_ip: &'a str,
    pub pod_ip: String,
    pub sandbox_ready: bool,
    pub init: Vec<ContainerView>,
    pub app: Vec<ContainerView>,
    /// The pod was deleted and every container has stopped.
    pub terminal: bool,
}

fn terminated(e: &Exit, epoch: Epoch) -> ContainerStateTerminated {
    ContainerStateTerminated {
        exit_code: e.code,
        reason: Some(e.reason.clone()),
        started_at: Some(epoch.time(e.started_at)),
        finished_at: Some(epoch.time(e.finished_at)),
        container_id: Some(format!("containerd://{}", e.container_id)),
        message: None,
        signal: None,
    }
}

fn container_status(c: &ContainerView, epoch: Epoch) -> ContainerStatus {
    let known = c.container_id.is_some();
    let waiting = |reason: &str, message: Option<String>| ContainerState {
        waiting: Some(ContainerStateWaiting { reason: Some(reason.into()), message }),
        ..Default::default()
    };
    let (state, last) = if let Some(t) = c.running_since {
        (
            ContainerState {
                running: Some(ContainerStateRunning { started_at: Some(epoch.time(t)) }),
                ..Default::default()
            },
            c.last.as_ref(),
        )
    } else if let Some((reason, message)) = &c.waiting {
        // Waiting to (re)start: the exited instance moves to lastState.
        (waiting(reason, message.clone()), c.exit.as_ref().or(c.last.as_ref()))
    } else if let Some(e) = &c.exit {
        (ContainerState { terminated: Some(terminated(e, epoch)), ..Default::default() }, c.last.as_ref())
    } else {
        (waiting(c.default_waiting, None), c.last.as_ref())
    };
    let canonical = catalog::canonical(&c.image);
    let repo = canonical.rsplit_once(':').map(|(r, _)| r.to_string()).unwrap_or_else(|| canonical.clone());
    ContainerStatus {
        name: c.name.clone(),
        image: if known { canonical.clone() } else { c.image.clone() },
        image_id: if known { format!("{repo}@sha256:{}", digest(&canonical)) } else { String::new() },
        container_id: c.container_id.as_ref().map(|id| format!("containerd://{id}")),
        ready: c.ready,
        started: known.then_some(c.started),
        restart_count: c.restart_count,
        state: Some(state),
        last_state: Some(ContainerState { terminated: last.map(|e| terminated(e, epoch)), ..Default::default() }),
        volume_mounts: (known && !c.mounts.is_empty()).then(|| {
            c.mounts
                .iter()
                .map(|m| k8s_openapi::api::core::v1::VolumeMountStatus {
                    name: m.name.clone(),
                    mount_path: m.mount_path.clone(),
                    read_only: m.read_only.filter(|r| *r),
                    recursive_read_only: m.read_only.filter(|r| *r).map(|_| "Disabled".into()),
                })
                .collect()
        }),
        ..Default::default()
    }
}

/// A stable fake image digest (FNV-1a of the reference, stretched to 64 hex digits).
pub fn digest(reference: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut out = String::with_capacity(64);
    for round in 0..4u8 {
        for b in reference.bytes().chain([round]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// getPhase over the kubelet's own view (sidecars included; ContainerRestartRules as in 1.35).
fn phase_of(
    policy: &str,
    init: &[ContainerView],
    app: &[ContainerView],
    terminal: bool,
    initialized: bool,
) -> &'static str {
    let restarts = |code: i32| match policy {
        "Always" => true,
        "OnFailure" => code != 0,
        _ => false,
    };
    let mut pending_init = 0;
    let mut failed_not_restartable = 0;
    let mut pending_sidecar = 0;
    let (mut unknown, mut running, mut waiting, mut stopped, mut stopped_final, mut succeeded) = (0, 0, 0, 0, 0, 0);
    for c in init {
        if c.sidecar {
            if c.running_since.is_some() {
                running += 1;
                if !c.started {
                    pending_sidecar += 1;
                }
            } else if c.exit.is_none() && c.last.is_none() {
                pending_sidecar += 1;
                waiting += 1;
            }
            continue;
        }
        let exit = c.exit.as_ref().or(c.last.as_ref().filter(|_| c.waiting.is_some()));
        match (c.running_since, exit) {
            (Some(_), _) => pending_init += 1,
            (None, Some(e)) if e.code == 0 && c.exit.is_some() => {}
            (None, Some(e)) if e.code != 0 => {
                if !restarts(e.code) {
                    failed_not_restartable += 1;
                }
            }
            _ => pending_init += 1,
        }
    }
    for c in app {
        if c.running_since.is_some() {
            running += 1;
        } else if let Some(e) = c.exit.as_ref() {
            stopped += 1;
            if e.code == 0 {
                succeeded += 1;
            }
            if !restarts(e.code) {
                stopped_final += 1;
            }
        } else if c.container_id.is_some() || c.last.is_some() {
            stopped += 1;
        } else if c.waiting.is_some() || c.container_id.is_none() {
            waiting += 1;
        } else {
            unknown += 1;
        }
    }
    if failed_not_restartable > 0 {
        return "Failed";
    }
    if pending_init > 0 || (pending_sidecar > 0 && !initialized) || waiting > 0 {
        return "Pending";
    }
    if running > 0 && unknown == 0 {
        return "Running";
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if terminal {
            return if stopped == succeeded { "Succeeded" } else { "Failed" };
        }
        if stopped != stopped_final {
            return "Running";
        }
        return if stopped == succeeded { "Succeeded" } else { "Failed" };
    }
    "Pending"
}

/// generateAPIPodStatus: phase, conditions (in the kubelet's order), IPs and container statuses.
pub(crate) fn generate(pod: &Pod, input: &Input, epoch: Epoch, now: Millis) -> PodStatus {
    let old = pod.status.clone().unwrap_or_default();
    let now_t = epoch.time(now);
    let policy = pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("Always");
    let any_app_started = input.app.iter().any(|c| c.container_id.is_some());
    let incomplete: Vec<&str> = input
        .init
        .iter()
        .filter(|c| if c.sidecar { !c.started } else { c.exit.as_ref().is_none_or(|e| e.code != 0) })
        .map(|c| c.name.as_str())
        .collect();
    let initialized = input.init.is_empty() || any_app_started || incomplete.is_empty();
    let mut phase = phase_of(policy, &input.init, &input.app, input.terminal, initialized);
    // A terminal phase is never left.
    if matches!(old.phase.as_deref(), Some("Succeeded" | "Failed")) {
        phase = if old.phase.as_deref() == Some("Succeeded") { "Succeeded" } else { "Failed" };
    }
    let prev = old.conditions.clone().unwrap_or_default();
    let mut conditions: Vec<PodCondition> = prev
        .iter()
        .filter(|c| {
            !matches!(
                c.type_.as_str(),
                "PodScheduled" | "Ready" | "Initialized" | "ContainersReady" | "PodReadyToStartContainers"
            )
        })
        .cloned()
        .collect();
    conditions.push(condition(&prev, "PodReadyToStartContainers", input.sandbox_ready, None, None, &now_t));
    if initialized {
        conditions.push(condition(&prev, "Initialized", true, None, None, &now_t));
    } else {
        conditions.push(condition(
            &prev,
            "Initialized",
            false,
            Some("ContainersNotInitialized"),
            Some(format!("containers with incomplete status: [{}]", incomplete.join(" "))),
            &now_t,
        ));
    }
    let unready: Vec<&str> = input
        .init
        .iter()
        .filter(|c| c.sidecar)
        .chain(input.app.iter())
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    let (cr_ok, cr_reason, cr_msg) = match phase {
        "Succeeded" => (false, Some("PodCompleted"), None),
        "Failed" => (false, Some("PodFailed"), None),
        _ if !unready.is_empty() => (
            false,
            Some("ContainersNotReady"),
            Some(format!("containers with unready status: [{}]", unready.join(" "))),
        ),
        _ => (true, None, None),
    };
    // Ready also waits for every readiness gate's condition, which others (a controller, a
    // `kubectl patch --subresource=status`) set; the conditions kept above are theirs
    // (pkg/kubelet/status/generate.go GeneratePodReadyCondition).
    let gates = readiness_gates(pod, &conditions);
    if cr_ok && !gates.is_empty() {
        conditions.push(condition(
            &prev,
            "Ready",
            false,
            Some("ReadinessGatesNotReady"),
            Some(gates.join(", ")),
            &now_t,
        ));
    } else {
        conditions.push(condition(&prev, "Ready", cr_ok, cr_reason, cr_msg.clone(), &now_t));
    }
    conditions.push(condition(&prev, "ContainersReady", cr_ok, cr_reason, cr_msg, &now_t));
    conditions.extend(prev.iter().filter(|c| c.type_ == "PodScheduled").cloned());
    let ip = (!input.pod_ip.is_empty()).then(|| input.pod_ip.clone());
    PodStatus {
        phase: Some(phase.into()),
        conditions: Some(conditions),
        host_ip: Some(input.node_ip.to_string()),
        host_ips: Some(vec![HostIP { ip: input.node_ip.to_string() }]),
        pod_ip: ip.clone(),
        pod_ips: ip.map(|ip| vec![PodIP { ip }]),
        start_time: old.start_time.clone().or(Some(now_t)),
        init_container_statuses: (!input.init.is_empty())
            .then(|| input.init.iter().map(|c| container_status(c, epoch)).collect()),
        container_statuses: Some({
            let mut v: Vec<ContainerStatus> = input.app.iter().map(|c| container_status(c, epoch)).collect();
            crate::sorting::sort_by(&mut v, |a, b| a.name.cmp(&b.name)); // the kubelet sorts app container statuses by name
            v
        }),
        qos_class: old.qos_class.clone(),
        ..Default::default()
    }
}

/// Why each readiness gate of the pod is not satisfied by `conditions` (none: all are True).
fn readiness_gates(pod: &Pod, conditions: &[PodCondition]) -> Vec<String> {
    let gates = pod.spec.as_ref().and_then(|s| s.readiness_gates.as_ref());
    gates
        .into_iter()
        .flatten()
        .filter_map(|g| match conditions.iter().find(|c| c.type_ == g.condition_type) {
            None => {
                Some(format!("corresponding condition of pod readiness gate {:?} does not exist.", g.condition_type))
            }
            Some(c) if c.status != "True" => Some(format!(
                "the status of pod readiness gate {:?} is not \"True\", but {}",
                g.condition_type, c.status
            )),
            Some(_) => None,
        })
        .collect()
}

/// Builds a condition, keeping the previous transition time when the status did not change
/// (the status manager's rule).
pub fn condition(
    previous: &[PodCondition],
    type_: &str,
    ok: bool,
    reason: Option<&str>,
    message: Option<String>,
    now: &Time,
) -> PodCondition {
    let status = if ok { "True" } else { "False" };
    let transition = previous
        .iter()
        .find(|c| c.type_ == type_ && c.status == status)
        .and_then(|c| c.last_transition_time.clone())
        .unwrap_or_else(|| now.clone());
    PodCondition {
        type_: type_.into(),
        status: status.into(),
        reason: reason.map(Into::into),
        message,
        last_transition_time: Some(transition),
        last_probe_time: None,
        observed_generation: None,
    }
}
