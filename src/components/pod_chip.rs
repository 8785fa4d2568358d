//! One pod as a fixed-size chip: name, the kubectl STATUS (its colour), READY and RESTARTS, a
//! stripe in its workload's colour. A memoised component keyed by the pod's uid, so a tick that
//! changes nothing about a pod does not touch its DOM, and CSS animations see a stable element:
//! it fades in when created, glides from the Pending lane into its node when scheduled, pulses
//! when its restart count goes up and fades out when it is gone (the ghost the cluster view keeps).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use kubesim::view::PodView;
use yew::prelude::*;

use crate::i18n::use_lang;

thread_local! {
    /// Where each unscheduled chip was last drawn (page coordinates), by pod uid: a chip that
    /// appears in a node starts its entrance from there (a FLIP animation).
    static PENDING_AT: RefCell<HashMap<String, (f64, f64)>> = RefCell::new(HashMap::new());
}

/// Remembers where the Pending lane's chips are (called after each render of the cluster view).
pub fn record_pending(lane: &web_sys::Element) {
    let Ok(chips) = lane.query_selector_all("[data-uid]") else { return };
    // A lane with thousands of pods (a bulk apply) is not worth measuring every tick.
    if chips.length() > 300 {
        return;
    }
    PENDING_AT.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 5_000 {
            m.clear();
        }
        for i in 0..chips.length() {
            let Some(el) = chips.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            else {
                continue;
            };
            if let Some(uid) = el.get_attribute("data-uid") {
                let r = el.get_bounding_client_rect();
                m.insert(uid, (r.left(), r.top()));
            }
        }
    });
}

/// How the hovered Service's selector treats this pod.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Mark {
    #[default]
    None,
    /// Selected (the text says whether it is a ready endpoint).
    Picked(String),
    /// Not selected, and why.
    Passed(String),
}

/// A CSS class for a STATUS column text, so colour follows what kubectl prints.
pub fn status_class(status: &str) -> &'static str {
    match status {
        "Running" => "st-running",
        "Completed" | "Succeeded" => "st-completed",
        "Pending" | "ContainerCreating" | "PodInitializing" | "SchedulingGated" => "st-pending",
        "Terminating" => "st-terminating",
        "ImagePullBackOff" | "ErrImagePull" | "InvalidImageName" | "ErrImageNeverPull" => "st-image",
        "CrashLoopBackOff" => "st-crash",
        "OOMKilled" => "st-oom",
        "Unknown" => "st-unknown",
        s if s.starts_with("Init:") && (s.contains("Error") || s.contains("BackOff") || s.contains("OOM")) => {
            "st-crash"
        }
        s if s.starts_with("Init:") => "st-init",
        _ => "st-error",
    }
}

/// A stable colour for a workload name (the chip stripe and the group outline).
pub fn owner_colour(name: &str) -> String {
    let h = name.bytes().fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    format!("hsl({} 62% 42%)", h % 360)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Shared with the engine's view: an unchanged pod is the same `Rc` (compared by pointer).
    pub pod: Rc<PodView>,
    pub selected: bool,
    #[prop_or_default]
    pub mark: Mark,
    /// A pod that no longer exists, shown while it fades out.
    #[prop_or_default]
    pub ghost: bool,
    /// Stable (the cluster view keeps one), so chips are not re-rendered for a new closure.
    pub on_select: Callback<String>,
}

#[function_component(PodChip)]
pub fn pod_chip(props: &Props) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let p = &props.pod;
    let el = use_node_ref();
    // The restart count this chip was created with: only increases seen later pulse.
    let first_restarts = use_memo((), |_| p.restart_count);
    // Scheduled since the last frame: glide in from the lane instead of the fade-in.
    let arriving =
        use_memo((), |_| !p.node.is_empty() && !props.ghost && PENDING_AT.with(|m| m.borrow().contains_key(&p.uid)));
    {
        let el = el.clone();
        let uid = p.uid.clone();
        let arriving = *arriving;
        use_effect_with((), move |_| {
            let from = if arriving { PENDING_AT.with(|m| m.borrow_mut().remove(&uid)) } else { None };
            if let (Some((x, y)), Some(el)) = (from, el.cast::<web_sys::HtmlElement>()) {
                let r = el.get_bounding_client_rect();
                let style = el.style();
                let _ = style.set_property("transition", "none");
                let _ = style.set_property("transform", &format!("translate({}px, {}px)", x - r.left(), y - r.top()));
                // Reading layout commits the start position before the transition back to none.
                let _ = el.offset_width();
                let _ = style.set_property("transition", "transform .5s cubic-bezier(.2,.7,.3,1)");
                let _ = style.set_property("transform", "none");
            }
        });
    }

    let id = format!("{}/{}", p.namespace, p.name);
    let onclick = {
        let on_select = props.on_select.clone();
        let id = id.clone();
        Callback::from(move |_| on_select.emit(id.clone()))
    };
    let pulse =
        (p.restart_count > *first_restarts).then_some(if p.restart_count % 2 == 0 { "pulse-a" } else { "pulse-b" });
    let not_ready = p.status == "Running" && p.ready.split_once('/').is_some_and(|(a, b)| a != b);
    let (mark_class, mark_text) = match &props.mark {
        Mark::None => (None, None),
        Mark::Picked(why) => (Some("mark-yes"), Some(why.as_str())),
        Mark::Passed(why) => (Some("mark-no"), Some(why.as_str())),
    };
    let workload = p.owner.as_ref().map(|o| o.workload_name.as_str());
    let mut title = lang.pod_title(&p.name, &p.status, &p.ready, &p.restarts);
    title.push_str(&format!("\n{}", if p.ip.is_empty() { t.no_ip } else { &p.ip }));
    if let Some(o) = &p.owner {
        title.push_str(&format!("\n{}", lang.owned_by(&o.kind, &o.name)));
    }
    if let Some(why) = mark_text {
        title.push_str(&format!("\n{why}"));
    }
    if props.ghost {
        title.push_str(&format!("\n({})", t.removed_pod));
    }
    let style = workload.map(|w| format!("--owner: {}", owner_colour(w)));
    html! {
        <button ref={el}
             class={classes!(
                 "pod", status_class(&p.status),
                 props.selected.then_some("selected"),
                 workload.map(|_| "owned"),
                 not_ready.then_some("not-ready"),
                 p.deleting.then_some("deleting"),
                 props.ghost.then_some("ghost"),
                 arriving.then_some("arriving"),
                 pulse, mark_class,
             )}
             {onclick} {style} {title}
             tabindex={if props.ghost { "-1" } else { "0" }}
             aria-hidden={props.ghost.then_some("true")}
             data-testid={if props.ghost { "pod-ghost" } else { "pod" }}
             data-pod={id}
             data-uid={p.uid.clone()}
             data-node={p.node.clone()}
             data-phase={p.phase.clone()}
             data-status={p.status.clone()}
             data-ready={p.ready.clone()}
             data-restarts={p.restart_count.to_string()}
             data-owner={workload.map(str::to_string)}
             data-mark={mark_class.map(|c| c.trim_start_matches("mark-").to_string())}>
            <span class="pod-name">{ &p.name }</span>
            <span class="pod-status">{ &p.status }</span>
            <span class="pod-meta">
                <span class="pod-ready" title="READY">{ &p.ready }</span>
                <span class="pod-restarts" title="RESTARTS">{ format!("↻ {}", p.restart_count) }</span>
            </span>
            if let Some(why) = mark_text {
                <span class="pod-why">{ why }</span>
            }
        </button>
    }
}
