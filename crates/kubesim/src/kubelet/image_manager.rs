//! The kubelet's image manager: a per-node image cache and the pull queue. Pulls are serialized
//! per node, as the kubelet's default `serializeImagePulls: true` does, so a second pod's pull
//! waits for the first (the "including waiting" part of the Pulled event).

use std::collections::BTreeSet;

use crate::runtime::catalog;
use crate::time::Millis;

/// Simulated registry bandwidth and per-pull overhead (manifest, auth, unpacking start).
const BYTES_PER_SECOND: u64 = 25_000_000;
const PULL_OVERHEAD_MS: Millis = 400;
/// A pull of an image already on the node (policy Always) only checks the manifest.
const CACHED_PULL_MS: Millis = 450;

#[derive(Debug, Default, Clone)]
pub struct ImageManager {
    present: BTreeSet<String>,
    /// The serialized puller is busy until this time.
    busy_until: Millis,
}

/// A pull the manager has queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PullTicket {
    pub requested_at: Millis,
    pub started_at: Millis,
    pub done_at: Millis,
}

impl ImageManager {
    pub fn is_present(&self, image: &str) -> bool {
        self.present.contains(&normalize(image))
    }

    /// Whether the kubelet must pull before starting a container (images.shouldPullImage).
    pub fn should_pull(&self, image: &str, policy: &str) -> bool {
        match policy {
            "Always" => true,
            "Never" => false,
            _ => !self.is_present(image),
        }
    }

    pub fn enqueue(&mut self, image: &str, now: Millis) -> PullTicket {
        let started_at = self.busy_until.max(now);
        let duration = if self.is_present(image) {
            CACHED_PULL_MS
        } else {
            PULL_OVERHEAD_MS + catalog::lookup(image).size * 1_000 / BYTES_PER_SECOND
        };
        self.busy_until = started_at + duration;
        PullTicket { requested_at: now, started_at, done_at: started_at + duration }
    }

    pub fn mark_present(&mut self, image: &str) {
        self.present.insert(normalize(image));
    }
}

/// `nginx` and `docker.io/library/nginx:latest` are the same image.
fn normalize(image: &str) -> String {
    let (repo, tag) = catalog::split_reference(image);
    format!("{repo}:{tag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulls_are_serialized_and_cached() {
        let mut m = ImageManager::default();
        assert!(m.should_pull("nginx:1.25", "IfNotPresent"));
        let a = m.enqueue("nginx:1.25", 0);
        let b = m.enqueue("redis", 100);
        assert_eq!(b.started_at, a.done_at);
        m.mark_present("docker.io/library/nginx:1.25");
        assert!(!m.should_pull("nginx:1.25", "IfNotPresent"));
        assert!(m.should_pull("nginx:1.25", "Always"));
        assert!(!m.should_pull("absent", "Never"));
    }
}
