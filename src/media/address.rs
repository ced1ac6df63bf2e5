//! Where a media item is published, for the pages and the exports alike:
//! the output path of a local file (its largest resized copy for an
//! image), its smallest copy as a thumbnail, and the address an embed's
//! iframe loads.

use crate::content::event::Event;
use crate::content::media::{FileFacts, Media, MediaSrc, Place};
use crate::model::Site;

/// What a path of the output must encode to be an address: controls,
/// space, and the characters that end a path or mean something else in
/// one (`"#%<>?\^`{|}`).
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A media item's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addr {
    /// A path in the output, to join to the base path or base URL.
    Path(String),
    /// An absolute `https://` address of another site.
    Url(String),
}

impl Addr {
    /// The address under `base` (a base path or base URL ending in `/`);
    /// a file name with spaces or other characters an address cannot hold
    /// as they are (`my map.png`) is percent-encoded.
    pub fn under(&self, base: &str) -> String {
        match self {
            Addr::Path(p) => crate::urls::under(
                base,
                &percent_encoding::utf8_percent_encode(p, PATH).to_string(),
            ),
            Addr::Url(u) => u.clone(),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, Addr::Path(_))
    }
}

/// The original file's address.
pub fn original(e: &Event, m: &Media) -> Addr {
    match &m.src {
        MediaSrc::Remote(url) => Addr::Url(url.clone()),
        MediaSrc::Local {
            place: Place::Static(rel),
            ..
        } => Addr::Path(rel.clone()),
        MediaSrc::Local {
            place: Place::Beside(rel),
            ..
        } => Addr::Path(crate::urls::event_file(&e.slug, rel)),
    }
}

/// What the media stage learnt of a local file.
pub fn facts<'s>(site: &'s Site, m: &Media) -> Option<&'s FileFacts> {
    match &m.src {
        MediaSrc::Local { path, .. } => site.media.get(path),
        MediaSrc::Remote(_) => None,
    }
}

/// The address to show: an image's largest resized copy, else the file.
pub fn main(site: &Site, e: &Event, m: &Media) -> Addr {
    let largest = facts(site, m)
        .and_then(|f| f.image.as_ref())
        .and_then(|i| i.renditions.last());
    match largest {
        Some(r) => Addr::Path(r.rel.clone()),
        None => original(e, m),
    }
}

/// A small copy for lists, with its pixel size when known: the smallest
/// resized copy of an image, else the image itself.
pub fn thumbnail(site: &Site, e: &Event, m: &Media) -> (Addr, Option<(u32, u32)>) {
    let image = facts(site, m).and_then(|f| f.image.as_ref());
    match image {
        Some(i) => match i.renditions.first() {
            Some(r) => (Addr::Path(r.rel.clone()), Some((r.width, r.height))),
            None => (original(e, m), Some((i.width, i.height))),
        },
        None => (original(e, m), None),
    }
}

/// The address an embed's iframe loads: the player page of a video
/// service's watch address (privacy-enhanced for YouTube), else the
/// address as written.
pub fn embed_frame(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path_id = || {
        parsed
            .path_segments()
            .and_then(|mut s| s.next_back().map(str::to_string))
            .filter(|id| !id.is_empty())
    };
    let id_ok = |id: &str| {
        id.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let youtube = match host {
        "youtube.com" | "m.youtube.com" => {
            if parsed.path() == "/watch" {
                parsed
                    .query_pairs()
                    .find(|(k, _)| k == "v")
                    .map(|(_, v)| v.into_owned())
            } else if parsed.path().starts_with("/embed/") || parsed.path().starts_with("/shorts/")
            {
                path_id()
            } else {
                None
            }
        }
        "youtu.be" => path_id(),
        _ => None,
    };
    if let Some(id) = youtube.filter(|id| id_ok(id)) {
        return format!("https://www.youtube-nocookie.com/embed/{id}");
    }
    if host == "vimeo.com"
        && let Some(id) = path_id().filter(|id| id.chars().all(|c| c.is_ascii_digit()))
    {
        return format!("https://player.vimeo.com/video/{id}");
    }
    if host == "media.ccc.de"
        && parsed.path().starts_with("/v/")
        && !parsed.path().ends_with("/oembed")
    {
        return format!("{}/oembed", url.trim_end_matches('/'));
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_are_encoded_as_addresses() {
        let a = Addr::Path("events/a/my map #1.png".into());
        assert_eq!(a.under("/tl/"), "/tl/events/a/my%20map%20%231.png");
        let u = Addr::Url("https://x.org/a?b=c".into());
        assert_eq!(u.under("/"), "https://x.org/a?b=c");
    }

    #[test]
    fn watch_addresses_become_player_addresses() {
        assert_eq!(
            embed_frame("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1"),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert_eq!(
            embed_frame("https://youtu.be/dQw4w9WgXcQ"),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert_eq!(
            embed_frame("https://vimeo.com/12345"),
            "https://player.vimeo.com/video/12345"
        );
        assert_eq!(
            embed_frame("https://media.ccc.de/v/38c3-talk"),
            "https://media.ccc.de/v/38c3-talk/oembed"
        );
        assert_eq!(
            embed_frame("https://example.org/player"),
            "https://example.org/player"
        );
    }
}
