//! Compiles the syntax tree to flat instruction lists ("chunks") with jumps. A process is then
//! just a program counter plus explicit stacks, so it can stop at any `sleep` and resume later:
//! nothing lives on the Rust call stack between polls.
//!
//! Command substitutions are compiled as code that runs *before* the command using them: each
//! pushes its captured output on a value stack, and the command pops them when it expands its
//! words. Function bodies and background jobs get chunks of their own.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::ast::*;
use super::limits::MAX_CODE_OPS;

/// All compiled code of a process. Chunk 0 is the entry point; `eval`, `sh -c` and sourced
/// files add chunks at run time (cached by source text).
#[derive(Clone, Debug, Default)]
pub struct Code {
    pub chunks: Vec<Arc<Vec<Op>>>,
    pub total_ops: usize,
    /// Compiled `eval` / `sh -c` sources, so a loop running the same text compiles it once
    /// (shared between clones of a process: copied only when a clone adds to it).
    pub cache: Arc<BTreeMap<String, usize>>,
    pub cache_bytes: usize,
}

/// A code position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pc {
    pub chunk: usize,
    pub ip: usize,
}

#[derive(Clone, Debug)]
pub enum Op {
    Simple(Box<SimpleOp>),
    Jump(usize),
    JumpIfOk(usize),
    JumpIfFail(usize),
    /// `!`: inverts `$?`.
    Not,
    SetStatus(i32),
    /// `set -e`: exit if `$?` is not zero.
    ErrExit,
    Push(Box<PushOp>),
    Pop,
    ForInit(Box<ForInitOp>),
    ForNext {
        var: String,
        done: usize,
    },
    Case(Box<CaseOp>),
    DefFunc {
        name: String,
        chunk: usize,
    },
    /// `break` / `continue`: pops frames and loop states opened inside the loop, then jumps.
    Break {
        frames: usize,
        fors: usize,
        target: usize,
    },
    /// `cmd &`: starts the chunk as a background job.
    Spawn(usize),
    /// Exits with `$?` (end of the main program, after `exec cmd`).
    ExitStatus,
    /// End of a function, `eval`, sourced file or nested shell chunk.
    Ret,
    /// `exec >file`: redirections applied to the shell itself.
    ExecRedirs(Box<RedirsOp>),
}

#[derive(Clone, Debug)]
pub struct SimpleOp {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// Ids of the command substitutions whose outputs are on the value stack, in push order.
    pub substs: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct RedirsOp {
    pub redirs: Vec<Redir>,
    pub substs: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// Redirections of a compound command.
    Redirect,
    /// `( list )`
    Subshell,
    /// `$( list )`: captures stdout onto the value stack.
    Subst,
    /// One command of a pipeline: reads the previous stage's output, captures its own unless last.
    Stage { first: bool, last: bool },
}

#[derive(Clone, Debug)]
pub struct PushOp {
    pub kind: FrameKind,
    pub redirs: Vec<Redir>,
    pub substs: Vec<usize>,
    /// The instruction after the matching `Pop` (where `exit` in a subshell continues).
    pub end: usize,
}

#[derive(Clone, Debug)]
pub struct ForInitOp {
    pub items: Option<Vec<Word>>,
    pub substs: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct CaseOp {
    pub subject: Word,
    pub arms: Vec<(Vec<Word>, usize)>,
    pub end: usize,
    pub substs: Vec<usize>,
}

/// Compiles `list` into a new chunk ending with `end`; returns its index.
pub fn compile_chunk(code: &mut Code, list: List, end: Op) -> Result<usize, String> {
    let id = code.chunks.len();
    code.chunks.push(Arc::new(Vec::new()));
    let mut c = Compiler { code, ops: Vec::new(), loops: Vec::new(), frames: 0, fors: 0, in_cond: false };
    c.list(list)?;
    c.emit(end)?;
    let ops = std::mem::take(&mut c.ops);
    code.total_ops += ops.len();
    if let Some(slot) = code.chunks.get_mut(id) {
        *slot = Arc::new(ops);
    }
    Ok(id)
}

struct LoopCtx {
    head: usize,
    breaks: Vec<usize>,
    frames: usize,
    fors_outer: usize,
    fors_inner: usize,
}

struct Compiler<'c> {
    code: &'c mut Code,
    ops: Vec<Op>,
    loops: Vec<LoopCtx>,
    /// Redirect frames open at this point (popped by `break`).
    frames: usize,
    /// `for` loop states open at this point.
    fors: usize,
    /// Inside a condition (`if`, `while`, left of `&&`): `set -e` does not apply.
    in_cond: bool,
}

impl Compiler<'_> {
    fn emit(&mut self, op: Op) -> Result<usize, String> {
        if self.code.total_ops + self.ops.len() >= MAX_CODE_OPS {
            return Err("out of memory (script too large)".into());
        }
        self.ops.push(op);
        Ok(self.ops.len() - 1)
    }

    fn here(&self) -> usize {
        self.ops.len()
    }

    /// Points the jump at `at` to `target`.
    fn patch(&mut self, at: usize, target: usize) {
        match self.ops.get_mut(at) {
            Some(Op::Jump(t) | Op::JumpIfOk(t) | Op::JumpIfFail(t)) => *t = target,
            Some(Op::Break { target: t, .. }) => *t = target,
            Some(Op::ForNext { done, .. }) => *done = target,
            Some(Op::Push(p)) => p.end = target,
            Some(Op::Case(c)) => c.end = target,
            _ => {}
        }
    }

    /// Compiles `f` as the inside of a subshell-like frame: `break` does not cross it.
    fn barrier(&mut self, f: impl FnOnce(&mut Self) -> Result<(), String>) -> Result<(), String> {
        let loops = std::mem::take(&mut self.loops);
        let (frames, fors) = (self.frames, self.fors);
        self.frames = 0;
        self.fors = 0;
        let r = f(self);
        self.loops = loops;
        self.frames = frames;
        self.fors = fors;
        r
    }

    fn framed(
        &mut self,
        kind: FrameKind,
        redirs: Vec<Redir>,
        substs: Vec<usize>,
        body: impl FnOnce(&mut Self) -> Result<(), String>,
    ) -> Result<(), String> {
        let push = self.emit(Op::Push(Box::new(PushOp { kind, redirs, substs, end: 0 })))?;
        if kind == FrameKind::Redirect {
            self.frames += 1;
            let r = body(self);
            self.frames -= 1;
            r?;
        } else {
            self.barrier(body)?;
        }
        self.emit(Op::Pop)?;
        let end = self.here();
        self.patch(push, end);
        Ok(())
    }

    fn list(&mut self, list: List) -> Result<(), String> {
        for ao in list {
            self.and_or(ao)?;
        }
        Ok(())
    }

    fn cond(&mut self, list: List) -> Result<(), String> {
        let saved = self.in_cond;
        self.in_cond = true;
        let r = self.list(list);
        self.in_cond = saved;
        r
    }

    fn and_or(&mut self, ao: AndOr) -> Result<(), String> {
        if ao.background {
            let job = AndOr { background: false, ..ao };
            let chunk = compile_chunk(self.code, vec![job], Op::ExitStatus)?;
            self.emit(Op::Spawn(chunk))?;
            return Ok(());
        }
        // `a && b || c`: each connector skips just the pipeline after it; `$?` carries over, so
        // the next connector decides again (false && x || y runs y).
        let saved = self.in_cond;
        let n = ao.rest.len();
        let all = std::iter::once((true, ao.first)).chain(ao.rest);
        for (i, (is_and, p)) in all.enumerate() {
            let jump =
                if i > 0 { Some(self.emit(if is_and { Op::JumpIfFail(0) } else { Op::JumpIfOk(0) })?) } else { None };
            let last = i == n;
            let bang = p.bang;
            self.in_cond = saved || !last;
            let r = self.pipeline(p);
            self.in_cond = saved;
            r?;
            if last && !saved && !bang {
                self.emit(Op::ErrExit)?;
            }
            if let Some(j) = jump {
                let after = self.here();
                self.patch(j, after);
            }
        }
        Ok(())
    }

    fn pipeline(&mut self, p: Pipeline) -> Result<(), String> {
        let n = p.cmds.len();
        if n == 1 {
            for cmd in p.cmds {
                self.command(cmd)?;
            }
        } else {
            for (i, cmd) in p.cmds.into_iter().enumerate() {
                let kind = FrameKind::Stage { first: i == 0, last: i + 1 == n };
                self.framed(kind, Vec::new(), Vec::new(), |c| c.command(cmd))?;
            }
        }
        if p.bang {
            self.emit(Op::Not)?;
        }
        Ok(())
    }

    fn command(&mut self, cmd: Command) -> Result<(), String> {
        match cmd {
            Command::Simple(s) => self.simple(s),
            Command::Compound(c, mut redirs) => {
                if redirs.is_empty() {
                    self.compound(*c)
                } else {
                    let substs = self.substs_in_redirs(&mut redirs)?;
                    self.framed(FrameKind::Redirect, redirs, substs, |me| me.compound(*c))
                }
            }
            Command::FuncDef(name, body) => {
                let list = vec![AndOr {
                    first: Pipeline { bang: false, cmds: vec![*body] },
                    rest: Vec::new(),
                    background: false,
                }];
                let chunk = compile_chunk(self.code, list, Op::Ret)?;
                self.emit(Op::DefFunc { name, chunk })?;
                Ok(())
            }
        }
    }

    /// Each compound kind has its own function: in debug builds a big `match` with all their
    /// locals would make every nesting level cost kilobytes of stack.
    fn compound(&mut self, c: Compound) -> Result<(), String> {
        match c {
            Compound::Group(l) => self.list(l),
            Compound::Subshell(l) => self.framed(FrameKind::Subshell, Vec::new(), Vec::new(), |c| c.list(l)),
            Compound::If(arms, els) => self.if_clause(arms, els),
            Compound::Loop { until, cond, body } => self.loop_clause(until, cond, body),
            Compound::For { var, items, body } => self.for_clause(var, items, body),
            Compound::Case { subject, arms } => self.case_clause(subject, arms),
        }
    }

    fn if_clause(&mut self, arms: Vec<(List, List)>, els: Option<List>) -> Result<(), String> {
        let mut ends = Vec::new();
        for (cond, body) in arms {
            self.cond(cond)?;
            let skip = self.emit(Op::JumpIfFail(0))?;
            self.list(body)?;
            ends.push(self.emit(Op::Jump(0))?);
            let next = self.here();
            self.patch(skip, next);
        }
        match els {
            Some(e) => self.list(e)?,
            None => {
                self.emit(Op::SetStatus(0))?;
            }
        }
        let end = self.here();
        for j in ends {
            self.patch(j, end);
        }
        Ok(())
    }

    fn loop_clause(&mut self, until: bool, cond: List, body: List) -> Result<(), String> {
        let head = self.here();
        self.cond(cond)?;
        let exit = self.emit(if until { Op::JumpIfOk(0) } else { Op::JumpIfFail(0) })?;
        self.loops.push(LoopCtx {
            head,
            breaks: Vec::new(),
            frames: self.frames,
            fors_outer: self.fors,
            fors_inner: self.fors,
        });
        let r = self.list(body);
        let ctx = self.loops.pop();
        r?;
        self.emit(Op::Jump(head))?;
        let end = self.here();
        self.patch(exit, end);
        for b in ctx.map(|c| c.breaks).unwrap_or_default() {
            self.patch(b, end);
        }
        self.emit(Op::SetStatus(0))?;
        Ok(())
    }

    fn for_clause(&mut self, var: String, mut items: Option<Vec<Word>>, body: List) -> Result<(), String> {
        let mut substs = Vec::new();
        for w in items.iter_mut().flatten() {
            self.substs_in_word(w, &mut substs)?;
        }
        self.emit(Op::ForInit(Box::new(ForInitOp { items, substs })))?;
        self.fors += 1;
        let head = self.emit(Op::ForNext { var, done: 0 })?;
        self.loops.push(LoopCtx {
            head,
            breaks: Vec::new(),
            frames: self.frames,
            fors_outer: self.fors - 1,
            fors_inner: self.fors,
        });
        let r = self.list(body);
        let ctx = self.loops.pop();
        self.fors -= 1;
        r?;
        self.emit(Op::Jump(head))?;
        let done = self.here();
        self.patch(head, done);
        for b in ctx.map(|c| c.breaks).unwrap_or_default() {
            self.patch(b, done);
        }
        Ok(())
    }

    fn case_clause(&mut self, mut subject: Word, arms: Vec<(Vec<Word>, List)>) -> Result<(), String> {
        let mut substs = Vec::new();
        self.substs_in_word(&mut subject, &mut substs)?;
        let mut pats_list = Vec::new();
        let mut bodies = Vec::new();
        for (mut pats, body) in arms {
            for p in &mut pats {
                self.substs_in_word(p, &mut substs)?;
            }
            pats_list.push(pats);
            bodies.push(body);
        }
        let at = self.emit(Op::Case(Box::new(CaseOp { subject, arms: Vec::new(), end: 0, substs })))?;
        let mut arms = Vec::new();
        let mut ends = Vec::new();
        for (pats, body) in pats_list.into_iter().zip(bodies) {
            arms.push((pats, self.here()));
            self.list(body)?;
            ends.push(self.emit(Op::Jump(0))?);
        }
        let end = self.here();
        for j in ends {
            self.patch(j, end);
        }
        if let Some(Op::Case(c)) = self.ops.get_mut(at) {
            c.arms = arms;
            c.end = end;
        }
        Ok(())
    }

    fn simple(&mut self, mut s: SimpleCmd) -> Result<(), String> {
        let first = s.words.first().and_then(literal_text);
        match first.as_deref() {
            Some("exec") if s.assigns.is_empty() => {
                if s.words.len() == 1 {
                    let substs = self.substs_in_redirs(&mut s.redirs)?;
                    self.emit(Op::ExecRedirs(Box::new(RedirsOp { redirs: s.redirs, substs })))?;
                    return Ok(());
                }
                s.words.remove(0);
                self.simple(s)?;
                self.emit(Op::ExitStatus)?;
                return Ok(());
            }
            Some(kw @ ("break" | "continue")) if s.words.len() <= 2 && s.redirs.is_empty() => {
                let n = match s.words.get(1) {
                    None => Some(1),
                    Some(w) => literal_text(w).and_then(|t| t.parse::<usize>().ok()),
                };
                if let Some(n) = n.filter(|n| *n >= 1) {
                    return self.break_continue(kw == "break", n);
                }
            }
            _ => {}
        }
        let mut substs = Vec::new();
        for (_, w) in &mut s.assigns {
            self.substs_in_word(w, &mut substs)?;
        }
        for w in &mut s.words {
            self.substs_in_word(w, &mut substs)?;
        }
        for r in &mut s.redirs {
            self.substs_in_word(&mut r.target, &mut substs)?;
        }
        self.emit(Op::Simple(Box::new(SimpleOp { assigns: s.assigns, words: s.words, redirs: s.redirs, substs })))?;
        Ok(())
    }

    fn break_continue(&mut self, is_break: bool, n: usize) -> Result<(), String> {
        let depth = self.loops.len();
        if depth == 0 {
            // Outside a loop busybox ignores them.
            self.emit(Op::SetStatus(0))?;
            return Ok(());
        }
        let idx = depth.saturating_sub(n);
        let (frames, fors, head) = match self.loops.get(idx) {
            Some(ctx) => {
                (self.frames - ctx.frames, self.fors - if is_break { ctx.fors_outer } else { ctx.fors_inner }, ctx.head)
            }
            None => return Ok(()),
        };
        let at = self.emit(Op::Break { frames, fors, target: if is_break { 0 } else { head } })?;
        if is_break {
            if let Some(ctx) = self.loops.get_mut(idx) {
                ctx.breaks.push(at);
            }
        }
        Ok(())
    }

    fn substs_in_redirs(&mut self, redirs: &mut [Redir]) -> Result<Vec<usize>, String> {
        let mut substs = Vec::new();
        for r in redirs {
            self.substs_in_word(&mut r.target, &mut substs)?;
        }
        Ok(substs)
    }

    /// Emits the code of every command substitution in `w` (in textual order), records their
    /// ids, and leaves their lists empty in the word.
    fn substs_in_word(&mut self, w: &mut Word, ids: &mut Vec<usize>) -> Result<(), String> {
        for part in w {
            match part {
                Part::Subst(id, list, _) => {
                    let body = std::mem::take(list.as_mut());
                    self.framed(FrameKind::Subst, Vec::new(), Vec::new(), |c| c.list(body))?;
                    ids.push(*id);
                }
                Part::Arith(w, _) => self.substs_in_word(w, ids)?,
                Part::Param(p, _) => match &mut p.op {
                    ParamOp::Plain | ParamOp::Length => {}
                    ParamOp::Default(_, w)
                    | ParamOp::Assign(_, w)
                    | ParamOp::Alt(_, w)
                    | ParamOp::Error(_, w)
                    | ParamOp::TrimPrefix(_, w)
                    | ParamOp::TrimSuffix(_, w) => self.substs_in_word(w, ids)?,
                    ParamOp::Replace(_, a, b) | ParamOp::Substring(a, Some(b)) => {
                        self.substs_in_word(a, ids)?;
                        self.substs_in_word(b, ids)?;
                    }
                    ParamOp::Substring(a, None) => self.substs_in_word(a, ids)?,
                },
                Part::Lit(..) | Part::Tilde => {}
            }
        }
        Ok(())
    }
}
