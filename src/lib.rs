//! annals: a static site generator for timelines of security talks.
//!
//! The pipeline, one module per stage:
//! [`load`] → [`parse`] → [`validate`] → [`model`] → [`render`] → [`output`].
//! [`build`] and [`check`] run it; the binary is a thin CLI over them.

// Diagnostics are rich on purpose and only built on failure paths.
#![allow(clippy::result_large_err)]

pub mod compare;
pub mod config;
pub mod corpus;
pub mod countries;
pub mod dates;
pub mod diagnostic;
pub mod event;
pub mod exports;
pub mod import;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod nesting;
pub mod output;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod validate;
pub mod views;
pub mod yaml;

use diagnostic::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Why a command failed; decides the exit code.
#[derive(Debug)]
pub enum Error {
    /// Content or template problems (exit 1), all of them.
    Content(Vec<Diagnostic>),
    /// Bad arguments or refused operations (exit 2).
    Usage(String),
    /// Reading or writing files failed (exit 2).
    Io(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) => 1,
            Error::Usage(_) | Error::Io(_) => 2,
        }
    }
}

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(site: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            site: site.into(),
            out: None,
            base_url: None,
            drafts: false,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.site.join("public"))
    }
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub events: usize,
    pub pages: usize,
    pub static_files: usize,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// Remarks for verbose output (e.g. a missing absolute base URL).
    pub notes: Vec<String>,
}

/// One content file after validation.
#[derive(Debug, Clone)]
pub enum Parsed {
    Event(std::sync::Arc<event::Event>),
    Page(event::Page),
}

/// What became of one content file: a record, or its diagnostics.
pub type FileOutcome = Result<Parsed, Vec<Diagnostic>>;

/// Every content file of the site, by section, sorted by path.
pub fn list_content(site_dir: &Path) -> Result<Vec<(load::Section, PathBuf)>, Error> {
    let mut files = Vec::new();
    for section in [load::Section::Events, load::Section::Pages] {
        for rel in load::list(site_dir, section).map_err(Error::Io)? {
            files.push((section, rel));
        }
    }
    Ok(files)
}

/// Runs one content file through load → parse → validate. Reading errors
/// are I/O errors; everything else is diagnostics.
pub fn parse_file(
    site_dir: &Path,
    section: load::Section,
    rel: &Path,
    config: &config::Config,
) -> Result<FileOutcome, Error> {
    let file = load::read(site_dir, rel).map_err(Error::Io)?;
    let doc = match parse::parse(&file) {
        Ok(doc) => doc,
        Err(d) => return Ok(Err(vec![d])),
    };
    Ok(match section {
        load::Section::Events => validate::event(&doc, &file.shown, config)
            .map(|e| Parsed::Event(std::sync::Arc::new(e))),
        load::Section::Pages => validate::page(&doc, &file.shown, config).map(Parsed::Page),
    })
}

/// Reads `site.yaml` and applies a `--base-url` override.
pub fn load_config(options: &BuildOptions) -> Result<(config::Config, Vec<Diagnostic>), Error> {
    if !options.site.is_dir() {
        return Err(Error::Usage(format!(
            "site folder {} does not exist",
            options.site.display()
        )));
    }
    // Content is checked even when site.yaml has errors, against what could
    // be read of it, so one run shows every problem.
    let (mut config, diagnostics) = config::load(&options.site);
    if let Some(url) = options.base_url.as_deref() {
        config.set_base_url(url).map_err(Error::Usage)?;
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
    for outcome in outcomes {
        match outcome {
            Ok(Parsed::Event(e)) => events.push(e),
            Ok(Parsed::Page(p)) => pages.push(p),
            Err(d) => diagnostics.extend(d),
        }
    }
    diagnostics.extend(validate::check_site(&events, &pages));
    if !diagnostics.is_empty() {
        diagnostic::sort(&mut diagnostics);
        return Err(Error::Content(diagnostics));
    }
    Ok(model::build(config, events, pages, drafts))
}

/// Runs load → parse → validate → model, collecting every diagnostic.
pub fn load_site(options: &BuildOptions) -> Result<model::Site, Error> {
    let (config, diagnostics) = load_config(options)?;
    let files = list_content(&options.site)?;
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .map(|(section, rel)| parse_file(&options.site, *section, rel, &config))
        .collect::<Result<_, _>>()?;
    assemble(config, diagnostics, outcomes, options.drafts)
}

/// Builds the site into its output folder, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let out = options.out_dir();
    output::check_out_dir(&options.site, &out).map_err(Error::Usage)?;
    let mut clock = Stopwatch::start();
    let site = load_site(options)?;
    clock.lap("load, parse, validate, model");
    let templates = render::Templates::load(&options.site, &site.config.theme)?;
    clock.lap("compile templates");
    let staging = output::Staging::prepare(&out).map_err(|e| {
        Error::Io(format!(
            "cannot prepare the output folder {}: {e}",
            out.display()
        ))
    })?;
    let recorder = exports::Recorder::new(&staging);
    let stats = render::render_site(&site, &options.site, &templates, &recorder)?;
    clock.lap("render and write");
    let notes = exports::write_all(&site, &recorder, &recorder.pages())?;
    clock.lap("feeds, calendar, data, sitemap, search");
    staging
        .commit()
        .map_err(|e| Error::Io(format!("cannot replace {}: {e}", out.display())))?;
    clock.lap("swap output");
    Ok(BuildReport {
        events: site.events.len(),
        pages: stats.pages,
        static_files: stats.static_files,
        timings: clock.laps,
        notes,
    })
}

/// Validates everything, renders in memory and checks internal links;
/// writes nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Error> {
    let site = load_site(options)?;
    let templates = render::Templates::load(&options.site, &site.config.theme)?;
    let sink = links::LinkCollector::new(&site.config.base_path());
    let recorder = exports::Recorder::new(&sink);
    let stats = render::render_site(&site, &options.site, &templates, &recorder)?;
    let notes = exports::write_all(&site, &recorder, &recorder.pages())?;
    let broken = sink.broken_links();
    if !broken.is_empty() {
        return Err(Error::Content(broken));
    }
    Ok(BuildReport {
        events: site.events.len(),
        pages: stats.pages,
        static_files: stats.static_files,
        timings: Vec::new(),
        notes,
    })
}

struct Stopwatch {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}
