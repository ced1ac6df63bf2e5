//! The `media` field of an event: images, video, audio and embeds, each
//! `{src, alt, caption, credit, kind}`. Owns their rules (where a local
//! file may be, https only, the embed hosts, alt text for images), the
//! kind worked out from the file's extension or the URL's host, and the
//! facts the media stage later records about each local file
//! ([`FileFacts`]), which pages and exports read through the model.

use crate::config::Config;
use crate::diagnostic::Located;
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::urls::SitePaths;
use std::path::{Component, Path, PathBuf};

/// What a media item is, and so how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    /// A page of another site (a video player, a post), shown in an
    /// iframe only once the reader asks for it.
    Embed,
}

impl MediaKind {
    pub const ALL: [&'static str; 4] = ["image", "video", "audio", "embed"];

    pub fn parse(s: &str) -> Option<MediaKind> {
        match s {
            "image" => Some(MediaKind::Image),
            "video" => Some(MediaKind::Video),
            "audio" => Some(MediaKind::Audio),
            "embed" => Some(MediaKind::Embed),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Embed => "embed",
        }
    }
}

/// Where a media item's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaSrc {
    /// A file of the site. `path` is on disk; `place` says where it is
    /// published.
    Local { path: PathBuf, place: Place },
    /// An `https://` address.
    Remote(String),
}

/// Where a local media file is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// In `static/`, at the same path in the output (`/images/a.png` →
    /// `images/a.png`), copied with the other static files.
    Static(String),
    /// Beside the event's file (a page bundle), published in the event's
    /// output folder under the same relative path (`map.png` →
    /// `events/<slug>/map.png`).
    Beside(String),
}

/// One validated media item.
#[derive(Debug, Clone)]
pub struct Media {
    /// `src` as written.
    pub written: String,
    pub src: MediaSrc,
    pub kind: MediaKind,
    /// Required for images; optional text for the others.
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Where `src` was written, for the media stage's errors.
    pub at: Located,
}

impl Media {
    /// Whether the file is the site's own (a bundle or `static/` file), as
    /// against one kept on another site, which loads only on a click.
    pub fn is_local(&self) -> bool {
        matches!(self.src, MediaSrc::Local { .. })
    }
}

/// What the media stage learnt of a local file (see `crate::media`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// Size in bytes.
    pub bytes: u64,
    /// Its MIME type, from the extension.
    pub mime: String,
    /// XXH3 of its contents.
    pub hash: u64,
    /// Pixel size and resized copies, for an image whose size is known.
    pub image: Option<ImageFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    pub width: u32,
    pub height: u32,
    /// Resized copies, narrowest first; empty for images published as
    /// they are (SVG, GIF).
    pub renditions: Vec<Rendition>,
}

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    /// Its path in the output.
    pub rel: String,
}

/// The JSON Schema of `media` in `events.json`, as the exports write it.
pub const JSON_SCHEMA: &str = r#"{
          "type": "array",
          "items": {
            "type": "object",
            "required": ["src", "url", "kind", "alt", "caption", "credit", "type", "width", "height", "thumbnail"],
            "properties": {
              "src": {"type": "string", "description": "As written in the front matter"},
              "url": {"type": "string", "format": "uri", "description": "Where it is published: the largest resized copy of a local image"},
              "kind": {"enum": ["image", "video", "audio", "embed"]},
              "alt": {"type": ["string", "null"]},
              "caption": {"type": ["string", "null"]},
              "credit": {"type": ["string", "null"]},
              "type": {"type": ["string", "null"], "description": "MIME type of a file"},
              "width": {"type": ["integer", "null"]},
              "height": {"type": ["integer", "null"]},
              "thumbnail": {"type": ["string", "null"], "format": "uri", "description": "The smallest copy of an image"}
            }
          }
        }"#;

const KEYS: &[&str] = &["src", "alt", "caption", "credit", "kind"];

const IMAGE_EXT: &[&str] = &["jpg", "jpeg", "png", "webp", "gif", "svg", "avif"];
const VIDEO_EXT: &[&str] = &["mp4", "webm", "ogv", "mov", "m4v"];
const AUDIO_EXT: &[&str] = &["mp3", "ogg", "oga", "opus", "wav", "m4a", "flac", "aac"];

/// The lower-case extension of the last path segment of `src` (query and
/// fragment left out).
fn extension(src: &str) -> Option<String> {
    let path = src.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    let (_, ext) = last.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// The kind a `src` implies: its extension, else an embed for an address.
pub fn infer_kind(src: &str) -> Option<MediaKind> {
    match extension(src) {
        Some(e) if IMAGE_EXT.contains(&e.as_str()) => Some(MediaKind::Image),
        Some(e) if VIDEO_EXT.contains(&e.as_str()) => Some(MediaKind::Video),
        Some(e) if AUDIO_EXT.contains(&e.as_str()) => Some(MediaKind::Audio),
        _ if src.starts_with("https://") => Some(MediaKind::Embed),
        _ => None,
    }
}

/// The MIME type of a file by its name.
pub fn mime_of(src: &str) -> String {
    match extension(src).as_deref() {
        Some("ogv") => "video/ogg".into(),
        Some("oga" | "opus") => "audio/ogg".into(),
        Some("m4a") => "audio/mp4".into(),
        _ => mime_guess::from_path(src.split(['?', '#']).next().unwrap_or(""))
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    }
}

/// The host of an `https://` address, lower case.
pub fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .host_str()
        .map(str::to_ascii_lowercase)
}

fn field<'m>(map: &'m [(String, Yaml)], key: &str) -> Option<&'m Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The site folder of an event file shown as `<site>/content/events/…`.
fn site_of(event_path: &Path) -> Option<&Path> {
    event_path
        .ancestors()
        .find(|a| event_path.starts_with(a.join(SitePaths::EVENTS)))
}

/// `rel` split into plain segments, or `None` when it climbs (`..`),
/// is absolute or empty, or names a hidden file.
fn plain_segments(rel: &str) -> Option<Vec<&str>> {
    let segs: Vec<&str> = rel
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let plain = !segs.is_empty()
        && !rel.contains('\\')
        && segs.iter().all(|s| {
            !s.starts_with('.')
                && Path::new(s)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)))
        });
    plain.then_some(segs)
}

/// Reads `media:` of an event at `event_path`.
pub fn media_field(
    c: &mut Checker,
    map: &[(String, Yaml)],
    event_path: &Path,
    config: &Config,
) -> Vec<Media> {
    let Some(v) = field(map, "media") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("media")]).into_iter().enumerate() {
        let p = [Seg::Key("media"), Seg::Index(i)];
        let sub = |k| [Seg::Key("media"), Seg::Index(i), Seg::Key(k)];
        // A bare text is a src alone.
        let single;
        let m: &[(String, Yaml)] = match item {
            Yaml::Str(_) => {
                single = vec![("src".to_string(), item.clone())];
                &single
            }
            _ => match c.map(item, &p, "a media item") {
                Some(m) => m,
                None => continue,
            },
        };
        c.check_keys(m, KEYS, &p, "a media item");
        let text = |c: &mut Checker, k| field(m, k).and_then(|x| c.text(x, &sub(k)));
        let alt = text(c, "alt");
        let caption = text(c, "caption");
        let credit = text(c, "credit");
        let Some(src_text) = (match field(m, "src") {
            Some(s) => c.text(s, &sub("src")),
            None => {
                c.at_key(&p, "media item without `src`").hint = Some(
                    "write `{src: photo.jpg, alt: ...}`: a file beside the event, `/path` in static/, or an https:// address".into(),
                );
                None
            }
        }) else {
            continue;
        };
        let src_path = if matches!(item, Yaml::Str(_)) {
            p.to_vec()
        } else {
            sub("src").to_vec()
        };
        let explicit = match field(m, "kind") {
            None => None,
            Some(k) => match c.text(k, &sub("kind")) {
                Some(k) => match MediaKind::parse(&k) {
                    Some(kind) => Some(kind),
                    None => {
                        c.at_value(&sub("kind"), format!("unknown media kind `{k}`"))
                            .hint = Some(crate::diagnostic::suggestion(&k, &MediaKind::ALL));
                        continue;
                    }
                },
                None => continue,
            },
        };
        let Some(src) = read_src(c, &src_path, &src_text, event_path) else {
            continue;
        };
        let kind = match explicit.or_else(|| infer_kind(&src_text)) {
            Some(kind) => kind,
            None => {
                c.at_value(
                    &src_path,
                    format!("cannot tell what kind of media `{src_text}` is"),
                )
                .hint = Some(format!(
                    "add `kind:` ({}); the kind is worked out from the file's extension when it is a known one",
                    MediaKind::ALL.join(", ")
                ));
                continue;
            }
        };
        if kind == MediaKind::Embed {
            let MediaSrc::Remote(url) = &src else {
                c.at_value(&src_path, "an embed must be an https:// address")
                    .hint = Some("a local file is an image, a video or an audio file: set `kind:` to one of them".into());
                continue;
            };
            let host = host_of(url).unwrap_or_default();
            if !config.embeds.allows(&host) {
                c.at_value(
                    &src_path,
                    format!("`{host}` is not an embed host this site allows"),
                )
                .hint = Some(format!(
                    "add `{host}` to `embeds:` in site.yaml if its pages may be embedded, or link to it from the body instead"
                ));
                continue;
            }
        }
        if kind == MediaKind::Image && alt.is_none() {
            c.at_key(&p, "an image without `alt` text").hint = Some(
                "add `alt: ...` describing what the image shows, for readers who cannot see it"
                    .into(),
            );
            continue;
        }
        out.push(Media {
            at: c.located(&src_path, true),
            written: src_text,
            src,
            kind,
            alt,
            caption,
            credit,
        });
    }
    out
}

/// Reads one `src`: an https address, `/path` in `static/`, or a path
/// beside the event file; a local file must exist inside the site.
fn read_src(c: &mut Checker, p: &[Seg], src: &str, event_path: &Path) -> Option<MediaSrc> {
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("http://") {
        c.at_value(p, format!("`{src}` is not served over https"))
            .hint = Some(format!(
            "use `https://{}` if the host serves it so; pages on https cannot load it otherwise",
            &src["http://".len()..]
        ));
        return None;
    }
    if lower.starts_with("https://") {
        if crate::source::reader::is_http_url(src) && host_of(src).is_some() {
            return Some(MediaSrc::Remote(src.to_string()));
        }
        c.at_value(p, format!("`{src}` is not a valid address"))
            .hint = Some("write a full address such as https://example.org/talk.mp4".into());
        return None;
    }
    if src.starts_with("//") || src.contains(':') {
        c.at_value(p, format!("`{src}` is neither an https:// address nor a file of the site"))
            .hint = Some("write https://… for another site's file, `/path` for a file in static/, or a file name beside the event".into());
        return None;
    }
    let (rel, in_static) = match src.strip_prefix('/') {
        Some(rest) => (rest, true),
        None => (src, false),
    };
    let Some(segs) = plain_segments(rel) else {
        c.at_value(p, format!("`{src}` leaves its folder or names a hidden file"))
            .hint = Some("media files are in static/ (`/images/x.png`) or in the event's own folder (`x.png`, `img/x.png`)".into());
        return None;
    };
    let clean = segs.join("/");
    let Some(site) = site_of(event_path) else {
        c.at_value(
            p,
            format!("`{src}` cannot be found outside a site's content/events"),
        )
        .hint = Some("use an https:// address".into());
        return None;
    };
    let (path, place) = if in_static {
        (
            site.join(SitePaths::STATIC).join(&clean),
            Place::Static(clean.clone()),
        )
    } else {
        let folder = event_path.parent().unwrap_or(site);
        (folder.join(&clean), Place::Beside(clean.clone()))
    };
    let inside = crate::source::walk::is_inside(&path, &crate::source::walk::site_root(site));
    if !path.is_file() || !inside {
        let hint = if in_static {
            format!("put the file at static/{clean}, or write its path from static/")
        } else {
            format!(
                "put the file beside {} (for an event with files of its own, make a folder with the event as its index.md), or write `/path` for a file in static/",
                event_path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            )
        };
        c.at_value(p, format!("media file `{src}` does not exist"))
            .hint = Some(hint);
        return None;
    }
    if !in_static && crate::source::load::is_markdown(&path) {
        c.at_value(p, format!("`{src}` is a content file, not media"))
            .hint = Some("name an image, a video or an audio file".into());
        return None;
    }
    Some(MediaSrc::Local { path, place })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_extensions_and_addresses() {
        assert_eq!(infer_kind("map.PNG"), Some(MediaKind::Image));
        assert_eq!(infer_kind("/v/talk.webm"), Some(MediaKind::Video));
        assert_eq!(
            infer_kind("https://x.org/a.mp3?x=1"),
            Some(MediaKind::Audio)
        );
        assert_eq!(
            infer_kind("https://www.youtube.com/watch?v=abc"),
            Some(MediaKind::Embed)
        );
        assert_eq!(infer_kind("notes.txt"), None);
        assert_eq!(mime_of("a.jpg"), "image/jpeg");
        assert_eq!(mime_of("a.oga"), "audio/ogg");
    }

    #[test]
    fn segments_never_climb() {
        assert_eq!(plain_segments("img/a.png"), Some(vec!["img", "a.png"]));
        assert_eq!(plain_segments("./a.png"), Some(vec!["a.png"]));
        assert_eq!(plain_segments("../a.png"), None);
        assert_eq!(plain_segments("a/../../b.png"), None);
        assert_eq!(plain_segments(".hidden.png"), None);
        assert_eq!(plain_segments(""), None);
    }

    #[test]
    fn site_is_found_above_content_events() {
        let p = Path::new("/s/content/events/2024/talk/index.md");
        assert_eq!(site_of(p), Some(Path::new("/s")));
        assert_eq!(site_of(Path::new("/x/y.md")), None);
    }
}
