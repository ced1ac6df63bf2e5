//! Property tests for dates: every precision round-trips through its
//! machine form, ordering agrees with precision, and `end_date` rules hold.

use annals::dates::{EventDate, Precision};
use chrono::NaiveDate;
use proptest::prelude::*;

/// A valid date string at a random precision (offsets in whole minutes).
fn date_text() -> impl Strategy<Value = String> {
    (
        1i32..=9999,
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
