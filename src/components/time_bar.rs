//! The time bar: the virtual clock, play/pause and speed.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub now: u64,
    pub playing: bool,
    pub speed: u64,
    pub on_play: Callback<bool>,
    pub on_speed: Callback<u64>,
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

const SPEEDS: [u64; 6] = [1, 2, 5, 10, 30, 60];

#[function_component(TimeBar)]
pub fn time_bar(props: &Props) -> Html {
    let t = use_lang().t();
    let play = {
        let cb = props.on_play.clone();
        Callback::from(move |_| cb.emit(true))
    };
    let pause = {
        let cb = props.on_play.clone();
        Callback::from(move |_| cb.emit(false))
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            cb.emit(v.parse().unwrap_or(1));
        })
    };
    html! {
        <div class="time-bar">
            <span class="clock" data-testid="clock" title={t.clock_title}>{ format_clock(props.now) }</span>
            if props.playing {
                <button data-testid="time-pause" onclick={pause}>{ t.pause }</button>
            } else {
                <button data-testid="time-play" onclick={play}>{ t.play }</button>
            }
            <label>
                { t.speed }{ " " }
                <select data-testid="time-speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}
