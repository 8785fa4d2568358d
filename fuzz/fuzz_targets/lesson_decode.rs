//! Lesson decoding never panics, and a decoded lesson starts, plays its solution for a bounded
//! time and checks its goals without panics.
#![no_main]

use kubesim::lessons::{Lesson, Progress};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(l) = Lesson::from_yaml(text) else { return };
    if l.scenario.nodes.as_ref().is_none_or(|n| n.len() <= 20) && l.solution.len() + l.scenario.steps.len() <= 50 {
        let mut run = l.start_solved();
        let mut p = Progress::new(&l);
        for t in [0, 10_000, 30_000, 60_000] {
            run.play_to(t);
            p.update(&l, run.simulation());
        }
    }
});
