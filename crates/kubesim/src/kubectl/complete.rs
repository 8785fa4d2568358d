//! Tab completion for a kubectl line, as the shell completion kubectl installs offers it: verbs,
//! flags, resource types (plural names and short names) and the names of objects in the store,
//! in the namespace the line names. Pure: the terminal decides how to show the candidates.

use super::args::FlagSpec;
use super::{resolve_kind, DELETE_FLAGS, DESCRIBE_FLAGS, EXEC_FLAGS, GET_FLAGS, LOGS_FLAGS, RUN_FLAGS, SCALE_FLAGS};
use crate::api::{Kind, Object, ObjectKey};
use crate::sim::Simulation;

/// The word being completed (`line[start..end]`) and what it may become, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub end: usize,
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest text every candidate starts with (what a shell inserts on the first Tab).
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.candidates.first() else {
            return String::new();
        };
        let mut len = first.len();
        for c in &self.candidates[1..] {
            len = first.bytes().zip(c.bytes()).take(len).take_while(|(a, b)| a == b).count();
        }
        while !first.is_char_boundary(len) {
            len -= 1;
        }
        first[..len].to_string()
    }
}

/// The verbs the playground's kubectl runs.
const VERBS: &[&str] = &["delete", "describe", "exec", "get", "logs", "run", "scale"];

/// Resource types as kubectl's completion offers them: plural names and short names.
const TYPES: &[&str] = &[
    "deploy",
    "deployments",
    "endpoints",
    "endpointslices",
    "ep",
    "ev",
    "events",
    "jobs",
    "namespaces",
    "no",
    "nodes",
    "ns",
    "po",
    "pods",
    "rc",
    "replicasets",
    "replicationcontrollers",
    "rs",
    "services",
    "svc",
];

const SCALABLE: &[&str] = &["deploy", "deployments", "rc", "replicasets", "replicationcontrollers", "rs"];

const OUTPUTS: &[&str] = &["json", "name", "wide", "yaml"];

fn flags_of(verb: &str) -> &'static [FlagSpec] {
    match verb {
        "get" => GET_FLAGS,
        "describe" => DESCRIBE_FLAGS,
        "delete" => DELETE_FLAGS,
        "logs" | "log" => LOGS_FLAGS,
        "exec" => EXEC_FLAGS,
        "run" => RUN_FLAGS,
        "scale" => SCALE_FLAGS,
        _ => &[],
    }
}

/// What the words before the cursor say: positional words, namespace, and a flag still waiting
/// for its value.
#[derive(Default)]
struct Context<'a> {
    positional: Vec<&'a str>,
    namespace: Option<&'a str>,
    all_namespaces: bool,
    container: Option<&'a str>,
    pending: Option<&'static str>,
    after_dashes: bool,
}

fn read_context<'a>(words: &[&'a str], specs: &'static [FlagSpec]) -> Context<'a> {
    let mut cx = Context::default();
    let set = |cx: &mut Context<'a>, long: &'static str, value: &'a str| match long {
        "namespace" => cx.namespace = Some(value),
        "container" => cx.container = Some(value),
        _ => {}
    };
    for &w in words {
        if let Some(long) = cx.pending.take() {
            set(&mut cx, long, w);
            continue;
        }
        if cx.after_dashes {
            continue;
        }
        if w == "--" {
            cx.after_dashes = true;
        } else if let Some(rest) = w.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (rest, None),
            };
            if let Some(spec) = specs.iter().find(|s| s.long == name) {
                match inline {
                    Some(v) if spec.takes_value => set(&mut cx, spec.long, v),
                    None if spec.takes_value => cx.pending = Some(spec.long),
                    _ => cx.all_namespaces |= spec.long == "all-namespaces",
                }
            }
        } else if let Some(rest) = w.strip_prefix('-').filter(|r| !r.is_empty()) {
            let c = rest.chars().next().unwrap_or('-');
            if let Some(spec) = specs.iter().find(|s| s.short == Some(c)) {
                let inline = rest[c.len_utf8()..].trim_start_matches('=');
                if !spec.takes_value {
                    cx.all_namespaces |= spec.long == "all-namespaces";
                } else if inline.is_empty() {
                    cx.pending = Some(spec.long);
                } else {
                    set(&mut cx, spec.long, inline);
                }
            }
        } else {
            cx.positional.push(w);
        }
    }
    cx
}

/// Names of the objects of `kind` in `ns` (every namespace with `-A`), sorted, unique.
fn names(sim: &Simulation, kind: Kind, ns: &str, all: bool) -> Vec<String> {
    let filter = (kind.namespaced() && !all).then_some(ns);
    let mut out: Vec<String> = sim.store().list(kind, filter).map(|o| o.name().to_string()).collect();
    crate::sorting::sort(&mut out);
    out.dedup();
    out
}

fn containers(sim: &Simulation, ns: &str, pod: &str) -> Vec<String> {
    let key = ObjectKey::new(Kind::Pod, ns, pod.strip_prefix("pod/").or(pod.strip_prefix("pods/")).unwrap_or(pod));
    let Some(spec) = sim.store().get(&key).and_then(Object::as_pod).and_then(|p| p.spec.as_ref()) else {
        return Vec::new();
    };
    spec.init_containers.iter().flatten().chain(spec.containers.iter()).map(|c| c.name.clone()).collect()
}

fn strs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `TYPE/NAME` words: names of that type, written with the type as typed.
fn typed_names(sim: &Simulation, word: &str, ns: &str, all: bool) -> Vec<String> {
    let Some((ty, _)) = word.split_once('/') else {
        return Vec::new();
    };
    match resolve_kind(ty) {
        Some(kind) => names(sim, kind, ns, all).into_iter().map(|n| format!("{ty}/{n}")).collect(),
        None => Vec::new(),
    }
}

/// Candidates for the word ending at `cursor` (a byte offset into `line`).
pub fn complete(sim: &Simulation, line: &str, cursor: usize) -> Completion {
    let mut cursor = cursor.min(line.len());
    while !line.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let before = &line[..cursor];
    let start = before
        .rfind(char::is_whitespace)
        .map(|i| i + before[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let word = &before[start..];
    let mut words: Vec<&str> = before[..start].split_whitespace().collect();
    if words.first() == Some(&"kubectl") {
        words.remove(0);
    }
    let mut candidates = match words.split_first() {
        None => strs(VERBS),
        Some((verb, rest)) => candidates_for(sim, verb, rest, word),
    };
    candidates.retain(|c| c.starts_with(word));
    crate::sorting::sort(&mut candidates);
    candidates.dedup();
    Completion { start, end: cursor, candidates }
}

fn candidates_for(sim: &Simulation, verb: &str, rest: &[&str], word: &str) -> Vec<String> {
    let specs = flags_of(verb);
    let cx = read_context(rest, specs);
    let ns = cx.namespace.unwrap_or("default");
    let all = cx.all_namespaces;
    if cx.after_dashes {
        return Vec::new();
    }
    if let Some(flag) = cx.pending {
        return match flag {
            "namespace" => names(sim, Kind::Namespace, "", true),
            "output" if verb == "get" => strs(OUTPUTS),
            "container" => cx.positional.first().map(|p| containers(sim, ns, p)).unwrap_or_default(),
            _ => Vec::new(),
        };
    }
    if word.starts_with('-') {
        return specs.iter().map(|s| format!("--{}", s.long)).collect();
    }
    let position = cx.positional.len();
    match verb {
        "get" | "describe" | "delete" => {
            if word.contains('/') {
                return typed_names(sim, word, ns, all);
            }
            match cx.positional.first() {
                None => {
                    // `pods,svc`: complete the type after the last comma.
                    let (done, _) = word.rsplit_once(',').unwrap_or(("", word));
                    let lead = if done.is_empty() { String::new() } else { format!("{done},") };
                    TYPES.iter().map(|t| format!("{lead}{t}")).collect()
                }
                Some(first) if !first.contains('/') => {
                    first.split(',').filter_map(resolve_kind).flat_map(|k| names(sim, k, ns, all)).collect()
                }
                Some(_) => Vec::new(),
            }
        }
        "logs" | "log" | "exec" => match position {
            0 if word.contains('/') => typed_names(sim, word, ns, false),
            0 => names(sim, Kind::Pod, ns, false),
            1 if verb != "exec" && cx.container.is_none() => {
                cx.positional.first().map(|p| containers(sim, ns, p)).unwrap_or_default()
            }
            _ => Vec::new(),
        },
        "scale" => match cx.positional.first() {
            None if word.contains('/') => typed_names(sim, word, ns, false),
            None => strs(SCALABLE),
            Some(first) => resolve_kind(first).map(|k| names(sim, k, ns, false)).unwrap_or_default(),
        },
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::default_nodes;
    use crate::sim::Config;

    fn sim() -> Simulation {
        let mut sim = Simulation::new(Config { nodes: default_nodes(2), ..Config::default() });
        let pod = |name: &str, ns: &str| {
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n  - name: sidecar\n    image: busybox:1.36\n")
        };
        sim.apply_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
        for (name, ns) in [("web-1", "default"), ("web-2", "default"), ("db", "default"), ("cart", "shop")] {
            sim.apply_text(&pod(name, ns));
        }
        sim
    }

    fn cands(sim: &Simulation, line: &str) -> Vec<String> {
        complete(sim, line, line.len()).candidates
    }

    #[test]
    fn verbs_types_and_flags() {
        let sim = sim();
        assert_eq!(cands(&sim, ""), VERBS.to_vec());
        assert_eq!(cands(&sim, "de"), vec!["delete", "describe"]);
        assert_eq!(cands(&sim, "kubectl g"), vec!["get"]);
        assert_eq!(cands(&sim, "get p"), vec!["po", "pods"]);
        assert_eq!(cands(&sim, "get de"), vec!["deploy", "deployments"]);
        assert_eq!(cands(&sim, "get pods,s"), vec!["pods,services", "pods,svc"]);
        assert_eq!(cands(&sim, "get pods --name"), vec!["--namespace"]);
        assert_eq!(cands(&sim, "get pods -o "), vec!["json", "name", "wide", "yaml"]);
        assert_eq!(cands(&sim, "scale d"), vec!["deploy", "deployments"]);
        assert!(cands(&sim, "frobnicate ").is_empty());
    }

    #[test]
    fn object_names_from_the_store() {
        let sim = sim();
        assert_eq!(cands(&sim, "get pods w"), vec!["web-1", "web-2"]);
        assert_eq!(cands(&sim, "describe po "), vec!["db", "web-1", "web-2"]);
        assert_eq!(cands(&sim, "get pods -n shop "), vec!["cart"]);
        assert_eq!(cands(&sim, "get pods --namespace=shop c"), vec!["cart"]);
        assert_eq!(cands(&sim, "get pods -A "), vec!["cart", "db", "web-1", "web-2"]);
        assert_eq!(cands(&sim, "get pod/w"), vec!["pod/web-1", "pod/web-2"]);
        assert_eq!(cands(&sim, "describe nodes k8s-w"), vec!["k8s-worker1", "k8s-worker2"]);
        assert_eq!(cands(&sim, "logs d"), vec!["db"]);
        assert_eq!(cands(&sim, "logs db "), vec!["app", "sidecar"]);
        assert_eq!(cands(&sim, "logs db -c s"), vec!["sidecar"]);
        assert_eq!(cands(&sim, "exec web-1 -- "), Vec::<String>::new());
        assert_eq!(
            cands(&sim, "get pods -n "),
            vec!["default", "kube-node-lease", "kube-public", "kube-system", "shop"]
        );
    }

    #[test]
    fn word_range_and_common_prefix() {
        let sim = sim();
        let c = complete(&sim, "get pods we -o wide", 11);
        assert_eq!((c.start, c.end), (9, 11));
        assert_eq!(c.common_prefix(), "web-");
        let c = complete(&sim, "get pods x", 999);
        assert!(c.candidates.is_empty());
        assert_eq!(c.common_prefix(), "");
        // Cursor inside a multi-byte character never panics.
        let _ = complete(&sim, "get pods 파드", 11);
    }
}
