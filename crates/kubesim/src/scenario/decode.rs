//! Scenario text → [`Scenario`], strict: the YAML is read by the manifest reader (libyaml as
//! kubectl reads it, positions for every node, hostile-input limits), each field is checked by
//! hand against the format's field list (unknown fields get the manifest reader's did-you-mean),
//! and then the whole is validated (durations, time order, node names, ranges). Every problem is
//! reported, located; nothing here panics on input.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Taint;

use super::{
    Action, Preset, Role, Scenario, ScenarioNode, StaticPod, Step, API_VERSION, FEATURE_GATES, KIND, VERSIONS,
};
use crate::api::{Kind, ObjectKey};
use crate::faults::Fault;
use crate::manifest::yaml::{Document, Mark, NodeId, NodeKind, Reader, Value};
use crate::manifest::{from_yaml, suggest, ManifestError, MAX_INPUT_BYTES};
use crate::time::{parse_duration, Millis, SECOND};
use crate::validation::field::{render, Seg};

const TOP: &[&str] =
    &["apiVersion", "kind", "metadata", "seed", "preset", "nodes", "manifests", "staticPods", "steps", "until"];
/// A scenario inside another document (a lesson's `scenario:`) takes its name from there.
const NESTED_TOP: &[&str] = &["seed", "preset", "nodes", "manifests", "staticPods", "steps", "until"];
const STATIC_POD: &[&str] = &["node", "manifest"];
const METADATA: &[&str] = &["name"];
const PRESET: &[&str] = &["version", "featureGates", "crashLoopBackOff"];
const CRASH_LOOP: &[&str] = &["maxContainerRestartPeriod"];
const NODE: &[&str] = &["name", "role", "labels", "cpu", "memory", "pods", "taints"];
const STEP: &[&str] = &["at", "kubectl", "apply", "delete", "fault"];
const ACTIONS: &[&str] = &["kubectl", "apply", "delete", "fault"];
const KILL: &[&str] = &["pod", "namespace", "container", "exitCode"];
/// Faults that name a node, one that names an image, one with fields, and the switches.
const NODE_FAULTS: &[&str] = &["kubeletStop", "kubeletStart", "nodeDown", "nodeUp"];
const SWITCHES: &[&str] = &["schedulerStop", "schedulerStart", "controllerManagerStop", "controllerManagerStart"];
const FAULTS: &[&str] = &[
    "kubeletStop",
    "kubeletStart",
    "nodeDown",
    "nodeUp",
    "killContainer",
    "imageMissing",
    "schedulerStop",
    "schedulerStart",
    "controllerManagerStop",
    "controllerManagerStart",
];
/// Upstream's bounds for `crashLoopBackOff.maxContainerRestartPeriod`
/// (pkg/kubelet/apis/config/validation/validation.go).
const MAX_RESTART_PERIOD: Millis = 300 * SECOND;

pub(super) fn is_scenario(text: &str) -> bool {
    if text.len() > MAX_INPUT_BYTES {
        return false;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::new(text);
    match reader.next_document() {
        Some(Ok(doc)) => doc.get(doc.root, "kind").and_then(|e| doc.str(e.value)) == Some(KIND),
        _ => false,
    }
}

pub(super) fn decode(text: &str) -> Result<Scenario, Vec<ManifestError>> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(vec![plain(
            "TooLarge",
            None,
            format!("the scenario is too large: at most {MAX_INPUT_BYTES} bytes (it has {})", text.len()),
            format!("시나리오가 너무 큽니다: 최대 {MAX_INPUT_BYTES}바이트까지 받습니다"),
        )]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::new(text);
    let doc = match reader.next_document() {
        None => None,
        Some(Err(e)) => return Err(vec![from_yaml(e)]),
        Some(Ok(doc)) => Some(doc),
    };
    let Some(doc) = doc.filter(|d| !d.is_empty()) else {
        return Err(vec![plain(
            "Empty",
            None,
            format!("the scenario is empty: it starts with `apiVersion: {API_VERSION}` and `kind: {KIND}`"),
            format!("시나리오가 비어 있습니다. `apiVersion: {API_VERSION}`, `kind: {KIND}`로 시작하세요"),
        )]);
    };
    let mut cx = Cx::new(&doc);
    let scenario = cx.scenario();
    // A second document is a mistake (a manifest pasted after the scenario, outside `manifests`).
    match reader.next_document() {
        Some(Ok(next)) if !next.is_empty() => cx.errors.push(plain(
            "TooManyDocuments",
            Some(next.start),
            "a scenario is one YAML document: put manifests inside `manifests: |` or a step's `apply: |`".into(),
            "시나리오는 YAML 문서 하나입니다. 매니페스트는 `manifests: |`나 단계의 `apply: |` 안에 쓰세요".into(),
        )),
        Some(Err(e)) => cx.errors.push(from_yaml(e)),
        _ => {}
    }
    let mut errors = cx.errors;
    if errors.is_empty() {
        return Ok(scenario);
    }
    crate::sorting::sort_by_key(&mut errors, |e| (e.line.unwrap_or(0), e.column.unwrap_or(0)));
    Err(errors)
}

pub(crate) fn plain(code: &'static str, mark: Option<Mark>, message: String, message_ko: String) -> ManifestError {
    ManifestError {
        code,
        document: 1,
        line: mark.map(|m| m.line),
        column: mark.map(|m| m.column),
        path: None,
        message,
        message_ko,
        item: None,
        causes: Vec::new(),
        fixes: Vec::new(),
    }
}

pub(crate) fn child(path: &[Seg], field: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Field(field.into()));
    p
}

pub(crate) fn index(path: &[Seg], i: usize) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Index(i));
    p
}

/// What a node is, for messages.
fn found(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Scalar(s) => match s.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str => "a string",
        },
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
        NodeKind::Alias(_) => "an alias",
    }
}

/// The decoder's state over one document; other formats built around a scenario (lessons) reuse
/// its field readers so their errors read alike.
pub(crate) struct Cx<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) errors: Vec<ManifestError>,
    /// Where the last node fault's node name is written (for the unknown-node check).
    node_mark: Option<Mark>,
}

/// One field of a mapping: its key, where the key is written, its value.
pub(crate) struct Field {
    pub(crate) key: String,
    pub(crate) mark: Mark,
    pub(crate) value: NodeId,
}

impl<'d> Cx<'d> {
    pub(crate) fn new(doc: &'d Document) -> Self {
        Cx { doc, errors: Vec::new(), node_mark: None }
    }

    pub(crate) fn mark(&self, id: NodeId) -> Mark {
        self.doc.node(id).mark
    }

    pub(crate) fn error(&mut self, code: &'static str, mark: Mark, path: &[Seg], en: String, ko: String) {
        let p = render(path);
        let (message, message_ko) = if p.is_empty() { (en, ko) } else { (format!("{p}: {en}"), format!("{p}: {ko}")) };
        self.errors.push(ManifestError {
            code,
            document: self.doc.number,
            line: Some(mark.line),
            column: Some(mark.column),
            path: (!p.is_empty()).then_some(p),
            message,
            message_ko,
            item: None,
            causes: Vec::new(),
            fixes: Vec::new(),
        });
    }

    pub(crate) fn mismatch(&mut self, id: NodeId, path: &[Seg], want: &str, want_ko: &str) {
        let f = found(&self.doc.node(id).kind);
        let mut en = format!("expected {want}, but found {f}");
        let mut ko = format!("{want_ko} 값이 와야 하는데 {f}이(가) 왔습니다");
        if let NodeKind::Scalar(s) = &self.doc.node(id).kind {
            if want == "a string" && matches!(s.value, Value::Int(_) | Value::Float(_) | Value::Bool(_)) {
                en.push_str(&format!("\nhint: quote it to keep it text: \"{}\"", s.text));
                ko.push_str(&format!("\n도움말: 글자로 쓰려면 따옴표로 감싸세요: \"{}\"", s.text));
            }
        }
        self.error("TypeMismatch", self.mark(id), path, en, ko);
    }

    pub(crate) fn required(&mut self, mark: Mark, path: &[Seg]) {
        self.error("Invalid", mark, path, "Required value".into(), "필수 값입니다".into());
    }

    pub(crate) fn invalid(&mut self, mark: Mark, path: &[Seg], value: &str, detail: String, detail_ko: String) {
        self.error(
            "Invalid",
            mark,
            path,
            format!("Invalid value: {value:?}: {detail}"),
            format!("잘못된 값 {value:?}: {detail_ko}"),
        );
    }

    pub(crate) fn is_null(&self, id: NodeId) -> bool {
        matches!(&self.doc.node(id).kind, NodeKind::Scalar(s) if s.value == Value::Null)
    }

    /// The fields of the mapping `id`; unknown ones are reported with a did-you-mean. `None`
    /// (reported) when `id` is not a mapping; null reads as an empty mapping.
    pub(crate) fn fields(&mut self, id: NodeId, path: &[Seg], known: &'static [&'static str]) -> Option<Vec<Field>> {
        let entries = match &self.doc.node(id).kind {
            NodeKind::Map(entries) => entries.clone(),
            _ if self.is_null(id) => return Some(Vec::new()),
            _ => {
                self.mismatch(id, path, "an object (a mapping of fields)", "오브젝트(필드: 값 매핑)");
                return None;
            }
        };
        let mut out = Vec::new();
        for e in entries {
            let mark = self.doc.nodes.get(e.key_node).map_or(self.mark(id), |n| n.mark);
            if !known.contains(&e.key.as_str()) {
                let p = child(path, &e.key);
                let rendered = render(&p);
                let hint = suggest::unknown_field(&p, &e.key, known);
                let (en, ko) = match hint {
                    Some(h) => (
                        format!("unknown field {rendered:?}\n{}", h.en),
                        format!("알 수 없는 필드 {rendered:?}\n{}", h.ko),
                    ),
                    None => (
                        format!("unknown field {rendered:?} (fields here: {})", known.join(", ")),
                        format!("알 수 없는 필드 {rendered:?} (쓸 수 있는 필드: {})", known.join(", ")),
                    ),
                };
                self.error("UnknownField", mark, &[], en, ko);
                if let Some(last) = self.errors.last_mut() {
                    last.path = Some(rendered);
                }
                continue;
            }
            out.push(Field { key: e.key.clone(), mark, value: e.value });
        }
        Some(out)
    }

    pub(crate) fn string(&mut self, id: NodeId, path: &[Seg]) -> Option<String> {
        match &self.doc.node(id).kind {
            NodeKind::Scalar(s) if s.value == Value::Str => Some(s.text.clone()),
            _ if self.is_null(id) => None,
            _ => {
                self.mismatch(id, path, "a string", "문자열");
                None
            }
        }
    }

    pub(crate) fn integer(&mut self, id: NodeId, path: &[Seg], min: i128, max: i128) -> Option<i128> {
        match &self.doc.node(id).kind {
            NodeKind::Scalar(s) => match s.value {
                Value::Int(i) if (min..=max).contains(&i) => Some(i),
                Value::Int(_) => {
                    self.error(
                        "Invalid",
                        self.mark(id),
                        path,
                        format!("Invalid value: {}: must be between {min} and {max}, inclusive", s.text),
                        format!("잘못된 값 {}: {min} 이상 {max} 이하여야 합니다", s.text),
                    );
                    None
                }
                _ => {
                    self.mismatch(id, path, "an integer", "정수");
                    None
                }
            },
            _ => {
                self.mismatch(id, path, "an integer", "정수");
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, id: NodeId, path: &[Seg]) -> Option<bool> {
        match &self.doc.node(id).kind {
            NodeKind::Scalar(s) if matches!(s.value, Value::Bool(_)) => Some(s.value == Value::Bool(true)),
            _ => {
                self.mismatch(id, path, "a boolean (true or false)", "불리언(true 또는 false)");
                None
            }
        }
    }

    /// A Go duration (`90s`, `1m30s`, `250ms`; `0` alone needs no unit).
    pub(crate) fn duration(&mut self, id: NodeId, path: &[Seg]) -> Option<Millis> {
        let text = match &self.doc.node(id).kind {
            NodeKind::Scalar(s) if s.value == Value::Int(0) => return Some(0),
            NodeKind::Scalar(s) if s.value == Value::Str => s.text.clone(),
            NodeKind::Scalar(s) if matches!(s.value, Value::Int(_) | Value::Float(_)) => {
                self.error(
                    "Invalid",
                    self.mark(id),
                    path,
                    format!(
                        "invalid duration {}: missing unit (write it as Go does: {}s, 1m30s, 250ms)",
                        s.text, s.text
                    ),
                    format!("잘못된 시간 {}: 단위가 없습니다 ({}s, 1m30s, 250ms처럼 쓰세요)", s.text, s.text),
                );
                return None;
            }
            _ => {
                self.mismatch(id, path, "a duration such as 30s or 1m30s", "30s, 1m30s 같은 시간");
                return None;
            }
        };
        match parse_duration(&text) {
            Ok(ms) => Some(ms),
            Err(e) => {
                let ko = format!("잘못된 시간 {text:?}: 30s, 1m30s, 250ms처럼 쓰세요 (단위: ms, s, m, h)");
                self.error("Invalid", self.mark(id), path, e, ko);
                None
            }
        }
    }

    fn scenario(&mut self) -> Scenario {
        self.scenario_at(self.doc.root, &[], false)
    }

    /// The scenario at node `root`, its fields' paths under `base`. `nested`: inside another
    /// document, without `apiVersion`, `kind` and `metadata` of its own.
    pub(crate) fn scenario_at(&mut self, root: NodeId, base: &[Seg], nested: bool) -> Scenario {
        let mut s = Scenario::new("");
        let Some(fields) = self.fields(root, base, if nested { NESTED_TOP } else { TOP }) else { return s };
        let has = |k: &str| fields.iter().any(|f| f.key == k);
        let root_mark = self.mark(root);
        if !nested && !has("apiVersion") {
            self.error(
                "MissingApiVersion",
                root_mark,
                &[Seg::Field("apiVersion".into())],
                format!("Required value: write `apiVersion: {API_VERSION}` at the top"),
                format!("필수 값입니다. 맨 위에 `apiVersion: {API_VERSION}`을(를) 쓰세요"),
            );
        }
        if !nested && !has("kind") {
            self.error(
                "MissingKind",
                root_mark,
                &[Seg::Field("kind".into())],
                format!("Required value: write `kind: {KIND}`"),
                format!("필수 값입니다. `kind: {KIND}`을(를) 쓰세요"),
            );
        }
        if !nested && !has("metadata") {
            self.required(root_mark, &[Seg::Field("metadata".into()), Seg::Field("name".into())]);
        }
        let mut steps_at: Vec<(usize, Mark, Option<Mark>)> = Vec::new();
        let mut until_mark = None;
        let mut static_pods = Vec::new();
        let mut node_marks: Vec<Mark> = Vec::new();
        for f in &fields {
            let path = child(base, &f.key);
            match f.key.as_str() {
                "apiVersion" => {
                    if let Some(v) = self.string(f.value, &path) {
                        if v != API_VERSION {
                            let m = self.mark(f.value);
                            self.error(
                                "WrongApiVersion",
                                m,
                                &path,
                                format!("Unsupported value: {v:?}: supported values: {API_VERSION:?}"),
                                format!("지원하지 않는 값 {v:?}: {API_VERSION:?}만 쓸 수 있습니다"),
                            );
                        }
                    }
                }
                "kind" => {
                    if let Some(v) = self.string(f.value, &path) {
                        if v != KIND {
                            let m = self.mark(f.value);
                            self.error(
                                "UnknownKind",
                                m,
                                &path,
                                format!("Unsupported value: {v:?}: supported values: {KIND:?}"),
                                format!("지원하지 않는 값 {v:?}: {KIND:?}만 쓸 수 있습니다"),
                            );
                        }
                    }
                }
                "metadata" => {
                    let Some(meta) = self.fields(f.value, &path, METADATA) else { continue };
                    match meta.iter().find(|m| m.key == "name") {
                        Some(n) => {
                            let p = child(&path, "name");
                            if let Some(name) = self.string(n.value, &p) {
                                s.name = name;
                            }
                            if s.name.is_empty() {
                                self.required(n.mark, &p);
                            }
                        }
                        None => self.required(f.mark, &child(&path, "name")),
                    }
                }
                "seed" => {
                    if let Some(v) = self.integer(f.value, &path, 0, u64::MAX as i128) {
                        s.seed = v as u64;
                    }
                }
                "preset" => s.preset = self.preset(f.value, &path),
                "nodes" => {
                    let nodes = self.nodes(f.value, &path, &mut node_marks);
                    s.nodes = nodes;
                }
                "manifests" => s.manifests = self.string(f.value, &path).unwrap_or_default(),
                "staticPods" => static_pods = self.static_pods(f.value, &path),
                "steps" => s.steps = self.steps(f.value, &path, &mut steps_at),
                "until" => {
                    until_mark = Some(self.mark(f.value));
                    s.until = self.duration(f.value, &path);
                }
                _ => {}
            }
        }
        self.check_steps(&s, &steps_at, until_mark, &child(base, "steps"), &child(base, "until"));
        s.static_pods = self.check_static_pods(&s, static_pods);
        s
    }

    /// `staticPods`: each `node` and `manifest`; the nodes are checked once the cluster is known
    /// ([`Cx::check_static_pods`]).
    pub(crate) fn static_pods(&mut self, id: NodeId, path: &[Seg]) -> Vec<(StaticPod, Mark, Vec<Seg>)> {
        let items = match &self.doc.node(id).kind {
            NodeKind::Seq(items) => items.clone(),
            _ => {
                self.mismatch(id, path, "a list of static pods", "스태틱 파드 목록");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let ip = index(path, i);
            let Some(fields) = self.fields(item, &ip, STATIC_POD) else { continue };
            let mut sp = StaticPod { node: String::new(), manifest: String::new() };
            let mut node_mark = self.mark(item);
            for f in &fields {
                let v = self.string(f.value, &child(&ip, &f.key)).unwrap_or_default();
                if f.key == "node" {
                    node_mark = self.mark(f.value);
                    sp.node = v;
                } else {
                    sp.manifest = v;
                }
            }
            let m = self.mark(item);
            if sp.node.is_empty() {
                self.required(m, &child(&ip, "node"));
            }
            if sp.manifest.trim().is_empty() {
                self.required(m, &child(&ip, "manifest"));
            }
            out.push((sp, node_mark, child(&ip, "node")));
        }
        out
    }

    /// Every static pod's node must be one of the scenario's.
    pub(crate) fn check_static_pods(&mut self, s: &Scenario, list: Vec<(StaticPod, Mark, Vec<Seg>)>) -> Vec<StaticPod> {
        let nodes: Vec<String> = s.node_specs().into_iter().map(|n| n.name).collect();
        let mut out = Vec::new();
        for (sp, mark, path) in list {
            if !sp.node.is_empty() {
                self.check_node(&nodes, &sp.node, mark, &path);
            }
            out.push(sp);
        }
        out
    }

    /// `node` must be one of the cluster's `nodes` (with a did-you-mean when one is close).
    pub(crate) fn check_node(&mut self, nodes: &[String], node: &str, mark: Mark, path: &[Seg]) {
        if nodes.iter().any(|n| n == node) {
            return;
        }
        let names: Vec<&str> = nodes.iter().map(String::as_str).collect();
        let hint = suggest::closest(node, &names).map(|c| format!("; did you mean {c:?}?")).unwrap_or_default();
        self.error(
            "Invalid",
            mark,
            path,
            format!("Not found: node {node:?} (the cluster has {}){hint}", names.join(", ")),
            format!("노드 {node:?}가 없습니다 (클러스터의 노드: {}){hint}", names.join(", ")),
        );
    }

    /// Steps outside a scenario (a lesson's solution) for the cluster `s` describes: decoded and
    /// checked as a scenario's steps are (time order, node names).
    pub(crate) fn steps_for(&mut self, s: &Scenario, id: NodeId, path: &[Seg]) -> Vec<Step> {
        let mut marks = Vec::new();
        let steps = self.steps(id, path, &mut marks);
        let mut with = s.clone();
        with.steps = steps;
        with.until = None;
        self.check_steps(&with, &marks, None, path, &[]);
        with.steps
    }

    fn preset(&mut self, id: NodeId, path: &[Seg]) -> Preset {
        let mut p = Preset::default();
        let Some(fields) = self.fields(id, path, PRESET) else { return p };
        let mut period_mark = None;
        for f in fields {
            let fp = child(path, &f.key);
            match f.key.as_str() {
                "version" => {
                    // `version: 1.35` reads as a number; accept it as the text it was meant to be.
                    let v = match &self.doc.node(f.value).kind {
                        NodeKind::Scalar(sc) if matches!(sc.value, Value::Float(_) | Value::Str) => {
                            Some(sc.text.clone())
                        }
                        _ => self.string(f.value, &fp),
                    };
                    let Some(v) = v else { continue };
                    if VERSIONS.contains(&v.as_str()) {
                        p.version = v;
                    } else {
                        let m = self.mark(f.value);
                        let list = VERSIONS.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ");
                        self.error(
                            "Invalid",
                            m,
                            &fp,
                            format!("Unsupported value: {v:?}: supported values: {list}"),
                            format!("지원하지 않는 버전 {v:?}: {list}"),
                        );
                    }
                }
                "featureGates" => {
                    let names: &'static [&'static str] =
                        &["KubeletCrashLoopBackOffMax", "ReduceDefaultCrashLoopBackOffDecay"];
                    debug_assert_eq!(names.len(), FEATURE_GATES.len());
                    let Some(gates) = self.fields(f.value, &fp, names) else { continue };
                    for g in gates {
                        if let Some(on) = self.boolean(g.value, &child(&fp, &g.key)) {
                            p.feature_gates.insert(g.key.clone(), on);
                        }
                    }
                }
                "crashLoopBackOff" => {
                    let Some(cl) = self.fields(f.value, &fp, CRASH_LOOP) else { continue };
                    for c in cl {
                        let cp = child(&fp, &c.key);
                        period_mark = Some((self.mark(c.value), cp.clone()));
                        if let Some(d) = self.duration(c.value, &cp) {
                            if !(SECOND..=MAX_RESTART_PERIOD).contains(&d) {
                                let m = self.mark(c.value);
                                let text = super::format_at(d);
                                self.invalid(
                                    m,
                                    &cp,
                                    &text,
                                    "must be between 1s and 300s".into(),
                                    "1s 이상 300s 이하여야 합니다".into(),
                                );
                            } else {
                                p.max_container_restart_period = Some(d);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // The kubelet refuses the setting when its gate is off (upstream's config validation).
        if let Some((m, cp)) = period_mark {
            if !p.gate("KubeletCrashLoopBackOffMax") {
                self.error(
                    "Invalid",
                    m,
                    &cp,
                    "Forbidden: must not be set when the feature gate KubeletCrashLoopBackOffMax is off".into(),
                    "KubeletCrashLoopBackOffMax 기능 게이트가 꺼져 있으면 쓸 수 없습니다".into(),
                );
            }
        }
        p
    }

    fn nodes(&mut self, id: NodeId, path: &[Seg], marks: &mut Vec<Mark>) -> Option<Vec<ScenarioNode>> {
        let items = match &self.doc.node(id).kind {
            NodeKind::Seq(items) => items.clone(),
            _ => {
                self.mismatch(id, path, "a list of nodes", "노드 목록");
                return None;
            }
        };
        if items.is_empty() {
            self.error(
                "Invalid",
                self.mark(id),
                path,
                "Required value: a cluster needs at least one node (leave `nodes` out for the default cluster)".into(),
                "노드가 하나 이상 있어야 합니다 (기본 클러스터를 쓰려면 nodes를 빼세요)".into(),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, item) in items.into_iter().enumerate() {
            let ip = index(path, i);
            let Some(fields) = self.fields(item, &ip, NODE) else { continue };
            let mut n = ScenarioNode::worker("");
            let mut named = false;
            for f in fields {
                let fp = child(&ip, &f.key);
                match f.key.as_str() {
                    "name" => {
                        let Some(name) = self.string(f.value, &fp) else { continue };
                        named = true;
                        let m = self.mark(f.value);
                        let errs = crate::validation::names::dns1123_subdomain(&name);
                        if let Some(e) = errs.first() {
                            self.invalid(m, &fp, &name, e.en.clone(), e.ko.clone());
                        } else if !seen.insert(name.clone()) {
                            self.error(
                                "Invalid",
                                m,
                                &fp,
                                format!("Duplicate value: {name:?}"),
                                format!("중복된 값: {name:?}"),
                            );
                        }
                        n.name = name;
                    }
                    "role" => {
                        let Some(r) = self.string(f.value, &fp) else { continue };
                        n.role = match r.as_str() {
                            "control-plane" => Role::ControlPlane,
                            "worker" => Role::Worker,
                            _ => {
                                let m = self.mark(f.value);
                                let hint = match suggest::closest(&r, &["control-plane", "worker"]) {
                                    Some(c) => format!("\ndid you mean {c:?}?"),
                                    None if r == "master" => {
                                        "\ndid you mean \"control-plane\"? (the role's name since 1.20)".into()
                                    }
                                    None => String::new(),
                                };
                                self.error(
                                    "Invalid",
                                    m,
                                    &fp,
                                    format!("Unsupported value: {r:?}: supported values: \"control-plane\", \"worker\"{hint}"),
                                    format!("지원하지 않는 값 {r:?}: \"control-plane\" 또는 \"worker\"{hint}"),
                                );
                                continue;
                            }
                        };
                    }
                    "labels" => {
                        let Some(labels) = self.labels(f.value, &fp) else { continue };
                        n.labels = labels;
                    }
                    "cpu" | "memory" => {
                        let text = match &self.doc.node(f.value).kind {
                            NodeKind::Scalar(s) if matches!(s.value, Value::Int(_) | Value::Float(_) | Value::Str) => {
                                s.text.clone()
                            }
                            _ => {
                                self.mismatch(
                                    f.value,
                                    &fp,
                                    "a quantity (like \"4\" or \"8Gi\")",
                                    "수량(예: \"4\", \"8Gi\")",
                                );
                                continue;
                            }
                        };
                        match crate::quantity::parse(&text) {
                            Ok(q) if q.milli() > 0 => {
                                if f.key == "cpu" {
                                    n.cpu = Some(text);
                                } else {
                                    n.memory = Some(text);
                                }
                            }
                            _ => {
                                let m = self.mark(f.value);
                                self.invalid(
                                    m,
                                    &fp,
                                    &text,
                                    "must be a positive quantity (like 4, 500m, 8Gi)".into(),
                                    "양수 수량이어야 합니다 (예: 4, 500m, 8Gi)".into(),
                                );
                            }
                        }
                    }
                    "pods" => {
                        if let Some(v) = self.integer(f.value, &fp, 1, 10_000) {
                            n.pods = Some(v as u32);
                        }
                    }
                    "taints" => n.taints = self.taints(f.value, &fp),
                    _ => {}
                }
            }
            if !named {
                self.required(self.mark(item), &child(&ip, "name"));
            }
            marks.push(self.mark(item));
            out.push(n);
        }
        Some(out)
    }

    fn labels(&mut self, id: NodeId, path: &[Seg]) -> Option<BTreeMap<String, String>> {
        let entries = match &self.doc.node(id).kind {
            NodeKind::Map(entries) => entries.clone(),
            _ if self.is_null(id) => return Some(BTreeMap::new()),
            _ => {
                self.mismatch(id, path, "a mapping of key: value pairs", "키: 값 매핑");
                return None;
            }
        };
        let mut out = BTreeMap::new();
        for e in entries {
            let mut kp = path.to_vec();
            kp.push(Seg::Key(e.key.clone()));
            let key_mark = self.doc.nodes.get(e.key_node).map_or(self.mark(id), |n| n.mark);
            if let Some(msg) = crate::validation::names::qualified_name(&e.key).first() {
                self.invalid(key_mark, &kp, &e.key, msg.en.clone(), msg.ko.clone());
                continue;
            }
            let Some(v) = self.string(e.value, &kp).or_else(|| self.is_null(e.value).then(String::new)) else {
                continue;
            };
            if let Some(msg) = crate::validation::names::label_value(&v).first() {
                let m = self.mark(e.value);
                self.invalid(m, &kp, &v, msg.en.clone(), msg.ko.clone());
                continue;
            }
            out.insert(e.key.clone(), v);
        }
        Some(out)
    }

    /// Taints as a Node's `spec.taints` has them (the manifest decoder's strict serde path).
    fn taints(&mut self, id: NodeId, path: &[Seg]) -> Option<Vec<Taint>> {
        let (r, unknown, _) = crate::manifest::de::decode::<Vec<Taint>>(self.doc, id);
        for u in unknown {
            let mut p = path.to_vec();
            p.extend(u.path.iter().cloned());
            let rendered = render(&p);
            let (en, ko) = match suggest::unknown_field(&p, &u.key, u.fields) {
                Some(h) => {
                    (format!("unknown field {rendered:?}\n{}", h.en), format!("알 수 없는 필드 {rendered:?}\n{}", h.ko))
                }
                None => (format!("unknown field {rendered:?}"), format!("알 수 없는 필드 {rendered:?}")),
            };
            self.error("UnknownField", u.mark, &[], en, ko);
            if let Some(last) = self.errors.last_mut() {
                last.path = Some(rendered);
            }
        }
        let taints = match r {
            Ok(t) => t,
            Err(e) => {
                let mut p = path.to_vec();
                p.extend(e.path.clone().unwrap_or_default());
                let m = e.mark.unwrap_or(self.mark(id));
                self.error("TypeMismatch", m, &p, e.message.clone(), e.message_ko.clone());
                return None;
            }
        };
        let items: Vec<NodeId> = match &self.doc.node(id).kind {
            NodeKind::Seq(items) => items.clone(),
            _ => Vec::new(),
        };
        for (i, t) in taints.iter().enumerate() {
            let ip = index(path, i);
            let m = items.get(i).map_or(self.mark(id), |&n| self.mark(n));
            if t.key.is_empty() {
                self.required(m, &child(&ip, "key"));
            } else if let Some(msg) = crate::validation::names::qualified_name(&t.key).first() {
                self.invalid(m, &child(&ip, "key"), &t.key, msg.en.clone(), msg.ko.clone());
            }
            if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&t.effect.as_str()) {
                self.error(
                    "Invalid",
                    m,
                    &child(&ip, "effect"),
                    format!(
                        "Unsupported value: {:?}: supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                        t.effect
                    ),
                    format!("지원하지 않는 값 {:?}: NoSchedule, PreferNoSchedule, NoExecute 중 하나", t.effect),
                );
            }
        }
        Some(taints)
    }

    fn steps(&mut self, id: NodeId, path: &[Seg], marks: &mut Vec<(usize, Mark, Option<Mark>)>) -> Vec<Step> {
        let items = match &self.doc.node(id).kind {
            NodeKind::Seq(items) => items.clone(),
            _ if self.is_null(id) => return Vec::new(),
            _ => {
                self.mismatch(id, path, "a list of steps", "단계 목록");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let ip = index(path, i);
            let before = self.errors.len();
            let Some(fields) = self.fields(item, &ip, STEP) else { continue };
            // A misspelt action is reported as such, not also as a missing one.
            let misspelt = self.errors.get(before..).unwrap_or(&[]).iter().any(|e| e.code == "UnknownField");
            let mut at = None;
            self.node_mark = None;
            let mut actions: Vec<(&Field, Option<Action>)> = Vec::new();
            for f in &fields {
                let fp = child(&ip, &f.key);
                match f.key.as_str() {
                    "at" => at = self.duration(f.value, &fp).map(|t| (t, self.mark(f.value))),
                    "kubectl" => {
                        let a = self.string(f.value, &fp).map(Action::Kubectl);
                        if matches!(&a, Some(Action::Kubectl(l)) if l.trim().is_empty() || l.trim() == "kubectl") {
                            self.required(f.mark, &fp);
                        }
                        actions.push((f, a));
                    }
                    "apply" => actions.push((f, self.string(f.value, &fp).map(Action::Apply))),
                    "delete" => actions.push((f, self.string(f.value, &fp).map(Action::Delete))),
                    "fault" => actions.push((f, self.fault(f.value, &fp).map(Action::Fault))),
                    _ => {}
                }
            }
            let item_mark = self.mark(item);
            if !fields.iter().any(|f| f.key == "at") {
                self.required(item_mark, &child(&ip, "at"));
            }
            match actions.len() {
                0 if misspelt => {}
                0 => self.error(
                    "Invalid",
                    item_mark,
                    &ip,
                    format!("Required value: a step needs one action: {}", ACTIONS.join(", ")),
                    format!("단계에는 동작이 하나 있어야 합니다: {}", ACTIONS.join(", ")),
                ),
                1 => {}
                _ => {
                    let names: Vec<&str> = actions.iter().map(|(f, _)| f.key.as_str()).collect();
                    let second = actions[1].0.mark;
                    self.error(
                        "Invalid",
                        second,
                        &ip,
                        format!(
                            "Invalid value: a step has exactly one action, this one has {}: split it into steps at the same time",
                            names.join(" and ")
                        ),
                        format!("단계에는 동작이 하나만 있어야 합니다 ({}). 같은 시간의 단계 여러 개로 나누세요", names.join(", ")),
                    );
                }
            }
            if let (Some((t, m)), [(_, Some(action))]) = (at, actions.as_slice()) {
                marks.push((i, m, self.node_mark.take()));
                out.push(Step { at: t, action: action.clone() });
            }
        }
        out
    }

    fn fault(&mut self, id: NodeId, path: &[Seg]) -> Option<Fault> {
        // The switches take no argument: `fault: schedulerStop`.
        if let NodeKind::Scalar(s) = &self.doc.node(id).kind {
            if s.value == Value::Str {
                let name = s.text.clone();
                return match name.as_str() {
                    "schedulerStop" => Some(Fault::SchedulerStop),
                    "schedulerStart" => Some(Fault::SchedulerStart),
                    "controllerManagerStop" => Some(Fault::ControllerManagerStop),
                    "controllerManagerStart" => Some(Fault::ControllerManagerStart),
                    _ => {
                        let m = self.mark(id);
                        let (en, ko) = if FAULTS.contains(&name.as_str()) {
                            let example = match name.as_str() {
                                "killContainer" => "{killContainer: {pod: web, exitCode: 137}}",
                                "imageMissing" => "{imageMissing: nginx:1.25}",
                                _ => "{kubeletStop: k8s-worker1}",
                            };
                            let ex = example.replace("kubeletStop", &name);
                            (
                                format!("Invalid value: {name:?} needs an argument: write `fault: {ex}`"),
                                format!("{name:?}에는 인자가 필요합니다: `fault: {ex}`처럼 쓰세요"),
                            )
                        } else {
                            let hint = suggest::closest(&name, FAULTS)
                                .map(|c| format!("\ndid you mean {c:?}?"))
                                .unwrap_or_default();
                            (
                                format!("Unsupported value: {name:?}: supported values: {}{hint}", FAULTS.join(", ")),
                                format!("지원하지 않는 장애 {name:?}: {}{hint}", FAULTS.join(", ")),
                            )
                        };
                        self.error("Invalid", m, path, en, ko);
                        None
                    }
                };
            }
        }
        let before = self.errors.len();
        let fields = self.fields(id, path, FAULTS)?;
        let Some(f) = fields.first() else {
            if self.errors.len() > before {
                return None; // a misspelt fault, already reported
            }
            self.error(
                "Invalid",
                self.mark(id),
                path,
                format!("Required value: one of {}", FAULTS.join(", ")),
                format!("다음 중 하나가 필요합니다: {}", FAULTS.join(", ")),
            );
            return None;
        };
        if let Some(second) = fields.get(1) {
            self.error(
                "Invalid",
                second.mark,
                path,
                "Invalid value: a step injects one fault: split it into steps at the same time".into(),
                "단계 하나에는 장애 하나만 넣을 수 있습니다. 같은 시간의 단계 여러 개로 나누세요".into(),
            );
            return None;
        }
        let fp = child(path, &f.key);
        let key = f.key.as_str();
        if NODE_FAULTS.contains(&key) {
            self.node_mark = Some(self.mark(f.value));
            let node = self.string(f.value, &fp);
            let Some(node) = node.filter(|n| !n.is_empty()) else {
                self.required(f.mark, &fp);
                return None;
            };
            return Some(match key {
                "kubeletStop" => Fault::KubeletStop { node },
                "kubeletStart" => Fault::KubeletStart { node },
                "nodeDown" => Fault::NodeDown { node },
                _ => Fault::NodeUp { node },
            });
        }
        if SWITCHES.contains(&key) {
            self.error(
                "Invalid",
                f.mark,
                &fp,
                format!("Invalid value: {key} takes no argument: write `fault: {key}`"),
                format!("{key}에는 인자가 없습니다: `fault: {key}`처럼 쓰세요"),
            );
            return None;
        }
        if key == "imageMissing" {
            let image = self.string(f.value, &fp);
            let Some(image) = image.filter(|i| !i.is_empty()) else {
                self.required(f.mark, &fp);
                return None;
            };
            if !crate::runtime::catalog::valid_reference(&image) {
                let m = self.mark(f.value);
                self.invalid(
                    m,
                    &fp,
                    &image,
                    "not a valid image reference".into(),
                    "이미지 이름이 올바르지 않습니다".into(),
                );
                return None;
            }
            return Some(Fault::ImageMissing { image });
        }
        // killContainer
        let kf = self.fields(f.value, &fp, KILL)?;
        let (mut pod, mut ns, mut container, mut code) = (None, None, None, None);
        for k in &kf {
            let kp = child(&fp, &k.key);
            match k.key.as_str() {
                "pod" => pod = self.string(k.value, &kp).filter(|p| !p.is_empty()),
                "namespace" => ns = self.string(k.value, &kp).filter(|n| !n.is_empty()),
                "container" => container = self.string(k.value, &kp).filter(|c| !c.is_empty()),
                "exitCode" => code = self.integer(k.value, &kp, 0, 255).map(|c| c as i32),
                _ => {}
            }
        }
        let m = self.mark(f.value);
        for (present, field) in
            [(kf.iter().any(|k| k.key == "pod"), "pod"), (kf.iter().any(|k| k.key == "exitCode"), "exitCode")]
        {
            if !present {
                self.required(m, &child(&fp, field));
            }
        }
        let (pod, code) = (pod?, code?);
        let ns = ns.unwrap_or_else(|| "default".into());
        Some(Fault::KillContainer { pod: ObjectKey::new(Kind::Pod, &ns, &pod), container, exit_code: code })
    }

    /// Time order, `until` after the last step, faults naming nodes that exist.
    /// `list`: the steps' path; `until_path`: where `until` is.
    fn check_steps(
        &mut self,
        s: &Scenario,
        marks: &[(usize, Mark, Option<Mark>)],
        until: Option<Mark>,
        list: &[Seg],
        until_path: &[Seg],
    ) {
        let mut last: Option<Millis> = None;
        let nodes: Vec<String> = s.node_specs().into_iter().map(|n| n.name).collect();
        for (step, &(i, mark, node_mark)) in s.steps.iter().zip(marks) {
            let p = child(&index(list, i), "at");
            if let Some(prev) = last.filter(|prev| step.at < *prev) {
                self.invalid(
                    mark,
                    &p,
                    &super::format_at(step.at),
                    format!("steps must be in time order: the step before is at {}", super::format_at(prev)),
                    format!("단계는 시간 순서대로 써야 합니다: 앞 단계가 {}에 있습니다", super::format_at(prev)),
                );
            }
            last = Some(last.map_or(step.at, |l| l.max(step.at)));
            if let (Some(u), Some(um)) = (s.until, until) {
                if step.at > u {
                    self.invalid(
                        um,
                        until_path,
                        &super::format_at(u),
                        format!("comes before {}[{i}] (at {})", render(list), super::format_at(step.at)),
                        format!("{}[{i}]({})보다 앞입니다", render(list), super::format_at(step.at)),
                    );
                }
            }
            if let Action::Fault(
                Fault::KubeletStop { node }
                | Fault::KubeletStart { node }
                | Fault::NodeDown { node }
                | Fault::NodeUp { node },
            ) = &step.action
            {
                self.check_node(&nodes, node, node_mark.unwrap_or(mark), &child(&index(list, i), "fault"));
            }
        }
    }
}
