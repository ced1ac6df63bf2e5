//! Links written in Markdown bodies, checked where they are written: `@/`
//! site links (`@/events/<slug>`, `@/<page>`, `@/`) are turned into the
//! site URL under the base path and kept for the site-wide existence check;
//! root-relative links that leave the base path become warnings. Every
//! report points at the `.md` file's line and column.

use crate::diagnostic::Located;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::line_index::LineIndex;
use crate::urls;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// What an `@/` link names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteTarget {
    /// `@/`: the timeline.
    Home,
    /// `@/events/<slug>`.
    Event(String),
    /// `@/<slug>`: a page of `content/pages/`.
    Page(String),
}

/// An `@/` link of a body, with where it was written.
#[derive(Debug, Clone)]
pub struct SiteLink {
    pub target: SiteTarget,
    pub written: String,
    pub at: Located,
}

/// What the links of one body came to.
#[derive(Debug, Default)]
pub struct BodyLinks {
    pub site_links: Vec<SiteLink>,
    /// Links that stay in the output but will not work (exit 0 in build).
    pub warnings: Vec<Diagnostic>,
    /// Links that cannot be written out at all.
    pub errors: Vec<Diagnostic>,
}

/// Parses `@/…` into its target and `#fragment` (with the `#`, or empty).
fn parse_site_link(rest: &str) -> Result<(SiteTarget, &str), String> {
    let (path, fragment) = match rest.find('#') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.strip_suffix('/').unwrap_or(path);
    let valid = |slug: &str| crate::values::slug::is_valid(slug);
    let target = if path.is_empty() {
        SiteTarget::Home
    } else if path == urls::EVENTS {
        return Err("name the event: `@/events/<slug>`".to_string());
    } else if let Some(slug) = urls::event_slug(path) {
        if !valid(slug) {
            return Err(format!("`{slug}` is not an event slug"));
        }
        SiteTarget::Event(slug.to_string())
    } else if valid(path) {
        SiteTarget::Page(path.to_string())
    } else {
        return Err(format!("`{path}` is not a page slug"));
    };
    Ok((target, fragment))
}

/// The site path (under the base path, no leading `/`) of a target.
fn target_path(target: &SiteTarget) -> String {
    match target {
        SiteTarget::Home => String::new(),
        SiteTarget::Event(slug) => urls::event(slug),
        SiteTarget::Page(slug) => urls::page(slug),
    }
}

/// Walks a body's link addresses for one file. `text` is the whole file
/// as parsed and `body_start` the body's offset in it, so positions are
/// those of the file.
pub struct LinkWalker<'a> {
    pub path: &'a Path,
    pub lines: LineIndex<'a>,
    pub body_start: usize,
    /// The site's base path, e.g. `/timeline/`.
    pub base_path: &'a str,
    /// What the edition being rendered leaves out (see [`crate::config::Elsewhere`]).
    pub elsewhere: Option<&'a crate::config::Elsewhere>,
    pub found: BodyLinks,
}

impl<'a> LinkWalker<'a> {
    pub fn new(path: &'a Path, text: &'a str, body_start: usize, base_path: &'a str) -> Self {
        LinkWalker {
            path,
            lines: LineIndex::new(text),
            body_start,
            base_path,
            elsewhere: None,
            found: BodyLinks::default(),
        }
    }

    /// Links to what `elsewhere` names lead to the default language's pages.
    pub fn leaving_out(mut self, elsewhere: Option<&'a crate::config::Elsewhere>) -> Self {
        self.elsewhere = elsewhere;
        self
    }

    /// Where `address` is written inside the link at `range` of the body:
    /// the address itself when it is there (inline links), else the link.
    fn locate(&self, address: &str, range: Range<usize>) -> Located {
        let text = self.lines.text();
        let start = self.body_start + range.start;
        let end = (self.body_start + range.end).min(text.len());
        let written = text.get(start..end).unwrap_or("");
        let (offset, width) = match written.find(address).filter(|_| !address.is_empty()) {
            Some(i) => (start + i, address.chars().count()),
            None => (start, written.chars().take_while(|&c| c != '\n').count()),
        };
        let pos = self.lines.pos(offset);
        Located {
            path: self.path.into(),
            pos,
            width: width.max(1),
            line_text: self.lines.line_text(pos.line).unwrap_or("").to_string(),
        }
    }

    /// The visitor for [`crate::content::markdown`]: checks one address and returns
    /// its replacement, if any.
    pub fn visit(&mut self, address: &str, range: Range<usize>) -> Option<String> {
        if let Some(rest) = address.strip_prefix("@/") {
            let at = self.locate(address, range);
            return match parse_site_link(rest) {
                Ok((target, fragment)) => {
                    let base = match (self.elsewhere, &target) {
                        (Some(e), SiteTarget::Event(s)) if e.events.contains(s) => &e.base_path,
                        (Some(e), SiteTarget::Page(s)) if e.pages.contains(s) => &e.base_path,
                        _ => self.base_path,
                    };
                    let url = format!("{base}{}{fragment}", target_path(&target));
                    self.found.site_links.push(SiteLink {
                        target,
                        written: address.to_string(),
                        at,
                    });
                    Some(url)
                }
                Err(why) => {
                    self.found.errors.push(
                        at.diagnostic(format!("malformed site link `{address}`: {why}"))
                            .with_hint("write `@/events/<slug>`, `@/<page-slug>` or `@/`, optionally followed by `#fragment`"),
                    );
                    None
                }
            };
        }
        if address.starts_with('/')
            && !address.starts_with("//")
            && !address.starts_with(self.base_path)
            && format!("{address}/") != self.base_path
        {
            let at = self.locate(address, range);
            self.found.warnings.push(
                at.diagnostic(format!(
                    "link `{address}` leaves the site's base path `{}`",
                    self.base_path
                ))
                .with_hint(format!(
                    "link to the site's own pages with `@/events/<slug>` or `@/<page-slug>`, which follow base_url; for a file of static/, write `{}{}`",
                    self.base_path,
                    address.trim_start_matches('/')
                )),
            );
        }
        None
    }
}

/// Slugs that `@/` links may name, and whether each is published.
pub struct Targets<'s> {
    pub events: HashMap<&'s str, bool>,
    pub pages: HashMap<&'s str, bool>,
}

/// Errors for `@/` links whose target does not exist, or is a draft left
/// out of this build.
pub fn check_targets(links: &[SiteLink], targets: &Targets, drafts: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in links {
        let (kind, slug, known) = match &link.target {
            SiteTarget::Home => continue,
            SiteTarget::Event(s) => ("event", s, &targets.events),
            SiteTarget::Page(s) => ("page", s, &targets.pages),
        };
        match known.get(slug.as_str()) {
            Some(true) => {}
            Some(false) if drafts => {}
            Some(false) => out.push(
                link.at
                    .diagnostic(format!(
                        "site link `{}` names the draft {kind} `{slug}`, which this build leaves out",
                        link.written
                    ))
                    .with_hint("publish it (remove `draft: true`), build with --drafts, or remove the link"),
            ),
            None => {
                let hint = match did_you_mean(slug, known.keys().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("no {kind} has the slug `{slug}` (its file name without .md, or its `slug:`)"),
                };
                out.push(
                    link.at
                        .diagnostic(format!(
                            "site link `{}`: there is no {kind} `{slug}`",
                            link.written
                        ))
                        .with_hint(hint),
                );
            }
        }
    }
    out
}

/// Where in a content file the body link rendered as `rendered` (an
/// address as found in the page's HTML) is written, for reporting a broken
/// link at its source. Reads the file again: this runs only on failure.
pub fn find_in_source(source: &Path, base_path: &str, rendered: &str) -> Option<Located> {
    use pulldown_cmark::{Event, Parser, Tag};
    let bytes = std::fs::read(source).ok()?;
    let file = crate::source::load::SourceFile {
        rel: source.to_path_buf(),
        shown: source.to_path_buf(),
        bytes,
    };
    let doc = crate::source::parse::parse(&file).ok()?;
    let decoded = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let wanted = decoded(rendered);
    let mut walker = LinkWalker::new(source, &doc.text, doc.body_offset(), base_path);
    for (event, range) in
        Parser::new_ext(doc.body(), crate::content::markdown::options()).into_offset_iter()
    {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        let address = walker
            .visit(&dest_url, range.clone())
            .unwrap_or_else(|| dest_url.to_string());
        if decoded(&address) == wanted {
            return Some(walker.locate(&dest_url, range));
        }
    }
    // Raw HTML in the body (`<a href="…">`) holds the address as written.
    let body = doc.body();
    let found = body
        .find(&format!("\"{rendered}\""))
        .map(|i| i + 1)
        .or_else(|| body.find(&format!("'{rendered}'")).map(|i| i + 1))?;
    Some(walker.locate(rendered, found..found + rendered.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_site_links() {
        assert_eq!(
            parse_site_link("events/a-b/#x"),
            Ok((SiteTarget::Event("a-b".into()), "#x"))
        );
        assert_eq!(
            parse_site_link("about"),
            Ok((SiteTarget::Page("about".into()), ""))
        );
        assert_eq!(parse_site_link(""), Ok((SiteTarget::Home, "")));
        assert!(parse_site_link("events/").is_err());
        assert!(parse_site_link("a/b").is_err());
    }
}
