//! A small `sed`: `s///` (flags g, p, N, I), `d`, `p`, `q`, `y///`, with line, `$` and `/re/`
//! addresses and ranges; `-n`, `-e`, `-i`, `-E`/`-r`. No back-references (`\1`).

use super::fsutil;
use super::interp::*;
use super::text::Regex;

enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

enum SedOp {
    Subst { re: Regex, rep: Vec<char>, global: bool, print: bool, nth: usize },
    Delete,
    Print,
    Quit,
    Translate(Vec<char>, Vec<char>),
}

struct SedCmd {
    a1: Option<Addr>,
    a2: Option<Addr>,
    op: SedOp,
    active: bool,
}

struct ScriptParser<'a> {
    c: &'a [char],
    i: usize,
    extended: bool,
}

impl ScriptParser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }

    /// Text up to the unescaped delimiter (escapes of the delimiter removed).
    fn delimited(&mut self, d: char) -> Result<String, String> {
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err(format!("unterminated `{}' command", 's')),
                Some(c) if c == d => {
                    self.i += 1;
                    return Ok(s);
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c) if c == d => s.push(c),
                        Some('n') => s.push_str("\\n"),
                        Some(c) => {
                            s.push('\\');
                            s.push(c);
                        }
                        None => return Err("unterminated `s' command".into()),
                    }
                    self.i += 1;
                }
                Some(c) => {
                    s.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn addr(&mut self) -> Result<Option<Addr>, String> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let n: String = self.c[start..self.i].iter().collect();
                Ok(Some(Addr::Line(n.parse().unwrap_or(0))))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some('/') => {
                self.i += 1;
                let re = self.delimited('/')?;
                Ok(Some(Addr::Re(Regex::new(&re, self.extended, false)?)))
            }
            _ => Ok(None),
        }
    }

    fn commands(&mut self) -> Result<Vec<SedCmd>, String> {
        let mut cmds = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\n' | ';')) {
                self.i += 1;
            }
            if self.peek().is_none() {
                return Ok(cmds);
            }
            let a1 = self.addr()?;
            let a2 = if a1.is_some() && self.peek() == Some(',') {
                self.i += 1;
                self.addr()?
            } else {
                None
            };
            self.skip_ws();
            let Some(c) = self.peek() else {
                return Err("missing command".into());
            };
            self.i += 1;
            let op = match c {
                'd' => SedOp::Delete,
                'p' => SedOp::Print,
                'q' => SedOp::Quit,
                's' => {
                    let d = self.peek().ok_or("unterminated `s' command")?;
                    self.i += 1;
                    let re = self.delimited(d)?;
                    let rep = self.delimited(d)?;
                    let (mut global, mut print, mut nth, mut icase) = (false, false, 1usize, false);
                    while let Some(f) = self.peek() {
                        match f {
                            'g' => global = true,
                            'p' => print = true,
                            'I' | 'i' => icase = true,
                            d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1) as usize,
                            _ => break,
                        }
                        self.i += 1;
                    }
                    SedOp::Subst {
                        re: Regex::new(&re, self.extended, icase)?,
                        rep: rep.chars().collect(),
                        global,
                        print,
                        nth: nth.max(1),
                    }
                }
                'y' => {
                    let d = self.peek().ok_or("unterminated `y' command")?;
                    self.i += 1;
                    let a: Vec<char> = self.delimited(d)?.chars().collect();
                    let b: Vec<char> = self.delimited(d)?.chars().collect();
                    if a.len() != b.len() {
                        return Err("strings for `y' command are different lengths".into());
                    }
                    SedOp::Translate(a, b)
                }
                other => return Err(format!("unsupported command {other}")),
            };
            cmds.push(SedCmd { a1, a2, op, active: false });
        }
    }
}

fn addr_matches(a: &Addr, n: usize, last: bool, line: &str) -> bool {
    match a {
        Addr::Line(k) => *k == n,
        Addr::Last => last,
        Addr::Re(r) => r.is_match(line),
    }
}

fn substitute(line: &str, re: &Regex, rep: &[char], global: bool, nth: usize) -> Option<String> {
    let t = re.chars(line);
    let orig: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    let mut count = 0;
    let mut changed = false;
    while pos <= t.len() {
        let Some((s, e)) = re.find_at(&t, pos) else { break };
        count += 1;
        out.extend(orig.get(pos..s).unwrap_or(&[]).iter());
        if count >= nth {
            let matched: String = orig.get(s..e).unwrap_or(&[]).iter().collect();
            let mut k = 0;
            while k < rep.len() {
                match rep[k] {
                    '&' => out.push_str(&matched),
                    '\\' if k + 1 < rep.len() => {
                        k += 1;
                        match rep[k] {
                            'n' => out.push('\n'),
                            't' => out.push('\t'),
                            c if c.is_ascii_digit() => {}
                            c => out.push(c),
                        }
                    }
                    c => out.push(c),
                }
                k += 1;
            }
            changed = true;
        } else {
            out.extend(orig.get(s..e).unwrap_or(&[]).iter());
        }
        if e == s {
            if let Some(c) = orig.get(e) {
                out.push(*c);
            }
            pos = e + 1;
        } else {
            pos = e;
        }
        if changed && !global {
            break;
        }
        if out.len() > super::limits::MAX_STRING {
            break;
        }
    }
    if !changed {
        return None;
    }
    out.extend(orig.get(pos.min(orig.len())..).unwrap_or(&[]).iter());
    Some(out)
}

impl Task {
    pub fn b_sed(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (mut quiet, mut in_place, mut extended) = (false, false, false);
        let mut scripts = Vec::new();
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-n" | "--quiet" | "--silent" => quiet = true,
                "-i" => in_place = true,
                "-E" | "-r" => extended = true,
                "-e" => {
                    if let Some(s) = args.get(i + 1) {
                        scripts.push(s.clone());
                    }
                    i += 1;
                }
                s if s.starts_with("-i") => in_place = true,
                s if s.starts_with('-') && s.len() > 1 && s[1..].chars().all(|c| "nEr".contains(c)) => {
                    quiet |= s.contains('n');
                    extended |= s.contains('E') || s.contains('r');
                }
                _ => {
                    if scripts.is_empty() && files.is_empty() && !args[..i].iter().any(|x| x == "-e") {
                        scripts.push(a.clone());
                    } else {
                        files.push(a.clone());
                    }
                }
            }
            i += 1;
        }
        let script = scripts.join("\n");
        let chars: Vec<char> = script.chars().collect();
        let mut p = ScriptParser { c: &chars, i: 0, extended };
        let mut cmds = match p.commands() {
            Ok(c) => c,
            Err(m) => {
                self.err(ctx, io, &format!("sed: -e expression #1, char {}: {m}\n", p.i));
                return Flow::Done(1);
            }
        };
        let (inputs, ok) = self.inputs(ctx, io, "sed", &files);
        let groups: Vec<Vec<(String, String)>> =
            if in_place { inputs.into_iter().map(|x| vec![x]).collect() } else { vec![inputs] };
        for group in groups {
            let lines: Vec<String> = group.iter().flat_map(|(_, d)| d.lines().map(String::from)).collect();
            let mut out = String::new();
            let total = lines.len();
            let mut quit = false;
            for c in cmds.iter_mut() {
                c.active = false;
            }
            for (k, line) in lines.into_iter().enumerate() {
                let n = k + 1;
                let last = n == total;
                let mut ps = line;
                let mut deleted = false;
                for c in cmds.iter_mut() {
                    let selected = match (&c.a1, &c.a2) {
                        (None, _) => true,
                        (Some(a), None) => addr_matches(a, n, last, &ps),
                        (Some(a), Some(b)) => {
                            if c.active {
                                if addr_matches(b, n, last, &ps) || matches!(b, Addr::Line(m) if *m <= n) {
                                    c.active = false;
                                }
                                true
                            } else if addr_matches(a, n, last, &ps) {
                                c.active = !matches!(b, Addr::Line(m) if *m <= n);
                                true
                            } else {
                                false
                            }
                        }
                    };
                    if !selected {
                        continue;
                    }
                    match &c.op {
                        SedOp::Delete => {
                            deleted = true;
                            break;
                        }
                        SedOp::Print => {
                            out.push_str(&ps);
                            out.push('\n');
                        }
                        SedOp::Quit => {
                            quit = true;
                            break;
                        }
                        SedOp::Subst { re, rep, global, print, nth } => {
                            if let Some(new) = substitute(&ps, re, rep, *global, *nth) {
                                ps = new;
                                if *print {
                                    out.push_str(&ps);
                                    out.push('\n');
                                }
                            }
                        }
                        SedOp::Translate(a, b) => {
                            ps = ps
                                .chars()
                                .map(|ch| a.iter().position(|x| *x == ch).and_then(|i| b.get(i).copied()).unwrap_or(ch))
                                .collect();
                        }
                    }
                }
                if !deleted && !quiet {
                    out.push_str(&ps);
                    out.push('\n');
                }
                if quit || out.len() > super::limits::MAX_STRING {
                    break;
                }
            }
            ctx.charge(out.len());
            match (in_place, group.first()) {
                (true, Some((name, _))) if name != "-" => {
                    let path = self.abs(name);
                    if path != "/dev/null" && fsutil::is_file(ctx.fs, &path) {
                        let _ = ctx.write_file(&path, out);
                    }
                }
                _ => self.out(ctx, io, &out),
            }
        }
        Flow::Done(if ok { 0 } else { 2 })
    }
}
