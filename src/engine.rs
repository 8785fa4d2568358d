//! The one shared handle to the engine. Components read snapshots from it and send it commands;
//! they never reimplement Kubernetes logic.

use std::cell::RefCell;
use std::rc::Rc;

use kubesim::{Config, Simulation};

#[derive(Clone)]
pub struct Engine(pub Rc<RefCell<Simulation>>);

impl Engine {
    pub fn new() -> Self {
        Engine(Rc::new(RefCell::new(Simulation::new(Config::default()))))
    }
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
