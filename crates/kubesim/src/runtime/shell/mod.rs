//! A small POSIX-shell interpreter for container `command`/`args` (`sh -c '...'`), exec probes and
//! `kubectl exec`. It runs in virtual time: `sleep` suspends the process instead of blocking, so
//! one interpreter state can be resumed by the kubelet when its wake-up fires.
//!
//! How it fits together:
//! - `parser` turns a script into a syntax tree (`ast`), busybox `ash` style;
//! - `compile` flattens it into instruction lists with jumps, so a process is only a program
//!   counter plus explicit stacks (`interp::Task`) and can stop at any `sleep`;
//! - `interp` runs instructions, expands words and applies redirections;
//! - `builtins` (the shell's own), `applets`, `net` and `sed` implement the commands (busybox
//!   wording), and anything else goes to [`Host::external`];
//! - [`Process`] schedules the main shell and its background jobs (`cmd &`) in virtual time.
//!
//! Deterministic and sans-IO: no clock (`date` prints the virtual time), no randomness
//! (`$RANDOM` is a fixed-seed generator), no IO besides the [`Fs`] and [`Host`] passed in.
//! Hostile scripts are bounded by [`limits`]: nesting depth, fuel per poll, string and file
//! sizes. Nothing panics on user input.

use std::collections::BTreeMap;

use crate::time::Millis;

mod applets;
mod ast;
mod builtins;
mod compile;
mod fsutil;
mod interp;
pub mod limits;
mod net;
pub use net::EMPTY_REPLY;
mod parser;
mod sed;
#[cfg(test)]
mod tests;
mod text;

use compile::{compile_chunk, Code, Op};
use interp::{Block, Ctx, Task};

/// A container's filesystem: path → file content. Directories are implied by paths, plus the
/// explicit ones in `dirs`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fs {
    pub files: BTreeMap<String, String>,
    pub dirs: std::collections::BTreeSet<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a program outside the shell's builtins turned out to be (the image decides: `nginx` in
/// the nginx image is a server, in busybox it is "not found").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum External {
    /// The program does not exist in the image: `sh: <name>: not found`, status 127.
    NotFound,
    /// The program ran to completion at once with this output and status.
    Done { status: i32, stdout: String, stderr: String },
    /// The program becomes a long-running server listening on these TCP ports (until killed).
    Serve { ports: Vec<u16> },
}

/// The world around a process: cluster DNS, the network, and the image's programs.
pub trait Host {
    /// Cluster DNS: the A record for `name` (a Service name, `svc.ns`, FQDN, pod IP...), or `None`
    /// for NXDOMAIN.
    fn lookup(&mut self, name: &str) -> Option<String>;
    /// An HTTP GET to `host:port` + `path` (host already resolved to an IP or a name the host
    /// resolves itself). `Ok((status, body))`, or `Err(message)` such as "Connection refused".
    fn http_get(&mut self, host: &str, port: u16, path: &str) -> Result<(u16, String), String>;
    /// Resolves a program that is not a shell builtin.
    fn external(&mut self, argv: &[String]) -> External;
}

/// What the process does next, returned by [`Process::poll`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Suspended (in `sleep`): call `poll` again at `now + duration`.
    Sleep(Millis),
    /// The process exited with this status.
    Exit(i32),
    /// The process waits forever (e.g. `tail -f /dev/null`, `sleep infinity`) until killed.
    Forever,
    /// The process became a server on these ports (see [`External::Serve`]); it runs until killed.
    Serve(Vec<u16>),
}

/// The outcome of [`exec`]: what a probe or `kubectl exec` sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecResult {
    /// Exit status (1 when the command timed out).
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    /// The command did not finish within the timeout (it slept past it, waits forever, became
    /// a server, or burned too much CPU).
    pub timed_out: bool,
    /// Virtual time the command took (its sleeps), capped at the timeout: hooks eat this much
    /// of a grace period.
    pub elapsed: Millis,
}

/// Where a task stands between polls.
#[derive(Clone, Debug, PartialEq, Eq)]
enum TaskState {
    Ready,
    /// Sleeping until this virtual time.
    At(Millis),
    /// `wait` for background jobs.
    WaitJobs,
    Forever,
    Serve(Vec<u16>),
    Exited(i32),
}

impl TaskState {
    fn from_block(b: Block, now: Millis) -> TaskState {
        match b {
            Block::Sleep(ms) => TaskState::At(now.saturating_add(ms.max(1))),
            Block::Forever => TaskState::Forever,
            Block::Serve(p) => TaskState::Serve(p),
            Block::Exit(s) => TaskState::Exited(s),
            Block::WaitJobs => TaskState::WaitJobs,
            Block::OutOfFuel => TaskState::Ready,
        }
    }

    /// Can still finish by itself (what `wait` waits for).
    fn finite(&self) -> bool {
        matches!(self, TaskState::Ready | TaskState::At(_) | TaskState::WaitJobs)
    }

    fn runnable(&self, now: Millis, finite_jobs: bool) -> bool {
        match self {
            TaskState::Ready => true,
            TaskState::At(t) => *t <= now,
            TaskState::WaitJobs => !finite_jobs,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
struct Job {
    pid: u32,
    task: Task,
    state: TaskState,
}

/// A running container process: a shell script (or a single program) with its resumable
/// interpreter state, plus the background jobs it started.
#[derive(Clone, Debug)]
pub struct Process {
    code: Code,
    main: Task,
    state: TaskState,
    jobs: Vec<Job>,
    next_pid: u32,
    /// Set once the process exited or will never run again (waits forever, serves).
    finished: Option<Poll>,
    /// `exec` mode: output collected raw per stream instead of as lines.
    raw: Option<[String; 2]>,
}

impl Process {
    /// Starts a process from a container's argv (command + args already joined, e.g.
    /// `["sh","-c","echo hi; sleep 5"]`, `["/bin/sh","-c",...]`, `["sleep","3600"]`,
    /// `["echo","hello"]`) with its environment. A shell (`sh`, `bash`, `ash` by base name) with
    /// `-c` runs the script (extra arguments are `$0 $1...`); any other argv runs as one simple
    /// command, words taken literally. `PATH` and `HOME` get defaults when absent, and an
    /// absolute `PWD` sets the working directory (default `/`).
    pub fn spawn(argv: &[String], env: &BTreeMap<String, String>) -> Process {
        let mut code = Code::default();
        let list = if argv.is_empty() {
            Vec::new()
        } else {
            let words = argv.iter().map(|a| vec![ast::Part::Lit(a.clone(), true)]).collect();
            vec![ast::AndOr {
                first: ast::Pipeline {
                    bang: false,
                    cmds: vec![ast::Command::Simple(ast::SimpleCmd { assigns: Vec::new(), words, redirs: Vec::new() })],
                },
                rest: Vec::new(),
                background: false,
            }]
        };
        if compile_chunk(&mut code, list, Op::ExitStatus).is_err() {
            // Only a gigantic argv gets here: the process fails at once.
            code = Code::default();
            let _ = compile_chunk(&mut code, Vec::new(), Op::ExitStatus);
        }
        Process {
            code,
            main: Task::new_main(env),
            state: TaskState::Ready,
            jobs: Vec::new(),
            next_pid: 2,
            finished: None,
            raw: None,
        }
    }

    /// Runs until the process sleeps, exits, waits forever or becomes a server. Output lines are
    /// appended to `out` (each a complete line without its newline, tagged with its stream;
    /// a partial last line is emitted when the process exits). `now` is the virtual time.
    ///
    /// `Poll::Sleep(ms)`: call again at `now + ms` (a busy loop yields `Sleep(1)` after its fuel
    /// is spent). Once `Exit`, `Forever` or `Serve` is returned, later polls return the same.
    pub fn poll(&mut self, now: Millis, fs: &mut Fs, host: &mut dyn Host, out: &mut Vec<(Stream, String)>) -> Poll {
        self.poll_with_fuel(now, fs, host, out, limits::FUEL_PER_POLL).0
    }

    /// Bytes of memory the process currently holds (for OOMKilled): a baseline plus what
    /// `stress --vm N --vm-bytes SIZE` allocated.
    pub fn memory_bytes(&self) -> u64 {
        limits::BASELINE_MEMORY + self.main.memory + self.jobs.iter().map(|j| j.task.memory).sum::<u64>()
    }

    /// TCP ports the process listens on now: the main program's if it became a server, and
    /// those of background jobs that did (`nginx & sleep 5; ...`).
    pub fn listening_ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = Vec::new();
        let states = std::iter::once(&self.state).chain(self.jobs.iter().map(|j| &j.state));
        for s in states {
            if let TaskState::Serve(p) = s {
                ports.extend(p);
            }
        }
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    /// The poll loop; also returns the fuel spent (for `exec`'s CPU cap).
    fn poll_with_fuel(
        &mut self,
        now: Millis,
        fs: &mut Fs,
        host: &mut dyn Host,
        out: &mut Vec<(Stream, String)>,
        fuel: u64,
    ) -> (Poll, u64) {
        if let Some(p) = &self.finished {
            return (p.clone(), 0);
        }
        let fs_used = fsutil::usage(fs);
        let Process { code, main, state, jobs, next_pid, finished, raw } = self;
        let mut ctx = Ctx {
            now,
            fs,
            host,
            out,
            raw: raw.as_mut(),
            code,
            fuel,
            out_budget: limits::MAX_OUT_PER_POLL,
            fs_used,
            jobs: Vec::new(),
            spawned: Vec::new(),
            kills: Vec::new(),
            kill_main: None,
            next_pid: *next_pid,
            depth: 0,
        };
        loop {
            let mut ran = false;
            let finite_jobs = jobs.iter().any(|j| j.state.finite());
            if state.runnable(now, finite_jobs) {
                ran = true;
                ctx.jobs = jobs.iter().map(|j| (j.pid, j.state.finite())).collect();
                let b = main.run(&mut ctx);
                *state = TaskState::from_block(b, now);
                absorb(&mut ctx, jobs, state);
            }
            for k in 0..jobs.len() {
                let Some(job) = jobs.get_mut(k) else { break };
                if !job.state.runnable(now, false) || ctx.fuel == 0 {
                    continue;
                }
                ran = true;
                ctx.jobs = Vec::new();
                let b = job.task.run(&mut ctx);
                if let Some(job) = jobs.get_mut(k) {
                    job.state = TaskState::from_block(b, now);
                }
            }
            absorb(&mut ctx, jobs, state);
            jobs.retain_mut(|j| {
                if matches!(j.state, TaskState::Exited(_)) {
                    j.task.flush(&mut ctx);
                    false
                } else {
                    true
                }
            });
            if let TaskState::Exited(s) = *state {
                main.flush(&mut ctx);
                for j in jobs.iter_mut() {
                    j.task.flush(&mut ctx);
                }
                jobs.clear();
                *next_pid = ctx.next_pid;
                *finished = Some(Poll::Exit(s));
                return (Poll::Exit(s), fuel - ctx.fuel);
            }
            if ctx.fuel == 0 {
                *next_pid = ctx.next_pid;
                return (Poll::Sleep(1), fuel);
            }
            if !ran {
                break;
            }
        }
        *next_pid = ctx.next_pid;
        let spent = fuel - ctx.fuel;
        let next_job = jobs
            .iter()
            .filter_map(|j| match j.state {
                TaskState::At(t) => Some(t),
                TaskState::Ready => Some(now + 1),
                _ => None,
            })
            .min();
        let mut ports: Vec<u16> = Vec::new();
        for s in std::iter::once(&*state).chain(jobs.iter().map(|j| &j.state)) {
            if let TaskState::Serve(p) = s {
                ports.extend(p);
            }
        }
        ports.sort_unstable();
        ports.dedup();
        let sleep_until = |t: Millis| Poll::Sleep(t.saturating_sub(now).max(1));
        let result = match state {
            TaskState::At(t) => Some(sleep_until(next_job.map_or(*t, |j| j.min(*t)))),
            TaskState::Ready => Some(Poll::Sleep(1)),
            TaskState::WaitJobs | TaskState::Forever => next_job.map(sleep_until),
            TaskState::Serve(_) | TaskState::Exited(_) => None,
        };
        let poll = match result {
            Some(p) => p,
            None => {
                // Nothing will ever run again: flush partial lines and settle.
                main.flush(&mut ctx);
                for j in jobs.iter_mut() {
                    j.task.flush(&mut ctx);
                }
                let p = if ports.is_empty() { Poll::Forever } else { Poll::Serve(ports) };
                *finished = Some(p.clone());
                p
            }
        };
        (poll, spent)
    }
}

/// Takes in what a task run asked for: new background jobs, kills.
fn absorb(ctx: &mut Ctx, jobs: &mut Vec<Job>, state: &mut TaskState) {
    for (pid, task) in ctx.spawned.drain(..) {
        jobs.push(Job { pid, task, state: TaskState::Ready });
    }
    for pid in ctx.kills.drain(..) {
        if let Some(j) = jobs.iter_mut().find(|j| j.pid == pid) {
            j.state = TaskState::Exited(143);
        }
    }
    if let Some(sig) = ctx.kill_main.take() {
        *state = TaskState::Exited(128 + sig);
    }
}

/// Runs a command to completion at once, for exec probes and `kubectl exec` (no suspension:
/// virtual time advances through its sleeps, and a command still running after `timeout` times
/// out). `date` prints virtual time zero; see [`exec_at`] to pass the current time.
pub fn exec(
    argv: &[String],
    env: &BTreeMap<String, String>,
    fs: &mut Fs,
    host: &mut dyn Host,
    timeout: Millis,
) -> ExecResult {
    exec_at(argv, env, 0, fs, host, timeout)
}

/// [`exec`] at virtual time `now` (what `date` prints).
pub fn exec_at(
    argv: &[String],
    env: &BTreeMap<String, String>,
    now: Millis,
    fs: &mut Fs,
    host: &mut dyn Host,
    timeout: Millis,
) -> ExecResult {
    let mut p = Process::spawn(argv, env);
    p.raw = Some(Default::default());
    let mut elapsed: Millis = 0;
    let mut fuel_left = limits::EXEC_FUEL;
    let mut lines = Vec::new();
    let outcome = loop {
        let (poll, spent) =
            p.poll_with_fuel(now.saturating_add(elapsed), fs, host, &mut lines, fuel_left.min(limits::FUEL_PER_POLL));
        fuel_left = fuel_left.saturating_sub(spent.max(1));
        match poll {
            Poll::Exit(s) => break Some(s),
            Poll::Sleep(ms) => {
                elapsed = elapsed.saturating_add(ms);
                if elapsed > timeout || fuel_left == 0 {
                    break None;
                }
            }
            Poll::Forever | Poll::Serve(_) => break None,
        }
    };
    let [stdout, stderr] = p.raw.take().unwrap_or_default();
    ExecResult {
        status: outcome.unwrap_or(1),
        stdout,
        stderr,
        timed_out: outcome.is_none(),
        elapsed: elapsed.min(timeout),
    }
}
