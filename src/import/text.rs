//! Dates and quoting of the importer: TimelineJS dates to annals date
//! strings at the same precision, with times placed in a zone only when
//! one is given (TimelineJS times carry none), and YAML quoting for the
//! front matter it writes.

use crate::exports::timelinejs::TDate;
use crate::values::dates::EventDate;
use crate::values::zone::Zone;

pub use crate::source::yaml::quote;

/// What became of a date's time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    /// The date has no time, or its time was kept with the zone's offset.
    Kept,
    /// No zone was given, so only the day was kept.
    Dropped,
    /// The time happens twice in the zone (clocks put back); the first was taken.
    Ambiguous,
}

fn num(p: &Option<crate::exports::timelinejs::Part>, what: &str) -> Result<Option<i64>, String> {
    match p {
        None => Ok(None),
        Some(p) => p.value().map_err(|e| format!("{what}: {e}")),
    }
}

/// The date's parts as written, at their precision and without a time:
/// what an entry without `unique_id` is known by.
pub fn day_key(d: &TDate) -> String {
    let part = |p: &Option<crate::exports::timelinejs::Part>| {
        p.as_ref().and_then(|p| p.value().ok().flatten())
    };
    match (part(&d.year), part(&d.month), part(&d.day)) {
        (Some(y), Some(m), Some(dd)) => format!("{y:04}-{m:02}-{dd:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (Some(y), _, _) => format!("{y:04}"),
        _ => String::new(),
    }
}

/// A TimelineJS date as an annals date string at the same precision.
pub fn date_text(d: &TDate, which: &str, zone: Option<&Zone>) -> Result<(String, Time), String> {
    let year = num(&d.year, &format!("{which} year"))?
        .ok_or_else(|| format!("{which} date has no year"))?;
    if !(1..=9999).contains(&year) {
        return Err(format!(
            "{which} year {year} cannot be represented: annals dates are years 0001 to 9999"
        ));
    }
    let month = num(&d.month, &format!("{which} month"))?;
    let day = num(&d.day, &format!("{which} day"))?;
    let hour = num(&d.hour, &format!("{which} hour"))?;
    let minute = num(&d.minute, &format!("{which} minute"))?.unwrap_or(0);
    let second = num(&d.second, &format!("{which} second"))?.unwrap_or(0);
    let (text, time) = match (month, day, hour) {
        (None, None, None) => (format!("{year:04}"), Time::Kept),
        (Some(m), None, None) => (format!("{year:04}-{m:02}"), Time::Kept),
        (Some(m), Some(d), None) => (format!("{year:04}-{m:02}-{d:02}"), Time::Kept),
        (Some(m), Some(d), Some(h)) => {
            let day = format!("{year:04}-{m:02}-{d:02}");
            EventDate::parse(&day).map_err(|e| format!("{which} date: {e}"))?;
            match zone {
                None => (day, Time::Dropped),
                Some(z) => {
                    let local = format!("{day}T{h:02}:{minute:02}:{second:02}");
                    let at = chrono::NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M:%S")
                        .map_err(|_| {
                            format!(
                                "{which} time {h:02}:{minute:02}:{second:02} is not a time of day"
                            )
                        })?;
                    let (text, twice) = z.rfc3339(at).map_err(|e| format!("{which} time: {e}"))?;
                    (text, if twice { Time::Ambiguous } else { Time::Kept })
                }
            }
        }
        _ => {
            return Err(format!(
                "{which} date has a day or time without a month or day"
            ));
        }
    };
    EventDate::parse(&text).map_err(|e| format!("{which} date: {e}"))?;
    Ok((text, time))
}
