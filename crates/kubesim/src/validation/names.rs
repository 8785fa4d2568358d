//! String rules of k8s.io/apimachinery/pkg/util/validation/validation.go, without regex engines:
//! each check is the same language as upstream's regular expression, and the messages are
//! upstream's, word for word (including `RegexError`'s doubled space before "or").

use super::field::Msg;

pub const DNS1123_LABEL_MAX: usize = 63;
pub const DNS1123_SUBDOMAIN_MAX: usize = 253;
pub const QUALIFIED_NAME_MAX: usize = 63;
pub const LABEL_VALUE_MAX: usize = 63;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

/// Upstream's `RegexError(msg, fmt, examples...)`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut s = msg.to_string();
    s.push_str(" (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push_str(&format!("'{e}', "));
    }
    s.push_str(&format!("regex used for validation is '{fmt}')"));
    s
}

pub fn max_len(n: usize) -> Msg {
    Msg::new(format!("must be no more than {n} characters"), format!("{n}자를 넘을 수 없습니다"))
}

pub fn empty() -> Msg {
    Msg::new("must be non-empty", "비어 있으면 안 됩니다")
}

pub fn negative() -> Msg {
    Msg::new("must be greater than or equal to 0", "0 이상이어야 합니다")
}

pub fn inclusive_range(lo: i64, hi: i64) -> Msg {
    Msg::new(format!("must be between {lo} and {hi}, inclusive"), format!("{lo}에서 {hi} 사이여야 합니다"))
}

fn alnum_lower(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn matches_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && alnum_lower(b[0]) && alnum_lower(b[b.len() - 1]) && b.iter().all(|&c| alnum_lower(c) || c == b'-')
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

fn matches_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsDNS1123Label`.
pub fn dns1123_label(value: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errs.push(max_len(DNS1123_LABEL_MAX));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            // A valid subdomain but not a label: length was checked, so it must be the dots.
            errs.push(Msg::new("must not contain dots", "점(.)을 포함할 수 없습니다"));
        } else {
            errs.push(Msg::new(
                regex_error(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                    DNS1123_LABEL_FMT,
                    &["my-name", "123-abc"],
                ),
                "RFC 1123 레이블은 영문 소문자, 숫자, '-'만 쓸 수 있고, 영문 소문자나 숫자로 시작하고 끝나야 합니다 (예: 'my-name', '123-abc')",
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(value: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(Msg::new(
            regex_error(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                DNS1123_SUBDOMAIN_FMT,
                &["example.com"],
            ),
            "RFC 1123 서브도메인은 영문 소문자, 숫자, '-', '.'만 쓸 수 있고, 영문 소문자나 숫자로 시작하고 끝나야 합니다 (예: 'example.com')",
        ));
    }
    errs
}

/// `IsDNS1035Label` (Service names).
pub fn dns1035_label(value: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errs.push(max_len(DNS1123_LABEL_MAX));
    }
    if !(matches_dns1123_label(value) && value.as_bytes()[0].is_ascii_lowercase()) {
        errs.push(Msg::new(
            regex_error(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                DNS1035_LABEL_FMT,
                &["my-name", "abc-123"],
            ),
            "DNS-1035 레이블은 영문 소문자, 숫자, '-'만 쓸 수 있고, 영문 소문자로 시작하고 영문 소문자나 숫자로 끝나야 합니다 (예: 'my-name', 'abc-123')",
        ));
    }
    errs
}

/// `IsQualifiedName`: label keys, annotation keys, selector keys, resource names.
pub fn qualified_name(value: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push(empty().prefixed("prefix part ", "접두사 부분은 "));
            } else {
                for m in dns1123_subdomain(prefix) {
                    errs.push(m.prefixed("prefix part ", "접두사 부분: "));
                }
            }
            *name
        }
        _ => {
            errs.push(Msg::new(
                format!(
                    "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                    regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
                ),
                "이름에 '/'는 하나만 쓸 수 있습니다 (선택적인 DNS 서브도메인 접두사 + '/' + 이름, 예: 'example.com/MyName')",
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push(empty().prefixed("name part ", "이름 부분은 "));
    } else if name.len() > QUALIFIED_NAME_MAX {
        errs.push(max_len(QUALIFIED_NAME_MAX).prefixed("name part ", "이름 부분은 "));
    }
    if !matches_qualified_name_part(name) {
        errs.push(Msg::new(
            format!(
                "name part {}",
                regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ),
            "이름 부분은 영문자, 숫자, '-', '_', '.'만 쓸 수 있고, 영문자나 숫자로 시작하고 끝나야 합니다 (예: 'MyName', 'my.name', '123-abc')",
        ));
    }
    errs
}

const QUALIFIED_NAME_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// `IsValidLabelValue`.
pub fn label_value(value: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX {
        errs.push(max_len(LABEL_VALUE_MAX));
    }
    if !(value.is_empty() || matches_qualified_name_part(value)) {
        errs.push(Msg::new(
            regex_error(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                LABEL_VALUE_FMT,
                &["MyValue", "my_value", "12345"],
            ),
            "레이블 값은 비어 있거나, 영문자, 숫자, '-', '_', '.'로 이루어지고 영문자나 숫자로 시작하고 끝나야 합니다 (예: 'MyValue', 'my_value', '12345')",
        ));
    }
    errs
}

/// `IsValidPortNum`.
pub fn port_num(port: i64) -> Vec<Msg> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec![inclusive_range(1, 65535)]
    }
}

/// `IsValidPortName` (IANA_SVC_NAME).
pub fn port_name(port: &str) -> Vec<Msg> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(Msg::new("must be no more than 15 characters", "15자를 넘을 수 없습니다"));
    }
    if port.is_empty() || !port.bytes().all(|c| alnum_lower(c) || c == b'-') {
        errs.push(Msg::new(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "영문 소문자(a-z), 숫자(0-9), 하이픈(-)만 쓸 수 있습니다",
        ));
    }
    if !port.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push(Msg::new("must contain at least one letter (a-z)", "영문 소문자(a-z)가 하나 이상 있어야 합니다"));
    }
    if port.contains("--") {
        errs.push(Msg::new("must not contain consecutive hyphens", "하이픈을 연달아 쓸 수 없습니다"));
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push(Msg::new("must not begin or end with a hyphen", "하이픈으로 시작하거나 끝날 수 없습니다"));
    }
    errs
}

/// `IsEnvVarName` as relaxed in v1.34 (RelaxedEnvironmentVariableValidation, GA): any printable
/// ASCII but `=`.
pub fn env_var_name(value: &str) -> Vec<Msg> {
    if !value.is_empty() && value.bytes().all(|c| (32..=126).contains(&c) && c != b'=') {
        Vec::new()
    } else {
        vec![Msg::new(
            "a valid environment variable name must consist only of printable ASCII characters other than '='",
            "환경 변수 이름은 '='를 뺀 출력 가능한 ASCII 문자로만 이루어져야 합니다",
        )]
    }
}

/// `IsHTTPHeaderName`: `[-A-Za-z0-9]+`.
pub fn http_header_name(value: &str) -> Vec<Msg> {
    let token = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    if !value.is_empty() && value.bytes().all(token) {
        Vec::new()
    } else {
        vec![Msg::new(
            regex_error(
                "a valid HTTP header must consist of alphanumeric characters or '-'",
                "[-A-Za-z0-9]+",
                &["X-Header-Name"],
            ),
            "HTTP 헤더 이름은 영문자, 숫자, '-'로 이루어져야 합니다 (예: 'X-Header-Name')",
        )]
    }
}

/// apimachinery's `NameIsDNSSubdomain` etc. take `prefix` for generateName: a trailing dash is
/// allowed there (`maskTrailingDash`).
pub fn mask_trailing_dash(name: &str, prefix: bool) -> String {
    if prefix && name.len() > 1 && name.ends_with('-') {
        format!("{}a", &name[..name.len() - 1])
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(v: Vec<Msg>) -> Vec<String> {
        v.into_iter().map(|m| m.en).collect()
    }

    #[test]
    fn dns_names() {
        assert!(dns1123_label("my-name").is_empty());
        assert!(dns1123_label("123-abc").is_empty());
        assert_eq!(en(dns1123_label("a.b")), ["must not contain dots"]);
        assert_eq!(
            en(dns1123_label("Web")),
            ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        );
        assert_eq!(en(dns1123_label(&"a".repeat(64))), ["must be no more than 63 characters"]);
        assert!(dns1123_subdomain("kubia.example.com").is_empty());
        assert_eq!(dns1123_subdomain("a..b").len(), 1);
        assert_eq!(dns1123_subdomain("-a").len(), 1);
        assert!(dns1035_label("svc-1").is_empty());
        assert_eq!(dns1035_label("1svc").len(), 1);
    }

    #[test]
    fn qualified_names_and_label_values() {
        for ok in ["app", "app.kubernetes.io/name", "kubernetes.io/hostname", "created_method", "A-b_c.d"] {
            assert!(qualified_name(ok).is_empty(), "{ok}");
        }
        assert_eq!(en(qualified_name("/a")), ["prefix part must be non-empty"]);
        assert_eq!(qualified_name("a/b/c").len(), 1);
        assert!(en(qualified_name("foo bar"))[0].starts_with("name part must consist of alphanumeric characters"));
        assert!(en(qualified_name("Example.com/x"))[0].starts_with("prefix part a lowercase RFC 1123 subdomain"));
        assert!(label_value("").is_empty());
        assert!(label_value("my_value").is_empty());
        assert_eq!(label_value("-x").len(), 1);
        assert_eq!(label_value("“true”").len(), 1);
        assert_eq!(label_value(&"a".repeat(64)).len(), 1);
    }

    #[test]
    fn ports() {
        assert!(port_num(80).is_empty());
        assert_eq!(en(port_num(0)), ["must be between 1 and 65535, inclusive"]);
        assert_eq!(port_num(65536).len(), 1);
        assert!(port_name("http").is_empty());
        assert!(port_name("liveness-port").is_empty());
        assert_eq!(port_name("8080").len(), 1);
        assert_eq!(port_name("a--b").len(), 1);
        assert_eq!(port_name("HTTP").len(), 2);
        assert_eq!(port_name("a-very-long-port-name").len(), 1);
    }

    #[test]
    fn env_names_are_relaxed() {
        assert!(env_var_name("MY_VAR").is_empty());
        assert!(env_var_name("1-my.var").is_empty());
        assert_eq!(env_var_name("A=B").len(), 1);
        assert_eq!(env_var_name("").len(), 1);
    }
}
