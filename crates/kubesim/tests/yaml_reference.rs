//! The manifest reader (`manifest::yaml`, libyaml's event parser driven directly for located
//! errors) against serde_yaml, the stack's YAML library, as a reference: every document of the
//! seed fixtures and of the course corpus (`shared/course-manifests` beside the checkout) reads to
//! the same JSON value through both. serde_yaml is not linked into the page (the reader replaces
//! it there, one YAML decoder in the bundle); it stays here to check the reader.
//!
//! Where the two must differ, the reader follows sigs.k8s.io/yaml (YAML 1.1 scalars, as the
//! apiserver and kubectl read manifests): those documents are listed with the reason.

use std::path::{Path, PathBuf};

use kubesim::manifest::{de, yaml};
use serde::Deserialize;

thread_local! {
    static OCTALS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(p);
        }
    }
}

/// Every document through the reader, or None when it stops at a syntax error.
fn ours(text: &str) -> Option<Vec<serde_json::Value>> {
    let mut reader = yaml::Reader::new(text);
    let mut docs = Vec::new();
    while let Some(doc) = reader.next_document() {
        let doc = doc.ok()?;
        if doc.is_empty() {
            continue;
        }
        docs.push(de::decode::<serde_json::Value>(&doc, doc.root).0.ok()?);
    }
    Some(docs)
}

/// Every document through serde_yaml, or None when it fails.
fn reference(text: &str) -> Option<Vec<serde_json::Value>> {
    let mut docs = Vec::new();
    for d in serde_yaml::Deserializer::from_str(text) {
        let v = serde_json::Value::deserialize(d).ok()?;
        if !v.is_null() {
            docs.push(v);
        }
    }
    Some(docs)
}

/// YAML 1.1 reads an unquoted `0600` as octal (384), as sigs.k8s.io/yaml and so the apiserver and
/// kubectl do (a `defaultMode: 0644` means rw-r--r--); serde_yaml (YAML 1.2) reads a string.
fn yaml11_octal(reader: &serde_json::Value, reference: &serde_json::Value) -> bool {
    let Some(text) = reference.as_str().filter(|t| t.len() > 1 && t.starts_with('0')) else { return false };
    i64::from_str_radix(&text[1..], 8).is_ok_and(|n| reader.as_i64() == Some(n))
}

/// The first place two values differ, as a JSON pointer with both sides (octal counted apart).
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value::*;
    if yaml11_octal(a, b) {
        OCTALS.with(|n| n.set(n.get() + 1));
        return None;
    }
    match (a, b) {
        (Object(x), Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{at}/{k}: only in the reader")),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{at}/{k}: only in serde_yaml"))
        }
        (Array(x), Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (v, w))| first_difference(v, w, format!("{at}/{i}")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: reader {a} vs serde_yaml {b}")),
    }
}

#[test]
fn reader_matches_serde_yaml_on_every_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("tests/fixtures/seeds"), &mut paths);
    files(&root.join("../../../shared/course-manifests"), &mut paths);
    files(&root.join("lessons"), &mut paths);
    paths.sort();
    assert!(paths.len() > 40, "manifests found: {}", paths.len());
    let (mut compared, mut differ) = (0, Vec::new());
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else { continue };
        let (Some(a), Some(b)) = (ours(&text), reference(&text)) else { continue };
        compared += 1;
        if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| first_difference(x, y, String::new()).is_some()) {
            let why = if a.len() != b.len() {
                format!("{} documents vs {}", a.len(), b.len())
            } else {
                a.iter().zip(&b).find_map(|(x, y)| first_difference(x, y, String::new())).unwrap_or_default()
            };
            differ.push(format!("{}: {why}", p.file_name().unwrap_or_default().to_string_lossy()));
        }
    }
    assert!(compared > 40, "compared {compared}");
    assert!(differ.is_empty(), "{} of {compared} files read differently: {differ:#?}", differ.len());
    // The corpus's `mode: 0600` lines (seven files of kubernetes-in-action-2nd) read as octal.
    assert!(OCTALS.with(|n| n.get()) >= 7, "YAML 1.1 octals met: {}", OCTALS.with(|n| n.get()));
}
