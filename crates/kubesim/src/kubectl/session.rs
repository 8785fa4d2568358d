//! One terminal on the learner's machine: what outlives a single command line. Both the CLI's
//! `-c` lines and the page's terminal run their lines through a [`Session`].
//!
//! It holds the `kubectl port-forward`s started in it. A real port-forward blocks its terminal
//! until Ctrl-C, so a learner runs it in a second terminal or with `&`; here it always runs as a
//! background job of the session: it prints its `Forwarding from ...` lines and keeps listening
//! while later lines run. `curl` and `wget` on the same session then reach the forwarded pod
//! through its own localhost (the kubelet's port-forward), and the forward notes each
//! connection (`Handling connection for 8080`), as its output would interleave in that terminal.
//! Other programs of the machine are not simulated.

use std::collections::BTreeMap;

use super::args::{self, FlagSpec};
use super::Output;
use crate::api::{Kind, Object, ObjectKey};
use crate::runtime::shell::{self, External, Fs, Host};
use crate::sim::Simulation;

/// One running `kubectl port-forward`: a local port forwarded to a pod's port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    pub local: u16,
    pub pod: ObjectKey,
    pub remote: u16,
}

/// A terminal session: its port-forwards and the files its `wget`/`curl -o` wrote.
#[derive(Clone, Debug, Default)]
pub struct Session {
    forwards: Vec<Forward>,
    fs: Fs,
}

/// Programs a learner might type that this terminal does not have (besides kubectl, curl and
/// wget), to answer with a clear message rather than kubectl's "unknown command".
const NOT_HERE: &[&str] = &[
    "sh", "bash", "ls", "cat", "echo", "cd", "pwd", "ping", "nc", "telnet", "ssh", "docker", "minikube", "kind",
    "grep", "vi", "vim", "nano", "nslookup", "dig", "http", "watch", "sudo", "export", "kubeadm", "helm", "jobs",
    "kill",
];

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    /// The port-forwards running in this session.
    pub fn forwards(&self) -> &[Forward] {
        &self.forwards
    }

    /// Whether `line` runs a program of the learner's machine (curl, wget) rather than kubectl:
    /// the page echoes such lines without its `kubectl` prompt.
    pub fn is_shell_line(line: &str) -> bool {
        matches!(line.split_whitespace().next(), Some("curl" | "wget"))
    }

    /// Runs one line: kubectl (with or without the word), `curl`, or `wget`.
    pub fn run(&mut self, sim: &mut Simulation, line: &str) -> Output {
        let words = match args::split_words(line) {
            Ok(w) => w,
            Err(e) => return Output::error(format!("error: {e}")),
        };
        let explicit = words.first().is_some_and(|w| w == "kubectl");
        let rest: &[String] = if explicit { &words[1..] } else { &words };
        match rest.first().map(String::as_str) {
            Some("port-forward") => self.port_forward(sim, &rest[1..]),
            Some(prog @ ("curl" | "wget")) if !explicit => self.workstation(sim, prog, &words),
            Some(prog) if !explicit && NOT_HERE.contains(&prog) => Output::error(format!(
                "error: this terminal runs kubectl, curl and wget; {prog:?} is not available here"
            )),
            _ => super::run(sim, line),
        }
    }

    /// `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...`
    /// (k8s.io/kubectl/pkg/cmd/portforward/portforward.go, client-go's portforward.go).
    fn port_forward(&mut self, sim: &mut Simulation, words: &[String]) -> Output {
        const FLAGS: &[FlagSpec] = &[
            FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
            FlagSpec { long: "address", short: None, takes_value: true },
            FlagSpec { long: "pod-running-timeout", short: None, takes_value: true },
        ];
        // A trailing `&` (run in the background) is what this session does anyway.
        let words: Vec<String> = words.iter().filter(|w| *w != "&").cloned().collect();
        let p = match args::parse(&words, FLAGS) {
            Ok(p) => p,
            Err(e) => return Output::error(format!("error: {e}")),
        };
        if p.positional.len() < 2 {
            return Output::error(
                "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples",
            );
        }
        if p.flag("address").is_some_and(|a| !matches!(a, "localhost" | "127.0.0.1")) {
            return Output::error("error: only --address localhost is available in this terminal");
        }
        let ns = p.flag("namespace").unwrap_or("default").to_string();
        let target = &p.positional[0];
        let (kind_word, name) = target.split_once('/').unwrap_or(("pods", target));
        let Some(kind) = super::resolve_kind(kind_word) else {
            return Output::error(format!("error: the server doesn't have a resource type \"{kind_word}\""));
        };
        let key = ObjectKey::new(kind, &ns, name);
        let Some(obj) = sim.store().get(&key).cloned() else {
            return Output::error(super::not_found(kind, name));
        };
        let pod = match forwardable_pod(sim, &obj) {
            Ok(p) => p,
            Err(e) => return Output::error(e),
        };
        let phase = pod.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
        let mut pairs = Vec::new();
        for spec in &p.positional[1..] {
            let (local, remote) = spec.split_once(':').unwrap_or((spec, spec));
            let remote = match resolve_remote(&obj, &pod, remote) {
                Ok(r) => r,
                Err(e) => return Output::error(format!("error: {e}")),
            };
            let local = if local.is_empty() {
                None
            } else {
                match local.parse::<u16>() {
                    Ok(l) => Some(l),
                    Err(_) => return Output::error(format!("error: Error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": invalid syntax")),
                }
            };
            pairs.push((local, remote));
        }
        if phase != "Running" {
            return Output::error(format!(
                "error: unable to forward port because pod is not running. Current status={phase}"
            ));
        }
        let pod_key = ObjectKey::new(Kind::Pod, &ns, pod.metadata.name.as_deref().unwrap_or(""));
        self.drop_lost(sim);
        let mut out = Output::default();
        for (local, remote) in pairs {
            let local = match local {
                Some(l) if self.forwards.iter().any(|f| f.local == l) => {
                    out.stderr.push_str(&format!(
                        "Unable to listen on port {l}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{l}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{l}: bind: address already in use]\nerror: unable to listen on any of the requested ports: [{{{l} {remote}}}]\n"
                    ));
                    out.exit_code = 1;
                    return out;
                }
                Some(l) => l,
                None => self.free_port(&pod_key, remote),
            };
            out.stdout.push_str(&format!("Forwarding from 127.0.0.1:{local} -> {remote}\n"));
            out.stdout.push_str(&format!("Forwarding from [::1]:{local} -> {remote}\n"));
            self.forwards.push(Forward { local, pod: pod_key.clone(), remote });
        }
        out
    }

    /// A local port the OS would pick for `:REMOTE`: deterministic here, from the ephemeral range.
    fn free_port(&self, pod: &ObjectKey, remote: u16) -> u16 {
        let h = pod
            .name
            .bytes()
            .chain(remote.to_be_bytes())
            .fold(0x811c9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x01000193));
        let mut port = 32768 + (h % 28000) as u16;
        while self.forwards.iter().any(|f| f.local == port) {
            port = if port >= 60999 { 32768 } else { port + 1 };
        }
        port
    }

    /// Forwards whose pod is gone or stopped running end, as `kubectl port-forward` exits
    /// with "lost connection to pod"; returns what those processes printed.
    fn drop_lost(&mut self, sim: &Simulation) -> String {
        let mut said = String::new();
        self.forwards.retain(|f| {
            let running = sim.store().get(&f.pod).and_then(Object::as_pod).is_some_and(|p| {
                p.metadata.deletion_timestamp.is_none()
                    && p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
            });
            if !running && !said.contains("lost connection") {
                said.push_str("error: lost connection to pod\n");
            }
            running
        });
        said
    }

    /// `curl` / `wget` on the learner's machine: localhost reaches the session's forwards.
    fn workstation(&mut self, sim: &mut Simulation, _prog: &str, argv: &[String]) -> Output {
        let lost = self.drop_lost(sim);
        let now = sim.now();
        let mut host = Workstation { sim, forwards: &self.forwards, notes: String::new(), errors: String::new() };
        let env: BTreeMap<String, String> =
            [("HOME".to_string(), "/root".to_string()), ("PATH".to_string(), "/usr/bin:/bin".to_string())].into();
        let r = shell::exec_at(argv, &env, now, &mut self.fs, &mut host, 10 * crate::time::SECOND);
        let mut out = Output { exit_code: r.status, ..Default::default() };
        // The port-forward's own lines come first: it prints as the connection arrives.
        out.stdout.push_str(&lost);
        out.stdout.push_str(&host.notes);
        out.stdout.push_str(&r.stdout);
        out.stderr.push_str(&host.errors);
        out.stderr.push_str(&r.stderr);
        out
    }
}

/// The pod a port-forward attaches to: the pod itself, or the first active pod of a Service,
/// Deployment, ReplicaSet or ReplicationController (polymorphichelpers.AttachablePodForObject).
fn forwardable_pod(sim: &Simulation, obj: &Object) -> Result<k8s_openapi::api::core::v1::Pod, String> {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
    let selector: LabelSelector = match obj {
        Object::Pod(p) => return Ok(p.clone()),
        Object::Service(s) => {
            let sel = s.spec.as_ref().and_then(|sp| sp.selector.clone()).filter(|m| !m.is_empty());
            let Some(sel) = sel else {
                return Err(format!(
                    "error: cannot attach to *v1.Service: invalid service '{}': Service is defined without a selector",
                    obj.name()
                ));
            };
            LabelSelector { match_labels: Some(sel), match_expressions: None }
        }
        Object::Deployment(d) => d.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default(),
        Object::ReplicaSet(r) => r.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default(),
        Object::ReplicationController(r) => {
            LabelSelector { match_labels: r.spec.as_ref().and_then(|s| s.selector.clone()), match_expressions: None }
        }
        other => {
            return Err(format!(
                "error: cannot attach to *v1.{}: selector for {} not implemented",
                other.kind().name(),
                other.kind().name()
            ))
        }
    };
    // podutils.ActivePods, reversed: running and ready pods first, then the newest.
    let mut pods: Vec<&k8s_openapi::api::core::v1::Pod> = sim
        .store()
        .list(Kind::Pod, Some(obj.namespace()))
        .filter_map(Object::as_pod)
        .filter(|p| crate::validation::labels::selector_matches(Some(&selector), p.metadata.labels.as_ref()))
        .collect();
    let rank = |p: &k8s_openapi::api::core::v1::Pod| {
        let phase = p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
        let ready = p
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .any(|c| c.type_ == "Ready" && c.status == "True");
        (phase == "Running", ready, p.metadata.deletion_timestamp.is_none())
    };
    crate::sorting::sort_by_key(&mut pods, |p| std::cmp::Reverse(rank(p)));
    pods.first().map(|p| (*p).clone()).ok_or_else(|| "error: timed out waiting for the condition".to_string())
}

/// The pod port a `REMOTE` spec means: a number, a container port name, or (through a Service)
/// the target port of that service port (portforward.go translateServicePortToTargetPort).
fn resolve_remote(obj: &Object, pod: &k8s_openapi::api::core::v1::Pod, remote: &str) -> Result<u16, String> {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    if remote.is_empty() {
        return Err("remote port cannot be empty".into());
    }
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let by_name = |name: &str| -> Result<u16, String> {
        pod.spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .flat_map(|c| c.ports.iter().flatten())
            .find(|p| p.name.as_deref() == Some(name))
            .map(|p| p.container_port.clamp(0, 65535) as u16)
            .ok_or_else(|| format!("Pod '{pod_name}' does not have a named port '{name}'"))
    };
    let Object::Service(svc) = obj else {
        return match remote.parse::<u16>() {
            Ok(n) => Ok(n),
            Err(_) => by_name(remote),
        };
    };
    let spec = svc.spec.clone().unwrap_or_default();
    let svc_name = obj.name();
    let ports = spec.ports.unwrap_or_default();
    let port = match remote.parse::<i32>() {
        Ok(n) => n,
        Err(_) => ports
            .iter()
            .find(|p| p.name.as_deref() == Some(remote))
            .map(|p| p.port)
            .ok_or_else(|| format!("Service '{svc_name}' does not have a named port '{remote}'"))?,
    };
    let Some(sp) = ports.iter().find(|p| p.port == port) else {
        return Err(format!("Service {svc_name} does not have a service port {port}"));
    };
    if spec.cluster_ip.as_deref() == Some("None") {
        return Ok(port.clamp(0, 65535) as u16);
    }
    match &sp.target_port {
        None | Some(IntOrString::Int(0)) => Ok(sp.port.clamp(0, 65535) as u16),
        Some(IntOrString::Int(n)) => Ok((*n).clamp(0, 65535) as u16),
        Some(IntOrString::String(name)) => by_name(name),
    }
}

/// The learner's machine as curl and wget see it: localhost, and the session's forwards there.
/// Cluster names and addresses are not reachable from it.
struct Workstation<'a> {
    sim: &'a mut Simulation,
    forwards: &'a [Forward],
    /// What the port-forwards printed while the command ran (stdout, and their errors).
    notes: String,
    errors: String,
}

impl Host for Workstation<'_> {
    fn lookup(&mut self, name: &str) -> Option<String> {
        if name == "localhost" {
            return Some("127.0.0.1".into());
        }
        name.parse::<std::net::Ipv4Addr>().is_ok().then(|| name.to_string())
    }

    fn http_get(&mut self, host: &str, port: u16, path: &str) -> Result<(u16, String), String> {
        if !matches!(host, "127.0.0.1" | "localhost" | "::1") {
            return Err("Connection timed out".into());
        }
        let Some(f) = self.forwards.iter().find(|f| f.local == port) else {
            return Err("Connection refused".into());
        };
        self.notes.push_str(&format!("Handling connection for {port}\n"));
        match self.sim.port_forward_http(&f.pod, f.remote, path) {
            Ok(r) => Ok(r),
            Err(_) => {
                // The pod side refused: the forward logs it and closes the connection.
                self.errors.push_str(&format!(
                    "error: an error occurred forwarding {port} -> {}: error forwarding port {} to pod {}: connect: connection refused\n",
                    f.remote, f.remote, f.pod.name
                ));
                Err(shell::EMPTY_REPLY.into())
            }
        }
    }

    fn external(&mut self, _argv: &[String]) -> External {
        External::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Simulation {
        crate::kubectl::testing::cluster(
            1,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - {name: http, containerPort: 80}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - {port: 8000, targetPort: http}\n",
            15_000,
        )
    }

    #[test]
    fn port_forward_then_curl_reaches_the_pod() {
        let mut sim = sim();
        let mut s = Session::new();
        let o = s.run(&mut sim, "kubectl port-forward pod/web 8080:80");
        assert_eq!(o.stdout, "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n");
        let o = s.run(&mut sim, "curl localhost:8080");
        assert!(o.stdout.starts_with("Handling connection for 8080\n<!DOCTYPE html>"), "{o:?}");
        assert!(o.stdout.contains("Welcome to nginx!"), "{o:?}");
        let o = s.run(&mut sim, "wget -qO- http://127.0.0.1:8080/");
        assert!(o.stdout.contains("Welcome to nginx!"), "{o:?}");
        // Nothing listens on 9090; the pod's port 81 is closed.
        let o = s.run(&mut sim, "curl localhost:9090");
        assert_eq!(
            (o.stderr.as_str(), o.exit_code),
            ("curl: (7) Failed to connect to localhost port 9090 after 0 ms: Connection refused\n", 7)
        );
        s.run(&mut sim, "port-forward web 8081:81");
        let o = s.run(&mut sim, "curl -s localhost:8081");
        assert_eq!(o.exit_code, 52, "{o:?}");
        // The same local port twice.
        let o = s.run(&mut sim, "port-forward web 8080:80");
        assert!(o.stderr.starts_with("Unable to listen on port 8080:"), "{o:?}");
        assert_eq!(s.forwards().len(), 2);
    }

    #[test]
    fn services_and_deployments_forward_to_a_pod_target_port() {
        let mut sim = sim();
        let mut s = Session::new();
        let o = s.run(&mut sim, "port-forward svc/web 9000:8000");
        assert_eq!(o.stdout, "Forwarding from 127.0.0.1:9000 -> 80\nForwarding from [::1]:9000 -> 80\n");
        let o = s.run(&mut sim, "port-forward pod/web :http");
        assert!(o.stdout.starts_with("Forwarding from 127.0.0.1:") && o.stdout.contains(" -> 80\n"), "{o:?}");
        let o = s.run(&mut sim, "port-forward svc/web 8001");
        assert_eq!(o.stderr, "error: Service web does not have a service port 8001\n");
        let o = s.run(&mut sim, "port-forward pod/nope 80");
        assert_eq!(o.stderr, "Error from server (NotFound): pods \"nope\" not found\n");
        let o = s.run(&mut sim, "port-forward pod/web");
        assert!(o.stderr.starts_with("error: TYPE/NAME and list of ports are required for port-forward\n"));
        assert!(s.run(&mut sim, "ls -l").stderr.contains("\"ls\" is not available here"));
        assert_eq!(s.run(&mut sim, "get pods -o name").stdout, "pod/web\n");
    }

    #[test]
    fn a_deleted_pod_ends_its_forward() {
        let mut sim = sim();
        let mut s = Session::new();
        s.run(&mut sim, "port-forward web 8080:80");
        s.run(&mut sim, "delete pod web --grace-period=0 --force");
        let o = s.run(&mut sim, "curl localhost:8080");
        assert_eq!(o.stdout, "error: lost connection to pod\n");
        assert_eq!(o.exit_code, 7);
        assert!(s.forwards().is_empty());
    }
}
