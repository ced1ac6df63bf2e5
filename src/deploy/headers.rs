//! The `Content-Type` and `Cache-Control` each published file is served
//! with, from its path in the output alone (so a plan is the same on every
//! machine).
//!
//! Caching comes in three lengths:
//! - the theme's fingerprinted stylesheet and scripts, and the resized
//!   images under `media/` (named by their content's hash), never change
//!   under their name: cached for a year, `immutable`;
//! - pages, feeds, the calendar, sitemaps, data exports, `robots.txt` and the
//!   search index change with the content under the same name: 5 minutes,
//!   so an edit is seen within minutes while a reader moving between pages
//!   (or a CDN edge) does not ask again on every view;
//! - everything else (images, the favicon, files from `static/`, the plain
//!   names of the theme's assets): an hour, since their names do not
//!   change when their content does.

/// Fingerprinted theme assets.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Files whose content changes under the same name with every edit.
pub const SHORT: &str = "public, max-age=300";
/// Other static files.
pub const MIDDLE: &str = "public, max-age=3600";

/// The file name's extension, lower-cased ("" without one).
fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The `Content-Type` of the file at `rel`: text types with
/// `; charset=utf-8`, since annals writes UTF-8 only.
pub fn content_type(rel: &str) -> String {
    let text = |t: &str| format!("{t}; charset=utf-8");
    let name = file_name(rel);
    if name == crate::urls::JSON_FEED {
        return text("application/feed+json");
    }
    if name == crate::urls::ATOM {
        return text("application/atom+xml");
    }
    if name == "rss.xml" {
        return text("application/rss+xml");
    }
    match extension(rel).as_str() {
        "html" | "htm" => text("text/html"),
        "css" => text("text/css"),
        "js" | "mjs" => text("text/javascript"),
        "json" | "map" => text("application/json"),
        "xml" | "xsl" => text("application/xml"),
        "txt" => text("text/plain"),
        "ics" => text("text/calendar"),
        "bib" => text("application/x-bibtex"),
        "ris" => text("application/x-research-info-systems"),
        "svg" => text("image/svg+xml"),
        "webmanifest" => text("application/manifest+json"),
        "csv" => text("text/csv"),
        "md" => text("text/markdown"),
        _ => mime_guess::from_path(name)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    }
}

/// Whether `rel` is one of the theme's fingerprinted assets
/// (`assets/annals.1a2b3c4d.css` for `assets/annals.css`).
pub fn is_fingerprinted(rel: &str) -> bool {
    // Resized images: `media/<name>-<hash>-<width>.<ext>`, named by content.
    if rel.starts_with(crate::urls::MEDIA) && !rel[crate::urls::MEDIA.len()..].contains('/') {
        return true;
    }
    let Some((head, ext)) = rel.rsplit_once('.') else {
        return false;
    };
    let Some((stem, hash)) = head.rsplit_once('.') else {
        return false;
    };
    hash.len() == 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && crate::render::theme::FINGERPRINTED.contains(&format!("{stem}.{ext}").as_str())
}

/// Whether `rel` changes with the content under the same name: pages,
/// feeds, calendars, sitemaps, data exports and the search index.
pub fn is_content(rel: &str) -> bool {
    rel == crate::urls::SEARCH_INDEX
        || rel.starts_with(crate::urls::SEARCH_PARTS)
        || matches!(
            extension(rel).as_str(),
            "html" | "htm" | "xml" | "json" | "ics" | "txt" | "bib" | "ris"
        )
}

/// The `Cache-Control` of the file at `rel`.
pub fn cache_control(rel: &str) -> &'static str {
    if is_fingerprinted(rel) {
        IMMUTABLE
    } else if is_content(rel) {
        SHORT
    } else {
        MIDDLE
    }
}

/// Whether `rel` is uploaded in the second round, after every file it
/// may reference: pages, feeds, sitemaps, `robots.txt` and the search
/// index's manifest (its parts go first, with the assets).
pub fn goes_last(rel: &str) -> bool {
    rel == crate::urls::SEARCH_INDEX
        || matches!(extension(rel).as_str(), "html" | "htm" | "xml" | "txt")
        || file_name(rel) == crate::urls::JSON_FEED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_caching() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("feed.json"),
            "application/feed+json; charset=utf-8"
        );
        assert_eq!(
            content_type("kinds/x/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(
            content_type("events/a/cite.bib"),
            "application/x-bibtex; charset=utf-8"
        );
        assert_eq!(content_type("img/a.png"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
        assert_eq!(cache_control("assets/annals.0123abcd.css"), IMMUTABLE);
        assert_eq!(cache_control("assets/other.0123abcd.css"), MIDDLE);
        assert_eq!(cache_control("assets/annals.css"), MIDDLE);
        assert_eq!(cache_control("search-index/t/3.js"), SHORT);
        assert_eq!(cache_control("events/a/index.html"), SHORT);
        assert!(goes_last("sitemap.xml") && goes_last("search-index.js"));
        assert!(!goes_last("search-index/t/3.js") && !goes_last("events.json"));
    }
}
