//! `kubectl cordon`, `uncordon`, `taint` and `drain` (k8s.io/kubectl/pkg/cmd/drain, cmd/taint):
//! node maintenance. Cordoning sets `spec.unschedulable` (the node lifecycle controller's
//! TaintNodesByCondition adds the `node.kubernetes.io/unschedulable:NoSchedule` taint, done here at
//! once); a NoExecute taint wakes the taint eviction controller through the watch log.

use k8s_openapi::api::core::v1::{Node, Taint};

use super::args::{self, FlagSpec};
use super::Output;
use crate::api::{Kind, Object, ObjectKey};
use crate::sim::{Applied, Simulation};
use crate::store::ApiError;

const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

fn node(sim: &Simulation, name: &str) -> Result<Node, ApiError> {
    let key = ObjectKey::new(Kind::Node, "", name);
    sim.store().get(&key).and_then(Object::as_node).cloned().ok_or_else(|| ApiError::not_found(&key))
}

fn write(sim: &mut Simulation, n: Node) -> Result<(), String> {
    match sim.update_existing(Object::Node(n), false) {
        Applied::Rejected(e) => Err(e.to_string()),
        Applied::Invalid(e) => Err(format!("error: {e}")),
        _ => Ok(()),
    }
}

/// Node names from the positional words (`NODE` or `node/NODE`).
fn names(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| w.strip_prefix("node/").or_else(|| w.strip_prefix("nodes/")).unwrap_or(w).to_string())
        .collect()
}

/// Sets or clears `spec.unschedulable`; returns whether anything changed.
fn set_cordon(sim: &mut Simulation, name: &str, on: bool) -> Result<bool, String> {
    let mut n = node(sim, name).map_err(|e| e.to_string())?;
    let spec = n.spec.get_or_insert_with(Default::default);
    if spec.unschedulable.unwrap_or(false) == on {
        return Ok(false);
    }
    spec.unschedulable = on.then_some(true);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    taints.retain(|t| t.key != UNSCHEDULABLE_TAINT);
    if on {
        let added = sim.store().epoch().time(sim.now());
        taints.push(Taint {
            key: UNSCHEDULABLE_TAINT.into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: Some(added),
        });
    }
    if taints.is_empty() {
        spec.taints = None;
    }
    write(sim, n)?;
    Ok(true)
}

pub fn cordon(sim: &mut Simulation, words: &[String], on: bool) -> Output {
    let parsed = match args::parse(words, &[]) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if parsed.positional.is_empty() {
        return Output::error("error: resource(s) were provided, but no name was specified");
    }
    let mut out = Output::default();
    for name in names(&parsed.positional) {
        match set_cordon(sim, &name, on) {
            Ok(changed) => {
                let verb = match (on, changed) {
                    (true, true) => "cordoned",
                    (true, false) => "already cordoned",
                    (false, true) => "uncordoned",
                    (false, false) => "already uncordoned",
                };
                out.stdout.push_str(&format!("node/{name} {verb}\n"));
            }
            Err(e) => {
                out.stderr.push_str(&format!("{e}\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// One taint argument: `key[=value]:Effect` to add, `key[:Effect]-` to remove.
enum TaintArg {
    Add(Taint),
    Remove(String, Option<String>),
}

fn parse_taint(spec: &str) -> Result<TaintArg, String> {
    let invalid = |why: &str| format!("invalid taint spec: {spec}, {why}");
    if let Some(body) = spec.strip_suffix('-') {
        let (key, effect) = match body.split_once(':') {
            Some((k, e)) => (k, Some(e.to_string())),
            None => (body, None),
        };
        if key.is_empty() {
            return Err(invalid("invalid taint key"));
        }
        return Ok(TaintArg::Remove(key.to_string(), effect));
    }
    let Some((kv, effect)) = spec.rsplit_once(':') else {
        return Err(invalid("unknown taint spec"));
    };
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        return Err(format!("invalid taint spec: {spec}, invalid taint effect: {effect}, unsupported taint effect"));
    }
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v.to_string())),
        None => (kv, None),
    };
    // A taint key follows the label key rules (a qualified name).
    let as_label: std::collections::BTreeMap<String, String> = [(key.to_string(), String::new())].into();
    let bad_key =
        !crate::validation::labels::labels(Some(&as_label), &crate::validation::field::Path::root()).is_empty();
    if bad_key || key.is_empty() {
        return Err(invalid("invalid taint key"));
    }
    Ok(TaintArg::Add(Taint { key: key.into(), value, effect: effect.into(), time_added: None }))
}

pub fn taint(sim: &mut Simulation, words: &[String]) -> Output {
    const FLAGS: &[FlagSpec] = &[FlagSpec { long: "overwrite", short: None, takes_value: false }];
    let parsed = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let mut pos = parsed.positional.clone();
    if pos.first().is_some_and(|w| w == "node" || w == "nodes" || w == "no") {
        pos.remove(0);
    }
    let Some(name) = pos.first().map(|n| names(std::slice::from_ref(n)).remove(0)) else {
        return Output::error("error: at least one taint update is required");
    };
    if pos.len() < 2 {
        return Output::error("error: at least one taint update is required");
    }
    let mut n = match node(sim, &name) {
        Ok(n) => n,
        Err(e) => return Output::error(e.to_string()),
    };
    let now = sim.store().epoch().time(sim.now());
    let overwrite = parsed.has("overwrite");
    let taints = n.spec.get_or_insert_with(Default::default).taints.get_or_insert_with(Vec::new);
    let mut removed_any = false;
    let mut added_any = false;
    for spec in &pos[1..] {
        match parse_taint(spec) {
            Err(e) => return Output::error(format!("error: {e}")),
            Ok(TaintArg::Add(mut t)) => {
                if let Some(existing) = taints.iter_mut().find(|x| x.key == t.key && x.effect == t.effect) {
                    if !overwrite {
                        return Output::error(format!(
                            "error: node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                            t.key
                        ));
                    }
                    existing.value = t.value.clone();
                } else {
                    // The apiserver stamps NoExecute taints with the time they were added.
                    if t.effect == "NoExecute" {
                        t.time_added = Some(now.clone());
                    }
                    taints.push(t);
                }
                added_any = true;
            }
            Ok(TaintArg::Remove(key, effect)) => {
                let before = taints.len();
                taints.retain(|x| !(x.key == key && effect.as_ref().is_none_or(|e| *e == x.effect)));
                if taints.len() == before {
                    let shown = match &effect {
                        Some(e) => format!("{key}:{e}"),
                        None => key.clone(),
                    };
                    return Output::error(format!("error: taint {shown:?} not found"));
                }
                removed_any = true;
            }
        }
    }
    if taints.is_empty() {
        n.spec.get_or_insert_with(Default::default).taints = None;
    }
    if let Err(e) = write(sim, n) {
        return Output::error(e);
    }
    // taint.go: "untainted" only when every update was a removal.
    let verb = if removed_any && !added_any { "untainted" } else { "tainted" };
    Output { stdout: format!("node/{name} {verb}\n"), ..Default::default() }
}

pub fn drain(sim: &mut Simulation, words: &[String]) -> Output {
    const FLAGS: &[FlagSpec] = &[
        FlagSpec { long: "force", short: None, takes_value: false },
        FlagSpec { long: "ignore-daemonsets", short: None, takes_value: false },
        FlagSpec { long: "delete-emptydir-data", short: None, takes_value: false },
        FlagSpec { long: "delete-local-data", short: None, takes_value: false },
        FlagSpec { long: "grace-period", short: None, takes_value: true },
        FlagSpec { long: "timeout", short: None, takes_value: true },
    ];
    let parsed = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(name) = names(&parsed.positional).into_iter().next() else {
        return Output::error("error: resource(s) were provided, but no name was specified");
    };
    let grace: Option<i64> = match parsed.flag("grace-period").map(str::parse::<i64>) {
        None => None,
        Some(Ok(g)) if g < 0 => None,
        Some(Ok(g)) => Some(g),
        Some(Err(_)) => return Output::error("error: invalid argument for \"--grace-period\" flag"),
    };
    let mut out = Output::default();
    match set_cordon(sim, &name, true) {
        Ok(true) => out.stdout.push_str(&format!("node/{name} cordoned\n")),
        Ok(false) => out.stdout.push_str(&format!("node/{name} already cordoned\n")),
        Err(e) => return Output::error(e),
    }
    // The pods to evict, and the filters that refuse some (drain's filters.go).
    let mut evict = Vec::new();
    let mut unmanaged = Vec::new();
    let mut local = Vec::new();
    for p in sim.store().list(Kind::Pod, None).filter_map(Object::as_pod) {
        if p.spec.as_ref().and_then(|s| s.node_name.as_deref()) != Some(name.as_str()) {
            continue;
        }
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        let pname = p.metadata.name.clone().unwrap_or_default();
        let annotations = p.metadata.annotations.as_ref();
        if annotations.is_some_and(|a| a.contains_key("kubernetes.io/config.mirror")) {
            continue; // mirror pods: the kubelet owns them
        }
        if matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed")) {
            evict.push((ns, pname));
            continue;
        }
        let controlled = p.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true));
        let empty_dir =
            p.spec.as_ref().and_then(|s| s.volumes.as_ref()).is_some_and(|v| v.iter().any(|v| v.empty_dir.is_some()));
        if !controlled {
            unmanaged.push(format!("{ns}/{pname}"));
        }
        if empty_dir {
            local.push(format!("{ns}/{pname}"));
        }
        evict.push((ns, pname));
    }
    let force = parsed.has("force");
    let delete_local = parsed.has("delete-emptydir-data") || parsed.has("delete-local-data");
    let mut fatal = Vec::new();
    if !unmanaged.is_empty() && !force {
        fatal.push(format!(
            "cannot delete Pods that declare no controller (use --force to override): {}",
            unmanaged.join(", ")
        ));
    }
    if !local.is_empty() && !delete_local {
        fatal.push(format!(
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
            local.join(", ")
        ));
    }
    if !fatal.is_empty() {
        let joined = fatal.join(", ");
        out.stderr.push_str(&format!(
            "error: unable to drain node \"{name}\" due to error: {joined}, continuing command...\nThere are pending nodes to be drained:\n {name}\n"
        ));
        for f in &fatal {
            out.stderr.push_str(&format!("{f}\n"));
        }
        out.exit_code = 1;
        return out;
    }
    if !unmanaged.is_empty() {
        out.stderr.push_str(&format!("Warning: deleting Pods that declare no controller: {}\n", unmanaged.join(", ")));
    }
    for (ns, p) in &evict {
        out.stdout.push_str(&format!("evicting pod {ns}/{p}\n"));
    }
    for (ns, p) in &evict {
        let _ = sim.delete(&ObjectKey::new(Kind::Pod, ns, p), grace);
        out.stdout.push_str(&format!("pod/{p} evicted\n"));
    }
    out.stdout.push_str(&format!("node/{name} drained\n"));
    out
}
