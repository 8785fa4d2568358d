//! The plain-words panel next to a pod: phase vs container state vs kubectl's STATUS column vs
//! conditions, each filled with the selected pod's own values from the engine
//! (`kubesim::inspect::pod_states`). The general texts are ours, in both languages (i18n).

use kubesim::inspect::PodStates;
use yew::prelude::*;

use crate::i18n::Lang;

fn container_line(c: &kubesim::inspect::ContainerState, lang: Lang) -> String {
    let t = lang.ins();
    let mut parts = Vec::new();
    let mut head = c.name.clone();
    if c.init {
        head.push_str(&format!(" ({})", lang.init_container()));
    }
    if c.state.is_empty() {
        parts.push(t.not_reported.to_string());
    } else {
        let mut s = c.state.clone();
        if !c.reason.is_empty() {
            s.push_str(&format!(": {}", c.reason));
        }
        if let Some(code) = c.exit_code {
            s.push_str(&format!(", {}", lang.exit_code(code)));
        }
        parts.push(s);
        parts.push(format!("ready {}", c.ready));
        if c.restart_count > 0 {
            parts.push(lang.restarts_count(c.restart_count));
        }
        if let Some((reason, code)) = &c.last_terminated {
            parts.push(lang.last_run(reason, *code));
        }
    }
    format!("{head} — {}", parts.join(" · "))
}

pub fn explain(states: &PodStates, lang: Lang) -> Html {
    let t = lang.ins();
    let summary = lang.status_source(&states.source, &states.phase, &states.status_column, &states.pod_reason);
    let conditions = if states.conditions.is_empty() {
        t.no_conditions.to_string()
    } else {
        states
            .conditions
            .iter()
            .map(|c| {
                if c.reason.is_empty() {
                    format!("{} {}", c.type_, c.status)
                } else {
                    format!("{} {} ({})", c.type_, c.status, c.reason)
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    html! {
        <details class="explain" data-testid="inspector-explain">
            <summary>
                <span class="explain-label">{ t.explain_heading }</span>
                <span class="explain-summary" data-testid="inspector-explain-summary">{ summary }</span>
            </summary>
            <dl>
                <dt>{ t.phase_heading }</dt>
                <dd>
                    <p>{ t.phase_text }</p>
                    <p class="filled" data-testid="explain-phase">{ lang.this_pod(&states.phase) }</p>
                </dd>
                <dt>{ t.container_heading }</dt>
                <dd>
                    <p>{ t.container_text }</p>
                    <ul class="filled" data-testid="explain-containers">
                        { for states.containers.iter().map(|c| html! { <li>{ container_line(c, lang) }</li> }) }
                    </ul>
                </dd>
                <dt>{ t.status_heading }</dt>
                <dd>
                    <p>{ t.status_text }</p>
                    <p class="filled" data-testid="explain-status">{ lang.this_pod(&format!("STATUS {} · READY {}", states.status_column, states.ready_column)) }</p>
                </dd>
                <dt>{ t.conditions_heading }</dt>
                <dd>
                    <p>{ t.conditions_text }</p>
                    <p class="filled" data-testid="explain-conditions">{ lang.this_pod(&conditions) }</p>
                </dd>
            </dl>
        </details>
    }
}
