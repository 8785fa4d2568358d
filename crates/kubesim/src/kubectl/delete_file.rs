//! `kubectl delete -f`: deletes the objects a manifest text names, in document order, as
//! kubectl does with a file (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go: one line per
//! object, `<kind>[.<group>] "<name>" deleted`, errors sourced with `error when deleting "FILE"`).
//! The engine does no IO: the caller (CLI or page) hands over the text it read.

use super::{qualified, Output};
use crate::api::ObjectKey;
use crate::manifest::{self, ManifestError};
use crate::sim::Simulation;
use crate::store::ApiError;

/// What happened to one document of the text.
#[derive(Clone, Debug, PartialEq)]
pub enum Deleted {
    /// Deleted (a pod on a node starts its graceful termination).
    Deleted(ObjectKey),
    /// The apiserver refused, usually NotFound.
    Failed(ObjectKey, ApiError),
    /// The document does not decode, so it names no object.
    Invalid(ManifestError),
}

/// Deletes every object the documents of `text` name (namespace `default` when unset), with
/// each one's default grace period.
pub fn delete_text(sim: &mut Simulation, text: &str) -> Vec<Deleted> {
    manifest::decode(text)
        .into_iter()
        .map(|d| match d {
            Ok(obj) => {
                let key = obj.key();
                let ns = if key.namespace.is_empty() { "default" } else { key.namespace.as_str() };
                let key = ObjectKey::new(key.kind, ns, &key.name);
                match sim.delete(&key, None) {
                    Ok(()) => Deleted::Deleted(key),
                    Err(e) => Deleted::Failed(key, e),
                }
            }
            Err(e) => Deleted::Invalid(e),
        })
        .collect()
}

/// The line kubectl prints for a deleted object.
pub fn deleted_line(key: &ObjectKey) -> String {
    let place = if key.namespace.is_empty() { String::new() } else { format!(" from {} namespace", key.namespace) };
    format!("{} \"{}\" deleted{place}", qualified(key.kind), key.name)
}

/// The line kubectl prints for an object the apiserver did not delete.
pub fn failed_line(e: &ApiError, file: &str) -> String {
    format!("Error from server ({}): error when deleting \"{file}\": {}", e.reason, e.message)
}

/// `kubectl delete -f FILE` of a text the caller read, printed as kubectl prints it.
pub fn delete_file(sim: &mut Simulation, text: &str, file: &str) -> Output {
    let mut out = Output::default();
    for r in delete_text(sim, text) {
        match r {
            Deleted::Deleted(key) => {
                out.stdout.push_str(&deleted_line(&key));
                out.stdout.push('\n');
            }
            Deleted::Failed(_, e) => {
                out.stderr.push_str(&failed_line(&e, file));
                out.stderr.push('\n');
                out.exit_code = 1;
            }
            Deleted::Invalid(e) => {
                out.stderr.push_str(&format!("error: {file}: {e}\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Kind;
    use crate::{Config, Simulation};

    const TEXT: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

    #[test]
    fn deletes_what_the_text_names() {
        let mut sim = Simulation::new(Config::default());
        sim.apply_text(TEXT);
        sim.advance_to(30 * crate::time::SECOND);
        assert_eq!(sim.store().list(Kind::Pod, Some("default")).count(), 3);
        let out = delete_file(&mut sim, TEXT, "app.yaml");
        assert_eq!(
            out.stdout,
            "pod \"web\" deleted from default namespace\ndeployment.apps \"app\" deleted from default namespace\n"
        );
        assert_eq!((out.stderr.as_str(), out.exit_code), ("", 0));
        // The pods terminate gracefully, then are gone (the Deployment's through its ReplicaSet).
        sim.advance_to(90 * crate::time::SECOND);
        assert_eq!(sim.store().list(Kind::Pod, Some("default")).count(), 0);
        assert_eq!(sim.store().list(Kind::ReplicaSet, Some("default")).count(), 0);

        // A second time: nothing is left to delete.
        let out = delete_file(&mut sim, TEXT, "app.yaml");
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "Error from server (NotFound): error when deleting \"app.yaml\": pods \"web\" not found\nError from server (NotFound): error when deleting \"app.yaml\": deployments.apps \"app\" not found\n"
        );
        assert_eq!(out.exit_code, 1);
    }

    #[test]
    fn invalid_documents_are_reported() {
        let mut sim = Simulation::new(Config::default());
        let r = delete_text(&mut sim, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  lables: {}\n");
        assert!(matches!(&r[..], [Deleted::Invalid(e)] if e.code == "UnknownField"), "{r:?}");
    }
}
