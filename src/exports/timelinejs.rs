//! `timelinejs.json`: the timeline in TimelineJS3's JSON format, and the
//! serde types of that format, shared with `annals import`.
//!
//! Mapping (the importer reads it back the same way, so export → import →
//! export is stable): dates at year/month/day/time precision (times in
//! the offset they were written in, since TimelineJS has no zones);
//! `text.headline` = title; `text.text` = the summary as a first
//! `<p>` followed by the rendered body; `group` = the first track's
//! label; `unique_id` = slug; `media` = the event's first media item
//! (url, caption, credit, alt, thumbnail), else the first source with a
//! URL (caption = its title, credit = its publisher); `display_date` only
//! where the span needs words ("c. July 2024", "since March 2025"); and an
//! `annals` object with the rest of the front matter, which TimelineJS
//! ignores and the importer restores. The title slide is the site's
//! `title` and `description`; periods are `eras` (see `eras`).

use super::Ctx;
use super::eras::Holder;
use super::filling::{Fillings, Held};
use super::held_part::{self, HeldPart};
use super::stream::{Bodies, BodyOf};
use crate::content::event::Event;
use crate::html::escape_html;
use crate::model::Site;
use crate::urls;
use crate::values::dates::{EndDate, EventDate, Precision, display_span};
use crate::values::taxonomy::TaxonomyKind;
use chrono::Timelike;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timeline {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Slide>,
    #[serde(default)]
    pub events: Vec<Slide>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<super::eras::Era>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Slide {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<TDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<TDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
    /// Kept so the importer can report it; annals has no equivalent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<serde_json::Value>,
    /// What TimelineJS cannot hold (kind, status, participants, all
    /// sources…), so an import restores the event exactly. TimelineJS
    /// ignores keys it does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annals: Option<Extension>,
}

/// The front matter of an event beyond TimelineJS's own fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extension {
    /// The date as written, with its offset.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default)]
    pub approximate: bool,
    pub kind: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<ExtLocation>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub participants: Vec<ExtParticipant>,
    #[serde(default)]
    pub tracks: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: String,
    #[serde(default)]
    pub sources: Vec<ExtSource>,
    #[serde(default)]
    pub quotes: Vec<ExtQuote>,
    /// Every media item: `src` absolute (a local file's published address).
    #[serde(default)]
    pub media: Vec<ExtMedia>,
    #[serde(default)]
    pub related: Vec<ExtRelated>,
    /// When the event last changed (as pages show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<ExtCorrection>,
    /// Written only for drafts (built with `--drafts`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// The generic fields of the schema (`schema::Held::Extra`) that the
    /// event sets, under their names; on import, any other key.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtParticipant {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The name in its own script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_lang: Option<String>,
}

/// `location` as written: a name, or the name with its native-script form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ExtLocation {
    Name(String),
    Native {
        name: String,
        native: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        native_lang: Option<String>,
    },
}

/// Shared texts as the owned strings an export's fields hold.
fn owned(texts: &[std::sync::Arc<str>]) -> Vec<String> {
    texts.iter().map(|t| t.to_string()).collect()
}

impl ExtLocation {
    /// The event's location in this form.
    pub fn of(e: &Event) -> Option<ExtLocation> {
        let name = e.location.as_deref()?.to_string();
        Some(match &e.location_native() {
            None => ExtLocation::Name(name),
            Some(n) => ExtLocation::Native {
                name,
                native: n.text.clone(),
                native_lang: Some(n.lang.clone()),
            },
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtSource {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtCorrection {
    pub date: String,
    /// Markdown as written.
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtQuote {
    pub text: String,
    pub speaker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtMedia {
    pub src: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtRelated {
    pub event: String,
    pub relation: String,
}

fn extension(ctx: &Ctx, i: usize, e: &Event) -> Extension {
    let (sources, quotes) = e.cited.both();
    Extension {
        date: e.date.machine(),
        end_date: e.end_date().map(|d| match d {
            EndDate::On(d) => d.machine(),
            EndDate::Ongoing => "ongoing".into(),
        }),
        approximate: e.approximate,
        kind: e.kind.to_string(),
        status: e.status.key().into(),
        location: ExtLocation::of(e),
        countries: owned(&e.countries),
        participants: e
            .participants
            .iter()
            .map(|p| ExtParticipant {
                name: p.name.to_string(),
                role: p.role.as_deref().map(str::to_string),
                country: p.country.as_deref().map(str::to_string),
                native: p.native.as_deref().map(|n| n.text.clone()),
                native_lang: p.native.as_deref().map(|n| n.lang.clone()),
            })
            .collect(),
        tracks: owned(&e.tracks),
        tags: e.tags.iter().map(|t| t.name.to_string()).collect(),
        summary: e.summary.to_string(),
        sources: sources
            .iter()
            .map(|s| ExtSource {
                title: s.title.to_string(),
                publisher: s.publisher.as_deref().map(str::to_string),
                url: s.url.as_deref().map(str::to_string),
                date: s.date.as_ref().map(|d| d.machine()),
                archive_url: s.archive_url.as_deref().map(str::to_string),
                reliability: s.reliability.map(|t| t.key().to_string()),
            })
            .collect(),
        quotes: quotes
            .iter()
            .map(|q| ExtQuote {
                text: q.text.clone(),
                speaker: q.speaker.clone(),
                source: q.source,
            })
            .collect(),
        media: e
            .media()
            .iter()
            .map(|m| ExtMedia {
                src: crate::media::address::original(e, m).under(ctx.base),
                kind: Some(m.kind.key().to_string()),
                alt: m.alt.clone(),
                caption: m.caption.clone(),
                credit: m.credit.clone(),
            })
            .collect(),
        related: e
            .related
            .iter()
            .map(|r| ExtRelated {
                event: r.event.to_string(),
                relation: r.relation.to_string(),
            })
            .collect(),
        updated: ctx
            .site
            .updated
            .get(i)
            .copied()
            .flatten()
            .map(|d| d.machine()),
        corrections: e
            .corrections()
            .iter()
            .map(|c| ExtCorrection {
                date: c.date.machine(),
                text: c.text.clone(),
            })
            .collect(),
        draft: e.draft,
        extra: e
            .extra()
            .iter()
            .map(|(f, v)| (f.name.to_string(), v.to_json()))
            .collect(),
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Media {
    #[serde(default)]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// Alternative text of an image (TimelineJS reads it as `alt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

/// TimelineJS writes date parts as numbers or as strings ("1900").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Part {
    Num(i64),
    Text(String),
}

impl Part {
    /// The number, or None when empty; Err when not a whole number.
    pub fn value(&self) -> Result<Option<i64>, String> {
        match self {
            Part::Num(n) => Ok(Some(*n)),
            Part::Text(s) if s.trim().is_empty() => Ok(None),
            Part::Text(s) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| format!("`{s}` is not a whole number")),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TDate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub millisecond: Option<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
}

/// A date at its precision; a time is the wall-clock time as written.
pub fn tdate(d: &EventDate) -> TDate {
    let num = |v: Option<u32>| v.map(|v| Part::Num(i64::from(v)));
    let mut t = TDate {
        year: Some(Part::Num(i64::from(d.year))),
        month: num(d.month),
        day: num(d.day),
        ..TDate::default()
    };
    if let (Precision::Time, Some(dt)) = (d.precision(), d.instant) {
        t.hour = num(Some(dt.hour()));
        t.minute = num(Some(dt.minute()));
        if dt.second() != 0 {
            t.second = num(Some(dt.second()));
        }
    }
    t
}

fn slide(ctx: &Ctx, i: usize, body: &str) -> Slide {
    let config = &ctx.site.config;
    let e: &Event = &ctx.site.events[i];
    let mut text = format!("<p>{}</p>", escape_html(&e.summary));
    if !body.trim().is_empty() {
        text.push('\n');
        text.push_str(body.trim_end());
    }
    let end = match &e.end_date() {
        Some(EndDate::On(d)) => Some(tdate(d)),
        _ => None,
    };
    let needs_words = e.approximate || matches!(e.end_date(), Some(EndDate::Ongoing));
    Slide {
        start_date: Some(tdate(&e.date)),
        end_date: end,
        text: Some(TText {
            headline: Some(e.title.to_string()),
            text: Some(text),
        }),
        media: super::media_out::slide_media(ctx, e).or_else(|| {
            e.sources().iter().find(|s| s.url.is_some()).map(|s| Media {
                url: s.url.as_deref().unwrap_or_default().to_string(),
                caption: Some(s.title.to_string()),
                credit: s.publisher.as_deref().map(str::to_string),
                ..Media::default()
            })
        }),
        group: e.tracks.first().map(|t| {
            config
                .track(t)
                .map(|d| d.label.clone())
                .unwrap_or_else(|| t.to_string())
        }),
        display_date: needs_words.then(|| display_span(&e.date, e.end_date(), e.approximate)),
        unique_id: Some(e.slug.to_string()),
        background: None,
        annals: Some(extension(ctx, i, e)),
    }
}

/// The title slide: the site's title (with what the file holds, e.g. a
/// year) and description.
fn title_slide(ctx: &Ctx, holds: Option<&str>) -> Slide {
    let config = &ctx.site.config;
    let headline = match holds {
        Some(holds) => format!("{} \u{2014} {holds}", config.title),
        None => config.title.clone(),
    };
    Slide {
        text: Some(TText {
            headline: Some(headline),
            text: config
                .description
                .as_ref()
                .map(|d| format!("<p>{}</p>", escape_html(d))),
        }),
        ..Slide::default()
    }
}

/// One TimelineJS file: its title slide and eras, and how many of its
/// slides are still to come.
struct File {
    rel: String,
    title: Slide,
    /// The file's eras, serialised without their brackets' list name.
    eras: Option<Vec<u8>>,
    /// Slides still to come; the file is ended when none are left.
    missing: usize,
    /// Whether the file is held whole until its last slide (see
    /// `held_part`): a year's part, when a rebuild may keep it.
    held: bool,
}

impl File {
    fn new(rel: String, title: Slide, eras: Option<Vec<u8>>, len: usize, held: bool) -> File {
        File {
            rel,
            title,
            eras,
            missing: len,
            held,
        }
    }

    /// What comes before the slides, between two and after them:
    /// `{"title":…,"events":[…],"eras":[…],"scale":"human"}` (no `eras`
    /// when the file holds no period), compact: these files are
    /// for TimelineJS to load, and their size is what an embed waits for.
    fn frame(&self) -> Result<[Vec<u8>; 3], crate::error::Error> {
        let title = serde_json::to_vec(&self.title)
            .map_err(|e| crate::error::Error::io(format!("cannot write {}", self.rel), e.into()))?;
        let head = [&b"{\"title\":"[..], &title, b",\"events\":["].concat();
        let mut tail = b"]".to_vec();
        if let Some(eras) = &self.eras {
            tail.extend_from_slice(b",\"eras\":");
            tail.extend_from_slice(eras);
        }
        tail.extend_from_slice(b",\"scale\":\"human\"}");
        Ok([head, b",".to_vec(), tail])
    }
}

/// Every TimelineJS file of the site: its path, what it holds (for its
/// title) and its events. `timelinejs.json` holds the newest
/// `embed_limit` events (what an embed loads); each year's events come in
/// parts of at most `embed_limit` (`years/<yyyy>/timelinejs.json`,
/// `timelinejs-2.json`, …); each track's newest `embed_limit` are in
/// `tracks/<slug>/timelinejs.json`.
fn layout(site: &Site) -> Vec<(String, Option<String>, Vec<usize>, Holder<'_>)> {
    let limit = site.config.embed_limit.max(1);
    let mut files = Vec::new();
    let count = site.events.len();
    files.push((
        urls::TIMELINEJS.to_string(),
        None,
        (count.saturating_sub(limit)..count).collect(),
        Holder::Site,
    ));
    for (year, events) in &site.years {
        let parts = year_parts(site, *year, events.len());
        for ((rel, n), part) in parts.iter().zip(events.chunks(limit)) {
            let holds = if parts.len() > 1 {
                format!("{year} ({n} of {})", parts.len())
            } else {
                year.to_string()
            };
            files.push((rel.clone(), Some(holds), part.to_vec(), Holder::Year(*year)));
        }
    }
    for term in &site.taxonomy(TaxonomyKind::Tracks).terms {
        let newest = &term.events[term.events.len().saturating_sub(limit)..];
        let rel = urls::timelinejs_of(&urls::term(TaxonomyKind::Tracks.key(), &term.slug), 1);
        files.push((
            rel,
            Some(term.label.clone()),
            newest.to_vec(),
            Holder::Track(&term.id),
        ));
    }
    files
}

/// The TimelineJS files of a year of `count` events, with their part
/// numbers (from 1): parts of at most `embed_limit` events.
pub fn year_parts(site: &Site, year: i32, count: usize) -> Vec<(String, usize)> {
    let parts = count.div_ceil(site.config.embed_limit.max(1));
    (1..=parts)
        .map(|n| (urls::timelinejs_of(&urls::year(year), n), n))
        .collect()
}

/// Every TimelineJS file's path (see [`layout`]).
pub(super) fn paths(site: &Site) -> Vec<String> {
    layout(site).into_iter().map(|(rel, ..)| rel).collect()
}

/// The files to fill, and for each event the files that hold it.
fn plan(ctx: &Ctx) -> Result<(Vec<File>, Vec<Vec<usize>>), crate::error::Error> {
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); ctx.site.events.len()];
    let mut files = Vec::new();
    for (f, (rel, holds, events, holder)) in layout(ctx.site).into_iter().enumerate() {
        for &i in &events {
            holders[i].push(f);
        }
        let eras = super::eras::of_file(ctx.site, &holder)
            .map_err(|e| crate::error::Error::io(format!("cannot write {rel}"), e.into()))?;
        let title = title_slide(ctx, holds.as_deref());
        // A year's parts come one after another (the events are in date
        // order), so at most one is held at a time.
        let held = ctx.reuse.is_some()
            && matches!(holder, Holder::Year(_))
            && events.len() <= held_part::MOST_HELD;
        files.push(File::new(rel, title, eras, events.len(), held));
    }
    Ok((files, holders))
}

/// Writes every TimelineJS file (see [`plan`]), serialising each slide
/// once for all the files that hold it. A file is started with its first
/// slide and streams to disk on a thread of its own (see `filling`), so
/// memory holds a few slides of each file being filled, not the files;
/// a year's part is held whole instead when a rebuild may keep it (see
/// `held_part`), and written only when it changed.
pub(super) fn write(ctx: &Ctx, bodies: &Bodies) -> Result<(), crate::error::Error> {
    let (mut files, holders) = plan(ctx)?;
    // A file with no events (an empty site's newest) has nothing to wait for.
    for file in files.iter().filter(|f| f.missing == 0) {
        Held::new(file.rel.clone(), file.frame()?).write(ctx.sink)?;
    }
    let mut parts: Vec<Option<HeldPart<(usize, BodyOf)>>> =
        (0..files.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let mut filling = Fillings::new(scope, ctx.sink, files.len());
        for (i, held) in holders.iter().enumerate() {
            if held.is_empty() {
                continue;
            }
            let Some(body) = bodies.get(i) else {
                return Err(crate::error::Error::io(
                    "cannot write timelinejs.json",
                    std::io::Error::other("the bodies stopped"),
                ));
            };
            let (whole, streamed): (Vec<usize>, Vec<usize>) =
                held.iter().partition(|&&f| files[f].held);
            if !streamed.is_empty() {
                let slide = serde_json::to_vec(&slide(ctx, i, body.html())).map_err(|e| {
                    crate::error::Error::io("cannot write timelinejs.json", e.into())
                })?;
                for f in streamed {
                    let file = &mut files[f];
                    filling.push(f, &slide, || Ok((file.rel.clone(), file.frame()?)))?;
                    file.missing = file.missing.saturating_sub(1);
                    if file.missing == 0 {
                        filling.end(f)?;
                    }
                }
            }
            if !whole.is_empty() {
                let key = slide_key(ctx, i, &body.body().html);
                for f in whole {
                    hold(ctx, &mut files[f], &mut parts[f], (i, body.clone()), key)?;
                }
            }
        }
        Ok(())
    })
}

/// What event `i`'s slide with `body` (its HTML as the event page shows
/// it: the slide's absolute addresses follow from it, the event's address
/// and the base URL) is made of (see `model::inputs`).
fn slide_key(ctx: &Ctx, i: usize, body: &str) -> Option<u128> {
    let inputs = ctx.site.inputs();
    let body = xxhash_rust::xxh3::xxh3_128(body.as_bytes());
    crate::output::digest::of(&(inputs.event(i)?, inputs.site(), body))
}

/// Adds event `i`'s slide to `file`, held in `part` as the event and its
/// body under the slide's key (see `held_part`), and finishes the part
/// with its last slide, making its slides only if it is written.
fn hold<'a>(
    ctx: &Ctx,
    file: &mut File,
    part: &mut Option<HeldPart<(usize, BodyOf<'a>)>>,
    event: (usize, BodyOf<'a>),
    key: Option<u128>,
) -> Result<(), crate::error::Error> {
    let mut held = match part.take() {
        Some(held) => held,
        None => HeldPart::new(file.rel.clone(), file.frame()?, file.missing),
    };
    held.push(event, key);
    file.missing = file.missing.saturating_sub(1);
    if file.missing == 0 {
        held.finish(ctx, |(i, body)| slide(ctx, *i, body.html()))
    } else {
        *part = Some(held);
        Ok(())
    }
}
