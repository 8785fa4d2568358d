//! The syntax tree of a parsed script. Words keep their quoting so expansion can tell which
//! parts undergo field splitting and pathname expansion.

/// A sequence of and-or lists (`a; b & c`).
pub type List = Vec<AndOr>;

#[derive(Clone, Debug, Default)]
pub struct AndOr {
    pub first: Pipeline,
    /// `(true for &&, false for ||, pipeline)`.
    pub rest: Vec<(bool, Pipeline)>,
    /// Ended with `&`: runs as a background job.
    pub background: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Command>,
}

#[derive(Clone, Debug)]
pub enum Command {
    Simple(SimpleCmd),
    Compound(Box<Compound>, Vec<Redir>),
    FuncDef(String, Box<Command>),
}

#[derive(Clone, Debug, Default)]
pub struct SimpleCmd {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Clone, Debug)]
pub enum Compound {
    Group(List),
    Subshell(List),
    /// `(condition, body)` for `if` and each `elif`, then the `else` body.
    If(Vec<(List, List)>, Option<List>),
    Loop {
        until: bool,
        cond: List,
        body: List,
    },
    For {
        var: String,
        /// `None`: `for x; do` iterates over the positional parameters.
        items: Option<Vec<Word>>,
        body: List,
    },
    Case {
        subject: Word,
        arms: Vec<(Vec<Word>, List)>,
    },
}

#[derive(Clone, Debug)]
pub struct Redir {
    /// The file descriptor written before the operator (`2>`), if any.
    pub fd: Option<u32>,
    pub op: RedirOp,
    /// The file name, the fd of `>&`, or the here-document body.
    pub target: Word,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `>` and `>|`
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `<>`
    ReadWrite,
    /// `>&`
    DupOut,
    /// `<&`
    DupIn,
    /// `<<` / `<<-`: the parser fills `target` with the body; the id links it while parsing.
    HereDoc(usize),
}

pub type Word = Vec<Part>;

#[derive(Clone, Debug)]
pub enum Part {
    /// Literal text, already quote-removed; `quoted` text is neither split nor globbed.
    Lit(String, bool),
    /// `$x`, `${x:-word}`...
    Param(Box<Param>, bool),
    /// `$(list)` or backquotes. The id is unique within one parse; the compiler moves the list
    /// out (leaving it empty) and the interpreter finds the captured output by id.
    Subst(usize, Box<List>, bool),
    /// `$(( expression ))`: the expression text is itself a word (it may contain `$x`).
    Arith(Word, bool),
    /// An unquoted `~` at the start of a word: `$HOME`.
    Tilde,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub op: ParamOp,
}

#[derive(Clone, Debug)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `${x-w}` / `${x:-w}` (colon: also when set but empty)
    Default(bool, Word),
    /// `${x=w}` / `${x:=w}`
    Assign(bool, Word),
    /// `${x+w}` / `${x:+w}`
    Alt(bool, Word),
    /// `${x?w}` / `${x:?w}`
    Error(bool, Word),
    /// `${x#p}` / `${x##p}` (true: longest)
    TrimPrefix(bool, Word),
    /// `${x%p}` / `${x%%p}`
    TrimSuffix(bool, Word),
    /// `${x/p/r}` / `${x//p/r}` (true: all)
    Replace(bool, Word, Word),
    /// `${x:offset}` / `${x:offset:length}`
    Substring(Word, Option<Word>),
}

/// The text of a word made only of unquoted literal parts (keywords, `exec`, `break 2`).
pub fn plain_text(w: &Word) -> Option<String> {
    let mut s = String::new();
    for p in w {
        match p {
            Part::Lit(t, false) => s.push_str(t),
            _ => return None,
        }
    }
    Some(s)
}

/// The text of a word made only of literal parts, quoted or not (`'exec'` is still exec-able).
pub fn literal_text(w: &Word) -> Option<String> {
    let mut s = String::new();
    for p in w {
        match p {
            Part::Lit(t, _) => s.push_str(t),
            _ => return None,
        }
    }
    Some(s)
}
