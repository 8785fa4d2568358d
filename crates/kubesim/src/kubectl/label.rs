//! `kubectl label` and `kubectl annotate` (k8s.io/kubectl/pkg/cmd/label/label.go,
//! pkg/cmd/annotate/annotate.go): add, overwrite (`--overwrite`) or remove (`KEY-`) labels and
//! annotations of the objects named, selected (`-l`) or all (`--all`). The changed object goes
//! back through the apiserver, which validates keys and values; Services, ReplicaSets and the
//! scheduler see the new labels through the store, as they would through a watch.

use std::collections::BTreeMap;

use super::args::{self, FlagSpec};
use super::builder::{self, Select};
use super::Output;
use crate::api::Object;
use crate::sim::{Applied, Simulation};

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "all-namespaces", short: Some('A'), takes_value: false },
    FlagSpec { long: "overwrite", short: None, takes_value: false },
    FlagSpec { long: "all", short: None, takes_value: false },
    FlagSpec { long: "selector", short: Some('l'), takes_value: true },
    FlagSpec { long: "list", short: None, takes_value: false },
];

/// Which metadata map a command changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Labels,
    Annotations,
}

pub fn label(sim: &mut Simulation, words: &[String]) -> Output {
    run(sim, words, Which::Labels)
}

pub fn annotate(sim: &mut Simulation, words: &[String]) -> Output {
    run(sim, words, Which::Annotations)
}

/// The `KEY=VALUE` and `KEY-` arguments: what to set and what to remove.
struct Changes {
    set: BTreeMap<String, String>,
    remove: Vec<String>,
}

/// label.go parseLabels: one `=` per pair, the value checked here (the key by the server).
fn parse_labels(pairs: &[String]) -> Result<Changes, String> {
    let mut c = Changes { set: BTreeMap::new(), remove: Vec::new() };
    for spec in pairs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            let [key, value] = parts.as_slice() else {
                return Err(format!("error: invalid label spec: {spec}"));
            };
            let errs = crate::validation::names::label_value(value);
            if !errs.is_empty() {
                let msgs: Vec<String> = errs.into_iter().map(|m| m.en).collect();
                return Err(format!("error: invalid label value: {spec:?}: {}", msgs.join(";")));
            }
            c.set.insert(key.to_string(), value.to_string());
        } else if let Some(key) = spec.strip_suffix('-') {
            c.remove.push(key.to_string());
        } else {
            return Err(format!("error: unknown label spec: {spec}"));
        }
    }
    if c.remove.iter().any(|k| c.set.contains_key(k)) {
        return Err("error: can not both modify and remove a label in the same command".into());
    }
    Ok(c)
}

/// cmdutil.ParsePairs for annotations: the value is everything after the first `=`.
fn parse_annotations(pairs: &[String]) -> Result<Changes, String> {
    let mut c = Changes { set: BTreeMap::new(), remove: Vec::new() };
    let mut invalid = Vec::new();
    for spec in pairs {
        if let Some((k, v)) = spec.split_once('=').filter(|_| !spec.starts_with('=')) {
            c.set.insert(k.to_string(), v.to_string());
        } else if let Some(key) = spec.strip_suffix('-').filter(|_| spec != "-") {
            c.remove.push(key.to_string());
        } else {
            invalid.push(spec.as_str());
        }
    }
    if !invalid.is_empty() {
        return Err(format!("error: invalid annotation format: {}", invalid.join(", ")));
    }
    let both: Vec<&str> = c.remove.iter().filter(|k| c.set.contains_key(*k)).map(String::as_str).collect();
    if !both.is_empty() {
        return Err(format!(
            "error: can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        ));
    }
    Ok(c)
}

fn run(sim: &mut Simulation, words: &[String], which: Which) -> Output {
    let p = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let noun = if which == Which::Labels { "label" } else { "annotation" };
    let (resources, pairs) = match builder::resources_and_pairs(&p.positional, noun) {
        Ok(x) => x,
        Err(e) => return Output::error(e),
    };
    let parsed = if which == Which::Labels { parse_labels(&pairs) } else { parse_annotations(&pairs) };
    let changes = match parsed {
        Ok(c) => c,
        Err(e) => return Output::error(e),
    };
    let list = p.has("list");
    if resources.is_empty() {
        return Output::error(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if changes.set.is_empty() && changes.remove.is_empty() && !list {
        return Output::error(format!("error: at least one {noun} update is required"));
    }
    let how = Select {
        namespace: p.flag("namespace").unwrap_or("default"),
        all_namespaces: p.has("all-namespaces"),
        all: p.has("all"),
        selector: p.flag("selector"),
    };
    let found = match builder::resolve(sim.store(), &resources, &how) {
        Ok(f) => f,
        Err(e) => return Output::error(e),
    };
    let single = found.len() == 1 && !how.all && how.selector.is_none();
    let mut out = Output::default();
    let mut errors: Vec<String> = Vec::new();
    for f in found {
        let key = match f {
            Ok(k) => k,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(obj) = sim.store().get(&key).cloned() else { continue };
        if list {
            // Listing shows the labels as they are, then applies nothing else.
            let map = current(&obj, which);
            let indent = if single { "" } else { " " };
            if !single {
                let group = key.kind.api_version().rsplit_once('/').map(|(g, _)| g).unwrap_or("");
                let what = if which == Which::Labels { "labels" } else { "annotations" };
                out.stdout.push_str(&format!("Listing {what} for {}.{group}/{}:\n", key.kind.name(), key.name));
            }
            for (k, v) in &map {
                out.stdout.push_str(&format!("{indent}{k}={v}\n"));
            }
            continue;
        }
        match change(sim, obj, &changes, which, p.has("overwrite"), &mut out) {
            Ok(verb) => out.stdout.push_str(&format!("{} {verb}\n", builder::printed_name(&key))),
            Err(e) => errors.push(e),
        }
    }
    out.with_errors(&errors)
}

fn current(obj: &Object, which: Which) -> BTreeMap<String, String> {
    let m = obj.meta();
    let map = if which == Which::Labels { &m.labels } else { &m.annotations };
    map.clone().unwrap_or_default()
}

/// Changes one object and sends it to the apiserver; what the name printer says after it
/// (`labeled`, `unlabeled`, `modified`, `not labeled`, or `annotated`).
fn change(
    sim: &mut Simulation,
    mut obj: Object,
    changes: &Changes,
    which: Which,
    overwrite: bool,
    out: &mut Output,
) -> Result<&'static str, String> {
    let mut map = current(&obj, which);
    if which == Which::Labels {
        for k in &changes.remove {
            if !map.contains_key(k) {
                out.stdout.push_str(&format!("label {k:?} not found.\n"));
            }
        }
    }
    if !overwrite {
        let conflicts: Vec<String> = changes
            .set
            .iter()
            .filter_map(|(k, v)| {
                map.get(k).filter(|cur| *cur != v).map(|cur| format!("'{k}' already has a value ({cur})"))
            })
            .collect();
        match (which, conflicts.as_slice()) {
            (_, []) => {}
            (Which::Labels, [one]) => return Err(format!("error: {one}, and --overwrite is false")),
            (Which::Labels, many) => {
                let each: Vec<String> = many.iter().map(|c| format!("{c}, and --overwrite is false")).collect();
                return Err(format!("error: [{}]", each.join(", ")));
            }
            (Which::Annotations, many) => {
                return Err(format!(
                    "error: --overwrite is false but found the following declared annotation(s): {}",
                    many.join("; ")
                ))
            }
        }
    }
    let mut added = 0;
    let mut removed = 0;
    for (k, v) in &changes.set {
        if map.get(k) != Some(v) {
            map.insert(k.clone(), v.clone());
            added += 1;
        }
    }
    for k in &changes.remove {
        if map.remove(k).is_some() {
            removed += 1;
        }
    }
    let verb = match (which, added > 0, removed > 0) {
        (Which::Annotations, _, _) => "annotated",
        (_, true, true) => "modified",
        (_, true, false) => "labeled",
        (_, false, true) => "unlabeled",
        (_, false, false) => "not labeled",
    };
    if added == 0 && removed == 0 {
        return Ok(verb);
    }
    let meta = obj.meta_mut();
    let slot = if which == Which::Labels { &mut meta.labels } else { &mut meta.annotations };
    *slot = (!map.is_empty()).then_some(map);
    match sim.update_existing(obj, false) {
        Applied::Rejected(e) if e.reason == "Invalid" => Err(e.message),
        Applied::Rejected(e) => Err(e.to_string()),
        Applied::Invalid(e) => Err(format!("error: {}", e.message)),
        Applied::Created(_) | Applied::Configured(_) | Applied::Unchanged(_) => Ok(verb),
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::testing::{cluster, line};
    use crate::sim::Simulation;

    fn sim() -> Simulation {
        cluster(
            1,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
            10_000,
        )
    }

    #[test]
    fn adds_overwrites_and_removes_labels() {
        let mut sim = sim();
        assert_eq!(line(&mut sim, "label pod web env=prod").0, "pod/web labeled\n");
        let (_, err, code) = line(&mut sim, "label pod web env=dev");
        assert_eq!((err.as_str(), code), ("error: 'env' already has a value (prod), and --overwrite is false\n", 1));
        assert_eq!(line(&mut sim, "label pod web env=dev --overwrite").0, "pod/web labeled\n");
        assert_eq!(line(&mut sim, "label pod/web env=dev").0, "pod/web not labeled\n");
        assert_eq!(line(&mut sim, "label po web env-").0, "pod/web unlabeled\n");
        assert_eq!(line(&mut sim, "label po web env-").0, "label \"env\" not found.\npod/web not labeled\n");
        assert_eq!(line(&mut sim, "get pods --show-labels --no-headers").0.split_whitespace().last(), Some("app=web"));
    }

    #[test]
    fn label_errors_use_upstream_wording() {
        let mut sim = sim();
        assert_eq!(line(&mut sim, "label pod web").1, "error: at least one label update is required\n");
        assert_eq!(
            line(&mut sim, "label app=x").1,
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
        );
        assert_eq!(
            line(&mut sim, "label pod web a=b c").1,
            "error: all resources must be specified before label changes: c\n"
        );
        assert!(line(&mut sim, "label pod web 'a=b c'")
            .1
            .starts_with("error: invalid label value: \"a=b c\": a valid label must be"));
        assert_eq!(line(&mut sim, "label pod nope a=b").1, "Error from server (NotFound): pods \"nope\" not found\n");
        let bad_key = line(&mut sim, "label pod web -x=y");
        assert!(bad_key.1.starts_with("error: unknown shorthand flag"), "{bad_key:?}");
        let bad_key = line(&mut sim, "label pod web a/b/c=y");
        assert!(
            bad_key.1.starts_with("The Pod \"web\" is invalid: metadata.labels: Invalid value: \"a/b/c\""),
            "{bad_key:?}"
        );
    }

    #[test]
    fn annotate_sets_and_removes() {
        let mut sim = sim();
        assert_eq!(line(&mut sim, "annotate pod web note='first annot'").0, "pod/web annotated\n");
        assert_eq!(
            line(&mut sim, "annotate pod web note=second").1,
            "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (first annot)\n"
        );
        assert_eq!(line(&mut sim, "annotate pod web note=second --overwrite").0, "pod/web annotated\n");
        let yaml = line(&mut sim, "get pod web -o yaml").0;
        assert!(yaml.contains("  annotations:\n    note: second\n"), "{yaml}");
        assert_eq!(line(&mut sim, "annotate pod web note-").0, "pod/web annotated\n");
        assert!(!line(&mut sim, "get pod web -o yaml").0.contains("annotations"));
    }
}
