//! Label selectors as kubectl `-l` writes them (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
//! `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`, comma-joined), parsed with the grammar and error
//! messages of k8s.io/apimachinery/pkg/labels/selector.go, and matched against labels.

use std::collections::{BTreeMap, BTreeSet};

use crate::validation::names;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Op,
    /// Sorted, deduplicated (upstream keeps a string set).
    pub values: Vec<String>,
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let v = labels.get(&self.key);
        match self.op {
            Op::Equals | Op::DoubleEquals | Op::In => v.is_some_and(|v| self.values.contains(v)),
            Op::NotEquals | Op::NotIn => v.is_none_or(|v| !self.values.contains(v)),
            Op::Exists => v.is_some(),
            Op::DoesNotExist => v.is_none(),
            Op::GreaterThan | Op::LessThan => {
                let (Some(v), Some(bound)) = (v.and_then(|v| v.parse::<i64>().ok()), self.values.first()) else {
                    return false;
                };
                let Ok(bound) = bound.parse::<i64>() else { return false };
                if self.op == Op::GreaterThan {
                    v > bound
                } else {
                    v < bound
                }
            }
        }
    }
}

/// A parsed selector: every requirement must hold. Empty selects everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let empty = BTreeMap::new();
        let labels = labels.unwrap_or(&empty);
        self.0.iter().all(|r| r.matches(labels))
    }
}

/// Whether a set-based selector (a Service's `spec.selector`, a pod's `nodeSelector`, a
/// `matchLabels`) picks an object with `labels`: every `key=value` pair is among them
/// (apimachinery's `labels.SelectorFromSet(set).Matches`). An empty set picks everything.
pub fn set_matches(set: &BTreeMap<String, String>, labels: Option<&BTreeMap<String, String>>) -> bool {
    set.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Identifier,
    In,
    NotIn,
    Comma,
    OpenPar,
    ClosedPar,
    Equals,
    DoubleEquals,
    NotEquals,
    Bang,
    Greater,
    Less,
    End,
    Error,
}

const SPECIALS: &[(&str, Tok)] = &[
    ("!=", Tok::NotEquals),
    ("==", Tok::DoubleEquals),
    ("!", Tok::Bang),
    ("=", Tok::Equals),
    ("(", Tok::OpenPar),
    (")", Tok::ClosedPar),
    (",", Tok::Comma),
    (">", Tok::Greater),
    ("<", Tok::Less),
];

fn is_special(c: char) -> bool {
    matches!(c, '!' | '=' | '(' | ')' | ',' | '>' | '<')
}

fn lex(s: &str) -> Vec<(Tok, String)> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t' || chars[i] == '\r' || chars[i] == '\n') {
            i += 1;
        }
        if i >= chars.len() {
            out.push((Tok::End, String::new()));
            return out;
        }
        if is_special(chars[i]) {
            // Longest special symbol first (`!=` before `!`).
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            match SPECIALS.iter().find(|(sym, _)| rest.starts_with(sym)) {
                Some((sym, tok)) => {
                    out.push((*tok, sym.to_string()));
                    i += sym.chars().count();
                }
                None => {
                    out.push((Tok::Error, format!("error expected: keyword found '{}'", chars[i])));
                    return out;
                }
            }
            continue;
        }
        let start = i;
        while i < chars.len() && !is_special(chars[i]) && !chars[i].is_whitespace() {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let tok = match word.as_str() {
            "in" => Tok::In,
            "notin" => Tok::NotIn,
            _ => Tok::Identifier,
        };
        out.push((tok, word));
    }
}

/// In a value position, `in` and `notin` are plain words (upstream's `Values` context).
fn as_value(t: Tok) -> Tok {
    if matches!(t, Tok::In | Tok::NotIn) {
        Tok::Identifier
    } else {
        t
    }
}

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

impl Parser {
    fn peek(&self, values: bool) -> (Tok, String) {
        let (t, l) = self.items.get(self.pos).cloned().unwrap_or((Tok::End, String::new()));
        (if values { as_value(t) } else { t }, l)
    }
    fn next(&mut self, values: bool) -> (Tok, String) {
        let r = self.peek(values);
        self.pos += 1;
        r
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (mut tok, mut lit) = self.next(true);
        let mut op = None;
        if tok == Tok::Bang {
            op = Some(Op::DoesNotExist);
            (tok, lit) = self.next(true);
        }
        if tok != Tok::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        let key = lit;
        if let Some(m) = names::qualified_name(&key).first() {
            return Err(format!("key: Invalid value: {key:?}: {}", m.en));
        }
        let (t, _) = self.peek(true);
        if matches!(t, Tok::End | Tok::Comma) {
            return Ok(Requirement { key, op: op.unwrap_or(Op::Exists), values: Vec::new() });
        }
        if op == Some(Op::DoesNotExist) {
            // `!key` takes no operator.
            let (_, lit) = self.peek(true);
            return Err(format!("found '{lit}', expected: ',' or 'end of string'"));
        }
        let (tok, lit) = self.next(false);
        let op = match tok {
            Tok::In => Op::In,
            Tok::NotIn => Op::NotIn,
            Tok::Equals => Op::Equals,
            Tok::DoubleEquals => Op::DoubleEquals,
            Tok::NotEquals => Op::NotEquals,
            Tok::Greater => Op::GreaterThan,
            Tok::Less => Op::LessThan,
            _ => return Err(format!("found '{lit}', expected: in, notin, =, ==, !=, gt, lt")),
        };
        let values: BTreeSet<String> = match op {
            Op::In | Op::NotIn => self.value_set()?,
            _ => self.exact_value()?,
        };
        let values: Vec<String> = values.into_iter().collect();
        for (i, v) in values.iter().enumerate() {
            if matches!(op, Op::GreaterThan | Op::LessThan) {
                if v.parse::<i64>().is_err() {
                    return Err(format!(
                        "values[{i}]: Invalid value: {v:?}: for 'Gt', 'Lt' operators, the value must be an integer"
                    ));
                }
            } else if let Some(m) = names::label_value(v).first() {
                return Err(format!("values[{i}][{key}]: Invalid value: {v:?}: {}", m.en));
            }
        }
        Ok(Requirement { key, op, values })
    }

    fn value_set(&mut self) -> Result<BTreeSet<String>, String> {
        let (tok, lit) = self.next(true);
        if tok != Tok::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.peek(true);
        match tok {
            Tok::Identifier | Tok::Comma => {
                let s = self.identifiers()?;
                let (tok, _) = self.next(true);
                if tok != Tok::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(s)
            }
            Tok::ClosedPar => {
                self.next(true);
                Ok(BTreeSet::from([String::new()]))
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn identifiers(&mut self) -> Result<BTreeSet<String>, String> {
        let mut s = BTreeSet::new();
        loop {
            let (tok, lit) = self.next(true);
            match tok {
                Tok::Identifier => {
                    s.insert(lit);
                    let (t2, l2) = self.peek(true);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => return Ok(s),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if s.is_empty() {
                        s.insert(String::new());
                    }
                    let (t2, _) = self.peek(true);
                    if t2 == Tok::ClosedPar {
                        s.insert(String::new());
                        return Ok(s);
                    }
                    if t2 == Tok::Comma {
                        self.next(true);
                        s.insert(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<BTreeSet<String>, String> {
        let (tok, _) = self.peek(true);
        if matches!(tok, Tok::End | Tok::Comma) {
            return Ok(BTreeSet::from([String::new()]));
        }
        let (tok, lit) = self.next(true);
        if tok == Tok::Identifier {
            Ok(BTreeSet::from([lit]))
        } else {
            Err(format!("found '{lit}', expected: identifier"))
        }
    }
}

/// Parses a selector string; the error is upstream's text (`unable to parse requirement: ...`).
pub fn parse(input: &str) -> Result<Selector, String> {
    if input.len() > 4096 {
        return Err("selector too long".into());
    }
    let items = lex(input);
    if let Some((_, msg)) = items.iter().find(|(t, _)| *t == Tok::Error) {
        return Err(format!("unable to parse requirement: {msg}"));
    }
    let mut p = Parser { items, pos: 0 };
    let mut reqs = Vec::new();
    loop {
        let (tok, lit) = p.peek(true);
        match tok {
            Tok::Identifier | Tok::Bang => {
                let r = p.requirement().map_err(|e| format!("unable to parse requirement: {e}"))?;
                reqs.push(r);
                let (t, l) = p.next(true);
                match t {
                    Tok::End => break,
                    Tok::Comma => {
                        let (t2, l2) = p.peek(true);
                        if !matches!(t2, Tok::Identifier | Tok::Bang) {
                            return Err(format!("found '{l2}', expected: identifier after ','"));
                        }
                    }
                    _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                }
            }
            Tok::End => break,
            _ => return Err(format!("found '{lit}', expected: !, identifier, or 'end of string'")),
        }
    }
    // Upstream sorts requirements by key for a deterministic String().
    crate::sorting::sort_by(&mut reqs, |a, b| a.key.cmp(&b.key));
    Ok(Selector(reqs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn every_form_matches_like_upstream() {
        let web_dev = labels(&[("type", "web"), ("lo", "dev")]);
        let db_prod = labels(&[("type", "db"), ("lo", "production")]);
        let none = labels(&[]);
        let check = |sel: &str, l: &BTreeMap<String, String>| parse(sel).unwrap().matches(Some(l));
        assert!(check("type=web", &web_dev) && !check("type=web", &db_prod));
        assert!(check("type==web", &web_dev));
        assert!(check("type!=web", &db_prod) && check("type!=web", &none) && !check("type!=web", &web_dev));
        assert!(check("lo in (dev,production)", &db_prod) && !check("lo in (dev)", &db_prod));
        assert!(check("lo notin (dev)", &db_prod) && check("lo notin (dev)", &none));
        assert!(check("lo", &web_dev) && !check("lo", &none));
        assert!(check("!lo", &none) && !check("!lo", &web_dev));
        assert!(check("type=web,lo=dev", &web_dev) && !check("type=web,lo=production", &web_dev));
        assert!(check("", &none));
        let num = labels(&[("replicas", "3")]);
        assert!(check("replicas>2", &num) && !check("replicas<2", &num));
        // `in` as a value.
        assert!(parse("a in (in, notin)").is_ok());
    }

    #[test]
    fn errors_read_like_kubectl() {
        assert_eq!(parse("a in b").unwrap_err(), "unable to parse requirement: found 'b' expected: '('");
        assert_eq!(parse("a in (b").unwrap_err(), "unable to parse requirement: found '', expected: ',' or ')'");
        assert_eq!(parse("a=b,").unwrap_err(), "found '', expected: identifier after ','");
        assert_eq!(parse(",a").unwrap_err(), "found ',', expected: !, identifier, or 'end of string'");
        assert!(parse("a=b c").unwrap_err().contains("expected: ',' or 'end of string'"));
        assert!(parse("a=b=c").is_err());
        assert!(parse("a=this is bad").is_err());
        assert!(parse("-bad=x").unwrap_err().contains("Invalid value"));
        assert!(parse("a=x_").unwrap_err().contains("Invalid value: \"x_\""));
        assert!(parse("a>b").unwrap_err().contains("must be an integer"));
    }
}
