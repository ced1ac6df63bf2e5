//! An event's media as the exports carry them: the `media` list of
//! `events.json` (see its schema in `content::schema`), the main image
//! and attached files the feeds and the calendar take from it, and the
//! slide's `media` object of `timelinejs.json`. Addresses are absolute, under the site's base URL.

use crate::content::event::Event;
use crate::content::media::{Media, MediaKind};
use crate::media::address;
use crate::model::Site;
use serde::Serialize;

/// One media item in `events.json`.
#[derive(Debug, Clone, Serialize)]
pub struct MediaOut<'a> {
    pub src: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub alt: Option<&'a str>,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
    #[serde(rename = "type")]
    pub mime: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub thumbnail: Option<String>,
}

/// A file a feed item or calendar event carries (not embeds): the
/// original, absolute, with its type and, for a local file, its length.
pub struct Attachment {
    pub url: String,
    pub mime: String,
    pub length: Option<u64>,
    /// Caption, else alt text.
    pub title: Option<String>,
}

/// Every media item of `e`, addresses under `base` (absolute).
pub fn media<'a>(site: &Site, base: &str, e: &'a Event) -> Vec<MediaOut<'a>> {
    e.media().iter().map(|m| one(site, base, e, m)).collect()
}

fn one<'a>(site: &Site, base: &str, e: &Event, m: &'a Media) -> MediaOut<'a> {
    let facts = address::facts(site, m);
    let image = facts.and_then(|f| f.image.as_ref());
    let main = address::main(site, e, m);
    let size = image.map(|i| {
        i.renditions
            .last()
            .map_or((i.width, i.height), |r| (r.width, r.height))
    });
    MediaOut {
        src: &m.written,
        url: main.under(base),
        kind: m.kind.key(),
        alt: m.alt.as_deref(),
        caption: m.caption.as_deref(),
        credit: m.credit.as_deref(),
        mime: match m.kind {
            MediaKind::Embed => None,
            _ => Some(facts.map_or_else(
                || crate::content::media::mime_of(&m.written),
                |f| f.mime.clone(),
            )),
        },
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        thumbnail: (m.kind == MediaKind::Image)
            .then(|| address::thumbnail(site, e, m).0.under(base)),
    }
}

/// The event's first image, absolute: a feed item's `image`.
pub fn first_image(site: &Site, base: &str, e: &Event) -> Option<String> {
    let m = e.media().iter().find(|m| m.kind == MediaKind::Image)?;
    Some(address::main(site, e, m).under(base))
}

/// The files of `e`'s media, embeds left out.
pub fn attachments(site: &Site, base: &str, e: &Event) -> Vec<Attachment> {
    e.media()
        .iter()
        .filter(|m| m.kind != MediaKind::Embed)
        .map(|m| {
            let facts = address::facts(site, m);
            Attachment {
                url: address::original(e, m).under(base),
                mime: facts.map_or_else(
                    || crate::content::media::mime_of(&m.written),
                    |f| f.mime.clone(),
                ),
                length: facts.map(|f| f.bytes),
                title: m.caption.clone().or_else(|| m.alt.clone()),
            }
        })
        .collect()
}

/// The slide's media object from the event's first media item: an
/// image's largest copy with its smallest as the thumbnail, an embed's
/// address as written (TimelineJS makes its own player of it).
pub(super) fn slide_media(ctx: &super::Ctx, e: &Event) -> Option<super::timelinejs::Media> {
    let m = e.media().first()?;
    let site = ctx.site;
    let url = match m.kind {
        crate::content::media::MediaKind::Embed => m.written.clone(),
        _ => crate::media::address::main(site, e, m).under(ctx.base),
    };
    let thumbnail = (m.kind == crate::content::media::MediaKind::Image).then(|| {
        crate::media::address::thumbnail(site, e, m)
            .0
            .under(ctx.base)
    });
    Some(super::timelinejs::Media {
        url,
        caption: m.caption.clone(),
        credit: m.credit.clone(),
        alt: m.alt.clone(),
        thumbnail,
    })
}
