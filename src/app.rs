//! The page's root: owns the engine handle, the clock that drives virtual time, and the state of
//! the terminal and the inspector. Every Kubernetes answer comes from the engine (`kubesim`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use kubesim::kubectl::{self, Watch};
use kubesim::{Config, Simulation};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::cluster_view::ClusterView;
use crate::components::editor::Editor;
use crate::components::inspector::{self, Inspector, Tab};
use crate::components::node_actions::{self, NodeAction};
use crate::components::terminal::Terminal;
use crate::components::time_bar::TimeBar;
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

#[function_component(App)]
pub fn app() -> Html {
    let engine = use_memo((), |_| Engine::new());
    // Bumped after every change so views re-read the engine.
    let version = use_state(|| 0u64);
    let playing = use_state(|| true);
    let speed = use_state(|| 1u64);
    let terminal = use_mut_ref(String::new);
    let watches: Rc<RefCell<Vec<Watch>>> = use_mut_ref(Vec::new);
    let selected = use_state(|| None::<String>);
    let tab = use_state(|| Tab::Describe);
    let lang = use_state(Lang::initial);
    // Builds the cluster view tick after tick, rebuilding only the pods that changed.
    let viewer = use_mut_ref(kubesim::view::Viewer::default);
    // Re-renders after the editor changed the cluster (its callbacks are stable, see below).
    let refresh = use_force_update();

    // The document follows the language (screen readers, CJK font choice).
    use_effect_with(*lang, |l| l.set_document_lang());

    {
        let engine = (*engine).clone();
        let version = version.clone();
        let terminal = terminal.clone();
        let watches = watches.clone();
        let playing = *playing;
        let speed = *speed;
        use_effect_with((playing, speed), move |_| {
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    let mut sim = engine.0.borrow_mut();
                    sim.advance_by(TICK_MS as u64 * speed);
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
        use_callback((*engine).clone(), move |text: String, engine| {
            let results = engine.0.borrow_mut().apply_text(&text);
            refresh.force_update();
            results
        })
    };
    let on_delete = {
        let refresh = refresh.clone();
        use_callback((*engine).clone(), move |text: String, engine| {
            let results = kubectl::delete_file::delete_text(&mut engine.0.borrow_mut(), &text);
            refresh.force_update();
            results
        })
    };
    let on_reset = {
        let refresh = refresh.clone();
        let watches = watches.clone();
        let selected = selected.clone();
        use_callback((*engine).clone(), move |(), engine| {
            // A new, empty cluster: what watched or showed the old one stops.
            *engine.0.borrow_mut() = Simulation::new(Config::default());
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
        Callback::from(move |line: String| {
            let mut out = terminal.borrow_mut();
            if line == "clear" {
                out.clear();
                watches.borrow_mut().clear();
            } else if !line.is_empty() {
                // A new command ends any `-w` still streaming, as Ctrl-C would.
                watches.borrow_mut().clear();
                append(&mut out, &format!("$ kubectl {line}\n"));
                let result = kubectl::run(&mut engine.0.borrow_mut(), &line);
                append(&mut out, &result.combined());
                if let Some(w) = result.watch {
                    watches.borrow_mut().push(w);
                }
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
        Callback::from(move |pod: String| selected.set(Some(pod)))
    };
    let on_node_action = {
        let refresh = refresh.clone();
        use_callback((*engine).clone(), move |(node, action): (String, NodeAction), engine| {
            let answer = node_actions::run(&mut engine.0.borrow_mut(), &node, action);
            refresh.force_update();
            answer
        })
    };
    let on_tab = {
        let tab = tab.clone();
        Callback::from(move |t: Tab| tab.set(t))
    };

    let view = Rc::new(viewer.borrow_mut().cluster(&engine.0.borrow()));
    let inspector_text = match &*selected {
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
                <TimeBar now={view.now} playing={*playing} speed={*speed} {on_play} {on_speed} />
                <label class="lang-switch">
                    <span>{ t.language_label }</span>
                    <select data-testid="lang-switch" onchange={on_lang}>
                        <option value="en" selected={*lang == Lang::En} lang="en">{ "English" }</option>
                        <option value="ko" selected={*lang == Lang::Ko} lang="ko">{ "한국어" }</option>
                    </select>
                </label>
            </header>
            <main class="workspace">
                <div class="column">
                    <Editor {on_apply} {on_delete} {on_reset} />
                    <Terminal output={terminal_text} {on_command} />
                </div>
                <div class="column">
                    <ClusterView view={view.clone()} selected={(*selected).clone()} {on_select} on_node_action={Some(on_node_action)} />
                    <Inspector selected={(*selected).clone()} text={inspector_text} tab={*tab} {on_tab} />
                </div>
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}
