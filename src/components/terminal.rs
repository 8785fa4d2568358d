//! The terminal: a kubectl prompt running the engine's kubectl, so its output is exactly what
//! the `kubesim` CLI prints (one `Session`: `port-forward`, then `curl localhost:PORT`). History with ↑/↓ (kept for the browser tab's session, so neither a
//! language switch nor a reload loses it), Tab completion from the engine
//! (`kubectl::complete::complete`: verbs, flags, resource types, names in the store; several
//! candidates are listed under the output as a shell lists them), `clear`, and `get -w` streaming
//! as time runs.

use kubesim::kubectl::complete::{complete, Completion};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::Engine;
use crate::i18n::use_lang;

/// sessionStorage key of the command history (one command per line).
const HISTORY_KEY: &str = "kube-playground.history";
/// Commands kept in the history.
const HISTORY_LIMIT: usize = 500;
/// The terminal's own command (not kubectl's), offered by completion too.
const CLEAR: &str = "clear";

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Everything printed so far (commands and their output).
    pub output: String,
    /// Runs one line (`clear` included) and returns nothing; the app appends to `output`.
    pub on_command: Callback<String>,
    /// The engine, read by Tab completion.
    pub engine: Engine,
}

fn load_history() -> Vec<String> {
    crate::storage::session_get(HISTORY_KEY)
        .map(|s| s.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

fn save_history(history: &[String]) {
    crate::storage::session_set(HISTORY_KEY, &history.join("\n"));
}

/// The byte offset of a UTF-16 position (what `selectionStart` counts).
fn utf16_to_byte(s: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in s.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16() as u32;
    }
    s.len()
}

/// Where ↑/↓ stand in the history: `index == history.len()` is the line being typed (`draft`).
#[derive(Default)]
struct Recall {
    index: usize,
    draft: String,
}

#[function_component(Terminal)]
pub fn terminal(props: &Props) -> Html {
    let t = use_lang().t();
    let input = use_state(String::new);
    let history = use_mut_ref(load_history);
    let recall = {
        let len = history.borrow().len();
        use_mut_ref(move || Recall { index: len, draft: String::new() })
    };
    let candidates = use_state(Vec::<String>::new);
    // A caret position (UTF-16) to restore after the next render (completion mid-line).
    let caret = use_mut_ref(|| None::<u32>);
    let output_ref = use_node_ref();
    let input_ref = use_node_ref();

    // Keep the newest output in view.
    {
        let output_ref = output_ref.clone();
        use_effect_with((props.output.len(), candidates.len()), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    {
        let caret = caret.clone();
        let input_ref = input_ref.clone();
        use_effect(move || {
            if let (Some(pos), Some(el)) = (caret.borrow_mut().take(), input_ref.cast::<HtmlInputElement>()) {
                let _ = el.set_selection_range(pos, pos);
            }
        });
    }

    let oninput = {
        let input = input.clone();
        let candidates = candidates.clone();
        Callback::from(move |e: InputEvent| {
            input.set(e.target_unchecked_into::<HtmlInputElement>().value());
            if !candidates.is_empty() {
                candidates.set(Vec::new());
            }
        })
    };
    // Esc was the last key: the next Tab leaves the terminal instead of completing.
    let released = use_mut_ref(|| false);
    let onkeydown = {
        let input = input.clone();
        let history = history.clone();
        let recall = recall.clone();
        let candidates = candidates.clone();
        let caret = caret.clone();
        let input_ref = input_ref.clone();
        let engine = props.engine.clone();
        let on_command = props.on_command.clone();
        let released = released.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                let line = (*input).trim().to_string();
                {
                    let mut h = history.borrow_mut();
                    if !line.is_empty() && h.last() != Some(&line) {
                        h.push(line.clone());
                        let excess = h.len().saturating_sub(HISTORY_LIMIT);
                        h.drain(..excess);
                        save_history(&h);
                    }
                    *recall.borrow_mut() = Recall { index: h.len(), draft: String::new() };
                }
                input.set(String::new());
                candidates.set(Vec::new());
                on_command.emit(line);
            }
            "ArrowUp" | "ArrowDown" => {
                e.prevent_default();
                let h = history.borrow();
                let mut r = recall.borrow_mut();
                if r.index >= h.len() {
                    r.index = h.len();
                    r.draft = (*input).clone();
                }
                if e.key() == "ArrowUp" {
                    r.index = r.index.saturating_sub(1);
                } else {
                    r.index = (r.index + 1).min(h.len());
                }
                let line = h.get(r.index).cloned().unwrap_or_else(|| r.draft.clone());
                *caret.borrow_mut() = Some(line.encode_utf16().count() as u32);
                input.set(line);
                candidates.set(Vec::new());
            }
            // Tab completes, but is no keyboard trap: Shift+Tab, Tab on an empty line and Tab
            // right after Esc move the focus on as anywhere else on the page.
            "Tab" if e.shift_key() || (*input).trim().is_empty() || std::mem::take(&mut *released.borrow_mut()) => {}
            "Tab" => {
                e.prevent_default();
                let Some(el) = input_ref.cast::<HtmlInputElement>() else { return };
                let line = el.value();
                let at = el.selection_start().ok().flatten().map(|u| utf16_to_byte(&line, u)).unwrap_or(line.len());
                let mut c: Completion = complete(&engine.0.borrow(), &line, at);
                if c.start == 0 && CLEAR.starts_with(&line[..c.end]) && !line[..c.end].is_empty() {
                    c.candidates.push(CLEAR.to_string());
                    kubesim::sorting::sort(&mut c.candidates);
                }
                let word = &line[c.start..c.end];
                let rest = &line[c.end..];
                let insert = match c.candidates.as_slice() {
                    [] => None,
                    [only] => {
                        let open = only.ends_with('/') || only.ends_with('=') || only.ends_with(',');
                        let space = if open || rest.starts_with(char::is_whitespace) { "" } else { " " };
                        Some(format!("{only}{space}"))
                    }
                    _ => Some(c.common_prefix()).filter(|p| p.len() > word.len()),
                };
                if let Some(insert) = insert {
                    let new_line = format!("{}{insert}{rest}", &line[..c.start]);
                    *caret.borrow_mut() = Some(new_line[..c.start + insert.len()].encode_utf16().count() as u32);
                    input.set(new_line);
                }
                candidates.set(if c.candidates.len() > 1 { c.candidates } else { Vec::new() });
            }
            "Escape" => {
                *released.borrow_mut() = true;
                candidates.set(Vec::new());
            }
            _ => *released.borrow_mut() = false,
        })
    };
    html! {
        <section class="terminal panel" aria-label={t.terminal_label}>
            <h2>{ t.terminal_heading }</h2>
            <pre class="terminal-output" data-testid="terminal-output" ref={output_ref}>{ &props.output }</pre>
            if !candidates.is_empty() {
                <div class="terminal-candidates" data-testid="terminal-candidates" aria-live="polite">
                    { for candidates.iter().map(|c| html! { <span>{ c }</span> }) }
                </div>
            }
            <div class="terminal-prompt">
                <span class="prompt-sign">{ "$ kubectl" }</span>
                <input data-testid="terminal-input" aria-label={t.terminal_input_label} type="text" spellcheck="false" autocomplete="off"
                       placeholder="get pods -o wide" value={(*input).clone()} ref={input_ref} {oninput} {onkeydown} />
            </div>
        </section>
    }
}
