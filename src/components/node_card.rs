//! One node as a card: name, role, the Ready condition, SchedulingDisabled when cordoned, labels
//! and taints, CPU and memory requested against allocatable (numbers from the engine's view), its
//! pods grouped by the workload that owns them, and buttons that act on the node.

use std::collections::HashMap;
use std::rc::Rc;

use kubesim::view::{NodeView, PodView, ResourceUse};
use yew::prelude::*;

use crate::components::node_actions::NodeAction;
use crate::components::pod_chip::{owner_colour, Mark, PodChip};
use crate::i18n::use_lang;

/// The hovered Service's verdict per pod (`namespace/name`).
pub type Marks = Option<Rc<HashMap<String, Mark>>>;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Shared with the engine's view: an unchanged node is the same `Rc`.
    pub node: Rc<NodeView>,
    /// Pods of this node that were just removed, fading out.
    pub ghosts: Vec<Rc<PodView>>,
    pub selected: Option<String>,
    pub marks: Marks,
    /// The last action's answer: (succeeded, text).
    pub message: Option<(bool, String)>,
    pub on_select: Callback<String>,
    pub on_action: Callback<(String, NodeAction)>,
    /// Whether the chips are drawn: a big cluster draws them only in cards near the visible part
    /// of the panel (the cluster view decides).
    #[prop_or(true)]
    pub show_pods: bool,
}

pub fn chip(
    p: &Rc<PodView>,
    selected: &Option<String>,
    marks: &Marks,
    on_select: &Callback<String>,
    ghost: bool,
) -> Html {
    let id = format!("{}/{}", p.namespace, p.name);
    let mark = marks.as_ref().and_then(|m| m.get(&id).cloned()).unwrap_or_default();
    let key = if ghost { format!("ghost-{}", p.uid) } else { p.uid.clone() };
    html! {
        <PodChip {key} pod={p.clone()} selected={selected.as_deref() == Some(id.as_str())} {mark} {ghost}
                 on_select={on_select.clone()} />
    }
}

fn bar(label: &str, testid: &'static str, r: &ResourceUse, title: String) -> Html {
    let pct = r.percent();
    let level = if pct >= 90 {
        "full"
    } else if pct >= 70 {
        "high"
    } else {
        "ok"
    };
    html! {
        <div class="res" data-testid={testid} data-requested={r.requested.to_string()}
             data-allocatable={r.allocatable.to_string()} {title}>
            <span class="res-label">{ label }</span>
            <span class="res-track"><span class={classes!("res-fill", level)} style={format!("width: {}%", pct.clamp(0, 100))}></span></span>
            <span class="res-text">{ format!("{} / {}", r.requested_text, r.allocatable_text) }</span>
        </div>
    }
}

#[function_component(NodeCard)]
pub fn node_card(props: &Props) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let n = &props.node;
    // A new card is laid out once in full before the browser may skip it off-screen
    // (`content-visibility: auto`): the size it remembers is then its real one, so cards coming
    // into view do not push the others around.
    let fresh = use_state(|| true);
    {
        let fresh = fresh.clone();
        use_effect_with((), move |_| {
            let t = gloo_timers::callback::Timeout::new(100, move || fresh.set(false));
            move || drop(t)
        });
    }
    let action = |a: NodeAction, label: &'static str, title: &'static str| {
        let cb = props.on_action.clone();
        let name = n.name.clone();
        html! {
            <button class="node-action" data-testid="node-action" data-action={a.code()} {title}
                    onclick={Callback::from(move |_| cb.emit((name.clone(), a)))}>{ label }</button>
        }
    };
    // Pods grouped by owning workload (Deployment, or the ReplicaSet/Job... itself); pods without
    // an owner first. Groups sorted by name so they never swap places.
    let mut groups: Vec<(Option<&str>, Vec<&Rc<PodView>>)> = Vec::new();
    for p in &n.pods {
        let w = p.owner.as_ref().map(|o| o.workload_name.as_str());
        match groups.iter_mut().find(|(g, _)| *g == w) {
            Some((_, v)) => v.push(p),
            None => groups.push((w, vec![p])),
        }
    }
    kubesim::sorting::sort_by(&mut groups, |a, b| a.0.cmp(&b.0));
    let labels_text = n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    let cond_class = match n.condition.as_str() {
        "Ready" => "cond-ready",
        "NotReady" => "cond-notready",
        _ => "cond-unknown",
    };
    html! {
        <div class={classes!("node", (!n.ready).then_some("not-ready"), n.unschedulable.then_some("cordoned"), fresh.then_some("fresh"))}
             data-testid="node" data-node={n.name.clone()} data-status={n.status.clone()}
             data-condition={n.condition.clone()} data-unschedulable={n.unschedulable.to_string()}
             data-pods={n.pods.len().to_string()}>
            <div class="node-head">
                <span class="node-name" title={labels_text.clone()}>{ &n.name }</span>
                <span class="node-role">{ if n.roles == "<none>" { t.worker } else { &n.roles } }</span>
                <span class={classes!("badge", cond_class)} data-testid="node-condition">{ &n.condition }</span>
                if n.unschedulable {
                    <span class="badge sched-off" data-testid="node-cordoned">{ "SchedulingDisabled" }</span>
                }
            </div>
            { bar(t.cpu, "node-cpu", &n.cpu, lang.requested_of(&n.cpu.requested_text, &n.cpu.allocatable_text, n.cpu.percent())) }
            { bar(t.memory, "node-memory", &n.memory, lang.requested_of(&n.memory.requested_text, &n.memory.allocatable_text, n.memory.percent())) }
            <div class="node-meta">
                <details class="node-labels" title={labels_text}>
                    <summary>{ lang.labels_count(n.labels.len()) }</summary>
                    <ul class="popover" data-testid="node-labels">
                        { for n.labels.iter().map(|(k, v)| html! { <li>{ format!("{k}={v}") }</li> }) }
                    </ul>
                </details>
                if !n.taints.is_empty() {
                    <span class="node-taints" data-testid="node-taints" title={n.taints.join("\n")}>
                        { format!("{}: {}", t.taints, n.taints.join(", ")) }
                    </span>
                }
            </div>
            <div class={classes!("node-pods", (!props.show_pods).then_some("pods-hidden"))}
                 data-hidden-pods={(!props.show_pods).then(|| n.pods.len().to_string())}>
                { for groups.iter().map(|(w, pods)| {
                    // A card far from view keeps empty slots of the chips' size: its height stays
                    // what it is when drawn, so nothing jumps when it comes into view.
                    let chips: Html = if props.show_pods {
                        pods.iter().map(|p| chip(p, &props.selected, &props.marks, &props.on_select, false)).collect()
                    } else {
                        pods.iter().map(|_| html! { <span class="pod-slot"></span> }).collect()
                    };
                    match w {
                        Some(w) => html! {
                            <div key={format!("g-{w}")} class="group" data-testid="pod-group" data-owner={w.to_string()}
                                 style={format!("--owner: {}", owner_colour(w))}>
                                <span class="group-name">{ *w }</span>
                                <div class="pods">{ chips }</div>
                            </div>
                        },
                        None => html! { <div key="g-" class="pods">{ chips }</div> },
                    }
                }) }
                if props.show_pods && !props.ghosts.is_empty() {
                    <div class="pods ghosts">
                        { for props.ghosts.iter().map(|p| chip(p, &props.selected, &None, &props.on_select, true)) }
                    </div>
                }
            </div>
            <div class="node-actions" role="group" aria-label={format!("{} {}", t.node_actions, n.name)}>
                { action(NodeAction::StopKubelet, t.stop_kubelet, t.stop_kubelet_title) }
                { action(NodeAction::Fail, t.fail_node, t.fail_node_title) }
                { action(NodeAction::Recover, t.recover_node, t.recover_node_title) }
                if n.unschedulable {
                    { action(NodeAction::Uncordon, t.uncordon, t.uncordon_title) }
                } else {
                    { action(NodeAction::Cordon, t.cordon, t.cordon_title) }
                }
            </div>
            <div class={classes!("node-message", props.message.as_ref().map(|(ok, _)| if *ok { "ok" } else { "err" }))}
                 data-testid="node-message" aria-live="polite"
                 title={props.message.as_ref().map(|(_, m)| m.clone())}>
                { props.message.as_ref().map(|(_, m)| m.as_str()).unwrap_or("") }
            </div>
        </div>
    }
}
