//! [`Scenario`] → YAML, in the README's field order, block style, manifests as literal blocks
//! (`|`) so a share link's scenario reads like what an author writes. Every scalar is written
//! plain only when the reader gives the same string back (go-yaml v2 rules: `yes`, `1.35`, `0777`
//! are not strings), else double-quoted with YAML escapes; so `from_yaml(to_yaml(s)) == s`.

use super::{format_at, Action, Scenario, API_VERSION, KIND};
use crate::faults::Fault;
use crate::manifest::yaml::{NodeKind, Reader, Value};

/// A YAML tree to print.
enum Y {
    Str(String),
    /// A number or boolean, printed as is.
    Raw(String),
    Map(Vec<(String, Y)>),
    Seq(Vec<Y>),
}

fn s(v: &str) -> Y {
    Y::Str(v.to_string())
}

pub(super) fn encode(sc: &Scenario) -> String {
    let mut top = vec![
        ("apiVersion".to_string(), s(API_VERSION)),
        ("kind".to_string(), s(KIND)),
        ("metadata".to_string(), Y::Map(vec![("name".into(), s(&sc.name))])),
        ("seed".to_string(), Y::Raw(sc.seed.to_string())),
    ];
    if sc.preset != super::Preset::default() {
        let p = &sc.preset;
        let mut preset = vec![("version".to_string(), s(&p.version))];
        if !p.feature_gates.is_empty() {
            let gates = p.feature_gates.iter().map(|(g, on)| (g.clone(), Y::Raw(on.to_string()))).collect();
            preset.push(("featureGates".into(), Y::Map(gates)));
        }
        if let Some(d) = p.max_container_restart_period {
            preset.push((
                "crashLoopBackOff".into(),
                Y::Map(vec![("maxContainerRestartPeriod".into(), s(&format_at(d)))]),
            ));
        }
        top.push(("preset".into(), Y::Map(preset)));
    }
    if let Some(nodes) = &sc.nodes {
        let items = nodes
            .iter()
            .map(|n| {
                let mut m = vec![("name".to_string(), s(&n.name)), ("role".to_string(), s(n.role.as_str()))];
                if !n.labels.is_empty() {
                    m.push(("labels".into(), Y::Map(n.labels.iter().map(|(k, v)| (k.clone(), s(v))).collect())));
                }
                if let Some(c) = &n.cpu {
                    m.push(("cpu".into(), s(c)));
                }
                if let Some(mem) = &n.memory {
                    m.push(("memory".into(), s(mem)));
                }
                if let Some(p) = n.pods {
                    m.push(("pods".into(), Y::Raw(p.to_string())));
                }
                if let Some(t) = &n.taints {
                    m.push(("taints".into(), from_json(&serde_json::to_value(t).unwrap_or_default())));
                }
                Y::Map(m)
            })
            .collect();
        top.push(("nodes".into(), Y::Seq(items)));
    }
    if !sc.manifests.is_empty() {
        top.push(("manifests".into(), s(&sc.manifests)));
    }
    if !sc.static_pods.is_empty() {
        let items = sc
            .static_pods
            .iter()
            .map(|sp| Y::Map(vec![("node".into(), s(&sp.node)), ("manifest".into(), s(&sp.manifest))]))
            .collect();
        top.push(("staticPods".into(), Y::Seq(items)));
    }
    if !sc.steps.is_empty() {
        let steps = sc
            .steps
            .iter()
            .map(|st| {
                let action = match &st.action {
                    Action::Kubectl(l) => ("kubectl".to_string(), s(l)),
                    Action::Apply(t) => ("apply".to_string(), s(t)),
                    Action::Delete(t) => ("delete".to_string(), s(t)),
                    Action::Fault(f) => ("fault".to_string(), fault(f)),
                };
                Y::Map(vec![("at".into(), s(&format_at(st.at))), action])
            })
            .collect();
        top.push(("steps".into(), Y::Seq(steps)));
    }
    if let Some(u) = sc.until {
        top.push(("until".into(), s(&format_at(u))));
    }
    let mut out = String::new();
    map(&mut out, &top, 0);
    out
}

fn fault(f: &Fault) -> Y {
    let one = |k: &str, v: Y| Y::Map(vec![(k.to_string(), v)]);
    match f {
        Fault::KubeletStop { node } => one("kubeletStop", s(node)),
        Fault::KubeletStart { node } => one("kubeletStart", s(node)),
        Fault::NodeDown { node } => one("nodeDown", s(node)),
        Fault::NodeUp { node } => one("nodeUp", s(node)),
        Fault::ImageMissing { image } => one("imageMissing", s(image)),
        Fault::KillContainer { pod, container, exit_code } => {
            let mut m = vec![("pod".to_string(), s(&pod.name))];
            if !pod.namespace.is_empty() && pod.namespace != "default" {
                m.push(("namespace".into(), s(&pod.namespace)));
            }
            if let Some(c) = container {
                m.push(("container".into(), s(c)));
            }
            m.push(("exitCode".into(), Y::Raw(exit_code.to_string())));
            one("killContainer", Y::Map(m))
        }
        Fault::SchedulerStop => s("schedulerStop"),
        Fault::SchedulerStart => s("schedulerStart"),
        Fault::ControllerManagerStop => s("controllerManagerStop"),
        Fault::ControllerManagerStart => s("controllerManagerStart"),
    }
}

fn from_json(v: &serde_json::Value) -> Y {
    match v {
        serde_json::Value::Null => Y::Raw("null".into()),
        serde_json::Value::Bool(b) => Y::Raw(b.to_string()),
        serde_json::Value::Number(n) => Y::Raw(n.to_string()),
        serde_json::Value::String(t) => s(t),
        serde_json::Value::Array(a) => Y::Seq(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Y::Map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
    }
}

fn map(out: &mut String, entries: &[(String, Y)], indent: usize) {
    let pad = " ".repeat(indent);
    for (k, v) in entries {
        let key = scalar(k, true);
        match v {
            Y::Str(t) if t.contains('\n') => match block(t, indent + 2) {
                Some(b) => out.push_str(&format!("{pad}{key}: {b}")),
                None => out.push_str(&format!("{pad}{key}: {}\n", quoted(t))),
            },
            Y::Str(t) => out.push_str(&format!("{pad}{key}: {}\n", scalar(t, false))),
            Y::Raw(r) => out.push_str(&format!("{pad}{key}: {r}\n")),
            Y::Map(m) if m.is_empty() => out.push_str(&format!("{pad}{key}: {{}}\n")),
            Y::Map(m) => {
                out.push_str(&format!("{pad}{key}:\n"));
                map(out, m, indent + 2);
            }
            Y::Seq(items) if items.is_empty() => out.push_str(&format!("{pad}{key}: []\n")),
            Y::Seq(items) => {
                out.push_str(&format!("{pad}{key}:\n"));
                seq(out, items, indent);
            }
        }
    }
}

fn seq(out: &mut String, items: &[Y], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Y::Str(t) if t.contains('\n') => match block(t, indent + 2) {
                Some(b) => out.push_str(&format!("{pad}- {b}")),
                None => out.push_str(&format!("{pad}- {}\n", quoted(t))),
            },
            Y::Str(t) => out.push_str(&format!("{pad}- {}\n", scalar(t, false))),
            Y::Raw(r) => out.push_str(&format!("{pad}- {r}\n")),
            Y::Map(m) if m.is_empty() => out.push_str(&format!("{pad}- {{}}\n")),
            Y::Seq(s) if s.is_empty() => out.push_str(&format!("{pad}- []\n")),
            nested => {
                // The item's first line goes after the dash: render it two columns in, then
                // put `- ` where its indentation starts.
                let mut inner = String::new();
                match nested {
                    Y::Map(m) => map(&mut inner, m, indent + 2),
                    Y::Seq(s) => seq(&mut inner, s, indent + 2),
                    _ => {}
                }
                let rest = inner.get(indent + 2..).unwrap_or("");
                out.push_str(&format!("{pad}- {rest}"));
            }
        }
    }
}

/// A literal block (`|`, `|-`, `|+`) with its content at `indent`, ending in a newline; `None`
/// when the text cannot be one exactly (a first line starting with a space, control
/// characters...).
fn block(t: &str, indent: usize) -> Option<String> {
    let first = t.split('\n').next().unwrap_or("");
    if first.is_empty() || first.starts_with(' ') || first.starts_with('\t') {
        return None;
    }
    if t.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || special(c)) {
        return None;
    }
    let body = t.trim_end_matches('\n');
    let trailing = t.len() - body.len();
    let indicator = match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!("{indicator}\n");
    for line in body.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
    // Belt and braces: the reader must give the same text back.
    let check = format!("k: {out}");
    (read_back(&check).as_deref() == Some(t)).then_some(out)
}

/// Characters YAML does not allow unescaped (or that editors would mangle).
fn special(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}' | '\u{85}')
}

/// `t` plain if the reader reads it back as the same string, else double-quoted.
fn scalar(t: &str, key: bool) -> String {
    let simple = !t.is_empty()
        && !t.contains('\n')
        && t.trim() == t
        && !t.chars().any(|c| c.is_control() || special(c) || c == '"' || c == '\'' || c == '\\');
    if simple {
        let probe = if key { format!("{t}: x\n") } else { format!("k: {t}\n") };
        let back = if key { read_key(&probe) } else { read_back(&probe) };
        if back.as_deref() == Some(t) {
            return t.to_string();
        }
    }
    quoted(t)
}

/// A double-quoted YAML scalar.
fn quoted(t: &str) -> String {
    let mut out = String::from("\"");
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || special(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The string value of key `k` in a one-entry document, if it is a string.
fn read_back(text: &str) -> Option<String> {
    let doc = Reader::new(text).next_document()?.ok()?;
    let e = doc.get(doc.root, "k")?;
    match &doc.node(e.value).kind {
        NodeKind::Scalar(sc) if sc.value == Value::Str => Some(sc.text.clone()),
        _ => None,
    }
}

/// The key of a one-entry document, if it was read as a string key.
fn read_key(text: &str) -> Option<String> {
    let doc = Reader::new(text).next_document()?.ok()?;
    match &doc.node(doc.root).kind {
        NodeKind::Map(entries) if entries.len() == 1 => {
            let key_node = doc.nodes.get(entries[0].key_node)?;
            match &key_node.kind {
                NodeKind::Scalar(sc) if sc.value == Value::Str => Some(entries[0].key.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}
