//! `events.json`: every event with all its front-matter fields, the date
//! precision, relations resolved both ways, URL and rendered HTML; and
//! `events.schema.json`, the JSON Schema (draft 2020-12) describing it.

use super::{Ctx, SeqOf};
use crate::content::event::Event;
use crate::urls;
use crate::values::dates::{EndDate, EventDate, Precision};
use serde::Serialize;

/// The schema, shipped in the binary and written beside `events.json`.
pub const SCHEMA: &str = include_str!("events.schema.json");

#[derive(Serialize)]
struct Export<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    version: u32,
    generator: String,
    site: SiteInfo<'a>,
    events: SeqOf<'a, EventOut<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct DateOut {
    /// As written: `2024`, `2024-07`, `2024-07-28` or RFC 3339.
    value: String,
    precision: Precision,
    /// First instant of the period (UTC midnight for dates without time).
    start: String,
    display: String,
}

fn date_out(d: &EventDate) -> DateOut {
    DateOut {
        value: d.machine(),
        precision: d.precision(),
        start: d.first_instant().to_rfc3339(),
        display: d.display(),
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum EndOut {
    On(DateOut),
    Ongoing(&'static str),
}

#[derive(Serialize)]
struct ParticipantOut<'a> {
    name: &'a str,
    role: Option<&'a str>,
    country: Option<&'a str>,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    title: &'a str,
    publisher: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<String>,
    archive_url: Option<&'a str>,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    text: &'a str,
    speaker: &'a str,
    source: Option<usize>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    event: &'a str,
    relation: &'a str,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    label: &'a str,
    events: Vec<&'a str>,
}

#[derive(Serialize)]
struct EventOut<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    date: DateOut,
    end_date: Option<EndOut>,
    approximate: bool,
    kind: &'a str,
    status: &'static str,
    location: Option<&'a str>,
    countries: &'a [String],
    participants: Vec<ParticipantOut<'a>>,
    tracks: &'a [String],
    tags: &'a [String],
    summary: &'a str,
    sources: Vec<SourceOut<'a>>,
    quotes: Vec<QuoteOut<'a>>,
    /// As written in the front matter.
    related: Vec<RelatedOut<'a>>,
    /// Resolved both ways, with labels ("References", "Referenced by").
    relations: Vec<RelationOut<'a>>,
    draft: bool,
    html: &'a str,
}

fn event_out<'a>(ctx: &Ctx<'a>, i: usize, e: &'a Event) -> EventOut<'a> {
    let site = ctx.site;
    EventOut {
        slug: &e.slug,
        url: ctx.abs(&urls::event(&e.slug)),
        title: &e.title,
        date: date_out(&e.date),
        end_date: e.end_date.as_ref().map(|d| match d {
            EndDate::On(d) => EndOut::On(date_out(d)),
            EndDate::Ongoing => EndOut::Ongoing("ongoing"),
        }),
        approximate: e.approximate,
        kind: &e.kind,
        status: e.status.key(),
        location: e.location.as_deref(),
        countries: &e.countries,
        participants: e
            .participants
            .iter()
            .map(|p| ParticipantOut {
                name: &p.name,
                role: p.role.as_deref(),
                country: p.country.as_deref(),
            })
            .collect(),
        tracks: &e.tracks,
        tags: &e.tags,
        summary: &e.summary,
        sources: e
            .sources
            .iter()
            .map(|s| SourceOut {
                title: &s.title,
                publisher: s.publisher.as_deref(),
                url: s.url.as_deref(),
                date: s.date.as_ref().map(|d| d.machine()),
                archive_url: s.archive_url.as_deref(),
            })
            .collect(),
        quotes: e
            .quotes
            .iter()
            .map(|q| QuoteOut {
                text: &q.text,
                speaker: &q.speaker,
                source: q.source,
            })
            .collect(),
        related: e
            .related
            .iter()
            .map(|r| RelatedOut {
                event: &r.event,
                relation: &r.relation,
            })
            .collect(),
        relations: site.relations[i]
            .iter()
            .map(|g| RelationOut {
                label: &g.label,
                events: g
                    .events
                    .iter()
                    .map(|&j| site.events[j].slug.as_str())
                    .collect(),
            })
            .collect(),
        draft: e.draft,
        html: &ctx.bodies[i],
    }
}

pub(super) fn write(ctx: &Ctx) -> Result<(), crate::error::Error> {
    let config = &ctx.site.config;
    let event = |i: usize| event_out(ctx, i, &ctx.site.events[i]);
    let export = Export {
        schema: ctx.abs(urls::EVENTS_SCHEMA),
        version: 1,
        generator: format!("annals {}", env!("CARGO_PKG_VERSION")),
        site: SiteInfo {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            url: ctx.base,
        },
        events: SeqOf {
            len: ctx.site.events.len(),
            item: &event,
        },
    };
    ctx.put_json(urls::EVENTS_JSON, &export)?;
    ctx.put(urls::EVENTS_SCHEMA, SCHEMA.as_bytes())
}
