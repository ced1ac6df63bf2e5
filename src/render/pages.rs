//! What each kind of page puts in its template's context: one function per
//! page kind. Every page gets `site`, `page` and `years`; the rest is the
//! page's own (see the README's "Templates and their context"). The value
//! types are in [`crate::render::context`].

use super::deferred::{CompareRows, Deferred, ListGroups};
use super::{Job, Shared, axis_views, paging, periods};
use crate::config::paginate::List;
use crate::model::Term;
use crate::render::compare;
use crate::render::context::{self, Link, PageMeta, Pagination, TermView};
use crate::render::views;
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;
use tera::Context;

/// The context of the page `job`, whose path is `path`; `body` is an
/// event page's rendered body. Jobs come from the site's own routes, so
/// their indexes are in range.
pub(super) fn context(s: &Shared, job: Job, path: &str, body: &str) -> Context {
    let (mut ctx, deferred) = context_parts(s, job, path, body);
    if let Some(deferred) = deferred {
        deferred.insert_into(&mut ctx, s);
    }
    ctx
}

/// [`context`] with the part of a list page that shows its entries left
/// out, to be made only if the page is rendered (see [`Deferred`]).
pub(super) fn context_parts(
    s: &Shared,
    job: Job,
    path: &str,
    body: &str,
) -> (Context, Option<Deferred>) {
    let ctx = match job {
        Job::Index(n) => return index(s, path, n),
        Job::Year(y, n) => return year(s, path, y, n),
        Job::Term(kind, t, n) => return term(s, path, kind, t, n),
        Job::Event(i) => event(s, path, i, body),
        Job::Years => years(s, path),
        Job::Taxonomy(kind) => taxonomy(s, path, kind),
        Job::Page(p) => page(s, path, p),
        Job::Search => search(s, path),
        Job::Corrections => corrections(s, path),
        Job::NotFound => not_found(s, path),
        Job::Compare(n) => return compare(s, path, None, n),
        Job::ComparePair(a, b, n) => return compare(s, path, Some((a, b)), n),
        Job::Embed => embed(s, path, None),
        Job::EmbedTrack(t) => embed(s, path, Some(t)),
    };
    (ctx, None)
}

impl Shared<'_> {
    pub(super) fn meta(
        &self,
        title: &str,
        description: &str,
        path: &str,
        section: &'static str,
    ) -> PageMeta {
        let config = &self.site.config;
        let canonical = config
            .has_absolute_base_url()
            .then(|| urls::under(config.base_url(), path));
        let (alternates, languages) = super::editions::links(self.site, path);
        PageMeta {
            alternates,
            languages,
            title: title.to_string(),
            description: description.to_string(),
            canonical,
            path: path.to_string(),
            section,
            feeds: views::feed_links(config, title, path),
            pagination: None,
        }
    }

    /// Puts an edition's note on a translated or untranslated event or
    /// page in `ctx` (`translation`), when there is one.
    fn insert_note(&self, ctx: &mut Context, note: Option<&crate::model::edition::Note>) {
        if let Some(note) = super::editions::note(self.site, self.locale(), note) {
            ctx.insert("translation", &note);
        }
    }

    /// A context holding what every page gets: `site`, `page`, `years`.
    fn context(&self, meta: PageMeta) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("page", &meta);
        ctx.insert_value("years", self.years_value.clone());
        ctx
    }

    fn term_view<'t>(&self, kind: TaxonomyKind, t: &'t Term) -> TermView<'t> {
        views::term_view(kind, t, &self.urls, &self.locale)
    }

    /// Events (given chronologically) grouped by year and month, in the
    /// site's display order.
    pub(super) fn groups(&self, indexes: &[usize]) -> Vec<context::YearGroup> {
        views::group_by_month(
            self.site,
            &self.urls,
            &|i| self.listed(i),
            indexes,
            self.newest_first(),
            &self.locale,
        )
    }

    pub(super) fn newest_first(&self) -> bool {
        self.site.config.order == crate::config::Order::NewestFirst
    }

    /// Page `page` of a list of events (given chronologically) whose
    /// first page is `first_path`: its groups, the first marked when its
    /// year began on the page before, and its navigation.
    fn list_page(
        &self,
        chrono: &[usize],
        list: List,
        first_path: &str,
        page: usize,
    ) -> (ListGroups, Option<Pagination>) {
        let paginate = &self.site.config.paginate;
        let per = paginate.per_page(list);
        let newest_first = self.newest_first();
        let range = paging::display_range(chrono.len(), per, page, newest_first);
        // The entry shown just before this page, in display order.
        let before = if newest_first {
            chrono.get(range.end)
        } else {
            range.start.checked_sub(1).and_then(|i| chrono.get(i))
        };
        let groups = ListGroups {
            shown: chrono[range.clone()].to_vec(),
            year_before: before.map(|&b| self.site.events[b].date.year),
        };
        let skip = page.saturating_sub(1) * per;
        let nav = self.pagination(
            first_path,
            page,
            paginate.pages(list, chrono.len()),
            (skip + 1, skip + range.len()),
            chrono.len(),
        );
        (groups, nav)
    }

    /// The timeline page (site-relative URL) showing event `i`.
    pub(super) fn timeline_page_url(&self, i: usize) -> String {
        let per = self.site.config.paginate.per_page(List::Timeline);
        let page = paging::page_of(self.site.events.len(), per, i, self.newest_first());
        self.urls.to(&urls::paged(urls::HOME, page))
    }
}

/// `index.html` and `page/<n>/`: a page of the timeline, with filters
/// over the events on it.
fn index(s: &Shared, path: &str, page: usize) -> (Context, Option<Deferred>) {
    let site = s.site;
    let all = &s.all_events;
    let (groups, nav) = s.list_page(all, List::Timeline, urls::HOME, page);
    let desc = site.config.description.clone().unwrap_or_else(|| {
        s.locale().format(
            "site-description",
            &[("count", (site.events.len() as i64).into())],
        )
    });
    let mut meta = s.meta(&site.config.title, &desc, path, "timeline");
    let partial = nav.is_some();
    meta.pagination = nav;
    let mut ctx = s.context(meta);
    // Every year is on some page of the timeline; kept for themes that
    // list years left off the page.
    ctx.insert("earlier_years", &s.year_links[..0]);
    // The years on this page (jumped to here; the others on their pages).
    let (first_year, last_year) = groups.years(s);
    ctx.insert("first_year", &first_year.unwrap_or(i32::MIN));
    ctx.insert("last_year", &last_year.unwrap_or(i32::MAX));
    ctx.insert("shown_count", &groups.count());
    ctx.insert("newest_first", &s.newest_first());
    // The whole archive's axis heads the first page only.
    ctx.insert(
        "axis",
        &(page <= 1).then(|| axis_views::timeline(s)).flatten(),
    );
    ctx.insert(
        "periods",
        &periods::on_page(s, all, List::Timeline, page, |_| true),
    );
    // The same on every page of the timeline: made once (see `Prepared`).
    ctx.insert_value("filters", s.filters_value.clone());
    ctx.insert("statuses", &s.statuses);
    ctx.insert("source_tiers", &s.source_tiers);
    // Filters that must cover events beyond this page read the index.
    if site.config.search && partial {
        ctx.insert("search_index_url", &s.urls.to(urls::SEARCH_INDEX));
        ctx.insert("archive_script_url", &s.urls.asset(urls::ARCHIVE_SCRIPT));
    }
    (ctx, Some(Deferred::Groups(groups)))
}

/// `event.html`: one event, and where it sits on the timeline.
fn event(s: &Shared, path: &str, i: usize, body: &str) -> Context {
    let parts = event_parts(s, path, i, body);
    let jsonld = super::jsonld::text(&parts.jsonld());
    parts.into_context(s, jsonld)
}

/// What an event page's context holds, before it is made one: a rebuild
/// takes the page's fingerprint from these (see [`EventParts::fingerprint`])
/// and makes the context only for a page it renders.
pub(super) struct EventParts<'a> {
    site: &'a crate::model::Site,
    i: usize,
    meta: PageMeta,
    event: context::EventPage<'a>,
    translation: Option<context::TranslationNote>,
    timeline_url: String,
    cite: context::CiteView,
    /// What the JSON-LD is made from besides the event: written only for
    /// a page that is rendered (see [`EventParts::jsonld_facts`]).
    base: String,
    url: String,
    modified: Option<String>,
    lang: &'a str,
}

pub(super) fn event_parts<'a>(
    s: &'a Shared,
    path: &str,
    i: usize,
    body: &'a str,
) -> EventParts<'a> {
    let site = s.site;
    let e = &site.events[i];
    let (base, _) = crate::exports::absolute_base(&site.config);
    let reference = crate::exports::citation::reference(site, &base, e);
    EventParts {
        site,
        i,
        meta: s.meta(&e.title, &e.summary, path, "events"),
        event: views::event_page(
            site,
            &s.urls,
            &s.links,
            (s.entry_of(i, e), &|j| s.event_ref(j)),
            i,
            body,
        ),
        translation: super::editions::note(
            site,
            s.locale(),
            site.edition.as_ref().and_then(|ed| ed.event_note(&e.slug)),
        ),
        timeline_url: format!("{}#{}", s.timeline_page_url(i), e.slug),
        cite: super::cite::view(&reference, &s.urls, s.locale()),
        // The event's updated date (explicit, from git or its latest
        // correction) is the page's `dateModified`.
        modified: site.updated.get(i).copied().flatten().map(|d| d.machine()),
        url: reference.url,
        base,
        lang: s.locale().lang(),
    }
}

impl EventParts<'_> {
    fn jsonld_facts(&self) -> super::jsonld::PageFacts<'_> {
        super::jsonld::PageFacts {
            url: &self.url,
            modified: self.modified.as_deref(),
            lang: self.lang,
        }
    }

    /// The page's JSON-LD, as the value it is written from.
    pub(super) fn jsonld(&self) -> super::jsonld::EventLd<'_> {
        let e = &self.site.events[self.i];
        super::jsonld::event_ld(self.site, &self.base, e, &self.jsonld_facts())
    }

    /// The context, `jsonld` being [`Self::jsonld`] written out.
    pub(super) fn into_context(self, s: &Shared, jsonld: String) -> Context {
        let mut ctx = s.context(self.meta);
        ctx.insert("event", &self.event);
        if let Some(note) = &self.translation {
            ctx.insert("translation", note);
        }
        ctx.insert("timeline_url", &self.timeline_url);
        ctx.insert("cite", &self.cite);
        ctx.insert("jsonld", &jsonld);
        ctx
    }
}

/// `years.html`: the list of years.
fn years(s: &Shared, path: &str) -> Context {
    let l = s.locale();
    let mut ctx = s.context(s.meta(
        l.text("years-title"),
        l.text("years-description"),
        path,
        "years",
    ));
    ctx.insert("year_list", &s.year_links);
    ctx
}

/// `year.html`: a page of one year's events, with its neighbours.
fn year(s: &Shared, path: &str, y: usize, page: usize) -> (Context, Option<Deferred>) {
    let (year, indexes) = &s.site.years[y];
    let (groups, nav) = s.list_page(indexes, List::Years, &urls::year(*year), page);
    let title = format!("{year}");
    let desc = s.locale().format(
        "year-description",
        &[
            ("count", (indexes.len() as i64).into()),
            ("year", year.to_string().into()),
        ],
    );
    let mut meta = s.meta(&title, &desc, path, "years");
    meta.pagination = nav;
    let mut ctx = s.context(meta);
    ctx.insert("year", year);
    // `year_axes` has one slot per year, as `site.years` has.
    let axis = s.year_axes[y]
        .get_or_init(|| tera::Value::from_serializable(&axis_views::year(s, *year, indexes)));
    ctx.insert("axis", axis);
    let year = *year;
    ctx.insert(
        "periods",
        &periods::on_page(s, indexes, List::Years, page, |p| p.overlaps_year(year)),
    );
    // Where the year begins on the timeline.
    let first_shown = if s.newest_first() {
        indexes.last()
    } else {
        indexes.first()
    };
    ctx.insert(
        "timeline_url",
        &format!(
            "{}#{}",
            first_shown.map_or_else(|| s.urls.to(urls::HOME), |&i| s.timeline_page_url(i)),
            urls::year_anchor(year)
        ),
    );
    ctx.insert(
        "previous_year",
        &y.checked_sub(1).and_then(|p| s.year_links.get(p)),
    );
    ctx.insert("next_year", &s.year_links.get(y + 1));
    // Every year is on the (paginated) timeline.
    ctx.insert("on_index", &true);
    ctx.insert("downloads", &year_downloads(s, year, indexes.len()));
    (ctx, Some(Deferred::Groups(groups)))
}

/// The year's shares of the site-wide exports (see `exports`): its
/// events as data, its calendar, and its TimelineJS parts.
fn year_downloads(s: &Shared, year: i32, events: usize) -> Vec<Link> {
    let link = |key: &str, label: String, path: String| Link {
        key: key.into(),
        label,
        url: s.urls.to(&path),
    };
    let mut links = vec![link(
        "json",
        urls::EVENTS_JSON.into(),
        urls::year_export(year, urls::EVENTS_JSON),
    )];
    if s.site.config.feeds.ics {
        links.push(link(
            "ics",
            urls::CALENDAR.into(),
            urls::year_export(year, urls::CALENDAR),
        ));
    }
    let parts = crate::exports::timelinejs::year_parts(s.site, year, events);
    for (path, part) in &parts {
        let label = if parts.len() > 1 {
            s.locale().format(
                "year-timelinejs-part",
                &[
                    ("part", (*part as i64).into()),
                    ("parts", (parts.len() as i64).into()),
                ],
            )
        } else {
            "TimelineJS".into()
        };
        links.push(link("timelinejs", label, path.clone()));
    }
    links
}

/// The link to a taxonomy's page, as its own page and its terms' pages show it.
fn taxonomy_link(s: &Shared, kind: TaxonomyKind) -> Link {
    Link {
        key: kind.key().into(),
        label: views::taxonomy_title(kind, s.locale()),
        url: s.urls.taxonomy(kind),
    }
}

/// `taxonomy.html`: a taxonomy's terms.
fn taxonomy(s: &Shared, path: &str, kind: TaxonomyKind) -> Context {
    let singular = views::taxonomy_singular(kind, s.locale()).to_lowercase();
    let desc = s
        .locale()
        .format("taxonomy-description", &[("label", singular.into())]);
    let title = views::taxonomy_title(kind, s.locale());
    let mut ctx = s.context(s.meta(&title, &desc, path, kind.key()));
    ctx.insert("taxonomy", &taxonomy_link(s, kind));
    ctx.insert(
        "terms",
        &s.site
            .taxonomy(kind)
            .terms
            .iter()
            .map(|t| s.term_view(kind, t))
            .collect::<Vec<_>>(),
    );
    ctx
}

/// `term.html`: a page of one term's events.
fn term(
    s: &Shared,
    path: &str,
    kind: TaxonomyKind,
    t: usize,
    page: usize,
) -> (Context, Option<Deferred>) {
    let term = &s.site.taxonomy(kind).terms[t];
    let first_path = urls::term(kind.key(), &term.slug);
    let (groups, nav) = s.list_page(&term.events, List::Terms, &first_path, page);
    let label = views::term_label(kind, term, s.locale());
    let desc = s.locale().format(
        "term-description",
        &[
            ("count", (term.events.len() as i64).into()),
            ("label", label.as_str().into()),
        ],
    );
    let mut meta = s.meta(&label, &desc, path, kind.key());
    // Every page of the term offers the term's own feed.
    meta.feeds = views::feed_links(&s.site.config, &label, &first_path);
    meta.pagination = nav;
    let mut ctx = s.context(meta);
    ctx.insert("taxonomy", &taxonomy_link(s, kind));
    ctx.insert("singular", &views::taxonomy_singular(kind, s.locale()));
    ctx.insert("term", &s.term_view(kind, term));
    (ctx, Some(Deferred::Groups(groups)))
}

/// `page.html`: a page of `content/pages`.
fn page(s: &Shared, path: &str, p: usize) -> Context {
    let page = &s.site.pages[p];
    let desc = page
        .description
        .clone()
        .unwrap_or_else(|| page.title.clone());
    let mut ctx = s.context(s.meta(&page.title, &desc, path, "pages"));
    ctx.insert("content", &page.body_html);
    s.insert_note(
        &mut ctx,
        s.site
            .edition
            .as_ref()
            .and_then(|ed| ed.page_note(&page.slug)),
    );
    ctx
}

/// `search.html`: the search page and where its index and script are.
fn search(s: &Shared, path: &str) -> Context {
    let l = s.locale();
    let mut ctx = s.context(s.meta(
        l.text("search-title"),
        l.text("search-description"),
        path,
        "search",
    ));
    ctx.insert("search_index_url", &s.urls.to(urls::SEARCH_INDEX));
    ctx.insert("search_script_url", &s.urls.asset(urls::SEARCH_SCRIPT));
    ctx.insert("archive_script_url", &s.urls.asset(urls::ARCHIVE_SCRIPT));
    ctx
}

/// `corrections.html`: every correction of the site, newest first, with
/// the address of their feed.
fn corrections(s: &Shared, path: &str) -> Context {
    let config = &s.site.config;
    let l = s.locale();
    let mut meta = s.meta(
        l.text("corrections-title"),
        l.text("corrections-lede"),
        path,
        "corrections",
    );
    let feed_url = config
        .feeds
        .atom
        .then(|| urls::under(config.base_path(), urls::CORRECTIONS_FEED));
    if let Some(url) = &feed_url {
        meta.feeds.insert(
            0,
            context::FeedLink {
                mime: "application/atom+xml",
                title: l.format(
                    "corrections-feed-title",
                    &[("site", config.title.as_str().into())],
                ),
                url: url.clone(),
            },
        );
    }
    let mut ctx = s.context(meta);
    ctx.insert(
        "corrections",
        &super::provenance::site_correction_views(s.site, &s.urls, &|i| s.entry(i), s.locale()),
    );
    ctx.insert("corrections_feed_url", &feed_url);
    ctx
}

/// `404.html`: the not-found page.
fn not_found(s: &Shared, path: &str) -> Context {
    let l = s.locale();
    s.context(s.meta(
        l.text("not-found-title"),
        l.text("not-found-description"),
        path,
        "404",
    ))
}

/// `compare.html`: a page of tracks in lanes, the default lanes or one
/// `pair` (by track term index), with embed snippets for the lanes shown.
fn compare(
    s: &Shared,
    path: &str,
    pair: Option<(usize, usize)>,
    page: usize,
) -> (Context, Option<Deferred>) {
    let site = s.site;
    let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
    let lanes = match pair {
        Some((a, b)) => vec![a, b],
        None => compare::default_lanes(tracks.len()),
    };
    // The axis is always oldest first; a page holds a stretch of the
    // compared events (a date's row may continue on the next page).
    let gathered;
    let compared = match s.compared_of(&lanes) {
        Some(compared) => compared,
        None => {
            gathered = paging::Compared::of(site, &lanes);
            &gathered
        }
    };
    let events = &compared.events;
    let per = site.config.paginate.per_page(List::Compare);
    let range = paging::display_range(events.len(), per, page, false);
    let within = match (
        events.get(range.start),
        range.end.checked_sub(1).and_then(|l| events.get(l)),
    ) {
        (Some(&lo), Some(&hi)) if !range.is_empty() => lo..hi + 1,
        _ => 0..site.events.len(),
    };
    let previous = range
        .start
        .checked_sub(1)
        .and_then(|i| events.get(i))
        .and_then(|&e| site.events.get(e))
        .map(|e| compare::RowKey::of(&e.date));
    let rows = CompareRows {
        stretch: periods::stretch(site, events, &range),
        lanes: lanes.clone(),
        pair,
        within,
        previous,
    };
    let names: Vec<&str> = lanes
        .iter()
        .filter_map(|&t| tracks.get(t))
        .map(|t| t.label.as_str())
        .collect();
    let l = s.locale();
    let joined = names.join(l.text("compare-and"));
    let title = match names.len() {
        0 => l.text("compare-title").to_string(),
        1 => l.format("compare-title-one", &[("name", joined.as_str().into())]),
        _ => l.format("compare-title-many", &[("names", joined.as_str().into())]),
    };
    let desc = if names.is_empty() {
        l.text("compare-description").to_string()
    } else {
        l.format("compare-description-many", &[("names", joined.into())])
    };
    let first_path = match pair {
        Some((a, b)) => urls::compare_pair(&tracks[a].slug, &tracks[b].slug),
        None => urls::COMPARE.to_string(),
    };
    let mut meta = s.meta(&title, &desc, path, "compare");
    meta.pagination = s.pagination(
        &first_path,
        page,
        site.config.paginate.pages(List::Compare, events.len()),
        (range.start + 1, range.end),
        events.len(),
    );
    let mut ctx = s.context(meta);
    let mut embeds = vec![s.embed_snippet(s.locale().text("embed-all-events"), urls::EMBED)];
    embeds.extend(
        lanes
            .iter()
            .filter_map(|&t| tracks.get(t))
            .map(|t| s.embed_snippet(&t.label, &urls::embed_track(&t.slug))),
    );
    // The axis of every compared event heads the first page.
    let axis = (page <= 1)
        .then(|| axis_views::compare(s, &title, &lanes, events))
        .flatten();
    ctx.insert("axis", &axis);
    ctx.insert("embeds", &embeds);
    ctx.insert("is_pair", &pair.is_some());
    ctx.insert("compare_url", &s.urls.to(urls::COMPARE));
    (ctx, Some(Deferred::Compare(rows)))
}

/// `embed.html`: the newest events of the site or of one `track` (by
/// term index), without the site's chrome.
fn embed(s: &Shared, path: &str, track: Option<usize>) -> Context {
    let site = s.site;
    let term = track.and_then(|t| site.taxonomy(TaxonomyKind::Tracks).terms.get(t));
    let (label, events, full_url) = match term {
        Some(term) => (
            term.label.clone(),
            term.events.clone(),
            s.public_url(&urls::term(TaxonomyKind::Tracks.key(), &term.slug)),
        ),
        None => (
            site.config.title.clone(),
            (0..site.events.len()).collect(),
            s.public_url(urls::HOME),
        ),
    };
    let total = events.len();
    // The newest `embed_limit`, so an `<iframe>` stays light.
    let limit = site.config.embed_limit;
    let shown: Vec<tera::Value> = events[events.len().saturating_sub(limit)..]
        .iter()
        .filter_map(|&i| s.summary(i))
        .collect();
    let desc = s.locale().format(
        "term-description",
        &[
            ("count", (total as i64).into()),
            ("label", label.as_str().into()),
        ],
    );
    let mut ctx = s.context(s.meta(&label, &desc, path, "embed"));
    ctx.insert("events", &shown);
    ctx.insert(
        "axis",
        &axis_views::embed(
            s,
            &label,
            term.map(|t| (t.label.as_str(), t.id.as_str())),
            &events,
        ),
    );
    ctx.insert("total", &total);
    ctx.insert("full_url", &full_url);
    ctx
}
