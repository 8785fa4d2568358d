//! Pod QoS class (pkg/apis/core/v1/helper/qos): Guaranteed when every container has cpu and
//! memory limits equal to its requests, BestEffort when none sets any, else Burstable.

use k8s_openapi::api::core::v1::PodSpec;

use crate::quantity;

pub fn qos_class(spec: &PodSpec) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
        let r = c.resources.clone().unwrap_or_default();
        let req = r.requests.unwrap_or_default();
        let lim = r.limits.unwrap_or_default();
        let parsed =
            |m: &std::collections::BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
             k: &str| { m.get(k).and_then(|q| quantity::parse(&q.0).ok()).filter(|q| q.0 != 0) };
        for res in ["cpu", "memory"] {
            let (rq, lm) = (parsed(&req, res), parsed(&lim, res));
            if rq.is_some() || lm.is_some() {
                any = true;
            }
            // An unset request defaults to the limit.
            match (rq.or(lm), lm) {
                (Some(a), Some(b)) if a == b => {}
                _ => guaranteed = false,
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, ResourceRequirements};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn pod(req: &[(&str, &str)], lim: &[(&str, &str)]) -> PodSpec {
        let m = |v: &[(&str, &str)]| {
            (!v.is_empty()).then(|| v.iter().map(|(k, q)| (k.to_string(), Quantity(q.to_string()))).collect())
        };
        PodSpec {
            containers: vec![Container {
                name: "c".into(),
                resources: Some(ResourceRequirements { requests: m(req), limits: m(lim), ..Default::default() }),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn classes() {
        assert_eq!(qos_class(&pod(&[], &[])), "BestEffort");
        assert_eq!(qos_class(&pod(&[("memory", "200Mi")], &[])), "Burstable");
        assert_eq!(qos_class(&pod(&[], &[("memory", "200Mi"), ("cpu", "1")])), "Guaranteed");
        assert_eq!(
            qos_class(&pod(&[("cpu", "1000m"), ("memory", "1Gi")], &[("cpu", "1"), ("memory", "1Gi")])),
            "Guaranteed"
        );
        assert_eq!(qos_class(&pod(&[("cpu", "500m")], &[("cpu", "1")])), "Burstable");
    }
}
