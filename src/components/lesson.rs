//! Lessons on the page: the picker (a `<select>`, so the keyboard works as everywhere) and the
//! panel with the lesson's instructions in the page's language and its goals, ticked off as the
//! engine reports them reached (`kubesim::lessons::Progress`); the page decides nothing itself.

use std::rc::Rc;

use kubesim::lessons::{Lesson, Progress};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub lessons: Rc<Vec<Lesson>>,
    pub current: Option<usize>,
    /// `None`: free play (an empty cluster).
    pub on_pick: Callback<Option<usize>>,
}

#[function_component(LessonPicker)]
pub fn lesson_picker(props: &PickerProps) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let on_change = {
        let cb = props.on_pick.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            cb.emit(v.parse::<usize>().ok());
        })
    };
    let current = props.current.map(|i| i.to_string()).unwrap_or_default();
    html! {
        <label class="lesson-switch">
            <span>{ t.lesson_label }</span>
            <select data-testid="lesson-picker" onchange={on_change}>
                <option value="" selected={props.current.is_none()}>{ t.free_play }</option>
                { for props.lessons.iter().enumerate().map(|(i, l)| html! {
                    <option value={i.to_string()} data-lesson={l.name.clone()} selected={current == i.to_string()}>
                        { format!("{}. {}", i + 1, l.title.get(lang == Lang::Ko)) }
                    </option>
                }) }
            </select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub lesson: Rc<Lesson>,
    pub progress: Progress,
    /// Puts the lesson's manifests into the editor again.
    pub on_editor: Callback<()>,
    /// Starts the lesson over.
    pub on_restart: Callback<()>,
}

/// Lesson text with `code` between backticks set as code.
fn inline(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }
    });
    html! { { for parts } }
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &PanelProps) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let ko = lang == Lang::Ko;
    let l = &props.lesson;
    let done = props.progress.reached.iter().filter(|r| r.is_some()).count();
    let total = l.goals.len();
    let on_editor = {
        let cb = props.on_editor.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_restart = {
        let cb = props.on_restart.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <aside class="lesson panel" data-testid="lesson-panel" data-lesson={l.name.clone()} aria-labelledby="lesson-title">
            <h2>{ t.lesson_heading }</h2>
            <h3 id="lesson-title" data-testid="lesson-title">{ l.title.get(ko) }</h3>
            <div class="lesson-instructions" data-testid="lesson-instructions">
                { for l.instructions.get(ko).split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| html! { <p>{ inline(p.trim()) }</p> }) }
            </div>
            <h3 class="lesson-goals-head">
                { t.goals_heading }
                <span class="lesson-count" data-testid="lesson-count">{ lang.goals_count(done, total) }</span>
            </h3>
            <ol class="lesson-goals" aria-live="polite">
                { for l.goals.iter().enumerate().map(|(i, g)| {
                    let reached = props.progress.done(i);
                    html! {
                        <li data-testid="lesson-goal" data-done={reached.to_string()} class={classes!(reached.then_some("done"))}>
                            <span class="goal-mark" aria-hidden="true">{ if reached { "✓" } else { "○" } }</span>
                            <span class="goal-text">{ inline(g.text.get(ko)) }</span>
                            <span class="visually-hidden">{ if reached { t.goal_done } else { t.goal_open } }</span>
                        </li>
                    }
                }) }
            </ol>
            if done == total && total > 0 {
                <p class="lesson-done" data-testid="lesson-done">{ t.lesson_done }</p>
            }
            <div class="lesson-actions">
                if !l.editor.is_empty() {
                    <button data-testid="lesson-editor" title={t.lesson_editor_title} onclick={on_editor}>{ t.lesson_editor }</button>
                }
                <button data-testid="lesson-restart" title={t.lesson_restart_title} onclick={on_restart}>{ t.lesson_restart }</button>
            </div>
        </aside>
    }
}
