//! Container resource requirements: pkg/apis/core/validation/validation.go,
//! `ValidateResourceRequirements`, `validateContainerResourceName`, `ValidateResourceQuantityValue`.
//! Quantities were already checked for syntax while decoding; here they are compared exactly
//! (`crate::quantity`, nano-units) and printed canonically as upstream prints them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;

use super::field::{q, FieldError, Msg, Path};
use super::names;
use crate::quantity::{self, Quantity};

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `IsStandardContainerResourceName`.
fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name)
}

/// `IsNativeResource`: no domain, or a kubernetes.io one.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `IsExtendedResourceName`.
fn is_extended(name: &str) -> bool {
    !is_native(name) && !name.starts_with("requests.") && names::qualified_name(&format!("requests.{name}")).is_empty()
}

/// `IsOvercommitAllowed`: requests may be below limits (not for extended resources or hugepages).
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

fn parsed(q: &K8sQuantity) -> Option<Quantity> {
    quantity::parse(&q.0).ok()
}

fn canonical(q: &K8sQuantity) -> String {
    quantity::canonical_text(&q.0)
}

fn resource_name(name: &str, path: &Path) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> =
        names::qualified_name(name).into_iter().map(|m| FieldError::invalid(path, q(name), m)).collect();
    if !name.contains('/') {
        if !is_standard_container_resource(name) {
            errs.push(FieldError::invalid(
                path,
                q(name),
                Msg::new(
                    "must be a standard resource for containers",
                    "컨테이너의 표준 리소스(cpu, memory, ephemeral-storage, hugepages-<크기>)여야 합니다. 다른 리소스는 example.com/gpu처럼 도메인을 붙여 쓰세요",
                ),
            ));
        }
    } else if !is_native(name) && !is_extended(name) {
        errs.push(FieldError::invalid(
            path,
            q(name),
            Msg::new(
                "doesn't follow extended resource name standard",
                "확장 리소스 이름 규칙을 따르지 않습니다 (예: example.com/gpu)",
            ),
        ));
    }
    errs
}

fn quantity_value(name: &str, value: &K8sQuantity, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(v) = parsed(value) else { return errs };
    if v.0 < 0 {
        errs.push(FieldError::invalid(path, q(&canonical(value)), names::negative()));
    }
    // Extended resources are counted in whole units.
    if is_extended(name) && v.0 % 1_000_000_000 != 0 {
        errs.push(FieldError::invalid(path, canonical(value), Msg::new("must be an integer", "정수여야 합니다")));
    }
    errs
}

/// `ValidateResourceRequirements` for a container's `resources`.
pub fn requirements(r: &ResourceRequirements, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let empty = BTreeMap::new();
    let limits = r.limits.as_ref().unwrap_or(&empty);
    let requests = r.requests.as_ref().unwrap_or(&empty);
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let (mut lim_cpu_mem, mut req_cpu_mem, mut lim_huge, mut req_huge) = (false, false, false, false);
    for (name, value) in limits {
        let p = lim_path.key(name);
        errs.extend(resource_name(name, &p));
        errs.extend(quantity_value(name, value, &p));
        lim_huge |= is_hugepages(name);
        lim_cpu_mem |= matches!(name.as_str(), "cpu" | "memory");
    }
    for (name, value) in requests {
        let p = req_path.key(name);
        errs.extend(resource_name(name, &p));
        errs.extend(quantity_value(name, value, &p));
        req_huge |= is_hugepages(name);
        req_cpu_mem |= matches!(name.as_str(), "cpu" | "memory");
        let (Some(req), Some(limit)) = (parsed(value), limits.get(name)) else {
            if !limits.contains_key(name) && !overcommit_allowed(name) {
                errs.push(
                    FieldError::required(
                        &lim_path,
                        Msg::new(
                            "Limit must be set for non overcommitable resources",
                            "오버커밋할 수 없는 리소스(확장 리소스, hugepages)는 제한(limits)도 지정해야 합니다",
                        ),
                    )
                    .at(p),
                );
            }
            continue;
        };
        let Some(lim) = parsed(limit) else { continue };
        if req != lim && !overcommit_allowed(name) {
            errs.push(
                FieldError::invalid(
                    &req_path,
                    q(&canonical(value)),
                    Msg::new(
                        format!("must be equal to {name} limit of {}", canonical(limit)),
                        format!("{name} 제한(limit) {}와(과) 같아야 합니다", canonical(limit)),
                    ),
                )
                .at(p),
            );
        } else if req > lim {
            errs.push(
                FieldError::invalid(
                    &req_path,
                    q(&canonical(value)),
                    Msg::new(
                        format!("must be less than or equal to {name} limit of {}", canonical(limit)),
                        format!("{name} 제한(limit) {} 이하여야 합니다", canonical(limit)),
                    ),
                )
                .at(p),
            );
        }
    }
    if lim_huge && !lim_cpu_mem {
        errs.push(FieldError::forbidden(
            &lim_path,
            Msg::new("HugePages require cpu or memory", "HugePages를 쓰려면 cpu나 memory도 지정해야 합니다"),
        ));
    }
    if req_huge && !req_cpu_mem {
        errs.push(FieldError::forbidden(
            &req_path,
            Msg::new("HugePages require cpu or memory", "HugePages를 쓰려면 cpu나 memory도 지정해야 합니다"),
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rr(limits: &[(&str, &str)], requests: &[(&str, &str)]) -> ResourceRequirements {
        let m = |v: &[(&str, &str)]| {
            (!v.is_empty()).then(|| v.iter().map(|(k, x)| (k.to_string(), K8sQuantity(x.to_string()))).collect())
        };
        ResourceRequirements { limits: m(limits), requests: m(requests), ..Default::default() }
    }

    fn msgs(r: &ResourceRequirements) -> Vec<String> {
        requirements(r, &Path::new("spec").child("containers").index(0).child("resources"))
            .iter()
            .map(FieldError::message)
            .collect()
    }

    #[test]
    fn requests_must_not_exceed_limits() {
        assert_eq!(
            msgs(&rr(&[("cpu", "1")], &[("cpu", "2")])),
            ["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"]
        );
        assert_eq!(
            msgs(&rr(&[("memory", "0.5Gi")], &[("memory", "1Gi")])),
            ["spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 512Mi"]
        );
        assert!(msgs(&rr(&[("memory", "3Gi")], &[("memory", "2Gi")])).is_empty());
        assert!(msgs(&rr(&[("cpu", "500m")], &[("cpu", "0.5")])).is_empty());
    }

    #[test]
    fn resource_names() {
        assert_eq!(
            msgs(&rr(&[("gpu", "1")], &[])),
            ["spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers"]
        );
        assert!(msgs(&rr(&[("example.com/foo", "1")], &[("example.com/foo", "1")])).is_empty());
        assert_eq!(
            msgs(&rr(&[("example.com/foo", "2")], &[("example.com/foo", "1")])),
            ["spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to example.com/foo limit of 2"]
        );
        assert_eq!(
            msgs(&rr(&[], &[("example.com/foo", "1")])),
            ["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"]
        );
        assert_eq!(
            msgs(&rr(&[("example.com/foo", "500m")], &[("example.com/foo", "500m")])).len(),
            2 // not an integer, for limits and requests
        );
    }

    #[test]
    fn negative_quantities() {
        assert_eq!(
            msgs(&rr(&[("cpu", "-1")], &[])),
            ["spec.containers[0].resources.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"]
        );
    }
}
