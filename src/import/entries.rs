//! The entries of the input file: reads a TimelineJS3 JSON file or the
//! template's CSV into slides with their line and a label naming them by
//! headline, and refuses, saying what was expected, a file that is not a
//! timeline. Eras and the title slide are kept apart from the events
//! (see `periods` and `title`).

use super::markdown::plain;
use super::notes::Notes;
use super::{at_line, locate, sheet, whole_file};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::exports::eras::Era;
use crate::exports::timelinejs::{Slide, Timeline};
use crate::source::line_index::LineIndex;
use std::path::Path;

/// One entry of the input with where it is, for messages.
pub struct Entry {
    pub slide: Slide,
    pub line: usize,
    /// `"Ada Lovelace"`, `row 6 "Ada Lovelace"`, or `event 3` without a headline.
    pub label: String,
}

/// One era of the input with where it is.
pub struct EraEntry {
    pub era: Era,
    pub line: usize,
    /// `era 2 "First round"`, `row 7 "First round"`.
    pub label: String,
}

/// The title slide of the input with where it is.
pub struct TitleEntry {
    pub slide: Slide,
}

/// What the input holds: its events, eras and title slide.
#[derive(Default)]
pub struct Input {
    pub entries: Vec<Entry>,
    pub eras: Vec<EraEntry>,
    pub title: Option<TitleEntry>,
}

pub fn headline_of(slide: &Slide) -> String {
    slide
        .text
        .as_ref()
        .and_then(|t| t.headline.as_deref())
        .map(plain)
        .unwrap_or_default()
}

fn label(slide: &Slide, fallback: String) -> String {
    let h = headline_of(slide);
    if h.is_empty() {
        fallback
    } else if fallback.starts_with("row ") {
        format!("{fallback} \"{h}\"")
    } else {
        format!("\"{h}\"")
    }
}

/// What a TimelineJS3 JSON file is, for messages about other files.
const EXPECTED_JSON: &str = "expected a TimelineJS3 JSON file: an object with an `events` list of slides, each with `start_date` and `text` (the format TimelineJS3 reads and `annals build` writes as timelinejs.json)";

/// The entries of the file; Err when it is not a timeline at all.
pub fn read(
    input: &Path,
    text: &str,
    lines: &LineIndex,
    notes: &mut Notes,
    problems: &mut Vec<Diagnostic>,
) -> Result<Input, Error> {
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_json =
        ext == "json" || (ext != "csv" && ext != "tsv" && text.trim_start().starts_with('{'));
    if is_json {
        return read_json(input, text, lines);
    }
    let sheet::Sheet {
        rows,
        problems: row_problems,
        unknown,
    } = sheet::read(text).map_err(|msg| whole_file(input, text, msg))?;
    if rows.is_empty() && row_problems.is_empty() {
        return Err(whole_file(
            input,
            text,
            "the sheet has no rows below its header: expected one row per event, as in the TimelineJS template".into(),
        ));
    }
    for (row, offset, msg) in row_problems {
        let line = lines.line_of(offset);
        problems.push(at_line(input, lines, line, format!("row {row}: {msg}")));
    }
    if !unknown.is_empty() {
        notes.once(format!("columns not imported: {}", unknown.join(", ")));
    }
    let mut out = Input::default();
    for row in rows {
        let line = lines.line_of(row.offset);
        match row.kind.as_str() {
            "title" if out.title.is_none() => out.title = Some(TitleEntry { slide: row.slide }),
            "title" => notes.once(format!(
                "row {}: a second title slide (\"{}\") was not imported",
                row.row,
                headline_of(&row.slide)
            )),
            "era" => out.eras.push(EraEntry {
                label: label(&row.slide, format!("row {}", row.row)),
                line,
                era: Era {
                    start_date: row.slide.start_date,
                    end_date: row.slide.end_date,
                    text: row.slide.text,
                    annals: None,
                },
            }),
            _ => out.entries.push(Entry {
                line,
                label: label(&row.slide, format!("row {}", row.row)),
                slide: row.slide,
            }),
        }
    }
    if out.entries.is_empty() && out.eras.is_empty() && problems.is_empty() {
        return Err(whole_file(
            input,
            text,
            "the sheet has no event or era rows (only a title slide): expected one row per event"
                .into(),
        ));
    }
    Ok(out)
}

fn read_json(input: &Path, text: &str, lines: &LineIndex) -> Result<Input, Error> {
    let located = |e: serde_json::Error, what: &str| {
        Error::Content(vec![
            Diagnostic::new(
                input,
                crate::diagnostic::Pos::new(e.line().max(1), e.column().max(1)),
                format!("{what}: {e}"),
            )
            .with_source(text),
        ])
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| located(e, "not valid JSON"))?;
    let Some(object) = value.as_object() else {
        return Err(whole_file(
            input,
            text,
            format!(
                "{EXPECTED_JSON}; this file holds a JSON {}",
                json_type(&value)
            ),
        ));
    };
    match object.get("events") {
        None => {
            let keys: Vec<String> = object.keys().take(5).map(|k| format!("`{k}`")).collect();
            let found = if keys.is_empty() {
                "an empty object".to_string()
            } else {
                format!("an object with {}", keys.join(", "))
            };
            let older = if object.contains_key("timeline") {
                " (a `timeline` object is the older TimelineJS format: open it in TimelineJS3's editor or its Google-Sheets template and export again)"
            } else {
                ""
            };
            return Err(whole_file(
                input,
                text,
                format!("{EXPECTED_JSON}; found {found}{older}"),
            ));
        }
        Some(serde_json::Value::Array(a))
            if a.is_empty()
                && object
                    .get("eras")
                    .and_then(|e| e.as_array())
                    .is_none_or(|e| e.is_empty()) =>
        {
            return Err(whole_file(
                input,
                text,
                "the `events` list is empty: there is nothing to import".into(),
            ));
        }
        Some(serde_json::Value::Array(_)) => {}
        Some(other) => {
            return Err(whole_file(
                input,
                text,
                format!("{EXPECTED_JSON}; `events` is {}", json_type(other)),
            ));
        }
    }
    let timeline: Timeline =
        serde_json::from_str(text).map_err(|e| located(e, "not a TimelineJS3 JSON file"))?;
    let title = timeline.title.map(|slide| TitleEntry { slide });
    let eras_at = text.find("\"eras\"").unwrap_or(0);
    let mut search_from = eras_at;
    let eras = timeline
        .eras
        .into_iter()
        .enumerate()
        .map(|(i, era)| {
            let headline = era
                .text
                .as_ref()
                .and_then(|t| t.headline.as_deref())
                .unwrap_or("");
            // The era's headline as JSON writes it, after the last one found.
            let needle = serde_json::to_string(headline).unwrap_or_default();
            let found = (!headline.is_empty())
                .then(|| text.get(search_from..)?.find(&needle))
                .flatten()
                .map(|at| search_from + at);
            if let Some(at) = found {
                search_from = at + needle.len();
            }
            let shown = plain(headline);
            EraEntry {
                line: lines.line_of(found.unwrap_or(eras_at)),
                label: if shown.is_empty() {
                    format!("era {}", i + 1)
                } else {
                    format!("era {} \"{shown}\"", i + 1)
                },
                era,
            }
        })
        .collect();
    // Entry starts from one scan of the text; should the scanner ever
    // disagree with the parser, messages fall back to line 1.
    let offsets = locate::json_event_offsets(text);
    let agree = offsets.len() == timeline.events.len();
    let mut out = Input {
        entries: Vec::new(),
        eras,
        title,
    };
    for (i, slide) in timeline.events.into_iter().enumerate() {
        let line = if agree {
            let end = offsets.get(i + 1).copied().unwrap_or(text.len());
            lines.line_of(locate::entry_mark(text, offsets[i]..end, &slide))
        } else {
            1
        };
        out.entries.push(Entry {
            line,
            label: label(&slide, format!("event {}", i + 1)),
            slide,
        });
    }
    Ok(out)
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true/false",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "list",
        serde_json::Value::Object(_) => "object",
    }
}
