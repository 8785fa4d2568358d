//! The time bar: the virtual clock, play/pause, step to the next event, +1/+5 minutes, speed
//! ([`TimeBar`], in the top bar); and the scrubber that goes back to any earlier moment, with the
//! Live / rewound indicator ([`Scrubber`], the row under it).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub now: u64,
    /// Before the end of the recording (the clock shows it too).
    pub rewound: bool,
    pub playing: bool,
    pub speed: u64,
    /// When Step would land (the next wake-up or recorded action).
    pub next: Option<u64>,
    pub on_play: Callback<bool>,
    pub on_speed: Callback<u64>,
    pub on_step: Callback<()>,
    /// Moves time forward by this many milliseconds.
    pub on_jump: Callback<u64>,
}

/// `mm:ss` (or `h:mm:ss`) of virtual time.
pub fn format_clock(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `mm:ss` with the milliseconds when there are some (`00:02.350`): where Step lands.
pub fn format_precise(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format_clock(ms)
    } else {
        format!("{}.{:03}", format_clock(ms), ms % 1000)
    }
}

pub const SPEEDS: [u64; 6] = [1, 2, 5, 10, 30, 60];

const MINUTE: u64 = 60_000;

#[function_component(TimeBar)]
pub fn time_bar(props: &Props) -> Html {
    let lang = use_lang();
    let (t, tt) = (lang.t(), lang.time());
    let play = props.on_play.reform(|_| true);
    let pause = props.on_play.reform(|_| false);
    let step = props.on_step.reform(|_| ());
    let jump_1m = props.on_jump.reform(|_| MINUTE);
    let jump_5m = props.on_jump.reform(|_| 5 * MINUTE);
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            cb.emit(v.parse().unwrap_or(1));
        })
    };
    let step_title = match props.next {
        Some(n) => tt.step_title.replace("{t}", &format_precise(n)),
        None => tt.step_none.to_string(),
    };
    html! {
        <div class="time-bar">
            <span class={classes!("clock", props.rewound.then_some("rewound"))} data-testid="clock" data-ms={props.now.to_string()}
                  title={format!("{} {}", t.clock_title, format_precise(props.now))}>{ format_clock(props.now) }</span>
            if props.playing {
                <button data-testid="time-pause" onclick={pause}>{ t.pause }</button>
            } else {
                <button data-testid="time-play" onclick={play}>{ t.play }</button>
            }
            <button data-testid="time-step" class="small" onclick={step} title={step_title} disabled={props.next.is_none()}
                    data-next={props.next.map(|n| n.to_string())}>{ tt.step }</button>
            <button data-testid="time-jump-1m" class="small" onclick={jump_1m}
                    title={tt.jump_title.replace("{t}", "1m")}>{ tt.jump_1m }</button>
            <button data-testid="time-jump-5m" class="small" onclick={jump_5m}
                    title={tt.jump_title.replace("{t}", "5m")}>{ tt.jump_5m }</button>
            <label>
                <span class="speed-label">{ t.speed }</span>
                <select data-testid="time-speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScrubProps {
    pub now: u64,
    /// The end of the recording.
    pub head: u64,
    /// Times of the recorded actions (ticks on the track).
    pub steps: Vec<u64>,
    /// Recorded actions after now (when rewound).
    pub later: usize,
    /// How many later actions the last action after a rewind discarded.
    pub discarded: Option<usize>,
    /// Goes to a moment (earlier: rebuilt by replay; later: played on).
    pub on_seek: Callback<u64>,
    /// The thumb was grabbed: time stops so it does not run away under the pointer.
    pub on_grab: Callback<()>,
}

#[function_component(Scrubber)]
pub fn scrubber(props: &ScrubProps) -> Html {
    let tt = use_lang().time();
    let rewound = props.now < props.head;
    let on_change = {
        let cb = props.on_seek.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
            if v.is_finite() && v >= 0.0 {
                cb.emit(v.round() as u64);
            }
        })
    };
    let live = {
        let (cb, head) = (props.on_seek.clone(), props.head);
        Callback::from(move |_| cb.emit(head))
    };
    // The keyboard moves by whole seconds (the range itself counts milliseconds): ←/→ 1 s,
    // Shift 10 s, Page Up/Down 1 min, Home the start, End the end of the recording.
    let on_key = {
        let (cb, grab, now, head) = (props.on_seek.clone(), props.on_grab.clone(), props.now, props.head);
        Callback::from(move |e: KeyboardEvent| {
            let by = if e.shift_key() { 10_000 } else { 1_000 };
            let to = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => now.saturating_sub(by),
                "ArrowRight" | "ArrowUp" => now.saturating_add(by).min(head),
                "PageDown" => now.saturating_sub(MINUTE),
                "PageUp" => now.saturating_add(MINUTE).min(head),
                "Home" => 0,
                "End" => head,
                _ => return,
            };
            e.prevent_default();
            grab.emit(());
            cb.emit(to);
        })
    };
    let on_grab = props.on_grab.reform(|_: PointerEvent| ());
    let span = props.head.max(1) as f64;
    html! {
        <div class={classes!("scrub-row", rewound.then_some("rewound"))} data-testid="time-scrub-row"
             data-head={props.head.to_string()} data-rewound={rewound.to_string()}>
            <span class="scrub-end">{ "00:00" }</span>
            <div class="scrub-track" title={tt.recorded.replace("{n}", &props.steps.len().to_string())}>
                <input type="range" data-testid="time-scrub" aria-label={tt.scrub_label} title={tt.scrub_label}
                       min="0" max={props.head.to_string()} step="1" value={props.now.to_string()}
                       onchange={on_change} onkeydown={on_key} onpointerdown={on_grab} />
                { for props.steps.iter().map(|at| html! {
                    <span class="scrub-tick" aria-hidden="true" style={format!("left: {:.3}%", *at as f64 / span * 100.0)}></span>
                }) }
            </div>
            <span class="scrub-end">{ format_clock(props.head) }</span>
            if rewound {
                <span class="rewound-tag">{ tt.rewound_tag }</span>
                <span class="rewound-badge" data-testid="time-rewound" role="status">
                    { tt.rewound.replace("{t}", &format_clock(props.now)).replace("{head}", &format_clock(props.head)) }
                    { " " }
                    { if props.later > 0 { tt.rewound_later.replace("{n}", &props.later.to_string()) } else { tt.rewound_none.to_string() } }
                </span>
                <button data-testid="time-live" onclick={live}>{ tt.back_to_live.replace("{t}", &format_clock(props.head)) }</button>
            } else {
                <span class="live-badge" data-testid="time-live-badge" title={tt.live_title}>{ tt.live }</span>
                if let Some(n) = props.discarded {
                    <span class="discarded" data-testid="time-discarded" role="status">
                        { tt.discarded.replace("{n}", &n.to_string()).replace("{t}", &format_clock(props.now)) }
                    </span>
                }
            }
        </div>
    }
}
