//! The nodes a simulation starts with: by default the three-node cluster of the seed courses
//! (a tainted control-plane node and two workers).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Taint};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

pub const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";

/// What a scenario says about one node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSpecLite {
    pub name: String,
    pub control_plane: bool,
    pub cpu: String,
    pub memory: String,
    pub pods: u32,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
}

impl NodeSpecLite {
    pub fn worker(name: &str) -> Self {
        NodeSpecLite {
            name: name.into(),
            control_plane: false,
            cpu: "2".into(),
            memory: "4026128Ki".into(),
            pods: 110,
            labels: BTreeMap::new(),
            taints: Vec::new(),
        }
    }

    pub fn control_plane(name: &str) -> Self {
        NodeSpecLite {
            control_plane: true,
            taints: vec![Taint {
                key: CONTROL_PLANE_LABEL.into(),
                effect: "NoSchedule".into(),
                value: None,
                time_added: None,
            }],
            ..NodeSpecLite::worker(name)
        }
    }
}

/// The default cluster: `k8s-master` (control plane, tainted) and `workers` workers named
/// `k8s-worker1`, `k8s-worker2`, ...
pub fn default_nodes(workers: usize) -> Vec<NodeSpecLite> {
    let mut nodes = vec![NodeSpecLite::control_plane("k8s-master")];
    nodes.extend((1..=workers).map(|i| NodeSpecLite::worker(&format!("k8s-worker{i}"))));
    nodes
}

/// Builds the Node object for `spec`; `index` picks its addresses (node IP and pod CIDR).
pub fn node_object(spec: &NodeSpecLite, index: usize, created: Time) -> Node {
    let mut labels: BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.insert("kubernetes.io/hostname".into(), spec.name.clone());
    if spec.control_plane {
        labels.insert(CONTROL_PLANE_LABEL.into(), String::new());
        labels.insert("node.kubernetes.io/exclude-from-external-load-balancers".into(), String::new());
    }
    labels.extend(spec.labels.clone());
    let capacity: BTreeMap<String, Quantity> = [
        ("cpu", spec.cpu.clone()),
        ("memory", spec.memory.clone()),
        ("pods", spec.pods.to_string()),
        ("ephemeral-storage", "30298176Ki".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v)))
    .collect();
    let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(created.clone()),
        last_transition_time: Some(created.clone()),
    };
    Node {
        metadata: ObjectMeta { name: Some(spec.name.clone()), labels: Some(labels), ..Default::default() },
        spec: Some(NodeSpec {
            pod_cidr: Some(pod_cidr(index)),
            pod_cidrs: Some(vec![pod_cidr(index)]),
            taints: if spec.taints.is_empty() { None } else { Some(spec.taints.clone()) },
            ..Default::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress { type_: "InternalIP".into(), address: node_ip(index) },
                NodeAddress { type_: "Hostname".into(), address: spec.name.clone() },
            ]),
            allocatable: Some(capacity.clone()),
            capacity: Some(capacity),
            conditions: Some(vec![
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ]),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: uuid_like(&format!("boot/{}", spec.name)),
                container_runtime_version: "containerd://2.1.4".into(),
                kernel_version: "6.8.0-60-generic".into(),
                kube_proxy_version: String::new(),
                kubelet_version: "v1.35.0".into(),
                machine_id: crate::kubelet::status::digest(&format!("machine/{}", spec.name))[..32].to_string(),
                operating_system: "linux".into(),
                os_image: "Ubuntu 24.04.2 LTS".into(),
                system_uuid: uuid_like(&format!("system/{}", spec.name)),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

/// A Node object a learner applied, as its kubelet completes it on registration: the status of a
/// default worker (unless the object states capacity), the applied metadata, labels and taints.
pub fn registered_node(applied: &Node, index: usize, created: Time) -> Node {
    let name = applied.metadata.name.clone().unwrap_or_default();
    let mut spec = NodeSpecLite::worker(&name);
    spec.taints = applied.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default();
    let mut node = node_object(&spec, index, created);
    let labels = node.metadata.labels.get_or_insert_with(BTreeMap::new);
    labels.extend(applied.metadata.labels.clone().unwrap_or_default());
    node.metadata.annotations = applied.metadata.annotations.clone();
    if let (Some(s), Some(applied_spec)) = (node.spec.as_mut(), applied.spec.as_ref()) {
        s.unschedulable = applied_spec.unschedulable;
    }
    if let Some(cap) = applied.status.as_ref().and_then(|s| s.capacity.clone()) {
        if let Some(status) = node.status.as_mut() {
            status.allocatable = Some(cap.clone());
            status.capacity = Some(cap);
        }
    }
    node
}

/// A stable UUID-shaped id derived from `seed` (node machine/boot ids).
fn uuid_like(seed: &str) -> String {
    let h = crate::kubelet::status::digest(seed);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Node IPs 192.168.56.10, .11, ... as in the Vagrant labs many courses use.
pub fn node_ip(index: usize) -> String {
    let host = 10 + index;
    format!("192.168.{}.{}", 56 + host / 250, host % 250)
}

/// Pod CIDRs 10.244.<index>.0/24, as flannel's default network hands them out; clusters of more
/// than 256 nodes continue in 10.<index / 256>.<index % 256>.0/24.
pub fn pod_cidr(index: usize) -> String {
    if index < 256 {
        format!("10.244.{index}.0/24")
    } else {
        format!("10.{}.{}.0/24", (index >> 8) % 244, index & 255)
    }
}
