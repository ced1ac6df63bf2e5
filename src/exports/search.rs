//! The search index: `search-index.js`, one compact array per event
//! (path, title, date text, summary, keywords) assigned to a global and
//! loaded with a plain `<script src>`, so the search page works from any
//! static host with no fetch, CORS or MIME-type set-up.
//!
//! Keywords are the distinct words of the body, participants, location,
//! kind, countries, tracks and tags that are not already in the title or
//! summary: the browser scans this array, which at 10,000 events is both
//! smaller than an inverted index carrying the same result fields and
//! fast enough (a linear scan of a few MB takes milliseconds).

use super::Ctx;
use crate::event::Event;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashSet;

/// Index file name, under the base path.
pub const INDEX_FILE: &str = "search-index.js";

#[derive(Serialize)]
struct Index<'a> {
    /// What each position of a document holds.
    fields: [&'static str; 5],
    docs: Vec<(String, &'a str, String, &'a str, String)>,
}

use crate::markdown::words;

fn keywords(ctx: &Ctx, e: &Event) -> String {
    let mut seen: HashSet<Cow<str>, ahash::RandomState> =
        words(&e.title).chain(words(&e.summary)).collect();
    let mut out = String::new();
    let mut extra: Vec<String> = e.participants.iter().map(|p| p.name.clone()).collect();
    extra.extend(e.participants.iter().filter_map(|p| p.role.clone()));
    extra.extend(e.location.clone());
    extra.push(
        ctx.site
            .config
            .kind(&e.kind)
            .map(|k| k.label.clone())
            .unwrap_or_else(|| e.kind.clone()),
    );
    extra.extend(e.countries.iter().map(|c| ctx.site.config.country_label(c)));
    extra.extend(e.countries.iter().cloned());
    extra.extend(e.tracks.iter().map(|t| {
        ctx.site
            .config
            .track(t)
            .map(|d| d.label.clone())
            .unwrap_or_else(|| t.clone())
    }));
    extra.extend(e.tags.iter().cloned());
    for w in extra
        .iter()
        .flat_map(|t| words(t))
        .chain(words(&e.body_words))
    {
        if !seen.contains(&w) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
            seen.insert(w);
        }
    }
    out
}

pub(super) fn write(ctx: &Ctx) -> Result<(), String> {
    let docs = ctx
        .site
        .events
        .par_iter()
        .map(|e| {
            (
                format!("events/{}/", e.slug),
                e.title.as_str(),
                crate::dates::display_span(&e.date, e.end_date.as_ref(), e.approximate),
                e.summary.as_str(),
                keywords(ctx, e),
            )
        })
        .collect();
    let index = Index {
        fields: ["path", "title", "when", "summary", "keywords"],
        docs,
    };
    let json = serde_json::to_string(&index).map_err(|e| format!("cannot encode index: {e}"))?;
    // JSON is valid JavaScript; `</` cannot appear unescaped in a script
    // file read by `<script src>`, but escape it anyway for inline reuse.
    let js = format!(
        "window.annalsSearchIndex = {};\n",
        json.replace("</", "<\\/")
    );
    ctx.put(INDEX_FILE, js.as_bytes())
}
