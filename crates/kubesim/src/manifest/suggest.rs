//! "Did you mean" for unknown fields and kinds: a case-insensitive match first, then the
//! closest name by edit distance (transpositions count as one edit: `sepc` → `spec`,
//! `lables` → `labels`), then a long shared prefix (`publishNotReadyEndpoints` →
//! `publishNotReadyAddresses`). And, for a valid field written at the wrong level, where it
//! belongs.

use crate::validation::field::{render, Msg, Seg};

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), on lowercase.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, v) in d[0].iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

fn normalize(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The candidate `key` most likely stands for, if any is close enough.
pub fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Keys are bounded by the input size, but a pathological 100 kB key should not cost a
    // 100 kB x 30 matrix per candidate.
    if key.is_empty() || key.len() > 64 {
        return None;
    }
    let norm = normalize(key);
    if let Some(c) = candidates.iter().find(|c| normalize(c) == norm) {
        return Some(c);
    }
    let max = match key.chars().count() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let best = candidates.iter().map(|c| (distance(key, c), *c)).filter(|(d, _)| *d <= max).min_by_key(|(d, _)| *d);
    if let Some((_, c)) = best {
        return Some(c);
    }
    let lower = key.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let p = c.to_lowercase().chars().zip(lower.chars()).take_while(|(x, y)| x == y).count();
            (p, *c)
        })
        .filter(|(p, c)| *p >= 8 && *p * 2 >= c.len().max(key.len()))
        .max_by_key(|(p, _)| *p)
        .map(|(_, c)| c)
}

const METADATA: &[&str] = &["name", "namespace", "labels", "annotations", "generateName"];
const POD_SPEC: &[&str] = &[
    "containers",
    "initContainers",
    "volumes",
    "restartPolicy",
    "nodeSelector",
    "nodeName",
    "affinity",
    "tolerations",
    "serviceAccountName",
    "hostNetwork",
    "dnsPolicy",
    "terminationGracePeriodSeconds",
    "imagePullSecrets",
    "securityContext",
    "priorityClassName",
    "readinessGates",
];
const WORKLOAD_SPEC: &[&str] =
    &["replicas", "selector", "template", "strategy", "completions", "parallelism", "backoffLimit"];
const SERVICE_SPEC: &[&str] = &["ports", "type", "clusterIP"];
const CONTAINER: &[&str] = &[
    "image",
    "ports",
    "command",
    "args",
    "env",
    "envFrom",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "volumeMounts",
    "imagePullPolicy",
    "workingDir",
    "lifecycle",
];
const PROBE_HANDLER: &[&str] = &["path", "port", "command", "scheme", "httpHeaders"];

/// Where a field that is valid elsewhere belongs, judged from the level it was found at.
fn placements(fields: &[&str]) -> Vec<(&'static [&'static str], &'static str, &'static str)> {
    let has = |f: &str| fields.contains(&f);
    let mut out = Vec::new();
    if has("kind") && has("metadata") {
        out.push((METADATA, "metadata:", "metadata:"));
        if has("spec") {
            out.push((
                POD_SPEC,
                "spec: (for a Deployment, spec.template.spec:)",
                "spec: (디플로이먼트라면 spec.template.spec:)",
            ));
            out.push((WORKLOAD_SPEC, "spec:", "spec:"));
            out.push((SERVICE_SPEC, "spec:", "spec:"));
            out.push((CONTAINER, "an item of spec.containers:", "spec.containers:의 항목"));
        }
    } else if has("containers") {
        out.push((
            CONTAINER,
            "an item of containers: (each item starts with `- `)",
            "containers:의 항목 (각 항목은 `- `로 시작)",
        ));
        out.push((METADATA, "metadata:", "metadata:"));
    } else if has("template") && has("selector") {
        out.push((POD_SPEC, "template.spec:", "template.spec:"));
        out.push((
            METADATA,
            "template.metadata: (or the object's metadata:)",
            "template.metadata: (또는 오브젝트의 metadata:)",
        ));
    } else if has("image") && has("livenessProbe") {
        out.push((POD_SPEC, "the pod's spec:, next to containers:", "containers:와 같은 수준인 파드의 spec:"));
    } else if has("httpGet") && has("periodSeconds") {
        out.push((
            PROBE_HANDLER,
            "a handler such as httpGet:, tcpSocket: or exec:",
            "httpGet:, tcpSocket:, exec: 같은 핸들러",
        ));
    }
    out
}

/// Advice for one unknown field: a did-you-mean at its level, or where it belongs. A key that
/// starts with `-` is almost always a list item missing its space (`-image:`), so that comes first.
pub fn unknown_field(path: &[Seg], key: &str, fields: &[&str]) -> Option<Msg> {
    let dash = key.starts_with('-') && key.len() > 1 && !key.starts_with("--");
    let bare = if dash { &key[1..] } else { key };
    let advice = placement(path, bare, fields);
    if !dash {
        return advice;
    }
    let mut m = Msg::new(
        format!("{key:?} reads as a field name: a list item needs a space after `-`: write `- {bare}:`"),
        format!("{key:?}이(가) 필드 이름으로 읽힙니다. 목록 항목은 `-` 뒤에 공백이 필요합니다: `- {bare}:`처럼 쓰세요"),
    );
    // A misspelling on top of the missing space (`-imgae:`) is worth saying too.
    if let Some(a) = advice.filter(|a| a.en.starts_with("did you mean")) {
        m.en.push_str(&format!("; {}", a.en));
        m.ko.push_str(&format!("; {}", a.ko));
    }
    Some(m)
}

/// The field `key` was meant to be at its own level, when renaming it is the whole fix (the
/// did-you-mean of [`placement`]; a key missing its list dash is not a rename).
pub fn rename(key: &str, fields: &[&'static str]) -> Option<&'static str> {
    if key.starts_with('-') {
        return None;
    }
    closest(key, fields).filter(|c| *c != key)
}

fn placement(path: &[Seg], key: &str, fields: &[&str]) -> Option<Msg> {
    if let Some(c) = closest(key, fields) {
        if c != key {
            return Some(Msg::new(format!("did you mean {c:?}?"), format!("혹시 {c:?}을(를) 쓰려던 것인가요?")));
        }
        // `-image` under a container: `image` is right here, only the dash is wrong.
        return None;
    }
    let parent = render(&path[..path.len().saturating_sub(1)]);
    let here = if parent.is_empty() { "the top level".to_string() } else { format!("`{parent}`") };
    let here_ko = if parent.is_empty() { "최상위".to_string() } else { format!("`{parent}`") };
    for (group, en, ko) in placements(fields) {
        if let Some(c) = closest(key, group) {
            return Some(if c == key {
                Msg::new(
                    format!("{c:?} is not a field of {here}: it belongs under {en} (check its indentation)"),
                    format!(
                        "{c:?}은(는) {here_ko}의 필드가 아닙니다. {ko} 아래에 있어야 합니다 (들여쓰기를 확인하세요)"
                    ),
                )
            } else {
                Msg::new(
                    format!("did you mean {c:?}? It belongs under {en}"),
                    format!("혹시 {c:?}을(를) 쓰려던 것인가요? {ko} 아래에 있어야 합니다"),
                )
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        let meta = ["annotations", "labels", "name", "namespace", "generateName"];
        assert_eq!(closest("lables", &meta), Some("labels"));
        assert_eq!(closest("Labels", &meta), Some("labels"));
        assert_eq!(closest("sepc", &["apiVersion", "kind", "metadata", "spec", "status"]), Some("spec"));
        assert_eq!(closest("contianers", &["containers", "initContainers"]), Some("containers"));
        assert_eq!(closest("imagePullpolicy", &["image", "imagePullPolicy"]), Some("imagePullPolicy"));
        assert_eq!(closest("image_pull_policy", &["image", "imagePullPolicy"]), Some("imagePullPolicy"));
        assert_eq!(
            closest("publishNotReadyEndpoints", &["ports", "publishNotReadyAddresses", "selector"]),
            Some("publishNotReadyAddresses")
        );
        assert_eq!(closest("gRPC", &["exec", "grpc", "httpGet"]), Some("grpc"));
        assert_eq!(closest("zzzz", &meta), None);
        assert_eq!(closest("x", &["ip"]), None);
    }

    #[test]
    fn misplaced_fields() {
        let top = ["apiVersion", "kind", "metadata", "spec", "status"];
        let m = unknown_field(&[Seg::Field("name".into())], "name", &top).unwrap();
        assert!(m.en.contains("belongs under metadata:"), "{}", m.en);
        let m = unknown_field(&[Seg::Field("lables".into())], "lables", &top).unwrap();
        assert_eq!(m.en, "did you mean \"labels\"? It belongs under metadata:");
        let m = unknown_field(&[Seg::Field("containers".into())], "containers", &top).unwrap();
        assert!(m.en.contains("spec:"), "{}", m.en);
        let m = unknown_field(&[Seg::Field("-image".into())], "-image", &["image", "name", "livenessProbe"]).unwrap();
        assert_eq!(m.en, "\"-image\" reads as a field name: a list item needs a space after `-`: write `- image:`");
        let spec = ["containers", "volumes", "restartPolicy"];
        let path = [Seg::Field("spec".into()), Seg::Field("-image".into())];
        let m = unknown_field(&path, "-image", &spec).unwrap();
        assert!(m.en.starts_with("\"-image\" reads as a field name"), "{}", m.en);
        let m = unknown_field(&[Seg::Field("-imgae".into())], "-imgae", &["image", "name"]).unwrap();
        assert!(m.en.ends_with("; did you mean \"image\"?"), "{}", m.en);
    }
}
