//! Field paths and field errors, rendered as k8s.io/apimachinery/pkg/util/validation/field does:
//! `spec.containers[0].image: Required value`, `metadata.name: Invalid value: "Web": <detail>`.

use std::fmt;

/// One path segment: `.field`, `[index]`, or `[key]` (a map key, e.g. of `labels`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Field(String),
    Index(usize),
    Key(String),
}

/// A field path, built the way upstream builds `field.Path`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn new(field: &str) -> Path {
        Path(vec![Seg::Field(field.into())])
    }
    pub fn root() -> Path {
        Path(Vec::new())
    }
    pub fn child(&self, field: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Field(field.into()));
        p
    }
    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
    pub fn key(&self, k: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.into()));
        p
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(&self.0))
    }
}

/// `spec.containers[0].image`, `metadata.labels[app]`.
pub fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Field(f) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(f);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) => out.push_str(&format!("[{k}]")),
        }
    }
    out
}

/// Upstream's `field.ErrorType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    Required,
    Invalid,
    Duplicate,
    NotSupported,
    Forbidden,
    NotFound,
    TooLong,
    TooMany,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::NotFound => "Not found",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
        }
    }
    pub fn ko(self) -> &'static str {
        match self {
            ErrorType::Required => "필수 값입니다",
            ErrorType::Invalid => "잘못된 값",
            ErrorType::Duplicate => "중복된 값",
            ErrorType::NotSupported => "지원하지 않는 값",
            ErrorType::Forbidden => "허용되지 않습니다",
            ErrorType::NotFound => "찾을 수 없습니다",
            ErrorType::TooLong => "너무 깁니다",
            ErrorType::TooMany => "너무 많습니다",
        }
    }
    /// Upstream prints no value for these.
    fn shows_value(self) -> bool {
        !matches!(self, ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong)
    }
}

/// A message in English (upstream's wording) and Korean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub en: String,
    pub ko: String,
}

impl Msg {
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Msg {
        Msg { en: en.into(), ko: ko.into() }
    }
    pub fn none() -> Msg {
        Msg::new("", "")
    }
    /// Prefixes both languages (upstream's `prefixEach`).
    pub fn prefixed(&self, en: &str, ko: &str) -> Msg {
        Msg::new(format!("{en}{}", self.en), format!("{ko}{}", self.ko))
    }
}

/// One validation failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub typ: ErrorType,
    pub field: Path,
    /// The bad value, already rendered as upstream prints it (`"web"`, `8080`, `map[...]`).
    pub value: Option<String>,
    pub detail: Msg,
    /// A more precise place to point at than `field` (e.g. the one bad label key of `labels`).
    pub locate: Option<Path>,
}

impl FieldError {
    fn new(typ: ErrorType, field: &Path, value: Option<String>, detail: Msg) -> FieldError {
        FieldError { typ, field: field.clone(), value, detail, locate: None }
    }
    pub fn required(field: &Path, detail: Msg) -> FieldError {
        Self::new(ErrorType::Required, field, None, detail)
    }
    pub fn invalid(field: &Path, value: impl Into<String>, detail: Msg) -> FieldError {
        Self::new(ErrorType::Invalid, field, Some(value.into()), detail)
    }
    pub fn duplicate(field: &Path, value: impl Into<String>) -> FieldError {
        Self::new(ErrorType::Duplicate, field, Some(value.into()), Msg::none())
    }
    /// `Unsupported value: "x": supported values: "A", "B"`.
    pub fn not_supported(field: &Path, value: &str, supported: &[&str]) -> FieldError {
        let list = supported.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
        Self::new(
            ErrorType::NotSupported,
            field,
            Some(format!("{value:?}")),
            Msg::new(format!("supported values: {list}"), format!("지원하는 값: {list}")),
        )
    }
    pub fn forbidden(field: &Path, detail: Msg) -> FieldError {
        Self::new(ErrorType::Forbidden, field, None, detail)
    }
    pub fn not_found(field: &Path, value: impl Into<String>) -> FieldError {
        Self::new(ErrorType::NotFound, field, Some(value.into()), Msg::none())
    }
    pub fn too_long(field: &Path, max: usize) -> FieldError {
        Self::new(
            ErrorType::TooLong,
            field,
            None,
            Msg::new(format!("may not be more than {max} bytes"), format!("{max}바이트를 넘을 수 없습니다")),
        )
    }
    pub fn at(mut self, locate: Path) -> FieldError {
        self.locate = Some(locate);
        self
    }

    /// `spec.containers[0].image: Required value` — upstream's `Error()`.
    pub fn message(&self) -> String {
        let mut s = format!("{}: {}", self.field, self.typ.as_str());
        if self.typ.shows_value() {
            if let Some(v) = &self.value {
                s.push_str(": ");
                s.push_str(v);
            }
        }
        if !self.detail.en.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail.en);
        }
        s
    }

    pub fn message_ko(&self) -> String {
        let mut s = format!("{}: {}", self.field, self.typ.ko());
        if self.typ.shows_value() {
            if let Some(v) = &self.value {
                s.push_str(": ");
                s.push_str(v);
            }
        }
        let d = if self.detail.ko.is_empty() { &self.detail.en } else { &self.detail.ko };
        if !d.is_empty() {
            s.push_str(": ");
            s.push_str(d);
        }
        s
    }
}

/// Go's `%q` for a string value.
pub fn q(s: &str) -> String {
    format!("{s:?}")
}

/// Go's `%#v` for a `map[string]string` (keys sorted, as fmt prints maps).
pub fn go_map(m: Option<&std::collections::BTreeMap<String, String>>) -> String {
    match m {
        None => "map[string]string(nil)".into(),
        Some(m) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_upstream() {
        let p = Path::new("spec").child("containers").index(1).child("name");
        assert_eq!(p.to_string(), "spec.containers[1].name");
        assert_eq!(FieldError::duplicate(&p, q("web")).message(), "spec.containers[1].name: Duplicate value: \"web\"");
        let img = Path::new("spec").child("containers").index(0).child("image");
        assert_eq!(FieldError::required(&img, Msg::none()).message(), "spec.containers[0].image: Required value");
        assert_eq!(
            FieldError::not_supported(&Path::new("spec").child("restartPolicy"), "Sometimes", &["Always", "OnFailure", "Never"]).message(),
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
        assert_eq!(Path::new("metadata").child("labels").key("app").to_string(), "metadata.labels[app]");
        let mut m = std::collections::BTreeMap::new();
        m.insert("app".to_string(), "web".to_string());
        assert_eq!(go_map(Some(&m)), "map[string]string{\"app\":\"web\"}");
    }
}
