//! The template values of an event's media: the event page's figures
//! ([`media_views`]) and the thumbnail of its list entries
//! ([`thumbnail`]), addresses made site-relative (see `crate::media`).

use crate::content::event::Event;
use crate::content::media::MediaKind;
use crate::media::address;
use crate::model::Site;
use crate::render::context::{MediaView, Thumbnail, Urls};

/// The event's first image, small.
pub fn thumbnail(site: &Site, urls: &Urls, e: &Event) -> Option<Thumbnail> {
    // Only the site's own images: an image kept on another site is shown
    // only when the reader asks, on the event page.
    let m = e
        .media()
        .iter()
        .find(|m| m.kind == MediaKind::Image && m.is_local())?;
    let (addr, size) = address::thumbnail(site, e, m);
    Some(Thumbnail {
        url: addr.under(urls.base()),
        alt: m.alt.clone().unwrap_or_default(),
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
    })
}

/// Every media item of the event, in the order written.
pub fn media_views(site: &Site, urls: &Urls, e: &Event) -> Vec<MediaView> {
    e.media()
        .iter()
        .map(|m| {
            let facts = address::facts(site, m);
            let image = facts.and_then(|f| f.image.as_ref());
            let main = address::main(site, e, m);
            let srcset = image.filter(|i| i.renditions.len() > 1).map(|i| {
                i.renditions
                    .iter()
                    .map(|r| format!("{} {}w", urls.to(&r.rel), r.width))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            // The size the largest copy is shown at.
            let size = image.map(|i| {
                i.renditions
                    .last()
                    .map_or((i.width, i.height), |r| (r.width, r.height))
            });
            let original = address::original(e, m);
            let (frame_url, host) = match (&m.kind, &original) {
                (MediaKind::Embed, address::Addr::Url(u)) => (
                    Some(address::embed_frame(u)),
                    crate::content::media::host_of(u),
                ),
                (_, address::Addr::Url(u)) => (None, crate::content::media::host_of(u)),
                _ => (None, None),
            };
            MediaView {
                kind: m.kind.key(),
                local: main.is_local(),
                url: main.under(urls.base()),
                alt: m.alt.clone(),
                caption: m.caption.clone(),
                credit: m.credit.clone(),
                mime: match m.kind {
                    MediaKind::Embed => None,
                    _ => Some(facts.map_or_else(
                        || crate::content::media::mime_of(&original.under("/")),
                        |f| f.mime.clone(),
                    )),
                },
                width: size.map(|s| s.0),
                height: size.map(|s| s.1),
                srcset,
                frame_url,
                host,
            }
        })
        .collect()
}
