//! Atom 1.0 feeds (`atom.xml` for the site and `<taxonomy>/<term>/atom.xml`
//! per browse-by term) through `atom_syndication`, and JSON Feed 1.1
//! (`feed.json`) through serde. Each holds the newest `feeds.limit` events,
//! so term feeds stay small on large sites.

use super::{Ctx, categories};
use crate::content::event::Event;
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;
use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::Serialize;

/// Indexes of the newest `limit` events of a chronological list, newest first.
fn newest(events: &[usize], limit: usize) -> impl Iterator<Item = usize> + '_ {
    events.iter().rev().take(limit).copied()
}

/// Published: the first instant of the period as written (UTC midnight
/// for dates without a time, so no day is shifted).
fn published(e: &Event) -> DateTime<FixedOffset> {
    e.date.first_instant()
}

/// Updated: the first instant of the day the event last changed (see
/// `model::updated`), or its published instant when nothing says; both
/// come from the sources, so builds stay reproducible.
fn modified(ctx: &Ctx, i: usize) -> DateTime<FixedOffset> {
    match ctx.site.updated.get(i).copied().flatten() {
        Some(d) => d.first_instant(),
        None => published(&ctx.site.events[i]),
    }
}

fn entry(ctx: &Ctx, i: usize, e: &Event) -> Entry {
    let url = ctx.abs(&urls::event(&e.slug));
    let mut entry = Entry::default();
    // The event's URL is its id: stable as long as slug and base_url are.
    entry.set_id(url.clone());
    entry.set_title(Text::plain(e.title.to_string()));
    entry.set_published(Some(published(e)));
    entry.set_updated(modified(ctx, i));
    entry.set_summary(Some(Text::plain(e.summary.to_string())));
    let mut links = vec![Link {
        href: url,
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Link::default()
    }];
    // Each media file as an enclosure, so feed readers can show or fetch it.
    links.extend(
        super::media_out::attachments(ctx.site, ctx.base, e)
            .into_iter()
            .map(|a| Link {
                href: a.url,
                rel: "enclosure".into(),
                mime_type: Some(a.mime),
                length: a.length.map(|n| n.to_string()),
                title: a.title,
                ..Link::default()
            }),
    );
    entry.set_links(links);
    entry.set_categories(
        categories(ctx.site, e)
            .into_iter()
            .map(|(kind, slug, label)| Category {
                term: slug,
                scheme: Some(ctx.abs(&urls::taxonomy(kind.key()))),
                label: Some(label),
            })
            .collect::<Vec<_>>(),
    );
    entry
}

/// The event's whole text as the entry's content.
fn with_content(ctx: &Ctx, mut entry: Entry, i: usize) -> Result<Entry, crate::error::Error> {
    let mut content = Content::default();
    content.set_content_type(Some("html".to_string()));
    content.set_value(Some(ctx.event_html(i)?));
    entry.set_content(Some(content));
    Ok(entry)
}

/// One Atom feed: `path` is the page it belongs to ("" or "kinds/meeting/").
/// The site's feed carries each event's whole text; a term's feed (one of
/// hundreds on a large site) carries the summary and the link, as a feed
/// reader needs to tell a reader what is new. Its entries are made here,
/// for this feed alone: on a large site the terms' newest events hardly
/// overlap, so sharing entries between feeds saved little work and held
/// every feed's entries at once.
fn atom(
    ctx: &Ctx,
    members: &[usize],
    title: &str,
    path: &str,
) -> Result<Vec<u8>, crate::error::Error> {
    let config = &ctx.site.config;
    let limit = config.feeds.limit;
    let mut feed = atom_head(ctx, &urls::atom_of(path), path, title);
    if let Some(d) = &config.description {
        feed.set_subtitle(Some(Text::plain(d.clone())));
    }
    let whole_text = path.is_empty();
    let chosen: Vec<Entry> = newest(members, limit)
        .map(|i| {
            let entry = entry(ctx, i, &ctx.site.events[i]);
            if whole_text {
                with_content(ctx, entry, i)
            } else {
                Ok(entry)
            }
        })
        .collect::<Result<_, _>>()?;
    // The latest of its entries' dates; a feed with no entries gets a
    // fixed date so builds stay reproducible.
    let updated = newest(members, limit)
        .map(|i| modified(ctx, i).max(published(&ctx.site.events[i])))
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH.fixed_offset());
    feed.set_updated(updated);
    feed.set_entries(chosen);
    Ok(feed.to_string().into_bytes())
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: &'a str,
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<JsonItem>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    url: String,
    title: String,
    summary: String,
    content_html: String,
    date_published: String,
    date_modified: String,
    tags: Vec<String>,
    /// The event's first image.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    /// Its media files.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<JsonAttachment>,
    /// JSON Feed extension (leading underscore, per the spec): the date
    /// as written, since `date_published` must be a full RFC 3339 instant.
    _annals: JsonExtension,
}

#[derive(Serialize)]
struct JsonAttachment {
    url: String,
    mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

#[derive(Serialize)]
struct JsonExtension {
    date: String,
    precision: crate::values::dates::Precision,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    approximate: bool,
    status: &'static str,
}

fn json_feed<'a>(ctx: &Ctx<'a>) -> Result<JsonFeed<'a>, crate::error::Error> {
    let config = &ctx.site.config;
    let all: Vec<usize> = (0..ctx.site.events.len()).collect();
    let items = newest(&all, config.feeds.limit)
        .map(|i| {
            let e = &ctx.site.events[i];
            let date = published(e).to_rfc3339();
            Ok(JsonItem {
                id: ctx.abs(&urls::event(&e.slug)),
                url: ctx.abs(&urls::event(&e.slug)),
                title: e.title.to_string(),
                summary: e.summary.to_string(),
                content_html: ctx.event_html(i)?,
                date_published: date,
                date_modified: modified(ctx, i).to_rfc3339(),
                tags: categories(ctx.site, e).into_iter().map(|c| c.2).collect(),
                image: super::media_out::first_image(ctx.site, ctx.base, e),
                attachments: super::media_out::attachments(ctx.site, ctx.base, e)
                    .into_iter()
                    .map(|a| JsonAttachment {
                        url: a.url,
                        mime_type: a.mime,
                        title: a.title,
                        size_in_bytes: a.length,
                    })
                    .collect(),
                _annals: JsonExtension {
                    date: e.date.machine(),
                    precision: e.date.precision(),
                    end_date: e.end_date().map(|d| match d {
                        crate::values::dates::EndDate::On(d) => d.machine(),
                        crate::values::dates::EndDate::Ongoing => "ongoing".into(),
                    }),
                    approximate: e.approximate,
                    status: e.status.key(),
                },
            })
        })
        .collect::<Result<_, crate::error::Error>>()?;
    Ok(JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &config.title,
        home_page_url: ctx.base.to_string(),
        feed_url: ctx.abs(urls::JSON_FEED),
        description: config.description.as_deref(),
        language: &config.language,
        authors: vec![JsonAuthor {
            name: &config.title,
            url: ctx.base.to_string(),
        }],
        items,
    })
}

pub(super) fn write(ctx: &Ctx) -> Result<(), crate::error::Error> {
    let site = ctx.site;
    let config = &site.config;
    if config.feeds.json {
        ctx.put_json(urls::JSON_FEED, &json_feed(ctx)?)?;
    }
    if !config.feeds.atom {
        return Ok(());
    }
    let all: Vec<usize> = (0..site.events.len()).collect();
    ctx.put(urls::ATOM, &atom(ctx, &all, &config.title, urls::HOME)?)?;
    let terms: Vec<(TaxonomyKind, usize)> = TaxonomyKind::ALL
        .iter()
        .flat_map(|&k| (0..site.taxonomy(k).terms.len()).map(move |t| (k, t)))
        .collect();
    terms.par_iter().try_for_each(|&(kind, t)| {
        let term = &site.taxonomy(kind).terms[t];
        let path = urls::term(kind.key(), &term.slug);
        let title = ctx.locale.format(
            "feed-term-title",
            &[
                ("taxonomy", ctx.locale.text(kind.singular_key()).into()),
                ("term", term.label.as_str().into()),
                ("site", config.title.as_str().into()),
            ],
        );
        let rel = urls::atom_of(&path);
        let fingerprint = ctx
            .reuse
            .and_then(|_| term_feed_fingerprint(ctx, &rel, &title, &term.events));
        if ctx.reuse_file(&rel, fingerprint) {
            return Ok(());
        }
        ctx.put(&rel, &atom(ctx, &term.events, &title, &path)?)?;
        ctx.record_file(&rel, fingerprint);
        Ok(())
    })
}

/// What a term's feed (`rel`, titled `title`) is made of: its newest
/// events as read (a term feed carries no body, see [`atom`]), what the
/// site holds beyond its events (term names, media facts) and the parts of
/// the configuration its head shows; the rest of the configuration, the
/// words and the binary are in the global fingerprint every reuse
/// requires. A rebuild then writes only the feeds of the terms an edit
/// touched: a site has hundreds of them.
fn term_feed_fingerprint(ctx: &Ctx, rel: &str, title: &str, members: &[usize]) -> Option<u128> {
    let inputs = ctx.site.inputs();
    let config = &ctx.site.config;
    let events = newest(members, config.feeds.limit)
        .map(|i| inputs.event(i))
        .collect::<Option<Vec<u128>>>()?;
    crate::output::digest::of(&(
        "term feed",
        (rel, title, ctx.base),
        (&config.language, &config.title, &config.description),
        inputs.site(),
        events,
    ))
}

/// An Atom feed's head, shared by every feed of the site: its id and
/// `self` link (`feed_rel`), its `alternate` page (`page_rel`), title,
/// language, base, the site as author and annals as generator.
pub(super) fn atom_head(ctx: &Ctx, feed_rel: &str, page_rel: &str, title: &str) -> Feed {
    let config = &ctx.site.config;
    let mut feed = Feed::default();
    feed.set_id(ctx.abs(feed_rel));
    feed.set_title(Text::plain(title.to_string()));
    feed.set_lang(Some(config.language.clone()));
    feed.set_base(Some(ctx.base.to_string()));
    feed.set_authors(vec![Person {
        name: config.title.clone(),
        uri: Some(ctx.base.to_string()),
        ..Person::default()
    }]);
    feed.set_generator(Some(Generator {
        value: "annals".into(),
        uri: None,
        version: Some(env!("CARGO_PKG_VERSION").into()),
    }));
    feed.set_links(vec![
        Link {
            href: ctx.abs(feed_rel),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Link::default()
        },
        Link {
            href: ctx.abs(page_rel),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        },
    ]);
    feed
}
