//! The timeline: how each container of a pod lived and died over virtual time, read back from the
//! apiserver's watch log (every pod version, every event occurrence) and the kubelet (the live
//! crash-loop back-off deadline, the recent probe runs).
//!
//! Per container a lane of segments (Waiting with its reason, Running ready or not, Terminated with
//! its exit code), the restarts (restartCount increments), the crash-loop back-off wait before
//! each restart with its length, probe ticks, image pulls (Pulling → Pulled/Failed events) and the
//! events themselves as markers.
//!
//! [`Index`] follows the log incrementally (only new entries are read on each update) and keeps,
//! per pod, the positions of its versions and events, so computing a pod's lanes costs only that
//! pod's history: the page can keep a timeline of the pods in view with thousands in the cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use serde::Serialize;

use crate::api::{Kind, Object, ObjectKey};
use crate::kubectl::printers::{pod_row, Now};
use crate::kubelet::prober::{ProbeKind, ProbeResult};
use crate::sim::Simulation;
use crate::store::{Op, Store};
use crate::time::{parse_duration, Epoch, Millis};

/// What a container is doing during a segment (its API `state`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum State {
    /// The pod exists but the kubelet has not reported this container yet (unscheduled, or the
    /// pod's first sync has not happened).
    NoStatus,
    /// `state.waiting`: ContainerCreating, PodInitializing, CrashLoopBackOff, ErrImagePull,
    /// ImagePullBackOff, ...
    Waiting { reason: String, message: String },
    /// `state.running`, with the container's `ready` and `started` flags.
    Running { ready: bool, started: bool },
    /// `state.terminated` (or, between an exit and the kubelet noticing it, the exit that
    /// `lastState.terminated` reports afterwards).
    Terminated { exit_code: i32, reason: String },
}

impl State {
    /// A short label: the waiting/terminated reason, or Running (ready/not ready).
    pub fn label(&self) -> String {
        match self {
            State::NoStatus => "Pending".into(),
            State::Waiting { reason, .. } => reason.clone(),
            State::Running { ready: true, .. } => "Running (ready)".into(),
            State::Running { started: false, .. } => "Running (not started)".into(),
            State::Running { .. } => "Running (not ready)".into(),
            State::Terminated { exit_code, reason } => format!("{reason} (exit code {exit_code})"),
        }
    }
}

/// One stretch of a lane, `[from, to)`; the last segment of a live container ends at `now`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub from: Millis,
    pub to: Millis,
    pub state: State,
}

/// A restart: `restartCount` became `count` at `at` (the new instance started).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Restart {
    pub at: Millis,
    pub count: i32,
    /// How the previous instance ended (`lastState.terminated`).
    pub exit_code: Option<i32>,
    pub reason: String,
}

/// A crash-loop back-off: from the exit the kubelet counts from to the restart it allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackoffWait {
    pub from: Millis,
    /// When the container restarts (or, for the ongoing wait, will restart).
    pub until: Millis,
    /// The back-off length (10 s, 20 s, 40 s ... 300 s).
    pub backoff: Millis,
    /// Still being waited out at `now`.
    pub ongoing: bool,
}

/// An image pull: the Pulling event to the Pulled or Failed one (`to` is `now` while it runs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PullSpan {
    pub from: Millis,
    pub to: Millis,
    pub image: String,
    /// None while pulling.
    pub ok: Option<bool>,
}

/// One probe run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeMark {
    pub at: Millis,
    pub kind: &'static str,
    /// "Success", "Failure" or "Unknown" (the probe errored).
    pub result: &'static str,
}

/// One occurrence of an event (an aggregated Event counts once per occurrence).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventMark {
    pub at: Millis,
    pub type_: String,
    pub reason: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContainerLane {
    pub name: String,
    pub init: bool,
    pub segments: Vec<Segment>,
    pub restarts: Vec<Restart>,
    pub backoffs: Vec<BackoffWait>,
    pub pulls: Vec<PullSpan>,
    pub probes: Vec<ProbeMark>,
    pub events: Vec<EventMark>,
    /// The kubelet's deadline for the next restart while a back-off is being waited out.
    pub next_restart: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PodTimeline {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub created: Millis,
    /// When the object left the API (the lanes end there).
    pub deleted: Option<Millis>,
    /// The end of the lanes: `now`, or the deletion.
    pub end: Millis,
    /// Init containers first, in spec order, then app containers.
    pub containers: Vec<ContainerLane>,
    /// Events about the pod as a whole (Scheduled, FailedScheduling, ...).
    pub events: Vec<EventMark>,
}

#[derive(Clone, Debug, Default)]
struct PodEntries {
    /// Log positions of the pod's versions.
    changes: Vec<usize>,
    /// Log positions of events whose involvedObject is the pod.
    events: Vec<usize>,
}

/// Log positions per pod, kept up to date incrementally.
#[derive(Clone, Debug, Default)]
pub struct Index {
    cursor: usize,
    /// namespace → pod name → entries (nested so a lookup needs no allocation).
    pods: BTreeMap<String, BTreeMap<String, PodEntries>>,
}

impl Index {
    /// Reads the log entries written since the last update.
    pub fn update(&mut self, store: &Store) {
        let log = store.log();
        for (i, change) in log.iter().enumerate().skip(self.cursor) {
            match change.key.kind {
                Kind::Pod => self.entries_mut(&change.key.namespace, &change.key.name).changes.push(i),
                Kind::Event if change.op != Op::Deleted => {
                    let Some(e) = change.object.as_event() else { continue };
                    let o = &e.involved_object;
                    if o.kind.as_deref() == Some("Pod") {
                        let ns = o.namespace.as_deref().unwrap_or(&change.key.namespace);
                        self.entries_mut(ns, o.name.as_deref().unwrap_or("")).events.push(i);
                    }
                }
                _ => {}
            }
        }
        self.cursor = log.len();
    }

    fn entries_mut(&mut self, namespace: &str, name: &str) -> &mut PodEntries {
        if !self.pods.contains_key(namespace) {
            self.pods.insert(namespace.to_string(), BTreeMap::new());
        }
        let by_name = self.pods.get_mut(namespace).expect("inserted above");
        if !by_name.contains_key(name) {
            by_name.insert(name.to_string(), PodEntries::default());
        }
        by_name.get_mut(name).expect("inserted above")
    }

    fn entries(&self, namespace: &str, name: &str) -> Option<&PodEntries> {
        self.pods.get(namespace)?.get(name)
    }

    /// Every pod the log has seen (`namespace`, `name`), sorted.
    pub fn pods(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.pods.iter().flat_map(|(ns, by_name)| {
            by_name.iter().filter(|(_, e)| !e.changes.is_empty()).map(move |(n, _)| (ns.as_str(), n.as_str()))
        })
    }

    /// The pod as it was stored at `t` (its last version written at or before `t`); None before
    /// it existed or after its deletion.
    pub fn pod_at<'a>(&self, store: &'a Store, namespace: &str, name: &str, t: Millis) -> Option<&'a Pod> {
        let entries = self.entries(namespace, name)?;
        let log = store.log();
        let n = entries.changes.partition_point(|&i| log.get(i).is_some_and(|c| c.at <= t));
        let change = log.get(*entries.changes.get(n.checked_sub(1)?)?)?;
        if change.op == Op::Deleted {
            return None;
        }
        change.object.as_pod()
    }

    /// The timeline of one pod (its current or last incarnation), up to the simulation's `now`.
    pub fn pod(&self, sim: &Simulation, namespace: &str, name: &str) -> Option<PodTimeline> {
        build(sim, self.entries(namespace, name)?)
    }
}

fn build(sim: &Simulation, entries: &PodEntries) -> Option<PodTimeline> {
    let store = sim.store();
    let log = store.log();
    let epoch = store.epoch();
    let now = sim.now();
    // A pod deleted and created again under the same name: show the newest incarnation.
    let start = entries.changes.iter().rposition(|&i| log.get(i).is_some_and(|c| c.op == Op::Added)).unwrap_or(0);
    let versions: Vec<&crate::store::Change> = entries.changes[start..].iter().filter_map(|&i| log.get(i)).collect();
    let first = versions.first()?;
    let last = versions.last()?;
    let latest = last.object.as_pod()?;
    let uid = latest.metadata.uid.clone().unwrap_or_default();
    let created = first.at;
    let deleted = (last.op == Op::Deleted).then_some(last.at);
    let end = deleted.unwrap_or(now).max(created);
    let spec = latest.spec.clone().unwrap_or_default();
    let policy = spec.restart_policy.clone().unwrap_or_else(|| "Always".into());
    let node = spec.node_name.clone().unwrap_or_default();
    let kubelet = sim.kubelet(&node).filter(|_| deleted.is_none());
    let key = ObjectKey::new(Kind::Pod, namespace_of(latest), latest.metadata.name.as_deref().unwrap_or(""));

    let names: Vec<(String, bool)> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| (c.name.clone(), true))
        .chain(spec.containers.iter().map(|c| (c.name.clone(), false)))
        .collect();

    // Event occurrences of this incarnation, split by container (fieldPath) or pod-wide.
    let mut pod_events = Vec::new();
    let mut by_container: BTreeMap<String, Vec<(EventMark, String)>> = BTreeMap::new();
    for change in entries.events.iter().filter_map(|&i| log.get(i)) {
        let Some(e) = change.object.as_event() else { continue };
        if e.involved_object.uid.as_deref().is_some_and(|u| u != uid) || change.at < created {
            continue;
        }
        let mark = EventMark {
            at: change.at,
            type_: e.type_.clone().unwrap_or_default(),
            reason: e.reason.clone().unwrap_or_default(),
            message: e.message.clone().unwrap_or_default(),
        };
        match e.involved_object.field_path.as_deref().and_then(container_of_field) {
            Some(c) => by_container.entry(c.to_string()).or_default().push((mark, c.to_string())),
            None => pod_events.push(mark),
        }
    }

    let mut containers = Vec::new();
    for (name, init) in names {
        let observations: Vec<(Millis, Obs)> = versions
            .iter()
            .filter(|c| c.op != Op::Deleted)
            .filter_map(|c| Some((c.at, c.object.as_pod()?)))
            .map(|(at, pod)| (at, observe(status_of(pod, &name, init), epoch)))
            .collect();
        let live = kubelet.and_then(|k| k.restart_backoff(&key, &name, &policy, now));
        let mut lane = lane_from(&observations, end, live.map(|b| (b.since, b.until, b.backoff)));
        lane.name = name.clone();
        lane.init = init;
        let events: Vec<EventMark> =
            by_container.remove(&name).unwrap_or_default().into_iter().map(|(m, _)| m).collect();
        lane.pulls = pulls(&events, end);
        lane.events = events;
        if let Some(h) = kubelet.and_then(|k| k.probe_history(&key, &name)) {
            lane.probes = h
                .iter()
                .filter(|t| t.at >= created)
                .map(|t| ProbeMark { at: t.at, kind: probe_kind(t.kind), result: probe_result(t.result) })
                .collect();
        }
        containers.push(lane);
    }
    Some(PodTimeline {
        namespace: namespace_of(latest).to_string(),
        name: latest.metadata.name.clone().unwrap_or_default(),
        uid,
        created,
        deleted,
        end,
        containers,
        events: pod_events,
    })
}

fn namespace_of(p: &Pod) -> &str {
    p.metadata.namespace.as_deref().unwrap_or("default")
}

fn probe_kind(k: ProbeKind) -> &'static str {
    match k {
        ProbeKind::Startup => "startup",
        ProbeKind::Liveness => "liveness",
        ProbeKind::Readiness => "readiness",
    }
}

fn probe_result(r: ProbeResult) -> &'static str {
    match r {
        ProbeResult::Success => "Success",
        ProbeResult::Failure => "Failure",
        ProbeResult::Unknown => "Unknown",
    }
}

/// The container an event's fieldPath names (`spec.containers{app}` → `app`).
fn container_of_field(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("spec.containers{")
        .or_else(|| path.strip_prefix("spec.initContainers{"))
        .or_else(|| path.strip_prefix("spec.ephemeralContainers{"))?;
    rest.strip_suffix('}')
}

fn status_of<'a>(pod: &'a Pod, name: &str, init: bool) -> Option<&'a ContainerStatus> {
    let st = pod.status.as_ref()?;
    let list = if init { st.init_container_statuses.as_ref() } else { st.container_statuses.as_ref() };
    list?.iter().find(|c| c.name == name)
}

/// An exit as the API reports it (second resolution).
#[derive(Clone, Debug, PartialEq, Eq)]
struct ExitSeen {
    code: i32,
    reason: String,
    started: Millis,
    finished: Millis,
}

/// One container status, reduced to what the lane needs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Obs {
    state: State,
    restart_count: i32,
    /// `state.terminated`, else `lastState.terminated`.
    exit: Option<ExitSeen>,
    /// The back-off length a CrashLoopBackOff message names.
    backoff: Option<Millis>,
}

fn observe(cs: Option<&ContainerStatus>, epoch: Epoch) -> Obs {
    let Some(cs) = cs else {
        return Obs { state: State::NoStatus, restart_count: 0, exit: None, backoff: None };
    };
    let exit_of = |t: &k8s_openapi::api::core::v1::ContainerStateTerminated| ExitSeen {
        code: t.exit_code,
        reason: t.reason.clone().unwrap_or_default(),
        started: t.started_at.as_ref().map(|f| epoch.millis_of(f)).unwrap_or(0),
        finished: t.finished_at.as_ref().map(|f| epoch.millis_of(f)).unwrap_or(0),
    };
    let st = cs.state.clone().unwrap_or_default();
    let last = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()).map(exit_of);
    let mut backoff = None;
    let state = if let Some(w) = &st.waiting {
        let reason = w.reason.clone().unwrap_or_default();
        let message = w.message.clone().unwrap_or_default();
        if reason == "CrashLoopBackOff" {
            // The kubelet's message: "back-off 40s restarting failed container=app pod=...".
            backoff = message
                .strip_prefix("back-off ")
                .and_then(|m| m.split_whitespace().next())
                .and_then(|d| parse_duration(d).ok());
        }
        State::Waiting { reason, message }
    } else if st.running.is_some() {
        State::Running { ready: cs.ready, started: cs.started.unwrap_or(true) }
    } else if let Some(t) = &st.terminated {
        State::Terminated { exit_code: t.exit_code, reason: t.reason.clone().unwrap_or_default() }
    } else {
        State::Waiting { reason: String::new(), message: String::new() }
    };
    let exit = st.terminated.as_ref().map(exit_of).or(last);
    Obs { state, restart_count: cs.restart_count, exit, backoff }
}

fn empty_lane() -> ContainerLane {
    ContainerLane {
        name: String::new(),
        init: false,
        segments: Vec::new(),
        restarts: Vec::new(),
        backoffs: Vec::new(),
        pulls: Vec::new(),
        probes: Vec::new(),
        events: Vec::new(),
        next_restart: None,
    }
}

/// When the instance of the running segment (the last one) exited. The API's timestamps have
/// one-second resolution but the segment's start is exact (the status write), so the run's
/// length as the API reports it (finishedAt − startedAt) is added to it.
fn exit_time(segs: &[Segment], exit: Option<&ExitSeen>, at: Millis) -> Millis {
    match (segs.last(), exit) {
        (Some(run), Some(e)) if e.finished >= e.started => run.from + (e.finished - e.started),
        (_, Some(e)) => e.finished,
        _ => at,
    }
}

/// Ends the running segment (the last one) at the exit, clamped into the segment, and returns
/// where the exit was placed.
fn end_running(segs: &mut [Segment], exit_at: Millis, at: Millis) -> Millis {
    let Some(last) = segs.last_mut() else { return at };
    let cut = exit_at.clamp(last.from, at.max(last.from));
    last.to = cut;
    cut
}

/// Builds the segments, restarts and back-off waits of one container from its statuses over
/// time. `live` is the kubelet's ongoing back-off (exit, deadline, length), if any.
fn lane_from(observations: &[(Millis, Obs)], end: Millis, live: Option<(Millis, Millis, Millis)>) -> ContainerLane {
    let mut lane = empty_lane();
    let segs = &mut lane.segments;
    let mut prev: Option<&Obs> = None;
    // The back-off the last CrashLoopBackOff status announced, and where that wait started.
    let mut waiting_backoff: Option<(usize, Millis)> = None;
    for (at, obs) in observations {
        let at = *at;
        if prev.is_some_and(|p| p == obs) {
            continue;
        }
        let restarted = prev.is_some_and(|p| obs.restart_count > p.restart_count);
        let was_running = segs.last().is_some_and(|s| matches!(s.state, State::Running { .. }));
        let exit = obs.exit.clone();
        if restarted {
            // The previous instance ended; a back-off wait (if one was shown) ends now.
            if let Some((wait_idx, b)) = waiting_backoff.take() {
                let exit_at = at.saturating_sub(b);
                lane.backoffs.push(BackoffWait { from: exit_at, until: at, backoff: b, ongoing: false });
                place_exit(segs, wait_idx, exit_at);
            } else if was_running {
                // Restarted at once (the first restart has no back-off): cut at the exit.
                let exit_at = exit_time(segs, exit.as_ref(), at);
                let cut = end_running(segs, exit_at, at);
                if cut < at {
                    segs.push(Segment { from: cut, to: at, state: terminated_state(exit.as_ref()) });
                }
            }
            let from = prev.map(|p| p.restart_count).unwrap_or(0);
            for count in (from + 1)..=obs.restart_count {
                lane.restarts.push(Restart {
                    at,
                    count,
                    exit_code: exit.as_ref().map(|e| e.code),
                    reason: exit.as_ref().map(|e| e.reason.clone()).unwrap_or_default(),
                });
            }
        }
        let same_state = segs.last().is_some_and(|s| s.state == obs.state);
        if !same_state || restarted {
            let mut from = at;
            if was_running && !restarted && !matches!(obs.state, State::Running { .. }) {
                // The container exited before the kubelet noticed: end the run at the exit.
                let exit_at = exit_time(segs, exit.as_ref(), at);
                let cut = end_running(segs, exit_at, at);
                if matches!(obs.state, State::Terminated { .. }) {
                    from = cut;
                } else if cut < at {
                    segs.push(Segment { from: cut, to: at, state: terminated_state(exit.as_ref()) });
                }
            } else if let Some(last) = segs.last_mut() {
                last.to = at;
            }
            segs.push(Segment { from, to: end, state: obs.state.clone() });
            if let (State::Waiting { reason, .. }, Some(b)) = (&obs.state, obs.backoff) {
                if reason == "CrashLoopBackOff" {
                    waiting_backoff = Some((segs.len() - 1, b));
                }
            } else if !matches!(obs.state, State::Waiting { .. }) {
                waiting_backoff = None;
            }
        }
        prev = Some(obs);
    }
    if let Some(last) = segs.last_mut() {
        last.to = end.max(last.from);
    }
    if let Some((since, until, backoff)) = live {
        if let Some((wait_idx, _)) = waiting_backoff {
            place_exit(segs, wait_idx, since);
        }
        lane.backoffs.push(BackoffWait { from: since, until, backoff, ongoing: true });
        lane.next_restart = Some(until);
    }
    lane
}

/// With the exit's exact time known (the restart time minus the back-off, or the kubelet's own
/// record), moves the Running → Terminated boundary before the wait at `wait_idx` there.
fn place_exit(segs: &mut [Segment], wait_idx: usize, exit_at: Millis) {
    let Some(t_idx) = wait_idx.checked_sub(1) else { return };
    let Some(r_idx) = t_idx.checked_sub(1) else { return };
    let (head, tail) = segs.split_at_mut(t_idx);
    let (Some(run), Some(term)) = (head.get_mut(r_idx), tail.first_mut()) else { return };
    if !matches!(run.state, State::Running { .. }) || !matches!(term.state, State::Terminated { .. }) {
        return;
    }
    let cut = exit_at.max(run.from).min(term.to.max(run.from));
    run.to = cut;
    term.from = cut;
}

fn terminated_state(exit: Option<&ExitSeen>) -> State {
    match exit {
        Some(e) => State::Terminated { exit_code: e.code, reason: e.reason.clone() },
        None => State::Terminated { exit_code: 0, reason: String::new() },
    }
}

/// Image pulls from a container's events: Pulling opens a span, the next Pulled ("Successfully
/// pulled ...") or pull failure closes it.
fn pulls(events: &[EventMark], end: Millis) -> Vec<PullSpan> {
    let mut out: Vec<PullSpan> = Vec::new();
    for e in events {
        match e.reason.as_str() {
            "Pulling" => {
                let image =
                    e.message.strip_prefix("Pulling image ").unwrap_or(&e.message).trim_matches('"').to_string();
                out.push(PullSpan { from: e.at, to: end, image, ok: None });
            }
            "Pulled" if e.message.starts_with("Successfully pulled") => close_pull(&mut out, e.at, true),
            "Failed" if e.message.starts_with("Failed to pull image") => close_pull(&mut out, e.at, false),
            _ => {}
        }
    }
    out
}

fn close_pull(out: &mut [PullSpan], at: Millis, ok: bool) {
    if let Some(p) = out.last_mut().filter(|p| p.ok.is_none()) {
        p.to = at;
        p.ok = Some(ok);
    }
}

/// What the inspector shows for a moment: the `kubectl get pod` row the cluster would have printed
/// then, and the object as it was stored (`-o yaml`).
pub fn pod_as_of(index: &Index, store: &Store, namespace: &str, name: &str, t: Millis) -> Option<String> {
    let pod = index.pod_at(store, namespace, name, t)?;
    let header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"].map(String::from).to_vec();
    let row = pod_row(pod, Now { epoch: store.epoch(), at: t }, false);
    let table = crate::kubectl::tabwriter::render(&[header, row]);
    let yaml = crate::kubectl::yaml::to_yaml(&crate::kubectl::json::api_value(&Object::Pod(pod.clone())));
    Some(format!("{table}\n{yaml}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SECOND;
    use crate::Config;

    fn sim_with(yaml: &str) -> Simulation {
        let mut sim = Simulation::new(Config::default());
        for r in sim.apply_text(yaml) {
            assert!(matches!(r, crate::Applied::Created(_)), "{r:?}");
        }
        sim
    }

    fn timeline(sim: &Simulation, name: &str) -> PodTimeline {
        let mut idx = Index::default();
        idx.update(sim.store());
        idx.pod(sim, "default", name).expect("pod in the log")
    }

    fn reasons(lane: &ContainerLane) -> Vec<String> {
        lane.segments.iter().map(|s| s.state.label()).collect()
    }

    const CRASHER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 2; exit 1\"]
";

    #[test]
    fn crash_loop_restarts_at_the_upstream_back_off_times() {
        let mut sim = sim_with(CRASHER);
        sim.advance_to(200 * SECOND);
        let tl = timeline(&sim, "crasher");
        let lane = &tl.containers[0];
        assert_eq!(lane.name, "app");
        // Restart 1 at once, then after 10 s, 20 s, 40 s, 80 s of back-off.
        let counts: Vec<i32> = lane.restarts.iter().map(|r| r.count).collect();
        assert_eq!(counts, vec![1, 2, 3, 4, 5]);
        let done: Vec<Millis> = lane.backoffs.iter().filter(|b| !b.ongoing).map(|b| b.backoff / SECOND).collect();
        assert_eq!(done, vec![10, 20, 40, 80]);
        // Each instance runs its 2 s; each back-off wait lasts exactly its back-off.
        for b in lane.backoffs.iter().filter(|b| !b.ongoing) {
            assert_eq!(b.until - b.from, b.backoff);
        }
        let gaps: Vec<Millis> = lane.restarts.windows(2).map(|w| w[1].at - w[0].at).collect();
        assert_eq!(gaps, vec![12_000, 22_000, 42_000, 82_000]);
        assert!(lane.restarts.iter().all(|r| r.exit_code == Some(1) && r.reason == "Error"));
        // The lane reads: ContainerCreating, Running, exit, Running, exit, CrashLoopBackOff, ...
        let r = reasons(lane);
        assert_eq!(r[0], "Pending");
        assert_eq!(r[1], "ContainerCreating");
        assert_eq!(r[2], "Running (ready)");
        assert_eq!(r[3], "Error (exit code 1)");
        assert_eq!(r[4], "Running (ready)");
        assert_eq!(r[5], "Error (exit code 1)");
        assert_eq!(r[6], "CrashLoopBackOff");
        // Each run lasts the 2 s of `sleep 2`.
        let runs: Vec<Millis> =
            lane.segments.iter().filter(|s| matches!(s.state, State::Running { .. })).map(|s| s.to - s.from).collect();
        assert!(runs.iter().all(|d| *d == 2_000), "{runs:?}");
        // Segments tile the lane without gaps.
        for w in lane.segments.windows(2) {
            assert_eq!(w[0].to, w[1].from, "{:?}", lane.segments);
        }
        assert_eq!(lane.segments.last().map(|s| s.to), Some(200 * SECOND));
        // Now it waits out 160 s: the kubelet's deadline is the next restart.
        let live = lane.backoffs.last().expect("ongoing wait");
        assert!(live.ongoing);
        assert_eq!(live.backoff, 160 * SECOND);
        assert_eq!(lane.next_restart, Some(live.until));
        let at = live.until;
        sim.advance_to(at);
        let after = timeline(&sim, "crasher");
        assert_eq!(after.containers[0].restarts.last().map(|r| (r.at, r.count)), Some((at, 6)));
        // Pull then events as markers.
        assert_eq!(lane.pulls.len(), 1);
        assert_eq!(lane.pulls[0].ok, Some(true));
        assert!(lane.events.iter().any(|e| e.reason == "BackOff"));
        assert!(tl.events.iter().any(|e| e.reason == "Scheduled"));
    }

    #[test]
    fn failing_liveness_probe_shows_failed_ticks_then_a_restart() {
        let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: liveness
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"touch /tmp/healthy; sleep 12; rm -f /tmp/healthy; sleep 600\"]
    livenessProbe:
      exec:
        command: [\"cat\", \"/tmp/healthy\"]
      initialDelaySeconds: 3
      periodSeconds: 5
";
        let mut sim = sim_with(yaml);
        sim.advance_to(60 * SECOND);
        let lane = timeline(&sim, "liveness").containers.remove(0);
        let ticks: Vec<(&str, &str)> = lane.probes.iter().map(|p| (p.kind, p.result)).collect();
        assert!(ticks.iter().all(|(k, _)| *k == "liveness"));
        let first_fail = ticks.iter().position(|t| t.1 == "Failure").expect("a failed tick");
        assert!(first_fail > 0 && ticks[..first_fail].iter().all(|t| t.1 == "Success"), "{ticks:?}");
        assert_eq!(&ticks[first_fail..first_fail + 3], &[("liveness", "Failure"); 3]);
        // Three failures, then the kubelet kills and restarts the container.
        assert_eq!(lane.restarts.len(), 1);
        let third = lane.probes[first_fail + 2].at;
        assert!(lane.restarts[0].at > third);
        assert!(lane.events.iter().any(|e| e.reason == "Unhealthy"));
        assert!(lane.events.iter().any(|e| e.reason == "Killing"));
        // `sh` ignores SIGTERM: the kubelet's SIGKILL ends it after the 30 s grace (exit code 137).
        assert_eq!(lane.restarts[0].exit_code, Some(137));
        assert!(lane.segments.iter().any(|s| s.state == State::Terminated { exit_code: 137, reason: "Error".into() }));
        assert!(lane.segments.iter().all(|s| s.from <= s.to));
    }

    #[test]
    fn image_pull_back_off_shows_waiting_segments() {
        let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: badimage
spec:
  containers:
  - name: app
    image: nginx:no-such-tag-1
";
        let mut sim = sim_with(yaml);
        sim.advance_to(90 * SECOND);
        let lane = timeline(&sim, "badimage").containers.remove(0);
        let r = reasons(&lane);
        assert!(r.iter().any(|s| s == "ErrImagePull"), "{r:?}");
        assert!(r.iter().filter(|s| *s == "ImagePullBackOff").count() >= 2, "{r:?}");
        assert!(lane.pulls.len() >= 2);
        assert!(lane.pulls.iter().all(|p| p.ok == Some(false)), "{:?}", lane.pulls);
        assert!(lane.restarts.is_empty());
    }

    #[test]
    fn init_containers_have_lanes_and_the_past_is_readable() {
        let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: withinit
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3\"]
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";
        let mut sim = sim_with(yaml);
        sim.advance_to(30 * SECOND);
        let mut idx = Index::default();
        idx.update(sim.store());
        let tl = idx.pod(&sim, "default", "withinit").unwrap();
        let lanes: Vec<(&str, bool)> = tl.containers.iter().map(|c| (c.name.as_str(), c.init)).collect();
        assert_eq!(lanes, vec![("setup", true), ("app", false)]);
        assert!(reasons(&tl.containers[0]).contains(&"Completed (exit code 0)".to_string()));
        assert!(reasons(&tl.containers[1]).contains(&"PodInitializing".to_string()));
        // As it was at 2 s: still initializing.
        let then = pod_as_of(&idx, sim.store(), "default", "withinit", 2 * SECOND).unwrap();
        assert!(then.contains("Init:0/1"), "{then}");
        let now = pod_as_of(&idx, sim.store(), "default", "withinit", 30 * SECOND).unwrap();
        assert!(now.contains("Running"), "{now}");
        assert!(pod_as_of(&idx, sim.store(), "default", "nope", 2 * SECOND).is_none());
        // The index follows new entries only.
        sim.delete(&ObjectKey::new(Kind::Pod, "default", "withinit"), Some(0)).unwrap();
        idx.update(sim.store());
        assert!(idx.pod(&sim, "default", "withinit").unwrap().deleted.is_some());
    }
}
