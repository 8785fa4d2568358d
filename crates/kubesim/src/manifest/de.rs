//! A serde `Deserializer` over a located YAML tree, strict as the apiserver's decoder.
//!
//! Why not serde_ignored or serde_path_to_error: k8s-openapi's generated `Deserialize` impls call
//! `deserialize_struct(name, FIELDS, visitor)` and turn unknown keys into `IgnoredAny`; a wrapper
//! around serde_yaml's deserializer could see the keys and FIELDS but not where each key is in the
//! text, and serde_yaml is more lenient than the apiserver about types (it reads `8080` into a
//! string field). Deserializing from our own tree gives, for every unknown key and every type
//! mismatch, the exact path, line and column, and the list of valid field names for a
//! did-you-mean, at no dependency cost.
//!
//! Type rules follow Go's encoding/json after sigs.k8s.io/yaml's YAML→JSON conversion: a string
//! field refuses numbers and booleans, an integer field refuses strings and fractions, and `null`
//! leaves any field at its zero value.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::yaml::{Document, Entry, Mark, NodeId, NodeKind, Scalar, Value};

pub use crate::validation::field::{render, Seg};

/// A key the target type does not have.
#[derive(Clone, Debug)]
pub struct Unknown {
    pub path: Vec<Seg>,
    pub key: String,
    /// The valid field names at that level.
    pub fields: &'static [&'static str],
    pub mark: Mark,
}

/// What a field wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    Str,
    Int(&'static str),
    Float,
    Bool,
    List,
    Object,
    Map,
    IntOrString,
}

impl Want {
    fn en(self) -> String {
        match self {
            Want::Str => "a string".into(),
            Want::Int(t) => format!("an integer ({t})"),
            Want::Float => "a number".into(),
            Want::Bool => "a boolean (true or false)".into(),
            Want::List => "a list".into(),
            Want::Object => "an object (a mapping of fields)".into(),
            Want::Map => "a mapping of key: value pairs".into(),
            Want::IntOrString => "an integer or a string (e.g. 8080 or \"http\")".into(),
        }
    }
    fn ko(self) -> String {
        match self {
            Want::Str => "문자열".into(),
            Want::Int(t) => format!("정수({t})"),
            Want::Float => "숫자".into(),
            Want::Bool => "불리언(true 또는 false)".into(),
            Want::List => "목록(list)".into(),
            Want::Object => "오브젝트(필드: 값 매핑)".into(),
            Want::Map => "키: 값 매핑".into(),
            Want::IntOrString => "정수나 문자열(예: 8080 또는 \"http\")".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeErrorKind {
    TypeMismatch,
    Quantity,
    Other,
}

/// A decoding error; `path` and `mark` are filled in at the innermost node that knows them.
/// Boxed: every `Result` of the deserializer carries this type, and most of them succeed.
#[derive(Clone, Debug)]
pub struct DeError(Box<DeErrorData>);

impl std::ops::Deref for DeError {
    type Target = DeErrorData;
    fn deref(&self) -> &DeErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for DeError {
    fn deref_mut(&mut self) -> &mut DeErrorData {
        &mut self.0
    }
}

impl From<DeErrorData> for DeError {
    fn from(d: DeErrorData) -> DeError {
        DeError(Box::new(d))
    }
}

#[derive(Clone, Debug)]
pub struct DeErrorData {
    pub kind: DeErrorKind,
    pub path: Option<Vec<Seg>>,
    pub mark: Option<Mark>,
    pub message: String,
    pub message_ko: String,
    pub hint: Option<(String, String)>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let message = msg.to_string();
        DeError::from(DeErrorData {
            kind: DeErrorKind::Other,
            path: None,
            mark: None,
            message_ko: format!("값을 읽을 수 없습니다: {message}"),
            message,
            hint: None,
        })
    }

    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        // Raised by k8s-openapi's own visitors (IntOrString gets a float, a list...).
        let exp = exp.to_string();
        let want = match exp.as_str() {
            "IntOrString" => Want::IntOrString.en(),
            other => other.to_string(),
        };
        let want_ko = match exp.as_str() {
            "IntOrString" => Want::IntOrString.ko(),
            other => other.to_string(),
        };
        DeError::from(DeErrorData {
            kind: DeErrorKind::TypeMismatch,
            path: None,
            mark: None,
            message: format!("expected {want}, but found {unexp}"),
            message_ko: format!("{want_ko} 값이 와야 하는데 {unexp}이(가) 왔습니다"),
            hint: None,
        })
    }
}

/// Shared state of one object's decoding.
pub struct Cx<'a> {
    doc: &'a Document,
    path: RefCell<Vec<Seg>>,
    unknown: RefCell<Vec<Unknown>>,
    visited: Cell<u64>,
}

/// Decodes the node `id` of `doc` into `T`. Returns the value (or the first error), every unknown
/// field met on the way, and the number of nodes visited.
pub fn decode<T: de::DeserializeOwned>(doc: &Document, id: NodeId) -> (Result<T, DeError>, Vec<Unknown>, u64) {
    let cx = Cx { doc, path: RefCell::new(Vec::new()), unknown: RefCell::new(Vec::new()), visited: Cell::new(0) };
    let r = T::deserialize(De { cx: &cx, id }).map_err(|e| cx.locate(e, id));
    (r, cx.unknown.into_inner(), cx.visited.get())
}

impl Cx<'_> {
    /// Gives an error without a location the current path and the node's mark.
    fn locate(&self, mut e: DeError, id: NodeId) -> DeError {
        if e.path.is_none() {
            e.path = Some(self.path.borrow().clone());
        }
        if e.mark.is_none() {
            e.mark = Some(self.doc.node(id).mark);
        }
        e
    }

    /// Runs `f` with `seg` pushed on the path.
    fn with<R>(&self, seg: Seg, id: NodeId, f: impl FnOnce() -> Result<R, DeError>) -> Result<R, DeError> {
        self.path.borrow_mut().push(seg);
        let r = f().map_err(|e| self.locate(e, id));
        self.path.borrow_mut().pop();
        r
    }
}

#[derive(Clone, Copy)]
struct De<'c, 'a> {
    cx: &'c Cx<'a>,
    id: NodeId,
}

/// What was found, for messages.
fn found(kind: &NodeKind) -> (String, String) {
    match kind {
        NodeKind::Scalar(s) => match &s.value {
            Value::Null => ("null".into(), "null(빈 값)".into()),
            Value::Bool(b) => (format!("the boolean {b}"), format!("불리언 {b}")),
            Value::Int(_) | Value::Float(_) => (format!("the number {}", s.text), format!("숫자 {}", s.text)),
            Value::Str => {
                let t: String = s.text.chars().take(40).collect();
                let t = if t.len() < s.text.len() { format!("{t}…") } else { t };
                (format!("the string {t:?}"), format!("문자열 {t:?}"))
            }
        },
        NodeKind::Seq(_) => ("a list".into(), "목록(list)".into()),
        NodeKind::Map(_) => ("a mapping".into(), "매핑(키: 값)".into()),
        NodeKind::Alias(_) => ("an alias".into(), "별칭".into()),
    }
}

/// Advice for the mismatches learners make most.
fn mismatch_hint(want: Want, node: &NodeKind, doc: &Document) -> Option<(String, String)> {
    match (want, node) {
        (Want::Int(_) | Want::Float, NodeKind::Scalar(s))
            if s.value == Value::Str && s.text.trim().parse::<f64>().is_ok() =>
        {
            Some((
                format!("hint: write the number without quotes: {}", s.text.trim()),
                format!("도움말: 숫자는 따옴표 없이 쓰세요: {}", s.text.trim()),
            ))
        }
        (Want::Bool, NodeKind::Scalar(s)) if s.value == Value::Str => Some((
            "hint: write true or false without quotes".into(),
            "도움말: 따옴표 없이 true 또는 false로 쓰세요".into(),
        )),
        (Want::Str, NodeKind::Scalar(s)) if matches!(s.value, Value::Bool(_)) => Some((
            format!("hint: YAML reads {} as a boolean; quote it to keep it text: \"{}\"", s.text, s.text),
            format!(
                "도움말: YAML은 {}을(를) 불리언으로 읽습니다. 글자로 쓰려면 따옴표로 감싸세요: \"{}\"",
                s.text, s.text
            ),
        )),
        (Want::Str, NodeKind::Scalar(s)) if matches!(s.value, Value::Int(_) | Value::Float(_)) => Some((
            format!("hint: YAML reads {} as a number; quote it to keep it text: \"{}\"", s.text, s.text),
            format!("도움말: YAML은 {}을(를) 숫자로 읽습니다. 글자로 쓰려면 따옴표로 감싸세요: \"{}\"", s.text, s.text),
        )),
        (Want::List, NodeKind::Map(entries)) => {
            if let Some(e) = entries.iter().find(|e| e.key.starts_with('-') && e.key.len() > 1) {
                let line = doc.nodes[e.key_node].mark.line;
                let rest = &e.key[1..];
                Some((
                    format!("hint: line {line} reads as a key named {:?}: a list item needs a space after `-`: write `- {rest}:`", e.key),
                    format!("도움말: {line}번째 줄이 {:?}(이)라는 키로 읽힙니다. 목록 항목은 `-` 뒤에 공백이 필요합니다: `- {rest}:`처럼 쓰세요", e.key),
                ))
            } else {
                Some((
                    "hint: this field takes a list: start each item with `- ` (a dash and a space)".into(),
                    "도움말: 이 필드는 목록입니다. 각 항목을 `- `(대시와 공백)로 시작하세요".into(),
                ))
            }
        }
        (Want::List, NodeKind::Scalar(s)) if s.value == Value::Str && s.text.starts_with('-') => Some((
            "hint: a list item needs a space after `-`".into(),
            "도움말: 목록 항목은 `-` 뒤에 공백이 필요합니다".into(),
        )),
        (Want::Object, NodeKind::Seq(_)) => Some((
            "hint: this field takes a single object, not a list: remove the `- `".into(),
            "도움말: 이 필드는 목록이 아니라 오브젝트 하나를 받습니다. `- `를 지우세요".into(),
        )),
        (Want::Object | Want::Map, NodeKind::Scalar(s)) if s.value != Value::Null => Some((
            "hint: put the fields on the following lines, indented under this key".into(),
            "도움말: 필드는 다음 줄부터 이 키보다 들여써서 적으세요".into(),
        )),
        _ => None,
    }
}

impl<'c, 'a> De<'c, 'a> {
    fn node(&self) -> &'a NodeKind {
        self.cx.visited.set(self.cx.visited.get() + 1);
        &self.cx.doc.node(self.id).kind
    }

    fn scalar(&self) -> Option<&'a Scalar> {
        match self.node() {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(s) if s.value == Value::Null)
    }

    fn mismatch(&self, want: Want) -> DeError {
        let node = self.node();
        let (f, f_ko) = found(node);
        DeError::from(DeErrorData {
            kind: DeErrorKind::TypeMismatch,
            path: Some(self.cx.path.borrow().clone()),
            mark: Some(self.cx.doc.node(self.id).mark),
            message: format!("expected {}, but found {f}", want.en()),
            message_ko: format!("{} 값이 와야 하는데 {f_ko}이(가) 왔습니다", want.ko()),
            hint: mismatch_hint(want, node, self.cx.doc),
        })
    }

    fn int(&self, go: &'static str, min: i128, max: i128) -> Result<i128, DeError> {
        match self.scalar().map(|s| &s.value) {
            Some(Value::Null) => Ok(0),
            Some(Value::Int(i)) if (min..=max).contains(i) => Ok(*i),
            // YAML→JSON turns 3.0 into 3, which Go then accepts as an integer.
            Some(Value::Float(f)) if f.fract() == 0.0 && (min as f64..=max as f64).contains(f) => Ok(*f as i128),
            Some(Value::Int(_)) | Some(Value::Float(_)) => {
                let mut e = self.mismatch(Want::Int(go));
                e.message =
                    format!("{} is out of range for {go}", self.scalar().map(|s| s.text.as_str()).unwrap_or(""));
                e.message_ko =
                    format!("{}은(는) {go} 범위를 벗어납니다", self.scalar().map(|s| s.text.as_str()).unwrap_or(""));
                if self.scalar().is_some_and(|s| matches!(s.value, Value::Float(f) if f.fract() != 0.0)) {
                    e.message = format!(
                        "expected an integer ({go}), but found the number {}",
                        self.scalar().map(|s| s.text.as_str()).unwrap_or("")
                    );
                    e.message_ko = format!(
                        "정수({go}) 값이 와야 하는데 숫자 {}이(가) 왔습니다",
                        self.scalar().map(|s| s.text.as_str()).unwrap_or("")
                    );
                }
                Err(e)
            }
            _ => Err(self.mismatch(Want::Int(go))),
        }
    }
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $ty:ty, $go:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let v = self.int($go, <$ty>::MIN as i128, <$ty>::MAX as i128)?;
            visitor.$visit(v as $ty)
        }
    };
}

impl<'de> de::Deserializer<'de> for De<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node() {
            NodeKind::Scalar(s) => match &s.value {
                Value::Null => visitor.visit_unit(),
                Value::Bool(b) => visitor.visit_bool(*b),
                Value::Int(i) => {
                    if let Ok(v) = i64::try_from(*i) {
                        visitor.visit_i64(v)
                    } else {
                        visitor.visit_u64(u64::try_from(*i).unwrap_or(u64::MAX))
                    }
                }
                Value::Float(f) => visitor.visit_f64(*f),
                Value::Str => visitor.visit_str(&s.text),
            },
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess { cx: self.cx, items, i: 0 }),
            NodeKind::Map(entries) => {
                visitor.visit_map(MapAccess { cx: self.cx, entries, i: 0, fields: None, value: None })
            }
            NodeKind::Alias(_) => visitor.visit_unit(),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.scalar().map(|s| &s.value) {
            Some(Value::Bool(b)) => visitor.visit_bool(*b),
            Some(Value::Null) => visitor.visit_bool(false),
            _ => Err(self.mismatch(Want::Bool)),
        }
    }

    int_method!(deserialize_i8, visit_i8, i8, "int8");
    int_method!(deserialize_i16, visit_i16, i16, "int16");
    int_method!(deserialize_i32, visit_i32, i32, "int32");
    int_method!(deserialize_i64, visit_i64, i64, "int64");
    int_method!(deserialize_u8, visit_u8, u8, "uint8");
    int_method!(deserialize_u16, visit_u16, u16, "uint16");
    int_method!(deserialize_u32, visit_u32, u32, "uint32");
    int_method!(deserialize_u64, visit_u64, u64, "uint64");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.scalar().map(|s| &s.value) {
            Some(Value::Float(f)) => visitor.visit_f64(*f),
            Some(Value::Int(i)) => visitor.visit_f64(*i as f64),
            Some(Value::Null) => visitor.visit_f64(0.0),
            _ => Err(self.mismatch(Want::Float)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.scalar() {
            Some(s) if s.value == Value::Str => visitor.visit_str(&s.text),
            // Go leaves a string field empty for null.
            Some(s) if s.value == Value::Null => visitor.visit_str(""),
            _ => Err(self.mismatch(Want::Str)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        if name == "Quantity" {
            // Checked here, where the node's place is known; upstream fails the whole decode with
            // the same message and no location.
            let text = match self.scalar() {
                Some(s) if s.value == Value::Null => "0",
                Some(s) if matches!(s.value, Value::Str | Value::Int(_) | Value::Float(_)) => s.text.as_str(),
                _ => {
                    let mut e = self.mismatch(Want::Str);
                    e.message = format!(
                        "expected a quantity (like \"500m\", \"128Mi\" or 2), but found {}",
                        found(self.node()).0
                    );
                    e.message_ko = format!(
                        "수량(예: \"500m\", \"128Mi\", 2) 값이 와야 하는데 {}이(가) 왔습니다",
                        found(self.node()).1
                    );
                    return Err(e);
                }
            };
            if let Err(msg) = crate::quantity::parse(text) {
                let _ = msg;
                return Err(DeError::from(DeErrorData {
                    kind: DeErrorKind::Quantity,
                    path: Some(self.cx.path.borrow().clone()),
                    mark: Some(self.cx.doc.node(self.id).mark),
                    message: format!(
                        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got {text:?})"
                    ),
                    message_ko: format!("수량 형식이 아닙니다: {text:?} (예: 500m, 0.5, 128Mi, 1Gi)"),
                    hint: quantity_hint(text),
                }));
            }
            return visitor.visit_newtype_struct(IntoDeserializer::<DeError>::into_deserializer(text));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node() {
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess { cx: self.cx, items, i: 0 }),
            NodeKind::Scalar(s) if s.value == Value::Null => {
                visitor.visit_seq(SeqAccess { cx: self.cx, items: &[], i: 0 })
            }
            _ => Err(self.mismatch(Want::List)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.map(None, Want::Map, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map(Some(fields), Want::Object, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.scalar() {
            Some(s) if s.value == Value::Str => {
                visitor.visit_enum(IntoDeserializer::<DeError>::into_deserializer(s.text.as_str()))
            }
            _ => Err(self.mismatch(Want::Str)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // The value of an unknown field: already recorded, never walked.
        visitor.visit_unit()
    }
}

impl<'de> De<'_, '_> {
    fn map<V: Visitor<'de>>(
        self,
        fields: Option<&'static [&'static str]>,
        want: Want,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.node() {
            NodeKind::Map(entries) => visitor.visit_map(MapAccess { cx: self.cx, entries, i: 0, fields, value: None }),
            NodeKind::Scalar(s) if s.value == Value::Null => {
                visitor.visit_map(MapAccess { cx: self.cx, entries: &[], i: 0, fields, value: None })
            }
            _ => Err(self.mismatch(want)),
        }
    }
}

fn quantity_hint(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    for (bad, good) in [("mb", "Mi"), ("gb", "Gi"), ("kb", "Ki"), ("mib", "Mi"), ("gib", "Gi")] {
        if lower.ends_with(bad) && t[..t.len() - bad.len()].parse::<f64>().is_ok() {
            let n = &t[..t.len() - bad.len()];
            return Some((
                format!("hint: write {n}{good} (Kubernetes units are Ki, Mi, Gi or k, M, G, without a B)"),
                format!("도움말: {n}{good}처럼 쓰세요 (쿠버네티스 단위는 B 없이 Ki, Mi, Gi 또는 k, M, G 입니다)"),
            ));
        }
    }
    if t.ends_with("mi") || t.ends_with("gi") || t.ends_with("ki") {
        return Some((
            "hint: binary units are case-sensitive: Ki, Mi, Gi".into(),
            "도움말: 이진 단위는 대소문자를 구분합니다: Ki, Mi, Gi".into(),
        ));
    }
    None
}

struct SeqAccess<'c, 'a> {
    cx: &'c Cx<'a>,
    items: &'a [NodeId],
    i: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(&id) = self.items.get(self.i) else {
            return Ok(None);
        };
        let i = self.i;
        self.i += 1;
        let cx = self.cx;
        cx.with(Seg::Index(i), id, || seed.deserialize(De { cx, id })).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.i)
    }
}

struct MapAccess<'c, 'a> {
    cx: &'c Cx<'a>,
    entries: &'a [Entry],
    i: usize,
    /// Set for a struct: the valid field names; unknown keys are recorded.
    fields: Option<&'static [&'static str]>,
    value: Option<&'a Entry>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some(e) = self.entries.get(self.i) else {
            return Ok(None);
        };
        self.i += 1;
        self.value = Some(e);
        if let Some(fields) = self.fields {
            if !fields.contains(&e.key.as_str()) {
                let mut path = self.cx.path.borrow().clone();
                path.push(Seg::Field(e.key.clone()));
                self.cx.unknown.borrow_mut().push(Unknown {
                    path,
                    key: e.key.clone(),
                    fields,
                    mark: self.cx.doc.nodes[e.key_node].mark,
                });
            }
        }
        seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(e.key.as_str())).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some(e) = self.value.take() else {
            return Err(de::Error::custom("value requested before its key"));
        };
        let seg = if self.fields.is_some() { Seg::Field(e.key.clone()) } else { Seg::Key(e.key.clone()) };
        let cx = self.cx;
        cx.with(seg, e.value, || seed.deserialize(De { cx, id: e.value }))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.i)
    }
}

#[cfg(test)]
mod tests {
    use super::super::yaml::Reader;
    use super::*;
    use k8s_openapi::api::core::v1::{Container, Pod};
    use std::collections::BTreeMap;

    fn doc(text: &str) -> Document {
        Reader::new(text).next_document().unwrap().unwrap()
    }

    #[test]
    fn records_unknown_fields_with_paths_and_field_lists() {
        let d = doc("metadata:\n  name: a\n  lables: {x: y}\nsepc: {}\nspec:\n  containers:\n  - name: c\n    imagePullpolicy: Always\n");
        let (r, unknown, _) = decode::<Pod>(&d, d.root);
        assert!(r.is_ok());
        let paths: Vec<String> = unknown.iter().map(|u| render(&u.path)).collect();
        assert_eq!(paths, ["metadata.lables", "sepc", "spec.containers[0].imagePullpolicy"]);
        assert!(unknown[0].fields.contains(&"labels"));
        assert!(unknown[2].fields.contains(&"imagePullPolicy"));
        assert_eq!(unknown[2].mark, Mark { line: 8, column: 5 });
    }

    #[test]
    fn string_in_int_field_is_a_located_mismatch() {
        let d = doc("name: c\nports:\n- containerPort: \"8080\"\n");
        let (r, _, _) = decode::<Container>(&d, d.root);
        let e = r.unwrap_err();
        assert_eq!(e.kind, DeErrorKind::TypeMismatch);
        assert_eq!(render(e.path.as_ref().unwrap()), "ports[0].containerPort");
        assert_eq!(e.mark, Some(Mark { line: 3, column: 18 }));
        assert!(e.hint.as_ref().unwrap().0.contains("without quotes"));
    }

    #[test]
    fn number_and_bool_in_string_fields_are_refused() {
        let d = doc("a: 1.0\n");
        let (r, _, _) = decode::<BTreeMap<String, String>>(&d, d.root);
        let e = r.unwrap_err();
        assert_eq!(render(e.path.as_ref().unwrap()), "[a]");
        assert!(e.hint.as_ref().unwrap().0.contains("\"1.0\""));
        let d = doc("name: c\nimage: yes\n");
        let e = decode::<Container>(&d, d.root).0.unwrap_err();
        assert!(e.hint.as_ref().unwrap().0.contains("boolean"));
    }

    #[test]
    fn null_means_zero_value() {
        let d = doc("name:\nports: ~\nimage: null\n");
        let c = decode::<Container>(&d, d.root).0.unwrap();
        assert_eq!(c.name, "");
        assert!(c.ports.is_none());
    }

    #[test]
    fn quantities_are_checked_where_they_stand() {
        let d = doc("name: c\nresources:\n  limits:\n    memory: 5MB\n    cpu: 0.5\n");
        let e = decode::<Container>(&d, d.root).0.unwrap_err();
        assert_eq!(e.kind, DeErrorKind::Quantity);
        assert_eq!(render(e.path.as_ref().unwrap()), "resources.limits[memory]");
        assert!(e.hint.as_ref().unwrap().0.contains("5Mi"));
        let d = doc("name: c\nresources:\n  limits:\n    cpu: 0.5\n");
        let c = decode::<Container>(&d, d.root).0.unwrap();
        assert_eq!(c.resources.unwrap().limits.unwrap()["cpu"].0, "0.5");
    }

    #[test]
    fn list_expected_with_dash_typo() {
        let d = doc("name: c\nports:\n  -containerPort: 80\n");
        let e = decode::<Container>(&d, d.root).0.unwrap_err();
        assert_eq!(render(e.path.as_ref().unwrap()), "ports");
        assert!(e.hint.as_ref().unwrap().0.contains("space after `-`"));
    }

    #[test]
    fn int_or_string_and_floats() {
        let d = doc("port: 80.5\n");
        let e = decode::<k8s_openapi::api::core::v1::TCPSocketAction>(&d, d.root).0.unwrap_err();
        assert_eq!(render(e.path.as_ref().unwrap()), "port");
        let d = doc("containerPort: 8080.0\n");
        let p = decode::<k8s_openapi::api::core::v1::ContainerPort>(&d, d.root).0.unwrap();
        assert_eq!(p.container_port, 8080);
        let d = doc("containerPort: 99999999999\n");
        assert!(decode::<k8s_openapi::api::core::v1::ContainerPort>(&d, d.root).0.is_err());
    }
}
