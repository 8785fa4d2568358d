//! `kubectl rollout status|history|undo|restart` for Deployments (k8s.io/kubectl/pkg/cmd/rollout,
//! pkg/polymorphichelpers: rollout_status.go, history.go, rollback.go). `status` reports the
//! rollout as it stands now (like `--watch=false`): the playground's time only moves when the
//! learner lets it, so a blocking command could wait forever.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};

use super::args;
use super::tabwriter;
use super::Output;
use crate::api::{Kind, Object, ObjectKey};
use crate::sim::{Applied, Simulation};
use crate::store::ApiError;

fn target(words: &[String]) -> Result<(String, Vec<String>), String> {
    let mut pos = words.iter().filter(|w| !w.starts_with('-')).cloned();
    let first = pos.next().ok_or("error: required resource not specified")?;
    let name = match first.split_once('/') {
        Some(("deployment" | "deployments" | "deploy" | "deployment.apps", n)) => n.to_string(),
        Some((k, _)) => return Err(format!("error: no rollout support for {k}")),
        None if matches!(first.as_str(), "deployment" | "deployments" | "deploy") => {
            pos.next().ok_or("error: required resource not specified")?
        }
        None => return Err(format!("error: no rollout support for {first}")),
    };
    Ok((name, words.to_vec()))
}

fn revision_of(rs: &ReplicaSet) -> i64 {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn owned_sets(sim: &Simulation, d: &Deployment, ns: &str) -> Vec<ReplicaSet> {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let mut v: Vec<ReplicaSet> = sim
        .store()
        .list(Kind::ReplicaSet, Some(ns))
        .filter_map(|o| match o {
            Object::ReplicaSet(rs) => Some(rs.clone()),
            _ => None,
        })
        .filter(|rs| rs.metadata.owner_references.iter().flatten().any(|o| o.uid == uid))
        .collect();
    v.sort_by_key(revision_of);
    v
}

pub fn rollout(sim: &mut Simulation, words: &[String]) -> Output {
    let Some(sub) = words.first() else {
        return Output::error("error: a subcommand is required: history, pause, restart, resume, status, undo");
    };
    let parsed = match args::parse(
        &words[1..],
        &[
            args::FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
            args::FlagSpec { long: "to-revision", short: None, takes_value: true },
            args::FlagSpec { long: "revision", short: None, takes_value: true },
            args::FlagSpec { long: "watch", short: Some('w'), takes_value: true },
        ],
    ) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let ns = parsed.flag("namespace").unwrap_or("default").to_string();
    let (name, _) = match target(&parsed.positional) {
        Ok(t) => t,
        Err(e) => return Output::error(e),
    };
    let key = ObjectKey::new(Kind::Deployment, &ns, &name);
    let Some(Object::Deployment(d)) = sim.store().get(&key).cloned() else {
        return Output::error(ApiError::not_found(&key).to_string());
    };
    match sub.as_str() {
        "status" => status(&d, &name),
        "history" => history(sim, &d, &ns, &name),
        "undo" => undo(sim, d, &ns, &name, parsed.flag("to-revision")),
        "restart" => restart(sim, d, &name),
        other => Output::error(format!("error: unknown command \"{other}\" for \"kubectl rollout\"")),
    }
}

/// DeploymentStatusViewer.Status.
fn status(d: &Deployment, name: &str) -> Output {
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let generation = d.metadata.generation.unwrap_or(0);
    let line = if generation > st.observed_generation.unwrap_or(0) {
        "Waiting for deployment spec update to be observed...\n".to_string()
    } else {
        let replicas = spec.replicas.unwrap_or(1);
        let updated = st.updated_replicas.unwrap_or(0);
        let total = st.replicas.unwrap_or(0);
        let available = st.available_replicas.unwrap_or(0);
        if st
            .conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded"))
        {
            return Output::error(format!("error: deployment {name:?} exceeded its progress deadline"));
        }
        if updated < replicas {
            format!("Waiting for deployment {name:?} rollout to finish: {updated} out of {replicas} new replicas have been updated...\n")
        } else if total > updated {
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
                total - updated
            )
        } else if available < updated {
            format!("Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available...\n")
        } else {
            format!("deployment {name:?} successfully rolled out\n")
        }
    };
    Output { stdout: line, ..Default::default() }
}

fn history(sim: &Simulation, d: &Deployment, ns: &str, name: &str) -> Output {
    let sets = owned_sets(sim, d, ns);
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for rs in &sets {
        let cause = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("kubernetes.io/change-cause"))
            .cloned()
            .unwrap_or_else(|| "<none>".into());
        rows.push(vec![revision_of(rs).to_string(), cause]);
    }
    if sets.is_empty() {
        return Output { stdout: format!("No rollout history found in deployment {name:?}\n"), ..Default::default() };
    }
    Output { stdout: format!("deployment.apps/{name} \n{}\n", tabwriter::render(&rows)), ..Default::default() }
}

fn undo(sim: &mut Simulation, mut d: Deployment, ns: &str, name: &str, to: Option<&str>) -> Output {
    let sets = owned_sets(sim, &d, ns);
    let to: i64 = match to.map(str::parse) {
        None => 0,
        Some(Ok(v)) if v >= 0 => v,
        _ => return Output::error("error: invalid argument for \"--to-revision\" flag"),
    };
    let target = if to == 0 {
        // The previous revision: the second highest.
        if sets.len() < 2 {
            return Output::error(format!("error: no rollout history found for deployment {name:?}"));
        }
        sets.get(sets.len() - 2)
    } else {
        sets.iter().find(|rs| revision_of(rs) == to)
    };
    let Some(rs) = target else {
        return Output::error(format!("error: unable to find specified revision {to} in history"));
    };
    let mut template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    if let Some(l) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove("pod-template-hash");
    }
    let spec = d.spec.get_or_insert_with(Default::default);
    if spec.template == template {
        return Output {
            stdout: format!(
                "deployment.apps/{name} skipped rollback (current template already matches revision {})\n",
                revision_of(rs)
            ),
            ..Default::default()
        };
    }
    spec.template = template;
    match sim.update_existing(Object::Deployment(d), false) {
        Applied::Rejected(e) => Output::error(e.to_string()),
        _ => Output { stdout: format!("deployment.apps/{name} rolled back\n"), ..Default::default() },
    }
}

fn restart(sim: &mut Simulation, mut d: Deployment, name: &str) -> Output {
    let now = sim.store().epoch().time(sim.now());
    let stamp = serde_json::to_value(&now).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let spec = d.spec.get_or_insert_with(Default::default);
    spec.template
        .metadata
        .get_or_insert_with(Default::default)
        .annotations
        .get_or_insert_with(Default::default)
        .insert("kubectl.kubernetes.io/restartedAt".into(), stamp);
    match sim.update_existing(Object::Deployment(d), false) {
        Applied::Rejected(e) => Output::error(e.to_string()),
        _ => Output { stdout: format!("deployment.apps/{name} restarted\n"), ..Default::default() },
    }
}
