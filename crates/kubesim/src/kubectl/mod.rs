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
    /// Set by `get -w`: the watch that keeps streaming rows as the simulation runs on.
    pub watch: Option<Watch>,
}

/// A running `kubectl get -w`: which objects, and how far into the watch log it has printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watch {
    kind: Option<Kind>,
    namespace: Option<String>,
    names: Vec<String>,
    wide: bool,
    with_ns: bool,
    cursor: usize,
    widths: Vec<usize>,
}

/// The rows a watch prints for the changes since it last printed: one row per change of a
/// watched object, showing the object as it was then (AGE as of that moment).
pub fn watch_rows(sim: &Simulation, w: &mut Watch) -> String {
    let log = sim.store().log();
    let epoch = sim.store().epoch();
    let mut rows = Vec::new();
    for change in log.get(w.cursor..).unwrap_or(&[]) {
        if Some(change.key.kind) != w.kind {
            continue;
        }
        if w.namespace.as_ref().is_some_and(|ns| ns != &change.key.namespace) {
            continue;
        }
        if !w.names.is_empty() && !w.names.contains(&change.key.name) {
            continue;
        }
        let now = Now { epoch, at: change.at };
        let mut row = Vec::new();
        if w.with_ns {
            row.push(change.key.namespace.clone());
        }
        row.extend(match change.object.as_ref() {
            Object::Pod(p) => printers::pod_row(p, now, w.wide),
            Object::Node(n) => printers::node_row(n, now, w.wide),
            Object::Event(e) => printers::event_row(e, now),
            Object::Namespace(_) => vec![change.key.name.clone()],
        });
        rows.push(row);
    }
    w.cursor = log.len();
    tabwriter::render_remembering(&rows, &mut w.widths)
}

impl Output {
    fn error(msg: impl Into<String>) -> Self {
        let mut stderr = msg.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output { stderr, exit_code: 1, ..Default::default() }
    }
    /// stdout then stderr, as a terminal shows them.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

const GET_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "all-namespaces", short: Some('A'), takes_value: false },
    FlagSpec { long: "output", short: Some('o'), takes_value: true },
    FlagSpec { long: "show-labels", short: None, takes_value: false },
    FlagSpec { long: "no-headers", short: None, takes_value: false },
    FlagSpec { long: "watch", short: Some('w'), takes_value: false },
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
        "delete" => delete(sim, &words[1..]),
        "logs" | "log" => logs(sim, &words[1..]),
        other => Output::error(format!("error: unknown command \"{other}\" for \"kubectl\"")),
    }
}

const DELETE_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "grace-period", short: None, takes_value: true },
    FlagSpec { long: "force", short: None, takes_value: false },
    FlagSpec { long: "now", short: None, takes_value: false },
    FlagSpec { long: "wait", short: None, takes_value: false },
];

/// `kubectl delete TYPE NAME...` (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go).
fn delete(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, DELETE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if p.positional.is_empty() {
        return Output::error("error: You must provide one or more resources by argument or filename.");
    };
    let (kind_word, names) = type_and_names(&p.positional);
    let Some(kind) = resolve_kind(&kind_word) else {
        return Output::error(format!("error: the server doesn't have a resource type \"{kind_word}\""));
    };
    if names.is_empty() {
        return Output::error("error: resource(s) were provided, but no name was specified");
    }
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let force = p.has("force");
    let mut grace: Option<i64> = match p.flag("grace-period") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(g) if g < 0 => None,
            Ok(g) => Some(g),
            Err(_) => return Output::error(format!("error: invalid argument \"{v}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")),
        },
    };
    if p.has("now") {
        grace = Some(1);
    }
    let mut out = Output::default();
    if force && grace.is_none_or(|g| g == 0) {
        grace = Some(0);
        out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    } else if grace == Some(0) {
        return Output::error(
            "error: --grace-period=0 must have either --force specified, or --wait to be set to true",
        );
    } else if force {
        out.stderr.push_str("warning: --force is ignored because --grace-period is not 0.\n");
    }
    for name in &names {
        let key = ObjectKey::new(kind, &ns, name);
        match sim.delete(&key, grace) {
            Ok(()) => {
                let what = if grace == Some(0) { "force deleted" } else { "deleted" };
                let place = if kind.namespaced() { format!(" from {ns} namespace") } else { String::new() };
                out.stdout.push_str(&format!("{} \"{name}\" {what}{place}\n", kind.name().to_lowercase()));
            }
            Err(e) => {
                out.stderr.push_str(&format!("{e}\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

const LOGS_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "container", short: Some('c'), takes_value: true },
    FlagSpec { long: "previous", short: Some('p'), takes_value: false },
    FlagSpec { long: "timestamps", short: None, takes_value: false },
    FlagSpec { long: "tail", short: None, takes_value: true },
];

/// `kubectl logs POD [-c CONTAINER] [--previous]`.
fn logs(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, LOGS_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(target) = p.positional.first() else {
        return Output::error("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
    };
    let name = target.strip_prefix("pod/").or(target.strip_prefix("pods/")).unwrap_or(target);
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let key = ObjectKey::new(Kind::Pod, &ns, name);
    let Some(pod) = sim.store().get(&key).and_then(Object::as_pod).cloned() else {
        return Output::error(format!("Error from server (NotFound): pods \"{name}\" not found"));
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let names: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    let mut out = Output::default();
    let container = match p.flag("container").or(p.positional.get(1).map(String::as_str)) {
        Some(c) => c.to_string(),
        None => {
            let first = names.first().cloned().unwrap_or_default();
            if names.len() > 1 {
                out.stderr.push_str(&format!("Defaulted container \"{first}\" out of: {}\n", names.join(", ")));
            }
            first
        }
    };
    let all: Vec<String> =
        spec.init_containers.iter().flatten().map(|c| c.name.clone()).chain(names.iter().cloned()).collect();
    if !all.contains(&container) {
        return Output::error(format!("error: container {container} is not valid for pod {name}"));
    }
    let node = spec.node_name.clone().unwrap_or_default();
    let previous = p.has("previous");
    let lines = sim.kubelet(&node).and_then(|k| k.logs(&key, &container, previous));
    let status = pod.status.clone().unwrap_or_default();
    let cs = status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .find(|s| s.name == container)
        .cloned();
    let started = cs.as_ref().is_some_and(|s| s.container_id.is_some());
    match lines {
        Some(lines) if started || previous => {
            let epoch = sim.store().epoch();
            let mut selected: Vec<_> = lines.iter().collect();
            if let Some(n) = p.flag("tail").and_then(|t| t.parse::<usize>().ok()) {
                let skip = selected.len().saturating_sub(n);
                selected.drain(..skip);
            }
            for l in selected {
                if p.has("timestamps") {
                    out.stdout.push_str(&format!(
                        "{}.{:03}000000Z ",
                        epoch.timestamp(l.at).strftime("%Y-%m-%dT%H:%M:%S"),
                        l.at % 1000
                    ));
                }
                out.stdout.push_str(&l.text);
                out.stdout.push('\n');
            }
            out
        }
        _ if previous => Output::error(format!(
            "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{name}\" not found"
        )),
        _ => {
            let reason = cs
                .and_then(|s| s.state)
                .and_then(|s| s.waiting)
                .and_then(|w| w.reason)
                .unwrap_or_else(|| "ContainerCreating".into());
            Output::error(format!(
                "Error from server (BadRequest): container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
            ))
        }
    }
}

/// Reads `TYPE NAME...` or `TYPE/NAME` from the positional words (the first one is present).
fn type_and_names(positional: &[String]) -> (String, Vec<String>) {
    let first = positional.first().cloned().unwrap_or_default();
    match first.split_once('/') {
        Some((k, n)) => (k.to_string(), vec![n.to_string()]),
        None => (first, positional.get(1..).unwrap_or(&[]).to_vec()),
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
    if p.positional.is_empty() {
        return Output::error(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.",
        );
    };
    // `pod/name` form or `type name...` form.
    let (kind_word, names) = type_and_names(&p.positional);
    let Some(kind) = resolve_kind(&kind_word) else {
        return Output::error(format!("error: the server doesn't have a resource type \"{kind_word}\""));
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
        let filter_ns = if all_ns || !kind.namespaced() { None } else { Some(ns.as_str()) };
        objects.extend(store.list(kind, filter_ns));
    } else {
        for n in &names {
            match store.get(&ObjectKey::new(kind, &ns, n)) {
                Some(o) => objects.push(o),
                None => {
                    stderr.push_str(&format!("Error from server (NotFound): {} \"{}\" not found\n", kind.resource(), n))
                }
            }
        }
    }
    let now = Now { epoch: store.epoch(), at: sim.now() };
    let mut stdout = String::new();
    let mut watch = None;
    if objects.is_empty() && names.is_empty() {
        stderr = if kind.namespaced() && !all_ns {
            format!("No resources found in {ns} namespace.\n")
        } else {
            "No resources found\n".into()
        };
    } else if !objects.is_empty() {
        stdout = match output {
            "name" => objects.iter().map(|o| format!("{}/{}\n", kind.name().to_lowercase(), o.name())).collect(),
            "json" | "yaml" => serialize(&objects, output == "json", names.len() == 1),
            _ if p.has("watch") => {
                let mut w = Watch {
                    kind: Some(kind),
                    namespace: (kind.namespaced() && !all_ns).then(|| ns.clone()),
                    names: names.clone(),
                    wide,
                    with_ns: all_ns && kind.namespaced(),
                    cursor: store.log().len(),
                    widths: Vec::new(),
                };
                let rows = table_rows(kind, &objects, now, wide, all_ns && kind.namespaced(), false);
                let t = tabwriter::render_remembering(&rows, &mut w.widths);
                watch = Some(w);
                t
            }
            _ => {
                let t = table(kind, &objects, now, wide, all_ns && kind.namespaced(), p.has("show-labels"));
                if p.has("no-headers") {
                    t.split_once('\n').map(|(_, rest)| rest.to_string()).unwrap_or_default()
                } else {
                    t
                }
            }
        };
    }
    let exit_code = if stderr.contains("Error from server") { 1 } else { 0 };
    if p.has("watch") && watch.is_none() && exit_code == 0 {
        // Nothing to list yet: the watch still streams what appears.
        stderr.clear();
        watch = Some(Watch {
            kind: Some(kind),
            namespace: (kind.namespaced() && !all_ns).then(|| ns.clone()),
            names: names.clone(),
            wide,
            with_ns: all_ns && kind.namespaced(),
            cursor: store.log().len(),
            widths: Vec::new(),
        });
    }
    Output { stdout, stderr, exit_code, watch }
}

fn table(kind: Kind, objects: &[&Object], now: Now, wide: bool, with_ns: bool, show_labels: bool) -> String {
    tabwriter::render(&table_rows(kind, objects, now, wide, with_ns, show_labels))
}

fn table_rows(
    kind: Kind,
    objects: &[&Object],
    now: Now,
    wide: bool,
    with_ns: bool,
    show_labels: bool,
) -> Vec<Vec<String>> {
    let (headers, wide_headers): (&[&str], &[&str]) = match kind {
        Kind::Pod => (printers::POD_HEADERS, printers::POD_WIDE_HEADERS),
        Kind::Node => (printers::NODE_HEADERS, printers::NODE_WIDE_HEADERS),
        Kind::Event => (printers::EVENT_HEADERS, &[]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
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
                n.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Active".into()),
                now.since(o.meta().creation_timestamp.as_ref()),
            ],
        });
        if show_labels {
            let labels: Vec<String> = o.meta().labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
            row.push(if labels.is_empty() { "<none>".into() } else { labels.join(",") });
        }
        rows.push(row);
    }
    rows
}

fn serialize(objects: &[&Object], json: bool, single: bool) -> String {
    // kubectl prints through a generic map, so keys come out sorted: going through
    // serde_json::Value (a BTreeMap) gives the same order.
    let value = if single {
        serde_json::to_value(objects[0]).unwrap_or_default()
    } else {
        let items: Vec<serde_json::Value> =
            objects.iter().map(|o| serde_json::to_value(o).unwrap_or_default()).collect();
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
