//! Lexer and recursive-descent parser for the POSIX shell subset. Lexing is driven by the parser
//! (one token of lookahead) because shell tokens depend on context: `$( ... )` parses a whole
//! list in the middle of a word, and here-document bodies start at the next newline.
//!
//! Every recursive construct goes through [`Parser::nested`], which caps the nesting depth so
//! a hostile script (`((((((...`) gets a syntax error instead of a stack overflow.

use super::ast::*;
use super::limits::{MAX_DEPTH, MAX_NODES, MAX_SCRIPT};

/// A syntax error message, printed as `sh: syntax error: <message>`.
pub type PResult<T> = Result<T, String>;

/// Parses a whole script.
pub fn parse(src: &str) -> PResult<List> {
    if src.len() > MAX_SCRIPT {
        return Err("script too large".into());
    }
    let chars: Vec<char> = src.chars().collect();
    let mut p = Parser::new(&chars, 0, 0);
    p.program()
}

pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => chars.all(|c| c == '_' || c.is_ascii_alphanumeric()),
        _ => false,
    }
}

const RESERVED: &[&str] =
    &["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{", "}", "!", "in"];

const OPS: &[&str] = &["&&", "||", ";;", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", "&", "|", ";", "(", ")", "<", ">"];

#[derive(Clone, Debug)]
enum Tok {
    Word(Word),
    IoNum(u32),
    Op(&'static str),
    /// `<<` or `<<-` with the delimiter already read; the id names the body.
    HereDoc(usize),
    Newline,
    Eof,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Eof => "end of file".into(),
        Tok::Newline => "newline".into(),
        Tok::Op(o) => format!("\"{o}\""),
        Tok::HereDoc(_) => "\"<<\"".into(),
        Tok::IoNum(_) => "word".into(),
        Tok::Word(w) => match plain_text(w) {
            Some(k) if RESERVED.contains(&k.as_str()) => format!("\"{k}\""),
            _ => "word".into(),
        },
    }
}

fn unexpected(t: &Tok) -> String {
    format!("unexpected {}", describe(t))
}

struct Pending {
    delim: String,
    strip: bool,
    quoted: bool,
    id: usize,
}

struct Parser<'a> {
    s: &'a [char],
    pos: usize,
    /// Lexing stops here (the end of `$(( ... ))` while its inside is lexed).
    end: usize,
    depth: usize,
    peeked: Option<Tok>,
    pending: Vec<Pending>,
    heredocs: Vec<Option<Word>>,
    /// Next command-substitution id (shared with sub-parsers so ids stay unique).
    substs: usize,
    /// Words, word parts and commands parsed so far: caps the tree's memory.
    nodes: usize,
}

impl<'a> Parser<'a> {
    fn new(s: &'a [char], depth: usize, substs: usize) -> Self {
        Parser {
            s,
            pos: 0,
            end: s.len(),
            depth,
            peeked: None,
            pending: Vec::new(),
            heredocs: Vec::new(),
            substs,
            nodes: 0,
        }
    }

    fn count(&mut self, n: usize) -> PResult<()> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err("script too large".into());
        }
        Ok(())
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err("nesting too deep".into());
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn program(&mut self) -> PResult<List> {
        let mut list = self.list(&[])?;
        match self.next()? {
            Tok::Eof => {}
            t => return Err(unexpected(&t)),
        }
        self.patch_list(&mut list);
        Ok(list)
    }

    // ---- tokens ----

    fn cur(&self) -> Option<char> {
        self.at(0)
    }

    fn at(&self, off: usize) -> Option<char> {
        let i = self.pos.checked_add(off)?;
        if i < self.end {
            self.s.get(i).copied()
        } else {
            None
        }
    }

    fn peek(&mut self) -> PResult<&Tok> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.get_or_insert(Tok::Eof))
    }

    fn next(&mut self) -> PResult<Tok> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    /// The peeked token as a reserved word (unquoted literal), if it is one.
    fn peek_keyword(&mut self) -> PResult<Option<String>> {
        Ok(match self.peek()? {
            Tok::Word(w) => plain_text(w).filter(|k| RESERVED.contains(&k.as_str()) || k == "function" || k == "[["),
            _ => None,
        })
    }

    fn peek_op(&mut self, op: &str) -> PResult<bool> {
        Ok(matches!(self.peek()?, Tok::Op(o) if *o == op))
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    fn expect_keyword(&mut self, kw: &str) -> PResult<()> {
        let t = self.next()?;
        match &t {
            Tok::Word(w) if plain_text(w).as_deref() == Some(kw) => Ok(()),
            Tok::Eof => Err(format!("unexpected end of file (expecting \"{kw}\")")),
            _ => Err(unexpected(&t)),
        }
    }

    fn expect_op(&mut self, op: &str) -> PResult<()> {
        let t = self.next()?;
        match &t {
            Tok::Op(o) if *o == op => Ok(()),
            Tok::Eof => Err(format!("unexpected end of file (expecting \"{op}\")")),
            _ => Err(unexpected(&t)),
        }
    }

    fn skip_blank(&mut self) {
        while let Some(c) = self.cur() {
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.at(1) == Some('\n') => self.pos += 2,
                '#' => {
                    while let Some(c) = self.cur() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn lex(&mut self) -> PResult<Tok> {
        self.skip_blank();
        let Some(c) = self.cur() else {
            self.read_heredocs()?;
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.pos += 1;
            self.read_heredocs()?;
            return Ok(Tok::Newline);
        }
        for op in OPS {
            if op.chars().enumerate().all(|(i, oc)| self.at(i) == Some(oc)) {
                self.pos += op.len();
                if op.starts_with("<<") {
                    return self.heredoc_op(*op == "<<-");
                }
                return Ok(Tok::Op(op));
            }
        }
        if c.is_ascii_digit() {
            let mut n = 0;
            while self.at(n).is_some_and(|c| c.is_ascii_digit()) {
                n += 1;
            }
            if n <= 4 && matches!(self.at(n), Some('<') | Some('>')) {
                let digits: String = (0..n).filter_map(|i| self.at(i)).collect();
                self.pos += n;
                return Ok(Tok::IoNum(digits.parse().unwrap_or(0)));
            }
        }
        Ok(Tok::Word(self.word()?))
    }

    fn heredoc_op(&mut self, strip: bool) -> PResult<Tok> {
        while matches!(self.cur(), Some(' ') | Some('\t')) {
            self.pos += 1;
        }
        let start = self.pos;
        let w = self.word()?;
        if w.is_empty() {
            let t = self.lex()?;
            return Err(unexpected(&t));
        }
        let raw: String = self.s[start..self.pos].iter().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
        let quoted = self.s[start..self.pos].iter().any(|c| matches!(c, '\'' | '"' | '\\'));
        let id = self.heredocs.len();
        self.heredocs.push(None);
        self.pending.push(Pending { delim: raw, strip, quoted, id });
        Ok(Tok::HereDoc(id))
    }

    /// Reads the bodies of the here-documents opened on the line that just ended.
    fn read_heredocs(&mut self) -> PResult<()> {
        for p in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            while self.pos < self.end {
                let mut line = String::new();
                while let Some(c) = self.cur() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if p.strip { line.trim_start_matches('\t') } else { &line };
                if line == p.delim {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            let word = if p.quoted {
                vec![Part::Lit(body, true)]
            } else {
                let chars: Vec<char> = body.chars().collect();
                let mut sub = Parser::new(&chars, self.depth + 1, self.substs);
                sub.nodes = self.nodes;
                let parts = sub.heredoc_parts()?;
                self.substs = sub.substs;
                self.nodes = sub.nodes;
                parts
            };
            if let Some(slot) = self.heredocs.get_mut(p.id) {
                *slot = Some(word);
            }
        }
        Ok(())
    }

    // ---- words ----

    fn word(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        let start = self.pos;
        while let Some(c) = self.cur() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    self.pos += 1;
                    match self.cur() {
                        Some('\n') => self.pos += 1,
                        Some(c) => {
                            self.pos += 1;
                            push_char(&mut parts, c, true);
                        }
                        None => push_char(&mut parts, '\\', false),
                    }
                }
                '\'' => {
                    self.pos += 1;
                    let s = self.single_quoted()?;
                    push_str(&mut parts, &s, true);
                }
                '"' => {
                    self.pos += 1;
                    self.double_quoted(&mut parts)?;
                }
                '`' => {
                    self.pos += 1;
                    let p = self.backquote(false)?;
                    parts.push(p);
                }
                '$' => {
                    self.pos += 1;
                    self.dollar(&mut parts, false)?;
                }
                '~' if self.pos == start
                    && matches!(
                        self.at(1),
                        None | Some('/' | ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')')
                    ) =>
                {
                    self.pos += 1;
                    parts.push(Part::Tilde);
                }
                _ => {
                    self.pos += 1;
                    push_char(&mut parts, c, false);
                }
            }
        }
        self.count(1)?;
        Ok(parts)
    }

    fn single_quoted(&mut self) -> PResult<String> {
        let mut s = String::new();
        loop {
            match self.cur() {
                None => return Err("unterminated quoted string".into()),
                Some('\'') => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => {
                    self.pos += 1;
                    s.push(c);
                }
            }
        }
    }

    fn double_quoted(&mut self, parts: &mut Word) -> PResult<()> {
        push_str(parts, "", true);
        loop {
            match self.cur() {
                None => return Err("unterminated quoted string".into()),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.cur() {
                        Some('\n') => self.pos += 1,
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            self.pos += 1;
                            push_char(parts, c, true);
                        }
                        _ => push_char(parts, '\\', true),
                    }
                }
                Some('$') => {
                    self.pos += 1;
                    self.dollar(parts, true)?;
                }
                Some('`') => {
                    self.pos += 1;
                    let p = self.backquote(true)?;
                    parts.push(p);
                }
                Some(c) => {
                    self.pos += 1;
                    push_char(parts, c, true);
                }
            }
        }
    }

    /// After a `$`.
    fn dollar(&mut self, parts: &mut Word, quoted: bool) -> PResult<()> {
        self.count(1)?;
        match self.cur() {
            Some('{') => {
                self.pos += 1;
                let p = self.nested(|p| p.brace_param())?;
                parts.push(Part::Param(Box::new(p), quoted));
            }
            Some('(') => {
                if self.at(1) == Some('(') {
                    if let Some(close) = self.find_arith_end(self.pos + 2) {
                        self.pos += 2;
                        let word = self.nested(|p| {
                            let saved = p.end;
                            p.end = close;
                            let r = p.arith_parts();
                            p.end = saved;
                            r
                        })?;
                        self.pos = close + 2;
                        parts.push(Part::Arith(word, quoted));
                        return Ok(());
                    }
                }
                self.pos += 1;
                let list = self.nested(|p| p.subst_list())?;
                let id = self.substs;
                self.substs += 1;
                parts.push(Part::Subst(id, Box::new(list), quoted));
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self.cur().filter(|c| *c == '_' || c.is_ascii_alphanumeric()) {
                    name.push(c);
                    self.pos += 1;
                }
                parts.push(Part::Param(Box::new(Param { name, op: ParamOp::Plain }), quoted));
            }
            Some(c) if c.is_ascii_digit() || "?$#@*!-".contains(c) => {
                self.pos += 1;
                parts.push(Part::Param(Box::new(Param { name: c.to_string(), op: ParamOp::Plain }), quoted));
            }
            _ => push_char(parts, '$', quoted),
        }
        Ok(())
    }

    /// Where the `))` closing a `$((` starting at `from` is, if this is an arithmetic expansion
    /// (and not `$( (subshell) )`).
    fn find_arith_end(&self, from: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = from;
        while i < self.end {
            match self.s.get(i) {
                Some('(') => depth += 1,
                Some(')') => {
                    if depth == 0 {
                        return (i + 1 < self.end && self.s.get(i + 1) == Some(&')')).then_some(i);
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn arith_parts(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        push_str(&mut parts, "", true);
        while let Some(c) = self.cur() {
            self.pos += 1;
            match c {
                '$' => self.dollar(&mut parts, true)?,
                '`' => {
                    let p = self.backquote(true)?;
                    parts.push(p);
                }
                _ => push_char(&mut parts, c, true),
            }
        }
        Ok(parts)
    }

    fn heredoc_parts(&mut self) -> PResult<Word> {
        let mut parts = Vec::new();
        push_str(&mut parts, "", true);
        while let Some(c) = self.cur() {
            self.pos += 1;
            match c {
                '\\' => match self.cur() {
                    Some('\n') => self.pos += 1,
                    Some(c @ ('$' | '`' | '\\')) => {
                        self.pos += 1;
                        push_char(&mut parts, c, true);
                    }
                    _ => push_char(&mut parts, '\\', true),
                },
                '$' => self.dollar(&mut parts, true)?,
                '`' => {
                    let p = self.backquote(true)?;
                    parts.push(p);
                }
                _ => push_char(&mut parts, c, true),
            }
        }
        Ok(parts)
    }

    /// After `$(`: a list up to the matching `)`.
    fn subst_list(&mut self) -> PResult<List> {
        let saved = self.peeked.take();
        let list = self.list(&[])?;
        match self.next()? {
            Tok::Op(")") => {}
            Tok::Eof => return Err("unexpected end of file (expecting \")\")".into()),
            t => return Err(unexpected(&t)),
        }
        self.peeked = saved;
        Ok(list)
    }

    /// After a backquote: the text up to the closing one, parsed by a sub-parser.
    fn backquote(&mut self, quoted: bool) -> PResult<Part> {
        let mut text = String::new();
        loop {
            match self.cur() {
                None => return Err("unterminated quoted string".into()),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => match self.at(1) {
                    Some(c @ ('`' | '\\' | '$')) => {
                        text.push(c);
                        self.pos += 2;
                    }
                    Some('"') if quoted => {
                        text.push('"');
                        self.pos += 2;
                    }
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        if self.depth >= MAX_DEPTH {
            return Err("nesting too deep".into());
        }
        let chars: Vec<char> = text.chars().collect();
        let mut sub = Parser::new(&chars, self.depth + 1, self.substs);
        sub.nodes = self.nodes;
        let list = sub.program()?;
        self.substs = sub.substs;
        self.nodes = sub.nodes;
        let id = self.substs;
        self.substs += 1;
        Ok(Part::Subst(id, Box::new(list), quoted))
    }

    /// After `${`.
    fn brace_param(&mut self) -> PResult<Param> {
        if self.cur() == Some('#') {
            match self.at(1) {
                Some('}') => {
                    self.pos += 2;
                    return Ok(Param { name: "#".into(), op: ParamOp::Plain });
                }
                Some(c) if c == '_' || c.is_ascii_alphanumeric() || "?$@*!-#".contains(c) => {
                    self.pos += 1;
                    let name = self.param_name()?;
                    if self.cur() != Some('}') {
                        return Err("bad substitution".into());
                    }
                    self.pos += 1;
                    return Ok(Param { name, op: ParamOp::Length });
                }
                _ => {}
            }
        }
        let name = self.param_name()?;
        let op = match self.cur() {
            Some('}') => {
                self.pos += 1;
                return Ok(Param { name, op: ParamOp::Plain });
            }
            Some(':') => match self.at(1) {
                Some(c @ ('-' | '=' | '+' | '?')) => {
                    self.pos += 2;
                    let w = self.param_word(&['}'])?;
                    match c {
                        '-' => ParamOp::Default(true, w),
                        '=' => ParamOp::Assign(true, w),
                        '+' => ParamOp::Alt(true, w),
                        _ => ParamOp::Error(true, w),
                    }
                }
                _ => {
                    self.pos += 1;
                    let off = self.param_word(&[':', '}'])?;
                    let len = if self.cur() == Some(':') {
                        self.pos += 1;
                        Some(self.param_word(&['}'])?)
                    } else {
                        None
                    };
                    ParamOp::Substring(off, len)
                }
            },
            Some(c @ ('-' | '=' | '+' | '?')) => {
                self.pos += 1;
                let w = self.param_word(&['}'])?;
                match c {
                    '-' => ParamOp::Default(false, w),
                    '=' => ParamOp::Assign(false, w),
                    '+' => ParamOp::Alt(false, w),
                    _ => ParamOp::Error(false, w),
                }
            }
            Some(c @ ('#' | '%')) => {
                self.pos += 1;
                let longest = self.cur() == Some(c);
                if longest {
                    self.pos += 1;
                }
                let w = self.param_word(&['}'])?;
                if c == '#' {
                    ParamOp::TrimPrefix(longest, w)
                } else {
                    ParamOp::TrimSuffix(longest, w)
                }
            }
            Some('/') => {
                self.pos += 1;
                let all = self.cur() == Some('/');
                if all {
                    self.pos += 1;
                }
                let pat = self.param_word(&['/', '}'])?;
                let rep = if self.cur() == Some('/') {
                    self.pos += 1;
                    self.param_word(&['}'])?
                } else {
                    Vec::new()
                };
                ParamOp::Replace(all, pat, rep)
            }
            _ => return Err("bad substitution".into()),
        };
        if self.cur() != Some('}') {
            return Err("missing '}'".into());
        }
        self.pos += 1;
        Ok(Param { name, op })
    }

    fn param_name(&mut self) -> PResult<String> {
        let mut name = String::new();
        match self.cur() {
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                while let Some(c) = self.cur().filter(|c| *c == '_' || c.is_ascii_alphanumeric()) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.cur().filter(|c| c.is_ascii_digit()) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if "?$#@*!-".contains(c) => {
                name.push(c);
                self.pos += 1;
            }
            None => return Err("missing '}'".into()),
            _ => return Err("bad substitution".into()),
        }
        Ok(name)
    }

    /// The word operand inside `${...}`, up to an unquoted stop character.
    fn param_word(&mut self, stops: &[char]) -> PResult<Word> {
        let mut parts = Vec::new();
        let mut braces = 0usize;
        loop {
            let Some(c) = self.cur() else {
                return Err("missing '}'".into());
            };
            if braces == 0 && stops.contains(&c) {
                return Ok(parts);
            }
            self.pos += 1;
            match c {
                '\\' => match self.cur() {
                    Some(c) => {
                        self.pos += 1;
                        push_char(&mut parts, c, true);
                    }
                    None => return Err("missing '}'".into()),
                },
                '\'' => {
                    let s = self.single_quoted()?;
                    push_str(&mut parts, &s, true);
                }
                '"' => self.double_quoted(&mut parts)?,
                '$' => self.dollar(&mut parts, false)?,
                '`' => {
                    let p = self.backquote(false)?;
                    parts.push(p);
                }
                '{' => {
                    braces += 1;
                    push_char(&mut parts, c, false);
                }
                '}' => {
                    braces = braces.saturating_sub(1);
                    push_char(&mut parts, c, false);
                }
                _ => push_char(&mut parts, c, false),
            }
        }
    }

    // ---- grammar ----

    fn at_list_end(&mut self, stops: &[&str]) -> PResult<bool> {
        Ok(match self.peek()? {
            Tok::Eof | Tok::Op(")") | Tok::Op(";;") => true,
            Tok::Word(w) => plain_text(w).is_some_and(|k| stops.contains(&k.as_str())),
            _ => false,
        })
    }

    fn list(&mut self, stops: &[&str]) -> PResult<List> {
        let mut list = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.at_list_end(stops)? {
                return Ok(list);
            }
            let mut ao = self.and_or()?;
            let sep = match self.peek()? {
                Tok::Op(";") => Some(false),
                Tok::Op("&") => Some(true),
                Tok::Newline => None,
                _ => {
                    list.push(ao);
                    return Ok(list);
                }
            };
            if let Some(bg) = sep {
                self.next()?;
                ao.background = bg;
            }
            list.push(ao);
        }
    }

    /// A list that must not be empty (bodies of `if`, loops, groups).
    fn body(&mut self, stops: &[&str]) -> PResult<List> {
        let list = self.list(stops)?;
        if list.is_empty() {
            let t = self.peek()?.clone();
            return Err(unexpected(&t));
        }
        Ok(list)
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let is_and = match self.peek()? {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((is_and, self.pipeline()?));
        }
        Ok(AndOr { first, rest, background: false })
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        let mut bang = false;
        while self.peek_keyword()?.as_deref() == Some("!") {
            self.next()?;
            bang = !bang;
        }
        let mut cmds = vec![self.command()?];
        while self.peek_op("|")? {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn command(&mut self) -> PResult<Command> {
        match self.peek_keyword()?.as_deref() {
            Some("if" | "while" | "until" | "for" | "case" | "{") => {
                let c = self.nested(|p| p.compound())?;
                let r = self.redirs_after()?;
                return Ok(Command::Compound(Box::new(c), r));
            }
            Some("function") => {
                self.next()?;
                let name = match self.next()? {
                    Tok::Word(w) => plain_text(&w).filter(|n| !n.is_empty()),
                    _ => None,
                };
                let Some(name) = name else {
                    return Err("unexpected word".into());
                };
                if self.peek_op("(")? {
                    self.next()?;
                    self.expect_op(")")?;
                }
                return self.func_body(name);
            }
            Some("[[") => return self.double_bracket(),
            Some(k) if k != "in" => {
                let t = self.peek()?.clone();
                return Err(unexpected(&t));
            }
            _ => {}
        }
        if self.peek_op("(")? {
            self.next()?;
            let list = self.nested(|p| {
                let l = p.body(&[])?;
                p.expect_op(")")?;
                Ok(l)
            })?;
            let r = self.redirs_after()?;
            return Ok(Command::Compound(Box::new(Compound::Subshell(list)), r));
        }
        self.simple()
    }

    fn func_body(&mut self, name: String) -> PResult<Command> {
        self.skip_newlines()?;
        let body = self.nested(|p| p.command())?;
        if !matches!(body, Command::Compound(..)) {
            return Err("unexpected word".into());
        }
        Ok(Command::FuncDef(name, Box::new(body)))
    }

    /// `[[ ... ]]` (bash): the words up to `]]`, operators included as plain words, run by the
    /// `[[` builtin.
    fn double_bracket(&mut self) -> PResult<Command> {
        let mut cmd = SimpleCmd::default();
        if let Tok::Word(w) = self.next()? {
            cmd.words.push(w);
        }
        loop {
            match self.next()? {
                Tok::Word(w) => {
                    let end = plain_text(&w).as_deref() == Some("]]");
                    cmd.words.push(w);
                    if end {
                        break;
                    }
                }
                Tok::Op(o) => cmd.words.push(vec![Part::Lit(o.to_string(), true)]),
                Tok::IoNum(n) => cmd.words.push(vec![Part::Lit(n.to_string(), true)]),
                t => return Err(unexpected(&t)),
            }
        }
        cmd.redirs = self.redirs_after()?;
        Ok(Command::Simple(cmd))
    }

    /// One function per compound kind keeps each nesting level's stack frame small.
    fn compound(&mut self) -> PResult<Compound> {
        let kw = match self.next()? {
            Tok::Word(w) => plain_text(&w).unwrap_or_default(),
            t => return Err(unexpected(&t)),
        };
        match kw.as_str() {
            "if" => self.if_clause(),
            "while" | "until" => self.loop_clause(kw == "until"),
            "for" => self.for_clause(),
            "case" => self.case_clause(),
            "{" => self.group(),
            _ => Err(format!("unexpected \"{kw}\"")),
        }
    }

    fn if_clause(&mut self) -> PResult<Compound> {
        let mut arms = Vec::new();
        loop {
            let cond = self.body(&["then"])?;
            self.expect_keyword("then")?;
            let body = self.body(&["elif", "else", "fi"])?;
            arms.push((cond, body));
            let t = self.next()?;
            match &t {
                Tok::Word(w) => match plain_text(w).as_deref() {
                    Some("elif") => continue,
                    Some("else") => {
                        let e = self.body(&["fi"])?;
                        self.expect_keyword("fi")?;
                        return Ok(Compound::If(arms, Some(e)));
                    }
                    Some("fi") => return Ok(Compound::If(arms, None)),
                    _ => return Err(unexpected(&t)),
                },
                Tok::Eof => return Err("unexpected end of file (expecting \"fi\")".into()),
                _ => return Err(unexpected(&t)),
            }
        }
    }

    fn loop_clause(&mut self, until: bool) -> PResult<Compound> {
        let cond = self.body(&["do"])?;
        self.expect_keyword("do")?;
        let body = self.body(&["done"])?;
        self.expect_keyword("done")?;
        Ok(Compound::Loop { until, cond, body })
    }

    fn for_clause(&mut self) -> PResult<Compound> {
        let var = match self.next()? {
            Tok::Word(w) => plain_text(&w).filter(|n| is_name(n)),
            _ => None,
        };
        let Some(var) = var else {
            return Err("bad for loop variable".into());
        };
        self.skip_newlines()?;
        let mut items = None;
        if self.peek_keyword()?.as_deref() == Some("in") {
            self.next()?;
            let mut words = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w) => words.push(w),
                    Tok::Op(";") | Tok::Newline => break,
                    t => return Err(unexpected(&t)),
                }
            }
            items = Some(words);
        } else if self.peek_op(";")? {
            self.next()?;
        }
        self.skip_newlines()?;
        self.expect_keyword("do")?;
        let body = self.body(&["done"])?;
        self.expect_keyword("done")?;
        Ok(Compound::For { var, items, body })
    }

    fn case_clause(&mut self) -> PResult<Compound> {
        let subject = match self.next()? {
            Tok::Word(w) => w,
            t => return Err(unexpected(&t)),
        };
        self.skip_newlines()?;
        self.expect_keyword("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_keyword()?.as_deref() == Some("esac") {
                self.next()?;
                return Ok(Compound::Case { subject, arms });
            }
            if self.peek_op("(")? {
                self.next()?;
            }
            let mut pats = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w) => pats.push(w),
                    t => return Err(unexpected(&t)),
                }
                if self.peek_op("|")? {
                    self.next()?;
                } else {
                    break;
                }
            }
            self.expect_op(")")?;
            let body = self.list(&["esac"])?;
            arms.push((pats, body));
            if self.peek_op(";;")? {
                self.next()?;
            } else if self.peek_keyword()?.as_deref() != Some("esac") {
                let t = self.next()?;
                return Err(match t {
                    Tok::Eof => "unexpected end of file (expecting \"esac\")".into(),
                    t => unexpected(&t),
                });
            }
        }
    }

    fn group(&mut self) -> PResult<Compound> {
        let list = self.body(&["}"])?;
        self.expect_keyword("}")?;
        Ok(Compound::Group(list))
    }

    fn redirs_after(&mut self) -> PResult<Vec<Redir>> {
        let mut r = Vec::new();
        while self.at_redirect()? {
            r.push(self.redirect()?);
        }
        Ok(r)
    }

    fn at_redirect(&mut self) -> PResult<bool> {
        Ok(matches!(
            self.peek()?,
            Tok::IoNum(_) | Tok::HereDoc(_) | Tok::Op("<" | ">" | ">>" | "<&" | ">&" | "<>" | ">|")
        ))
    }

    fn redirect(&mut self) -> PResult<Redir> {
        let mut fd = None;
        let mut t = self.next()?;
        if let Tok::IoNum(n) = t {
            fd = Some(n);
            t = self.next()?;
        }
        let op = match t {
            Tok::HereDoc(id) => return Ok(Redir { fd, op: RedirOp::HereDoc(id), target: Vec::new() }),
            Tok::Op(">") | Tok::Op(">|") => RedirOp::Out,
            Tok::Op(">>") => RedirOp::Append,
            Tok::Op("<") => RedirOp::In,
            Tok::Op("<>") => RedirOp::ReadWrite,
            Tok::Op(">&") => RedirOp::DupOut,
            Tok::Op("<&") => RedirOp::DupIn,
            t => return Err(unexpected(&t)),
        };
        match self.next()? {
            Tok::Word(target) => Ok(Redir { fd, op, target }),
            t => Err(unexpected(&t)),
        }
    }

    fn simple(&mut self) -> PResult<Command> {
        let mut cmd = SimpleCmd::default();
        loop {
            if self.at_redirect()? {
                cmd.redirs.push(self.redirect()?);
                continue;
            }
            if !matches!(self.peek()?, Tok::Word(_)) {
                break;
            }
            let Tok::Word(w) = self.next()? else { break };
            if cmd.words.is_empty() {
                if let Some((name, value)) = split_assignment(&w) {
                    cmd.assigns.push((name, value));
                    continue;
                }
                if cmd.assigns.is_empty() && cmd.redirs.is_empty() && self.peek_op("(")? {
                    let name = plain_text(&w).filter(|n| !n.is_empty() && !n.contains('/'));
                    let Some(name) = name else {
                        return Err("unexpected \"(\"".into());
                    };
                    self.next()?;
                    self.expect_op(")")?;
                    return self.func_body(name);
                }
            }
            cmd.words.push(w);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            let t = self.peek()?.clone();
            return Err(unexpected(&t));
        }
        self.count(1)?;
        Ok(Command::Simple(cmd))
    }

    // ---- here-document bodies ----

    fn patch_list(&mut self, list: &mut List) {
        for ao in list {
            self.patch_pipeline(&mut ao.first);
            for (_, p) in &mut ao.rest {
                self.patch_pipeline(p);
            }
        }
    }

    fn patch_pipeline(&mut self, p: &mut Pipeline) {
        for c in &mut p.cmds {
            self.patch_command(c);
        }
    }

    fn patch_command(&mut self, c: &mut Command) {
        match c {
            Command::Simple(s) => {
                for (_, w) in &mut s.assigns {
                    self.patch_word(w);
                }
                for w in &mut s.words {
                    self.patch_word(w);
                }
                self.patch_redirs(&mut s.redirs);
            }
            Command::Compound(c, r) => {
                match c.as_mut() {
                    Compound::Group(l) | Compound::Subshell(l) => self.patch_list(l),
                    Compound::If(arms, e) => {
                        for (c, b) in arms {
                            self.patch_list(c);
                            self.patch_list(b);
                        }
                        if let Some(e) = e {
                            self.patch_list(e);
                        }
                    }
                    Compound::Loop { cond, body, .. } => {
                        self.patch_list(cond);
                        self.patch_list(body);
                    }
                    Compound::For { items, body, .. } => {
                        for w in items.iter_mut().flatten() {
                            self.patch_word(w);
                        }
                        self.patch_list(body);
                    }
                    Compound::Case { subject, arms } => {
                        self.patch_word(subject);
                        for (pats, body) in arms {
                            for w in pats {
                                self.patch_word(w);
                            }
                            self.patch_list(body);
                        }
                    }
                }
                self.patch_redirs(r);
            }
            Command::FuncDef(_, body) => self.patch_command(body),
        }
    }

    fn patch_redirs(&mut self, redirs: &mut [Redir]) {
        for r in redirs {
            if let RedirOp::HereDoc(id) = r.op {
                if let Some(body) = self.heredocs.get_mut(id).and_then(Option::take) {
                    r.target = body;
                }
            }
            self.patch_word(&mut r.target);
        }
    }

    fn patch_word(&mut self, w: &mut Word) {
        for p in w {
            match p {
                Part::Subst(_, list, _) => self.patch_list(list),
                Part::Arith(w, _) => self.patch_word(w),
                Part::Param(p, _) => match &mut p.op {
                    ParamOp::Plain | ParamOp::Length => {}
                    ParamOp::Default(_, w)
                    | ParamOp::Assign(_, w)
                    | ParamOp::Alt(_, w)
                    | ParamOp::Error(_, w)
                    | ParamOp::TrimPrefix(_, w)
                    | ParamOp::TrimSuffix(_, w) => self.patch_word(w),
                    ParamOp::Replace(_, a, b) | ParamOp::Substring(a, Some(b)) => {
                        self.patch_word(a);
                        self.patch_word(b);
                    }
                    ParamOp::Substring(a, None) => self.patch_word(a),
                },
                Part::Lit(..) | Part::Tilde => {}
            }
        }
    }
}

fn push_char(parts: &mut Word, c: char, quoted: bool) {
    if let Some(Part::Lit(s, q)) = parts.last_mut() {
        if *q == quoted {
            s.push(c);
            return;
        }
    }
    parts.push(Part::Lit(c.to_string(), quoted));
}

fn push_str(parts: &mut Word, text: &str, quoted: bool) {
    if let Some(Part::Lit(s, q)) = parts.last_mut() {
        if *q == quoted {
            s.push_str(text);
            return;
        }
    }
    parts.push(Part::Lit(text.to_string(), quoted));
}

/// `NAME=value` as the first part of a word: the name and the value word.
fn split_assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first, false)) = w.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut value = Vec::new();
    if !rest.is_empty() {
        value.push(Part::Lit(rest.to_string(), false));
    }
    value.extend(w.iter().skip(1).cloned());
    Some((name.to_string(), value))
}
