//! Citing an event: the facts a reference to an event's page is made of
//! ([`Reference`]), the text citation its page shows ([`text`]), and the
//! files written for reference managers: per event `events/<slug>/cite.json`
//! (CSL-JSON, `csl`), `cite.bib` (BibTeX, `bibtex`) and `cite.ris` (RIS,
//! `ris`), and for the whole site `citations.json` and `citations.bib`.
//! Everything comes from the model: no body is rendered for a citation.
//!
//! An event's own files are made from its metadata alone and written with
//! its page, under the page's fingerprint: an unchanged event's files are
//! linked from the previous output like its page, an edited one's are
//! written again. A site-wide file is kept by a rebuild when the digest of
//! its events' references is unchanged.

mod bibtex;
mod csl;
pub mod cut;
mod ris;
pub mod site_wide;

use super::Ctx;
use crate::content::event::Event;
use crate::error::Error;
use crate::model::Site;
use crate::urls;
use crate::values::dates::{EndDate, EventDate, display_span};
use crate::values::taxonomy::TaxonomyKind;

/// What a citation of one event says, whatever its format. Serialised
/// only to be digested (see [`site_wide`]): every format is made from
/// these fields alone.
#[derive(serde::Serialize)]
pub struct Reference<'a> {
    /// The event's slug: the CSL `id` and the BibTeX key, unique in the
    /// site and stable while the event keeps its address.
    pub key: &'a str,
    pub title: &'a str,
    /// The site's title: the work the page belongs to, and its publisher
    /// (a site names no other author).
    pub site_title: &'a str,
    #[serde(serialize_with = "as_debug")]
    pub date: &'a EventDate,
    #[serde(serialize_with = "as_debug")]
    pub end: Option<&'a EndDate>,
    pub approximate: bool,
    /// The event's date as the page shows it ("28–29 July 2024").
    pub when: String,
    /// The event page's absolute address.
    pub url: String,
    pub summary: &'a str,
    pub language: &'a str,
    /// The labels of the event's tags.
    pub keywords: Vec<String>,
    /// The place, with its name in its own script when written: first
    /// when the site is in that language ("서울 (Seoul)"), else after it
    /// ("Seoul (서울)").
    pub location: Option<std::borrow::Cow<'a, str>>,
}

/// A value by its `Debug` text, which shows every field of a date.
fn as_debug<T: std::fmt::Debug, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{value:?}"))
}

/// The reference to `e`'s page, addresses under `base` (absolute).
pub fn reference<'a>(site: &'a Site, base: &str, e: &'a Event) -> Reference<'a> {
    let tags = site.taxonomy(TaxonomyKind::Tags);
    Reference {
        key: &e.slug,
        title: &e.title,
        site_title: &site.config.title,
        date: &e.date,
        end: e.end_date(),
        approximate: e.approximate,
        when: display_span(&e.date, e.end_date(), e.approximate),
        url: urls::under(base, &urls::event(&e.slug)),
        summary: &e.summary,
        language: &site.config.language,
        keywords: e
            .tags
            .iter()
            .filter_map(|tag| tags.term(&tag.id).map(|t| t.label.clone()))
            .collect(),
        location: e.location.as_deref().map(|name| {
            crate::content::native::joined(name, e.location_native(), &site.config.language)
        }),
    }
}

/// The end of the event when it is a date (an open span has none).
fn end_date<'a>(r: &Reference<'a>) -> Option<&'a EventDate> {
    match r.end {
        Some(EndDate::On(end)) if end != r.date => Some(end),
        _ => None,
    }
}

/// The parts of the text citation (Chicago style for a web page:
/// `Site. “Title.” Date. URL.`), without the accessed date, which only the
/// reader's browser knows.
pub struct TextParts {
    pub site: String,
    /// The title with the sentence's closing punctuation: a title already
    /// ending in `.`, `?` or `!` gets none added.
    pub title: String,
    /// The event's date, its first letter capitalised ("Since March 2025").
    pub when: String,
    pub url: String,
}

pub fn text_parts(r: &Reference) -> TextParts {
    let title = r.title.trim();
    let title = if title.ends_with(['.', '?', '!']) {
        title.to_string()
    } else {
        format!("{title}.")
    };
    let mut chars = r.when.chars();
    let when = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    TextParts {
        site: r.site_title.trim().to_string(),
        title,
        when,
        url: r.url.clone(),
    }
}

/// The text citation in one line: `Site. “Title.” Date. URL.`
pub fn text(r: &Reference) -> String {
    let p = text_parts(r);
    format!("{}. “{}” {}. {}.", p.site, p.title, p.when, p.url)
}

/// The site-wide citation files of this site (what [`write`] writes).
pub fn paths(site: &Site) -> Vec<String> {
    site_wide::paths(&site_wide::parts(site))
}

/// Whether `path` could be a site-wide citation file (see [`paths`]):
/// `citations.json`, `citations.bib`, or anything in `citations/`.
pub fn may_be_site_wide(path: &str) -> bool {
    path == urls::CITATIONS_JSON
        || path == urls::CITATIONS_BIB
        || path.starts_with(urls::CITATIONS_DIR)
}

/// Whether `path` could be an event's own citation file (see
/// [`event_paths`]): anything in `events/`.
pub fn may_be_event_file(path: &str) -> bool {
    path.strip_prefix(urls::EVENTS)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Every event's own citation files, written with its page.
pub fn event_paths(site: &Site) -> impl Iterator<Item = String> + '_ {
    site.events.iter().flat_map(|e| {
        EVENT_FILES
            .iter()
            .map(|file| urls::event_cite(&e.slug, file))
    })
}

/// An event's own citation files, each path with its bytes, in the order
/// of [`EVENT_FILES`]. They are written with the event's page (see
/// `render`), so a page reused from the previous output brings its
/// citation files along and an unchanged event costs no new file.
pub fn event_file(site: &Site, base: &str, e: &Event, name: &str) -> Vec<u8> {
    let r = reference(site, base, e);
    match name {
        urls::CITE_JSON => serde_json::to_vec_pretty(&[csl::item(&r)]).unwrap_or_default(),
        urls::CITE_BIB => bibtex::entry(&r).into_bytes(),
        _ => ris::record(&r).into_bytes(),
    }
}

/// The names of an event's citation files (see [`urls::event_cite`]).
pub const EVENT_FILES: [&str; 3] = [urls::CITE_JSON, urls::CITE_BIB, urls::CITE_RIS];

/// Writes the site-wide citation files (each event's own are written with
/// its page, [`event_file`]).
pub(super) fn write(ctx: &Ctx) -> Result<(), Error> {
    site_wide::write(ctx)
}

/// `text` in one line: runs of white space (line breaks included) become
/// one space, and control characters are dropped, so a value can never
/// break the line-based formats.
fn one_line(text: &str) -> String {
    let text = text.trim();
    // Most values are printable ASCII with single spaces: nothing to fold.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) && !text.contains("  ") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else if !c.is_control() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_folds_breaks_and_drops_controls() {
        assert_eq!(one_line("  a\r\n b\tc\u{7}d  "), "a b cd");
        assert_eq!(one_line(""), "");
        assert_eq!(one_line(" plain  ascii, once "), "plain ascii, once");
        assert_eq!(one_line("plain ascii, once"), "plain ascii, once");
    }

    #[test]
    fn every_citation_path_is_one_the_collision_check_looks_at() {
        for path in [
            urls::CITATIONS_JSON.to_string(),
            urls::CITATIONS_BIB.to_string(),
            urls::CITATIONS_INDEX.to_string(),
            urls::citations_part("2024-2", "bib"),
            urls::citations_part("2024", "json"),
        ] {
            assert!(may_be_site_wide(&path), "{path}");
            assert!(!may_be_event_file(&path), "{path}");
        }
        for file in EVENT_FILES {
            let path = urls::event_cite("a-slug", file);
            assert!(may_be_event_file(&path), "{path}");
            assert!(!may_be_site_wide(&path), "{path}");
        }
        for other in [
            "eventsx/a/cite.bib",
            "citations.ris",
            "index.html",
            "events",
        ] {
            assert!(
                !may_be_event_file(other) && !may_be_site_wide(other),
                "{other}"
            );
        }
    }
}
