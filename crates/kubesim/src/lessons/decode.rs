//! Lesson text → [`Lesson`], strict as the scenario decoder is (and through its field readers):
//! unknown fields with a did-you-mean, types, required fields, exactly one check per goal, node
//! names the cluster has, selectors that parse; every problem located.

use super::goals::{Check, Expect, PodTarget};
use super::{Goal, Lesson, Text, KIND};
use crate::manifest::from_yaml;
use crate::manifest::yaml::{NodeId, NodeKind, Reader};
use crate::manifest::{ManifestError, MAX_INPUT_BYTES};
use crate::scenario::decode::{child, index, plain, Cx, Field};
use crate::scenario::{Scenario, API_VERSION};
use crate::validation::field::Seg;

const TOP: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "title",
    "instructions",
    "editor",
    "scenario",
    "staticPods",
    "goals",
    "solution",
];
const METADATA: &[&str] = &["name"];
const TEXT: &[&str] = &["en", "ko"];
const GOAL_KINDS: &[&str] =
    &["podStatus", "restarts", "endpoints", "nodeStatus", "eventSeen", "podReplaced", "kubectl"];
const GOAL: &[&str] =
    &["text", "after", "podStatus", "restarts", "endpoints", "nodeStatus", "eventSeen", "podReplaced", "kubectl"];
const POD_STATUS: &[&str] = &["pod", "selector", "namespace", "status", "phase", "ready", "atLeast"];
const RESTARTS: &[&str] = &["pod", "namespace", "container", "atLeast"];
const ENDPOINTS: &[&str] = &["service", "namespace", "count"];
const NODE_STATUS: &[&str] = &["node", "status"];
const EVENT_SEEN: &[&str] = &["reason", "object", "namespace", "message"];
const POD_REPLACED: &[&str] = &["selector", "namespace", "newName", "newIP"];
const KUBECTL: &[&str] = &["command", "contains", "matches"];
const PHASES: &[&str] = &["Pending", "Running", "Succeeded", "Failed", "Unknown"];

pub(super) fn decode(text: &str) -> Result<Lesson, Vec<ManifestError>> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(vec![plain(
            "TooLarge",
            None,
            format!("the lesson is too large: at most {MAX_INPUT_BYTES} bytes"),
            format!("레슨이 너무 큽니다: 최대 {MAX_INPUT_BYTES}바이트까지 받습니다"),
        )]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::new(text);
    let doc = match reader.next_document() {
        Some(Ok(doc)) if !doc.is_empty() => doc,
        Some(Err(e)) => return Err(vec![from_yaml(e)]),
        _ => {
            return Err(vec![plain(
                "Empty",
                None,
                format!("the lesson is empty: it starts with `apiVersion: {API_VERSION}` and `kind: {KIND}`"),
                format!("레슨이 비어 있습니다. `apiVersion: {API_VERSION}`, `kind: {KIND}`로 시작하세요"),
            )])
        }
    };
    let mut cx = Cx::new(&doc);
    let lesson = lesson(&mut cx);
    let mut errors = cx.errors;
    if errors.is_empty() {
        return Ok(lesson);
    }
    crate::sorting::sort_by_key(&mut errors, |e| (e.line.unwrap_or(0), e.column.unwrap_or(0)));
    Err(errors)
}

fn lesson(cx: &mut Cx) -> Lesson {
    let root = cx.doc.root;
    let mut l = Lesson {
        name: String::new(),
        title: Text::default(),
        instructions: Text::default(),
        editor: String::new(),
        scenario: Scenario::new(""),
        goals: Vec::new(),
        solution: Vec::new(),
    };
    let Some(fields) = cx.fields(root, &[], TOP) else { return l };
    let root_mark = cx.mark(root);
    for required in ["apiVersion", "kind", "metadata", "title", "instructions", "goals"] {
        if !fields.iter().any(|f| f.key == required) {
            cx.required(root_mark, &[Seg::Field(required.into())]);
        }
    }
    // The scenario first: goals and the solution check node names against its cluster.
    if let Some(f) = fields.iter().find(|f| f.key == "scenario") {
        l.scenario = cx.scenario_at(f.value, &[Seg::Field("scenario".into())], true);
    }
    for f in &fields {
        let path = [Seg::Field(f.key.clone())];
        match f.key.as_str() {
            "apiVersion" => {
                if let Some(v) = cx.string(f.value, &path).filter(|v| v != API_VERSION) {
                    let m = cx.mark(f.value);
                    cx.error(
                        "WrongApiVersion",
                        m,
                        &path,
                        format!("Unsupported value: {v:?}: supported values: {API_VERSION:?}"),
                        format!("지원하지 않는 값 {v:?}: {API_VERSION:?}만 쓸 수 있습니다"),
                    );
                }
            }
            "kind" => {
                if let Some(v) = cx.string(f.value, &path).filter(|v| v != KIND) {
                    let m = cx.mark(f.value);
                    cx.error(
                        "UnknownKind",
                        m,
                        &path,
                        format!("Unsupported value: {v:?}: supported values: {KIND:?}"),
                        format!("지원하지 않는 값 {v:?}: {KIND:?}만 쓸 수 있습니다"),
                    );
                }
            }
            "metadata" => {
                let Some(meta) = cx.fields(f.value, &path, METADATA) else { continue };
                let name =
                    meta.iter().find(|m| m.key == "name").and_then(|n| cx.string(n.value, &child(&path, "name")));
                match name.filter(|n| !n.is_empty()) {
                    Some(n) => l.name = n,
                    None => cx.required(f.mark, &child(&path, "name")),
                }
            }
            "title" => l.title = text(cx, f, &path),
            "instructions" => l.instructions = text(cx, f, &path),
            "editor" => l.editor = cx.string(f.value, &path).unwrap_or_default(),
            "staticPods" => {
                // Kept beside the lesson's other top-level fields; they run as the scenario's.
                let list = cx.static_pods(f.value, &path);
                let mut pods = cx.check_static_pods(&l.scenario, list);
                l.scenario.static_pods.append(&mut pods);
            }
            "goals" => l.goals = goals(cx, f.value, &path, &l.scenario),
            "solution" => l.solution = cx.steps_for(&l.scenario, f.value, &path),
            _ => {}
        }
    }
    l.scenario.name = l.name.clone();
    l
}

fn text(cx: &mut Cx, f: &Field, path: &[Seg]) -> Text {
    let mut t = Text::default();
    let Some(fields) = cx.fields(f.value, path, TEXT) else { return t };
    for lang in TEXT {
        let p = child(path, lang);
        let v = fields.iter().find(|x| x.key == *lang).and_then(|x| cx.string(x.value, &p));
        match v.filter(|v| !v.trim().is_empty()) {
            Some(v) if *lang == "en" => t.en = v,
            Some(v) => t.ko = v,
            None => cx.required(f.mark, &p),
        }
    }
    t
}

fn items(cx: &mut Cx, id: NodeId, path: &[Seg], what: &str, what_ko: &str) -> Vec<NodeId> {
    match &cx.doc.node(id).kind {
        NodeKind::Seq(items) => items.clone(),
        _ => {
            cx.mismatch(id, path, what, what_ko);
            Vec::new()
        }
    }
}

fn check_node(cx: &mut Cx, s: &Scenario, node: &str, id: NodeId, path: &[Seg]) {
    let nodes: Vec<String> = s.node_specs().into_iter().map(|n| n.name).collect();
    let mark = cx.mark(id);
    cx.check_node(&nodes, node, mark, path);
}

fn goals(cx: &mut Cx, id: NodeId, path: &[Seg], s: &Scenario) -> Vec<Goal> {
    let mut out = Vec::new();
    let list = items(cx, id, path, "a list of goals", "목표 목록");
    if list.is_empty() {
        let m = cx.mark(id);
        cx.required(m, path);
    }
    for (i, item) in list.into_iter().enumerate() {
        let ip = index(path, i);
        let before = cx.errors.len();
        let Some(fields) = cx.fields(item, &ip, GOAL) else { continue };
        let misspelt = cx.errors.get(before..).unwrap_or(&[]).iter().any(|e| e.code == "UnknownField");
        let item_mark = cx.mark(item);
        let text_field = fields.iter().find(|f| f.key == "text");
        let goal_text = match text_field {
            Some(f) => text(cx, f, &child(&ip, "text")),
            None => {
                cx.required(item_mark, &child(&ip, "text"));
                Text::default()
            }
        };
        let checks: Vec<&Field> = fields.iter().filter(|f| GOAL_KINDS.contains(&f.key.as_str())).collect();
        match checks.as_slice() {
            [] if misspelt => {}
            [] => cx.error(
                "Invalid",
                item_mark,
                &ip,
                format!("Required value: a goal needs one check: {}", GOAL_KINDS.join(", ")),
                format!("목표에는 확인할 조건이 하나 있어야 합니다: {}", GOAL_KINDS.join(", ")),
            ),
            [f] => {
                let after = match fields.iter().find(|x| x.key == "after") {
                    Some(a) => {
                        let ap = child(&ip, "after");
                        if i == 0 {
                            cx.error(
                                "Invalid",
                                a.mark,
                                &ap,
                                "Invalid value: the first goal has no earlier goal to come after".into(),
                                "첫 번째 목표 앞에는 다른 목표가 없습니다".into(),
                            );
                            None
                        } else {
                            cx.integer(a.value, &ap, 0, i as i128 - 1).map(|v| v as usize)
                        }
                    }
                    None => None,
                };
                if let Some(check) = check(cx, f, &child(&ip, &f.key), s) {
                    out.push(Goal { text: goal_text, check, after });
                }
            }
            [_, second, ..] => cx.error(
                "Invalid",
                second.mark,
                &ip,
                "Invalid value: a goal has exactly one check: split it into goals".into(),
                "목표 하나에는 조건이 하나만 있어야 합니다. 목표 여러 개로 나누세요".into(),
            ),
        }
    }
    out
}

/// The fields of one check, as (key → value node).
fn check_fields(cx: &mut Cx, f: &Field, path: &[Seg], known: &'static [&'static str]) -> Option<Vec<(String, NodeId)>> {
    let fields = cx.fields(f.value, path, known)?;
    Some(fields.into_iter().map(|x| (x.key, x.value)).collect())
}

fn check(cx: &mut Cx, f: &Field, path: &[Seg], s: &Scenario) -> Option<Check> {
    let m = cx.mark(f.value);
    let known = match f.key.as_str() {
        "podStatus" => POD_STATUS,
        "restarts" => RESTARTS,
        "endpoints" => ENDPOINTS,
        "nodeStatus" => NODE_STATUS,
        "eventSeen" => EVENT_SEEN,
        "podReplaced" => POD_REPLACED,
        _ => KUBECTL,
    };
    let fields = check_fields(cx, f, path, known)?;
    let before = cx.errors.len();
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
    let string = |cx: &mut Cx, k: &str| -> Option<String> {
        let id = get(k)?;
        let v = cx.string(id, &child(path, k));
        if v.as_deref().is_some_and(str::is_empty) {
            cx.required(cx.mark(id), &child(path, k));
            return None;
        }
        v
    };
    let namespace = string(cx, "namespace").unwrap_or_else(|| "default".into());
    let need = |cx: &mut Cx, k: &str, v: Option<String>| -> String {
        if v.is_none() && get(k).is_none() {
            cx.required(m, &child(path, k));
        }
        v.unwrap_or_default()
    };
    let selector = |cx: &mut Cx, text: Option<String>| {
        let text = text?;
        match crate::selector::parse(&text) {
            Ok(sel) => Some((text, sel)),
            Err(e) => {
                let id = get("selector").unwrap_or(f.value);
                cx.invalid(cx.mark(id), &child(path, "selector"), &text, e, "셀렉터를 읽을 수 없습니다".into());
                None
            }
        }
    };
    let integer =
        |cx: &mut Cx, k: &str, min: i128| get(k).and_then(|id| cx.integer(id, &child(path, k), min, 1_000_000));
    let check = match f.key.as_str() {
        "podStatus" => {
            let pod = string(cx, "pod");
            let sel = string(cx, "selector");
            let target = match (pod, sel) {
                (Some(p), None) => Some(PodTarget::Name(p)),
                (None, Some(sel)) => selector(cx, Some(sel)).map(|(t, s)| PodTarget::Selector(t, s)),
                (Some(_), Some(_)) => {
                    cx.error(
                        "Invalid",
                        m,
                        path,
                        "Invalid value: give either pod or selector, not both".into(),
                        "pod와 selector 중 하나만 쓰세요".into(),
                    );
                    None
                }
                (None, None) => {
                    cx.error(
                        "Invalid",
                        m,
                        path,
                        "Required value: pod or selector".into(),
                        "pod 또는 selector가 필요합니다".into(),
                    );
                    None
                }
            };
            let status = string(cx, "status");
            let phase = string(cx, "phase");
            if let Some(p) = phase.as_ref().filter(|p| !PHASES.contains(&p.as_str())) {
                let id = get("phase").unwrap_or(f.value);
                cx.error(
                    "Invalid",
                    cx.mark(id),
                    &child(path, "phase"),
                    format!("Unsupported value: {p:?}: supported values: {}", PHASES.join(", ")),
                    format!("지원하지 않는 값 {p:?}: {}", PHASES.join(", ")),
                );
            }
            let ready = get("ready").and_then(|id| cx.boolean(id, &child(path, "ready")));
            if status.is_none() && phase.is_none() && get("ready").is_none() {
                cx.error(
                    "Invalid",
                    m,
                    path,
                    "Required value: one or more of status, phase, ready".into(),
                    "status, phase, ready 중 하나 이상이 필요합니다".into(),
                );
            }
            let at_least = integer(cx, "atLeast", 1).unwrap_or(1) as usize;
            target.map(|target| Check::PodStatus { namespace, target, status, phase, ready, at_least })
        }
        "restarts" => {
            let pod = string(cx, "pod");
            let pod = need(cx, "pod", pod);
            let container = string(cx, "container");
            let at_least = integer(cx, "atLeast", 1);
            if get("atLeast").is_none() {
                cx.required(m, &child(path, "atLeast"));
            }
            Some(Check::Restarts { namespace, pod, container, at_least: at_least.unwrap_or(1) as i32 })
        }
        "endpoints" => {
            let service = string(cx, "service");
            let service = need(cx, "service", service);
            let count = integer(cx, "count", 0);
            if get("count").is_none() {
                cx.required(m, &child(path, "count"));
            }
            Some(Check::Endpoints { namespace, service, count: count.unwrap_or(0) as usize })
        }
        "nodeStatus" => {
            let node = string(cx, "node");
            let node = need(cx, "node", node);
            if let Some(id) = get("node").filter(|_| !node.is_empty()) {
                check_node(cx, s, &node, id, &child(path, "node"));
            }
            let status = string(cx, "status");
            let status = need(cx, "status", status);
            Some(Check::NodeStatus { node, status })
        }
        "eventSeen" => {
            let reason = string(cx, "reason");
            let reason = need(cx, "reason", reason);
            let object = string(cx, "object").map(|o| match o.split_once('/') {
                Some((kind, name)) => {
                    let k = crate::kubectl::resolve_kind(kind);
                    if k.is_none() {
                        let id = get("object").unwrap_or(f.value);
                        cx.invalid(
                            cx.mark(id),
                            &child(path, "object"),
                            &o,
                            format!("unknown resource type {kind:?}"),
                            format!("알 수 없는 리소스 종류 {kind:?}"),
                        );
                    }
                    (k, name.to_string())
                }
                None => (None, o),
            });
            let namespace = get("namespace").map(|_| namespace);
            let message = string(cx, "message");
            Some(Check::EventSeen { namespace, reason, object, message })
        }
        "podReplaced" => {
            let text = string(cx, "selector");
            if text.is_none() && get("selector").is_none() {
                cx.required(m, &child(path, "selector"));
            }
            let new_name = get("newName").and_then(|id| cx.boolean(id, &child(path, "newName"))).unwrap_or(true);
            let new_ip = get("newIP").and_then(|id| cx.boolean(id, &child(path, "newIP"))).unwrap_or(true);
            selector(cx, text).map(|selector| Check::PodReplaced { namespace, selector, new_name, new_ip })
        }
        _ => {
            let command = string(cx, "command");
            let command = need(cx, "command", command);
            let verb = command.split_whitespace().find(|w| *w != "kubectl").unwrap_or("");
            if !command.is_empty() && !matches!(verb, "get" | "describe" | "logs" | "log") {
                let id = get("command").unwrap_or(f.value);
                cx.invalid(
                    cx.mark(id),
                    &child(path, "command"),
                    &command,
                    "a goal only reads: use get, describe or logs".into(),
                    "목표는 읽기만 합니다: get, describe, logs를 쓰세요".into(),
                );
            }
            let expect = match (string(cx, "contains"), string(cx, "matches")) {
                (Some(c), None) => Some(Expect::Contains(c)),
                (None, Some(p)) => Some(Expect::Matches(p)),
                _ => {
                    cx.error(
                        "Invalid",
                        m,
                        path,
                        "Required value: exactly one of contains, matches".into(),
                        "contains와 matches 중 하나만 있어야 합니다".into(),
                    );
                    None
                }
            };
            expect.map(|expect| Check::Kubectl { command, expect })
        }
    };
    if cx.errors.len() > before {
        return None;
    }
    check
}
