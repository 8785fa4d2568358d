//! kubectl, inside the engine: one parser and one set of printers shared by the CLI and the
//! page's terminal, so both print exactly the same bytes.

pub mod args;
pub mod describe;
pub mod gosort;
pub mod humanize;
pub mod json;
pub mod printers;
pub mod resource;
pub mod tabwriter;
pub mod yaml;

use k8s_openapi::api::core::v1::Event;

use crate::api::{Kind, Object, ObjectKey};
use crate::sim::Simulation;
use crate::store::Store;
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
    FlagSpec {
        long: "label-columns",
        short: Some('L'),
        takes_value: true,
    },
];

const DESCRIBE_FLAGS: &[FlagSpec] = &[
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
        long: "show-events",
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
        "describe" => describe(sim, &words[1..]),
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

fn now_of(sim: &Simulation) -> Now {
    Now {
        epoch: sim.store().epoch(),
        at: sim.now(),
    }
}

fn not_found(kind: Kind, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{}\" not found\n",
        kind.resource(),
        name
    )
}

/// The `TYPE NAME...` or `TYPE/NAME...` arguments of get and describe.
fn targets(positional: &[String]) -> Result<Vec<(Kind, Vec<String>)>, String> {
    let unknown = |w: &str| format!("error: the server doesn't have a resource type \"{w}\"");
    let Some(first) = positional.first() else {
        return Ok(Vec::new());
    };
    if first.contains('/') {
        let mut out: Vec<(Kind, Vec<String>)> = Vec::new();
        for p in positional {
            let Some((k, n)) = p.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
            };
            let kind = resolve_kind(k).ok_or_else(|| unknown(k))?;
            match out.last_mut() {
                Some((last, names)) if *last == kind => names.push(n.to_string()),
                _ => out.push((kind, vec![n.to_string()])),
            }
        }
        return Ok(out);
    }
    // `pods,nodes NAME...`: each type with the same names.
    let mut out = Vec::new();
    for word in first.split(',').filter(|w| !w.is_empty()) {
        let kind = resolve_kind(word).ok_or_else(|| unknown(word))?;
        out.push((kind, positional[1..].to_vec()));
    }
    Ok(out)
}

/// The objects of one kind a command addresses: all of them (in list order), or the named ones
/// (missing ones become NotFound errors).
fn select<'a>(
    store: &'a Store,
    kind: Kind,
    names: &[String],
    ns: &str,
    all_ns: bool,
    errors: &mut String,
) -> Vec<&'a Object> {
    if names.is_empty() {
        let filter = if all_ns || !kind.namespaced() { None } else { Some(ns) };
        return store.list(kind, filter).collect();
    }
    let mut out = Vec::new();
    for n in names {
        match store.get(&ObjectKey::new(kind, ns, n)) {
            Some(o) => out.push(o),
            None => errors.push_str(&not_found(kind, n)),
        }
    }
    out
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
    }
    let targets = match targets(&p.positional) {
        Ok(t) => t,
        Err(e) => return Output::error(e),
    };
    let all_ns = p.has("all-namespaces");
    if all_ns && targets.iter().any(|(_, names)| !names.is_empty()) {
        return Output::error("error: a resource cannot be retrieved by name across all namespaces");
    }
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let output = p.flag("output").unwrap_or("");
    if !matches!(output, "" | "wide" | "name" | "yaml" | "json") {
        return Output::error(format!(
            "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide,yaml"
        ));
    }
    // --label-columns / -L: a comma-separated list, repeatable.
    let label_columns: Vec<String> = p
        .all("label-columns")
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let store = sim.store();
    let now = now_of(sim);
    let mut stderr = String::new();
    let mut groups: Vec<(Kind, Vec<&Object>)> = Vec::new();
    let mut named = 0;
    for (kind, names) in &targets {
        named += names.len();
        let objects = select(store, *kind, names, &ns, all_ns, &mut stderr);
        groups.push((*kind, objects));
    }
    let total: usize = groups.iter().map(|(_, o)| o.len()).sum();
    let mut stdout = String::new();
    match output {
        "name" => {
            for (kind, objects) in &groups {
                for o in objects {
                    stdout.push_str(&format!("{}/{}\n", kind.name().to_lowercase(), o.name()));
                }
            }
        }
        "json" | "yaml" => {
            // One named object prints as itself; anything else as a List (get.go printGeneric).
            let single = named == 1 && targets.len() == 1;
            let items: Vec<serde_json::Value> = groups
                .iter()
                .flat_map(|(_, objects)| objects.iter().map(|o| json::api_value(o)))
                .collect();
            let value = if single {
                items.into_iter().next()
            } else {
                Some(json::list_value(items))
            };
            if let Some(value) = value {
                stdout = if output == "json" {
                    json::to_json(&value)
                } else {
                    yaml::to_yaml(&value)
                };
            }
        }
        _ => {
            // With objects of more than one kind, names print as kind/name (multipleGVKsRequested).
            let with_kind = groups.iter().filter(|(_, o)| !o.is_empty()).count() > 1;
            let opts = TableOptions {
                wide: output == "wide",
                all_ns,
                show_labels: p.has("show-labels"),
                label_columns: &label_columns,
                with_kind,
            };
            let mut printed = false;
            for (kind, objects) in &groups {
                if objects.is_empty() {
                    continue;
                }
                if printed {
                    stdout.push('\n');
                }
                stdout.push_str(&table(*kind, objects, now, &opts));
                printed = true;
            }
            if total == 0 && stderr.is_empty() {
                let namespaced = targets.iter().all(|(k, _)| k.namespaced());
                stderr = if namespaced && !all_ns {
                    format!("No resources found in {ns} namespace.\n")
                } else {
                    "No resources found\n".into()
                };
            }
        }
    }
    let exit_code = if stderr.contains("Error from server") { 1 } else { 0 };
    Output {
        stdout,
        stderr,
        exit_code,
    }
}

struct TableOptions<'a> {
    wide: bool,
    all_ns: bool,
    show_labels: bool,
    label_columns: &'a [String],
    with_kind: bool,
}

/// A cell as cli-runtime's printTable writes it: cut at the first line break (with "..."), and
/// terminal escape characters made visible.
fn table_cell(cell: &str) -> String {
    let (text, cut) = match cell.find(['\n', '\r', '\u{c}']) {
        Some(i) => (&cell[..i], true),
        None => (cell, false),
    };
    let mut out = text.replace('\u{1b}', "^[");
    if cut {
        out.push_str("...");
    }
    out
}

fn table(kind: Kind, objects: &[&Object], now: Now, opts: &TableOptions) -> String {
    let headers: &[&str] = match (kind, opts.wide) {
        (Kind::Pod, false) => printers::POD_HEADERS,
        (Kind::Pod, true) => &[
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ],
        (Kind::Node, false) => printers::NODE_HEADERS,
        (Kind::Node, true) => &[
            "NAME",
            "STATUS",
            "ROLES",
            "AGE",
            "VERSION",
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ],
        (Kind::Event, false) => printers::EVENT_HEADERS,
        (Kind::Event, true) => printers::EVENT_WIDE_HEADERS,
        (Kind::Namespace, _) => &["NAME", "STATUS", "AGE"],
    };
    let with_ns = opts.all_ns && kind.namespaced();
    let mut header: Vec<String> = Vec::new();
    if with_ns {
        header.push("NAMESPACE".into());
    }
    header.extend(headers.iter().map(|s| s.to_string()));
    // formatLabelHeaders: the upper-cased last path segment of each key.
    for l in opts.label_columns {
        header.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
    }
    if opts.show_labels {
        header.push("LABELS".into());
    }
    let mut rows = vec![header];
    for o in objects {
        let mut row = Vec::new();
        if with_ns {
            row.push(o.namespace().to_string());
        }
        let mut cells = match o {
            Object::Pod(p) => printers::pod_row(p, now, opts.wide),
            Object::Node(n) => printers::node_row(n, now, opts.wide),
            Object::Event(e) => printers::event_row(e, now, opts.wide),
            Object::Namespace(n) => vec![
                o.name().to_string(),
                n.status
                    .as_ref()
                    .and_then(|s| s.phase.clone())
                    .unwrap_or_else(|| "Active".into()),
                now.since(o.meta().creation_timestamp.as_ref()),
            ],
        };
        if opts.with_kind {
            // decorateTable prefixes the column with format "name"; for events that is the
            // NAME column, shown only with -o wide.
            let name_col = match kind {
                Kind::Event => opts.wide.then_some(9),
                _ => Some(0),
            };
            if let Some(cell) = name_col.and_then(|i| cells.get_mut(i)) {
                *cell = format!("{}/{}", kind.name().to_lowercase(), cell);
            }
        }
        row.extend(cells);
        let labels = o.meta().labels.clone().unwrap_or_default();
        for l in opts.label_columns {
            row.push(labels.get(l).cloned().unwrap_or_default());
        }
        if opts.show_labels {
            // labels.FormatLabels: sorted key=value pairs, or <none>.
            let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            row.push(if pairs.is_empty() {
                "<none>".into()
            } else {
                pairs.join(",")
            });
        }
        rows.push(row.iter().map(|c| table_cell(c)).collect());
    }
    tabwriter::render(&rows)
}

/// The events `kubectl describe` shows for an object (describe.go `searchEvents`: the field
/// selector on involvedObject name, namespace, uid and, except for pods, kind), in list order.
fn events_for<'a>(store: &'a Store, obj: &Object) -> Vec<&'a Event> {
    let meta = obj.meta();
    let name = meta.name.clone().unwrap_or_default();
    let uid = meta.uid.clone().unwrap_or_default();
    let matches = |e: &Event, kind: Option<&str>, ns: &str, uid: &str| {
        let r = &e.involved_object;
        r.name.as_deref().unwrap_or("") == name
            && r.namespace.as_deref().unwrap_or("") == ns
            && kind.is_none_or(|k| r.kind.as_deref().unwrap_or("") == k)
            && (uid.is_empty() || r.uid.as_deref().unwrap_or("") == uid)
    };
    match obj {
        Object::Pod(_) => {
            let ns = obj.namespace().to_string();
            store
                .list(Kind::Event, Some(&ns))
                .filter_map(Object::as_event)
                .filter(|e| matches(e, None, &ns, &uid))
                .collect()
        }
        Object::Node(_) => {
            // Two queries, merged: controllers use the node's uid, the kubelet its name.
            let all: Vec<&Event> = store.list(Kind::Event, None).filter_map(Object::as_event).collect();
            let mut out: Vec<&Event> = all
                .iter()
                .copied()
                .filter(|e| matches(e, Some("Node"), "", &uid))
                .collect();
            out.extend(all.iter().copied().filter(|e| matches(e, Some("Node"), "", &name)));
            out
        }
        _ => {
            let ns = obj.namespace().to_string();
            let kind = obj.kind().name();
            store
                .list(Kind::Event, if ns.is_empty() { None } else { Some(&ns) })
                .filter_map(Object::as_event)
                .filter(|e| matches(e, Some(kind), &ns, &uid))
                .collect()
        }
    }
}

fn describe_object(store: &Store, obj: &Object, now: Now, show_events: bool) -> String {
    let events = events_for(store, obj);
    let events = show_events.then_some(events.as_slice());
    match obj {
        Object::Pod(p) => describe::describe_pod(p, events, now),
        Object::Node(n) => {
            // Non-terminated pods bound to the node, across namespaces, in list order.
            let pods: Vec<&k8s_openapi::api::core::v1::Pod> = store
                .list(Kind::Pod, None)
                .filter_map(Object::as_pod)
                .filter(|p| {
                    p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == n.metadata.name.as_deref()
                        && !matches!(
                            p.status.as_ref().and_then(|s| s.phase.as_deref()),
                            Some("Succeeded" | "Failed")
                        )
                })
                .collect();
            describe::describe_node(n, &pods, events, now)
        }
        Object::Namespace(n) => describe::describe_namespace(n),
        Object::Event(_) => describe::describe_generic(&json::api_value(obj), events, now),
    }
}

fn describe(sim: &mut Simulation, words: &[String]) -> Output {
    // `--show-events=false` turns events off (the parser drops boolean flags set to false).
    let show_events = !words.iter().any(|w| w == "--show-events=false");
    let p = match args::parse(words, DESCRIBE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if p.positional.is_empty() {
        return Output::error(
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        );
    }
    let targets = match targets(&p.positional) {
        Ok(t) => t,
        Err(e) => return Output::error(e),
    };
    let all_ns = p.has("all-namespaces");
    if all_ns && targets.iter().any(|(_, names)| !names.is_empty()) {
        return Output::error("error: a resource cannot be retrieved by name across all namespaces");
    }
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let store = sim.store();
    let now = now_of(sim);
    let mut errors = String::new();
    let mut objects: Vec<&Object> = Vec::new();
    for (kind, names) in &targets {
        objects.extend(select(store, *kind, names, &ns, all_ns, &mut errors));
    }
    let mut stdout = String::new();
    // `describe TYPE NAME` with no such object describes every object whose name starts with
    // NAME, each followed by a newline (describe.go DescribeMatchingResources).
    let prefix_form = !p.positional[0].contains('/') && p.positional.len() == 2;
    if prefix_form && objects.is_empty() && !errors.is_empty() {
        let (kind, names) = &targets[0];
        let prefix = &names[0];
        let filter = if kind.namespaced() { Some(ns.as_str()) } else { None };
        let matching: Vec<&Object> = store
            .list(*kind, filter)
            .filter(|o| o.name().starts_with(prefix.as_str()))
            .collect();
        if !matching.is_empty() {
            for o in matching {
                stdout.push_str(&describe_object(store, o, now, show_events));
                stdout.push('\n');
            }
            return Output {
                stdout,
                ..Default::default()
            };
        }
    }
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            stdout.push_str("\n\n");
        }
        stdout.push_str(&describe_object(store, o, now, show_events));
    }
    if objects.is_empty() && errors.is_empty() {
        errors = if all_ns {
            "No resources found\n".into()
        } else {
            format!("No resources found in {ns} namespace.\n")
        };
        return Output {
            stdout,
            stderr: errors,
            exit_code: 0,
        };
    }
    let exit_code = if errors.is_empty() { 0 } else { 1 };
    Output {
        stdout,
        stderr: errors,
        exit_code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::default_nodes;
    use crate::sim::{Config, Simulation};

    fn pod_yaml(name: &str, labels: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {labels}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n"
        )
    }

    fn sim_with(pods: &[(&str, &str)]) -> Simulation {
        let mut sim = Simulation::new(Config {
            nodes: default_nodes(1),
            ..Config::default()
        });
        for (name, labels) in pods {
            sim.apply_text(&pod_yaml(name, labels));
        }
        sim.advance_by(20_000);
        sim
    }

    #[test]
    fn empty_lists_in_every_format() {
        let mut sim = sim_with(&[]);
        let o = run(&mut sim, "get pods");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            ("", "No resources found in default namespace.\n")
        );
        let o = run(&mut sim, "get pods -A");
        assert_eq!(o.stderr, "No resources found\n");
        // Generic printers print an empty List, and nothing for -o name, with no message.
        let o = run(&mut sim, "get pods -o yaml");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            (
                "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
                ""
            )
        );
        let o = run(&mut sim, "get pods -o json");
        assert_eq!(
            o.stdout,
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
        let o = run(&mut sim, "get pods -o name");
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.exit_code), ("", "", 0));
        let o = run(&mut sim, "describe pods");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            ("", "No resources found in default namespace.\n")
        );
    }

    #[test]
    fn names_for_every_kind() {
        let mut sim = sim_with(&[("a", "{app: x}"), ("b", "{}")]);
        assert_eq!(run(&mut sim, "get pods -o name").stdout, "pod/a\npod/b\n");
        assert_eq!(
            run(&mut sim, "get no -o name").stdout,
            "node/k8s-master\nnode/k8s-worker1\n"
        );
        assert_eq!(run(&mut sim, "get po/b -o name").stdout, "pod/b\n");
        assert_eq!(
            run(&mut sim, "get pods,nodes -o name").stdout,
            "pod/a\npod/b\nnode/k8s-master\nnode/k8s-worker1\n"
        );
        let events = run(&mut sim, "get events -o name").stdout;
        assert!(
            !events.is_empty()
                && events
                    .lines()
                    .all(|l| l.starts_with("event/a.") || l.starts_with("event/b.")),
            "{events}"
        );
    }

    #[test]
    fn label_columns_and_show_labels() {
        let mut sim = sim_with(&[("a", "{app: web, tier: fe}"), ("b", "{}")]);
        let out = run(&mut sim, "get pods -L app,example.com/tier -L tier --show-labels").stdout;
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some("NAME   READY   STATUS    RESTARTS   AGE   APP   TIER   TIER   LABELS")
        );
        assert_eq!(
            lines.next(),
            Some("a      1/1     Running   0          20s   web          fe     app=web,tier=fe")
        );
        assert_eq!(
            lines.next(),
            Some("b      1/1     Running   0          20s                       <none>")
        );
    }

    #[test]
    fn several_kinds_print_kind_prefixed_names_in_separate_tables() {
        let mut sim = sim_with(&[("a", "{}")]);
        let out = run(&mut sim, "get pods,nodes").stdout;
        let blocks: Vec<&str> = out.split("\n\n").collect();
        assert_eq!(blocks.len(), 2, "{out}");
        assert!(blocks[0].starts_with("NAME    READY"), "{out}");
        assert!(blocks[0].contains("\npod/a   1/1"), "{out}");
        assert!(blocks[1].contains("\nnode/k8s-master    Ready"), "{out}");
    }

    #[test]
    fn single_named_object_prints_bare_yaml_else_a_list() {
        let mut sim = sim_with(&[("a", "{}"), ("b", "{}")]);
        let one = run(&mut sim, "get pod a -o yaml").stdout;
        assert!(one.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"), "{one}");
        let two = run(&mut sim, "get pod a b -o yaml").stdout;
        assert!(
            two.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n"),
            "{two}"
        );
        assert!(
            two.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
            "{two}"
        );
        let missing = run(&mut sim, "get pod a nope -o yaml");
        assert!(missing.stdout.starts_with("apiVersion: v1\nitems:\n"));
        assert_eq!(
            missing.stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert_eq!(missing.exit_code, 1);
        let json = run(&mut sim, "get pod a -o json").stdout;
        assert!(
            json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n"),
            "{json}"
        );
        assert!(json.contains("\"lastProbeTime\": null"), "{json}");
        assert!(json.contains("\"resources\": {}"), "{json}");
    }

    #[test]
    fn describe_separators_prefixes_and_errors() {
        let mut sim = sim_with(&[("web-1", "{}"), ("web-2", "{}"), ("db", "{}")]);
        let one = run(&mut sim, "describe pod web-1").stdout;
        assert!(
            one.starts_with("Name:             web-1\nNamespace:        default\n"),
            "{one}"
        );
        assert!(one.ends_with("\n"));
        // Two objects: the second follows two newlines.
        let two = run(&mut sim, "describe pod web-1 web-2").stdout;
        let second = run(&mut sim, "describe pod/web-2").stdout;
        assert_eq!(two, format!("{one}\n\n{second}"));
        // A name that matches nothing describes every pod it prefixes, each followed by "\n".
        let prefixed = run(&mut sim, "describe pod web").stdout;
        assert_eq!(prefixed, format!("{one}\n{second}\n"));
        let missing = run(&mut sim, "describe pod nope");
        assert_eq!(
            missing.stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert_eq!(missing.exit_code, 1);
        assert_eq!(
            run(&mut sim, "describe pod db -A").stderr,
            "error: a resource cannot be retrieved by name across all namespaces\n"
        );
        let none = run(&mut sim, "describe");
        assert_eq!(
            none.stderr,
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
        );
        let no_events = run(&mut sim, "describe pod db --show-events=false").stdout;
        assert!(!no_events.contains("Events:"), "{no_events}");
        assert!(run(&mut sim, "describe pod db")
            .stdout
            .contains("\nEvents:\n  Type    Reason"));
        let all = run(&mut sim, "describe pods").stdout;
        assert_eq!(all.matches("\n\n\nName:").count(), 2, "{all}");
    }

    #[test]
    fn describe_node_lists_its_pods_and_node_events() {
        let mut sim = sim_with(&[("a", "{}")]);
        let out = run(&mut sim, "describe node k8s-worker1").stdout;
        assert!(out.contains("Non-terminated Pods:          (1 in total)\n"), "{out}");
        assert!(out.contains("\n  default                     a    "), "{out}");
        assert!(out.contains("\nLease:\n  HolderIdentity:  k8s-worker1\n"), "{out}");
        let master = run(&mut sim, "describe no k8s-master").stdout;
        assert!(
            master.contains("Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n"),
            "{master}"
        );
        assert!(master.contains("Roles:              control-plane\n"), "{master}");
    }

    #[test]
    fn describe_event_and_namespace_kinds() {
        let mut sim = sim_with(&[("a", "{}")]);
        let ev = run(&mut sim, "get events -o name").stdout;
        let name = ev.lines().next().unwrap_or("").trim_start_matches("event/").to_string();
        let out = run(&mut sim, &format!("describe event {name}")).stdout;
        assert!(
            out.starts_with(&format!("Name:             {name}\nNamespace:        default\n")),
            "{out}"
        );
        assert!(out.contains("\nInvolved Object:\n  API Version:"), "{out}");
        assert!(out.contains("\nEvent Time:       <nil>\n"), "{out}");
        assert!(
            out.ends_with("Events:       <none>\n") || out.contains("\nEvents:"),
            "{out}"
        );
    }

    #[test]
    fn get_events_columns() {
        let mut sim = sim_with(&[("a", "{}")]);
        let out = run(&mut sim, "get events").stdout;
        assert!(
            out.starts_with("LAST SEEN   TYPE     REASON      OBJECT   MESSAGE\n"),
            "{out}"
        );
        let wide = run(&mut sim, "get ev -o wide").stdout;
        let header = wide.lines().next().unwrap_or("");
        let cols: Vec<&str> = header.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        assert_eq!(
            cols,
            [
                "LAST SEEN",
                "TYPE",
                "REASON",
                "OBJECT",
                "SUBOBJECT",
                "SOURCE",
                "MESSAGE",
                "FIRST SEEN",
                "COUNT",
                "NAME"
            ]
        );
        assert!(wide.contains("kubelet, k8s-worker1"), "{wide}");
        let all = run(&mut sim, "get events -A").stdout;
        assert!(all.starts_with("NAMESPACE   LAST SEEN   TYPE"), "{all}");
    }

    #[test]
    fn garbage_never_panics() {
        let mut sim = sim_with(&[("a", "{}")]);
        for line in [
            "get",
            "get /",
            "get pod/",
            "get ,",
            "get pods -L",
            "get pods -L ,,",
            "describe /",
            "describe pod/",
            "describe pods,nodes",
            "describe bogus x",
            "get pods -o jsonpath",
            "describe pod a -A",
            "get pods,bogus",
        ] {
            let _ = run(&mut sim, line);
        }
    }
}
