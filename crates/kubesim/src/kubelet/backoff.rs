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
        Backoff { initial: 10 * SECOND, max: 300 * SECOND, expire_after: 600 * SECOND, entries: BTreeMap::new() }
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
