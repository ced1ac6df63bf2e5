//! Static files in the output: the layered set from the theme and `static/`
//! (see [`crate::render::theme::static_files`]) and their one rule against the
//! generated site: a static file may override a theme's static file, but
//! never a generated page or export. Both `build` and `serve` apply it, so
//! the preview and the published site cannot differ.

use crate::diagnostic::{Diagnostic, Pos};
use crate::model::Site;
use crate::output::Sink;
use crate::render::Routes;
use crate::render::theme::StaticFile;
use std::collections::HashSet;
use std::path::Path;

/// The paths among `wanted` that the site generates: pages (from the
/// site's `routes`) and exports, a folder the exports fill ending in `/`.
/// The site's paths (several per event) stream past the few wanted ones
/// instead of being collected.
fn generated_among<'w>(
    site: &Site,
    routes: &Routes,
    wanted: &HashSet<&'w str>,
) -> HashSet<&'w str> {
    let mut found = HashSet::new();
    let mut see = |path: &str| {
        if let Some(w) = wanted.get(path) {
            found.insert(*w);
        }
    };
    for route in routes.iter() {
        see(&route.file());
    }
    crate::exports::paths_but_citations(site)
        .iter()
        .for_each(|p| see(p));
    // The citation files are listed only when a wanted path could be one:
    // there are three per event, and the site-wide files' names take
    // every event's reference to work out, which a preview would
    // otherwise pay on each change.
    use crate::exports::citation;
    if wanted.iter().any(|w| citation::may_be_site_wide(w)) {
        citation::paths(site).iter().for_each(|p| see(p));
    }
    if wanted.iter().any(|w| citation::may_be_event_file(w)) {
        citation::event_paths(site).for_each(|p| see(&p));
    }
    crate::exports::sitemap::part_names(routes.len())
        .iter()
        .for_each(|p| see(p));
    // The resized images' folder (see `crate::media`).
    see(crate::urls::MEDIA);
    found
}

/// One diagnostic per static file (its output path and origin) whose
/// output path a generated file takes, or that lies in a folder the
/// exports fill; then one per file of the media stage (a page bundle's
/// file) whose output path a page, an export or a static file takes.
pub fn collisions<'a>(
    site: &Site,
    routes: &Routes,
    statics: &[(&'a str, &'a Path)],
    media: &'a [crate::media::Published],
) -> Vec<Diagnostic> {
    // Each static file's path and the folders above it, and each media path.
    let mut wanted: HashSet<&str> = HashSet::new();
    for (rel, _) in statics {
        wanted.insert(rel);
        wanted.extend(rel.match_indices('/').map(|(i, _)| &rel[..=i]));
    }
    let bundled = || {
        media
            .iter()
            .filter(|m| !m.rel.starts_with(crate::urls::MEDIA))
    };
    wanted.extend(bundled().map(|m| m.rel.as_str()));
    let generated = generated_among(site, routes, &wanted);
    let taken = |rel: &str| {
        generated.contains(rel)
            || rel
                .match_indices('/')
                .any(|(i, _)| generated.contains(&rel[..=i]))
    };
    let static_paths: HashSet<&str> = statics.iter().map(|(rel, _)| *rel).collect();
    let mut found: Vec<Diagnostic> = statics
        .iter()
        .filter(|(rel, _)| taken(rel))
        .map(|(rel, origin)| collision(rel, origin))
        .collect();
    found.extend(
        bundled()
            .filter(|m| generated.contains(m.rel.as_str()) || static_paths.contains(m.rel.as_str()))
            .map(|m| collision(&m.rel, &m.origin)),
    );
    found
}

/// The diagnostic for the static file at `origin` whose output path `rel`
/// is also a generated file's.
pub fn collision(rel: &str, origin: &std::path::Path) -> Diagnostic {
    let what = if rel.ends_with(".html") {
        "page"
    } else {
        "file"
    };
    Diagnostic::new(
        origin,
        Pos::new(1, 1),
        format!("static file `{rel}` would replace the generated {what} `{rel}`"),
    )
    .with_hint(format!(
        "rename or remove this file; to change the generated {what}, edit the theme's templates or site.yaml instead"
    ))
}

/// Loads the static files (with the fingerprinted copies of the theme's
/// assets) and sets `site.assets` to their published names, before the
/// pages that link to them are rendered. Skipped symlinks are added to
/// `warnings`.
pub fn load(
    site_dir: &std::path::Path,
    site: &mut Site,
    warnings: &mut Vec<String>,
) -> Result<Vec<StaticFile>, crate::error::Error> {
    let statics = crate::render::theme::static_files(site_dir, &site.config.theme, warnings)?;
    site.assets = crate::render::theme::asset_names(&statics);
    Ok(statics)
}

/// Refuses static files and page bundles' files that collide with
/// generated paths (`routes` and the exports; content errors) and writes
/// them, and the resized images, into `sink`. Returns how many files were
/// written.
pub fn write(
    statics: &[StaticFile],
    media: &[crate::media::Published],
    site: &Site,
    routes: &Routes,
    sink: &dyn Sink,
) -> Result<usize, crate::error::Error> {
    let origins: Vec<(&str, &Path)> = statics
        .iter()
        .map(|f| (f.rel.as_str(), f.origin.as_path()))
        .collect();
    let clashes = collisions(site, routes, &origins, media);
    if !clashes.is_empty() {
        return Err(crate::error::Error::Content(clashes));
    }
    let mut written = 0;
    for f in statics {
        if !crate::output::is_safe_relative(&f.rel) {
            continue;
        }
        sink.write(&f.rel, &f.bytes)
            .map_err(|e| crate::error::Error::io(format!("cannot write {}", f.rel), e))?;
        written += 1;
    }
    written += crate::media::write(media, sink)?;
    Ok(written)
}
