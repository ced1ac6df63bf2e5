//! Dates that keep the precision their author wrote: a year, a month, a day,
//! or an RFC 3339 instant with its offset. Owns parsing, display, sorting and
//! the machine forms (`<time datetime>`, first instant of the period).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
    Time,
}

/// A calendar point at the precision it was written. `month`/`day` are only
/// present when the author wrote them; `instant` only for date-times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub instant: Option<DateTime<FixedOffset>>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

mod display;

pub use display::{display_span, display_span_in, month_in};

/// Why a date string was refused; phrased to be shown to the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_year(s: &str) -> Result<i32, DateError> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("`{s}` is not a four-digit year")));
    }
    let year: i32 = s
        .parse()
        .map_err(|_| DateError(format!("`{s}` is not a year")))?;
    if year == 0 {
        return Err(DateError("year 0000 does not exist".into()));
    }
    Ok(year)
}

fn parse_two_digits(s: &str, what: &str) -> Result<u32, DateError> {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("`{s}` is not a two-digit {what}")));
    }
    s.parse()
        .map_err(|_| DateError(format!("`{s}` is not a {what}")))
}

impl EventDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 date-time with
    /// an offset (seconds optional). Only dates every output can write are
    /// accepted (see [`EventDate::check_representable`]).
    pub fn parse(input: &str) -> Result<EventDate, DateError> {
        let date = Self::parse_written(input)?;
        date.check_representable(input.trim())?;
        Ok(date)
    }

    /// Refuses what some output cannot write. iCalendar dates have four-digit
    /// years (0001–9999) and an all-day event's end is the day after its
    /// last day, so no period may reach 31 December 9999; an instant must
    /// not fall before year 1 once converted to UTC; and a leap second
    /// (`:60`) has no portable representation.
    fn check_representable(&self, written: &str) -> Result<(), DateError> {
        if self.year == 9999 && self.month.unwrap_or(12) == 12 && self.day.unwrap_or(31) == 31 {
            return Err(DateError(format!(
                "`{written}` reaches 31 December 9999: calendars end an all-day event on the day after, which no four-digit year can write; the last date accepted is 9999-12-30"
            )));
        }
        let Some(dt) = self.instant else {
            return Ok(());
        };
        if dt.nanosecond() >= 1_000_000_000 {
            return Err(DateError(format!(
                "`{written}` has a leap second (:60), which feeds and calendars cannot write; use :59"
            )));
        }
        let utc = dt.with_timezone(&Utc);
        if utc.year() < 1 {
            return Err(DateError(format!(
                "`{written}` is {} in UTC, before the year 0001 that feeds and calendars can write; use a later time or a smaller offset",
                utc.format("%Y-%m-%dT%H:%M:%SZ")
            )));
        }
        Ok(())
    }

    fn parse_written(input: &str) -> Result<EventDate, DateError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DateError("the date is empty".into()));
        }
        if s.len() > 10 {
            return Self::parse_instant(s);
        }
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [y] => Ok(EventDate {
                year: parse_year(y)?,
                month: None,
                day: None,
                instant: None,
            }),
            [y, m] => {
                let year = parse_year(y)?;
                let month = parse_two_digits(m, "month")?;
                if !(1..=12).contains(&month) {
                    return Err(DateError(format!("month {month} does not exist")));
                }
                Ok(EventDate {
                    year,
                    month: Some(month),
                    day: None,
                    instant: None,
                })
            }
            [y, m, d] => {
                let year = parse_year(y)?;
                let month = parse_two_digits(m, "month")?;
                let day = parse_two_digits(d, "day")?;
                if !(1..=12).contains(&month) {
                    return Err(DateError(format!("month {month} does not exist")));
                }
                if NaiveDate::from_ymd_opt(year, month, day).is_none() {
                    return Err(DateError(format!(
                        "{} {year} has no day {day}",
                        MONTHS[month as usize - 1]
                    )));
                }
                Ok(EventDate {
                    year,
                    month: Some(month),
                    day: Some(day),
                    instant: None,
                })
            }
            _ => Err(DateError(format!("`{s}` is not a date"))),
        }
    }

    fn parse_instant(s: &str) -> Result<EventDate, DateError> {
        let parsed = DateTime::parse_from_rfc3339(s).or_else(|e| {
            // RFC 3339 requires seconds; authors often omit them. The cut
            // must fall between characters (found by fuzzing).
            let (head, tail) = s.split_at_checked(s.len().min(16)).ok_or(e)?;
            DateTime::parse_from_rfc3339(&format!("{head}:00{tail}"))
        });
        match parsed {
            Ok(dt) => {
                // The calendar date is the one the author wrote, in their offset.
                let date = dt.date_naive();
                Ok(EventDate {
                    year: date.year(),
                    month: Some(date.month()),
                    day: Some(date.day()),
                    instant: Some(dt),
                })
            }
            Err(_) => {
                let after_day = s.get(10..).unwrap_or("");
                let looks_naive = s.contains('T')
                    && !s.ends_with('Z')
                    && !s.ends_with('z')
                    && !after_day.contains('+')
                    && !after_day.contains('-');
                if looks_naive {
                    Err(DateError(format!(
                        "`{s}` has a time but no offset; add one, e.g. `{s}+09:00` or `{s}Z`"
                    )))
                } else {
                    Err(DateError(format!(
                        "`{s}` is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time such as 2024-07-28T10:00:00+09:00"
                    )))
                }
            }
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day, self.instant) {
            (_, _, Some(_)) => Precision::Time,
            (Some(_), Some(_), None) => Precision::Day,
            (Some(_), None, None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The value of `<time datetime>`: never more precise than written.
    pub fn machine(&self) -> String {
        match (self.month, self.day, self.instant) {
            (_, _, Some(dt)) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            (Some(m), Some(d), None) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None, None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// First calendar day of the period, used where a full date is required.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// First instant of the period: the written instant, or midnight UTC.
    pub fn first_instant(&self) -> DateTime<FixedOffset> {
        match self.instant {
            Some(dt) => dt,
            None => self
                .first_day()
                .and_hms_opt(0, 0, 0)
                .map(|n| n.and_utc().fixed_offset())
                .unwrap_or_else(|| DateTime::<Utc>::MIN_UTC.fixed_offset()),
        }
    }

    /// Whether `self` lies entirely before the period `other` starts or
    /// overlaps it: used to check that an end date is not before a start.
    pub fn ends_before_start_of(&self, other: &EventDate) -> bool {
        self.period_end_key() < other.sort_key()
    }

    /// Sort key: a period sorts before the dated events inside it
    /// (missing parts are 0), date-times after the plain day they fall on.
    pub fn sort_key(&self) -> (i32, u32, u32, u8, i64) {
        let instant = self.instant.map(|dt| dt.timestamp()).unwrap_or(0);
        (
            self.year,
            self.month.unwrap_or(0),
            self.day.unwrap_or(0),
            u8::from(self.instant.is_some()),
            instant,
        )
    }

    fn period_end_key(&self) -> (i32, u32, u32, u8, i64) {
        let instant = self.instant.map(|dt| dt.timestamp()).unwrap_or(i64::MAX);
        (
            self.year,
            self.month.unwrap_or(u32::MAX),
            self.day.unwrap_or(u32::MAX),
            u8::MAX,
            instant,
        )
    }
}

impl Ord for EventDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for EventDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The end of an event: a date, or an open span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndDate {
    On(EventDate),
    Ongoing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> EventDate {
        EventDate::parse(s).expect(s)
    }

    #[test]
    fn parses_four_precisions() {
        assert_eq!(d("2025").precision(), Precision::Year);
        assert_eq!(d("2025-03").precision(), Precision::Month);
        assert_eq!(d("2025-03-01").precision(), Precision::Day);
        assert_eq!(d("2024-07-28T10:00:00+09:00").precision(), Precision::Time);
        assert_eq!(d("2024-07-28T10:00+09:00").precision(), Precision::Time);
        assert_eq!(d("2024-07-28T01:00:00Z").precision(), Precision::Time);
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2024-13-45",
            "2024-02-30",
            "2023-02-29",
            "24-07-01",
            "2024-7-1",
            "July 2024",
            "",
            "2024-07-28T10:00:00",
            "0000",
        ] {
            assert!(EventDate::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(EventDate::parse("2024-02-29").is_ok());
    }

    #[test]
    fn naive_time_gets_an_offset_hint() {
        let err = EventDate::parse("2024-07-28T10:00:00").unwrap_err();
        assert!(err.0.contains("no offset"), "{err}");
    }

    #[test]
    fn display_keeps_precision() {
        assert_eq!(d("2025").display(), "2025");
        assert_eq!(d("2025-03").display(), "March 2025");
        assert_eq!(d("2025-03-01").display(), "1 March 2025");
        assert_eq!(
            d("2024-07-28T10:00:00+09:00").display(),
            "28 July 2024, 10:00 UTC+09:00"
        );
    }

    #[test]
    fn machine_form_never_invents_a_day() {
        assert_eq!(d("2025").machine(), "2025");
        assert_eq!(d("2025-03").machine(), "2025-03");
        assert_eq!(d("2025-03-01").machine(), "2025-03-01");
        assert_eq!(
            d("2024-07-28T10:00:00+09:00").machine(),
            "2024-07-28T10:00:00+09:00"
        );
    }

    #[test]
    fn date_time_keeps_the_written_calendar_day() {
        // 01:00 on the 28th in Tokyo is the 27th in UTC; the day shown stays 28.
        let dt = d("2024-07-28T01:00:00+09:00");
        assert_eq!(dt.day, Some(28));
        assert!(dt.display().starts_with("28 July 2024"));
    }

    #[test]
    fn periods_sort_before_their_days() {
        let mut v = [
            d("2025-03-01"),
            d("2025-03"),
            d("2025"),
            d("2024-12-31"),
            d("2025-03-01T09:00:00Z"),
            d("2025-02"),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(|x| x.machine()).collect();
        assert_eq!(
            shown,
            [
                "2024-12-31",
                "2025",
                "2025-02",
                "2025-03",
                "2025-03-01",
                "2025-03-01T09:00:00Z"
            ]
        );
    }

    #[test]
    fn first_instant_is_utc_midnight_of_period() {
        assert_eq!(
            d("2025-03").first_instant().to_rfc3339(),
            "2025-03-01T00:00:00+00:00"
        );
        assert_eq!(
            d("2024-07-28").first_instant().to_rfc3339(),
            "2024-07-28T00:00:00+00:00"
        );
    }

    #[test]
    fn end_before_start_detection() {
        assert!(d("2024-07-27").ends_before_start_of(&d("2024-07-28")));
        assert!(!d("2024-07").ends_before_start_of(&d("2024-07-28")));
        assert!(!d("2024-07-28").ends_before_start_of(&d("2024-07-28")));
        assert!(d("2023").ends_before_start_of(&d("2024-01")));
    }

    #[test]
    fn spans_compact_shared_parts() {
        let a = d("2024-07-28");
        assert_eq!(
            display_span(&a, Some(&EndDate::On(d("2024-07-29"))), false),
            "28–29 July 2024"
        );
        assert_eq!(
            display_span(&d("2024-06-30"), Some(&EndDate::On(d("2024-07-02"))), false),
            "30 June – 2 July 2024"
        );
        assert_eq!(
            display_span(&d("2025-03"), Some(&EndDate::Ongoing), false),
            "since March 2025"
        );
        assert_eq!(display_span(&d("2024-07"), None, true), "c. July 2024");
        assert_eq!(
            display_span(&d("2023"), Some(&EndDate::On(d("2024"))), false),
            "2023–2024"
        );
    }
}
