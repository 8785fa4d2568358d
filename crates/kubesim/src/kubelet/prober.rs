//! The prober: one worker per container and probe kind, ticking every `periodSeconds` from when
//! the pod was first synced, counting consecutive results against the thresholds
//! (pkg/kubelet/prober/worker.go, prober_manager.go).

use std::collections::VecDeque;

use k8s_openapi::api::core::v1::Probe;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::time::{Millis, SECOND};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    /// The word upstream's events use (`Liveness probe failed: ...`).
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }
}

/// A probe's timing fields with upstream's defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub initial_delay: Millis,
    pub period: Millis,
    pub timeout: Millis,
    pub success_threshold: u32,
    pub failure_threshold: u32,
}

pub fn timing(p: &Probe) -> Timing {
    let secs = |v: Option<i32>, d: i32| (v.unwrap_or(d).max(0) as Millis) * SECOND;
    Timing {
        initial_delay: secs(p.initial_delay_seconds, 0),
        period: secs(p.period_seconds, 10).max(SECOND),
        timeout: secs(p.timeout_seconds, 1).max(SECOND),
        success_threshold: p.success_threshold.unwrap_or(1).max(1) as u32,
        failure_threshold: p.failure_threshold.unwrap_or(3).max(1) as u32,
    }
}

/// What one probe run returned: upstream's probe.Success / probe.Failure / probe.Unknown (an
/// errored probe, which counts toward no threshold).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeResult {
    Success,
    Failure,
    Unknown,
}

/// One probe run, for the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProbeTick {
    pub at: Millis,
    pub kind: ProbeKind,
    pub result: ProbeResult,
    /// The container instance probed (1 for the first run, +1 per restart).
    pub instance: u32,
}

/// The newest probe runs of one container, all kinds together. Bounded: a long run with many
/// probed pods keeps at most `HISTORY_CAP` ticks per container (the oldest are dropped).
#[derive(Clone, Debug, Default)]
pub struct History {
    ticks: VecDeque<ProbeTick>,
}

/// Ticks kept per container: an hour of a 10 s probe of each kind is 1,080 runs; the timeline
/// shows the recent ones, and 1,000 pods stay within a few megabytes.
pub const HISTORY_CAP: usize = 256;

impl History {
    pub fn push(&mut self, tick: ProbeTick) {
        if self.ticks.len() >= HISTORY_CAP {
            self.ticks.pop_front();
        }
        self.ticks.push_back(tick);
    }

    /// Oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &ProbeTick> + '_ {
        self.ticks.iter()
    }

    pub fn len(&self) -> usize {
        self.ticks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ticks.is_empty()
    }
}

/// What one probe worker remembers.
#[derive(Clone, Debug)]
pub struct Worker {
    pub kind: ProbeKind,
    pub probe: Probe,
    pub timing: Timing,
    /// The ticker's origin (worker start, or the last manual trigger).
    pub anchor: Millis,
    /// The result last written to the results cache (None = no result yet).
    pub result: Option<bool>,
    last: Option<bool>,
    run: u32,
    /// Set after a liveness failure or any startup result: wait for a new container instance.
    pub on_hold: bool,
    /// The container instance the state belongs to.
    pub instance: u32,
}

/// What a probe run decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Below a threshold, or same result as cached: nothing changes.
    Unchanged,
    /// The cached result changed to this value.
    Changed(bool),
}

impl Worker {
    pub fn new(kind: ProbeKind, probe: Probe, anchor: Millis) -> Self {
        Worker {
            kind,
            timing: timing(&probe),
            probe,
            anchor,
            result: None,
            last: None,
            run: 0,
            on_hold: false,
            instance: 0,
        }
    }

    /// The result a new container instance starts with: readiness Failure, liveness Success,
    /// startup unknown (worker.go's initialValue).
    pub fn reset(&mut self, instance: u32) {
        self.instance = instance;
        self.result = match self.kind {
            ProbeKind::Readiness => Some(false),
            ProbeKind::Liveness => Some(true),
            ProbeKind::Startup => None,
        };
        self.last = None;
        self.run = 0;
        self.on_hold = false;
    }

    /// The next tick strictly after `now`.
    pub fn next_tick(&self, now: Millis) -> Millis {
        let p = self.timing.period;
        if now < self.anchor {
            return self.anchor;
        }
        self.anchor + ((now - self.anchor) / p + 1) * p
    }

    /// Counts one result; returns whether the cached result changed.
    pub fn record(&mut self, ok: bool) -> Outcome {
        if self.last == Some(ok) {
            self.run = self.run.saturating_add(1);
        } else {
            self.last = Some(ok);
            self.run = 1;
        }
        let threshold = if ok { self.timing.success_threshold } else { self.timing.failure_threshold };
        if self.run < threshold || self.result == Some(ok) && self.kind != ProbeKind::Startup {
            return Outcome::Unchanged;
        }
        self.result = Some(ok);
        if (self.kind == ProbeKind::Liveness && !ok) || self.kind == ProbeKind::Startup {
            self.on_hold = true;
            self.run = 0;
        }
        Outcome::Changed(ok)
    }
}

/// How a probe reaches the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handler {
    Exec(Vec<String>),
    Http { port: PortRef, path: String, host: Option<String>, scheme: String },
    Tcp { port: PortRef, host: Option<String> },
    Grpc { port: u16 },
    None,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortRef {
    Number(u16),
    Name(String),
}

fn port_ref(p: &IntOrString) -> PortRef {
    match p {
        IntOrString::Int(n) => PortRef::Number((*n).clamp(0, 65535) as u16),
        IntOrString::String(s) => match s.parse::<u16>() {
            Ok(n) => PortRef::Number(n),
            Err(_) => PortRef::Name(s.clone()),
        },
    }
}

pub fn handler(p: &Probe) -> Handler {
    if let Some(e) = &p.exec {
        return Handler::Exec(e.command.clone().unwrap_or_default());
    }
    if let Some(h) = &p.http_get {
        let path = h.path.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "/".into());
        return Handler::Http {
            port: port_ref(&h.port),
            path: if path.starts_with('/') { path } else { format!("/{path}") },
            host: h.host.clone().filter(|s| !s.is_empty()),
            scheme: h.scheme.clone().unwrap_or_else(|| "HTTP".into()).to_lowercase(),
        };
    }
    if let Some(t) = &p.tcp_socket {
        return Handler::Tcp { port: port_ref(&t.port), host: t.host.clone().filter(|s| !s.is_empty()) };
    }
    if let Some(g) = &p.grpc {
        return Handler::Grpc { port: g.port.clamp(0, 65535) as u16 };
    }
    Handler::None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(period: i32, failure: i32) -> Probe {
        Probe { period_seconds: Some(period), failure_threshold: Some(failure), ..Default::default() }
    }

    #[test]
    fn defaults_are_upstreams() {
        let t = timing(&Probe::default());
        assert_eq!(
            (t.initial_delay, t.period, t.timeout, t.success_threshold, t.failure_threshold),
            (0, 10_000, 1_000, 1, 3)
        );
    }

    #[test]
    fn liveness_fails_after_threshold_and_holds() {
        let mut w = Worker::new(ProbeKind::Liveness, probe(5, 3), 0);
        w.reset(1);
        assert_eq!(w.record(true), Outcome::Unchanged);
        assert_eq!(w.record(false), Outcome::Unchanged);
        assert_eq!(w.record(false), Outcome::Unchanged);
        assert_eq!(w.record(false), Outcome::Changed(false));
        assert!(w.on_hold);
    }

    #[test]
    fn readiness_flips_both_ways() {
        let mut w = Worker::new(ProbeKind::Readiness, probe(10, 3), 0);
        w.reset(1);
        assert_eq!(w.result, Some(false));
        assert_eq!(w.record(true), Outcome::Changed(true));
        assert_eq!(w.record(false), Outcome::Unchanged);
        assert_eq!(w.record(false), Outcome::Unchanged);
        assert_eq!(w.record(false), Outcome::Changed(false));
        assert!(!w.on_hold);
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::default();
        for i in 0..(HISTORY_CAP as u64 + 10) {
            h.push(ProbeTick { at: i, kind: ProbeKind::Liveness, result: ProbeResult::Success, instance: 1 });
        }
        assert_eq!(h.len(), HISTORY_CAP);
        assert_eq!(h.iter().next().map(|t| t.at), Some(10));
    }

    #[test]
    fn ticks_are_anchored_to_the_worker() {
        let w = Worker::new(ProbeKind::Liveness, probe(5, 3), 1_200);
        assert_eq!(w.next_tick(0), 1_200);
        assert_eq!(w.next_tick(1_200), 6_200);
        assert_eq!(w.next_tick(7_000), 11_200);
    }
}
