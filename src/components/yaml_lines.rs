//! What the editor knows about its text without parsing it: where each line starts, which
//! document each line belongs to (`---` separators), which lines are the body of a block scalar
//! (`|`, `>`), and a per-line tokenizer for syntax colours. One linear pass per edit; the editor
//! then renders only the lines in view, so a 5,000-line paste costs the same per keystroke as a
//! 20-line pod.

/// The text's lines, analysed once per change.
#[derive(Debug, PartialEq)]
pub struct Lines {
    /// Byte offset of the start of each line (the first is 0).
    pub starts: Vec<usize>,
    /// 1-based document number of each line.
    pub doc: Vec<u32>,
    /// Whether each line is a `---` (or `...`) document marker.
    pub separator: Vec<bool>,
    /// Whether each line is inside a block scalar (text, not YAML structure).
    pub block: Vec<bool>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `---` alone, or followed by a space or a comment, starts a document; `...` ends one.
fn is_marker(line: &str) -> bool {
    let rest = line.strip_prefix("---").or_else(|| line.strip_prefix("..."));
    rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '#']) || r == "\r")
}

/// Does the line's value open a block scalar (`key: |`, `- >-`, `args: |2 # note`)?
fn opens_block(line: &str) -> bool {
    let code = strip_comment(line).trim_end();
    let value = match find_key_colon(code) {
        Some(i) => code[i + 1..].trim_start(),
        None => code.trim_start().trim_start_matches(['-', ' ']),
    };
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| c.is_ascii_digit() || c == '-' || c == '+')
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut out = Lines { starts: Vec::new(), doc: Vec::new(), separator: Vec::new(), block: Vec::new() };
        let mut doc = 1u32;
        let mut content_seen = false;
        let mut block_indent: Option<usize> = None;
        let mut start = 0;
        for line in text.split('\n') {
            out.starts.push(start);
            start += line.len() + 1;
            let marker = is_marker(line);
            if marker {
                // A leading `---` starts the first document rather than a second one.
                if line.starts_with("---") && content_seen {
                    doc += 1;
                }
                content_seen = false;
                block_indent = None;
            }
            let blank = line.trim().is_empty();
            let in_block = !marker && block_indent.is_some_and(|i| blank || indent(line) > i);
            if !in_block {
                block_indent = None;
            }
            if !marker && !blank && !line.trim_start().starts_with('#') {
                content_seen = true;
            }
            out.doc.push(doc);
            out.separator.push(marker);
            out.block.push(in_block);
            if !in_block && !marker && opens_block(line) {
                block_indent = Some(indent(line));
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The text of line `i` (0-based), without its newline.
    pub fn line<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let Some(&s) = self.starts.get(i) else { return "" };
        let e = self.starts.get(i + 1).map_or(text.len(), |&e| e - 1);
        let l = text.get(s..e.max(s)).unwrap_or("");
        l.strip_suffix('\r').unwrap_or(l)
    }
}

/// The byte index of a `#` that starts a comment (at the start or after a space, outside quotes).
fn comment_at(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'')
                && (prev == ' ' || prev == ':' || prev == '-' || prev == '[' || prev == '{' || prev == ',') =>
            {
                quote = Some(c)
            }
            None if c == '#' && (prev == ' ' || prev == '\t' || i == 0) => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

fn strip_comment(line: &str) -> &str {
    comment_at(line).map_or(line, |i| &line[..i])
}

/// The byte index of the `:` that ends a mapping key (followed by a space or the line's end),
/// outside quotes and flow collections.
fn find_key_colon(code: &str) -> Option<usize> {
    let body = code.trim_start().trim_start_matches(['-', ' ']);
    let offset = code.len() - body.len();
    if body.starts_with(['{', '[']) {
        return None;
    }
    let bytes = body.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b':' && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') => return Some(offset + i),
            None => {}
        }
    }
    None
}

/// A colour class for a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Plain,
    Key,
    Punct,
    Dash,
    Str,
    Num,
    Bool,
    Comment,
    Marker,
    Anchor,
    Block,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "t-plain",
            Tok::Key => "t-key",
            Tok::Punct => "t-punct",
            Tok::Dash => "t-dash",
            Tok::Str => "t-str",
            Tok::Num => "t-num",
            Tok::Bool => "t-bool",
            Tok::Comment => "t-comment",
            Tok::Marker => "t-marker",
            Tok::Anchor => "t-anchor",
            Tok::Block => "t-block",
        }
    }
}

fn scalar_tok(v: &str) -> Tok {
    let t = v.trim();
    if t.starts_with(['"', '\'']) {
        Tok::Str
    } else if t.starts_with(['&', '*']) {
        Tok::Anchor
    } else if t.starts_with(['|', '>']) {
        Tok::Block
    } else if matches!(t, "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~") {
        Tok::Bool
    } else if !t.is_empty()
        && t.trim_start_matches(['-', '+']).chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().any(|c| c.is_ascii_digit())
    {
        Tok::Num
    } else {
        Tok::Plain
    }
}

/// Splits one line into coloured tokens; the pieces concatenate back to the line exactly.
pub fn tokens(line: &str, in_block: bool) -> Vec<(Tok, &str)> {
    if in_block {
        return vec![(Tok::Str, line)];
    }
    let mut out = Vec::new();
    let (code, comment) = match comment_at(line) {
        Some(i) => (&line[..i], Some(&line[i..])),
        None => (line, None),
    };
    let mut rest = code;
    if is_marker(line) {
        out.push((Tok::Marker, &code[..3.min(code.len())]));
        rest = &code[3.min(code.len())..];
    } else {
        // Indentation and list dashes.
        let body = rest.trim_start_matches(['-', ' ', '\t']);
        let lead = &rest[..rest.len() - body.len()];
        // `-1` is a number, `--x` is a value: only `- ` (or a lone `-`) is a dash.
        let lead =
            if lead.ends_with('-') && !body.is_empty() { &lead[..lead.rfind(' ').map_or(0, |i| i + 1)] } else { lead };
        if !lead.is_empty() {
            let mut pos = 0;
            for (i, c) in lead.char_indices() {
                if c == '-' {
                    if i > pos {
                        out.push((Tok::Plain, &lead[pos..i]));
                    }
                    out.push((Tok::Dash, &lead[i..i + 1]));
                    pos = i + 1;
                }
            }
            if pos < lead.len() {
                out.push((Tok::Plain, &lead[pos..]));
            }
        }
        rest = &rest[lead.len()..];
        if let Some(i) = find_key_colon(rest) {
            out.push((Tok::Key, &rest[..i]));
            out.push((Tok::Punct, &rest[i..i + 1]));
            rest = &rest[i + 1..];
        }
    }
    if !rest.is_empty() {
        let trimmed = rest.trim_start();
        let ws = &rest[..rest.len() - trimmed.len()];
        if !ws.is_empty() {
            out.push((Tok::Plain, ws));
        }
        if !trimmed.is_empty() {
            out.push((scalar_tok(trimmed), trimmed));
        }
    }
    if let Some(c) = comment {
        out.push((Tok::Comment, c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(line: &str) -> String {
        tokens(line, false).iter().map(|(_, s)| *s).collect()
    }

    #[test]
    fn tokens_cover_the_line_and_colour_keys_and_values() {
        for line in [
            "apiVersion: v1",
            "  - name: nginx # the web server",
            "    image: \"nginx:1.14\"",
            "--- # second",
            "- -1",
            "  command: [\"sh\", \"-c\", \"echo a: b\"]",
            "url: http://x:80/#frag",
            "  한글: 값 # 주석",
            "",
            "-",
            "  - - a",
        ] {
            assert_eq!(joined(line), line);
        }
        assert_eq!(
            tokens("  - name: nginx # web", false),
            vec![
                (Tok::Plain, "  "),
                (Tok::Dash, "-"),
                (Tok::Plain, " "),
                (Tok::Key, "name"),
                (Tok::Punct, ":"),
                (Tok::Plain, " "),
                (Tok::Plain, "nginx "),
                (Tok::Comment, "# web"),
            ]
        );
        assert_eq!(tokens("replicas: 3", false)[2..], [(Tok::Plain, " "), (Tok::Num, "3")]);
        assert_eq!(tokens("url: http://x:80/#frag", false)[3], (Tok::Plain, "http://x:80/#frag"));
        assert_eq!(tokens("- -1", false), vec![(Tok::Dash, "-"), (Tok::Plain, " "), (Tok::Num, "-1")]);
        assert_eq!(tokens("---", false), vec![(Tok::Marker, "---")]);
    }

    #[test]
    fn documents_and_block_scalars() {
        let text =
            "---\nkind: Pod\nspec:\n  args: |\n    key: not a key\n\n    more\n  name: x\n---\nkind: Service\n...\n";
        let l = Lines::new(text);
        assert_eq!(l.len(), 12);
        assert_eq!(l.doc, vec![1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
        assert_eq!(l.separator.iter().filter(|s| **s).count(), 3);
        assert_eq!(l.block[4..8], [true, true, true, false]);
        assert_eq!(l.line(text, 4), "    key: not a key");
        assert_eq!(l.line(text, 11), "");
        assert_eq!(l.line(text, 99), "");
        // Windows line ends.
        let crlf = "a: 1\r\nb: 2\r\n";
        assert_eq!(Lines::new(crlf).line(crlf, 1), "b: 2");
    }
}
