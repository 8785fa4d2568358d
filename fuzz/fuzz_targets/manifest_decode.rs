//! Any text through the manifest decoder: no panic, no hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kubesim::manifest::decode(text);
    }
});
