//! The interpreter: one [`Task`] per shell (the main one and each background job) runs compiled
//! instructions. All state that must survive a `sleep` lives in the task (program counter,
//! frames, loop states, the value stack of substitution outputs), never on the Rust stack.

use std::collections::BTreeMap;

use super::ast::*;
use super::compile::*;
use super::fsutil;
use super::limits::*;
use super::text;
use super::{Fs, Host, Stream};
use crate::time::Millis;

/// Where a file descriptor writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sink {
    /// The container's stdout / stderr (the log).
    Stdout,
    Stderr,
    Null,
    /// Appends to a file of the container filesystem.
    File(String),
    /// A capture buffer of `$( )` or a pipeline stage (index into `Task::captures`).
    Capture(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fds {
    pub out: Sink,
    pub err: Sink,
}

/// Standard input: text with a read position (so `while read` consumes it line by line).
#[derive(Clone, Debug, Default)]
pub struct Input {
    pub data: String,
    pub pos: usize,
}

impl Input {
    pub fn new(data: String) -> Self {
        Input { data, pos: 0 }
    }

    pub fn read_all(&mut self) -> String {
        let s = self.data.get(self.pos..).unwrap_or("").to_string();
        self.pos = self.data.len();
        s
    }

    pub fn read_line(&mut self) -> Option<String> {
        let rest = self.data.get(self.pos..).unwrap_or("");
        if rest.is_empty() {
            return None;
        }
        match rest.find('\n') {
            Some(i) => {
                let line = rest[..i].to_string();
                self.pos += i + 1;
                Some(line)
            }
            None => {
                let line = rest.to_string();
                self.pos = self.data.len();
                Some(line)
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Var {
    pub value: String,
    pub exported: bool,
    pub readonly: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub errexit: bool,
    pub xtrace: bool,
    pub nounset: bool,
    pub pipefail: bool,
    pub noglob: bool,
    /// Brace expansion (`{a,b}`, `{1..5}`): on when the shell runs as `bash`.
    pub brace: bool,
}

/// What a subshell copies and restores.
#[derive(Clone, Debug)]
pub struct Env {
    pub vars: BTreeMap<String, Var>,
    pub vars_bytes: usize,
    pub positional: Vec<String>,
    pub arg0: String,
    pub cwd: String,
    pub opts: Opts,
    pub funcs: BTreeMap<String, usize>,
    pub traps: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Redirect,
    Subshell,
    Subst,
    Stage {
        last: bool,
    },
    /// A function call.
    Call,
    /// `eval`: transparent to `exit` and `return`.
    Eval,
    /// `. file`: `return` ends it.
    Source,
    /// A nested `sh -c` / `sh file`: a subshell with its own positional parameters.
    Shell,
}

impl Role {
    /// `exit` stops here (a separate process in a real shell).
    pub fn is_barrier(self) -> bool {
        matches!(self, Role::Subshell | Role::Subst | Role::Stage { .. } | Role::Shell)
    }

    /// Frames whose chunk ends with `Ret`.
    fn is_chunk(self) -> bool {
        matches!(self, Role::Call | Role::Eval | Role::Source | Role::Shell)
    }
}

#[derive(Clone, Debug)]
pub struct Frame {
    pub role: Role,
    /// Where execution continues when `exit`/`return` unwinds this frame.
    pub resume: Pc,
    pub saved_fds: Fds,
    pub saved_stdin: Option<Option<Input>>,
    pub saved_env: Option<Box<Env>>,
    pub saved_positional: Option<(String, Vec<String>)>,
    /// Variables to put back when the frame ends (`local`, `VAR=x cmd` around a nested shell).
    pub locals: Vec<(String, Option<Var>)>,
    pub fors: usize,
    pub values: usize,
    pub captures: usize,
    pub pipes: usize,
}

#[derive(Clone, Debug)]
pub struct ForState {
    pub items: Vec<String>,
    pub idx: usize,
}

/// Work to do when a blocked task wakes up, before it continues with its next instruction.
#[derive(Clone, Debug)]
pub enum OnWake {
    /// `stress --timeout`: free the memory and say so.
    StressDone { bytes: u64, secs: u64, out: Sink },
    /// `tail -f FILE`: print what was appended, then look again in a second.
    Follow { path: String, offset: usize, out: Sink },
    /// `timeout` cut the command short: its status.
    Status(i32),
}

/// Why a task stopped running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Sleep(Millis),
    Forever,
    Serve(Vec<u16>),
    Exit(i32),
    /// `wait`: until the background jobs are done.
    WaitJobs,
    OutOfFuel,
}

/// The outcome of one command.
#[derive(Debug)]
pub enum Flow {
    Done(i32),
    /// The command blocks (`sleep`, a server...); `$?` becomes 0.
    Block(Block),
    Exit(i32),
    Return(i32),
    /// The command pushed a frame and moved the program counter (function, `eval`, `sh -c`).
    Jumped,
}

/// The file descriptors and stdin of one command.
pub struct Io {
    pub out: Sink,
    pub err: Sink,
    pub stdin: Option<Input>,
    /// stdin came from a redirection of this command (not the shell's own stdin).
    pub local: bool,
}

pub enum RedirErr {
    /// The command does not run; `$?` = 1.
    Failed(String),
    /// An expansion error: the shell exits.
    Fatal(String),
}

/// The world a task runs in during one poll.
pub struct Ctx<'a> {
    pub now: Millis,
    pub fs: &'a mut Fs,
    pub host: &'a mut dyn Host,
    pub out: &'a mut Vec<(Stream, String)>,
    /// `exec` collects raw text per stream instead of lines.
    pub raw: Option<&'a mut [String; 2]>,
    pub code: &'a mut Code,
    pub fuel: u64,
    pub out_budget: usize,
    pub fs_used: usize,
    /// Background jobs: pid and whether it can still finish (not a server / forever).
    pub jobs: Vec<(u32, bool)>,
    pub spawned: Vec<(u32, Task)>,
    pub kills: Vec<u32>,
    /// A job killed the main shell with this signal.
    pub kill_main: Option<i32>,
    pub next_pid: u32,
    /// Nesting of commands running commands (`env`, `command`, `busybox`, `nohup`...).
    pub depth: u32,
}

impl Ctx<'_> {
    /// Big data costs fuel too, so a loop copying megabytes yields like a busy loop.
    pub fn charge(&mut self, bytes: usize) {
        self.fuel = self.fuel.saturating_sub((bytes / 64) as u64);
    }

    pub fn write_file(&mut self, path: &str, content: String) -> Result<(), ()> {
        if content.len() > MAX_FILE {
            return Err(());
        }
        let old = self.fs.files.get(path).map(|c| c.len() + path.len() + 64).unwrap_or(0);
        let new = content.len() + path.len() + 64;
        if new > old && self.fs_used + (new - old) > MAX_FS_BYTES {
            return Err(());
        }
        self.fs_used = self.fs_used.saturating_sub(old) + new;
        self.fs.files.insert(path.to_string(), content);
        Ok(())
    }

    pub fn append_file(&mut self, path: &str, text: &str) -> Result<(), ()> {
        match self.fs.files.get_mut(path) {
            Some(c) => {
                if c.len() + text.len() > MAX_FILE || self.fs_used + text.len() > MAX_FS_BYTES {
                    return Err(());
                }
                c.push_str(text);
                self.fs_used += text.len();
                Ok(())
            }
            None => self.write_file(path, text.to_string()),
        }
    }

    pub fn mkdir(&mut self, path: &str) -> Result<(), ()> {
        if self.fs.dirs.contains(path) {
            return Ok(());
        }
        if self.fs_used + path.len() + 64 > MAX_FS_BYTES {
            return Err(());
        }
        self.fs_used += path.len() + 64;
        self.fs.dirs.insert(path.to_string());
        Ok(())
    }
}

/// Cuts `s` to at most `max` bytes at a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut i = max;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

fn push_capped(buf: &mut String, text: &str, cap: usize) {
    if buf.len() < cap {
        buf.push_str(cut(text, cap - buf.len()));
    }
}

/// Quotes words for `set -x` traces, as busybox does.
pub fn quote_words(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c)) {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\"'\"'"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words being built by expansion: text, and the glob pattern when unquoted glob characters
/// appeared.
#[derive(Default)]
struct Fields {
    out: Vec<(String, Option<String>)>,
    cur: String,
    pat: String,
    glob: bool,
    active: bool,
    size: usize,
}

impl Fields {
    fn quoted(&mut self, s: &str) {
        self.cur.push_str(s);
        self.pat.push_str(&text::escape_glob(s));
        self.active = true;
        self.size += s.len();
    }

    fn unquoted_char(&mut self, c: char) {
        self.cur.push(c);
        if c == '\\' || c == ']' {
            self.pat.push('\\');
        }
        self.pat.push(c);
        if matches!(c, '*' | '?' | '[') {
            self.glob = true;
        }
        self.active = true;
        self.size += c.len_utf8();
    }

    fn unquoted(&mut self, s: &str) {
        for c in s.chars() {
            self.unquoted_char(c);
        }
    }

    /// An unquoted expansion result: split on IFS.
    fn split(&mut self, s: &str, ifs: &str) {
        for c in s.chars() {
            if ifs.contains(c) {
                if c.is_whitespace() {
                    self.end();
                } else {
                    self.active = true;
                    self.end();
                }
            } else {
                self.unquoted_char(c);
            }
        }
    }

    fn end(&mut self) {
        if self.active {
            let cur = std::mem::take(&mut self.cur);
            let pat = std::mem::take(&mut self.pat);
            self.out.push((cur, self.glob.then_some(pat)));
        }
        self.cur.clear();
        self.pat.clear();
        self.glob = false;
        self.active = false;
    }
}

struct ArithEnv<'t> {
    task: &'t mut Task,
}

impl text::ArithVars for ArithEnv<'_> {
    fn get(&mut self, name: &str) -> Result<i64, String> {
        match self.task.lookup(name) {
            None => {
                if self.task.env.opts.nounset {
                    return Err(format!("{name}: parameter not set"));
                }
                Ok(0)
            }
            Some(v) => {
                let t = v.trim();
                if t.is_empty() {
                    return Ok(0);
                }
                let (neg, digits) = match t.strip_prefix('-') {
                    Some(d) => (true, d),
                    None => (false, t.strip_prefix('+').unwrap_or(t)),
                };
                let n = text::parse_int_literal(digits).ok_or_else(|| "arithmetic syntax error".to_string())?;
                Ok(if neg { n.wrapping_neg() } else { n })
            }
        }
    }

    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        self.task.set_var(name, value.to_string())
    }
}

#[derive(Clone, Debug)]
pub struct Task {
    pub pc: Pc,
    pub status: i32,
    pub env: Env,
    pub fds: Fds,
    pub stdin: Option<Input>,
    pub frames: Vec<Frame>,
    pub fors: Vec<ForState>,
    pub values: Vec<String>,
    pub captures: Vec<String>,
    /// `set -o pipefail` accumulators of the pipelines running.
    pub pipes: Vec<i32>,
    /// Status of the last command substitution (`x=$(false)` sets `$?`).
    pub subst_status: i32,
    /// Partial output lines (stdout, stderr).
    pub lines: [String; 2],
    /// Bytes allocated by `stress`.
    pub memory: u64,
    pub on_wake: Option<OnWake>,
    pub last_bg: Option<u32>,
    pub rng: u32,
    pub is_main: bool,
}

impl Task {
    pub fn new_main(env: &BTreeMap<String, String>) -> Task {
        let mut e = Env {
            vars: BTreeMap::new(),
            vars_bytes: 0,
            positional: Vec::new(),
            arg0: "sh".into(),
            cwd: "/".into(),
            opts: Opts::default(),
            funcs: BTreeMap::new(),
            traps: BTreeMap::new(),
        };
        let defaults = [("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("HOME", "/root")];
        let all = env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(defaults.iter().copied().filter(|(k, _)| !env.contains_key(*k)));
        for (k, v) in all {
            if e.vars.len() >= MAX_VARS || e.vars_bytes + k.len() + v.len() > MAX_VARS_BYTES {
                break;
            }
            e.vars_bytes += k.len() + v.len();
            e.vars.insert(k.to_string(), Var { value: v.to_string(), exported: true, readonly: false });
        }
        if let Some(pwd) = env.get("PWD").filter(|p| p.starts_with('/')) {
            e.cwd = fsutil::normalize("/", pwd);
        }
        Task {
            pc: Pc::default(),
            status: 0,
            env: e,
            fds: Fds { out: Sink::Stdout, err: Sink::Stderr },
            stdin: None,
            frames: Vec::new(),
            fors: Vec::new(),
            values: Vec::new(),
            captures: Vec::new(),
            pipes: Vec::new(),
            subst_status: 0,
            lines: Default::default(),
            memory: 0,
            on_wake: None,
            last_bg: None,
            rng: 0x2545_f491,
            is_main: true,
        }
    }

    // ------------------------------------------------------------ output

    pub fn write(&mut self, ctx: &mut Ctx, sink: &Sink, text: &str) {
        if text.is_empty() {
            return;
        }
        ctx.charge(text.len());
        match sink {
            Sink::Null => {}
            Sink::Stdout => self.emit(ctx, Stream::Stdout, text),
            Sink::Stderr => self.emit(ctx, Stream::Stderr, text),
            Sink::Capture(i) => {
                let room = MAX_HELD.saturating_sub(self.held());
                if let Some(buf) = self.captures.get_mut(*i) {
                    let cap = MAX_STRING.min(buf.len() + room);
                    push_capped(buf, text, cap);
                }
            }
            Sink::File(path) => {
                // A full filesystem drops the write (as a full disk would fail it).
                let _ = ctx.append_file(path, text);
            }
        }
    }

    fn emit(&mut self, ctx: &mut Ctx, stream: Stream, text: &str) {
        let idx = if stream == Stream::Stdout { 0 } else { 1 };
        if let Some(raw) = ctx.raw.as_mut() {
            if let Some(buf) = raw.get_mut(idx) {
                push_capped(buf, text, MAX_EXEC_OUTPUT);
            }
            return;
        }
        ctx.out_budget = ctx.out_budget.saturating_sub(text.len());
        if ctx.out_budget == 0 {
            ctx.fuel = 0;
        }
        let mut rest = text;
        while let Some(i) = rest.find('\n') {
            let buf = &mut self.lines[idx];
            buf.push_str(&rest[..i]);
            let line = std::mem::take(buf);
            self.push_line(ctx, stream, line);
            rest = &rest[i + 1..];
        }
        self.lines[idx].push_str(rest);
        while self.lines[idx].len() > MAX_LINE {
            let head = cut(&self.lines[idx], MAX_LINE).to_string();
            let tail = self.lines[idx][head.len()..].to_string();
            self.lines[idx] = tail;
            self.push_line(ctx, stream, head);
        }
    }

    fn push_line(&mut self, ctx: &mut Ctx, stream: Stream, line: String) {
        if line.len() > MAX_LINE {
            let mut rest = line.as_str();
            while !rest.is_empty() {
                let mut head = cut(rest, MAX_LINE);
                if head.is_empty() {
                    head = rest;
                }
                ctx.out.push((stream, head.to_string()));
                rest = &rest[head.len()..];
            }
        } else {
            ctx.out.push((stream, line));
        }
    }

    /// Emits partial lines (at exit).
    pub fn flush(&mut self, ctx: &mut Ctx) {
        for (idx, stream) in [(0, Stream::Stdout), (1, Stream::Stderr)] {
            let line = std::mem::take(&mut self.lines[idx]);
            if !line.is_empty() && ctx.raw.is_none() {
                self.push_line(ctx, stream, line);
            }
        }
    }

    pub fn out(&mut self, ctx: &mut Ctx, io: &Io, text: &str) {
        let sink = io.out.clone();
        self.write(ctx, &sink, text);
    }

    pub fn err(&mut self, ctx: &mut Ctx, io: &Io, text: &str) {
        let sink = io.err.clone();
        self.write(ctx, &sink, text);
    }

    fn fatal(&mut self, msg: &str, ctx: &mut Ctx) -> Option<Block> {
        let err = self.fds.err.clone();
        self.write(ctx, &err, &format!("sh: {msg}\n"));
        self.exit(2, ctx)
    }

    /// Bytes held besides the live variables (bounded by `MAX_HELD`).
    fn held(&self) -> usize {
        let saved: usize = self.frames.iter().filter_map(|f| f.saved_env.as_ref()).map(|e| e.vars_bytes).sum();
        let caps: usize = self.captures.iter().map(String::len).sum();
        let vals: usize = self.values.iter().map(String::len).sum();
        saved + caps + vals
    }

    // ------------------------------------------------------------ variables

    pub fn abs(&self, path: &str) -> String {
        fsutil::normalize(&self.env.cwd, path)
    }

    pub fn home(&self) -> String {
        self.env.vars.get("HOME").map(|v| v.value.clone()).unwrap_or_else(|| "/root".into())
    }

    pub fn lookup(&mut self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("1".into()),
            "#" => Some(self.env.positional.len().to_string()),
            "@" | "*" => Some(self.env.positional.join(" ")),
            "0" => Some(self.env.arg0.clone()),
            "!" => self.last_bg.map(|p| p.to_string()),
            "-" => {
                let o = self.env.opts;
                let mut f = String::new();
                for (on, c) in [(o.errexit, 'e'), (o.noglob, 'f'), (o.nounset, 'u'), (o.xtrace, 'x')] {
                    if on {
                        f.push(c);
                    }
                }
                Some(f)
            }
            "RANDOM" if !self.env.vars.contains_key("RANDOM") => {
                self.rng = self.rng.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                Some(((self.rng >> 16) & 0x7fff).to_string())
            }
            "PPID" => Some("0".into()),
            n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                self.env.positional.get(i.checked_sub(1)?).cloned()
            }
            _ => self.env.vars.get(name).map(|v| v.value.clone()),
        }
    }

    pub fn set_var(&mut self, name: &str, value: String) -> Result<(), String> {
        let value = if value.len() > MAX_STRING { cut(&value, MAX_STRING).to_string() } else { value };
        let env = &mut self.env;
        match env.vars.get_mut(name) {
            Some(v) => {
                if v.readonly {
                    return Err(format!("{name}: is read only"));
                }
                let nb = env.vars_bytes.saturating_sub(v.value.len()) + value.len();
                if nb > MAX_VARS_BYTES {
                    return Err("out of memory".into());
                }
                env.vars_bytes = nb;
                v.value = value;
            }
            None => {
                if env.vars.len() >= MAX_VARS || env.vars_bytes + name.len() + value.len() > MAX_VARS_BYTES {
                    return Err("out of memory".into());
                }
                env.vars_bytes += name.len() + value.len();
                env.vars.insert(name.to_string(), Var { value, exported: false, readonly: false });
            }
        }
        Ok(())
    }

    /// Puts a saved variable back (ignores read-only: used when frames end).
    pub fn restore_var(&mut self, name: &str, old: Option<Var>) {
        if let Some(v) = self.env.vars.remove(name) {
            self.env.vars_bytes = self.env.vars_bytes.saturating_sub(name.len() + v.value.len());
        }
        if let Some(v) = old {
            self.env.vars_bytes += name.len() + v.value.len();
            self.env.vars.insert(name.to_string(), v);
        }
    }

    pub fn unset_var(&mut self, name: &str) -> Result<(), String> {
        if self.env.vars.get(name).is_some_and(|v| v.readonly) {
            return Err(format!("{name}: is read only"));
        }
        self.restore_var(name, None);
        Ok(())
    }

    pub fn export_var(&mut self, name: &str) {
        if let Some(v) = self.env.vars.get_mut(name) {
            v.exported = true;
        }
    }

    pub fn arith(&mut self, expr: &str) -> Result<i64, String> {
        let mut env = ArithEnv { task: self };
        text::arith(expr, &mut env)
    }

    // ------------------------------------------------------------ expansion

    fn subst_value(vals: &[(usize, String)], id: usize) -> &str {
        vals.iter().find(|(i, _)| *i == id).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    fn param_value(&mut self, p: &Param, vals: &[(usize, String)], ctx: &mut Ctx) -> Result<Option<String>, String> {
        let name = p.name.as_str();
        let cur = self.lookup(name);
        let empty = |colon: bool, cur: &Option<String>| cur.is_none() || (colon && cur.as_deref() == Some(""));
        let check_set = |me: &Task, cur: &Option<String>| {
            if cur.is_none() && me.env.opts.nounset && !matches!(name, "@" | "*") {
                Err(format!("{name}: parameter not set"))
            } else {
                Ok(())
            }
        };
        match &p.op {
            ParamOp::Plain => {
                check_set(self, &cur)?;
                Ok(cur)
            }
            ParamOp::Length => {
                check_set(self, &cur)?;
                Ok(Some(cur.map(|s| s.chars().count()).unwrap_or(0).to_string()))
            }
            ParamOp::Default(colon, w) => {
                if empty(*colon, &cur) {
                    Ok(Some(self.expand_str(w, vals, ctx)?))
                } else {
                    Ok(cur)
                }
            }
            ParamOp::Assign(colon, w) => {
                if empty(*colon, &cur) {
                    let v = self.expand_str(w, vals, ctx)?;
                    if !super::parser::is_name(name) {
                        return Err(format!("{name}: bad variable name"));
                    }
                    self.set_var(name, v.clone())?;
                    Ok(Some(v))
                } else {
                    Ok(cur)
                }
            }
            ParamOp::Alt(colon, w) => {
                if empty(*colon, &cur) {
                    Ok(Some(String::new()))
                } else {
                    Ok(Some(self.expand_str(w, vals, ctx)?))
                }
            }
            ParamOp::Error(colon, w) => {
                if empty(*colon, &cur) {
                    let m = self.expand_str(w, vals, ctx)?;
                    let m = if !m.is_empty() {
                        m
                    } else if *colon {
                        "parameter null or not set".into()
                    } else {
                        "parameter not set".into()
                    };
                    Err(format!("{name}: {m}"))
                } else {
                    Ok(cur)
                }
            }
            ParamOp::TrimPrefix(longest, w) | ParamOp::TrimSuffix(longest, w) => {
                check_set(self, &cur)?;
                let pat = self.expand_pattern(w, vals, ctx)?;
                let prefix = matches!(p.op, ParamOp::TrimPrefix(..));
                Ok(Some(trim_pattern(&cur.unwrap_or_default(), &pat, prefix, *longest)))
            }
            ParamOp::Replace(all, pw, rw) => {
                check_set(self, &cur)?;
                let pat = self.expand_pattern(pw, vals, ctx)?;
                let rep = self.expand_str(rw, vals, ctx)?;
                Ok(Some(replace_pattern(&cur.unwrap_or_default(), &pat, &rep, *all)))
            }
            ParamOp::Substring(ow, lw) => {
                check_set(self, &cur)?;
                let s: Vec<char> = cur.unwrap_or_default().chars().collect();
                let off_s = self.expand_str(ow, vals, ctx)?;
                let off = self.arith(&off_s)?;
                let n = s.len() as i64;
                let start = if off < 0 { (n + off).max(0) } else { off.min(n) } as usize;
                let end = match lw {
                    Some(w) => {
                        let l_s = self.expand_str(w, vals, ctx)?;
                        let l = self.arith(&l_s)?;
                        if l < 0 {
                            (n + l).max(start as i64) as usize
                        } else {
                            (start as i64 + l).min(n) as usize
                        }
                    }
                    None => n as usize,
                };
                Ok(Some(s.get(start..end.max(start)).map(|c| c.iter().collect()).unwrap_or_default()))
            }
        }
    }

    fn arith_word(&mut self, w: &Word, vals: &[(usize, String)], ctx: &mut Ctx) -> Result<i64, String> {
        let s = self.expand_str(w, vals, ctx)?;
        self.arith(&s)
    }

    /// Expands a word to one string: no field splitting, no globbing (assignments, redirection
    /// targets, here-documents, `case` subjects).
    pub fn expand_str(&mut self, w: &Word, vals: &[(usize, String)], ctx: &mut Ctx) -> Result<String, String> {
        // Literal text is bounded by the script size; only what expansions add is capped.
        let mut s = String::new();
        let mut lit = 0;
        for part in w {
            match part {
                Part::Lit(t, _) => {
                    s.push_str(t);
                    lit += t.len();
                }
                Part::Tilde => s.push_str(&self.home()),
                Part::Param(p, _) => {
                    let v = self.param_value(p, vals, ctx)?;
                    s.push_str(v.as_deref().unwrap_or(""));
                }
                Part::Subst(id, _, _) => s.push_str(Self::subst_value(vals, *id)),
                Part::Arith(w, _) => s.push_str(&self.arith_word(w, vals, ctx)?.to_string()),
            }
            if s.len() > MAX_STRING + lit {
                return Err("out of memory".into());
            }
        }
        ctx.charge(s.len() - lit);
        Ok(s)
    }

    /// Expands a word into a shell pattern: quoted parts match literally.
    fn expand_pattern(&mut self, w: &Word, vals: &[(usize, String)], ctx: &mut Ctx) -> Result<String, String> {
        let mut s = String::new();
        let mut lit = 0;
        for part in w {
            if let Part::Lit(t, _) = part {
                lit += 2 * t.len();
            }
            match part {
                Part::Lit(t, true) => s.push_str(&text::escape_glob(t)),
                Part::Lit(t, false) => s.push_str(t),
                Part::Tilde => s.push_str(&text::escape_glob(&self.home())),
                Part::Param(p, q) => {
                    let v = self.param_value(p, vals, ctx)?.unwrap_or_default();
                    s.push_str(&if *q { text::escape_glob(&v) } else { v });
                }
                Part::Subst(id, _, q) => {
                    let v = Self::subst_value(vals, *id);
                    s.push_str(&if *q { text::escape_glob(v) } else { v.to_string() });
                }
                Part::Arith(w, _) => s.push_str(&self.arith_word(w, vals, ctx)?.to_string()),
            }
            if s.len() > MAX_STRING + lit {
                return Err("out of memory".into());
            }
        }
        Ok(s)
    }

    /// Full expansion of a command word: parameters, substitutions, arithmetic, field splitting
    /// of unquoted results, pathname expansion.
    pub fn expand_fields(&mut self, w: &Word, vals: &[(usize, String)], ctx: &mut Ctx) -> Result<Vec<String>, String> {
        if self.env.opts.brace {
            if let Some(words) = brace_expand(w) {
                let mut out = Vec::new();
                for bw in &words {
                    out.extend(self.expand_word_fields(bw, vals, ctx)?);
                    if out.len() > MAX_FIELDS {
                        return Err("out of memory".into());
                    }
                }
                return Ok(out);
            }
        }
        self.expand_word_fields(w, vals, ctx)
    }

    fn expand_word_fields(&mut self, w: &Word, vals: &[(usize, String)], ctx: &mut Ctx) -> Result<Vec<String>, String> {
        let ifs = match self.env.vars.get("IFS") {
            Some(v) => v.value.clone(),
            None => " \t\n".into(),
        };
        let has_at =
            w.iter().any(|p| matches!(p, Part::Param(pp, true) if pp.name == "@" && matches!(pp.op, ParamOp::Plain)));
        let mut f = Fields::default();
        let mut lit = 0;
        for part in w {
            if let Part::Lit(t, _) = part {
                lit += t.len();
            }
            match part {
                Part::Lit(t, true) => {
                    if !(has_at && t.is_empty()) {
                        f.quoted(t);
                    }
                }
                Part::Lit(t, false) => f.unquoted(t),
                Part::Tilde => {
                    let h = self.home();
                    f.quoted(&h);
                }
                Part::Param(p, true) if p.name == "@" && matches!(p.op, ParamOp::Plain) => {
                    let args = self.env.positional.clone();
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            f.active = true;
                            f.end();
                        }
                        f.quoted(a);
                    }
                }
                Part::Param(p, q) => {
                    let v = if *q && p.name == "*" && matches!(p.op, ParamOp::Plain) {
                        let sep = ifs.chars().next().map(String::from).unwrap_or_default();
                        self.env.positional.join(&sep)
                    } else {
                        self.param_value(p, vals, ctx)?.unwrap_or_default()
                    };
                    if *q {
                        f.quoted(&v);
                    } else {
                        f.split(&v, &ifs);
                    }
                }
                Part::Subst(id, _, q) => {
                    let v = Self::subst_value(vals, *id);
                    if *q {
                        f.quoted(v);
                    } else {
                        f.split(v, &ifs);
                    }
                }
                Part::Arith(w, q) => {
                    let n = self.arith_word(w, vals, ctx)?.to_string();
                    if *q {
                        f.quoted(&n);
                    } else {
                        f.split(&n, &ifs);
                    }
                }
            }
            if f.size > MAX_STRING + lit || f.out.len() > MAX_FIELDS {
                return Err("out of memory".into());
            }
        }
        f.end();
        ctx.charge(f.size.saturating_sub(lit));
        let mut out = Vec::new();
        for (text, pat) in f.out {
            match pat {
                Some(p) if !self.env.opts.noglob => {
                    let m = self.glob(&p, ctx);
                    if m.is_empty() {
                        out.push(text);
                    } else {
                        out.extend(m);
                    }
                }
                _ => out.push(text),
            }
        }
        Ok(out)
    }

    /// Pathname expansion against the container filesystem.
    fn glob(&self, pattern: &str, ctx: &mut Ctx) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let base = if absolute { "/".to_string() } else { self.env.cwd.clone() };
        let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
        let mut cands: Vec<(String, String)> = vec![(if absolute { "/".into() } else { String::new() }, base)];
        let join = |a: &str, b: &str| {
            if a.is_empty() {
                b.to_string()
            } else if a.ends_with('/') {
                format!("{a}{b}")
            } else {
                format!("{a}/{b}")
            }
        };
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let mut next = Vec::new();
            for (disp, full) in &cands {
                if !text::has_glob(comp) {
                    let name = text::unescape_glob(comp);
                    let f = join(full, &name);
                    if (last && fsutil::exists(ctx.fs, &f)) || (!last && fsutil::is_dir(ctx.fs, &f)) {
                        next.push((join(disp, &name), f));
                    }
                } else {
                    let entries = fsutil::list(ctx.fs, full);
                    ctx.charge(entries.len() * 16);
                    for (name, is_dir) in entries {
                        if name.starts_with('.') && !comp.starts_with('.') {
                            continue;
                        }
                        if (last || is_dir) && text::glob_match(comp, &name) {
                            next.push((join(disp, &name), join(full, &name)));
                        }
                    }
                }
                if next.len() > MAX_FIELDS {
                    break;
                }
            }
            cands = next;
        }
        if comps.is_empty() {
            return Vec::new();
        }
        let mut r: Vec<String> = cands.into_iter().map(|(d, _)| d).collect();
        crate::sorting::sort(&mut r);
        r
    }

    // ------------------------------------------------------------ redirections

    pub fn apply_redirs(
        &mut self,
        redirs: &[Redir],
        vals: &[(usize, String)],
        fds: &mut Fds,
        stdin: &mut Option<Input>,
        ctx: &mut Ctx,
    ) -> Result<(), RedirErr> {
        for r in redirs {
            let target = self.expand_str(&r.target, vals, ctx).map_err(RedirErr::Fatal)?;
            match r.op {
                RedirOp::HereDoc(_) => {
                    if r.fd.unwrap_or(0) == 0 {
                        *stdin = Some(Input::new(target));
                    }
                }
                RedirOp::Out | RedirOp::Append => {
                    let sink = self.open_out(&target, r.op == RedirOp::Append, fds, ctx)?;
                    set_fd(fds, r.fd.unwrap_or(1), sink);
                }
                RedirOp::In | RedirOp::ReadWrite => {
                    let path = self.abs(&target);
                    let content = match fsutil::read(ctx.fs, &path) {
                        Some(c) => c,
                        None if fsutil::is_dir(ctx.fs, &path) => {
                            return Err(RedirErr::Failed(format!("sh: can't open {target}: Is a directory")))
                        }
                        None if r.op == RedirOp::ReadWrite => {
                            if ctx.write_file(&path, String::new()).is_err() {
                                return Err(RedirErr::Failed(format!(
                                    "sh: can't create {target}: No space left on device"
                                )));
                            }
                            String::new()
                        }
                        None => return Err(RedirErr::Failed(format!("sh: can't open {target}: no such file"))),
                    };
                    if r.fd.unwrap_or(0) == 0 {
                        *stdin = Some(Input::new(content));
                    }
                }
                RedirOp::DupOut | RedirOp::DupIn => {
                    let sink = match target.as_str() {
                        "1" => fds.out.clone(),
                        "2" => fds.err.clone(),
                        "-" => Sink::Null,
                        "0" => continue,
                        _ => return Err(RedirErr::Failed(format!("sh: {target}: bad file descriptor"))),
                    };
                    if r.op == RedirOp::DupOut {
                        set_fd(fds, r.fd.unwrap_or(1), sink);
                    }
                }
            }
        }
        Ok(())
    }

    fn open_out(&mut self, target: &str, append: bool, fds: &Fds, ctx: &mut Ctx) -> Result<Sink, RedirErr> {
        Ok(match target {
            "/dev/null" => Sink::Null,
            "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => fds.out.clone(),
            "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => fds.err.clone(),
            "/proc/1/fd/1" => Sink::Stdout,
            "/proc/1/fd/2" => Sink::Stderr,
            "" => return Err(RedirErr::Failed("sh: can't create : nonexistent directory".into())),
            _ => {
                let path = self.abs(target);
                if fsutil::is_dir(ctx.fs, &path) {
                    return Err(RedirErr::Failed(format!("sh: can't create {target}: Is a directory")));
                }
                if !fsutil::is_dir(ctx.fs, fsutil::parent(&path)) {
                    return Err(RedirErr::Failed(format!("sh: can't create {target}: nonexistent directory")));
                }
                if (!append || !ctx.fs.files.contains_key(&path)) && ctx.write_file(&path, String::new()).is_err() {
                    return Err(RedirErr::Failed(format!("sh: can't create {target}: No space left on device")));
                }
                Sink::File(path)
            }
        })
    }

    // ------------------------------------------------------------ execution

    /// Runs until the task blocks, exits or runs out of fuel.
    pub fn run(&mut self, ctx: &mut Ctx) -> Block {
        if let Some(w) = self.on_wake.take() {
            if let Some(b) = self.wake_action(w, ctx) {
                return b;
            }
        }
        loop {
            if ctx.fuel == 0 {
                return Block::OutOfFuel;
            }
            ctx.fuel -= 1;
            let Some(chunk) = ctx.code.chunks.get(self.pc.chunk).cloned() else {
                return self.exit(2, ctx).unwrap_or(Block::Exit(2));
            };
            let r = match chunk.get(self.pc.ip) {
                Some(op) => self.step(op, ctx),
                None => self.ret(ctx),
            };
            if let Some(b) = r {
                return b;
            }
        }
    }

    fn wake_action(&mut self, w: OnWake, ctx: &mut Ctx) -> Option<Block> {
        match w {
            OnWake::StressDone { bytes, secs, out } => {
                self.memory = self.memory.saturating_sub(bytes);
                self.write(ctx, &out, &format!("stress: info: [1] successful run completed in {secs}s\n"));
                None
            }
            OnWake::Follow { path, offset, out } => {
                let (new, len) = match ctx.fs.files.get(&path) {
                    Some(c) => {
                        let from = if offset > c.len() || !c.is_char_boundary(offset) { 0 } else { offset };
                        (c[from..].to_string(), c.len())
                    }
                    None => (String::new(), 0),
                };
                self.write(ctx, &out, &new);
                self.on_wake = Some(OnWake::Follow { path, offset: len, out });
                Some(Block::Sleep(1000))
            }
            OnWake::Status(st) => {
                self.status = st;
                None
            }
        }
    }

    fn take_values(&mut self, ids: &[usize]) -> Vec<(usize, String)> {
        let start = self.values.len().saturating_sub(ids.len());
        let vals = self.values.split_off(start);
        let missing = ids.len() - vals.len();
        ids.iter().copied().zip(std::iter::repeat_n(String::new(), missing).chain(vals)).collect()
    }

    fn step(&mut self, op: &Op, ctx: &mut Ctx) -> Option<Block> {
        let next = self.pc.ip + 1;
        match op {
            Op::Jump(t) => self.pc.ip = *t,
            Op::JumpIfOk(t) => self.pc.ip = if self.status == 0 { *t } else { next },
            Op::JumpIfFail(t) => self.pc.ip = if self.status != 0 { *t } else { next },
            Op::Not => {
                self.status = (self.status == 0) as i32;
                self.pc.ip = next;
            }
            Op::SetStatus(s) => {
                self.status = *s;
                self.pc.ip = next;
            }
            Op::ErrExit => {
                if self.env.opts.errexit && self.status != 0 {
                    return self.exit(self.status, ctx);
                }
                self.pc.ip = next;
            }
            Op::Push(p) => return self.push_op(p, ctx),
            Op::Pop => {
                if let Some(f) = self.frames.pop() {
                    self.restore(f);
                }
                self.pc.ip = next;
            }
            Op::ForInit(f) => {
                let vals = self.take_values(&f.substs);
                let items = match &f.items {
                    None => self.env.positional.clone(),
                    Some(words) => {
                        let mut all = Vec::new();
                        for w in words {
                            match self.expand_fields(w, &vals, ctx) {
                                Ok(v) => all.extend(v),
                                Err(m) => return self.fatal(&m, ctx),
                            }
                            if all.len() > MAX_FIELDS {
                                return self.fatal("out of memory", ctx);
                            }
                        }
                        all
                    }
                };
                self.fors.push(ForState { items, idx: 0 });
                self.status = 0;
                self.pc.ip = next;
            }
            Op::ForNext { var, done } => {
                let item = match self.fors.last_mut() {
                    Some(st) if st.idx < st.items.len() => {
                        let v = std::mem::take(&mut st.items[st.idx]);
                        st.idx += 1;
                        Some(v)
                    }
                    _ => None,
                };
                match item {
                    Some(v) => {
                        if let Err(m) = self.set_var(var, v) {
                            return self.fatal(&m, ctx);
                        }
                        self.pc.ip = next;
                    }
                    None => {
                        self.fors.pop();
                        self.pc.ip = *done;
                    }
                }
            }
            Op::Case(c) => {
                let vals = self.take_values(&c.substs);
                let subject = match self.expand_str(&c.subject, &vals, ctx) {
                    Ok(s) => s,
                    Err(m) => return self.fatal(&m, ctx),
                };
                self.status = 0;
                for (pats, target) in &c.arms {
                    for p in pats {
                        let pat = match self.expand_pattern(p, &vals, ctx) {
                            Ok(s) => s,
                            Err(m) => return self.fatal(&m, ctx),
                        };
                        if text::glob_match(&pat, &subject) {
                            self.pc.ip = *target;
                            return None;
                        }
                    }
                }
                self.pc.ip = c.end;
            }
            Op::DefFunc { name, chunk } => {
                self.env.funcs.insert(name.clone(), *chunk);
                self.status = 0;
                self.pc.ip = next;
            }
            Op::Break { frames, fors, target } => {
                for _ in 0..*frames {
                    if let Some(f) = self.frames.pop() {
                        self.restore(f);
                    }
                }
                let keep = self.fors.len().saturating_sub(*fors);
                self.fors.truncate(keep);
                self.status = 0;
                self.pc.ip = *target;
            }
            Op::Spawn(chunk) => {
                self.spawn(*chunk, ctx);
                self.pc.ip = next;
            }
            Op::ExitStatus => return self.exit(self.status, ctx),
            Op::Ret => return self.ret(ctx),
            Op::ExecRedirs(r) => {
                let vals = self.take_values(&r.substs);
                let mut fds = self.fds.clone();
                let mut stdin = None;
                match self.apply_redirs(&r.redirs, &vals, &mut fds, &mut stdin, ctx) {
                    Ok(()) => {
                        self.fds = fds;
                        if stdin.is_some() {
                            self.stdin = stdin;
                        }
                        self.status = 0;
                    }
                    Err(RedirErr::Failed(m)) => {
                        let err = fds.err.clone();
                        self.write(ctx, &err, &format!("{m}\n"));
                        return self.exit(2, ctx);
                    }
                    Err(RedirErr::Fatal(m)) => return self.fatal(&m, ctx),
                }
                self.pc.ip = next;
            }
            Op::Simple(s) => return self.simple(s, ctx),
        }
        None
    }

    fn push_op(&mut self, p: &PushOp, ctx: &mut Ctx) -> Option<Block> {
        let vals = self.take_values(&p.substs);
        let end = Pc { chunk: self.pc.chunk, ip: p.end };
        if self.frames.len() >= MAX_FRAMES {
            return self.fatal("nesting too deep", ctx);
        }
        if p.kind != FrameKind::Redirect && self.held() + self.env.vars_bytes > MAX_HELD {
            return self.fatal("out of memory", ctx);
        }
        let mut fds = self.fds.clone();
        let mut stdin = None;
        if !p.redirs.is_empty() {
            match self.apply_redirs(&p.redirs, &vals, &mut fds, &mut stdin, ctx) {
                Ok(()) => {}
                Err(RedirErr::Failed(msg)) => {
                    let err = fds.err.clone();
                    self.write(ctx, &err, &format!("{msg}\n"));
                    self.status = 1;
                    self.pc = end;
                    return None;
                }
                Err(RedirErr::Fatal(m)) => return self.fatal(&m, ctx),
            }
        }
        let mut frame = Frame {
            role: Role::Redirect,
            resume: end,
            saved_fds: self.fds.clone(),
            saved_stdin: None,
            saved_env: None,
            saved_positional: None,
            locals: Vec::new(),
            fors: self.fors.len(),
            values: self.values.len(),
            captures: self.captures.len(),
            pipes: self.pipes.len(),
        };
        match p.kind {
            FrameKind::Redirect => {}
            FrameKind::Subshell => {
                frame.role = Role::Subshell;
                frame.saved_env = Some(Box::new(self.env.clone()));
                ctx.charge(self.env.vars_bytes);
            }
            FrameKind::Subst => {
                frame.role = Role::Subst;
                frame.saved_env = Some(Box::new(self.env.clone()));
                ctx.charge(self.env.vars_bytes);
                self.captures.push(String::new());
                fds.out = Sink::Capture(self.captures.len() - 1);
            }
            FrameKind::Stage { first, last } => {
                frame.role = Role::Stage { last };
                frame.saved_env = Some(Box::new(self.env.clone()));
                ctx.charge(self.env.vars_bytes);
                if first {
                    self.pipes.push(0);
                    frame.pipes = self.pipes.len();
                } else {
                    let input = self.values.pop().unwrap_or_default();
                    frame.values = self.values.len();
                    stdin = Some(Input::new(input));
                }
                if !last {
                    self.captures.push(String::new());
                    fds.out = Sink::Capture(self.captures.len() - 1);
                }
            }
        }
        if let Some(s) = stdin {
            frame.saved_stdin = Some(self.stdin.replace(s));
        }
        self.fds = fds;
        self.frames.push(frame);
        self.pc.ip += 1;
        None
    }

    /// Undoes what a frame set up (normal end or unwinding).
    fn restore(&mut self, f: Frame) {
        self.fds = f.saved_fds;
        if let Some(stdin) = f.saved_stdin {
            self.stdin = stdin;
        }
        if let Some(env) = f.saved_env {
            self.env = *env;
        }
        if let Some((arg0, pos)) = f.saved_positional {
            self.env.arg0 = arg0;
            self.env.positional = pos;
        }
        for (name, old) in f.locals.into_iter().rev() {
            self.restore_var(&name, old);
        }
        self.fors.truncate(f.fors);
        self.values.truncate(f.values);
        let captured = if self.captures.len() > f.captures {
            let c = self.captures.pop();
            self.captures.truncate(f.captures);
            c
        } else {
            None
        };
        match f.role {
            Role::Subst => {
                let mut v = captured.unwrap_or_default();
                while v.ends_with('\n') {
                    v.pop();
                }
                self.values.push(v);
                self.subst_status = self.status;
            }
            Role::Stage { last } => {
                self.pipes.truncate(f.pipes);
                if !last {
                    self.values.push(captured.unwrap_or_default());
                }
                if self.status != 0 {
                    if let Some(acc) = self.pipes.last_mut() {
                        *acc = self.status;
                    }
                }
                if last {
                    let acc = self.pipes.pop().unwrap_or(0);
                    if self.env.opts.pipefail && self.status == 0 {
                        self.status = acc;
                    }
                }
            }
            _ => {}
        }
    }

    /// `exit`: unwinds to the innermost subshell-like frame, or ends the task.
    pub fn exit(&mut self, status: i32, ctx: &mut Ctx) -> Option<Block> {
        self.status = status;
        while let Some(f) = self.frames.pop() {
            let barrier = f.role.is_barrier();
            let resume = f.resume;
            self.restore(f);
            self.status = status;
            if barrier {
                self.pc = resume;
                return None;
            }
        }
        self.flush(ctx);
        Some(Block::Exit(status))
    }

    /// The end of a function, `eval`, sourced file or nested shell chunk.
    fn ret(&mut self, ctx: &mut Ctx) -> Option<Block> {
        if !self.frames.iter().any(|f| f.role.is_chunk()) {
            return self.exit(self.status, ctx);
        }
        let st = self.status;
        while let Some(f) = self.frames.pop() {
            let is_chunk = f.role.is_chunk();
            let resume = f.resume;
            self.restore(f);
            self.status = st;
            if is_chunk {
                self.pc = resume;
                return None;
            }
        }
        None
    }

    /// `return`: ends the innermost function or sourced file (or subshell).
    fn do_return(&mut self, st: i32, ctx: &mut Ctx) -> Option<Block> {
        let stops = |r: Role| matches!(r, Role::Call | Role::Source) || r.is_barrier();
        if !self.frames.iter().any(|f| stops(f.role)) {
            return self.exit(st, ctx);
        }
        while let Some(f) = self.frames.pop() {
            let stop = stops(f.role);
            let resume = f.resume;
            self.status = st;
            self.restore(f);
            self.status = st;
            if stop {
                self.pc = resume;
                return None;
            }
        }
        None
    }

    /// Starts `chunk` with a new frame: a function call, `eval`, `. file` or a nested shell.
    /// The command's redirections (`io`) apply inside.
    pub fn enter_chunk(
        &mut self,
        ctx: &mut Ctx,
        chunk: usize,
        role: Role,
        io: &mut Io,
        positional: Option<(String, Vec<String>)>,
    ) -> Flow {
        if self.frames.len() >= MAX_FRAMES {
            self.err(ctx, io, "sh: nesting too deep\n");
            return Flow::Exit(2);
        }
        if role == Role::Shell && self.held() + self.env.vars_bytes > MAX_HELD {
            self.err(ctx, io, "sh: out of memory\n");
            return Flow::Exit(2);
        }
        let mut frame = Frame {
            role,
            resume: self.pc,
            saved_fds: std::mem::replace(&mut self.fds, Fds { out: io.out.clone(), err: io.err.clone() }),
            saved_stdin: None,
            saved_env: None,
            saved_positional: None,
            locals: Vec::new(),
            fors: self.fors.len(),
            values: self.values.len(),
            captures: self.captures.len(),
            pipes: self.pipes.len(),
        };
        if io.local {
            frame.saved_stdin = Some(std::mem::replace(&mut self.stdin, io.stdin.take()));
        }
        if role == Role::Shell {
            frame.saved_env = Some(Box::new(self.env.clone()));
        }
        if let Some((arg0, args)) = positional {
            let old = (std::mem::replace(&mut self.env.arg0, arg0), std::mem::replace(&mut self.env.positional, args));
            if frame.saved_env.is_none() {
                frame.saved_positional = Some(old);
            }
        }
        self.frames.push(frame);
        self.pc = Pc { chunk, ip: 0 };
        Flow::Jumped
    }

    fn spawn(&mut self, chunk: usize, ctx: &mut Ctx) {
        if ctx.jobs.len() >= MAX_JOBS {
            let err = self.fds.err.clone();
            self.write(ctx, &err, "sh: can't fork: Resource temporarily unavailable\n");
            self.status = 2;
            return;
        }
        let detach = |s: &Sink| match s {
            Sink::Capture(_) => Sink::Null,
            other => other.clone(),
        };
        let pid = ctx.next_pid;
        ctx.next_pid = ctx.next_pid.saturating_add(1);
        let job = Task {
            pc: Pc { chunk, ip: 0 },
            status: 0,
            env: self.env.clone(),
            fds: Fds { out: detach(&self.fds.out), err: detach(&self.fds.err) },
            stdin: None,
            frames: Vec::new(),
            fors: Vec::new(),
            values: Vec::new(),
            captures: Vec::new(),
            pipes: Vec::new(),
            subst_status: 0,
            lines: Default::default(),
            memory: 0,
            on_wake: None,
            last_bg: None,
            rng: self.rng ^ pid,
            is_main: false,
        };
        ctx.jobs.push((pid, true));
        ctx.spawned.push((pid, job));
        self.last_bg = Some(pid);
        self.status = 0;
    }

    fn simple(&mut self, s: &SimpleOp, ctx: &mut Ctx) -> Option<Block> {
        let vals = self.take_values(&s.substs);
        let mut argv = Vec::new();
        for w in &s.words {
            match self.expand_fields(w, &vals, ctx) {
                Ok(f) => argv.extend(f),
                Err(m) => return self.fatal(&m, ctx),
            }
            if argv.len() > MAX_FIELDS {
                return self.fatal("argument list too long", ctx);
            }
        }
        let mut fds = self.fds.clone();
        let mut local_stdin = None;
        if !s.redirs.is_empty() {
            match self.apply_redirs(&s.redirs, &vals, &mut fds, &mut local_stdin, ctx) {
                Ok(()) => {}
                Err(RedirErr::Failed(msg)) => {
                    let err = fds.err.clone();
                    self.write(ctx, &err, &format!("{msg}\n"));
                    self.status = 1;
                    self.pc.ip += 1;
                    return None;
                }
                Err(RedirErr::Fatal(m)) => return self.fatal(&m, ctx),
            }
        }
        let mut assigns = Vec::new();
        for (name, w) in &s.assigns {
            match self.expand_str(w, &vals, ctx) {
                Ok(v) => assigns.push((name.clone(), v)),
                Err(m) => return self.fatal(&m, ctx),
            }
        }
        if self.env.opts.xtrace {
            let mut words: Vec<String> = assigns.iter().map(|(n, v)| format!("{n}={v}")).collect();
            words.extend(argv.iter().cloned());
            let err = fds.err.clone();
            self.write(ctx, &err, &format!("+ {}\n", quote_words(&words)));
        }
        self.pc.ip += 1;
        let Some(name) = argv.first().cloned() else {
            for (name, v) in assigns {
                if let Err(m) = self.set_var(&name, v) {
                    return self.fatal(&m, ctx);
                }
            }
            self.status = if s.substs.is_empty() { 0 } else { self.subst_status };
            return None;
        };
        let local = local_stdin.is_some();
        let mut io =
            Io { out: fds.out, err: fds.err, stdin: if local { local_stdin } else { self.stdin.take() }, local };
        if let Some(&chunk) = self.env.funcs.get(&name) {
            // Assignments before a function call stay (as in busybox).
            for (n, v) in assigns {
                if let Err(m) = self.set_var(&n, v) {
                    return self.fatal(&m, ctx);
                }
            }
            if !io.local {
                self.stdin = io.stdin.take();
            }
            let arg0 = self.env.arg0.clone();
            let flow = self.enter_chunk(ctx, chunk, Role::Call, &mut io, Some((arg0, argv[1..].to_vec())));
            return self.finish_flow(flow, ctx);
        }
        let mut saved = Vec::new();
        for (n, v) in assigns {
            saved.push((n.clone(), self.env.vars.get(&n).cloned()));
            if let Err(m) = self.set_var(&n, v) {
                return self.fatal(&m, ctx);
            }
            self.export_var(&n);
        }
        let flow = self.dispatch(ctx, &mut io, &argv);
        if !io.local {
            self.stdin = io.stdin.take();
        }
        if matches!(flow, Flow::Jumped) {
            if let Some(top) = self.frames.last_mut() {
                top.locals.extend(saved);
            }
        } else {
            for (n, old) in saved.into_iter().rev() {
                self.restore_var(&n, old);
            }
        }
        self.finish_flow(flow, ctx)
    }

    fn finish_flow(&mut self, flow: Flow, ctx: &mut Ctx) -> Option<Block> {
        match flow {
            Flow::Done(st) => {
                self.status = st;
                None
            }
            Flow::Block(b) => {
                self.status = 0;
                Some(b)
            }
            Flow::Exit(st) => self.exit(st, ctx),
            Flow::Return(st) => self.do_return(st, ctx),
            Flow::Jumped => None,
        }
    }
}

fn set_fd(fds: &mut Fds, fd: u32, sink: Sink) {
    match fd {
        1 => fds.out = sink,
        2 => fds.err = sink,
        _ => {}
    }
}

/// `${x#pat}` and friends. Patterns with glob characters are matched at every cut point, so
/// they are only tried on strings up to 4 KiB (longer ones come back unchanged).
fn trim_pattern(s: &str, pat: &str, prefix: bool, longest: bool) -> String {
    if !text::has_glob(pat) {
        let lit = text::unescape_glob(pat);
        let r = if prefix { s.strip_prefix(lit.as_str()) } else { s.strip_suffix(lit.as_str()) };
        return r.unwrap_or(s).to_string();
    }
    if s.len() > 4096 {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    let n = c.len();
    let cuts: Vec<usize> = if prefix == longest { (0..=n).rev().collect() } else { (0..=n).collect() };
    for i in cuts {
        if prefix {
            if text::glob_match_chars(&p, &c[..i]) {
                return c[i..].iter().collect();
            }
        } else if text::glob_match_chars(&p, &c[i..]) {
            return c[..i].iter().collect();
        }
    }
    s.to_string()
}

/// `${x/pat/rep}` / `${x//pat/rep}` (glob patterns on strings up to 1 KiB).
fn replace_pattern(s: &str, pat: &str, rep: &str, all: bool) -> String {
    if !text::has_glob(pat) {
        let lit = text::unescape_glob(pat);
        if lit.is_empty() {
            return s.to_string();
        }
        return if all { s.replace(&lit, rep) } else { s.replacen(&lit, rep, 1) };
    }
    if s.len() > 1024 {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < c.len() {
        if !replaced || all {
            if let Some(j) = (i + 1..=c.len()).rev().find(|&j| text::glob_match_chars(&p, &c[i..j])) {
                out.push_str(rep);
                i = j;
                replaced = true;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// Finds the first brace expression (`{a,b}` or `{1..5}`) in the unquoted literal text of a word:
/// `(part index, byte start, byte end inclusive, alternatives)`.
fn find_brace(w: &Word) -> Option<(usize, usize, usize, Vec<String>)> {
    for (k, part) in w.iter().enumerate() {
        let Part::Lit(t, false) = part else { continue };
        let b = t.as_bytes();
        for (i, _) in t.match_indices('{') {
            let mut depth = 0usize;
            let mut commas = Vec::new();
            let mut end = None;
            for (j, &c) in b.iter().enumerate().skip(i) {
                match c {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                    b',' if depth == 1 => commas.push(j),
                    _ => {}
                }
            }
            let Some(j) = end else { continue };
            let inner = &t[i + 1..j];
            if !commas.is_empty() {
                let mut alts = Vec::new();
                let mut from = i + 1;
                for c in commas.iter().copied().chain(std::iter::once(j)) {
                    alts.push(t[from..c].to_string());
                    from = c + 1;
                }
                return Some((k, i, j, alts));
            }
            if let Some(seq) = brace_sequence(inner) {
                return Some((k, i, j, seq));
            }
        }
    }
    None
}

/// `1..5`, `5..1`, `1..10..3`, `a..e`.
fn brace_sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    let (a, b, step) = match parts.as_slice() {
        [a, b] => (*a, *b, 1i64),
        [a, b, s] => (*a, *b, s.parse::<i64>().ok()?.checked_abs()?.max(1)),
        _ => return None,
    };
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let mut out = Vec::new();
        let mut v = x;
        loop {
            out.push(v.to_string());
            if v == y || out.len() >= MAX_FIELDS {
                break;
            }
            let next = if x <= y { v.checked_add(step)? } else { v.checked_sub(step)? };
            if (x <= y && next > y) || (x > y && next < y) {
                break;
            }
            v = next;
        }
        return Some(out);
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            let (lo, hi) = (x.min(y) as u8, x.max(y) as u8);
            let mut v: Vec<String> = (lo..=hi).step_by(step as usize).map(|c| (c as char).to_string()).collect();
            if x > y {
                v.reverse();
            }
            Some(v)
        }
        _ => None,
    }
}

/// Bash brace expansion of a word into several words (iterative, capped).
fn brace_expand(w: &Word) -> Option<Vec<Word>> {
    find_brace(w)?;
    let mut todo = vec![w.clone()];
    let mut done = Vec::new();
    let mut work = 0usize;
    while let Some(word) = todo.pop() {
        work += 1;
        if work > MAX_FIELDS || done.len() >= MAX_FIELDS {
            break;
        }
        match find_brace(&word) {
            None => done.push(word),
            Some((k, i, j, alts)) => {
                let Some(Part::Lit(t, _)) = word.get(k) else { continue };
                let (pre, post) = (t[..i].to_string(), t[j + 1..].to_string());
                for alt in alts.iter().rev() {
                    let mut nw = word.clone();
                    if let Some(slot) = nw.get_mut(k) {
                        *slot = Part::Lit(format!("{pre}{alt}{post}"), false);
                    }
                    todo.push(nw);
                }
            }
        }
    }
    Some(done)
}
