//! Resource quantities (`500m`, `128Mi`, `1.5`, `2e3`), parsed exactly as
//! k8s.io/apimachinery/pkg/api/resource does: decimal SI and binary suffixes, and exponents.

/// A parsed quantity in nano-units (1 = 10⁻⁹ of the base unit), exact for every suffix upstream
/// allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Quantity(pub i128);

const NANO: i128 = 1_000_000_000;

impl Quantity {
    /// Millicores for CPU (rounded up, as upstream's `MilliValue`).
    pub fn milli(self) -> i64 {
        div_ceil(self.0, 1_000_000) as i64
    }
    /// Whole units (bytes for memory), rounded up as upstream's `Value`.
    pub fn value(self) -> i64 {
        div_ceil(self.0, NANO) as i64
    }
}

fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b > 0 {
        q + 1
    } else {
        q
    }
}

/// How a quantity was written, which decides how upstream prints it back
/// (`resource.Format`: DecimalSI `500m`, BinarySI `128Mi`, DecimalExponent `1e3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// The format a quantity's text implies (its suffix).
pub fn format_of(input: &str) -> Format {
    let s = input.trim();
    let num_end = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(s.len());
    let suffix = &s[num_end..];
    if suffix.ends_with('i') {
        Format::BinarySi
    } else if suffix.starts_with(['e', 'E']) && suffix.len() > 1 {
        Format::DecimalExponent
    } else {
        Format::DecimalSi
    }
}

/// The canonical text of a quantity, as upstream's `Quantity.String()` prints it: `1.5` → `1500m`,
/// `1536Mi` stays, `2048Mi` → `2Gi`, `0.5Gi` → `512Mi`, `1000m` → `1`.
/// (k8s.io/apimachinery/pkg/api/resource/quantity.go, CanonicalizeBytes.)
pub fn canonical(q: Quantity, format: Format) -> String {
    let v = q.0;
    if v == 0 {
        return "0".into();
    }
    let binary = format == Format::BinarySi && v.abs() >= 1024 * NANO && v % NANO == 0;
    if binary {
        let mut n = v / NANO;
        let mut k = 0;
        while k < 6 && n % 1024 == 0 {
            n /= 1024;
            k += 1;
        }
        return format!("{n}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k]);
    }
    // Decimal: the largest exponent (a multiple of 3) that keeps the mantissa whole.
    let mut m = v;
    let mut e: i32 = -9;
    while e < 18 && m % 1000 == 0 {
        m /= 1000;
        e += 3;
    }
    let suffix = if format == Format::DecimalExponent {
        if e == 0 {
            String::new()
        } else {
            format!("e{e}")
        }
    } else {
        match e {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => "",
        }
        .to_string()
    };
    format!("{m}{suffix}")
}

/// Parses and prints canonically in one go (for messages).
pub fn canonical_text(input: &str) -> String {
    match parse(input) {
        Ok(q) => canonical(q, format_of(input)),
        Err(_) => input.to_string(),
    }
}

pub fn parse(input: &str) -> Result<Quantity, String> {
    let invalid = || {
        format!("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got {input:?})")
    };
    let s = input.trim();
    if s.is_empty() || s.len() > 64 {
        return Err(invalid());
    }
    let (sign, s) = match s.as_bytes()[0] {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    let num_end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, suffix) = s.split_at(num_end);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return Err(invalid());
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    // value = digits * 10^(-frac_len) * multiplier; computed in nano-units.
    let digits: String = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return Err(invalid());
    }
    let mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| invalid())? };
    let frac_len = frac_part.len() as i32;
    let (mul, pow10): (i128, i32) = match suffix {
        "" => (1, 0),
        "n" => (1, -9),
        "u" => (1, -6),
        "m" => (1, -3),
        "k" => (1, 3),
        "M" => (1, 6),
        "G" => (1, 9),
        "T" => (1, 12),
        "P" => (1, 15),
        "E" => (1, 18),
        "Ki" => (1 << 10, 0),
        "Mi" => (1 << 20, 0),
        "Gi" => (1 << 30, 0),
        "Ti" => (1 << 40, 0),
        "Pi" => (1 << 50, 0),
        "Ei" => (1 << 60, 0),
        e if e.starts_with(['e', 'E']) => {
            let exp: i32 = e[1..].parse().map_err(|_| invalid())?;
            if !(-30..=30).contains(&exp) {
                return Err(invalid());
            }
            (1, exp)
        }
        _ => return Err(invalid()),
    };
    let exp = pow10 - frac_len + 9; // into nano-units
    let mut v = mantissa.checked_mul(mul).ok_or_else(invalid)?;
    if exp >= 0 {
        for _ in 0..exp {
            v = v.checked_mul(10).ok_or_else(invalid)?;
        }
    } else {
        // Below a nano-unit upstream rounds up; so do we.
        let d = 10i128.checked_pow((-exp) as u32).ok_or_else(invalid)?;
        v = div_ceil(v, d);
    }
    Ok(Quantity(sign * v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_forms() {
        assert_eq!(parse("500m").unwrap().milli(), 500);
        assert_eq!(parse("0.5").unwrap().milli(), 500);
        assert_eq!(parse("2").unwrap().milli(), 2000);
        assert_eq!(parse("1.5").unwrap().milli(), 1500);
        assert_eq!(parse("128Mi").unwrap().value(), 134_217_728);
        assert_eq!(parse("1Gi").unwrap().value(), 1 << 30);
        assert_eq!(parse("100M").unwrap().value(), 100_000_000);
        assert_eq!(parse("2e3").unwrap().value(), 2000);
        assert_eq!(parse("1k").unwrap().value(), 1000);
        assert_eq!(parse("1u").unwrap().milli(), 1); // rounds up
    }

    #[test]
    fn canonical_forms_match_upstream() {
        for (input, want) in [
            ("1.5", "1500m"),
            ("2", "2"),
            ("2000m", "2"),
            ("500m", "500m"),
            ("0.5Gi", "512Mi"),
            ("1.5Gi", "1536Mi"),
            ("2048Mi", "2Gi"),
            ("1024", "1024"),
            ("100Ki", "100Ki"),
            ("512", "512"),
            ("1e3", "1e3"),
            ("1500e-3", "1500e-3"),
            ("0", "0"),
            ("1k", "1k"),
            ("1000", "1k"),
            ("-1", "-1"),
        ] {
            assert_eq!(canonical_text(input), want, "{input}");
        }
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in ["", "abc", "1.2.3", "5MB", "1Gb", "m", ".", "1e99", "--1"] {
            assert!(parse(bad).is_err(), "{bad} should fail");
        }
    }
}
