//! Periods on the content side: a file of `content/periods/` (front matter
//! with the keys of `config::periods`, the body its Markdown description)
//! to a [`Period`], and, once every file is read, the site's periods:
//! those of `site.yaml` and the files together, descriptions rendered,
//! slugs unique, sorted by start.

use crate::config::{Config, Period};
use crate::content::markdown;
use crate::diagnostic::{Diagnostic, Located};
use crate::source::parse::Document;
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::values::slug;
use std::collections::HashMap;
use std::path::Path;

/// Validates a period file of `content/periods/`.
pub fn file(doc: &Document, path: &Path, config: &Config) -> Result<Period, Vec<Diagnostic>> {
    let mut c = Checker::new(doc, path);
    let Yaml::Map(map) = &doc.front else {
        c.at_top("the front matter of a period must be a mapping")
            .hint = Some(
            "start the file with `---`, then `title:`, `start:` and `end:` lines, then `---`"
                .into(),
        );
        return Err(c.diagnostics);
    };
    c.check_keys(
        map,
        crate::config::periods::FILE_KEYS,
        &[],
        "period front matter",
    );
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let from_name = if slug::is_valid(stem) {
        stem.to_string()
    } else {
        slug::slugify(stem)
    };
    let at_top = Located {
        path: c.shared_path(),
        pos: crate::diagnostic::Pos::new(1, 1),
        width: 3,
        line_text: c.first_line().to_string(),
    };
    let has_slug = map.iter().any(|(k, _)| k == "slug");
    if from_name.is_empty() && !has_slug {
        c.at_top("cannot make a slug from this file's name").hint =
            Some("rename the file using a-z, 0-9 and -, or set `slug:`".into());
    }
    let period = crate::config::periods::read_fields(
        &mut c,
        map,
        &[],
        &config.track_keys(),
        Some((from_name, at_top)),
    );
    let body = doc.body().trim();
    let mut period = match period {
        Some(p) if c.diagnostics.is_empty() => p,
        _ => return Err(c.diagnostics),
    };
    if !body.is_empty() {
        if period.description.is_some() {
            c.at_key(
                &[Seg::Key("description")],
                "this period has both `description:` and a body",
            )
            .hint = Some("keep one: the body is the description, in Markdown".into());
            return Err(c.diagnostics);
        }
        period.description = Some(body.to_string());
    }
    let mut site_links = Vec::new();
    match render(&period, config, &mut site_links) {
        Ok(html) => period.description_html = html,
        Err(deep) => {
            c.too_deep(deep);
            return Err(c.diagnostics);
        }
    }
    if !site_links.is_empty() && body.is_empty() {
        c.at_value(&[Seg::Key("description")], SITE_LINK).hint = Some(SITE_LINK_HINT.into());
        return Err(c.diagnostics);
    }
    if let Some(first) = site_links.first() {
        // The description is the body here: offsets count from its
        // first non-blank character.
        let lead = doc.body().len() - doc.body().trim_start().len();
        let mut d =
            Diagnostic::new(path, doc.body_pos(first + lead), SITE_LINK).with_source(&doc.text);
        d.hint = Some(SITE_LINK_HINT.into());
        return Err(vec![d]);
    }
    Ok(period)
}

const SITE_LINK: &str = "`@/` links are not resolved in a period's description";
const SITE_LINK_HINT: &str =
    "link with the page's address instead, such as `/events/<slug>/` (under the base path)";

/// Renders a period's description, noting where each `@/` link starts
/// (offsets into the description).
fn render(
    p: &Period,
    config: &Config,
    site_links: &mut Vec<usize>,
) -> Result<Option<String>, crate::values::nesting::TooDeep> {
    p.description
        .as_deref()
        .map(|md| {
            markdown::render_visiting(md, config.unsafe_html, &mut |address, range| {
                if address.starts_with("@/") {
                    site_links.push(range.start);
                }
                None
            })
        })
        .transpose()
}

/// The site's periods: `site.yaml`'s and the files' (`from_files`),
/// with descriptions rendered, sorted by start (then end, title, slug).
/// Duplicate slugs are errors naming both places.
pub fn site_periods(
    config: &Config,
    from_files: Vec<Period>,
) -> Result<Vec<Period>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut all: Vec<Period> = Vec::with_capacity(config.periods.len() + from_files.len());
    for p in &config.periods {
        let mut p = p.clone();
        let mut site_links = Vec::new();
        match render(&p, config, &mut site_links) {
            Ok(html) => p.description_html = html,
            Err(_) => diagnostics.push(p.at.diagnostic(format!(
                "the description of period `{}` nests elements deeper than {} levels",
                p.slug,
                crate::values::nesting::MAX_NESTING
            ))),
        }
        if !site_links.is_empty() {
            let mut d = p.at.diagnostic(format!("period `{}`: {SITE_LINK}", p.slug));
            d.hint = Some(SITE_LINK_HINT.into());
            diagnostics.push(d);
        }
        all.push(p);
    }
    all.extend(from_files);
    // Files are listed in path order, so the first one met is stable.
    let mut seen: HashMap<&str, &Located> = HashMap::new();
    for p in &all {
        match seen.get(p.slug.as_str()) {
            Some(first) => {
                diagnostics.push(crate::content::validate::duplicate(
                    &p.slug, &p.at, first, "period",
                ));
            }
            None => {
                seen.insert(&p.slug, &p.at);
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    all.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then_with(|| match (&a.end, &b.end) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    Ok(all)
}
