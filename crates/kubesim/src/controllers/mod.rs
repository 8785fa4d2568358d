//! The controller manager's controllers, one module each, named as upstream's
//! (pkg/controller/*). They react to the watch log like the scheduler and kubelets do.

pub mod deployment;
pub mod endpoints;
pub mod job;
pub mod replicaset;
