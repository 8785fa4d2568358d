//! Scenario decoding never panics; what decodes writes back to YAML that decodes to the same
//! scenario; and a decoded scenario plays (bounded to a minute of virtual time) without panics.
#![no_main]

use kubesim::scenario::{Run, Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Scenario::is_scenario(text);
    let Ok(s) = Scenario::from_yaml(text) else { return };
    let yaml = s.to_yaml();
    let back = Scenario::from_yaml(&yaml).expect("to_yaml output decodes");
    assert_eq!(back, s, "round trip of:\n{yaml}");
    if s.nodes.as_ref().is_none_or(|n| n.len() <= 20) && s.steps.len() <= 50 {
        let mut run = Run::new(&s);
        run.play_to(s.end().min(60_000));
    }
});
