//! The inspector: the selected object as kubectl shows it — describe, its events (`get events
//! --field-selector involvedObject...`), YAML, and for pods the logs of each container (current
//! and previous), the scheduler's table and a plain-words panel on phase, container state, STATUS
//! and conditions. Every text tab is the engine's kubectl output, so it reads exactly as on a
//! real cluster; the command behind it is shown above it.

use kubesim::api::Kind;
use kubesim::kubectl;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{pod_explain, scheduler_table};
use crate::engine::Engine;
use crate::i18n::use_lang;

/// Inspector's object picker suggests at most this many objects.
const SUGGESTIONS: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Describe,
    Events,
    Yaml,
    Logs,
    PreviousLogs,
    Scheduler,
}

impl Tab {
    fn pod_only(self) -> bool {
        matches!(self, Tab::Logs | Tab::PreviousLogs | Tab::Scheduler)
    }
}

/// The object shown: kind, namespace (empty for cluster-scoped kinds), name.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Target {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl Target {
    /// A pod chip's id, `namespace/name`.
    pub fn pod(id: &str) -> Self {
        let (ns, name) = id.split_once('/').unwrap_or(("default", id));
        Target { kind: Kind::Pod, namespace: ns.to_string(), name: name.to_string() }
    }

    /// `namespace/name` when the target is a pod (what the cluster view highlights).
    pub fn pod_id(&self) -> Option<String> {
        (self.kind == Kind::Pod).then(|| format!("{}/{}", self.namespace, self.name))
    }

    /// Reads `TYPE/NAME [-n NAMESPACE]`, the way kubectl names one object.
    fn parse(text: &str) -> Option<Self> {
        let words = kubectl::args::split_words(text).ok()?;
        let (ty, name) = words.first()?.split_once('/')?;
        let kind = kubectl::resolve_kind(ty)?;
        let mut ns = "default".to_string();
        let mut rest = words.iter().skip(1);
        while let Some(w) = rest.next() {
            match w.as_str() {
                "-n" | "--namespace" => ns = rest.next()?.clone(),
                w => {
                    ns = w.strip_prefix("--namespace=").or(w.strip_prefix("-n")).filter(|v| !v.is_empty())?.to_string()
                }
            }
        }
        if name.is_empty() {
            return None;
        }
        Some(Target { kind, namespace: if kind.namespaced() { ns } else { String::new() }, name: name.to_string() })
    }

    /// `kind name` plus `-n ns` outside the default namespace, as a kubectl line would say it.
    fn args(&self) -> String {
        let ty = self.kind.name().to_lowercase();
        if self.kind.namespaced() && self.namespace != "default" {
            format!("{ty} {} -n {}", self.name, self.namespace)
        } else {
            format!("{ty} {}", self.name)
        }
    }

    fn label(&self) -> String {
        let ty = self.kind.name().to_lowercase();
        if self.kind.namespaced() && self.namespace != "default" {
            format!("{ty}/{} -n {}", self.name, self.namespace)
        } else {
            format!("{ty}/{}", self.name)
        }
    }

    fn ns_flag(&self) -> String {
        if self.kind.namespaced() && self.namespace != "default" {
            format!(" -n {}", self.namespace)
        } else {
            String::new()
        }
    }
}

/// The kubectl line behind a text tab.
pub fn command(tab: Tab, target: &Target, container: &str) -> String {
    let ns = target.ns_flag();
    let name = &target.name;
    match tab {
        Tab::Describe | Tab::Scheduler => format!("describe {}", target.args()),
        Tab::Events => format!(
            "get events --field-selector involvedObject.kind={},involvedObject.name={name}{ns}",
            target.kind.name()
        ),
        Tab::Yaml => format!("get {} -o yaml", target.args()),
        Tab::Logs => format!("logs {name} -c {container}{ns}"),
        Tab::PreviousLogs => format!("logs {name} -c {container} --previous{ns}"),
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub engine: Engine,
    /// Changes whenever the cluster may have changed (so the tabs re-read it).
    pub version: u64,
    pub selected: Option<Target>,
    pub on_select: Callback<Target>,
    /// A moment picked on the timeline: its clock text and the pod as it was then.
    #[prop_or_default]
    pub as_of: Option<(String, String)>,
    #[prop_or_default]
    pub on_now: Callback<()>,
}

#[function_component(Inspector)]
pub fn inspector(props: &Props) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let it = lang.ins();
    let tab = use_state(|| Tab::Describe);
    let container = use_state(|| None::<String>);
    let picker_error = use_state(|| None::<String>);
    let picker_ref = use_node_ref();

    let pick = {
        let picker_ref = picker_ref.clone();
        let picker_error = picker_error.clone();
        let on_select = props.on_select.clone();
        let engine = props.engine.clone();
        move || {
            let Some(input) = picker_ref.cast::<HtmlInputElement>() else { return };
            let text = input.value();
            match Target::parse(&text) {
                None => picker_error.set(Some(lang.target_syntax().to_string())),
                Some(target) => {
                    let key = kubesim::api::ObjectKey::new(target.kind, &target.namespace, &target.name);
                    if engine.0.borrow().store().get(&key).is_some() {
                        picker_error.set(None);
                        input.set_value("");
                        on_select.emit(target);
                    } else {
                        picker_error.set(Some(lang.not_found_target(text.trim())));
                    }
                }
            }
        }
    };
    let on_picker_key = {
        let pick = pick.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                pick();
            }
        })
    };
    let on_picker_go = Callback::from(move |_: MouseEvent| pick());
    let suggestions = kubesim::inspect::inspectable(&props.engine.0.borrow(), SUGGESTIONS);
    let picker = html! {
        <div class="inspector-picker">
            <label for="inspector-target">{ it.target_label }</label>
            <input id="inspector-target" data-testid="inspector-target" list="inspector-targets" type="text"
                   spellcheck="false" autocomplete="off" placeholder={it.target_placeholder} ref={picker_ref}
                   onkeydown={on_picker_key} />
            <datalist id="inspector-targets">
                { for suggestions.iter().map(|s| html! { <option value={s.clone()} /> }) }
            </datalist>
            <button class="tab" data-testid="inspector-target-go" onclick={on_picker_go}>{ it.target_go }</button>
            if let Some(err) = &*picker_error {
                <span class="picker-error" role="alert" data-testid="inspector-target-error">{ err }</span>
            }
        </div>
    };

    let Some(target) = &props.selected else {
        return html! {
            <section class="inspector panel" data-testid="inspector">
                <div class="panel-head"><h2>{ t.inspector_heading }</h2></div>
                { picker }
                <p class="hint">{ t.inspector_hint }</p>
            </section>
        };
    };
    if let Some((clock, text)) = &props.as_of {
        // The pod at a past moment (from the timeline), until "back to now".
        return html! {
            <section class="inspector panel" data-testid="inspector">
                <div class="panel-head"><h2>{ t.inspector_heading }</h2></div>
                <div class="tabs as-of" data-testid="inspector-as-of" data-clock={clock.clone()}>
                    <span class="selected">{ target.label() }</span>
                    <span>{ crate::components::timeline::texts().as_of.replace("{t}", clock) }</span>
                    <button class="tab" data-testid="inspector-now" onclick={props.on_now.reform(|_| ())}>{ crate::components::timeline::texts().back_to_now }</button>
                </div>
                <pre class="inspector-text" data-testid="inspector-text">{ text }</pre>
            </section>
        };
    }
    let is_pod = target.kind == Kind::Pod;
    let active = if !is_pod && tab.pod_only() { Tab::Describe } else { *tab };

    // Everything below reads the engine as it is now.
    let mut sim = props.engine.0.borrow_mut();
    let states = is_pod.then(|| kubesim::inspect::pod_states(&sim, &target.namespace, &target.name)).flatten();
    let containers: Vec<String> =
        states.as_ref().map(|s| s.containers.iter().map(|c| c.name.clone()).collect()).unwrap_or_default();
    // The container shown in the logs tabs: the one picked, else the first app container (the
    // one kubectl defaults to).
    let default_container = states
        .as_ref()
        .and_then(|s| s.containers.iter().find(|c| !c.init).or(s.containers.first()))
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let current_container = container.as_ref().filter(|c| containers.contains(c)).cloned().unwrap_or(default_container);

    let body = if active == Tab::Scheduler {
        let key = kubesim::api::ObjectKey::new(Kind::Pod, &target.namespace, &target.name);
        scheduler_table::table(sim.scheduler().attempt(&key), sim.now(), lang)
    } else {
        let line = command(active, target, &current_container);
        let text = kubectl::run(&mut sim, &line).combined();
        html! {
            <>
                <div class="inspector-command" data-testid="inspector-command" title={it.command_label}>{ format!("$ kubectl {line}") }</div>
                <pre class="inspector-text" data-testid="inspector-text" tabindex="0">{ text }</pre>
            </>
        }
    };
    drop(sim);

    let tab_button = |which: Tab, label: &'static str, id: &'static str| {
        let tab = tab.clone();
        html! {
            <button class={classes!("tab", (active == which).then_some("active"))} data-testid={id} role="tab"
                    aria-selected={(active == which).to_string()}
                    onclick={Callback::from(move |_| tab.set(which))}>{ label }</button>
        }
    };
    let on_container = {
        let container = container.clone();
        Callback::from(move |e: Event| container.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let logs_tab = matches!(active, Tab::Logs | Tab::PreviousLogs);
    html! {
        <section class="inspector panel" data-testid="inspector">
            <div class="panel-head"><h2>{ t.inspector_heading }</h2></div>
            { picker }
            <div class="inspector-body">
                <div class="inspector-selected"><span class="selected" data-testid="inspector-selected">{ target.label() }</span></div>
                if let Some(states) = &states {
                    { pod_explain::explain(states, lang) }
                }
                <div class="tabs" role="tablist">
                    { tab_button(Tab::Describe, "describe", "inspector-describe") }
                    { tab_button(Tab::Events, it.events_tab, "inspector-events") }
                    { tab_button(Tab::Yaml, "YAML", "inspector-yaml") }
                    if is_pod {
                        { tab_button(Tab::Logs, "logs", "inspector-logs") }
                        { tab_button(Tab::PreviousLogs, "logs --previous", "inspector-previous-logs") }
                        { tab_button(Tab::Scheduler, it.scheduler_tab, "inspector-scheduler") }
                    }
                    if logs_tab && containers.len() > 1 {
                        <label class="container-picker">
                            <span>{ it.container_label }</span>
                            <select data-testid="inspector-container" onchange={on_container}>
                                { for containers.iter().map(|c| html! {
                                    <option value={c.clone()} selected={*c == current_container}>{ c }</option>
                                }) }
                            </select>
                        </label>
                    }
                </div>
                { body }
            </div>
        </section>
    }
}
