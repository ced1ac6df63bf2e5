//! The language editions of a build, a check or `serve`: reading the
//! translations (`content::translation`), making each edition's model
//! (`model::edition`), telling every edition which pages the others have
//! (`render::editions`), and rendering an edition under its folder
//! (`<lang>/`) of the same output through a prefixing sink.
//!
//! Every edition is written whole, with the theme's assets and the media
//! under its folder too: each edition is then a site of its own whose
//! pages use the same relative addresses as the default language's, and
//! the static-file and media code needs no notion of editions. The cost
//! is a copy of the assets and media per language.

use crate::content::translation::{self, Pending, Translation};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::Site;
use crate::model::edition::{Edition, Editions};
use crate::output::Sink;
use crate::output::prefixed::Prefixed;
use crate::render::{self, Routes};
use crate::source::load::Section;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Takes the translations out of the listed content files, when the site
/// has editions: the originals and the translations to read.
pub fn split(
    config: &crate::config::Config,
    files: Vec<(Section, PathBuf)>,
) -> (Vec<(Section, PathBuf)>, Vec<Pending>) {
    let langs: Vec<&str> = config.other_languages().map(|l| l.code.as_str()).collect();
    translation::split(files, &langs)
}

/// Adds to the first problem of each failed file named like a translation
/// into a language `languages:` does not list the note saying so (see
/// [`translation::unlisted_language_note`]).
pub fn note_unlisted_translations<T>(
    config: &crate::config::Config,
    files: &[(Section, PathBuf)],
    outcomes: &mut [Result<T, Vec<Diagnostic>>],
) {
    if outcomes.iter().all(Result::is_ok) {
        return;
    }
    let listed: std::collections::HashSet<&Path> =
        files.iter().map(|(_, rel)| rel.as_path()).collect();
    for ((_, rel), outcome) in files.iter().zip(outcomes.iter_mut()) {
        if let Err(problems) = outcome
            && let Some(first) = problems
                .iter_mut()
                .min_by(|a, b| crate::diagnostic::printed_order(a, b))
            && let Some(note) = translation::unlisted_language_note(config, rel, &listed)
        {
            first.notes.push(note);
        }
    }
}

/// A page whose slug is a language of `languages:` would take the
/// address of that edition's home page: an error at its slug.
pub fn page_clashes(
    config: &crate::config::Config,
    pages: &[crate::content::event::Page],
) -> Vec<Diagnostic> {
    pages
        .iter()
        .filter(|p| config.other_languages().any(|l| l.code == p.slug))
        .map(|p| {
            p.slug_at
                .diagnostic(format!(
                    "the page slug `{}` is the folder of the `{}` edition",
                    p.slug, p.slug
                ))
                .with_hint("give the page another file name or `slug:`")
        })
        .collect()
}

/// Reads every translation, in parallel: the translations and the
/// problems found in them.
pub fn read(
    site_dir: &Path,
    config: &crate::config::Config,
    pending: &[Pending],
) -> Result<(Vec<Translation>, Vec<Diagnostic>), Error> {
    let outcomes: Vec<Result<Translation, Vec<Diagnostic>>> = pending
        .par_iter()
        .map(|p| {
            let edition = config
                .language_def(&p.lang)
                .map_or_else(|| config.clone(), |l| config.edition(l));
            translation::read(site_dir, p, &edition)
        })
        .collect::<Result<_, _>>()?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(t) => found.push(t),
            Err(d) => problems.extend(d),
        }
    }
    Ok((found, problems))
}

/// One edition beside the default language: its model and its pages.
pub struct Other {
    pub site: Site,
    pub routes: Arc<Routes>,
}

/// The other editions of `default` (none for a site of one language),
/// made once its dates, assets and media are known; marks `default` as
/// the first edition. Returns the default's routes too.
pub fn derive(default: &mut Site, translations: &[Translation]) -> (Arc<Routes>, Vec<Other>) {
    let default_routes = Arc::new(Routes::new(default));
    if !default.config.is_multilingual() {
        return (default_routes, Vec::new());
    }
    let langs: Vec<crate::config::Language> = default.config.other_languages().cloned().collect();
    let mut others: Vec<Other> = langs
        .iter()
        .map(|lang| {
            let site = crate::model::edition::derive(default, lang, translations);
            Other {
                routes: Arc::new(Routes::new(&site)),
                site,
            }
        })
        .collect();
    let all: Arc<Editions> = {
        let sites: Vec<&Site> = std::iter::once(&*default)
            .chain(others.iter().map(|o| &o.site))
            .collect();
        let routes: Vec<&Routes> = std::iter::once(&*default_routes)
            .chain(others.iter().map(|o| &*o.routes))
            .collect();
        Arc::new(render::editions::table(&sites, &routes))
    };
    default.edition = Some(Edition {
        all: all.clone(),
        current: 0,
        events: Default::default(),
        pages: Default::default(),
    });
    for (i, other) in others.iter_mut().enumerate() {
        if let Some(edition) = other.site.edition.as_mut() {
            edition.all = all.clone();
            edition.current = i + 1;
        }
    }
    (default_routes, others)
}

/// The folder of an edition in the output (`ja/`).
pub fn folder(site: &Site) -> String {
    crate::urls::edition(&site.config.language)
}

/// What rendering an edition needs beside the edition itself.
pub struct RenderInputs<'a> {
    /// The templates of every edition (see `Templates::locale_for`).
    pub templates: &'a render::Templates,
    pub statics: &'a [crate::render::theme::StaticFile],
    pub media: &'a [crate::media::Published],
    pub observer: &'a dyn crate::progress::Observer,
    /// The previous output's pages to reuse (a build's; `check` has none).
    pub reuse: Option<&'a render::reuse::Reuse<'a>>,
}

/// What rendering one edition did.
pub struct Rendered {
    pub pages: usize,
    /// Pages kept or linked from the previous output.
    pub reused: usize,
    pub static_files: usize,
    /// The interface words its language lacks (`annals check`'s warnings).
    pub missing_words: Vec<Diagnostic>,
}

/// Renders every edition of `others` (see [`render`]), adding up what each did.
pub fn render_all(
    others: &[Other],
    inputs: &RenderInputs,
    sink: &dyn Sink,
) -> Result<Rendered, Error> {
    let mut all = Rendered {
        pages: 0,
        reused: 0,
        static_files: 0,
        missing_words: Vec::new(),
    };
    for other in others {
        let one = render(other, inputs, sink)?;
        all.pages += one.pages;
        all.reused += one.reused;
        all.static_files += one.static_files;
        all.missing_words.extend(one.missing_words);
    }
    Ok(all)
}

/// Renders one edition (pages, exports, theme assets and media) under its
/// folder of `sink`.
pub fn render(other: &Other, inputs: &RenderInputs, sink: &dyn Sink) -> Result<Rendered, Error> {
    let site = &other.site;
    let templates = inputs.templates;
    let locale = templates.locale_for(&site.config.language);
    let prepared = render::Prepared::for_templates(site, other.routes.clone(), templates);
    let prefixed = Prefixed {
        inner: sink,
        prefix: folder(site),
    };
    // The edition's files are named in the manifests under its folder.
    let reuse = inputs.reuse.map(|r| r.under(&prefixed.prefix));
    let stats = render_observed(
        site,
        &prepared,
        templates,
        &prefixed,
        inputs.observer,
        reuse.as_ref(),
    )?;
    let statics = crate::statics::write(
        inputs.statics,
        inputs.media,
        site,
        prepared.routes(),
        &prefixed,
    )?;
    Ok(Rendered {
        pages: stats.pages,
        reused: stats.reused,
        static_files: statics,
        missing_words: locale.missing_warnings(),
    })
}

/// Renders every page and writes every export through `sink` (one pass:
/// the event pages and the exports that carry bodies share it), counting
/// files for `observer`. Returns the render's figures.
pub fn render_observed(
    site: &Site,
    prepared: &render::Prepared,
    templates: &render::Templates,
    sink: &dyn Sink,
    observer: &dyn crate::progress::Observer,
    reuse: Option<&render::reuse::Reuse>,
) -> Result<render::RenderStats, Error> {
    // A folder the exports fill counts as no item (see `progress::Counting`).
    let files = crate::exports::paths(site)
        .iter()
        .filter(|p| !p.ends_with('/'))
        .count()
        + crate::exports::citation::EVENT_FILES.len() * site.events.len();
    let total = prepared.routes().len() + files;
    observer.stage(crate::progress::Stage::Render, Some(total));
    let counting = crate::progress::Counting {
        inner: sink,
        observer,
    };
    render::render_site(site, prepared, templates, &counting, reuse)
}
