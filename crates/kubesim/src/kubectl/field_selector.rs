//! `--field-selector`: the apiserver's field selectors. kubectl sends the text as is; the server
//! parses it (k8s.io/apimachinery/pkg/fields/selector.go: comma-separated `key=value`,
//! `key==value`, `key!=value` terms, `\` escapes `,` `=` `\` in values), checks every key against
//! the kind's field label conversion (pkg/apis/core/v1/conversion.go and friends), and filters on
//! the selectable fields of the kind's registry strategy (e.g. pkg/registry/core/event/strategy.go).

use crate::api::{Kind, Object};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub field: String,
    pub value: String,
    pub equal: bool,
}

/// A parsed field selector: every term must hold. Empty selects everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector(pub Vec<Term>);

/// Splits on commas not escaped by a backslash (the backslash stays in the term).
fn split_terms(text: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in text.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&text[start..i]);
            start = i + 1;
        }
    }
    terms.push(&text[start..]);
    terms
}

/// The first operator (`!=`, then `==`, then `=` at each position) splits key from value; keys
/// know no escaping.
fn split_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if rest.starts_with(op) {
                return Some((&term[..i], op, &term[i + op.len()..]));
            }
        }
    }
    None
}

fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut in_slash = false;
    for c in value.chars() {
        if in_slash {
            if !matches!(c, '\\' | ',' | '=') {
                return Err(format!("invalid field selector: invalid escape sequence: \\{c}"));
            }
            out.push(c);
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' || c == '=' {
            // Go prints the rune's code point (%v of a rune).
            return Err(format!("invalid field selector: unescaped character in value: {}", c as u32));
        } else {
            out.push(c);
        }
    }
    if in_slash {
        return Err("invalid field selector: invalid escape sequence: \\".into());
    }
    Ok(out)
}

/// Parses a selector and checks its keys against what `kind` supports. The error is the
/// server's message (kubectl wraps it, see [`list_error`]).
pub fn parse(text: &str, kind: Kind) -> Result<FieldSelector, String> {
    let text = text.trim();
    let mut terms = Vec::new();
    if text.is_empty() {
        return Ok(FieldSelector(terms));
    }
    let mut parts = split_terms(text);
    crate::sorting::sort(&mut parts);
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        let Some((field, op, value)) = split_term(part) else {
            return Err(format!("invalid selector: '{text}'; can't understand '{part}'"));
        };
        terms.push(Term { field: field.to_string(), value: unescape(value)?, equal: op != "!=" });
    }
    for t in &terms {
        check_label(kind, &t.field)?;
    }
    Ok(FieldSelector(terms))
}

/// The field labels each kind's conversion accepts, and its error for others.
fn check_label(kind: Kind, label: &str) -> Result<(), String> {
    let meta: &[&str] = &["metadata.name", "metadata.namespace"];
    let supported: &[&str] = match kind {
        Kind::Pod => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        Kind::Node => &["metadata.name", "spec.unschedulable"],
        Kind::ReplicationController | Kind::ReplicaSet => &["metadata.name", "metadata.namespace", "status.replicas"],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
            "metadata.namespace",
            "metadata.name",
        ],
        Kind::Namespace => &["status.phase", "metadata.name"],
        Kind::Service => &["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"],
        Kind::Job => &["metadata.name", "metadata.namespace", "status.successful"],
        Kind::Endpoints | Kind::EndpointSlice | Kind::Deployment => meta,
    };
    if supported.contains(&label) {
        return Ok(());
    }
    Err(match kind {
        // Kinds without their own conversion get apimachinery's default one.
        Kind::Endpoints | Kind::EndpointSlice | Kind::Deployment => {
            format!("\"{label}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
        }
        Kind::Job => format!("field label \"{label}\" not supported for \"Job\""),
        _ => format!("field label not supported: {label}"),
    })
}

/// The value of one selectable field of an object (the registry's ToSelectableFields).
fn field_value(obj: &Object, field: &str) -> String {
    let meta = obj.meta();
    match field {
        "metadata.name" => return meta.name.clone().unwrap_or_default(),
        "metadata.namespace" => return meta.namespace.clone().unwrap_or_default(),
        _ => {}
    }
    let s = |v: Option<&String>| v.cloned().unwrap_or_default();
    match obj {
        Object::Pod(p) => {
            let spec = p.spec.as_ref();
            let status = p.status.as_ref();
            match field {
                "spec.nodeName" => s(spec.and_then(|s| s.node_name.as_ref())),
                "spec.restartPolicy" => s(spec.and_then(|s| s.restart_policy.as_ref())),
                "spec.schedulerName" => s(spec.and_then(|s| s.scheduler_name.as_ref())),
                "spec.serviceAccountName" => s(spec.and_then(|s| s.service_account_name.as_ref())),
                "spec.hostNetwork" => spec.and_then(|s| s.host_network).unwrap_or(false).to_string(),
                "status.phase" => s(status.and_then(|s| s.phase.as_ref())),
                "status.podIP" => s(status.and_then(|s| s.pod_ip.as_ref())),
                "status.podIPs" => status
                    .and_then(|s| s.pod_ips.as_ref())
                    .map(|ips| ips.iter().map(|ip| ip.ip.as_str()).collect::<Vec<_>>().join(","))
                    .unwrap_or_default(),
                "status.nominatedNodeName" => s(status.and_then(|s| s.nominated_node_name.as_ref())),
                _ => String::new(),
            }
        }
        Object::Event(e) => {
            let r = &e.involved_object;
            match field {
                "involvedObject.kind" => s(r.kind.as_ref()),
                "involvedObject.namespace" => s(r.namespace.as_ref()),
                "involvedObject.name" => s(r.name.as_ref()),
                "involvedObject.uid" => s(r.uid.as_ref()),
                "involvedObject.apiVersion" => s(r.api_version.as_ref()),
                "involvedObject.resourceVersion" => s(r.resource_version.as_ref()),
                "involvedObject.fieldPath" => s(r.field_path.as_ref()),
                "reason" => s(e.reason.as_ref()),
                "reportingComponent" => s(e.reporting_component.as_ref()),
                "source" => s(e.source.as_ref().and_then(|src| src.component.as_ref())),
                "type" => s(e.type_.as_ref()),
                _ => String::new(),
            }
        }
        Object::Node(n) => match field {
            "spec.unschedulable" => n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false).to_string(),
            _ => String::new(),
        },
        Object::Namespace(n) => match field {
            "status.phase" => s(n.status.as_ref().and_then(|s| s.phase.as_ref())),
            _ => String::new(),
        },
        Object::Service(svc) => match field {
            "spec.clusterIP" => s(svc.spec.as_ref().and_then(|s| s.cluster_ip.as_ref())),
            "spec.type" => s(svc.spec.as_ref().and_then(|s| s.type_.as_ref())),
            _ => String::new(),
        },
        Object::ReplicaSet(rs) if field == "status.replicas" => {
            rs.status.as_ref().map(|s| s.replicas).unwrap_or(0).to_string()
        }
        Object::ReplicationController(rc) if field == "status.replicas" => {
            rc.status.as_ref().map(|s| s.replicas).unwrap_or(0).to_string()
        }
        Object::Job(j) if field == "status.successful" => {
            j.status.as_ref().and_then(|s| s.succeeded).unwrap_or(0).to_string()
        }
        _ => String::new(),
    }
}

impl FieldSelector {
    pub fn matches(&self, obj: &Object) -> bool {
        self.0.iter().all(|t| (field_value(obj, &t.field) == t.value) == t.equal)
    }
}

/// kubectl's wrapping of a list's BadRequest (cli-runtime resource.EnhanceListError), with the
/// GroupVersionResource printed as Go's `schema.GroupVersionResource.String()` does.
pub fn list_error(kind: Kind, label_selector: &str, field_selector: &str, message: &str) -> String {
    let (group, version) = kind.api_version().rsplit_once('/').unwrap_or(("", kind.api_version()));
    format!(
        "Error from server (BadRequest): Unable to find \"{group}/{version}, Resource={}\" that match label selector \"{label_selector}\", field selector \"{field_selector}\": {message}",
        kind.resource()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_operators_and_escapes() {
        let s = parse("involvedObject.name=web,type!=Normal", Kind::Event).unwrap();
        assert_eq!(
            s.0,
            vec![
                Term { field: "involvedObject.name".into(), value: "web".into(), equal: true },
                Term { field: "type".into(), value: "Normal".into(), equal: false },
            ]
        );
        let s = parse(r"reason==a\,b,,", Kind::Event).unwrap();
        assert_eq!(s.0, vec![Term { field: "reason".into(), value: "a,b".into(), equal: true }]);
        assert_eq!(parse("  ", Kind::Pod).unwrap(), FieldSelector::default());
        assert_eq!(parse("bogus", Kind::Pod).unwrap_err(), "invalid selector: 'bogus'; can't understand 'bogus'");
        assert_eq!(
            parse("reason=a=b", Kind::Event).unwrap_err(),
            "invalid field selector: unescaped character in value: 61"
        );
    }

    #[test]
    fn unknown_labels_fail_as_the_server_says() {
        assert_eq!(parse("foo=bar", Kind::Event).unwrap_err(), "field label not supported: foo");
        assert_eq!(
            parse("metadata.namespace=x", Kind::Node).unwrap_err(),
            "field label not supported: metadata.namespace"
        );
        assert_eq!(
            parse("spec.replicas=1", Kind::Deployment).unwrap_err(),
            "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        assert_eq!(
            list_error(Kind::Event, "", "foo=bar", "field label not supported: foo"),
            "Error from server (BadRequest): Unable to find \"/v1, Resource=events\" that match label selector \"\", field selector \"foo=bar\": field label not supported: foo"
        );
        assert!(list_error(Kind::Deployment, "a=b", "x=y", "m").contains("\"apps/v1, Resource=deployments\""));
    }
}
