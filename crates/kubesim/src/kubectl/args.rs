//! Splitting a kubectl line into words (POSIX-shell quoting) and reading its flags.

/// Splits `line` like a POSIX shell: whitespace separates words, '…' is literal, "…" allows
/// backslash escapes. An unclosed quote is an error.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated quote (')".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("unterminated quote (\")".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated quote (\")".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// A command line split into positional words and flags (`-n x`, `--namespace=x`, `-A`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub positional: Vec<String>,
    /// Flags in order, by their long name, with their value ("" for booleans).
    pub flags: Vec<(String, String)>,
}

/// How a flag is spelled and whether it takes a value.
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes_value: bool,
}

impl Parsed {
    pub fn flag(&self, long: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| k == long).map(|(_, v)| v.as_str())
    }
    pub fn has(&self, long: &str) -> bool {
        self.flags.iter().any(|(k, _)| k == long)
    }
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.flags.iter().filter(|(k, _)| k == long).map(|(_, v)| v.as_str()).collect()
    }
}

pub fn parse(words: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            out.positional.extend(words[i..].iter().cloned());
            break;
        }
        let (spec, inline) = if let Some(rest) = w.strip_prefix("--") {
            let (name, value) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            let spec = specs.iter().find(|s| s.long == name).ok_or_else(|| format!("unknown flag: --{name}"))?;
            (spec, value)
        } else if let Some(rest) = w.strip_prefix('-').filter(|r| !r.is_empty()) {
            let mut cs = rest.chars();
            let c = cs.next().unwrap_or('-');
            let spec = specs
                .iter()
                .find(|s| s.short == Some(c))
                .ok_or_else(|| format!("unknown shorthand flag: '{c}' in {w}"))?;
            let rest: String = cs.collect();
            let value = if rest.is_empty() { None } else { Some(rest.trim_start_matches('=').to_string()) };
            (spec, value)
        } else {
            out.positional.push(w.clone());
            continue;
        };
        let value = if spec.takes_value {
            match inline {
                Some(v) => v,
                None => {
                    let v = words.get(i).ok_or_else(|| format!("flag needs an argument: --{}", spec.long))?;
                    i += 1;
                    v.clone()
                }
            }
        } else {
            match inline.as_deref() {
                None | Some("true") => String::new(),
                Some("false") => continue,
                Some(v) => return Err(format!("invalid argument {v:?} for --{}", spec.long)),
            }
        };
        out.flags.push((spec.long.to_string(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(split_words("get pods -l 'app in (a, b)'").unwrap(), vec!["get", "pods", "-l", "app in (a, b)"]);
        assert_eq!(
            split_words(r#"exec p -- sh -c "echo \"hi\"""#).unwrap(),
            vec!["exec", "p", "--", "sh", "-c", "echo \"hi\""]
        );
        assert!(split_words("get 'pods").is_err());
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn reads_flags() {
        let specs = [
            FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
            FlagSpec { long: "all-namespaces", short: Some('A'), takes_value: false },
            FlagSpec { long: "output", short: Some('o'), takes_value: true },
        ];
        let w = split_words("pods -n kube-system -owide --all-namespaces x").unwrap();
        let p = parse(&w, &specs).unwrap();
        assert_eq!(p.positional, vec!["pods", "x"]);
        assert_eq!(p.flag("namespace"), Some("kube-system"));
        assert_eq!(p.flag("output"), Some("wide"));
        assert!(p.has("all-namespaces"));
        assert!(parse(&split_words("--bogus").unwrap(), &specs).is_err());
        assert!(parse(&split_words("-n").unwrap(), &specs).is_err());
    }
}
