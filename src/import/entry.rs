//! The entries of the input file and the event file each becomes: reads a
//! TimelineJS3 JSON file or the template's CSV (refusing, with what was
//! expected, a file that is not a timeline), and maps one entry to the
//! front matter and Markdown body of its event.

use super::markdown::{first_sentence, plain, to_markdown};
use super::notes::Notes;
use super::text::{Time, date_text, day_key, quote};
use super::{at_line, extension, locate, sheet, whole_file};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::exports::timelinejs::{Slide, Timeline};
use crate::source::line_index::LineIndex;
use crate::values::dates::EventDate;
use crate::values::slug;
use crate::values::zone::Zone;
use std::collections::HashSet;
use std::path::Path;

/// One entry of the input with where it is, for messages.
pub struct Entry {
    pub slide: Slide,
    pub line: usize,
    /// `"Ada Lovelace"`, `row 6 "Ada Lovelace"`, or `event 3` without a headline.
    pub label: String,
}

fn headline_of(slide: &Slide) -> String {
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
) -> Result<Vec<Entry>, Error> {
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_json =
        ext == "json" || (ext != "csv" && ext != "tsv" && text.trim_start().starts_with('{'));
    if is_json {
        return read_json(input, text, lines, notes);
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
    let mut out = Vec::new();
    let mut eras = Vec::new();
    for row in rows {
        match row.kind.as_str() {
            "title" => notes.once(format!(
                "row {}: the title slide (\"{}\") is not imported: set `title` and `description` in site.yaml",
                row.row,
                headline_of(&row.slide)
            )),
            "era" => eras.push(headline_of(&row.slide)),
            _ => out.push(Entry {
                line: lines.line_of(row.offset),
                label: label(&row.slide, format!("row {}", row.row)),
                slide: row.slide,
            }),
        }
    }
    era_note(&eras, notes);
    if out.is_empty() && problems.is_empty() {
        return Err(whole_file(
            input,
            text,
            "the sheet has no event rows (only a title slide or eras): expected one row per event"
                .into(),
        ));
    }
    Ok(out)
}

fn read_json(
    input: &Path,
    text: &str,
    lines: &LineIndex,
    notes: &mut Notes,
) -> Result<Vec<Entry>, Error> {
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
        Some(serde_json::Value::Array(a)) if a.is_empty() => {
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
    if let Some(title) = &timeline.title {
        notes.once(format!(
            "the title slide (\"{}\") is not imported: set `title` and `description` in site.yaml",
            headline_of(title)
        ));
    }
    let eras: Vec<String> = timeline
        .eras
        .iter()
        .map(|era| {
            era.get("text")
                .and_then(|t| t.get("headline"))
                .and_then(|h| h.as_str())
                .map(plain)
                .unwrap_or_default()
        })
        .collect();
    era_note(&eras, notes);
    // Entry starts from one scan of the text; should the scanner ever
    // disagree with the parser, messages fall back to line 1.
    let offsets = locate::json_event_offsets(text);
    let agree = offsets.len() == timeline.events.len();
    let mut out = Vec::new();
    for (i, slide) in timeline.events.into_iter().enumerate() {
        let line = if agree {
            let end = offsets.get(i + 1).copied().unwrap_or(text.len());
            lines.line_of(locate::entry_mark(text, offsets[i]..end, &slide))
        } else {
            1
        };
        out.push(Entry {
            line,
            label: label(&slide, format!("event {}", i + 1)),
            slide,
        });
    }
    Ok(out)
}

/// One line for the eras, which annals does not have yet.
fn era_note(eras: &[String], notes: &mut Notes) {
    if eras.is_empty() {
        return;
    }
    let mut shown: Vec<String> = eras.iter().take(3).map(|h| format!("\"{h}\"")).collect();
    if eras.len() > 3 {
        shown.push("…".into());
    }
    notes.once(format!(
        "{} era{} not imported ({}): annals has no eras yet; tracks or tags may stand in",
        eras.len(),
        if eras.len() == 1 { " was" } else { "s were" },
        shown.join(", ")
    ));
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

/// What every entry is mapped with.
pub struct Settings<'a> {
    pub config: &'a Config,
    pub zone: Option<&'a Zone>,
    pub kind: &'a str,
    pub track: Option<&'a str>,
    pub source_name: &'a str,
    pub known_slugs: &'a HashSet<String>,
}

/// The event file an entry becomes.
pub struct Planned {
    pub id: String,
    pub slug: String,
    pub year: i32,
    pub headline: String,
    pub label: String,
    fm: Vec<String>,
    body: String,
    /// The file's text.
    pub text: String,
}

impl Planned {
    fn new(
        id: String,
        slug: String,
        year: i32,
        headline: String,
        label: String,
        mut fm: Vec<String>,
        body: String,
    ) -> Planned {
        if !fm.iter().any(|l| l.starts_with("imported_id:")) {
            fm.push(format!("imported_id: {}", quote(&id)));
        }
        let mut p = Planned {
            id,
            slug,
            year,
            headline,
            label,
            fm,
            body,
            text: String::new(),
        };
        p.render();
        p
    }

    fn render(&mut self) {
        let mut text = format!("---\n{}\n---\n", self.fm.join("\n"));
        if !self.body.is_empty() {
            text.push_str(&self.body);
            text.push('\n');
        }
        self.text = text;
    }

    /// Writes the (renumbered) id back into the front matter.
    pub fn set_id_line(&mut self) {
        let line = format!("imported_id: {}", quote(&self.id));
        match self.fm.iter_mut().find(|l| l.starts_with("imported_id:")) {
            Some(l) => *l = line,
            None => self.fm.push(line),
        }
        self.render();
    }
}

/// Summary and Markdown body of a slide's text. The summary is the first
/// sentence as plain text; the body holds the whole text once, unless it
/// is that one sentence with no formatting (then the summary says it all).
fn summary_and_body(html: &str) -> (String, String) {
    let text = plain(html);
    let summary = first_sentence(&text);
    let body = to_markdown(html);
    let formatted = body.contains(['[', '*', '\\', '>', '`', '\n']);
    if text == summary && !formatted {
        (summary, String::new())
    } else {
        (summary, body)
    }
}

/// Maps one entry; Err says why it cannot be imported.
pub fn plan(entry: &Entry, s: &Settings, notes: &mut Notes) -> Result<Planned, String> {
    let slide = &entry.slide;
    let headline = headline_of(slide);
    if headline.is_empty() {
        return Err("no headline: annals needs a title for every event".into());
    }
    let start = slide.start_date.as_ref().ok_or("no start date")?;
    let (date, start_time) = date_text(start, "start", s.zone)?;
    let mut times = vec![start_time];
    let mut end = match &slide.end_date {
        Some(d) if d.year.is_some() => {
            let (e, t) = date_text(d, "end", s.zone)?;
            times.push(t);
            Some(e)
        }
        _ => None,
    };
    if times.contains(&Time::Dropped) {
        notes.add(
            "have a time of day, but TimelineJS times carry no time zone",
            "; only their dates were imported (pass --tz ZONE, or set `timezone:` in site.yaml, to keep the times)",
            &headline,
        );
    }
    if times.contains(&Time::Ambiguous) {
        notes.add(
            "have a time that happens twice in their zone (clocks put back)",
            "; the first was taken",
            &headline,
        );
    }
    if end.as_deref() == Some(date.as_str()) {
        end = None;
    }
    let day = day_key(start);
    let unique = slide
        .unique_id
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let mut id = unique
        .map(str::to_string)
        .unwrap_or_else(|| slug::slugify(&format!("{day} {headline}")));
    let slug_base = unique.map(slug::slugify).filter(|x| !x.is_empty());
    let slug = slug_base.unwrap_or_else(|| slug::slugify(&format!("{day}-{headline}")));
    let html = slide
        .text
        .as_ref()
        .and_then(|t| t.text.as_deref())
        .unwrap_or("");
    // A file exported by annals carries the whole front matter, and its
    // text is the summary's paragraph followed by the rendered body, kept
    // as HTML so nothing of it is lost.
    if let Some(ext) = &slide.annals {
        let mut ext_notes = Vec::new();
        if let Some(fm_lines) =
            extension::front_matter(ext, s.config, s.known_slugs, &entry.label, &mut ext_notes)
        {
            for n in ext_notes {
                notes.once(n);
            }
            let year = EventDate::parse(&ext.date)
                .map(|d| d.year)
                .map_err(|e| e.to_string())?;
            if let Some(own) = ext.extra.get("imported_id").and_then(|v| v.as_str()) {
                id = own.to_string();
            }
            let body = annals_body(html);
            let mut fm = vec![format!("title: {}", quote(&headline))];
            fm.extend(fm_lines);
            return Ok(Planned::new(
                id,
                slug,
                year,
                headline,
                entry.label.clone(),
                fm,
                body,
            ));
        }
    }
    let display = slide.display_date.as_deref().map(plain).unwrap_or_default();
    let approximate = display.starts_with("c.") || display.starts_with("since c.");
    if display.starts_with("since ") && end.is_none() {
        end = Some("ongoing".into());
    } else if !display.is_empty() && !approximate {
        notes.add(
            "have a display date",
            "; annals writes dates from the date itself, so it was not kept",
            &headline,
        );
    }
    let (mut summary, body) = summary_and_body(html);
    if summary.is_empty() {
        summary = headline.clone();
        notes.add(
            "have no text",
            "; the headline is used as their summary",
            &headline,
        );
    }
    let year: i32 = date
        .get(..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| "bad year".to_string())?;
    let mut fm = vec![
        format!("title: {}", quote(&headline)),
        format!("date: {date}"),
    ];
    if let Some(e) = &end {
        fm.push(format!("end_date: {e}"));
    }
    if approximate {
        fm.push("approximate: true".into());
    }
    fm.push(format!("kind: {}", s.kind));
    let mut track = None;
    let mut tag = None;
    if let Some(group) = slide.group.as_deref().map(plain).filter(|g| !g.is_empty()) {
        match s
            .config
            .tracks
            .iter()
            .find(|t| t.label.eq_ignore_ascii_case(&group) || t.key == group)
        {
            Some(t) => track = Some(t.key.clone()),
            None => {
                notes.add(
                    "name a group that is not a track of site.yaml",
                    "; the group became a tag (to make it a track, declare it under `tracks:` in site.yaml and import again with --update)",
                    &group,
                );
                tag = Some(slug::slugify(&group));
            }
        }
    }
    if let Some(t) = track.or_else(|| s.track.map(str::to_string)) {
        fm.push(format!("tracks: [{t}]"));
    }
    if let Some(t) = tag {
        fm.push(format!("tags: [{}]", quote(&t)));
    }
    fm.push(format!("summary: {}", quote(&summary)));
    fm.push("sources:".into());
    fm.push(source_line(slide, &headline, s.source_name, notes));
    if slide.background.is_some() {
        notes.add(
            "have a background",
            "; annals has no slide backgrounds, so they were not kept",
            &headline,
        );
    }
    Ok(Planned::new(
        id,
        slug,
        year,
        headline,
        entry.label.clone(),
        fm,
        body,
    ))
}

/// The body of a slide exported by annals: its text after the summary's paragraph.
fn annals_body(html: &str) -> String {
    let t = html.trim();
    if let Some(rest) = t.strip_prefix("<p>")
        && let Some(end) = rest.find("</p>")
    {
        return rest[end + 4..].trim().to_string();
    }
    t.to_string()
}

/// The source a slide's media names, or one naming the import.
fn source_line(slide: &Slide, headline: &str, source_name: &str, notes: &mut Notes) -> String {
    let Some(m) = &slide.media else {
        // A published event needs a source; name the import honestly
        // rather than invent one.
        notes.add(
            "have no media or credit",
            "; they got a source naming the import file: replace it with the real source",
            headline,
        );
        return format!(
            "  - {{title: {}}}",
            quote(&format!("TimelineJS import of {source_name}"))
        );
    };
    let url = super::markdown::absolute_url(&m.url);
    let caption = m.caption.as_deref().map(plain).filter(|c| !c.is_empty());
    let credit = m.credit.as_deref().map(plain).filter(|c| !c.is_empty());
    let is_url = crate::source::reader::is_http_url(&url);
    if !url.is_empty() && !is_url {
        notes.add(
            "have media that is not an http(s) URL (embedded HTML, a relative path…)",
            "; it was not kept",
            headline,
        );
    }
    if caption.is_none() && credit.is_none() && !is_url {
        notes.add(
            "have no media or credit",
            "; they got a source naming the import file: replace it with the real source",
            headline,
        );
    }
    let title = caption.clone().or(credit.clone()).unwrap_or_else(|| {
        if is_url {
            url.clone()
        } else {
            format!("TimelineJS import of {source_name}")
        }
    });
    let mut src = format!("  - {{title: {}", quote(&title));
    if let (Some(c), Some(_)) = (&credit, &caption) {
        src.push_str(&format!(", publisher: {}", quote(c)));
    }
    if is_url {
        src.push_str(&format!(", url: {}", quote(&url)));
    }
    src.push('}');
    if m.thumbnail.as_deref().is_some_and(|t| !t.is_empty()) {
        notes.add("have a media thumbnail", "; it was not kept", headline);
    }
    src
}
