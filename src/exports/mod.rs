//! Machine-readable outputs of a build (SPEC §5): Atom and JSON feeds (site
//! wide and per browse-by term), `calendar.ics`, `events.json` with its JSON
//! Schema, `timelinejs.json`, `sitemap.xml`, `robots.txt` and the search
//! index. Every file goes through the same [`Sink`] as the pages, so builds
//! stay atomic and `annals check` sees the files the pages link to.

mod absolute;
mod data;
mod feeds;
mod ics;
mod json_schema;
mod search;
mod sitemap;
pub mod timelinejs;

use crate::config::Config;
use crate::model::Site;
use crate::output::Sink;
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;

use crate::html::escape_html;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Used for absolute URLs (feed ids, sitemap) when `site.yaml` has no
/// absolute `base_url`: outputs stay valid and the note says how to fix it.
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

/// One output file to produce; each is independent of the others.
#[derive(Clone, Copy)]
enum Job {
    Feeds,
    Calendar,
    Events,
    TimelineJs,
    Sitemap,
    Search,
}

/// Writes every machine-readable output enabled in `site.yaml` into
/// `sink`. `pages` are the paths of the site's pages, in sitemap order
/// (see `render::Routes::sitemap_order`).
/// Returns notes worth showing in verbose mode.
pub fn write_all(
    site: &Site,
    sink: &dyn Sink,
    pages: &[String],
) -> Result<Vec<String>, crate::error::Error> {
    let mut notes = Vec::new();
    let (base, fallback) = absolute_base(&site.config);
    if fallback {
        notes.push(format!(
            "site.yaml has no absolute base_url: feeds, calendar and sitemap use {base}; set base_url (or pass --base-url) before publishing"
        ));
    }
    let mut jobs = vec![Job::Events, Job::TimelineJs, Job::Sitemap];
    if site.config.feeds.atom || site.config.feeds.json {
        jobs.push(Job::Feeds);
    }
    if site.config.feeds.ics {
        jobs.push(Job::Calendar);
    }
    if site.config.search {
        jobs.push(Job::Search);
    }
    // Most bodies hold no relative address and are shared as they are.
    let bodies: Vec<Cow<str>> = site
        .events
        .par_iter()
        .map(|e| {
            if e.body_has_relative_urls {
                absolute::absolute_html(&e.body_html, &urls::under(&base, &urls::event(&e.slug)))
            } else {
                Cow::Borrowed(e.body_html.as_str())
            }
        })
        .collect();
    let ctx = Ctx {
        site,
        base: &base,
        sink,
        bodies: &bodies,
    };
    let results: Vec<Result<(), crate::error::Error>> = jobs
        .par_iter()
        .map(|job| match job {
            Job::Feeds => feeds::write(&ctx),
            Job::Calendar => ics::write(&ctx),
            Job::Events => data::write(&ctx),
            Job::TimelineJs => timelinejs::write(&ctx),
            Job::Sitemap => sitemap::write(&ctx, pages),
            Job::Search => search::write(&ctx),
        })
        .collect();
    for r in results {
        r?;
    }
    Ok(notes)
}

/// Every path [`write_all`] writes for this site, without producing any of
/// it: static files may not take one of these paths.
pub fn paths(site: &Site) -> Vec<String> {
    let config = &site.config;
    let mut paths: Vec<String> = [urls::EVENTS_JSON, urls::EVENTS_SCHEMA, urls::TIMELINEJS]
        .into_iter()
        .chain([urls::SITEMAP, urls::ROBOTS])
        .map(String::from)
        .collect();
    if config.feeds.json {
        paths.push(urls::JSON_FEED.into());
    }
    if config.feeds.atom {
        paths.push(urls::ATOM.into());
        for kind in TaxonomyKind::ALL {
            for term in &site.taxonomy(kind).terms {
                paths.push(urls::atom_of(&urls::term(kind.key(), &term.slug)));
            }
        }
    }
    if config.feeds.ics {
        paths.push(urls::CALENDAR.into());
    }
    if config.search {
        paths.push(search::INDEX_FILE.into());
    }
    paths
}

/// What every output needs: the model, the absolute base URL, the sink.
pub(crate) struct Ctx<'a> {
    pub site: &'a Site,
    /// Absolute, ends in `/`.
    pub base: &'a str,
    pub sink: &'a dyn Sink,
    /// Each event's body HTML with absolute addresses (same index as
    /// `site.events`): exports are read away from the event page.
    pub bodies: &'a [Cow<'a, str>],
}

impl Ctx<'_> {
    /// The body of event `i` for exports (see [`Ctx::bodies`]).
    pub fn body(&self, i: usize) -> &str {
        &self.bodies[i]
    }

    /// The HTML shown for event `i` in feeds: the body, or the summary as
    /// a paragraph when the body is empty.
    pub fn event_html(&self, i: usize) -> String {
        let body = self.body(i);
        if body.trim().is_empty() {
            format!("<p>{}</p>\n", escape_html(&self.site.events[i].summary))
        } else {
            body.to_string()
        }
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

    /// Streams `value` as pretty JSON into `rel`.
    pub fn put_json<T: Serialize>(&self, rel: &str, value: &T) -> Result<(), crate::error::Error> {
        self.put_with(rel, |w| {
            serde_json::to_writer_pretty(w, value).map_err(std::io::Error::other)
        })
    }
}

/// A JSON array made one item at a time while it is written, so an export
/// never holds every event's record at once.
pub(crate) struct SeqOf<'a, T> {
    pub len: usize,
    pub item: &'a dyn Fn(usize) -> T,
}

impl<T: Serialize> Serialize for SeqOf<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for i in 0..self.len {
            seq.serialize_element(&(self.item)(i))?;
        }
        seq.end()
    }
}

/// Labels of an event's kind, countries, tracks and tags, with the
/// taxonomy they come from, for feed categories.
pub(crate) fn categories(
    site: &Site,
    e: &crate::content::event::Event,
) -> Vec<(TaxonomyKind, String, String)> {
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
    for id in &e.tag_ids {
        add(TaxonomyKind::Tags, id);
    }
    out
}
