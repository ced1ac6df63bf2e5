//! Template context: plain serialisable structs built from the model.
//! Templates see only these, never the model itself, so a theme cannot
//! depend on internals and the summaries are computed once per build.

use crate::dates::{EndDate, display_span};
use crate::event::{Event, Status};
use crate::model::{Site, TaxonomyKind, participant_id};
use crate::urls;
pub use crate::urls::Urls;
use serde::Serialize;

/// A labelled link to a page of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub key: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `<time datetime>` value, at the written precision.
    pub machine: String,
    /// "28 July 2024", "March 2025", "2025".
    pub display: String,
    pub precision: crate::dates::Precision,
}

/// What a list entry (timeline, term page) needs to show an event.
#[derive(Debug, Clone, Serialize)]
pub struct EventSummary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub date: DateView,
    pub end_date: Option<DateView>,
    pub ongoing: bool,
    /// The whole span as text: "28–29 July 2024", "c. 2023", "since March 2025".
    pub when: String,
    pub approximate: bool,
    pub year: i32,
    pub kind: TermLink,
    pub status: TermLink,
    pub countries: Vec<TermLink>,
    pub tracks: Vec<TermLink>,
    pub tags: Vec<TermLink>,
    pub participants: Vec<TermLink>,
    pub location: Option<String>,
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
        use crate::schema::{FIELDS, Held, Value};
        FieldValues(
            FIELDS
                .iter()
                .filter(|f| f.held == Held::Extra)
                .map(|f| {
                    let value = match e.extra.get(f.name) {
                        Some(Value::Markdown { html, .. }) => tera::Value::from(html.as_str()),
                        Some(Value::Date(d)) => tera::Value::from_serializable(&date_view(d)),
                        Some(v) => tera::Value::from_serializable(&v.to_json()),
                        None => {
                            tera::Value::from_serializable(&crate::schema::absent_json(f.shape))
                        }
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

#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub country: Option<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<DateView>,
    pub archive_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub speaker: String,
    pub speaker_url: Option<String>,
    pub source: Option<SourceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    pub label: String,
    pub events: Vec<EventRef>,
}

/// A short reference to another event (relations, previous/next).
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    pub title: String,
    pub url: String,
    pub when: String,
    pub date: DateView,
}

/// Everything the event page shows.
#[derive(Debug, Clone, Serialize)]
pub struct EventPage<'a> {
    #[serde(flatten)]
    pub summary: EventSummary,
    pub body_html: &'a str,
    pub participants: Vec<ParticipantView>,
    pub sources: Vec<SourceView>,
    pub quotes: Vec<QuoteView>,
    pub relations: Vec<RelationView>,
    pub previous: Option<EventRef>,
    pub next: Option<EventRef>,
}

/// Site-wide values every page gets.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub home_url: String,
    pub stylesheet_url: String,
    pub script_url: String,
    pub nav: Vec<Link>,
    pub pages: Vec<Link>,
    pub event_count: usize,
    pub generator: String,
}

pub fn date_view(d: &crate::dates::EventDate) -> DateView {
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

/// A month's events on the timeline.
#[derive(Debug, Serialize)]
pub struct MonthGroup {
    pub id: String,
    pub label: String,
    /// Summaries already converted for the template engine (see
    /// `render::Prepared`): cloning one is a reference-count increment.
    pub events: Vec<tera::Value>,
}

#[derive(Debug, Serialize)]
pub struct YearGroup {
    pub year: i32,
    pub id: String,
    pub url: String,
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
