//! Resource quantities as kubectl prints them: `Quantity.String()` of
//! k8s.io/apimachinery/pkg/api/resource (quantity.go `CanonicalizeBytes`, amount.go
//! `AsCanonicalBytes`/`AsCanonicalBase1024Bytes`), plus the `Add`/`Cmp` kubectl uses to sum pod
//! requests (a sum keeps the format of its left operand).

use crate::quantity;

/// How a quantity was written, which decides how it prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A parsed quantity: value in nano-units plus its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Qty {
    pub nano: i128,
    pub format: Format,
}

impl Default for Qty {
    /// The zero `Quantity{}`, which prints as `0`.
    fn default() -> Self {
        Qty { nano: 0, format: Format::DecimalSI }
    }
}

const NANO: i128 = 1_000_000_000;

impl Qty {
    pub fn parse(s: &str) -> Option<Qty> {
        let q = quantity::parse(s).ok()?;
        let t = s.trim();
        let body = t.trim_start_matches(['+', '-']);
        let end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
        let suffix = &body[end..];
        let format = match suffix {
            "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => Format::DecimalSI,
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => Format::BinarySI,
            _ => Format::DecimalExponent,
        };
        Some(Qty { nano: q.0, format })
    }

    /// `MilliValue()`: rounded up.
    pub fn milli(self) -> i64 {
        quantity::Quantity(self.nano).milli()
    }

    /// `Value()`: rounded up.
    pub fn value(self) -> i64 {
        quantity::Quantity(self.nano).value()
    }

    /// `q.Add(other)`: the sum keeps `self`'s format.
    pub fn plus(self, other: Qty) -> Qty {
        Qty { nano: self.nano.saturating_add(other.nano), format: self.format }
    }
}

impl std::fmt::Display for Qty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&canonical(*self))
    }
}

/// The canonical text of a quantity string (what the apiserver stores and kubectl prints), or
/// the input unchanged if it does not parse.
pub fn canonical_str(s: &str) -> String {
    match Qty::parse(s) {
        Some(q) => canonical(q),
        None => s.to_string(),
    }
}

pub fn canonical(q: Qty) -> String {
    if q.nano == 0 {
        return "0".into();
    }
    let mut format = q.format;
    if format == Format::BinarySI {
        // Small values and values that are not whole units print in decimal.
        if q.nano > -1024 * NANO && q.nano < 1024 * NANO || q.nano % NANO != 0 {
            format = Format::DecimalSI;
        }
    }
    match format {
        Format::BinarySI => {
            let mut v = q.nano / NANO;
            let mut exp = 0;
            while v != 0 && v % 1024 == 0 && exp < 60 {
                v /= 1024;
                exp += 10;
            }
            let suffix = match exp {
                0 => "",
                10 => "Ki",
                20 => "Mi",
                30 => "Gi",
                40 => "Ti",
                50 => "Pi",
                _ => "Ei",
            };
            format!("{v}{suffix}")
        }
        Format::DecimalSI | Format::DecimalExponent => {
            let mut m = q.nano;
            let mut exp: i32 = -9;
            while m != 0 && m % 10 == 0 {
                m /= 10;
                exp += 1;
            }
            let r = exp.rem_euclid(3);
            for _ in 0..r {
                m *= 10;
            }
            exp -= r;
            let suffix = if format == Format::DecimalSI {
                match exp {
                    -9 => "n".to_string(),
                    -6 => "u".to_string(),
                    -3 => "m".to_string(),
                    0 => String::new(),
                    3 => "k".to_string(),
                    6 => "M".to_string(),
                    9 => "G".to_string(),
                    12 => "T".to_string(),
                    15 => "P".to_string(),
                    18 => "E".to_string(),
                    // listSuffixer.constructBytes finds no suffix and CanonicalizeBytes ignores
                    // that: the digits print bare (only reachable above 999E).
                    _ => String::new(),
                }
            } else if exp == 0 {
                String::new()
            } else {
                format!("e{exp}")
            };
            format!("{m}{suffix}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_follow_apimachinery() {
        for (input, want) in [
            ("0", "0"),
            ("0.5", "500m"),
            ("500m", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("2", "2"),
            ("0.1", "100m"),
            ("128Mi", "128Mi"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("1Ki", "1Ki"),
            ("4026128Ki", "4026128Ki"),
            ("100M", "100M"),
            ("1000M", "1G"),
            ("128974848", "128974848"),
            ("1e3", "1e3"),
            ("2e3", "2e3"),
            ("1000e0", "1e3"),
            ("12e-1", "1200e-3"),
            ("1E", "1E"),
            ("30298176Ki", "30298176Ki"),
        ] {
            assert_eq!(canonical_str(input), want, "{input}");
        }
    }

    #[test]
    fn sums_keep_the_left_format() {
        let a = Qty::parse("64Mi").unwrap();
        let b = Qty::parse("100M").unwrap();
        assert_eq!(a.plus(b).to_string(), "167108864");
        assert_eq!(b.plus(a).to_string(), "167108864");
        let c = Qty::parse("250m").unwrap().plus(Qty::parse("750m").unwrap());
        assert_eq!(c.to_string(), "1");
        assert_eq!(Qty::default().to_string(), "0");
    }
}
