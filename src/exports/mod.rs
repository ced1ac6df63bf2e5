//! Machine-readable outputs of a build (SPEC §5): Atom and JSON feeds (site
//! wide and per browse-by term), `calendar.ics`, `events.json` with its JSON
//! Schema, `timelinejs.json`, `sitemap.xml`, `robots.txt`, the search
//! index and the citation files (`citation`). Every file goes through the
//! same [`Sink`] as the pages, so builds stay atomic and `annals check`
//! sees the files the pages link to.

mod absolute;
pub mod citation;
mod corrections_feed;
mod data;
pub mod eras;
mod feeds;
mod filling;
mod framed;
mod held_part;
mod ics;
mod json_schema;
mod media_out;
mod search;
pub(crate) mod search_index;
pub mod sitemap;
mod stream;
pub mod timelinejs;

pub use stream::EventPages;

use crate::config::Config;
use crate::content::cache::bodies::{BodyStore, Pass as BodyPass};
use crate::content::event::Event;
use crate::content::markdown::Body;
use crate::model::Site;
use crate::output::manifest::Fingerprint;
use crate::output::{FileReuse, Sink};
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;

use crate::html::escape_html;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Used for absolute URLs (feed ids, sitemap) when `site.yaml` has no
/// absolute `base_url`: outputs stay valid, and `annals build` warns (see
/// `BuildReport::localhost_base`) since they must not be published so.
pub const FALLBACK_ORIGIN: &str = "http://localhost";
/// The host of [`FALLBACK_ORIGIN`], for calendar UIDs.
pub const FALLBACK_HOST: &str = "localhost";

/// The absolute base URL for outputs that need one, and whether it is the
/// fallback because none was configured.
pub fn absolute_base(config: &Config) -> (String, bool) {
    if config.has_absolute_base_url() {
        (config.base_url().to_string(), false)
    } else {
        (format!("{FALLBACK_ORIGIN}{}", config.base_path()), true)
    }
}

/// One output file to produce that needs no event's body; each is
/// independent of the others.
#[derive(Clone, Copy)]
enum Job {
    Feeds,
    Calendar,
    Sitemap,
    Citations,
}

/// The paths of a site's pages in the order the sitemap lists them (see
/// `render::Routes`), read as the sitemap is written: a site of a million
/// pages holds no second list of them.
pub trait PagePaths: Sync {
    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_>;
}

impl PagePaths for &[String] {
    fn paths(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.iter().map(String::as_str))
    }
}

/// Writes every machine-readable output enabled in `site.yaml` into
/// `sink`. `pages` are the paths of the site's pages, in sitemap order.
pub fn write_all(
    site: &Site,
    sink: &dyn Sink,
    pages: &[String],
    locale: &crate::i18n::Locale,
) -> Result<(), crate::error::Error> {
    write_all_with(site, sink, &pages, &|_, _| Ok(()), locale, None, None).map(|_| ())
}

/// [`write_all`], handing each stretch of rendered bodies to `event_pages`
/// on the way, so a build renders each body once for its page and the
/// exports together (see `stream`), taking the bodies kept by the last
/// build from `store` when given (and keeping this build's there), and,
/// with `reuse`, keeping the exports' parts that are unchanged (a year's
/// share of `events.json`, a part of the site-wide citations); returns how
/// many bodies came from the store.
pub fn write_all_with(
    site: &Site,
    sink: &dyn Sink,
    pages: &dyn PagePaths,
    event_pages: &EventPages,
    locale: &crate::i18n::Locale,
    store: Option<&BodyStore>,
    reuse: Option<&dyn FileReuse>,
) -> Result<usize, crate::error::Error> {
    let (base, _) = absolute_base(&site.config);
    let mut jobs = vec![Job::Sitemap, Job::Citations];
    if site.config.feeds.atom || site.config.feeds.json {
        jobs.push(Job::Feeds);
    }
    if site.config.feeds.ics {
        jobs.push(Job::Calendar);
    }
    // A language edition's links depend on which events it translates:
    // its bodies are rendered again.
    let pass = store
        .filter(|_| site.config.elsewhere.is_none())
        .map(|store| {
            store.pass(
                &site.events,
                site.config.base_path(),
                site.config.unsafe_html,
            )
        });
    let ctx = Ctx {
        site,
        base: &base,
        sink,
        locale,
        bodies: pass.as_ref(),
        reuse,
    };
    let whole_site_files = || -> Result<(), crate::error::Error> {
        jobs.par_iter()
            .map(|job| match job {
                Job::Feeds => feeds::write(&ctx).and_then(|()| {
                    if site.config.feeds.atom {
                        corrections_feed::write(&ctx)
                    } else {
                        Ok(())
                    }
                }),
                Job::Calendar => ics::write(&ctx),
                Job::Sitemap => sitemap::write(&ctx, pages),
                Job::Citations => citation::write(&ctx),
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    };
    // Alongside the pass over the bodies: alone, the longest of them (the
    // feeds) would leave the other cores idle. If the system refuses the
    // thread they are written first, and the pass only if they were.
    let written = std::thread::scope(|scope| {
        let Ok(others) = std::thread::Builder::new().spawn_scoped(scope, whole_site_files) else {
            return whole_site_files().and_then(|()| stream::run(&ctx, event_pages));
        };
        let pass = stream::run(&ctx, event_pages);
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        others.and(pass)
    });
    if let (Ok(_), Some(pass)) = (&written, pass) {
        pass.finish();
    }
    written
}

/// Every path [`write_all`] writes for this site, without producing any of
/// it: static files may not take one of these paths. A path ending in `/`
/// is a folder the exports fill.
pub fn paths(site: &Site) -> Vec<String> {
    let mut paths = paths_but_citations(site);
    paths.extend(citation::paths(site));
    paths
}

/// [`paths`] without the site-wide citation files, whose names depend on
/// how the citations are cut into parts: working that out reads every
/// event's reference (see [`citation::may_be_site_wide`]).
pub fn paths_but_citations(site: &Site) -> Vec<String> {
    let config = &site.config;
    let mut paths: Vec<String> = [urls::EVENTS_JSON, urls::EVENTS_SCHEMA]
        .into_iter()
        .chain([urls::SITEMAP, urls::ROBOTS])
        .map(String::from)
        .collect();
    paths.extend(timelinejs::paths(site));
    paths.extend(data::year_paths(site));
    if config.feeds.json {
        paths.push(urls::JSON_FEED.into());
    }
    if config.feeds.atom {
        paths.push(urls::ATOM.into());
        paths.push(urls::CORRECTIONS_FEED.into());
        for kind in TaxonomyKind::ALL {
            for term in &site.taxonomy(kind).terms {
                paths.push(urls::atom_of(&urls::term(kind.key(), &term.slug)));
            }
        }
    }
    if config.feeds.ics {
        paths.push(urls::CALENDAR.into());
        paths.extend(
            site.years
                .iter()
                .map(|(y, _)| urls::year_export(*y, urls::CALENDAR)),
        );
    }
    if config.search {
        // The index's parts are only known once the words are: the whole
        // folder is the index's.
        paths.push(search::INDEX_FILE.into());
        paths.push(urls::SEARCH_PARTS.into());
    }
    paths
}

/// What every output needs: the model, the absolute base URL, the sink.
pub(crate) struct Ctx<'a> {
    pub site: &'a Site,
    /// Absolute, ends in `/`.
    pub base: &'a str,
    pub sink: &'a dyn Sink,
    /// The interface language of the texts a reader sees in the exports
    /// (feed titles, calendar notes, the search results' dates).
    pub locale: &'a crate::i18n::Locale,
    /// The body store's pass, when bodies are kept between builds.
    pub bodies: Option<&'a BodyPass<'a>>,
    /// The previous output's files, for exports written in parts that a
    /// rebuild may keep (see [`Ctx::reuse_file`]).
    pub reuse: Option<&'a dyn FileReuse>,
}

impl Ctx<'_> {
    /// The HTML shown for event `i` in feeds, rendered for the few events
    /// a feed holds: the body with absolute addresses (exports are read
    /// away from the event page), or the summary as a paragraph when the
    /// body is empty.
    pub fn event_html(&self, i: usize) -> Result<String, crate::error::Error> {
        let e = &self.site.events[i];
        let body = crate::content::body::of(e, &self.site.config, self.bodies)?;
        let html = self.absolute_body(e, &body).into_owned();
        Ok(if html.trim().is_empty() {
            format!("<p>{}</p>\n", escape_html(&e.summary))
        } else {
            html
        })
    }

    /// `body`'s HTML for reading away from `e`'s page: its relative
    /// addresses made absolute. Most bodies hold none and are lent as they
    /// are.
    pub fn absolute_body<'b>(&self, e: &Event, body: &'b Body) -> Cow<'b, str> {
        if body.has_relative_urls {
            self.absolute_html(e, &body.html)
        } else {
            Cow::Borrowed(&body.html)
        }
    }

    /// `html`, a body of `e` as its page shows it, with its relative
    /// addresses made absolute.
    pub fn absolute_html<'b>(&self, e: &Event, html: &'b str) -> Cow<'b, str> {
        absolute::absolute_html(html, &self.abs(&urls::event(&e.slug)))
    }

    /// Absolute URL of a path under the base.
    pub fn abs(&self, path: &str) -> String {
        urls::under(self.base, path)
    }

    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), crate::error::Error> {
        self.sink
            .write(rel, bytes)
            .map_err(|e| crate::error::Error::io(format!("cannot write {rel}"), e))
    }

    /// Writes `rel` piece by piece (see [`Sink::write_with`]).
    pub fn put_with(
        &self,
        rel: &str,
        mut fill: impl FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), crate::error::Error> {
        self.sink
            .write_with(rel, &mut fill)
            .map_err(|e| crate::error::Error::io(format!("cannot write {rel}"), e))
    }

    /// Keeps or links the file at `rel` from the previous output when it
    /// was recorded there under `fingerprint` and is untouched: true when
    /// it is in place and nothing is to be written.
    pub fn reuse_file(&self, rel: &str, fingerprint: Option<Fingerprint>) -> bool {
        match (self.reuse, fingerprint) {
            (Some(reuse), Some(fingerprint)) => reuse.keep_or_link(rel, fingerprint, self.sink),
            _ => false,
        }
    }

    /// Hands the kept file at `rel` (see [`Ctx::reuse_file`]) to `copy`,
    /// which takes what the file holds into another one; false when the
    /// file cannot be read back or `copy` finds it is not as written.
    pub fn copy_kept(
        &self,
        rel: &str,
        copy: impl FnOnce(std::fs::File) -> std::io::Result<bool>,
    ) -> std::io::Result<bool> {
        match self.sink.read_back(rel) {
            Ok(file) => copy(file),
            Err(_) => Ok(false),
        }
    }

    /// Records the file just written at `rel` under `fingerprint`, so the
    /// next build may keep it.
    pub fn record_file(&self, rel: &str, fingerprint: Option<Fingerprint>) {
        if let (Some(reuse), Some(fingerprint)) = (self.reuse, fingerprint) {
            reuse.written(rel, fingerprint, self.sink.written(rel));
        }
    }

    /// Streams `value` as pretty JSON into `rel`.
    pub fn put_json<T: Serialize>(&self, rel: &str, value: &T) -> Result<(), crate::error::Error> {
        self.put_with(rel, |w| {
            serde_json::to_writer_pretty(w, value).map_err(std::io::Error::other)
        })
    }
}

/// Labels of an event's kind, countries, tracks and tags, with the
/// taxonomy they come from, for feed categories.
pub(crate) fn categories(site: &Site, e: &Event) -> Vec<(TaxonomyKind, String, String)> {
    let mut out = Vec::new();
    let mut add = |kind: TaxonomyKind, id: &str| {
        if let Some(t) = site.taxonomy(kind).term(id) {
            out.push((kind, t.slug.clone(), t.label.clone()));
        }
    };
    add(TaxonomyKind::Kinds, &e.kind);
    for c in &e.countries {
        add(TaxonomyKind::Countries, c);
    }
    for t in &e.tracks {
        add(TaxonomyKind::Tracks, t);
    }
    for t in &e.tags {
        add(TaxonomyKind::Tags, &t.id);
    }
    out
}
