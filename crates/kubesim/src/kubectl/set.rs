//! `kubectl set image (TYPE NAME | TYPE/NAME ...) CONTAINER=IMAGE ... [-l SEL | --all]`
//! (k8s.io/kubectl/pkg/cmd/set/set_image.go): sets the image of the named containers (`*`: all),
//! init containers included, in a pod or in a workload's pod template, and sends the object back
//! through the apiserver. A Deployment rolls out; a pod's kubelet restarts the container
//! ("definition changed"). Objects whose images are already those print nothing, as upstream's
//! empty patch does.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodSpec;

use super::args::{self, FlagSpec};
use super::builder::{self, Select};
use super::Output;
use crate::api::Object;
use crate::sim::{Applied, Simulation};

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "all", short: None, takes_value: false },
    FlagSpec { long: "selector", short: Some('l'), takes_value: true },
];

pub fn run(sim: &mut Simulation, words: &[String]) -> Output {
    match words.first().map(String::as_str) {
        Some("image") => image(sim, &words[1..]),
        Some(other) => Output::error(format!(
            "error: kubectl set {other} is not part of the playground (it has: kubectl set image)"
        )),
        None => Output::error("error: a subcommand is required: kubectl set image TYPE NAME CONTAINER=IMAGE"),
    }
}

/// The pod spec an object carries (its own, or its template's).
fn pod_spec(obj: &mut Object) -> Option<&mut PodSpec> {
    match obj {
        Object::Pod(p) => p.spec.as_mut(),
        Object::Deployment(d) => d.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        Object::ReplicaSet(r) => r.spec.as_mut().and_then(|s| s.template.as_mut()).and_then(|t| t.spec.as_mut()),
        Object::ReplicationController(r) => {
            r.spec.as_mut().and_then(|s| s.template.as_mut()).and_then(|t| t.spec.as_mut())
        }
        Object::Job(j) => j.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        _ => None,
    }
}

fn image(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let (resources, pairs) = match builder::resources_and_pairs(&p.positional, "image") {
        Ok(x) => x,
        Err(e) => return Output::error(e),
    };
    let mut images: BTreeMap<String, String> = BTreeMap::new();
    for pair in &pairs {
        match pair.split_once('=') {
            Some((name, image)) if !name.is_empty() && !image.is_empty() => {
                images.insert(name.to_string(), image.to_string());
            }
            _ => return Output::error(format!("error: invalid image format: {pair}")),
        }
    }
    let mut usage = Vec::new();
    if p.has("all") && p.has("selector") {
        usage.push("cannot set --all and --selector at the same time");
    }
    if resources.is_empty() {
        usage.push("one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if images.is_empty() {
        usage.push("at least one image update is required");
    } else if images.len() > 1 && images.contains_key("*") {
        usage.push(
            "all containers are already specified by *, but saw more than one container_name=container_image pairs",
        );
    }
    if !usage.is_empty() {
        let msg = if usage.len() == 1 { usage[0].to_string() } else { format!("[{}]", usage.join(", ")) };
        return Output::error(format!("error: {msg}"));
    }
    let how = Select {
        namespace: p.flag("namespace").unwrap_or("default"),
        all_namespaces: false,
        all: p.has("all"),
        selector: p.flag("selector"),
    };
    let found = match builder::resolve(sim.store(), &resources, &how) {
        Ok(f) => f,
        Err(e) => return Output::error(e),
    };
    let mut out = Output::default();
    let mut errors = Vec::new();
    for f in found {
        let key = match f {
            Ok(k) => k,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(mut obj) = sim.store().get(&key).cloned() else { continue };
        let Some(spec) = pod_spec(&mut obj) else {
            errors.push(format!(
                "error: {}/{} the object is not a pod or does not have a pod template",
                key.kind.resource(),
                key.name
            ));
            continue;
        };
        let mut changed = false;
        for (name, image) in &images {
            let mut found = false;
            for c in spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut()) {
                if c.name == *name || name == "*" {
                    found = true;
                    changed |= c.image.as_deref() != Some(image.as_str());
                    c.image = Some(image.clone());
                }
            }
            if !found {
                errors.push(format!("error: unable to find container named {name:?}"));
            }
        }
        if !changed {
            continue;
        }
        match sim.update_existing(obj, false) {
            Applied::Configured(_) | Applied::Created(_) | Applied::Unchanged(_) => {
                out.stdout.push_str(&format!("{} image updated\n", builder::printed_name(&key)))
            }
            Applied::Rejected(e) => errors.push(format!("failed to patch image update to pod template: {}", e.message)),
            Applied::Invalid(e) => errors.push(format!("failed to patch image update to pod template: {}", e.message)),
        }
    }
    out.with_errors(&errors)
}
