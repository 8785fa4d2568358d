//! YAML text → one tree of located nodes per document.
//!
//! Why libyaml: kubectl and the apiserver read YAML with go-yaml, a line-by-line port of libyaml.
//! Driving libyaml's own event parser (the pure-Rust `unsafe-libyaml` crate, which serde_yaml
//! already links) accepts exactly what they accept — for example the lenient indentation of flow
//! collections in the official docs' examples, which a spec-strict parser rejects — and words
//! syntax errors the way kubectl prints them. serde_yaml itself cannot be used here: it exposes no
//! positions for nodes that decoded fine, and validation errors need them.
//!
//! Scalars are resolved by go-yaml v2's rules (sigs.k8s.io/yaml converts YAML to JSON with its
//! goyaml.v2 fork): `yes`/`on`/`y` are booleans, `017` is octal, `1_000` is an integer, and map
//! keys that are not strings become strings (`80` → `"80"`, `true` → `"true"`).
//!
//! Hostile input is bounded here: nesting depth, the number of documents, and the size of a
//! document once its aliases are expanded (a "billion laughs" costs a few additions, never an
//! expansion). Nothing in this module copies an aliased subtree: aliases point at their anchor.

use std::collections::HashMap;
use std::ffi::CStr;
use std::marker::PhantomData;
use std::mem::MaybeUninit;

use unsafe_libyaml as unsafe_yaml;

pub type NodeId = usize;

/// Deepest nesting accepted (real manifests stay under 20; managedFields under 30).
pub const MAX_DEPTH: usize = 100;
/// Most documents read from one input.
pub const MAX_DOCUMENTS: usize = 1000;
/// Most nodes one document may hold once aliases are expanded. The biggest input accepted (3 MiB)
/// holds fewer plain nodes than this, so only alias expansion can exceed it.
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn from_sys(m: unsafe_yaml::yaml_mark_t) -> Mark {
        Mark { line: m.line as usize + 1, column: m.column as usize + 1 }
    }
}

/// What a scalar means once resolved (go-yaml v2's implicit typing, or an explicit `!!tag`).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Integers keep full 64-bit range in either sign.
    Int(i128),
    Float(f64),
    Str,
}

#[derive(Clone, Debug)]
pub struct Scalar {
    /// The scalar's text as parsed (quotes removed, escapes applied).
    pub text: String,
    pub value: Value,
    /// Written without quotes or block indicators: only these are implicitly typed.
    pub plain: bool,
}

#[derive(Clone, Debug)]
pub struct Entry {
    /// The key as JSON would have it (non-string keys converted as sigs.k8s.io/yaml does).
    pub key: String,
    pub key_node: NodeId,
    pub value: NodeId,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<NodeId>),
    Map(Vec<Entry>),
    /// `*name`: the anchored node, shared rather than copied.
    Alias(NodeId),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub mark: Mark,
}

/// One document of the stream.
#[derive(Debug)]
pub struct Document {
    /// 1-based position in the stream, counting empty documents, as a reader counts `---`.
    pub number: usize,
    pub nodes: Vec<Node>,
    pub root: NodeId,
    pub start: Mark,
}

impl Document {
    /// The node behind `id`, with aliases followed.
    pub fn node(&self, id: NodeId) -> &Node {
        let mut n = &self.nodes[id];
        // Anchors are registered only once their node is complete, so an alias never points at
        // another alias; the loop bound is belt and braces.
        for _ in 0..4 {
            match n.kind {
                NodeKind::Alias(t) => n = &self.nodes[t],
                _ => break,
            }
        }
        n
    }

    /// True for a document that holds nothing (only comments, `~` or `null`): kubectl skips these.
    pub fn is_empty(&self) -> bool {
        matches!(&self.node(self.root).kind, NodeKind::Scalar(s) if s.value == Value::Null)
    }

    /// The value of `key` in the mapping `id`, if it is one.
    pub fn get(&self, id: NodeId, key: &str) -> Option<&Entry> {
        match &self.node(id).kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The text of a string scalar.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).kind {
            NodeKind::Scalar(s) if s.value == Value::Str => Some(&s.text),
            _ => None,
        }
    }
}

/// Why the stream could not be read (further).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub code: &'static str,
    pub document: usize,
    pub mark: Option<Mark>,
    pub path: Option<String>,
    pub message: String,
    pub message_ko: String,
}

/// Reads documents one at a time, so only one tree is in memory at once.
pub struct Reader<'t> {
    parser: Parser<'t>,
    text: &'t str,
    documents: usize,
    /// Between a DocumentStart and its DocumentEnd.
    inside: bool,
    done: bool,
    /// Parser events consumed so far (a measure of work for the hostile-input tests).
    pub events: u64,
}

impl<'t> Reader<'t> {
    pub fn new(text: &'t str) -> Reader<'t> {
        Reader { parser: Parser::new(text), text, documents: 0, inside: false, done: false, events: 0 }
    }

    /// The next document, or the error that ends the stream. `None` at the end.
    pub fn next_document(&mut self) -> Option<Result<Document, YamlError>> {
        if self.done {
            return None;
        }
        let r = self.read_document();
        match &r {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => self.done = true,
        }
        r.transpose()
    }

    fn next_event(&mut self) -> Result<(Event, Mark), YamlError> {
        self.events += 1;
        self.parser.next().map_err(|e| self.syntax_error(e))
    }

    fn read_document(&mut self) -> Result<Option<Document>, YamlError> {
        loop {
            let (event, mark) = self.next_event()?;
            match event {
                Event::StreamStart | Event::DocumentEnd => continue,
                Event::StreamEnd => return Ok(None),
                Event::DocumentStart => {
                    self.documents += 1;
                    self.inside = true;
                    if self.documents > MAX_DOCUMENTS {
                        return Err(YamlError {
                            code: "TooManyDocuments",
                            document: self.documents,
                            mark: Some(mark),
                            path: None,
                            message: format!("too many documents: at most {MAX_DOCUMENTS} are read from one input"),
                            message_ko: format!("문서가 너무 많습니다: 한 번에 최대 {MAX_DOCUMENTS}개까지 읽습니다"),
                        });
                    }
                    return self.read_body(mark).map(Some);
                }
                // Anything else outside a document cannot come from libyaml; treat as the end.
                _ => return Ok(None),
            }
        }
    }

    /// Reads one document's node events up to its end.
    fn read_body(&mut self, start: Mark) -> Result<Document, YamlError> {
        let mut b = Builder {
            number: self.documents,
            nodes: Vec::new(),
            sizes: Vec::new(),
            frames: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            aliased: false,
        };
        loop {
            let (event, mark) = self.next_event()?;
            match event {
                Event::DocumentEnd | Event::StreamEnd | Event::StreamStart | Event::DocumentStart => {
                    self.inside = false;
                    break;
                }
                Event::Scalar { anchor, tag, text, plain } => {
                    let scalar = resolve(text, plain, tag.as_deref()).map_err(|m| b.error("Syntax", mark, m))?;
                    let id = b.push(NodeKind::Scalar(scalar), mark, 1);
                    b.complete(id, anchor, mark)?;
                }
                Event::Alias { anchor } => {
                    let Some(&target) = b.anchors.get(&anchor) else {
                        return Err(b.error(
                            "Syntax",
                            mark,
                            (
                                format!("yaml: unknown anchor '{anchor}' referenced"),
                                format!("YAML: 정의되지 않은 앵커 '{anchor}'을(를) 참조합니다 (앵커는 참조보다 앞에, 자기 자신 밖에서 정의해야 합니다)"),
                            ),
                        ));
                    };
                    b.aliased = true;
                    let size = b.sizes[target];
                    let id = b.push(NodeKind::Alias(target), mark, size);
                    b.complete(id, None, mark)?;
                }
                Event::SequenceStart { ref anchor } | Event::MappingStart { ref anchor } => {
                    let anchor = anchor.clone();
                    if b.frames.len() >= MAX_DEPTH {
                        return Err(b.error(
                            "TooDeep",
                            mark,
                            (
                                format!("yaml: exceeded max depth of {MAX_DEPTH}"),
                                format!("YAML: 중첩이 너무 깊습니다 (최대 {MAX_DEPTH}단계)"),
                            ),
                        ));
                    }
                    let kind = if matches!(event, Event::SequenceStart { .. }) {
                        FrameKind::Seq(Vec::new())
                    } else {
                        FrameKind::Map { entries: Vec::new(), key: None, seen: HashMap::new(), merges: Vec::new() }
                    };
                    b.frames.push(Frame { mark, anchor, size: 1, kind });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = b.frames.pop() else { break };
                    let (kind, size) = match frame.kind {
                        FrameKind::Seq(items) => (NodeKind::Seq(items), frame.size),
                        FrameKind::Map { mut entries, merges, seen, .. } => {
                            let added = b.merge(&mut entries, &seen, &merges, frame.mark)?;
                            (NodeKind::Map(entries), frame.size.saturating_add(added))
                        }
                    };
                    let id = b.push(kind, frame.mark, size);
                    b.complete(id, frame.anchor, frame.mark)?;
                }
            }
        }
        let root = match b.root {
            Some(r) => r,
            None => b.push(NodeKind::Scalar(Scalar { text: String::new(), value: Value::Null, plain: true }), start, 1),
        };
        Ok(Document { number: b.number, nodes: b.nodes, root, start })
    }

    fn syntax_error(&self, e: ParseError) -> YamlError {
        // The document the error is in: the one being read, or the next one if it struck between.
        let document = if self.inside { self.documents } else { self.documents + 1 };
        let mark = e.mark;
        let (hint, hint_ko) = syntax_hint(self.text, mark.line, &e.problem);
        let mut message = format!("error converting YAML to JSON: yaml: line {}: {}", mark.line, e.problem);
        let mut message_ko = format!("YAML 문법 오류 ({}번째 줄): {}", mark.line, problem_ko(&e.problem));
        if !hint.is_empty() {
            message.push('\n');
            message.push_str(&hint);
            message_ko.push('\n');
            message_ko.push_str(&hint_ko);
        }
        YamlError { code: "Syntax", document, mark: Some(mark), path: None, message, message_ko }
    }
}

struct Frame {
    mark: Mark,
    anchor: Option<String>,
    size: u64,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<NodeId>),
    Map {
        entries: Vec<Entry>,
        /// A key read, waiting for its value.
        key: Option<(String, NodeId, bool)>,
        /// Keys already set, with where: duplicates are an error (strict decoding).
        seen: HashMap<String, Mark>,
        /// Values of `<<` merge keys, applied when the mapping ends.
        merges: Vec<(NodeId, Mark)>,
    },
}

struct Builder {
    number: usize,
    nodes: Vec<Node>,
    /// Size of each node with aliases expanded (saturating).
    sizes: Vec<u64>,
    frames: Vec<Frame>,
    anchors: HashMap<String, NodeId>,
    root: Option<NodeId>,
    aliased: bool,
}

impl Builder {
    fn push(&mut self, kind: NodeKind, mark: Mark, size: u64) -> NodeId {
        self.nodes.push(Node { kind, mark });
        self.sizes.push(size);
        self.nodes.len() - 1
    }

    fn error(&self, code: &'static str, mark: Mark, (message, message_ko): (String, String)) -> YamlError {
        let path = self.path();
        YamlError {
            code,
            document: self.number,
            mark: Some(mark),
            path: (!path.is_empty()).then_some(path),
            message,
            message_ko,
        }
    }

    /// The field path of the node being read, e.g. `spec.containers[0]`.
    fn path(&self) -> String {
        let mut out = String::new();
        for f in &self.frames {
            match &f.kind {
                FrameKind::Seq(items) => {
                    out.push_str(&format!("[{}]", items.len()));
                }
                FrameKind::Map { key: Some((k, _, _)), .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                FrameKind::Map { key: None, .. } => {}
            }
        }
        out
    }

    /// Attaches a finished node to its parent (or makes it the root) and registers its anchor.
    fn complete(&mut self, id: NodeId, anchor: Option<String>, mark: Mark) -> Result<(), YamlError> {
        let size = self.sizes[id];
        if size > MAX_EXPANDED_NODES {
            return Err(self.too_big(mark));
        }
        if let Some(a) = anchor {
            self.anchors.insert(a, id);
        }
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some(id);
            return Ok(());
        };
        frame.size = frame.size.saturating_add(size);
        let frame_size = frame.size;
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(id),
            FrameKind::Map { entries, key, merges, .. } => match key.take() {
                Some((k, key_node, merge)) => {
                    if merge {
                        merges.push((id, mark));
                    } else {
                        entries.push(Entry { key: k, key_node, value: id });
                    }
                }
                None => {
                    let (k, merge) = match key_string(&self.nodes, id) {
                        Ok(k) => k,
                        Err(m) => return Err(self.error("InvalidKey", mark, m)),
                    };
                    // Re-borrow: key_string needed the node table.
                    let Some(Frame { kind: FrameKind::Map { key, seen, .. }, .. }) = self.frames.last_mut() else {
                        return Ok(());
                    };
                    if !merge {
                        if let Some(first) = seen.get(&k) {
                            let first = *first;
                            let k2 = k.clone();
                            let mut e = self.error(
                                "DuplicateKey",
                                mark,
                                (
                                    format!(
                                        "error converting YAML to JSON: yaml: unmarshal errors: line {}: key {k2:?} already set in map\n{k2:?} is already set on line {}: remove one of the two",
                                        mark.line, first.line
                                    ),
                                    format!(
                                        "YAML 오류 ({}번째 줄): 키 {k2:?}이(가) 이 매핑에 이미 있습니다 ({}번째 줄). 둘 중 하나를 지우세요",
                                        mark.line, first.line
                                    ),
                                ),
                            );
                            let p = e.path.take().unwrap_or_default();
                            e.path = Some(if p.is_empty() { k2 } else { format!("{p}.{k2}") });
                            return Err(e);
                        }
                        seen.insert(k.clone(), mark);
                    }
                    *key = Some((k, id, merge));
                    return Ok(());
                }
            },
        }
        if frame_size > MAX_EXPANDED_NODES {
            return Err(self.too_big(mark));
        }
        Ok(())
    }

    fn too_big(&self, mark: Mark) -> YamlError {
        if self.aliased {
            self.error(
                "TooManyAliases",
                mark,
                (
                    "yaml: document contains excessive aliasing".into(),
                    "YAML: 별칭(alias) 확장이 지나치게 많습니다 (\"billion laughs\" 같은 입력은 받지 않습니다)".into(),
                ),
            )
        } else {
            self.error(
                "TooLarge",
                mark,
                (
                    format!("document is too large: more than {MAX_EXPANDED_NODES} values"),
                    format!("문서가 너무 큽니다: 값이 {MAX_EXPANDED_NODES}개를 넘습니다"),
                ),
            )
        }
    }

    /// Applies `<<` merge keys (go-yaml supports them): entries of the merged mappings whose keys
    /// the mapping does not set itself. Returns the size the mapping grew by.
    fn merge(
        &self,
        entries: &mut Vec<Entry>,
        seen: &HashMap<String, Mark>,
        merges: &[(NodeId, Mark)],
        at: Mark,
    ) -> Result<u64, YamlError> {
        let mut added = 0u64;
        let mut have: HashMap<String, ()> = seen.keys().map(|k| (k.clone(), ())).collect();
        for &(value, mark) in merges {
            let sources: Vec<NodeId> = match &self.resolve(value).kind {
                NodeKind::Map(_) => vec![value],
                NodeKind::Seq(items) => items.clone(),
                _ => return Err(self.merge_error(mark)),
            };
            for s in sources {
                let NodeKind::Map(src) = &self.resolve(s).kind else {
                    return Err(self.merge_error(mark));
                };
                for e in src {
                    if have.insert(e.key.clone(), ()).is_none() {
                        added = added.saturating_add(self.sizes[e.value]).saturating_add(1);
                        entries.push(e.clone());
                    }
                }
            }
        }
        if added > MAX_EXPANDED_NODES {
            return Err(self.too_big(at));
        }
        Ok(added)
    }

    fn merge_error(&self, mark: Mark) -> YamlError {
        self.error(
            "Syntax",
            mark,
            (
                "yaml: map merge requires map or sequence of maps as the value".into(),
                "YAML: 병합 키(<<)의 값은 매핑이거나 매핑의 목록이어야 합니다".into(),
            ),
        )
    }

    fn resolve(&self, id: NodeId) -> &Node {
        match self.nodes[id].kind {
            NodeKind::Alias(t) => &self.nodes[t],
            _ => &self.nodes[id],
        }
    }
}

/// The JSON key for a YAML key node, as sigs.k8s.io/yaml converts it, and whether it is the
/// merge key `<<`.
fn key_string(nodes: &[Node], id: NodeId) -> Result<(String, bool), (String, String)> {
    let mut n = &nodes[id];
    if let NodeKind::Alias(t) = n.kind {
        n = &nodes[t];
    }
    let NodeKind::Scalar(s) = &n.kind else {
        return Err((
            "yaml: a mapping key must be a plain value, not a list or a mapping".into(),
            "YAML: 매핑의 키는 목록이나 매핑이 아닌 단순한 값이어야 합니다".into(),
        ));
    };
    Ok(match &s.value {
        Value::Str => (s.text.clone(), s.plain && s.text == "<<"),
        Value::Int(i) => (i.to_string(), false),
        Value::Bool(b) => (b.to_string(), false),
        // Go formats float keys with strconv.FormatFloat(f, 'g', -1, 32).
        Value::Float(f) => (format!("{}", *f as f32), false),
        Value::Null => {
            return Err((
                "error converting YAML to JSON: unsupported map key: null (a key is missing before `:`)".into(),
                "YAML을 JSON으로 바꿀 수 없습니다: 키가 비어 있습니다 (`:` 앞에 키가 없습니다)".into(),
            ))
        }
    })
}

/// Implicit typing of plain scalars and explicit core tags, as go-yaml v2's resolve.go.
fn resolve(text: String, plain: bool, tag: Option<&str>) -> Result<Scalar, (String, String)> {
    const CORE: &str = "tag:yaml.org,2002:";
    let tag = tag.and_then(|t| t.strip_prefix(CORE));
    let value = match tag {
        Some("str") | Some("binary") | Some("timestamp") => Value::Str,
        Some(t @ ("int" | "float" | "bool" | "null")) => {
            let v = implicit(&text);
            let ok = matches!(
                (t, &v),
                ("int", Value::Int(_))
                    | ("float", Value::Float(_) | Value::Int(_))
                    | ("bool", Value::Bool(_))
                    | ("null", Value::Null)
            );
            if !ok {
                return Err((
                    format!("yaml: cannot decode !!str `{text}` as a !!{t}"),
                    format!("YAML: `{text}` 값은 !!{t} 타입으로 읽을 수 없습니다"),
                ));
            }
            match v {
                Value::Int(i) if t == "float" => Value::Float(i as f64),
                v => v,
            }
        }
        // Other tags (local `!foo`, `!!map` on a scalar...) change nothing, as in go-yaml.
        _ if plain => implicit(&text),
        _ => Value::Str,
    };
    Ok(Scalar { text, value, plain })
}

fn implicit(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return Value::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Value::Str;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Value::Int(i);
    }
    if is_yaml_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str
}

/// strconv.ParseInt(s, 0, 64), then ParseUint: sign, `0x`/`0o`/`0b` prefixes, leading-zero octal.
fn parse_go_int(s: &str) -> Option<i128> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(b) = lower.strip_prefix("0x") {
        (16, b)
    } else if let Some(b) = lower.strip_prefix("0o") {
        (8, b)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = u128::from_str_radix(body, radix).ok()?;
    if neg {
        (v <= i64::MAX as u128 + 1).then(|| -(v as i128))
    } else {
        (v <= u64::MAX as u128).then_some(v as i128)
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Advice for the syntax errors learners make most, from the text around the error.
fn syntax_hint(text: &str, line: usize, problem: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let at = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    let nearby = || (at.saturating_sub(3)..=at).rev().filter_map(|i| lines.get(i).map(|l| (i, *l)));
    // `-image: nginx`: no space after the dash, so it is a key named "-image", not a list item.
    for (i, l) in nearby() {
        let t = l.trim_start();
        if let Some(rest) = t.strip_prefix('-') {
            let c = rest.chars().next();
            if !t.starts_with("---") && c.is_some_and(|c| !c.is_whitespace() && c != '-') && rest.contains(':') {
                let fixed = format!("- {rest}");
                return (
                    format!(
                        "hint: line {} starts a list item without a space after `-`: write `{}` instead of `{}`",
                        i + 1,
                        fixed.trim_end(),
                        t.trim_end()
                    ),
                    format!(
                        "도움말: {}번째 줄의 목록 항목에 `-` 뒤 공백이 없습니다: `{}` 대신 `{}`처럼 쓰세요",
                        i + 1,
                        t.trim_end(),
                        fixed.trim_end()
                    ),
                );
            }
        }
    }
    if let Some(l) = lines.get(at) {
        if l.trim_start_matches(' ').starts_with('\t') || problem.contains("tab") {
            return (
                "hint: YAML indentation must use spaces, not tab characters".into(),
                "도움말: YAML 들여쓰기에는 탭 문자를 쓸 수 없습니다. 공백(스페이스)으로 들여쓰세요".into(),
            );
        }
        if l.contains(['“', '”', '‘', '’']) {
            return (
                "hint: this line has typographic quotes (“ ” ‘ ’): use plain \" or ' quotes".into(),
                "도움말: 이 줄에 둥근 따옴표(“ ” ‘ ’)가 있습니다. 일반 따옴표 \" 나 ' 를 쓰세요".into(),
            );
        }
    }
    match problem {
        "mapping values are not allowed in this context" => (
            "hint: check this line's indentation against the line above, and quote values that contain `: `".into(),
            "도움말: 이 줄의 들여쓰기를 윗줄과 비교해 보고, `: `이 들어 있는 값은 따옴표로 감싸세요".into(),
        ),
        "did not find expected key" | "did not find expected '-' indicator" | "block sequence entries are not allowed in this context" => (
            "hint: the indentation of this line does not match its siblings: items of one mapping or list must start in the same column".into(),
            "도움말: 이 줄의 들여쓰기가 같은 수준의 다른 줄과 맞지 않습니다. 한 매핑이나 목록의 항목은 같은 열에서 시작해야 합니다".into(),
        ),
        "found unexpected end of stream" => (
            "hint: a quote or bracket opened earlier is never closed".into(),
            "도움말: 앞에서 연 따옴표나 괄호가 닫히지 않았습니다".into(),
        ),
        _ => (String::new(), String::new()),
    }
}

/// Korean for libyaml's problem strings (the ones a learner meets), else the English.
fn problem_ko(problem: &str) -> String {
    let ko = match problem {
        "mapping values are not allowed in this context" => "이 위치에는 `키: 값`을 쓸 수 없습니다",
        "did not find expected key" => "있어야 할 키를 찾지 못했습니다 (들여쓰기가 맞지 않습니다)",
        "did not find expected '-' indicator" => "있어야 할 목록 표시 `-`를 찾지 못했습니다",
        "could not find expected ':'" => "있어야 할 `:`을 찾지 못했습니다",
        "found character that cannot start any token" => "토큰을 시작할 수 없는 문자가 있습니다",
        "found unexpected end of stream" => "입력이 예상보다 일찍 끝났습니다",
        "did not find expected ',' or ']'" => "있어야 할 `,` 또는 `]`를 찾지 못했습니다",
        "did not find expected ',' or '}'" => "있어야 할 `,` 또는 `}`를 찾지 못했습니다",
        "block sequence entries are not allowed in this context" => "이 위치에는 목록 항목(`- `)을 쓸 수 없습니다",
        "did not find expected node content" => "값이 있어야 할 곳에 값이 없습니다",
        "found a tab character that violates indentation" => "탭 문자가 들여쓰기를 어깁니다",
        "control characters are not allowed" => "제어 문자는 쓸 수 없습니다",
        "found unknown escape character" => "알 수 없는 이스케이프 문자가 있습니다",
        "found undefined tag handle" => "정의되지 않은 태그 핸들이 있습니다",
        _ => return problem.to_string(),
    };
    ko.to_string()
}

// ---------------------------------------------------------------------------------------------
// The libyaml event parser, wrapped. All `unsafe` of the manifest reader is in this section.

enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias { anchor: String },
    Scalar { anchor: Option<String>, tag: Option<String>, text: String, plain: bool },
    SequenceStart { anchor: Option<String> },
    SequenceEnd,
    MappingStart { anchor: Option<String> },
    MappingEnd,
}

struct ParseError {
    problem: String,
    mark: Mark,
}

/// Owns a libyaml parser reading `input`. The parser struct is boxed because libyaml keeps a
/// pointer to it (its string reader's data pointer): it must not move once initialized.
struct Parser<'t> {
    sys: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>,
    initialized: bool,
    _input: PhantomData<&'t str>,
}

impl<'t> Parser<'t> {
    fn new(input: &'t str) -> Parser<'t> {
        let mut sys = Box::new(MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
        let p = sys.as_mut_ptr();
        // SAFETY: `p` points to writable heap memory of the right size and alignment, which
        // yaml_parser_initialize fills in whole. `input` outlives the parser (lifetime 't), and
        // libyaml only reads it.
        let initialized = unsafe {
            let ok = unsafe_yaml::yaml_parser_initialize(p).ok;
            if ok {
                unsafe_yaml::yaml_parser_set_encoding(p, unsafe_yaml::YAML_UTF8_ENCODING);
                unsafe_yaml::yaml_parser_set_input_string(p, input.as_ptr(), input.len() as u64);
            }
            ok
        };
        Parser { sys, initialized, _input: PhantomData }
    }

    fn next(&mut self) -> Result<(Event, Mark), ParseError> {
        if !self.initialized {
            return Err(ParseError {
                problem: "the YAML parser could not start".into(),
                mark: Mark { line: 1, column: 1 },
            });
        }
        let p = self.sys.as_mut_ptr();
        let mut event = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
        // SAFETY: the parser is initialized (checked above) and pinned in its box. An event that
        // yaml_parser_parse filled in is read, copied out, then freed exactly once; after a
        // failure the event is untouched and only the parser's error fields are read.
        unsafe {
            // A shared reference for the read only; none is alive across the parse call.
            let failed_before = (&*p).error != unsafe_yaml::YAML_NO_ERROR;
            if failed_before || unsafe_yaml::yaml_parser_parse(p, event.as_mut_ptr()).fail {
                return Err(parse_error(p));
            }
            let e = event.as_mut_ptr();
            let out = convert(&*e);
            let mark = Mark::from_sys((*e).start_mark);
            unsafe_yaml::yaml_event_delete(e);
            Ok((out, mark))
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: initialized by yaml_parser_initialize and not yet deleted.
            unsafe { unsafe_yaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
    }
}

/// SAFETY: `p` must point to an initialized parser whose last call failed.
unsafe fn parse_error(p: *const unsafe_yaml::yaml_parser_t) -> ParseError {
    // SAFETY: per the caller's contract; `problem` is null or a static C string.
    unsafe {
        let parser = &*p;
        let problem = cstr(parser.problem.cast()).unwrap_or_else(|| "unknown problem parsing YAML content".into());
        ParseError { problem, mark: Mark::from_sys(parser.problem_mark) }
    }
}

/// SAFETY: `ptr` is null or points to a NUL-terminated string.
unsafe fn cstr(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: per the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr.cast()) };
    Some(String::from_utf8_lossy(s.to_bytes()).into_owned())
}

/// SAFETY: `e` must be an event filled in by yaml_parser_parse and not yet deleted.
unsafe fn convert(e: &unsafe_yaml::yaml_event_t) -> Event {
    // SAFETY: the union member read is the one libyaml wrote for this event type; its pointers
    // are null or valid until yaml_event_delete.
    unsafe {
        match e.type_ {
            unsafe_yaml::YAML_STREAM_START_EVENT => Event::StreamStart,
            unsafe_yaml::YAML_STREAM_END_EVENT => Event::StreamEnd,
            unsafe_yaml::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
            unsafe_yaml::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
            unsafe_yaml::YAML_ALIAS_EVENT => Event::Alias { anchor: cstr(e.data.alias.anchor).unwrap_or_default() },
            unsafe_yaml::YAML_SCALAR_EVENT => {
                let s = e.data.scalar;
                let bytes =
                    if s.value.is_null() { &[][..] } else { std::slice::from_raw_parts(s.value, s.length as usize) };
                Event::Scalar {
                    anchor: cstr(s.anchor),
                    tag: cstr(s.tag),
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    plain: s.style == unsafe_yaml::YAML_PLAIN_SCALAR_STYLE,
                }
            }
            unsafe_yaml::YAML_SEQUENCE_START_EVENT => {
                Event::SequenceStart { anchor: cstr(e.data.sequence_start.anchor) }
            }
            unsafe_yaml::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
            unsafe_yaml::YAML_MAPPING_START_EVENT => Event::MappingStart { anchor: cstr(e.data.mapping_start.anchor) },
            unsafe_yaml::YAML_MAPPING_END_EVENT => Event::MappingEnd,
            _ => Event::StreamEnd,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Result<Document, YamlError>> {
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        while let Some(d) = r.next_document() {
            out.push(d);
        }
        out
    }

    fn scalar(d: &Document, key: &str) -> Value {
        let e = d.get(d.root, key).expect("key");
        match &d.node(e.value).kind {
            NodeKind::Scalar(s) => s.value.clone(),
            k => panic!("not a scalar: {k:?}"),
        }
    }

    #[test]
    fn resolves_scalars_like_go_yaml_v2() {
        let d = docs("a: yes\nb: 'yes'\nc: 017\nd: 0x1F\ne: 1_000\nf: 1.5\ng: .5\nh: ~\ni: 08\nj: -3\nk: 1e3\nl: abc\nm: on\nts: 2021-10-04T12:19:26Z\n")
            .remove(0)
            .unwrap();
        assert_eq!(scalar(&d, "a"), Value::Bool(true));
        assert_eq!(scalar(&d, "b"), Value::Str);
        assert_eq!(scalar(&d, "c"), Value::Int(15));
        assert_eq!(scalar(&d, "d"), Value::Int(31));
        assert_eq!(scalar(&d, "e"), Value::Int(1000));
        assert_eq!(scalar(&d, "f"), Value::Float(1.5));
        assert_eq!(scalar(&d, "g"), Value::Float(0.5));
        assert_eq!(scalar(&d, "h"), Value::Null);
        assert_eq!(scalar(&d, "i"), Value::Float(8.0));
        assert_eq!(scalar(&d, "j"), Value::Int(-3));
        assert_eq!(scalar(&d, "k"), Value::Float(1000.0));
        assert_eq!(scalar(&d, "l"), Value::Str);
        assert_eq!(scalar(&d, "m"), Value::Bool(true));
        assert_eq!(scalar(&d, "ts"), Value::Str);
    }

    #[test]
    fn explicit_tags() {
        let d = docs("a: !!str 123\nb: !!int \"5\"\n").remove(0).unwrap();
        assert_eq!(scalar(&d, "a"), Value::Str);
        assert_eq!(scalar(&d, "b"), Value::Int(5));
        let e = docs("a: !!int abc\n").remove(0).unwrap_err();
        assert_eq!(e.code, "Syntax");
    }

    #[test]
    fn non_string_keys_become_strings() {
        let d = docs("80: a\nyes: b\n").remove(0).unwrap();
        assert!(d.get(d.root, "80").is_some());
        assert!(d.get(d.root, "true").is_some());
        // go-yaml v2 reads a bare `y` as a boolean, keys included (sigs.k8s.io/yaml keeps it).
        let d = docs("y: 1\n").remove(0).unwrap();
        assert!(d.get(d.root, "true").is_some());
        let e = docs("? [a]\n: b\n").remove(0).unwrap_err();
        assert_eq!(e.code, "InvalidKey");
        let e = docs("~: b\n").remove(0).unwrap_err();
        assert_eq!(e.code, "InvalidKey");
    }

    #[test]
    fn marks_are_one_based() {
        let d = docs("a:\n  b: [1, 2]\n").remove(0).unwrap();
        let a = d.get(d.root, "a").unwrap();
        let b = d.get(a.value, "b").unwrap();
        assert_eq!(d.nodes[a.key_node].mark, Mark { line: 1, column: 1 });
        assert_eq!(d.nodes[b.key_node].mark, Mark { line: 2, column: 3 });
        assert_eq!(d.node(b.value).mark, Mark { line: 2, column: 6 });
    }

    #[test]
    fn documents_are_numbered_including_empty_ones() {
        let ds = docs("---\na: 1\n---\n# only a comment\n---\nb: 2\n...\n");
        assert_eq!(ds.len(), 3);
        let ds: Vec<Document> = ds.into_iter().map(Result::unwrap).collect();
        assert!(!ds[0].is_empty());
        assert!(ds[1].is_empty());
        assert_eq!(ds[2].number, 3);
    }

    #[test]
    fn errors_between_documents_count_as_the_next_one() {
        let ds = docs("a: 1\n---\n\"unterminated\n");
        assert!(ds[0].is_ok());
        assert_eq!(ds[1].as_ref().unwrap_err().document, 2);
        assert_eq!(docs("[")[0].as_ref().unwrap_err().document, 1);
    }

    #[test]
    fn duplicate_keys_are_located() {
        let e = docs("spec:\n  containers:\n  - name: a\n    image: x\n    image: y\n").remove(0).unwrap_err();
        assert_eq!(e.code, "DuplicateKey");
        assert_eq!(e.mark, Some(Mark { line: 5, column: 5 }));
        assert_eq!(e.path.as_deref(), Some("spec.containers[0].image"));
        assert!(e.message.contains("line 4"), "{}", e.message);
    }

    #[test]
    fn merge_keys_and_aliases() {
        let d = docs("base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\nr: *b\n").remove(0).unwrap();
        let m = d.get(d.root, "m").unwrap().value;
        let NodeKind::Map(entries) = &d.node(m).kind else { panic!() };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["z", "x"]);
        let r = d.get(d.root, "r").unwrap().value;
        assert!(matches!(d.nodes[r].kind, NodeKind::Alias(_)));
        assert!(d.get(r, "x").is_some());
    }

    #[test]
    fn unknown_and_recursive_anchors_are_errors() {
        assert_eq!(docs("a: *nope\n").remove(0).unwrap_err().code, "Syntax");
        assert_eq!(docs("a: &x [*x]\n").remove(0).unwrap_err().code, "Syntax");
    }

    #[test]
    fn syntax_error_hint_for_missing_space_after_dash() {
        let text = "spec:\n  containers:\n  -image: nginx\n    name: web\n";
        let e = docs(text).remove(0).unwrap_err();
        assert_eq!(e.code, "Syntax");
        assert_eq!(e.mark.map(|m| m.line), Some(4));
        assert!(e.message.contains("mapping values are not allowed"), "{}", e.message);
        assert!(e.message.contains("- image: nginx"), "{}", e.message);
        assert!(e.message_ko.contains("공백"), "{}", e.message_ko);
    }

    #[test]
    fn lenient_flow_indentation_like_go_yaml() {
        // From the official docs (service/pod-with-graceful-termination.yaml): the closing bracket
        // is no deeper than its key; libyaml (and so kubectl) accepts it.
        let text = "a:\n  command: [\n    \"sleep\"\n  ]\n";
        assert!(docs(text).remove(0).is_ok());
    }

    #[test]
    fn kyaml_and_json() {
        let kyaml = "---\n{\n  apiVersion: \"v1\", # comment\n  kind: \"Pod\",\n  metadata: {\n    name: \"x\",\n  },\n  list: [1, 2, ],\n}\n";
        let d = docs(kyaml).remove(0).unwrap();
        assert_eq!(d.str(d.get(d.root, "kind").unwrap().value), Some("Pod"));
        let json = "{\"a\":\t1,\n\t\"b\": [1,2],\n\"c\":{\"x\":\"y\"}}";
        let d = docs(json).remove(0).unwrap();
        assert!(d.get(d.root, "c").is_some());
    }

    #[test]
    fn depth_is_bounded() {
        let text = "[".repeat(10_000);
        let mut r = Reader::new(&text);
        let e = r.next_document().unwrap().unwrap_err();
        assert_eq!(e.code, "TooDeep");
        assert!(r.events <= MAX_DEPTH as u64 + 5, "{}", r.events);
        assert!(r.next_document().is_none());
    }

    #[test]
    fn billion_laughs_is_refused_without_expanding() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (prev, next) = (w[0], w[1]);
            text.push_str(&format!(
                "{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        let mut r = Reader::new(&text);
        let e = r.next_document().unwrap().unwrap_err();
        assert_eq!(e.code, "TooManyAliases");
        // Work stays proportional to the text, not to the 9^9 expansion.
        assert!(r.events < 200, "{}", r.events);
    }

    #[test]
    fn documents_are_bounded() {
        let text = "a: 1\n---\n".repeat(MAX_DOCUMENTS + 10);
        let mut r = Reader::new(&text);
        let mut n = 0;
        let mut last = None;
        while let Some(d) = r.next_document() {
            n += 1;
            last = Some(d);
        }
        assert_eq!(n, MAX_DOCUMENTS + 1);
        assert_eq!(last.unwrap().unwrap_err().code, "TooManyDocuments");
    }
}
