//! `corrections.xml`: an Atom feed of the site's corrections, newest
//! first (the newest `feeds.limit`), each entry linking to its notice on
//! the event's page, so readers who follow a timeline learn what changed
//! in what they already read.

use super::Ctx;
use crate::content::provenance::anchor;
use crate::urls;
use atom_syndication::{Content, Entry, Link, Text};
use chrono::DateTime;

pub(super) fn write(ctx: &Ctx) -> Result<(), crate::error::Error> {
    let site = ctx.site;
    let config = &site.config;
    let list = crate::model::updated::corrections(site);
    let entries: Vec<Entry> = list
        .iter()
        .take(config.feeds.limit)
        .map(|&(i, c)| {
            let e = &site.events[i];
            let correction = &e.corrections()[c];
            let url = format!(
                "{}#{}",
                ctx.abs(&urls::event(&e.slug)),
                anchor(e.corrections(), c)
            );
            let when = correction.date.first_instant();
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(
                ctx.locale
                    .format("corrections-feed-entry", &[("title", (&*e.title).into())]),
            ));
            entry.set_published(Some(when));
            entry.set_updated(when);
            let mut content = Content::default();
            content.set_content_type(Some("html".to_string()));
            content.set_value(Some(correction.html.clone()));
            entry.set_content(Some(content));
            entry.set_links(vec![Link {
                href: url,
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            }]);
            entry
        })
        .collect();
    let title = ctx.locale.format(
        "corrections-feed-title",
        &[("site", config.title.as_str().into())],
    );
    let mut feed = super::feeds::atom_head(ctx, urls::CORRECTIONS_FEED, urls::CORRECTIONS, &title);
    // The newest correction's day; none gets a fixed date so builds stay
    // reproducible.
    feed.set_updated(
        entries
            .first()
            .map(|e| *e.updated())
            .unwrap_or(DateTime::UNIX_EPOCH.fixed_offset()),
    );
    feed.set_entries(entries);
    ctx.put(urls::CORRECTIONS_FEED, feed.to_string().as_bytes())
}
