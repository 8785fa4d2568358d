//! The Share button: a link that holds the whole session (see `crate::share`), shown in a small
//! panel with Copy; and the notice an opened link leaves (opened at a time, or why it could not
//! be read).

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::time_bar::format_clock;
use crate::i18n::{use_lang, TimeTexts};
use crate::share::LinkError;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Makes the link now: `Some((link, at))`, or `None` when the session is too big for one.
    pub make_link: Callback<(), Option<(String, u64)>>,
}

#[derive(Clone, PartialEq)]
enum Panel {
    Closed,
    Link { link: String, at: u64, copied: bool },
    TooBig,
}

#[function_component(ShareButton)]
pub fn share_button(props: &Props) -> Html {
    let tt = use_lang().time();
    let panel = use_state(|| Panel::Closed);
    let input = use_node_ref();
    let open = {
        let (panel, make) = (panel.clone(), props.make_link.clone());
        Callback::from(move |_| {
            panel.set(match make.emit(()) {
                Some((link, at)) => Panel::Link { link, at, copied: false },
                None => Panel::TooBig,
            })
        })
    };
    let close = {
        let panel = panel.clone();
        Callback::from(move |_| panel.set(Panel::Closed))
    };
    // Selected as soon as it shows, so Ctrl+C copies it.
    {
        let input = input.clone();
        use_effect_with((*panel).clone(), move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.select();
            }
        });
    }
    let copy = {
        let (panel, input) = (panel.clone(), input.clone());
        Callback::from(move |_| {
            let Some(el) = input.cast::<HtmlInputElement>() else { return };
            el.select();
            let copied = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
                .and_then(|d| d.exec_command("copy").ok())
                .unwrap_or(false);
            if let Panel::Link { link, at, .. } = &*panel {
                panel.set(Panel::Link { link: link.clone(), at: *at, copied });
            }
        })
    };
    html! {
        <div class="share">
            <button data-testid="share-button" onclick={open} title={tt.share_title}>{ tt.share }</button>
            { match &*panel {
                Panel::Closed => html! {},
                Panel::TooBig => html! {
                    <div class="share-panel" role="dialog" aria-label={tt.share}>
                        <p class="share-error" data-testid="share-too-big">{ tt.share_too_big }</p>
                        <button onclick={close}>{ tt.close }</button>
                    </div>
                },
                Panel::Link { link, at, copied } => html! {
                    <div class="share-panel" role="dialog" aria-label={tt.share}>
                        <label class="share-row">
                            <span>{ tt.share_link_label }</span>
                            <input data-testid="share-link" ref={input} type="text" readonly=true value={link.clone()} />
                        </label>
                        <div class="share-row">
                            <span class="share-note">{ tt.share_size.replace("{n}", &link.len().to_string()).replace("{t}", &format_clock(*at)) }</span>
                            <button data-testid="share-copy" onclick={copy}>{ if *copied { tt.share_copied } else { tt.share_copy } }</button>
                            <button data-testid="share-close" onclick={close}>{ tt.close }</button>
                        </div>
                    </div>
                },
            } }
        </div>
    }
}

/// What opening the page from a link did, shown until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkNotice {
    Opened(u64),
    Failed(LinkError),
}

fn notice_text(tt: &TimeTexts, n: &LinkNotice) -> String {
    match n {
        LinkNotice::Opened(at) => tt.link_opened.replace("{t}", &format_clock(*at)),
        LinkNotice::Failed(e) => {
            let why = match e {
                LinkError::Damaged => tt.link_damaged.to_string(),
                LinkError::Truncated => tt.link_truncated.to_string(),
                LinkError::TooBig => tt.link_too_big.to_string(),
                LinkError::Newer(v) => tt.link_newer.replace("{n}", &v.to_string()),
                LinkError::TooLong => tt.link_too_long.to_string(),
                LinkError::Invalid(m) => tt.link_invalid.replace("{e}", m),
            };
            format!("{why} {}", tt.link_empty)
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: LinkNotice,
    pub on_close: Callback<()>,
}

#[function_component(LinkNoticeBar)]
pub fn link_notice_bar(props: &NoticeProps) -> Html {
    let tt = use_lang().time();
    let failed = matches!(props.notice, LinkNotice::Failed(_));
    let (id, kind) = match &props.notice {
        LinkNotice::Opened(_) => ("share-opened", "opened"),
        LinkNotice::Failed(LinkError::Damaged) => ("share-error", "damaged"),
        LinkNotice::Failed(LinkError::Truncated) => ("share-error", "truncated"),
        LinkNotice::Failed(LinkError::TooBig) => ("share-error", "too-big"),
        LinkNotice::Failed(LinkError::Newer(_)) => ("share-error", "newer"),
        LinkNotice::Failed(LinkError::TooLong) => ("share-error", "too-long"),
        LinkNotice::Failed(LinkError::Invalid(_)) => ("share-error", "invalid"),
    };
    html! {
        <div class={classes!("link-notice", failed.then_some("failed"))} data-testid={id} data-kind={kind}
             role={if failed { "alert" } else { "status" }}>
            <span>{ notice_text(tt, &props.notice) }</span>
            <button data-testid="link-notice-close" onclick={props.on_close.reform(|_| ())}>{ tt.close }</button>
        </div>
    }
}
