//! `-o yaml` exactly as kubectl writes it: sigs.k8s.io/yaml marshals the object to JSON, reads
//! that back with go-yaml v2 and emits it with go-yaml v2's encoder. This is a port of the parts
//! of go-yaml v2 (v2.4.0: encode.go, emitterc.go, resolve.go, sorter.go) that JSON data reaches:
//!
//! - map keys sorted with go-yaml's "natural" order (sorter.go: other characters before letters,
//!   digit runs compared as numbers);
//! - a string that would read back as something else (bool, int, float, null, timestamp, base-60
//!   float) is double-quoted (`"True"`, `"7"`, `"2026-01-01T00:00:00Z"`, `""`);
//! - other strings are plain unless the emitter's scalar analysis forbids it, then single-quoted
//!   (`'containers with unready status: [nginx]'`), then double-quoted (tabs, control characters,
//!   characters outside the BMP);
//! - strings with a newline are literal blocks (`|`, `|-`, `|+`, with an indentation hint when
//!   they start with a space or a newline) unless that is not allowed;
//! - long plain and quoted scalars are folded at spaces once the line passes 80 columns;
//! - sequences inside mappings are not indented; empty collections are `[]` / `{}`.

use serde_json::Value;

use super::gosort;

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: usize = 80;

/// Renders a JSON value as kubectl's YAML printer does (ends with a newline).
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::new();
    e.emit_node(v, true, false, false, false);
    // DOCUMENT-END (implicit): end the last line.
    e.write_indent();
    e.out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy, Debug)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

struct Emitter {
    out: String,
    indent: i32,
    indents: Vec<i32>,
    column: usize,
    whitespace: bool,
    indention: bool,
    flow_level: usize,
    mapping_context: bool,
    simple_key_context: bool,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            indent: -1,
            indents: Vec::new(),
            column: 0,
            whitespace: true,
            indention: true,
            flow_level: 0,
            mapping_context: false,
            simple_key_context: false,
        }
    }

    fn emit_node(&mut self, v: &Value, _root: bool, _sequence: bool, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match v {
            Value::Null => self.emit_scalar("null", Style::Plain),
            Value::Bool(b) => self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain),
            Value::Number(n) => {
                let s = if let Some(i) = n.as_i64() {
                    i.to_string()
                } else if let Some(u) = n.as_u64() {
                    u.to_string()
                } else {
                    go_format_float_g(n.as_f64().unwrap_or(0.0))
                };
                self.emit_scalar(&s, Style::Plain)
            }
            Value::String(s) => self.emit_string(s),
            Value::Array(items) if items.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Object(map) if map.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Array(items) => {
                let indentless = self.mapping_context && !self.indention;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.emit_node(item, false, true, false, false);
                }
                self.pop_indent();
            }
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                gosort::sort(&mut keys, |a, b| key_less(a, b));
                self.increase_indent(false, false);
                for k in keys {
                    let value = &map[k.as_str()];
                    self.write_indent();
                    let simple = !analyze(k).multiline && k.len() <= 128;
                    if simple {
                        self.emit_node(&Value::String(k.clone()), false, false, true, true);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.emit_node(&Value::String(k.clone()), false, false, true, false);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.emit_node(value, false, false, true, false);
                }
                self.pop_indent();
            }
        }
    }

    /// encode.go `stringv`: plain if it reads back as the same string, a literal block if it has
    /// a newline, else double-quoted.
    fn emit_string(&mut self, s: &str) {
        let can_use_plain = resolves_to_str(s) && !is_base60_float(s);
        let style = if s.contains('\n') {
            Style::Literal
        } else if can_use_plain {
            Style::Plain
        } else {
            Style::Double
        };
        self.emit_scalar(s, style);
    }

    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        self.flow_level -= 1;
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn emit_scalar(&mut self, value: &str, requested: Style) {
        let a = analyze(value);
        let style = self.select_style(value, requested, a);
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single_quoted(value, allow_breaks),
            Style::Double => self.write_double_quoted(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    /// emitterc.go `yaml_emitter_select_scalar_style` (implicit, untagged scalars).
    fn select_style(&self, value: &str, requested: Style, a: Analysis) -> Style {
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if self.flow_level > 0 && !a.flow_plain_allowed || self.flow_level == 0 && !a.block_plain_allowed {
                style = Style::Single;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context) {
            style = Style::Double;
        }
        style
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Copies one character (`write`): one column whatever its byte width.
    fn write(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, indicator: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.write(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let b = value.as_bytes();
        let mut spaces = false;
        let mut breaks = false;
        for (i, c) in value.char_indices() {
            if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !is_space(b, i + 1) {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(b, i) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let b = value.as_bytes();
        let mut spaces = false;
        let mut breaks = false;
        for (i, c) in value.char_indices() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < b.len()
                    && !is_space(b, i + 1)
                {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(b, i) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let b = value.as_bytes();
        // go-yaml's is_bom looks at the start of the value, not at the current character.
        let starts_with_bom = b.starts_with(&[0xEF, 0xBB, 0xBF]);
        let mut spaces = false;
        for (i, c) in value.char_indices() {
            if !is_printable(b, i) || starts_with_bom || is_break(b, i) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let v = c as u32;
                        let (prefix, digits) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(prefix);
                        for k in (0..digits).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < b.len() {
                    self.write_indent();
                    if is_space(b, i + 1) {
                        self.put('\\');
                    }
                } else {
                    self.write(c);
                }
                spaces = true;
            } else {
                self.write(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        let b = value.as_bytes();
        if is_space(b, 0) || is_break(b, 0) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match value.char_indices().last() {
            None => Some("-"),
            Some((i, _)) if !is_break(b, i) => Some("-"),
            Some((0, _)) => Some("+"),
            Some((i, _)) => match value[..i].char_indices().last() {
                Some((j, _)) if is_break(b, j) => Some("+"),
                _ => None,
            },
        };
        if let Some(c) = chomp {
            self.write_indicator(c, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for (i, c) in value.char_indices() {
            if is_break(b, i) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}

fn is_blank(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}

fn is_break(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b'\r'
        || c == b'\n'
        || c == 0xC2 && at(b, i + 1) == 0x85
        || c == 0xE2 && at(b, i + 1) == 0x80 && (at(b, i + 2) == 0xA8 || at(b, i + 2) == 0xA9)
}

fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || at(b, i) == 0
}

/// yamlprivateh.go `is_printable` (note: characters outside the BMP are not "printable").
fn is_printable(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    let c1 = at(b, i + 1);
    let c2 = at(b, i + 2);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || c == 0xC2 && c1 >= 0xA0
        || c > 0xC2 && c < 0xED
        || c == 0xED && c1 < 0xA0
        || c == 0xEE
        || c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF))
}

/// emitterc.go `yaml_emitter_analyze_scalar` (with unicode output enabled).
fn analyze(value: &str) -> Analysis {
    let b = value.as_bytes();
    if b.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if b.len() >= 3 && (b.starts_with(b"---") || b.starts_with(b"...")) {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    while i < b.len() {
        let w = width(b[i]);
        let followed_by_whitespace = i + w >= b.len() || is_blank(b, i + w);
        if i == 0 {
            match b[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%'
                | b'@' | b'`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                b'?' | b':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                b'-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match b[i] {
                b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_indicators = true,
                b':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                b'#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(b, i) {
            special_characters = true;
        }
        if is_space(b, i) {
            if i == 0 {
                leading_space = true;
            }
            if i + w == b.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(b, i) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + w == b.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(b, i);
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// sorter.go `keyList.Less` for two string keys: where exactly one of two differing characters
/// is a letter, the other one sorts first.
pub fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let is_letter = |c: char| c.is_alphabetic();
    let is_digit = |c: char| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric());
    let digit_value = |c: char| c as i64 - '0' as i64;
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(digit_value(ar[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(br[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// encode.go `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else { return false };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[0] == b'+' || b[0] == b'-' {
        i = 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // [0-5]?[0-9]
        let d1 = b.get(i).copied();
        let d2 = b.get(i + 1).copied();
        match (d1, d2) {
            (Some(x), Some(y)) if (b'0'..=b'5').contains(&x) && y.is_ascii_digit() => i += 2,
            (Some(x), _) if x.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// resolve.go `resolve("", s)`: whether a plain scalar `s` would read back as a string.
fn resolves_to_str(s: &str) -> bool {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(c) if c.is_ascii_digit() => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 {
        return true;
    }
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO", "false",
        "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    match hint {
        b'.' => go_parse_float_ok(s).is_none(),
        b'D' | b'S' => {
            if parse_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            if go_parse_int(&plain, 0).is_some() || go_parse_uint(&plain, 0).is_some() {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float_ok(&plain).is_some() {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if go_parse_int(rest, 2).is_some() || go_parse_uint(rest, 2).is_some() {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b") {
                if go_parse_int(&format!("-{rest}"), 2).is_some() {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` succeeds, for the decimal forms YAML can reach (hex floats,
/// "inf" and "nan" never get here: they start with a letter or are in the table above).
fn go_parse_float_ok(s: &str) -> Option<f64> {
    let body = s.trim_start_matches(['+', '-']);
    if body.len() + 1 < s.len() || body.is_empty() {
        return None;
    }
    if !body.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    if !body.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    // Out of range is an error (ErrRange) in Go.
    f.is_finite().then_some(f)
}

/// `strconv.ParseInt(s, base, 64)` with base 0 (prefixes 0x, 0o, 0b, leading 0 = octal).
fn go_parse_int(s: &str, base: u32) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint(body, base)?;
    if neg {
        if u <= 1u64 << 63 {
            Some((u as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

/// `strconv.ParseUint(s, base, 64)` (no sign allowed).
fn go_parse_uint(s: &str, base: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let (radix, digits) = if base == 0 {
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("0x") {
            (16, &s[2..])
        } else if lower.starts_with("0o") {
            (8, &s[2..])
        } else if lower.starts_with("0b") {
            (2, &s[2..])
        } else if s.len() > 1 && s.starts_with('0') {
            (8, &s[1..])
        } else {
            (10, s)
        }
    } else {
        (base, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// resolve.go `parseTimestamp`: the formats go-yaml reads as timestamps
/// ("2006-1-2T15:4:5.999999999Z07:00", the same with "t", "2006-1-2 15:4:5.999999999",
/// "2006-1-2"), as Go's time.Parse accepts them.
fn parse_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    ["T", "t", " ", ""].iter().any(|sep| parse_with_layout(b, sep))
}

fn parse_with_layout(b: &[u8], sep: &str) -> bool {
    // Year: 4 digits (checked by the caller), then "-".
    let year: i64 = std::str::from_utf8(&b[..4]).ok().and_then(|y| y.parse().ok()).unwrap_or(0);
    let mut rest = &b[5..];
    // getnum: one or two digits.
    fn num(rest: &mut &[u8]) -> Option<u32> {
        let d0 = rest.first().filter(|c| c.is_ascii_digit())?;
        match rest.get(1).filter(|c| c.is_ascii_digit()) {
            Some(d1) => {
                let v = (*d0 - b'0') as u32 * 10 + (*d1 - b'0') as u32;
                *rest = &rest[2..];
                Some(v)
            }
            None => {
                let v = (*d0 - b'0') as u32;
                *rest = &rest[1..];
                Some(v)
            }
        }
    }
    fn lit(rest: &mut &[u8], l: &str) -> Option<()> {
        if rest.starts_with(l.as_bytes()) {
            *rest = &rest[l.len()..];
            Some(())
        } else {
            None
        }
    }
    let parsed = (|| -> Option<()> {
        let month = num(&mut rest)?;
        lit(&mut rest, "-")?;
        let day = num(&mut rest)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day < 1 || day > days {
            return None;
        }
        if sep.is_empty() {
            return rest.is_empty().then_some(());
        }
        lit(&mut rest, sep)?;
        let hour = num(&mut rest)?;
        lit(&mut rest, ":")?;
        let min = num(&mut rest)?;
        lit(&mut rest, ":")?;
        let sec = num(&mut rest)?;
        if hour >= 24 || min >= 60 || sec >= 60 {
            return None;
        }
        // Optional fractional seconds: '.' or ',' followed by digits.
        if rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b',') && rest[1].is_ascii_digit() {
            let n = 1 + rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            rest = &rest[n..];
        }
        if sep == " " {
            return rest.is_empty().then_some(());
        }
        // Z07:00
        if rest.first() == Some(&b'Z') {
            rest = &rest[1..];
        } else {
            if rest.len() < 6 || !matches!(rest[0], b'+' | b'-') || rest[3] != b':' {
                return None;
            }
            let ok = rest[1..3].iter().chain(&rest[4..6]).all(u8::is_ascii_digit);
            if !ok {
                return None;
            }
            let hh = (rest[1] - b'0') * 10 + (rest[2] - b'0');
            let mm = (rest[4] - b'0') * 10 + (rest[5] - b'0');
            if hh > 24 || mm > 60 {
                return None;
            }
            rest = &rest[6..];
        }
        rest.is_empty().then_some(())
    })();
    parsed.is_some()
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` with go-yaml's spellings of infinities and NaN.
pub fn go_format_float_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let m = if rest.is_empty() { first.to_string() } else { format!("{first}.{rest}") };
        let es = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{es}{:02}", exp.abs())
    } else {
        // %f with exactly the significant digits.
        let nd = digits.len() as i32;
        let dp = exp + 1; // digits before the decimal point
        let s = if dp <= 0 {
            format!("0.{}{}", "0".repeat((-dp) as usize), digits)
        } else if dp >= nd {
            format!("{}{}", digits, "0".repeat((dp - nd) as usize))
        } else {
            format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
        };
        format!("{sign}{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(v: Value) -> String {
        to_yaml(&v)
    }

    fn scalar(s: &str) -> String {
        let out = y(json!({ "k": s }));
        out.strip_prefix("k: ").unwrap_or(&out).trim_end_matches('\n').to_string()
    }

    #[test]
    fn strings_that_read_back_as_other_types_are_double_quoted() {
        for s in [
            "True",
            "true",
            "FALSE",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "N",
            "~",
            "null",
            "Null",
            "7",
            "0",
            "-1",
            "+12",
            "0x1F",
            "0o17",
            "017",
            "08",
            "1_000",
            "1e3",
            "1.5",
            ".5",
            "-.inf",
            ".NaN",
            "2026-01-01T00:00:00Z",
            "2026-01-01",
            "2026-1-2 3:04:05",
            "1:20",
            "190:20:30",
            "0b101",
            "",
        ] {
            let q = scalar(s);
            assert_eq!(q, format!("\"{s}\""), "{s:?}");
        }
    }

    #[test]
    fn ordinary_strings_are_plain() {
        for s in [
            "nginx",
            "Running",
            "default-scheduler",
            "docker.io/library/nginx:1.25",
            "a:b",
            "http://x/y",
            "1.2.3",
            "10.244.1.2",
            "v1.35.0",
            "-c",
            "2026-13-01",
            "2026-02-30",
            "Yes please",
            "k8s-worker1",
            "100Mi",
            "500m",
            "a#b",
            "<none>",
            "nope-",
            "inf",
            "nan",
            "0x",
            ".",
            "-",
        ] {
            let q = scalar(s);
            if s == "-" {
                assert_eq!(q, "'-'");
            } else {
                assert_eq!(q, s, "{s:?}");
            }
        }
    }

    #[test]
    fn special_characters_single_quote() {
        assert_eq!(scalar("containers with unready status: [nginx]"), "'containers with unready status: [nginx]'");
        assert_eq!(scalar("[a]"), "'[a]'");
        assert_eq!(scalar("{a}"), "'{a}'");
        assert_eq!(scalar("*x"), "'*x'");
        assert_eq!(scalar("&x"), "'&x'");
        assert_eq!(scalar("!x"), "'!x'");
        assert_eq!(scalar("%x"), "'%x'");
        assert_eq!(scalar("@x"), "'@x'");
        assert_eq!(scalar("`x"), "'`x'");
        assert_eq!(scalar("a: b"), "'a: b'");
        assert_eq!(scalar("a #b"), "'a #b'");
        assert_eq!(scalar("x:"), "'x:'");
        assert_eq!(scalar("- x"), "'- x'");
        assert_eq!(scalar(" lead"), "' lead'");
        assert_eq!(scalar("trail "), "'trail '");
        assert_eq!(scalar("it's: here"), "'it''s: here'");
        assert_eq!(scalar("---x"), "'---x'");
        assert_eq!(scalar("\"q\""), "'\"q\"'");
    }

    #[test]
    fn control_characters_double_quote() {
        assert_eq!(scalar("a\tb"), "\"a\\tb\"");
        assert_eq!(scalar("bell\u{7}"), "\"bell\\a\"");
        assert_eq!(scalar("esc\u{1b}[0m"), "\"esc\\e[0m\"");
        assert_eq!(scalar("del\u{7f}"), "\"del\\x7F\"");
        assert_eq!(scalar("smile 😀"), "\"smile \\U0001F600\"");
        assert_eq!(scalar("café"), "café");
        assert_eq!(scalar("cr\r"), "\"cr\\r\"");
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        assert_eq!(y(json!({"k": "a\nb"})), "k: |-\n  a\n  b\n");
        assert_eq!(y(json!({"k": "a\nb\n"})), "k: |\n  a\n  b\n");
        assert_eq!(y(json!({"k": "a\n\n"})), "k: |+\n  a\n\n");
        assert_eq!(y(json!({"k": "\n"})), "k: |2+\n\n");
        assert_eq!(y(json!({"k": " a\nb"})), "k: |2-\n   a\n  b\n");
        assert_eq!(y(json!({"k": "a\n\nb"})), "k: |-\n  a\n\n  b\n");
        // Not allowed as a block: trailing space, a space before a newline, tabs.
        assert_eq!(y(json!({"k": "a \nb"})), "k: \"a \\nb\"\n");
        assert_eq!(y(json!({"k": "a\nb "})), "k: \"a\\nb \"\n");
        assert_eq!(y(json!({"k": "a\tb\nc"})), "k: \"a\\tb\\nc\"\n");
        assert_eq!(y(json!({"m": {"script": "echo hi\nsleep 1\n"}})), "m:\n  script: |\n    echo hi\n    sleep 1\n");
        assert_eq!(y(json!({"args": ["-c", "echo hi\n"]})), "args:\n- -c\n- |\n  echo hi\n");
    }

    #[test]
    fn collections() {
        assert_eq!(y(json!({})), "{}\n");
        assert_eq!(
            y(json!({"a": [], "b": {}, "c": null, "d": [1, true, null]})),
            "a: []\nb: {}\nc: null\nd:\n- 1\n- true\n- null\n"
        );
        assert_eq!(
            y(json!({"spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}]}]}})),
            "spec:\n  containers:\n  - image: nginx\n    name: c\n    ports:\n    - containerPort: 80\n"
        );
        assert_eq!(y(json!({"x": [[1, 2], [], {}]})), "x:\n- - 1\n  - 2\n- []\n- {}\n");
        assert_eq!(y(json!({"x": [{"a": {"b": 1}}]})), "x:\n- a:\n    b: 1\n");
    }

    #[test]
    fn keys_sort_naturally_and_quote_when_needed() {
        assert_eq!(y(json!({"b": 1, "a": 2, "B": 3})), "B: 3\na: 2\nb: 1\n");
        // Other characters sort before letters (bytewise "aZ" < "a_b"); digit runs compare as
        // numbers.
        assert_eq!(y(json!({"a_b": 1, "aZ": 2})), "a_b: 1\naZ: 2\n");
        assert_eq!(y(json!({"k10": 1, "k9": 2, "k": 3})), "k: 3\nk9: 2\nk10: 1\n");
        assert_eq!(y(json!({"app.kubernetes.io/name": 1, "app": 2})), "app: 2\napp.kubernetes.io/name: 1\n");
        assert_eq!(y(json!({"true": 1, "": 2})), "\"\": 2\n\"true\": 1\n");
        assert!(key_less("a1", "a01"));
    }

    #[test]
    fn long_scalars_fold_at_80_columns() {
        let msg = "Back-off pulling image \"nginx:nope\": ErrImagePull: failed to pull and unpack image \"docker.io/library/nginx:nope\": not found";
        let out = y(json!({"status": {"message": msg}}));
        assert_eq!(
            out,
            "status:\n  message: 'Back-off pulling image \"nginx:nope\": ErrImagePull: failed to pull and\n    unpack image \"docker.io/library/nginx:nope\": not found'\n"
        );
        let plain = "word ".repeat(20);
        let plain = plain.trim_end();
        assert_eq!(
            y(json!({ "k": plain })),
            "k: word word word word word word word word word word word word word word word word\n  word word word word\n"
        );
        // Quoted scalars fold too; a run of spaces is escaped with a backslash.
        let dq = format!("{}  x\ty", "a ".repeat(40));
        let out = y(json!({ "k": dq }));
        assert!(out.starts_with("k: \"a a a"), "{out}");
        assert!(out.contains("\n  "), "{out}");
        // Keys never fold.
        let long_key = "k".repeat(100) + " v";
        assert_eq!(y(json!({ long_key.clone(): 1 })), format!("{long_key}: 1\n"));
    }

    #[test]
    fn complex_keys() {
        let long_key = "k".repeat(129);
        assert_eq!(y(json!({ long_key.clone(): 1 })), format!("? {long_key}\n: 1\n"));
        assert_eq!(y(json!({"a\nb": 1})), "? |-\n  a\n  b\n: 1\n");
    }

    #[test]
    fn numbers() {
        assert_eq!(
            y(json!({"a": 1.5, "b": 1e21, "c": 0.0001, "d": 0.00001, "e": 123456.0, "f": 1234567.0})),
            "a: 1.5\nb: 1e+21\nc: 0.0001\nd: 1e-05\ne: 123456\nf: 1.234567e+06\n"
        );
        assert_eq!(y(json!({"m": -3, "u": u64::MAX})), format!("m: -3\nu: {}\n", u64::MAX));
        // A key that reads back as a bool is quoted.
        assert_eq!(y(json!({"n": 1})), "\"n\": 1\n");
    }

    #[test]
    fn a_pod_like_document() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"creationTimestamp": "2026-01-01T00:00:00Z", "labels": {"run": "nginx"}, "name": "nginx",
                "namespace": "default", "resourceVersion": "7", "uid": "0d1f"},
            "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}],
                "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}]},
            "status": {"conditions": [{"lastProbeTime": null, "lastTransitionTime": "2026-01-01T00:00:01Z", "status": "True", "type": "Ready"}],
                "phase": "Running"}
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  labels:\n    run: nginx\n  name: nginx\n  namespace: default\n  resourceVersion: \"7\"\n  uid: 0d1f\nspec:\n  containers:\n  - image: nginx\n    name: nginx\n    resources: {}\n  tolerations:\n  - effect: NoExecute\n    key: node.kubernetes.io/not-ready\n    operator: Exists\n    tolerationSeconds: 300\nstatus:\n  conditions:\n  - lastProbeTime: null\n    lastTransitionTime: \"2026-01-01T00:00:01Z\"\n    status: \"True\"\n    type: Ready\n  phase: Running\n"
        );
    }
}
