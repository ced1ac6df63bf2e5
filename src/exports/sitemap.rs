//! `sitemap.xml` (sitemaps.org 0.9, written with quick-xml's writer) listing
//! every page of the site except `404.html` (in a multilingual site, every
//! edition's pages), and `robots.txt` naming it.
//! A file may hold at most 50,000 URLs and 50 MB: a larger site gets
//! `sitemap-1.xml`, `sitemap-2.xml`, … and `sitemap.xml` becomes the
//! sitemap index pointing at them. All need absolute URLs (see
//! `absolute_base`).

use super::Ctx;
use crate::urls;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

const XMLNS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// The namespace of the `<xhtml:link rel="alternate" hreflang>` entries of
/// a multilingual site.
const XMLNS_XHTML: &str = "http://www.w3.org/1999/xhtml";

/// A page's language alternates: (`hreflang`, absolute URL).
pub type Alternates = Vec<(String, String)>;

/// One entry of a sitemap file: its address, `<lastmod>` and alternates.
type Entry = (String, Option<String>, Alternates);

/// What one sitemap file may hold, by the sitemaps protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub urls: usize,
    pub bytes: usize,
}

impl Limits {
    /// 50,000 URLs and 50 MB (52,428,800 bytes) uncompressed.
    pub const PROTOCOL: Limits = Limits {
        urls: 50_000,
        bytes: 52_428_800,
    };
}

/// Bytes of a file's opening and closing around its entries, with room
/// to spare (the declaration, the root element and its namespace).
const FRAME_BYTES: usize = 200;

/// Bytes an entry takes beside its escaped address (element names,
/// indentation, line breaks), rounded up.
const ENTRY_BYTES: usize = 40;

/// Bytes a `<lastmod>` element takes beside its date.
const LASTMOD_BYTES: usize = 25;

fn is_not_found(path: &str) -> bool {
    path == urls::NOT_FOUND || path.ends_with(&format!("/{}", urls::NOT_FOUND))
}

/// A file of `element` entries (`url` or `sitemap`), one per address in
/// `locs`, under the root element `root`.
fn file(root: &str, element: &str, locs: &[Entry]) -> Result<Vec<u8>, std::io::Error> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut start = w.create_element(root).with_attribute(("xmlns", XMLNS));
    if locs.iter().any(|(_, _, alternates)| !alternates.is_empty()) {
        start = start.with_attribute(("xmlns:xhtml", XMLNS_XHTML));
    }
    start.write_inner_content(|w| {
        for (loc, lastmod, alternates) in locs {
            w.create_element(element).write_inner_content(|w| {
                w.create_element("loc")
                    .write_text_content(BytesText::new(loc))?;
                if let Some(lastmod) = lastmod {
                    w.create_element("lastmod")
                        .write_text_content(BytesText::new(lastmod))?;
                }
                for (hreflang, href) in alternates {
                    w.create_element("xhtml:link")
                        .with_attributes([
                            ("rel", "alternate"),
                            ("hreflang", hreflang.as_str()),
                            ("href", href.as_str()),
                        ])
                        .write_empty()?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(w.into_inner())
}

/// The sitemap files of a site whose pages are at `pages` (paths under
/// `base`, an absolute base URL ending in `/`), each within `limits`: one
/// `sitemap.xml` when everything fits, else `sitemap.xml` as the index of
/// `sitemap-1.xml`, `sitemap-2.xml`, …. Returns file names and contents,
/// `sitemap.xml` first.
pub fn files(
    base: &str,
    pages: &[String],
    limits: Limits,
) -> Result<Vec<(String, Vec<u8>)>, std::io::Error> {
    let mut out = Vec::new();
    write_parts(
        base,
        &mut pages.iter().map(String::as_str),
        &|_| None,
        &|_| Vec::new(),
        limits,
        &mut |name, xml| {
            out.push((name.to_string(), xml.to_vec()));
            Ok(())
        },
    )?;
    // The index is made last, once the parts are counted.
    if let Some(at) = out.iter().position(|(name, _)| name == urls::SITEMAP) {
        out[..=at].rotate_right(1);
    }
    Ok(out)
}

/// Writes one sitemap file: its name and contents.
pub type Put<'a> = dyn FnMut(&str, &[u8]) -> Result<(), std::io::Error> + 'a;

/// Bytes an `<xhtml:link>` element takes beside its language and address.
const ALTERNATE_BYTES: usize = 60;

/// Writes [`files`] through `put` (name, contents), each page with its
/// `<lastmod>` from `lastmod` (a W3C date, or none) and its language
/// alternates from `alternates`. Each part is written once it is full, so
/// at most one part's entries are held, whatever the size of the site.
pub fn write_parts(
    base: &str,
    pages: &mut dyn Iterator<Item = &str>,
    lastmod: &dyn Fn(&str) -> Option<String>,
    alternates: &dyn Fn(&str) -> Alternates,
    limits: Limits,
    put: &mut Put,
) -> Result<(), std::io::Error> {
    let max_urls = limits.urls.max(1);
    let room = limits.bytes.saturating_sub(FRAME_BYTES);
    let mut part: Vec<Entry> = Vec::new();
    let mut bytes = 0;
    let mut written = 0;
    for path in pages.filter(|p| !is_not_found(p)) {
        let loc = urls::under(base, path);
        let modified = lastmod(path);
        let links = alternates(path);
        let len = quick_xml::escape::escape(loc.as_str()).len()
            + ENTRY_BYTES
            + modified.as_ref().map_or(0, |m| m.len() + LASTMOD_BYTES)
            + links
                .iter()
                .map(|(l, h)| {
                    l.len() + quick_xml::escape::escape(h.as_str()).len() + ALTERNATE_BYTES
                })
                .sum::<usize>();
        if !part.is_empty() && (part.len() >= max_urls || bytes + len > room) {
            written += 1;
            put(&urls::sitemap_part(written), &file("urlset", "url", &part)?)?;
            part.clear();
            bytes = 0;
        }
        bytes += len;
        part.push((loc, modified, links));
    }
    if written == 0 {
        return put(urls::SITEMAP, &file("urlset", "url", &part)?);
    }
    written += 1;
    put(&urls::sitemap_part(written), &file("urlset", "url", &part)?)?;
    let index: Vec<Entry> = (1..=written)
        .map(|n| (urls::under(base, &urls::sitemap_part(n)), None, Vec::new()))
        .collect();
    put(urls::SITEMAP, &file("sitemapindex", "sitemap", &index)?)
}

/// The names of the sitemap files a site of `pages` pages may need beside
/// `sitemap.xml` (by URL count), so static files cannot take them.
pub fn part_names(pages: usize) -> Vec<String> {
    let parts = pages.div_ceil(Limits::PROTOCOL.urls);
    if parts <= 1 {
        return Vec::new();
    }
    (1..=parts).map(urls::sitemap_part).collect()
}

pub(super) fn write(ctx: &Ctx, pages: &dyn super::PagePaths) -> Result<(), crate::error::Error> {
    // An event page changed when its event last did; the corrections page
    // when the newest correction was made. Events are found by slug when
    // their page is listed (four bytes an event, where a map of every
    // page's date took over two hundred).
    let site = ctx.site;
    let mut by_slug: Vec<u32> = (0..site.events.len() as u32).collect();
    by_slug.sort_unstable_by(|&a, &b| {
        site.events[a as usize]
            .slug
            .cmp(&site.events[b as usize].slug)
    });
    let event_updated = |path: &str| {
        let slug = urls::event_slug(path.strip_suffix('/')?)?;
        let at = by_slug
            .binary_search_by(|&i| (*site.events[i as usize].slug).cmp(slug))
            .ok()?;
        let i = by_slug[at] as usize;
        Some(site.updated.get(i)?.as_ref()?.machine())
    };
    let corrected = crate::content::provenance::latest(
        site.events
            .iter()
            .flat_map(|e| e.corrections().iter().map(|c| &c.date)),
    )
    .map(|d| d.machine());
    // The default language's sitemap also lists every other edition's
    // pages, so one sitemap at the site's root covers the whole site (a
    // sitemap index cannot point at the editions' own indexes). `in_edition`
    // maps such a page's path under the root to its path in its edition,
    // which its date and alternates are found by.
    let (others, in_edition) = match &site.edition {
        Some(edition) if edition.current == 0 => other_editions(edition),
        _ => Default::default(),
    };
    let lastmod = |path: &str| match own(&in_edition, path) {
        urls::CORRECTIONS => corrected.clone(),
        path => event_updated(path),
    };
    let alternates = |path: &str| {
        site.edition
            .as_ref()
            .map_or_else(Vec::new, |e| e.alternates(own(&in_edition, path)))
    };
    let mut listed = pages.paths().chain(others.iter().map(String::as_str));
    let mut failed = None;
    write_parts(
        &ctx.abs(""),
        &mut listed,
        &lastmod,
        &alternates,
        Limits::PROTOCOL,
        &mut |name, xml| {
            ctx.put(name, xml).map_err(|e| {
                failed = Some(e);
                std::io::Error::other("not written")
            })
        },
    )
    .map_err(|e| {
        failed
            .take()
            .unwrap_or_else(|| crate::error::Error::io("cannot encode sitemap.xml", e))
    })?;
    // robots.txt is only read at the host's root; under a sub-path it is
    // still written so it can be copied there.
    // A multilingual site's robots.txt, the default language's, names
    // every edition's sitemap; the other editions write none.
    let mut sitemaps = vec![ctx.abs(urls::SITEMAP)];
    if let Some(edition) = &site.edition {
        if edition.current != 0 {
            return Ok(());
        }
        sitemaps.extend(
            edition
                .all
                .list
                .iter()
                .skip(1)
                .map(|e| urls::under(&e.base_url, urls::SITEMAP)),
        );
    }
    let lines: String = sitemaps.iter().map(|s| format!("Sitemap: {s}\n")).collect();
    let robots = format!("User-agent: *\nAllow: /\n\n{lines}");
    ctx.put(urls::ROBOTS, robots.as_bytes())
}

/// The path in its own edition of a page listed at `path` (see
/// [`other_editions`]).
fn own<'p>(in_edition: &'p std::collections::HashMap<String, String>, path: &'p str) -> &'p str {
    in_edition.get(path).map_or(path, String::as_str)
}

/// Every other edition's pages (each edition's sorted), listed after the
/// default language's own, as paths under the site's root
/// (`ja/events/x/`), with each mapped to its path in its edition
/// (`events/x/`).
fn other_editions(
    edition: &crate::model::edition::Edition,
) -> (Vec<String>, std::collections::HashMap<String, String>) {
    let all = &edition.all;
    let root = all.list.first().map_or("/", |e| e.base_path.as_str());
    let mut listed = Vec::new();
    let mut in_edition = std::collections::HashMap::new();
    for (i, other) in all.list.iter().enumerate().skip(1).take(63) {
        let Some(prefix) = other.base_path.strip_prefix(root) else {
            continue;
        };
        let mut theirs: Vec<&String> = all
            .pages
            .iter()
            .filter(|(_, bits)| **bits & (1 << i) != 0)
            .map(|(path, _)| path)
            .collect();
        theirs.sort();
        for path in theirs {
            let under_root = format!("{prefix}{path}");
            listed.push(under_root.clone());
            in_edition.insert(under_root, path.clone());
        }
    }
    (listed, in_edition)
}
