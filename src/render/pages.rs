//! What each kind of page puts in its template's context: one function per
//! page kind. Every page gets `site`, `page` and `years`; the rest is the
//! page's own (see the README's "Templates and their context"). The value
//! types are in [`crate::render::context`].

use super::{Job, Shared};
use crate::model::Term;
use crate::render::compare;
use crate::render::context::{self, FilterView, Link, PageMeta, TermView};
use crate::render::views;
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;
use tera::Context;

/// Events the timeline page holds at most (whole years, newest first);
/// older years stay on their year pages, so `index.html` stays small at
/// 10,000 events. A site at or under this size shows everything.
pub const INDEX_EVENT_BUDGET: usize = 1000;

/// Events an embed shows (the newest), so an `<iframe>` stays light.
pub const EMBED_LIMIT: usize = 100;

/// Index into `site.years` of the oldest year shown on the timeline page.
pub fn index_first_year(site: &crate::model::Site) -> usize {
    let mut total = 0;
    let mut first = site.years.len();
    for (y, (_, events)) in site.years.iter().enumerate().rev() {
        total += events.len();
        if total > INDEX_EVENT_BUDGET && first < site.years.len() {
            break;
        }
        first = y;
    }
    first
}

/// The context of the page `job`, whose path is `path`; `body` is an
/// event page's rendered body. Jobs come from the site's own routes, so
/// their indexes are in range.
pub(super) fn context(s: &Shared, job: Job, path: &str, body: &str) -> Context {
    match job {
        Job::Index => index(s, path),
        Job::Event(i) => event(s, path, i, body),
        Job::Years => years(s, path),
        Job::Year(y) => year(s, path, y),
        Job::Taxonomy(kind) => taxonomy(s, path, kind),
        Job::Term(kind, t) => term(s, path, kind, t),
        Job::Page(p) => page(s, path, p),
        Job::Search => search(s, path),
        Job::NotFound => not_found(s, path),
        Job::Compare => compare(s, path, None),
        Job::ComparePair(a, b) => compare(s, path, Some((a, b))),
        Job::Embed => embed(s, path, None),
        Job::EmbedTrack(t) => embed(s, path, Some(t)),
    }
}

impl Shared<'_> {
    fn meta(&self, title: &str, description: &str, path: &str, section: &'static str) -> PageMeta {
        let config = &self.site.config;
        let canonical = config
            .has_absolute_base_url()
            .then(|| urls::under(config.base_url(), path));
        PageMeta {
            title: title.to_string(),
            description: description.to_string(),
            canonical,
            path: path.to_string(),
            section,
            feeds: views::feed_links(config, title, path),
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
        TermView {
            key: t.slug.clone(),
            label: t.label.clone(),
            url: self.urls.term(kind, &t.slug),
            count: t.events.len(),
            description: t.description.as_deref(),
            roles: &t.roles,
        }
    }

    /// Events (given chronologically) grouped by year and month, in the
    /// site's display order.
    fn groups(&self, indexes: &[usize]) -> Vec<context::YearGroup> {
        views::group_by_month(
            self.site,
            &self.urls,
            &self.summary_values,
            indexes,
            self.newest_first(),
        )
    }

    fn newest_first(&self) -> bool {
        self.site.config.order == crate::config::Order::NewestFirst
    }
}

/// `index.html`: the timeline of the newest whole years, with filters.
fn index(s: &Shared, path: &str) -> Context {
    let site = s.site;
    let first = index_first_year(site);
    let all: Vec<usize> = site.years[first..]
        .iter()
        .flat_map(|(_, ev)| ev.iter().copied())
        .collect();
    let desc = site
        .config
        .description
        .clone()
        .unwrap_or_else(|| format!("A timeline of {} events.", site.events.len()));
    let mut ctx = s.context(s.meta(&site.config.title, &desc, path, "timeline"));
    // Years left to their own pages, and where the page starts.
    ctx.insert("earlier_years", &s.year_links[..first]);
    ctx.insert(
        "first_year",
        &site.years.get(first).map_or(i32::MIN, |(y, _)| *y),
    );
    ctx.insert("shown_count", &all.len());
    ctx.insert("newest_first", &s.newest_first());
    ctx.insert("groups", &s.groups(&all));
    let filters: Vec<FilterView> = TaxonomyKind::ALL
        .iter()
        .map(|&k| FilterView {
            key: k.key(),
            label: k.singular(),
            terms: site
                .taxonomy(k)
                .terms
                .iter()
                .map(|t| s.term_view(k, t))
                .collect(),
        })
        .collect();
    ctx.insert("filters", &filters);
    // Statuses in use, in their fixed order, for the status filter.
    let statuses: Vec<serde_json::Value> = crate::content::event::Status::ALL
        .iter()
        .filter_map(|&key| {
            let mut of = site.events.iter().filter(|e| e.status.key() == key);
            let label = of.next()?.status.label();
            Some(serde_json::json!({"key": key, "label": label, "count": 1 + of.count()}))
        })
        .collect();
    ctx.insert("statuses", &statuses);
    // Filters that must cover events beyond this page read the index.
    if site.config.search && all.len() < site.events.len() {
        ctx.insert("search_index_url", &s.urls.to(urls::SEARCH_INDEX));
        ctx.insert("archive_script_url", &s.urls.to(urls::ARCHIVE_SCRIPT));
    }
    ctx
}

/// `event.html`: one event, and where it sits on the timeline.
fn event(s: &Shared, path: &str, i: usize, body: &str) -> Context {
    let site = s.site;
    let page = views::event_page(site, &s.urls, &s.links, i, body);
    let e = &site.events[i];
    let mut ctx = s.context(s.meta(&e.title, &e.summary, path, "events"));
    ctx.insert("event", &page);
    let year = site.years.partition_point(|(y, _)| *y < e.date.year);
    ctx.insert(
        "timeline_url",
        &if year >= index_first_year(site) {
            format!("{}#{}", s.urls.to(urls::HOME), e.slug)
        } else {
            format!("{}#{}", s.urls.year(e.date.year), e.slug)
        },
    );
    ctx
}

/// `years.html`: the list of years.
fn years(s: &Shared, path: &str) -> Context {
    let mut ctx = s.context(s.meta("Years", "Events by year.", path, "years"));
    ctx.insert("year_list", &s.year_links);
    ctx
}

/// `year.html`: one year's events, with its neighbours.
fn year(s: &Shared, path: &str, y: usize) -> Context {
    let (year, indexes) = &s.site.years[y];
    let title = format!("{year}");
    let desc = format!("{} events in {year}.", indexes.len());
    let mut ctx = s.context(s.meta(&title, &desc, path, "years"));
    ctx.insert("year", year);
    ctx.insert("groups", &s.groups(indexes));
    ctx.insert(
        "previous_year",
        &y.checked_sub(1).and_then(|p| s.year_links.get(p)),
    );
    ctx.insert("next_year", &s.year_links.get(y + 1));
    ctx.insert("on_index", &(y >= index_first_year(s.site)));
    ctx
}

/// The link to a taxonomy's page, as its own page and its terms' pages show it.
fn taxonomy_link(s: &Shared, kind: TaxonomyKind) -> Link {
    Link {
        key: kind.key().into(),
        label: kind.title().into(),
        url: s.urls.taxonomy(kind),
    }
}

/// `taxonomy.html`: a taxonomy's terms.
fn taxonomy(s: &Shared, path: &str, kind: TaxonomyKind) -> Context {
    let desc = format!("Events by {}.", kind.singular().to_lowercase());
    let mut ctx = s.context(s.meta(kind.title(), &desc, path, kind.key()));
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

/// `term.html`: one term's events.
fn term(s: &Shared, path: &str, kind: TaxonomyKind, t: usize) -> Context {
    let term = &s.site.taxonomy(kind).terms[t];
    let desc = format!("{} events: {}.", term.events.len(), term.label);
    let mut ctx = s.context(s.meta(&term.label, &desc, path, kind.key()));
    ctx.insert("taxonomy", &taxonomy_link(s, kind));
    ctx.insert("singular", kind.singular());
    ctx.insert("term", &s.term_view(kind, term));
    ctx.insert("groups", &s.groups(&term.events));
    ctx
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
    ctx
}

/// `search.html`: the search page and where its index and script are.
fn search(s: &Shared, path: &str) -> Context {
    let mut ctx = s.context(s.meta(
        "Search",
        "Search every event of the timeline.",
        path,
        "search",
    ));
    ctx.insert("search_index_url", &s.urls.to(urls::SEARCH_INDEX));
    ctx.insert("search_script_url", &s.urls.to(urls::SEARCH_SCRIPT));
    ctx.insert("archive_script_url", &s.urls.to(urls::ARCHIVE_SCRIPT));
    ctx
}

/// `404.html`: the not-found page.
fn not_found(s: &Shared, path: &str) -> Context {
    s.context(s.meta("Page not found", "This page does not exist.", path, "404"))
}

/// `compare.html`: tracks in lanes, the default lanes or one `pair` (by
/// track term index), with embed snippets for the lanes shown.
fn compare(s: &Shared, path: &str, pair: Option<(usize, usize)>) -> Context {
    let site = s.site;
    let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
    let lanes = match pair {
        Some((a, b)) => vec![a, b],
        None => compare::default_lanes(tracks.len()),
    };
    let view = compare::view(site, &s.urls, &|i| s.summary(i), &lanes, pair);
    let names: Vec<&str> = view.lanes.iter().map(|l| l.label.as_str()).collect();
    let title = match names.len() {
        0 => "Compare tracks".to_string(),
        1 => format!("{} on one time axis", names[0]),
        _ => format!("{} side by side", names.join(" and ")),
    };
    let desc = if names.is_empty() {
        "Tracks side by side on one time axis.".to_string()
    } else {
        format!(
            "{} on one time axis: which talks moved in step and which did not.",
            names.join(" and ")
        )
    };
    let mut ctx = s.context(s.meta(&title, &desc, path, "compare"));
    let mut embeds = vec![s.embed_snippet("All events", urls::EMBED)];
    embeds.extend(
        lanes
            .iter()
            .filter_map(|&t| tracks.get(t))
            .map(|t| s.embed_snippet(&t.label, &urls::embed_track(&t.slug))),
    );
    ctx.insert("compare", &view);
    ctx.insert("embeds", &embeds);
    ctx.insert("is_pair", &pair.is_some());
    ctx.insert("compare_url", &s.urls.to(urls::COMPARE));
    ctx
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
    let shown: Vec<tera::Value> = events[events.len().saturating_sub(EMBED_LIMIT)..]
        .iter()
        .filter_map(|&i| s.summary(i))
        .collect();
    let desc = format!("{total} events: {label}.");
    let mut ctx = s.context(s.meta(&label, &desc, path, "embed"));
    ctx.insert("events", &shown);
    ctx.insert("total", &total);
    ctx.insert("full_url", &full_url);
    ctx
}
