//! One container instance as the runtime runs it: its process (an image's default behaviour or
//! the shell interpreter running `command`/`args`), its filesystem, the ports it listens on, its
//! memory and its log. The kubelet drives it in virtual time.

use std::collections::BTreeMap;

use super::catalog::{self, Behaviour, ImageInfo};
use super::shell::{self, ExecResult, Fs, Host, Poll, Process, Stream};
use crate::time::Millis;

/// A pod's volumes as their containers share them: volume name → (path inside the volume →
/// content). Every container of the pod holds the same handle.
pub type Volumes = std::rc::Rc<std::cell::RefCell<BTreeMap<String, BTreeMap<String, String>>>>;

/// A line of a container's log, with the virtual time it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub at: Millis,
    pub stream: Stream,
    pub text: String,
}

#[derive(Clone, Debug)]
enum Program {
    Shell(Box<Process>),
    /// Serving on ports; `LivenessDemo` remembers when it started.
    Serve {
        ports: Vec<u16>,
        liveness_demo: Option<Millis>,
    },
    /// Waits forever (`sleep infinity`, `tail -f /dev/null`).
    Idle,
    Exited,
}

/// What the kubelet should do next for this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Call `resume` again after this long.
    WakeAfter(Millis),
    /// The process ended with this status (or was OOM-killed: see `oom_killed`).
    Exited(i32),
    /// Runs until stopped; nothing scheduled.
    Running,
}

/// How a process reacts to SIGTERM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTerm {
    /// Exits at once with this status (143 = killed by SIGTERM, 0 = clean shutdown).
    Exit(i32),
    /// PID 1 without a handler ignores it: only SIGKILL at the end of the grace period stops it.
    Ignore,
}

#[derive(Clone, Debug)]
pub struct Container {
    /// (mount path, volume name) of each volume mount.
    mounts: Vec<(String, String)>,
    volumes: Volumes,
    /// The ports the pod spec declares for this container (a server started by the command
    /// listens on them).
    declared_ports: Vec<u16>,
    pub fs: Fs,
    pub env: BTreeMap<String, String>,
    program: Program,
    image: ImageInfo,
    image_name: String,
    memory_limit: Option<u64>,
    pub oom_killed: bool,
    pub logs: Vec<LogLine>,
}

/// Everything a container needs from its pod to start.
pub struct StartSpec<'a> {
    pub image: &'a str,
    pub command: &'a [String],
    pub args: &'a [String],
    pub env: BTreeMap<String, String>,
    pub declared_ports: Vec<u16>,
    pub memory_limit: Option<u64>,
    pub namespace: &'a str,
    /// (mount path, volume name): those directories exist in the container, and what is
    /// written under them is shared with the pod's other containers.
    pub mounts: Vec<(String, String)>,
    pub volumes: Volumes,
}

const MAX_LOG_LINES: usize = 5_000;

impl Container {
    /// Starts the process. `ports_in_use` are ports other containers of the pod already listen on
    /// (they share one network namespace).
    pub fn start(spec: StartSpec, now: Millis, host: &mut dyn Host, ports_in_use: &[u16]) -> (Container, Next) {
        let image = catalog::lookup(spec.image);
        let mut fs = Fs::default();
        // What every pod gets mounted (the service account volume), used by the docs' init example.
        fs.files.insert("/var/run/secrets/kubernetes.io/serviceaccount/namespace".into(), spec.namespace.to_string());
        fs.files.insert("/etc/hostname".into(), spec.env.get("HOSTNAME").cloned().unwrap_or_default());
        fs.dirs.extend(["/tmp", "/etc", "/var", "/var/run", "/usr/share/nginx/html"].map(String::from));
        for (m, _) in &spec.mounts {
            // A mount point and its parents are directories.
            let mut path = String::new();
            for part in m.split('/').filter(|p| !p.is_empty()) {
                path.push('/');
                path.push_str(part);
                fs.dirs.insert(path.clone());
            }
        }
        let argv: Vec<String> = spec.command.iter().chain(spec.args.iter()).cloned().collect();
        let repo = catalog::split_reference(spec.image).0;
        // agnhost (the docs' test image) picks its behaviour from its first argument.
        let agnhost = repo.ends_with("e2e-test-images/agnhost") && spec.command.is_empty();
        let program = if agnhost {
            match spec.args.first().map(String::as_str) {
                Some("liveness") => Program::Serve { ports: vec![8080], liveness_demo: Some(now) },
                Some("serve-hostname") => Program::Serve { ports: vec![9376], liveness_demo: None },
                _ => Program::Serve { ports: vec![8080], liveness_demo: None },
            }
        } else if !spec.command.is_empty() || (!spec.args.is_empty() && image.behaviour == Behaviour::ShellExits) {
            Program::Shell(Box::new(Process::spawn(&argv, &spec.env)))
        } else {
            match image.behaviour {
                Behaviour::Server(ports) => {
                    let mut p: Vec<u16> = ports.to_vec();
                    if p.is_empty() {
                        p = spec.declared_ports.clone();
                    }
                    Program::Serve { ports: p, liveness_demo: None }
                }
                Behaviour::LivenessDemo => Program::Serve { ports: vec![8080], liveness_demo: Some(now) },
                Behaviour::ShellExits => Program::Exited,
                Behaviour::StressUsage if !spec.args.is_empty() => Program::Shell(Box::new(Process::spawn(
                    &std::iter::once("stress".to_string()).chain(spec.args.iter().cloned()).collect::<Vec<_>>(),
                    &spec.env,
                ))),
                Behaviour::StressUsage => Program::Exited,
            }
        };
        let mut c = Container {
            mounts: spec.mounts.clone(),
            volumes: spec.volumes.clone(),
            declared_ports: spec.declared_ports.clone(),
            fs,
            env: spec.env,
            program,
            image,
            image_name: spec.image.to_string(),
            memory_limit: spec.memory_limit,
            oom_killed: false,
            logs: Vec::new(),
        };
        let next = match &c.program {
            Program::Exited if image.behaviour == Behaviour::StressUsage => {
                c.log(now, Stream::Stderr, "stress: FAIL: [1] (244) usage: stress [OPTION [ARG]] ...");
                Next::Exited(1)
            }
            Program::Exited => Next::Exited(0),
            Program::Serve { .. } => c.begin_serving(now, ports_in_use),
            _ => c.resume(now, host, ports_in_use),
        };
        (c, next)
    }

    fn log(&mut self, at: Millis, stream: Stream, text: &str) {
        if self.logs.len() < MAX_LOG_LINES {
            self.logs.push(LogLine { at, stream, text: text.to_string() });
        }
    }

    fn begin_serving(&mut self, now: Millis, ports_in_use: &[u16]) -> Next {
        let Program::Serve { ports, .. } = &self.program else {
            return Next::Running;
        };
        if let Some(p) = ports.iter().find(|p| ports_in_use.contains(p)).copied() {
            // The pod's containers share one network namespace: a second bind fails.
            let line = bind_error(&self.image_name, p);
            self.log(now, Stream::Stderr, &line);
            self.program = Program::Exited;
            return Next::Exited(1);
        }
        for line in startup_lines(&self.image_name) {
            self.log(now, Stream::Stdout, line);
        }
        if self.over_limit() {
            return self.oom();
        }
        Next::Running
    }

    fn over_limit(&self) -> bool {
        self.memory_limit.is_some_and(|l| l > 0 && self.memory_bytes() > l)
    }

    fn oom(&mut self) -> Next {
        self.oom_killed = true;
        self.program = Program::Exited;
        Next::Exited(137)
    }

    /// Runs the process on (at a wake-up it asked for).
    /// Copies the shared volumes into this container's filesystem (before it runs).
    fn load_volumes(&mut self) {
        let vols = self.volumes.borrow();
        for (path, vol) in &self.mounts {
            let prefix = format!("{}/", path.trim_end_matches('/'));
            self.fs.files.retain(|k, _| !k.starts_with(&prefix));
            for (rel, content) in vols.get(vol).into_iter().flatten() {
                self.fs.files.insert(format!("{prefix}{rel}"), content.clone());
            }
        }
    }

    /// Copies what the container wrote under its mounts back to the shared volumes.
    fn save_volumes(&mut self) {
        let mut vols = self.volumes.borrow_mut();
        for (path, vol) in &self.mounts {
            let prefix = format!("{}/", path.trim_end_matches('/'));
            let files: BTreeMap<String, String> = self
                .fs
                .files
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|rel| (rel.to_string(), v.clone())))
                .collect();
            vols.insert(vol.clone(), files);
        }
    }

    /// What a static web server image serves: URL path → content, from its document root
    /// (where a shared volume may be mounted). `None` for images that are not such servers.
    pub fn docroot(&mut self) -> Option<BTreeMap<String, String>> {
        let root = match catalog::split_reference(&self.image_name).0.as_str() {
            "nginx" => "/usr/share/nginx/html",
            "httpd" => "/usr/local/apache2/htdocs",
            _ => return None,
        };
        self.load_volumes();
        let prefix = format!("{root}/");
        Some(
            self.fs
                .files
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|rel| (format!("/{rel}"), v.clone())))
                .collect(),
        )
    }

    pub fn resume(&mut self, now: Millis, host: &mut dyn Host, ports_in_use: &[u16]) -> Next {
        self.load_volumes();
        let next = self.resume_inner(now, host, ports_in_use);
        self.save_volumes();
        next
    }

    fn resume_inner(&mut self, now: Millis, host: &mut dyn Host, ports_in_use: &[u16]) -> Next {
        let Program::Shell(p) = &mut self.program else { return Next::Running };
        let mut out = Vec::new();
        let poll = p.poll(now, &mut self.fs, host, &mut out);
        for (stream, text) in out {
            self.log(now, stream, &text);
        }
        if self.over_limit() {
            return self.oom();
        }
        match poll {
            // A 1 ms yield is the interpreter running out of fuel in a busy loop: such a process
            // only burns CPU, so resume it every 5 virtual seconds rather than every millisecond
            // (each resume costs real time; the page must stay responsive).
            Poll::Sleep(1) => Next::WakeAfter(5_000),
            Poll::Sleep(d) => Next::WakeAfter(d),
            Poll::Exit(code) => {
                self.program = Program::Exited;
                Next::Exited(code)
            }
            Poll::Forever => {
                self.program = Program::Idle;
                Next::Running
            }
            Poll::Serve(ports) => {
                let ports = if ports.is_empty() { self.declared_ports.clone() } else { ports };
                self.program = Program::Serve { ports, liveness_demo: None };
                self.begin_serving(now, ports_in_use)
            }
        }
    }

    pub fn memory_bytes(&self) -> u64 {
        match &self.program {
            Program::Shell(p) => self.image.memory.max(1024 * 1024) + p.memory_bytes(),
            Program::Exited => 0,
            _ => self.image.memory,
        }
    }

    /// When the docs' liveness server started (it fails `/healthz` 10 s later).
    pub fn liveness_demo_start(&self) -> Option<Millis> {
        match &self.program {
            Program::Serve { liveness_demo, .. } => *liveness_demo,
            _ => None,
        }
    }

    /// Ports this process listens on.
    pub fn listening(&self) -> &[u16] {
        match &self.program {
            Program::Serve { ports, .. } => ports,
            _ => &[],
        }
    }

    /// Runs a command inside the container (exec probes, `kubectl exec`, exec hooks).
    pub fn exec(&mut self, argv: &[String], host: &mut dyn Host, timeout: Millis) -> ExecResult {
        self.load_volumes();
        let r = shell::exec(argv, &self.env, &mut self.fs, host, timeout);
        self.save_volumes();
        r
    }

    /// How the process answers SIGTERM.
    pub fn on_term(&self) -> OnTerm {
        match &self.program {
            Program::Exited => OnTerm::Exit(0),
            // A shell or `sleep` as PID 1 has no SIGTERM handler: the kernel ignores the signal.
            Program::Shell(_) | Program::Idle => OnTerm::Ignore,
            Program::Serve { liveness_demo, .. } => match catalog::split_reference(&self.image_name).0.as_str() {
                // Their images set a graceful STOPSIGNAL (QUIT, WINCH) or handle TERM and exit 0.
                "nginx" | "httpd" | "redis" => OnTerm::Exit(0),
                r if r.ends_with("/etcd") => OnTerm::Exit(0),
                // Small Go servers without a handler: the Go runtime exits with status 2.
                _ if liveness_demo.is_some() => OnTerm::Exit(2),
                r if r.ends_with("/goproxy") || r.ends_with("e2e-test-images/agnhost") => OnTerm::Exit(2),
                // Node.js course apps run as PID 1 without a handler.
                r if r.starts_with("kubetm/") || r.starts_with("tmkube/") => OnTerm::Ignore,
                _ => OnTerm::Exit(143),
            },
        }
    }

    pub fn stop(&mut self) {
        self.program = Program::Exited;
    }
}

fn bind_error(image: &str, port: u16) -> String {
    match catalog::split_reference(image).0.as_str() {
        "nginx" => format!("nginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)"),
        "httpd" => format!("(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:{port}"),
        "redis" => {
            format!("# Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use")
        }
        _ => format!("Error: listen EADDRINUSE: address already in use :::{port}"),
    }
}

fn startup_lines(image: &str) -> &'static [&'static str] {
    match catalog::split_reference(image).0.as_str() {
        "nginx" => &[
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
        ],
        "httpd" => &[
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name",
            "Apache/2.4 (Unix) configured -- resuming normal operations",
        ],
        "redis" => &["# Server initialized", "* Ready to accept connections tcp"],
        _ => &[],
    }
}
