//! The apiserver's validation of objects on create, with upstream's field paths and wording
//! (pkg/apis/*/validation and k8s.io/apimachinery/pkg/util/validation), in English and Korean.
//!
//! `validate` checks one typed object; it knows nothing of text. The manifest reader
//! (`crate::manifest`) maps each error's path back to a line and column.

pub mod field;
pub mod labels;
pub mod names;
pub mod pods;
pub mod quantities;
pub mod services;
pub mod workloads;

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Namespace, Node};

pub use field::{ErrorType, FieldError, Msg, Path, Seg};

use crate::api::{Kind, Object};
use labels::NameRule;

/// Every validation error of `obj`, in upstream's order, duplicates removed (as upstream's
/// aggregate does).
pub fn validate(obj: &Object) -> Vec<FieldError> {
    let errs = match obj {
        Object::Pod(p) => pods::pod(p),
        Object::Service(s) => services::service(s),
        Object::Deployment(d) => workloads::deployment(d),
        Object::ReplicaSet(r) => workloads::replica_set(r),
        Object::ReplicationController(r) => workloads::replication_controller(r),
        Object::Job(j) => workloads::job(j),
        Object::Namespace(n) => namespace(n),
        Object::Node(n) => node(n),
        // Events and endpoint slices are written by components, never by learners.
        Object::Event(_) | Object::EndpointSlice(_) => Vec::new(),
        Object::Endpoints(e) => {
            labels::object_meta(&e.metadata, true, NameRule::Subdomain, &field::Path::new("metadata"))
        }
    };
    let mut seen = BTreeSet::new();
    errs.into_iter().filter(|e| seen.insert(e.message())).collect()
}

fn namespace(n: &Namespace) -> Vec<FieldError> {
    labels::object_meta(&n.metadata, false, NameRule::Label, &Path::new("metadata"))
}

fn node(n: &Node) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&n.metadata, false, NameRule::Subdomain, &Path::new("metadata"));
    let path = Path::new("spec").child("taints");
    for (i, t) in n.spec.iter().flat_map(|s| s.taints.iter().flatten()).enumerate() {
        let p = path.index(i);
        for m in names::qualified_name(&t.key) {
            errs.push(FieldError::invalid(&p.child("key"), field::q(&t.key), m));
        }
        if let Some(v) = t.value.as_deref() {
            for m in names::label_value(v) {
                errs.push(FieldError::invalid(&p.child("value"), field::q(v), m));
            }
        }
        if t.effect.is_empty() {
            errs.push(FieldError::required(&p.child("effect"), Msg::none()));
        } else if !matches!(t.effect.as_str(), "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            errs.push(FieldError::not_supported(
                &p.child("effect"),
                &t.effect,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            ));
        }
    }
    errs
}

/// The kind's name in the Kubernetes Korean glossary.
pub fn kind_ko(kind: Kind) -> &'static str {
    match kind {
        Kind::Pod => "파드",
        Kind::Service => "서비스",
        Kind::Deployment => "디플로이먼트",
        Kind::ReplicaSet => "레플리카셋",
        Kind::ReplicationController => "레플리케이션 컨트롤러",
        Kind::Job => "잡",
        Kind::Namespace => "네임스페이스",
        Kind::Node => "노드",
        Kind::Event => "이벤트",
        Kind::Endpoints => "엔드포인트",
        Kind::EndpointSlice => "엔드포인트슬라이스",
    }
}

/// The message kubectl prints for an Invalid status (apimachinery's `NewInvalid`, shown through
/// kubectl's `MultilineError`): one error inline, several as a bulleted list.
pub fn invalid_message(kind: Kind, name: &str, errs: &[FieldError]) -> (String, String) {
    let en_head = format!("The {} {name:?} is invalid: ", kind.name());
    let ko_head = format!("{} {name:?}이(가) 유효하지 않습니다: ", kind_ko(kind));
    match errs {
        [one] => (format!("{en_head}{}", one.message()), format!("{ko_head}{}", one.message_ko())),
        many => {
            let mut en = en_head;
            let mut ko = ko_head;
            for e in many {
                en.push_str(&format!("\n* {}", e.message()));
                ko.push_str(&format!("\n* {}", e.message_ko()));
            }
            (en, ko)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    #[test]
    fn aggregates_like_kubectl() {
        let pod = Pod {
            metadata: ObjectMeta { name: Some("x".into()), ..Default::default() },
            spec: Some(PodSpec {
                containers: vec![
                    Container { name: "web".into(), ..Default::default() },
                    Container { name: "web".into(), image: Some("nginx".into()), ..Default::default() },
                ],
                ..Default::default()
            }),
            ..Default::default()
        };
        let errs = validate(&Object::Pod(pod));
        let (en, ko) = invalid_message(Kind::Pod, "x", &errs);
        assert_eq!(
            en,
            "The Pod \"x\" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[1].name: Duplicate value: \"web\""
        );
        assert!(ko.starts_with("파드 \"x\"이(가) 유효하지 않습니다: \n* spec.containers[0].image: 필수 값입니다"));
        let (one, _) = invalid_message(Kind::Pod, "x", &errs[..1]);
        assert_eq!(one, "The Pod \"x\" is invalid: spec.containers[0].image: Required value");
    }

    #[test]
    fn namespace_names_are_labels() {
        let ns = Namespace {
            metadata: ObjectMeta { name: Some("my.ns".into()), ..Default::default() },
            ..Default::default()
        };
        let e = validate(&Object::Namespace(ns));
        assert_eq!(e[0].message(), "metadata.name: Invalid value: \"my.ns\": must not contain dots");
    }
}
