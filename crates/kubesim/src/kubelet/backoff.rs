//! Per-key exponential back-off, as client-go's `flowcontrol.Backoff` (no jitter): the kubelet
//! keeps one for crash-looping containers and one for image pulls
//! (staging/src/k8s.io/client-go/util/flowcontrol/backoff.go, pkg/kubelet/kubelet.go).

use std::collections::BTreeMap;

use crate::time::{Millis, SECOND};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    backoff: Millis,
    last_update: Millis,
}

/// The kubelet's crash-loop back-off curve: the first wait and the longest one.
///
/// Upstream (pkg/kubelet/kubelet.go `newCrashLoopBackOff`, v1.35): 10 s doubling to 300 s; the
/// alpha gate ReduceDefaultCrashLoopBackOffDecay (KEP-4603, off by default) makes it 1 s and
/// 60 s; the beta gate KubeletCrashLoopBackOffMax (KEP-5593, on by default) then replaces the
/// maximum with the kubelet configuration's `crashLoopBackOff.maxContainerRestartPeriod`, which
/// defaults to 300 s (pkg/kubelet/apis/config/v1beta1/defaults.go) — so with both gates on and
/// no period configured the curve is 1 s doubling to 300 s — and a maximum below the initial
/// delay lowers the initial delay to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrashLoopBackOff {
    pub initial: Millis,
    pub max: Millis,
}

impl Default for CrashLoopBackOff {
    fn default() -> Self {
        CrashLoopBackOff { initial: 10 * SECOND, max: 300 * SECOND }
    }
}

impl CrashLoopBackOff {
    /// The curve for these feature gates and `maxContainerRestartPeriod` (None: the default).
    pub fn from_gates(reduce_decay: bool, max_gate: bool, max_period: Option<Millis>) -> Self {
        let mut c = if reduce_decay {
            CrashLoopBackOff { initial: SECOND, max: 60 * SECOND }
        } else {
            CrashLoopBackOff::default()
        };
        if max_gate {
            c.max = max_period.unwrap_or(300 * SECOND);
            c.initial = c.initial.min(c.max);
        }
        c
    }
}

#[derive(Clone, Debug)]
pub struct Backoff {
    initial: Millis,
    max: Millis,
    /// An entry older than this (event time − last update) starts over at `initial`.
    expire_after: Millis,
    entries: BTreeMap<String, Entry>,
}

impl Backoff {
    /// The kubelet's container restart back-off: 10 s doubling to 300 s; reset when a container
    /// ran for more than 10 minutes (the kubelet's fixed 600 s expiry, not 2 × max).
    pub fn crash_loop() -> Self {
        Backoff::crash_loop_with(CrashLoopBackOff::default())
    }

    /// The container restart back-off with another curve; the 600 s reset stays (upstream sets
    /// `HasExpiredFunc` to 600 s whatever the curve).
    pub fn crash_loop_with(c: CrashLoopBackOff) -> Self {
        Backoff { initial: c.initial, max: c.max, expire_after: 600 * SECOND, entries: BTreeMap::new() }
    }

    /// The image pull back-off: 10 s doubling to 300 s, default expiry (2 × max).
    pub fn image_pull() -> Self {
        Backoff { initial: 10 * SECOND, max: 300 * SECOND, expire_after: 600 * SECOND, entries: BTreeMap::new() }
    }

    fn expired(&self, e: &Entry, event_time: Millis) -> bool {
        event_time.saturating_sub(e.last_update) > self.expire_after
    }

    /// The current back-off of `key` (0 when none).
    pub fn get(&self, key: &str) -> Millis {
        self.entries.get(key).map(|e| e.backoff).unwrap_or(0)
    }

    /// Records one more failure at `now`: first (or after expiry) `initial`, else doubled up to max.
    pub fn next(&mut self, key: &str, event_time: Millis, now: Millis) {
        let fresh = match self.entries.get(key) {
            None => true,
            Some(e) => self.expired(e, event_time),
        };
        let backoff = if fresh { self.initial } else { (self.get(key) * 2).min(self.max) };
        self.entries.insert(key.to_string(), Entry { backoff, last_update: now });
    }

    /// `IsInBackOffSince`: still waiting, counting from `event_time` (a container's exit).
    pub fn in_backoff_since(&self, key: &str, event_time: Millis, now: Millis) -> bool {
        match self.entries.get(key) {
            Some(e) if !self.expired(e, event_time) => now.saturating_sub(event_time) < e.backoff,
            _ => false,
        }
    }

    /// `IsInBackOffSinceUpdate`: still waiting, counting from the last failure (image pulls).
    pub fn in_backoff_since_update(&self, key: &str, now: Millis) -> bool {
        match self.entries.get(key) {
            Some(e) if !self.expired(e, now) => now.saturating_sub(e.last_update) < e.backoff,
            _ => false,
        }
    }

    /// When the back-off counted from `event_time` ends.
    pub fn expiry(&self, key: &str, event_time: Millis) -> Millis {
        event_time + self.get(key)
    }

    pub fn last_update(&self, key: &str) -> Option<Millis> {
        self.entries.get(key).map(|e| e.last_update)
    }

    pub fn forget(&mut self, key_prefix: &str) {
        self.entries.retain(|k, _| !k.starts_with(key_prefix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_loop_doubles_to_five_minutes() {
        let mut b = Backoff::crash_loop();
        let mut seen = Vec::new();
        let mut t = 0;
        for _ in 0..8 {
            b.next("c", t, t);
            seen.push(b.get("c") / SECOND);
            t += 1_000;
        }
        assert_eq!(seen, vec![10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn feature_gates_pick_the_curve() {
        let curve = |c: CrashLoopBackOff| {
            let mut b = Backoff::crash_loop_with(c);
            (0..8)
                .map(|i| {
                    b.next("c", i * 1_000, i * 1_000);
                    b.get("c") / SECOND
                })
                .collect::<Vec<_>>()
        };
        // 1.35 defaults: KubeletCrashLoopBackOffMax on, period defaulted to 300 s.
        assert_eq!(CrashLoopBackOff::from_gates(false, true, None), CrashLoopBackOff::default());
        let fast = CrashLoopBackOff::from_gates(true, false, None);
        assert_eq!(curve(fast), vec![1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(
            CrashLoopBackOff::from_gates(true, true, None),
            CrashLoopBackOff { initial: SECOND, max: 300 * SECOND }
        );
        let kep = CrashLoopBackOff::from_gates(true, true, Some(60 * SECOND));
        assert_eq!(kep, fast);
        // A maximum below the initial delay lowers it.
        let tiny = CrashLoopBackOff::from_gates(false, true, Some(5 * SECOND));
        assert_eq!(curve(tiny), vec![5, 5, 5, 5, 5, 5, 5, 5]);
    }

    #[test]
    fn resets_after_ten_minutes_of_running() {
        let mut b = Backoff::crash_loop();
        b.next("c", 0, 0);
        b.next("c", 1_000, 1_000);
        assert_eq!(b.get("c"), 20 * SECOND);
        // The container then ran 601 s before exiting: the entry has expired.
        let exit = 1_000 + 601 * SECOND;
        assert!(!b.in_backoff_since("c", exit, exit));
        b.next("c", exit, exit);
        assert_eq!(b.get("c"), 10 * SECOND);
    }

    #[test]
    fn in_backoff_counts_from_the_exit() {
        let mut b = Backoff::crash_loop();
        b.next("c", 0, 0); // first restart: immediate
        let exit = 5_000;
        assert!(b.in_backoff_since("c", exit, exit + 1_000));
        assert!(b.in_backoff_since("c", exit, exit + 9_999));
        assert!(!b.in_backoff_since("c", exit, exit + 10_000));
        assert_eq!(b.expiry("c", exit), exit + 10_000);
    }
}
