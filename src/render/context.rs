//! The template contract: every value a template receives is one of the
//! serialisable structs defined here, built from the model. Templates see
//! only these, never the model itself, so a theme cannot depend on
//! internals and the summaries are computed once per build. The README's
//! "Templates and their context" lists which page gets which of them; the
//! field docs below are the reference for theme authors.
//!
//! Builders here make the values shared by several pages (summaries, the
//! event page, the site); the render stage builds the page-specific ones.

use crate::config::Config;
use crate::content::event::participant_id;
use crate::content::event::{Event, Status};
use crate::model::Site;
use crate::urls;
pub use crate::urls::Urls;
use crate::values::dates::{EndDate, display_span};
use crate::values::taxonomy::TaxonomyKind;
use serde::Serialize;

/// A labelled link to a page of the site (navigation, a term, a taxonomy).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Stable identifier: a term's slug, a taxonomy's key (`kinds`), a
    /// navigation entry's key (`timeline`, `years`, `search`…).
    pub key: String,
    /// Text to show.
    pub label: String,
    /// Site-relative URL (under the base path); empty for a status badge.
    pub url: String,
}

/// A date at the precision it was written.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `<time datetime>` value, at the written precision.
    pub machine: String,
    /// "28 July 2024", "March 2025", "2025".
    pub display: String,
    /// `"year"`, `"month"`, `"day"` or `"time"`.
    pub precision: crate::values::dates::Precision,
}

/// What a list entry (timeline, term page) needs to show an event.
#[derive(Debug, Clone, Serialize)]
pub struct EventSummary {
    /// The event's slug, also its anchor on list pages.
    pub slug: String,
    /// Site-relative URL of the event page.
    pub url: String,
    pub title: String,
    /// One-sentence summary (plain text).
    pub summary: String,
    /// Start date.
    pub date: DateView,
    /// End date of a span, if it has ended.
    pub end_date: Option<DateView>,
    /// The span has no end yet ("since March 2025").
    pub ongoing: bool,
    /// The whole span as text: "28–29 July 2024", "c. 2023", "since March 2025".
    pub when: String,
    /// The date is approximate ("c.").
    pub approximate: bool,
    /// Year of the start date.
    pub year: i32,
    /// The event's kind, linked to its term page.
    pub kind: TermLink,
    /// Status badge: `url` is empty.
    pub status: TermLink,
    pub countries: Vec<TermLink>,
    pub tracks: Vec<TermLink>,
    pub tags: Vec<TermLink>,
    /// Participants as term links (names only; see [`EventPage`] for roles).
    pub participants: Vec<TermLink>,
    /// Free-text place, as written.
    pub location: Option<String>,
    /// A draft, shown only with `--drafts`.
    pub draft: bool,
    /// Every generic field of the schema beyond these, under its name.
    #[serde(flatten)]
    pub fields: FieldValues,
}

/// The event's generic fields (`schema::Held::Extra`) for templates: each
/// under its name, `null` (or `false`, `[]`) when absent; Markdown as its
/// rendered HTML, a date like `date`.
#[derive(Debug, Clone, Default)]
pub struct FieldValues(Vec<(&'static str, tera::Value)>);

impl FieldValues {
    pub fn new(e: &Event) -> FieldValues {
        use crate::content::schema::{FIELDS, Held, Value};
        FieldValues(
            FIELDS
                .iter()
                .filter(|f| f.held == Held::Extra)
                .map(|f| {
                    let value = match e.extra.get(f.name) {
                        Some(Value::Markdown { html, .. }) => tera::Value::from(html.as_str()),
                        Some(Value::Date(d)) => tera::Value::from_serializable(&date_view(d)),
                        Some(v) => tera::Value::from_serializable(&v.to_json()),
                        None => tera::Value::from_serializable(
                            &crate::content::schema::absent_json(f.shape),
                        ),
                    };
                    (f.name, value)
                })
                .collect(),
        )
    }
}

impl Serialize for FieldValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A participant on the event page.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub name: String,
    /// Site-relative URL of the participant's term page.
    pub url: String,
    /// Role at this event, as written.
    pub role: Option<String>,
    /// The participant's country, linked to its term page.
    pub country: Option<Link>,
}

/// A numbered source of the event page.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// 1-based number, as cited in the text.
    pub number: usize,
    /// Anchor id: `source-<number>`.
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    /// Where the source can be read, as written.
    pub url: Option<String>,
    /// Publication date.
    pub date: Option<DateView>,
    /// An archived copy.
    pub archive_url: Option<String>,
}

/// A quote on the event page.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub speaker: String,
    /// The speaker's participant page, when the speaker is a participant.
    pub speaker_url: Option<String>,
    /// The source the quote cites.
    pub source: Option<SourceView>,
}

/// One kind of relation of the event page, both directions.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// The relation's label from `site.yaml` (or its inverse label).
    pub label: String,
    pub events: Vec<EventRef>,
}

/// A short reference to another event (relations, previous/next).
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    pub title: String,
    /// Site-relative URL of the event page.
    pub url: String,
    /// The span as text, as in [`EventSummary::when`].
    pub when: String,
    /// Start date.
    pub date: DateView,
}

/// Everything the event page shows: `event` in `event.html`. The summary's
/// fields are at the top level (`event.title`, `event.when`…), except
/// `participants`, which this struct's own list replaces.
#[derive(Debug, Clone, Serialize)]
pub struct EventPage<'a> {
    #[serde(flatten)]
    pub summary: EventSummary,
    /// The Markdown body as HTML (sanitised unless `markdown.unsafe_html`).
    pub body_html: &'a str,
    pub participants: Vec<ParticipantView>,
    pub sources: Vec<SourceView>,
    pub quotes: Vec<QuoteView>,
    pub relations: Vec<RelationView>,
    /// The chronologically previous and next events.
    pub previous: Option<EventRef>,
    pub next: Option<EventRef>,
}

/// Site-wide values every page gets: `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    /// `language` from `site.yaml`, for `<html lang>`.
    pub language: String,
    /// The base URL as configured (absolute, or a path).
    pub base_url: String,
    /// Its path part: `/` or `/timeline/`.
    pub base_path: String,
    /// Site-relative URLs of the home page, the stylesheet and the script.
    pub home_url: String,
    pub stylesheet_url: String,
    pub script_url: String,
    /// Main navigation: timeline, years, compare, each non-empty taxonomy,
    /// search when enabled. `key` is what `page.section` holds on its pages.
    pub nav: Vec<Link>,
    /// The pages of `content/pages`.
    pub pages: Vec<Link>,
    pub event_count: usize,
    /// `annals <version>`.
    pub generator: String,
}

pub fn date_view(d: &crate::values::dates::EventDate) -> DateView {
    DateView {
        machine: d.machine(),
        display: d.display(),
        precision: d.precision(),
    }
}

/// A link every summary showing the same term shares: made once per
/// build as a template value, so 100,000 summaries hold pointers to a few
/// hundred links instead of copies, and converting a summary for the
/// templates copies a pointer per link (Tera passes a `tera::Value` met
/// while serialising through as is).
#[derive(Debug, Clone)]
pub struct TermLink(tera::Value);

impl TermLink {
    pub fn new(link: &Link) -> TermLink {
        TermLink(tera::Value::from_serializable(link))
    }
}

impl Serialize for TermLink {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// The shared link of every term of every taxonomy, and of every status.
pub struct TermLinks {
    /// By [`TaxonomyKind::index`], then term index.
    terms: Vec<Vec<TermLink>>,
    statuses: Vec<(Status, TermLink)>,
}

impl TermLinks {
    pub fn new(site: &Site, urls: &Urls) -> TermLinks {
        TermLinks {
            terms: TaxonomyKind::ALL
                .iter()
                .map(|&kind| {
                    site.taxonomy(kind)
                        .terms
                        .iter()
                        .map(|t| {
                            TermLink::new(&Link {
                                key: t.slug.clone(),
                                label: t.label.clone(),
                                url: urls.term(kind, &t.slug),
                            })
                        })
                        .collect()
                })
                .collect(),
            statuses: Status::ALL
                .iter()
                .filter_map(|s| Status::parse(s))
                .map(|s| (s, TermLink::new(&status_link(s))))
                .collect(),
        }
    }

    /// The term's shared link; a term the site does not know (which
    /// validation rules out) gets a link of its own to the taxonomy page.
    fn get(
        &self,
        site: &Site,
        urls: &Urls,
        kind: TaxonomyKind,
        id: &str,
        fallback: &str,
    ) -> TermLink {
        let shared = site
            .taxonomy(kind)
            .position(id)
            .and_then(|t| self.terms.get(kind.index())?.get(t));
        match shared {
            Some(link) => link.clone(),
            None => TermLink::new(&term_link(site, urls, kind, id, fallback)),
        }
    }

    fn status(&self, status: Status) -> TermLink {
        self.statuses
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, link)| link.clone())
            .unwrap_or_else(|| TermLink::new(&status_link(status)))
    }
}

/// A status badge: key and label, no page of its own.
fn status_link(status: Status) -> Link {
    Link {
        key: status.key().to_string(),
        label: status.label().to_string(),
        url: String::new(),
    }
}

fn term_link(site: &Site, urls: &Urls, kind: TaxonomyKind, id: &str, fallback: &str) -> Link {
    match site.taxonomy(kind).term(id) {
        Some(t) => Link {
            key: t.slug.clone(),
            label: t.label.clone(),
            url: urls.term(kind, &t.slug),
        },
        None => Link {
            key: id.to_string(),
            label: fallback.to_string(),
            url: urls.taxonomy(kind),
        },
    }
}

pub fn summary(site: &Site, urls: &Urls, links: &TermLinks, e: &Event) -> EventSummary {
    let link = |kind, id: &str, fallback: &str| links.get(site, urls, kind, id, fallback);
    let (end_date, ongoing) = match &e.end_date {
        Some(EndDate::On(d)) => (Some(date_view(d)), false),
        Some(EndDate::Ongoing) => (None, true),
        None => (None, false),
    };
    EventSummary {
        slug: e.slug.clone(),
        url: urls.event(&e.slug),
        title: e.title.clone(),
        summary: e.summary.clone(),
        date: date_view(&e.date),
        end_date,
        ongoing,
        when: display_span(&e.date, e.end_date.as_ref(), e.approximate),
        approximate: e.approximate,
        year: e.date.year,
        kind: link(TaxonomyKind::Kinds, &e.kind, &e.kind),
        status: links.status(e.status),
        countries: e
            .countries
            .iter()
            .map(|c| link(TaxonomyKind::Countries, c, c))
            .collect(),
        tracks: e
            .tracks
            .iter()
            .map(|t| link(TaxonomyKind::Tracks, t, t))
            .collect(),
        tags: e
            .tags
            .iter()
            .zip(&e.tag_ids)
            .map(|(t, id)| link(TaxonomyKind::Tags, id, t))
            .collect(),
        participants: e
            .participants
            .iter()
            .map(|p| link(TaxonomyKind::Participants, &p.id, &p.name))
            .collect(),
        location: e.location.clone(),
        draft: e.draft,
        fields: FieldValues::new(e),
    }
}

pub fn event_ref(urls: &Urls, e: &Event) -> EventRef {
    EventRef {
        title: e.title.clone(),
        url: urls.event(&e.slug),
        when: display_span(&e.date, e.end_date.as_ref(), e.approximate),
        date: date_view(&e.date),
    }
}

fn source_view(e: &Event, i: usize) -> Option<SourceView> {
    let s = e.sources.get(i)?;
    Some(SourceView {
        number: i + 1,
        id: format!("source-{}", i + 1),
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        url: s.url.clone(),
        date: s.date.as_ref().map(date_view),
        archive_url: s.archive_url.clone(),
    })
}

pub fn event_page<'a>(site: &'a Site, urls: &Urls, links: &TermLinks, i: usize) -> EventPage<'a> {
    let e = &site.events[i];
    let participants = e
        .participants
        .iter()
        .map(|p| {
            let link = term_link(site, urls, TaxonomyKind::Participants, &p.id, &p.name);
            ParticipantView {
                name: p.name.clone(),
                url: link.url,
                role: p.role.clone(),
                country: p.country.as_ref().map(|c| {
                    term_link(
                        site,
                        urls,
                        TaxonomyKind::Countries,
                        c,
                        &site.config.country_label(c),
                    )
                }),
            }
        })
        .collect();
    let quotes = e
        .quotes
        .iter()
        .map(|q| QuoteView {
            text: q.text.clone(),
            speaker: q.speaker.clone(),
            speaker_url: site
                .taxonomy(TaxonomyKind::Participants)
                .term(&participant_id(&q.speaker))
                .map(|t| urls.term(TaxonomyKind::Participants, &t.slug)),
            source: q.source.and_then(|n| source_view(e, n)),
        })
        .collect();
    let relations = site.relations[i]
        .iter()
        .map(|g| RelationView {
            label: g.label.clone(),
            events: g
                .events
                .iter()
                .map(|&j| event_ref(urls, &site.events[j]))
                .collect(),
        })
        .collect();
    EventPage {
        summary: summary(site, urls, links, e),
        body_html: &e.body_html,
        participants,
        sources: (0..e.sources.len())
            .filter_map(|n| source_view(e, n))
            .collect(),
        quotes,
        relations,
        previous: i.checked_sub(1).map(|j| event_ref(urls, &site.events[j])),
        next: site.events.get(i + 1).map(|n| event_ref(urls, n)),
    }
}

pub fn site_view(site: &Site, urls: &Urls) -> SiteView {
    let mut nav = vec![Link {
        key: "timeline".into(),
        label: "Timeline".into(),
        url: urls.to(urls::HOME),
    }];
    nav.push(Link {
        key: "years".into(),
        label: "Years".into(),
        url: urls.to(urls::YEARS),
    });
    nav.push(Link {
        key: "compare".into(),
        label: "Compare".into(),
        url: urls.to(urls::COMPARE),
    });
    for kind in TaxonomyKind::ALL {
        if !site.taxonomy(kind).terms.is_empty() {
            nav.push(Link {
                key: kind.key().into(),
                label: kind.title().into(),
                url: urls.taxonomy(kind),
            });
        }
    }
    if site.config.search {
        nav.push(Link {
            key: "search".into(),
            label: "Search".into(),
            url: urls.to(urls::SEARCH),
        });
    }
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        base_url: site.config.base_url().to_string(),
        base_path: site.config.base_path().to_string(),
        home_url: urls.to(urls::HOME),
        stylesheet_url: urls.to(urls::STYLESHEET),
        script_url: urls.to(urls::SCRIPT),
        nav,
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                key: p.slug.clone(),
                label: p.title.clone(),
                url: urls.to(&urls::page(&p.slug)),
            })
            .collect(),
        event_count: site.events.len(),
        generator: format!("annals {}", env!("CARGO_PKG_VERSION")),
    }
}

/// A month's events on a list page.
#[derive(Debug, Serialize)]
pub struct MonthGroup {
    /// Anchor id: `m<yyyy>-<mm>`, or `m<yyyy>` for events known only to the year.
    pub id: String,
    /// "July 2024", or "2024, month not known".
    pub label: String,
    /// [`EventSummary`] values, already converted for the template engine
    /// (see `render::Prepared`): cloning one is a reference-count increment.
    pub events: Vec<tera::Value>,
}

/// A year's events on a list page (`groups`), in display order.
#[derive(Debug, Serialize)]
pub struct YearGroup {
    pub year: i32,
    /// Anchor id: `y<yyyy>`.
    pub id: String,
    /// Site-relative URL of the year's page.
    pub url: String,
    /// Events of this year in the list.
    pub count: usize,
    pub months: Vec<MonthGroup>,
}

/// Groups events (given chronologically) by year and month. Events known
/// only to the year form a group of their own at the top of the year.
pub fn group_by_month(
    site: &Site,
    urls: &Urls,
    summaries: &[tera::Value],
    indexes: &[usize],
    newest_first: bool,
) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for &i in indexes {
        let e = &site.events[i];
        let year = e.date.year;
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearGroup {
                year,
                id: urls::year_anchor(year),
                url: urls.year(year),
                count: 0,
                months: Vec::new(),
            });
        }
        let Some(group) = years.last_mut() else {
            continue;
        };
        group.count += 1;
        let (id, label) = match e.date.month_name() {
            Some(m) => (
                format!("m{year:04}-{:02}", e.date.month.unwrap_or(0)),
                format!("{m} {year}"),
            ),
            None => (format!("m{year:04}"), format!("{year}, month not known")),
        };
        if group.months.last().is_none_or(|m| m.id != id) {
            group.months.push(MonthGroup {
                id,
                label,
                events: Vec::new(),
            });
        }
        if let Some(month) = group.months.last_mut() {
            month.events.push(summaries[i].clone());
        }
    }
    if newest_first {
        years.reverse();
        for y in &mut years {
            y.months.reverse();
            for m in &mut y.months {
                m.events.reverse();
            }
        }
    }
    years
}

/// A `<link rel="alternate">` feed for a page's `<head>`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// `application/atom+xml` or `application/feed+json`.
    pub mime: &'static str,
    pub title: String,
    /// Site-relative URL of the feed.
    pub url: String,
}

/// Whether `path` is a term page's path, such as `kinds/meeting/`.
fn is_term_path(path: &str) -> bool {
    let mut parts = path.trim_end_matches('/').split('/');
    let (Some(section), Some(term), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !term.is_empty() && TaxonomyKind::ALL.iter().any(|k| k.key() == section)
}

/// Feed links for the page at `path` (relative to the base path): the
/// term's own Atom feed on a term page, then the site-wide feeds.
pub fn feed_links(config: &Config, title: &str, path: &str) -> Vec<FeedLink> {
    let base = config.base_path();
    let mut links = Vec::new();
    if config.feeds.atom && is_term_path(path) {
        links.push(FeedLink {
            mime: "application/atom+xml",
            title: format!("{title} · {}", config.title),
            url: urls::under(base, &urls::atom_of(path)),
        });
    }
    if config.feeds.atom {
        links.push(FeedLink {
            mime: "application/atom+xml",
            title: format!("{} (Atom)", config.title),
            url: urls::under(base, urls::ATOM),
        });
    }
    if config.feeds.json {
        links.push(FeedLink {
            mime: "application/feed+json",
            title: format!("{} (JSON Feed)", config.title),
            url: urls::under(base, urls::JSON_FEED),
        });
    }
    links
}

/// What every page says about itself: `page`.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// For `<title>` and the heading.
    pub title: String,
    /// For `<meta name="description">`.
    pub description: String,
    /// Absolute URL of the page when the site has an absolute base URL.
    pub canonical: Option<String>,
    /// Path of the page under the base path, e.g. `events/x/` (empty for
    /// the home page).
    pub path: String,
    /// Which navigation entry the page belongs to: a [`SiteView::nav`] key,
    /// or `events`, `pages`, `404`, `embed`.
    pub section: &'static str,
    /// `<link rel="alternate">` feeds for the head (term feed first).
    pub feeds: Vec<FeedLink>,
}

/// A term of a taxonomy with its page and event count.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// The term's slug.
    pub key: String,
    pub label: String,
    /// Site-relative URL of the term's page.
    pub url: String,
    /// Events with this term.
    pub count: usize,
    /// `description` from `site.yaml`.
    pub description: Option<&'a str>,
    /// A participant's roles across events, as written.
    pub roles: &'a [String],
}

/// One filter of the timeline: a taxonomy and its terms.
#[derive(Debug, Serialize)]
pub struct FilterView<'a> {
    /// The taxonomy's key: `kinds`, `countries`, `tracks`, `participants`, `tags`.
    pub key: &'static str,
    /// Its singular label: "Kind", "Country"…
    pub label: &'static str,
    pub terms: Vec<TermView<'a>>,
}

/// A year with its page: `years`, `year_list`, `earlier_years`,
/// `previous_year`, `next_year`.
#[derive(Debug, Clone, Serialize)]
pub struct YearLink {
    pub year: i32,
    /// Site-relative URL of the year's page.
    pub url: String,
    /// The year's anchor id on the timeline: `y<yyyy>`.
    pub id: String,
    /// Events in the year.
    pub count: usize,
}

/// A compared track: a lane of the compare page.
#[derive(Debug, Clone, Serialize)]
pub struct LaneView {
    /// The track's slug.
    pub key: String,
    pub label: String,
    /// Site-relative URL of the track's term page.
    pub url: String,
    /// Events in the track.
    pub count: usize,
}

/// One lane's events on one row of the compare page.
#[derive(Debug, Serialize)]
pub struct CellView {
    /// The lane's track label.
    pub lane: String,
    /// [`EventSummary`] values (see `render::Prepared`).
    pub events: Vec<tera::Value>,
}

/// A row of the compare page: one date at its written precision.
#[derive(Debug, Serialize)]
pub struct RowView {
    /// Anchor id: `d<yyyy>`, `d<yyyy>-<mm>` or `d<yyyy>-<mm>-<dd>`.
    pub id: String,
    /// `<time datetime>` value.
    pub machine: String,
    /// The date as text.
    pub display: String,
    /// "No events for 3 months" before this row, when months passed.
    pub gap: Option<String>,
    /// Every lane has an event on this row: the tracks moved in step.
    pub together: bool,
    /// One cell per lane, in lane order.
    pub cells: Vec<CellView>,
}

/// A pair of tracks and its page.
#[derive(Debug, Clone, Serialize)]
pub struct PairLink {
    /// `<a>--<b>` (track slugs).
    pub key: String,
    /// "A and B".
    pub label: String,
    /// Site-relative URL of the pair's compare page.
    pub url: String,
    /// This is the page being shown.
    pub current: bool,
}

/// The compare page's data: `compare` in `compare.html`.
#[derive(Debug, Serialize)]
pub struct CompareView {
    pub lanes: Vec<LaneView>,
    pub rows: Vec<RowView>,
    /// Every pair of tracks, each with a page.
    pub pairs: Vec<PairLink>,
    /// Rows where every lane has an event.
    pub together_count: usize,
}

/// An embed a newsroom can copy, with its ready-made `<iframe>` snippet.
#[derive(Debug, Serialize)]
pub struct EmbedSnippet {
    /// What the embed shows: "All events" or a track's label.
    pub label: String,
    /// The embed's URL (absolute with an absolute base URL), percent-encoded.
    pub url: String,
    /// The `<iframe>` element as HTML source, each value escaped for where
    /// it lands; autoescaping shows it as text for copying.
    pub snippet: String,
}
