//! `annals import FILE`: turns a TimelineJS3 JSON file, or a CSV export of
//! the TimelineJS Google-Sheets template, into one event file per entry.
//! Every file is checked with the same validator as `annals build` before
//! it is written, never overwrites anything, and whatever TimelineJS holds
//! that annals cannot represent is reported. The mapping is the inverse of
//! `exports::timelinejs`, so export → import → export is stable.

mod extension;
mod locate;
mod sheet;
mod text;

use crate::source::line_index::LineIndex;
use text::{date_text, plain, quote, split_text};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Pos};
use crate::error::Error;
use crate::exports::timelinejs::{Slide, Timeline};
use crate::urls::SitePaths;
use crate::values::dates::EventDate;
use crate::values::slug;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub written: Vec<PathBuf>,
    /// Entries that could not be imported (exit code 1), each located.
    pub problems: Vec<Diagnostic>,
    /// What was mapped loosely or left out, for the user to review.
    pub notes: Vec<String>,
}

/// Marks a note about an entry without media, gathered into one line.
const NO_SOURCE: &str = "\u{0}no-source:";

/// One entry of the input with where it is, for messages.
struct Entry {
    slide: Slide,
    line: usize,
    label: String,
}

/// A diagnostic at a line of the input, showing that line.
fn at_line(input: &Path, lines: &LineIndex, line: usize, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(input, Pos::new(line, 1), message);
    d.source_line = lines.line_text(line).map(str::to_string);
    d
}

fn read_entries(
    input: &Path,
    text: &str,
    lines: &LineIndex,
    report: &mut ImportReport,
) -> Result<Vec<Entry>, Error> {
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_json =
        ext == "json" || (ext != "csv" && ext != "tsv" && text.trim_start().starts_with('{'));
    if is_json {
        let timeline: Timeline = serde_json::from_str(text).map_err(|e| {
            Error::Content(vec![
                Diagnostic::new(
                    input,
                    Pos::new(e.line(), e.column()),
                    format!("not a TimelineJS3 JSON file: {e}"),
                )
                .with_source(text),
            ])
        })?;
        if timeline.title.is_some() {
            report.notes.push(
                "the title slide is not imported: set `title` and `description` in site.yaml"
                    .into(),
            );
        }
        if !timeline.eras.is_empty() {
            report.notes.push(format!(
                "{} era(s) not imported: annals has no eras (tracks or tags may stand in)",
                timeline.eras.len()
            ));
        }
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
                slide,
                line,
                label: format!("event {}", i + 1),
            });
        }
        return Ok(out);
    }
    let sheet::Sheet {
        rows,
        problems,
        unknown,
    } = sheet::read(text).map_err(|msg| {
        Error::Content(vec![
            Diagnostic::new(input, Pos::new(1, 1), msg).with_source(text),
        ])
    })?;
    for (line, msg) in problems {
        report.problems.push(at_line(input, lines, line, msg));
    }
    if !unknown.is_empty() {
        report
            .notes
            .push(format!("columns not imported: {}", unknown.join(", ")));
    }
    let mut out = Vec::new();
    for row in rows {
        match row.kind.as_str() {
            "title" => report.notes.push(format!(
                "row {}: the title slide is not imported: set `title` in site.yaml",
                row.line
            )),
            "era" => report
                .notes
                .push(format!("row {}: eras are not imported", row.line)),
            _ => out.push(Entry {
                slide: row.slide,
                line: row.line,
                label: format!("row {}", row.line),
            }),
        }
    }
    Ok(out)
}

/// The event file for one entry: (slug, year, file text).
fn event_file(
    entry: &Entry,
    config: &Config,
    source_name: &str,
    known_slugs: &HashSet<String>,
    notes: &mut Vec<String>,
) -> Result<(String, i32, String), String> {
    let s = &entry.slide;
    let label = &entry.label;
    let headline = s
        .text
        .as_ref()
        .and_then(|t| t.headline.as_deref())
        .map(plain)
        .unwrap_or_default();
    if headline.is_empty() {
        return Err("no headline: annals needs a title for every event".into());
    }
    let start = s.start_date.as_ref().ok_or("no start date")?;
    let date = date_text(start, "start")?;
    let mut end = match &s.end_date {
        Some(d) if d.year.is_some() => Some(date_text(d, "end")?),
        _ => None,
    };
    if end.as_deref() == Some(date.as_str()) {
        end = None;
    }
    let display = s.display_date.as_deref().unwrap_or("").trim();
    let approximate = display.starts_with("c.") || display.starts_with("since c.");
    if display.starts_with("since ") && end.is_none() {
        end = Some("ongoing".into());
    } else if !display.is_empty() && !approximate {
        notes.push(format!(
            "{label}: display date `{display}` not kept (annals writes dates from the date itself)"
        ));
    }
    let (mut summary, body) = split_text(
        s.text
            .as_ref()
            .and_then(|t| t.text.as_deref())
            .unwrap_or(""),
    );
    if summary.is_empty() {
        summary = headline.clone();
        notes.push(format!("{label}: no text; the headline is used as summary"));
    }
    let slug_base = s
        .unique_id
        .as_deref()
        .map(slug::slugify)
        .filter(|x| !x.is_empty());
    let slug = slug_base.unwrap_or_else(|| slug::slugify(&format!("{date}-{headline}")));
    let year: i32 = date[..4].parse().map_err(|_| "bad year".to_string())?;
    // A file exported by annals carries the whole front matter.
    if let Some(ext) = &s.annals
        && let Some(lines) = extension::front_matter(ext, config, known_slugs, label, notes)
    {
        let year = EventDate::parse(&ext.date)
            .map(|d| d.year)
            .map_err(|e| e.to_string())?;
        let mut text = format!(
            "---\ntitle: {}\n{}\n---\n",
            quote(&headline),
            lines.join("\n")
        );
        if !body.is_empty() {
            text.push_str(&body);
            text.push('\n');
        }
        return Ok((slug, year, text));
    }
    let mut fm = vec![
        "---".to_string(),
        format!("title: {}", quote(&headline)),
        format!("date: {date}"),
    ];
    if let Some(e) = &end {
        fm.push(format!("end_date: {e}"));
    }
    if approximate {
        fm.push("approximate: true".into());
    }
    let kind = config
        .kinds
        .first()
        .map(|k| k.key.clone())
        .unwrap_or_else(|| "meeting".into());
    fm.push(format!("kind: {kind}"));
    if let Some(group) = s.group.as_deref().map(plain).filter(|g| !g.is_empty()) {
        let track = config
            .tracks
            .iter()
            .find(|t| t.label.eq_ignore_ascii_case(&group) || t.key == group);
        match track {
            Some(t) => fm.push(format!("tracks: [{}]", t.key)),
            None => {
                let key = slug::slugify(&group);
                notes.push(format!(
                    "{label}: group `{group}` is not a track of site.yaml, so it became the tag `{key}`; to make it a track, add `{key}: {{label: {}}}` under `tracks:` in site.yaml and move the tag to `tracks`",
                    quote(&group)
                ));
                fm.push(format!("tags: [{}]", quote(&key)));
            }
        }
    }
    fm.push(format!("summary: {}", quote(&summary)));
    fm.push("sources:".into());
    match &s.media {
        Some(m) => {
            let url = m.url.trim();
            let caption = m.caption.as_deref().map(plain).filter(|c| !c.is_empty());
            let credit = m.credit.as_deref().map(plain).filter(|c| !c.is_empty());
            let is_url = crate::source::reader::is_http_url(url);
            if !url.is_empty() && !is_url {
                notes.push(format!(
                    "{label}: media `{}` is not an http(s) URL; not kept",
                    url.chars().take(60).collect::<String>()
                ));
            }
            let title = caption.clone().or(credit.clone()).unwrap_or_else(|| {
                if is_url {
                    url.to_string()
                } else {
                    format!("TimelineJS import of {source_name}")
                }
            });
            let mut src = format!("  - {{title: {}", quote(&title));
            if let (Some(c), Some(_)) = (&credit, &caption) {
                src.push_str(&format!(", publisher: {}", quote(c)));
            }
            if is_url {
                src.push_str(&format!(", url: {}", quote(url)));
            }
            src.push('}');
            fm.push(src);
            if m.thumbnail.as_deref().is_some_and(|t| !t.is_empty()) {
                notes.push(format!("{label}: media thumbnail not kept"));
            }
        }
        None => {
            // A published event needs a source; name the import honestly
            // rather than invent one.
            fm.push(format!(
                "  - {{title: {}}}",
                quote(&format!("TimelineJS import of {source_name}"))
            ));
            notes.push(format!("{NO_SOURCE}{label}"));
        }
    }
    if s.background.is_some() {
        notes.push(format!("{label}: background not kept"));
    }
    fm.push("---".into());
    let mut text = fm.join("\n");
    text.push('\n');
    if !body.is_empty() {
        text.push_str(&body);
        text.push('\n');
    }
    Ok((slug, year, text))
}

/// Imports `input` into the site at `site_dir`.
pub fn import(input: &Path, site_dir: &Path) -> Result<ImportReport, Error> {
    if !site_dir.is_dir() {
        return Err(Error::Usage(format!(
            "site folder {} does not exist",
            site_dir.display()
        )));
    }
    let bytes = std::fs::read(input)
        .map_err(|e| Error::io(format!("cannot read {}", input.display()), e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{} is not UTF-8 text", input.display())))?;
    // Spreadsheet exports often start with a byte order mark.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let (config, config_problems) = crate::config::load(site_dir);
    if !config_problems.is_empty() {
        return Err(Error::Content(config_problems));
    }
    let mut report = ImportReport::default();
    let lines = LineIndex::new(&text);
    let entries = read_entries(input, &text, &lines, &mut report)?;
    let source_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut slugs: HashSet<String> =
        crate::source::load::list(site_dir, crate::source::load::Section::Events)?
            .0
            .iter()
            .filter_map(|p| p.file_stem().map(|s| slug::slugify(&s.to_string_lossy())))
            .collect();
    let mut kinds_defaulted = 0;
    let mut known_slugs = slugs.clone();
    known_slugs.extend(
        entries
            .iter()
            .filter_map(|e| e.slide.unique_id.as_deref().map(slug::slugify)),
    );
    for entry in &entries {
        let located =
            |msg: String| at_line(input, &lines, entry.line, format!("{}: {msg}", entry.label));
        let (slug, year, file_text) = match event_file(
            entry,
            &config,
            &source_name,
            &known_slugs,
            &mut report.notes,
        ) {
            Ok(x) => x,
            Err(msg) => {
                report.problems.push(located(msg));
                continue;
            }
        };
        if !slugs.insert(slug.clone()) {
            report.problems.push(located(format!(
                "an event with the slug `{slug}` already exists; not overwriting it"
            )));
            continue;
        }
        let rel = Path::new(SitePaths::EVENTS).join(format!("{year:04}/{slug}.md"));
        // Checked by the build's own validator, so the file builds as is.
        let file = crate::source::load::SourceFile {
            rel: rel.clone(),
            shown: site_dir.join(&rel),
            bytes: file_text.clone().into_bytes(),
        };
        let checked = crate::source::parse::parse(&file)
            .map_err(|d| vec![d])
            .and_then(|doc| crate::content::validate::event(&doc, &file.shown, &config));
        if let Err(ds) = checked {
            for d in ds {
                report
                    .problems
                    .push(located(format!("would not build: {}", d.message)));
            }
            continue;
        }
        let path = site_dir.join(&rel);
        match crate::scaffold::create_new(&path, &file_text) {
            Ok(()) => {
                if entry.slide.annals.is_none() {
                    kinds_defaulted += 1;
                }
                report.written.push(path);
            }
            Err(Error::Usage(msg)) => report.problems.push(located(msg)),
            Err(e) => return Err(e),
        }
    }
    let (no_source, mut notes): (Vec<String>, Vec<String>) = std::mem::take(&mut report.notes)
        .into_iter()
        .partition(|n| n.starts_with(NO_SOURCE));
    if !no_source.is_empty() {
        let labels: Vec<&str> = no_source.iter().map(|n| &n[NO_SOURCE.len()..]).collect();
        notes.push(format!(
            "{} entr{} without media or credit ({}) got a source naming the import file; replace it with the real source",
            labels.len(),
            if labels.len() == 1 { "y" } else { "ies" },
            labels.join(", ")
        ));
    }
    report.notes = notes;
    if kinds_defaulted > 0 {
        let kind = config
            .kinds
            .first()
            .map(|k| k.key.as_str())
            .unwrap_or("meeting");
        report.notes.push(format!("TimelineJS has no event kinds: {kinds_defaulted} event(s) got `kind: {kind}`; change it where needed"));
    }
    Ok(report)
}
