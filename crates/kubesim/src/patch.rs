//! The apiserver's three PATCH formats, over objects as JSON
//! (k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
//!
//! - JSON merge patch (RFC 7386, `--type merge`): maps merge, `null` deletes, lists replace;
//! - JSON patch (RFC 6902, `--type json`): `add`, `remove`, `replace`, `move`, `copy`, `test`
//!   at JSON pointers, all or nothing;
//! - strategic merge patch (the default): a merge patch that knows Kubernetes' lists with a
//!   merge key (containers by `name`, container ports by `containerPort`, conditions by
//!   `type`...), which merge item by item, and the `$patch: replace|delete` directives
//!   (k8s.io/apimachinery/pkg/util/strategicpatch; the keys come from the API types'
//!   `patchMergeKey` tags). Lists without a merge key are replaced, as upstream.

use serde_json::{Map, Value};

/// RFC 7386: applies `patch` to `target`.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// RFC 6902: applies every operation of `patch` (a list) to `doc`, or none if one fails.
pub fn json_patch(doc: &mut Value, patch: &Value) -> Result<(), String> {
    let Value::Array(ops) = patch else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut work = doc.clone();
    for op in ops {
        let Value::Object(op) = op else {
            return Err("json: cannot unmarshal into Go value of type jsonpatch.Operation".into());
        };
        let name = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).ok_or("operation missing path")?;
        let value = || op.get("value").cloned().ok_or_else(|| format!("{name} operation missing value"));
        match name {
            "add" => add(&mut work, path, value()?)?,
            "remove" => {
                remove(&mut work, path)?;
            }
            "replace" => {
                remove(&mut work, path)
                    .map_err(|_| format!("replace operation does not apply: doc is missing key: {path}"))?;
                add(&mut work, path, value()?)?;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).ok_or("operation missing from")?;
                let v = if name == "move" { remove(&mut work, from)? } else { get(&work, from)?.clone() };
                add(&mut work, path, v)?;
            }
            "test" => {
                if get(&work, path)? != &value()? {
                    return Err(format!("testing value {path} failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    *doc = work;
    Ok(())
}

/// The reference tokens of a JSON pointer (`~1` is `/`, `~0` is `~`).
fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer: {pointer:?}"));
    };
    Ok(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}

fn index(list: &[Value], token: &str, allow_end: bool) -> Result<usize, String> {
    let limit = if allow_end { list.len() } else { list.len().saturating_sub(1) };
    match token.parse::<usize>() {
        Ok(i) if i <= limit && (allow_end || !list.is_empty()) => Ok(i),
        _ => Err(format!("Unable to access invalid index: {token}")),
    }
}

fn get<'a>(doc: &'a Value, pointer: &str) -> Result<&'a Value, String> {
    let mut cur = doc;
    for t in tokens(pointer)? {
        cur = match cur {
            Value::Object(m) => m.get(&t),
            Value::Array(l) => l.get(index(l, &t, false)?),
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {pointer:?}"))?;
    }
    Ok(cur)
}

/// The container a pointer's last token lives in, and that token.
fn parent<'a>(doc: &'a mut Value, pointer: &str) -> Result<(&'a mut Value, String), String> {
    let mut toks = tokens(pointer)?;
    let Some(last) = toks.pop() else {
        return Err("cannot operate on the document root".into());
    };
    let mut cur = doc;
    for t in toks {
        cur = match cur {
            Value::Object(m) => m.get_mut(&t),
            Value::Array(l) => {
                let i = index(l, &t, false)?;
                l.get_mut(i)
            }
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {pointer:?}"))?;
    }
    Ok((cur, last))
}

fn add(doc: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    if pointer.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (container, last) = parent(doc, pointer)?;
    match container {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(l) => {
            let i = if last == "-" { l.len() } else { index(l, &last, true)? };
            l.insert(i, value);
            Ok(())
        }
        _ => Err(format!("doc is missing path: {pointer:?}")),
    }
}

fn remove(doc: &mut Value, pointer: &str) -> Result<Value, String> {
    let (container, last) = parent(doc, pointer)?;
    let missing = || format!("remove operation does not apply: doc is missing path: {pointer:?}");
    match container {
        Value::Object(m) => m.remove(&last).ok_or_else(missing),
        Value::Array(l) => {
            let i = index(l, &last, false).map_err(|_| missing())?;
            Ok(l.remove(i))
        }
        _ => Err(missing()),
    }
}

/// The merge key of a list field, from the API types' `patchMergeKey` tags; `None` for lists
/// that a patch replaces. `path` is the chain of map keys above the list.
fn merge_key(path: &[String], field: &str) -> Option<&'static str> {
    let under_container =
        path.iter().any(|p| matches!(p.as_str(), "containers" | "initContainers" | "ephemeralContainers"));
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets"
        | "env"
        | "resourceClaims"
        | "schedulingGates" => "name",
        "ports" if under_container => "containerPort",
        "ports" if path.last().is_some_and(|p| p == "spec") => "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "addresses" if path.last().is_some_and(|p| p == "status") => "type",
        "podIPs" | "hostIPs" | "hostAliases" => "ip",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        _ => return None,
    })
}

/// Lists of plain values that a strategic patch merges (a union) instead of replacing.
fn merges_primitives(field: &str) -> bool {
    field == "finalizers"
}

/// A strategic merge patch of `patch` into `target` (both whole objects).
pub fn strategic_merge_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let Value::Object(_) = patch else {
        return Err("json: cannot unmarshal array into Go value of type map[string]interface {}".into());
    };
    smp_value(target, patch, &mut Vec::new());
    Ok(())
}

/// A patch value with its directives removed, for where it lands whole.
fn strip(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(k, _)| !k.starts_with('$')).map(|(k, v)| (k.clone(), strip(v))).collect())
        }
        Value::Array(l) => Value::Array(l.iter().map(strip).collect()),
        other => other.clone(),
    }
}

fn directive(v: &Value) -> Option<&str> {
    v.as_object().and_then(|m| m.get("$patch")).and_then(Value::as_str)
}

fn smp_value(target: &mut Value, patch: &Value, path: &mut Vec<String>) {
    let Value::Object(p) = patch else {
        *target = strip(patch);
        return;
    };
    if directive(patch) == Some("replace") || !target.is_object() {
        *target = strip(patch);
        return;
    }
    let Value::Object(t) = target else { return };
    for (k, v) in p {
        if let Some(list) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(cur)), Value::Array(del)) = (t.get_mut(list), v) {
                cur.retain(|x| !del.contains(x));
            }
            continue;
        }
        if k.starts_with('$') {
            continue; // $patch, $retainKeys, $setElementOrder/...: ordering hints only here
        }
        if v.is_null() || directive(v) == Some("delete") {
            t.remove(k);
            continue;
        }
        match (t.get_mut(k), v) {
            (Some(cur @ Value::Object(_)), Value::Object(_)) => {
                path.push(k.clone());
                smp_value(cur, v, path);
                path.pop();
            }
            (Some(Value::Array(cur)), Value::Array(items)) => {
                if let Some(key) = merge_key(path, k) {
                    path.push(k.clone());
                    merge_list(cur, items, key, path);
                    path.pop();
                } else if merges_primitives(k) {
                    for x in items {
                        if !cur.contains(x) {
                            cur.push(x.clone());
                        }
                    }
                } else {
                    t.insert(k.clone(), strip(v));
                }
            }
            _ => {
                t.insert(k.clone(), strip(v));
            }
        }
    }
}

/// Merges a patch list into a list with a merge key: items with the same key merge, `$patch:
/// delete` items remove theirs, new items are appended, `$patch: replace` replaces the list.
fn merge_list(cur: &mut Vec<Value>, items: &[Value], key: &str, path: &mut Vec<String>) {
    if items.iter().any(|i| directive(i) == Some("replace")) {
        *cur = items.iter().filter(|i| directive(i) != Some("replace")).map(strip).collect();
        return;
    }
    for item in items {
        let id = item.get(key);
        let found = id.and_then(|id| cur.iter().position(|c| c.get(key) == Some(id)));
        match (directive(item), found) {
            (Some("delete"), Some(i)) => {
                cur.remove(i);
            }
            (Some("delete"), None) => {}
            (_, Some(i)) => {
                if let Some(c) = cur.get_mut(i) {
                    smp_value(c, item, path);
                }
            }
            (_, None) => cur.push(strip(item)),
        }
    }
}

/// Where a decoded object lost fields of the JSON it came from: the fields its type does not
/// have, as the apiserver's `Warn` field validation names them (`spec.containers[0].imagee`).
pub fn unknown_fields(sent: &Value, kept: &Value) -> Vec<String> {
    let mut out = Vec::new();
    unknown_walk(sent, kept, String::new(), &mut out);
    out
}

fn unknown_walk(sent: &Value, kept: &Value, at: String, out: &mut Vec<String>) {
    match (sent, kept) {
        (Value::Object(s), Value::Object(k)) => {
            for (key, v) in s {
                let here = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                match k.get(key) {
                    Some(kv) => unknown_walk(v, kv, here, out),
                    None if !is_empty(v) => out.push(here),
                    None => {}
                }
            }
        }
        (Value::Array(s), Value::Array(k)) if s.len() == k.len() => {
            for (i, (a, b)) in s.iter().zip(k).enumerate() {
                unknown_walk(a, b, format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Values a typed object drops without losing information (`null`, `{}`, `[]`, `false`, `""`).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.values().all(is_empty),
        Value::Array(l) => l.is_empty(),
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}, "l": [3]}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}, "l": [3]}));
        merge_patch(&mut doc, &json!({"new": {"x": 1}}));
        assert_eq!(doc["new"], json!({"x": 1}));
    }

    #[test]
    fn json_patch_ops_and_failures() {
        let mut doc = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"image": "a"}]}});
        json_patch(
            &mut doc,
            &json!([
                {"op": "replace", "path": "/spec/containers/0/image", "value": "b"},
                {"op": "add", "path": "/metadata/labels/env", "value": "prod"},
                {"op": "remove", "path": "/metadata/labels/app"},
                {"op": "add", "path": "/spec/containers/-", "value": {"image": "c"}},
                {"op": "copy", "from": "/metadata/labels/env", "path": "/metadata/labels/tier"},
                {"op": "test", "path": "/metadata/labels/tier", "value": "prod"},
                {"op": "add", "path": "/metadata/labels/a~1b", "value": "x"}
            ]),
        )
        .unwrap();
        assert_eq!(doc["metadata"]["labels"], json!({"env": "prod", "tier": "prod", "a/b": "x"}));
        assert_eq!(doc["spec"]["containers"], json!([{"image": "b"}, {"image": "c"}]));
        let before = doc.clone();
        // All or nothing: the first op applies, the second fails, nothing changes.
        let r = json_patch(
            &mut doc,
            &json!([{"op": "add", "path": "/x", "value": 1}, {"op": "remove", "path": "/metadata/labels/nope"}]),
        );
        assert!(r.is_err());
        assert_eq!(doc, before);
        assert!(json_patch(&mut doc, &json!([{"op": "replace", "path": "/nope", "value": 1}])).is_err());
        assert!(json_patch(&mut doc, &json!([{"op": "test", "path": "/metadata/labels/env", "value": "x"}])).is_err());
        assert!(json_patch(&mut doc, &json!([{"op": "add", "path": "/spec/containers/9", "value": 1}])).is_err());
        assert!(json_patch(&mut doc, &json!({"op": "add"})).is_err());
    }

    #[test]
    fn strategic_merge_merges_lists_by_key() {
        let mut pod = json!({"spec": {
            "containers": [
                {"name": "web", "image": "nginx:1.24", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "args": ["a", "b"]},
                {"name": "side", "image": "busybox"}
            ],
            "tolerations": [{"key": "a"}]
        }, "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        strategic_merge_patch(
            &mut pod,
            &json!({"spec": {
                "containers": [
                    {"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 8080}], "args": ["c"]},
                    {"name": "side", "$patch": "delete"},
                    {"name": "new", "image": "redis"}
                ],
                "tolerations": [{"key": "b"}]
            }, "status": {"conditions": [{"type": "example.com/gate", "status": "True"}]}}),
        )
        .unwrap();
        let cs = &pod["spec"]["containers"];
        assert_eq!(cs.as_array().map(Vec::len), Some(2));
        assert_eq!(cs[0]["image"], "nginx:1.25");
        assert_eq!(cs[0]["ports"], json!([{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 8080}]));
        assert_eq!(cs[0]["args"], json!(["c"]), "lists without a merge key are replaced");
        assert_eq!(cs[1], json!({"name": "new", "image": "redis"}));
        assert_eq!(pod["spec"]["tolerations"], json!([{"key": "b"}]));
        assert_eq!(pod["status"]["conditions"].as_array().map(Vec::len), Some(2));
        strategic_merge_patch(
            &mut pod,
            &json!({"spec": {"containers": [{"name": "x", "image": "y"}, {"$patch": "replace"}]}}),
        )
        .unwrap();
        assert_eq!(pod["spec"]["containers"], json!([{"name": "x", "image": "y"}]));
    }

    #[test]
    fn unknown_fields_are_named_with_their_path() {
        let sent = json!({"spec": {"containers": [{"name": "a", "imagee": "x"}], "foo": 1, "bar": null}});
        let kept = json!({"spec": {"containers": [{"name": "a"}]}});
        assert_eq!(unknown_fields(&sent, &kept), vec!["spec.containers[0].imagee", "spec.foo"]);
    }
}
