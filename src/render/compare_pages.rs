//! The compare pages (tracks in lanes) and the embeds (a chrome-free list
//! for an `<iframe>`), kept apart from the other pages' rendering.

use super::{EMBED_LIMIT, Job, Shared, Templates, page_path, template_of};
use crate::diagnostic::Diagnostic;
use crate::exports::escape_html;
use crate::render::compare;
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

/// Characters percent-encoded in a URL written into markup by hand (with
/// every non-ASCII character): none may end an attribute or split the URL.
const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'^');

fn percent_encode_unsafe(url: &str) -> String {
    utf8_percent_encode(url, URL_UNSAFE).to_string()
}

/// An embed a newsroom can copy, with its ready-made `<iframe>` snippet.
#[derive(Serialize)]
struct EmbedSnippet {
    label: String,
    url: String,
    snippet: String,
}

impl<'s> Shared<'s> {
    /// One event's summary, as a template value.
    fn summary(&self, i: usize) -> Option<tera::Value> {
        self.prepared.summary_values.get(i).cloned()
    }

    /// A URL readers outside the site can load: absolute with an absolute
    /// base URL, else site-relative (enough for a local preview).
    fn public_url(&self, path: &str) -> String {
        let config = &self.site.config;
        if config.has_absolute_base_url() {
            urls::under(config.base_url(), path)
        } else {
            self.urls.to(path)
        }
    }

    /// The snippet is HTML written by hand, so each value is escaped for
    /// where it lands: the URL percent-encoded then attribute-escaped, the
    /// title attribute-escaped.
    fn embed_snippet(&self, label: &str, path: &str) -> EmbedSnippet {
        let url = percent_encode_unsafe(&self.public_url(path));
        let title = format!("{}: {label}", self.site.config.title);
        EmbedSnippet {
            label: label.to_string(),
            snippet: format!(
                "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"600\" loading=\"lazy\" style=\"border:1px solid #d5dbe1\"></iframe>",
                escape_html(&url),
                escape_html(&title)
            ),
            url,
        }
    }

    pub(super) fn render_compare(
        &self,
        templates: &Templates,
        job: Job,
    ) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
        let (lanes, pair) = match job {
            Job::ComparePair(a, b) => (vec![a, b], Some((a, b))),
            _ => (compare::default_lanes(tracks.len()), None),
        };
        let view = compare::view(site, &self.urls, &|i| self.summary(i), &lanes, pair);
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
        let path = page_path(site, job);
        let mut ctx = self.context(self.meta(&title, &desc, &path, "compare"));
        let mut embeds = vec![self.embed_snippet("All events", urls::EMBED)];
        embeds.extend(
            lanes
                .iter()
                .filter_map(|&t| tracks.get(t))
                .map(|t| self.embed_snippet(&t.label, &urls::embed_track(&t.slug))),
        );
        ctx.insert("compare", &view);
        ctx.insert("embeds", &embeds);
        ctx.insert("is_pair", &pair.is_some());
        ctx.insert("compare_url", &self.urls.to(urls::COMPARE));
        let html = templates.render(template_of(job), &ctx)?;
        Ok((urls::file_of(&path), html))
    }

    pub(super) fn render_embed(
        &self,
        templates: &Templates,
        job: Job,
    ) -> Result<(String, String), Diagnostic> {
        let site = self.site;
        let (label, events, full_url) = match job {
            Job::EmbedTrack(t) => {
                let term = &site.taxonomy(TaxonomyKind::Tracks).terms[t];
                (
                    term.label.clone(),
                    term.events.clone(),
                    self.public_url(&urls::term(TaxonomyKind::Tracks.key(), &term.slug)),
                )
            }
            _ => (
                site.config.title.clone(),
                (0..site.events.len()).collect(),
                self.public_url(urls::HOME),
            ),
        };
        let total = events.len();
        let shown: Vec<tera::Value> = events[events.len().saturating_sub(EMBED_LIMIT)..]
            .iter()
            .filter_map(|&i| self.summary(i))
            .collect();
        let path = page_path(site, job);
        let desc = format!("{total} events: {label}.");
        let mut ctx = self.context(self.meta(&label, &desc, &path, "embed"));
        ctx.insert("events", &shown);
        ctx.insert("total", &total);
        ctx.insert("full_url", &full_url);
        let html = templates.render(template_of(job), &ctx)?;
        Ok((urls::file_of(&path), html))
    }
}
