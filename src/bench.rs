//! The engine benchmark in the browser: the same workload as the native example
//! (`kubesim::bench`), timed with `performance.now()`, results shown as JSON for
//! `tests/e2e/bench.mjs` to read.

use yew::prelude::*;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

#[function_component(Bench)]
pub fn bench() -> Html {
    let result = use_state(|| None::<String>);
    {
        let result = result.clone();
        use_effect_with((), move |_| {
            // Let the page paint "running" first.
            let handle = gloo_timers::callback::Timeout::new(50, move || {
                let t0 = now_ms();
                let mut sim = kubesim::bench::pods_with_probes(100, 1_000);
                let t1 = now_ms();
                sim.advance_to(kubesim::time::HOUR);
                let t2 = now_ms();
                let run_s = (t2 - t1) / 1000.0;
                let wakeups = sim.events_processed();
                drop(sim);
                // Scheduling throughput: 10,000 pending pods on 1,000 nodes.
                let mut sched = kubesim::bench::pending_pods(1_000, 10_000);
                let t3 = now_ms();
                let bound = kubesim::bench::schedule_all(&mut sched);
                let t4 = now_ms();
                result.set(Some(format!(
                    "{{\"workload\":\"1000 pods with probes on 100 nodes, 1 virtual hour\",\"setup_ms\":{:.0},\"simulate_ms\":{:.0},\"virtual_seconds_per_wall_second\":{:.0},\"wakeups\":{},\"wakeups_per_second\":{:.0},\"scheduling_workload\":\"10000 pending pods on 1000 nodes\",\"scheduling_ms\":{:.0},\"pods_bound\":{},\"scheduling_pods_per_second\":{:.0}}}",
                    t1 - t0,
                    t2 - t1,
                    3600.0 / run_s,
                    wakeups,
                    wakeups as f64 / run_s,
                    t4 - t3,
                    bound,
                    bound as f64 * 1000.0 / (t4 - t3)
                )));
            });
            move || drop(handle)
        });
    }
    html! {
        <main class="bench">
            <h1>{ "Engine throughput (browser)" }</h1>
            if let Some(r) = &*result {
                <pre data-testid="bench-result">{ r }</pre>
            } else {
                <p>{ "running…" }</p>
            }
        </main>
    }
}

/// Frames the cluster view draws while time plays (`?bench=frames`): 100 nodes and 2,000 pods
/// (`kubesim::bench::cluster_view_mix`: crash loops, failing pulls, completions keep STATUS
/// changing) at 30× speed, from 90 virtual seconds on, with the page's clock (a tick every 100 ms advancing 3 virtual
/// seconds, a new view each tick). Measures the intervals between animation frames for 10 s
/// after a 1 s warm-up, and the engine's and the view's share of each tick.
pub mod frames {
    use std::rc::Rc;

    use kubesim::view::ClusterView as View;
    use kubesim::Simulation;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use yew::prelude::*;

    use super::now_ms;
    use crate::components::cluster_view::{ClusterView, LINK_MS, RENDER_MS};
    use crate::i18n::Lang;

    const NODES: usize = 100;
    const PODS: usize = 2_000;
    const SPEED: u64 = 30;
    const TICK_MS: u32 = 100;
    const WARMUP_MS: f64 = 1_000.0;
    const MEASURE_MS: f64 = 10_000.0;
    /// Virtual seconds simulated before the view appears: past the first pulls and starts.
    const WARM_VIRTUAL_S: u64 = 90;

    #[derive(Default)]
    struct Run {
        sim: Option<Simulation>,
        viewer: kubesim::view::Viewer,
        start: f64,
        last_frame: Option<f64>,
        frames: Vec<f64>,
        engine_ms: Vec<f64>,
        view_ms: Vec<f64>,
        virtual_start: u64,
        done: bool,
        interval: Option<gloo_timers::callback::Interval>,
        raf: Option<Closure<dyn FnMut(f64)>>,
    }

    fn pct(v: &mut [f64], p: f64) -> f64 {
        if v.is_empty() {
            return 0.0;
        }
        kubesim::sorting::sort_by(v, |a, b| a.total_cmp(b));
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i.min(v.len() - 1)]
    }

    fn report(run: &mut Run, setup_ms: f64) -> String {
        let virtual_s = run.sim.as_ref().map(|s| s.now() - run.virtual_start).unwrap_or(0) as f64 / 1000.0;
        let n = run.frames.len();
        let mean = run.frames.iter().sum::<f64>() / n.max(1) as f64;
        let (p50, p95, p99, max) = (
            pct(&mut run.frames, 0.5),
            pct(&mut run.frames, 0.95),
            pct(&mut run.frames, 0.99),
            pct(&mut run.frames, 1.0),
        );
        let ticks = run.engine_ms.len();
        let (e50, e95, emax) =
            (pct(&mut run.engine_ms, 0.5), pct(&mut run.engine_ms, 0.95), pct(&mut run.engine_ms, 1.0));
        let (v50, v95) = (pct(&mut run.view_ms, 0.5), pct(&mut run.view_ms, 0.95));
        // Yew's render of the view up to its effects, and the SVG links' update, per render.
        let mut render = RENDER_MS.with(|r| std::mem::take(&mut *r.borrow_mut()));
        let mut links = LINK_MS.with(|l| std::mem::take(&mut *l.borrow_mut()));
        let (r50, r95, rmax) = (pct(&mut render, 0.5), pct(&mut render, 0.95), pct(&mut render, 1.0));
        let (l50, l95, lmax) = (pct(&mut links, 0.5), pct(&mut links, 0.95), pct(&mut links, 1.0));
        format!(
            "{{\"workload\":\"{NODES} nodes, {PODS} pods (kubesim::bench::cluster_view_mix), playing at {SPEED}x\",\"setup_ms\":{setup_ms:.0},\"measured_s\":{:.1},\"virtual_s\":{virtual_s:.0},\"frames\":{n},\"fps\":{:.1},\"frame_ms_mean\":{mean:.1},\"frame_ms_p50\":{p50:.1},\"frame_ms_p95\":{p95:.1},\"frame_ms_p99\":{p99:.1},\"frame_ms_max\":{max:.1},\"ticks\":{ticks},\"tick_engine_ms_p50\":{e50:.1},\"tick_engine_ms_p95\":{e95:.1},\"tick_engine_ms_max\":{emax:.1},\"tick_view_ms_p50\":{v50:.1},\"tick_view_ms_p95\":{v95:.1},\"render_ms_p50\":{r50:.1},\"render_ms_p95\":{r95:.1},\"render_ms_max\":{rmax:.1},\"links_ms_p50\":{l50:.1},\"links_ms_p95\":{l95:.1},\"links_ms_max\":{lmax:.1}}}",
            MEASURE_MS / 1000.0,
            n as f64 * 1000.0 / MEASURE_MS,
        )
    }

    #[function_component(FramesBench)]
    pub fn frames_bench() -> Html {
        let run = use_mut_ref(Run::default);
        let view = use_state(|| None::<Rc<View>>);
        let result = use_state(|| None::<String>);
        {
            let run = run.clone();
            let view = view.clone();
            let result = result.clone();
            use_effect_with((), move |_| {
                let handle = gloo_timers::callback::Timeout::new(50, move || {
                    let t0 = now_ms();
                    let mut sim = kubesim::bench::cluster_view_mix(NODES, PODS);
                    // Past the first scheduling and pulls, so the view starts full.
                    sim.advance_to(WARM_VIRTUAL_S * kubesim::time::SECOND);
                    let setup_ms = now_ms() - t0;
                    {
                        let mut r = run.borrow_mut();
                        view.set(Some(Rc::new(r.viewer.cluster(&sim))));
                        r.virtual_start = sim.now();
                        r.sim = Some(sim);
                        r.start = now_ms();
                    }
                    // The clock: as the page's (src/app.rs), a view per tick.
                    let frame = crate::frame::NextFrame::default();
                    let tick = {
                        let run = run.clone();
                        let view = view.clone();
                        gloo_timers::callback::Interval::new(TICK_MS, move || {
                            let mut r = run.borrow_mut();
                            if r.done {
                                return;
                            }
                            let measuring = now_ms() - r.start >= WARMUP_MS;
                            if !measuring {
                                RENDER_MS.with(|t| t.borrow_mut().clear());
                                LINK_MS.with(|t| t.borrow_mut().clear());
                            }
                            let Run { sim: Some(sim), .. } = &mut *r else { return };
                            let t1 = now_ms();
                            sim.advance_by(TICK_MS as u64 * SPEED);
                            if measuring {
                                r.engine_ms.push(now_ms() - t1);
                            }
                            drop(r);
                            // As the page: the view is built and drawn at the next frame.
                            let (run, view) = (run.clone(), view.clone());
                            frame.request(move || {
                                let mut r = run.borrow_mut();
                                let Run { sim: Some(sim), viewer, .. } = &mut *r else { return };
                                let t2 = now_ms();
                                let v = viewer.cluster(sim);
                                let t3 = now_ms();
                                if t3 - r.start >= WARMUP_MS {
                                    r.view_ms.push(t3 - t2);
                                }
                                drop(r);
                                view.set(Some(Rc::new(v)));
                            });
                        })
                    };
                    run.borrow_mut().interval = Some(tick);
                    // requestAnimationFrame: every frame's distance to the previous one.
                    let frame = {
                        let run = run.clone();
                        let result = result.clone();
                        Closure::<dyn FnMut(f64)>::new(move |ts: f64| {
                            let mut r = run.borrow_mut();
                            let elapsed = now_ms() - r.start;
                            if elapsed >= WARMUP_MS {
                                if let Some(last) = r.last_frame {
                                    r.frames.push(ts - last);
                                }
                                r.last_frame = Some(ts);
                            }
                            if elapsed >= WARMUP_MS + MEASURE_MS {
                                r.done = true;
                                r.interval = None;
                                result.set(Some(report(&mut r, setup_ms)));
                                return;
                            }
                            if let (Some(w), Some(cb)) = (web_sys::window(), r.raf.as_ref()) {
                                let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
                            }
                        })
                    };
                    if let Some(w) = web_sys::window() {
                        let _ = w.request_animation_frame(frame.as_ref().unchecked_ref());
                    }
                    run.borrow_mut().raf = Some(frame);
                });
                move || drop(handle)
            });
        }
        html! {
            <ContextProvider<Lang> context={Lang::En}>
            <main class="bench bench-frames">
                if let Some(r) = &*result {
                    <pre data-testid="bench-result">{ r }</pre>
                } else {
                    <p data-testid="bench-status">{ "running…" }</p>
                }
                if let Some(v) = &*view {
                    <ClusterView view={v.clone()} selected={None::<String>} on_select={Callback::noop()} />
                }
            </main>
            </ContextProvider<Lang>>
        }
    }
}
