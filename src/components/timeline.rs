//! The timeline: for the selected pod (and a few others) one lane per container over virtual
//! time: segments coloured by state, restarts, crash-loop back-off waits with a live countdown,
//! probe ticks, image pulls and events. Clicking a lane picks that pod and moment for the
//! inspector. Everything shown comes from `kubesim::timeline`; this file only draws it.

use std::cell::RefCell;
use std::rc::Rc;

use kubesim::timeline::{ContainerLane, Index, PodTimeline, State};
use yew::prelude::*;

use crate::components::time_bar::format_clock;
use crate::engine::Engine;

/// At most this many pods get lanes (the selected one first): the page stays fast with thousands.
const MAX_PODS: usize = 6;
/// Markers (events, probe ticks) drawn per lane at most, the newest kept.
const MAX_MARKS: usize = 300;
/// The narrowest window (zoomed in) and the default one before much has happened.
const MIN_SPAN: u64 = 5_000;
const DEFAULT_SPAN: u64 = 60_000;

/// The timeline's words, English and Korean, in one table so the page's i18n can take them over.
pub struct Texts {
    pub title: &'static str,
    /// `{n}`: whole seconds.
    pub next_restart: &'static str,
    /// `{n}`: the restart count.
    pub restart: &'static str,
    /// `{d}`: a duration such as 40s.
    pub backoff: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub fit: &'static str,
    pub earlier: &'static str,
    pub later: &'static str,
    pub now: &'static str,
    /// `{n}`: how many pods have no lane.
    pub more_pods: &'static str,
    pub empty: &'static str,
    /// `{kind}`, `{result}`.
    pub probe: &'static str,
    /// `{image}`.
    pub pull: &'static str,
    pub init: &'static str,
    pub pick: &'static str,
    /// The inspector's banner for a picked moment: `{t}` is the clock.
    pub as_of: &'static str,
    pub back_to_now: &'static str,
    /// Legend: waiting, running ready, running not ready, completed, failed, back-off, error.
    pub legend: [&'static str; 7],
    /// Legend of the probe ticks: startup, liveness, readiness.
    pub probes: [&'static str; 3],
}

pub const EN: Texts = Texts {
    title: "Timeline",
    next_restart: "next restart in {n} s",
    restart: "restart {n}",
    backoff: "back-off {d}",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    fit: "All",
    earlier: "Earlier",
    later: "Later",
    now: "Now",
    more_pods: "{n} more pods: select one in the cluster view to see its lanes",
    empty: "Apply a pod to see how its containers live and die.",
    probe: "{kind} probe: {result}",
    pull: "pulling image {image}",
    init: "init",
    pick: "Click a lane to see the pod as it was at that moment.",
    as_of: "as of {t}",
    back_to_now: "back to now",
    legend: ["waiting", "ready", "not ready", "exit 0", "exit ≠ 0", "back-off", "error"],
    probes: ["startup", "liveness", "readiness"],
};

pub const KO: Texts = Texts {
    title: "타임라인",
    next_restart: "다음 재시작까지 {n}초",
    restart: "재시작 {n}",
    backoff: "백오프 {d}",
    zoom_in: "확대",
    zoom_out: "축소",
    fit: "전체",
    earlier: "이전",
    later: "이후",
    now: "현재",
    more_pods: "파드 {n}개 더 있음: 클러스터 보기에서 선택하면 레인이 보입니다",
    empty: "파드를 적용하면 컨테이너가 어떻게 살고 죽는지 볼 수 있습니다.",
    probe: "{kind} 프로브: {result}",
    pull: "이미지 풀: {image}",
    init: "init",
    pick: "레인을 클릭하면 그 순간의 파드를 볼 수 있습니다.",
    as_of: "{t} 시점",
    back_to_now: "현재로",
    legend: ["대기", "준비됨", "준비 안 됨", "종료 0", "종료 ≠ 0", "백오프", "오류"],
    probes: ["startup", "liveness", "readiness"],
};

/// The page's language (`<html lang>`), Korean or English.
pub fn texts() -> &'static Texts {
    let lang = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default();
    if lang.starts_with("ko") {
        &KO
    } else {
        &EN
    }
}

/// "next restart in 37 s": whole seconds left, rounded up (0 only at the deadline).
pub fn countdown(t: &Texts, until: u64, now: u64) -> String {
    let left = until.saturating_sub(now).div_ceil(1_000);
    t.next_restart.replace("{n}", &left.to_string())
}

/// A short Go-like duration: 40s, 2m30s.
fn duration(ms: u64) -> String {
    let s = ms / 1_000;
    if s < 10 && !ms.is_multiple_of(1_000) {
        format!("{:.1}s", ms as f64 / 1_000.0)
    } else if s < 60 {
        format!("{s}s")
    } else if s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{}m{}s", s / 60, s % 60)
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub engine: Engine,
    /// Changes whenever the engine did (time moved, a command ran).
    pub version: u64,
    /// `namespace/name` of the pod in the inspector.
    pub selected: Option<String>,
    /// The moment picked in the inspector, if any.
    pub moment: Option<u64>,
    /// A click on a lane: the pod (`namespace/name`), the moment, and the pod as it was then.
    pub on_pick: Callback<(String, u64, String)>,
}

/// The visible window: `span` milliseconds ending at `end` (None: follow the clock).
#[derive(Clone, Copy, PartialEq)]
struct Window {
    span: Option<u64>,
    end: Option<u64>,
}

fn state_class(s: &State) -> &'static str {
    match s {
        State::NoStatus => "tl-nostatus",
        State::Waiting { reason, .. } => match reason.as_str() {
            // Back-off waits (the kubelet holds off) look alike; errors stand out.
            "CrashLoopBackOff" | "ImagePullBackOff" => "tl-crashloop",
            "ContainerCreating" | "PodInitializing" => "tl-creating",
            _ => "tl-waiting-error",
        },
        State::Running { ready: true, .. } => "tl-ready",
        State::Running { .. } => "tl-running",
        State::Terminated { exit_code: 0, .. } => "tl-completed",
        State::Terminated { .. } => "tl-failed",
    }
}

/// Nice axis steps: about six labels whatever the zoom.
fn axis_step(span: u64) -> u64 {
    const STEPS: [u64; 14] = [
        1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
        7_200_000,
    ];
    STEPS.iter().copied().find(|s| span / s <= 8).unwrap_or(14_400_000)
}

struct Frame {
    start: u64,
    span: u64,
}

impl Frame {
    fn pct(&self, t: u64) -> f64 {
        (t as f64 - self.start as f64) / self.span as f64 * 100.0
    }
    fn visible(&self, from: u64, to: u64) -> bool {
        to >= self.start && from <= self.start + self.span
    }
    /// `left` and `width` of `[from, to)`, clipped to the window.
    fn place(&self, from: u64, to: u64) -> String {
        let l = self.pct(from).clamp(0.0, 100.0);
        let r = self.pct(to).clamp(0.0, 100.0);
        format!("left:{l:.3}%;width:{:.3}%", (r - l).max(0.0))
    }
    fn at(&self, t: u64) -> String {
        format!("left:{:.3}%", self.pct(t))
    }
}

/// Marks closer than a few pixels to the last one drawn of the same kind add nothing but DOM
/// nodes: keep one per 0.2 % of the window, and at most `MAX_MARKS`, the newest.
fn thin<'a, T, K: PartialEq>(
    marks: impl Iterator<Item = &'a T>,
    f: &Frame,
    key: impl Fn(&'a T) -> (u64, K),
) -> Vec<&'a T> {
    let gap = (f.span / 500).max(1);
    let mut out: Vec<&'a T> = Vec::new();
    let mut last: Vec<(u64, K)> = Vec::new();
    for m in marks {
        let (at, k) = key(m);
        match last.iter_mut().find(|(_, lk)| *lk == k) {
            Some((lat, _)) if at < *lat + gap => continue,
            Some((lat, _)) => *lat = at,
            None => last.push((at, k)),
        }
        out.push(m);
    }
    let skip = out.len().saturating_sub(MAX_MARKS);
    out.drain(..skip);
    out
}

#[allow(clippy::too_many_arguments)]
fn lane(
    t: &Texts,
    pod: &PodTimeline,
    c: &ContainerLane,
    f: &Frame,
    now: u64,
    moment: Option<u64>,
    on_pick: &Callback<(String, u64, String)>,
    index: &Rc<RefCell<Index>>,
    engine: &Engine,
) -> Html {
    let id = format!("{}/{}", pod.namespace, pod.name);
    let onclick = {
        let on_pick = on_pick.clone();
        let (ns, name, id) = (pod.namespace.clone(), pod.name.clone(), id.clone());
        let (start, span, created, end) = (f.start, f.span, pod.created, pod.end);
        let index = index.clone();
        let engine = engine.clone();
        Callback::from(move |e: MouseEvent| {
            // Yew delegates events to its root: find the lane's track from the clicked element.
            let Some(el) = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|t| t.closest(".tl-track").ok().flatten())
            else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            if rect.width() <= 0.0 {
                return;
            }
            let frac = ((e.client_x() as f64 - rect.left()) / rect.width()).clamp(0.0, 1.0);
            let at = (start as f64 + frac * span as f64).round() as u64;
            let at = at.clamp(created, end);
            let text = kubesim::timeline::pod_as_of(&index.borrow(), engine.0.borrow().store(), &ns, &name, at)
                .unwrap_or_default();
            on_pick.emit((id.clone(), at, text));
        })
    };
    let segs = c.segments.iter().filter(|s| f.visible(s.from, s.to)).map(|s| {
        let tip = format!(
            "{}\n{} – {} ({})",
            s.state.label(),
            format_clock(s.from),
            format_clock(s.to),
            duration(s.to - s.from)
        );
        html! { <div class={classes!("tl-seg", state_class(&s.state))} style={f.place(s.from, s.to)} title={tip}
        data-state={s.state.label()} data-from={s.from.to_string()} data-to={s.to.to_string()} /> }
    });
    let backoffs = c.backoffs.iter().filter(|b| f.visible(b.from, b.until)).map(|b| {
        let mut label = t.backoff.replace("{d}", &duration(b.backoff));
        let tip = format!("{label}\n{} – {}", format_clock(b.from), format_clock(b.until));
        if b.ongoing {
            label = format!("{label} · {}", countdown(t, b.until, now));
        }
        html! {
            <div class={classes!("tl-backoff", b.ongoing.then_some("ongoing"))} style={f.place(b.from, b.until)} title={tip}
                 data-testid="timeline-backoff" data-backoff={b.backoff.to_string()}>
                <span>{ label }</span>
            </div>
        }
    });
    let pulls = c.pulls.iter().filter(|p| f.visible(p.from, p.to)).map(|p| {
        let class = match p.ok {
            None => "pulling",
            Some(true) => "pulled",
            Some(false) => "pull-failed",
        };
        let tip = format!("{}\n{} – {}", t.pull.replace("{image}", &p.image), format_clock(p.from), format_clock(p.to));
        html! { <div class={classes!("tl-pull", class)} style={f.place(p.from, p.to)} title={tip} data-testid="timeline-pull" /> }
    });
    let restarts = c.restarts.iter().map(|r| {
        let tip = format!(
            "{} · {}\n{} {}",
            t.restart.replace("{n}", &r.count.to_string()),
            format_clock(r.at),
            r.reason,
            r.exit_code.map(|c| format!("(exit code {c})")).unwrap_or_default()
        );
        // Every restart gets its marker (hidden when outside the window) so they can be counted.
        let style = if f.visible(r.at, r.at) { f.at(r.at) } else { "display:none".to_string() };
        html! {
            <div class="tl-restart" {style} title={tip} data-testid="timeline-restart" data-count={r.count.to_string()}>
                <span>{ format!("↻{}", r.count) }</span>
            </div>
        }
    });
    let probes = thin(c.probes.iter().filter(|p| f.visible(p.at, p.at)), f, |p| (p.at, (p.kind, p.result)));
    let probes = probes.iter().map(|p| {
        let tip =
            format!("{} · {}", t.probe.replace("{kind}", p.kind).replace("{result}", p.result), format_clock(p.at));
        html! { <div class={classes!("tl-probe", p.kind, p.result.to_lowercase())} style={f.at(p.at)} title={tip}
        data-testid="timeline-probe" data-result={p.result} /> }
    });
    let events = thin(c.events.iter().filter(|e| f.visible(e.at, e.at)), f, |e| (e.at, (e.reason.as_str(), "")));
    let events = events.iter().map(|e| {
        let tip = format!("{} {} · {}\n{}", e.type_, e.reason, format_clock(e.at), e.message);
        html! { <div class={classes!("tl-event", (e.type_ == "Warning").then_some("warning"))} style={f.at(e.at)} title={tip}
                     data-testid="timeline-event" data-reason={e.reason.clone()} /> }
    });
    let live = c.next_restart.map(|until| countdown(t, until, now));
    html! {
        <div class="tl-lane" data-testid="timeline-lane" data-pod={id.clone()} data-container={c.name.clone()}>
            <div class="tl-label">
                <span class="tl-name">
                    if c.init { <span class="tl-init">{ t.init }</span> }
                    { &c.name }
                </span>
                if let Some(text) = live {
                    <span class="tl-countdown" data-testid="timeline-countdown">{ text }</span>
                }
            </div>
            <div class="tl-track" {onclick}>
                { for segs }
                { for backoffs }
                { for pulls }
                { for probes }
                { for events }
                { for restarts }
                if f.visible(now, now) { <div class="tl-now" style={f.at(now)} /> }
                if let Some(m) = moment.filter(|m| f.visible(*m, *m)) {
                    <div class="tl-moment" style={f.at(m)} data-testid="timeline-moment" />
                }
            </div>
        </div>
    }
}

#[function_component(Timeline)]
pub fn timeline(props: &Props) -> Html {
    let t = texts();
    let index = use_mut_ref(Index::default);
    let window = use_state(|| Window { span: None, end: None });
    let sim = props.engine.0.borrow();
    // A replaced simulation (rewind, Reset) has a new watch log: index it from the start.
    let generation = use_mut_ref(|| props.engine.generation());
    if *generation.borrow() != props.engine.generation() {
        *generation.borrow_mut() = props.engine.generation();
        *index.borrow_mut() = Index::default();
    }
    index.borrow_mut().update(sim.store());
    let now = sim.now();

    // Which pods get lanes: the selected one, then the first others (apiserver list order).
    let (pods, hidden) = {
        let idx = index.borrow();
        let mut chosen: Vec<(String, String)> = Vec::new();
        if let Some((ns, name)) = props.selected.as_deref().and_then(|s| s.split_once('/')) {
            chosen.push((ns.to_string(), name.to_string()));
        }
        let mut total = 0usize;
        for o in sim.store().list(kubesim::api::Kind::Pod, None) {
            total += 1;
            if chosen.len() < MAX_PODS && !chosen.iter().any(|(a, b)| *a == o.namespace() && *b == o.name()) {
                chosen.push((o.namespace().to_string(), o.name().to_string()));
            }
        }
        let pods: Vec<PodTimeline> = chosen.iter().filter_map(|(ns, name)| idx.pod(&sim, ns, name)).collect();
        let shown = pods.iter().filter(|p| p.deleted.is_none()).count();
        (pods, total.saturating_sub(shown))
    };
    drop(sim);

    // The window: follow the clock (the whole run, or the chosen span), or a fixed stretch.
    let first = pods.iter().map(|p| p.created).min().unwrap_or(0);
    // Leave room after `now` for the upcoming restart of a back-off being waited out.
    let ahead = pods.iter().flat_map(|p| p.containers.iter()).filter_map(|c| c.next_restart).max().unwrap_or(now);
    let fit_span = (now.max(ahead.min(now + now / 4)) - first).max(DEFAULT_SPAN);
    let span = window.span.unwrap_or(fit_span).max(MIN_SPAN);
    let end = window.end.unwrap_or(if window.span.is_none() { first + span } else { now.max(first + span) });
    let f = Frame { start: end.saturating_sub(span), span };

    let set = |w: Window| {
        let window = window.clone();
        Callback::from(move |_: MouseEvent| window.set(w))
    };
    let zoom = |factor: f64| {
        let s = ((span as f64 * factor) as u64).max(MIN_SPAN);
        // Zoom around the window's centre, or keep following the clock.
        let e = window.end.map(|e| e.saturating_sub(span / 2) + s / 2);
        set(Window { span: Some(s), end: e })
    };
    let pan = |forward: bool| {
        let step = span / 4;
        let e = if forward { end + step } else { end.saturating_sub(step).max(span) };
        // Panning to the present follows the clock again.
        let e = (e < now).then_some(e);
        set(Window { span: Some(span), end: e })
    };
    let onwheel = {
        let window = window.clone();
        Callback::from(move |e: WheelEvent| {
            if e.ctrl_key() || e.meta_key() {
                e.prevent_default();
                let s = if e.delta_y() < 0.0 { span / 2 } else { span * 2 }.max(MIN_SPAN);
                window.set(Window { span: Some(s), end: window.end });
            } else if e.shift_key() || e.delta_x().abs() > e.delta_y().abs() {
                e.prevent_default();
                let d = if e.shift_key() { e.delta_y() } else { e.delta_x() };
                let step = (span as f64 * 0.1 * d.signum()) as i64;
                let e2 = (end as i64 + step).max(span as i64) as u64;
                window.set(Window { span: Some(span), end: (e2 < now).then_some(e2) });
            }
        })
    };

    let step = axis_step(span);
    let ticks = (f.start.div_ceil(step)..=(f.start + span) / step).map(|i| i * step).filter(|at| {
        // Labels half cut off at the edges are left out.
        (2.0..=97.0).contains(&f.pct(*at))
    });
    let ticks = ticks.map(|at| {
        html! { <span class="tl-tick" style={f.at(at)}>{ format_clock(at) }</span> }
    });

    html! {
        <section class="timeline panel" data-testid="timeline">
            <div class="tl-head">
                <h2>{ t.title }</h2>
                <div class="tl-controls">
                    <button onclick={pan(false)} data-testid="timeline-earlier" title={t.earlier}>{ "◀" }</button>
                    <button onclick={zoom(0.5)} data-testid="timeline-zoom-in" title={t.zoom_in}>{ "+" }</button>
                    <button onclick={zoom(2.0)} data-testid="timeline-zoom-out" title={t.zoom_out}>{ "−" }</button>
                    <button onclick={pan(true)} data-testid="timeline-later" title={t.later}>{ "▶" }</button>
                    <button onclick={set(Window { span: None, end: None })} data-testid="timeline-fit">{ t.fit }</button>
                    <button onclick={set(Window { span: Some(span), end: None })} data-testid="timeline-now">{ t.now }</button>
                    <span class="tl-span">{ duration(span) }</span>
                </div>
            </div>
            <div class="tl-legend">
                { for ["tl-creating", "tl-ready", "tl-running", "tl-completed", "tl-failed", "tl-crashloop", "tl-waiting-error"]
                    .iter().zip(t.legend).map(|(class, label)| html! {
                        <span><i class={classes!("tl-swatch", *class)} />{ label }</span>
                    }) }
                { for ["startup", "liveness", "readiness"].iter().zip(t.probes).map(|(class, label)| html! {
                    <span><i class={classes!("tl-probe-key", *class)} />{ label }</span>
                }) }
            </div>
            if pods.is_empty() {
                <p class="hint">{ t.empty }</p>
            } else {
                <div class="tl-body" {onwheel}>
                    <div class="tl-axis"><div class="tl-label" /><div class="tl-track">{ for ticks }</div></div>
                    { for pods.iter().map(|p| {
                        let id = format!("{}/{}", p.namespace, p.name);
                        let selected = props.selected.as_deref() == Some(id.as_str());
                        let moment = if selected { props.moment } else { None };
                        html! {
                            <div class={classes!("tl-pod", selected.then_some("selected"), p.deleted.is_some().then_some("deleted"))}
                                 data-testid="timeline-pod" data-pod={id.clone()}>
                                <div class="tl-pod-name">
                                    { &p.name }
                                    { for p.events.iter().filter(|e| f.visible(e.at, e.at)).map(|e| html! {
                                        <span class={classes!("tl-pod-event", (e.type_ == "Warning").then_some("warning"))}
                                              title={format!("{} {} · {}\n{}", e.type_, e.reason, format_clock(e.at), e.message)}>
                                            { format!("{} {}", format_clock(e.at), e.reason) }
                                        </span>
                                    }) }
                                </div>
                                { for p.containers.iter().map(|c| lane(t, p, c, &f, now, moment, &props.on_pick, &index, &props.engine)) }
                            </div>
                        }
                    }) }
                    <p class="hint">
                        { t.pick }
                        if hidden > 0 { { " " } { t.more_pods.replace("{n}", &hidden.to_string()) } }
                    </p>
                </div>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_rounds_up_whole_seconds() {
        assert_eq!(countdown(&EN, 40_000, 3_000), "next restart in 37 s");
        assert_eq!(countdown(&KO, 40_000, 3_001), "다음 재시작까지 37초");
        assert_eq!(countdown(&EN, 40_000, 40_000), "next restart in 0 s");
    }

    #[test]
    fn durations_read_like_go() {
        assert_eq!(duration(10_000), "10s");
        assert_eq!(duration(300_000), "5m");
        assert_eq!(duration(150_000), "2m30s");
        assert_eq!(duration(1_500), "1.5s");
    }
}
