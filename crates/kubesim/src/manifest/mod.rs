//! The apiserver's front door: turns the text a learner pastes into typed API objects, as strict
//! as `kubectl apply --validate=strict` against a real apiserver, with every error located.
//!
//! Accepted input: multi-document YAML (`---`, `...`, comments, empty documents), JSON, and
//! KYAML (the flow style the docs now print), and `kind: List` with `items`. Each document goes
//! through four gates, each with upstream's wording:
//!
//! 1. YAML syntax ([`yaml`], libyaml as go-yaml ports it): `yaml: line 11: mapping values are not
//!    allowed in this context`, plus a hint for the usual slips (`-image:` without a space).
//! 2. Kind and apiVersion: `no matches for kind "Deployment" in version "extensions/v1beta1"`,
//!    or `UnsupportedKind` for kinds the playground does not simulate yet.
//! 3. Strict decoding ([`de`]): unknown fields (`strict decoding error: unknown field
//!    "metadata.lables"`, with a did-you-mean) and type mismatches, located.
//! 4. Validation ([`crate::validation`]): `The Pod "x" is invalid: spec.containers[0].image:
//!    Required value`, each cause located through [`positions`].
//!
//! Hostile input fails fast and in bounded memory: 3 MiB at most (the apiserver's request limit),
//! 1000 documents, nesting depth 100, and alias expansion capped without expanding.

// Errors are rare and short-lived, and `ManifestError` is public data: boxing it would only
// obscure the signatures.
#![allow(clippy::result_large_err)]

pub mod de;
pub mod positions;
pub mod suggest;
pub mod yaml;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Namespace, Node, Pod, ReplicationController, Service};
use serde::de::DeserializeOwned;

use crate::api::{Kind, Object};
use crate::validation::{self, field::render};
use yaml::{Document, Mark, NodeId, NodeKind, Value};

/// The apiserver's request body limit (`MaxRequestBodyBytes`, 3 MiB).
pub const MAX_INPUT_BYTES: usize = 3 * 1024 * 1024;

/// A problem with the input, located where possible. Messages are data (English and Korean);
/// the page and the CLI choose how to show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// What kind of problem: `Syntax`, `DuplicateKey`, `MissingKind`, `MissingApiVersion`,
    /// `UnsupportedKind`, `UnknownKind`, `WrongApiVersion`, `NotAnObject`, `UnknownField`,
    /// `TypeMismatch`, `InvalidQuantity`, `Decode`, `Invalid`, `TooLarge`, `TooDeep`,
    /// `TooManyAliases`, `TooManyDocuments`, `InvalidKey`, `InvalidUtf8`.
    pub code: &'static str,
    /// 1-based document number in a multi-document input.
    pub document: usize,
    /// 1-based line and column in the whole input, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field path, e.g. `spec.containers[0].image`, when known.
    pub path: Option<String>,
    /// Upstream's message, then hints on following lines.
    pub message: String,
    pub message_ko: String,
    /// For an object inside a `kind: List`: its index in `items`.
    pub item: Option<usize>,
    /// Each field-level problem of an aggregated error (unknown fields, validation), located.
    pub causes: Vec<Cause>,
    /// The did-you-mean suggestions that are plain renames, as edits the page can apply.
    pub fixes: Vec<Fix>,
}

/// A did-you-mean as an edit: the word `from`, written at `line`/`column` (1-based, columns in
/// characters), becomes `to`. Only offered when the rename alone fixes it (same level).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// One located field-level problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub message_ko: String,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "document {}", self.document)?;
        if let Some(i) = self.item {
            write!(f, ", items[{i}]")?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ", line {l}, column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One decoded document: the object, or why it was not accepted.
pub type Decoded = Result<Object, ManifestError>;

/// How much work a decode did, for tests that bound it on hostile input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub yaml_events: u64,
    pub nodes_visited: u64,
    pub documents: usize,
}

/// Decodes and validates every document of `text`. One bad document does not hide the others:
/// each gets its own result, in order (a YAML syntax error ends the stream, as it does for
/// kubectl). Empty documents are skipped; a `List` gives one result per item.
pub fn decode(text: &str) -> Vec<Decoded> {
    decode_with_work(text).0
}

/// [`decode`] for raw bytes: checks the size and the UTF-8 encoding first.
pub fn decode_bytes(bytes: &[u8]) -> Vec<Decoded> {
    if bytes.len() > MAX_INPUT_BYTES {
        return vec![Err(too_large(bytes.len()))];
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => decode(text),
        Err(e) => vec![Err(invalid_utf8(bytes, e.valid_up_to()))],
    }
}

/// [`decode`], also reporting the work done.
pub fn decode_with_work(text: &str) -> (Vec<Decoded>, Work) {
    let mut work = Work::default();
    if text.len() > MAX_INPUT_BYTES {
        return (vec![Err(too_large(text.len()))], work);
    }
    // A byte order mark is allowed at the start (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = yaml::Reader::new(text);
    let mut out = Vec::new();
    while let Some(doc) = reader.next_document() {
        match doc {
            Err(e) => out.push(Err(from_yaml(e))),
            Ok(doc) => {
                work.documents += 1;
                if !doc.is_empty() {
                    decode_node(&doc, doc.root, None, 0, &mut out, &mut work);
                }
            }
        }
    }
    work.yaml_events = reader.events;
    (out, work)
}

/// A YAML reader error as a located `ManifestError` (the scenario and lesson decoders use it too).
pub(crate) fn from_yaml(e: yaml::YamlError) -> ManifestError {
    ManifestError {
        code: e.code,
        document: e.document,
        line: e.mark.map(|m| m.line),
        column: e.mark.map(|m| m.column),
        path: e.path,
        message: e.message,
        message_ko: e.message_ko,
        item: None,
        causes: Vec::new(),
        fixes: Vec::new(),
    }
}

fn too_large(len: usize) -> ManifestError {
    ManifestError {
        code: "TooLarge",
        document: 1,
        line: None,
        column: None,
        path: None,
        message: format!("Request entity too large: limit is {MAX_INPUT_BYTES} (the input has {len} bytes)"),
        message_ko: format!("입력이 너무 큽니다: 최대 {MAX_INPUT_BYTES}바이트까지 받습니다 (입력은 {len}바이트)"),
        item: None,
        causes: Vec::new(),
        fixes: Vec::new(),
    }
}

fn invalid_utf8(bytes: &[u8], at: usize) -> ManifestError {
    let before = String::from_utf8_lossy(&bytes[..at]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let (en, ko) = if utf16 {
        ("the file is UTF-16: save it as UTF-8", "파일이 UTF-16입니다. UTF-8로 저장하세요")
    } else {
        (
            "manifests must be UTF-8 text (was the file saved in another encoding, such as EUC-KR?)",
            "매니페스트는 UTF-8 텍스트여야 합니다 (EUC-KR 같은 다른 인코딩으로 저장하지 않았는지 확인하세요)",
        )
    };
    ManifestError {
        code: "InvalidUtf8",
        document: before.matches("\n---").count() + 1,
        line: Some(line),
        column: Some(column),
        path: None,
        message: format!("yaml: invalid UTF-8 at line {line}, column {column} (byte {at}): {en}"),
        message_ko: format!("UTF-8이 아닌 바이트가 있습니다 ({line}번째 줄, {column}번째 열): {ko}"),
        item: None,
        causes: Vec::new(),
        fixes: Vec::new(),
    }
}

/// The kinds the playground simulates, and the group/version each is served at.
const SUPPORTED: &[(&str, Kind)] = &[
    ("Pod", Kind::Pod),
    ("Service", Kind::Service),
    ("Deployment", Kind::Deployment),
    ("ReplicaSet", Kind::ReplicaSet),
    ("ReplicationController", Kind::ReplicationController),
    ("Job", Kind::Job),
    ("Namespace", Kind::Namespace),
    ("Node", Kind::Node),
];

const SUPPORTED_LIST: &str = "Pod, Service, Deployment, ReplicaSet, ReplicationController, Job, Namespace, Node";

/// Built-in Kubernetes kinds the playground does not simulate (yet).
const KNOWN_UNSUPPORTED: &[&str] = &[
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "Ingress",
    "IngressClass",
    "NetworkPolicy",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "DaemonSet",
    "CronJob",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "LimitRange",
    "ResourceQuota",
    "PodDisruptionBudget",
    "Endpoints",
    "EndpointSlice",
    "PriorityClass",
    "PodTemplate",
    "ControllerRevision",
    "Lease",
    "RuntimeClass",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "CSIDriver",
    "Event",
    "Binding",
    "ComponentStatus",
    "APIService",
    "CertificateSigningRequest",
    "PodSecurityPolicy",
    "VerticalPodAutoscaler",
    "Gateway",
    "HTTPRoute",
];

/// What the API removed, for a better hint on old apiVersions.
fn removed_in(api_version: &str) -> Option<&'static str> {
    match api_version {
        "extensions/v1beta1" | "apps/v1beta1" | "apps/v1beta2" => Some("1.16"),
        "batch/v2alpha1" => Some("1.21"),
        _ => None,
    }
}

/// A new error for the document.
fn err(
    doc: &Document,
    item: Option<usize>,
    code: &'static str,
    mark: Mark,
    message: String,
    message_ko: String,
) -> ManifestError {
    ManifestError {
        code,
        document: doc.number,
        line: Some(mark.line),
        column: Some(mark.column),
        path: None,
        message,
        message_ko,
        item,
        causes: Vec::new(),
        fixes: Vec::new(),
    }
}

/// Decodes the object at `id` (a document's root or an item of a List) into `out`.
fn decode_node(doc: &Document, id: NodeId, item: Option<usize>, depth: usize, out: &mut Vec<Decoded>, work: &mut Work) {
    let node = doc.node(id);
    let NodeKind::Map(_) = &node.kind else {
        let (found, found_ko) = match &node.kind {
            NodeKind::Seq(_) => ("a list", "목록"),
            _ => ("a single value", "단일 값"),
        };
        out.push(Err(err(
            doc,
            item,
            "NotAnObject",
            node.mark,
            format!(
                "error validating data: the document is {found}, not an object: a manifest is a mapping that starts with apiVersion, kind and metadata"
            ),
            format!("문서가 오브젝트가 아니라 {found_ko}입니다. 매니페스트는 apiVersion, kind, metadata로 시작하는 매핑이어야 합니다"),
        )));
        return;
    };
    let text_of = |key: &str| -> Result<Option<&str>, ManifestError> {
        let Some(e) = doc.get(id, key) else { return Ok(None) };
        match &doc.node(e.value).kind {
            NodeKind::Scalar(s) if s.value == Value::Str => Ok(Some(s.text.as_str()).filter(|t| !t.is_empty())),
            NodeKind::Scalar(s) if s.value == Value::Null => Ok(None),
            other => {
                let what = match other {
                    NodeKind::Scalar(_) => "a number or boolean",
                    NodeKind::Seq(_) => "a list",
                    _ => "a mapping",
                };
                let mut e2 = err(
                    doc,
                    item,
                    "TypeMismatch",
                    doc.node(e.value).mark,
                    format!("{key}: expected a string, but found {what}"),
                    format!("{key}: 문자열이어야 합니다"),
                );
                e2.path = Some(key.to_string());
                Err(e2)
            }
        }
    };
    let (kind, api_version) = match (text_of("kind"), text_of("apiVersion")) {
        (Ok(k), Ok(v)) => (k, v),
        (Err(e), _) | (_, Err(e)) => {
            out.push(Err(e));
            return;
        }
    };
    let Some(kind) = kind else {
        out.push(Err(missing_kind(doc, id, item)));
        return;
    };

    // kubectl expands a List (or FooList) into its items.
    if kind == "List" || (kind.ends_with("List") && doc.get(id, "items").is_some()) {
        let Some(items) = doc.get(id, "items") else {
            out.push(Err(err(
                doc,
                item,
                "Decode",
                node.mark,
                "a List needs `items`".into(),
                "List에는 items가 있어야 합니다".into(),
            )));
            return;
        };
        match &doc.node(items.value).kind {
            NodeKind::Seq(list) if depth < 4 => {
                for (i, &child) in list.iter().enumerate() {
                    decode_node(doc, child, Some(i), depth + 1, out, work);
                }
            }
            NodeKind::Scalar(s) if s.value == Value::Null => {}
            _ => {
                let mut e = err(
                    doc,
                    item,
                    "TypeMismatch",
                    doc.node(items.value).mark,
                    "items: expected a list of objects".into(),
                    "items: 오브젝트의 목록이어야 합니다".into(),
                );
                e.path = Some("items".into());
                out.push(Err(e));
            }
        }
        return;
    }

    let kind_mark = doc.get(id, "kind").map_or(node.mark, |e| doc.node(e.value).mark);
    let Some(&(_, k)) = SUPPORTED.iter().find(|(name, _)| *name == kind) else {
        out.push(Err(unsupported_kind(doc, item, kind, api_version, kind_mark)));
        return;
    };
    let want = k.api_version();
    let Some(api_version) = api_version else {
        let name = object_name(doc, id);
        let mut e = err(
            doc,
            item,
            "MissingApiVersion",
            node.mark,
            format!(
                "resource mapping not found for name: {name:?} namespace: \"\": no matches for kind {kind:?} in version \"\"\nensure CRDs are installed first\nhint: add `apiVersion: {want}` at the top of the object"
            ),
            format!("apiVersion이 없습니다. 오브젝트 맨 위에 `apiVersion: {want}`을(를) 쓰세요"),
        );
        e.path = Some("apiVersion".into());
        out.push(Err(e));
        return;
    };
    if api_version != want {
        let name = object_name(doc, id);
        let mark = doc.get(id, "apiVersion").map_or(node.mark, |e| doc.node(e.value).mark);
        let removed = removed_in(api_version)
            .map(|v| format!(" ({api_version} was removed in Kubernetes {v})"))
            .unwrap_or_default();
        let removed_ko = removed_in(api_version)
            .map(|v| format!(" ({api_version}은(는) 쿠버네티스 {v}에서 제거되었습니다)"))
            .unwrap_or_default();
        let mut e = err(
            doc,
            item,
            "WrongApiVersion",
            mark,
            format!(
                "resource mapping not found for name: {name:?} namespace: \"\": no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first\nhint: {kind} is served as `apiVersion: {want}`{removed}"
            ),
            format!("{api_version:?} 버전에는 {kind:?} 종류가 없습니다. `apiVersion: {want}`을(를) 쓰세요{removed_ko}"),
        );
        e.path = Some("apiVersion".into());
        out.push(Err(e));
        return;
    }
    let decoded = match k {
        Kind::Pod => typed::<Pod>(doc, id, item, k, work).map(Object::Pod),
        Kind::Service => typed::<Service>(doc, id, item, k, work).map(Object::Service),
        Kind::Deployment => typed::<Deployment>(doc, id, item, k, work).map(Object::Deployment),
        Kind::ReplicaSet => typed::<ReplicaSet>(doc, id, item, k, work).map(Object::ReplicaSet),
        Kind::ReplicationController => {
            typed::<ReplicationController>(doc, id, item, k, work).map(Object::ReplicationController)
        }
        Kind::Job => typed::<Job>(doc, id, item, k, work).map(Object::Job),
        Kind::Namespace => typed::<Namespace>(doc, id, item, k, work).map(Object::Namespace),
        Kind::Node => typed::<Node>(doc, id, item, k, work).map(Object::Node),
        Kind::Endpoints => {
            typed::<k8s_openapi::api::core::v1::Endpoints>(doc, id, item, k, work).map(Object::Endpoints)
        }
        Kind::Event | Kind::EndpointSlice => return,
    };
    out.push(decoded.and_then(|obj| validate(doc, id, item, obj)));
}

fn object_name(doc: &Document, id: NodeId) -> String {
    doc.get(id, "metadata")
        .and_then(|m| doc.get(m.value, "name"))
        .and_then(|n| doc.str(n.value))
        .unwrap_or("")
        .to_string()
}

fn missing_kind(doc: &Document, id: NodeId, item: Option<usize>) -> ManifestError {
    let keys = |node: NodeId| -> Vec<&str> {
        match &doc.node(node).kind {
            NodeKind::Map(entries) => entries.iter().map(|e| e.key.as_str()).collect(),
            _ => Vec::new(),
        }
    };
    let top = keys(id);
    let spec = doc.get(id, "spec").map(|e| e.value);
    let spec_keys = spec.map(keys).unwrap_or_default();
    let has = |k: &str| top.contains(&k);
    let spec_has = |k: &str| spec_keys.contains(&k);
    // A plain `selector: {app: x}` is a ReplicationController's; `matchLabels` an apps/v1 one's.
    let plain_selector = spec.and_then(|s| doc.get(s, "selector")).is_some_and(|sel| {
        doc.get(sel.value, "matchLabels").is_none() && doc.get(sel.value, "matchExpressions").is_none()
    });
    let (hint, hint_ko) = if has("containers") || has("initContainers") {
        (
            "this looks like a piece of a Pod's spec, not a whole object: a manifest needs apiVersion, kind, metadata and spec around it".to_string(),
            "파드 spec의 일부처럼 보입니다. 매니페스트에는 apiVersion, kind, metadata, spec이 모두 있어야 합니다".to_string(),
        )
    } else if has("image") && has("name") {
        (
            "this looks like one container, not a whole object: put it under spec.containers of a Pod".to_string(),
            "컨테이너 하나처럼 보입니다. 파드의 spec.containers 아래에 넣으세요".to_string(),
        )
    } else if spec_has("template") || spec_has("replicas") {
        let (api, kind) = if plain_selector { ("v1", "ReplicationController") } else { ("apps/v1", "Deployment") };
        (
            format!("this looks like a workload with its first lines missing: add `apiVersion: {api}` and `kind: {kind}` at the top"),
            format!("워크로드의 앞부분이 빠진 것 같습니다. 맨 위에 `apiVersion: {api}`, `kind: {kind}` 두 줄을 쓰세요"),
        )
    } else if spec_has("containers") {
        (
            "this looks like a Pod with its first lines missing: add `apiVersion: v1` and `kind: Pod` at the top"
                .to_string(),
            "파드의 앞부분이 빠진 것 같습니다. 맨 위에 `apiVersion: v1`, `kind: Pod` 두 줄을 쓰세요".to_string(),
        )
    } else {
        (
            "add a top-level `kind:`, such as `kind: Pod`".to_string(),
            "최상위에 `kind: Pod` 같은 `kind:` 줄을 쓰세요".to_string(),
        )
    };
    let (en, ko) = if has("apiVersion") {
        ("Object 'Kind' is missing", "오브젝트에 kind가 없습니다")
    } else {
        ("error validating data: [apiVersion not set, kind not set]", "오브젝트에 apiVersion과 kind가 없습니다")
    };
    let mut e = err(
        doc,
        item,
        "MissingKind",
        doc.node(id).mark,
        format!("{en}\nhint: {hint}"),
        format!("{ko}\n도움말: {hint_ko}"),
    );
    e.path = Some("kind".into());
    e
}

fn unsupported_kind(
    doc: &Document,
    item: Option<usize>,
    kind: &str,
    api_version: Option<&str>,
    mark: Mark,
) -> ManifestError {
    let names: Vec<&str> = SUPPORTED.iter().map(|(n, _)| *n).collect();
    let known = KNOWN_UNSUPPORTED.contains(&kind);
    let mut e = if !known {
        if let Some(c) = suggest::closest(kind, &names) {
            let v = api_version.unwrap_or("");
            let mut e = err(
                doc,
                item,
                "UnknownKind",
                mark,
                format!("no matches for kind {kind:?} in version {v:?}\ndid you mean {c:?}? (kinds are case-sensitive)"),
                format!("{v:?} 버전에는 {kind:?} 종류가 없습니다\n혹시 {c:?}을(를) 쓰려던 것인가요? (kind는 대소문자를 구분합니다)"),
            );
            e.fixes.push(Fix { line: mark.line, column: mark.column, from: kind.to_string(), to: c.to_string() });
            e
        } else {
            unsupported(doc, item, kind, mark)
        }
    } else {
        unsupported(doc, item, kind, mark)
    };
    e.path = Some("kind".into());
    e
}

fn unsupported(doc: &Document, item: Option<usize>, kind: &str, mark: Mark) -> ManifestError {
    err(
        doc,
        item,
        "UnsupportedKind",
        mark,
        format!("kind {kind:?} is not supported in the playground yet (supported: {SUPPORTED_LIST})"),
        format!("{kind:?} 종류는 아직 플레이그라운드에서 지원하지 않습니다 (지원: {SUPPORTED_LIST})"),
    )
}

/// Decodes a JSON value (an object after a patch, a converted field) into `T` through the same
/// decoder as manifests: JSON is YAML, so the value's text is read back as a document. Why not
/// `serde_json::from_value`: a second deserializer instantiates every k8s-openapi type's
/// `Deserialize` code a second time, tens of kilobytes of the page's wasm for two call sites.
/// Unknown fields are dropped, as the apiserver's non-strict decoding does; the first type error
/// comes back as `path: message`.
pub fn from_json<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    let doc = match yaml::Reader::new(&text).next_document() {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => return Err(e.message),
        None => return Err("empty document".into()),
    };
    de::decode::<T>(&doc, doc.root).0.map_err(|e| {
        let path = e.path.as_deref().map(render).unwrap_or_default();
        if path.is_empty() {
            e.message.clone()
        } else {
            format!("{path}: {}", e.message)
        }
    })
}

/// Reads YAML (or JSON, which is YAML) text into a JSON value, as kubectl's `yaml.ToJSON` does
/// with a patch: the first document; empty text is `null`.
pub fn to_json_value(text: &str) -> Result<serde_json::Value, String> {
    match yaml::Reader::new(text).next_document() {
        None => Ok(serde_json::Value::Null),
        Some(Err(e)) => Err(e.message),
        Some(Ok(doc)) => de::decode::<serde_json::Value>(&doc, doc.root).0.map_err(|e| e.message.clone()),
    }
}

/// Strict decoding of one object into `T`.
fn typed<T: DeserializeOwned>(
    doc: &Document,
    id: NodeId,
    item: Option<usize>,
    kind: Kind,
    work: &mut Work,
) -> Result<T, ManifestError> {
    let (result, unknown, visited) = de::decode::<T>(doc, id);
    work.nodes_visited += visited;
    let prefix =
        format!("{} in version {:?} cannot be handled as a {}: ", kind.name(), kind.api_version(), kind.name());
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            let path = e.path.as_deref().map(render).unwrap_or_default();
            let code = match e.kind {
                de::DeErrorKind::TypeMismatch => "TypeMismatch",
                de::DeErrorKind::Quantity => "InvalidQuantity",
                de::DeErrorKind::Other => "Decode",
            };
            let at = if path.is_empty() { String::new() } else { format!("{path}: ") };
            let mut message = format!("{prefix}{at}{}", e.message);
            let mut message_ko = format!("{at}{}", e.message_ko);
            if let Some((en, ko)) = &e.hint {
                message.push('\n');
                message.push_str(en);
                message_ko.push('\n');
                message_ko.push_str(ko);
            }
            let mark = e.mark.unwrap_or(doc.node(id).mark);
            let mut m = err(doc, item, code, mark, message, message_ko);
            m.path = (!path.is_empty()).then_some(path);
            return Err(m);
        }
    };
    if unknown.is_empty() {
        return Ok(value);
    }
    // Upstream lists every unknown field; so do we (up to a bound), each with its place and advice.
    let total = unknown.len();
    let unknown = &unknown[..total.min(MAX_CAUSES)];
    let fields: Vec<String> = unknown.iter().map(|u| render(&u.path)).collect();
    let shown = &fields[..fields.len().min(MAX_LISTED)];
    let more = |n: usize| {
        if total > n {
            format!(" (and {} more)", total - n)
        } else {
            String::new()
        }
    };
    let more_ko = |n: usize| {
        if total > n {
            format!(" (외 {}개)", total - n)
        } else {
            String::new()
        }
    };
    let list = shown.iter().map(|f| format!("unknown field {f:?}")).collect::<Vec<_>>().join(", ");
    let list_ko = shown.iter().map(|f| format!("알 수 없는 필드 {f:?}")).collect::<Vec<_>>().join(", ");
    let hints: Vec<Option<validation::Msg>> =
        unknown.iter().map(|u| suggest::unknown_field(&u.path, &u.key, u.fields)).collect();
    let causes: Vec<Cause> = unknown
        .iter()
        .zip(&fields)
        .zip(&hints)
        .map(|((u, path), hint)| {
            let (message, message_ko) = match hint {
                Some(h) => (format!("unknown field {path:?}: {}", h.en), format!("알 수 없는 필드 {path:?}: {}", h.ko)),
                None => (format!("unknown field {path:?}"), format!("알 수 없는 필드 {path:?}")),
            };
            Cause { path: path.clone(), line: Some(u.mark.line), column: Some(u.mark.column), message, message_ko }
        })
        .collect();
    let mut message = format!("{prefix}strict decoding error: {list}{}", more(shown.len()));
    let mut message_ko = format!("엄격한 디코딩 오류: {list_ko}{}", more_ko(shown.len()));
    for ((u, path), hint) in unknown.iter().zip(shown).zip(&hints) {
        let Some(h) = hint else { continue };
        if total == 1 {
            message.push_str(&format!("\n{}", h.en));
            message_ko.push_str(&format!("\n{}", h.ko));
        } else {
            message.push_str(&format!("\n{path} (line {}): {}", u.mark.line, h.en));
            message_ko.push_str(&format!("\n{path} ({}번째 줄): {}", u.mark.line, h.ko));
        }
    }
    let first = &unknown[0];
    let mut e = err(doc, item, "UnknownField", first.mark, message, message_ko);
    e.path = Some(fields[0].clone());
    e.causes = causes;
    e.fixes = unknown
        .iter()
        .filter_map(|u| {
            let to = suggest::rename(&u.key, u.fields)?;
            Some(Fix { line: u.mark.line, column: u.mark.column, from: u.key.clone(), to: to.to_string() })
        })
        .collect();
    Err(e)
}

/// Unknown fields named in the message, and located as causes.
const MAX_LISTED: usize = 10;
const MAX_CAUSES: usize = 100;

/// Runs the apiserver's validation and locates each cause in the text.
fn validate(doc: &Document, id: NodeId, item: Option<usize>, obj: Object) -> Decoded {
    let errs = validation::validate(&obj);
    if errs.is_empty() {
        return Ok(obj);
    }
    let name = obj.meta().name.clone().or_else(|| obj.meta().generate_name.clone()).unwrap_or_default();
    let (message, message_ko) = validation::invalid_message(obj.kind(), &name, &errs);
    let causes: Vec<Cause> = errs
        .iter()
        .map(|e| {
            let at = e.locate.as_ref().unwrap_or(&e.field);
            let mark = positions::locate(doc, id, &at.0);
            Cause {
                path: e.field.to_string(),
                line: Some(mark.line),
                column: Some(mark.column),
                message: e.message(),
                message_ko: e.message_ko(),
            }
        })
        .collect();
    let first = &causes[0];
    Err(ManifestError {
        code: "Invalid",
        document: doc.number,
        line: first.line,
        column: first.column,
        path: Some(first.path.clone()),
        message,
        message_ko,
        item,
        causes,
        fixes: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
