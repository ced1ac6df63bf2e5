//! Reads a CSV export of the TimelineJS Google-Sheets template into the
//! same slides a TimelineJS3 JSON file holds, one per row, with its line.

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

/// A row that became a slide, or a row that is not an event.
pub struct Row {
    pub line: usize,
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
    /// Per-row problems: (line, message).
    pub problems: Vec<(usize, String)>,
    /// Columns annals does not know.
    pub unknown: Vec<String>,
}

/// Parses the CSV text; Err when it has no usable header row.
pub fn read(text: &str) -> Result<Sheet, String> {
    let delimiter = if text.lines().next().is_some_and(|l| l.contains('\t')) {
        b'\t'
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
        match COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(h)) {
            Some(c) => {
                index.insert(c, i);
            }
            None if h.is_empty() => {}
            None => unknown.push(h.to_string()),
        }
    }
    if !index.contains_key("Year") || !index.contains_key("Headline") {
        return Err(format!(
            "the header row has no `Year` and `Headline` columns; expected the TimelineJS template's columns: {}",
            COLUMNS.join(", ")
        ));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("cannot read the CSV: {e}"))?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
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
        let mut start = TDate {
            year: part(&col("Year")),
            month: part(&col("Month")),
            day: part(&col("Day")),
            ..TDate::default()
        };
        let mut end = TDate {
            year: part(&col("End Year")),
            month: part(&col("End Month")),
            day: part(&col("End Day")),
            ..TDate::default()
        };
        for (d, name) in [(&mut start, "Time"), (&mut end, "End Time")] {
            if let Err(msg) = set_time(d, &col(name)) {
                problems.push((line, format!("`{name}`: {msg}")));
            }
        }
        let opt = |s: String| (!s.is_empty()).then_some(s);
        let media = opt(col("Media")).map(|url| Media {
            url,
            caption: opt(col("Media Caption")),
            credit: opt(col("Media Credit")),
            thumbnail: opt(col("Media Thumbnail")),
        });
        // Credit or caption without media still names a source.
        let media = media.or_else(|| {
            (!col("Media Credit").is_empty() || !col("Media Caption").is_empty()).then(|| Media {
                url: String::new(),
                caption: opt(col("Media Caption")),
                credit: opt(col("Media Credit")),
                thumbnail: None,
            })
        });
        let has_end = end.year.is_some();
        rows.push(Row {
            line,
            kind: col("Type").to_lowercase(),
            slide: Slide {
                start_date: Some(start),
                end_date: has_end.then_some(end),
                text: Some(TText {
                    headline: opt(col("Headline")),
                    text: opt(col("Text")),
                }),
                media,
                group: opt(col("Group")),
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
