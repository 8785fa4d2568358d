//! `kubectl rollout status|history|undo|restart|pause|resume` for Deployments
//! (k8s.io/kubectl/pkg/cmd/rollout, pkg/polymorphichelpers: rollout_status.go, history.go,
//! rollback.go, objectrestarter.go, objectpauser.go).
//!
//! `rollout status` prints the current line; if the rollout is not done it keeps printing one
//! line per change of the Deployment (as kubectl's watch does) through `Output.watch`, until the
//! rollout finishes.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};

use super::args::{self, FlagSpec};
use super::{describe, qualified, resolve_kind, Output, Watch};
use crate::api::{Kind, Object, ObjectKey};
use crate::controllers::deployment::{pod_template_hash, revision_of};
use crate::sim::Simulation;
use crate::store::{Op, Store};

const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const HASH_LABEL: &str = "pod-template-hash";

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "watch", short: Some('w'), takes_value: false },
    FlagSpec { long: "revision", short: None, takes_value: true },
    FlagSpec { long: "to-revision", short: None, takes_value: true },
    FlagSpec { long: "timeout", short: None, takes_value: true },
];

/// A running `rollout status`: which Deployment, and whether it has finished.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RolloutWatch {
    namespace: String,
    name: String,
    revision: i64,
    done: bool,
}

/// A Deployment's ReplicaSets as deploymentutil.GetAllReplicaSets sorts them: the old ones (every
/// controlled ReplicaSet whose template differs, in list order) and the new one.
pub fn deployment_replica_sets<'a>(store: &'a Store, d: &Deployment) -> (Vec<&'a ReplicaSet>, Option<&'a ReplicaSet>) {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let new_name = d
        .spec
        .as_ref()
        .map(|s| format!("{}-{}", d.metadata.name.as_deref().unwrap_or(""), pod_template_hash(&s.template)));
    let mut old = Vec::new();
    let mut new = None;
    for o in store.list(Kind::ReplicaSet, Some(&ns)) {
        let Object::ReplicaSet(rs) = o else { continue };
        if !rs.metadata.owner_references.iter().flatten().any(|r| r.controller == Some(true) && r.uid == uid) {
            continue;
        }
        if rs.metadata.name.is_some() && rs.metadata.name == new_name {
            new = Some(rs);
        } else {
            old.push(rs);
        }
    }
    (old, new)
}

/// DeploymentStatusViewer.Status: the line to print and whether the rollout is done.
fn status_line(d: &Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = d.metadata.name.clone().unwrap_or_default();
    if revision > 0 {
        let current = d
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("deployment.kubernetes.io/revision"))
            .and_then(|r| r.parse::<i64>().ok());
        match current {
            None => return Err(format!("cannot get the revision of deployment \"{name}\"")),
            Some(c) if c != revision => {
                return Err(format!("desired revision ({revision}) is different from the running revision ({c})"))
            }
            _ => {}
        }
    }
    let st = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let progressing = st.conditions.iter().flatten().find(|c| c.type_ == "Progressing");
    if progressing.is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded")) {
        return Err(format!("deployment \"{name}\" exceeded its progress deadline"));
    }
    let (updated, total, available) =
        (st.updated_replicas.unwrap_or(0), st.replicas.unwrap_or(0), st.available_replicas.unwrap_or(0));
    if let Some(replicas) = d.spec.as_ref().and_then(|s| s.replicas) {
        if updated < replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...\n"
                ),
                false,
            ));
        }
    }
    if total > updated {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n",
                total - updated
            ),
            false,
        ));
    }
    if available < updated {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"
            ),
            false,
        ));
    }
    Ok((format!("deployment \"{name}\" successfully rolled out\n"), true))
}

/// The lines a running `rollout status` prints for the Deployment's changes since last time.
pub(super) fn watch_lines(sim: &Simulation, w: &mut Watch, r: &mut RolloutWatch) -> String {
    let log = sim.store().log();
    let mut out = String::new();
    for change in log.get(w.cursor..).unwrap_or(&[]) {
        if r.done {
            break;
        }
        if change.key.kind != Kind::Deployment || change.key.namespace != r.namespace || change.key.name != r.name {
            continue;
        }
        let Object::Deployment(d) = change.object.as_ref() else { continue };
        if change.op == Op::Deleted {
            r.done = true;
            continue;
        }
        match status_line(d, r.revision) {
            Ok((line, done)) => {
                out.push_str(&line);
                r.done = done;
            }
            Err(_) => r.done = true,
        }
    }
    w.cursor = log.len();
    out
}

/// `TYPE/NAME` or `TYPE NAME`; the error is the message to print.
fn target(p: &args::Parsed) -> Result<(Kind, String), String> {
    let words = &p.positional;
    let Some(first) = words.first() else {
        return Err("error: required resource not specified".into());
    };
    let (kind_word, name) = match first.split_once('/') {
        Some((k, n)) => (k.to_string(), Some(n.to_string())),
        None => (first.clone(), words.get(1).cloned()),
    };
    let Some(kind) = resolve_kind(&kind_word) else {
        return Err(format!("error: the server doesn't have a resource type \"{kind_word}\""));
    };
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return Err("error: resource(s) were provided, but no name was specified".into());
    };
    Ok((kind, name))
}

/// `group.Kind` as Go's GroupKind prints it (`ReplicaSet.apps`, `Pod`).
fn group_kind(kind: Kind) -> String {
    match kind.api_version().rsplit_once('/') {
        Some((group, _)) => format!("{}.{group}", kind.name()),
        None => kind.name().to_string(),
    }
}

fn not_found(kind: Kind, name: &str) -> Output {
    Output::error(format!("Error from server (NotFound): {} \"{name}\" not found", resource_string(kind)))
}

/// The resource with its group (`deployments.apps`), as kubectl names it in messages.
fn resource_string(kind: Kind) -> String {
    match kind.api_version().rsplit_once('/') {
        Some((group, _)) => format!("{}.{group}", kind.resource()),
        None => kind.resource().to_string(),
    }
}

/// `kubectl rollout SUBCOMMAND TYPE/NAME`.
pub fn run(sim: &mut Simulation, words: &[String]) -> Output {
    let Some(sub) = words.first() else {
        return Output::error("error: Required resource not specified.");
    };
    // `--watch=false` turns the watch off (the parser drops boolean flags set to false).
    let no_watch = words.iter().any(|w| w == "--watch=false" || w == "-w=false");
    let p = match args::parse(&words[1..], FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if !matches!(sub.as_str(), "status" | "history" | "undo" | "restart" | "pause" | "resume") {
        return Output::error(format!("error: unknown command \"{sub}\" for \"kubectl rollout\""));
    }
    let (kind, name) = match target(&p) {
        Ok(t) => t,
        Err(e) => return Output::error(e),
    };
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let key = ObjectKey::new(kind, &ns, &name);
    let Some(obj) = sim.store().get(&key).cloned() else {
        return not_found(kind, &name);
    };
    let revision = |flag: &str| -> Result<i64, String> {
        match p.flag(flag) {
            None => Ok(0),
            Some(v) => v.parse::<i64>().map_err(|_| {
                format!(
                    "error: invalid argument \"{v}\" for \"--{flag}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
                )
            }),
        }
    };
    let Object::Deployment(d) = obj else {
        let gk = group_kind(kind);
        return Output::error(match sub.as_str() {
            "status" => format!("error: no status viewer has been implemented for {gk}"),
            "history" => format!("error: no history viewer has been implemented for \"{gk}\""),
            "undo" => format!("error: no rollbacker has been implemented for \"{gk}\""),
            "restart" => format!("error: {} \"{name}\" restarting is not supported", resource_string(kind)),
            _ => format!("error: {} \"{name}\" pausing is not supported", resource_string(kind)),
        });
    };
    let what = format!("{}/{name}", qualified(kind));
    match sub.as_str() {
        "status" => {
            let rev = match revision("revision") {
                Ok(r) => r,
                Err(e) => return Output::error(e),
            };
            match status_line(&d, rev) {
                Err(e) => Output::error(format!("error: {e}")),
                Ok((line, done)) => {
                    let watch = (!done && !no_watch).then(|| Watch {
                        cursor: sim.store().log().len(),
                        rollout: Some(RolloutWatch { namespace: ns.clone(), name: name.clone(), revision: rev, done }),
                        ..Default::default()
                    });
                    Output { stdout: line, watch, ..Default::default() }
                }
            }
        }
        "history" => {
            let rev = match revision("revision") {
                Ok(r) => r,
                Err(e) => return Output::error(e),
            };
            history(sim.store(), &d, rev, &what)
        }
        "undo" => {
            let to = match revision("to-revision") {
                Ok(r) => r,
                Err(e) => return Output::error(e),
            };
            undo(sim, &d, &key, to, &what)
        }
        "restart" => {
            if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
                return Output::error(format!(
                    "error: {} \"{name}\" can't restart paused deployment (run rollout resume first)",
                    resource_string(kind)
                ));
            }
            // objectrestarter.go: the template's restartedAt annotation, RFC 3339.
            let at = sim.store().epoch().timestamp(sim.now()).strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let before = d
                .spec
                .as_ref()
                .and_then(|s| s.template.metadata.as_ref())
                .and_then(|m| m.annotations.as_ref())
                .and_then(|a| a.get("kubectl.kubernetes.io/restartedAt").cloned());
            if before.as_deref() == Some(at.as_str()) {
                return Output::error(format!("error: failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"));
            }
            match sim.patch_deployment(&key, |d| {
                let t = &mut d.spec.get_or_insert_with(Default::default).template;
                t.metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert("kubectl.kubernetes.io/restartedAt".into(), at);
            }) {
                Ok(_) => Output { stdout: format!("{what} restarted\n"), ..Default::default() },
                Err(e) => Output::error(e.to_string()),
            }
        }
        _ => {
            let pause = sub == "pause";
            let is_paused = d.spec.as_ref().and_then(|s| s.paused) == Some(true);
            if pause == is_paused {
                let state = if pause { "already paused" } else { "already resumed" };
                return Output { stdout: format!("{what} {state}\n"), ..Default::default() };
            }
            match sim.patch_deployment(&key, |d| {
                d.spec.get_or_insert_with(Default::default).paused = pause.then_some(true);
            }) {
                Ok(_) => Output {
                    stdout: format!("{what} {}\n", if pause { "paused" } else { "resumed" }),
                    ..Default::default()
                },
                Err(e) => Output::error(e.to_string()),
            }
        }
    }
}

/// DeploymentHistoryViewer.ViewHistory, printed as the name printer does with the history as
/// its "operation" (hence the space after the name and the blank line at the end).
fn history(store: &Store, d: &Deployment, revision: i64, what: &str) -> Output {
    let (old, new) = deployment_replica_sets(store, d);
    let mut by_revision: BTreeMap<i64, &ReplicaSet> = BTreeMap::new();
    for rs in old.into_iter().chain(new) {
        let r = revision_of(rs);
        if rs.metadata.annotations.as_ref().is_some_and(|a| a.contains_key("deployment.kubernetes.io/revision")) {
            by_revision.insert(r, rs);
        }
    }
    let template_of = |rs: &ReplicaSet| {
        let mut t = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
        if let Some(cause) =
            rs.metadata.annotations.as_ref().and_then(|a| a.get(CHANGE_CAUSE)).filter(|c| !c.is_empty())
        {
            t.metadata
                .get_or_insert_with(Default::default)
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(CHANGE_CAUSE.into(), cause.clone());
        }
        t
    };
    let body = if by_revision.is_empty() {
        "No rollout history found.".to_string()
    } else if revision > 0 {
        match by_revision.get(&revision) {
            Some(rs) => describe::describe_pod_template(&template_of(rs)),
            None => return Output::error("error: unable to find the specified revision"),
        }
    } else {
        // history.go tabbedString: minwidth 0, padding 2.
        let mut w = super::tabwriter::TabWriter::for_describe();
        w.write_str("REVISION\tCHANGE-CAUSE\n");
        for (r, rs) in &by_revision {
            let cause = rs.metadata.annotations.as_ref().and_then(|a| a.get(CHANGE_CAUSE)).cloned();
            w.write_str(&format!("{r}\t{}\n", cause.filter(|c| !c.is_empty()).unwrap_or_else(|| "<none>".into())));
        }
        w.finish()
    };
    let with_revision = if revision > 0 { format!("with revision #{revision}") } else { String::new() };
    Output { stdout: format!("{what} {with_revision}\n{body}\n"), ..Default::default() }
}

/// DeploymentRollbacker.Rollback: the chosen revision's template (without its hash label) and
/// annotations go back into the Deployment.
fn undo(sim: &mut Simulation, d: &Deployment, key: &ObjectKey, to: i64, what: &str) -> Output {
    if to < 0 {
        return Output::error(format!("error: unable to find specified revision {to} in history"));
    }
    let (old, new) = deployment_replica_sets(sim.store(), d);
    let all: Vec<&ReplicaSet> = old.into_iter().chain(new).collect();
    let chosen: Option<ReplicaSet> = if to > 0 {
        match all.iter().find(|rs| has_revision(rs) && revision_of(rs) == to) {
            Some(rs) => Some((*rs).clone()),
            None => return Output::error(format!("error: unable to find specified revision {to} in history")),
        }
    } else {
        type Seen<'a> = (i64, Option<&'a ReplicaSet>);
        let (mut latest, mut previous): (Seen, Seen) = ((-1, None), (-1, None));
        for rs in all.iter().filter(|rs| has_revision(rs)) {
            let v = revision_of(rs);
            if latest.0 < v {
                previous = latest;
                latest = (v, Some(rs));
            } else if previous.0 < v {
                previous = (v, Some(rs));
            }
        }
        previous.1.cloned()
    };
    let Some(rs) = chosen else {
        return Output::error(format!(
            "error: no rollout history found for deployment \"{}\"",
            d.metadata.name.as_deref().unwrap_or("")
        ));
    };
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        return Output::error(
            "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        );
    }
    let mut template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    if let Some(l) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(HASH_LABEL);
    }
    let current = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let strip = |mut t: k8s_openapi::api::core::v1::PodTemplateSpec| {
        if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            l.remove(HASH_LABEL);
        }
        t
    };
    if strip(current) == template {
        return Output {
            stdout: format!("{what} skipped rollback (current template already matches revision {to})\n"),
            ..Default::default()
        };
    }
    const SKIP: &[&str] = &[
        "kubectl.kubernetes.io/last-applied-configuration",
        "deployment.kubernetes.io/revision",
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    ];
    let mut annotations: BTreeMap<String, String> = d
        .metadata
        .annotations
        .iter()
        .flatten()
        .filter(|(k, _)| SKIP.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in rs.metadata.annotations.iter().flatten() {
        if !SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    match sim.patch_deployment(key, |d| {
        d.spec.get_or_insert_with(Default::default).template = template;
        d.metadata.annotations = Some(annotations).filter(|a| !a.is_empty());
    }) {
        Ok(_) => Output { stdout: format!("{what} rolled back\n"), ..Default::default() },
        Err(e) => Output::error(format!("error: failed restoring revision {to}: {}", e.message)),
    }
}

fn has_revision(rs: &ReplicaSet) -> bool {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .is_some_and(|r| r.parse::<i64>().is_ok())
}
