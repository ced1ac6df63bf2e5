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

/// Every output path the site generates: pages (from the site's `routes`)
/// and exports.
pub fn generated_paths(site: &Site, routes: &Routes) -> HashSet<String> {
    routes
        .iter()
        .map(|r| r.file.clone())
        .chain(crate::exports::paths(site))
        .chain(crate::exports::citation::event_paths(site))
        .chain(crate::exports::sitemap::part_names(routes.len()))
        // The resized images' folder (see `crate::media`).
        .chain(std::iter::once(crate::urls::MEDIA.to_string()))
        .collect()
}

/// One diagnostic per file of the media stage (a page bundle's file) whose
/// output path a page, an export or a static file takes.
pub fn media_collisions(
    media: &[crate::media::Published],
    statics: &[StaticFile],
    generated: &HashSet<String>,
) -> Vec<Diagnostic> {
    let statics: HashSet<&str> = statics.iter().map(|f| f.rel.as_str()).collect();
    media
        .iter()
        .filter(|m| !m.rel.starts_with(crate::urls::MEDIA))
        .filter(|m| generated.contains(&m.rel) || statics.contains(m.rel.as_str()))
        .map(|m| collision(&m.rel, &m.origin))
        .collect()
}

/// One diagnostic per static file whose output path a generated file takes,
/// or that lies in a folder the exports fill (listed ending in `/`).
pub fn collisions(statics: &[StaticFile], generated: &HashSet<String>) -> Vec<Diagnostic> {
    let taken = |rel: &str| {
        generated.contains(rel)
            || rel
                .match_indices('/')
                .any(|(i, _)| generated.contains(&rel[..=i]))
    };
    statics
        .iter()
        .filter(|f| taken(&f.rel))
        .map(|f| collision(&f.rel, &f.origin))
        .collect()
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
    let generated = generated_paths(site, routes);
    let mut clashes = collisions(statics, &generated);
    clashes.extend(media_collisions(media, statics, &generated));
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
