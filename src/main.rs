//! Kube Playground: the page. The engine (`kubesim`) does all the Kubernetes work; this crate only
//! shows its state and sends it the learner's commands.

mod app;
mod components;
mod engine;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
