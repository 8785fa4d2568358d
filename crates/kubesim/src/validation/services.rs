//! Services: pkg/apis/core/validation/validation.go, `ValidateService` and `validateServicePort`,
//! plus the NodePort allocator's range check (pkg/registry/core/service/portallocator).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{q, FieldError, Msg, Path};
use super::labels::{self, NameRule};
use super::{names, pods};

/// The default `--service-node-port-range`.
pub const NODE_PORT_RANGE: (i32, i32) = (30000, 32767);

pub fn service(s: &Service) -> Vec<FieldError> {
    let mut errs = labels::object_meta(&s.metadata, true, NameRule::Dns1035, &Path::new("metadata"));
    let empty = ServiceSpec::default();
    let spec = s.spec.as_ref().unwrap_or(&empty);
    let path = Path::new("spec");
    let typ = spec.type_.as_deref().filter(|t| !t.is_empty()).unwrap_or("ClusterIP");
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() && !headless && typ != "ExternalName" {
        errs.push(FieldError::required(&path.child("ports"), Msg::none()));
    }
    if typ == "ExternalName" {
        match spec.external_name.as_deref().filter(|n| !n.is_empty()) {
            None => errs.push(FieldError::required(&path.child("externalName"), Msg::none())),
            Some(n) => {
                for m in names::dns1123_subdomain(n.trim_end_matches('.')) {
                    errs.push(FieldError::invalid(&path.child("externalName"), q(n), m));
                }
            }
        }
    }
    let mut port_names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        errs.extend(service_port(p, ports.len() > 1, &mut port_names, &path.child("ports").index(i)));
    }
    errs.extend(labels::labels(spec.selector.as_ref(), &path.child("selector")));
    if let Some(a) = spec.session_affinity.as_deref().filter(|a| !a.is_empty()) {
        if !matches!(a, "ClientIP" | "None") {
            errs.push(FieldError::not_supported(&path.child("sessionAffinity"), a, &["ClientIP", "None"]));
        }
    }
    if !matches!(typ, "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort") {
        errs.push(FieldError::not_supported(
            &path.child("type"),
            typ,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ));
    }
    for (i, p) in ports.iter().enumerate() {
        let pp = path.child("ports").index(i).child("nodePort");
        match p.node_port.filter(|&n| n != 0) {
            Some(_) if typ == "ClusterIP" => errs.push(FieldError::forbidden(
                &pp,
                Msg::new(
                    "may not be used when `type` is 'ClusterIP'",
                    "type이 'ClusterIP'이면 nodePort를 쓸 수 없습니다",
                ),
            )),
            Some(n) if !(NODE_PORT_RANGE.0..=NODE_PORT_RANGE.1).contains(&n) => errs.push(FieldError::invalid(
                &pp,
                n.to_string(),
                Msg::new(
                    format!(
                        "provided port is not in the valid range. The range of valid ports is {}-{}",
                        NODE_PORT_RANGE.0, NODE_PORT_RANGE.1
                    ),
                    format!("nodePort는 {}에서 {} 사이여야 합니다", NODE_PORT_RANGE.0, NODE_PORT_RANGE.1),
                ),
            )),
            _ => {}
        }
    }
    // The same port and protocol twice.
    let mut seen = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        if !seen.insert((p.port, proto)) {
            errs.push(FieldError::duplicate(
                &path.child("ports").index(i),
                format!(
                    "core.ServicePort{{Name:\"\", Protocol:{proto:?}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    p.port
                ),
            ));
        }
    }
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let Some(n) = p.node_port.filter(|&n| n != 0) else {
            continue;
        };
        if !node_ports.insert((n, p.protocol.as_deref().unwrap_or("TCP"))) {
            errs.push(FieldError::duplicate(&path.child("ports").index(i).child("nodePort"), n.to_string()));
        }
    }
    errs
}

/// `validateServicePort`.
fn service_port<'a>(
    p: &'a ServicePort,
    require_name: bool,
    names_seen: &mut BTreeSet<&'a str>,
    path: &Path,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = p.name.as_deref().unwrap_or("");
    if require_name && name.is_empty() {
        errs.push(FieldError::required(
            &path.child("name"),
            Msg::new("", "포트가 둘 이상이면 각 포트에 이름이 있어야 합니다"),
        ));
    } else if !name.is_empty() {
        for m in names::dns1123_label(name) {
            errs.push(FieldError::invalid(&path.child("name"), q(name), m));
        }
        if !names_seen.insert(name) {
            errs.push(FieldError::duplicate(&path.child("name"), q(name)));
        }
    }
    for m in names::port_num(p.port.into()) {
        errs.push(FieldError::invalid(&path.child("port"), p.port.to_string(), m));
    }
    if let Some(proto) = p.protocol.as_deref() {
        if proto.is_empty() {
            errs.push(FieldError::required(&path.child("protocol"), Msg::none()));
        } else if !matches!(proto, "TCP" | "UDP" | "SCTP") {
            errs.push(FieldError::not_supported(&path.child("protocol"), proto, &["SCTP", "TCP", "UDP"]));
        }
    }
    // An unset targetPort defaults to `port`.
    if let Some(t) = &p.target_port {
        if *t != IntOrString::Int(0) {
            errs.extend(pods::port_num_or_name(t, &path.child("targetPort")));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn svc(name: &str, ports: Vec<ServicePort>, typ: Option<&str>) -> Service {
        Service {
            metadata: ObjectMeta { name: Some(name.into()), ..Default::default() },
            spec: Some(ServiceSpec { ports: Some(ports), type_: typ.map(Into::into), ..Default::default() }),
            ..Default::default()
        }
    }

    fn port(p: i32) -> ServicePort {
        ServicePort { port: p, ..Default::default() }
    }

    fn msgs(s: &Service) -> Vec<String> {
        service(s).iter().map(FieldError::message).collect()
    }

    #[test]
    fn ports_are_required_and_named_when_several() {
        assert_eq!(msgs(&svc("web", vec![], None)), ["spec.ports: Required value"]);
        assert_eq!(msgs(&svc("web", vec![port(80), port(443)], None)).len(), 2);
        assert!(msgs(&svc("web", vec![port(80)], None)).is_empty());
    }

    #[test]
    fn names_are_dns1035_labels() {
        assert_eq!(msgs(&svc("1web", vec![port(80)], None)).len(), 1);
        assert_eq!(msgs(&svc("svc-1", vec![port(80)], None)).len(), 0);
    }

    #[test]
    fn node_ports() {
        let mut p = port(80);
        p.node_port = Some(80);
        assert_eq!(
            msgs(&svc("web", vec![p.clone()], Some("NodePort"))),
            ["spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"]
        );
        assert_eq!(
            msgs(&svc("web", vec![p], None)),
            ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
        );
        assert_eq!(msgs(&svc("web", vec![port(80)], Some("Cluster"))).len(), 1);
    }
}
