//! Durations for humans, exactly as k8s.io/apimachinery/pkg/util/duration does them.

use crate::time::Millis;

/// `HumanDuration`: ~2–3 significant figures (`45s`, `2m30s`, `15m`, `3h20m`, `5d3h`, `2y10d`).
pub fn human_duration(ms: Millis) -> String {
    let seconds = ms / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{h}h", hours / 24) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 { format!("{}y", hours / 24 / 365) } else { format!("{}y{dy}d", hours / 24 / 365) };
    }
    format!("{}y", hours / 24 / 365)
}

/// `ShortHumanDuration`: one unit (`45s`, `12m`, `5h`, `3d`, `2y`).
pub fn short_human_duration(ms: Millis) -> String {
    let seconds = ms / 1000;
    if seconds < 60 {
        format!("{seconds}s")
    } else if seconds / 60 < 60 {
        format!("{}m", seconds / 60)
    } else if seconds / 3600 < 24 {
        format!("{}h", seconds / 3600)
    } else if seconds / 3600 < 24 * 365 {
        format!("{}d", seconds / 86400)
    } else {
        format!("{}y", seconds / 86400 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_matches_upstream_table() {
        let s = 1000;
        for (ms, want) in [
            (0, "0s"),
            (119 * s, "119s"),
            (120 * s, "2m"),
            (150 * s, "2m30s"),
            (599 * s, "9m59s"),
            (600 * s, "10m"),
            (179 * 60 * s, "179m"),
            (180 * 60 * s, "3h"),
            (200 * 60 * s, "3h20m"),
            (8 * 3600 * s, "8h"),
            (47 * 3600 * s, "47h"),
            (48 * 3600 * s, "2d"),
            (123 * 3600 * s, "5d3h"),
            (8 * 24 * 3600 * s, "8d"),
            (730 * 24 * 3600 * s, "2y"),
            (740 * 24 * 3600 * s, "2y10d"),
            (8 * 365 * 24 * 3600 * s, "8y"),
        ] {
            assert_eq!(human_duration(ms), want, "{ms}");
        }
    }

    #[test]
    fn short_human_duration_one_unit() {
        assert_eq!(short_human_duration(59_000), "59s");
        assert_eq!(short_human_duration(61_000), "1m");
        assert_eq!(short_human_duration(3 * 3_600_000), "3h");
        assert_eq!(short_human_duration(50 * 3_600_000), "2d");
    }
}
