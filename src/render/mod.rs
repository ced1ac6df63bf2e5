//! Render stage: compiles the theme's Tera templates once, then renders
//! every page of the site in parallel into a [`Sink`].

use crate::diagnostic::{Diagnostic, Pos};
use crate::model::Site;
use crate::output::Sink;
use crate::urls::{self, SitePaths, Urls};
use crate::values::taxonomy::TaxonomyKind;
use context::Link;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, Tera};
use theme::TemplateFile;

pub mod compare;
mod compare_pages;
pub mod context;
pub mod theme;

/// The compiled templates and where each came from.
pub struct Templates {
    tera: Tera,
    origins: Vec<(String, PathBuf, String)>,
    /// Template files not read: symlinks leading outside the site folder.
    pub skipped_links: Vec<String>,
}

/// Converts a Tera error to a diagnostic in the template's own file.
fn template_error(
    err: &tera::Error,
    origins: &[(String, PathBuf, String)],
    fallback: &str,
) -> Diagnostic {
    let (name, pos, message) = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Pos::new(r.span().start_line, r.span().start_col + 1),
            r.message().to_string(),
        ),
        other => (fallback.to_string(), Pos::new(1, 1), other.to_string()),
    };
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    let (path, text) = origins
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, t)| (p.clone(), t.as_str()))
        .unwrap_or_else(|| (PathBuf::from(&name), ""));
    let mut d = Diagnostic::new(path, pos, format!("template error: {message}")).with_source(text);
    if d.source_line.as_deref() == Some("") {
        d.source_line = None;
    }
    d
}

impl Templates {
    pub fn load(site_dir: &Path, theme_name: &str) -> Result<Templates, crate::error::Error> {
        if theme_name != "default" && !theme::site_theme_dir(site_dir, theme_name).is_dir() {
            return Err(crate::error::Error::Usage(format!(
                "theme `{theme_name}` not found: expected a folder {}",
                theme::site_theme_dir(site_dir, theme_name).display()
            )));
        }
        let mut skipped_links = Vec::new();
        let files: Vec<TemplateFile> = theme::templates(site_dir, theme_name, &mut skipped_links)?;
        let origins: Vec<(String, PathBuf, String)> = files
            .iter()
            .map(|f| (f.name.clone(), f.origin.clone(), f.text.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(files.iter().map(|f| (f.name.as_str(), f.text.as_str())))
            .map_err(|e| {
                crate::error::Error::Content(vec![template_error(
                    &e,
                    &origins,
                    SitePaths::TEMPLATES,
                )])
            })?;
        for required in [
            "index.html",
            "event.html",
            "year.html",
            "taxonomy.html",
            "term.html",
            "page.html",
            "404.html",
            "years.html",
        ] {
            if !tera.contains_template(required) {
                return Err(crate::error::Error::Content(vec![Diagnostic::new(
                    SitePaths::theme_folder(theme_name)
                        .join(SitePaths::TEMPLATES)
                        .join(required),
                    Pos::new(1, 1),
                    format!("the theme has no `{required}` template"),
                )]));
            }
        }
        Ok(Templates {
            tera,
            origins,
            skipped_links,
        })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e, &self.origins, name))
    }
}

/// One page to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Index,
    Event(usize),
    Years,
    Year(usize),
    Taxonomy(TaxonomyKind),
    Term(TaxonomyKind, usize),
    Page(usize),
    NotFound,
    Search,
    /// `compare/index.html`: the default lanes.
    Compare,
    /// `compare/<a>--<b>/index.html`: two tracks by term index.
    ComparePair(usize, usize),
    /// `embed/index.html`: the chrome-free view for an `<iframe>`.
    Embed,
    /// `embed/<track>/index.html`.
    EmbedTrack(usize),
}

/// The template of a page rendered by `render_job` itself.
fn template_of(job: Job) -> &'static str {
    match job {
        Job::Index => "index.html",
        Job::Event(_) => "event.html",
        Job::Years => "years.html",
        Job::Year(_) => "year.html",
        Job::Taxonomy(_) => "taxonomy.html",
        Job::Term(..) => "term.html",
        Job::Page(_) => "page.html",
        Job::NotFound => "404.html",
        Job::Search => "search.html",
        Job::Compare | Job::ComparePair(..) => "compare.html",
        Job::Embed | Job::EmbedTrack(_) => "embed.html",
    }
}

/// Events the timeline page holds at most (whole years, newest first);
/// older years stay on their year pages, so `index.html` stays small at
/// 10,000 events. A site at or under this size shows everything.
pub const INDEX_EVENT_BUDGET: usize = 1000;

/// Events an embed shows (the newest), so an `<iframe>` stays light.
pub const EMBED_LIMIT: usize = 100;

/// Index into `site.years` of the oldest year shown on the timeline page.
pub fn index_first_year(site: &Site) -> usize {
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

#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: String,
    /// Absolute URL of the page when the site has an absolute base URL.
    canonical: Option<String>,
    /// Path of the page under the base path, e.g. `events/x/`.
    path: String,
    section: &'static str,
    /// `<link rel="alternate">` feeds for the head (term feed first).
    feeds: Vec<crate::exports::FeedLink>,
}

#[derive(Serialize)]
struct TermView<'a> {
    key: String,
    label: String,
    url: String,
    count: usize,
    description: Option<&'a str>,
    roles: &'a [String],
}

/// One filter of the timeline: a taxonomy and its terms.
#[derive(Serialize)]
struct FilterView<'a> {
    key: &'static str,
    label: &'static str,
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    id: String,
    count: usize,
}

/// Everything shared by all pages, computed once per model (per build,
/// or per change in `serve`).
pub struct Prepared {
    urls: Urls,
    links: context::TermLinks,
    /// Every event's summary as a template value, converted once: list
    /// pages clone these (a reference count) instead of serialising every
    /// entry again.
    summary_values: Vec<tera::Value>,
    site_value: tera::Value,
    year_links: Vec<YearLink>,
    years_value: tera::Value,
    /// What the summaries were made from, so `serve` can reuse them.
    made_from: Vec<(Arc<crate::content::event::Event>, tera::Value)>,
    terms: Vec<Vec<(String, String, String)>>,
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
    pub fn new(site: &Site) -> Prepared {
        Prepared::reusing(site, None)
    }

    /// Like `new`, but takes the summaries of unchanged events from
    /// `previous` when the site's terms and base path are the same.
    pub fn reusing(site: &Site, previous: Option<&Prepared>) -> Prepared {
        let urls = Urls::new(site.config.base_path());
        let terms = term_table(site);
        let reusable: std::collections::HashMap<usize, &tera::Value> = match previous {
            Some(p) if p.terms == terms && p.urls.base() == urls.base() => p
                .made_from
                .iter()
                .map(|(e, v)| (Arc::as_ptr(e) as usize, v))
                .collect(),
            _ => std::collections::HashMap::new(),
        };
        let links = context::TermLinks::new(site, &urls);
        let summary_values: Vec<tera::Value> = site
            .events
            .par_iter()
            .map(|e| match reusable.get(&(Arc::as_ptr(e) as usize)) {
                Some(v) => (*v).clone(),
                None => tera::Value::from_serializable(&context::summary(site, &urls, &links, e)),
            })
            .collect();
        let made_from = site
            .events
            .iter()
            .cloned()
            .zip(summary_values.iter().cloned())
            .collect();
        let year_links = site
            .years
            .iter()
            .map(|(y, ev)| YearLink {
                year: *y,
                url: urls.year(*y),
                id: format!("y{y:04}"),
                count: ev.len(),
            })
            .collect();
        Prepared {
            site_value: tera::Value::from_serializable(&context::site_view(site, &urls)),
            urls,
            links,
            summary_values,
            years_value: tera::Value::from_serializable(&year_links),
            year_links,
            made_from,
            terms,
        }
    }
}

/// A site and its prepared views: what rendering one page reads.
struct Shared<'s> {
    site: &'s Site,
    prepared: &'s Prepared,
}

impl std::ops::Deref for Shared<'_> {
    type Target = Prepared;

    fn deref(&self) -> &Prepared {
        self.prepared
    }
}

impl<'s> Shared<'s> {
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
            feeds: crate::exports::feed_links(&self.site.config, title, path),
        }
    }

    fn context(&self, meta: PageMeta) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("page", &meta);
        ctx.insert_value("years", self.years_value.clone());
        ctx
    }

    fn term_view<'t>(&self, kind: TaxonomyKind, t: &'t crate::model::Term) -> TermView<'t> {
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
        context::group_by_month(
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

    fn render_job(&self, templates: &Templates, job: Job) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let path = page_path(site, job);
        let ctx = match job {
            Job::Index => {
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
                let mut ctx = self.context(self.meta(&site.config.title, &desc, &path, "timeline"));
                // Years left to their own pages, and where the page starts.
                ctx.insert("earlier_years", &self.year_links[..first]);
                ctx.insert(
                    "first_year",
                    &site.years.get(first).map_or(i32::MIN, |(y, _)| *y),
                );
                ctx.insert("shown_count", &all.len());
                ctx.insert("newest_first", &self.newest_first());
                ctx.insert("groups", &self.groups(&all));
                let filters: Vec<FilterView> = TaxonomyKind::ALL
                    .iter()
                    .map(|&k| FilterView {
                        key: k.key(),
                        label: k.singular(),
                        terms: site
                            .taxonomy(k)
                            .terms
                            .iter()
                            .map(|t| self.term_view(k, t))
                            .collect(),
                    })
                    .collect();
                ctx.insert("filters", &filters);
                ctx
            }
            Job::Event(i) => {
                let page = context::event_page(site, &self.urls, &self.links, i);
                let e = &site.events[i];
                let mut ctx = self.context(self.meta(&e.title, &e.summary, &path, "events"));
                ctx.insert("event", &page);
                let year = site.years.partition_point(|(y, _)| *y < e.date.year);
                ctx.insert(
                    "timeline_url",
                    &if year >= index_first_year(site) {
                        format!("{}#{}", self.urls.to(urls::HOME), e.slug)
                    } else {
                        format!("{}#{}", self.urls.year(e.date.year), e.slug)
                    },
                );
                ctx
            }
            Job::Years => {
                let mut ctx = self.context(self.meta("Years", "Events by year.", &path, "years"));
                ctx.insert("year_list", &self.year_links);
                ctx
            }
            Job::Year(y) => {
                let (year, indexes) = &site.years[y];
                let title = format!("{year}");
                let desc = format!("{} events in {year}.", indexes.len());
                let mut ctx = self.context(self.meta(&title, &desc, &path, "years"));
                ctx.insert("year", year);
                ctx.insert("groups", &self.groups(indexes));
                ctx.insert(
                    "previous_year",
                    &y.checked_sub(1).and_then(|p| self.year_links.get(p)),
                );
                ctx.insert("next_year", &self.year_links.get(y + 1));
                ctx.insert("on_index", &(y >= index_first_year(site)));
                ctx
            }
            Job::Taxonomy(kind) => {
                let tax = site.taxonomy(kind);
                let desc = format!("Events by {}.", kind.singular().to_lowercase());
                let mut ctx = self.context(self.meta(kind.title(), &desc, &path, kind.key()));
                ctx.insert(
                    "taxonomy",
                    &Link {
                        key: kind.key().into(),
                        label: kind.title().into(),
                        url: self.urls.to(&path),
                    },
                );
                ctx.insert(
                    "terms",
                    &tax.terms
                        .iter()
                        .map(|t| self.term_view(kind, t))
                        .collect::<Vec<_>>(),
                );
                ctx
            }
            Job::Term(kind, t) => {
                let term = &site.taxonomy(kind).terms[t];
                let desc = format!("{} events: {}.", term.events.len(), term.label);
                let mut ctx = self.context(self.meta(&term.label, &desc, &path, kind.key()));
                ctx.insert(
                    "taxonomy",
                    &Link {
                        key: kind.key().into(),
                        label: kind.title().into(),
                        url: self.urls.taxonomy(kind),
                    },
                );
                ctx.insert("singular", kind.singular());
                ctx.insert("term", &self.term_view(kind, term));
                ctx.insert("groups", &self.groups(&term.events));
                ctx
            }
            Job::Page(p) => {
                let page = &site.pages[p];
                let desc = page
                    .description
                    .clone()
                    .unwrap_or_else(|| page.title.clone());
                let mut ctx = self.context(self.meta(&page.title, &desc, &path, "pages"));
                ctx.insert("content", &page.body_html);
                ctx
            }
            Job::Search => {
                let mut ctx = self.context(self.meta(
                    "Search",
                    "Search every event of the timeline.",
                    &path,
                    "search",
                ));
                ctx.insert("search_index_url", &self.urls.to(urls::SEARCH_INDEX));
                ctx.insert("search_script_url", &self.urls.to(urls::SEARCH_SCRIPT));
                ctx
            }
            Job::Compare | Job::ComparePair(..) => return self.render_compare(templates, job),
            Job::Embed | Job::EmbedTrack(_) => return self.render_embed(templates, job),
            Job::NotFound => {
                self.context(self.meta("Page not found", "This page does not exist.", &path, "404"))
            }
        };
        let html = templates.render(template_of(job), &ctx)?;
        Ok((urls::file_of(&path), html))
    }
}

/// The path of a page under the base path (see [`crate::urls`]): worked
/// out here once for both its output file and its template context.
pub fn page_path(site: &Site, job: Job) -> String {
    match job {
        Job::Index => urls::HOME.into(),
        Job::Event(i) => urls::event(&site.events[i].slug),
        Job::Years => urls::YEARS.into(),
        Job::Year(y) => urls::year(site.years[y].0),
        Job::Taxonomy(kind) => urls::taxonomy(kind.key()),
        Job::Term(kind, t) => urls::term(kind.key(), &site.taxonomy(kind).terms[t].slug),
        Job::Page(p) => urls::page(&site.pages[p].slug),
        Job::NotFound => urls::NOT_FOUND.into(),
        Job::Search => urls::SEARCH.into(),
        Job::Compare => urls::COMPARE.into(),
        Job::ComparePair(a, b) => {
            let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
            urls::compare_pair(&tracks[a].slug, &tracks[b].slug)
        }
        Job::Embed => urls::EMBED.into(),
        Job::EmbedTrack(t) => urls::embed_track(&site.taxonomy(TaxonomyKind::Tracks).terms[t].slug),
    }
}

/// The output file of a page, relative to the output root.
pub fn output_file(site: &Site, job: Job) -> String {
    urls::file_of(&page_path(site, job))
}

/// Every page of the site with its output file, for serving on request.
pub fn routes(site: &Site) -> Vec<(String, Job)> {
    jobs(site)
        .into_iter()
        .map(|job| (output_file(site, job), job))
        .collect()
}

/// Renders one page (used by `serve`, which renders on request).
pub fn render_page(
    site: &Site,
    prepared: &Prepared,
    templates: &Templates,
    job: Job,
) -> Result<String, Diagnostic> {
    let shared = Shared { site, prepared };
    shared.render_job(templates, job).map(|(_, html)| html)
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Index, Job::Years, Job::NotFound];
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((0..site.events.len()).map(Job::Event));
    jobs.extend((0..site.years.len()).map(Job::Year));
    for kind in TaxonomyKind::ALL {
        jobs.push(Job::Taxonomy(kind));
        jobs.extend((0..site.taxonomy(kind).terms.len()).map(move |t| Job::Term(kind, t)));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    let tracks = site.taxonomy(TaxonomyKind::Tracks).terms.len();
    jobs.push(Job::Compare);
    jobs.extend(
        crate::render::compare::pairs(tracks)
            .into_iter()
            .map(|(a, b)| Job::ComparePair(a, b)),
    );
    jobs.push(Job::Embed);
    jobs.extend((0..tracks).map(Job::EmbedTrack));
    jobs
}

/// What a render produced, for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    pub pages: usize,
}

/// Renders every page into `sink` (static files are copied by
/// [`crate::statics::write`]). Collects all template errors; I/O errors
/// stop the render.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    sink: &dyn Sink,
) -> Result<RenderStats, crate::error::Error> {
    let prepared = Prepared::new(site);
    let shared = Shared {
        site,
        prepared: &prepared,
    };
    let jobs = jobs(site);
    let results: Vec<Result<(), RenderFailure>> = jobs
        .par_iter()
        .map(|&job| {
            let (file, html) = shared
                .render_job(templates, job)
                .map_err(RenderFailure::Template)?;
            sink.write(&file, html.as_bytes()).map_err(|e| {
                RenderFailure::Io(crate::error::Error::io(format!("cannot write {file}"), e))
            })
        })
        .collect();
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(RenderFailure::Io(err)) => return Err(err),
            Err(RenderFailure::Template(d)) => {
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(crate::error::Error::Content(diagnostics));
    }
    Ok(RenderStats { pages: jobs.len() })
}

enum RenderFailure {
    Template(Diagnostic),
    Io(crate::error::Error),
}
