//! The one shared handle to the engine. Components read snapshots from it and send it commands;
//! they never reimplement Kubernetes logic.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use kubesim::{Config, Simulation};

#[derive(Clone)]
pub struct Engine(pub Rc<RefCell<Simulation>>, Rc<Cell<u64>>);

impl Engine {
    pub fn new() -> Self {
        Engine(Rc::new(RefCell::new(Simulation::new(Config::default()))), Rc::new(Cell::new(0)))
    }

    /// Puts another simulation in place (a rewind, an opened link, Reset): views that follow the
    /// watch log incrementally start over when [`Engine::generation`] changes.
    pub fn replace(&self, sim: Simulation) {
        *self.0.borrow_mut() = sim;
        self.1.set(self.1.get() + 1);
    }

    /// Changes whenever the simulation was replaced.
    pub fn generation(&self) -> u64 {
        self.1.get()
    }
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
