//! Golden tests: each `tests/golden/*.golden` file starts with a `$ kubesim ...` line; the rest is
//! what that command must print (stdout, then `--- stderr` and stderr if any, then `--- exit N` if
//! the exit status is not 0). Paths are relative to tests/golden. `UPDATE_GOLDEN=1` rewrites the
//! expectations from the current output (review the diff before committing).

use std::path::{Path, PathBuf};
use std::process::Command;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn render(out: &std::process::Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&stderr);
    }
    let code = out.status.code().unwrap_or(-1);
    if code != 0 {
        s.push_str(&format!("--- exit {code}\n"));
    }
    s
}

#[test]
fn golden_files() {
    let dir = golden_dir();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "golden"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no golden files in {}", dir.display());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).unwrap();
        let (first, expected) = text.split_once('\n').unwrap_or((&text, ""));
        let command = first
            .strip_prefix("$ kubesim ")
            .unwrap_or_else(|| panic!("{}: first line must be `$ kubesim ...`", case.display()));
        let args = kubesim::kubectl::args::split_words(command).expect("golden command line parses");
        let out = Command::new(env!("CARGO_BIN_EXE_kubesim")).args(&args).current_dir(&dir).output().unwrap();
        let actual = render(&out);
        if update {
            std::fs::write(case, format!("{first}\n{actual}")).unwrap();
        } else if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(failures.is_empty(), "{} golden file(s) differ:\n\n{}", failures.len(), failures.join("\n"));
}
