//! Every output path and URL of a built site, in one place. A page's *path*
//! is relative to the base path and ends in `/` (`events/<slug>/`), or is a
//! file name (`404.html`); the home page's path is empty. Its output *file*
//! is the path with `index.html` added to folders. A *URL* is a path joined
//! to the base path (site links) or to the absolute base URL (feeds,
//! canonical links, embeds).
//!
//! Also here: the site's folders and files ([`SitePaths`]), so the loader,
//! theme, server, importer and scaffold agree on where things live.

use crate::values::taxonomy::TaxonomyKind;
use std::path::{Path, PathBuf};

/// The folder of event pages, and the `@/events/<slug>` link prefix.
/// Top-level output folders that pages may not take as their slug.
pub const RESERVED_PATHS: &[&str] = &[
    "events",
    "years",
    "kinds",
    "countries",
    "tracks",
    "participants",
    "tags",
    "compare",
    "search",
    "corrections",
    "embed",
    "assets",
    "media",
    "citations",
    "404",
    PAGED,
];

pub const EVENTS: &str = "events";
/// The years list.
pub const YEARS: &str = "years/";
/// The search page.
pub const SEARCH: &str = "search/";
/// Every correction of the site, newest first.
pub const CORRECTIONS: &str = "corrections/";
/// The Atom feed of the corrections.
pub const CORRECTIONS_FEED: &str = "corrections.xml";
/// The compare page of every track.
pub const COMPARE: &str = "compare/";
/// The embeddable timeline of every event.
pub const EMBED: &str = "embed/";
/// The page shown for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The home page (the timeline).
pub const HOME: &str = "";
/// The folder of a list's later pages: `<list>/page/<n>/`.
pub const PAGED: &str = "page";

/// Site-wide export files, at the root of the output folder.
pub const ATOM: &str = "atom.xml";
pub const JSON_FEED: &str = "feed.json";
pub const CALENDAR: &str = "calendar.ics";
pub const EVENTS_JSON: &str = "events.json";
pub const EVENTS_SCHEMA: &str = "events.schema.json";
pub const TIMELINEJS: &str = "timelinejs.json";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const SEARCH_INDEX: &str = "search-index.js";
/// The search index's shards, document chunks, facets and dates.
pub const SEARCH_PARTS: &str = "search-index/";
/// Every event's citation as CSL-JSON and BibTeX, at the root, while they
/// fit in one file each; beyond that, parts per year (see
/// [`citations_part`]) listed in [`CITATIONS_INDEX`].
pub const CITATIONS_JSON: &str = "citations.json";
pub const CITATIONS_BIB: &str = "citations.bib";
pub const CITATIONS_INDEX: &str = "citations/index.json";
/// The folder of the parts and their index.
pub const CITATIONS_DIR: &str = "citations/";

/// One part of the site-wide citations of a large site:
/// `citations/<stem>.<ext>`, the stem a year (`2024`, or `2024-2` for a
/// year's second part).
pub fn citations_part(stem: &str, ext: &str) -> String {
    format!("{CITATIONS_DIR}{stem}.{ext}")
}
/// One event's citation files, beside its page (see [`event_cite`]).
pub const CITE_JSON: &str = "cite.json";
pub const CITE_BIB: &str = "cite.bib";
pub const CITE_RIS: &str = "cite.ris";

/// Theme assets, under the output folder. These four are also published
/// under fingerprinted names (see `render::theme::FINGERPRINTED`).
pub const STYLESHEET: &str = "assets/annals.css";
pub const SCRIPT: &str = "assets/annals.js";
pub const SEARCH_SCRIPT: &str = "assets/search.js";
pub const ARCHIVE_SCRIPT: &str = "assets/archive.js";

/// The folder of resized images.
pub const MEDIA: &str = "media/";

/// A resized copy of an image: `media/<name>-<hash>-<width>.<ext>`. The
/// hash of the original's contents makes a changed image a new address,
/// so it may be cached for good.
pub fn rendition(name: &str, hash: u64, width: u32, ext: &str) -> String {
    format!("{MEDIA}{name}-{hash:016x}-{width}.{ext}")
}

/// A file published beside an event's page (a page bundle's file, or a
/// media file written beside the event): `events/<slug>/<rel>`.
pub fn event_file(slug: &str, rel: &str) -> String {
    format!("{}{rel}", event(slug))
}

/// One of an event's citation files ([`CITE_JSON`], [`CITE_BIB`],
/// [`CITE_RIS`]): `events/<slug>/cite.json`.
pub fn event_cite(slug: &str, file: &str) -> String {
    event_file(slug, file)
}

/// One part of the search index: `search-index/<name>.js`.
pub fn search_part(name: &str) -> String {
    format!("{SEARCH_PARTS}{name}.js")
}

/// An event's page: `events/<slug>/`.
pub fn event(slug: &str) -> String {
    format!("{EVENTS}/{slug}/")
}

/// The event slug of a path written `events/<slug>` (no trailing `/`).
pub fn event_slug(path: &str) -> Option<&str> {
    path.strip_prefix(EVENTS)?.strip_prefix('/')
}

/// A taxonomy's list of terms: `kinds/`, `tracks/`, …
pub fn taxonomy(key: &str) -> String {
    format!("{key}/")
}

/// A term's page: `kinds/<slug>/`, `countries/<slug>/`, …
pub fn term(taxonomy_key: &str, slug: &str) -> String {
    format!("{taxonomy_key}/{slug}/")
}

/// The Atom feed of a page with a feed of its own (a term page).
pub fn atom_of(page_path: &str) -> String {
    format!("{page_path}{ATOM}")
}

/// Part `part` (from 1) of the TimelineJS file of a page with a
/// TimelineJS file of its own (a year or track page): `timelinejs.json`,
/// then `timelinejs-2.json`, … when it holds more than one part.
pub fn timelinejs_of(page_path: &str, part: usize) -> String {
    if part <= 1 {
        format!("{page_path}{TIMELINEJS}")
    } else {
        format!("{page_path}timelinejs-{part}.json")
    }
}

/// A year's share of a site-wide export (`events.json`, `calendar.ics`):
/// the same file name under the year's page, `years/<yyyy>/events.json`.
pub fn year_export(year: i32, whole: &str) -> String {
    format!("{}{whole}", self::year(year))
}

/// A year's page: `years/<yyyy>/`.
pub fn year(year: i32) -> String {
    format!("{YEARS}{year:04}/")
}

/// The anchor of a year's section on the timeline.
pub fn year_anchor(year: i32) -> String {
    format!("y{year:04}")
}

/// The anchor of a month's section in a list of events (`m2024-03`), or
/// of the year's events known only to the year (`m2024`).
pub fn month_anchor(year: i32, month: Option<u32>) -> String {
    match month {
        Some(m) => format!("m{year:04}-{m:02}"),
        None => format!("m{year:04}"),
    }
}

/// The compare page of two tracks.
pub fn compare_pair(a: &str, b: &str) -> String {
    format!("{COMPARE}{a}--{b}/")
}

/// The embeddable timeline of one track.
pub fn embed_track(slug: &str) -> String {
    format!("{EMBED}{slug}/")
}

/// Page `number` (from 1) of the list whose first page is `path`: page 1
/// is `path` itself, later ones `<path>page/<n>/` (`kinds/meeting/page/2/`,
/// `page/2/` for the timeline).
pub fn paged(path: &str, number: usize) -> String {
    if number <= 1 {
        path.to_string()
    } else {
        format!("{path}{PAGED}/{number}/")
    }
}

/// Part `n` (from 1) of a sitemap too large for one file.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// A page of `content/pages`: `<slug>/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// The output file of a page path: folders get `index.html`.
pub fn file_of(path: &str) -> String {
    format!("{path}{}", index_file_of(path))
}

/// The bytes of [`file_of`]`(path)`, without making it (for comparing
/// many pages' files).
pub fn file_bytes_of(path: &str) -> impl Iterator<Item = u8> + '_ {
    path.bytes().chain(index_file_of(path).bytes())
}

/// What [`file_of`] adds to `path`: `index.html` for a folder.
fn index_file_of(path: &str) -> &'static str {
    if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    }
}

/// `path` under `base` (a base path or an absolute base URL ending in `/`).
pub fn under(base: &str, path: &str) -> String {
    format!("{base}{}", path.trim_start_matches('/'))
}

/// The folder of a language edition under the base (`ja/`): every
/// path of that edition is the default edition's path under it.
pub fn edition(lang: &str) -> String {
    format!("{lang}/")
}

/// Site links under the base path.
pub struct Urls {
    base: String,
    /// Published names of fingerprinted assets (see [`Urls::asset`]).
    assets: std::collections::BTreeMap<String, String>,
}

impl Urls {
    /// Links under `base_path` that name the theme's assets by their
    /// fingerprinted names in `assets` (plain name → published name).
    pub fn with_assets(
        base_path: &str,
        assets: std::collections::BTreeMap<String, String>,
    ) -> Urls {
        Urls {
            base: base_path.to_string(),
            assets,
        }
    }

    /// Site-relative URL of a theme asset (`assets/annals.css`): its
    /// fingerprinted name when it has one, so it can be cached for good.
    pub fn asset(&self, plain: &str) -> String {
        self.to(self.assets.get(plain).map_or(plain, String::as_str))
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Site-relative URL of a path under the base path.
    pub fn to(&self, path: &str) -> String {
        under(&self.base, path)
    }

    pub fn event(&self, slug: &str) -> String {
        self.to(&event(slug))
    }

    pub fn term(&self, kind: TaxonomyKind, slug: &str) -> String {
        self.to(&term(kind.key(), slug))
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> String {
        self.to(&taxonomy(kind.key()))
    }

    pub fn year(&self, year: i32) -> String {
        self.to(&self::year(year))
    }
}

/// The folders and files of a site's source, relative to its root.
#[derive(Debug, Clone)]
pub struct SitePaths {
    root: PathBuf,
}

impl SitePaths {
    pub const CONFIG: &'static str = "site.yaml";
    pub const CONTENT: &'static str = "content";
    pub const EVENTS: &'static str = "content/events";
    pub const PAGES: &'static str = "content/pages";
    pub const PERIODS: &'static str = "content/periods";
    pub const STATIC: &'static str = "static";
    pub const THEMES: &'static str = "themes";
    pub const TEMPLATES: &'static str = "templates";
    pub const OUTPUT: &'static str = "public";
    /// Translation files, `i18n/<lang>.ftl` (in the site and in a theme).
    pub const I18N: &'static str = "i18n";
    /// The results of `annals check --external`, kept between runs.
    pub const EXTERNAL_CACHE: &'static str = ".annals-external.json";
    /// What a build reads and must never replace.
    pub const SOURCES: [&'static str; 6] = [
        Self::CONTENT,
        Self::STATIC,
        Self::THEMES,
        Self::TEMPLATES,
        Self::CONFIG,
        Self::I18N,
    ];

    pub fn new(root: &Path) -> SitePaths {
        SitePaths {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `site.yaml`.
    pub fn config(&self) -> PathBuf {
        self.root.join(Self::CONFIG)
    }

    /// `content/events`, one Markdown file per event.
    pub fn events(&self) -> PathBuf {
        self.root.join(Self::EVENTS)
    }

    /// `content/pages`, free-standing pages.
    pub fn pages(&self) -> PathBuf {
        self.root.join(Self::PAGES)
    }

    /// `content/periods`, one Markdown file per period.
    pub fn periods(&self) -> PathBuf {
        self.root.join(Self::PERIODS)
    }

    /// `static`, copied as is into the output.
    pub fn statics(&self) -> PathBuf {
        self.root.join(Self::STATIC)
    }

    /// `i18n`, the site's translation files (key by key over the theme's).
    pub fn i18n(&self) -> PathBuf {
        self.root.join(Self::I18N)
    }

    /// `themes/<name>`.
    pub fn theme(&self, name: &str) -> PathBuf {
        self.root.join(Self::theme_folder(name))
    }

    /// `themes/<name>`, relative to the site.
    pub fn theme_folder(name: &str) -> PathBuf {
        Path::new(Self::THEMES).join(name)
    }

    /// `templates`, the site's overrides of its theme's templates.
    pub fn templates(&self) -> PathBuf {
        self.root.join(Self::TEMPLATES)
    }

    /// `public`, the default output folder.
    pub fn output(&self) -> PathBuf {
        self.root.join(Self::OUTPUT)
    }

    /// `.annals-external.json`, the cache of `annals check --external`.
    pub fn external_cache(&self) -> PathBuf {
        self.root.join(Self::EXTERNAL_CACHE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_and_their_files() {
        assert_eq!(event("a-b"), "events/a-b/");
        assert_eq!(term("kinds", "meeting"), "kinds/meeting/");
        assert_eq!(taxonomy("tracks"), "tracks/");
        assert_eq!(year(7), "years/0007/");
        assert_eq!(year(1985), "years/1985/");
        assert_eq!(
            compare_pair("us-japan", "us-rok"),
            "compare/us-japan--us-rok/"
        );
        assert_eq!(embed_track("us-rok"), "embed/us-rok/");
        assert_eq!(event_file("a", "img/map.png"), "events/a/img/map.png");
        assert_eq!(event_cite("a", CITE_BIB), "events/a/cite.bib");
        assert_eq!(
            rendition("map", 255, 480, "png"),
            "media/map-00000000000000ff-480.png"
        );
        assert_eq!(page("about"), "about/");
        assert_eq!(atom_of(&term("tags", "x")), "tags/x/atom.xml");
        assert_eq!(file_of(HOME), "index.html");
        assert_eq!(file_of(&event("a")), "events/a/index.html");
        assert_eq!(file_of(NOT_FOUND), "404.html");
        assert_eq!(paged("kinds/meeting/", 1), "kinds/meeting/");
        assert_eq!(paged("kinds/meeting/", 2), "kinds/meeting/page/2/");
        assert_eq!(paged(HOME, 3), "page/3/");
        assert_eq!(file_of(&paged(HOME, 3)), "page/3/index.html");
    }

    #[test]
    fn event_slug_reads_back_an_event_path() {
        assert_eq!(event_slug("events/a-b"), Some("a-b"));
        assert_eq!(event_slug("events/"), Some(""));
        assert_eq!(event_slug("events"), None);
        assert_eq!(event_slug("eventsx/a"), None);
        assert_eq!(event_slug("about"), None);
    }

    #[test]
    fn urls_follow_a_sub_path_base() {
        let root = Urls::with_assets("/", Default::default());
        assert_eq!(root.event("a"), "/events/a/");
        assert_eq!(root.to(HOME), "/");
        let sub = Urls::with_assets("/timeline/", Default::default());
        assert_eq!(sub.event("a-b"), "/timeline/events/a-b/");
        assert_eq!(
            sub.term(TaxonomyKind::Countries, "jp"),
            "/timeline/countries/jp/"
        );
        assert_eq!(sub.year(2001), "/timeline/years/2001/");
        assert_eq!(sub.to("/atom.xml"), "/timeline/atom.xml");
        assert_eq!(
            under("https://example.org/timeline/", &event("x")),
            "https://example.org/timeline/events/x/"
        );
    }

    #[test]
    fn site_paths_are_under_the_root() {
        let p = SitePaths::new(Path::new("/s"));
        assert_eq!(p.config(), Path::new("/s/site.yaml"));
        assert_eq!(p.events(), Path::new("/s/content/events"));
        assert_eq!(p.pages(), Path::new("/s/content/pages"));
        assert_eq!(p.statics(), Path::new("/s/static"));
        assert_eq!(p.theme("default"), Path::new("/s/themes/default"));
        assert_eq!(SitePaths::theme_folder("x"), Path::new("themes/x"));
        assert_eq!(p.templates(), Path::new("/s/templates"));
        assert_eq!(p.output(), Path::new("/s/public"));
    }
}
