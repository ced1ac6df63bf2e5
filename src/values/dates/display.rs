//! Dates as a reader sees them, in the interface language: a date at the
//! precision it was written and a span compacted to what its ends share,
//! both from the patterns of a [`Locale`]'s translation files.

use super::{EndDate, EventDate, Precision};
use crate::i18n::{Arg, Locale};
use chrono::{FixedOffset, Timelike};

/// Year, month, day, and hour, minute and offset of the time.
type DateKey = (i32, Option<u32>, Option<u32>, Option<(u32, u32, i32)>);

impl EventDate {
    /// Reader-facing text in English: "2025", "March 2025", "1 March 2025",
    /// "28 July 2024, 10:00 UTC+09:00".
    pub fn display(&self) -> String {
        self.display_in(Locale::english())
    }

    /// Reader-facing text in `locale`, at the precision written: the
    /// patterns `date-year`, `date-month`, `date-day`, `date-time` and the
    /// month names `month-1`…`month-12` of its translation files. Pages
    /// show the same dates many times over (every list entry, every
    /// neighbour), so each thread remembers the texts it made.
    pub fn display_in(&self, locale: &Locale) -> String {
        thread_local! {
            static SHOWN: std::cell::RefCell<
                std::collections::HashMap<(u64, DateKey), String, ahash::RandomState>,
            > = Default::default();
        }
        /// Enough for every day of a few decades; past it the memo starts
        /// again, so a long `serve` session never grows it without bound.
        const REMEMBERED: usize = 1 << 16;
        let key = (locale.id(), self.key());
        if let Some(text) = SHOWN.with(|shown| shown.borrow().get(&key).cloned()) {
            return text;
        }
        let text = self.format_in(locale);
        SHOWN.with(|shown| {
            let mut shown = shown.borrow_mut();
            if shown.len() >= REMEMBERED {
                shown.clear();
            }
            shown.insert(key, text.clone());
        });
        text
    }

    /// Everything [`EventDate::format_in`] reads of the date.
    fn key(&self) -> DateKey {
        let instant = self
            .instant
            .map(|dt| (dt.hour(), dt.minute(), dt.offset().local_minus_utc()));
        (self.year, self.month, self.day, instant)
    }

    fn format_in(&self, locale: &Locale) -> String {
        let year = Arg::from(self.year.to_string());
        let day_text = |m: u32, d: u32| {
            locale.format(
                "date-day",
                &[
                    ("day", d.to_string().into()),
                    ("month", month_in(locale, m).into()),
                    ("year", year.clone()),
                ],
            )
        };
        match (self.month, self.day, self.instant) {
            (Some(m), Some(d), Some(dt)) => locale.format(
                "date-time",
                &[
                    ("date", day_text(m, d).into()),
                    (
                        "time",
                        format!("{:02}:{:02}", dt.hour(), dt.minute()).into(),
                    ),
                    ("zone", offset_label(dt.offset()).into()),
                ],
            ),
            (Some(m), Some(d), None) => day_text(m, d),
            (Some(m), None, _) => locale.format(
                "date-month",
                &[("month", month_in(locale, m).into()), ("year", year)],
            ),
            _ => locale.format("date-year", &[("year", year)]),
        }
    }
}

fn offset_label(offset: &FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    if secs == 0 {
        return "UTC".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.abs();
    format!("UTC{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// The name of month `m` (1–12) in `locale` (`month-7`: "July", "7月").
pub fn month_in(locale: &Locale, m: u32) -> String {
    locale.text(&format!("month-{m}")).to_string()
}

/// Display of a span at its precision in English, compacting shared
/// parts: "28–29 July 2024", "30 June – 2 July 2024", "since March 2025".
pub fn display_span(start: &EventDate, end: Option<&EndDate>, approximate: bool) -> String {
    display_span_in(start, end, approximate, Locale::english())
}

/// Display of a span in `locale`: a range shares what its ends share
/// (`date-range-days` the same month, `date-range-months-days` the same
/// year, `date-range-months`, `date-range-years`, else `date-range`); an
/// open span is `date-since`; an approximate date is `date-approximate`,
/// inside `date-since` for an open span.
pub fn display_span_in(
    start: &EventDate,
    end: Option<&EndDate>,
    approximate: bool,
    locale: &Locale,
) -> String {
    let approx = |text: String| {
        if approximate {
            locale.format("date-approximate", &[("date", text.into())])
        } else {
            text
        }
    };
    let month = |d: &EventDate| month_in(locale, d.month.unwrap_or(1));
    let day = |d: &EventDate| Arg::from(d.day.unwrap_or(1).to_string());
    match end {
        None => approx(start.display_in(locale)),
        Some(EndDate::Ongoing) => locale.format(
            "date-since",
            &[("date", approx(start.display_in(locale)).into())],
        ),
        Some(EndDate::On(end)) => {
            let same_precision = start.precision() == end.precision();
            let year = || Arg::from(start.year.to_string());
            let text = match (start.precision(), same_precision) {
                _ if start == end => start.display_in(locale),
                (Precision::Day, true) if start.year == end.year && start.month == end.month => {
                    locale.format(
                        "date-range-days",
                        &[
                            ("startDay", day(start)),
                            ("endDay", day(end)),
                            ("month", month(start).into()),
                            ("year", year()),
                        ],
                    )
                }
                (Precision::Day, true) if start.year == end.year => locale.format(
                    "date-range-months-days",
                    &[
                        ("startDay", day(start)),
                        ("startMonth", month(start).into()),
                        ("endDay", day(end)),
                        ("endMonth", month(end).into()),
                        ("year", year()),
                    ],
                ),
                (Precision::Month, true) if start.year == end.year => locale.format(
                    "date-range-months",
                    &[
                        ("startMonth", month(start).into()),
                        ("endMonth", month(end).into()),
                        ("year", year()),
                    ],
                ),
                (Precision::Year, true) => locale.format(
                    "date-range-years",
                    &[
                        ("startYear", year()),
                        ("endYear", end.year.to_string().into()),
                    ],
                ),
                _ => locale.format(
                    "date-range",
                    &[
                        ("start", start.display_in(locale).into()),
                        ("end", end.display_in(locale).into()),
                    ],
                ),
            };
            approx(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> EventDate {
        EventDate::parse(s).expect(s)
    }

    /// A span in `lang`'s built-in words.
    fn span(lang: &str, start: &str, end: Option<&str>, approx: bool) -> String {
        let locale = Locale::builtin(lang);
        let end = end.map(|e| {
            if e == "ongoing" {
                EndDate::Ongoing
            } else {
                EndDate::On(d(e))
            }
        });
        display_span_in(&d(start), end.as_ref(), approx, &locale)
    }

    #[test]
    fn a_remembered_date_is_never_shown_in_another_locale_or_at_another_time() {
        use crate::i18n::{Files, Source};
        let english = Locale::builtin("en");
        let mut files = Files::builtin("en");
        files.lang.insert(
            0,
            Source {
                origin: "i18n/en.ftl".into(),
                text: "date-day = {$year}/{$month}/{$day}\n".into(),
            },
        );
        let custom = Locale::new("en", None, files).expect("a locale");
        let day = d("2024-07-28");
        for _ in 0..2 {
            assert_eq!(day.display_in(&english), "28 July 2024");
            assert_eq!(day.display_in(&custom), "2024/July/28");
        }
        let tokyo = d("2024-07-28T10:00:00+09:00").display_in(&english);
        let utc = d("2024-07-28T10:00:00+00:00").display_in(&english);
        let later = d("2024-07-28T10:01:00+09:00").display_in(&english);
        assert_eq!(tokyo, "28 July 2024, 10:00 UTC+09:00");
        assert_eq!(utc, "28 July 2024, 10:00 UTC");
        assert_eq!(later, "28 July 2024, 10:01 UTC+09:00");
    }

    #[test]
    fn every_precision_in_english_japanese_and_korean() {
        let cases: [(&str, [&str; 3]); 4] = [
            ("2024", ["2024", "2024年", "2024년"]),
            ("2024-07", ["July 2024", "2024年7月", "2024년 7월"]),
            (
                "2024-07-28",
                ["28 July 2024", "2024年7月28日", "2024년 7월 28일"],
            ),
            (
                "2024-07-28T10:00:00+09:00",
                [
                    "28 July 2024, 10:00 UTC+09:00",
                    "2024年7月28日 10:00（UTC+09:00）",
                    "2024년 7월 28일 10:00 (UTC+09:00)",
                ],
            ),
        ];
        for (date, expected) in cases {
            for (lang, want) in ["en", "ja", "ko"].iter().zip(expected) {
                assert_eq!(
                    d(date).display_in(&Locale::builtin(lang)),
                    want,
                    "{date} in {lang}"
                );
            }
        }
        assert_eq!(
            d("2024-07-28T01:00:00Z").display_in(&Locale::builtin("ja")),
            "2024年7月28日 01:00（UTC）"
        );
    }

    #[test]
    fn ranges_in_english_japanese_and_korean() {
        let cases: [(&str, &str, [&str; 3]); 6] = [
            (
                "2024-07-28",
                "2024-07-29",
                [
                    "28–29 July 2024",
                    "2024年7月28日～29日",
                    "2024년 7월 28일~29일",
                ],
            ),
            (
                "2024-06-30",
                "2024-07-02",
                [
                    "30 June – 2 July 2024",
                    "2024年6月30日～7月2日",
                    "2024년 6월 30일~7월 2일",
                ],
            ),
            (
                "2023-12-30",
                "2024-01-02",
                [
                    "30 December 2023 – 2 January 2024",
                    "2023年12月30日～2024年1月2日",
                    "2023년 12월 30일 ~ 2024년 1월 2일",
                ],
            ),
            (
                "2024-03",
                "2024-05",
                ["March–May 2024", "2024年3月～5月", "2024년 3월~5월"],
            ),
            (
                "2023",
                "2024",
                ["2023–2024", "2023年～2024年", "2023년~2024년"],
            ),
            (
                "2024",
                "2025-03",
                [
                    "2024 – March 2025",
                    "2024年～2025年3月",
                    "2024년 ~ 2025년 3월",
                ],
            ),
        ];
        for (start, end, expected) in cases {
            for (lang, want) in ["en", "ja", "ko"].iter().zip(expected) {
                assert_eq!(
                    span(lang, start, Some(end), false),
                    want,
                    "{start}/{end} in {lang}"
                );
            }
        }
    }

    #[test]
    fn ongoing_and_approximate_in_english_japanese_and_korean() {
        let cases: [(&str, Option<&str>, bool, [&str; 3]); 4] = [
            (
                "2025-03",
                Some("ongoing"),
                false,
                ["since March 2025", "2025年3月以降", "2025년 3월부터"],
            ),
            ("1990", None, true, ["c. 1990", "1990年頃", "1990년경"]),
            (
                "2025-03",
                Some("ongoing"),
                true,
                ["since c. March 2025", "2025年3月頃以降", "2025년 3월경부터"],
            ),
            (
                "2024-07-28",
                Some("2024-07-29"),
                true,
                [
                    "c. 28–29 July 2024",
                    "2024年7月28日～29日頃",
                    "2024년 7월 28일~29일경",
                ],
            ),
        ];
        for (start, end, approx, expected) in cases {
            for (lang, want) in ["en", "ja", "ko"].iter().zip(expected) {
                assert_eq!(span(lang, start, end, approx), want, "{start} in {lang}");
            }
        }
    }

    #[test]
    fn a_language_without_files_falls_back_to_english_dates() {
        assert_eq!(
            d("2024-07-28").display_in(&Locale::builtin("xx")),
            "28 July 2024"
        );
    }
}
