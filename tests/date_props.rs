//! Property tests for dates: every precision round-trips through its
//! machine form, ordering agrees with precision, and `end_date` rules hold;
//! every date accepted at the edges of the range is written validly in the
//! calendar, the Atom feed and events.json, and the rest are refused.

use annals::dates::{EventDate, Precision};
use chrono::{DateTime, Datelike, NaiveDate};
use proptest::prelude::*;

/// A valid date string at a random precision (offsets in whole minutes).
/// Years 1 and 9999 are left to `edge_date_text`: some of their dates are
/// refused (no calendar can write them).
fn date_text() -> impl Strategy<Value = String> {
    (
        2i32..=9998,
        1u32..=12,
        1u32..=31,
        0u8..4,
        0u32..24,
        0u32..60,
        -1439i32..=1439,
    )
        .prop_map(|(y, m, d, p, h, min, off)| {
            let d = (1..=d)
                .rev()
                .find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some())
                .unwrap_or(1);
            match p {
                0 => format!("{y:04}"),
                1 => format!("{y:04}-{m:02}"),
                2 => format!("{y:04}-{m:02}-{d:02}"),
                _ => {
                    let sign = if off < 0 { '-' } else { '+' };
                    let a = off.unsigned_abs();
                    format!(
                        "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:00{sign}{:02}:{:02}",
                        a / 60,
                        a % 60
                    )
                }
            }
        })
}

fn parse(s: &str) -> EventDate {
    EventDate::parse(s).expect("generated dates are valid")
}

proptest! {
    #[test]
    fn every_precision_round_trips(s in date_text()) {
        let d = parse(&s);
        let again = parse(&d.machine());
        prop_assert_eq!(again, d);
        prop_assert_eq!(again.precision(), d.precision());
        // Never more precise than written.
        let expected = match s.len() { 4 => Precision::Year, 7 => Precision::Month, 10 => Precision::Day, _ => Precision::Time };
        prop_assert_eq!(d.precision(), expected);
    }

    #[test]
    fn a_period_sorts_before_what_it_contains(s in date_text()) {
        let d = parse(&s);
        // Every coarser form of the same date sorts before (or equals) it.
        let year = parse(&format!("{:04}", d.year));
        prop_assert!(year <= d);
        if let Some(m) = d.month {
            let month = parse(&format!("{:04}-{m:02}", d.year));
            prop_assert!(year < month);
            prop_assert!(month <= d);
            if let Some(day) = d.day {
                let plain = parse(&format!("{:04}-{m:02}-{day:02}", d.year));
                prop_assert!(month < plain);
                prop_assert!(plain <= d);
            }
        }
    }

    #[test]
    fn ordering_is_total_and_consistent(a in date_text(), b in date_text()) {
        let (a, b) = (parse(&a), parse(&b));
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a == b, a.cmp(&b) == std::cmp::Ordering::Equal);
        // Different years order by year whatever the precision.
        if a.year != b.year {
            prop_assert_eq!(a.cmp(&b), a.year.cmp(&b.year));
        }
    }

    #[test]
    fn end_date_rules(a in date_text(), b in date_text()) {
        let (start, end) = (parse(&a), parse(&b));
        // A date never ends before its own start, nor before a period holding it.
        prop_assert!(!start.ends_before_start_of(&start));
        let year = parse(&format!("{:04}", start.year));
        prop_assert!(!year.ends_before_start_of(&start));
        // An end in an earlier year is always refused; a later year never is.
        if end.year < start.year {
            prop_assert!(end.ends_before_start_of(&start));
        }
        if end.year > start.year {
            prop_assert!(!end.ends_before_start_of(&start));
        }
        // If the end is refused, it sorts before the start.
        if end.ends_before_start_of(&start) {
            prop_assert!(end < start);
        }
    }
}

/// Dates crowded at the edges: years 1 and 9999, month and day ends,
/// offsets near ±24 h, seconds up to the leap second `:60`.
fn edge_date_text() -> impl Strategy<Value = String> {
    let year = prop_oneof![Just(1i32), Just(2), Just(9998), Just(9999), 1i32..=9999];
    let month = prop_oneof![Just(1u32), Just(12), 1u32..=12];
    let day = prop_oneof![Just(1u32), Just(31), 1u32..=31];
    let offset = prop_oneof![Just(-1439i32), Just(1439), Just(0), -1439i32..=1439];
    let clock = prop_oneof![
        Just((0u32, 0u32, 0u32)),
        Just((23, 59, 59)),
        Just((23, 59, 60)),
        (0u32..24, 0u32..60, 0u32..=60)
    ];
    (year, month, day, 0u8..4, clock, offset).prop_map(|(y, m, d, p, (h, min, sec), off)| {
        let d = (1..=d)
            .rev()
            .find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some())
            .unwrap_or(1);
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.unsigned_abs();
        match p {
            0 => format!("{y:04}"),
            1 => format!("{y:04}-{m:02}"),
            2 => format!("{y:04}-{m:02}-{d:02}"),
            _ => format!(
                "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{sec:02}{sign}{:02}:{:02}",
                a / 60,
                a % 60
            ),
        }
    })
}

/// An iCalendar DATE or UTC DATE-TIME with a four-digit year from 0001.
fn is_valid_ics_date(value: &str) -> bool {
    let (date, time) = value.split_at(value.len().min(8));
    let date_ok = date.len() == 8
        && date.bytes().all(|b| b.is_ascii_digit())
        && NaiveDate::parse_from_str(date, "%Y%m%d").is_ok_and(|d| d.year() >= 1);
    let time_ok = time.is_empty()
        || (time.len() == 8
            && time.starts_with('T')
            && time.ends_with('Z')
            && time[1..7].bytes().all(|b| b.is_ascii_digit()));
    date_ok && time_ok
}

/// An RFC 3339 timestamp with a four-digit year from 0001.
fn is_valid_feed_date(value: &str) -> bool {
    value.len() >= 20
        && value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && value.as_bytes()[4] == b'-'
        && DateTime::parse_from_rfc3339(value).is_ok_and(|d| d.year() >= 1)
}

/// Builds a site holding one event per accepted date (each ended by the
/// next date when that is not before it) and checks the calendar, the
/// Atom feed and events.json.
fn build_and_check(dates: &[String]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    std::fs::create_dir_all(&events).expect("mkdir");
    let accepted: Vec<(&String, EventDate)> = dates
        .iter()
        .filter_map(|s| EventDate::parse(s).ok().map(|d| (s, d)))
        .collect();
    for (i, (text, date)) in accepted.iter().enumerate() {
        let end = match accepted.get(i + 1) {
            Some((t, e)) if !e.ends_before_start_of(date) => format!("end_date: {t}\n"),
            _ if i % 3 == 2 => "end_date: ongoing\n".to_string(),
            _ => String::new(),
        };
        let file = format!(
            "---\ntitle: Event {i}\ndate: {text}\n{end}kind: meeting\nsummary: S.\nsources:\n  - {{title: A, publisher: B}}\n---\n"
        );
        std::fs::write(events.join(format!("e{i}.md")), file).expect("write");
    }
    let mut options = annals::BuildOptions::new(dir.path());
    options.base_url = Some("https://example.org/".into());
    if let Err(e) = annals::build(&options) {
        return Err(TestCaseError::fail(format!(
            "{dates:?} did not build: {e:?}"
        )));
    }
    let public = dir.path().join("public");
    let ics = std::fs::read_to_string(public.join("calendar.ics")).expect("calendar.ics");
    let mut seen = 0;
    for cal in ical::IcalParser::new(ics.as_bytes()) {
        let cal = cal.map_err(|e| TestCaseError::fail(format!("calendar: {e}")))?;
        for ev in cal.events {
            for p in ev.properties {
                if matches!(p.name.as_str(), "DTSTART" | "DTEND" | "DTSTAMP") {
                    let value = p.value.unwrap_or_default();
                    prop_assert!(
                        is_valid_ics_date(&value),
                        "{} {value} for {dates:?}",
                        p.name
                    );
                    seen += 1;
                }
            }
        }
    }
    prop_assert!(
        seen >= accepted.len() * 2,
        "events missing from the calendar"
    );
    let atom = std::fs::read_to_string(public.join("atom.xml")).expect("atom.xml");
    let doc = roxmltree::Document::parse(&atom).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for node in doc
        .descendants()
        .filter(|n| matches!(n.tag_name().name(), "published" | "updated"))
    {
        let value = node.text().unwrap_or("");
        prop_assert!(is_valid_feed_date(value), "atom {value} for {dates:?}");
    }
    let json = std::fs::read_to_string(public.join("events.json")).expect("events.json");
    serde_json::from_str::<serde_json::Value>(&json)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_accepted_date_is_written_validly_everywhere(
        dates in proptest::collection::vec(edge_date_text(), 6)
    ) {
        build_and_check(&dates)?;
    }
}

#[test]
fn dates_no_calendar_can_write_are_refused() {
    for refused in [
        "9999",
        "9999-12",
        "9999-12-31",
        "9999-12-31T12:00:00Z",
        "0001-01-01T00:00:00+00:01",
        "0001-01-01T05:00:00+23:59",
        "2024-07-28T10:00:60+09:00",
        "2016-12-31T23:59:60Z",
    ] {
        let err = EventDate::parse(refused).expect_err(refused);
        assert!(!err.0.is_empty(), "{refused}: empty message");
    }
    let edges = [
        "0001",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00-23:59",
        "9998",
        "9999-11",
        "9999-12-30",
        "9999-12-30T23:59:59-23:59",
    ];
    build_and_check(&edges.map(String::from)).expect("edge dates build validly");
}
