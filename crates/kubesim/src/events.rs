//! The event recorder: writes core/v1 Events for an object as client-go's recorder does, including
//! the correlator's aggregation (the same source, object, type, reason and message bump `count`
//! and `lastTimestamp` of the existing Event instead of creating a new one).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{Object, ObjectKey};
use crate::rng::Rng;
use crate::store::Store;
use crate::time::Millis;

pub const NORMAL: &str = "Normal";
pub const WARNING: &str = "Warning";

/// Who reports an event (`source.component`, and the node for kubelets).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub component: &'static str,
    pub host: Option<String>,
}

impl Source {
    pub fn scheduler() -> Self {
        Source { component: "default-scheduler", host: None }
    }
    pub fn kubelet(node: &str) -> Self {
        Source { component: "kubelet", host: Some(node.to_string()) }
    }
}

type CorrelationKey = (Source, ObjectKey, String, &'static str, String, String);

#[derive(Debug, Default)]
pub struct Recorder {
    /// Aggregation key → name of the Event object already written for it.
    seen: BTreeMap<CorrelationKey, ObjectKey>,
    counter: u64,
}

impl Recorder {
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        store: &mut Store,
        rng: &mut Rng,
        now: Millis,
        source: Source,
        about: &Object,
        field_path: Option<&str>,
        type_: &'static str,
        reason: &str,
        message: String,
    ) {
        let about_key = about.key();
        let ckey: CorrelationKey = (
            source.clone(),
            about_key.clone(),
            field_path.unwrap_or("").to_string(),
            type_,
            reason.to_string(),
            message.clone(),
        );
        let ts = store.epoch().time(now);
        if let Some(existing) = self.seen.get(&ckey) {
            let bumped = store.modify(existing, now, |o| {
                if let Object::Event(e) = o {
                    e.count = Some(e.count.unwrap_or(1) + 1);
                    e.last_timestamp = Some(ts.clone());
                }
            });
            if bumped {
                return;
            }
        }
        let meta = about.meta();
        // Upstream names events "<object>.<unix nanos in hex>", so one object's events list in
        // time order; a counter keeps events of the same instant apart.
        self.counter += 1;
        let nanos = (store.epoch().0 as u64).saturating_mul(1_000_000_000) + now * 1_000_000 + self.counter % 1_000_000;
        let name = format!("{}.{:x}", about_key.name, nanos);
        let event = Event {
            metadata: ObjectMeta {
                name: Some(name),
                namespace: Some(if about_key.namespace.is_empty() {
                    "default".into()
                } else {
                    about_key.namespace.clone()
                }),
                ..Default::default()
            },
            involved_object: ObjectReference {
                api_version: Some("v1".into()),
                kind: Some(about_key.kind.name().into()),
                name: Some(about_key.name.clone()),
                namespace: meta.namespace.clone(),
                uid: meta.uid.clone(),
                resource_version: meta.resource_version.clone(),
                field_path: field_path.map(Into::into),
            },
            type_: Some(type_.into()),
            reason: Some(reason.into()),
            message: Some(message),
            source: Some(EventSource { component: Some(source.component.into()), host: source.host.clone() }),
            reporting_component: Some(source.component.into()),
            reporting_instance: Some(source.host.clone().unwrap_or_default()),
            first_timestamp: Some(ts.clone()),
            last_timestamp: Some(ts),
            count: Some(1),
            ..Default::default()
        };
        if let Ok(k) = store.create(Object::Event(event), now, rng) {
            self.seen.insert(ckey, k);
        }
    }
}
