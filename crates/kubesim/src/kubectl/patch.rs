//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json] [--subresource status|scale]`
//! (k8s.io/kubectl/pkg/cmd/patch/patch.go): the patch (JSON or YAML) is applied by the
//! apiserver to the object as JSON (`crate::patch`), decoded back into its type (unknown fields
//! dropped with a warning, as the server's default `Warn` validation does) and stored through the
//! same update rules as apply. kubectl says `patched`, or `patched (no change)` when the stored
//! object did not change.

use serde_json::Value;

use super::args::{self, FlagSpec};
use super::builder::{self, Select};
use super::Output;
use crate::api::{Kind, Object, ObjectKey};
use crate::sim::{Applied, Simulation};

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "patch", short: Some('p'), takes_value: true },
    FlagSpec { long: "type", short: None, takes_value: true },
    FlagSpec { long: "subresource", short: None, takes_value: true },
    FlagSpec { long: "patch-file", short: None, takes_value: true },
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum PatchType {
    Strategic,
    Merge,
    Json,
}

pub fn patch(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if p.has("patch-file") {
        // The engine reads no files; the page and the CLI pass patches inline.
        return Output::error("error: --patch-file is not available here: pass the patch with -p");
    }
    let Some(text) = p.flag("patch").filter(|t| !t.is_empty()) else {
        return Output::error("error: must specify --patch or --patch-file containing the contents of the patch");
    };
    let kind = match p.flag("type").unwrap_or("strategic").to_ascii_lowercase().as_str() {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        _ => {
            return Output::error(format!(
                "error: --type must be one of [json merge strategic], not {:?}",
                p.flag("type").unwrap_or("")
            ))
        }
    };
    let subresource = p.flag("subresource").unwrap_or("");
    if !matches!(subresource, "" | "status" | "scale") {
        return Output::error(format!(
            "error: invalid subresource value: {subresource:?}. Must be one of [status scale resize]"
        ));
    }
    // kubectl turns YAML into JSON first (yaml.ToJSON), so both are accepted.
    let patch: Value = match crate::manifest::to_json_value(text) {
        Ok(v) => v,
        Err(e) => return Output::error(format!("error: unable to parse {text:?}: yaml: {e}")),
    };
    if p.positional.is_empty() {
        return Output::error("error: You must provide one or more resources by argument or filename.");
    }
    let how = Select { namespace: p.flag("namespace").unwrap_or("default"), ..Default::default() };
    let found = match builder::resolve(sim.store(), &p.positional, &how) {
        Ok(f) => f,
        Err(e) => return Output::error(e),
    };
    let mut out = Output::default();
    for f in found {
        let result = f.and_then(|key| patch_one(sim, &key, &patch, kind, subresource, &mut out).map(|v| (key, v)));
        match result {
            Ok((key, verb)) => out.stdout.push_str(&format!("{} {verb}\n", builder::printed_name(&key))),
            Err(e) => {
                out.stderr.push_str(&e);
                out.stderr.push('\n');
                out.exit_code = 1;
            }
        }
    }
    out
}

fn apply(doc: &mut Value, patch: &Value, kind: PatchType) -> Result<(), String> {
    match kind {
        PatchType::Merge => {
            if !patch.is_object() {
                return Err("Error from server (BadRequest): Invalid JSON Patch".into());
            }
            crate::patch::merge_patch(doc, patch);
            Ok(())
        }
        // Any failed operation is a 422 without details, which kubectl prints this way.
        PatchType::Json => crate::patch::json_patch(doc, patch).map_err(|_| {
            "The request is invalid: the server rejected our request due to an error in our request".to_string()
        }),
        PatchType::Strategic => {
            crate::patch::strategic_merge_patch(doc, patch).map_err(|e| format!("Error from server (BadRequest): {e}"))
        }
    }
}

/// Patches one object; the printer's verb.
fn patch_one(
    sim: &mut Simulation,
    key: &ObjectKey,
    patch: &Value,
    kind: PatchType,
    subresource: &str,
    out: &mut Output,
) -> Result<&'static str, String> {
    let Some(obj) = sim.store().get(key).cloned() else {
        return Err(super::not_found(key.kind, &key.name).trim_end().to_string());
    };
    if subresource == "scale" {
        return patch_scale(sim, key, &obj, patch, kind);
    }
    let mut doc = serde_json::to_value(&obj).unwrap_or(Value::Null);
    apply(&mut doc, patch, kind)?;
    let name = doc.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
    if name != key.name {
        return Err(format!(
            "Error from server (BadRequest): the name of the object ({name}) does not match the name on the URL ({})",
            key.name
        ));
    }
    let decoded = from_value(key.kind, doc.clone()).map_err(|e| format!("Error from server (BadRequest): {e}"))?;
    let kept = serde_json::to_value(&decoded).unwrap_or(Value::Null);
    for f in crate::patch::unknown_fields(&doc, &kept) {
        out.stderr.push_str(&format!("Warning: unknown field {f:?}\n"));
    }
    match sim.update_existing(decoded, subresource == "status") {
        Applied::Unchanged(_) => Ok("patched (no change)"),
        Applied::Created(_) | Applied::Configured(_) => Ok("patched"),
        Applied::Rejected(e) if e.reason == "Invalid" => Err(e.message),
        Applied::Rejected(e) => Err(e.to_string()),
        Applied::Invalid(e) => Err(format!("error: {}", e.message)),
    }
}

/// The scale subresource: an `autoscaling/v1` Scale whose `spec.replicas` is what changes.
fn patch_scale(
    sim: &mut Simulation,
    key: &ObjectKey,
    obj: &Object,
    patch: &Value,
    kind: PatchType,
) -> Result<&'static str, String> {
    let replicas = match obj {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas),
        Object::ReplicaSet(r) => r.spec.as_ref().and_then(|s| s.replicas),
        Object::ReplicationController(r) => r.spec.as_ref().and_then(|s| s.replicas),
        _ => return Err(format!("Error from server (NotFound): {} \"{}\" not found", key.kind.resource(), key.name)),
    }
    .unwrap_or(1);
    let mut doc = serde_json::json!({
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": {"name": key.name, "namespace": key.namespace},
        "spec": {"replicas": replicas},
    });
    apply(&mut doc, patch, kind)?;
    let Some(want) = doc.pointer("/spec/replicas").and_then(Value::as_i64) else {
        return Err("Error from server (BadRequest): spec.replicas: must be an integer".into());
    };
    if want < 0 {
        return Err(format!(
            "The Scale {:?} is invalid: spec.replicas: Invalid value: {want}: must be greater than or equal to 0",
            key.name
        ));
    }
    let want = want.min(i32::MAX as i64) as i32;
    if want == replicas {
        return Ok("patched (no change)");
    }
    sim.scale(key, want).map_err(|e| e.to_string())?;
    Ok("patched")
}

/// Decodes an object of `kind` from JSON (fields its type does not know are dropped).
fn from_value(kind: Kind, v: Value) -> Result<Object, String> {
    use crate::manifest::from_json as de;
    let v = &v;
    Ok(match kind {
        Kind::Pod => Object::Pod(de(v)?),
        Kind::Node => Object::Node(de(v)?),
        Kind::Namespace => Object::Namespace(de(v)?),
        Kind::Event => Object::Event(de(v)?),
        Kind::Service => Object::Service(de(v)?),
        Kind::Endpoints => Object::Endpoints(de(v)?),
        Kind::EndpointSlice => Object::EndpointSlice(de(v)?),
        Kind::Deployment => Object::Deployment(de(v)?),
        Kind::ReplicaSet => Object::ReplicaSet(de(v)?),
        Kind::ReplicationController => Object::ReplicationController(de(v)?),
        Kind::Job => Object::Job(de(v)?),
    })
}

#[cfg(test)]
mod tests {
    use crate::kubectl::testing::{cluster, line};
    use crate::sim::Simulation;

    fn sim() -> Simulation {
        cluster(
            1,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
            10_000,
        )
    }

    #[test]
    fn each_patch_type_changes_labels() {
        let mut sim = sim();
        assert_eq!(
            line(&mut sim, r#"patch pod web -p '{"metadata":{"labels":{"env":"prod"}}}'"#).0,
            "pod/web patched\n"
        );
        assert_eq!(
            line(&mut sim, r#"patch pod web -p '{"metadata":{"labels":{"env":"prod"}}}'"#).0,
            "pod/web patched (no change)\n"
        );
        assert_eq!(
            line(&mut sim, r#"patch pod web --type merge -p '{"metadata":{"labels":{"env":null}}}'"#).0,
            "pod/web patched\n"
        );
        assert_eq!(
            line(
                &mut sim,
                r#"patch pod web --type=json -p '[{"op":"add","path":"/metadata/labels/tier","value":"fe"}]'"#
            )
            .0,
            "pod/web patched\n"
        );
        let labels = line(&mut sim, "get pod web --show-labels --no-headers").0;
        assert!(labels.trim_end().ends_with("app=web,tier=fe"), "{labels}");
        // YAML patches work as well.
        assert_eq!(line(&mut sim, "patch pod web -p 'metadata: {labels: {tier: be}}'").0, "pod/web patched\n");
    }

    #[test]
    fn patch_errors() {
        let mut sim = sim();
        let r = line(&mut sim, r#"patch pod web --type=json -p '[{"op":"remove","path":"/metadata/labels/nope"}]'"#);
        assert_eq!(r.1, "The request is invalid: the server rejected our request due to an error in our request\n");
        // A pod's images may change (the kubelet restarts the container); its command may not.
        let r = line(&mut sim, r#"patch pod web -p '{"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}'"#);
        assert_eq!(r.0, "pod/web patched\n", "{r:?}");
        let r = line(&mut sim, r#"patch pod web -p '{"spec":{"containers":[{"name":"c","command":["sh"]}]}}'"#);
        assert!(
            r.1.starts_with("The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields"),
            "{r:?}"
        );
        assert_eq!(
            line(&mut sim, "patch pod web").1,
            "error: must specify --patch or --patch-file containing the contents of the patch\n"
        );
        assert_eq!(
            line(&mut sim, "patch pod web --type=bogus -p '{}'").1,
            "error: --type must be one of [json merge strategic], not \"bogus\"\n"
        );
        assert_eq!(
            line(&mut sim, "patch pod nope -p '{}'").1,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        let r = line(&mut sim, r#"patch pod web -p '{"spec":{"foo":1}}'"#);
        assert_eq!(
            (r.0.as_str(), r.1.as_str()),
            ("pod/web patched (no change)\n", "Warning: unknown field \"spec.foo\"\n")
        );
    }

    #[test]
    fn deployment_template_and_scale() {
        let mut sim = sim();
        let r = line(
            &mut sim,
            r#"patch deploy d -p '{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.25"}]}}}}'"#,
        );
        assert_eq!(r.0, "deployment.apps/d patched\n", "{r:?}");
        let r = line(&mut sim, r#"patch deployment d --subresource=scale --type=merge -p '{"spec":{"replicas":3}}'"#);
        assert_eq!(r.0, "deployment.apps/d patched\n", "{r:?}");
        sim.advance_by(20_000);
        let out = line(&mut sim, "get deploy d -o wide").0;
        assert!(out.contains("3/3") && out.contains("nginx:1.25"), "{out}");
    }
}
