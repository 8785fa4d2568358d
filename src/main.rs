//! Kube Playground: the page. The engine (`kubesim`) does all the Kubernetes work; this crate only
//! shows its state and sends it the learner's commands.

mod app;
mod bench;
mod components;
mod engine;
mod frame;
mod i18n;
mod session;
mod share;
mod storage;

fn main() {
    // `?bench=throughput` runs the engine benchmark, `?bench=frames` the cluster view's frame times, in the browser instead of the playground.
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    if search.contains("bench=frames") {
        yew::Renderer::<bench::frames::FramesBench>::new().render();
    } else if search.contains("bench=throughput") {
        yew::Renderer::<bench::Bench>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}
