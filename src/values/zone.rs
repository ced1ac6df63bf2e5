//! A time zone for times written without one (TimelineJS times carry no
//! zone): an IANA name such as `Europe/Berlin`, whose offset follows
//! daylight saving time, or a fixed offset such as `+09:00`.

use chrono::{FixedOffset, LocalResult, NaiveDateTime, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

/// What a zone is written as, for messages and hints.
pub const HINT: &str =
    "an IANA time zone name such as `Europe/Berlin` or `Asia/Seoul`, or an offset such as `+09:00`";

impl Zone {
    /// Reads `Europe/Berlin`, `UTC`, `Z`, `+09:00`, `-05:30`.
    pub fn parse(text: &str) -> Result<Zone, String> {
        let t = text.trim();
        if t == "Z" {
            return Ok(Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset")));
        }
        if let Some(sign) = t.chars().next().filter(|c| *c == '+' || *c == '-') {
            let rest = &t[1..];
            let (h, m) = rest.split_once(':').unwrap_or((rest, "00"));
            let ok = h.len() == 2 && m.len() == 2;
            let (h, m) = (h.parse::<i32>(), m.parse::<i32>());
            if let (true, Ok(h), Ok(m)) = (ok, h, m)
                && h <= 23
                && m <= 59
            {
                let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
                if let Some(o) = FixedOffset::east_opt(secs) {
                    return Ok(Zone::Fixed(o));
                }
            }
            return Err(format!(
                "`{t}` is not an offset of the form +HH:MM or -HH:MM"
            ));
        }
        t.parse::<chrono_tz::Tz>()
            .map(Zone::Named)
            .map_err(|_| format!("`{t}` is not a known time zone"))
    }

    /// The local time `at` in this zone as RFC 3339 with its offset.
    /// Err when the time does not exist there (skipped by a clock change);
    /// a time that happens twice is taken at its first occurrence, and
    /// the bool says so.
    pub fn rfc3339(&self, at: NaiveDateTime) -> Result<(String, bool), String> {
        const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";
        match self {
            Zone::Fixed(o) => match o.from_local_datetime(&at) {
                LocalResult::Single(t) => Ok((t.format(FORMAT).to_string(), false)),
                _ => Err("the time cannot be placed at this offset".into()),
            },
            Zone::Named(tz) => match tz.from_local_datetime(&at) {
                LocalResult::Single(t) => Ok((t.format(FORMAT).to_string(), false)),
                LocalResult::Ambiguous(first, _) => Ok((first.format(FORMAT).to_string(), true)),
                LocalResult::None => Err(format!(
                    "{} does not exist in {} (the clocks were put forward)",
                    at.format("%Y-%m-%d %H:%M"),
                    tz.name()
                )),
            },
        }
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Fixed(o) => write!(f, "{o}"),
            Zone::Named(tz) => f.write_str(tz.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_offsets() {
        assert!(matches!(Zone::parse("Europe/Berlin"), Ok(Zone::Named(_))));
        assert!(matches!(Zone::parse("+09:00"), Ok(Zone::Fixed(_))));
        assert!(Zone::parse("+9").is_err());
        assert!(Zone::parse("Mars/Olympus").is_err());
        let z = Zone::parse("Europe/Berlin").expect("zone");
        let t = NaiveDateTime::parse_from_str("2024-07-28 10:30", "%Y-%m-%d %H:%M").expect("t");
        assert_eq!(z.rfc3339(t).expect("ok").0, "2024-07-28T10:30:00+02:00");
        let gap = NaiveDateTime::parse_from_str("2024-03-31 02:30", "%Y-%m-%d %H:%M").expect("t");
        assert!(z.rfc3339(gap).is_err());
    }
}
