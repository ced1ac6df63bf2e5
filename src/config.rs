//! `site.yaml`: the site's configuration, with defaults when the file or a
//! key is absent. Unknown keys are errors, like in events.

use crate::diagnostic::Diagnostic;
use crate::source::load::SourceFile;
use crate::source::parse::{self, Document};
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::urls::SitePaths;
use crate::values::base_url::BaseUrl;
use crate::values::reliability::Tier;
use crate::values::slug;
use std::path::Path;

pub mod embeds;
pub mod languages;
pub mod paginate;
pub mod periods;
mod terms;
pub use languages::{Elsewhere, Labels, Language, Untranslated};
pub use paginate::Paginate;
pub use periods::Period;
use terms::{relations, term_defs};

/// Whether `site` is an annals site: a folder with `site.yaml` or a
/// `content/` folder (`site.yaml` is optional). Commands refuse any other
/// folder before they read or create anything in it, so a mistyped
/// `--site` or a command run in the wrong folder changes nothing.
pub fn require_site(site: &Path) -> Result<(), crate::error::Error> {
    let paths = SitePaths::new(site);
    if !site.is_dir() {
        return Err(crate::error::Error::Usage(format!(
            "site folder {} does not exist; create a site there with `annals init {}`",
            site.display(),
            site.display()
        )));
    }
    if paths.config().is_file() || site.join(SitePaths::CONTENT).is_dir() {
        return Ok(());
    }
    Err(crate::error::Error::Usage(format!(
        "{} is not an annals site: it has no {} and no {}/ folder; create a site with `annals init DIR`, or pass --site with the site's folder",
        site.display(),
        SitePaths::CONFIG,
        SitePaths::CONTENT
    )))
}

/// A declared term (kind or track) with its reader-facing label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermDef {
    pub key: String,
    pub label: String,
    pub description: Option<String>,
}

/// A relation and the label of its inverse ("References" / "Referenced by").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationDef {
    pub key: String,
    pub label: String,
    pub inverse: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    OldestFirst,
    NewestFirst,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feeds {
    pub atom: bool,
    pub json: bool,
    pub ics: bool,
    pub limit: usize,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute URL ending in `/`, or `/` when none is configured; set
    /// through [`Config::set_base_url`] so its path is found once.
    base_url: BaseUrl,
    pub language: String,
    /// `dir`: the writing direction, when it overrides the language's own.
    pub dir: Option<crate::i18n::Dir>,
    pub description: Option<String>,
    pub order: Order,
    pub theme: String,
    pub kinds: Vec<TermDef>,
    pub tracks: Vec<TermDef>,
    pub country_labels: Vec<(String, String)>,
    /// Labels (and descriptions) of tags, by the tag's slug.
    pub tags: Vec<TermDef>,
    pub relations: Vec<RelationDef>,
    pub feeds: Feeds,
    pub search: bool,
    pub unsafe_html: bool,
    /// Events in `timelinejs.json` and the embeds (the newest); the rest
    /// are in the per-year files.
    pub embed_limit: usize,
    /// Entries per page of the lists that grow with the archive.
    pub paginate: Paginate,
    /// The zone of times written without one: `annals import` reads
    /// TimelineJS times (which carry no zone) in it.
    pub timezone: Option<crate::values::zone::Zone>,
    /// The periods declared under `periods:`, in file order (the files of
    /// `content/periods/` join them in the content stage).
    pub periods: Vec<Period>,
    /// Hosts an event's media may embed, beyond the built-in ones.
    pub embeds: embeds::EmbedHosts,
    /// Whether an event without `updated` is dated by the last commit of
    /// its file (`updated_from_git`).
    pub updated_from_git: bool,
    /// The shown label of each source reliability tier, in
    /// `Tier::ALL` order (`reliability`).
    pub reliability_labels: [String; 4],
    /// `languages`: the default language first, then every other
    /// edition; empty when the site has one language.
    pub languages: Vec<Language>,
    /// Term labels written per language, by (`kinds`/`tracks`/`countries`/`tags`, key).
    pub label_maps: Vec<(&'static str, String, Labels)>,
    /// In an edition that hides what it has no translation of, where body
    /// links to those go (see [`Elsewhere`]); `None` otherwise.
    pub elsewhere: Option<std::sync::Arc<Elsewhere>>,
}

const DEFAULT_KINDS: &[(&str, &str)] = &[
    ("meeting", "Meeting"),
    ("statement", "Statement"),
    ("command-change", "Command change"),
    ("agreement", "Agreement"),
    ("exercise", "Exercise"),
];

const BUILTIN_RELATIONS: &[(&str, &str, &str)] = &[
    ("references", "References", "Referenced by"),
    ("implements", "Implements", "Implemented by"),
    ("builds-on", "Builds on", "Built on by"),
    ("follows-up", "Follows up", "Followed up by"),
    ("responds-to", "Responds to", "Responded to by"),
    ("supersedes", "Supersedes", "Superseded by"),
];

/// The translation key of a built-in kind's default label (`kind-<key>`);
/// `None` for a kind the site declared or relabelled.
pub fn builtin_kind_key(key: &str, label: &str) -> Option<String> {
    DEFAULT_KINDS
        .iter()
        .any(|(k, l)| *k == key && *l == label)
        .then(|| format!("kind-{key}"))
}

/// The translation key of a built-in relation's default label (`label`
/// being what the site's relation shows): `relation-<key>` or
/// `relation-<key>-inverse`; `None` for a label the site wrote itself.
pub fn builtin_relation_key(config: &Config, label: &str) -> Option<String> {
    BUILTIN_RELATIONS
        .iter()
        .find_map(|(key, forward, inverse)| {
            let def = config.relations.iter().find(|r| r.key == *key)?;
            if label == *forward && def.label == *forward {
                Some(format!("relation-{key}"))
            } else if label == *inverse && def.inverse == *inverse {
                Some(format!("relation-{key}-inverse"))
            } else {
                None
            }
        })
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "languages",
    "dir",
    "description",
    "order",
    "theme",
    "kinds",
    "tracks",
    "countries",
    "tags",
    "relations",
    "feeds",
    "search",
    "markdown",
    "embed_limit",
    "paginate",
    "timezone",
    "periods",
    "embeds",
    "updated_from_git",
    "reliability",
];

impl Config {
    /// The shown label of a source reliability tier.
    pub fn reliability_label(&self, tier: Tier) -> &str {
        &self.reliability_labels[tier.index()]
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "Timeline".into(),
            base_url: BaseUrl::root(),
            language: "en".into(),
            dir: None,
            description: None,
            order: Order::OldestFirst,
            theme: "default".into(),
            kinds: DEFAULT_KINDS
                .iter()
                .map(|(k, l)| TermDef {
                    key: (*k).into(),
                    label: (*l).into(),
                    description: None,
                })
                .collect(),
            tracks: Vec::new(),
            country_labels: Vec::new(),
            tags: Vec::new(),
            relations: BUILTIN_RELATIONS
                .iter()
                .map(|(k, l, i)| RelationDef {
                    key: (*k).into(),
                    label: (*l).into(),
                    inverse: (*i).into(),
                })
                .collect(),
            feeds: Feeds {
                atom: true,
                json: true,
                ics: true,
                limit: 50,
            },
            search: true,
            unsafe_html: false,
            embed_limit: 1000,
            paginate: Paginate::default(),
            timezone: None,
            periods: Vec::new(),
            embeds: embeds::EmbedHosts::default(),
            updated_from_git: true,
            reliability_labels: Tier::ALL.map(|t| t.default_label().to_string()),
            languages: Vec::new(),
            label_maps: Vec::new(),
            elsewhere: None,
        }
    }
}

impl Config {
    pub fn kind(&self, key: &str) -> Option<&TermDef> {
        self.kinds.iter().find(|t| t.key == key)
    }

    pub fn track(&self, key: &str) -> Option<&TermDef> {
        self.tracks.iter().find(|t| t.key == key)
    }

    /// The keys of the declared tracks, which a period may name.
    pub fn track_keys(&self) -> Vec<String> {
        self.tracks.iter().map(|t| t.key.clone()).collect()
    }

    pub fn relation(&self, key: &str) -> Option<&RelationDef> {
        self.relations.iter().find(|r| r.key == key)
    }

    pub fn country_label(&self, code: &str) -> String {
        self.country_labels
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| crate::values::countries::name(code))
    }

    /// What a tag is shown as: its `tags` label in site.yaml; else the
    /// tag as written, made readable when it was written as a slug
    /// (`cyber-readiness` → "Cyber readiness"). `id` is its slug.
    pub fn tag_label(&self, id: &str, written: &str) -> String {
        match self.tags.iter().find(|t| t.key == id) {
            Some(def) => def.label.clone(),
            None => terms::readable(written),
        }
    }

    /// The base URL: absolute and ending in `/`, or a path such as `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// The path part of `base_url` ("/" or "/timeline/"), for site links.
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }

    /// The host (and port) of an absolute `base_url`; `None` for a path.
    pub fn base_host(&self) -> Option<&str> {
        self.base_url.host()
    }

    /// Whether `base_url` names a host, so absolute links can be made.
    pub fn has_absolute_base_url(&self) -> bool {
        self.base_url.is_absolute()
    }

    /// Replaces the base URL (from `--base-url` or `site.yaml`) with its
    /// normal form, or says why it is refused (see [`crate::values::base_url`]).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = BaseUrl::parse(url)?;
        Ok(())
    }
}

fn field<'m>(map: &'m [(String, Yaml)], key: &str) -> Option<&'m Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Reads `site.yaml` if present. Always returns a config (what could be
/// read of it, over the defaults) so content can still be checked, plus
/// every problem found in the file.
pub fn load(site: &Path) -> (Config, Vec<Diagnostic>) {
    let path = SitePaths::new(site).config();
    if !path.exists() {
        return (Config::default(), Vec::new());
    }
    if !crate::source::walk::is_inside(&path, &crate::source::walk::site_root(site)) {
        let d = Diagnostic::new(
            &path,
            crate::diagnostic::Pos::new(1, 1),
            "site.yaml is a symbolic link that leads outside the site folder; it was not read",
        )
        .with_hint("copy the file into the site folder instead of linking to it");
        return (Config::default(), vec![d]);
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::new(
                &path,
                crate::diagnostic::Pos::new(1, 1),
                format!("cannot read site.yaml: {e}"),
            );
            return (Config::default(), vec![d]);
        }
    };
    let file = SourceFile {
        rel: SitePaths::CONFIG.into(),
        shown: path.clone(),
        bytes,
    };
    match parse::parse_plain_yaml(&file) {
        Ok(doc) => from_document(&doc, &path),
        Err(d) => (Config::default(), vec![d]),
    }
}

fn from_document(doc: &Document, path: &Path) -> (Config, Vec<Diagnostic>) {
    let mut config = Config::default();
    let mut c = Checker::new(doc, path);
    let map = match &doc.front {
        Yaml::Null => return (config, Vec::new()),
        Yaml::Map(m) => m,
        other => {
            c.at_top(format!(
                "site.yaml must be a mapping of `key: value` lines, found {}",
                other.type_name()
            ))
            .hint = Some("write settings as `title: ...` lines".into());
            return (config, c.diagnostics);
        }
    };
    c.check_keys(map, KEYS, &[], SitePaths::CONFIG);
    let k = |key| [Seg::Key(key)];
    if let Some(v) = field(map, "title").and_then(|v| c.text(v, &k("title"))) {
        config.title = v;
    }
    if let Some(v) = field(map, "base_url").and_then(|v| c.text(v, &k("base_url")))
        && let Err(msg) = config.set_base_url(&v)
    {
        c.at_value(&k("base_url"), msg).hint = Some(crate::values::base_url::HINT.into());
    }
    let language = field(map, "language").and_then(|v| c.text(v, &k("language")));
    if let Some(v) = &language {
        config.language = v.clone();
    }
    if let Some(v) = field(map, "languages") {
        config.languages = languages::read(&mut c, v, language.as_deref());
        if let Some(first) = config.languages.first() {
            config.language = first.code.clone();
        }
    }
    if let Some(v) = field(map, "dir").and_then(|v| c.text(v, &k("dir"))) {
        match crate::i18n::Dir::parse(&v) {
            Some(d) => config.dir = Some(d),
            None => {
                c.at_value(&k("dir"), format!("unknown direction `{v}`"))
                    .hint = Some("write `ltr` or `rtl`".into());
            }
        }
    }
    config.description = field(map, "description").and_then(|v| c.text(v, &k("description")));
    if let Some(v) = field(map, "order").and_then(|v| c.text(v, &k("order"))) {
        match v.as_str() {
            "oldest-first" => config.order = Order::OldestFirst,
            "newest-first" => config.order = Order::NewestFirst,
            other => {
                c.at_value(&k("order"), format!("unknown order `{other}`"))
                    .hint = Some(crate::diagnostic::suggestion(
                    other,
                    &["oldest-first", "newest-first"],
                ));
            }
        }
    }
    if let Some(v) = field(map, "timezone").and_then(|v| c.text(v, &k("timezone"))) {
        match crate::values::zone::Zone::parse(&v) {
            Ok(z) => config.timezone = Some(z),
            Err(msg) => {
                c.at_value(&k("timezone"), msg).hint =
                    Some(format!("write {}", crate::values::zone::HINT));
            }
        }
    }
    if let Some(v) = field(map, "theme").and_then(|v| c.text(v, &k("theme"))) {
        if slug::is_valid(&v)
            || v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            config.theme = v;
        } else {
            c.at_value(&k("theme"), format!("invalid theme name `{v}`"))
                .hint = Some("name a folder of `themes/` (letters, digits, - and _)".into());
        }
    }
    if let Some(v) = field(map, "kinds") {
        let default = config.language.clone();
        for (def, labelled) in term_defs(&mut c, v, "kinds", &default, &mut config.label_maps) {
            match config.kinds.iter_mut().find(|t| t.key == def.key) {
                // Labels only in other languages keep the built-in label.
                Some(existing) if !labelled => existing.description = def.description,
                Some(existing) => *existing = def,
                None => config.kinds.push(def),
            }
        }
    }
    if let Some(v) = field(map, "tracks") {
        let default = config.language.clone();
        config.tracks = term_defs(&mut c, v, "tracks", &default, &mut config.label_maps)
            .into_iter()
            .map(|(def, _)| def)
            .collect();
    }
    if let Some(v) = field(map, "periods") {
        config.periods = periods::read_list(&mut c, v, &config.track_keys());
    }
    if let Some(v) = field(map, "countries") {
        let default = config.language.clone();
        let mut maps = std::mem::take(&mut config.label_maps);
        for (def, labelled) in term_defs(&mut c, v, "countries", &default, &mut maps) {
            if !crate::values::countries::is_valid(&def.key) {
                c.at_key(
                    &[Seg::Key("countries"), Seg::Key(&def.key)],
                    format!("unknown country code `{}`", def.key),
                )
                .hint = Some("use an ISO 3166-1 alpha-2 code in upper case".into());
            }
            if labelled {
                config.country_labels.push((def.key, def.label));
            } else {
                // Labelled only in other languages: the built-in name here.
                let name = crate::values::countries::name(&def.key);
                config.country_labels.push((def.key, name));
            }
        }
        config.label_maps = maps;
    }
    if let Some(v) = field(map, "tags") {
        let default = config.language.clone();
        config.tags = term_defs(&mut c, v, "tags", &default, &mut config.label_maps)
            .into_iter()
            .map(|(def, _)| def)
            .collect();
    }
    if let Some(v) = field(map, "relations") {
        relations(&mut c, v, &mut config);
    }
    if let Some(v) = field(map, "feeds")
        && let Some(m) = c.map(v, &k("feeds"), "`feeds`")
    {
        c.check_keys(m, &["atom", "json", "ics", "limit"], &k("feeds"), "`feeds`");
        let sub = |key| [Seg::Key("feeds"), Seg::Key(key)];
        for (key, slot) in [
            ("atom", &mut config.feeds.atom),
            ("json", &mut config.feeds.json),
            ("ics", &mut config.feeds.ics),
        ] {
            if let Some(b) = field(m, key).and_then(|x| c.boolean(x, &sub(key))) {
                *slot = b;
            }
        }
        match field(m, "limit") {
            Some(Yaml::Int(n)) if *n > 0 => config.feeds.limit = *n as usize,
            Some(_) => {
                c.at_value(&sub("limit"), "`limit` must be a positive whole number");
            }
            None => {}
        }
    }
    match field(map, "embed_limit") {
        Some(Yaml::Int(n)) if *n > 0 => config.embed_limit = *n as usize,
        Some(_) => {
            c.at_value(
                &k("embed_limit"),
                "`embed_limit` must be a positive whole number",
            )
            .hint = Some("e.g. `embed_limit: 1000`".into());
        }
        None => {}
    }
    if let Some(v) = field(map, "embeds") {
        config.embeds = embeds::read(&mut c, v);
    }
    if let Some(v) = field(map, "paginate") {
        config.paginate = paginate::read(&mut c, v);
    }
    if let Some(b) =
        field(map, "updated_from_git").and_then(|v| c.boolean(v, &k("updated_from_git")))
    {
        config.updated_from_git = b;
    }
    if let Some(v) = field(map, "reliability")
        && let Some(m) = c.map(v, &k("reliability"), "`reliability`")
    {
        c.check_keys(m, &Tier::KEYS, &k("reliability"), "`reliability`");
        for tier in Tier::ALL {
            if let Some(label) = field(m, tier.key())
                .and_then(|x| c.text(x, &[Seg::Key("reliability"), Seg::Key(tier.key())]))
            {
                config.reliability_labels[tier.index()] = label;
            }
        }
    }
    if let Some(b) = field(map, "search").and_then(|v| c.boolean(v, &k("search"))) {
        config.search = b;
    }
    if let Some(v) = field(map, "markdown")
        && let Some(m) = c.map(v, &k("markdown"), "`markdown`")
    {
        c.check_keys(m, &["unsafe_html"], &k("markdown"), "`markdown`");
        if let Some(b) = field(m, "unsafe_html")
            .and_then(|x| c.boolean(x, &[Seg::Key("markdown"), Seg::Key("unsafe_html")]))
        {
            config.unsafe_html = b;
        }
    }
    (config, c.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_sub_path_urls() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), "/");
        c.set_base_url("https://example.org/timeline")
            .expect("valid");
        assert_eq!(c.base_url(), "https://example.org/timeline/");
        assert_eq!(c.base_path(), "/timeline/");
        c.set_base_url("https://example.org").expect("valid");
        assert_eq!(c.base_path(), "/");
        assert!(c.set_base_url("ftp://x").is_err());
    }
}
