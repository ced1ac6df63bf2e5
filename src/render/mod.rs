//! Render stage: compiles the theme's Tera templates once, lists every
//! page of the site with its path ([`Routes`], worked out once per model),
//! prepares what all pages share ([`Prepared`]) and renders the pages in
//! parallel into a [`Sink`]. What each kind of page puts in its template's
//! context is in `pages`; the values themselves are [`crate::render::context`].

use crate::config::paginate::List;
use crate::content::event::Event;
use crate::diagnostic::{Diagnostic, Pos};
use crate::exports::citation;
use crate::model::Site;
use crate::output::{FileReuse, Sink};
use crate::urls::{self, Urls};
use crate::values::digest::Numbers;
use crate::values::taxonomy::TaxonomyKind;
use context::YearLink;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

mod axis;
mod axis_views;
mod cite;
pub mod compare;
mod compare_pages;
pub mod context;
mod deferred;
pub mod editions;
mod event_inputs;
mod jsonld;
mod media_views;
mod pages;
mod paging;
mod periods;
pub mod provenance;
pub mod reuse;
mod summary;
mod templates;
pub mod theme;
pub mod views;

pub use templates::Templates;

/// One page to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
///
/// List pages carry their page number last (from 1; page 1 is the list's
/// own URL, see [`urls::paged`]).
pub enum Job {
    /// A page of the timeline.
    Index(usize),
    Event(usize),
    Years,
    /// A page of a year's events, by index into `site.years`.
    Year(usize, usize),
    Taxonomy(TaxonomyKind),
    /// A page of a term's events, by term index.
    Term(TaxonomyKind, usize, usize),
    Page(usize),
    NotFound,
    Search,
    /// `corrections/`: every correction of the site.
    Corrections,
    /// `compare/index.html`: the default lanes.
    Compare(usize),
    /// `compare/<a>--<b>/index.html`: two tracks by term index.
    ComparePair(usize, usize, usize),
    /// `embed/index.html`: the chrome-free view for an `<iframe>`.
    Embed,
    /// `embed/<track>/index.html`.
    EmbedTrack(usize),
}

/// The template that renders a page.
fn template_of(job: Job) -> &'static str {
    match job {
        Job::Index(_) => "index.html",
        Job::Event(_) => "event.html",
        Job::Years => "years.html",
        Job::Year(..) => "year.html",
        Job::Taxonomy(_) => "taxonomy.html",
        Job::Term(..) => "term.html",
        Job::Page(_) => "page.html",
        Job::NotFound => "404.html",
        Job::Search => "search.html",
        Job::Corrections => "corrections.html",
        Job::Compare(_) | Job::ComparePair(..) => "compare.html",
        Job::Embed | Job::EmbedTrack(_) => "embed.html",
    }
}

/// Every page of the site, in render order.
fn jobs(site: &Site) -> Vec<Job> {
    let paginate = &site.config.paginate;
    let pages = |list, entries| 1..=paginate.pages(list, entries);
    let mut jobs: Vec<Job> = pages(List::Timeline, site.events.len())
        .map(Job::Index)
        .collect();
    jobs.extend([Job::Years, Job::NotFound]);
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.push(Job::Corrections);
    jobs.extend((0..site.events.len()).map(Job::Event));
    for (y, (_, events)) in site.years.iter().enumerate() {
        jobs.extend(pages(List::Years, events.len()).map(|n| Job::Year(y, n)));
    }
    for kind in TaxonomyKind::ALL {
        jobs.push(Job::Taxonomy(kind));
        for (t, term) in site.taxonomy(kind).terms.iter().enumerate() {
            jobs.extend(pages(List::Terms, term.events.len()).map(|n| Job::Term(kind, t, n)));
        }
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    let tracks = site.taxonomy(TaxonomyKind::Tracks).terms.len();
    let default_lanes = crate::render::compare::default_lanes(tracks);
    jobs.extend((1..=paging::compare_pages(site, &default_lanes)).map(Job::Compare));
    for (a, b) in crate::render::compare::pairs(tracks) {
        jobs.extend((1..=paging::compare_pages(site, &[a, b])).map(|n| Job::ComparePair(a, b, n)));
    }
    jobs.push(Job::Embed);
    jobs.extend((0..tracks).map(Job::EmbedTrack));
    jobs
}

/// The path of a page under the base path (see [`crate::urls`]). Only
/// [`Routes::new`] calls it, with jobs listed from the same site.
fn page_path(site: &Site, job: Job) -> String {
    match job {
        Job::Index(n) => urls::paged(urls::HOME, n),
        Job::Event(i) => urls::event(&site.events[i].slug),
        Job::Years => urls::YEARS.into(),
        Job::Year(y, n) => urls::paged(&urls::year(site.years[y].0), n),
        Job::Taxonomy(kind) => urls::taxonomy(kind.key()),
        Job::Term(kind, t, n) => urls::paged(
            &urls::term(kind.key(), &site.taxonomy(kind).terms[t].slug),
            n,
        ),
        Job::Page(p) => urls::page(&site.pages[p].slug),
        Job::NotFound => urls::NOT_FOUND.into(),
        Job::Search => urls::SEARCH.into(),
        Job::Corrections => urls::CORRECTIONS.into(),
        Job::Compare(n) => urls::paged(urls::COMPARE, n),
        Job::ComparePair(a, b, n) => {
            let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
            urls::paged(&urls::compare_pair(&tracks[a].slug, &tracks[b].slug), n)
        }
        Job::Embed => urls::EMBED.into(),
        Job::EmbedTrack(t) => urls::embed_track(&site.taxonomy(TaxonomyKind::Tracks).terms[t].slug),
    }
}

/// A page of the site and where it goes.
#[derive(Debug, Clone)]
pub struct Route {
    pub job: Job,
    /// Path under the base path, e.g. `events/x/` (see [`crate::urls`]).
    pub path: Box<str>,
}

impl Route {
    /// Output file relative to the output root, e.g. `events/x/index.html`.
    /// (Made when asked for: a site holds a route for every page.)
    pub fn file(&self) -> String {
        urls::file_of(&self.path)
    }
}

/// Every page of the site with its path and output file, worked out once
/// per model: rendering, the static-file collision check, the sitemap,
/// `check`'s link report and `serve` all read this table.
#[derive(Debug, Default)]
pub struct Routes {
    /// In render order.
    routes: Vec<Route>,
    /// Indexes into `routes`, ordered by job: four bytes a page where a
    /// hash map took about forty (a site of 1,000,000 events has over a
    /// million pages).
    by_job: Vec<u32>,
    /// Indexes into `routes`, ordered by output file.
    by_file: Vec<u32>,
}

impl Routes {
    pub fn new(site: &Site) -> Routes {
        let routes: Vec<Route> = jobs(site)
            .into_iter()
            .map(|job| Route {
                job,
                path: page_path(site, job).into(),
            })
            .collect();
        let mut by_job: Vec<u32> = (0..routes.len() as u32).collect();
        by_job.sort_unstable_by_key(|&i| routes[i as usize].job);
        let mut by_file: Vec<u32> = (0..routes.len() as u32).collect();
        by_file.sort_by(|&a, &b| {
            urls::file_bytes_of(&routes[a as usize].path)
                .cmp(urls::file_bytes_of(&routes[b as usize].path))
        });
        Routes {
            routes,
            by_job,
            by_file,
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Route> {
        self.routes.iter()
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The route of a page; `None` for a job this site does not have.
    pub fn of_job(&self, job: Job) -> Option<&Route> {
        self.index_of(job).map(|i| &self.routes[i])
    }

    /// The index in render order of a job's page.
    fn index_of(&self, job: Job) -> Option<usize> {
        let at = self
            .by_job
            .partition_point(|&i| self.routes[i as usize].job < job);
        let i = *self.by_job.get(at)? as usize;
        (self.routes[i].job == job).then_some(i)
    }

    /// The page written to `file` (relative to the output root).
    pub fn of_file(&self, file: &str) -> Option<&Route> {
        let by_file = |&i: &u32| self.routes.get(i as usize);
        let at = self.by_file.partition_point(|i| {
            by_file(i).is_some_and(|r| urls::file_bytes_of(&r.path).lt(file.bytes()))
        });
        self.by_file
            .get(at)
            .and_then(by_file)
            .filter(|r| urls::file_bytes_of(&r.path).eq(file.bytes()))
    }

    /// Page paths ordered by output file, as the sitemap lists them.
    pub fn sitemap_order(&self) -> impl Iterator<Item = &str> {
        self.by_file
            .iter()
            .filter_map(|&i| self.routes.get(i as usize))
            .map(|r| &*r.path)
    }
}

impl crate::exports::PagePaths for Routes {
    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.sitemap_order())
    }
}

/// The most events whose list entries' template values are kept once
/// made (see [`Prepared::entry_values`]): about 150 MB of them.
const KEPT_ENTRY_VALUES: usize = 32_768;

/// The most events whose list entries' rendered HTML alone is kept once
/// made, when there are too many to keep their values (see
/// [`Prepared::entry_htmls`]): about 1 KB each, 256 MB at most.
const KEPT_ENTRY_HTMLS: usize = 262_144;

/// What a build keeps of each list entry once a page has made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKeeping {
    Values,
    Html,
    Nothing,
}

impl EntryKeeping {
    /// By the number of events, unless `ANNALS_KEEP_ENTRIES` names one
    /// (`values`, `html`, `none`): the pages are the same whichever is
    /// kept, and tests hold each to that on a small site. With
    /// `light_lists` (see [`Templates::lists_read_only_entry_html`]) the
    /// HTML is kept at every size up to its bound: the lists then take it
    /// alone, as fast as a kept value and in a quarter less memory.
    fn for_events(events: usize, light_lists: bool) -> EntryKeeping {
        match std::env::var("ANNALS_KEEP_ENTRIES").as_deref() {
            Ok("values") => EntryKeeping::Values,
            Ok("html") => EntryKeeping::Html,
            Ok("none") => EntryKeeping::Nothing,
            _ if events <= KEPT_ENTRY_VALUES && !light_lists => EntryKeeping::Values,
            _ if events <= KEPT_ENTRY_HTMLS => EntryKeeping::Html,
            _ => EntryKeeping::Nothing,
        }
    }
}

/// Everything shared by all pages, computed once per model (per build,
/// or per change in `serve`).
pub struct Prepared {
    routes: Arc<Routes>,
    urls: Urls,
    links: views::TermLinks,
    /// Every event's list entry (see [`Summaries`]).
    summaries: Summaries,
    /// Each list entry's template value once a page has made it, when the
    /// site has at most [`KEPT_ENTRY_VALUES`] events (empty otherwise).
    /// An entry is listed on a dozen or more pages (its year, kind,
    /// countries, tracks, tags, participants, the timeline, comparisons),
    /// so making it once saves most of the work of list pages; above the
    /// limit, memory would grow by about 4.7 KB an event (the value and
    /// its rendered entry), so larger sites make the value for each page
    /// (from the kept HTML, see `entry_htmls`).
    entry_values: Box<[std::sync::OnceLock<tera::Value>]>,
    /// Each list entry's rendered HTML once a page has made it, when the
    /// site has more than [`KEPT_ENTRY_VALUES`] events and at most
    /// [`KEPT_ENTRY_HTMLS`] (empty otherwise): rendering the entry is most
    /// of the work of making its value, which is then made for each page
    /// from the HTML (`None`: the theme renders its own entries).
    entry_htmls: Box<[std::sync::OnceLock<Option<Arc<str>>>]>,
    /// Each year's time axis once a page of the year has drawn it: every
    /// page of a long year shows the same axis.
    year_axes: Box<[std::sync::OnceLock<tera::Value>]>,
    /// Every event's index, in order: the timeline's list.
    all_events: Vec<usize>,
    site_value: tera::Value,
    /// The timeline's filters, the same on each of its pages.
    filters_value: tera::Value,
    year_links: Vec<YearLink>,
    years_value: tera::Value,
    /// The statuses in use, in their fixed order, with their counts, for
    /// the timeline's status filter.
    statuses: Vec<serde_json::Value>,
    /// The source reliability tiers in use, for the timeline's source filter.
    source_tiers: Vec<serde_json::Value>,
    terms: Vec<Vec<(String, String, String)>>,
    /// Every period's template value, in the site's order.
    period_values: Vec<tera::Value>,
    /// What the periods are (see [`periods::table`]).
    period_table: Vec<String>,
    /// What each comparison's pages read, by lanes (track term indexes),
    /// so a page of a comparison does not gather it again: worked out on
    /// first use (see [`Shared::compared_of`]), as `serve` prepares anew
    /// on each change and most changes are not followed by a compare page.
    compared: std::sync::OnceLock<HashMap<Vec<usize>, paging::Compared>>,
    /// The interface language the shared values are written in.
    locale: Arc<crate::i18n::Locale>,
    /// The fingerprints of the shared values above, for incremental builds
    /// (worked out on first use: `check` and `serve` need none).
    memo: std::sync::OnceLock<reuse::Memo>,
}

/// Every event's list entry, held as a plain struct (a fraction of a
/// template map's size) and made a template value for each page that lists
/// it (see [`Shared::summary`]).
enum Summaries {
    /// Made once per event, when a page first needs it (a rebuild renders
    /// few list pages), and held for the whole build.
    Kept(Box<[std::sync::OnceLock<Arc<context::EventSummary>>]>),
    /// Made again for each page that needs one, when the build keeps
    /// nothing else of its entries either (see [`EntryKeeping`]): at archive
    /// scale the entries alone would hold about half a kilobyte an event
    /// to the end of the build.
    Made,
}

/// Every term's identity, slug and label: when these are unchanged, a
/// summary depends only on its own event.
fn term_table(site: &Site) -> Vec<Vec<(String, String, String)>> {
    site.taxonomies
        .iter()
        .map(|t| {
            t.terms
                .iter()
                .map(|term| (term.id.clone(), term.slug.clone(), term.label.clone()))
                .collect()
        })
        .collect()
}

impl Prepared {
    pub fn new(site: &Site, locale: Arc<crate::i18n::Locale>) -> Prepared {
        Prepared::reusing(site, Arc::new(Routes::new(site)), None, locale, false)
    }

    /// The interface language of the pages.
    pub fn locale(&self) -> &crate::i18n::Locale {
        &self.locale
    }

    /// What `site`'s pages share when rendered with `templates` in the
    /// site's language, its `routes` already made.
    pub fn for_templates(site: &Site, routes: Arc<Routes>, templates: &Templates) -> Prepared {
        Prepared::reusing(
            site,
            routes,
            None,
            templates.locale_for(&site.config.language).clone(),
            templates.lists_read_only_entry_html(),
        )
    }

    /// Like `new`, with the site's `routes` already made, taking the
    /// summaries of unchanged events from `previous` when the site's terms
    /// and base path are the same; `light_lists` when the pages will be
    /// rendered with templates that read only an entry's HTML in lists
    /// ([`Templates::lists_read_only_entry_html`]).
    pub fn reusing(
        site: &Site,
        routes: Arc<Routes>,
        previous: Option<&Prepared>,
        locale: Arc<crate::i18n::Locale>,
        light_lists: bool,
    ) -> Prepared {
        let urls = Urls::with_assets(site.config.base_path(), site.assets.clone());
        let terms = term_table(site);
        let period_table = periods::table(site);
        let keeping = EntryKeeping::for_events(site.events.len(), light_lists);
        let reusable: HashMap<usize, &Arc<context::EventSummary>> = match previous {
            Some(Prepared {
                summaries: Summaries::Kept(kept),
                terms: previous_terms,
                period_table: previous_periods,
                urls: previous_urls,
                locale: previous_locale,
                ..
            }) if *previous_terms == terms
                && *previous_periods == period_table
                && previous_urls.base() == urls.base()
                && Arc::ptr_eq(previous_locale, &locale) =>
            {
                kept.iter()
                    .filter_map(std::sync::OnceLock::get)
                    .map(|v| (Arc::as_ptr(&v.event) as usize, v))
                    .collect()
            }
            _ => HashMap::new(),
        };
        let links = views::TermLinks::new(site, &urls, locale.clone());
        let summaries = match keeping {
            EntryKeeping::Nothing => Summaries::Made,
            _ => Summaries::Kept(
                site.events
                    .iter()
                    .map(|e| match reusable.get(&(Arc::as_ptr(e) as usize)) {
                        Some(v) => std::sync::OnceLock::from(Arc::clone(v)),
                        None => std::sync::OnceLock::new(),
                    })
                    .collect(),
            ),
        };
        let year_links: Vec<YearLink> = site
            .years
            .iter()
            .map(|(y, ev)| YearLink {
                year: *y,
                url: urls.year(*y),
                id: format!("y{y:04}"),
                count: ev.len(),
            })
            .collect();
        let period_values = periods::views(site, &urls, &year_links, &locale);
        let site_value = tera::Value::from_serializable(&views::site_view(site, &urls, &locale));
        let years_value = tera::Value::from_serializable(&year_links);
        let filters_value = tera::Value::from_serializable(&views::filters(site, &urls, &locale));
        let mut counts = std::collections::BTreeMap::new();
        for e in site.events.iter() {
            let entry = counts
                .entry(e.status.key())
                .or_insert((views::status_label(e.status, &locale), 0));
            entry.1 += 1;
        }
        let statuses = crate::content::event::Status::ALL
            .iter()
            .filter_map(|key| {
                let (label, count) = counts.get(key)?;
                Some(serde_json::json!({"key": key, "label": label, "count": count}))
            })
            .collect();
        Prepared {
            routes,
            statuses,
            source_tiers: provenance::tier_filter(site, &locale),
            site_value,
            filters_value,
            urls,
            links,
            entry_values: one_each(&site.events, keeping == EntryKeeping::Values),
            entry_htmls: one_each(&site.events, keeping == EntryKeeping::Html),
            year_axes: site.years.iter().map(|_| Default::default()).collect(),
            all_events: (0..site.events.len()).collect(),
            summaries,
            years_value,
            year_links,
            terms,
            period_values,
            period_table,
            compared: std::sync::OnceLock::new(),
            locale,
            memo: std::sync::OnceLock::new(),
        }
    }

    /// The list entry of `e`, event `i` of `site` (the site this was
    /// prepared for): the kept one, or made now.
    fn summary_of(&self, site: &Site, i: usize, e: &Arc<Event>) -> Arc<context::EventSummary> {
        let make = || Arc::new(views::summary(site, &self.urls, &self.links, e));
        match &self.summaries {
            Summaries::Kept(kept) => match kept.get(i) {
                Some(cell) => Arc::clone(cell.get_or_init(make)),
                None => make(),
            },
            Summaries::Made => make(),
        }
    }

    /// Event `i`'s list entry, when the build keeps them (see [`Summaries`])
    /// and a page has made it already.
    fn kept_summary(&self, i: usize) -> Option<&Arc<context::EventSummary>> {
        match &self.summaries {
            Summaries::Kept(kept) => kept.get(i)?.get(),
            Summaries::Made => None,
        }
    }

    /// The fingerprints of the values every page of `site` (the site this
    /// was prepared for) shares (see [`reuse::Memo`]).
    fn memo(&self, site: &Site) -> &reuse::Memo {
        self.memo.get_or_init(|| {
            reuse::Memo::of(
                site.events.len(),
                |i| event_inputs::entry_fingerprint(site, i),
                self.period_values.iter().chain([
                    &self.site_value,
                    &self.years_value,
                    &self.filters_value,
                ]),
            )
        })
    }

    /// Every page of the site and where it goes.
    pub fn routes(&self) -> &Routes {
        &self.routes
    }
}

/// An empty slot for each of `items` when `keep`, else none.
fn one_each<T, K: Default>(items: &[T], keep: bool) -> Box<[K]> {
    if keep {
        items.iter().map(|_| K::default()).collect()
    } else {
        Box::default()
    }
}

/// A site and its prepared views: what rendering one page reads.
#[derive(Clone, Copy)]
struct Shared<'s> {
    site: &'s Site,
    prepared: &'s Prepared,
    entries: Entries,
    /// The templates, when list entries are rendered once and kept (see
    /// [`Prepared::entry_values`]).
    templates: Option<&'s Templates>,
}

/// What a context holds for each list entry it shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entries {
    /// The entry, for a template to render.
    Full,
    /// Only the entry's fingerprint, where it has one: the context is made
    /// to be fingerprinted, and rendered only if made again in full.
    Fingerprints,
}

impl std::ops::Deref for Shared<'_> {
    type Target = Prepared;

    fn deref(&self) -> &Prepared {
        self.prepared
    }
}

impl Shared<'_> {
    /// What the comparison of `lanes` reads, when it is one of the site's
    /// compare pages.
    fn compared_of(&self, lanes: &[usize]) -> Option<&paging::Compared> {
        self.prepared
            .compared
            .get_or_init(|| paging::compared_by_lanes(self.site))
            .get(lanes)
    }

    /// Event `i`'s list entry (see [`Summaries`]); `None` past the last
    /// event.
    fn entry(&self, i: usize) -> Option<Arc<context::EventSummary>> {
        Some(self.entry_of(i, self.site.events.get(i)?))
    }

    /// The list entry of `e`, event `i`.
    fn entry_of(&self, i: usize, e: &Arc<Event>) -> Arc<context::EventSummary> {
        self.prepared.summary_of(self.site, i, e)
    }

    /// The short reference to event `i` (relations, previous and next):
    /// from its kept entry, or made without making an entry.
    fn event_ref(&self, i: usize) -> Option<context::EventRef> {
        let e = self.site.events.get(i)?;
        Some(match self.kept_summary(i) {
            Some(kept) => context::EventRef::of(kept),
            None => views::event_ref(&self.urls, &self.links.locale, e),
        })
    }

    /// The fingerprints of the values every page shares.
    fn memo(&self) -> &reuse::Memo {
        self.prepared.memo(self.site)
    }

    /// Event `i`'s list entry as a template value. Once the build has
    /// asked for fingerprints, the value carries its entry's fingerprint,
    /// so a page's fingerprint takes it instead of walking the entry.
    fn summary(&self, i: usize) -> Option<tera::Value> {
        let memo = self.memo.get();
        let fingerprint = memo.and_then(|m| m.summary(i));
        // Before the entry is made: at archive scale entries are not kept,
        // and a stand-in reads nothing of its entry.
        if let (Entries::Fingerprints, Some(fingerprint)) = (self.entries, fingerprint)
            && i < self.site.events.len()
        {
            return Some(reuse::entry_stand_in(fingerprint));
        }
        let summary = &*self.entry(i)?;
        // Kept only once the memo is made, so every kept value carries the
        // fingerprint a fresh one would.
        if let Some(kept) = memo.and(self.entry_values.get(i)) {
            return Some(
                kept.get_or_init(|| self.rendered_entry(summary, fingerprint))
                    .clone(),
            );
        }
        Some(match self.kept_html(i, summary, fingerprint) {
            Some(html) => summary.value_with_entry(&self.links, fingerprint, html),
            None => summary.value(&self.links, fingerprint),
        })
    }

    /// Event `i`'s entry in a list of groups (`partials/groups.html`). When
    /// the templates read nothing of it but its kept HTML (see
    /// [`Templates::lists_read_only_entry_html`]), only that HTML and the
    /// fingerprint: at archive scale an entry is on a dozen list pages, and
    /// making its whole value for each was an eighth of a build.
    fn listed(&self, i: usize) -> Option<tera::Value> {
        if let Some((summary, fingerprint)) = self.light(i, Templates::lists_read_only_entry_html)
            && let Some(html) = self.kept_html(i, &summary, fingerprint)
        {
            return Some(summary::without_fields(Some(html), fingerprint));
        }
        self.summary(i)
    }

    /// Event `i` in a cell of a comparison. When every template is the
    /// built-in one, only what the built-in comparison shows of it (see
    /// [`Templates::compare_cells_read_only_their_basics`]): an event is in
    /// a cell on as many comparison pages as the site has tracks.
    fn compared(&self, i: usize) -> Option<tera::Value> {
        match self.light(i, Templates::compare_cells_read_only_their_basics) {
            Some((summary, fingerprint)) => Some(summary.cell_value(&self.links, fingerprint)),
            None => self.summary(i),
        }
    }

    /// Event `i`'s entry and fingerprint, when this page's entries are whole
    /// (not fingerprints standing in) and the templates read no more of
    /// them than `reads_less` says: a page may then take less of the entry.
    fn light(
        &self,
        i: usize,
        reads_less: fn(&Templates) -> bool,
    ) -> Option<(
        Arc<context::EventSummary>,
        Option<crate::output::manifest::Fingerprint>,
    )> {
        if self.entries != Entries::Full || !self.templates.is_some_and(reads_less) {
            return None;
        }
        let summary = self.entry(i)?;
        Some((summary, self.memo.get().and_then(|m| m.summary(i))))
    }

    /// Event `i`'s entry HTML when this build keeps it (rendered on first
    /// use), which only begins once the memo is made, so the entry it is
    /// made from carries the fingerprint a fresh one would.
    fn kept_html(
        &self,
        i: usize,
        summary: &context::EventSummary,
        fingerprint: Option<crate::output::manifest::Fingerprint>,
    ) -> Option<&str> {
        let kept = self.memo.get().and(self.entry_htmls.get(i))?;
        kept.get_or_init(|| {
            self.entry_html(&summary.value(&self.links, fingerprint))
                .map(Arc::from)
        })
        .as_deref()
    }

    /// A list entry's value with its HTML rendered once, to be copied into
    /// every list page that shows it (the plain value when the theme's
    /// entry partial is its own).
    fn rendered_entry(
        &self,
        summary: &context::EventSummary,
        fingerprint: Option<crate::output::manifest::Fingerprint>,
    ) -> tera::Value {
        let value = summary.value(&self.links, fingerprint);
        match self.entry_html(&value) {
            Some(html) => summary.value_with_entry(&self.links, fingerprint, &html),
            None => value,
        }
    }

    /// A list entry's HTML, from its `value`, when the theme's entry
    /// partial is the built-in one (see [`Templates::entry_html`]).
    fn entry_html(&self, value: &tera::Value) -> Option<String> {
        self.templates
            .and_then(|t| t.entry_html(value, &self.site_value))
    }

    /// Renders one page; `body` is an event page's rendered body ("" for
    /// other pages).
    fn render_route(
        &self,
        templates: &Templates,
        route: &Route,
        body: &str,
    ) -> Result<String, Diagnostic> {
        let ctx = pages::context(self, route.job, &route.path, body);
        templates.render(template_of(route.job), &ctx)
    }

    /// Renders one page and writes it into `sink`, or links its previous
    /// file when `reuse` finds it made from the same inputs.
    fn write_route(
        &self,
        templates: &Templates,
        route: &Route,
        body: &str,
        sink: &dyn Sink,
        reuse: Option<&reuse::Reuse>,
    ) -> Result<(), RenderFailure> {
        if let Job::Event(i) = route.job {
            return self.write_event(templates, route, i, body, sink, reuse);
        }
        // A page that may be linked from the previous output is first made
        // with its list entries' fingerprints alone, which is all its
        // fingerprint reads of them.
        let stand_ins = reuse.is_some_and(reuse::Reuse::may_link);
        let first = Shared {
            entries: if stand_ins {
                Entries::Fingerprints
            } else {
                Entries::Full
            },
            ..*self
        };
        let (mut ctx, deferred) = pages::context_parts(&first, route.job, &route.path, body);
        let template = template_of(route.job);
        let file = route.file();
        let (fingerprint, linked) = reuse::Plan::split(reuse.map(|r| {
            // A list page's entries go in by the digest of the part that
            // shows them, unmade.
            let fingerprint = match deferred.as_ref().map(|d| d.digest(self)) {
                Some(Some(part)) => reuse::fingerprint(template, &ctx, self.memo())
                    .map(|page| Numbers::new("list page").u128(page).u128(part).finish()),
                Some(None) | None => {
                    let mut whole = ctx.clone();
                    if let Some(deferred) = &deferred {
                        deferred.insert_into(&mut whole, &first);
                    }
                    reuse::fingerprint(template, &whole, self.memo())
                }
            };
            r.plan_by(fingerprint, &file, sink)
        }));
        if !linked {
            // Only entries stand in for what a context shows, and a list
            // page's entries are made now, in full.
            if let Some(deferred) = deferred {
                deferred.insert_into(&mut ctx, self);
            } else if stand_ins {
                ctx = pages::context(self, route.job, &route.path, body);
            }
            let html = templates
                .render(template, &ctx)
                .map_err(RenderFailure::Template)?;
            write_page(sink, reuse, &file, fingerprint, html.as_bytes())?;
        }
        Ok(())
    }

    /// [`Self::write_route`] for event `i`'s page and its citation files.
    /// With `reuse`, the page's fingerprint comes from what it is made of
    /// (see [`event_inputs`]), and its context is made only when the page
    /// is rendered: a rebuild renders few of its event pages.
    fn write_event(
        &self,
        templates: &Templates,
        route: &Route,
        i: usize,
        body: &str,
        sink: &dyn Sink,
        reuse: Option<&reuse::Reuse>,
    ) -> Result<(), RenderFailure> {
        let file = route.file();
        let (fingerprint, linked) = reuse::Plan::split(
            reuse.map(|r| r.plan_by(self.event_fingerprint(i, &route.path, body), &file, sink)),
        );
        if !linked {
            let parts = pages::event_parts(self, &route.path, i, body);
            let jsonld = jsonld::text(&parts.jsonld());
            let html = templates
                .render(template_of(route.job), &parts.into_context(self, jsonld))
                .map_err(RenderFailure::Template)?;
            write_page(sink, reuse, &file, fingerprint, html.as_bytes())?;
        }
        self.write_citations(i, fingerprint, sink, reuse)
    }

    /// Writes event `i`'s citation files beside its page, under the page's
    /// fingerprint (the page shows every fact they hold), so an unchanged
    /// event's files are linked from the previous output with its page.
    fn write_citations(
        &self,
        i: usize,
        fingerprint: Option<crate::output::manifest::Fingerprint>,
        sink: &dyn Sink,
        reuse: Option<&reuse::Reuse>,
    ) -> Result<(), RenderFailure> {
        let Some(e) = self.site.events.get(i) else {
            return Ok(());
        };
        let mut base = None;
        for name in citation::EVENT_FILES {
            let rel = urls::event_cite(&e.slug, name);
            if let (Some(reuse), Some(fp)) = (reuse, fingerprint)
                && reuse.keep_or_link(&rel, fp, sink)
            {
                continue;
            }
            let base =
                base.get_or_insert_with(|| crate::exports::absolute_base(&self.site.config).0);
            let file = citation::event_file(self.site, base, e, name);
            write_page(sink, reuse, &rel, fingerprint, &file)?;
        }
        Ok(())
    }
}

fn write_file(sink: &dyn Sink, rel: &str, bytes: &[u8]) -> Result<(), RenderFailure> {
    sink.write(rel, bytes).map_err(|e| cannot_write(rel, e))
}

fn cannot_write(rel: &str, e: std::io::Error) -> RenderFailure {
    RenderFailure::Io(crate::error::Error::io(format!("cannot write {rel}"), e))
}

/// Writes a page that a later build may reuse, recording it with its
/// `fingerprint` in this build's manifest.
fn write_page(
    sink: &dyn Sink,
    reuse: Option<&reuse::Reuse>,
    rel: &str,
    fingerprint: Option<crate::output::manifest::Fingerprint>,
    bytes: &[u8],
) -> Result<(), RenderFailure> {
    let (Some(reuse), Some(fingerprint)) = (reuse, fingerprint) else {
        return write_file(sink, rel, bytes);
    };
    let file = sink
        .write_identified(rel, bytes)
        .map_err(|e| cannot_write(rel, e))?;
    reuse.written(rel, fingerprint, file);
    Ok(())
}

/// Renders one page (used by `serve`, which renders on request).
pub fn render_page(
    site: &Site,
    prepared: &Prepared,
    templates: &Templates,
    job: Job,
) -> Result<String, Diagnostic> {
    let Some(route) = prepared.routes.of_job(job) else {
        return Err(Diagnostic::new(
            template_of(job),
            Pos::new(1, 1),
            format!("the site has no page {job:?}"),
        ));
    };
    let body =
        match job {
            Job::Event(i) => match site.events.get(i) {
                Some(e) => Some(crate::content::body::of(e, &site.config, None).map_err(
                    |err| Diagnostic::new(e.source_path(), Pos::new(1, 1), err.to_string()),
                )?),
                None => None,
            },
            _ => None,
        };
    let html = body.as_deref().map_or("", |b| b.html.as_str());
    Shared {
        site,
        prepared,
        entries: Entries::Full,
        templates: None,
    }
    .render_route(templates, route, html)
}

/// What a render produced, for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    pub pages: usize,
    /// Pages linked from the previous output instead of rendered.
    pub reused: usize,
    /// Event bodies taken from the body store instead of rendered.
    pub stored_bodies: usize,
}

/// Renders every page of `prepared`'s routes into `sink` (static files
/// are copied by [`crate::statics::write`]), then writes the exports.
/// Event pages are written with the exports, in one pass that renders
/// each body once and drops it (see [`crate::exports::write_all_with`]).
/// Collects all template errors; I/O errors stop the render.
/// With `reuse`, unchanged pages are linked from the previous output and
/// every page is recorded for the next build's manifest (see [`reuse`]).
pub fn render_site(
    site: &Site,
    prepared: &Prepared,
    templates: &Templates,
    sink: &dyn Sink,
    reuse: Option<&reuse::Reuse>,
) -> Result<RenderStats, crate::error::Error> {
    let shared = Shared {
        site,
        prepared,
        entries: Entries::Full,
        templates: Some(templates),
    };
    if reuse.is_some() {
        // Before any context is made, so every list entry carries its
        // fingerprint and every page's fingerprint is the same each build.
        shared.memo();
    }
    let routes = &prepared.routes;
    // Template errors by route index, so they are reported in route order
    // whichever pass found them.
    let failed: std::sync::Mutex<Vec<(usize, Diagnostic)>> = Default::default();
    let keep = |index: usize, result: Result<(), RenderFailure>| match result {
        Ok(()) => Ok(()),
        Err(RenderFailure::Io(err)) => Err(err),
        Err(RenderFailure::Template(d)) => {
            if let Ok(mut failed) = failed.lock() {
                failed.push((index, d));
            }
            Ok(())
        }
    };
    routes
        .routes
        .par_iter()
        .enumerate()
        .filter(|(_, route)| !matches!(route.job, Job::Event(_)))
        .try_for_each(|(index, route)| {
            keep(index, shared.write_route(templates, route, "", sink, reuse))
        })?;
    let event_pages =
        |start: usize, bodies: &[std::borrow::Cow<crate::content::markdown::Body>]| {
            bodies.par_iter().enumerate().try_for_each(|(n, body)| {
                let Some(index) = routes.index_of(Job::Event(start + n)) else {
                    return Ok(());
                };
                let route = &routes.routes[index];
                keep(
                    index,
                    shared.write_route(templates, route, &body.html, sink, reuse),
                )
            })
        };
    let stored_bodies = crate::exports::write_all_with(
        site,
        sink,
        &**routes,
        &event_pages,
        prepared.locale(),
        reuse.and_then(reuse::Reuse::bodies),
        reuse.map(|r| r as &dyn FileReuse),
    )?;
    let mut failed = failed.into_inner().unwrap_or_default();
    failed.sort_by_key(|(index, _)| *index);
    let mut diagnostics = Vec::new();
    for (_, d) in failed {
        if !diagnostics.contains(&d) {
            diagnostics.push(d);
        }
    }
    if !diagnostics.is_empty() {
        return Err(crate::error::Error::Content(diagnostics));
    }
    Ok(RenderStats {
        pages: routes.len(),
        reused: reuse.map_or(0, reuse::Reuse::reused),
        stored_bodies,
    })
}

enum RenderFailure {
    Template(Diagnostic),
    Io(crate::error::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's own site: every page is found by its file, and the
    /// sitemap lists every page once, ordered by file.
    #[test]
    fn routes_find_every_page_by_its_file_and_order_the_sitemap_by_it() {
        let options = crate::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::load_site(&options).expect("the repository's own site loads");
        let routes = Routes::new(&site);
        assert!(routes.len() > 20, "{} pages", routes.len());
        for route in routes.iter() {
            let found = routes.of_file(&route.file()).map(|r| r.job);
            assert_eq!(found, Some(route.job), "{}", route.file());
        }
        for missing in ["", "index.htm", "events/", "events/index.html/x", "zzz"] {
            assert!(routes.of_file(missing).is_none(), "{missing}");
        }
        let order: Vec<&str> = routes.sitemap_order().collect();
        let files: Vec<String> = order.iter().map(|p| urls::file_of(p)).collect();
        assert!(files.is_sorted(), "{files:?}");
        assert_eq!(order.len(), routes.len());
        let mut unique = order.clone();
        unique.dedup();
        assert_eq!(unique.len(), order.len());
    }
}
