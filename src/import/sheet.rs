//! Reads a CSV export of the TimelineJS Google-Sheets template (the
//! current one with `Year`, `Month`, `Day`… columns, or the first one with
//! `Start Date`, `End Date` and `Tag`) into the same slides a TimelineJS3
//! JSON file holds, one per row, with its row number and byte offset.

use crate::exports::timelinejs::{Media, Part, Slide, TDate, TText};
use std::collections::HashMap;

/// The template's columns, in its order.
pub const COLUMNS: &[&str] = &[
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
];

/// The first template's columns that the current one names otherwise.
const V1_COLUMNS: &[&str] = &["Start Date", "End Date", "Tag"];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month written as a number or a name ("3", "03", "March", "Mar", "Sept").
fn month_number(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches('.').to_lowercase();
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    if t.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&t))
        .map(|i| i as u32 + 1)
}

/// A date as the first template's `Start Date` holds it: `2024`,
/// `2024-03`, `2024-03-05`, `3/5/2024` (month first, as Google Sheets
/// writes it), `March 5, 2024`, `5 March 2024`, `Mar 2024`, with an
/// optional time after a day (`2024-03-05 10:30`).
fn loose_date(text: &str) -> Result<TDate, String> {
    let t = text.trim();
    let fail = || {
        format!(
            "date `{t}` is not one of 2024, 2024-03, 2024-03-05, 3/5/2024, March 5, 2024, 5 March 2024 or March 2024"
        )
    };
    let num = |n: i64| Some(Part::Num(n));
    if !t.is_empty()
        && t.trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        let year = t.parse::<i64>().map_err(|_| fail())?;
        return Ok(TDate {
            year: num(year),
            ..TDate::default()
        });
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    // A day and time: split off a trailing time, if any.
    let (date_words, time) = match words.last() {
        Some(w) if w.contains(':') => (&words[..words.len() - 1], Some(*w)),
        Some(w) if matches!(w.to_uppercase().as_str(), "AM" | "PM") && words.len() > 2 => (
            &words[..words.len() - 2],
            Some(words[words.len() - 2]).filter(|x| x.contains(':')),
        ),
        _ => (&words[..], None),
    };
    let mut d = TDate::default();
    let numeric = |s: &str| s.parse::<i64>().ok();
    match date_words {
        [one] if one.contains('-') || one.contains('/') => {
            let parts: Vec<&str> = one.split(['-', '/']).collect();
            let n: Vec<Option<i64>> = parts.iter().map(|p| numeric(p)).collect();
            match (one.contains('/'), n.as_slice()) {
                (false, [Some(y), Some(m)]) => (d.year, d.month) = (num(*y), num(*m)),
                (false, [Some(y), Some(m), Some(dd)]) => {
                    (d.year, d.month, d.day) = (num(*y), num(*m), num(*dd))
                }
                (true, [Some(m), Some(y)]) => (d.year, d.month) = (num(*y), num(*m)),
                (true, [Some(m), Some(dd), Some(y)]) => {
                    (d.year, d.month, d.day) = (num(*y), num(*m), num(*dd))
                }
                _ => return Err(fail()),
            }
        }
        [m, y] => {
            let m = month_number(m)
                .filter(|_| numeric(m).is_none())
                .ok_or_else(fail)?;
            (d.year, d.month) = (num(numeric(y).ok_or_else(fail)?), num(i64::from(m)));
        }
        [a, b, y] => {
            let y = numeric(y).ok_or_else(fail)?;
            let (m, day) = match (numeric(a), numeric(b)) {
                (None, Some(day)) => (month_number(a).ok_or_else(fail)?, day),
                (Some(day), None) => (month_number(b).ok_or_else(fail)?, day),
                _ => return Err(fail()),
            };
            (d.year, d.month, d.day) = (num(y), num(i64::from(m)), num(day));
        }
        _ => return Err(fail()),
    }
    if let Some(time) = time {
        if d.day.is_none() {
            return Err(fail());
        }
        let am_pm = words
            .last()
            .filter(|w| !w.contains(':'))
            .copied()
            .unwrap_or("");
        set_time(&mut d, format!("{time} {am_pm}").trim())?;
    }
    Ok(d)
}

/// A row that became a slide, or a row that is not an event.
pub struct Row {
    /// Its number in the sheet (the header is row 1).
    pub row: usize,
    /// Byte offset of the row in the text.
    pub offset: usize,
    pub slide: Slide,
    /// The template's `Type` column: "title", "era" or empty.
    pub kind: String,
}

fn part(s: &str) -> Option<Part> {
    let s = s.trim();
    (!s.is_empty()).then(|| Part::Text(s.to_string()))
}

/// Fills hour/minute/second from "10:00", "10:00:30" or "2:30 PM".
fn set_time(d: &mut TDate, time: &str) -> Result<(), String> {
    let time = time.trim();
    if time.is_empty() {
        return Ok(());
    }
    let parsed = ["%H:%M:%S", "%H:%M", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p"]
        .iter()
        .find_map(|f| chrono::NaiveTime::parse_from_str(&time.to_uppercase(), f).ok())
        .ok_or_else(|| format!("time `{time}` is not HH:MM, HH:MM:SS or H:MM AM/PM"))?;
    use chrono::Timelike;
    d.hour = Some(Part::Num(i64::from(parsed.hour())));
    d.minute = Some(Part::Num(i64::from(parsed.minute())));
    if parsed.second() != 0 {
        d.second = Some(Part::Num(i64::from(parsed.second())));
    }
    Ok(())
}

/// What a CSV held.
pub struct Sheet {
    pub rows: Vec<Row>,
    /// Per-row problems: (row, byte offset, message).
    pub problems: Vec<(usize, usize, String)>,
    /// Columns annals does not know.
    pub unknown: Vec<String>,
}

/// Parses the CSV text; Err when it has no usable header row.
pub fn read(text: &str) -> Result<Sheet, String> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') {
        b'\t'
    } else if first.contains(';') && !first.contains(',') {
        return Err(
            "the columns are separated by `;`, not `,`: export the sheet again as CSV with commas (in Google Sheets: File → Download → Comma-separated values; in a spreadsheet program set the field separator to `,`)"
                .into(),
        );
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        match COLUMNS
            .iter()
            .chain(V1_COLUMNS)
            .find(|c| c.eq_ignore_ascii_case(h))
        {
            Some(c) => {
                index.insert(c, i);
            }
            None if h.is_empty() => {}
            None => unknown.push(h.to_string()),
        }
    }
    let v1 = index.contains_key("Start Date") && !index.contains_key("Year");
    if !(index.contains_key("Year") || v1) || !index.contains_key("Headline") {
        return Err(format!(
            "the header row has no `Year` (or `Start Date`) and `Headline` columns; expected a CSV export of the TimelineJS template, with the columns {}",
            COLUMNS.join(", ")
        ));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let row = n + 2;
        let record = record.map_err(|e| format!("cannot read the CSV at row {row}: {e}"))?;
        // After a CRLF the reader's position is still at the `\n` that
        // ends the previous row; the row starts after it.
        let mut offset = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        while matches!(text.as_bytes().get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        let col = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let month = |name: &str, problems: &mut Vec<(usize, usize, String)>| {
            let text = col(name);
            if text.is_empty() {
                return None;
            }
            match month_number(&text) {
                Some(m) => Some(Part::Num(i64::from(m))),
                None => {
                    problems.push((row, offset, format!("`{name}`: `{text}` is not a month")));
                    None
                }
            }
        };
        let (mut start, mut end) = if v1 {
            let mut dates = [TDate::default(), TDate::default()];
            for (slot, name) in dates.iter_mut().zip(["Start Date", "End Date"]) {
                let text = col(name);
                if text.is_empty() {
                    continue;
                }
                match loose_date(&text) {
                    Ok(d) => *slot = d,
                    Err(msg) => problems.push((row, offset, format!("`{name}`: {msg}"))),
                }
            }
            let [s, e] = dates;
            (s, e)
        } else {
            (
                TDate {
                    year: part(&col("Year")),
                    month: month("Month", &mut problems),
                    day: part(&col("Day")),
                    ..TDate::default()
                },
                TDate {
                    year: part(&col("End Year")),
                    month: month("End Month", &mut problems),
                    day: part(&col("End Day")),
                    ..TDate::default()
                },
            )
        };
        if !v1 {
            for (d, name) in [(&mut start, "Time"), (&mut end, "End Time")] {
                if let Err(msg) = set_time(d, &col(name)) {
                    problems.push((row, offset, format!("`{name}`: {msg}")));
                }
            }
        }
        let opt = |s: String| (!s.is_empty()).then_some(s);
        let media = opt(col("Media")).map(|url| Media {
            url,
            caption: opt(col("Media Caption")),
            credit: opt(col("Media Credit")),
            alt: opt(col("Alt Text")).or_else(|| opt(col("Media Alt"))),
            thumbnail: opt(col("Media Thumbnail")),
        });
        // Credit or caption without media still names a source.
        let media = media.or_else(|| {
            (!col("Media Credit").is_empty() || !col("Media Caption").is_empty()).then(|| Media {
                url: String::new(),
                caption: opt(col("Media Caption")),
                credit: opt(col("Media Credit")),
                alt: None,
                thumbnail: None,
            })
        });
        let has_end = end.year.is_some();
        rows.push(Row {
            row,
            offset,
            kind: col("Type").to_lowercase(),
            slide: Slide {
                start_date: Some(start),
                end_date: has_end.then_some(end),
                text: Some(TText {
                    headline: opt(col("Headline")),
                    text: opt(col("Text")),
                }),
                media,
                group: opt(col("Group")).or_else(|| opt(col("Tag"))),
                display_date: opt(col("Display Date")),
                unique_id: None,
                background: opt(col("Background")).map(serde_json::Value::String),
                annals: None,
            },
        });
    }
    Ok(Sheet {
        rows,
        problems,
        unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(t: &str) -> (Option<i64>, Option<i64>, Option<i64>) {
        let d = loose_date(t).expect(t);
        let v = |p: Option<Part>| p.and_then(|p| p.value().ok().flatten());
        (v(d.year), v(d.month), v(d.day))
    }

    #[test]
    fn reads_the_first_templates_dates() {
        assert_eq!(ymd("March 5, 2024"), (Some(2024), Some(3), Some(5)));
        assert_eq!(ymd("5 March 2024"), (Some(2024), Some(3), Some(5)));
        assert_eq!(ymd("Mar 2024"), (Some(2024), Some(3), None));
        assert_eq!(ymd("3/5/2024"), (Some(2024), Some(3), Some(5)));
        assert_eq!(ymd("2024-03"), (Some(2024), Some(3), None));
        assert_eq!(ymd("1815"), (Some(1815), None, None));
        assert!(loose_date("soon").is_err());
        assert_eq!(month_number("Sept"), Some(9));
    }
}
