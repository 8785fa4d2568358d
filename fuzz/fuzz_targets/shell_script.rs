//! Any script through the container shell: spawned and polled in virtual time, and run by
//! exec with a timeout. No panic, no hang (fuel and size limits bound every poll).
#![no_main]
use std::collections::BTreeMap;

use kubesim::runtime::shell::{exec, External, Fs, Host, Poll, Process};
use libfuzzer_sys::fuzz_target;

struct FakeHost;

impl Host for FakeHost {
    fn lookup(&mut self, name: &str) -> Option<String> {
        (name == "myservice").then(|| "10.96.1.1".to_string())
    }
    fn http_get(&mut self, _host: &str, port: u16, _path: &str) -> Result<(u16, String), String> {
        if port == 80 {
            Ok((200, "ok\n".into()))
        } else {
            Err("Connection refused".into())
        }
    }
    fn external(&mut self, argv: &[String]) -> External {
        match argv.first().map(String::as_str) {
            Some("nginx") => External::Serve { ports: vec![80] },
            _ => External::NotFound,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(script) = std::str::from_utf8(data) else { return };
    let argv = vec!["sh".to_string(), "-c".to_string(), script.to_string()];
    let env = BTreeMap::new();
    let mut fs = Fs::default();
    let mut host = FakeHost;
    let mut p = Process::spawn(&argv, &env);
    let mut now = 0;
    let mut out = Vec::new();
    for _ in 0..50 {
        match p.poll(now, &mut fs, &mut host, &mut out) {
            Poll::Sleep(ms) => now += ms.max(1),
            _ => break,
        }
    }
    let _ = p.memory_bytes();
    let _ = exec(&argv, &env, &mut fs, &mut host, 5_000);
});
