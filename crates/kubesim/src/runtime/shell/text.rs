//! Text helpers without shell state: glob patterns, a small regular-expression engine for
//! `grep`, `$(( ))` arithmetic, `date` formatting and `printf`. All are iterative or
//! depth-capped, and the regex engine simulates an NFA (no exponential backtracking).

use crate::time::Millis;

// ---------------------------------------------------------------- glob patterns

/// Whether `s` contains an unescaped glob character.
pub fn has_glob(s: &str) -> bool {
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

/// Escapes glob characters so `s` matches only itself.
pub fn escape_glob(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Removes the backslashes of an escaped pattern.
pub fn unescape_glob(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Matches a `[...]` class starting at `p[i] == '['` against `c`: `(matched, index after ])`,
/// or `None` when the bracket is not closed (then it is a literal `[`).
fn class_match(p: &[char], i: usize, c: char) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let neg = matches!(p.get(j), Some('!') | Some('^'));
    if neg {
        j += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let pc = *p.get(j)?;
        if pc == ']' && !first {
            return Some((matched != neg, j + 1));
        }
        first = false;
        let lo = if pc == '\\' {
            j += 1;
            *p.get(j)?
        } else {
            pc
        };
        if p.get(j + 1) == Some(&'-') && p.get(j + 2).is_some_and(|c| *c != ']') {
            let hi = *p.get(j + 2)?;
            if lo <= c && c <= hi {
                matched = true;
            }
            j += 3;
        } else {
            if lo == c {
                matched = true;
            }
            j += 1;
        }
    }
}

/// Shell pattern matching (`case`, `${x#pat}`, pathname expansion). Iterative: a `*` keeps
/// one backtrack point, so matching is O(len(p) * len(s)).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = text.chars().collect();
    glob_match_chars(&p, &s)
}

pub fn glob_match_chars(p: &[char], s: &[char]) -> bool {
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        let c = s[si];
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, si));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => match class_match(p, pi, c) {
                Some((true, next)) => Some(next),
                Some((false, _)) => None,
                None => (c == '[').then_some(pi + 1),
            },
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == c).then_some(pi + 2),
            Some(pc) => (*pc == c).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(next) => {
                pi = next;
                si += 1;
            }
            None => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&'*') {
        pi += 1;
    }
    pi == p.len()
}

// ---------------------------------------------------------------- regular expressions

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Split(usize, usize),
    Jmp(usize),
    Bol,
    Eol,
    Match,
}

#[derive(Clone, Debug)]
enum Re {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Bol,
    Eol,
    Cat(Vec<Re>),
    Alt(Vec<Re>),
    Rep(Box<Re>, u32, Option<u32>),
}

#[derive(Clone, Debug, PartialEq)]
enum RTok {
    Lit(char),
    Meta(char),
    Class(Vec<(char, char)>, bool),
    /// `{n,m}` (max None: unbounded)
    Count(u32, Option<u32>),
}

/// A compiled regular expression (POSIX basic or extended syntax, no back-references).
#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    icase: bool,
}

const MAX_REGEX_INSTS: usize = 20_000;

impl Regex {
    pub fn new(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        let pat: Vec<char> =
            if icase { pattern.chars().flat_map(char::to_lowercase).collect() } else { pattern.chars().collect() };
        let toks = tokenize_regex(&pat, extended)?;
        let mut p = RParser { toks, pos: 0, depth: 0 };
        let re = p.alt()?;
        if p.pos < p.toks.len() {
            return Err("unmatched ) or \\)".into());
        }
        let mut prog = Vec::new();
        emit_re(&re, &mut prog, 0)?;
        prog.push(Inst::Match);
        Ok(Regex { prog, icase })
    }

    /// A regex matching `s` literally (`grep -F`).
    pub fn literal(s: &str, icase: bool) -> Regex {
        let mut prog: Vec<Inst> = if icase {
            s.chars().flat_map(char::to_lowercase).map(Inst::Char).collect()
        } else {
            s.chars().map(Inst::Char).collect()
        };
        prog.push(Inst::Match);
        Regex { prog, icase }
    }

    fn prep(&self, text: &str) -> Vec<char> {
        if self.icase {
            text.chars().flat_map(char::to_lowercase).collect()
        } else {
            text.chars().collect()
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        let t = self.prep(text);
        self.run(&t, 0, false).is_some()
    }

    /// Leftmost-longest match as char offsets `(start, end)`.
    pub fn find_at(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        (from..=text.len()).find_map(|s| self.run(text, s, true).map(|e| (s, e)))
    }

    pub fn chars(&self, text: &str) -> Vec<char> {
        self.prep(text)
    }

    /// Runs the NFA from `start`. Anchored: returns the end of the longest match starting at
    /// `start`. Unanchored: returns some match end as soon as one is found.
    fn run(&self, text: &[char], start: usize, anchored: bool) -> Option<usize> {
        let n = self.prog.len();
        let mut mark = vec![usize::MAX; n];
        let mut gen = 0usize;
        let mut clist = Vec::new();
        self.add(&mut clist, &mut mark, gen, 0, start, text.len());
        let mut last = None;
        let mut pos = start;
        loop {
            if clist.iter().any(|pc| matches!(self.prog.get(*pc), Some(Inst::Match))) {
                last = Some(pos);
                if !anchored {
                    return last;
                }
            }
            if pos >= text.len() {
                return last;
            }
            let c = text[pos];
            gen += 1;
            let mut nlist = Vec::new();
            for &pc in &clist {
                let ok = match self.prog.get(pc) {
                    Some(Inst::Char(x)) => *x == c,
                    Some(Inst::Any) => true,
                    Some(Inst::Class(ranges, neg)) => ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *neg,
                    _ => false,
                };
                if ok {
                    self.add(&mut nlist, &mut mark, gen, pc + 1, pos + 1, text.len());
                }
            }
            if !anchored {
                self.add(&mut nlist, &mut mark, gen, 0, pos + 1, text.len());
            }
            clist = nlist;
            pos += 1;
            if clist.is_empty() {
                return last;
            }
        }
    }

    fn add(&self, list: &mut Vec<usize>, mark: &mut [usize], gen: usize, pc: usize, pos: usize, len: usize) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            match mark.get_mut(pc) {
                Some(m) if *m != gen => *m = gen,
                _ => continue,
            }
            match self.prog.get(pc) {
                Some(Inst::Jmp(t)) => stack.push(*t),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Bol) if pos == 0 => stack.push(pc + 1),
                Some(Inst::Eol) if pos == len => stack.push(pc + 1),
                Some(Inst::Bol | Inst::Eol) => {}
                Some(_) => list.push(pc),
                None => {}
            }
        }
    }
}

fn parse_class(p: &[char], i: &mut usize) -> Result<RTok, String> {
    // p[*i] is just after '['
    let mut neg = false;
    if p.get(*i) == Some(&'^') {
        neg = true;
        *i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = p.get(*i) else {
            return Err("unmatched [".into());
        };
        if c == ']' && !first {
            *i += 1;
            return Ok(RTok::Class(ranges, neg));
        }
        first = false;
        if c == '[' && p.get(*i + 1) == Some(&':') {
            let rest: String = p[*i..].iter().take(12).collect();
            let classes: [(&str, &[(char, char)]); 8] = [
                ("[:alpha:]", &[('a', 'z'), ('A', 'Z')]),
                ("[:digit:]", &[('0', '9')]),
                ("[:alnum:]", &[('a', 'z'), ('A', 'Z'), ('0', '9')]),
                ("[:upper:]", &[('A', 'Z')]),
                ("[:lower:]", &[('a', 'z')]),
                ("[:space:]", &[(' ', ' '), ('\t', '\r')]),
                ("[:blank:]", &[(' ', ' '), ('\t', '\t')]),
                ("[:punct:]", &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')]),
            ];
            if let Some((name, r)) = classes.iter().find(|(n, _)| rest.starts_with(n)) {
                ranges.extend_from_slice(r);
                *i += name.chars().count();
                continue;
            }
        }
        if p.get(*i + 1) == Some(&'-') && p.get(*i + 2).is_some_and(|c| *c != ']') {
            let hi = p[*i + 2];
            ranges.push((c, hi));
            *i += 3;
        } else {
            ranges.push((c, c));
            *i += 1;
        }
    }
}

fn parse_count(p: &[char], i: &mut usize, extended: bool) -> Option<RTok> {
    // p[*i] is just after '{'
    let mut j = *i;
    let num = |j: &mut usize| -> Option<u32> {
        let start = *j;
        while p.get(*j).is_some_and(|c| c.is_ascii_digit()) {
            *j += 1;
        }
        if *j == start {
            return None;
        }
        p[start..*j].iter().collect::<String>().parse().ok()
    };
    let min = num(&mut j)?;
    let max = if p.get(j) == Some(&',') {
        j += 1;
        num(&mut j)
    } else {
        Some(min)
    };
    if !extended {
        if p.get(j) != Some(&'\\') {
            return None;
        }
        j += 1;
    }
    if p.get(j) != Some(&'}') {
        return None;
    }
    *i = j + 1;
    Some(RTok::Count(min.min(255), max.map(|m| m.min(255))))
}

fn tokenize_regex(p: &[char], extended: bool) -> Result<Vec<RTok>, String> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        let at_start = toks.is_empty() || matches!(toks.last(), Some(RTok::Meta('(')) | Some(RTok::Meta('|')));
        i += 1;
        match c {
            '[' => toks.push(parse_class(p, &mut i)?),
            '.' => toks.push(RTok::Meta('.')),
            '^' if extended || at_start => toks.push(RTok::Meta('^')),
            '$' if extended
                || i == p.len()
                || (p.get(i) == Some(&'\\') && matches!(p.get(i + 1), Some(')') | Some('|'))) =>
            {
                toks.push(RTok::Meta('$'))
            }
            '*' if !at_start => toks.push(RTok::Meta('*')),
            '\\' => {
                let Some(&n) = p.get(i) else {
                    return Err("trailing backslash (\\)".into());
                };
                i += 1;
                match n {
                    '(' | ')' | '|' | '+' | '?' if !extended => toks.push(RTok::Meta(n)),
                    '{' if !extended => match parse_count(p, &mut i, false) {
                        Some(t) => toks.push(t),
                        None => return Err("invalid content of \\{\\}".into()),
                    },
                    'w' => toks.push(RTok::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false)),
                    'W' => toks.push(RTok::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], true)),
                    's' => toks.push(RTok::Class(vec![(' ', ' '), ('\t', '\r')], false)),
                    'S' => toks.push(RTok::Class(vec![(' ', ' '), ('\t', '\r')], true)),
                    'd' => toks.push(RTok::Class(vec![('0', '9')], false)),
                    't' => toks.push(RTok::Lit('\t')),
                    'n' => toks.push(RTok::Lit('\n')),
                    _ => toks.push(RTok::Lit(n)),
                }
            }
            '(' | ')' | '|' | '+' | '?' if extended => {
                if matches!(c, '+' | '?') && at_start {
                    toks.push(RTok::Lit(c));
                } else {
                    toks.push(RTok::Meta(c));
                }
            }
            '*' => toks.push(RTok::Lit('*')),
            '{' if extended => match parse_count(p, &mut i, true) {
                Some(t) if !at_start => toks.push(t),
                _ => toks.push(RTok::Lit('{')),
            },
            _ => toks.push(RTok::Lit(c)),
        }
    }
    Ok(toks)
}

struct RParser {
    toks: Vec<RTok>,
    pos: usize,
    depth: usize,
}

impl RParser {
    fn alt(&mut self) -> Result<Re, String> {
        let mut alts = vec![self.cat()?];
        while self.toks.get(self.pos) == Some(&RTok::Meta('|')) {
            self.pos += 1;
            alts.push(self.cat()?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Re::Cat(Vec::new())) } else { Re::Alt(alts) })
    }

    fn cat(&mut self) -> Result<Re, String> {
        let mut items = Vec::new();
        while let Some(t) = self.toks.get(self.pos).cloned() {
            let atom = match t {
                RTok::Meta('|') | RTok::Meta(')') => break,
                RTok::Meta('(') => {
                    self.pos += 1;
                    if self.depth >= 32 {
                        return Err("regular expression too complex".into());
                    }
                    self.depth += 1;
                    let inner = self.alt()?;
                    self.depth -= 1;
                    if self.toks.get(self.pos) != Some(&RTok::Meta(')')) {
                        return Err("unmatched ( or \\(".into());
                    }
                    self.pos += 1;
                    inner
                }
                RTok::Meta('.') => {
                    self.pos += 1;
                    Re::Any
                }
                RTok::Meta('^') => {
                    self.pos += 1;
                    Re::Bol
                }
                RTok::Meta('$') => {
                    self.pos += 1;
                    Re::Eol
                }
                RTok::Meta(c) => {
                    // a quantifier with nothing before it: literal
                    self.pos += 1;
                    Re::Char(c)
                }
                RTok::Lit(c) => {
                    self.pos += 1;
                    Re::Char(c)
                }
                RTok::Class(r, n) => {
                    self.pos += 1;
                    Re::Class(r, n)
                }
                RTok::Count(..) => {
                    self.pos += 1;
                    continue;
                }
            };
            let mut atom = atom;
            loop {
                let (min, max) = match self.toks.get(self.pos) {
                    Some(RTok::Meta('*')) => (0, None),
                    Some(RTok::Meta('+')) => (1, None),
                    Some(RTok::Meta('?')) => (0, Some(1)),
                    Some(RTok::Count(a, b)) => (*a, *b),
                    _ => break,
                };
                self.pos += 1;
                atom = Re::Rep(Box::new(atom), min, max);
            }
            items.push(atom);
        }
        Ok(Re::Cat(items))
    }
}

fn emit_re(re: &Re, prog: &mut Vec<Inst>, depth: usize) -> Result<(), String> {
    if prog.len() > MAX_REGEX_INSTS || depth > 64 {
        return Err("regular expression too big".into());
    }
    match re {
        Re::Char(c) => prog.push(Inst::Char(*c)),
        Re::Any => prog.push(Inst::Any),
        Re::Class(r, n) => prog.push(Inst::Class(r.clone(), *n)),
        Re::Bol => prog.push(Inst::Bol),
        Re::Eol => prog.push(Inst::Eol),
        Re::Cat(items) => {
            for i in items {
                emit_re(i, prog, depth + 1)?;
            }
        }
        Re::Alt(alts) => {
            let mut jumps = Vec::new();
            for (k, a) in alts.iter().enumerate() {
                if k + 1 < alts.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit_re(a, prog, depth + 1)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    if let Some(Inst::Split(_, b)) = prog.get_mut(split) {
                        *b = next;
                    }
                } else {
                    emit_re(a, prog, depth + 1)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                if let Some(Inst::Jmp(t)) = prog.get_mut(j) {
                    *t = end;
                }
            }
        }
        Re::Rep(inner, min, max) => {
            for _ in 0..*min {
                emit_re(inner, prog, depth + 1)?;
            }
            match max {
                None => {
                    // L: split body, end; body; jmp L
                    let l = prog.len();
                    prog.push(Inst::Split(l + 1, 0));
                    emit_re(inner, prog, depth + 1)?;
                    prog.push(Inst::Jmp(l));
                    let end = prog.len();
                    if let Some(Inst::Split(_, b)) = prog.get_mut(l) {
                        *b = end;
                    }
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(prog.len() + 1, 0));
                        emit_re(inner, prog, depth + 1)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        if let Some(Inst::Split(_, b)) = prog.get_mut(s) {
                            *b = end;
                        }
                    }
                }
            }
        }
    }
    if prog.len() > MAX_REGEX_INSTS {
        return Err("regular expression too big".into());
    }
    Ok(())
}

// ---------------------------------------------------------------- arithmetic

/// Variable access for `$(( ))`.
pub trait ArithVars {
    fn get(&mut self, name: &str) -> Result<i64, String>;
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
}

#[derive(Clone, Debug, PartialEq)]
enum ATok {
    Num(i64),
    Ident(String),
    Op(&'static str),
}

const AOPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=",
    "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "!", "~", "&", "|", "^", "?", ":", "(", ")", "=", ",",
];

fn arith_tokens(s: &str) -> Result<Vec<ATok>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let err = || "arithmetic syntax error".to_string();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '#') {
                i += 1;
            }
            let t: String = c[start..i].iter().collect();
            out.push(ATok::Num(parse_int_literal(&t).ok_or_else(err)?));
        } else if ch == '_' || ch.is_ascii_alphabetic() {
            let start = i;
            while i < c.len() && (c[i] == '_' || c[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(ATok::Ident(c[start..i].iter().collect()));
        } else {
            let op = AOPS
                .iter()
                .find(|op| op.chars().enumerate().all(|(k, oc)| c.get(i + k) == Some(&oc)))
                .ok_or_else(err)?;
            i += op.len();
            out.push(ATok::Op(op));
        }
    }
    Ok(out)
}

/// `123`, `0x1f`, `017` (octal), `2#101`.
pub fn parse_int_literal(t: &str) -> Option<i64> {
    if let Some((base, digits)) = t.split_once('#') {
        let b: u32 = base.parse().ok().filter(|b| (2..=36).contains(b))?;
        return i64::from_str_radix(digits, b).ok();
    }
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(h, 16).ok();
    }
    if t.len() > 1 && t.starts_with('0') {
        return i64::from_str_radix(&t[1..], 8).ok();
    }
    t.parse().ok()
}

struct Arith<'v> {
    toks: Vec<ATok>,
    pos: usize,
    depth: usize,
    /// > 0 inside the branch short-circuiting skips: no assignments, no division errors.
    skip: u32,
    vars: &'v mut dyn ArithVars,
}

/// Evaluates a shell arithmetic expression (C operators, 64-bit wrapping).
pub fn arith(expr: &str, vars: &mut dyn ArithVars) -> Result<i64, String> {
    let toks = arith_tokens(expr)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut a = Arith { toks, pos: 0, depth: 0, skip: 0, vars };
    let v = a.comma()?;
    if a.pos < a.toks.len() {
        return Err("arithmetic syntax error".into());
    }
    Ok(v)
}

impl Arith<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(ATok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("arithmetic expression too deep".into());
        }
        Ok(())
    }

    fn get(&mut self, name: &str) -> Result<i64, String> {
        self.vars.get(name)
    }

    fn set(&mut self, name: &str, v: i64) -> Result<(), String> {
        if self.skip == 0 {
            self.vars.set(name, v)?;
        }
        Ok(())
    }

    fn comma(&mut self) -> Result<i64, String> {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> Result<i64, String> {
        self.enter()?;
        let r = self.assign_inner();
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self) -> Result<i64, String> {
        if let (Some(ATok::Ident(name)), Some(ATok::Op(op))) = (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
            let op: &'static str = op;
            if matches!(op, "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^=") {
                let name = name.clone();
                self.pos += 2;
                let rhs = self.assign()?;
                let v = if op == "=" {
                    rhs
                } else {
                    let cur = self.get(&name)?;
                    self.binop(&op[..op.len() - 1], cur, rhs)?
                };
                self.set(&name, v)?;
                return Ok(v);
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<i64, String> {
        let c = self.binary(0)?;
        if self.eat("?") {
            if c == 0 {
                self.skip += 1;
            }
            let a = self.comma();
            if c == 0 {
                self.skip -= 1;
            }
            let a = a?;
            if !self.eat(":") {
                return Err("arithmetic syntax error".into());
            }
            if c != 0 {
                self.skip += 1;
            }
            let b = self.assign();
            if c != 0 {
                self.skip -= 1;
            }
            let b = b?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn binop(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "||" => (a != 0 || b != 0) as i64,
            "&&" => (a != 0 && b != 0) as i64,
            "|" => a | b,
            "^" => a ^ b,
            "&" => a & b,
            "==" => (a == b) as i64,
            "!=" => (a != b) as i64,
            "<" => (a < b) as i64,
            "<=" => (a <= b) as i64,
            ">" => (a > b) as i64,
            ">=" => (a >= b) as i64,
            "<<" => a.wrapping_shl((b & 63) as u32),
            ">>" => a.wrapping_shr((b & 63) as u32),
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "**" => {
                if b < 0 {
                    return Err("exponent less than 0".into());
                }
                a.wrapping_pow(b.min(u32::MAX as i64) as u32)
            }
            "/" | "%" => {
                if b == 0 {
                    if self.skip > 0 {
                        return Ok(0);
                    }
                    return Err("divide by zero".into());
                }
                if op == "/" {
                    a.wrapping_div(b)
                } else {
                    a.wrapping_rem(b)
                }
            }
            _ => return Err("arithmetic syntax error".into()),
        })
    }

    /// Precedence climbing over the binary operators.
    fn binary(&mut self, level: usize) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
            &["**"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        self.enter()?;
        let mut a = self.binary(level + 1)?;
        while let Some(op) = self.peek_op().filter(|o| ops.contains(o)) {
            self.pos += 1;
            let short = (op == "||" && a != 0) || (op == "&&" && a == 0);
            if short {
                self.skip += 1;
            }
            let b = self.binary(level + 1);
            if short {
                self.skip -= 1;
            }
            a = self.binop(op, a, b?)?;
        }
        self.depth -= 1;
        Ok(a)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.enter()?;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, String> {
        match self.peek_op() {
            Some("-") => {
                self.pos += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some("+") => {
                self.pos += 1;
                self.unary()
            }
            Some("!") => {
                self.pos += 1;
                Ok((self.unary()? == 0) as i64)
            }
            Some("~") => {
                self.pos += 1;
                Ok(!self.unary()?)
            }
            Some(op @ ("++" | "--")) => {
                self.pos += 1;
                let Some(ATok::Ident(name)) = self.toks.get(self.pos).cloned() else {
                    return Err("arithmetic syntax error".into());
                };
                self.pos += 1;
                let v = self.get(&name)?;
                let v = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                self.set(&name, v)?;
                Ok(v)
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<i64, String> {
        match self.toks.get(self.pos).cloned() {
            Some(ATok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(ATok::Ident(name)) => {
                self.pos += 1;
                let v = self.get(&name)?;
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.pos += 1;
                    let nv = if op == "++" { v.wrapping_add(1) } else { v.wrapping_sub(1) };
                    self.set(&name, nv)?;
                }
                Ok(v)
            }
            Some(ATok::Op("(")) => {
                self.pos += 1;
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err("arithmetic syntax error".into());
                }
                Ok(v)
            }
            _ => Err("arithmetic syntax error".into()),
        }
    }
}

// ---------------------------------------------------------------- dates

/// Seconds since 1970 of virtual time zero: 2026-01-01T00:00:00Z.
pub fn epoch_seconds(now: Millis) -> i64 {
    crate::time::Epoch::default().0 + (now / 1000) as i64
}

/// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date (inverse of [`civil`]).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// busybox `date` default format.
pub const DATE_DEFAULT: &str = "%a %b %e %H:%M:%S %Z %Y";

/// `strftime` for a UTC instant (seconds since 1970).
pub fn format_date(secs: i64, fmt: &str) -> String {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (sod / 3600, (sod % 3600) / 60, sod % 60);
    let wday = (days + 4).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    let month = MONTHS.get((m as usize).saturating_sub(1)).copied().unwrap_or("January");
    let weekday = WEEKDAYS.get(wday).copied().unwrap_or("Sunday");
    let yday = days - days_from_civil(y, 1, 1) + 1;
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(f) = chars.next() else {
            out.push('%');
            break;
        };
        match f {
            'a' => out.push_str(&weekday[..3]),
            'A' => out.push_str(weekday),
            'b' | 'h' => out.push_str(&month[..3]),
            'B' => out.push_str(month),
            'c' => out.push_str(&format_date(secs, "%a %b %e %H:%M:%S %Y")),
            'C' => out.push_str(&format!("{:02}", y / 100)),
            'd' => out.push_str(&format!("{d:02}")),
            'D' => out.push_str(&format_date(secs, "%m/%d/%y")),
            'e' => out.push_str(&format!("{d:>2}")),
            'F' => out.push_str(&format!("{y:04}-{m:02}-{d:02}")),
            'H' => out.push_str(&format!("{hh:02}")),
            'I' => out.push_str(&format!("{:02}", if hh % 12 == 0 { 12 } else { hh % 12 })),
            'j' => out.push_str(&format!("{yday:03}")),
            'k' => out.push_str(&format!("{hh:>2}")),
            'm' => out.push_str(&format!("{m:02}")),
            'M' => out.push_str(&format!("{mm:02}")),
            'n' => out.push('\n'),
            'N' => out.push_str("000000000"),
            'p' => out.push_str(if hh < 12 { "AM" } else { "PM" }),
            'r' => out.push_str(&format_date(secs, "%I:%M:%S %p")),
            'R' => out.push_str(&format!("{hh:02}:{mm:02}")),
            's' => out.push_str(&secs.to_string()),
            'S' => out.push_str(&format!("{ss:02}")),
            't' => out.push('\t'),
            'T' => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            'u' => out.push_str(&(if wday == 0 { 7 } else { wday }).to_string()),
            'w' => out.push_str(&wday.to_string()),
            'y' => out.push_str(&format!("{:02}", y % 100)),
            'Y' => out.push_str(&y.to_string()),
            'z' => out.push_str("+0000"),
            'Z' => out.push_str("UTC"),
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

// ---------------------------------------------------------------- echo / printf

/// Interprets backslash escapes (`echo -e`, `printf %b`). The flag is true when `\c` asked to
/// stop all output.
pub fn backslash_escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if c[i] != '\\' || i + 1 >= c.len() {
            out.push(c[i]);
            i += 1;
            continue;
        }
        i += 1;
        match c[i] {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'c' => return (out, true),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '0'..='7' => {
                // \0NNN (echo) or \NNN (printf)
                let mut j = i;
                if c[j] == '0' {
                    j += 1;
                }
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 && j < c.len() && ('0'..='7').contains(&c[j]) {
                    v = v * 8 + c[j].to_digit(8).unwrap_or(0);
                    j += 1;
                    n += 1;
                }
                out.push(char::from_u32(v & 0xff).unwrap_or('?'));
                i = j;
                continue;
            }
            'x' => {
                let mut j = i + 1;
                let mut v = 0u32;
                while j < c.len() && j < i + 3 && c[j].is_ascii_hexdigit() {
                    v = v * 16 + c[j].to_digit(16).unwrap_or(0);
                    j += 1;
                }
                if j == i + 1 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
                i = j;
                continue;
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
        i += 1;
    }
    (out, false)
}

/// Parses a `printf` integer argument (`'c` gives the character code).
fn printf_int(arg: &str, errors: &mut Vec<String>) -> i64 {
    let t = arg.trim();
    if t.is_empty() {
        return 0;
    }
    if let Some(rest) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return rest.chars().next().map(|c| c as i64).unwrap_or(0);
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match parse_int_literal(digits) {
        Some(v) => {
            if neg {
                v.wrapping_neg()
            } else {
                v
            }
        }
        None => {
            errors.push(format!("invalid number '{arg}'"));
            let lead: String = digits.chars().take_while(|c| c.is_ascii_digit()).collect();
            lead.parse().unwrap_or(0)
        }
    }
}

fn pad(s: String, width: usize, left: bool, zero: bool) -> String {
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = width - len;
    if left {
        format!("{s}{}", " ".repeat(fill))
    } else if zero {
        let (sign, digits) = match s.strip_prefix('-') {
            Some(d) => ("-", d.to_string()),
            None => ("", s.clone()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

/// `printf FORMAT ARGS...`: the format is reused while arguments remain. Returns the output,
/// error messages, and whether `\c` stopped output.
pub fn printf(fmt: &str, args: &[String]) -> (String, Vec<String>) {
    let f: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut ai = 0usize;
    loop {
        let start_ai = ai;
        let mut i = 0;
        while i < f.len() {
            let c = f[i];
            if c == '\\' {
                // one escape sequence
                let mut j = i + 1;
                if j < f.len() {
                    if f[j] == 'x' {
                        j += 1;
                        while j < f.len() && j < i + 4 && f[j].is_ascii_hexdigit() {
                            j += 1;
                        }
                    } else if ('0'..='7').contains(&f[j]) {
                        let lim = i + 5;
                        while j < f.len() && j < lim && ('0'..='7').contains(&f[j]) {
                            j += 1;
                        }
                    } else {
                        j += 1;
                    }
                }
                let seq: String = f[i..j.min(f.len())].iter().collect();
                let (s, stop) = backslash_escapes(&seq);
                out.push_str(&s);
                if stop {
                    return (out, errors);
                }
                i = j.max(i + 1);
                continue;
            }
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if f.get(i) == Some(&'%') {
                out.push('%');
                i += 1;
                continue;
            }
            let (mut left, mut zero, mut plus, mut space) = (false, false, false, false);
            while let Some(&fl) = f.get(i) {
                match fl {
                    '-' => left = true,
                    '0' => zero = true,
                    '+' => plus = true,
                    ' ' => space = true,
                    '#' => {}
                    _ => break,
                }
                i += 1;
            }
            let mut width = 0usize;
            if f.get(i) == Some(&'*') {
                i += 1;
                let w = args.get(ai).map(|a| printf_int(a, &mut errors)).unwrap_or(0);
                ai += 1;
                if w < 0 {
                    left = true;
                }
                width = w.unsigned_abs().min(4096) as usize;
            } else {
                while let Some(d) = f.get(i).and_then(|c| c.to_digit(10)) {
                    width = (width * 10 + d as usize).min(4096);
                    i += 1;
                }
            }
            let mut prec: Option<usize> = None;
            if f.get(i) == Some(&'.') {
                i += 1;
                let mut p = 0usize;
                if f.get(i) == Some(&'*') {
                    i += 1;
                    p = args.get(ai).map(|a| printf_int(a, &mut errors)).unwrap_or(0).clamp(0, 4096) as usize;
                    ai += 1;
                } else {
                    while let Some(d) = f.get(i).and_then(|c| c.to_digit(10)) {
                        p = (p * 10 + d as usize).min(4096);
                        i += 1;
                    }
                }
                prec = Some(p);
            }
            while matches!(f.get(i), Some('l') | Some('h') | Some('z') | Some('j') | Some('q')) {
                i += 1;
            }
            let Some(&conv) = f.get(i) else {
                errors.push(format!("%{}: invalid format", ""));
                break;
            };
            i += 1;
            let arg = args.get(ai).cloned();
            if arg.is_some() {
                ai += 1;
            }
            let arg = arg.unwrap_or_default();
            let piece = match conv {
                's' => {
                    let mut s = arg;
                    if let Some(p) = prec {
                        s = s.chars().take(p).collect();
                    }
                    pad(s, width, left, false)
                }
                'b' => {
                    let (s, stop) = backslash_escapes(&arg);
                    out.push_str(&pad(s, width, left, false));
                    if stop {
                        return (out, errors);
                    }
                    continue;
                }
                'c' => pad(arg.chars().next().map(String::from).unwrap_or_default(), width, left, false),
                'd' | 'i' => {
                    let v = printf_int(&arg, &mut errors);
                    let mut s = v.to_string();
                    if let Some(p) = prec {
                        let digits = s.trim_start_matches('-');
                        if digits.len() < p {
                            s = format!("{}{}{digits}", if v < 0 { "-" } else { "" }, "0".repeat(p - digits.len()));
                        }
                    }
                    if v >= 0 && plus {
                        s = format!("+{s}");
                    } else if v >= 0 && space {
                        s = format!(" {s}");
                    }
                    pad(s, width, left, zero && prec.is_none())
                }
                'u' => pad((printf_int(&arg, &mut errors) as u64).to_string(), width, left, zero),
                'x' => pad(format!("{:x}", printf_int(&arg, &mut errors)), width, left, zero),
                'X' => pad(format!("{:X}", printf_int(&arg, &mut errors)), width, left, zero),
                'o' => pad(format!("{:o}", printf_int(&arg, &mut errors)), width, left, zero),
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let v: f64 = if arg.trim().is_empty() {
                        0.0
                    } else {
                        arg.trim().parse().unwrap_or_else(|_| {
                            errors.push(format!("invalid number '{arg}'"));
                            0.0
                        })
                    };
                    let p = prec.unwrap_or(6);
                    let s = match conv {
                        'e' => format!("{v:.p$e}"),
                        'E' => format!("{v:.p$E}"),
                        'g' | 'G' => format!("{v}"),
                        _ => format!("{v:.p$}"),
                    };
                    pad(s, width, left, zero)
                }
                other => {
                    errors.push(format!("%{other}: invalid format"));
                    String::new()
                }
            };
            out.push_str(&piece);
            if out.len() > super::limits::MAX_STRING {
                return (out, errors);
            }
        }
        if ai >= args.len() || ai == start_ai {
            break;
        }
    }
    (out, errors)
}

// ---------------------------------------------------------------- durations and sizes

/// `sleep` arguments: `5`, `0.5`, `2m`, `1h`, `1d`. `None` when invalid.
pub fn parse_sleep(arg: &str) -> Option<Millis> {
    let (num, unit_ms): (&str, u128) = match arg.chars().last()? {
        's' => (&arg[..arg.len() - 1], 1_000),
        'm' => (&arg[..arg.len() - 1], 60_000),
        'h' => (&arg[..arg.len() - 1], 3_600_000),
        'd' => (&arg[..arg.len() - 1], 86_400_000),
        _ => (arg, 1_000),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let int: u128 = if int.is_empty() { 0 } else { int.get(..int.len().min(20))?.parse().ok()? };
    let frac = &frac[..frac.len().min(9)];
    let frac_v: u128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    let scale = 10u128.pow(frac.len() as u32);
    let total = int.saturating_mul(unit_ms) + (frac_v * unit_ms).div_ceil(scale);
    Some(total.min(u64::MAX as u128 / 2) as Millis)
}

/// `stress --vm-bytes 128M`: B, K, M, G suffixes (powers of 1024), case-insensitive.
pub fn parse_size(arg: &str) -> Option<u64> {
    let t = arg.trim();
    let (num, mult) = match t.chars().last()?.to_ascii_lowercase() {
        'b' => (&t[..t.len() - 1], 1u64),
        'k' => (&t[..t.len() - 1], 1 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let n: f64 = num.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Some((n * mult as f64).min(1.0e18) as u64)
}
