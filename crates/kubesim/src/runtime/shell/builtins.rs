//! Command dispatch and the shell's own builtins (`cd`, `export`, `set`, `read`, `eval`, `.`,
//! `sh -c`, `trap`, `wait`, `kill`, `test`...), with busybox's messages. The applets live in
//! `applets`, `net` and `sed`; anything else goes to [`Host::external`](super::Host::external).

use super::compile::{compile_chunk, Op};
use super::fsutil;
use super::interp::*;
use super::parser::{self, is_name};
use super::text;
use super::External;

/// Directories whose programs resolve to builtins by their base name (`/bin/sleep`).
const BIN_DIRS: &[&str] = &["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];

/// Commands handled here (for `command -v`, `type`, `which`).
pub const BUILTINS: &[&str] = &[
    ":", ".", "[", "[[", "alias", "ash", "basename", "bash", "break", "busybox", "cat", "cd", "chgrp", "chmod",
    "chown", "command", "continue", "cp", "curl", "cut", "dash", "date", "dirname", "echo", "egrep", "env", "eval",
    "exec", "exit", "export", "expr", "false", "fgrep", "grep", "hash", "head", "hostname", "id", "jobs", "kill",
    "let", "local", "ls", "mkdir", "mv", "nohup", "nslookup", "printenv", "printf", "pwd", "read", "readonly",
    "return", "rm", "rmdir", "sed", "seq", "set", "sh", "shift", "sleep", "sort", "source", "stress", "sync", "tail",
    "tee", "test", "timeout", "touch", "tr", "trap", "true", "type", "ulimit", "umask", "unalias", "uname", "uniq",
    "unset", "usleep", "wait", "wc", "wget", "which", "whoami", "head",
];

const SHELL_ONLY: &[&str] = &[
    ".", "alias", "break", "cd", "command", "continue", "eval", "exec", "exit", "export", "hash", "jobs", "let",
    "local", "read", "readonly", "return", "set", "shift", "source", "trap", "type", "ulimit", "umask", "unalias",
    "unset", "wait",
];

const SIGNALS: &[(&str, i32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("CHLD", 17),
    ("CONT", 18),
    ("STOP", 19),
];

fn signal_number(s: &str) -> Option<i32> {
    let t = s.strip_prefix("SIG").unwrap_or(s).to_ascii_uppercase();
    if let Ok(n) = t.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    if t == "EXIT" {
        return Some(0);
    }
    SIGNALS.iter().find(|(n, _)| *n == t).map(|(_, v)| *v)
}

fn signal_name(n: i32) -> String {
    if n == 0 {
        return "EXIT".into();
    }
    SIGNALS.iter().find(|(_, v)| *v == n).map(|(s, _)| s.to_string()).unwrap_or_else(|| n.to_string())
}

/// The name a program resolves to among the builtins: itself, or the base name of a path in a
/// standard bin directory.
fn program_name(name: &str) -> Option<&str> {
    if !name.contains('/') {
        return Some(name);
    }
    let dir = fsutil::parent(name);
    BIN_DIRS.contains(&dir).then(|| fsutil::basename(name))
}

fn single_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\"'\"'"))
}

/// Splits short option clusters: returns (flags, operands). `-n 5` style options with values
/// are handled by the callers that need them.
pub(super) fn flags_and_operands(args: &[String], known: &str) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut ops = Vec::new();
    let mut done = false;
    for a in args {
        if !done && a == "--" {
            done = true;
        } else if !done && a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| known.contains(c)) {
            flags.push_str(&a[1..]);
        } else {
            ops.push(a.clone());
        }
    }
    (flags, ops)
}

impl Task {
    /// Runs one command (already expanded).
    pub fn dispatch(&mut self, ctx: &mut Ctx, io: &mut Io, argv: &[String]) -> Flow {
        let Some(name) = argv.first() else {
            return Flow::Done(0);
        };
        if ctx.depth > 16 {
            self.err(ctx, io, "sh: too many nested commands\n");
            return Flow::Done(2);
        }
        ctx.depth += 1;
        let flow = self.dispatch_inner(ctx, io, name, argv);
        ctx.depth -= 1;
        flow
    }

    fn dispatch_inner(&mut self, ctx: &mut Ctx, io: &mut Io, name: &str, argv: &[String]) -> Flow {
        let args = &argv[1..];
        if let Some(prog) = program_name(name) {
            if !(name.contains('/') && SHELL_ONLY.contains(&prog)) {
                if let Some(f) = self.builtin(ctx, io, prog, argv, args) {
                    return f;
                }
            }
        }
        if name.contains('/') {
            let path = self.abs(name);
            if let Some(src) = ctx.fs.files.get(&path).cloned() {
                let first = src.lines().next().unwrap_or("");
                let interp = first.strip_prefix("#!").map(|l| l.split_whitespace().collect::<Vec<_>>());
                let shell_script = match &interp {
                    None => true,
                    Some(words) => {
                        let prog = words.first().map(|w| fsutil::basename(w)).unwrap_or("");
                        let prog = if prog == "env" { words.get(1).copied().unwrap_or("") } else { prog };
                        matches!(prog, "sh" | "bash" | "ash" | "dash")
                    }
                };
                if shell_script {
                    return self.run_script(ctx, io, &src, name.to_string(), args.to_vec(), Opts::default());
                }
            }
        }
        match ctx.host.external(argv) {
            External::NotFound => {
                self.err(ctx, io, &format!("sh: {name}: not found\n"));
                Flow::Done(127)
            }
            External::Done { status, stdout, stderr } => {
                self.out(ctx, io, &stdout);
                self.err(ctx, io, &stderr);
                Flow::Done(status)
            }
            External::Serve { ports } => Flow::Block(Block::Serve(ports)),
        }
    }

    fn builtin(&mut self, ctx: &mut Ctx, io: &mut Io, prog: &str, argv: &[String], args: &[String]) -> Option<Flow> {
        Some(match prog {
            ":" | "true" | "alias" | "unalias" | "hash" | "jobs" | "sync" => Flow::Done(0),
            "false" => Flow::Done(1),
            "break" | "continue" => Flow::Done(0),
            "echo" => self.b_echo(ctx, io, args),
            "printf" => self.b_printf(ctx, io, args),
            "exit" => self.b_exit(ctx, io, args, false),
            "return" => self.b_exit(ctx, io, args, true),
            "cd" => self.b_cd(ctx, io, args),
            "pwd" => {
                let cwd = format!("{}\n", self.env.cwd);
                self.out(ctx, io, &cwd);
                Flow::Done(0)
            }
            "export" | "readonly" => self.b_export(ctx, io, args, prog == "readonly"),
            "unset" => self.b_unset(ctx, io, args),
            "local" => self.b_local(ctx, io, args),
            "set" => self.b_set(ctx, io, args),
            "shift" => self.b_shift(ctx, io, args),
            "read" => self.b_read(ctx, io, args),
            "eval" => self.b_eval(ctx, io, args),
            "." | "source" => self.b_source(ctx, io, args),
            "trap" => self.b_trap(ctx, io, args),
            "wait" => self.b_wait(ctx, io, args),
            "kill" => self.b_kill(ctx, io, args),
            "test" | "[" | "[[" => self.b_test(ctx, io, prog, args),
            "let" => {
                let mut last = 0;
                for a in args {
                    match self.arith(a) {
                        Ok(v) => last = v,
                        Err(m) => {
                            self.err(ctx, io, &format!("sh: let: {m}\n"));
                            return Some(Flow::Done(2));
                        }
                    }
                }
                Flow::Done((last == 0) as i32)
            }
            "command" => self.b_command(ctx, io, args),
            "type" | "which" => self.b_type(ctx, io, prog, args),
            "exec" => {
                if args.is_empty() {
                    return Some(Flow::Done(0));
                }
                match self.dispatch(ctx, io, args) {
                    Flow::Done(s) => Flow::Exit(s),
                    f => f,
                }
            }
            "umask" => {
                if args.is_empty() {
                    self.out(ctx, io, "0022\n");
                }
                Flow::Done(0)
            }
            "ulimit" => {
                if args.iter().all(|a| a.starts_with('-')) {
                    self.out(ctx, io, "unlimited\n");
                }
                Flow::Done(0)
            }
            "sh" | "bash" | "ash" | "dash" => self.b_sh(ctx, io, argv),
            "sleep" => self.b_sleep(ctx, io, args),
            "usleep" => {
                let us: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(0);
                match us / 1000 {
                    0 => Flow::Done(0),
                    ms => Flow::Block(Block::Sleep(ms)),
                }
            }
            "cat" => self.b_cat(ctx, io, args),
            "ls" => self.b_ls(ctx, io, args),
            "touch" => self.b_touch(ctx, io, args),
            "rm" => self.b_rm(ctx, io, args),
            "mkdir" => self.b_mkdir(ctx, io, args),
            "rmdir" => self.b_rmdir(ctx, io, args),
            "cp" | "mv" => self.b_cp(ctx, io, args, prog == "mv"),
            "chmod" | "chown" | "chgrp" => self.b_chmod(ctx, io, prog, args),
            "date" => self.b_date(ctx, io, args),
            "hostname" => self.b_hostname(ctx, io, args),
            "env" => self.b_env(ctx, io, args),
            "printenv" => self.b_printenv(ctx, io, args),
            "grep" | "egrep" | "fgrep" => self.b_grep(ctx, io, prog, args),
            "wc" => self.b_wc(ctx, io, args),
            "head" | "tail" => self.b_head_tail(ctx, io, prog == "tail", args),
            "tee" => self.b_tee(ctx, io, args),
            "seq" => self.b_seq(ctx, io, args),
            "expr" => self.b_expr(ctx, io, args),
            "basename" => {
                let Some(p) = args.first() else {
                    self.err(ctx, io, "basename: missing operand\n");
                    return Some(Flow::Done(1));
                };
                let mut b = fsutil::basename(p).to_string();
                if let Some(suf) = args.get(1) {
                    if b != *suf {
                        if let Some(s) = b.strip_suffix(suf.as_str()) {
                            b = s.to_string();
                        }
                    }
                }
                self.out(ctx, io, &format!("{b}\n"));
                Flow::Done(0)
            }
            "dirname" => {
                let Some(p) = args.first() else {
                    self.err(ctx, io, "dirname: missing operand\n");
                    return Some(Flow::Done(1));
                };
                let t = p.trim_end_matches('/');
                let d = match t.rfind('/') {
                    Some(0) => "/".to_string(),
                    Some(i) => t[..i].trim_end_matches('/').to_string(),
                    None if p.starts_with('/') => "/".to_string(),
                    None => ".".to_string(),
                };
                self.out(ctx, io, &format!("{d}\n"));
                Flow::Done(0)
            }
            "uname" => {
                let host = self.lookup("HOSTNAME").unwrap_or_else(|| "localhost".into());
                let (flags, _) = flags_and_operands(args, "asnrvmpio");
                let s = if flags.contains('a') {
                    format!("Linux {host} 6.6.0 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux")
                } else {
                    let mut parts = Vec::new();
                    for c in flags.chars() {
                        parts.push(match c {
                            's' => "Linux".to_string(),
                            'n' => host.clone(),
                            'r' => "6.6.0".into(),
                            'v' => "#1 SMP PREEMPT_DYNAMIC".into(),
                            'm' | 'p' | 'i' => "x86_64".into(),
                            _ => "GNU/Linux".into(),
                        });
                    }
                    if parts.is_empty() {
                        "Linux".into()
                    } else {
                        parts.join(" ")
                    }
                };
                self.out(ctx, io, &format!("{s}\n"));
                Flow::Done(0)
            }
            "id" => {
                let (flags, _) = flags_and_operands(args, "ugGnr");
                let s = match (flags.contains('u') || flags.contains('g') || flags.contains('G'), flags.contains('n')) {
                    (true, true) => "root",
                    (true, false) => "0",
                    _ => "uid=0(root) gid=0(root) groups=0(root),10(wheel)",
                };
                self.out(ctx, io, &format!("{s}\n"));
                Flow::Done(0)
            }
            "whoami" => {
                self.out(ctx, io, "root\n");
                Flow::Done(0)
            }
            "sort" => self.b_sort(ctx, io, args),
            "uniq" => self.b_uniq(ctx, io, args),
            "cut" => self.b_cut(ctx, io, args),
            "tr" => self.b_tr(ctx, io, args),
            "sed" => self.b_sed(ctx, io, args),
            "nslookup" => self.b_nslookup(ctx, io, args),
            "wget" => self.b_wget(ctx, io, args),
            "curl" => self.b_curl(ctx, io, args),
            "stress" => self.b_stress(ctx, io, args),
            "nohup" => {
                if args.is_empty() {
                    self.err(ctx, io, "nohup: missing operand\n");
                    return Some(Flow::Done(125));
                }
                self.dispatch(ctx, io, args)
            }
            "timeout" => self.b_timeout(ctx, io, args),
            "busybox" => {
                if args.is_empty() {
                    self.out(ctx, io, "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n");
                    return Some(Flow::Done(0));
                }
                self.dispatch(ctx, io, args)
            }
            _ => return None,
        })
    }

    // ------------------------------------------------------------ shell builtins

    fn b_echo(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut newline = true;
        let mut escapes = false;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)) {
                for c in a[1..].chars() {
                    match c {
                        'n' => newline = false,
                        'e' => escapes = true,
                        _ => escapes = false,
                    }
                }
                i += 1;
            } else {
                break;
            }
        }
        let mut s = args.get(i..).unwrap_or(&[]).join(" ");
        if escapes {
            let (t, stop) = text::backslash_escapes(&s);
            s = t;
            if stop {
                newline = false;
            }
        }
        if newline {
            s.push('\n');
        }
        self.out(ctx, io, &s);
        Flow::Done(0)
    }

    fn b_printf(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let Some(fmt) = args.first() else {
            self.err(ctx, io, "printf: usage: printf FORMAT [ARGUMENT...]\n");
            return Flow::Done(1);
        };
        let (s, errors) = text::printf(fmt, &args[1..]);
        self.out(ctx, io, &s);
        for e in &errors {
            self.err(ctx, io, &format!("printf: {e}\n"));
        }
        Flow::Done(if errors.is_empty() { 0 } else { 1 })
    }

    fn b_exit(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String], is_return: bool) -> Flow {
        let st = match args.first() {
            None => self.status,
            Some(a) => match a.trim().parse::<i64>() {
                Ok(n) => (n & 0xff) as i32,
                Err(_) => {
                    let name = if is_return { "return" } else { "exit" };
                    self.err(ctx, io, &format!("sh: {name}: Illegal number: {a}\n"));
                    2
                }
            },
        };
        if is_return {
            Flow::Return(st)
        } else {
            Flow::Exit(st)
        }
    }

    fn b_cd(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let target = match args.iter().find(|a| !(a.starts_with('-') && a.len() > 1)) {
            None => self.home(),
            Some(d) if d == "-" => self.lookup("OLDPWD").unwrap_or_else(|| self.env.cwd.clone()),
            Some(d) => d.clone(),
        };
        let path = self.abs(&target);
        if fsutil::is_dir(ctx.fs, &path) {
            let old = std::mem::replace(&mut self.env.cwd, path.clone());
            let _ = self.set_var("OLDPWD", old);
            let _ = self.set_var("PWD", path);
            if args.first().is_some_and(|a| a == "-") {
                let cwd = format!("{}\n", self.env.cwd);
                self.out(ctx, io, &cwd);
            }
            Flow::Done(0)
        } else {
            let why = if fsutil::is_file(ctx.fs, &path) { "Not a directory" } else { "No such file or directory" };
            self.err(ctx, io, &format!("sh: cd: can't cd to {target}: {why}\n"));
            Flow::Done(2)
        }
    }

    fn b_export(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String], readonly: bool) -> Flow {
        let ops: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let keyword = if readonly { "readonly" } else { "export" };
        if ops.is_empty() {
            let mut s = String::new();
            for (k, v) in &self.env.vars {
                if (readonly && v.readonly) || (!readonly && v.exported) {
                    s.push_str(&format!("{keyword} {k}={}\n", single_quote(&v.value)));
                }
            }
            self.out(ctx, io, &s);
            return Flow::Done(0);
        }
        let mut status = 0;
        for a in ops {
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (a.as_str(), None),
            };
            if !is_name(name) {
                self.err(ctx, io, &format!("sh: {keyword}: {name}: bad variable name\n"));
                status = 1;
                continue;
            }
            if let Some(v) = value {
                if let Err(m) = self.set_var(name, v) {
                    self.err(ctx, io, &format!("sh: {m}\n"));
                    status = 1;
                    continue;
                }
            } else if !self.env.vars.contains_key(name) && readonly {
                let _ = self.set_var(name, String::new());
            }
            if let Some(v) = self.env.vars.get_mut(name) {
                if readonly {
                    v.readonly = true;
                } else {
                    v.exported = true;
                }
            }
        }
        Flow::Done(status)
    }

    fn b_unset(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let funcs = args.iter().any(|a| a == "-f");
        let mut status = 0;
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            if funcs {
                self.env.funcs.remove(a);
            } else if let Err(m) = self.unset_var(a) {
                self.err(ctx, io, &format!("sh: unset: {m}\n"));
                status = 1;
            }
        }
        Flow::Done(status)
    }

    fn b_local(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let Some(fi) = self.frames.iter().rposition(|f| f.role == Role::Call) else {
            self.err(ctx, io, "sh: local: not in a function\n");
            return Flow::Done(1);
        };
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let (name, value) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            if !is_name(&name) {
                self.err(ctx, io, &format!("sh: local: {name}: bad variable name\n"));
                return Flow::Done(1);
            }
            let old = self.env.vars.get(&name).cloned();
            if let Some(f) = self.frames.get_mut(fi) {
                if !f.locals.iter().any(|(n, _)| *n == name) {
                    f.locals.push((name.clone(), old));
                }
            }
            if let Some(v) = value {
                if let Err(m) = self.set_var(&name, v) {
                    self.err(ctx, io, &format!("sh: {m}\n"));
                    return Flow::Done(1);
                }
            }
        }
        Flow::Done(0)
    }

    fn set_named_opt(opts: &mut Opts, name: &str, on: bool) -> bool {
        match name {
            "errexit" => opts.errexit = on,
            "xtrace" => opts.xtrace = on,
            "nounset" => opts.nounset = on,
            "pipefail" => opts.pipefail = on,
            "noglob" => opts.noglob = on,
            "allexport"
            | "notify"
            | "noclobber"
            | "noexec"
            | "ignoreeof"
            | "monitor"
            | "verbose"
            | "vi"
            | "emacs"
            | "posix"
            | "nolog"
            | "debug"
            | "interactive-comments"
            | "hashall"
            | "braceexpand" => {}
            _ => return false,
        }
        true
    }

    fn b_set(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        if args.is_empty() {
            let mut s = String::new();
            for (k, v) in &self.env.vars {
                s.push_str(&format!("{k}={}\n", single_quote(&v.value)));
            }
            self.out(ctx, io, &s);
            return Flow::Done(0);
        }
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "--" {
                self.env.positional = args[i + 1..].to_vec();
                return Flow::Done(0);
            }
            if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
                let on = a.starts_with('-');
                let mut take_o = false;
                for c in a[1..].chars() {
                    match c {
                        'e' => self.env.opts.errexit = on,
                        'x' => self.env.opts.xtrace = on,
                        'u' => self.env.opts.nounset = on,
                        'f' => self.env.opts.noglob = on,
                        'o' => take_o = true,
                        'v' | 'h' | 'm' | 'b' | 'C' | 'a' | 'n' | 'B' | 'H' | 'T' | 'E' | 'P' | 'k' | 't' => {}
                        _ => {
                            self.err(ctx, io, &format!("sh: set: illegal option -{c}\n"));
                            return Flow::Done(2);
                        }
                    }
                }
                i += 1;
                if take_o {
                    match args.get(i) {
                        Some(o) => {
                            if !Self::set_named_opt(&mut self.env.opts, o, on) {
                                self.err(ctx, io, &format!("sh: set: illegal option -o {o}\n"));
                                return Flow::Done(2);
                            }
                            i += 1;
                        }
                        None => {
                            let o = self.env.opts;
                            let mut s = String::new();
                            for (n, v) in [
                                ("errexit", o.errexit),
                                ("noglob", o.noglob),
                                ("nounset", o.nounset),
                                ("pipefail", o.pipefail),
                                ("xtrace", o.xtrace),
                            ] {
                                s.push_str(&format!("{n:<16}{}\n", if v { "on" } else { "off" }));
                            }
                            self.out(ctx, io, &s);
                        }
                    }
                }
            } else {
                self.env.positional = args[i..].to_vec();
                return Flow::Done(0);
            }
        }
        Flow::Done(0)
    }

    fn b_shift(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let n: usize = match args.first() {
            None => 1,
            Some(a) => match a.parse() {
                Ok(n) => n,
                Err(_) => {
                    self.err(ctx, io, &format!("sh: shift: Illegal number: {a}\n"));
                    return Flow::Done(2);
                }
            },
        };
        if n > self.env.positional.len() {
            self.err(ctx, io, "sh: shift: can't shift that many\n");
            return Flow::Done(1);
        }
        self.env.positional.drain(..n);
        Flow::Done(0)
    }

    fn b_read(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-r" => raw = true,
                "-p" => {
                    if let Some(p) = args.get(i + 1) {
                        self.err(ctx, io, p);
                    }
                    i += 1;
                }
                "-t" | "-n" | "-u" | "-d" => i += 1,
                "-s" => {}
                _ => names.push(a.clone()),
            }
            i += 1;
        }
        if names.is_empty() {
            names.push("REPLY".into());
        }
        let line = io.stdin.as_mut().and_then(Input::read_line);
        let got = line.is_some();
        let mut line = line.unwrap_or_default();
        if !raw {
            let mut s = String::new();
            let mut esc = false;
            for c in line.chars() {
                if esc {
                    s.push(c);
                    esc = false;
                } else if c == '\\' {
                    esc = true;
                } else {
                    s.push(c);
                }
            }
            line = s;
        }
        let ifs = self.env.vars.get("IFS").map(|v| v.value.clone()).unwrap_or_else(|| " \t\n".into());
        let is_sep = |c: char| ifs.contains(c);
        let mut rest = line.trim_start_matches(is_sep);
        for (k, name) in names.iter().enumerate() {
            if !is_name(name) {
                self.err(ctx, io, &format!("sh: read: '{name}': not a valid identifier\n"));
                return Flow::Done(1);
            }
            let value = if k + 1 == names.len() {
                let v = rest.trim_end_matches(is_sep).to_string();
                rest = "";
                v
            } else {
                let end = rest.find(is_sep).unwrap_or(rest.len());
                let v = rest[..end].to_string();
                rest = rest[end..].trim_start_matches(is_sep);
                v
            };
            if let Err(m) = self.set_var(name, value) {
                self.err(ctx, io, &format!("sh: {m}\n"));
                return Flow::Done(1);
            }
        }
        Flow::Done(if got { 0 } else { 1 })
    }

    /// Parses and compiles source text into a chunk ending with `Ret` (cached by text).
    fn compile_source(&mut self, ctx: &mut Ctx, src: &str) -> Result<usize, String> {
        if let Some(&c) = ctx.code.cache.get(src) {
            return Ok(c);
        }
        ctx.charge(src.len());
        let list = parser::parse(src)?;
        let chunk = compile_chunk(ctx.code, list, Op::Ret)?;
        if ctx.code.cache_bytes + src.len() <= 8 << 20 {
            ctx.code.cache_bytes += src.len();
            std::sync::Arc::make_mut(&mut ctx.code.cache).insert(src.to_string(), chunk);
        }
        Ok(chunk)
    }

    fn b_eval(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let src = args.join(" ");
        if src.trim().is_empty() {
            return Flow::Done(0);
        }
        match self.compile_source(ctx, &src) {
            Ok(chunk) => self.enter_chunk(ctx, chunk, Role::Eval, io, None),
            Err(m) => {
                self.err(ctx, io, &format!("sh: syntax error: {m}\n"));
                Flow::Done(2)
            }
        }
    }

    fn b_source(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let Some(file) = args.first() else {
            self.err(ctx, io, "sh: .: filename argument required\n");
            return Flow::Done(2);
        };
        let path = self.abs(file);
        let Some(src) = fsutil::read(ctx.fs, &path) else {
            self.err(ctx, io, &format!("sh: .: can't open '{file}': No such file or directory\n"));
            return Flow::Exit(2);
        };
        match self.compile_source(ctx, &src) {
            Ok(chunk) => {
                let pos = (args.len() > 1).then(|| (self.env.arg0.clone(), args[1..].to_vec()));
                self.enter_chunk(ctx, chunk, Role::Source, io, pos)
            }
            Err(m) => {
                self.err(ctx, io, &format!("sh: {file}: syntax error: {m}\n"));
                Flow::Exit(2)
            }
        }
    }

    /// Runs `src` as a nested shell (`sh -c`, `sh file`, an executable script).
    fn run_script(
        &mut self,
        ctx: &mut Ctx,
        io: &mut Io,
        src: &str,
        arg0: String,
        positional: Vec<String>,
        opts: Opts,
    ) -> Flow {
        let chunk = match self.compile_source(ctx, src) {
            Ok(c) => c,
            Err(m) => {
                self.err(ctx, io, &format!("sh: syntax error: {m}\n"));
                return Flow::Done(2);
            }
        };
        let flow = self.enter_chunk(ctx, chunk, Role::Shell, io, Some((arg0, positional)));
        if matches!(flow, Flow::Jumped) {
            // A new shell process: only exported variables, no functions or traps; like ash it
            // exports PWD and SHLVL.
            let dropped: Vec<String> =
                self.env.vars.iter().filter(|(_, v)| !v.exported).map(|(k, _)| k.clone()).collect();
            for k in dropped {
                self.restore_var(&k, None);
            }
            self.env.funcs.clear();
            self.env.traps.clear();
            self.env.opts = opts;
            let level = self.lookup("SHLVL").and_then(|l| l.trim().parse::<i64>().ok()).unwrap_or(0);
            let cwd = self.env.cwd.clone();
            for (k, v) in [("SHLVL", level.saturating_add(1).to_string()), ("PWD", cwd)] {
                if self.set_var(k, v).is_ok() {
                    self.export_var(k);
                }
            }
        }
        flow
    }

    fn b_sh(&mut self, ctx: &mut Ctx, io: &mut Io, argv: &[String]) -> Flow {
        let name = argv.first().cloned().unwrap_or_else(|| "sh".into());
        let args = &argv[1..];
        let mut opts = Opts::default();
        let mut cmd_mode = false;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "--" || a == "-" {
                i += 1;
                break;
            }
            if a.starts_with("--") {
                i += 1;
                continue;
            }
            if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
                let on = a.starts_with('-');
                let mut take_o = false;
                for c in a[1..].chars() {
                    match c {
                        'c' => cmd_mode = true,
                        'e' => opts.errexit = on,
                        'x' => opts.xtrace = on,
                        'u' => opts.nounset = on,
                        'f' => opts.noglob = on,
                        'o' => take_o = true,
                        _ => {}
                    }
                }
                i += 1;
                if take_o {
                    if let Some(o) = args.get(i) {
                        Self::set_named_opt(&mut opts, o, on);
                        i += 1;
                    }
                }
                continue;
            }
            break;
        }
        let rest = args.get(i..).unwrap_or(&[]);
        let (src, arg0, positional) = if cmd_mode {
            let Some(script) = rest.first() else {
                self.err(ctx, io, &format!("{}: -c requires an argument\n", fsutil::basename(&name)));
                return Flow::Done(2);
            };
            (
                script.clone(),
                rest.get(1).cloned().unwrap_or_else(|| name.clone()),
                rest.get(2..).unwrap_or(&[]).to_vec(),
            )
        } else if let Some(file) = rest.first() {
            let path = self.abs(file);
            match fsutil::read(ctx.fs, &path) {
                Some(s) => (s, file.clone(), rest[1..].to_vec()),
                None => {
                    self.err(ctx, io, &format!("sh: can't open '{file}': No such file or directory\n"));
                    return Flow::Done(2);
                }
            }
        } else {
            // Commands from stdin (a container's stdin is closed: the shell exits at once).
            (io.stdin.as_mut().map(Input::read_all).unwrap_or_default(), name.clone(), Vec::new())
        };
        opts.brace = fsutil::basename(&name) == "bash";
        self.run_script(ctx, io, &src, arg0, positional, opts)
    }

    fn b_trap(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        if args.is_empty() || args[0] == "-p" {
            let mut s = String::new();
            for (sig, action) in &self.env.traps {
                s.push_str(&format!("trap -- {} {sig}\n", single_quote(action)));
            }
            self.out(ctx, io, &s);
            return Flow::Done(0);
        }
        if args[0] == "-l" {
            let s: Vec<String> = SIGNALS.iter().map(|(n, v)| format!("{v}) {n}")).collect();
            self.out(ctx, io, &format!("{}\n", s.join("\n")));
            return Flow::Done(0);
        }
        let (action, sigs) = if args.len() == 1 || signal_number(&args[0]).is_some() && args[0].parse::<i32>().is_ok() {
            ("-", args)
        } else {
            (args[0].as_str(), &args[1..])
        };
        for s in sigs {
            let Some(n) = signal_number(s) else {
                self.err(ctx, io, &format!("sh: trap: {s}: bad trap\n"));
                return Flow::Done(1);
            };
            let name = signal_name(n);
            if action == "-" {
                self.env.traps.remove(&name);
            } else {
                self.env.traps.insert(name, action.to_string());
            }
        }
        Flow::Done(0)
    }

    fn b_wait(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        if !self.is_main {
            return Flow::Done(0);
        }
        for a in args {
            let known = a.parse::<u32>().ok().is_some_and(|p| ctx.jobs.iter().any(|(j, _)| *j == p));
            if !known && !a.starts_with('%') {
                self.err(ctx, io, &format!("sh: wait: pid {a} is not a child of this shell\n"));
                return Flow::Done(127);
            }
        }
        if ctx.jobs.iter().any(|(_, finite)| *finite) {
            Flow::Block(Block::WaitJobs)
        } else if !ctx.jobs.is_empty() {
            Flow::Block(Block::Forever)
        } else {
            Flow::Done(0)
        }
    }

    fn b_kill(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut sig = 15;
        let mut i = 0;
        if args.first().is_some_and(|a| a == "-l") {
            let s: Vec<&str> = SIGNALS.iter().map(|(n, _)| *n).collect();
            self.out(ctx, io, &format!("{}\n", s.join(" ")));
            return Flow::Done(0);
        }
        while let Some(a) = args.get(i) {
            if a == "-s" || a == "-n" {
                match args.get(i + 1).and_then(|s| signal_number(s)) {
                    Some(n) => sig = n,
                    None => {
                        self.err(ctx, io, "sh: kill: bad signal name\n");
                        return Flow::Done(1);
                    }
                }
                i += 2;
            } else if a.len() > 1 && a.starts_with('-') && a != "--" {
                match signal_number(&a[1..]) {
                    Some(n) => sig = n,
                    None => {
                        self.err(ctx, io, &format!("sh: kill: bad signal name '{}'\n", &a[1..]));
                        return Flow::Done(1);
                    }
                }
                i += 1;
            } else {
                if a == "--" {
                    i += 1;
                }
                break;
            }
        }
        let targets = args.get(i..).unwrap_or(&[]);
        if targets.is_empty() {
            self.err(
                ctx,
                io,
                "sh: kill: usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n",
            );
            return Flow::Done(1);
        }
        let mut status = 0;
        for t in targets {
            let pid = if let Some(j) = t.strip_prefix('%') {
                j.parse::<usize>().ok().and_then(|n| ctx.jobs.get(n.checked_sub(1)?).map(|(p, _)| *p))
            } else {
                t.parse::<u32>().ok()
            };
            match pid {
                Some(1) => {
                    if sig == 0 {
                        continue;
                    }
                    if self.is_main {
                        return Flow::Block(Block::Exit(128 + sig));
                    }
                    ctx.kill_main = Some(sig);
                }
                Some(p) if ctx.jobs.iter().any(|(j, _)| *j == p) => {
                    if sig != 0 {
                        ctx.kills.push(p);
                    }
                }
                _ => {
                    self.err(ctx, io, &format!("sh: kill: can't kill pid {t}: No such process\n"));
                    status = 1;
                }
            }
        }
        Flow::Done(status)
    }

    fn b_test(&mut self, ctx: &mut Ctx, io: &mut Io, prog: &str, args: &[String]) -> Flow {
        let mut a: Vec<String> = args.to_vec();
        let bash = prog == "[[";
        if prog == "[" || bash {
            let close = if bash { "]]" } else { "]" };
            if a.last().map(String::as_str) != Some(close) {
                self.err(ctx, io, &format!("sh: missing {close}\n"));
                return Flow::Done(2);
            }
            a.pop();
        }
        let mut t = TestEval { a: &a, i: 0, depth: 0, bash, task: self, ctx };
        let r = if a.is_empty() { Ok(false) } else { t.eval() };
        match r {
            Ok(b) => Flow::Done(if b { 0 } else { 1 }),
            Err(m) => {
                self.err(ctx, io, &format!("sh: {m}\n"));
                Flow::Done(2)
            }
        }
    }

    fn b_command(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        match args.first().map(String::as_str) {
            Some("-v") | Some("-V") => {
                let verbose = args[0] == "-V";
                let mut status = 0;
                for n in &args[1..] {
                    let known = self.env.funcs.contains_key(n) || BUILTINS.contains(&n.as_str());
                    let path = self.abs(n);
                    if known {
                        let s = if verbose { format!("{n} is a shell builtin\n") } else { format!("{n}\n") };
                        self.out(ctx, io, &s);
                    } else if n.contains('/') && fsutil::is_file(ctx.fs, &path) {
                        self.out(ctx, io, &format!("{n}\n"));
                    } else {
                        status = 1;
                    }
                }
                Flow::Done(status)
            }
            Some(_) => {
                let rest = if args[0] == "-p" { &args[1..] } else { args };
                self.dispatch(ctx, io, rest)
            }
            None => Flow::Done(0),
        }
    }

    fn b_type(&mut self, ctx: &mut Ctx, io: &mut Io, prog: &str, args: &[String]) -> Flow {
        let mut status = 0;
        for n in args.iter().filter(|a| !a.starts_with('-')) {
            let line = if self.env.funcs.contains_key(n) && prog == "type" {
                Some(format!("{n} is a function\n"))
            } else if SHELL_ONLY.contains(&n.as_str()) {
                (prog == "type").then(|| format!("{n} is a shell builtin\n"))
            } else if BUILTINS.contains(&n.as_str()) {
                Some(if prog == "type" { format!("{n} is /bin/{n}\n") } else { format!("/bin/{n}\n") })
            } else {
                None
            };
            match line {
                Some(l) => self.out(ctx, io, &l),
                None => {
                    if prog == "type" {
                        self.err(ctx, io, &format!("sh: type: {n}: not found\n"));
                    }
                    status = 1;
                }
            }
        }
        Flow::Done(status)
    }
}

/// `test` / `[` / `[[` expressions (recursive descent, depth-capped).
struct TestEval<'a, 'c, 't> {
    a: &'a [String],
    i: usize,
    depth: usize,
    bash: bool,
    task: &'t mut Task,
    ctx: &'t mut Ctx<'c>,
}

const UNARY: &[&str] = &[
    "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-p", "-S", "-b", "-c", "-g", "-u", "-k", "-t", "-z", "-n",
    "-O", "-G", "-N",
];
const BINARY: &[&str] =
    &["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~"];

impl TestEval<'_, '_, '_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(String::as_str)
    }

    fn is_or(&self, s: &str) -> bool {
        s == "-o" || (self.bash && s == "||")
    }

    fn is_and(&self, s: &str) -> bool {
        s == "-a" || (self.bash && s == "&&")
    }

    fn eval(&mut self) -> Result<bool, String> {
        let v = self.or()?;
        if let Some(extra) = self.peek() {
            return Err(format!("{extra}: unknown operand"));
        }
        Ok(v)
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek().is_some_and(|s| self.is_or(s)) {
            self.i += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.peek().is_some_and(|s| self.is_and(s)) {
            self.i += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression too complex".into());
        }
        let rem = self.a.len() - self.i;
        let r = if self.peek() == Some("!") && rem > 1 {
            self.i += 1;
            self.not().map(|v| !v)
        } else {
            self.primary()
        };
        self.depth -= 1;
        r
    }

    fn num(&self, s: &str) -> Result<i64, String> {
        let t = s.trim();
        t.parse::<i64>().map_err(|_| format!("{s}: bad number"))
    }

    fn primary(&mut self) -> Result<bool, String> {
        let rem = self.a.len() - self.i;
        let Some(first) = self.peek().map(str::to_string) else {
            return Err("argument expected".into());
        };
        if rem >= 3 {
            if let Some(op) = self.a.get(self.i + 1).map(String::as_str).filter(|o| BINARY.contains(o)) {
                let op = op.to_string();
                let rhs = self.a[self.i + 2].clone();
                self.i += 3;
                return self.binary(&first, &op, &rhs);
            }
        }
        if first == "(" && rem >= 2 {
            self.i += 1;
            let v = self.or()?;
            if self.peek() != Some(")") {
                return Err("missing )".into());
            }
            self.i += 1;
            return Ok(v);
        }
        if rem >= 2 && UNARY.contains(&first.as_str()) {
            let arg = self.a[self.i + 1].clone();
            self.i += 2;
            return Ok(self.unary(&first, &arg));
        }
        self.i += 1;
        Ok(!first.is_empty())
    }

    fn unary(&mut self, op: &str, arg: &str) -> bool {
        let fs = &*self.ctx.fs;
        let p = self.task.abs(arg);
        match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-e" | "-r" | "-w" | "-O" | "-G" => fsutil::exists(fs, &p),
            "-f" => fs.files.contains_key(&p),
            "-d" => fsutil::is_dir(fs, &p),
            "-s" => fs.files.get(&p).is_some_and(|c| !c.is_empty()) || fsutil::is_dir(fs, &p),
            "-x" => {
                fsutil::is_dir(fs, &p)
                    || (fs.files.contains_key(&p) && {
                        let c = fs.files.get(&p).map(String::as_str).unwrap_or("");
                        c.starts_with("#!")
                    })
            }
            "-c" => p == "/dev/null",
            _ => false,
        }
    }

    fn binary(&mut self, a: &str, op: &str, b: &str) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" => {
                if self.bash {
                    text::glob_match(b, a)
                } else {
                    a == b
                }
            }
            "!=" => {
                if self.bash {
                    !text::glob_match(b, a)
                } else {
                    a != b
                }
            }
            "<" => a < b,
            ">" => a > b,
            "=~" => text::Regex::new(b, true, false).map(|r| r.is_match(a)).map_err(|m| format!("=~: {m}"))?,
            "-eq" => self.num(a)? == self.num(b)?,
            "-ne" => self.num(a)? != self.num(b)?,
            "-lt" => self.num(a)? < self.num(b)?,
            "-le" => self.num(a)? <= self.num(b)?,
            "-gt" => self.num(a)? > self.num(b)?,
            "-ge" => self.num(a)? >= self.num(b)?,
            "-ef" => self.task.abs(a) == self.task.abs(b) && fsutil::exists(self.ctx.fs, &self.task.abs(a)),
            _ => false,
        })
    }
}
