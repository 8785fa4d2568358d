//! The terminal: a kubectl prompt running the engine's kubectl, so its output is exactly what
//! the `kubesim` CLI prints (one `Session`: `port-forward`, then `curl localhost:PORT`). History
//! with ↑/↓, `clear`, and `get -w` streaming as time runs.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Everything printed so far (commands and their output).
    pub output: String,
    /// Runs one line (`clear` included) and returns nothing; the app appends to `output`.
    pub on_command: Callback<String>,
}

#[function_component(Terminal)]
pub fn terminal(props: &Props) -> Html {
    let t = use_lang().t();
    let input = use_state(String::new);
    let history = use_mut_ref(Vec::<String>::new);
    let cursor = use_mut_ref(|| 0usize);
    let output_ref = use_node_ref();

    // Keep the newest output in view.
    {
        let output_ref = output_ref.clone();
        use_effect_with(props.output.len(), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| input.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onkeydown = {
        let input = input.clone();
        let history = history.clone();
        let cursor = cursor.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                let line = (*input).trim().to_string();
                if !line.is_empty() {
                    history.borrow_mut().push(line.clone());
                }
                *cursor.borrow_mut() = history.borrow().len();
                input.set(String::new());
                on_command.emit(line);
            }
            "ArrowUp" | "ArrowDown" => {
                e.prevent_default();
                let h = history.borrow();
                let mut c = cursor.borrow_mut();
                if e.key() == "ArrowUp" {
                    *c = c.saturating_sub(1);
                } else {
                    *c = (*c + 1).min(h.len());
                }
                input.set(h.get(*c).cloned().unwrap_or_default());
            }
            _ => {}
        })
    };
    html! {
        <section class="terminal panel" aria-label={t.terminal_label}>
            <h2>{ t.terminal_heading }</h2>
            <pre class="terminal-output" data-testid="terminal-output" ref={output_ref}>{ &props.output }</pre>
            <div class="terminal-prompt">
                <span class="prompt-sign">{ "$ kubectl" }</span>
                <input data-testid="terminal-input" aria-label={t.terminal_input_label} type="text" spellcheck="false" autocomplete="off"
                       placeholder="get pods -o wide" value={(*input).clone()} {oninput} {onkeydown} />
            </div>
        </section>
    }
}
