//! The apiserver's storage: objects by kind/namespace/name, with the metadata the apiserver owns
//! (uid, resourceVersion, creationTimestamp, generateName) and a watch log of every change.
//!
//! Components do not call each other: they write here and read the log, as Kubernetes components
//! talk only through the apiserver's watches.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::api::{Kind, Object, ObjectKey};
use crate::rng::Rng;
use crate::time::{Epoch, Millis};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Op {
    Added,
    Modified,
    Deleted,
}

/// One entry of the watch log.
#[derive(Clone, Debug)]
pub struct Change {
    pub at: Millis,
    pub resource_version: u64,
    pub op: Op,
    pub key: ObjectKey,
    /// The object after the change (for `Deleted`, as it was last stored).
    pub object: Arc<Object>,
}

/// An error as the apiserver returns it: a `StatusReason` and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn not_found(key: &ObjectKey) -> Self {
        ApiError { reason: "NotFound", message: format!("{} \"{}\" not found", group_resource(key), key.name) }
    }
    pub fn already_exists(key: &ObjectKey) -> Self {
        ApiError {
            reason: "AlreadyExists",
            message: format!("{} \"{}\" already exists", group_resource(key), key.name),
        }
    }
}

/// The apiserver names the resource with its group in status messages (`deployments.apps`,
/// apimachinery's `GroupResource.String()`); the core group has none (`pods`).
fn group_resource(key: &ObjectKey) -> String {
    match key.kind.api_version().rsplit_once('/') {
        Some((group, _)) => format!("{}.{group}", key.kind.resource()),
        None => key.kind.resource().to_string(),
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Error from server ({}): {}", self.reason, self.message)
    }
}

/// What the pod network knows of a running pod: the image of its first container and the ports
/// that container declares.
pub type PodEndpoint = (String, Vec<u16>);

#[derive(Debug, Default)]
pub struct Store {
    objects: BTreeMap<ObjectKey, Arc<Object>>,
    resource_version: u64,
    log: Vec<Change>,
    epoch: Epoch,
    /// Running pods by IP, kept as pods change, so a container reaching another pod costs a
    /// lookup instead of a walk over every pod (a 100,000-pod cluster).
    pod_network: Arc<BTreeMap<String, PodEndpoint>>,
    pod_ips: BTreeMap<ObjectKey, String>,
}

impl Store {
    pub fn new(epoch: Epoch) -> Self {
        Store { epoch, ..Default::default() }
    }

    pub fn epoch(&self) -> Epoch {
        self.epoch
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.objects.get(key).map(|o| o.as_ref())
    }

    /// Objects of one kind, optionally in one namespace, in apiserver list order.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> impl Iterator<Item = &Object> + '_ {
        let ns = namespace.map(str::to_string);
        self.objects
            .range(ObjectKey::new(kind, "", "")..)
            .take_while(move |(k, _)| k.kind == kind)
            .filter(move |(k, _)| ns.as_ref().is_none_or(|n| &k.namespace == n))
            .map(|(_, o)| o.as_ref())
    }

    /// Running pods by IP (a cheap shared snapshot).
    pub fn pod_network(&self) -> Arc<BTreeMap<String, PodEndpoint>> {
        self.pod_network.clone()
    }

    /// Follows a pod's IP and phase into the pod network index.
    fn index_pod(&mut self, key: &ObjectKey, obj: Option<&Object>) {
        let entry = obj.and_then(Object::as_pod).and_then(|p| {
            let status = p.status.as_ref()?;
            if status.phase.as_deref() != Some("Running") {
                return None;
            }
            let ip = status.pod_ip.clone()?;
            let c = p.spec.as_ref()?.containers.first()?;
            let ports = c.ports.iter().flatten().map(|cp| cp.container_port.clamp(0, 65535) as u16).collect();
            Some((ip, (c.image.clone().unwrap_or_default(), ports)))
        });
        let old = self.pod_ips.get(key);
        if old == entry.as_ref().map(|(ip, _)| ip) && entry.is_none() {
            return;
        }
        let net = Arc::make_mut(&mut self.pod_network);
        if let Some(ip) = self.pod_ips.remove(key) {
            net.remove(&ip);
        }
        if let Some((ip, e)) = entry {
            net.insert(ip.clone(), e);
            self.pod_ips.insert(key.clone(), ip);
        }
    }

    pub fn log(&self) -> &[Change] {
        &self.log
    }

    /// An object as it was stored at virtual time `t`: its last version written at or before `t`
    /// (None before it existed or once deleted). The log is in time order, so the search starts
    /// at `t` and walks back.
    pub fn object_at(&self, key: &ObjectKey, t: Millis) -> Option<&Object> {
        let end = self.log.partition_point(|c| c.at <= t);
        let change = self.log[..end].iter().rev().find(|c| &c.key == key)?;
        (change.op != Op::Deleted).then(|| change.object.as_ref())
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Creates an object as `POST` does: fills in the name from `generateName`, uid,
    /// resourceVersion and creationTimestamp.
    pub fn create(&mut self, mut obj: Object, now: Millis, rng: &mut Rng) -> Result<ObjectKey, ApiError> {
        let kind = obj.kind();
        {
            let meta = obj.meta_mut();
            if !kind.namespaced() {
                meta.namespace = None;
            } else if meta.namespace.as_deref().unwrap_or("").is_empty() {
                meta.namespace = Some("default".into());
            }
            if meta.name.as_deref().unwrap_or("").is_empty() {
                if let Some(prefix) = meta.generate_name.clone().filter(|p| !p.is_empty()) {
                    // Upstream's names.SimpleNameGenerator: prefix (cut to leave room) + 5 random chars.
                    let mut prefix = prefix;
                    prefix.truncate(63 - 5);
                    meta.name = Some(format!("{prefix}{}", rng.name_suffix(5)));
                }
            }
        }
        let key = obj.key();
        if key.name.is_empty() {
            return Err(ApiError {
                reason: "Invalid",
                message: format!(
                    "{} is invalid: metadata.name: Required value: name or generateName is required",
                    kind
                ),
            });
        }
        if self.objects.contains_key(&key) {
            return Err(ApiError::already_exists(&key));
        }
        self.resource_version += 1;
        let meta = obj.meta_mut();
        meta.uid = Some(rng.uid());
        meta.resource_version = Some(self.resource_version.to_string());
        meta.creation_timestamp = Some(self.epoch.time(now));
        self.commit(Op::Added, key.clone(), obj, now);
        Ok(key)
    }

    /// Replaces a stored object (a `PUT`): bumps resourceVersion; the apiserver-owned metadata is
    /// kept from the stored copy.
    pub fn update(&mut self, mut obj: Object, now: Millis) -> Result<(), ApiError> {
        let key = obj.key();
        let Some(old) = self.objects.get(&key) else {
            return Err(ApiError::not_found(&key));
        };
        if **old == obj {
            return Ok(()); // no-op writes do not bump resourceVersion, as upstream
        }
        let old_meta = old.meta().clone();
        self.resource_version += 1;
        let meta = obj.meta_mut();
        meta.uid = old_meta.uid;
        meta.creation_timestamp = old_meta.creation_timestamp;
        meta.resource_version = Some(self.resource_version.to_string());
        self.commit(Op::Modified, key, obj, now);
        Ok(())
    }

    /// Reads, changes and writes back one object; returns false if it does not exist.
    pub fn modify<F: FnOnce(&mut Object)>(&mut self, key: &ObjectKey, now: Millis, f: F) -> bool {
        let Some(current) = self.get(key) else { return false };
        let mut obj = current.clone();
        f(&mut obj);
        self.update(obj, now).is_ok()
    }

    pub fn delete(&mut self, key: &ObjectKey, now: Millis) -> Result<Object, ApiError> {
        let Some(obj) = self.objects.remove(key) else {
            return Err(ApiError::not_found(key));
        };
        if key.kind == Kind::Pod {
            self.index_pod(key, None);
        }
        self.resource_version += 1;
        self.log.push(Change {
            at: now,
            resource_version: self.resource_version,
            op: Op::Deleted,
            key: key.clone(),
            object: obj.clone(),
        });
        Ok((*obj).clone())
    }

    fn commit(&mut self, op: Op, key: ObjectKey, obj: Object, now: Millis) {
        if key.kind == Kind::Pod {
            self.index_pod(&key, Some(&obj));
        }
        let obj = Arc::new(obj);
        self.objects.insert(key.clone(), obj.clone());
        self.log.push(Change { at: now, resource_version: self.resource_version, op, key, object: obj });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn pod(name: Option<&str>, generate: Option<&str>) -> Object {
        Object::Pod(Pod {
            metadata: ObjectMeta {
                name: name.map(Into::into),
                generate_name: generate.map(Into::into),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    #[test]
    fn create_fills_metadata_and_logs() {
        let mut s = Store::new(Epoch::default());
        let mut rng = Rng::new(1);
        let key = s.create(pod(Some("a"), None), 1_000, &mut rng).unwrap();
        let o = s.get(&key).unwrap();
        assert_eq!(o.namespace(), "default");
        assert_eq!(o.meta().resource_version.as_deref(), Some("1"));
        assert!(o.meta().uid.is_some());
        assert_eq!(s.log().len(), 1);
        assert_eq!(s.create(pod(Some("a"), None), 0, &mut rng).unwrap_err().reason, "AlreadyExists");
    }

    #[test]
    fn generate_name_appends_five_chars() {
        let mut s = Store::new(Epoch::default());
        let key = s.create(pod(None, Some("web-")), 0, &mut Rng::new(2)).unwrap();
        assert!(key.name.starts_with("web-"));
        assert_eq!(key.name.len(), 9);
    }

    #[test]
    fn update_bumps_version_only_on_change() {
        let mut s = Store::new(Epoch::default());
        let key = s.create(pod(Some("a"), None), 0, &mut Rng::new(1)).unwrap();
        let same = s.get(&key).unwrap().clone();
        s.update(same.clone(), 5).unwrap();
        assert_eq!(s.resource_version(), 1);
        let mut changed = same;
        changed.meta_mut().labels = Some([("x".to_string(), "y".to_string())].into());
        s.update(changed, 5).unwrap();
        assert_eq!(s.resource_version(), 2);
        assert_eq!(s.delete(&key, 6).unwrap().name(), "a");
        assert!(s.get(&key).is_none());
        assert_eq!(s.log().last().unwrap().op, Op::Deleted);
    }

    #[test]
    fn object_at_reads_the_past() {
        let mut s = Store::new(Epoch::default());
        let key = s.create(pod(Some("a"), None), 1_000, &mut Rng::new(1)).unwrap();
        s.modify(&key, 5_000, |o| o.meta_mut().labels = Some([("v".to_string(), "2".to_string())].into()));
        s.delete(&key, 9_000).unwrap();
        assert!(s.object_at(&key, 999).is_none());
        assert!(s.object_at(&key, 1_000).unwrap().meta().labels.is_none());
        assert!(s.object_at(&key, 4_999).unwrap().meta().labels.is_none());
        assert!(s.object_at(&key, 5_000).unwrap().meta().labels.is_some());
        assert!(s.object_at(&key, 9_000).is_none());
    }
}
