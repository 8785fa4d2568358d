//! The inspector: the selected pod as kubectl shows it (describe, YAML, logs). Every tab is the
//! engine's kubectl output, so it reads exactly as on a real cluster.

use yew::prelude::*;

use crate::components::timeline;
use crate::i18n::use_lang;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Describe,
    Yaml,
    Logs,
    PreviousLogs,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// `namespace/name` of the selected pod, if any.
    pub selected: Option<String>,
    /// The text of the current tab (computed by the app through kubectl).
    pub text: String,
    pub tab: Tab,
    pub on_tab: Callback<Tab>,
    /// A moment picked on the timeline: its clock text and the pod as it was then (shown instead
    /// of the tabs until "now" is pressed).
    #[prop_or_default]
    pub as_of: Option<(String, String)>,
    #[prop_or_default]
    pub on_now: Callback<()>,
}

#[function_component(Inspector)]
pub fn inspector(props: &Props) -> Html {
    let t = use_lang().t();
    let tab = |t: Tab, label: &'static str, id: &'static str| {
        let on_tab = props.on_tab.clone();
        html! {
            <button class={classes!("tab", (props.tab == t).then_some("active"))} data-testid={id}
                    onclick={Callback::from(move |_| on_tab.emit(t))}>{ label }</button>
        }
    };
    html! {
        <section class="inspector panel" data-testid="inspector">
            <h2>{ t.inspector_heading }</h2>
            if let (Some(sel), Some((clock, text))) = (&props.selected, &props.as_of) {
                <div class="tabs as-of" data-testid="inspector-as-of" data-clock={clock.clone()}>
                    <span class="selected">{ sel }</span>
                    <span>{ timeline::texts().as_of.replace("{t}", clock) }</span>
                    <button class="tab" data-testid="inspector-now" onclick={props.on_now.reform(|_| ())}>{ timeline::texts().back_to_now }</button>
                </div>
                <pre class="inspector-text" data-testid="inspector-text">{ text }</pre>
            } else if let Some(sel) = &props.selected {
                <div class="tabs">
                    <span class="selected">{ sel }</span>
                    { tab(Tab::Describe, "describe", "inspector-describe") }
                    { tab(Tab::Yaml, "YAML", "inspector-yaml") }
                    { tab(Tab::Logs, "logs", "inspector-logs") }
                    { tab(Tab::PreviousLogs, "logs --previous", "inspector-previous-logs") }
                </div>
                <pre class="inspector-text" data-testid="inspector-text">{ &props.text }</pre>
            } else {
                <p class="hint">{ t.inspector_hint }</p>
            }
        </section>
    }
}

/// The kubectl line behind a tab.
pub fn command(tab: Tab, selected: &str) -> String {
    let (ns, name) = selected.split_once('/').unwrap_or(("default", selected));
    match tab {
        Tab::Describe => format!("describe pod {name} -n {ns}"),
        Tab::Yaml => format!("get pod {name} -n {ns} -o yaml"),
        Tab::Logs => format!("logs {name} -n {ns}"),
        Tab::PreviousLogs => format!("logs {name} -n {ns} --previous"),
    }
}
