//! The learner's session IS a scenario (`playground.kube/v1alpha1`): the cluster and seed, and
//! every action (editor Apply → `apply`, Delete → `delete`, a terminal line → `kubectl`, a node
//! action → `fault`) as a step at the virtual time it was done. Because runs are deterministic,
//! that is enough to get back to any earlier moment: build a new [`Run`] and play it to the time
//! ([`Recording::rebuild`]); share links and the autosave are this scenario too.
//!
//! Going back leaves the later steps in the recording: playing on replays them at their times
//! ([`Recording::advance`]), so "back to live" returns to the same state. Acting while rewound
//! discards them: the recording goes on from the new action ([`Recording::record`]).
//!
//! The engine handle (`src/engine.rs`) still owns the one `Simulation`; this module moves it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use kubesim::kubectl::session::Session;
use kubesim::kubectl::{self, Output, Watch};
use kubesim::scenario::{self, Action, Run, Scenario, Step};
use kubesim::time::Millis;
use kubesim::Simulation;

use crate::app::append;
use crate::components::inspector::Tab;
use crate::components::share::LinkNotice;
use crate::engine::Engine;

/// `metadata.name` of a recorded session.
pub const NAME: &str = "playground";
/// localStorage: the session as scenario YAML (`until` = the end of the recording).
const STORAGE_SCENARIO: &str = "kube-playground.session";
/// localStorage: `<now ms> <playing 0|1> <speed> <head ms>` (written on every tick, so small).
const STORAGE_CLOCK: &str = "kube-playground.session.clock";
/// localStorage: the selected pod and inspector tab, `<tab> <namespace/name>`.
const STORAGE_VIEW: &str = "kube-playground.session.view";

#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// `until` is kept `None` here; the end of the recording is `head`.
    scenario: Scenario,
    /// How many steps the engine has played (the others lie after now: the page is rewound).
    played: usize,
    /// The furthest moment the recording reaches.
    head: Millis,
}

/// The engine as a rebuilt run left it.
pub struct Rebuilt {
    pub sim: Simulation,
    pub session: Session,
    /// A `get -w` still streaming at that moment.
    pub watch: Option<Watch>,
    /// The terminal as the replayed steps printed it.
    pub terminal: String,
}

/// A recorded step replayed while time moved on, with what it printed.
pub struct Played {
    pub action: Action,
    pub output: Output,
}

impl Default for Recording {
    fn default() -> Self {
        Recording::new(Scenario::new(NAME))
    }
}

impl Recording {
    /// A recording of `scenario`, its end at `until` (or its last step); nothing played yet:
    /// call [`Recording::rebuild`] to get the engine.
    pub fn new(mut scenario: Scenario) -> Self {
        let head = scenario.end();
        scenario.until = None;
        Recording { scenario, played: 0, head }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The end of the recording: the furthest moment reached.
    pub fn head(&self) -> Millis {
        self.head
    }

    /// Recorded steps after now (a rewound page replays them, or discards them on a new action).
    pub fn later(&self) -> usize {
        self.scenario.steps.len().saturating_sub(self.played)
    }

    /// When the next recorded step is due, if the page is rewound before one.
    pub fn next_step_at(&self) -> Option<Millis> {
        self.scenario.steps.get(self.played).map(|s| s.at)
    }

    /// The engine at `t`: a new run of the scenario played to `t` (exact, runs are deterministic).
    pub fn rebuild(&mut self, t: Millis) -> Rebuilt {
        let mut run = Run::new(&self.scenario);
        run.play_to(t);
        self.played = self.scenario.steps.len().saturating_sub(run.remaining().len());
        self.head = self.head.max(t);
        let mut terminal = String::new();
        for o in run.outputs() {
            if let Some(step) = self.scenario.steps.get(o.step) {
                terminal.push_str(&terminal_entry(&step.action, &o.output));
            }
        }
        let (sim, session, watch) = run.into_parts();
        Rebuilt { sim, session, watch, terminal }
    }

    /// Moves the engine to `to`, playing on the way the recorded steps due by then (each at its
    /// time, exactly as [`Run::play_to`] does). Live, there are none: time just moves.
    pub fn advance(&mut self, sim: &mut Simulation, session: &mut Session, to: Millis) -> Vec<Played> {
        let mut played = Vec::new();
        while let Some(step) = self.scenario.steps.get(self.played).filter(|s| s.at <= to).cloned() {
            sim.advance_to(step.at.max(sim.now()));
            self.played += 1;
            let output = scenario::execute(sim, session, &step.action);
            played.push(Played { action: step.action, output });
        }
        sim.advance_to(to.max(sim.now()));
        self.head = self.head.max(sim.now());
        played
    }

    /// The next moment something happens: the engine's next wake-up or the next recorded step.
    pub fn next_moment(&self, sim: &Simulation) -> Option<Millis> {
        match (sim.next_event_at(), self.next_step_at()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Records `action`, done at `now` (the caller does it on the engine); returns how many later
    /// recorded steps it discarded (a rewound page starts a new future here).
    pub fn record(&mut self, now: Millis, action: Action) -> usize {
        let discarded = self.later();
        self.scenario.steps.truncate(self.played);
        self.scenario.steps.push(Step { at: now, action });
        self.played = self.scenario.steps.len();
        self.head = now;
        discarded
    }

    /// The session up to `now`, ending there: what a share link carries.
    pub fn snapshot(&self, now: Millis) -> Scenario {
        let mut s = self.scenario.clone();
        s.steps.truncate(self.played);
        s.until = Some(now);
        s
    }

    /// The whole recording (later steps too), ending at its head: what the autosave keeps.
    pub fn whole(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.until = Some(self.head);
        s
    }

    /// The manifest text the session applied last (for the editor of an opened link).
    pub fn last_applied(&self) -> Option<&str> {
        let steps = self.scenario.steps.get(..self.played).unwrap_or(&[]);
        steps
            .iter()
            .rev()
            .find_map(|s| if let Action::Apply(t) = &s.action { Some(t.as_str()) } else { None })
            .or(Some(self.scenario.manifests.as_str()).filter(|m| !m.trim().is_empty()))
    }
}

/// The page's time machine: the engine handle, the recording, and the terminal the replayed
/// steps print into. Every move of virtual time and every recorded action goes through it.
#[derive(Clone)]
pub struct Player {
    pub engine: Engine,
    pub recording: Rc<RefCell<Recording>>,
    /// The terminal's session (its port-forwards); a rebuilt run brings its own.
    pub session: Rc<RefCell<Session>>,
    pub terminal: Rc<RefCell<String>>,
    /// `get -w`s streaming into the terminal.
    pub watches: Rc<RefCell<Vec<Watch>>>,
    /// Whether to autosave: off on a page opened from a bad link (so it does not overwrite the
    /// saved session) until the learner does something.
    persist: Rc<Cell<bool>>,
    /// Playing, and the speed: saved with the clock.
    clock: Rc<Cell<(bool, u64)>>,
}

impl PartialEq for Player {
    fn eq(&self, other: &Self) -> bool {
        self.engine == other.engine
    }
}

impl Player {
    pub fn new(
        engine: Engine,
        session: Rc<RefCell<Session>>,
        terminal: Rc<RefCell<String>>,
        watches: Rc<RefCell<Vec<Watch>>>,
    ) -> Self {
        Player {
            engine,
            recording: Rc::default(),
            session,
            terminal,
            watches,
            persist: Rc::new(Cell::new(true)),
            clock: Rc::new(Cell::new((true, 1))),
        }
    }

    pub fn now(&self) -> Millis {
        self.engine.0.borrow().now()
    }

    /// Moves time forward to `to`; while rewound, the recorded steps due on the way happen.
    pub fn play_to(&self, to: Millis) {
        let mut sim = self.engine.0.borrow_mut();
        let played = self.recording.borrow_mut().advance(&mut sim, &mut self.session.borrow_mut(), to);
        let mut term = self.terminal.borrow_mut();
        let mut watches = self.watches.borrow_mut();
        for p in played {
            if matches!(p.action, Action::Kubectl(_)) {
                // As typed live: a new command ends a `-w`.
                watches.clear();
            }
            append(&mut term, &terminal_entry(&p.action, &p.output));
            watches.extend(p.output.watch);
        }
        for w in watches.iter_mut() {
            append(&mut term, &kubectl::watch_rows(&sim, w));
        }
        drop(sim);
        self.save_clock();
    }

    /// Goes to `t`: later by playing on, earlier by rebuilding the run up to `t`.
    pub fn seek(&self, t: Millis) {
        if t >= self.now() {
            self.play_to(t);
            return;
        }
        self.rebuild(t);
    }

    /// Replaces the engine, terminal session and terminal with a run of the recording to `t`.
    fn rebuild(&self, t: Millis) {
        let rebuilt = self.recording.borrow_mut().rebuild(t);
        self.engine.replace(rebuilt.sim);
        *self.session.borrow_mut() = rebuilt.session;
        let mut term = String::new();
        append(&mut term, &rebuilt.terminal);
        *self.terminal.borrow_mut() = term;
        *self.watches.borrow_mut() = rebuilt.watch.into_iter().collect();
        self.save_clock();
    }

    /// Steps to the next moment something happens; returns false when nothing is scheduled.
    pub fn step(&self) -> bool {
        let next = self.recording.borrow().next_moment(&self.engine.0.borrow());
        next.map(|t| self.play_to(t)).is_some()
    }

    /// When [`Player::step`] would land.
    pub fn next_moment(&self) -> Option<Millis> {
        self.recording.borrow().next_moment(&self.engine.0.borrow())
    }

    /// Makes `recording` the session and goes to `at` in it (a lesson, a link, the autosave).
    pub fn load(&self, recording: Recording, at: Millis) {
        *self.recording.borrow_mut() = recording;
        self.rebuild(at);
        self.save();
    }

    /// Does an action now and records it: `f` does it on the engine (and the terminal session).
    /// Returns `f`'s result and how many later recorded steps it discarded (rewound).
    pub fn act<R>(&self, action: Action, f: impl FnOnce(&mut Simulation, &mut Session) -> R) -> (R, usize) {
        let now = self.now();
        let discarded = self.recording.borrow_mut().record(now, action);
        let result = {
            let mut sim = self.engine.0.borrow_mut();
            let r = f(&mut sim, &mut self.session.borrow_mut());
            // What reacts at this very instant reacts now, as a replay's `play_to(now)` does.
            sim.advance_to(now);
            r
        };
        self.persist.set(true);
        self.save();
        self.save_clock();
        (result, discarded)
    }

    /// A new, empty session (Reset).
    pub fn reset(&self) {
        self.persist.set(true);
        self.load(Recording::default(), 0);
    }

    /// Stops autosaving until the learner acts (a page opened from a bad link).
    pub fn pause_autosave(&self) {
        self.persist.set(false);
    }

    pub fn save(&self) {
        if self.persist.get() {
            save_recording(&self.recording.borrow());
        }
    }

    /// Tells the autosave whether time runs, and how fast (saved with the clock).
    pub fn set_clock(&self, playing: bool, speed: u64) {
        self.clock.set((playing, speed));
        self.save_clock();
    }

    fn save_clock(&self) {
        if self.persist.get() {
            let (playing, speed) = self.clock.get();
            save_clock(self.now(), playing, speed, self.recording.borrow().head());
        }
    }

    pub fn save_view(&self, pod: Option<&str>, tab: Tab) {
        if self.persist.get() {
            save_view(pod, tab);
        }
    }
}

impl Player {
    /// Makes `scenario` the session at `at` (a lesson): its steps after `at` are the recorded
    /// future that Play replays. The caller re-renders.
    pub fn load_scenario(&self, scenario: &Scenario, at: Millis) {
        self.persist.set(true);
        self.load(Recording::new(scenario.clone()), at);
    }
}

/// How the page starts: from a share link in the URL, else the autosaved session, else empty.
pub struct Boot {
    pub playing: bool,
    pub speed: u64,
    pub pod: Option<String>,
    pub tab: Option<Tab>,
    pub notice: Option<LinkNotice>,
}

pub fn boot(player: &Player) -> Boot {
    let mut b = Boot { playing: true, speed: 1, pod: None, tab: None, notice: None };
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    if let Some(result) = crate::share::decode(&hash) {
        // The session now lives in the page (and its autosave): a reload must not reopen the link.
        clear_hash();
        match result {
            Ok(shared) => {
                let at = shared.scenario.end();
                player.load(Recording::new(shared.scenario), at);
                if let Some(text) = player.recording.borrow().last_applied() {
                    // Read by the editor when it mounts, right after this first render.
                    crate::storage::set(crate::components::editor::STORAGE_KEY, text);
                }
                b.playing = false;
                b.pod = shared.view.pod;
                b.tab = shared.view.tab.as_deref().and_then(tab_from_code);
                b.notice = Some(LinkNotice::Opened(at));
            }
            Err(e) => {
                player.pause_autosave();
                player.load(Recording::default(), 0);
                b.notice = Some(LinkNotice::Failed(e));
            }
        }
        return b;
    }
    match load_saved() {
        Some(saved) => {
            player.load(saved.recording, saved.now);
            b.playing = saved.playing;
            b.speed = saved.speed;
            b.pod = saved.pod;
            b.tab = saved.tab;
        }
        None => player.load(Recording::default(), 0),
    }
    b
}

/// The page's address without its fragment.
pub fn page_url() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

fn clear_hash() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_url()));
    }
}

/// How the terminal echoes a line: curl/wget and a typed `kubectl` as typed, the rest after the
/// prompt's `kubectl`.
pub fn echo(line: &str) -> String {
    if Session::is_shell_line(line) || line.starts_with("kubectl ") {
        format!("$ {line}\n")
    } else {
        format!("$ kubectl {line}\n")
    }
}

/// What the terminal shows for a replayed step: terminal lines and faults (the editor's own
/// Apply/Delete print in the editor, not the terminal).
pub fn terminal_entry(action: &Action, output: &Output) -> String {
    match action {
        Action::Kubectl(line) => format!("{}{}", echo(line), output.combined()),
        Action::Fault(f) => format!("# fault: {}\n{}", scenario::fault_summary(f), output.combined()),
        Action::Apply(_) | Action::Delete(_) => String::new(),
    }
}

/// The inspector tab as a link or the autosave writes it.
pub fn tab_code(tab: Tab) -> &'static str {
    match tab {
        Tab::Describe => "describe",
        Tab::Events => "events",
        Tab::Scheduler => "scheduler",
        Tab::Yaml => "yaml",
        Tab::Logs => "logs",
        Tab::PreviousLogs => "previous",
    }
}

pub fn tab_from_code(code: &str) -> Option<Tab> {
    match code {
        "describe" => Some(Tab::Describe),
        "events" => Some(Tab::Events),
        "scheduler" => Some(Tab::Scheduler),
        "yaml" => Some(Tab::Yaml),
        "logs" => Some(Tab::Logs),
        "previous" => Some(Tab::PreviousLogs),
        _ => None,
    }
}

/// What the autosave brings back after a reload.
pub struct Saved {
    pub recording: Recording,
    pub now: Millis,
    pub playing: bool,
    pub speed: u64,
    pub pod: Option<String>,
    pub tab: Option<Tab>,
}

/// Saves the recording (call after each recorded action or load).
pub fn save_recording(rec: &Recording) {
    crate::storage::set(STORAGE_SCENARIO, &rec.whole().to_yaml());
}

/// Saves the clock (cheap: called on every tick).
pub fn save_clock(now: Millis, playing: bool, speed: u64, head: Millis) {
    crate::storage::set(STORAGE_CLOCK, &format!("{now} {} {speed} {head}", u8::from(playing)));
}

pub fn save_view(pod: Option<&str>, tab: Tab) {
    crate::storage::set(STORAGE_VIEW, &format!("{} {}", tab_code(tab), pod.unwrap_or("")));
}

/// The autosaved session, if there is a readable one (anything unreadable is ignored).
pub fn load_saved() -> Option<Saved> {
    let yaml = crate::storage::get(STORAGE_SCENARIO)?;
    let scenario = Scenario::from_yaml(&yaml).ok()?;
    let mut recording = Recording::new(scenario);
    let clock = crate::storage::get(STORAGE_CLOCK).unwrap_or_default();
    let mut words = clock.split(' ');
    // Time ran on after the last recorded action: the recording reaches as far as the clock did.
    let now: Millis = words.next().and_then(|w| w.parse().ok()).unwrap_or(recording.head);
    let playing = words.next() != Some("0");
    let speed = words.next().and_then(|w| w.parse().ok()).filter(|s| crate::components::time_bar::SPEEDS.contains(s));
    let head: Millis = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
    let (now, head) = (now.min(crate::share::MAX_TIME), head.min(crate::share::MAX_TIME));
    recording.head = recording.head.min(crate::share::MAX_TIME).max(head).max(now);
    let view = crate::storage::get(STORAGE_VIEW).unwrap_or_default();
    let (tab, pod) = view.split_once(' ').unwrap_or((view.as_str(), ""));
    Some(Saved {
        recording,
        now,
        playing,
        speed: speed.unwrap_or(1),
        pod: Some(pod.to_string()).filter(|p| !p.is_empty()),
        tab: tab_from_code(tab),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubesim::api::ObjectKey;
    use kubesim::faults::Fault;
    use kubesim::kubectl;

    const WEB: &str =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n";
    const CRASHER: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crasher\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 2; exit 1\"]\n";
    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

    /// Everything a learner could see of the cluster, read without touching it.
    fn state(sim: &Simulation) -> String {
        let store = sim.store();
        let mut out = format!("now={} log={}\n", sim.now(), store.log().len());
        for kind in [kubesim::api::Kind::Pod, kubesim::api::Kind::Event, kubesim::api::Kind::ReplicaSet] {
            for o in store.list(kind, None) {
                out.push_str(&format!("{o:?}\n"));
            }
        }
        out
    }

    /// Equal states, or the first line that differs.
    fn assert_same(got: &str, want: &str, t: Millis) {
        if got != want {
            let (g, w) = got.lines().zip(want.lines()).find(|(g, w)| g != w).unwrap_or(("(length)", "(length)"));
            let at = g.bytes().zip(w.bytes()).position(|(a, b)| a != b).unwrap_or(0);
            let from = at.saturating_sub(200);
            panic!(
                "state at {t} differs:\n got …{}\nwant …{}",
                &g[from..(at + 200).min(g.len())],
                &w[from..(at + 200).min(w.len())]
            );
        }
    }

    /// A page session: ticks of `tick` ms, actions at given times (as the page does them), and
    /// reads in between as the inspector does; returns the recording and the state seen at
    /// each checkpoint.
    fn live(tick: Millis, checkpoints: &[Millis]) -> (Recording, Vec<(Millis, String)>) {
        let kill = Fault::KillContainer {
            pod: ObjectKey::new(kubesim::api::Kind::Pod, "default", "web"),
            container: None,
            exit_code: 137,
        };
        // Each action at the first tick at or after its time, as a learner's click lands.
        let mut actions = vec![
            (1_000, Action::Apply(format!("{WEB}---\n{CRASHER}"))),
            (5_000, Action::Kubectl("get pods -w".into())),
            (20_000, Action::Apply(DEPLOY.into())),
            (40_000, Action::Kubectl("scale deployment api --replicas=3".into())),
            (60_000, Action::Fault(kill)),
            (90_000, Action::Delete(WEB.into())),
        ];
        actions.reverse();
        let mut rec = Recording::default();
        let mut sim = rec.rebuild(0).sim;
        let mut session = Session::new();
        let mut seen = Vec::new();
        let mut t = 0;
        while t <= 180_000 {
            while actions.last().is_some_and(|(at, _)| *at <= t) {
                let Some((_, action)) = actions.pop() else { break };
                rec.record(sim.now(), action.clone());
                match action {
                    Action::Apply(text) => drop(sim.apply_text(&text)),
                    Action::Delete(text) => drop(kubectl::delete_file::delete_text(&mut sim, &text)),
                    Action::Kubectl(line) => drop(session.run(&mut sim, &line)),
                    Action::Fault(f) => drop(sim.inject(f)),
                }
                // The page settles the instant after an action (`Player::act`).
                sim.advance_to(t);
            }
            // The inspector reads through kubectl on every render.
            kubectl::run(&mut sim, "describe pod crasher");
            kubectl::run(&mut sim, "logs crasher --previous");
            kubectl::run(&mut sim, "get pod web -o yaml");
            if checkpoints.contains(&t) {
                seen.push((t, state(&sim)));
            }
            t += tick;
            rec.advance(&mut sim, &mut session, t);
        }
        (rec, seen)
    }

    #[test]
    fn rewind_gives_the_state_seen_live() {
        let checkpoints = [0, 1_000, 3_000, 19_900, 45_000, 61_000, 90_000, 95_000, 150_000];
        let (mut rec, seen) = live(100, &checkpoints);
        assert_eq!(rec.scenario().steps.len(), 6);
        assert_eq!(rec.head(), 180_100);
        for (t, expected) in &seen {
            let rebuilt = rec.rebuild(*t);
            assert_same(&state(&rebuilt.sim), expected, *t);
        }
        // Coarse live ticks (60×): actions land later, and their replay matches too.
        let (mut fast_rec, fast) = live(6_000, &[0, 6_000, 60_000, 90_000, 96_000, 150_000]);
        assert_eq!(
            fast_rec.scenario().steps.iter().map(|s| s.at).collect::<Vec<_>>(),
            [6_000, 6_000, 24_000, 42_000, 60_000, 90_000]
        );
        for (t, expected) in fast {
            assert_same(&state(&fast_rec.rebuild(t).sim), &expected, t);
        }
    }

    #[test]
    fn replaying_forward_from_a_rewind_meets_the_live_state() {
        let (mut rec, seen) = live(100, &[150_000]);
        let Rebuilt { mut sim, mut session, .. } = rec.rebuild(10_000);
        assert_eq!(rec.later(), 4);
        assert_eq!(rec.next_step_at(), Some(20_000));
        // Play on in odd-sized hops: the recorded steps happen at their times.
        let mut t = 10_000;
        let mut replayed = Vec::new();
        while t < 150_000 {
            t = (t + 7_300).min(150_000);
            replayed.extend(rec.advance(&mut sim, &mut session, t));
        }
        assert_eq!(replayed.len(), 4);
        assert_eq!(rec.later(), 0);
        assert_same(&state(&sim), &seen[0].1, 150_000);
    }

    #[test]
    fn a_rewound_page_shows_the_earlier_cluster() {
        let (mut rec, _) = live(100, &[]);
        // At 95 s the web pod is being deleted or gone; at 30 s it was running.
        let early = rec.rebuild(30_000);
        let web = early.sim.store().get(&ObjectKey::new(kubesim::api::Kind::Pod, "default", "web")).is_some();
        assert!(web);
        let pods = kubesim::view::cluster(&early.sim);
        let all: Vec<_> =
            pods.nodes.iter().flat_map(|n| n.pods.iter()).map(|p| (p.name.clone(), p.status.clone())).collect();
        assert!(all.iter().any(|(n, s)| n == "web" && s == "Running"), "{all:?}");
        // The terminal shows the replayed `get -w` with its rows (up to the next step, at 20 s).
        assert!(early.terminal.starts_with("$ kubectl get pods -w\nNAME "), "{}", early.terminal);
        assert!(early.watch.is_none());
        let watching = rec.rebuild(10_000);
        assert!(watching.watch.is_some());
        assert!(watching.terminal.contains("\nweb "), "{}", watching.terminal);
    }

    #[test]
    fn acting_after_a_rewind_discards_the_later_steps() {
        let (mut rec, _) = live(100, &[]);
        let Rebuilt { mut sim, .. } = rec.rebuild(30_000);
        assert_eq!(rec.later(), 3);
        let discarded = rec.record(sim.now(), Action::Kubectl("get pods".into()));
        sim.advance_to(30_000);
        assert_eq!(discarded, 3);
        assert_eq!(rec.later(), 0);
        assert_eq!(rec.head(), 30_000);
        let steps: Vec<_> = rec.scenario().steps.iter().map(|s| s.at).collect();
        assert_eq!(steps, vec![1_000, 5_000, 20_000, 30_000]);
    }

    #[test]
    fn snapshot_and_autosave_round_trip() {
        let (mut rec, seen) = live(100, &[45_000]);
        rec.rebuild(45_000);
        let shared = rec.snapshot(45_000);
        assert_eq!(shared.until, Some(45_000));
        assert_eq!(shared.steps.len(), 4);
        let back = Scenario::from_yaml(&shared.to_yaml()).unwrap();
        let mut opened = Recording::new(back);
        assert_eq!(opened.head(), 45_000);
        assert_same(&state(&opened.rebuild(45_000).sim), &seen[0].1, 45_000);
        assert_eq!(opened.last_applied(), Some(DEPLOY));
        // The autosave keeps the later steps too.
        let whole = Recording::new(Scenario::from_yaml(&rec.whole().to_yaml()).unwrap());
        assert_eq!(whole.scenario().steps.len(), 6);
        assert_eq!(whole.head(), 180_100);
    }

    #[test]
    fn tab_codes_round_trip() {
        for tab in [Tab::Describe, Tab::Yaml, Tab::Logs, Tab::PreviousLogs] {
            assert!(tab_from_code(tab_code(tab)) == Some(tab));
        }
        assert!(tab_from_code("nope").is_none());
    }
}
