//! The event file each entry becomes: its front matter (dates in the
//! zone given, kind, track or tag, first-sentence summary, the source its
//! media names, the media itself (see `media`), `imported_id`) and its
//! Markdown body.

use super::entries::{Entry, headline_of};
use super::extension;
use super::markdown::{first_sentence, plain, plain_and_markdown};
use super::notes::Notes;
use super::text::{Time, date_text, day_key, quote};
use crate::config::Config;
use crate::exports::timelinejs::Slide;
use crate::values::dates::EventDate;
use crate::values::slug;
use crate::values::zone::Zone;
use std::collections::HashSet;

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
    let (text, body) = plain_and_markdown(html);
    let summary = first_sentence(&text);
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
    super::media::lines(slide, &headline, s.config, notes).write(&mut fm);
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
    // Media that is not an address is noted by `media::lines`, which
    // keeps what it can of it (a quote, an embed's address).
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
