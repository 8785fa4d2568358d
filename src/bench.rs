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
