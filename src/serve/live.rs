//! The live site behind `annals serve`: a per-file cache of parsed content,
//! the model built from it, and pages rendered on request. A change
//! re-parses only the files that changed, rebuilds the model (cheap: sorting
//! and indexing) and drops cached pages; nothing is written to disk.

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::Site;
use crate::output::Sink;
use crate::render::{self, Prepared, Routes, Templates};
use crate::source::load::Section;
use crate::urls::SitePaths;
use crate::{BuildOptions, FileOutcome};
use axum::body::Bytes;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

mod editions;

/// One consistent state of the site, swapped whole on every rebuild.
pub struct Snapshot {
    pub site: Site,
    /// Every page and its path, made with the model (the static-file
    /// collision check needs them before the snapshot is announced).
    routes: Arc<Routes>,
    /// Views are made on the first request, so a change is announced as
    /// soon as the model is known to be valid.
    prepared: OnceLock<Prepared>,
    templates: Arc<Templates>,
    /// Files are held as `Bytes`, so a response shares them (a reference
    /// count) instead of copying them per request.
    statics: Arc<HashMap<String, Bytes>>,
    /// Feeds, calendar, data and sitemap, produced on first request.
    exports: OnceLock<HashMap<String, Bytes>>,
    /// Rendered pages, kept until the next change.
    pages: Mutex<HashMap<String, Bytes>>,
    /// The other language editions, by folder (`ja/`); empty for a site of
    /// one language.
    editions: Vec<(String, Arc<Snapshot>)>,
}

/// What a request for a file of the site finds.
pub enum Found {
    File(Bytes),
    /// The page exists with a trailing slash.
    Redirect,
    Missing,
}

struct ExportSink(Mutex<HashMap<String, Bytes>>);

impl Sink for ExportSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("export sink poisoned"))?;
        map.insert(rel.to_string(), Bytes::copy_from_slice(bytes));
        Ok(())
    }
}

impl Snapshot {
    fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| {
            Prepared::reusing(
                &self.site,
                self.routes.clone(),
                None,
                self.templates
                    .locale_for(&self.site.config.language)
                    .clone(),
                // Pages render on request, with no entry HTML kept.
                false,
            )
        })
    }

    fn exports(&self) -> &HashMap<String, Bytes> {
        self.exports.get_or_init(|| {
            let sink = ExportSink(Mutex::new(HashMap::new()));
            // An export failure shows as a missing file, never a crash.
            let _ = crate::exports::write_all_with(
                &self.site,
                &sink,
                &*self.routes,
                &|_, _| Ok(()),
                self.templates.locale_for(&self.site.config.language),
                None,
                None,
            );
            sink.0.into_inner().unwrap_or_default()
        })
    }

    /// Renders or fetches the file at `rel` (relative to the output root).
    pub fn get(&self, rel: &str) -> Result<Found, Diagnostic> {
        for (folder, edition) in &self.editions {
            if let Some(inner) = rel.strip_prefix(folder.as_str()) {
                return edition.get(inner);
            }
            if rel == folder.trim_end_matches('/') {
                return Ok(Found::Redirect);
            }
        }
        if let Some(route) = self.routes.of_file(rel) {
            if let Ok(cache) = self.pages.lock()
                && let Some(hit) = cache.get(rel)
            {
                return Ok(Found::File(hit.clone()));
            }
            let html =
                render::render_page(&self.site, self.prepared(), &self.templates, route.job)?;
            let bytes = Bytes::from(html.into_bytes());
            if let Ok(mut cache) = self.pages.lock() {
                cache.insert(rel.to_string(), bytes.clone());
            }
            return Ok(Found::File(bytes));
        }
        if let Some(bytes) = self.statics.get(rel) {
            return Ok(Found::File(bytes.clone()));
        }
        if let Some(bytes) = self.exports().get(rel) {
            return Ok(Found::File(bytes.clone()));
        }
        let as_folder = format!("{}/index.html", rel.trim_end_matches('/'));
        if !rel.is_empty() && !rel.ends_with('/') && self.routes.of_file(&as_folder).is_some() {
            return Ok(Found::Redirect);
        }
        Ok(Found::Missing)
    }
}

/// Which part of the site a changed path belongs to.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Content(Section, PathBuf),
    Config,
    Theme,
    Ignored,
}

/// A content file's section, modification time and validated outcome.
type Cached = (Section, Option<SystemTime>, FileOutcome);

pub struct Live {
    options: BuildOptions,
    /// `http://ADDRESS:PORT` of the server: the site is served there at
    /// the path of its `base_url`, read again with every change of
    /// site.yaml.
    origin: String,
    cache: BTreeMap<PathBuf, Cached>,
    config_diagnostics: Vec<Diagnostic>,
    config: crate::config::Config,
    templates: Option<Arc<Templates>>,
    statics: Arc<HashMap<String, Bytes>>,
    /// Where each static file came from, for collision diagnostics.
    static_origins: Arc<HashMap<String, PathBuf>>,
    /// Published names of the theme's fingerprinted assets.
    asset_names: std::collections::BTreeMap<String, String>,
    /// The last snapshot made, whose list entries the next one may reuse.
    last: Option<Arc<Snapshot>>,
    /// Skipped symlinks not yet told to the user, and those already told.
    warnings: Vec<String>,
    warned: std::collections::HashSet<String>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Live {
    pub fn new(options: BuildOptions, origin: String) -> Live {
        Live {
            options,
            origin,
            cache: BTreeMap::new(),
            config_diagnostics: Vec::new(),
            config: crate::config::Config::default(),
            templates: None,
            statics: Arc::new(HashMap::new()),
            static_origins: Arc::new(HashMap::new()),
            asset_names: Default::default(),
            last: None,
            warnings: Vec::new(),
            warned: std::collections::HashSet::new(),
        }
    }

    /// Warnings (skipped symlinks) found since the last call, each told once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn warn(&mut self, found: impl IntoIterator<Item = String>) {
        for w in found {
            if self.warned.insert(w.clone()) {
                self.warnings.push(w);
            }
        }
    }

    fn classify(&self, path: &Path) -> Change {
        let site = &self.options.site;
        let rel = match path.strip_prefix(site) {
            Ok(r) => r,
            Err(_) => match crate::output::outdir::resolve(site)
                .ok()
                .and_then(|s| path.strip_prefix(s).ok().map(Path::to_path_buf))
            {
                Some(r) => return self.classify(&site.join(r)),
                None => return Change::Ignored,
            },
        };
        let hidden = rel.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
        });
        if hidden {
            return Change::Ignored;
        }
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        match first.as_str() {
            SitePaths::CONFIG => Change::Config,
            SitePaths::THEMES | SitePaths::TEMPLATES | SitePaths::STATIC | SitePaths::I18N => {
                Change::Theme
            }
            SitePaths::CONTENT => {
                let section = if rel.starts_with(SitePaths::PAGES) {
                    Section::Pages
                } else if rel.starts_with(SitePaths::PERIODS) {
                    Section::Periods
                } else if rel.starts_with(SitePaths::EVENTS) {
                    Section::Events
                } else {
                    return Change::Ignored;
                };
                Change::Content(section, rel.to_path_buf())
            }
            _ => Change::Ignored,
        }
    }

    fn reload_config(&mut self) -> Result<(), Error> {
        let (mut config, diagnostics) = crate::load_config(&self.options)?;
        let served = format!("{}{}", self.origin, config.base_path());
        config
            .set_base_url(&served)
            .map_err(|e| Error::Usage(format!("cannot serve at {served}: {e}")))?;
        self.config = config;
        self.config_diagnostics = diagnostics;
        Ok(())
    }

    fn reload_theme(&mut self) -> Result<(), Error> {
        let site = self.options.site.clone();
        self.templates = None;
        let mut skipped = Vec::new();
        let statics = crate::render::theme::static_files(&site, &self.config.theme, &mut skipped)?;
        self.warn(skipped);
        self.asset_names = crate::render::theme::asset_names(&statics);
        self.static_origins = Arc::new(
            statics
                .iter()
                .map(|f| (f.rel.clone(), f.origin.clone()))
                .collect(),
        );
        self.statics = Arc::new(
            statics
                .into_iter()
                .map(|f| (f.rel, Bytes::from(f.bytes)))
                .collect(),
        );
        let templates = Templates::load(&site, &self.config)?;
        self.warn(templates.skipped_links.clone());
        self.templates = Some(Arc::new(templates));
        Ok(())
    }

    /// Static files that would replace a generated page or export: the
    /// same content errors `build` reports.
    fn static_collisions(
        &self,
        routes: &Routes,
        site: &Site,
        media: &[crate::media::Published],
    ) -> Vec<Diagnostic> {
        let origins: Vec<(&str, &std::path::Path)> = self
            .static_origins
            .iter()
            .map(|(rel, origin)| (rel.as_str(), origin.as_path()))
            .collect();
        let mut found = crate::statics::collisions(site, routes, &origins, media);
        crate::diagnostic::sort(&mut found);
        found
    }

    /// Re-reads every content file (start-up, config change, folder moves).
    fn rescan(&mut self) -> Result<(), Error> {
        use rayon::prelude::*;
        let (files, skipped) = crate::list_content(&self.options.site)?;
        self.warn(skipped);
        let site = self.options.site.clone();
        let config = &self.config;
        let cache = &self.cache;
        let fresh: Vec<(PathBuf, Cached)> = files
            .par_iter()
            .map(|(section, rel)| {
                let stamp = modified(&site.join(rel));
                if let Some((_, old_stamp, outcome)) = cache.get(rel)
                    && *old_stamp == stamp
                    && stamp.is_some()
                {
                    return Ok((rel.clone(), (*section, stamp, outcome.clone())));
                }
                let outcome = crate::parse_file(&site, *section, rel, config, true)?;
                Ok((rel.clone(), (*section, stamp, outcome)))
            })
            .collect::<Result<_, Error>>()?;
        self.cache = fresh.into_iter().collect();
        Ok(())
    }

    fn refresh_file(&mut self, section: Section, rel: &Path) -> Result<(), Error> {
        let path = self.options.site.join(rel);
        let is_markdown = matches!(
            rel.extension().and_then(|e| e.to_str()),
            Some("md") | Some("markdown")
        );
        let inside = crate::source::walk::is_inside(
            &path,
            &crate::source::walk::site_root(&self.options.site),
        );
        if path.is_file() && is_markdown && !inside {
            // A link to a file outside the site is never read.
            self.cache.remove(rel);
            self.warn([crate::source::walk::outside_warning(&path)]);
            Ok(())
        } else if path.is_file() && is_markdown {
            let outcome = crate::parse_file(&self.options.site, section, rel, &self.config, true)?;
            self.cache
                .insert(rel.to_path_buf(), (section, modified(&path), outcome));
            Ok(())
        } else if path.is_dir() || self.cache.keys().any(|k| k.starts_with(rel) && k != rel) {
            // A folder appeared, vanished or moved: walk again.
            self.rescan()
        } else {
            self.cache.remove(rel);
            Ok(())
        }
    }

    /// Loads everything from scratch.
    pub fn load_all(&mut self) -> Result<Arc<Snapshot>, Error> {
        self.reload_config()?;
        self.reload_theme()?;
        self.rescan()?;
        self.snapshot()
    }

    /// Applies a batch of changed paths and returns the new snapshot, or
    /// None when none of them is part of the site's sources.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Option<Arc<Snapshot>>, Error> {
        let changes: Vec<Change> = paths
            .iter()
            .map(|p| self.classify(p))
            .filter(|c| *c != Change::Ignored)
            .collect();
        if changes.is_empty() {
            return Ok(None);
        }
        if changes.contains(&Change::Config) {
            return self.load_all().map(Some);
        }
        if changes.contains(&Change::Theme) || self.templates.is_none() {
            self.reload_theme()?;
        }
        for change in changes {
            if let Change::Content(section, rel) = change {
                self.refresh_file(section, &rel)?;
            }
        }
        self.snapshot().map(Some)
    }

    /// The valid part of the site, for a start-up with errors: files that
    /// failed are left out, and the built-in theme stands in for a broken one.
    pub fn fallback_snapshot(&mut self) -> Result<Arc<Snapshot>, Error> {
        let mut events = Vec::new();
        let mut pages = Vec::new();
        let mut periods = Vec::new();
        for (_, _, outcome) in self.cache.values() {
            match outcome {
                Ok(crate::Parsed::Event(e)) => events.push(e.clone()),
                Ok(crate::Parsed::Page(p)) => pages.push((**p).clone()),
                Ok(crate::Parsed::Period(p)) => periods.push((**p).clone()),
                Err(_) => {}
            }
        }
        // Periods whose slugs clash are left out with the rest that fails.
        let periods =
            crate::content::period::site_periods(&self.config, periods).unwrap_or_default();
        let site = crate::model::build(
            self.config.clone(),
            events,
            pages,
            periods,
            self.options.drafts,
        );
        let templates = match &self.templates {
            Some(t) => t.clone(),
            None => Arc::new(Templates::load(
                Path::new("/nonexistent/annals-builtin"),
                &{
                    let mut config = self.config.clone();
                    config.theme = "default".into();
                    config
                },
            )?),
        };
        let mut site = site;
        // A start-up with errors shows what it can: media that cannot be
        // read are left without their sizes.
        let media = crate::media::prepare(&mut site, &self.media_mode()).unwrap_or_default();
        let routes = Arc::new(Routes::new(&site));
        Ok(self.finish(site, routes, templates, &media, Vec::new()))
    }

    /// Resized images go to the cache a build into the default output uses.
    fn media_mode(&self) -> crate::media::Mode {
        crate::media::Mode::Build {
            cache: crate::media::cache_for(&self.options.out_dir()),
        }
    }

    /// The static files with the media stage's files added.
    fn statics_with(&self, media: &[crate::media::Published]) -> Arc<HashMap<String, Bytes>> {
        if media.is_empty() {
            return self.statics.clone();
        }
        let mut all = (*self.statics).clone();
        for m in media {
            let from = match &m.from {
                crate::media::CopyFrom::Source(p) | crate::media::CopyFrom::Cache(p) => p,
                crate::media::CopyFrom::Nothing => continue,
            };
            if let Ok(bytes) = std::fs::read(from) {
                all.insert(m.rel.clone(), Bytes::from(bytes));
            }
        }
        Arc::new(all)
    }

    fn finish(
        &mut self,
        mut site: Site,
        routes: Arc<Routes>,
        templates: Arc<Templates>,
        media: &[crate::media::Published],
        editions: Vec<(String, Arc<Snapshot>)>,
    ) -> Arc<Snapshot> {
        site.assets = self.asset_names.clone();
        // Entries of unchanged events are shared with the previous snapshot,
        // which makes preparing them cheap enough to do before announcing.
        let prepared = OnceLock::new();
        if let Some(previous) = self.last.as_ref().and_then(|s| s.prepared.get()) {
            let _ = prepared.set(Prepared::reusing(
                &site,
                routes.clone(),
                Some(previous),
                templates.locale().clone(),
                false,
            ));
        }
        let snapshot = Arc::new(Snapshot {
            site,
            routes,
            prepared,
            templates,
            statics: self.statics_with(media),
            exports: OnceLock::new(),
            pages: Mutex::new(HashMap::new()),
            editions,
        });
        if let Some(old) = self.last.replace(snapshot.clone()) {
            // Freeing a large site takes milliseconds; not on the reload path.
            std::thread::spawn(move || drop(old));
        }
        snapshot
    }

    fn snapshot(&mut self) -> Result<Arc<Snapshot>, Error> {
        // Translations are read again on every change (they are few); the
        // cache's outcome of such a file, read as an event, is not used.
        let files = self
            .cache
            .iter()
            .map(|(rel, (section, _, _))| (*section, rel.clone()))
            .collect();
        let (originals, pending) = crate::editions::split(&self.config, files);
        let (translations, problems) =
            crate::editions::read(&self.options.site, &self.config, &pending)?;
        let mut diagnostics = self.config_diagnostics.clone();
        diagnostics.extend(problems);
        // The cache in its own order, the translations left out (the order
        // and files of `originals`): one look-up per file in a tree of
        // paths cost more than the model.
        let translated: std::collections::HashSet<&Path> =
            pending.iter().map(|t| t.rel.as_path()).collect();
        let mut outcomes: Vec<FileOutcome> = self
            .cache
            .iter()
            .filter(|(rel, _)| !translated.contains(rel.as_path()))
            .map(|(_, (_, _, o))| o.clone())
            .collect();
        crate::editions::note_unlisted_translations(&self.config, &originals, &mut outcomes);
        let mut site = crate::assemble(
            self.config.clone(),
            diagnostics,
            outcomes,
            self.options.drafts,
        )?;
        // Each reload reads the history again: a commit changes dates.
        if let Some(w) = crate::model::updated::from_git(&mut site, &self.options.site) {
            self.warn([w]);
        }
        let media = crate::media::prepare(&mut site, &self.media_mode())?;
        let templates = match &self.templates {
            Some(t) => t.clone(),
            None => Arc::new(Templates::load(&self.options.site, &self.config)?),
        };
        site.assets = self.asset_names.clone();
        let statics = self.statics_with(&media);
        let (routes, editions) = editions::make(&mut site, &translations, &templates, &statics)?;
        let clashes = self.static_collisions(&routes, &site, &media);
        if !clashes.is_empty() {
            return Err(Error::Content(clashes));
        }
        Ok(self.finish(site, routes, templates, &media, editions))
    }
}
