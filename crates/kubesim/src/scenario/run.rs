//! Playing a scenario: the simulation it describes, its manifests applied at 0 s, then each step
//! at its time. A `get -w` step streams rows until the next step (as a learner would stop the
//! watch to type the next command) or the end. The page and the CLI both play scenarios here;
//! the page rewinds by building a new `Run` and playing it to the earlier time (deterministic).

use super::{Action, Scenario, Step};
use crate::kubectl::{self, Output, Watch};
use crate::sim::Simulation;
use crate::time::Millis;

/// What one step printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepOutput {
    /// Index into the scenario's steps.
    pub step: usize,
    pub at: Millis,
    /// [`Step::header`].
    pub header: String,
    pub output: Output,
}

pub struct Run {
    sim: Simulation,
    session: kubectl::session::Session,
    steps: Vec<Step>,
    next: usize,
    end: Millis,
    /// The step whose `get -w` is streaming, and its watch.
    watch: Option<(usize, Watch)>,
    outputs: Vec<StepOutput>,
    setup: Output,
}

impl Run {
    /// Builds the cluster and applies the manifests at 0 s (their result: [`Run::setup`]).
    pub fn new(scenario: &Scenario) -> Run {
        let mut sim = Simulation::new(scenario.config());
        let mut setup = if scenario.manifests.trim().is_empty() {
            Output::default()
        } else {
            kubectl::apply_text(&mut sim, &scenario.manifests, "manifests", false)
        };
        for sp in &scenario.static_pods {
            if let Err(e) = sim.add_static_pod(&sp.node, &sp.manifest) {
                setup.stderr.push_str(&format!("error: static pod on {}: {e}\n", sp.node));
                setup.exit_code = 1;
            }
        }
        Run {
            sim,
            session: kubectl::session::Session::new(),
            steps: scenario.steps.clone(),
            next: 0,
            end: scenario.end(),
            watch: None,
            outputs: Vec::new(),
            setup,
        }
    }

    /// What applying the manifests printed (`pod/web created`, or errors with exit code 1).
    pub fn setup(&self) -> &Output {
        &self.setup
    }

    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// For what the scenario format does not cover (the CLI's `--static-pod`, extra files);
    /// use it before playing.
    pub fn simulation_mut(&mut self) -> &mut Simulation {
        &mut self.sim
    }

    /// Where [`Run::play`] stops.
    pub fn end(&self) -> Millis {
        self.end
    }

    pub fn set_end(&mut self, end: Millis) {
        self.end = end;
    }

    /// Every step played so far, in order.
    pub fn outputs(&self) -> &[StepOutput] {
        &self.outputs
    }

    /// Steps not played yet.
    pub fn remaining(&self) -> &[Step] {
        self.steps.get(self.next..).unwrap_or(&[])
    }

    /// Plays to the end.
    pub fn play(&mut self) {
        let end = self.end;
        self.play_to(end);
    }

    /// Runs every step due by `t` (in order, each at its time), then simulates up to `t`.
    /// Time never goes back: a `t` before now only plays the steps due now.
    pub fn play_to(&mut self, t: Millis) {
        let t = t.max(self.sim.now());
        while let Some(at) = self.steps.get(self.next).map(|s| s.at).filter(|at| *at <= t) {
            self.advance(at);
            // The next step ends a running watch (its rows up to now are printed).
            self.watch = None;
            let i = self.next;
            self.next += 1;
            self.run_step(i);
        }
        self.advance(t);
    }

    /// Moves time to `to` event by event, so a watch prints every change in order.
    fn advance(&mut self, to: Millis) {
        let to = to.max(self.sim.now());
        if self.watch.is_none() {
            self.sim.advance_to(to);
            return;
        }
        while self.sim.next_event_at().is_some_and(|t| t <= to) {
            self.sim.step();
            self.flush_watch();
        }
        self.sim.advance_to(to);
        self.flush_watch();
    }

    fn flush_watch(&mut self) {
        if let Some((i, w)) = self.watch.as_mut() {
            let rows = kubectl::watch_rows(&self.sim, w);
            if let Some(o) = self.outputs.get_mut(*i) {
                o.output.stdout.push_str(&rows);
            }
        }
    }

    /// The simulation and the terminal session as the run left them, and the `get -w` still
    /// streaming (the page takes them over after a rewind and goes on from there).
    pub fn into_parts(self) -> (Simulation, kubectl::session::Session, Option<Watch>) {
        (self.sim, self.session, self.watch.map(|(_, w)| w))
    }

    fn run_step(&mut self, index: usize) {
        let Some(step) = self.steps.get(index).cloned() else { return };
        let mut output = execute(&mut self.sim, &mut self.session, &step.action);
        let watch = output.watch.take();
        self.outputs.push(StepOutput { step: index, at: step.at, header: step.header(), output });
        if let Some(w) = watch {
            self.watch = Some((self.outputs.len() - 1, w));
        }
    }
}

/// Does one step's action now, as a run does (the page replays recorded steps through this too).
pub fn execute(sim: &mut Simulation, session: &mut kubectl::session::Session, action: &Action) -> Output {
    match action {
        // One terminal session for all steps: a port-forward step keeps forwarding.
        Action::Kubectl(line) => session.run(sim, line),
        // `-f -`: kubectl names standard input "STDIN" in its messages.
        Action::Apply(text) => kubectl::apply_text(sim, text, "STDIN", false),
        Action::Delete(text) => kubectl::delete_file::delete_file(sim, text, "STDIN"),
        Action::Fault(f) => match sim.inject(f.clone()) {
            Ok(account) => Output { stdout: format!("{account}\n"), ..Default::default() },
            Err(e) => Output { stderr: format!("error: {e}\n"), exit_code: 1, ..Default::default() },
        },
    }
}
