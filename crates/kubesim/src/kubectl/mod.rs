//! kubectl, inside the engine: one parser and one set of printers shared by the CLI and the
//! page's terminal, so both print exactly the same bytes.

pub mod args;
pub mod builder;
pub mod complete;
pub mod create;
pub mod delete_file;
pub mod describe;
pub mod explain;
pub mod expose;
pub mod field_selector;
pub mod gosort;
pub mod humanize;
pub mod json;
pub mod label;
pub mod nodes;
pub mod patch;
pub mod printers;
pub mod resource;
pub mod rollout;
pub mod session;
pub mod set;
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
    /// `--field-selector`, applied to every streamed change.
    fields: Option<field_selector::FieldSelector>,
    /// Set by `rollout status`: lines about one Deployment instead of table rows.
    rollout: Option<rollout::RolloutWatch>,
}

/// The rows a watch prints for the changes since it last printed: one row per change of a
/// watched object, showing the object as it was then (AGE as of that moment).
pub fn watch_rows(sim: &Simulation, w: &mut Watch) -> String {
    if let Some(mut r) = w.rollout.take() {
        let out = rollout::watch_lines(sim, w, &mut r);
        w.rollout = Some(r);
        return out;
    }
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
        if w.fields.as_ref().is_some_and(|f| !f.matches(&change.object)) {
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
            Object::Event(e) => printers::event_row(e, now, w.wide),
            Object::Job(j) => printers::job_row(j, now, w.wide),
            Object::Deployment(d) => printers::deployment_row(d, now, w.wide),
            Object::ReplicaSet(rs) => printers::replicaset_row(rs, now, w.wide),
            _ => vec![change.key.name.clone(), now.since(change.object.meta().creation_timestamp.as_ref())],
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
    /// Ends a command that went on past errors (ContinueOnError): each on its own stderr line,
    /// and exit status 1 if there was any.
    fn with_errors(mut self, errors: &[String]) -> Self {
        for e in errors {
            self.stderr.push_str(e);
            self.stderr.push('\n');
        }
        if !errors.is_empty() {
            self.exit_code = 1;
        }
        self
    }
    /// What a terminal shows: the apiserver's warnings first (they arrive with the response),
    /// then stdout, then the rest of stderr.
    pub fn combined(&self) -> String {
        let (warnings, rest): (Vec<&str>, Vec<&str>) =
            self.stderr.split_inclusive('\n').partition(|l| l.starts_with("Warning: "));
        format!("{}{}{}", warnings.concat(), self.stdout, rest.concat())
    }
}

const GET_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "all-namespaces", short: Some('A'), takes_value: false },
    FlagSpec { long: "output", short: Some('o'), takes_value: true },
    FlagSpec { long: "show-labels", short: None, takes_value: false },
    FlagSpec { long: "label-columns", short: Some('L'), takes_value: true },
    FlagSpec { long: "no-headers", short: None, takes_value: false },
    FlagSpec { long: "watch", short: Some('w'), takes_value: false },
    FlagSpec { long: "selector", short: Some('l'), takes_value: true },
    FlagSpec { long: "field-selector", short: None, takes_value: true },
];

const DESCRIBE_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "all-namespaces", short: Some('A'), takes_value: false },
    FlagSpec { long: "show-events", short: None, takes_value: false },
];

/// A command line's words, shell-split, without a leading `kubectl`.
fn command_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = args::split_words(line).map_err(|e| format!("error: {e}"))?;
    if words.first().map(String::as_str) == Some("kubectl") {
        words.remove(0);
    }
    Ok(words)
}

/// The verbs that only read: `get`, `describe`, `logs` (a lesson's goals look through them
/// without changing the cluster). Other verbs are refused.
pub fn run_read_only(sim: &Simulation, line: &str) -> Output {
    let words = match command_words(line) {
        Ok(w) => w,
        Err(e) => return Output::error(e),
    };
    match words.first().map(String::as_str) {
        Some("get") => get(sim, &words[1..]),
        Some("describe") => describe(sim, &words[1..]),
        Some("logs" | "log") => logs(sim, &words[1..]),
        _ => Output::error("error: only get, describe and logs read without changing the cluster"),
    }
}

/// Runs one kubectl command line (with or without the leading `kubectl`).
pub fn run(sim: &mut Simulation, line: &str) -> Output {
    let words = match command_words(line) {
        Ok(w) => w,
        Err(e) => return Output::error(e),
    };
    let Some(verb) = words.first() else {
        return Output::error("error: no command given (try: kubectl get pods)");
    };
    match verb.as_str() {
        "get" => get(sim, &words[1..]),
        "describe" => describe(sim, &words[1..]),
        "delete" => delete(sim, &words[1..]),
        "logs" | "log" => logs(sim, &words[1..]),
        "scale" => scale(sim, &words[1..]),
        "exec" => exec(sim, &words[1..]),
        "run" => run_pod(sim, &words[1..]),
        "label" => label::label(sim, &words[1..]),
        "annotate" => label::annotate(sim, &words[1..]),
        "patch" => patch::patch(sim, &words[1..]),
        "expose" => expose::expose(sim, &words[1..]),
        "create" => create::create(sim, &words[1..]),
        "rollout" => rollout::run(sim, &words[1..]),
        "set" => set::run(sim, &words[1..]),
        "explain" => explain::run(&words[1..]),
        "cordon" => nodes::cordon(sim, &words[1..], true),
        "uncordon" => nodes::cordon(sim, &words[1..], false),
        "taint" => nodes::taint(sim, &words[1..]),
        "drain" => nodes::drain(sim, &words[1..]),
        other => Output::error(format!("error: unknown command \"{other}\" for \"kubectl\"{}", suggest_command(other))),
    }
}

/// cobra's "Did you mean this?" for an unknown command: kubectl's commands within edit
/// distance 2 of it, or that it begins (cobra SuggestionsFor), in name order.
fn suggest_command(typed: &str) -> String {
    const COMMANDS: &[&str] = &[
        "annotate",
        "api-resources",
        "api-versions",
        "apply",
        "attach",
        "auth",
        "autoscale",
        "certificate",
        "cluster-info",
        "completion",
        "config",
        "cordon",
        "cp",
        "create",
        "debug",
        "delete",
        "describe",
        "diff",
        "drain",
        "edit",
        "events",
        "exec",
        "explain",
        "expose",
        "get",
        "help",
        "kustomize",
        "label",
        "logs",
        "options",
        "patch",
        "plugin",
        "port-forward",
        "proxy",
        "replace",
        "rollout",
        "run",
        "scale",
        "set",
        "taint",
        "top",
        "uncordon",
        "version",
        "wait",
    ];
    let lower = typed.to_lowercase();
    let found: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| crate::manifest::suggest::distance(&lower, c) <= 2 || c.starts_with(&lower))
        .collect();
    if found.is_empty() {
        return String::new();
    }
    let mut s = "\n\nDid you mean this?\n".to_string();
    for c in found {
        s.push_str(&format!("\t{c}\n"));
    }
    s
}

const DELETE_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "grace-period", short: None, takes_value: true },
    FlagSpec { long: "force", short: None, takes_value: false },
    FlagSpec { long: "now", short: None, takes_value: false },
    FlagSpec { long: "wait", short: None, takes_value: false },
    FlagSpec { long: "selector", short: Some('l'), takes_value: true },
    FlagSpec { long: "all", short: None, takes_value: false },
    FlagSpec { long: "all-namespaces", short: Some('A'), takes_value: false },
];

/// `kubectl delete` (k8s.io/kubectl/pkg/cmd/delete/delete.go): `TYPE NAME...`,
/// `TYPE/NAME...`, `TYPE[,TYPE] --all` or `-l`, with the grace period rules of 1.35:
/// `--grace-period=0` alone means 1, `--force` alone means 0 (with the warning), `--now` means 1.
fn delete(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, DELETE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if p.positional.is_empty() {
        return Output::error("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    };
    let force = p.has("force");
    let mut grace: i64 = match p.flag("grace-period") {
        None => -1,
        Some(v) => match v.parse::<i64>() {
            Ok(g) => g,
            Err(_) => return Output::error(format!("error: invalid argument \"{v}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")),
        },
    };
    if p.has("now") {
        if grace != -1 {
            return Output::error("error: --now and --grace-period cannot be specified together");
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1; // backwards compatible, but no accidental immediate deletion
    }
    if force && grace < 0 {
        grace = 0;
    }
    let mut out = Output::default();
    if grace == 0 && force {
        out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    } else if grace > 0 && force {
        return Output::error("error: --force and --grace-period greater than 0 cannot be specified together");
    }
    let how = builder::Select {
        namespace: p.flag("namespace").unwrap_or("default"),
        all_namespaces: p.has("all-namespaces"),
        all: p.has("all"),
        selector: p.flag("selector"),
    };
    let found = match builder::resolve(sim.store(), &p.positional, &how) {
        Ok(f) => f,
        Err(e) => return Output::error(e),
    };
    // With --all or -l, objects gone meanwhile are not errors (IgnoreNotFound).
    let bulk = how.all || how.selector.is_some();
    if found.is_empty() {
        out.stdout.push_str("No resources found\n");
        return out;
    }
    let grace = (grace >= 0).then_some(grace);
    for f in found {
        let key = match f {
            Ok(k) => k,
            Err(e) => {
                out.stderr.push_str(&format!("{e}\n"));
                out.exit_code = 1;
                continue;
            }
        };
        match sim.delete(&key, grace) {
            Ok(()) => {
                let what = if grace == Some(0) { "force deleted" } else { "deleted" };
                let place =
                    if key.kind.namespaced() { format!(" from {} namespace", key.namespace) } else { String::new() };
                out.stdout.push_str(&format!("{} \"{}\" {what}{place}\n", qualified(key.kind), key.name));
            }
            Err(e) if bulk && e.reason == "NotFound" => {}
            Err(e) => {
                out.stderr.push_str(&format!("{e}\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

const EXEC_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "container", short: Some('c'), takes_value: true },
    FlagSpec { long: "stdin", short: Some('i'), takes_value: false },
    FlagSpec { long: "tty", short: Some('t'), takes_value: false },
];

/// `kubectl exec POD [-c CONTAINER] -- COMMAND [ARGS...]`: runs in the container's shell
/// interpreter; a non-zero status ends with kubectl's `command terminated with exit code N`.
fn exec(sim: &mut Simulation, words: &[String]) -> Output {
    // Everything after `--` is the command, untouched by flag parsing.
    let (before, command) = match words.iter().position(|w| w == "--") {
        Some(i) => (&words[..i], words[i + 1..].to_vec()),
        None => (words, Vec::new()),
    };
    let p = match args::parse(before, EXEC_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let mut positional = p.positional.clone();
    let Some(target) = (!positional.is_empty()).then(|| positional.remove(0)) else {
        return Output::error("error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command");
    };
    let command = if command.is_empty() { positional } else { command };
    if command.is_empty() {
        return Output::error("error: you must specify at least one command for the container");
    }
    let name = target.strip_prefix("pod/").or(target.strip_prefix("pods/")).unwrap_or(&target).to_string();
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let key = ObjectKey::new(Kind::Pod, &ns, &name);
    let Some(pod) = sim.store().get(&key).and_then(Object::as_pod).cloned() else {
        return Output::error(format!("Error from server (NotFound): pods \"{name}\" not found"));
    };
    let names: Vec<String> = pod.spec.iter().flat_map(|s| s.containers.iter()).map(|c| c.name.clone()).collect();
    let mut out = Output::default();
    let container = match p.flag("container") {
        Some(c) => c.to_string(),
        None => {
            let first = names.first().cloned().unwrap_or_default();
            if names.len() > 1 {
                out.stderr.push_str(&format!("Defaulted container \"{first}\" out of: {}\n", names.join(", ")));
            }
            first
        }
    };
    match sim.exec(&key, &container, &command) {
        Ok((status, stdout, stderr)) => {
            out.stdout.push_str(&stdout);
            out.stderr.push_str(&stderr);
            if status != 0 {
                out.stderr.push_str(&format!("command terminated with exit code {status}\n"));
                out.exit_code = status;
            }
            out
        }
        Err(e) => Output::error(format!("error: {e}")),
    }
}

const RUN_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "image", short: None, takes_value: true },
    FlagSpec { long: "port", short: None, takes_value: true },
    FlagSpec { long: "labels", short: Some('l'), takes_value: true },
    FlagSpec { long: "restart", short: None, takes_value: true },
    FlagSpec { long: "env", short: None, takes_value: true },
    FlagSpec { long: "command", short: None, takes_value: false },
    FlagSpec { long: "dry-run", short: None, takes_value: true },
    FlagSpec { long: "output", short: Some('o'), takes_value: true },
    FlagSpec { long: "image-pull-policy", short: None, takes_value: true },
    FlagSpec { long: "stdin", short: Some('i'), takes_value: false },
    FlagSpec { long: "tty", short: Some('t'), takes_value: false },
    FlagSpec { long: "rm", short: None, takes_value: false },
];

/// `kubectl run NAME --image=IMAGE [--port] [--labels] [--restart] [--env] [--command] [-- ARGS]`
/// (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go): a Pod labelled `run=NAME`.
fn run_pod(sim: &mut Simulation, words: &[String]) -> Output {
    use k8s_openapi::api::core::v1::{Container, ContainerPort, EnvVar, Pod, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    let (before, rest) = match words.iter().position(|w| w == "--") {
        Some(i) => (&words[..i], words[i + 1..].to_vec()),
        None => (words, Vec::new()),
    };
    let p = match args::parse(before, RUN_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(name) = p.positional.first().cloned() else {
        return Output::error("error: NAME is required for run");
    };
    let Some(image) = p.flag("image").map(str::to_string) else {
        return Output::error("error: required flag(s) \"image\" not set");
    };
    let mut labels: std::collections::BTreeMap<String, String> = [("run".to_string(), name.clone())].into();
    if let Some(l) = p.flag("labels") {
        labels.clear();
        for pair in l.split(',') {
            let Some((k, v)) = pair.split_once('=') else {
                return Output::error(format!("error: invalid label spec: {pair}"));
            };
            labels.insert(k.to_string(), v.to_string());
        }
    }
    let restart = p.flag("restart").unwrap_or("Always").to_string();
    if !matches!(restart.as_str(), "Always" | "OnFailure" | "Never") {
        return Output::error(format!("error: invalid restart policy: {restart}"));
    }
    let mut container = Container { name: name.clone(), image: Some(image), ..Default::default() };
    if let Some(port) = p.flag("port") {
        match port.parse::<i32>() {
            Ok(n) => container.ports = Some(vec![ContainerPort { container_port: n, ..Default::default() }]),
            Err(_) => return Output::error(format!("error: invalid argument \"{port}\" for \"--port\" flag")),
        }
    }
    let envs: Vec<EnvVar> = p
        .all("env")
        .iter()
        .filter_map(|e| {
            e.split_once('=').map(|(k, v)| EnvVar { name: k.into(), value: Some(v.into()), value_from: None })
        })
        .collect();
    if !envs.is_empty() {
        container.env = Some(envs);
    }
    if let Some(policy) = p.flag("image-pull-policy") {
        container.image_pull_policy = Some(policy.to_string());
    }
    let mut extra: Vec<String> = p.positional[1..].to_vec();
    extra.extend(rest);
    if !extra.is_empty() {
        if p.has("command") {
            container.command = Some(extra);
        } else {
            container.args = Some(extra);
        }
    }
    let pod = Pod {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: p.flag("namespace").map(str::to_string),
            labels: Some(labels),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![container],
            restart_policy: Some(restart),
            dns_policy: Some("ClusterFirst".into()),
            ..Default::default()
        }),
        status: None,
    };
    let dry = p.flag("dry-run").is_some_and(|d| d == "client" || d == "server" || d.is_empty());
    if dry {
        let value = json::api_value(&Object::Pod(pod));
        return match p.flag("output") {
            Some("yaml") => Output { stdout: yaml::to_yaml(&value), ..Default::default() },
            Some("json") => Output { stdout: json::to_json(&value), ..Default::default() },
            _ => Output { stdout: format!("pod/{name} created (dry run)\n"), ..Default::default() },
        };
    }
    match sim.create_object(Object::Pod(pod)) {
        crate::sim::Applied::Created(_) => Output { stdout: format!("pod/{name} created\n"), ..Default::default() },
        crate::sim::Applied::Unchanged(_) | crate::sim::Applied::Configured(_) => {
            Output::error(format!("Error from server (AlreadyExists): pods \"{name}\" already exists"))
        }
        // kubectl prints an Invalid status as its bare message.
        crate::sim::Applied::Rejected(e) if e.reason == "Invalid" => Output::error(e.message),
        crate::sim::Applied::Rejected(e) => Output::error(e.to_string()),
        crate::sim::Applied::Invalid(e) => Output::error(format!("error: {}", e.message)),
    }
}

const SCALE_FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "replicas", short: None, takes_value: true },
];

/// The `group` part kubectl prints in `<resource>.<group>/<name>` (`deployment.apps/web`).
pub fn qualified(kind: Kind) -> String {
    let group = kind.api_version().rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    if group.is_empty() {
        kind.name().to_lowercase()
    } else {
        format!("{}.{group}", kind.name().to_lowercase())
    }
}

/// `kubectl scale TYPE NAME --replicas=N`.
fn scale(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, SCALE_FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(replicas) = p.flag("replicas") else {
        return Output::error("error: required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = replicas.parse::<i32>() else {
        return Output::error(format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": invalid syntax"));
    };
    if replicas < 0 {
        return Output::error(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    let (kind_word, names) = type_and_names(&p.positional);
    let Some(kind) = resolve_kind(&kind_word) else {
        return Output::error(format!("error: the server doesn't have a resource type \"{kind_word}\""));
    };
    if !matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::ReplicationController) {
        return Output::error(format!("error: cannot scale {}", kind.resource()));
    }
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let mut out = Output::default();
    for name in names {
        let key = ObjectKey::new(kind, &ns, &name);
        match sim.scale(&key, replicas) {
            Ok(()) => out.stdout.push_str(&format!("{}/{name} scaled\n", qualified(kind))),
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
fn logs(sim: &Simulation, words: &[String]) -> Output {
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

/// `kubectl apply -f` / `kubectl create -f` of a text the caller read (the engine does no IO):
/// one line per document, as kubectl prints them (`pod/x created`,
/// `deployment.apps/web configured`, `... unchanged`), errors naming the file.
pub fn apply_text(sim: &mut Simulation, text: &str, file: &str, create: bool) -> Output {
    let mut out = Output::default();
    for r in sim.apply_text(text) {
        match r {
            crate::sim::Applied::Created(k) => {
                out.stdout.push_str(&format!("{}/{} created\n", qualified(k.kind), k.name))
            }
            crate::sim::Applied::Configured(k) | crate::sim::Applied::Unchanged(k) if create => {
                out.stderr.push_str(&format!(
                    "Error from server (AlreadyExists): error when creating \"{file}\": {} \"{}\" already exists\n",
                    k.kind.resource(),
                    k.name
                ));
                out.exit_code = 1;
            }
            crate::sim::Applied::Configured(k) => {
                out.stdout.push_str(&format!("{}/{} configured\n", qualified(k.kind), k.name))
            }
            crate::sim::Applied::Unchanged(k) => {
                out.stdout.push_str(&format!("{}/{} unchanged\n", qualified(k.kind), k.name))
            }
            crate::sim::Applied::Rejected(e) if e.reason == "Invalid" => {
                out.stderr.push_str(&format!("{}\n", e.message));
                out.exit_code = 1;
            }
            crate::sim::Applied::Rejected(e) => {
                let verb = if create { "creating" } else { "applying" };
                out.stderr.push_str(&format!(
                    "Error from server ({}): error when {verb} \"{file}\": {}\n",
                    e.reason, e.message
                ));
                out.exit_code = 1;
            }
            crate::sim::Applied::Invalid(e) => {
                out.stderr.push_str(&format!("error: {file}: {e}\n"));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// Resolves a resource name or alias as kubectl's RESTMapper does for the kinds we have.
pub fn resolve_kind(word: &str) -> Option<Kind> {
    Some(match word.to_ascii_lowercase().as_str() {
        "pods" | "pod" | "po" => Kind::Pod,
        "nodes" | "node" | "no" => Kind::Node,
        "events" | "event" | "ev" => Kind::Event,
        "namespaces" | "namespace" | "ns" => Kind::Namespace,
        "services" | "service" | "svc" => Kind::Service,
        "endpoints" | "ep" => Kind::Endpoints,
        "endpointslices" | "endpointslice" | "endpointslices.discovery.k8s.io" => Kind::EndpointSlice,
        "deployments" | "deployment" | "deploy" | "deployments.apps" => Kind::Deployment,
        "replicasets" | "replicaset" | "rs" | "replicasets.apps" => Kind::ReplicaSet,
        "replicationcontrollers" | "replicationcontroller" | "rc" => Kind::ReplicationController,
        "jobs" | "job" | "jobs.batch" => Kind::Job,
        _ => return None,
    })
}

fn now_of(sim: &Simulation) -> Now {
    Now { epoch: sim.store().epoch(), at: sim.now() }
}

fn not_found(kind: Kind, name: &str) -> String {
    format!("Error from server (NotFound): {} \"{}\" not found\n", kind.resource(), name)
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

fn get(sim: &Simulation, words: &[String]) -> Output {
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
    let selector = match p.flag("selector").map(crate::selector::parse) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Output::error(format!("error: {e}")),
    };
    // An empty --field-selector selects everything (cli-runtime FieldSelectorParam).
    let field_text = p.flag("field-selector").map(str::trim).filter(|f| !f.is_empty());
    if (selector.is_some() || field_text.is_some()) && targets.iter().any(|(_, names)| !names.is_empty()) {
        return Output::error("error: name cannot be provided when a selector is specified");
    }
    let mut field_selectors = Vec::new();
    if let Some(text) = field_text {
        for (kind, _) in &targets {
            match field_selector::parse(text, *kind) {
                Ok(f) => field_selectors.push(f),
                Err(e) => {
                    let labels = p.flag("selector").unwrap_or("");
                    return Output::error(field_selector::list_error(*kind, labels, text, &e));
                }
            }
        }
    }
    let store = sim.store();
    let now = now_of(sim);
    let mut stderr = String::new();
    let mut groups: Vec<(Kind, Vec<&Object>)> = Vec::new();
    let mut named = 0;
    for (kind, names) in &targets {
        named += names.len();
        let mut objects = select(store, *kind, names, &ns, all_ns, &mut stderr);
        if let Some(sel) = &selector {
            objects.retain(|o| sel.matches(o.meta().labels.as_ref()));
        }
        if let Some(fields) = field_selectors.get(groups.len()) {
            objects.retain(|o| fields.matches(o));
        }
        groups.push((*kind, objects));
    }
    let total: usize = groups.iter().map(|(_, o)| o.len()).sum();
    let mut stdout = String::new();
    let mut watch = None;
    match output {
        "name" => {
            for (kind, objects) in &groups {
                for o in objects {
                    stdout.push_str(&format!("{}/{}\n", qualified(*kind), o.name()));
                }
            }
        }
        "json" | "yaml" => {
            // One named object prints as itself; anything else as a List (get.go printGeneric).
            let single = named == 1 && targets.len() == 1;
            let items: Vec<serde_json::Value> =
                groups.iter().flat_map(|(_, objects)| objects.iter().map(|o| json::api_value(o))).collect();
            let value = if single { items.into_iter().next() } else { Some(json::list_value(items)) };
            if let Some(value) = value {
                stdout = if output == "json" { json::to_json(&value) } else { yaml::to_yaml(&value) };
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
                let mut t = if p.has("watch") {
                    // kubectl streams one resource type; later rows keep these column widths.
                    let mut w = Watch {
                        kind: Some(*kind),
                        namespace: (kind.namespaced() && !all_ns).then(|| ns.clone()),
                        names: targets.first().map(|(_, n)| n.clone()).unwrap_or_default(),
                        wide: output == "wide",
                        with_ns: all_ns && kind.namespaced(),
                        cursor: store.log().len(),
                        widths: Vec::new(),
                        fields: field_selectors.first().cloned(),
                        rollout: None,
                    };
                    let t = tabwriter::render_remembering(&table_rows(*kind, objects, now, &opts), &mut w.widths);
                    watch = Some(w);
                    t
                } else {
                    table(*kind, objects, now, &opts)
                };
                if p.has("no-headers") {
                    t = t.split_once('\n').map(|(_, rest)| rest.to_string()).unwrap_or_default();
                }
                stdout.push_str(&t);
                printed = true;
            }
            if p.has("watch") && watch.is_none() {
                // Nothing to list yet: the watch still streams what appears.
                if let Some((kind, names)) = targets.first() {
                    watch = Some(Watch {
                        kind: Some(*kind),
                        namespace: (kind.namespaced() && !all_ns).then(|| ns.clone()),
                        names: names.clone(),
                        wide: output == "wide",
                        with_ns: all_ns && kind.namespaced(),
                        cursor: store.log().len(),
                        widths: Vec::new(),
                        fields: field_selectors.first().cloned(),
                        rollout: None,
                    });
                }
            }
            if total == 0 && stderr.is_empty() && !p.has("watch") {
                let namespaced = targets.iter().all(|(k, _)| k.namespaced());
                stderr = if namespaced && !all_ns {
                    format!("No resources found in {ns} namespace.\n")
                } else {
                    "No resources found\n".into()
                };
            }
        }
    }
    if targets.iter().any(|(k, _)| *k == Kind::Endpoints) {
        // The apiserver's deprecation warning, which kubectl prints first (v1.33+).
        stderr.insert_str(0, "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
    }
    let exit_code = if stderr.contains("Error from server") { 1 } else { 0 };
    Output { stdout, stderr, exit_code, watch }
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
    tabwriter::render(&table_rows(kind, objects, now, opts))
}

fn table_rows(kind: Kind, objects: &[&Object], now: Now, opts: &TableOptions) -> Vec<Vec<String>> {
    let headers: &[&str] = match (kind, opts.wide) {
        (Kind::Pod, false) => printers::POD_HEADERS,
        (Kind::Pod, true) => {
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
        }
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
        (Kind::Service, false) => printers::SERVICE_HEADERS,
        (Kind::Service, true) => &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"],
        (Kind::Endpoints, _) => printers::ENDPOINTS_HEADERS,
        (Kind::EndpointSlice, _) => printers::ENDPOINT_SLICE_HEADERS,
        (Kind::Deployment, false) => printers::DEPLOYMENT_HEADERS,
        (Kind::Deployment, true) => {
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
        }
        (Kind::ReplicaSet | Kind::ReplicationController, false) => printers::REPLICASET_HEADERS,
        (Kind::ReplicaSet | Kind::ReplicationController, true) => {
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
        }
        (Kind::Job, false) => printers::JOB_HEADERS,
        (Kind::Job, true) => printers::JOB_WIDE_HEADERS,
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
                n.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Active".into()),
                now.since(o.meta().creation_timestamp.as_ref()),
            ],
            Object::Service(svc) => printers::service_row(svc, now, opts.wide),
            Object::Endpoints(ep) => printers::endpoints_row(ep, now),
            Object::EndpointSlice(es) => printers::endpoint_slice_row(es, now),
            Object::Deployment(d) => printers::deployment_row(d, now, opts.wide),
            Object::ReplicaSet(rs) => printers::replicaset_row(rs, now, opts.wide),
            Object::ReplicationController(rc) => printers::rc_row(rc, now, opts.wide),
            Object::Job(j) => printers::job_row(j, now, opts.wide),
        };
        if opts.with_kind {
            // decorateTable prefixes the column with format "name"; for events that is the
            // NAME column, shown only with -o wide.
            let name_col = match kind {
                Kind::Event => opts.wide.then_some(9),
                _ => Some(0),
            };
            if let Some(cell) = name_col.and_then(|i| cells.get_mut(i)) {
                *cell = format!("{}/{}", qualified(kind), cell);
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
            row.push(if pairs.is_empty() { "<none>".into() } else { pairs.join(",") });
        }
        rows.push(row.iter().map(|c| table_cell(c)).collect());
    }
    rows
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
            let mut out: Vec<&Event> = all.iter().copied().filter(|e| matches(e, Some("Node"), "", &uid)).collect();
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
                        && !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
                })
                .collect();
            describe::describe_node(n, &pods, events, now)
        }
        Object::Namespace(n) => describe::describe_namespace(n),
        Object::Service(svc) => {
            let slices: Vec<&k8s_openapi::api::discovery::v1::EndpointSlice> = store
                .list(Kind::EndpointSlice, Some(obj.namespace()))
                .filter_map(|o| match o {
                    Object::EndpointSlice(s) => Some(s),
                    _ => None,
                })
                .filter(|s| {
                    s.metadata.labels.as_ref().and_then(|l| l.get("kubernetes.io/service-name")).map(String::as_str)
                        == Some(obj.name())
                })
                .collect();
            describe::describe_service(svc, &slices, events, now)
        }
        Object::Deployment(d) => {
            let (old, new) = rollout::deployment_replica_sets(store, d);
            describe::describe_deployment(d, &old, new, events, now)
        }
        Object::Job(j) => describe::describe_job(j, events, now),
        Object::Event(_)
        | Object::Endpoints(_)
        | Object::EndpointSlice(_)
        | Object::ReplicaSet(_)
        | Object::ReplicationController(_) => describe::describe_generic(&json::api_value(obj), events, now),
    }
}

fn describe(sim: &Simulation, words: &[String]) -> Output {
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
        let matching: Vec<&Object> =
            store.list(*kind, filter).filter(|o| o.name().starts_with(prefix.as_str())).collect();
        if !matching.is_empty() {
            for o in matching {
                stdout.push_str(&describe_object(store, o, now, show_events));
                stdout.push('\n');
            }
            return Output { stdout, ..Default::default() };
        }
    }
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            stdout.push_str("\n\n");
        }
        stdout.push_str(&describe_object(store, o, now, show_events));
    }
    if objects.is_empty() && errors.is_empty() {
        errors =
            if all_ns { "No resources found\n".into() } else { format!("No resources found in {ns} namespace.\n") };
        return Output { stdout, stderr: errors, exit_code: 0, watch: None };
    }
    let exit_code = if errors.is_empty() { 0 } else { 1 };
    Output { stdout, stderr: errors, exit_code, watch: None }
}

/// What the kubectl tests share: a small cluster with manifests applied, and one command's result.
#[cfg(test)]
pub(crate) mod testing {
    use crate::cluster::default_nodes;
    use crate::sim::{Config, Simulation};

    /// `nodes` worker nodes (and the control plane), `manifests` applied, `settle_ms` of virtual
    /// time played (pods scheduled, pulled, started).
    pub fn cluster(nodes: usize, manifests: &str, settle_ms: u64) -> Simulation {
        let mut sim = Simulation::new(Config { nodes: default_nodes(nodes), ..Config::default() });
        sim.apply_text(manifests);
        sim.advance_by(settle_ms);
        sim
    }

    /// One kubectl line: stdout, stderr, exit code.
    pub fn line(sim: &mut Simulation, l: &str) -> (String, String, i32) {
        let o = super::run(sim, l);
        (o.stdout, o.stderr, o.exit_code)
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
        let mut sim = Simulation::new(Config { nodes: default_nodes(1), ..Config::default() });
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
        assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", "No resources found in default namespace.\n"));
        let o = run(&mut sim, "get pods -A");
        assert_eq!(o.stderr, "No resources found\n");
        // Generic printers print an empty List, and nothing for -o name, with no message.
        let o = run(&mut sim, "get pods -o yaml");
        assert_eq!(
            (o.stdout.as_str(), o.stderr.as_str()),
            ("apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n", "")
        );
        let o = run(&mut sim, "get pods -o json");
        assert_eq!(
            o.stdout,
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
        let o = run(&mut sim, "get pods -o name");
        assert_eq!((o.stdout.as_str(), o.stderr.as_str(), o.exit_code), ("", "", 0));
        let o = run(&mut sim, "describe pods");
        assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", "No resources found in default namespace.\n"));
    }

    #[test]
    fn names_for_every_kind() {
        let mut sim = sim_with(&[("a", "{app: x}"), ("b", "{}")]);
        assert_eq!(run(&mut sim, "get pods -o name").stdout, "pod/a\npod/b\n");
        assert_eq!(run(&mut sim, "get no -o name").stdout, "node/k8s-master\nnode/k8s-worker1\n");
        assert_eq!(run(&mut sim, "get po/b -o name").stdout, "pod/b\n");
        assert_eq!(run(&mut sim, "get pods,nodes -o name").stdout, "pod/a\npod/b\nnode/k8s-master\nnode/k8s-worker1\n");
        let events = run(&mut sim, "get events -o name").stdout;
        assert!(
            !events.is_empty() && events.lines().all(|l| l.starts_with("event/a.") || l.starts_with("event/b.")),
            "{events}"
        );
    }

    #[test]
    fn label_columns_and_show_labels() {
        let mut sim = sim_with(&[("a", "{app: web, tier: fe}"), ("b", "{}")]);
        let out = run(&mut sim, "get pods -L app,example.com/tier -L tier --show-labels").stdout;
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some("NAME   READY   STATUS    RESTARTS   AGE   APP   TIER   TIER   LABELS"));
        assert_eq!(lines.next(), Some("a      1/1     Running   0          20s   web          fe     app=web,tier=fe"));
        assert_eq!(lines.next(), Some("b      1/1     Running   0          20s                       <none>"));
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
        assert!(two.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n"), "{two}");
        assert!(two.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"), "{two}");
        let missing = run(&mut sim, "get pod a nope -o yaml");
        assert!(missing.stdout.starts_with("apiVersion: v1\nitems:\n"));
        assert_eq!(missing.stderr, "Error from server (NotFound): pods \"nope\" not found\n");
        assert_eq!(missing.exit_code, 1);
        let json = run(&mut sim, "get pod a -o json").stdout;
        assert!(json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n"), "{json}");
        assert!(json.contains("\"lastProbeTime\": null"), "{json}");
        assert!(json.contains("\"resources\": {}"), "{json}");
    }

    #[test]
    fn describe_separators_prefixes_and_errors() {
        let mut sim = sim_with(&[("web-1", "{}"), ("web-2", "{}"), ("db", "{}")]);
        let one = run(&mut sim, "describe pod web-1").stdout;
        assert!(one.starts_with("Name:             web-1\nNamespace:        default\n"), "{one}");
        assert!(one.ends_with("\n"));
        // Two objects: the second follows two newlines.
        let two = run(&mut sim, "describe pod web-1 web-2").stdout;
        let second = run(&mut sim, "describe pod/web-2").stdout;
        assert_eq!(two, format!("{one}\n\n{second}"));
        // A name that matches nothing describes every pod it prefixes, each followed by "\n".
        let prefixed = run(&mut sim, "describe pod web").stdout;
        assert_eq!(prefixed, format!("{one}\n{second}\n"));
        let missing = run(&mut sim, "describe pod nope");
        assert_eq!(missing.stderr, "Error from server (NotFound): pods \"nope\" not found\n");
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
        assert!(run(&mut sim, "describe pod db").stdout.contains("\nEvents:\n  Type    Reason"));
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
        assert!(master.contains("Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n"), "{master}");
        assert!(master.contains("Roles:              control-plane\n"), "{master}");
    }

    #[test]
    fn describe_event_and_namespace_kinds() {
        let mut sim = sim_with(&[("a", "{}")]);
        let ev = run(&mut sim, "get events -o name").stdout;
        let name = ev.lines().next().unwrap_or("").trim_start_matches("event/").to_string();
        let out = run(&mut sim, &format!("describe event {name}")).stdout;
        assert!(out.starts_with(&format!("Name:             {name}\nNamespace:        default\n")), "{out}");
        assert!(out.contains("\nInvolved Object:\n  API Version:"), "{out}");
        assert!(out.contains("\nEvent Time:       <nil>\n"), "{out}");
        assert!(out.ends_with("Events:       <none>\n") || out.contains("\nEvents:"), "{out}");
    }

    #[test]
    fn get_events_columns() {
        let mut sim = sim_with(&[("a", "{}")]);
        let out = run(&mut sim, "get events").stdout;
        assert!(out.starts_with("LAST SEEN   TYPE     REASON      OBJECT   MESSAGE\n"), "{out}");
        let wide = run(&mut sim, "get ev -o wide").stdout;
        let header = wide.lines().next().unwrap_or("");
        let cols: Vec<&str> = header.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        assert_eq!(
            cols,
            ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]
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
            "rollout",
            "rollout status",
            "rollout history deploy/",
            "rollout undo deploy/nope --to-revision=x",
            "rollout bogus pod/a",
            "rollout status pod/a",
            "explain",
            "explain pods.",
            "explain .",
            "explain pods.spec.containers.name.x",
            "explain deploy --recursive",
        ] {
            let _ = run(&mut sim, line);
        }
    }
}
