//! The busybox applets (coreutils-like): files, text filters, `date`, `env`, `sleep`,
//! `stress`... Each reads its operands (or stdin) and writes through the command's [`Io`].

use super::builtins::flags_and_operands;
use super::fsutil;
use super::interp::*;
use super::limits::*;
use super::text;

impl Task {
    pub(super) fn b_sleep(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        if args.is_empty() {
            self.err(ctx, io, "sleep: missing operand\n");
            return Flow::Done(1);
        }
        let mut total: u64 = 0;
        for a in args {
            if a == "infinity" || a == "inf" {
                return Flow::Block(Block::Forever);
            }
            match text::parse_sleep(a) {
                Some(ms) => total = total.saturating_add(ms),
                None => {
                    self.err(ctx, io, &format!("sleep: invalid number '{a}'\n"));
                    return Flow::Done(1);
                }
            }
        }
        if total == 0 {
            Flow::Done(0)
        } else {
            Flow::Block(Block::Sleep(total))
        }
    }

    pub(super) fn b_timeout(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-s" || a == "-k" {
                i += 2;
            } else if a.starts_with('-') && a.len() > 1 {
                i += 1;
            } else {
                break;
            }
        }
        let Some(limit) = args.get(i).and_then(|d| text::parse_sleep(d)) else {
            self.err(ctx, io, "timeout: invalid duration\n");
            return Flow::Done(125);
        };
        let cmd = args.get(i + 1..).unwrap_or(&[]);
        if cmd.is_empty() {
            return Flow::Done(125);
        }
        match self.dispatch(ctx, io, cmd) {
            Flow::Block(Block::Sleep(ms)) if ms > limit && limit > 0 => {
                self.on_wake = Some(OnWake::Status(143));
                Flow::Block(Block::Sleep(limit))
            }
            Flow::Block(Block::Forever | Block::Serve(_)) => {
                if limit == 0 {
                    return Flow::Block(Block::Forever);
                }
                self.on_wake = Some(OnWake::Status(143));
                Flow::Block(Block::Sleep(limit))
            }
            f => f,
        }
    }

    /// Reads the inputs of a text filter: the files named, or stdin.
    pub(super) fn inputs(
        &mut self,
        ctx: &mut Ctx,
        io: &mut Io,
        cmd: &str,
        files: &[String],
    ) -> (Vec<(String, String)>, bool) {
        let mut out = Vec::new();
        let mut ok = true;
        if files.is_empty() {
            out.push(("-".to_string(), io.stdin.as_mut().map(Input::read_all).unwrap_or_default()));
            return (out, ok);
        }
        for f in files {
            if f == "-" {
                out.push((f.clone(), io.stdin.as_mut().map(Input::read_all).unwrap_or_default()));
                continue;
            }
            let path = self.abs(f);
            match fsutil::read(ctx.fs, &path) {
                Some(c) => {
                    ctx.charge(c.len());
                    out.push((f.clone(), c));
                }
                None if fsutil::is_dir(ctx.fs, &path) => {
                    self.err(ctx, io, &format!("{cmd}: read error: Is a directory\n"));
                    ok = false;
                }
                None => {
                    let msg = if cmd == "cat" {
                        format!("cat: can't open '{f}': No such file or directory\n")
                    } else {
                        format!("{cmd}: {f}: No such file or directory\n")
                    };
                    self.err(ctx, io, &msg);
                    ok = false;
                }
            }
        }
        (out, ok)
    }

    pub(super) fn b_cat(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, files) = flags_and_operands(args, "nbuveEtTAs");
        let (inputs, ok) = self.inputs(ctx, io, "cat", &files);
        let mut n = 0;
        for (_, data) in inputs {
            if flags.contains('n') {
                let mut s = String::new();
                for line in data.split_inclusive('\n') {
                    n += 1;
                    s.push_str(&format!("{n:>6}\t{line}"));
                }
                self.out(ctx, io, &s);
            } else {
                self.out(ctx, io, &data);
            }
        }
        Flow::Done(if ok { 0 } else { 1 })
    }

    pub(super) fn b_ls(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, mut targets) = flags_and_operands(args, "aAlh1dFRrtSCpe");
        let all = flags.contains('a');
        let almost = flags.contains('A');
        let long = flags.contains('l');
        if targets.is_empty() {
            targets.push(".".into());
        }
        let mut status = 0;
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for t in &targets {
            let p = self.abs(t);
            if fsutil::is_file(ctx.fs, &p) || (flags.contains('d') && fsutil::is_dir(ctx.fs, &p)) {
                files.push((t.clone(), p));
            } else if fsutil::is_dir(ctx.fs, &p) {
                dirs.push((t.clone(), p));
            } else {
                self.err(ctx, io, &format!("ls: {t}: No such file or directory\n"));
                status = 1;
            }
        }
        let date = text::format_date(text::epoch_seconds(ctx.now), "%b %e %H:%M");
        let fmt = |fs: &super::Fs, name: &str, path: &str, is_dir: bool| -> String {
            if long {
                let (perm, size) = if is_dir {
                    ("drwxr-xr-x", 4096)
                } else {
                    ("-rw-r--r--", fs.files.get(path).map(|c| c.len()).unwrap_or(0))
                };
                format!("{perm}    1 root     root     {size:>9} {date} {name}\n")
            } else {
                format!("{name}\n")
            }
        };
        let mut s = String::new();
        for (t, p) in &files {
            s.push_str(&fmt(ctx.fs, t, p, fsutil::is_dir(ctx.fs, p)));
        }
        let multi = targets.len() > 1;
        for (k, (t, p)) in dirs.iter().enumerate() {
            if multi {
                if k > 0 || !files.is_empty() {
                    s.push('\n');
                }
                s.push_str(&format!("{t}:\n"));
            }
            let mut entries: Vec<(String, bool)> = fsutil::list(ctx.fs, p).into_iter().collect();
            if all {
                entries.insert(0, ("..".into(), true));
                entries.insert(0, (".".into(), true));
            }
            for (name, is_dir) in entries {
                if name.starts_with('.') && !(all || almost) {
                    continue;
                }
                let full = if p == "/" { format!("/{name}") } else { format!("{p}/{name}") };
                s.push_str(&fmt(ctx.fs, &name, &full, is_dir));
            }
        }
        self.out(ctx, io, &s);
        Flow::Done(status)
    }

    pub(super) fn b_touch(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-t" || a == "-d" || a == "-r" {
                i += 2;
                continue;
            }
            if !(a.starts_with('-') && a.len() > 1) {
                files.push(a.clone());
            }
            i += 1;
        }
        if files.is_empty() {
            self.err(ctx, io, "touch: missing operand\n");
            return Flow::Done(1);
        }
        let mut status = 0;
        for f in files {
            let p = self.abs(&f);
            if fsutil::exists(ctx.fs, &p) {
                continue;
            }
            if !fsutil::is_dir(ctx.fs, fsutil::parent(&p)) {
                self.err(ctx, io, &format!("touch: {f}: No such file or directory\n"));
                status = 1;
            } else if ctx.write_file(&p, String::new()).is_err() {
                self.err(ctx, io, &format!("touch: {f}: No space left on device\n"));
                status = 1;
            }
        }
        Flow::Done(status)
    }

    pub(super) fn b_rm(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, targets) = flags_and_operands(args, "frRiv");
        let force = flags.contains('f');
        let recursive = flags.contains('r') || flags.contains('R');
        if targets.is_empty() && !force {
            self.err(ctx, io, "rm: missing operand\n");
            return Flow::Done(1);
        }
        let mut status = 0;
        for t in targets {
            let p = self.abs(&t);
            if fsutil::is_file(ctx.fs, &p) {
                if p != "/dev/null" {
                    let len = ctx.fs.files.get(&p).map(|c| c.len() + p.len() + 64).unwrap_or(0);
                    ctx.fs.files.remove(&p);
                    ctx.fs_used = ctx.fs_used.saturating_sub(len);
                }
            } else if fsutil::is_dir(ctx.fs, &p) {
                if recursive {
                    fsutil::remove_tree(ctx.fs, &p);
                    ctx.fs_used = fsutil::usage(ctx.fs);
                } else {
                    self.err(ctx, io, &format!("rm: '{t}' is a directory\n"));
                    status = 1;
                }
            } else if !force {
                self.err(ctx, io, &format!("rm: can't remove '{t}': No such file or directory\n"));
                status = 1;
            }
        }
        Flow::Done(status)
    }

    pub(super) fn b_mkdir(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut parents = false;
        let mut dirs = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-m" {
                i += 2;
                continue;
            }
            if a.len() > 1 && a.starts_with('-') {
                parents |= a.contains('p');
            } else {
                dirs.push(a.clone());
            }
            i += 1;
        }
        if dirs.is_empty() {
            self.err(ctx, io, "mkdir: missing operand\n");
            return Flow::Done(1);
        }
        let mut status = 0;
        for d in dirs {
            let p = self.abs(&d);
            if fsutil::exists(ctx.fs, &p) {
                if !(parents && fsutil::is_dir(ctx.fs, &p)) {
                    self.err(ctx, io, &format!("mkdir: can't create directory '{d}': File exists\n"));
                    status = 1;
                }
                continue;
            }
            if !fsutil::is_dir(ctx.fs, fsutil::parent(&p)) {
                if !parents || fsutil::is_file(ctx.fs, fsutil::parent(&p)) {
                    self.err(ctx, io, &format!("mkdir: can't create directory '{d}': No such file or directory\n"));
                    status = 1;
                    continue;
                }
                let mut cur = String::new();
                let mut failed = false;
                for seg in p.split('/').filter(|s| !s.is_empty()) {
                    cur.push('/');
                    cur.push_str(seg);
                    if fsutil::is_file(ctx.fs, &cur) {
                        failed = true;
                        break;
                    }
                    if !fsutil::is_dir(ctx.fs, &cur) && ctx.mkdir(&cur).is_err() {
                        failed = true;
                        break;
                    }
                }
                if failed {
                    self.err(ctx, io, &format!("mkdir: can't create directory '{d}': No such file or directory\n"));
                    status = 1;
                }
                continue;
            }
            if ctx.mkdir(&p).is_err() {
                self.err(ctx, io, &format!("mkdir: can't create directory '{d}': No space left on device\n"));
                status = 1;
            }
        }
        Flow::Done(status)
    }

    pub(super) fn b_rmdir(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut status = 0;
        for d in args.iter().filter(|a| !a.starts_with('-')) {
            let p = self.abs(d);
            if !fsutil::is_dir(ctx.fs, &p) {
                self.err(ctx, io, &format!("rmdir: '{d}': No such file or directory\n"));
                status = 1;
            } else if !fsutil::list(ctx.fs, &p).is_empty() {
                self.err(ctx, io, &format!("rmdir: '{d}': Directory not empty\n"));
                status = 1;
            } else {
                ctx.fs.dirs.remove(&p);
            }
        }
        Flow::Done(status)
    }

    pub(super) fn b_cp(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String], is_mv: bool) -> Flow {
        let (flags, ops) = flags_and_operands(args, "rRfapvidnTL");
        let cmd = if is_mv { "mv" } else { "cp" };
        let recursive = is_mv || flags.contains('r') || flags.contains('R') || flags.contains('a');
        if ops.len() < 2 {
            self.err(ctx, io, &format!("{cmd}: missing destination file operand\n"));
            return Flow::Done(1);
        }
        let (srcs, dest) = ops.split_at(ops.len() - 1);
        let dest = self.abs(&dest[0]);
        let dest_is_dir = fsutil::is_dir(ctx.fs, &dest);
        let mut status = 0;
        for s in srcs {
            let sp = self.abs(s);
            let target = if dest_is_dir { fsutil::normalize(&dest, fsutil::basename(&sp)) } else { dest.clone() };
            if fsutil::is_file(ctx.fs, &sp) {
                let content = fsutil::read(ctx.fs, &sp).unwrap_or_default();
                if !fsutil::is_dir(ctx.fs, fsutil::parent(&target)) || ctx.write_file(&target, content).is_err() {
                    self.err(ctx, io, &format!("{cmd}: can't create '{target}': No such file or directory\n"));
                    status = 1;
                    continue;
                }
                if is_mv && sp != target {
                    ctx.fs.files.remove(&sp);
                }
            } else if fsutil::is_dir(ctx.fs, &sp) {
                if !recursive {
                    self.err(ctx, io, &format!("cp: omitting directory '{s}'\n"));
                    status = 1;
                    continue;
                }
                let prefix = format!("{sp}/");
                let files: Vec<(String, String)> = ctx
                    .fs
                    .files
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let _ = ctx.mkdir(&target);
                for (k, v) in files {
                    let nk = format!("{target}/{}", &k[prefix.len()..]);
                    let _ = ctx.write_file(&nk, v);
                }
                if is_mv {
                    fsutil::remove_tree(ctx.fs, &sp);
                }
                ctx.fs_used = fsutil::usage(ctx.fs);
            } else {
                self.err(ctx, io, &format!("{cmd}: can't stat '{s}': No such file or directory\n"));
                status = 1;
            }
        }
        Flow::Done(status)
    }

    pub(super) fn b_chmod(&mut self, ctx: &mut Ctx, io: &mut Io, prog: &str, args: &[String]) -> Flow {
        let ops: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if ops.len() < 2 {
            self.err(ctx, io, &format!("{prog}: missing operand\n"));
            return Flow::Done(1);
        }
        let mut status = 0;
        for f in &ops[1..] {
            let p = self.abs(f);
            if !fsutil::exists(ctx.fs, &p) {
                self.err(ctx, io, &format!("{prog}: {f}: No such file or directory\n"));
                status = 1;
            }
        }
        Flow::Done(status)
    }

    pub(super) fn b_date(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut secs = text::epoch_seconds(ctx.now);
        let mut fmt = text::DATE_DEFAULT.to_string();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-u" | "--utc" | "--universal" => {}
                "-R" | "--rfc-2822" => fmt = "%a, %d %b %Y %H:%M:%S +0000".into(),
                "-I" | "-Idate" | "--iso-8601" => fmt = "%Y-%m-%d".into(),
                "-Iseconds" => fmt = "%Y-%m-%dT%H:%M:%S+00:00".into(),
                "-Iminutes" => fmt = "%Y-%m-%dT%H:%M+00:00".into(),
                "-Ihours" => fmt = "%Y-%m-%dT%H+00:00".into(),
                "-d" | "--date" => {
                    let v = args.get(i + 1).cloned().unwrap_or_default();
                    match v.strip_prefix('@').and_then(|n| n.parse::<i64>().ok()) {
                        Some(n) => secs = n,
                        None => {
                            self.err(ctx, io, &format!("date: invalid date '{v}'\n"));
                            return Flow::Done(1);
                        }
                    }
                    i += 1;
                }
                s if s.starts_with('+') => fmt = s[1..].to_string(),
                s => {
                    self.err(ctx, io, &format!("date: invalid date '{s}'\n"));
                    return Flow::Done(1);
                }
            }
            i += 1;
        }
        let s = format!("{}\n", text::format_date(secs, &fmt));
        self.out(ctx, io, &s);
        Flow::Done(0)
    }

    pub(super) fn b_hostname(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let name = self.lookup("HOSTNAME").unwrap_or_else(|| "localhost".into());
        let s = match args.first().map(String::as_str) {
            Some("-i") => ctx.host.lookup(&name).unwrap_or_else(|| "127.0.0.1".into()),
            Some("-s") => name.split('.').next().unwrap_or("").to_string(),
            _ => name,
        };
        self.out(ctx, io, &format!("{s}\n"));
        Flow::Done(0)
    }

    pub(super) fn exported(&self) -> Vec<(String, String)> {
        self.env.vars.iter().filter(|(_, v)| v.exported).map(|(k, v)| (k.clone(), v.value.clone())).collect()
    }

    pub(super) fn b_env(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut i = 0;
        let mut clear = false;
        let mut unset = Vec::new();
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-i" | "-" => clear = true,
                "-u" => {
                    if let Some(n) = args.get(i + 1) {
                        unset.push(n.clone());
                    }
                    i += 1;
                }
                _ => break,
            }
            i += 1;
        }
        let mut assigns = Vec::new();
        while let Some(a) = args.get(i) {
            match a.split_once('=') {
                Some((n, v)) if !n.is_empty() => assigns.push((n.to_string(), v.to_string())),
                _ => break,
            }
            i += 1;
        }
        let cmd = args.get(i..).unwrap_or(&[]);
        if cmd.is_empty() {
            let mut vars: std::collections::BTreeMap<String, String> =
                if clear { Default::default() } else { self.exported().into_iter().collect() };
            for n in &unset {
                vars.remove(n);
            }
            vars.extend(assigns);
            let s: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            self.out(ctx, io, &s);
            return Flow::Done(0);
        }
        let mut saved = Vec::new();
        for (n, v) in assigns {
            saved.push((n.clone(), self.env.vars.get(&n).cloned()));
            if self.set_var(&n, v).is_ok() {
                self.export_var(&n);
            }
        }
        let flow = self.dispatch(ctx, io, cmd);
        if matches!(flow, Flow::Jumped) {
            if let Some(top) = self.frames.last_mut() {
                top.locals.extend(saved);
            }
        } else {
            for (n, old) in saved.into_iter().rev() {
                self.restore_var(&n, old);
            }
        }
        flow
    }

    pub(super) fn b_printenv(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let vars = self.exported();
        if args.is_empty() {
            let s: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            self.out(ctx, io, &s);
            return Flow::Done(0);
        }
        let mut status = 0;
        let mut s = String::new();
        for n in args {
            match vars.iter().find(|(k, _)| k == n) {
                Some((_, v)) => {
                    s.push_str(v);
                    s.push('\n');
                }
                None => status = 1,
            }
        }
        self.out(ctx, io, &s);
        Flow::Done(status)
    }

    pub(super) fn b_grep(&mut self, ctx: &mut Ctx, io: &mut Io, prog: &str, args: &[String]) -> Flow {
        let mut patterns: Vec<String> = Vec::new();
        let mut extended = prog == "egrep";
        let mut fixed = prog == "fgrep";
        let mut opts = String::new();
        let mut operands = Vec::new();
        let mut i = 0;
        let mut done = false;
        while let Some(a) = args.get(i) {
            if done || !a.starts_with('-') || a == "-" {
                operands.push(a.clone());
            } else if a == "--" {
                done = true;
            } else if a == "-e" || a == "--regexp" {
                if let Some(p) = args.get(i + 1) {
                    patterns.push(p.clone());
                }
                i += 1;
            } else if a == "-A" || a == "-B" || a == "-C" || a == "-m" {
                i += 1;
            } else if let Some(p) = a.strip_prefix("--regexp=") {
                patterns.push(p.to_string());
            } else if a.starts_with("--") {
                match a.as_str() {
                    "--quiet" | "--silent" => opts.push('q'),
                    "--invert-match" => opts.push('v'),
                    "--ignore-case" => opts.push('i'),
                    "--count" => opts.push('c'),
                    _ => {}
                }
            } else {
                for c in a[1..].chars() {
                    match c {
                        'E' => extended = true,
                        'F' => fixed = true,
                        'G' => extended = false,
                        c => opts.push(c),
                    }
                }
            }
            i += 1;
        }
        if patterns.is_empty() {
            if operands.is_empty() {
                self.err(ctx, io, "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
                return Flow::Done(2);
            }
            patterns.push(operands.remove(0));
        }
        let has = |c: char| opts.contains(c);
        let (quiet, invert, icase, count, numbers, list, only, whole_line, word, no_msgs) =
            (has('q'), has('v'), has('i'), has('c'), has('n'), has('l'), has('o'), has('x'), has('w'), has('s'));
        let mut res = Vec::new();
        for p in patterns.iter().flat_map(|p| p.split('\n')) {
            let r = if fixed { Ok(text::Regex::literal(p, icase)) } else { text::Regex::new(p, extended, icase) };
            match r {
                Ok(r) => res.push(r),
                Err(m) => {
                    self.err(ctx, io, &format!("grep: {m}\n"));
                    return Flow::Done(2);
                }
            }
        }
        let multi = operands.len() > 1 && !has('h') || has('H');
        let (inputs, ok) = if no_msgs {
            let mut null_io = Io { out: Sink::Null, err: Sink::Null, stdin: io.stdin.take(), local: io.local };
            let r = self.inputs(ctx, &mut null_io, "grep", &operands);
            io.stdin = null_io.stdin;
            r
        } else {
            self.inputs(ctx, io, "grep", &operands)
        };
        let mut any = false;
        let mut s = String::new();
        for (name, data) in &inputs {
            let shown = if name == "-" { "(standard input)" } else { name.as_str() };
            let mut n = 0usize;
            for (ln, line) in data.lines().enumerate() {
                let chars_of = |r: &text::Regex| r.chars(line);
                let matches = |r: &text::Regex| -> Vec<(usize, usize)> {
                    let t = chars_of(r);
                    let mut found = Vec::new();
                    let mut from = 0;
                    while from <= t.len() {
                        let Some((st, en)) = r.find_at(&t, from) else { break };
                        let ok = (!whole_line || (st == 0 && en == t.len()))
                            && (!word
                                || ((st == 0 || !(t[st - 1].is_alphanumeric() || t[st - 1] == '_'))
                                    && (en == t.len() || !(t[en].is_alphanumeric() || t[en] == '_'))));
                        if ok && (en > st || whole_line || word) {
                            found.push((st, en));
                        }
                        from = if en > st { en } else { st + 1 };
                        if ok && !only {
                            break;
                        }
                    }
                    found
                };
                let hit = if whole_line || word || only {
                    res.iter().any(|r| !matches(r).is_empty())
                } else {
                    res.iter().any(|r| r.is_match(line))
                };
                if hit == invert {
                    continue;
                }
                any = true;
                n += 1;
                if quiet {
                    return Flow::Done(0);
                }
                if list || count {
                    continue;
                }
                let prefix = format!(
                    "{}{}",
                    if multi { format!("{shown}:") } else { String::new() },
                    if numbers { format!("{}:", ln + 1) } else { String::new() }
                );
                if only && !invert {
                    for r in &res {
                        let t: Vec<char> = line.chars().collect();
                        for (st, en) in matches(r) {
                            if en > st {
                                let part: String = t.get(st..en).map(|c| c.iter().collect()).unwrap_or_default();
                                s.push_str(&format!("{prefix}{part}\n"));
                            }
                        }
                    }
                } else {
                    s.push_str(&format!("{prefix}{line}\n"));
                }
                if s.len() > MAX_STRING {
                    break;
                }
            }
            if list && n > 0 {
                s.push_str(&format!("{shown}\n"));
            }
            if count {
                if multi {
                    s.push_str(&format!("{shown}:{n}\n"));
                } else {
                    s.push_str(&format!("{n}\n"));
                }
            }
        }
        self.out(ctx, io, &s);
        Flow::Done(if !ok && !any {
            2
        } else if any {
            0
        } else {
            1
        })
    }

    pub(super) fn b_wc(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (mut flags, files) = flags_and_operands(args, "lwcmL");
        if flags.is_empty() {
            flags = "lwc".into();
        }
        let (inputs, ok) = self.inputs(ctx, io, "wc", &files);
        let mut s = String::new();
        let mut totals = [0usize; 3];
        let single = flags.chars().filter(|c| "lwcm".contains(*c)).count() == 1;
        let mut line_for = |counts: [usize; 3], name: Option<&str>| {
            let mut cols = Vec::new();
            if flags.contains('l') {
                cols.push(counts[0]);
            }
            if flags.contains('w') {
                cols.push(counts[1]);
            }
            if flags.contains('c') || flags.contains('m') {
                cols.push(counts[2]);
            }
            let body = if single {
                cols.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
            } else {
                cols.iter().map(|c| format!("{c:>7}")).collect::<Vec<_>>().join(" ")
            };
            match name {
                Some(n) => s.push_str(&format!("{body} {n}\n")),
                None => s.push_str(&format!("{body}\n")),
            }
        };
        for (name, data) in &inputs {
            let counts = [
                data.matches('\n').count(),
                data.split_whitespace().count(),
                if flags.contains('m') { data.chars().count() } else { data.len() },
            ];
            for k in 0..3 {
                totals[k] += counts[k];
            }
            line_for(counts, (name != "-").then_some(name.as_str()));
        }
        if inputs.len() > 1 {
            line_for(totals, Some("total"));
        }
        self.out(ctx, io, &s);
        Flow::Done(if ok { 0 } else { 1 })
    }

    pub(super) fn b_head_tail(&mut self, ctx: &mut Ctx, io: &mut Io, tail: bool, args: &[String]) -> Flow {
        let cmd = if tail { "tail" } else { "head" };
        let mut lines: i64 = 10;
        let mut from_start = false;
        let mut bytes: Option<i64> = None;
        let mut follow = false;
        let mut files = Vec::new();
        let mut i = 0;
        let parse_n = |v: &str, from_start: &mut bool| -> Option<i64> {
            if let Some(r) = v.strip_prefix('+') {
                *from_start = true;
                return r.parse().ok();
            }
            v.strip_prefix('-').unwrap_or(v).parse().ok()
        };
        while let Some(a) = args.get(i) {
            if a == "-n" || a == "-c" {
                let Some(n) = args.get(i + 1).and_then(|v| parse_n(v, &mut from_start)) else {
                    self.err(
                        ctx,
                        io,
                        &format!("{cmd}: invalid number '{}'\n", args.get(i + 1).map(String::as_str).unwrap_or("")),
                    );
                    return Flow::Done(1);
                };
                if a == "-n" {
                    lines = n;
                } else {
                    bytes = Some(n);
                }
                i += 2;
                continue;
            }
            if let Some(v) = a.strip_prefix("-n").filter(|v| !v.is_empty()) {
                match parse_n(v, &mut from_start) {
                    Some(n) => lines = n,
                    None => {
                        self.err(ctx, io, &format!("{cmd}: invalid number '{v}'\n"));
                        return Flow::Done(1);
                    }
                }
            } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
                lines = a[1..].parse().unwrap_or(10);
            } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "fFqsv".contains(c)) {
                follow |= a.contains('f') || a.contains('F');
            } else if a == "--follow" || a.starts_with("--follow=") {
                follow = true;
            } else {
                files.push(a.clone());
            }
            i += 1;
        }
        let follow = follow && tail;
        let (inputs, ok) = if follow {
            // `tail -F` waits for a missing file instead of failing.
            let mut v = Vec::new();
            for f in &files {
                let p = self.abs(f);
                v.push((f.clone(), fsutil::read(ctx.fs, &p).unwrap_or_default()));
            }
            if files.is_empty() {
                v.push(("-".to_string(), io.stdin.as_mut().map(Input::read_all).unwrap_or_default()));
            }
            (v, true)
        } else {
            self.inputs(ctx, io, cmd, &files)
        };
        let mut s = String::new();
        let multi = inputs.len() > 1;
        for (k, (name, data)) in inputs.iter().enumerate() {
            if multi {
                if k > 0 {
                    s.push('\n');
                }
                s.push_str(&format!("==> {name} <==\n"));
            }
            if let Some(b) = bytes {
                let bytes_v = data.as_bytes();
                let n = b.unsigned_abs() as usize;
                let slice = if !tail {
                    &bytes_v[..n.min(bytes_v.len())]
                } else if from_start {
                    &bytes_v[n.saturating_sub(1).min(bytes_v.len())..]
                } else {
                    &bytes_v[bytes_v.len().saturating_sub(n)..]
                };
                s.push_str(&String::from_utf8_lossy(slice));
                continue;
            }
            let all: Vec<&str> = data.split_inclusive('\n').collect();
            let n = lines.unsigned_abs() as usize;
            let chosen: &[&str] = if !tail {
                &all[..n.min(all.len())]
            } else if from_start {
                &all[n.saturating_sub(1).min(all.len())..]
            } else {
                &all[all.len().saturating_sub(n)..]
            };
            for l in chosen {
                s.push_str(l);
            }
        }
        self.out(ctx, io, &s);
        if follow {
            let target = files.iter().find(|f| *f != "-" && self.abs(f) != "/dev/null");
            return match target {
                Some(f) => {
                    let path = self.abs(f);
                    let offset = ctx.fs.files.get(&path).map(|c| c.len()).unwrap_or(0);
                    self.on_wake = Some(OnWake::Follow { path, offset, out: io.out.clone() });
                    Flow::Block(Block::Sleep(1000))
                }
                None => Flow::Block(Block::Forever),
            };
        }
        Flow::Done(if ok { 0 } else { 1 })
    }

    pub(super) fn b_tee(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, files) = flags_and_operands(args, "ai");
        let append = flags.contains('a');
        let data = io.stdin.as_mut().map(Input::read_all).unwrap_or_default();
        let mut status = 0;
        for f in &files {
            let p = self.abs(f);
            if p == "/dev/null" {
                continue;
            }
            let ok = fsutil::is_dir(ctx.fs, fsutil::parent(&p)) && !fsutil::is_dir(ctx.fs, &p) && {
                if append {
                    ctx.append_file(&p, &data).is_ok()
                } else {
                    ctx.write_file(&p, data.clone()).is_ok()
                }
            };
            if !ok {
                self.err(ctx, io, &format!("tee: {f}: No such file or directory\n"));
                status = 1;
            }
        }
        self.out(ctx, io, &data);
        Flow::Done(status)
    }

    pub(super) fn b_seq(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut sep = "\n".to_string();
        let mut nums = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-s" {
                sep = args.get(i + 1).cloned().unwrap_or_default();
                i += 2;
                continue;
            }
            match a.parse::<i64>() {
                Ok(n) => nums.push(n),
                Err(_) => {
                    self.err(ctx, io, &format!("seq: invalid number '{a}'\n"));
                    return Flow::Done(1);
                }
            }
            i += 1;
        }
        let (first, step, last) = match nums.as_slice() {
            [l] => (1, 1, *l),
            [f, l] => (*f, 1, *l),
            [f, s, l] => (*f, *s, *l),
            _ => {
                self.err(ctx, io, "seq: missing operand\n");
                return Flow::Done(1);
            }
        };
        if step == 0 {
            return Flow::Done(1);
        }
        let mut out = Vec::new();
        let mut v = first;
        while (step > 0 && v <= last) || (step < 0 && v >= last) {
            out.push(v.to_string());
            if out.len() >= MAX_FIELDS {
                break;
            }
            v = match v.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        if !out.is_empty() {
            let s = format!("{}\n", out.join(&sep));
            self.out(ctx, io, &s);
        }
        Flow::Done(0)
    }

    pub(super) fn b_expr(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut e = ExprEval { a: args, i: 0, depth: 0 };
        let r = e.or().and_then(|v| if e.i < args.len() { Err("syntax error".into()) } else { Ok(v) });
        match r {
            Ok(v) => {
                self.out(ctx, io, &format!("{v}\n"));
                Flow::Done(if v.is_empty() || v == "0" { 1 } else { 0 })
            }
            Err(m) => {
                self.err(ctx, io, &format!("expr: {m}\n"));
                Flow::Done(2)
            }
        }
    }

    pub(super) fn b_sort(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, files) = flags_and_operands(args, "rnuf");
        let (inputs, ok) = self.inputs(ctx, io, "sort", &files);
        let mut lines: Vec<String> = inputs.iter().flat_map(|(_, d)| d.lines().map(String::from)).collect();
        let num = |s: &str| -> f64 {
            let t = s.trim_start();
            let end = t
                .char_indices()
                .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
                .map(|(i, _)| i)
                .unwrap_or(t.len());
            t[..end].parse().unwrap_or(0.0)
        };
        if flags.contains('n') {
            crate::sorting::sort_by(&mut lines, |a, b| {
                num(a).partial_cmp(&num(b)).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.cmp(b))
            });
        } else if flags.contains('f') {
            crate::sorting::sort_by_key(&mut lines, |a| a.to_lowercase());
        } else {
            crate::sorting::sort(&mut lines);
        }
        if flags.contains('r') {
            lines.reverse();
        }
        if flags.contains('u') {
            lines.dedup();
        }
        let s: String = lines.iter().map(|l| format!("{l}\n")).collect();
        self.out(ctx, io, &s);
        Flow::Done(if ok { 0 } else { 2 })
    }

    pub(super) fn b_uniq(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, files) = flags_and_operands(args, "cdui");
        let (inputs, ok) = self.inputs(ctx, io, "uniq", &files.iter().take(1).cloned().collect::<Vec<_>>());
        let mut groups: Vec<(String, usize)> = Vec::new();
        for line in inputs.iter().flat_map(|(_, d)| d.lines()) {
            match groups.last_mut() {
                Some((l, n)) if l == line || (flags.contains('i') && l.eq_ignore_ascii_case(line)) => *n += 1,
                _ => groups.push((line.to_string(), 1)),
            }
        }
        let mut s = String::new();
        for (l, n) in groups {
            if (flags.contains('d') && n < 2) || (flags.contains('u') && n > 1) {
                continue;
            }
            if flags.contains('c') {
                s.push_str(&format!("{n:>7} {l}\n"));
            } else {
                s.push_str(&format!("{l}\n"));
            }
        }
        self.out(ctx, io, &s);
        Flow::Done(if ok { 0 } else { 1 })
    }

    pub(super) fn b_cut(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut delim = '\t';
        let mut fields: Option<String> = None;
        let mut chars: Option<String> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let (opt, val) = if a.len() > 2 && a.starts_with('-') && "dfcb".contains(a.chars().nth(1).unwrap_or(' ')) {
                (a[..2].to_string(), Some(a[2..].to_string()))
            } else {
                (a.clone(), None)
            };
            let take = |i: &mut usize| -> String {
                match &val {
                    Some(v) => v.clone(),
                    None => {
                        *i += 1;
                        args.get(*i).cloned().unwrap_or_default()
                    }
                }
            };
            match opt.as_str() {
                "-d" => delim = take(&mut i).chars().next().unwrap_or('\t'),
                "-f" => fields = Some(take(&mut i)),
                "-c" | "-b" => chars = Some(take(&mut i)),
                "-s" => {}
                _ => files.push(a.clone()),
            }
            i += 1;
        }
        let spec = match (&fields, &chars) {
            (Some(f), _) | (None, Some(f)) => f.clone(),
            _ => {
                self.err(ctx, io, "cut: expected a list of bytes, characters, or fields\n");
                return Flow::Done(1);
            }
        };
        let ranges: Vec<(usize, usize)> = spec
            .split(',')
            .filter_map(|r| {
                let (a, b) = r.split_once('-').unwrap_or((r, r));
                let a = if a.is_empty() { 1 } else { a.parse().ok()? };
                let b = if b.is_empty() { usize::MAX } else { b.parse().ok()? };
                Some((a, b))
            })
            .collect();
        let want = |k: usize| ranges.iter().any(|(a, b)| *a <= k && k <= *b);
        let (inputs, ok) = self.inputs(ctx, io, "cut", &files);
        let mut s = String::new();
        for line in inputs.iter().flat_map(|(_, d)| d.lines()) {
            if fields.is_some() {
                if !line.contains(delim) {
                    s.push_str(line);
                } else {
                    let parts: Vec<&str> =
                        line.split(delim).enumerate().filter(|(k, _)| want(k + 1)).map(|(_, p)| p).collect();
                    s.push_str(&parts.join(&delim.to_string()));
                }
            } else {
                s.extend(line.chars().enumerate().filter(|(k, _)| want(k + 1)).map(|(_, c)| c));
            }
            s.push('\n');
        }
        self.out(ctx, io, &s);
        Flow::Done(if ok { 0 } else { 1 })
    }

    pub(super) fn b_tr(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (flags, sets) = flags_and_operands(args, "dsc");
        let expand = |s: &str| -> Vec<char> {
            let s = s
                .replace("[:lower:]", "a-z")
                .replace("[:upper:]", "A-Z")
                .replace("[:digit:]", "0-9")
                .replace("[:space:]", " \t\n\r");
            let (s, _) = text::backslash_escapes(&s);
            let c: Vec<char> = s.chars().collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < c.len() {
                if i + 2 < c.len() && c[i + 1] == '-' && c[i] <= c[i + 2] && (c[i + 2] as u32 - c[i] as u32) < 65_536 {
                    out.extend((c[i] as u32..=c[i + 2] as u32).filter_map(char::from_u32));
                    i += 3;
                } else {
                    out.push(c[i]);
                    i += 1;
                }
            }
            out
        };
        let Some(s1) = sets.first().map(|s| expand(s)) else {
            self.err(ctx, io, "tr: missing operand\n");
            return Flow::Done(1);
        };
        let s2 = sets.get(1).map(|s| expand(s)).unwrap_or_default();
        let data = io.stdin.as_mut().map(Input::read_all).unwrap_or_default();
        let mut out = String::new();
        let mut last: Option<char> = None;
        for c in data.chars() {
            let mapped = if flags.contains('d') {
                if s1.contains(&c) {
                    continue;
                }
                c
            } else if let Some(k) = s1.iter().position(|x| *x == c) {
                s2.get(k).or(s2.last()).copied().unwrap_or(c)
            } else {
                c
            };
            if flags.contains('s')
                && last == Some(mapped)
                && (s2.contains(&mapped) || (s2.is_empty() && s1.contains(&mapped)))
            {
                continue;
            }
            last = Some(mapped);
            out.push(mapped);
        }
        self.out(ctx, io, &out);
        Flow::Done(0)
    }

    pub(super) fn b_stress(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (mut cpu, mut ios, mut vm, mut hdd) = (0u64, 0u64, 0u64, 0u64);
        let mut vm_bytes: u64 = 256 << 20;
        let mut timeout: Option<u64> = None;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let v = args.get(i + 1).cloned().unwrap_or_default();
            let num = v.parse::<u64>().unwrap_or(0).min(1024);
            let mut used = true;
            match a.as_str() {
                "-c" | "--cpu" => cpu = num,
                "-i" | "--io" => ios = num,
                "-m" | "--vm" => vm = num,
                "-d" | "--hdd" => hdd = num,
                "--vm-bytes" => match text::parse_size(&v) {
                    Some(b) => vm_bytes = b,
                    None => {
                        self.err(ctx, io, &format!("stress: FAIL: [1] (2) invalid number: {v}\n"));
                        return Flow::Done(1);
                    }
                },
                "-t" | "--timeout" => {
                    let secs = match v.chars().last() {
                        Some(u @ ('s' | 'm' | 'h' | 'd' | 'y')) => {
                            let n: u64 = v[..v.len() - 1].parse().unwrap_or(0);
                            n.saturating_mul(match u {
                                'm' => 60,
                                'h' => 3600,
                                'd' => 86_400,
                                'y' => 31_536_000,
                                _ => 1,
                            })
                        }
                        _ => v.parse().unwrap_or(0),
                    };
                    timeout = Some(secs);
                }
                "--vm-stride" | "--vm-hang" | "--hdd-bytes" | "--backoff" => {}
                _ => used = false,
            }
            i += if used { 2 } else { 1 };
        }
        if cpu + ios + vm + hdd == 0 {
            self.out(
                ctx,
                io,
                "`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...\n",
            );
            return Flow::Done(1);
        }
        self.out(ctx, io, &format!("stress: info: [1] dispatching hogs: {cpu} cpu, {ios} io, {vm} vm, {hdd} hdd\n"));
        let bytes = vm.saturating_mul(vm_bytes);
        self.memory = self.memory.saturating_add(bytes);
        match timeout {
            Some(secs) if secs > 0 => {
                self.on_wake = Some(OnWake::StressDone { bytes, secs, out: io.out.clone() });
                Flow::Block(Block::Sleep(secs.saturating_mul(1000)))
            }
            _ => Flow::Block(Block::Forever),
        }
    }
}

/// `expr` (recursive descent over its arguments, depth-capped).
struct ExprEval<'a> {
    a: &'a [String],
    i: usize,
    depth: usize,
}

impl ExprEval<'_> {
    fn peek(&self) -> Option<&str> {
        self.a.get(self.i).map(String::as_str)
    }

    fn int(s: &str) -> Result<i64, String> {
        s.trim().parse().map_err(|_| "non-numeric argument".to_string())
    }

    fn truthy(s: &str) -> bool {
        !(s.is_empty() || s == "0")
    }

    fn or(&mut self) -> Result<String, String> {
        self.depth += 1;
        if self.depth > 50 {
            return Err("expression too complex".into());
        }
        let mut v = self.and()?;
        while self.peek() == Some("|") {
            self.i += 1;
            let r = self.and()?;
            if !Self::truthy(&v) {
                v = if Self::truthy(&r) { r } else { "0".into() };
            }
        }
        self.depth -= 1;
        Ok(v)
    }

    fn and(&mut self) -> Result<String, String> {
        let mut v = self.cmp()?;
        while self.peek() == Some("&") {
            self.i += 1;
            let r = self.cmp()?;
            if !Self::truthy(&v) || !Self::truthy(&r) {
                v = "0".into();
            }
        }
        Ok(v)
    }

    fn cmp(&mut self) -> Result<String, String> {
        let mut v = self.add()?;
        while let Some(op) =
            self.peek().filter(|o| ["=", "==", "!=", "<", "<=", ">", ">="].contains(o)).map(str::to_string)
        {
            self.i += 1;
            let r = self.add()?;
            let ord = match (v.trim().parse::<i64>(), r.trim().parse::<i64>()) {
                (Ok(a), Ok(b)) => a.cmp(&b),
                _ => v.cmp(&r),
            };
            let t = match op.as_str() {
                "=" | "==" => ord.is_eq(),
                "!=" => ord.is_ne(),
                "<" => ord.is_lt(),
                "<=" => ord.is_le(),
                ">" => ord.is_gt(),
                _ => ord.is_ge(),
            };
            v = (t as i32).to_string();
        }
        Ok(v)
    }

    fn add(&mut self) -> Result<String, String> {
        let mut v = self.mul()?;
        while let Some(op) = self.peek().filter(|o| *o == "+" || *o == "-").map(str::to_string) {
            self.i += 1;
            let r = self.mul()?;
            let (a, b) = (Self::int(&v)?, Self::int(&r)?);
            v = if op == "+" { a.wrapping_add(b) } else { a.wrapping_sub(b) }.to_string();
        }
        Ok(v)
    }

    fn mul(&mut self) -> Result<String, String> {
        let mut v = self.matchop()?;
        while let Some(op) = self.peek().filter(|o| ["*", "/", "%"].contains(o)).map(str::to_string) {
            self.i += 1;
            let r = self.matchop()?;
            let (a, b) = (Self::int(&v)?, Self::int(&r)?);
            if op != "*" && b == 0 {
                return Err("division by zero".into());
            }
            v = match op.as_str() {
                "*" => a.wrapping_mul(b),
                "/" => a.wrapping_div(b),
                _ => a.wrapping_rem(b),
            }
            .to_string();
        }
        Ok(v)
    }

    fn matchop(&mut self) -> Result<String, String> {
        let mut v = self.primary()?;
        while self.peek() == Some(":") {
            self.i += 1;
            let pat = self.primary()?;
            let re = text::Regex::new(&pat, false, false)?;
            let t: Vec<char> = v.chars().collect();
            v = match re.find_at(&t, 0) {
                Some((0, e)) => e.to_string(),
                _ => "0".into(),
            };
        }
        Ok(v)
    }

    fn primary(&mut self) -> Result<String, String> {
        let Some(t) = self.peek().map(str::to_string) else {
            return Err("syntax error".into());
        };
        self.i += 1;
        match t.as_str() {
            "(" => {
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err("syntax error".into());
                }
                self.i += 1;
                Ok(v)
            }
            "length" => {
                let s = self.primary()?;
                Ok(s.chars().count().to_string())
            }
            "substr" => {
                let s = self.primary()?;
                let p = Self::int(&self.primary()?)?;
                let l = Self::int(&self.primary()?)?;
                if p < 1 || l < 1 {
                    return Ok(String::new());
                }
                Ok(s.chars().skip(p as usize - 1).take(l as usize).collect())
            }
            "index" => {
                let s = self.primary()?;
                let chars = self.primary()?;
                Ok(s.chars().position(|c| chars.contains(c)).map(|p| p + 1).unwrap_or(0).to_string())
            }
            "match" => {
                let s = self.primary()?;
                let pat = self.primary()?;
                let re = text::Regex::new(&pat, false, false)?;
                let t: Vec<char> = s.chars().collect();
                Ok(match re.find_at(&t, 0) {
                    Some((0, e)) => e.to_string(),
                    _ => "0".into(),
                })
            }
            _ => Ok(t),
        }
    }
}
