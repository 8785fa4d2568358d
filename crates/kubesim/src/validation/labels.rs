//! Object metadata, labels, annotations and label selectors:
//! k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
//! k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement, ObjectMeta};

use super::field::{q, FieldError, Msg, Path};
use super::names;

/// Total size of all annotation keys and values (`TotalAnnotationSizeLimitB`, 256 KiB).
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// Which rule a kind's names follow (`ValidateNameFunc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
}

pub fn check_name(rule: NameRule, name: &str, prefix: bool) -> Vec<Msg> {
    let n = names::mask_trailing_dash(name, prefix);
    match rule {
        NameRule::Subdomain => names::dns1123_subdomain(&n),
        NameRule::Label => names::dns1123_label(&n),
        NameRule::Dns1035 => names::dns1035_label(&n),
    }
}

/// `ValidateObjectMeta`. The namespace is filled in from the request when missing, so only a
/// given one is checked; cluster-scoped kinds drop it (rest.BeforeCreate), so it is not checked.
pub fn object_meta(meta: &ObjectMeta, namespaced: bool, rule: NameRule, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let generate = meta.generate_name.as_deref().unwrap_or("");
    if !generate.is_empty() {
        for m in check_name(rule, generate, true) {
            errs.push(FieldError::invalid(&path.child("generateName"), q(generate), m));
        }
    }
    let name = meta.name.as_deref().unwrap_or("");
    if name.is_empty() {
        // The apiserver generates the name before validating when generateName is set.
        if generate.is_empty() {
            errs.push(FieldError::required(
                &path.child("name"),
                Msg::new("name or generateName is required", "name이나 generateName이 있어야 합니다"),
            ));
        }
    } else {
        for m in check_name(rule, name, false) {
            errs.push(FieldError::invalid(&path.child("name"), q(name), m));
        }
    }
    if namespaced {
        if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
            for m in names::dns1123_label(ns) {
                errs.push(FieldError::invalid(&path.child("namespace"), q(ns), m));
            }
        }
    }
    if let Some(g) = meta.generation {
        if g < 0 {
            errs.push(FieldError::invalid(&path.child("generation"), g.to_string(), names::negative()));
        }
    }
    errs.extend(labels(meta.labels.as_ref(), &path.child("labels")));
    errs.extend(annotations(meta.annotations.as_ref(), &path.child("annotations")));
    for (i, f) in meta.finalizers.iter().flatten().enumerate() {
        for m in names::qualified_name(f) {
            errs.push(FieldError::invalid(&path.child("finalizers").index(i), q(f), m));
        }
    }
    errs
}

/// `ValidateLabels`: keys are qualified names, values label values. Errors name the whole map, as
/// upstream does, but point at the offending key.
pub fn labels(labels: Option<&BTreeMap<String, String>>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels.into_iter().flatten() {
        for m in names::qualified_name(k) {
            errs.push(FieldError::invalid(path, q(k), m).at(path.key(k)));
        }
        for m in names::label_value(v) {
            errs.push(FieldError::invalid(path, q(v), m).at(path.key(k)));
        }
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names (case-insensitively), total size bounded.
pub fn annotations(annotations: Option<&BTreeMap<String, String>>, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0usize;
    for (k, v) in annotations.into_iter().flatten() {
        for m in names::qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, q(k), m).at(path.key(k)));
        }
        total += k.len() + v.len();
    }
    if total > ANNOTATIONS_MAX_BYTES {
        errs.push(FieldError::too_long(path, ANNOTATIONS_MAX_BYTES));
    }
    errs
}

/// `ValidateLabelSelector` (with AllowInvalidLabelValueInSelector false).
pub fn label_selector(sel: &LabelSelector, path: &Path) -> Vec<FieldError> {
    let mut errs = labels(sel.match_labels.as_ref(), &path.child("matchLabels"));
    for (i, r) in sel.match_expressions.iter().flatten().enumerate() {
        errs.extend(selector_requirement(r, &path.child("matchExpressions").index(i)));
    }
    errs
}

fn selector_requirement(r: &LabelSelectorRequirement, path: &Path) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let values = r.values.as_deref().unwrap_or(&[]);
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                errs.push(FieldError::required(
                    &path.child("values"),
                    Msg::new(
                        "must be specified when `operator` is 'In' or 'NotIn'",
                        "`operator`가 'In'이나 'NotIn'이면 values가 있어야 합니다",
                    ),
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                errs.push(FieldError::forbidden(
                    &path.child("values"),
                    Msg::new(
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                        "`operator`가 'Exists'나 'DoesNotExist'이면 values를 쓸 수 없습니다",
                    ),
                ));
            }
        }
        op => errs.push(FieldError::invalid(
            &path.child("operator"),
            q(op),
            Msg::new(
                "not a valid selector operator",
                "올바른 셀렉터 연산자가 아닙니다 (In, NotIn, Exists, DoesNotExist)",
            ),
        )),
    }
    for m in names::qualified_name(&r.key) {
        errs.push(FieldError::invalid(&path.child("key"), q(&r.key), m));
    }
    for (i, v) in values.iter().enumerate() {
        for m in names::label_value(v) {
            errs.push(FieldError::invalid(&path.child("values").index(i), q(v), m));
        }
    }
    errs
}

/// Whether `sel` selects `labels` (metav1.LabelSelectorAsSelector + Matches). An unset selector
/// selects nothing; an empty one everything.
pub fn selector_matches(sel: Option<&LabelSelector>, labels: Option<&BTreeMap<String, String>>) -> bool {
    let Some(sel) = sel else { return false };
    let get = |k: &str| labels.and_then(|l| l.get(k));
    let ml = sel.match_labels.iter().flatten().all(|(k, v)| get(k) == Some(v));
    let me = sel.match_expressions.iter().flatten().all(|r| {
        let values = r.values.as_deref().unwrap_or(&[]);
        match r.operator.as_str() {
            "In" => get(&r.key).is_some_and(|v| values.contains(v)),
            "NotIn" => get(&r.key).is_none_or(|v| !values.contains(v)),
            "Exists" => get(&r.key).is_some(),
            "DoesNotExist" => get(&r.key).is_none(),
            _ => false,
        }
    });
    ml && me
}

/// True for a selector with no requirement at all.
pub fn selector_is_empty(sel: &LabelSelector) -> bool {
    sel.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && sel.match_expressions.as_ref().is_none_or(|m| m.is_empty())
}

/// `%#v` of a LabelSelector, as upstream prints it in `Invalid value` messages.
pub fn go_selector(sel: &LabelSelector) -> String {
    let ml = match &sel.match_labels {
        None => "map[string]string(nil)".to_string(),
        Some(m) => super::field::go_map(Some(m)),
    };
    let me = match &sel.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(v) => format!(
            "[]v1.LabelSelectorRequirement{{{}}}",
            v.iter()
                .map(|r| format!(
                    "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:[]string{{{}}}}}",
                    r.key,
                    r.operator,
                    r.values.iter().flatten().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ")
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("v1.LabelSelector{{MatchLabels:{ml}, MatchExpressions:{me}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn name_is_required_unless_generated() {
        let meta = ObjectMeta::default();
        let e = object_meta(&meta, true, NameRule::Subdomain, &Path::new("metadata"));
        assert_eq!(e[0].message(), "metadata.name: Required value: name or generateName is required");
        let meta = ObjectMeta { generate_name: Some("crane-".into()), ..Default::default() };
        assert!(object_meta(&meta, true, NameRule::Subdomain, &Path::new("metadata")).is_empty());
    }

    #[test]
    fn names_follow_the_kind_rule() {
        let meta = ObjectMeta { name: Some("my.svc".into()), ..Default::default() };
        assert!(object_meta(&meta, true, NameRule::Subdomain, &Path::new("metadata")).is_empty());
        assert_eq!(object_meta(&meta, true, NameRule::Dns1035, &Path::new("metadata")).len(), 1);
        assert_eq!(object_meta(&meta, false, NameRule::Label, &Path::new("metadata")).len(), 1);
    }

    #[test]
    fn bad_labels_point_at_their_key() {
        let l = map(&[("app", "web"), ("bad key", "x"), ("tier", "-x")]);
        let e = labels(Some(&l), &Path::new("metadata").child("labels"));
        assert_eq!(e.len(), 2);
        assert!(e[0].message().starts_with("metadata.labels: Invalid value: \"bad key\": name part must consist"));
        assert_eq!(e[0].locate.as_ref().unwrap().to_string(), "metadata.labels[bad key]");
        assert!(e[1].message().starts_with("metadata.labels: Invalid value: \"-x\": a valid label must be"));
    }

    #[test]
    fn annotations_size_is_bounded() {
        let a = map(&[("big", &"x".repeat(ANNOTATIONS_MAX_BYTES))]);
        let e = annotations(Some(&a), &Path::new("metadata").child("annotations"));
        assert_eq!(e[0].message(), "metadata.annotations: Too long: may not be more than 262144 bytes");
        let a = map(&[("Heejeong.Min/addAnnotation", "first annot")]);
        assert!(annotations(Some(&a), &Path::new("metadata").child("annotations")).is_empty());
    }

    #[test]
    fn selectors() {
        let sel = LabelSelector {
            match_labels: Some(map(&[("app", "web")])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "env".into(),
                operator: "In".into(),
                values: Some(vec!["prod".into(), "debug".into()]),
            }]),
        };
        assert!(selector_matches(Some(&sel), Some(&map(&[("app", "web"), ("env", "prod")]))));
        assert!(!selector_matches(Some(&sel), Some(&map(&[("app", "web")]))));
        assert!(!selector_matches(None, Some(&map(&[("app", "web")]))));
        let bad = LabelSelector {
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "env".into(),
                operator: "in".into(),
                values: None,
            }]),
            ..Default::default()
        };
        let e = label_selector(&bad, &Path::new("spec").child("selector"));
        assert_eq!(
            e[0].message(),
            "spec.selector.matchExpressions[0].operator: Invalid value: \"in\": not a valid selector operator"
        );
    }
}
