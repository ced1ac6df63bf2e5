//! annals: a static site generator for timelines of security talks.
//!
//! The pipeline, one folder per stage (see ARCHITECTURE.md):
//! `source` (walk, read, parse YAML) → `content` (validate events and pages,
//! Markdown) → `model` (the site as data) → `render` (templates, in
//! parallel) and `exports` (feeds, calendar, data) → `output` (staging
//! folder, atomic swap). [`build`] and [`check`] run it; `serve` wraps it
//! with a watcher; the binary is a thin CLI over this API.

// Diagnostics are rich on purpose and only built on failure paths.
#![allow(clippy::result_large_err)]

mod config;
mod content;
pub mod deploy;
mod diagnostic;
mod editions;
mod error;
mod exports;
mod external;
mod html;
mod i18n;
mod import;
mod media;
mod model;
mod output;
mod progress;
mod render;
mod scaffold;
pub mod serve;
mod source;
mod statics;
mod stopwatch;
mod urls;
mod values;

pub use config::{Config, TermDef};
pub use content::schema;
pub use diagnostic::Diagnostic;
pub use error::Error;
pub use external::{ExternalOptions, ExternalReport};
pub use import::{ImportOptions, ImportReport, import};
pub use progress::{Observer, Silent, Stage};
pub use scaffold::{Host, init, new_event};
pub use stopwatch::{Lap, Memory};
pub use urls::SitePaths;
pub use values::dates;

/// The pipeline's stages one by one, for benchmarks, fuzzing and tests
/// that drive a single stage. Not a stable interface: use [`build`] and
/// [`check`] otherwise.
pub mod stages {
    pub use crate::content::markdown::render as render_markdown;
    pub use crate::content::validate::event as validate_event;
    pub use crate::exports::sitemap::{Limits as SitemapLimits, files as sitemap_files};
    pub use crate::exports::{paths as export_paths, write_all as write_exports};
    pub use crate::i18n::Locale;
    pub use crate::output::Sink;
    pub use crate::output::outdir::resolve as resolve_out_dir;
    pub use crate::render::{Job, Prepared, Templates, render_page};
    pub use crate::source::load::{Section, SourceFile, read};
    pub use crate::source::parse::parse;
    pub use crate::source::yaml::Yaml;
    pub use crate::values::nesting::MAX_NESTING;
}

use content::{body_links, event, validate};
use output::{links, outdir};
use rayon::prelude::*;
use source::{load, parse};
use std::path::{Path, PathBuf};
use values::base_url;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Render every page, ignoring the previous build's manifest.
    pub clean: bool,
}

impl BuildOptions {
    pub fn new(site: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            site: site.into(),
            out: None,
            base_url: None,
            drafts: false,
            clean: false,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| urls::SitePaths::new(&self.site).output())
    }
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub events: usize,
    pub pages: usize,
    /// Pages linked unchanged from the previous build's output.
    pub reused_pages: usize,
    /// Event files taken from the parse cache instead of read and parsed.
    pub cached_events: usize,
    /// Event bodies taken from the body store instead of rendered.
    pub stored_bodies: usize,
    pub static_files: usize,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<stopwatch::Lap>,
    /// The `http://localhost/…` base that feeds, the sitemap, `robots.txt`
    /// and the calendar fell back to because no absolute base URL was
    /// given; `None` when one was. Such a build must not be published.
    pub localhost_base: Option<String>,
    /// Problems that did not stop the build (body links that leave the
    /// base path), to print.
    pub warnings: Vec<Diagnostic>,
    /// What the user should know even without `--verbose`: symbolic links
    /// that were skipped because they lead outside the site folder.
    pub skipped_links: Vec<String>,
}

/// One content file after validation.
#[derive(Debug, Clone)]
pub enum Parsed {
    Event(std::sync::Arc<event::Event>),
    Page(Box<event::Page>),
    Period(Box<config::Period>),
}

/// What became of one content file: a record, or its diagnostics.
pub type FileOutcome = Result<Parsed, Vec<Diagnostic>>;

/// Content files by section (sorted by path) and the warnings about
/// symbolic links skipped because they lead outside the site folder.
pub type ContentList = (Vec<(load::Section, PathBuf)>, Vec<String>);

/// Every content file of the site and the links skipped on the way.
pub fn list_content(site_dir: &Path) -> Result<ContentList, Error> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for section in [
        load::Section::Events,
        load::Section::Pages,
        load::Section::Periods,
    ] {
        let (found, links) = load::list(site_dir, section)?;
        files.extend(found.into_iter().map(|rel| (section, rel)));
        skipped.extend(links);
    }
    Ok((files, skipped))
}

/// Runs one content file through load → parse → validate. Reading errors
/// are I/O errors; everything else is diagnostics. An event keeps its
/// rendered body when `keep_bodies` (`serve`); otherwise its pages and
/// exports render it again from the file (see `content::body`).
pub fn parse_file(
    site_dir: &Path,
    section: load::Section,
    rel: &Path,
    config: &config::Config,
    keep_bodies: bool,
) -> Result<FileOutcome, Error> {
    parse_file_holding(site_dir, section, rel, config, keep_bodies, None)
}

/// [`parse_file`], an event that does not keep its body holding it while
/// `budget` has room (see [`content::event::BodyAt::File`]).
pub fn parse_file_holding(
    site_dir: &Path,
    section: load::Section,
    rel: &Path,
    config: &config::Config,
    keep_bodies: bool,
    budget: Option<&content::event::HoldBudget>,
) -> Result<FileOutcome, Error> {
    let file = load::read(site_dir, rel)?;
    let keep = if keep_bodies {
        validate::Keep::Body
    } else {
        validate::Keep::FileHash(content::body::hash(&file.bytes), budget)
    };
    let doc = match parse::parse(&file) {
        Ok(doc) => doc,
        Err(d) => return Ok(Err(vec![d])),
    };
    Ok(match section {
        load::Section::Events => validate::event_keeping(&doc, &file.shown, config, keep)
            .map(|e| Parsed::Event(std::sync::Arc::new(e))),
        load::Section::Pages => {
            validate::page(&doc, &file.shown, config).map(|p| Parsed::Page(Box::new(p)))
        }
        load::Section::Periods => {
            content::period::file(&doc, &file.shown, config).map(|p| Parsed::Period(Box::new(p)))
        }
    })
}

/// Reads `site.yaml` and applies a `--base-url` override.
pub fn load_config(options: &BuildOptions) -> Result<(config::Config, Vec<Diagnostic>), Error> {
    config::require_site(&options.site)?;
    // Content is checked even when site.yaml has errors, against what could
    // be read of it, so one run shows every problem.
    let (mut config, diagnostics) = config::load(&options.site);
    if let Some(url) = options.base_url.as_deref() {
        config
            .set_base_url(url)
            .map_err(|e| Error::Usage(format!("--base-url: {e}; {}", base_url::HINT)))?;
    }
    Ok((config, diagnostics))
}

/// Runs the site-wide checks over per-file outcomes and builds the model.
pub fn assemble(
    config: config::Config,
    mut diagnostics: Vec<Diagnostic>,
    outcomes: impl IntoIterator<Item = FileOutcome>,
    drafts: bool,
) -> Result<model::Site, Error> {
    let mut events = Vec::new();
    let mut pages = Vec::new();
    let mut periods = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(Parsed::Event(e)) => events.push(e),
            Ok(Parsed::Page(p)) => pages.push(*p),
            Ok(Parsed::Period(p)) => periods.push(*p),
            Err(d) => diagnostics.extend(d),
        }
    }
    diagnostics.extend(validate::check_site(&events, &pages, drafts));
    diagnostics.extend(editions::page_clashes(&config, &pages));
    let periods = content::period::site_periods(&config, periods).unwrap_or_else(|d| {
        diagnostics.extend(d);
        Vec::new()
    });
    if !diagnostics.is_empty() {
        diagnostic::sort(&mut diagnostics);
        return Err(Error::Content(diagnostics));
    }
    let mut site = model::build(config, events, pages, periods, drafts);
    // Only what is built warns: a draft left out cannot break a link.
    let mut warnings: Vec<Diagnostic> = site
        .events
        .iter()
        .flat_map(|e| e.link_warnings().iter().cloned())
        .chain(
            site.pages
                .iter()
                .flat_map(|p| p.link_warnings.iter().cloned()),
        )
        .map(Diagnostic::as_warning)
        .collect();
    diagnostic::sort(&mut warnings);
    site.warnings = warnings;
    Ok(site)
}

/// Runs load → parse → validate → model, collecting every diagnostic.
pub fn load_site(options: &BuildOptions) -> Result<model::Site, Error> {
    load_site_noting(options, &mut Vec::new())
}

/// [`load_site`], adding the links skipped while listing to `warnings`.
pub fn load_site_noting(
    options: &BuildOptions,
    warnings: &mut Vec<String>,
) -> Result<model::Site, Error> {
    load_site_observed(options, warnings, &Silent)
}

/// [`load_site_noting`], telling `observer` of each content file read.
fn load_site_observed(
    options: &BuildOptions,
    warnings: &mut Vec<String>,
    observer: &dyn Observer,
) -> Result<model::Site, Error> {
    load_site_translated(options, warnings, observer).map(|(site, _)| site)
}

/// [`load_site_observed`], with the site's translations.
fn load_site_translated(
    options: &BuildOptions,
    warnings: &mut Vec<String>,
    observer: &dyn Observer,
) -> Result<(model::Site, Vec<content::translation::Translation>), Error> {
    let (config, mut diagnostics) = load_config(options)?;
    let (files, skipped) = list_content(&options.site)?;
    warnings.extend(skipped);
    let (files, pending) = editions::split(&config, files);
    let outcomes = parse_all(options, &config, &files, observer, None)?;
    let (translations, problems) = editions::read(&options.site, &config, &pending)?;
    diagnostics.extend(problems);
    let mut site = assemble(config, diagnostics, outcomes, options.drafts)?;
    warnings.extend(model::updated::from_git(&mut site, &options.site));
    Ok((site, translations))
}

/// Where a build's parse cache is (see `content::cache`).
struct CacheAt {
    dir: PathBuf,
    key: u128,
    /// False with `--clean`: the cache is written, not read.
    read: bool,
}

/// The parse cache's work in one build.
#[derive(Default)]
struct CacheUse {
    /// Event files taken from the cache instead of parsed.
    hits: usize,
    /// The body store's keys of event files changed too recently to be
    /// recorded (see `content::cache::bodies`).
    unsettled: std::collections::HashSet<u64>,
    /// Writes the cache back while the build goes on.
    store: Option<std::thread::JoinHandle<()>>,
}

impl Drop for CacheUse {
    /// Waits for the cache to be written, whether the build succeeded or
    /// not (its entries hold either way), so none is left half-written.
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            let _ = store.join();
        }
    }
}

/// Runs every content file through [`parse_file`] in parallel, taking the
/// events whose files are unchanged from `cache` when given (and writing
/// it back afterwards, on a thread of its own: see [`CacheUse`]).
fn parse_all(
    options: &BuildOptions,
    config: &config::Config,
    files: &[(load::Section, PathBuf)],
    observer: &dyn Observer,
    cache: Option<(&CacheAt, &mut CacheUse)>,
) -> Result<Vec<FileOutcome>, Error> {
    use content::cache::{Cache, Stamp};
    let started = std::time::SystemTime::now();
    observer.stage(Stage::Read, Some(files.len()));
    let is_event = |section: &load::Section| matches!(section, load::Section::Events);
    // Each stamp is taken before its file is read, so a change made
    // while it is parsed shows as another stamp next time.
    let stamps: Vec<Option<Stamp>> = match cache {
        Some(_) => files
            .par_iter()
            .map(|(section, rel)| {
                is_event(section)
                    .then(|| Stamp::of(&options.site.join(rel)))
                    .flatten()
            })
            .collect(),
        None => vec![None; files.len()],
    };
    let rels: Vec<Option<&str>> = files.iter().map(|(_, rel)| rel.to_str()).collect();
    let mut opened = cache.as_ref().map(|(at, _)| {
        let events = files.iter().filter(|(s, _)| is_event(s)).count();
        Cache::open(&at.dir, at.key, events, at.read)
    });
    // Shared already: a list of whole events, mostly empty on a clean
    // build, would take half a kilobyte a file.
    let hits: Vec<Option<std::sync::Arc<event::Event>>> = match opened.as_mut() {
        Some(c) => rels
            .iter()
            .zip(&stamps)
            .map(|(rel, stamp)| c.take((*rel)?, *stamp).map(std::sync::Arc::new))
            .collect(),
        None => files.iter().map(|_| None).collect(),
    };
    let from_cache: Vec<bool> = hits.iter().map(Option::is_some).collect();
    let budget = content::event::HoldBudget::new(content::event::HoldBudget::BYTES);
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .zip(hits.into_par_iter())
        .map(|((section, rel), hit)| {
            let outcome = match hit {
                Some(e) => Ok(Ok(Parsed::Event(e))),
                None => {
                    parse_file_holding(&options.site, *section, rel, config, false, Some(&budget))
                }
            };
            observer.advance(1);
            outcome
        })
        .collect::<Result<_, _>>()?;
    if let (Some((_, used)), Some(opened)) = (cache, opened) {
        let records: Vec<content::cache::Record> = files
            .iter()
            .zip(&outcomes)
            .enumerate()
            .filter(|(_, ((section, _), _))| is_event(section))
            .filter_map(|(i, (_, outcome))| {
                Some(content::cache::Record {
                    rel: rels[i]?.to_string(),
                    stamp: stamps[i],
                    event: match outcome {
                        Ok(Parsed::Event(e)) => Some(e.clone()),
                        _ => None,
                    },
                    hit: from_cache[i],
                })
            })
            .collect();
        used.hits = from_cache.iter().filter(|&&h| h).count();
        used.unsettled = files
            .iter()
            .zip(&stamps)
            .filter(|((section, _), stamp)| {
                is_event(section) && !stamp.is_some_and(|s| s.settled(started))
            })
            .map(|((_, rel), _)| content::cache::bodies::path_key(&options.site.join(rel)))
            .collect();
        used.store = Some(std::thread::spawn(move || opened.store(records, started)));
    }
    let mut outcomes = outcomes;
    editions::note_unlisted_translations(config, files, &mut outcomes);
    Ok(outcomes)
}

/// Builds the site into its output folder, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    build_notifying(options, &Silent)
}

/// [`build`], telling `observer` when another build holds the output and
/// this one waits for it, and how far the build has got.
pub fn build_notifying(
    options: &BuildOptions,
    observer: &dyn Observer,
) -> Result<BuildReport, Error> {
    // Before the output lock is taken: outside a site nothing is created.
    config::require_site(&options.site)?;
    let out = outdir::check_out_dir(&options.site, &options.out_dir())?;
    let _lock = outdir::OutputLock::acquire(&out, &|out| observer.waiting(out)).map_err(|e| {
        Error::io(
            format!("cannot lock the output folder {}", out.display()),
            e,
        )
    })?;
    // The build that held the lock may have changed the folder: check again.
    if outdir::check_out_dir(&options.site, &options.out_dir())? != out {
        return Err(Error::Usage(format!(
            "{} changed while waiting for another build",
            options.out_dir().display()
        )));
    }
    let mut clock = stopwatch::Stopwatch::start();
    let mut warnings = Vec::new();
    let config_bytes =
        std::fs::read(urls::SitePaths::new(&options.site).config()).unwrap_or_default();
    let (config, mut diagnostics) = load_config(options)?;
    // The templates decide the global fingerprint, under which the previous
    // generations are read while the content is: a template's error is
    // still reported where it was, after the content's.
    let templates = render::Templates::load(&options.site, &config);
    let global = templates.as_ref().ok().and_then(|templates| {
        render::reuse::global_fingerprint(
            templates,
            &render::reuse::GlobalInputs {
                config: &config_bytes,
                theme: &config.theme,
                base_url: options.base_url.as_deref(),
                drafts: options.drafts,
            },
        )
    });
    let reusable = global.filter(|_| !options.clean);
    let survey = reusable.map(|global| output::survey::Survey::start(&out, global));
    let (files, skipped) = list_content(&options.site)?;
    warnings.extend(skipped);
    let (files, pending) = editions::split(&config, files);
    clock.lap("list content");
    let cache_at = content::cache::binary_identity().map(|binary| CacheAt {
        dir: outdir::sibling(&out, "annals-cache"),
        key: content::cache::key(
            &binary,
            &config_bytes,
            options.base_url.as_deref(),
            &options.site,
        ),
        read: !options.clean,
    });
    let mut cache_use = CacheUse::default();
    // The git history is read while the files are parsed.
    let git_walk = model::updated::start(&config, &options.site);
    let outcomes = parse_all(
        options,
        &config,
        &files,
        observer,
        cache_at.as_ref().map(|at| (at, &mut cache_use)),
    )?;
    // A path a file (tens of megabytes at a million events): each event
    // keeps where it was read from.
    drop(files);
    let (translations, problems) = editions::read(&options.site, &config, &pending)?;
    diagnostics.extend(problems);
    clock.lap("read, parse, validate (or take from the parse cache)");
    let mut site = assemble(config, diagnostics, outcomes, options.drafts)?;
    clock.lap("model");
    warnings.extend(model::updated::finish(&mut site, &options.site, git_walk));
    let static_list = statics::load(&options.site, &mut site, &mut warnings)?;
    clock.lap("dates from git, static files listed");
    let media_files = media::prepare(
        &mut site,
        &media::Mode::Build {
            cache: media::cache_for(&out),
        },
    )?;
    clock.lap("media (images resized or taken from the cache)");
    let templates = templates?;
    clock.lap("compile templates");
    warnings.extend(templates.skipped_links.iter().cloned());
    let (base_url, fallback) = exports::absolute_base(&site.config);
    let record = output::marker::BuildRecord { base_url, fallback };
    // A survey that failed (a folder it could not read) leaves the staging
    // folder to be prepared as without one, which reports any error there.
    let surveyed = survey.and_then(|survey| survey.finish().ok());
    clock.lap("finish reading the previous output (its manifests, the retained folder's walk)");
    let (surveyed_retained, live) = match surveyed {
        Some(surveyed) => (surveyed.retained, Some(surveyed.live)),
        None => (None, None),
    };
    let mut staging = output::Staging::prepare(&out, reusable, &record, surveyed_retained)
        .map_err(|e| {
            Error::io(
                format!("cannot prepare the output folder {}", out.display()),
                e,
            )
        })?;
    let previous = live.unwrap_or_else(|| {
        reusable.and_then(|global| output::manifest::Previous::read(&out, global))
    });
    clock.lap("prepare staging (take over the retained folder)");
    // Without a global fingerprint no later build could use a manifest.
    let recorder = output::manifest::Recorder::new(global.map(|_| &staging as &dyn output::Sink));
    let body_store = cache_at.as_ref().map(|at| {
        content::cache::bodies::BodyStore::new(
            at.dir.join(content::cache::BODIES),
            at.key,
            at.read,
            std::mem::take(&mut cache_use.unsettled),
        )
    });
    let reuse = render::reuse::Reuse::new(previous.as_ref(), staging.retained(), &recorder)
        .with_bodies(body_store.as_ref());
    clock.lap("open the body store");
    let (routes, others) = editions::derive(&mut site, &translations);
    let citation_cuts = exports::citation::site_wide::prime(
        &site,
        cache_at
            .as_ref()
            .map(|at| (at.dir.as_path(), at.key, at.read)),
    );
    clock.lap("cut the site-wide citations");
    let prepared = render::Prepared::for_templates(&site, routes, &templates);
    let mut stats = editions::render_observed(
        &site,
        &prepared,
        &templates,
        &staging,
        observer,
        Some(&reuse),
    )?;
    clock.lap("render and write pages, feeds, calendar, data, sitemap, search");
    let routes = prepared.routes();
    observer.stage(Stage::Static, None);
    let mut static_files = statics::write(&static_list, &media_files, &site, routes, &staging)?;
    clock.lap("static files");
    let inputs = editions::RenderInputs {
        templates: &templates,
        statics: &static_list,
        media: &media_files,
        observer,
        reuse: Some(&reuse),
    };
    let rendered = editions::render_all(&others, &inputs, &staging)?;
    stats.pages += rendered.pages;
    stats.reused += rendered.reused;
    static_files += rendered.static_files;
    if !others.is_empty() {
        clock.lap("language editions");
    }
    // Once every page is written, so that it describes all of them. The
    // sweep below removes only files the manifest does not name.
    if let Some(global) = global {
        recorder
            .finish(global)
            .map_err(|e| Error::io("cannot write the build manifest", e))?;
        clock.lap("write manifest");
    }
    staging
        .sweep()
        .map_err(|e| Error::io("cannot clear the staging folder", e))?;
    clock.lap("remove files this build did not write");
    observer.stage(Stage::Swap, None);
    staging
        .commit()
        .map_err(|e| Error::io(format!("cannot replace {}", out.display()), e))?;
    clock.lap("swap output");
    let cached_events = cache_use.hits;
    drop(cache_use);
    // Beside the parse cache when it keeps a folder (not for a site whose
    // files were all just written).
    if let Some(at) = cache_at
        .as_ref()
        .filter(|at| std::fs::symlink_metadata(&at.dir).is_ok_and(|m| m.is_dir()))
    {
        exports::citation::cut::note(&at.dir, at.key, &citation_cuts);
    }
    clock.lap("finish writing the parse cache");
    let report = BuildReport {
        events: site.events.len(),
        pages: stats.pages,
        reused_pages: stats.reused,
        cached_events,
        stored_bodies: stats.stored_bodies,
        static_files,
        timings: clock.laps(),
        localhost_base: fallback_base(&site.config),
        warnings: std::mem::take(&mut site.warnings),
        skipped_links: warnings,
    };
    drop(prepared);
    drop_behind((site, previous, templates));
    Ok(report)
}

/// Frees `value` on a thread of its own: the model of a large site takes
/// a noticeable time to free (a fifth of a second at 100,000 events), and
/// nothing waits for it (a process that exits next does not free it at all).
fn drop_behind<T: Send + 'static>(value: T) {
    // Without a thread the closure, and the value with it, is freed here.
    let _ = std::thread::Builder::new()
        .name("annals-free".into())
        .spawn(move || drop(value));
}

/// The fallback base of the absolute URLs, when there is no absolute
/// `base_url` (see [`BuildReport::localhost_base`]).
fn fallback_base(config: &config::Config) -> Option<String> {
    let (base, fallback) = exports::absolute_base(config);
    fallback.then_some(base)
}

/// Validates everything, renders in memory and checks internal links;
/// writes nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Error> {
    check_notifying(options, &Silent)
}

/// [`check`], telling `observer` how far it has got.
pub fn check_notifying(
    options: &BuildOptions,
    observer: &dyn Observer,
) -> Result<BuildReport, Error> {
    let mut warnings = Vec::new();
    let (mut site, translations) = load_site_translated(options, &mut warnings, observer)?;
    let static_list = statics::load(&options.site, &mut site, &mut warnings)?;
    let media_files = media::prepare(
        &mut site,
        &media::Mode::Check {
            cache: media::cache_for(&options.out_dir()),
        },
    )?;
    let templates = render::Templates::load(&options.site, &site.config)?;
    warnings.extend(templates.skipped_links.iter().cloned());
    let sink = links::LinkCollector::new(site.config.base_path());
    let mut translation_warnings = templates.locale().missing_warnings();
    let (routes, others) = editions::derive(&mut site, &translations);
    let prepared = render::Prepared::for_templates(&site, routes, &templates);
    let mut stats = editions::render_observed(&site, &prepared, &templates, &sink, observer, None)?;
    let routes = prepared.routes();
    observer.stage(Stage::Static, None);
    let mut static_files = statics::write(&static_list, &media_files, &site, routes, &sink)?;
    // Every edition is checked too: its pages' links, through the same
    // collector, so a link from one edition to another is checked as well.
    let inputs = editions::RenderInputs {
        templates: &templates,
        statics: &static_list,
        media: &media_files,
        observer,
        reuse: None,
    };
    let rendered = editions::render_all(&others, &inputs, &sink)?;
    stats.pages += rendered.pages;
    static_files += rendered.static_files;
    translation_warnings.extend(rendered.missing_words);
    // What only warns in a build is an error here.
    let mut problems: Vec<Diagnostic> = site
        .warnings
        .iter()
        .cloned()
        .map(Diagnostic::as_error)
        .collect();
    for broken in sink.broken() {
        let source = source_of_page(&site, routes, &broken.page);
        let at = source.and_then(|path| {
            body_links::find_in_source(path, site.config.base_path(), &broken.link)
        });
        match at {
            // The same link already reported at its source line.
            Some(at)
                if problems
                    .iter()
                    .any(|d| *d.path == *at.path && d.pos == at.pos) => {}
            Some(at) => problems.push(broken.source_diagnostic(&at)),
            None => problems.push(broken.rendered_diagnostic()),
        }
    }
    if !problems.is_empty() {
        diagnostic::sort(&mut problems);
        return Err(Error::Content(problems));
    }
    Ok(BuildReport {
        events: site.events.len(),
        pages: stats.pages,
        reused_pages: 0,
        cached_events: 0,
        stored_bodies: 0,
        static_files,
        timings: Vec::new(),
        localhost_base: fallback_base(&site.config),
        warnings: translation_warnings,
        skipped_links: warnings,
    })
}

/// `check --external`: loads the site as [`check`] does, then asks the
/// servers of every source's `url` and `archive_url` whether they still
/// work (see `external`). Run it after [`check`] passed.
pub fn check_external(
    options: &BuildOptions,
    external: &ExternalOptions,
    observer: &dyn Observer,
) -> Result<ExternalReport, Error> {
    let site = load_site_observed(options, &mut Vec::new(), observer)?;
    external::check(&site, &options.site, external, observer)
}

/// The content file whose body is rendered into the output file `page`.
fn source_of_page<'s>(
    site: &'s model::Site,
    routes: &render::Routes,
    page: &str,
) -> Option<&'s Path> {
    match routes.of_file(page)?.job {
        render::Job::Event(i) => site.events.get(i).map(|e| e.source_path()),
        render::Job::Page(p) => site.pages.get(p).map(|p| &*p.slug_at.path),
        _ => None,
    }
}
