//! Scheduler plugins, one module each, named as upstream's (pkg/scheduler/framework/plugins).

pub mod image_locality;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_balanced_allocation;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod taint_toleration;
