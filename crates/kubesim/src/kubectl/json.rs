//! Objects as the apiserver serializes them, and `-o json` as kubectl writes them.
//!
//! `api_value` turns a stored object into the JSON the apiserver would send: k8s-openapi omits
//! every `None`, but Go's encoding/json always writes struct-typed fields (`omitempty` does not
//! apply to structs), so `metadata.creationTimestamp`, pod conditions' `lastProbeTime`, events'
//! `eventTime`/`firstTimestamp`/`lastTimestamp`, containers' `resources: {}`, `status: {}` and the
//! like appear as `null` / `{}`; fields without `omitempty` (`reportingComponent`, ...) appear as
//! `""`. Resource quantities are written in canonical form, as the apiserver stores them.
//!
//! `to_json` is Go's `json.MarshalIndent(obj, "", "    ")` plus the newline kubectl's JSON printer
//! adds (k8s.io/cli-runtime/pkg/printers/json.go): keys sorted bytewise (maps), HTML-escaped
//! `<`, `>`, `&`, `\u2028`/`\u2029`, Go's float formatting.

use serde_json::{Map, Value};

use super::resource::canonical_str;
use crate::api::Object;

/// The object as the apiserver would return it (see the module comment).
pub fn api_value(obj: &Object) -> Value {
    let mut v = serde_json::to_value(obj).unwrap_or(Value::Null);
    if let Value::Object(root) = &mut v {
        ensure(root, "metadata", Value::Object(Map::new()));
        if let Some(Value::Object(meta)) = root.get_mut("metadata") {
            ensure(meta, "creationTimestamp", Value::Null);
        }
        match obj {
            Object::Pod(_) => normalize_pod(root),
            Object::Node(_) => normalize_node(root),
            Object::Event(_) => normalize_event(root),
            Object::Namespace(_) => {
                ensure(root, "spec", Value::Object(Map::new()));
                ensure(root, "status", Value::Object(Map::new()));
            }
            _ => {}
        }
    }
    v
}

/// The `List` kubectl prints for several objects (get.go `printGeneric`).
pub fn list_value(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""}
    })
}

fn ensure(m: &mut Map<String, Value>, key: &str, default: Value) {
    if !m.contains_key(key) {
        m.insert(key.to_string(), default);
    }
}

fn obj_mut<'a>(m: &'a mut Map<String, Value>, key: &str) -> Option<&'a mut Map<String, Value>> {
    match m.get_mut(key) {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

fn each_obj(m: &mut Map<String, Value>, key: &str, mut f: impl FnMut(&mut Map<String, Value>)) {
    if let Some(Value::Array(items)) = m.get_mut(key) {
        for item in items {
            if let Value::Object(o) = item {
                f(o);
            }
        }
    }
}

fn canonicalize_quantities(m: &mut Map<String, Value>, key: &str) {
    if let Some(list) = obj_mut(m, key) {
        for v in list.values_mut() {
            if let Value::String(s) = v {
                *s = canonical_str(s);
            }
        }
    }
}

fn normalize_resources(r: &mut Map<String, Value>) {
    canonicalize_quantities(r, "limits");
    canonicalize_quantities(r, "requests");
}

fn normalize_container(c: &mut Map<String, Value>) {
    ensure(c, "resources", Value::Object(Map::new()));
    if let Some(r) = obj_mut(c, "resources") {
        normalize_resources(r);
    }
}

fn normalize_state(s: &mut Map<String, Value>) {
    if let Some(r) = obj_mut(s, "running") {
        ensure(r, "startedAt", Value::Null);
    }
    if let Some(t) = obj_mut(s, "terminated") {
        ensure(t, "startedAt", Value::Null);
        ensure(t, "finishedAt", Value::Null);
        ensure(t, "exitCode", Value::from(0));
    }
}

fn normalize_container_status(cs: &mut Map<String, Value>) {
    for key in ["state", "lastState"] {
        ensure(cs, key, Value::Object(Map::new()));
        if let Some(s) = obj_mut(cs, key) {
            normalize_state(s);
        }
    }
    if let Some(r) = obj_mut(cs, "resources") {
        normalize_resources(r);
    }
    canonicalize_quantities(cs, "allocatedResources");
}

fn normalize_pod(root: &mut Map<String, Value>) {
    ensure(root, "spec", Value::Object(Map::new()));
    ensure(root, "status", Value::Object(Map::new()));
    if let Some(spec) = obj_mut(root, "spec") {
        ensure(spec, "containers", Value::Array(Vec::new()));
        for key in ["containers", "initContainers", "ephemeralContainers"] {
            each_obj(spec, key, normalize_container);
        }
        if let Some(r) = obj_mut(spec, "resources") {
            normalize_resources(r);
        }
        canonicalize_quantities(spec, "overhead");
    }
    if let Some(status) = obj_mut(root, "status") {
        each_obj(status, "conditions", |c| {
            ensure(c, "lastProbeTime", Value::Null);
            ensure(c, "lastTransitionTime", Value::Null);
        });
        for key in ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"] {
            each_obj(status, key, normalize_container_status);
        }
    }
}

fn normalize_node(root: &mut Map<String, Value>) {
    ensure(root, "spec", Value::Object(Map::new()));
    ensure(root, "status", Value::Object(Map::new()));
    if let Some(status) = obj_mut(root, "status") {
        canonicalize_quantities(status, "capacity");
        canonicalize_quantities(status, "allocatable");
        each_obj(status, "conditions", |c| {
            ensure(c, "lastHeartbeatTime", Value::Null);
            ensure(c, "lastTransitionTime", Value::Null);
        });
        // NodeDaemonEndpoints and its DaemonEndpoint are structs: always written.
        ensure(status, "daemonEndpoints", Value::Object(Map::new()));
        if let Some(d) = obj_mut(status, "daemonEndpoints") {
            ensure(d, "kubeletEndpoint", Value::Object(Map::new()));
            if let Some(k) = obj_mut(d, "kubeletEndpoint") {
                ensure(k, "Port", Value::from(0));
            }
        }
        ensure(status, "nodeInfo", Value::Object(Map::new()));
        if let Some(info) = obj_mut(status, "nodeInfo") {
            for key in [
                "architecture",
                "bootID",
                "containerRuntimeVersion",
                "kernelVersion",
                "kubeProxyVersion",
                "kubeletVersion",
                "machineID",
                "operatingSystem",
                "osImage",
                "systemUUID",
            ] {
                ensure(info, key, Value::from(""));
            }
        }
    }
}

fn normalize_event(root: &mut Map<String, Value>) {
    ensure(root, "involvedObject", Value::Object(Map::new()));
    for key in ["eventTime", "firstTimestamp", "lastTimestamp"] {
        ensure(root, key, Value::Null);
    }
    // `reportingComponent` and `reportingInstance` have no omitempty.
    ensure(root, "reportingComponent", Value::from(""));
    ensure(root, "reportingInstance", Value::from(""));
    ensure(root, "source", Value::Object(Map::new()));
    if let Some(series) = obj_mut(root, "series") {
        ensure(series, "lastObservedTime", Value::Null);
    }
}

/// `json.MarshalIndent(v, "", "    ")` followed by a newline.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                out.push_str(&go_json_float(n.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                indent(out, level + 1);
                write_value(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            // serde_json's map is a BTreeMap: bytewise key order, as Go sorts map keys.
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('\n');
                indent(out, level + 1);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
    }
}

/// encoding/json string escaping with HTML escaping on (Go 1.22+: `\b` and `\f` are short).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// encoding/json float formatting: `%f`-style shortest digits, exponent form below 1e-6 and from
/// 1e21 on, with `e-07` cleaned up to `e-7`.
fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{:e}", f);
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        let digits = if exp.abs() < 10 && exp >= 0 { format!("0{}", exp.abs()) } else { exp.abs().to_string() };
        format!("{mant}e{sign}{digits}")
    } else {
        let s = format!("{}", f);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marshal_indent_like_go() {
        let v = json!({"b": [1, "x"], "a": {}, "c": [], "d": {"e": null, "f": true}});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": {},\n    \"b\": [\n        1,\n        \"x\"\n    ],\n    \"c\": [],\n    \"d\": {\n        \"e\": null,\n        \"f\": true\n    }\n}\n"
        );
    }

    #[test]
    fn escapes_like_encoding_json() {
        let v = json!("<none> & \"q\" \\ \n\t\u{1b}\u{8}\u{c}\u{2028}é😀");
        assert_eq!(to_json(&v), "\"\\u003cnone\\u003e \\u0026 \\\"q\\\" \\\\ \\n\\t\\u001b\\b\\f\\u2028é😀\"\n");
    }

    #[test]
    fn floats_like_encoding_json() {
        assert_eq!(go_json_float(1.5), "1.5");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1e-7), "1e-7");
        assert_eq!(go_json_float(1.5e-10), "1.5e-10");
        assert_eq!(go_json_float(123456789.0), "123456789");
        assert_eq!(go_json_float(0.000001), "0.000001");
    }

    #[test]
    fn events_get_their_always_written_fields() {
        let e: k8s_openapi::api::core::v1::Event = serde_json::from_value(json!({
            "metadata": {"name": "web.1", "namespace": "default", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "reason": "Scheduled", "message": "Successfully assigned default/web to node-1", "type": "Normal",
            "eventTime": "2026-01-01T00:00:00.000000Z", "action": "Binding",
            "reportingComponent": "default-scheduler", "reportingInstance": "default-scheduler-node-1"
        }))
        .unwrap();
        let v = api_value(&Object::Event(e));
        assert_eq!(
            crate::kubectl::yaml::to_yaml(&v),
            "action: Binding\napiVersion: v1\neventTime: \"2026-01-01T00:00:00.000000Z\"\nfirstTimestamp: null\ninvolvedObject:\n  kind: Pod\n  name: web\n  namespace: default\nkind: Event\nlastTimestamp: null\nmessage: Successfully assigned default/web to node-1\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  name: web.1\n  namespace: default\nreason: Scheduled\nreportingComponent: default-scheduler\nreportingInstance: default-scheduler-node-1\nsource: {}\ntype: Normal\n"
        );
    }

    #[test]
    fn pods_and_nodes_get_struct_fields_and_canonical_quantities() {
        let p: k8s_openapi::api::core::v1::Pod = serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "0.5", "memory": "1024Mi"}}}, {"name": "b"}]},
            "status": {"conditions": [{"type": "Ready", "status": "False"}],
                "containerStatuses": [{"name": "a", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"terminated": {"exitCode": 1}}}]}
        }))
        .unwrap();
        let v = api_value(&Object::Pod(p));
        assert_eq!(v["metadata"]["creationTimestamp"], Value::Null);
        assert_eq!(v["spec"]["containers"][0]["resources"]["requests"], json!({"cpu": "500m", "memory": "1Gi"}));
        assert_eq!(v["spec"]["containers"][1]["resources"], json!({}));
        assert_eq!(v["status"]["conditions"][0]["lastProbeTime"], Value::Null);
        assert_eq!(v["status"]["containerStatuses"][0]["lastState"], json!({}));
        assert_eq!(
            v["status"]["containerStatuses"][0]["state"]["terminated"],
            json!({"exitCode": 1, "startedAt": null, "finishedAt": null})
        );
        let n: k8s_openapi::api::core::v1::Node = serde_json::from_value(json!({"metadata": {"name": "n"}})).unwrap();
        let v = api_value(&Object::Node(n));
        assert_eq!(v["status"]["daemonEndpoints"], json!({"kubeletEndpoint": {"Port": 0}}));
        assert_eq!(v["status"]["nodeInfo"]["bootID"], json!(""));
        assert_eq!(v["spec"], json!({}));
    }
}
