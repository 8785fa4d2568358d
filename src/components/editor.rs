//! The YAML editor: the text area, Apply, and the engine's answer for each document.

use kubesim::kubectl::qualified;
use kubesim::Applied;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

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

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Applies the text and returns the engine's result per document.
    pub on_apply: Callback<String, Vec<Applied>>,
}

fn describe(result: &Applied) -> (bool, Option<usize>, String) {
    match result {
        Applied::Created(k) => (true, None, format!("{}/{} created", qualified(k.kind), k.name)),
        Applied::Configured(k) => (true, None, format!("{}/{} configured", qualified(k.kind), k.name)),
        Applied::Unchanged(k) => (true, None, format!("{}/{} unchanged", qualified(k.kind), k.name)),
        Applied::Invalid(e) => (false, e.line, e.to_string()),
        Applied::Rejected(e) => (false, None, e.to_string()),
    }
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let text = use_state(|| SAMPLE.to_string());
    let results = use_state(Vec::<Applied>::new);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let onclick = {
        let text = text.clone();
        let results = results.clone();
        let apply = props.on_apply.clone();
        Callback::from(move |_| results.set(apply.emit((*text).clone())))
    };
    html! {
        <section class="editor panel">
            <h2>{ "Manifest" }</h2>
            <textarea data-testid="yaml-editor" spellcheck="false" value={(*text).clone()} {oninput} />
            <div class="editor-actions">
                <button class="primary" data-testid="apply-button" {onclick}>{ "Apply" }</button>
            </div>
            <ul class="apply-results">
                { for results.iter().map(|r| {
                    let (ok, line, msg) = describe(r);
                    if ok {
                        html! { <li class="ok">{ msg }</li> }
                    } else {
                        html! { <li class="error" data-testid="editor-error" data-line={line.map(|l| l.to_string()).unwrap_or_default()}>{ msg }</li> }
                    }
                }) }
            </ul>
        </section>
    }
}
