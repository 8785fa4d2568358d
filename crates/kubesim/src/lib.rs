//! `kubesim`: a deterministic, sans-IO simulation of a Kubernetes cluster.
//!
//! Nothing here reads a clock, touches IO or draws OS randomness: virtual time moves only through
//! [`Simulation::advance_to`] and [`Simulation::step`], and every random choice comes from the
//! seeded [`rng::Rng`]. The same inputs and seed give the same trace, byte for byte.

pub mod api;
pub mod bench;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod defaults;
pub mod events;
pub mod faults;
pub mod inspect;
pub mod kubectl;
pub mod kubelet;
pub mod lessons;
pub mod manifest;
pub mod patch;
pub mod qos;
pub mod quantity;
pub mod rng;
pub mod runtime;
pub mod scenario;
pub mod scheduler;
pub mod selector;
pub mod sim;
pub mod sorting;
pub mod store;
pub mod time;
pub mod timeline;
pub mod validation;
pub mod view;

pub use sim::{Applied, Config, Simulation};
