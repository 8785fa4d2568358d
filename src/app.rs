//! The page's root: owns the engine handle and the clock that drives virtual time.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::cluster_view::ClusterView;
use crate::components::editor::Editor;
use crate::components::time_bar::TimeBar;
use crate::engine::Engine;

/// Real milliseconds between two clock ticks.
const TICK_MS: u32 = 100;

#[function_component(App)]
pub fn app() -> Html {
    let engine = use_memo((), |_| Engine::new());
    // Bumped after every change so views re-read the engine.
    let version = use_state(|| 0u64);
    let playing = use_state(|| true);
    let speed = use_state(|| 1u64);

    {
        let engine = (*engine).clone();
        let version = version.clone();
        let playing = *playing;
        let speed = *speed;
        use_effect_with((playing, speed), move |_| {
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    engine.0.borrow_mut().advance_by(TICK_MS as u64 * speed);
                    version.set(engine.0.borrow().now());
                })
            });
            move || drop(interval)
        });
    }

    let on_apply = {
        let engine = (*engine).clone();
        let version = version.clone();
        Callback::from(move |text: String| {
            let results = engine.0.borrow_mut().apply_text(&text);
            version.set(*version + 1);
            results
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

    let view = kubesim::view::cluster(&engine.0.borrow());
    html! {
        <div class="app">
            <header class="topbar">
                <h1>{ "Kube Playground" }</h1>
                <TimeBar now={view.now} playing={*playing} speed={*speed} {on_play} {on_speed} />
            </header>
            <main class="workspace">
                <Editor {on_apply} />
                <ClusterView {view} />
            </main>
        </div>
    }
}
