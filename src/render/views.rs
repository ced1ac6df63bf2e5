//! Builders of the template values several pages share: an event's list
//! entry ([`summary`]), its page ([`event_page`]), the site ([`site_view`]),
//! month groups and feed links, with the term links every summary shares
//! made once per build ([`TermLinks`]). The values are the structs of
//! [`crate::render::context`].

use crate::config::Config;
use crate::content::event::participant_id;
use crate::content::event::{Event, Source, Status};
use crate::i18n::Locale;
use crate::model::Site;
use crate::render::context::*;
use crate::urls;
use crate::values::dates::{EndDate, display_span_in};
use crate::values::taxonomy::TaxonomyKind;
use std::sync::Arc;

/// The shared link of every term of every taxonomy, and of every status.
pub struct TermLinks {
    /// Every taxonomy's links, one after another, in the order of
    /// [`TaxonomyKind::ALL`], each taxonomy's in its terms' order.
    terms: Vec<TermLink>,
    /// Where each taxonomy's links start in `terms`, by
    /// [`TaxonomyKind::index`].
    starts: Vec<usize>,
    statuses: Vec<(Status, TermLink)>,
    /// The interface language every value is written in.
    pub locale: Arc<Locale>,
}

impl TermLinks {
    pub fn new(site: &Site, urls: &Urls, locale: Arc<Locale>) -> TermLinks {
        let mut terms = Vec::new();
        let mut starts = vec![0; TaxonomyKind::ALL.len()];
        for kind in TaxonomyKind::ALL {
            if let Some(start) = starts.get_mut(kind.index()) {
                *start = terms.len();
            }
            terms.extend(site.taxonomy(kind).terms.iter().map(|t| {
                TermLink::new(&Link {
                    key: t.slug.clone(),
                    label: term_label(kind, t, &locale),
                    url: urls.term(kind, &t.slug),
                })
            }));
        }
        TermLinks {
            terms,
            starts,
            statuses: Status::ALL
                .iter()
                .filter_map(|s| Status::parse(s))
                .map(|s| (s, TermLink::new(&status_link(s, &locale))))
                .collect(),
            locale,
        }
    }

    /// The place of the term's shared link (see [`Self::at`]); `None`
    /// for a term the site does not know (which validation rules out).
    pub fn place(&self, site: &Site, kind: TaxonomyKind, id: &str) -> Option<u32> {
        let place = self.starts.get(kind.index())? + site.taxonomy(kind).position(id)?;
        let fits = place < self.terms.len();
        u32::try_from(place)
            .ok()
            .filter(|&p| fits && p < crate::render::summary::OWN)
    }

    /// The shared link at `place`.
    pub fn at(&self, place: u32) -> Option<&TermLink> {
        self.terms.get(place as usize)
    }

    /// The term's link: its shared one; a term the site does not know
    /// (which validation rules out) gets a link of its own to the
    /// taxonomy page.
    fn get(
        &self,
        site: &Site,
        urls: &Urls,
        kind: TaxonomyKind,
        id: &str,
        fallback: &str,
    ) -> Result<u32, TermLink> {
        self.place(site, kind, id)
            .ok_or_else(|| TermLink::new(&term_link(site, urls, kind, id, fallback)))
    }

    pub fn status(&self, status: Status) -> TermLink {
        self.statuses
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, link)| link.clone())
            .unwrap_or_else(|| TermLink::new(&status_link(status, &self.locale)))
    }
}

/// A status badge: key and label, no page of its own.
fn status_link(status: Status, locale: &Locale) -> Link {
    Link {
        key: status.key().to_string(),
        label: status_label(status, locale),
        url: String::new(),
    }
}

/// A term's label as readers see it: a built-in kind keeps its default
/// label only in English (`kind-meeting`…); every other label is the
/// site's own.
pub fn term_label(kind: TaxonomyKind, t: &crate::model::Term, locale: &Locale) -> String {
    match kind {
        TaxonomyKind::Kinds => crate::config::builtin_kind_key(&t.id, &t.label)
            .map_or_else(|| t.label.clone(), |key| locale.text(&key).to_string()),
        _ => t.label.clone(),
    }
}

/// A status word in the interface language (`status-held`…).
pub fn status_label(status: Status, locale: &Locale) -> String {
    locale.text(&format!("status-{}", status.key())).to_string()
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

/// The short reference to `e` (relations, previous and next), as
/// [`EventRef::of`] its list entry would give it, made without the entry.
pub fn event_ref(urls: &Urls, locale: &Locale, e: &Event) -> EventRef {
    EventRef {
        title: e.title.to_string(),
        url: urls.event(&e.slug),
        when: display_span_in(&e.date, e.end_date(), e.approximate, locale),
        date: date_view(&e.date, locale),
    }
}

pub fn summary(site: &Site, urls: &Urls, links: &TermLinks, e: &Arc<Event>) -> EventSummary {
    let term = |kind, id: &str, fallback: &str| links.get(site, urls, kind, id, fallback);
    let locale = &*links.locale;
    let end_date = match &e.end_date() {
        Some(EndDate::On(d)) => Some(Box::new(date_view(d, locale))),
        _ => None,
    };
    let lang = site
        .edition
        .as_ref()
        .filter(|ed| ed.event_note(&e.slug) == Some(&crate::model::edition::Note::Untranslated))
        .map(|ed| Arc::from(ed.default_language().0));
    // In the order of `summary::term_counts`.
    let terms = std::iter::once(term(TaxonomyKind::Kinds, &e.kind, &e.kind))
        .chain(
            e.countries
                .iter()
                .map(|c| term(TaxonomyKind::Countries, c, c)),
        )
        .chain(e.tracks.iter().map(|t| term(TaxonomyKind::Tracks, t, t)))
        .chain(
            e.tags
                .iter()
                .map(|t| term(TaxonomyKind::Tags, &t.id, &t.name)),
        )
        .chain(
            e.participants
                .iter()
                .map(|p| term(TaxonomyKind::Participants, &p.id, &p.name)),
        );
    EventSummary {
        event: Arc::clone(e),
        lang,
        url: urls.event(&e.slug).into(),
        date: date_view(&e.date, locale),
        end_date,
        when: display_span_in(&e.date, e.end_date(), e.approximate, locale).into(),
        terms: TermRefs::collect(terms),
        location_native: native_view(e.location_native(), locale).map(Box::new),
        periods: crate::render::periods::labels(site, e).into(),
        thumbnail: crate::render::media_views::thumbnail(site, urls, e).map(Box::new),
        source_tiers: e.cited.tier_bits(),
        fields: FieldValues::new(e, locale),
    }
}

/// A participant's native-script name: as the event writes it, else as
/// another event gives it for the same person.
pub fn person_native<'s>(
    site: &'s Site,
    p: &'s crate::content::event::Participant,
) -> Option<&'s crate::content::native::Native> {
    p.native.as_deref().or_else(|| {
        site.taxonomy(TaxonomyKind::Participants)
            .term(&p.id)
            .and_then(|t| t.native.as_deref())
    })
}

/// A native-script name for a page in `locale`'s language.
pub fn native_view(
    n: Option<&crate::content::native::Native>,
    locale: &Locale,
) -> Option<NativeView> {
    n.map(|n| NativeView {
        text: n.text.clone(),
        lang: n.lang.clone(),
        first: crate::content::native::is_page_lang(&n.lang, locale.lang()),
    })
}

fn source_view(site: &Site, sources: &[Source], i: usize, locale: &Locale) -> Option<SourceView> {
    let s = sources.get(i)?;
    Some(SourceView {
        number: i + 1,
        id: format!("source-{}", i + 1),
        title: s.title.to_string(),
        publisher: s.publisher.clone(),
        url: s.url.as_deref().map(str::to_string),
        date: s.date.as_ref().map(|d| date_view(d, locale)),
        archive_url: s.archive_url.as_deref().map(str::to_string),
        reliability: s
            .reliability
            .map(|t| crate::render::provenance::tier_badge(&site.config, t, locale)),
    })
}

/// The values of event `i`'s page: `summary` is its list entry, `entry`
/// gives any event's (for its neighbours and relations), `body_html` is
/// its rendered body.
pub fn event_page<'a>(
    site: &'a Site,
    urls: &Urls,
    links: &'a TermLinks,
    (summary, reference): (Arc<EventSummary>, &dyn Fn(usize) -> Option<EventRef>),
    i: usize,
    body_html: &'a str,
) -> EventPage<'a> {
    let e = &site.events[i];
    let locale = &*links.locale;
    let participants = e
        .participants
        .iter()
        .map(|p| {
            let link = term_link(site, urls, TaxonomyKind::Participants, &p.id, &p.name);
            ParticipantView {
                name: p.name.clone(),
                native: native_view(person_native(site, p), locale),
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
    let (sources, quotes) = e.cited.both();
    let quotes = quotes
        .iter()
        .map(|q| {
            let term = site
                .taxonomy(TaxonomyKind::Participants)
                .term(&participant_id(&q.speaker));
            QuoteView {
                text: q.text.clone(),
                speaker: q.speaker.clone(),
                speaker_url: term.map(|t| urls.term(TaxonomyKind::Participants, &t.slug)),
                speaker_native: native_view(term.and_then(|t| t.native.as_deref()), locale),
                source: q
                    .source
                    .and_then(|n| source_view(site, &sources, n, locale)),
            }
        })
        .collect();
    let relations = site.relations[i]
        .iter()
        .map(|g| RelationView {
            label: relation_label(site, &g.label, locale),
            events: g.events.iter().filter_map(|&j| reference(j)).collect(),
        })
        .collect();
    EventPage {
        summary,
        table: links,
        body_html,
        participants,
        sources: (0..sources.len())
            .filter_map(|n| source_view(site, &sources, n, locale))
            .collect(),
        quotes,
        media: crate::render::media_views::media_views(site, urls, e),
        // Embeds, and media kept on other sites, load on a click.
        has_embeds: e
            .media()
            .iter()
            .any(|m| m.kind == crate::content::media::MediaKind::Embed || !m.is_local()),
        relations,
        previous: i.checked_sub(1).and_then(reference),
        next: reference(i + 1),
        updated: site
            .updated
            .get(i)
            .copied()
            .flatten()
            .as_ref()
            .map(|d| date_view(d, locale)),
        corrections: crate::render::provenance::corrections(e, locale),
        corrections_url: urls.to(urls::CORRECTIONS),
    }
}

/// A relation heading: a built-in relation's default label in the
/// interface language (`relation-<key>`, `relation-<key>-inverse`); a
/// label the site wrote itself as written.
fn relation_label(site: &Site, label: &str, locale: &Locale) -> String {
    crate::config::builtin_relation_key(&site.config, label)
        .map_or_else(|| label.to_string(), |key| locale.text(&key).to_string())
}

pub fn site_view(site: &Site, urls: &Urls, locale: &Locale) -> SiteView {
    let mut nav = vec![Link {
        key: "timeline".into(),
        label: locale.text("nav-timeline").into(),
        url: urls.to(urls::HOME),
    }];
    nav.push(Link {
        key: "years".into(),
        label: locale.text("nav-years").into(),
        url: urls.to(urls::YEARS),
    });
    nav.push(Link {
        key: "compare".into(),
        label: locale.text("nav-compare").into(),
        url: urls.to(urls::COMPARE),
    });
    for kind in TaxonomyKind::ALL {
        if !site.taxonomy(kind).terms.is_empty() {
            nav.push(Link {
                key: kind.key().into(),
                label: taxonomy_title(kind, locale),
                url: urls.taxonomy(kind),
            });
        }
    }
    if site.config.search {
        nav.push(Link {
            key: "search".into(),
            label: locale.text("nav-search").into(),
            url: urls.to(urls::SEARCH),
        });
    }
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        dir: locale.dir().as_str(),
        base_url: site.config.base_url().to_string(),
        base_path: site.config.base_path().to_string(),
        home_url: urls.to(urls::HOME),
        stylesheet_url: urls.asset(urls::STYLESHEET),
        script_url: urls.asset(urls::SCRIPT),
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

/// A taxonomy's name in the interface language (`taxonomy-kinds`…).
pub fn taxonomy_title(kind: TaxonomyKind, locale: &Locale) -> String {
    locale.text(kind.title_key()).to_string()
}

/// A term as pages show it (see [`TermView`]).
pub fn term_view<'t>(
    kind: TaxonomyKind,
    t: &'t crate::model::Term,
    urls: &Urls,
    locale: &Locale,
) -> TermView<'t> {
    TermView {
        key: t.slug.clone(),
        label: term_label(kind, t, locale),
        url: urls.term(kind, &t.slug),
        count: t.events.len(),
        description: t.description.as_deref(),
        roles: &t.roles,
        native: native_view(t.native.as_deref(), locale),
    }
}

/// The timeline's filters: every taxonomy's terms.
pub fn filters<'s>(site: &'s Site, urls: &Urls, locale: &Locale) -> Vec<FilterView<'s>> {
    TaxonomyKind::ALL
        .iter()
        .map(|&k| FilterView {
            key: k.key(),
            label: taxonomy_singular(k, locale),
            terms: site
                .taxonomy(k)
                .terms
                .iter()
                .map(|t| term_view(k, t, urls, locale))
                .collect(),
        })
        .collect()
}

/// A taxonomy's singular name (`taxonomy-kind`…).
pub fn taxonomy_singular(kind: TaxonomyKind, locale: &Locale) -> String {
    locale.text(kind.singular_key()).to_string()
}

/// Groups events (given chronologically) by year and month. Events known
/// only to the year form a group of their own at the top of the year.
pub fn group_by_month(
    site: &Site,
    urls: &Urls,
    summary: &dyn Fn(usize) -> Option<tera::Value>,
    indexes: &[usize],
    newest_first: bool,
    locale: &Locale,
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
                continued: false,
            });
        }
        let Some(group) = years.last_mut() else {
            continue;
        };
        group.count += 1;
        let (id, label) = match e.date.month {
            Some(m) => (
                urls::month_anchor(year, Some(m)),
                crate::values::dates::EventDate {
                    year,
                    month: Some(m),
                    day: None,
                    instant: None,
                }
                .display_in(locale),
            ),
            None => (
                urls::month_anchor(year, None),
                locale.format("month-unknown", &[("year", year.to_string().into())]),
            ),
        };
        if group.months.last().is_none_or(|m| m.id != id) {
            group.months.push(MonthGroup {
                id,
                label,
                events: Vec::new(),
            });
        }
        if let (Some(month), Some(value)) = (group.months.last_mut(), summary(i)) {
            month.events.push(value);
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
