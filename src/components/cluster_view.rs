//! The cluster view: Services as boxes linked to their ready endpoint pods, the Pending lane, and
//! each node as a card ([`NodeCard`]) with its pods as chips ([`PodChip`]). Everything shown comes
//! from `kubesim::view`; this module only draws it: the links are SVG paths kept in place by
//! hand after each render (keyed by service and pod, so they fade in and out instead of being
//! redrawn), removed pods linger a moment as fading ghosts, and hovering a Service marks the pods
//! its selector picks and says why the others are not picked (reasons from the engine).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use kubesim::view::{service_match, ClusterView as View, PodView, SelectorMatch, ServiceView};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{js_sys as js_sys_fn, Element, HtmlElement};
use yew::prelude::*;

use crate::components::node_actions::NodeAction;
use crate::components::node_card::{chip, Marks, NodeCard};
use crate::components::pod_chip::{owner_colour, record_pending, Mark};
use crate::i18n::{use_lang, Lang};

/// How long a removed pod stays on screen as a fading ghost (real milliseconds).
const GHOST_MS: f64 = 1_500.0;
/// How long a link that lost its endpoint takes to fade before it is removed.
const LINK_FADE_MS: f64 = 400.0;
const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// At most this many reasons in the selector panel (a big cluster has thousands of pods).
const MAX_REASONS: usize = 60;
/// From this many pods on, only node cards near the visible part of the panel draw their chips
/// (the others a placeholder): Yew then diffs and the browser styles a few hundred chips per tick
/// instead of thousands. Smaller clusters draw every chip (nothing to gain, and every chip stays
/// reachable by keyboard and by tests).
const VIRTUAL_FROM_PODS: usize = 400;
/// How far beyond the panel's visible part cards still draw their chips: a card is drawn before
/// it scrolls in (and before the links' measuring band, 300 px, reaches it).
const NEAR_MARGIN: &str = "600px 0px";

/// An observer and the callback it calls (kept alive as long as the observer).
type Observer = (web_sys::IntersectionObserver, Closure<dyn FnMut(js_sys_fn::Array)>);

/// Which node cards are near the visible part of the panel, kept by an IntersectionObserver.
#[derive(Default)]
struct Nearby {
    names: HashSet<String>,
    observer: Option<Observer>,
}

impl Nearby {
    /// Watches the panel's node cards (observing a card twice is a no-op).
    fn observe(&self, canvas: &Element) {
        let Some((observer, _)) = &self.observer else { return };
        let Ok(cards) = canvas.query_selector_all(".node[data-node]") else { return };
        for i in 0..cards.length() {
            if let Some(card) = cards.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                observer.observe(&card);
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: Rc<View>,
    /// `namespace/name` of the pod shown in the inspector.
    pub selected: Option<String>,
    pub on_select: Callback<String>,
    /// Runs a node action against the engine; its answer is shown on the node's card.
    #[prop_or_default]
    pub on_node_action: Option<Callback<(String, NodeAction), Result<String, String>>>,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn service_id(s: &ServiceView) -> String {
    format!("{}/{}", s.namespace, s.name)
}

thread_local! {
    /// Milliseconds each link update took (read by the frame benchmark, src/bench.rs).
    pub static LINK_MS: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Milliseconds from the start of each render of the view to its effects (DOM updated).
    pub static RENDER_MS: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Pods that disappeared from the view, kept a moment to fade out.
#[derive(Default)]
struct Ghosts {
    last: Option<Rc<View>>,
    list: Vec<(Rc<PodView>, f64)>,
}

impl Ghosts {
    /// Takes in the pods the engine's viewer reports removed since its last view; drops the
    /// ghosts that have faded. Returns whether ghosts were added.
    fn update(&mut self, view: &Rc<View>, now: f64) -> bool {
        // Faded ghosts go also when the view did not change (time paused: the timer's redraw).
        self.list.retain(|(_, until)| *until > now);
        if self.last.as_ref().is_some_and(|l| Rc::ptr_eq(l, view)) {
            return false;
        }
        let added = !view.removed.is_empty();
        self.list.extend(view.removed.iter().map(|p| (p.clone(), now + GHOST_MS)));
        // A bulk delete (a reset) is not worth thousands of ghosts.
        if self.list.len() > 200 {
            self.list.clear();
        }
        self.last = Some(view.clone());
        added
    }
}

/// One drawn link, as last set.
struct Link {
    el: Element,
    d: String,
    class: String,
    gone_since: Option<f64>,
}

/// A chip's or a box's layout position inside the canvas, ignoring CSS transforms (so a chip
/// still gliding in or pulsing gets its final position).
fn layout_box(el: &HtmlElement, canvas: &Element) -> (f64, f64, f64, f64) {
    let (w, h) = (el.offset_width() as f64, el.offset_height() as f64);
    let (mut x, mut y) = (0.0, 0.0);
    let mut cur = Some(el.clone());
    while let Some(e) = cur {
        if e.is_same_node(Some(canvas)) {
            break;
        }
        x += e.offset_left() as f64;
        y += e.offset_top() as f64;
        cur = e.offset_parent().and_then(|p| p.dyn_into::<HtmlElement>().ok());
    }
    (x, y, w, h)
}

/// What the links were last drawn from: when neither the layout nor the endpoints changed, a
/// tick costs the links nothing (chips have fixed sizes, so a status change moves nothing).
#[derive(Default)]
struct LinkState {
    links: HashMap<String, Link>,
    layout_sig: u64,
    endpoints_sig: u64,
    /// Layout boxes of the Service boxes and endpoint chips, by `data-service` / `data-pod`.
    boxes: HashMap<String, (f64, f64, f64, f64)>,
}

fn hash_of(f: impl FnOnce(&mut std::collections::hash_map::DefaultHasher)) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    f(&mut h);
    h.finish()
}

/// Everything that moves chips: which pods sit where (and in which owner group), the ghosts,
/// the Services, the language (button widths), the window's size.
fn layout_signature(view: &View, ghosts: &[Rc<PodView>], lang: Lang) -> u64 {
    // FNV-1a over a few bytes per pod: uids are random, their first 8 bytes identify a pod.
    let mut h: u64 = 0xcbf29ce484222325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ *b as u64).wrapping_mul(0x100000001b3);
        }
    };
    let uid8 = |p: &PodView| -> [u8; 8] {
        let mut b = [0u8; 8];
        for (d, s) in b.iter_mut().zip(p.uid.bytes()) {
            *d = s;
        }
        b
    };
    for n in &view.nodes {
        eat(n.name.as_bytes());
        for p in &n.pods {
            eat(&uid8(p));
            eat(&[p.owner.is_some() as u8]);
        }
        eat(b"|");
    }
    for p in view.unscheduled.iter().chain(ghosts) {
        eat(&uid8(p));
        eat(p.node.as_bytes());
    }
    for s in &view.services {
        eat(s.namespace.as_bytes());
        eat(s.name.as_bytes());
    }
    eat(lang.code().as_bytes());
    if let Some(w) = web_sys::window() {
        let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i64;
        eat(&size(w.inner_width()).to_le_bytes());
        eat(&size(w.inner_height()).to_le_bytes());
    }
    h
}

/// The part of the canvas the cluster panel shows (canvas coordinates), with a margin.
fn visible_band(canvas: &Element) -> (f64, f64) {
    let Some(scroller) = canvas.parent_element() else { return (f64::MIN, f64::MAX) };
    let top = scroller.get_bounding_client_rect().top() - canvas.get_bounding_client_rect().top();
    (top - 300.0, top + scroller.client_height() as f64 + 300.0)
}

/// Layout boxes of the Service boxes and of the ready endpoint chips. Chips in node cards out of
/// the band are not measured (a big cluster does not draw them, and reading thousands of layout
/// boxes costs more than the links are worth): their links end at the top of their card.
fn measure(canvas: &Element, view: &View, band: (f64, f64)) -> HashMap<String, (f64, f64, f64, f64)> {
    let mut boxes = HashMap::new();
    let wanted: HashSet<&str> = view.services.iter().flat_map(|s| s.ready_pods.iter().map(String::as_str)).collect();
    let all = |root: &Element, selector: &str| -> Vec<HtmlElement> {
        let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok())).collect()
    };
    let chips = |root: &Element, boxes: &mut HashMap<String, (f64, f64, f64, f64)>| {
        for el in all(root, "[data-testid=pod]") {
            if let Some(id) = el.get_attribute("data-pod").filter(|id| wanted.contains(id.as_str())) {
                boxes.insert(id, layout_box(&el, canvas));
            }
        }
    };
    for el in all(canvas, ".service[data-service]") {
        if let Some(id) = el.get_attribute("data-service") {
            boxes.insert(id, layout_box(&el, canvas));
        }
    }
    for lane in all(canvas, ".pending-lane") {
        chips(&lane, &mut boxes);
    }
    for card in all(canvas, ".node[data-node]") {
        let b = layout_box(&card, canvas);
        if b.1 + b.3 >= band.0 && b.1 <= band.1 {
            chips(&card, &mut boxes);
        } else if let Some(node) = card.get_attribute("data-node").and_then(|n| view.nodes.iter().find(|v| v.name == n))
        {
            for p in &node.pods {
                let id = format!("{}/{}", p.namespace, p.name);
                if wanted.contains(id.as_str()) {
                    boxes.insert(id, (b.0, b.1, b.2, 0.0));
                }
            }
        }
    }
    boxes
}

/// Brings the SVG links (Service box → each ready endpoint chip) in line with the view.
fn draw_links(
    canvas: &Element,
    svg: &Element,
    view: &View,
    ghosts: &[Rc<PodView>],
    lang: Lang,
    hovered: Option<&str>,
    state: &mut LinkState,
) {
    if view.services.is_empty() && state.links.is_empty() {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let now = now_ms();
    let band = visible_band(canvas);
    let layout_sig =
        layout_signature(view, ghosts, lang) ^ ((band.0 / 150.0) as i64 as u64).wrapping_mul(0x9e3779b97f4a7c15);
    let endpoints_sig = hash_of(|h| {
        use std::hash::Hash;
        hovered.hash(h);
        for s in &view.services {
            s.name.hash(h);
            s.ready_pods.hash(h);
        }
    });
    let fading = state.links.values().any(|l| l.gone_since.is_some());
    if layout_sig == state.layout_sig && endpoints_sig == state.endpoints_sig && !fading {
        return;
    }
    // A pod that just became an endpoint may not have been measured yet.
    let unmeasured = || view.services.iter().flat_map(|s| &s.ready_pods).any(|p| !state.boxes.contains_key(p));
    if layout_sig != state.layout_sig || unmeasured() {
        state.boxes = measure(canvas, view, band);
        state.layout_sig = layout_sig;
    }
    state.endpoints_sig = endpoints_sig;
    let boxes = &state.boxes;
    let links = &mut state.links;
    let mut seen = HashSet::new();
    for svc in &view.services {
        let id = service_id(svc);
        let Some(&(sx, sy, sw, sh)) = boxes.get(&id) else { continue };
        let (x1, y1) = (sx + sw / 2.0, sy + sh);
        let look = match hovered {
            Some(h) if h == id => " hot",
            Some(_) => " dim",
            None => "",
        };
        for pod in &svc.ready_pods {
            let Some(&(px, py, pw, _)) = boxes.get(pod) else { continue };
            let (x2, y2) = (px + pw / 2.0, py);
            let mid = (y1 + y2) / 2.0;
            let d = format!("M{x1:.0} {y1:.0} C{x1:.0} {mid:.0} {x2:.0} {mid:.0} {x2:.0} {y2:.0}");
            let class = format!("link{look}");
            let key = format!("{id}|{pod}");
            seen.insert(key.clone());
            match links.get_mut(&key) {
                Some(l) => {
                    if l.d != d {
                        let _ = l.el.set_attribute("d", &d);
                        l.d = d;
                    }
                    if l.class != class || l.gone_since.is_some() {
                        let _ = l.el.set_attribute("class", &class);
                        let _ = l.el.set_attribute("data-testid", "endpoint-link");
                        l.class = class;
                        l.gone_since = None;
                    }
                }
                None => {
                    let Ok(el) = doc.create_element_ns(Some(SVG_NS), "path") else { continue };
                    let _ = el.set_attribute("d", &d);
                    let _ = el.set_attribute("class", &class);
                    let _ = el.set_attribute("pathLength", "1");
                    let _ = el.set_attribute("data-testid", "endpoint-link");
                    let _ = el.set_attribute("data-link-service", &id);
                    let _ = el.set_attribute("data-link-pod", pod);
                    let _ = el.set_attribute("style", &format!("--svc: {}", owner_colour(&id)));
                    let _ = svg.append_child(&el);
                    links.insert(key, Link { el, d, class, gone_since: None });
                }
            }
        }
    }
    links.retain(|key, l| {
        if seen.contains(key) {
            return true;
        }
        match l.gone_since {
            None => {
                let _ = l.el.set_attribute("class", "link gone");
                let _ = l.el.set_attribute("data-testid", "endpoint-link-gone");
                l.gone_since = Some(now);
                true
            }
            Some(t) if now - t < LINK_FADE_MS => true,
            Some(_) => {
                l.el.remove();
                false
            }
        }
    });
}

/// (`namespace/name`, selected, why) for the selector panel.
type Reason = (String, bool, String);

fn marks_for(svc: &ServiceView, view: &View, lang: Lang) -> (HashMap<String, Mark>, Vec<Reason>) {
    let mut marks = HashMap::new();
    let mut reasons = Vec::new();
    for p in view.nodes.iter().flat_map(|n| &n.pods).chain(&view.unscheduled) {
        let m = service_match(svc, p);
        let text = lang.match_reason(&m, &p.namespace);
        let id = format!("{}/{}", p.namespace, p.name);
        let picked = m.selected();
        marks.insert(id.clone(), if picked { Mark::Picked(text.clone()) } else { Mark::Passed(text.clone()) });
        // Pods of other namespaces are left out of the list (they are many and the reason is the same).
        if m != SelectorMatch::OtherNamespace {
            reasons.push((id, picked, text));
        }
    }
    // Selected pods first, then by name.
    kubesim::sorting::sort_by(&mut reasons, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (marks, reasons)
}

#[function_component(ClusterView)]
pub fn cluster_view(props: &Props) -> Html {
    let render_start = now_ms();
    let v = &props.view;
    let lang = use_lang();
    let t = lang.t();
    let hovered = use_state(|| None::<String>);
    let messages = use_mut_ref(HashMap::<String, (bool, String)>::new);
    let ghosts = use_mut_ref(Ghosts::default);
    let links = use_mut_ref(LinkState::default);
    let canvas_ref = use_node_ref();
    let svg_ref = use_node_ref();
    let lane_ref = use_node_ref();
    let redraw = use_force_update();
    let ghost_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let nearby = use_mut_ref(Nearby::default);
    let virtualise = v.nodes.iter().map(|n| n.pods.len()).sum::<usize>() >= VIRTUAL_FROM_PODS;

    // Stable callbacks for the memoised cards and chips (the app's may be new on every render).
    let latest_select = use_mut_ref(|| props.on_select.clone());
    *latest_select.borrow_mut() = props.on_select.clone();
    let on_select = use_callback((), {
        let latest = latest_select.clone();
        move |id: String, _| latest.borrow().emit(id)
    });
    let latest_action = use_mut_ref(|| props.on_node_action.clone());
    *latest_action.borrow_mut() = props.on_node_action.clone();
    let on_action = use_callback((), {
        let latest = latest_action.clone();
        let messages = messages.clone();
        let redraw = redraw.clone();
        move |(node, action): (String, NodeAction), _| {
            let Some(cb) = latest.borrow().clone() else { return };
            let answer = match cb.emit((node.clone(), action)) {
                Ok(text) => (true, text),
                Err(text) => (false, text),
            };
            messages.borrow_mut().insert(node, answer);
            redraw.force_update();
        }
    });

    // Ghosts of removed pods; a timer re-renders once they have faded, even when time is paused.
    if ghosts.borrow_mut().update(v, now_ms()) {
        let redraw = redraw.clone();
        *ghost_timer.borrow_mut() =
            Some(gloo_timers::callback::Timeout::new(GHOST_MS as u32 + 50, move || redraw.force_update()));
    }
    let ghost_list: Vec<Rc<PodView>> = ghosts.borrow().list.iter().map(|(p, _)| p.clone()).collect();

    // Links and the lane's positions are measured after the DOM is updated.
    {
        let canvas_ref = canvas_ref.clone();
        let svg_ref = svg_ref.clone();
        let lane_ref = lane_ref.clone();
        let links = links.clone();
        let view = v.clone();
        let hovered = (*hovered).clone();
        let ghosts_now = ghost_list.clone();
        let nearby = nearby.clone();
        use_effect(move || {
            let t0 = now_ms();
            RENDER_MS.with(|r| r.borrow_mut().push(t0 - render_start));
            if let (Some(canvas), Some(svg)) = (canvas_ref.cast::<Element>(), svg_ref.cast::<Element>()) {
                if virtualise {
                    nearby.borrow().observe(&canvas);
                }
                draw_links(&canvas, &svg, &view, &ghosts_now, lang, hovered.as_deref(), &mut links.borrow_mut());
            }
            LINK_MS.with(|l| l.borrow_mut().push(now_ms() - t0));
            if let Some(lane) = lane_ref.cast::<Element>() {
                record_pending(&lane);
            }
        });
    }
    // The observer of the cards near the panel's visible part; a card coming near (or leaving)
    // draws (or drops) its chips.
    {
        let redraw = redraw.clone();
        let canvas_ref = canvas_ref.clone();
        let nearby = nearby.clone();
        use_effect_with((), move |_| {
            let scroller = canvas_ref.cast::<Element>().and_then(|c| c.parent_element());
            let cb = {
                let nearby = nearby.clone();
                Closure::<dyn FnMut(js_sys_fn::Array)>::new(move |entries: js_sys_fn::Array| {
                    let mut changed = false;
                    {
                        let names = &mut nearby.borrow_mut().names;
                        for e in entries.iter() {
                            let e: web_sys::IntersectionObserverEntry = e.unchecked_into();
                            if let Some(name) = e.target().get_attribute("data-node") {
                                changed |= if e.is_intersecting() { names.insert(name) } else { names.remove(&name) };
                            }
                        }
                    }
                    if changed {
                        redraw.force_update();
                    }
                })
            };
            let init = web_sys::IntersectionObserverInit::new();
            init.set_root(scroller.as_ref());
            init.set_root_margin(NEAR_MARGIN);
            if let Ok(o) = web_sys::IntersectionObserver::new_with_options(cb.as_ref().unchecked_ref(), &init) {
                nearby.borrow_mut().observer = Some((o, cb));
            }
            move || {
                if let Some((o, _)) = nearby.borrow_mut().observer.take() {
                    o.disconnect();
                }
            }
        });
    }
    // A resized window moves the chips, a scrolled panel shows other cards: redraw the links.
    {
        let redraw = redraw.clone();
        let canvas_ref = canvas_ref.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let scroller = canvas_ref.cast::<Element>().and_then(|c| c.parent_element());
            let listener = Closure::<dyn Fn()>::new(move || redraw.force_update());
            let f: &js_sys_fn::Function = listener.as_ref().unchecked_ref();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("resize", f);
            }
            if let Some(s) = &scroller {
                let _ = s.add_event_listener_with_callback("scroll", f);
            }
            move || {
                let f: &js_sys_fn::Function = listener.as_ref().unchecked_ref();
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("resize", f);
                }
                if let Some(s) = &scroller {
                    let _ = s.remove_event_listener_with_callback("scroll", f);
                }
            }
        });
    }

    let hovered_svc = (*hovered).as_ref().and_then(|h| v.services.iter().find(|s| service_id(s) == *h));
    let (marks, reasons): (Marks, Vec<Reason>) = match hovered_svc {
        Some(svc) => {
            let (m, r) = marks_for(svc, v, lang);
            (Some(Rc::new(m)), r)
        }
        None => (None, Vec::new()),
    };
    let messages = messages.borrow();
    let near = nearby.borrow();

    html! {
        <section class="cluster panel">
            <h2>{ t.cluster_heading }</h2>
            <div class="cluster-canvas" ref={canvas_ref}>
                <svg class="links" ref={svg_ref} aria-hidden="true"></svg>
                <div class="lane pending-lane" data-testid="pending-lane" ref={lane_ref}>
                    <h3>{ t.pending_lane }</h3>
                    <div class="pods">
                        { for v.unscheduled.iter().map(|p| chip(p, &props.selected, &marks, &on_select, false)) }
                        { for ghost_list.iter().filter(|p| p.node.is_empty() || !v.nodes.iter().any(|n| n.name == p.node))
                            .map(|p| chip(p, &props.selected, &None, &on_select, true)) }
                    </div>
                </div>
                if !v.services.is_empty() {
                    <div class="services" data-testid="services" title={t.selector_hint}>
                        { for v.services.iter().map(|svc| {
                            let id = service_id(svc);
                            let hot = hovered.as_deref() == Some(id.as_str());
                            let enter = { let hovered = hovered.clone(); let id = id.clone(); Callback::from(move |_: MouseEvent| hovered.set(Some(id.clone()))) };
                            let leave = { let hovered = hovered.clone(); Callback::from(move |_: MouseEvent| hovered.set(None)) };
                            let focus = { let hovered = hovered.clone(); let id = id.clone(); Callback::from(move |_: FocusEvent| hovered.set(Some(id.clone()))) };
                            let blur = { let hovered = hovered.clone(); Callback::from(move |_: FocusEvent| hovered.set(None)) };
                            html! {
                                <div key={id.clone()} class={classes!("service", hot.then_some("hot"))} tabindex="0"
                                     data-testid="service" data-service={id.clone()}
                                     data-endpoints={svc.ready_pods.len().to_string()}
                                     style={format!("--svc: {}", owner_colour(&id))}
                                     title={lang.service_title(&svc.selector, &svc.ready_pods.join(", "), &svc.not_ready_pods.join(", "))}
                                     onmouseenter={enter} onmouseleave={leave} onfocus={focus} onblur={blur}>
                                    <span class="svc-name">{ &svc.name }</span>
                                    <span class="svc-meta">{ format!("{} · {} · {}", svc.type_, svc.cluster_ip, svc.ports) }</span>
                                    <span class="svc-selector">{ format!("{} {}", t.selector, svc.selector) }</span>
                                    <span class="svc-endpoints">
                                        { format!("{}: {}", t.endpoints, if svc.ready_pods.is_empty() { "<none>".to_string() } else {
                                            svc.ready_pods.iter().map(|p| p.rsplit('/').next().unwrap_or(p).to_string()).collect::<Vec<_>>().join(", ") }) }
                                    </span>
                                    if hot {
                                        <div class="popover selector-panel" data-testid="selector-panel">
                                            <strong>{ lang.selector_panel(&svc.name, &svc.selector) }</strong>
                                            <ul>
                                                { for reasons.iter().take(MAX_REASONS).map(|(pod, picked, why)| html! {
                                                    <li class={if *picked { "picked" } else { "passed" }} data-testid="selector-reason"
                                                        data-pod={pod.clone()} data-selected={picked.to_string()}>
                                                        <span class="reason-pod">{ pod.rsplit('/').next().unwrap_or(pod) }</span>
                                                        <span class="reason-why">{ why }</span>
                                                    </li>
                                                }) }
                                                if reasons.len() > MAX_REASONS {
                                                    <li class="more">{ format!("+{}", reasons.len() - MAX_REASONS) }</li>
                                                }
                                            </ul>
                                        </div>
                                    }
                                </div>
                            }
                        }) }
                    </div>
                }
                <div class="nodes">
                    { for v.nodes.iter().map(|n| html! {
                        <NodeCard key={n.name.clone()} node={n.clone()}
                                  ghosts={ghost_list.iter().filter(|p| p.node == n.name).cloned().collect::<Vec<_>>()}
                                  selected={props.selected.clone()} marks={marks.clone()}
                                  message={messages.get(&n.name).cloned()}
                                  on_select={on_select.clone()} on_action={on_action.clone()}
                                  show_pods={!virtualise || near.names.contains(&n.name)} />
                    }) }
                </div>
            </div>
        </section>
    }
}
