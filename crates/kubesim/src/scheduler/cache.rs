//! The scheduler's cache (pkg/scheduler/backend/cache): one `NodeInfo` per node with the requests
//! and host ports of the pods assigned to it, kept up to date from the watch log instead of being
//! rebuilt for every cycle, so a 5,000-node cluster stays cheap to schedule on.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::api::{Object, ObjectKey};
use crate::scheduler::framework::NodeInfo;
use crate::scheduler::queue::ClusterEvent;
use crate::store::{Change, Op};

#[derive(Debug, Default)]
pub struct Cache {
    /// Sorted by name: the order filtering walks the nodes in.
    nodes: Vec<NodeInfo>,
    index: BTreeMap<String, usize>,
    /// Pods counted on a node: which node, and the pod as it was counted.
    assigned: BTreeMap<ObjectKey, (String, Arc<Object>)>,
    /// How many nodes hold each image (ImageLocality's spread).
    image_nodes: BTreeMap<String, usize>,
}

impl Cache {
    pub fn nodes(&self) -> &[NodeInfo] {
        &self.nodes
    }

    pub fn node(&self, name: &str) -> Option<&NodeInfo> {
        self.index.get(name).and_then(|&i| self.nodes.get(i))
    }

    pub fn image_nodes(&self) -> &BTreeMap<String, usize> {
        &self.image_nodes
    }

    /// Counts `pod` on `node` (the scheduler's assume, or a pod bound by someone else); a pod
    /// already counted is only refreshed.
    pub fn assume_pod(&mut self, key: &ObjectKey, node: &str, pod: &Arc<Object>) {
        if let Some((n, obj)) = self.assigned.get_mut(key) {
            if n == node {
                *obj = pod.clone();
                return;
            }
        }
        self.forget_pod(key);
        if let (Some(&i), Some(p)) = (self.index.get(node), pod.as_pod()) {
            self.nodes[i].add_pod(p);
        }
        self.assigned.insert(key.clone(), (node.to_string(), pod.clone()));
    }

    /// Stops counting a pod; returns whether it was counted.
    pub fn forget_pod(&mut self, key: &ObjectKey) -> bool {
        let Some((node, obj)) = self.assigned.remove(key) else {
            return false;
        };
        if let (Some(&i), Some(p)) = (self.index.get(&node), obj.as_pod()) {
            self.nodes[i].remove_pod(p);
        }
        true
    }

    /// Follows a Node change; returns the cluster event it means for the queue.
    pub fn node_changed(&mut self, change: &Change) -> Option<ClusterEvent> {
        let node = change.object.as_node()?.clone();
        let name = change.key.name.clone();
        let event = match (change.op, self.index.get(&name).copied()) {
            (Op::Deleted, Some(i)) => {
                self.nodes.remove(i);
                None
            }
            (Op::Deleted, None) => None,
            (_, Some(i)) => {
                let old = &self.nodes[i].node;
                let spec = |n: &k8s_openapi::api::core::v1::Node| n.spec.clone().unwrap_or_default();
                let alloc =
                    |n: &k8s_openapi::api::core::v1::Node| n.status.as_ref().and_then(|s| s.allocatable.clone());
                let event = ClusterEvent::NodeUpdate {
                    labels: old.metadata.labels != node.metadata.labels,
                    taints: spec(old).taints != spec(&node).taints,
                    unschedulable: spec(old).unschedulable != spec(&node).unschedulable,
                    allocatable: alloc(old) != alloc(&node),
                };
                self.nodes[i].set_node(node);
                Some(event)
            }
            (_, None) => {
                let mut info = NodeInfo::new(node);
                // Pods that named this node before it existed.
                for (n, obj) in self.assigned.values() {
                    if *n == name {
                        if let Some(p) = obj.as_pod() {
                            info.add_pod(p);
                        }
                    }
                }
                let at = self.nodes.partition_point(|n| *n.name < *name);
                self.nodes.insert(at, info);
                Some(ClusterEvent::NodeAdd)
            }
        };
        self.index = self.nodes.iter().enumerate().map(|(i, n)| (n.name.to_string(), i)).collect();
        self.image_nodes.clear();
        for n in &self.nodes {
            for img in n.images.keys() {
                *self.image_nodes.entry(img.clone()).or_default() += 1;
            }
        }
        event
    }
}
