//! The cluster view: each node a card with its pods as chips coloured by their STATUS column.

use kubesim::view::{ClusterView as View, PodView};
use yew::prelude::*;

use crate::i18n::{use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: View,
    /// `namespace/name` of the pod shown in the inspector.
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

/// A CSS class for a STATUS column text, so colour follows what kubectl would print.
fn status_class(status: &str) -> &'static str {
    match status {
        "Running" => "st-running",
        "Completed" | "Succeeded" => "st-completed",
        "Pending" | "ContainerCreating" | "PodInitializing" => "st-pending",
        "Terminating" => "st-terminating",
        s if s.starts_with("Init:") && !s.contains("Error") && !s.contains("BackOff") => "st-pending",
        "Unknown" => "st-unknown",
        _ => "st-error",
    }
}

fn pod_chip(p: &PodView, selected: &Option<String>, on_select: &Callback<String>, lang: Lang) -> Html {
    let id = format!("{}/{}", p.namespace, p.name);
    let is_selected = selected.as_deref() == Some(id.as_str());
    let onclick = {
        let on_select = on_select.clone();
        let id = id.clone();
        Callback::from(move |_| on_select.emit(id.clone()))
    };
    html! {
        <button class={classes!("pod", status_class(&p.status), is_selected.then_some("selected"))} {onclick}
             data-testid="pod"
             data-pod={format!("{}/{}", p.namespace, p.name)}
             data-node={p.node.clone()}
             data-phase={p.phase.clone()}
             data-status={p.status.clone()}
             title={lang.pod_title(&p.name, &p.status, &p.ready, &p.restarts)}>
            <span class="pod-name">{ &p.name }</span>
            <span class="pod-status">{ &p.status }</span>
            <span class="pod-meta">{ format!("{} · {}", p.ready, if p.ip.is_empty() { lang.t().no_ip } else { &p.ip }) }</span>
        </button>
    }
}

#[function_component(ClusterView)]
pub fn cluster_view(props: &Props) -> Html {
    let v = &props.view;
    let lang = use_lang();
    let t = lang.t();
    html! {
        <section class="cluster panel">
            <h2>{ t.cluster_heading }</h2>
            <div class="lane pending-lane" data-testid="pending-lane">
                <h3>{ t.pending_lane }</h3>
                <div class="pods">{ for v.unscheduled.iter().map(|p| pod_chip(p, &props.selected, &props.on_select, lang)) }</div>
            </div>
            if !v.services.is_empty() {
                <div class="services" data-testid="services">
                    { for v.services.iter().map(|svc| {
                        let id = format!("{}/{}", svc.namespace, svc.name);
                        html! {
                            <div class="service" data-testid="service" data-service={id.clone()}
                                 data-endpoints={svc.ready_pods.len().to_string()}
                                 title={lang.service_title(&svc.selector, &svc.ready_pods.join(", "), &svc.not_ready_pods.join(", "))}>
                                <span class="svc-name">{ &svc.name }</span>
                                <span class="svc-meta">{ format!("{} · {} · {}", svc.type_, svc.cluster_ip, svc.ports) }</span>
                                <span class="svc-selector">{ format!("{} {}", t.selector, svc.selector) }</span>
                                <span class="svc-endpoints">
                                    { format!("{}: {}", t.endpoints, if svc.ready_pods.is_empty() { "<none>".to_string() } else {
                                        svc.ready_pods.iter().map(|p| p.rsplit('/').next().unwrap_or(p).to_string()).collect::<Vec<_>>().join(", ") }) }
                                </span>
                            </div>
                        }
                    }) }
                </div>
            }
            <div class="nodes">
                { for v.nodes.iter().map(|n| html! {
                    <div class={classes!("node", (!n.ready).then_some("not-ready"))} data-testid="node" data-node={n.name.clone()}>
                        <div class="node-head">
                            <span class="node-name">{ &n.name }</span>
                            <span class="node-role">{ if n.control_plane { "control-plane" } else { t.worker } }</span>
                            <span class="node-ready">{ if n.ready { "Ready" } else { "NotReady" } }</span>
                        </div>
                        <div class="pods">{ for n.pods.iter().map(|p| pod_chip(p, &props.selected, &props.on_select, lang)) }</div>
                    </div>
                }) }
            </div>
        </section>
    }
}
