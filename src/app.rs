//! The page's root: owns the engine handle, the clock that drives virtual time, and the state of
//! the terminal and the inspector. Every Kubernetes answer comes from the engine (`kubesim`).
//! Time moves and actions are recorded through the session's [`Player`] (rewind, share, autosave).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use kubesim::kubectl::session::Session;
use kubesim::kubectl::{self, Watch};
use kubesim::lessons::{self, Lesson, Progress};
use kubesim::scenario::Action;
use kubesim::time::Millis;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::cluster_view::ClusterView;
use crate::components::editor::Editor;
use crate::components::inspector::{Inspector, Tab, Target};
use crate::components::lesson::{LessonPanel, LessonPicker};
use crate::components::node_actions::{self, NodeAction};
use crate::components::share::{LinkNoticeBar, ShareButton};
use crate::components::terminal::Terminal;
use crate::components::time_bar::{format_clock, Scrubber, TimeBar};
use crate::components::timeline::Timeline;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::session::{self, Player};

/// Real milliseconds between two clock ticks.
const TICK_MS: u32 = 100;
/// The terminal keeps at most this much text (oldest dropped).
const TERMINAL_LIMIT: usize = 200_000;

pub(crate) fn append(out: &mut String, text: &str) {
    out.push_str(text);
    if out.len() > TERMINAL_LIMIT {
        let cut = out.len() - TERMINAL_LIMIT;
        let cut = out[cut..].find('\n').map(|i| cut + i + 1).unwrap_or(cut);
        out.drain(..cut);
    }
}

/// The lesson being played and the goals reached so far.
type LessonState = Rc<RefCell<Option<(Rc<Lesson>, Progress)>>>;

/// Plays to `to`. In a lesson, a second at most at a time with the goals checked after each, so
/// short-lived states (a pod Running for a moment) count at any speed.
fn play_checking(player: &Player, lesson: &LessonState, to: Millis) {
    let mut current = lesson.borrow_mut();
    let Some((l, progress)) = current.as_mut() else {
        player.play_to(to);
        return;
    };
    while player.now() < to {
        player.play_to((player.now() + 1000).min(to));
        progress.update(l, &player.engine.0.borrow());
    }
}

/// A lesson's goals as the cluster stands now (the lesson just loaded, restarted or restored).
fn goals_now(player: &Player, lesson: &Lesson) -> Progress {
    let mut p = Progress::new(lesson);
    p.update(lesson, &player.engine.0.borrow());
    p
}

/// Hands `text` to the editor: a new number makes it take the text.
fn load_editor(editor_load: &UseStateHandle<Option<(u64, Rc<String>)>>, text: &str) {
    let n = editor_load.as_ref().map_or(1, |(n, _)| n + 1);
    editor_load.set(Some((n, Rc::new(text.to_string()))));
}

/// Checks the lesson's goals now (after the learner did something).
fn check_goals(player: &Player, lesson: &LessonState) {
    if let Some((l, progress)) = lesson.borrow_mut().as_mut() {
        progress.update(l, &player.engine.0.borrow());
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let engine = use_memo((), |_| Engine::new());
    // Bumped after every change so views re-read the engine.
    let version = use_state(|| 0u64);
    let counter = use_mut_ref(|| 0u64);
    let bump = {
        let (version, counter) = (version.clone(), counter.clone());
        move || {
            *counter.borrow_mut() += 1;
            version.set(*counter.borrow());
        }
    };
    let terminal = use_mut_ref(String::new);
    let watches: Rc<RefCell<Vec<Watch>>> = use_mut_ref(Vec::new);
    // The terminal's session: its port-forwards outlive one command.
    let session = use_mut_ref(Session::new);
    // The recording, and every move of time; it starts from a share link, the autosave or empty.
    let player = {
        let (engine, session, terminal, watches) =
            ((*engine).clone(), session.clone(), terminal.clone(), watches.clone());
        use_memo((), move |_| Player::new(engine, session, terminal, watches))
    };
    let boot = {
        let player = (*player).clone();
        use_memo((), move |_| session::boot(&player))
    };
    let playing = use_state(|| boot.playing);
    let speed = use_state(|| boot.speed);
    let selected = use_state(|| boot.pod.as_deref().map(Target::pod));
    let link_notice = use_state(|| boot.notice.clone());
    // How many later recorded actions the last action after a rewind discarded.
    let discarded = use_state(|| None::<usize>);
    let lang = use_state(Lang::initial);
    // Re-renders after the editor changed the cluster (its callbacks are stable, see below).
    let refresh = use_force_update();

    // The document follows the language (screen readers, CJK font choice).
    use_effect_with(*lang, |l| l.set_document_lang());
    // A moment picked on the timeline: its time and the selected pod as it was then.
    let moment = use_state(|| None::<(u64, String)>);
    // Lessons: the built-in list; the one being played (a session whose scenario is named after a
    // lesson, also after a reload or from a share link, is that lesson) and its goals.
    let lesson_list = use_memo((), |_| lessons::built_in());
    let lesson: LessonState = {
        let (player, list) = ((*player).clone(), lesson_list.clone());
        let state = use_mut_ref(move || {
            let name = player.recording.borrow().scenario().name.clone();
            list.iter().find(|l| l.name == name).map(|l| (Rc::new(l.clone()), goals_now(&player, l)))
        });
        state
    };
    let editor_load = use_state(|| None::<(u64, Rc<String>)>);
    // Builds the cluster view tick after tick, rebuilding only the pods that changed; a replaced
    // engine (rewind, Reset, a lesson) starts it over.
    let viewer = use_mut_ref(|| (u64::MAX, kubesim::view::Viewer::default()));

    {
        let player = (*player).clone();
        let bump = bump.clone();
        let lesson = lesson.clone();
        let playing = *playing;
        let speed = *speed;
        use_effect_with((playing, speed), move |_| {
            player.set_clock(playing, speed);
            let frame = crate::frame::NextFrame::default();
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    play_checking(&player, &lesson, player.now() + TICK_MS as u64 * speed);
                    frame.request(bump.clone());
                })
            });
            move || drop(interval)
        });
    }
    {
        let player = (*player).clone();
        // The inspector keeps its own tab now: the view saved and shared is the selected pod.
        use_effect_with((*selected).clone(), move |sel| {
            player.save_view(sel.as_ref().and_then(Target::pod_id).as_deref(), Tab::Describe)
        });
    }

    // The editor's callbacks never change, so the clock's ticks do not re-render the editor.
    let on_apply = {
        let refresh = refresh.clone();
        let discarded = discarded.clone();
        let lesson = lesson.clone();
        use_callback((*player).clone(), move |text: String, player| {
            let (results, n) = player.act(Action::Apply(text.clone()), |sim, _| sim.apply_text(&text));
            check_goals(player, &lesson);
            discarded.set(Some(n).filter(|n| *n > 0));
            refresh.force_update();
            results
        })
    };
    let on_delete = {
        let refresh = refresh.clone();
        let discarded = discarded.clone();
        let lesson = lesson.clone();
        use_callback((*player).clone(), move |text: String, player| {
            let (results, n) =
                player.act(Action::Delete(text.clone()), |sim, _| kubectl::delete_file::delete_text(sim, &text));
            check_goals(player, &lesson);
            discarded.set(Some(n).filter(|n| *n > 0));
            refresh.force_update();
            results
        })
    };
    let on_reset = {
        let refresh = refresh.clone();
        let selected = selected.clone();
        let discarded = discarded.clone();
        let lesson = lesson.clone();
        use_callback((*player).clone(), move |(), player| {
            // A new, empty cluster and recording (in a lesson: the lesson's start): what watched
            // or showed the old one stops.
            let mut current = lesson.borrow_mut();
            match current.as_mut() {
                Some((l, progress)) => {
                    player.load_scenario(&l.scenario, 0);
                    *progress = goals_now(player, l);
                }
                None => player.reset(),
            }
            selected.set(None);
            discarded.set(None);
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
        let player = (*player).clone();
        let bump = bump.clone();
        let terminal = terminal.clone();
        let watches = watches.clone();
        let discarded = discarded.clone();
        let lesson = lesson.clone();
        Callback::from(move |line: String| {
            let mut out = terminal.borrow_mut();
            if line == "clear" {
                out.clear();
                watches.borrow_mut().clear();
            } else if !line.is_empty() {
                // A new command ends any `-w` still streaming, as Ctrl-C would.
                watches.borrow_mut().clear();
                // curl/wget and a typed `kubectl` echo as typed; the rest after the prompt's word.
                append(&mut out, &session::echo(&line));
                let (result, n) = player.act(Action::Kubectl(line.clone()), |sim, session| session.run(sim, &line));
                discarded.set(Some(n).filter(|n| *n > 0));
                append(&mut out, &result.combined());
                if let Some(w) = result.watch {
                    watches.borrow_mut().push(w);
                }
                drop(out);
                check_goals(&player, &lesson);
            }
            bump();
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
    // Time moved by hand: the timeline's picked moment may lie in another past, so it goes.
    let moved = {
        let (bump, moment, discarded) = (bump.clone(), moment.clone(), discarded.clone());
        move || {
            moment.set(None);
            discarded.set(None);
            bump();
        }
    };
    let on_step = {
        let (player, playing, moved, lesson) = ((*player).clone(), playing.clone(), moved.clone(), lesson.clone());
        Callback::from(move |()| {
            playing.set(false);
            player.step();
            check_goals(&player, &lesson);
            moved();
        })
    };
    let on_jump = {
        let (player, moved, lesson) = ((*player).clone(), moved.clone(), lesson.clone());
        Callback::from(move |dt: u64| {
            play_checking(&player, &lesson, player.now() + dt);
            moved();
        })
    };
    let on_seek = {
        let (player, playing, moved) = ((*player).clone(), playing.clone(), moved.clone());
        Callback::from(move |t: u64| {
            let t = t.min(player.recording.borrow().head());
            if t < player.now() {
                // Rewound: look around first; Play replays the recorded actions from here.
                playing.set(false);
            }
            player.seek(t);
            moved();
        })
    };
    let on_grab = {
        let playing = playing.clone();
        Callback::from(move |()| playing.set(false))
    };
    let make_link = {
        let (player, selected) = ((*player).clone(), selected.clone());
        Callback::from(move |()| {
            let now = player.now();
            let scenario = player.recording.borrow().snapshot(now);
            let view = crate::share::View { pod: selected.as_ref().and_then(Target::pod_id), tab: None };
            let fragment = crate::share::encode(&scenario, &view).ok()?;
            Some((format!("{}#{fragment}", session::page_url()), now))
        })
    };
    let on_notice_close = {
        let link_notice = link_notice.clone();
        Callback::from(move |()| link_notice.set(None))
    };
    let on_select = {
        let selected = selected.clone();
        let moment = moment.clone();
        Callback::from(move |pod: String| {
            selected.set(Some(Target::pod(&pod)));
            moment.set(None);
        })
    };
    let on_pick = {
        let selected = selected.clone();
        let moment = moment.clone();
        Callback::from(move |(pod, at, text): (String, u64, String)| {
            selected.set(Some(Target::pod(&pod)));
            moment.set(Some((at, text)));
        })
    };
    let on_now = {
        let moment = moment.clone();
        Callback::from(move |_: ()| moment.set(None))
    };
    let on_inspect = {
        let selected = selected.clone();
        Callback::from(move |target: Target| selected.set(Some(target)))
    };

    // Picking a lesson loads its scenario as the session (at 0 s; its faults are the recorded
    // future), puts its manifests in the editor and starts its goals; free play is a new session.
    let on_pick_lesson = {
        let (player, list, lesson, editor_load) =
            ((*player).clone(), lesson_list.clone(), lesson.clone(), editor_load.clone());
        let (selected, moment, discarded, bump) = (selected.clone(), moment.clone(), discarded.clone(), bump.clone());
        Callback::from(move |pick: Option<usize>| {
            match pick.and_then(|i| list.get(i)) {
                Some(l) => {
                    player.load_scenario(&l.scenario, 0);
                    *lesson.borrow_mut() = Some((Rc::new(l.clone()), goals_now(&player, l)));
                    if !l.editor.is_empty() {
                        load_editor(&editor_load, &l.editor);
                    }
                }
                None => {
                    *lesson.borrow_mut() = None;
                    player.reset();
                }
            }
            selected.set(None);
            moment.set(None);
            discarded.set(None);
            bump();
        })
    };
    let on_restart_lesson = on_reset.clone();
    let on_lesson_editor = {
        let (lesson, editor_load) = (lesson.clone(), editor_load.clone());
        Callback::from(move |_: ()| {
            if let Some((l, _)) = lesson.borrow().as_ref() {
                load_editor(&editor_load, &l.editor);
            }
        })
    };
    let lesson_panel = lesson.borrow().as_ref().map(|(l, p)| (l.clone(), p.clone()));
    let lesson_index = lesson_panel.as_ref().and_then(|(l, _)| lesson_list.iter().position(|x| x.name == l.name));

    // A node card's buttons: recorded like any action (a fault step or a kubectl line).
    let on_node_action = {
        let (player, lesson, discarded, bump) = ((*player).clone(), lesson.clone(), discarded.clone(), bump.clone());
        Callback::from(move |(node, a): (String, NodeAction)| {
            let action = node_actions::action(&node, a);
            let (out, n) = player.act(action.clone(), |sim, session| kubesim::scenario::execute(sim, session, &action));
            check_goals(&player, &lesson);
            discarded.set(Some(n).filter(|n| *n > 0));
            bump();
            let text = out.combined().trim_end().to_string();
            if out.exit_code == 0 {
                Ok(text)
            } else {
                Err(text)
            }
        })
    };

    // Every render of the app may follow a change of the cluster (a tick, a command, Apply):
    // the inspector re-reads the engine each time, as the cluster view does.
    let renders = use_mut_ref(|| 0u64);
    *renders.borrow_mut() += 1;
    let view = {
        let mut v = viewer.borrow_mut();
        if v.0 != engine.generation() {
            *v = (engine.generation(), kubesim::view::Viewer::default());
        }
        Rc::new(v.1.cluster(&engine.0.borrow()))
    };
    let (head, later, steps) = {
        let rec = player.recording.borrow();
        (rec.head(), rec.later(), rec.scenario().steps.iter().map(|s| s.at).collect::<Vec<_>>())
    };
    let next = player.next_moment();
    let as_of = (*moment).as_ref().map(|(at, text)| (format_clock(*at), text.clone()));
    let terminal_text = terminal.borrow().clone();
    let t = lang.t();
    html! {
        <ContextProvider<Lang> context={*lang}>
        <div class="app">
            <a class="skip-link" href="#yaml-editor">{ t.skip_to_editor }</a>
            <header class="topbar">
                <h1>{ "Kube Playground" }</h1>
                <LessonPicker lessons={lesson_list.clone()} current={lesson_index} on_pick={on_pick_lesson} />
                <TimeBar now={view.now} rewound={view.now < head} playing={*playing} speed={*speed} {next} {on_play} {on_speed} {on_step} {on_jump} />
                <ShareButton {make_link} />
                <label class="lang-switch">
                    <span>{ t.language_label }</span>
                    <select data-testid="lang-switch" onchange={on_lang}>
                        <option value="en" selected={*lang == Lang::En} lang="en">{ "English" }</option>
                        <option value="ko" selected={*lang == Lang::Ko} lang="ko">{ "한국어" }</option>
                    </select>
                </label>
            </header>
            <Scrubber now={view.now} {head} {steps} {later} discarded={*discarded} {on_seek} {on_grab} />
            if let Some(n) = &*link_notice {
                <LinkNoticeBar notice={n.clone()} on_close={on_notice_close} />
            }
            <main class={classes!("workspace", lesson_panel.is_some().then_some("with-lesson"))}>
                if let Some((l, p)) = lesson_panel {
                    <LessonPanel lesson={l} progress={p} on_editor={on_lesson_editor} on_restart={on_restart_lesson} />
                }
                <div class="column">
                    <Editor {on_apply} {on_delete} {on_reset} load={(*editor_load).clone()} />
                    <Terminal output={terminal_text} {on_command} engine={(*engine).clone()} />
                </div>
                <div class="column">
                    <ClusterView view={view.clone()} selected={selected.as_ref().and_then(Target::pod_id)} {on_select} on_node_action={Some(on_node_action)} />
                    <Timeline engine={(*engine).clone()} version={*version} selected={selected.as_ref().and_then(Target::pod_id)}
                              moment={(*moment).as_ref().map(|m| m.0)} {on_pick} />
                    <Inspector engine={(*engine).clone()} version={*renders.borrow()} selected={(*selected).clone()} on_select={on_inspect} {as_of} {on_now} />
                </div>
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}
