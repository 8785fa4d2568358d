//! The YAML editor: a plain `<textarea>` (so typing, selection, undo, paste and IME input are
//! the browser's own) over a highlighted copy of the lines in view, with a line-number gutter,
//! document separators, the engine's errors at their lines with did-you-mean fixes, and Apply /
//! Delete / Reset. The text autosaves to localStorage on every change, valid or not.
//!
//! Only the lines in view are rendered (plus a margin), so the cost of a keystroke does not grow
//! with the length of the text beyond one linear pass ([`Lines::new`]).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use kubesim::kubectl::delete_file::{deleted_line, Deleted};
use kubesim::kubectl::qualified;
use kubesim::manifest::{Fix, ManifestError};
use kubesim::Applied;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::yaml_lines::{tokens, Lines};
use crate::i18n::{use_lang, Lang};

pub const SAMPLE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.14.2
    ports:
    - containerPort: 80
";

/// localStorage key of the editor text.
pub const STORAGE_KEY: &str = "kube-playground.editor";
/// Must match `.code-editor` in style.css (line-height and padding, in CSS pixels).
const LINE_PX: f64 = 20.0;
const PAD_PX: f64 = 8.0;
/// Lines rendered above and below the visible ones, so fast scrolling shows no gap.
const OVERSCAN: usize = 20;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Applies the text and returns the engine's result per document.
    pub on_apply: Callback<String, Vec<Applied>>,
    /// `kubectl delete -f` of the text.
    pub on_delete: Callback<String, Vec<Deleted>>,
    /// A new, empty cluster.
    pub on_reset: Callback<()>,
    /// Text to put into the editor (a lesson's manifests), with a number that changes for each
    /// new request.
    #[prop_or_default]
    pub load: Option<(u64, Rc<String>)>,
}

/// What the result area shows: the last action's outcome, kept as data so it re-renders in the
/// current language.
#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Applied(Rc<Vec<Applied>>),
    Deleted(Rc<Vec<Deleted>>),
    Reset,
    Empty,
}

/// One line of the result area.
struct Row<'a> {
    ok: bool,
    text: String,
    /// The manifest error behind an error row (for its line and fixes).
    error: Option<&'a ManifestError>,
}

fn rows(outcome: &Outcome, lang: Lang) -> Vec<Row<'_>> {
    let t = lang.t();
    let ok = |text: String| Row { ok: true, text, error: None };
    let invalid = |e: &ManifestError| {
        let mut where_ = lang.document(e.document);
        if let Some(i) = e.item {
            where_.push_str(&format!(", items[{i}]"));
        }
        if let (Some(l), Some(c)) = (e.line, e.column) {
            where_.push_str(&format!(", {}", lang.line_column(l, c)));
        }
        format!("{where_}: {}", lang.pick(&e.message, &e.message_ko))
    };
    match outcome {
        Outcome::None => Vec::new(),
        Outcome::Reset => vec![ok(t.reset_done.to_string())],
        Outcome::Empty => vec![Row { ok: false, text: t.editor_empty.to_string(), error: None }],
        Outcome::Applied(results) => results
            .iter()
            .map(|r| match r {
                Applied::Created(k) => ok(format!("{}/{} created", qualified(k.kind), k.name)),
                Applied::Configured(k) => ok(format!("{}/{} configured", qualified(k.kind), k.name)),
                Applied::Unchanged(k) => ok(format!("{}/{} unchanged", qualified(k.kind), k.name)),
                Applied::Invalid(e) => Row { ok: false, text: invalid(e), error: Some(e) },
                // The apiserver's answer, as kubectl prints it (English on every cluster).
                Applied::Rejected(e) => Row { ok: false, text: e.to_string(), error: None },
            })
            .collect(),
        Outcome::Deleted(results) => results
            .iter()
            .map(|r| match r {
                Deleted::Deleted(k) => ok(deleted_line(k)),
                Deleted::Failed(_, e) => Row { ok: false, text: e.to_string(), error: None },
                Deleted::Invalid(e) => Row { ok: false, text: invalid(e), error: Some(e) },
            })
            .collect(),
    }
}

/// Lines (1-based) with an error, and the message shown in the gutter's tooltip.
fn error_lines(outcome: &Outcome, lang: Lang) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    let errors: Vec<&ManifestError> = match outcome {
        Outcome::Applied(r) => {
            r.iter().filter_map(|a| if let Applied::Invalid(e) = a { Some(e) } else { None }).collect()
        }
        Outcome::Deleted(r) => {
            r.iter().filter_map(|d| if let Deleted::Invalid(e) = d { Some(e) } else { None }).collect()
        }
        _ => Vec::new(),
    };
    for e in errors {
        if e.causes.is_empty() {
            if let Some(l) = e.line {
                out.entry(l).or_insert_with(|| lang.pick(&e.message, &e.message_ko).to_string());
            }
        }
        for c in &e.causes {
            if let Some(l) = c.line {
                out.entry(l).or_insert_with(|| lang.pick(&c.message, &c.message_ko).to_string());
            }
        }
    }
    out
}

/// UTF-16 offset (what the textarea's selection uses) of a byte offset of `text`.
fn utf16_at(text: &str, byte: usize) -> u32 {
    text.get(..byte).map_or(0, |s| s.encode_utf16().count()) as u32
}

/// Where a fix applies in `text`: the byte range of `from` on its line, at its column if the
/// text is still as it was, else its first occurrence on that line.
fn fix_range(text: &str, lines: &Lines, fix: &Fix) -> Option<(usize, usize)> {
    let i = fix.line.checked_sub(1)?;
    let line = lines.line(text, i);
    let start = *lines.starts.get(i)?;
    let at_col = line.char_indices().nth(fix.column.saturating_sub(1)).map(|(b, _)| b);
    let pos = at_col
        .filter(|&b| line[b..].starts_with(&fix.from))
        .or_else(|| at_col.and_then(|b| line[b..].find(&fix.from).map(|p| p + b)))
        .or_else(|| line.find(&fix.from))?;
    Some((start + pos, start + pos + fix.from.len()))
}

fn textarea(node: &NodeRef) -> Option<HtmlTextAreaElement> {
    node.cast::<HtmlTextAreaElement>()
}

/// Replaces `[start, end)` (UTF-16) with `with` as if typed, so Ctrl+Z undoes it; falls back to
/// `setRangeText` where `insertText` is not available. Either way an `input` event follows.
fn replace_range(ta: &HtmlTextAreaElement, start: u32, end: u32, with: &str) {
    let _ = ta.focus();
    let _ = ta.set_selection_range(start, end);
    let doc = web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok());
    let inserted =
        doc.is_some_and(|d| d.exec_command_with_show_ui_and_value("insertText", false, with).unwrap_or(false));
    if !inserted {
        let _ = ta.set_range_text_with_start_and_end_and_mode(with, start, end, "end");
        if let Ok(ev) = web_sys::Event::new_with_event_init_dict("input", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        }) {
            let _ = ta.dispatch_event(&ev);
        }
    }
}

/// Puts the caret at the start of `line` (1-based) and scrolls it into the upper third.
fn go_to_line(ta: &HtmlTextAreaElement, text: &str, lines: &Lines, line: usize) {
    let Some(&byte) = lines.starts.get(line.saturating_sub(1)) else { return };
    let at = utf16_at(text, byte);
    let _ = ta.focus();
    let _ = ta.set_selection_range(at, at);
    let top = (line.saturating_sub(1) as f64 * LINE_PX - ta.client_height() as f64 / 3.0).max(0.0);
    ta.set_scroll_top(top as i32);
}

#[derive(Clone, Copy, PartialEq)]
struct Viewport {
    top: f64,
    left: f64,
    height: f64,
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let lang = use_lang();
    let t = lang.t();
    let text = use_state(|| Rc::new(crate::storage::get(STORAGE_KEY).unwrap_or_else(|| SAMPLE.to_string())));
    let saved = use_state(|| true);
    let outcome = use_state(|| Outcome::None);
    // Fixes already applied since the last Apply/Delete: (error index, fix index).
    let applied_fixes = use_state(BTreeSet::<(usize, usize)>::new);
    let view = use_state(|| Viewport { top: 0.0, left: 0.0, height: 800.0 });
    let node = use_node_ref();
    let lines = use_memo(text.clone(), |t| Lines::new(t));

    // The textarea is uncontrolled (the browser owns caret, selection and undo): its first value
    // is set once, later changes come from typing or from `replace_range`.
    {
        let node = node.clone();
        let text = text.clone();
        let view = view.clone();
        use_effect_with((), move |_| {
            if let Some(ta) = textarea(&node) {
                ta.set_value(&text);
                view.set(Viewport { top: 0.0, left: 0.0, height: ta.client_height() as f64 });
            }
        });
    }

    // A lesson's manifests replace the text (saved like typing; the old results no longer apply).
    {
        let node = node.clone();
        let text = text.clone();
        let saved = saved.clone();
        let outcome = outcome.clone();
        let load = props.load.clone();
        use_effect_with(props.load.as_ref().map(|(n, _)| *n), move |_| {
            if let (Some((_, new)), Some(ta)) = (load, textarea(&node)) {
                ta.set_value(&new);
                ta.set_scroll_top(0);
                saved.set(crate::storage::set(STORAGE_KEY, &new));
                text.set(new);
                outcome.set(Outcome::None);
            }
        });
    }

    let sync_view = {
        let view = view.clone();
        move |ta: &HtmlTextAreaElement| {
            let v = Viewport {
                top: ta.scroll_top() as f64,
                left: ta.scroll_left() as f64,
                height: ta.client_height() as f64,
            };
            if v != *view {
                view.set(v);
            }
        }
    };
    let oninput = {
        let text = text.clone();
        let saved = saved.clone();
        let sync_view = sync_view.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            let value = ta.value();
            // Saved before anything else can fail: nothing typed is lost, valid YAML or not.
            let ok = crate::storage::set(STORAGE_KEY, &value);
            if ok != *saved {
                saved.set(ok);
            }
            text.set(Rc::new(value));
            sync_view(&ta);
        })
    };
    let onscroll = {
        let sync_view = sync_view.clone();
        Callback::from(move |e: Event| sync_view(&e.target_unchecked_into()))
    };

    let apply = {
        let text = text.clone();
        let outcome = outcome.clone();
        let applied_fixes = applied_fixes.clone();
        let on_apply = props.on_apply.clone();
        move || {
            applied_fixes.set(BTreeSet::new());
            if text.trim().is_empty() {
                outcome.set(Outcome::Empty);
            } else {
                outcome.set(Outcome::Applied(Rc::new(on_apply.emit((**text).clone()))));
            }
        }
    };
    let on_apply_click = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply())
    };
    let on_delete_click = {
        let text = text.clone();
        let outcome = outcome.clone();
        let applied_fixes = applied_fixes.clone();
        let on_delete = props.on_delete.clone();
        Callback::from(move |_: MouseEvent| {
            applied_fixes.set(BTreeSet::new());
            if text.trim().is_empty() {
                outcome.set(Outcome::Empty);
            } else {
                outcome.set(Outcome::Deleted(Rc::new(on_delete.emit((**text).clone()))));
            }
        })
    };
    let on_reset_click = {
        let outcome = outcome.clone();
        let on_reset = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| {
            on_reset.emit(());
            outcome.set(Outcome::Reset);
        })
    };
    // Ctrl+Enter (⌘+Enter on a Mac) applies from anywhere in the editor panel.
    let onkeydown = {
        let apply = apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                apply();
            }
        })
    };

    let errors = error_lines(&outcome, lang);
    // Errors first: with many documents, the one that failed must not hide below the fold.
    let mut rows = rows(&outcome, lang);
    kubesim::sorting::sort_by_key(&mut rows, |r| r.ok);

    // The window of lines to render.
    let n = lines.len();
    let first = (((view.top - PAD_PX) / LINE_PX).floor().max(0.0) as usize).saturating_sub(OVERSCAN).min(n);
    let count = (view.height / LINE_PX).ceil() as usize + 2 * OVERSCAN + 1;
    let last = (first + count).min(n);
    let shift = first as f64 * LINE_PX + PAD_PX;
    let code_style = format!("transform: translate({}px, {}px)", -view.left, shift - view.top);
    let gutter_style = format!("transform: translateY({}px)", shift - view.top);

    let code_lines = (first..last).map(|i| {
        let line = lines.line(&text, i);
        let sep = lines.separator[i];
        let even = lines.doc[i] % 2 == 0;
        let err = errors.contains_key(&(i + 1));
        html! {
            <div class={classes!("cl", sep.then_some("doc-sep"), even.then_some("doc-even"), err.then_some("err-line"))}>
                { for tokens(line, lines.block[i]).into_iter().map(|(tok, s)| html! { <span class={tok.class()}>{ s }</span> }) }
                if sep && line.starts_with("---") {
                    <span class="doc-label">{ lang.document(lines.doc[i] as usize) }</span>
                }
            </div>
        }
    });
    let gutter_lines = (first..last).map(|i| {
        let msg = errors.get(&(i + 1));
        html! {
            <div class={classes!("gl", msg.is_some().then_some("err"), lines.separator[i].then_some("doc-sep"))}
                 title={msg.cloned()} data-line={(i + 1).to_string()}>
                { i + 1 }
            </div>
        }
    });

    let result_items = rows.iter().enumerate().map(|(ri, row)| {
        if row.ok {
            return html! { <li class="ok">{ &row.text }</li> };
        }
        let line = row.error.and_then(|e| e.line);
        let go = line.map(|l| {
            let node = node.clone();
            let text = text.clone();
            let lines = lines.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Some(ta) = textarea(&node) {
                    go_to_line(&ta, &text, &lines, l);
                }
            });
            html! { <button class="link" data-testid="go-to-line" title={t.go_to_line} {onclick}>{ lang.line(l) }</button> }
        });
        let fixes = row.error.map(|e| e.fixes.as_slice()).unwrap_or_default().iter().enumerate().filter(|(fi, _)| !applied_fixes.contains(&(ri, *fi)));
        let fixes = fixes.map(|(fi, fix)| {
            let node = node.clone();
            let text = text.clone();
            let lines = lines.clone();
            let applied_fixes = applied_fixes.clone();
            let fix_c = fix.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                let (Some(ta), Some((s, e))) = (textarea(&node), fix_range(&text, &lines, &fix_c)) else { return };
                replace_range(&ta, utf16_at(&text, s), utf16_at(&text, e), &fix_c.to);
                let mut done = (*applied_fixes).clone();
                done.insert((ri, fi));
                applied_fixes.set(done);
            });
            html! {
                <button class="fix" data-testid="fix-button" data-from={fix.from.clone()} data-to={fix.to.clone()}
                        title={lang.fix_title(fix.line, &fix.from, &fix.to)} {onclick}>
                    { lang.fix_label(&fix.from, &fix.to) }
                </button>
            }
        });
        html! {
            <li class="error" data-testid="editor-error" data-line={line.map(|l| l.to_string()).unwrap_or_default()}>
                <span class="msg">{ &row.text }</span>
                <span class="error-actions">{ for go }{ for fixes }</span>
            </li>
        }
    });

    html! {
        <section class="editor panel" aria-labelledby="editor-heading" {onkeydown}>
            <div class="panel-head">
                <h2 id="editor-heading">{ t.editor_heading }</h2>
                <span class="editor-meta" data-testid="editor-meta">
                    { lang.lines_count(n) }
                    { " · " }
                    <span data-testid="autosave-status" class={classes!(if *saved { "saved" } else { "not-saved" })}>
                        { if *saved { t.saved } else { t.not_saved } }
                    </span>
                </span>
            </div>
            <div class="code-editor" data-testid="code-editor">
                <div class="gutter" aria-hidden="true" style={format!("width: {}px", 22 + 8 * n.to_string().len().max(2))}>
                    <div class="gutter-lines" style={gutter_style}>{ for gutter_lines }</div>
                </div>
                <div class="code-area">
                    <div class="code-layer" aria-hidden="true" data-testid="code-layer">
                        <div class="code-lines" style={code_style}>{ for code_lines }</div>
                    </div>
                    <textarea id="yaml-editor" data-testid="yaml-editor" ref={node.clone()} wrap="off" spellcheck="false"
                              autocomplete="off" autocapitalize="off" aria-label={t.editor_label}
                              aria-describedby="editor-shortcut" placeholder={t.editor_placeholder}
                              {oninput} {onscroll} />
                </div>
            </div>
            <div class="editor-actions">
                <button class="primary" data-testid="apply-button" title={t.apply_title} onclick={on_apply_click}>{ t.apply }</button>
                <button data-testid="delete-button" title={t.delete_title} onclick={on_delete_click}>{ t.delete }</button>
                <button data-testid="reset-button" title={t.reset_title} onclick={on_reset_click}>{ t.reset }</button>
                <span class="shortcut" id="editor-shortcut">{ t.shortcut_hint }</span>
            </div>
            <ul class="apply-results" data-testid="apply-results" aria-live="polite" aria-label={t.results_label}>
                if rows.is_empty() {
                    <li class="placeholder">{ t.results_empty }</li>
                }
                { for result_items }
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_find_their_word() {
        let text = "kind: Pod\nmetadata:\n  lables:\n    a: b\n";
        let lines = Lines::new(text);
        let fix = Fix { line: 3, column: 3, from: "lables".into(), to: "labels".into() };
        let (s, e) = fix_range(text, &lines, &fix).unwrap();
        assert_eq!(&text[s..e], "lables");
        // The line moved its word since (an edit before it on the line): found anyway.
        let text2 = "kind: Pod\nmetadata:\n    lables:\n    a: b\n";
        let (s, e) = fix_range(text2, &Lines::new(text2), &fix).unwrap();
        assert_eq!(&text2[s..e], "lables");
        // Gone: no range.
        let text3 = "kind: Pod\nmetadata:\n  labels:\n";
        assert_eq!(fix_range(text3, &Lines::new(text3), &fix), None);
        // Non-ASCII before the word: UTF-16 offsets for the textarea.
        assert_eq!(utf16_at("한글 a", "한글 ".len()), 3);
    }
}
