//! Any kubectl line against a small running cluster: no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n";

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        let mut sim = kubesim::Simulation::new(kubesim::Config::default());
        sim.apply_text(PODS);
        sim.advance_to(10_000);
        let _ = kubesim::kubectl::run(&mut sim, line);
        sim.advance_to(20_000);
    }
});
