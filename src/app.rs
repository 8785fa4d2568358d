//! The page's root: owns the engine handle, the clock that drives virtual time, and the state of
//! the terminal and the inspector. Every Kubernetes answer comes from the engine (`kubesim`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use kubesim::kubectl::session::Session;
use kubesim::kubectl::{self, Watch};
use kubesim::lessons::{self, Lesson, Progress};
use kubesim::scenario::{format_at, Run};
use kubesim::{Config, Simulation};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::cluster_view::ClusterView;
use crate::components::editor::Editor;
use crate::components::inspector::{self, Inspector, Tab};
use crate::components::lesson::{LessonPanel, LessonPicker};
use crate::components::terminal::Terminal;
use crate::components::time_bar::{format_clock, TimeBar};
use crate::components::timeline::Timeline;
use crate::engine::Engine;
use crate::i18n::Lang;

/// Real milliseconds between two clock ticks.
const TICK_MS: u32 = 100;
/// The terminal keeps at most this much text (oldest dropped).
const TERMINAL_LIMIT: usize = 200_000;

fn append(out: &mut String, text: &str) {
    out.push_str(text);
    if out.len() > TERMINAL_LIMIT {
        let cut = out.len() - TERMINAL_LIMIT;
        let cut = out[cut..].find('\n').map(|i| cut + i + 1).unwrap_or(cut);
        out.drain(..cut);
    }
}

/// The lesson being played: the lesson, and its scenario's run (the steps still to come).
type LessonRun = Option<(Rc<Lesson>, Run)>;

/// Resets the cluster to a lesson's start, built as the engine builds every scenario
/// (`Lesson::start` → `scenario::Run::new`, static pods added): the engine's handle gets the
/// run's simulation, and the returned `Run` keeps the scenario's later steps (faults at their
/// times), which [`advance`] plays as time runs.
fn load_lesson(engine: &Engine, lesson: &Lesson) -> Run {
    let mut run = lesson.start();
    std::mem::swap(run.simulation_mut(), &mut engine.0.borrow_mut());
    // The run holds the old cluster now; an empty stand-in frees it.
    *run.simulation_mut() = Simulation::new(Config { nodes: Vec::new(), ..Config::default() });
    run
}

/// Moves virtual time by `dt`. In a lesson the run plays its steps on the engine's simulation
/// (lent to it for the call), a second at most at a time with the goals checked after each, so
/// short-lived states count at any speed. Returns what the lesson's steps printed.
fn advance(engine: &Engine, lesson: &mut LessonRun, progress: &mut Progress, dt: u64) -> String {
    let mut sim = engine.0.borrow_mut();
    let Some((lesson, run)) = lesson.as_mut() else {
        sim.advance_by(dt);
        return String::new();
    };
    std::mem::swap(run.simulation_mut(), &mut sim);
    let before = run.outputs().len();
    let end = run.simulation().now() + dt;
    while run.simulation().now() < end {
        let next = (run.simulation().now() + 1000).min(end);
        run.play_to(next);
        progress.update(lesson, run.simulation());
    }
    let mut printed = String::new();
    for o in run.outputs().get(before..).unwrap_or(&[]) {
        printed.push_str(&format!("[{}] {}\n{}", format_at(o.at), o.header, o.output.combined()));
    }
    std::mem::swap(run.simulation_mut(), &mut sim);
    printed
}

/// Checks the lesson's goals now (after the learner changed something).
fn check_goals(engine: &Engine, lesson: &LessonRun, progress: &mut Progress) {
    if let Some((l, _)) = lesson {
        progress.update(l, &engine.0.borrow());
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let engine = use_memo((), |_| Engine::new());
    // Bumped after every change so views re-read the engine.
    let version = use_state(|| 0u64);
    let playing = use_state(|| true);
    let speed = use_state(|| 1u64);
    let terminal = use_mut_ref(String::new);
    let watches: Rc<RefCell<Vec<Watch>>> = use_mut_ref(Vec::new);
    // The terminal's session: its port-forwards outlive one command.
    let session = use_mut_ref(Session::new);
    let selected = use_state(|| None::<String>);
    let tab = use_state(|| Tab::Describe);
    let lang = use_state(Lang::initial);
    // Re-renders after the editor changed the cluster (its callbacks are stable, see below).
    let refresh = use_force_update();

    // The document follows the language (screen readers, CJK font choice).
    use_effect_with(*lang, |l| l.set_document_lang());
    // A moment picked on the timeline: its time and the selected pod as it was then.
    let moment = use_state(|| None::<(u64, String)>);
    // Lessons: the built-in list, the one picked, its run and the goals reached.
    let lesson_list = use_memo((), |_| lessons::built_in());
    let lesson = use_state(|| None::<usize>);
    let lesson_run: Rc<RefCell<LessonRun>> = use_mut_ref(|| None);
    let progress = use_mut_ref(Progress::default);
    let editor_load = use_state(|| None::<(u64, Rc<String>)>);

    {
        let engine = (*engine).clone();
        let version = version.clone();
        let terminal = terminal.clone();
        let watches = watches.clone();
        let lesson_run = lesson_run.clone();
        let progress = progress.clone();
        let playing = *playing;
        let speed = *speed;
        use_effect_with((playing, speed), move |_| {
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    let printed = advance(
                        &engine,
                        &mut lesson_run.borrow_mut(),
                        &mut progress.borrow_mut(),
                        TICK_MS as u64 * speed,
                    );
                    append(&mut terminal.borrow_mut(), &printed);
                    let sim = engine.0.borrow();
                    for w in watches.borrow_mut().iter_mut() {
                        let rows = kubectl::watch_rows(&sim, w);
                        append(&mut terminal.borrow_mut(), &rows);
                    }
                    version.set(sim.now());
                })
            });
            move || drop(interval)
        });
    }

    // The editor's callbacks never change, so the clock's ticks do not re-render the editor.
    let on_apply = {
        let refresh = refresh.clone();
        let lesson_run = lesson_run.clone();
        let progress = progress.clone();
        use_callback((*engine).clone(), move |text: String, engine| {
            let results = engine.0.borrow_mut().apply_text(&text);
            check_goals(engine, &lesson_run.borrow(), &mut progress.borrow_mut());
            refresh.force_update();
            results
        })
    };
    let on_delete = {
        let refresh = refresh.clone();
        let lesson_run = lesson_run.clone();
        let progress = progress.clone();
        use_callback((*engine).clone(), move |text: String, engine| {
            let results = kubectl::delete_file::delete_text(&mut engine.0.borrow_mut(), &text);
            check_goals(engine, &lesson_run.borrow(), &mut progress.borrow_mut());
            refresh.force_update();
            results
        })
    };
    let on_reset = {
        let refresh = refresh.clone();
        let watches = watches.clone();
        let selected = selected.clone();
        let lesson_run = lesson_run.clone();
        let progress = progress.clone();
        use_callback((*engine).clone(), move |(), engine| {
            // A new, empty cluster (in a lesson: the lesson's start): what watched or showed the
            // old one stops.
            let mut current = lesson_run.borrow_mut();
            match current.as_mut() {
                Some((l, run)) => {
                    *run = load_lesson(engine, l);
                    *progress.borrow_mut() = Progress::new(l);
                }
                None => *engine.0.borrow_mut() = Simulation::new(Config::default()),
            }
            watches.borrow_mut().clear();
            selected.set(None);
            refresh.force_update();
        })
    };
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |e: Event| {
            if let Some(l) = Lang::from_code(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                l.save();
                lang.set(l);
            }
        })
    };
    let on_command = {
        let engine = (*engine).clone();
        let version = version.clone();
        let terminal = terminal.clone();
        let watches = watches.clone();
        let session = session.clone();
        let lesson_run = lesson_run.clone();
        let progress = progress.clone();
        Callback::from(move |line: String| {
            let mut out = terminal.borrow_mut();
            if line == "clear" {
                out.clear();
                watches.borrow_mut().clear();
            } else if !line.is_empty() {
                // A new command ends any `-w` still streaming, as Ctrl-C would.
                watches.borrow_mut().clear();
                // curl/wget and a typed `kubectl` echo as typed; the rest after the prompt's word.
                if Session::is_shell_line(&line) || line.starts_with("kubectl ") {
                    append(&mut out, &format!("$ {line}\n"));
                } else {
                    append(&mut out, &format!("$ kubectl {line}\n"));
                }
                let result = session.borrow_mut().run(&mut engine.0.borrow_mut(), &line);
                append(&mut out, &result.combined());
                if let Some(w) = result.watch {
                    watches.borrow_mut().push(w);
                }
                check_goals(&engine, &lesson_run.borrow(), &mut progress.borrow_mut());
            }
            version.set(*version + 1);
        })
    };
    let on_play = {
        let playing = playing.clone();
        Callback::from(move |p: bool| playing.set(p))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s: u64| speed.set(s))
    };
    let on_select = {
        let selected = selected.clone();
        let moment = moment.clone();
        Callback::from(move |pod: String| {
            selected.set(Some(pod));
            moment.set(None);
        })
    };
    let on_pick = {
        let selected = selected.clone();
        let moment = moment.clone();
        Callback::from(move |(pod, at, text): (String, u64, String)| {
            selected.set(Some(pod));
            moment.set(Some((at, text)));
        })
    };
    let on_now = {
        let moment = moment.clone();
        Callback::from(move |_: ()| moment.set(None))
    };
    let on_tab = {
        let tab = tab.clone();
        Callback::from(move |t: Tab| tab.set(t))
    };

    // Picking a lesson (or free play) resets the cluster, the terminal and the goals.
    let start_lesson = {
        let engine = (*engine).clone();
        let lesson_list = lesson_list.clone();
        let lesson = lesson.clone();
        let lesson_run = lesson_run.clone();
        let progress = progress.clone();
        let editor_load = editor_load.clone();
        let terminal = terminal.clone();
        let watches = watches.clone();
        let session = session.clone();
        let selected = selected.clone();
        let moment = moment.clone();
        let version = version.clone();
        move |pick: Option<usize>| {
            let picked = pick.and_then(|i| lesson_list.get(i).cloned().map(|l| (i, Rc::new(l))));
            match &picked {
                Some((_, l)) => {
                    let run = load_lesson(&engine, l);
                    *progress.borrow_mut() = Progress::new(l);
                    *lesson_run.borrow_mut() = Some((l.clone(), run));
                    if !l.editor.is_empty() {
                        let n = editor_load.as_ref().map_or(1, |(n, _)| n + 1);
                        editor_load.set(Some((n, Rc::new(l.editor.clone()))));
                    }
                }
                None => {
                    *lesson_run.borrow_mut() = None;
                    *progress.borrow_mut() = Progress::default();
                    *engine.0.borrow_mut() = Simulation::new(Config::default());
                }
            }
            check_goals(&engine, &lesson_run.borrow(), &mut progress.borrow_mut());
            terminal.borrow_mut().clear();
            watches.borrow_mut().clear();
            *session.borrow_mut() = Session::new();
            selected.set(None);
            moment.set(None);
            lesson.set(picked.map(|(i, _)| i));
            version.set(*version + 1);
        }
    };
    let on_pick_lesson = {
        let start_lesson = start_lesson.clone();
        Callback::from(move |pick: Option<usize>| start_lesson(pick))
    };
    let on_restart_lesson = {
        let current = *lesson;
        Callback::from(move |_: ()| start_lesson(current))
    };
    let on_lesson_editor = {
        let lesson_run = lesson_run.clone();
        let editor_load = editor_load.clone();
        Callback::from(move |_: ()| {
            if let Some((l, _)) = lesson_run.borrow().as_ref() {
                let n = editor_load.as_ref().map_or(1, |(n, _)| n + 1);
                editor_load.set(Some((n, Rc::new(l.editor.clone()))));
            }
        })
    };
    let lesson_panel = lesson_run.borrow().as_ref().map(|(l, _)| (l.clone(), progress.borrow().clone()));

    let view = kubesim::view::cluster(&engine.0.borrow());
    let as_of = (*moment).as_ref().map(|(at, text)| (format_clock(*at), text.clone()));
    let inspector_text = match &*selected {
        Some(_) if as_of.is_some() => String::new(),
        Some(sel) => kubectl::run(&mut engine.0.borrow_mut(), &inspector::command(*tab, sel)).combined(),
        None => String::new(),
    };
    let terminal_text = terminal.borrow().clone();
    let t = lang.t();
    html! {
        <ContextProvider<Lang> context={*lang}>
        <div class="app">
            <a class="skip-link" href="#yaml-editor">{ t.skip_to_editor }</a>
            <header class="topbar">
                <h1>{ "Kube Playground" }</h1>
                <LessonPicker lessons={lesson_list.clone()} current={*lesson} on_pick={on_pick_lesson} />
                <TimeBar now={view.now} playing={*playing} speed={*speed} {on_play} {on_speed} />
                <label class="lang-switch">
                    <span>{ t.language_label }</span>
                    <select data-testid="lang-switch" onchange={on_lang}>
                        <option value="en" selected={*lang == Lang::En} lang="en">{ "English" }</option>
                        <option value="ko" selected={*lang == Lang::Ko} lang="ko">{ "한국어" }</option>
                    </select>
                </label>
            </header>
            <main class={classes!("workspace", lesson_panel.is_some().then_some("with-lesson"))}>
                if let Some((l, p)) = lesson_panel {
                    <LessonPanel lesson={l} progress={p} on_editor={on_lesson_editor} on_restart={on_restart_lesson} />
                }
                <div class="column">
                    <Editor {on_apply} {on_delete} {on_reset} load={(*editor_load).clone()} />
                    <Terminal output={terminal_text} {on_command} />
                </div>
                <div class="column">
                    <ClusterView {view} selected={(*selected).clone()} {on_select} />
                    <Timeline engine={(*engine).clone()} version={*version} selected={(*selected).clone()}
                              moment={(*moment).as_ref().map(|m| m.0)} {on_pick} />
                    <Inspector selected={(*selected).clone()} text={inspector_text} tab={*tab} {on_tab} {as_of} {on_now} />
                </div>
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}
