//! The apiserver's front door: turns the text a learner pastes (multi-document YAML, or JSON) into
//! typed API objects, with errors as data that carry their document, line and column.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::Object;

/// A problem with the input, located where possible. Messages are data (English and Korean);
/// the page and the CLI choose how to show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub code: &'static str,
    /// 1-based document number in a multi-document input.
    pub document: usize,
    /// 1-based line and column in the whole input, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field path, e.g. `spec.containers[0].image`, when known.
    pub path: Option<String>,
    pub message: String,
    pub message_ko: String,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "document {}", self.document)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ", line {l}, column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One decoded document: the object, or why it was not accepted.
pub type Decoded = Result<Object, ManifestError>;

#[derive(Deserialize, Default)]
struct TypeMeta {
    #[serde(rename = "apiVersion")]
    api_version: Option<String>,
    kind: Option<String>,
}

/// Decodes every document of `text`. One bad document does not hide the others: each gets its
/// own result, in order. Empty documents are skipped.
pub fn decode(text: &str) -> Vec<Decoded> {
    // Pass 1 reads only apiVersion/kind of each document; pass 2 decodes each into its type.
    // Both passes deserialize straight from the text, so errors keep their line and column.
    let mut metas: Vec<Result<Option<TypeMeta>, ManifestError>> = Vec::new();
    for (i, doc) in serde_yaml::Deserializer::from_str(text).enumerate() {
        metas.push(Option::<TypeMeta>::deserialize(doc).map_err(|e| yaml_error(i + 1, &e)));
        if metas.len() > MAX_DOCUMENTS {
            break;
        }
    }
    let mut out = Vec::new();
    for (i, doc) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let number = i + 1;
        let Some(meta) = metas.get_mut(i) else { break };
        let meta = match std::mem::replace(meta, Ok(None)) {
            Ok(Some(m)) => m,
            Ok(None) => continue, // empty document
            Err(e) => {
                out.push(Err(e));
                // A syntax error stops the YAML parser: later documents cannot be read.
                break;
            }
        };
        out.push(decode_one(number, meta, doc));
    }
    out
}

const MAX_DOCUMENTS: usize = 10_000;

// Errors are rare and short-lived; boxing them would only obscure the signatures.
#[allow(clippy::result_large_err)]
fn decode_one(number: usize, meta: TypeMeta, doc: serde_yaml::Deserializer<'_>) -> Decoded {
    let kind = meta.kind.unwrap_or_default();
    let api_version = meta.api_version.unwrap_or_default();
    let err = |code, message: String, message_ko: String| ManifestError {
        code,
        document: number,
        line: None,
        column: None,
        path: None,
        message,
        message_ko,
    };
    if kind.is_empty() {
        return Err(err("MissingKind", "Object 'Kind' is missing".into(), "오브젝트에 'kind'가 없습니다".into()));
    }
    let expected = match kind.as_str() {
        "Pod" | "Namespace" | "Node" => "v1",
        _ => {
            return Err(err(
                "UnsupportedKind",
                format!("kind {kind:?} is not supported in the playground (supported: Pod, Node, Namespace)"),
                format!("{kind:?} 종류는 플레이그라운드에서 지원하지 않습니다 (지원: Pod, Node, Namespace)"),
            ))
        }
    };
    if api_version != expected {
        return Err(err(
            "WrongApiVersion",
            format!("no matches for kind {kind:?} in version {api_version:?} (use apiVersion: {expected})"),
            format!("{api_version:?} 버전에는 {kind:?} 종류가 없습니다 (apiVersion: {expected} 을 쓰세요)"),
        ));
    }
    match kind.as_str() {
        "Pod" => typed(number, doc).map(Object::Pod),
        "Namespace" => typed(number, doc).map(Object::Namespace),
        _ => typed(number, doc).map(Object::Node),
    }
}

#[allow(clippy::result_large_err)]
fn typed<T: DeserializeOwned>(number: usize, doc: serde_yaml::Deserializer<'_>) -> Result<T, ManifestError> {
    T::deserialize(doc).map_err(|e| yaml_error(number, &e))
}

fn yaml_error(document: usize, e: &serde_yaml::Error) -> ManifestError {
    let loc = e.location();
    let message = e.to_string();
    ManifestError {
        code: "Decode",
        document,
        line: loc.as_ref().map(|l| l.line()),
        column: loc.as_ref().map(|l| l.column()),
        path: None,
        message_ko: format!("YAML을 읽을 수 없습니다: {message}"),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_multi_document_yaml_and_json() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\n---\n{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"dev\"}}\n";
        let docs = decode(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].as_ref().unwrap().name(), "a");
        assert_eq!(docs[1].as_ref().unwrap().name(), "dev");
    }

    #[test]
    fn unsupported_kind_does_not_reject_the_rest() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
        let docs = decode(text);
        assert_eq!(docs[0].as_ref().unwrap_err().code, "UnsupportedKind");
        assert!(docs[0].as_ref().unwrap_err().message.contains("Secret"));
        assert_eq!(docs[1].as_ref().unwrap().name(), "p");
    }

    #[test]
    fn type_errors_carry_line_and_column() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: 5\n";
        let e = decode(text).remove(0).unwrap_err();
        assert_eq!((e.document, e.line), (1, Some(6)));
    }

    #[test]
    fn wrong_api_version_is_named() {
        let e = decode("apiVersion: apps/v1\nkind: Pod\nmetadata: {name: a}\n").remove(0).unwrap_err();
        assert_eq!(e.code, "WrongApiVersion");
    }

    #[test]
    fn syntax_error_is_located() {
        let e = decode("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n").remove(0).unwrap_err();
        assert!(e.line.is_some());
    }
}
