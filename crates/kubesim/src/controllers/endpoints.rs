//! The endpoints controllers (pkg/controller/endpoint and pkg/controller/endpointslice): for
//! every Service with a selector, the pods it selects in its namespace become its Endpoints and
//! EndpointSlice, ready ones as addresses and the rest as not-ready (unless
//! `publishNotReadyAddresses`), with `targetPort` resolved by number or by container port name.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, Service,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort as SlicePort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::{Kind, Object, ObjectKey};
use crate::rng::Rng;
use crate::store::{Change, Op, Store};
use crate::time::Millis;

/// Whether the pod counts as ready for endpoints (podutil.IsPodReady).
fn pod_ready(pod: &Pod) -> bool {
    pod.status.iter().flat_map(|s| s.conditions.iter().flatten()).any(|c| c.type_ == "Ready" && c.status == "True")
}

/// FindPort: a numeric targetPort as is; a named one from the pod's container ports.
fn find_port(pod: &Pod, target: &IntOrString) -> Option<i32> {
    match target {
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => match name.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .map(|p| p.container_port),
        },
    }
}

/// The pods a Service selects (those with an IP, not terminal), in list order.
pub fn selected_pods<'a>(store: &'a Store, svc: &Service) -> Vec<&'a Pod> {
    let Some(selector) = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).filter(|s| !s.is_empty()) else {
        return Vec::new();
    };
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    store
        .list(Kind::Pod, Some(ns))
        .filter_map(Object::as_pod)
        .filter(|p| crate::selector::set_matches(selector, p.metadata.labels.as_ref()))
        .filter(|p| !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed")))
        .filter(|p| p.status.as_ref().and_then(|s| s.pod_ip.as_deref()).is_some_and(|ip| !ip.is_empty()))
        .collect()
}

/// The Services a batch of store changes asks the controller to sync, by namespace, as
/// upstream's work queue of Service keys (pkg/controller/endpoint/endpoints_controller.go:
/// `onServiceUpdate`, `addPod`/`updatePod`/`deletePod` through `GetPodServiceMemberships`,
/// `onEndpointsDelete`). Syncing only these keeps a change to one pod from rebuilding every
/// Service of its namespace.
#[derive(Default)]
pub struct Queue {
    services: BTreeMap<String, BTreeSet<String>>,
    /// Namespaces where a Service went away: look for Endpoints and slices it left.
    swept: BTreeSet<String>,
}

impl Queue {
    /// Notes what `change` (already in `store`) means for the endpoints controllers.
    pub fn observe(&mut self, store: &Store, change: &Change) {
        let ns = &change.key.namespace;
        match change.key.kind {
            Kind::Service => {
                self.add(ns, &change.key.name);
                if change.op == Op::Deleted {
                    self.swept.insert(ns.clone());
                }
            }
            // Someone deleted the controller's output: the Service's next sync writes it again.
            Kind::Endpoints if change.op == Op::Deleted => self.add(ns, &change.key.name),
            Kind::EndpointSlice if change.op == Op::Deleted => {
                if let Some(svc) =
                    change.object.meta().labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name"))
                {
                    self.add(ns, svc);
                }
            }
            Kind::Pod => {
                let Some(pod) = change.object.as_pod() else { return };
                for svc in store.list(Kind::Service, Some(ns)).filter_map(Object::as_service) {
                    let name = svc.metadata.name.as_deref().unwrap_or_default();
                    let selects = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).is_some_and(|sel| {
                        !sel.is_empty() && crate::selector::set_matches(sel, pod.metadata.labels.as_ref())
                    });
                    // A pod whose labels stopped matching is found in the endpoints it was part of.
                    if selects || lists_pod(store, ns, name, &change.key.name) {
                        self.add(ns, name);
                    }
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, ns: &str, service: &str) {
        self.services.entry(ns.to_string()).or_default().insert(service.to_string());
    }

    /// Whether anything in `namespace` waits to be synced.
    pub fn has(&self, namespace: &str) -> bool {
        self.services.contains_key(namespace) || self.swept.contains(namespace)
    }

    /// Namespaces with work, in order.
    pub fn namespaces(&self) -> BTreeSet<String> {
        self.services.keys().chain(self.swept.iter()).cloned().collect()
    }

    /// Syncs the queued Services of `namespace` (in name order, as a full pass would) and, after
    /// a Service was deleted there, removes what it left behind.
    pub fn sync_namespace(&mut self, store: &mut Store, rng: &mut Rng, now: Millis, namespace: &str) {
        for name in self.services.remove(namespace).unwrap_or_default() {
            let key = ObjectKey::new(Kind::Service, namespace, &name);
            let Some(svc) = store.get(&key).and_then(Object::as_service).cloned() else { continue };
            if svc.spec.as_ref().and_then(|s| s.selector.as_ref()).is_some_and(|s| !s.is_empty()) {
                sync_service(store, rng, now, &svc);
            }
        }
        if self.swept.remove(namespace) {
            delete_orphans(store, now, namespace);
        }
    }
}

/// Whether the Endpoints of Service `service` list pod `pod` (ready or not).
fn lists_pod(store: &Store, ns: &str, service: &str, pod: &str) -> bool {
    let Some(ep) = store.get(&ObjectKey::new(Kind::Endpoints, ns, service)).and_then(Object::as_endpoints) else {
        return false;
    };
    ep.subsets
        .iter()
        .flatten()
        .flat_map(|s| s.addresses.iter().flatten().chain(s.not_ready_addresses.iter().flatten()))
        .any(|a| a.target_ref.as_ref().and_then(|r| r.name.as_deref()) == Some(pod))
}

/// Brings the Endpoints and EndpointSlice of every selector Service in `namespace` up to date.
pub fn reconcile_namespace(store: &mut Store, rng: &mut Rng, now: Millis, namespace: &str) {
    let services: Vec<Service> =
        store.list(Kind::Service, Some(namespace)).filter_map(Object::as_service).cloned().collect();
    for svc in services {
        let has_selector = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).is_some_and(|s| !s.is_empty());
        if !has_selector {
            continue; // selector-less Services keep hand-made Endpoints
        }
        sync_service(store, rng, now, &svc);
    }
    delete_orphans(store, now, namespace);
}

/// Endpoints whose Service is gone go too (the garbage collector, for slices; the controller, for Endpoints).
fn delete_orphans(store: &mut Store, now: Millis, namespace: &str) {
    let orphans: Vec<ObjectKey> = store
        .list(Kind::Endpoints, Some(namespace))
        .filter(|e| store.get(&ObjectKey::new(Kind::Service, namespace, e.name())).is_none())
        .map(Object::key)
        .chain(
            store
                .list(Kind::EndpointSlice, Some(namespace))
                .filter(|e| {
                    let svc = e.meta().labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")).cloned();
                    svc.is_none_or(|s| store.get(&ObjectKey::new(Kind::Service, namespace, &s)).is_none())
                })
                .map(Object::key),
        )
        .collect();
    for k in orphans {
        let _ = store.delete(&k, now);
    }
}

struct Member {
    ip: String,
    node: Option<String>,
    target: ObjectReference,
    ready: bool,
    terminating: bool,
    ports: Vec<EndpointPort>,
}

fn sync_service(store: &mut Store, rng: &mut Rng, now: Millis, svc: &Service) {
    let spec = svc.spec.clone().unwrap_or_default();
    let name = svc.metadata.name.clone().unwrap_or_default();
    let ns = svc.metadata.namespace.clone().unwrap_or_else(|| "default".into());
    let publish_not_ready = spec.publish_not_ready_addresses.unwrap_or(false);
    let members: Vec<Member> = selected_pods(store, svc)
        .into_iter()
        .map(|p| {
            let ports = spec
                .ports
                .iter()
                .flatten()
                .filter_map(|sp| {
                    let target = sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port));
                    find_port(p, &target).map(|port| EndpointPort {
                        name: sp.name.clone(),
                        port,
                        protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                        app_protocol: sp.app_protocol.clone(),
                    })
                })
                .collect();
            Member {
                ip: p.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
                node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
                target: ObjectReference {
                    kind: Some("Pod".into()),
                    name: p.metadata.name.clone(),
                    namespace: p.metadata.namespace.clone(),
                    uid: p.metadata.uid.clone(),
                    ..Default::default()
                },
                ready: pod_ready(p) && p.metadata.deletion_timestamp.is_none(),
                terminating: p.metadata.deletion_timestamp.is_some(),
                ports,
            }
        })
        .collect();

    // Endpoints: one subset per distinct port list (RepackSubsets).
    let mut subsets: BTreeMap<String, EndpointSubset> = BTreeMap::new();
    for m in &members {
        let key =
            m.ports.iter().map(|p| format!("{:?}/{}/{:?}", p.name, p.port, p.protocol)).collect::<Vec<_>>().join(",");
        let subset =
            subsets.entry(key).or_insert_with(|| EndpointSubset { ports: Some(m.ports.clone()), ..Default::default() });
        let addr = EndpointAddress {
            ip: m.ip.clone(),
            node_name: m.node.clone(),
            target_ref: Some(m.target.clone()),
            hostname: None,
        };
        if (m.ready || publish_not_ready) && !m.terminating {
            subset.addresses.get_or_insert_with(Vec::new).push(addr);
        } else {
            subset.not_ready_addresses.get_or_insert_with(Vec::new).push(addr);
        }
    }
    let mut subsets: Vec<EndpointSubset> = subsets.into_values().collect();
    for s in subsets.iter_mut() {
        for list in [s.addresses.as_mut(), s.not_ready_addresses.as_mut()].into_iter().flatten() {
            crate::sorting::sort_by(list, |a, b| a.ip.cmp(&b.ip));
        }
    }
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    if spec.cluster_ip.as_deref() == Some("None") {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    let ep_key = ObjectKey::new(Kind::Endpoints, &ns, &name);
    let subsets = (!subsets.is_empty()).then_some(subsets);
    let trigger = store.epoch().timestamp(now).to_string();
    match store.get(&ep_key).and_then(Object::as_endpoints).cloned() {
        Some(mut ep) if ep.subsets != subsets => {
            ep.subsets = subsets;
            ep.metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert("endpoints.kubernetes.io/last-change-trigger-time".into(), trigger);
            let _ = store.update(Object::Endpoints(ep), now);
        }
        Some(_) => {}
        None => {
            let ep = Endpoints {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    namespace: Some(ns.clone()),
                    labels: (!labels.is_empty()).then(|| labels.clone()),
                    annotations: Some(
                        [("endpoints.kubernetes.io/last-change-trigger-time".to_string(), trigger)].into(),
                    ),
                    ..Default::default()
                },
                subsets,
            };
            let _ = store.create(Object::Endpoints(ep), now, rng);
        }
    }

    // The EndpointSlice (one per Service here: the playground's services stay small).
    let slice_ports: Vec<SlicePort> = members
        .first()
        .map(|m| {
            m.ports
                .iter()
                .map(|p| SlicePort {
                    name: Some(p.name.clone().unwrap_or_default()),
                    port: Some(p.port),
                    protocol: p.protocol.clone(),
                    app_protocol: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut endpoints: Vec<Endpoint> = members
        .iter()
        .map(|m| Endpoint {
            addresses: vec![m.ip.clone()],
            conditions: Some(EndpointConditions {
                ready: Some(m.ready && !m.terminating || publish_not_ready),
                serving: Some(m.ready),
                terminating: Some(m.terminating),
            }),
            node_name: m.node.clone(),
            target_ref: Some(m.target.clone()),
            ..Default::default()
        })
        .collect();
    crate::sorting::sort_by(&mut endpoints, |a, b| a.addresses.cmp(&b.addresses));
    let existing = store
        .list(Kind::EndpointSlice, Some(&ns))
        .find(|o| o.meta().labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")) == Some(&name))
        .cloned();
    let ports = (!slice_ports.is_empty()).then_some(slice_ports);
    match existing {
        Some(Object::EndpointSlice(mut s)) => {
            if s.endpoints != endpoints || s.ports != ports {
                s.endpoints = endpoints;
                s.ports = ports;
                let _ = store.update(Object::EndpointSlice(s), now);
            }
        }
        _ => {
            let mut slice_labels = labels;
            slice_labels
                .insert("endpointslice.kubernetes.io/managed-by".into(), "endpointslice-controller.k8s.io".into());
            slice_labels.insert("kubernetes.io/service-name".into(), name.clone());
            let slice = EndpointSlice {
                metadata: ObjectMeta {
                    generate_name: Some(format!("{name}-")),
                    namespace: Some(ns.clone()),
                    labels: Some(slice_labels),
                    owner_references: Some(vec![OwnerReference {
                        api_version: "v1".into(),
                        kind: "Service".into(),
                        name: name.clone(),
                        uid: svc.metadata.uid.clone().unwrap_or_default(),
                        controller: Some(true),
                        block_owner_deletion: Some(true),
                    }]),
                    ..Default::default()
                },
                address_type: "IPv4".into(),
                endpoints,
                ports,
            };
            let _ = store.create(Object::EndpointSlice(slice), now, rng);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::testing::{cluster, line};

    const TWO_SERVICES: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: a}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  labels: {app: b}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: sa\nspec:\n  selector: {app: a}\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: sb\nspec:\n  selector: {app: b}\n  ports:\n  - port: 80\n";

    fn queued(q: &Queue) -> Vec<(String, Vec<String>)> {
        q.services.iter().map(|(ns, s)| (ns.clone(), s.iter().cloned().collect())).collect()
    }

    /// The names of the ready pods in Service `svc`'s Endpoints.
    fn endpoints_of(sim: &crate::Simulation, svc: &str) -> String {
        let key = ObjectKey::new(Kind::Endpoints, "default", svc);
        let Some(ep) = sim.store().get(&key).and_then(Object::as_endpoints) else { return "-".into() };
        let names: Vec<&str> = ep
            .subsets
            .iter()
            .flatten()
            .flat_map(|s| s.addresses.iter().flatten())
            .filter_map(|a| a.target_ref.as_ref()?.name.as_deref())
            .collect();
        names.join(" ")
    }

    #[test]
    fn a_pod_change_queues_only_the_services_that_select_it_or_listed_it() {
        let mut sim = cluster(1, TWO_SERVICES, 30_000);
        let start = sim.store().log().len();
        line(&mut sim, "label pod a extra=yes");
        let mut q = Queue::default();
        for c in &sim.store().log()[start..] {
            q.observe(sim.store(), c);
        }
        assert_eq!(queued(&q), [("default".to_string(), vec!["sa".to_string()])]);
        assert!(q.swept.is_empty());

        // Labels moved from a to b: sa listed the pod, sb selects it now; both are synced. (The
        // controllers are stopped so that sa's Endpoints still list the pod when the change is read.)
        sim.set_controllers_running(false);
        let start = sim.store().log().len();
        line(&mut sim, "label pod a app=b --overwrite");
        let mut q = Queue::default();
        for c in &sim.store().log()[start..] {
            q.observe(sim.store(), c);
        }
        assert_eq!(queued(&q), [("default".to_string(), vec!["sa".to_string(), "sb".to_string()])]);
    }

    #[test]
    fn endpoints_follow_relabelled_pods_and_come_back_when_deleted() {
        let mut sim = cluster(1, TWO_SERVICES, 30_000);
        assert_eq!(endpoints_of(&sim, "sa"), "a");
        assert_eq!(endpoints_of(&sim, "sb"), "b");
        line(&mut sim, "label pod a app=b --overwrite");
        sim.advance_by(1_000);
        assert_eq!(endpoints_of(&sim, "sa"), "");
        assert_eq!(endpoints_of(&sim, "sb"), "a b");

        // Deleting the controller's output gets it written again (onEndpointsDelete).
        line(&mut sim, "delete endpoints sb");
        sim.advance_by(1_000);
        assert_eq!(endpoints_of(&sim, "sb"), "a b");

        // A deleted Service takes its Endpoints and slice with it.
        line(&mut sim, "delete service sa");
        sim.advance_by(1_000);
        let (out, err, _) = line(&mut sim, "get endpoints,endpointslices -o name");
        assert!(!out.contains("endpoints/sa") && !out.contains("sa-"), "{out}{err}");
        assert!(out.contains("endpoints/sb"), "{out}");
    }
}
