//! kubectl, inside the engine: one parser and one set of printers shared by the CLI and the
//! page's terminal, so both print exactly the same bytes.

pub mod args;
pub mod humanize;
pub mod printers;
pub mod tabwriter;

use crate::api::{Kind, Object, ObjectKey};
use crate::sim::Simulation;
use args::FlagSpec;
use printers::Now;

/// What a kubectl command printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl Output {
    fn error(msg: impl Into<String>) -> Self {
        let mut stderr = msg.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output {
            stderr,
            exit_code: 1,
            ..Default::default()
        }
    }
    /// stdout then stderr, as a terminal shows them.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

const GET_FLAGS: &[FlagSpec] = &[
    FlagSpec {
        long: "namespace",
        short: Some('n'),
        takes_value: true,
    },
    FlagSpec {
        long: "all-namespaces",
        short: Some('A'),
        takes_value: false,
    },
    FlagSpec {
        long: "output",
        short: Some('o'),
        takes_value: true,
    },
    FlagSpec {
        long: "show-labels",
        short: None,
        takes_value: false,
    },
];

/// Runs one kubectl command line (with or without the leading `kubectl`).
pub fn run(sim: &mut Simulation, line: &str) -> Output {
    let words = match args::split_words(line) {
        Ok(w) => w,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let words: &[String] = match words.first().map(String::as_str) {
        Some("kubectl") => &words[1..],
        _ => &words[..],
    };
    let Some(verb) = words.first() else {
        return Output::error("error: no command given (try: kubectl get pods)");
    };
    match verb.as_str() {
        "get" => get(sim, &words[1..]),
        other => Output::error(format!("error: unknown command \"{other}\" for \"kubectl\"")),
    }
}

/// Resolves a resource name or alias as kubectl's RESTMapper does for the kinds we have.
pub fn resolve_kind(word: &str) -> Option<Kind> {
    Some(match word.to_ascii_lowercase().as_str() {
        "pods" | "pod" | "po" => Kind::Pod,
        "nodes" | "node" | "no" => Kind::Node,
        "events" | "event" | "ev" => Kind::Event,
        "namespaces" | "namespace" | "ns" => Kind::Namespace,
        _ => return None,
    })
}

fn get(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, GET_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(first) = p.positional.first() else {
        return Output::error(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.",
        );
    };
    // `pod/name` form or `type name...` form.
    let (kind_word, names): (String, Vec<String>) = match first.split_once('/') {
        Some((k, n)) => (k.to_string(), vec![n.to_string()]),
        None => (first.clone(), p.positional[1..].to_vec()),
    };
    let Some(kind) = resolve_kind(&kind_word) else {
        return Output::error(format!(
            "error: the server doesn't have a resource type \"{kind_word}\""
        ));
    };
    let all_ns = p.has("all-namespaces");
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let output = p.flag("output").unwrap_or("");
    let wide = output == "wide";
    if !matches!(output, "" | "wide" | "name" | "yaml" | "json") {
        return Output::error(format!(
            "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide,yaml"
        ));
    }
    let store = sim.store();
    let mut objects: Vec<&Object> = Vec::new();
    let mut stderr = String::new();
    if names.is_empty() {
        let filter_ns = if all_ns || !kind.namespaced() {
            None
        } else {
            Some(ns.as_str())
        };
        objects.extend(store.list(kind, filter_ns));
    } else {
        for n in &names {
            match store.get(&ObjectKey::new(kind, &ns, n)) {
                Some(o) => objects.push(o),
                None => stderr.push_str(&format!(
                    "Error from server (NotFound): {} \"{}\" not found\n",
                    kind.resource(),
                    n
                )),
            }
        }
    }
    let now = Now {
        epoch: store.epoch(),
        at: sim.now(),
    };
    let mut stdout = String::new();
    if objects.is_empty() && names.is_empty() {
        stderr = if kind.namespaced() && !all_ns {
            format!("No resources found in {ns} namespace.\n")
        } else {
            "No resources found\n".into()
        };
    } else if !objects.is_empty() {
        stdout = match output {
            "name" => objects
                .iter()
                .map(|o| format!("{}/{}\n", kind.name().to_lowercase(), o.name()))
                .collect(),
            "json" | "yaml" => serialize(&objects, output == "json", names.len() == 1),
            _ => table(
                kind,
                &objects,
                now,
                wide,
                all_ns && kind.namespaced(),
                p.has("show-labels"),
            ),
        };
    }
    let exit_code = if stderr.contains("Error from server") { 1 } else { 0 };
    Output {
        stdout,
        stderr,
        exit_code,
    }
}

fn table(kind: Kind, objects: &[&Object], now: Now, wide: bool, with_ns: bool, show_labels: bool) -> String {
    let (headers, wide_headers): (&[&str], &[&str]) = match kind {
        Kind::Pod => (printers::POD_HEADERS, printers::POD_WIDE_HEADERS),
        Kind::Node => (printers::NODE_HEADERS, printers::NODE_WIDE_HEADERS),
        Kind::Event => (printers::EVENT_HEADERS, &[]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        // Kinds without their own printer yet get kubectl's minimal columns.
        Kind::Service | Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController | Kind::Job => {
            (&["NAME", "AGE"], &[])
        }
    };
    let mut header: Vec<String> = Vec::new();
    if with_ns {
        header.push("NAMESPACE".into());
    }
    header.extend(headers.iter().map(|s| s.to_string()));
    if wide {
        header.extend(wide_headers.iter().map(|s| s.to_string()));
    }
    if show_labels {
        header.push("LABELS".into());
    }
    let mut rows = vec![header];
    for o in objects {
        let mut row = Vec::new();
        if with_ns {
            row.push(o.namespace().to_string());
        }
        row.extend(match o {
            Object::Pod(p) => printers::pod_row(p, now, wide),
            Object::Node(n) => printers::node_row(n, now, wide),
            Object::Event(e) => printers::event_row(e, now),
            Object::Namespace(n) => vec![
                o.name().to_string(),
                n.status
                    .as_ref()
                    .and_then(|s| s.phase.clone())
                    .unwrap_or_else(|| "Active".into()),
                now.since(o.meta().creation_timestamp.as_ref()),
            ],
            Object::Service(_)
            | Object::Deployment(_)
            | Object::ReplicaSet(_)
            | Object::ReplicationController(_)
            | Object::Job(_) => vec![o.name().to_string(), now.since(o.meta().creation_timestamp.as_ref())],
        });
        if show_labels {
            let labels: Vec<String> = o
                .meta()
                .labels
                .iter()
                .flatten()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            row.push(if labels.is_empty() {
                "<none>".into()
            } else {
                labels.join(",")
            });
        }
        rows.push(row);
    }
    tabwriter::render(&rows)
}

fn serialize(objects: &[&Object], json: bool, single: bool) -> String {
    // kubectl prints through a generic map, so keys come out sorted: going through
    // serde_json::Value (a BTreeMap) gives the same order.
    let value = if single {
        serde_json::to_value(objects[0]).unwrap_or_default()
    } else {
        let items: Vec<serde_json::Value> = objects
            .iter()
            .map(|o| serde_json::to_value(o).unwrap_or_default())
            .collect();
        serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
    };
    if json {
        // kubectl indents JSON by four spaces.
        let mut buf = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
        let _ = serde::Serialize::serialize(&value, &mut ser);
        let mut s = String::from_utf8(buf).unwrap_or_default();
        s.push('\n');
        s
    } else {
        serde_yaml::to_string(&value).unwrap_or_default()
    }
}
