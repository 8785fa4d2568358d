//! Virtual time. The engine never reads a wall clock: `Millis` counts virtual milliseconds since the
//! start of a simulation, and `Epoch` maps them to the timestamps written into API objects.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};

/// Virtual milliseconds since the simulation started.
pub type Millis = u64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// The wall-clock instant that virtual time zero stands for. Fixed per scenario so that
/// timestamps (and so whole traces) are reproducible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Epoch(pub i64);

impl Default for Epoch {
    /// 2026-01-01T00:00:00Z: arbitrary but fixed.
    fn default() -> Self {
        Epoch(1_767_225_600)
    }
}

impl Epoch {
    pub fn timestamp(self, at: Millis) -> Timestamp {
        let base = Timestamp::from_second(self.0).unwrap_or(Timestamp::UNIX_EPOCH);
        // API timestamps have one-second resolution (metav1.Time marshals RFC 3339 without fractions).
        base.checked_add(SignedDuration::from_secs((at / SECOND) as i64)).unwrap_or(base)
    }

    pub fn time(self, at: Millis) -> Time {
        Time(self.timestamp(at))
    }

    /// Virtual milliseconds of an API timestamp (saturating at zero for times before the epoch).
    pub fn millis_of(self, t: &Time) -> Millis {
        let secs = t.0.as_second() - self.0;
        if secs <= 0 {
            0
        } else {
            secs as Millis * SECOND
        }
    }
}

/// Parses a Go-style duration (`90s`, `5m`, `1h30m`, `1.5s`, `250ms`) into milliseconds, as
/// `time.ParseDuration` accepts them (negative durations are rejected: virtual time only moves on).
pub fn parse_duration(input: &str) -> Result<Millis, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if s == "0" {
        return Ok(0);
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: f64 = 0.0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        if start == i {
            return Err(format!("invalid duration {input:?}: expected a number at {:?}", &s[start..]));
        }
        let number: f64 =
            s[start..i].parse().map_err(|_| format!("invalid duration {input:?}: bad number {:?}", &s[start..i]))?;
        let ustart = i;
        while i < bytes.len() && !(bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let unit = &s[ustart..i];
        let scale = match unit {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "" => return Err(format!("invalid duration {input:?}: missing unit (use ms, s, m or h)")),
            other => return Err(format!("invalid duration {input:?}: unknown unit {other:?} (use ms, s, m or h)")),
        };
        total += number * scale;
    }
    if !total.is_finite() || total > 1.0e15 {
        return Err(format!("invalid duration {input:?}: too large"));
    }
    Ok(total.round() as Millis)
}

/// Renders milliseconds the way Go's `time.Duration.String` does for whole seconds and above
/// (`1m30s`, `2h0m0s`), and `250ms` below a second.
pub fn format_go_duration(ms: Millis) -> String {
    if ms < SECOND {
        return format!("{ms}ms");
    }
    let h = ms / HOUR;
    let m = (ms % HOUR) / MINUTE;
    let s = (ms % MINUTE) / SECOND;
    let frac = ms % SECOND;
    let secs = if frac == 0 {
        format!("{s}s")
    } else {
        let f = format!("{:03}", frac);
        format!("{s}.{}s", f.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("5m"), Ok(300_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("99999999999999h").is_err());
    }

    #[test]
    fn go_duration_strings() {
        assert_eq!(format_go_duration(90_000), "1m30s");
        assert_eq!(format_go_duration(7_200_000), "2h0m0s");
        assert_eq!(format_go_duration(2_345), "2.345s");
        assert_eq!(format_go_duration(1_500), "1.5s");
        assert_eq!(format_go_duration(40), "40ms");
    }

    #[test]
    fn epoch_round_trips_whole_seconds() {
        let e = Epoch::default();
        let t = e.time(61_500);
        assert_eq!(e.millis_of(&t), 61_000);
        assert_eq!(t.0.to_string(), "2026-01-01T00:01:01Z");
    }
}
