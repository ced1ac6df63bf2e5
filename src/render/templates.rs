//! The theme's Tera templates, compiled once per build (or per theme change
//! in `serve`), and template errors as diagnostics in the template's own file.

use crate::diagnostic::{Diagnostic, Pos};
use crate::i18n::{Arg, Locale};
use crate::render::theme::{self, TemplateFile};
use crate::urls::SitePaths;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, Tera};

/// The compiled templates and where each came from.
pub struct Templates {
    tera: Tera,
    origins: Vec<(String, PathBuf, String)>,
    /// Template files not read: symlinks leading outside the site folder.
    pub skipped_links: Vec<String>,
    /// The site language's words first, then each other edition's.
    locales: Vec<Arc<Locale>>,
    /// Whether the theme's list entry partial is the built-in one.
    builtin_entry: bool,
    /// Whether every template is the built-in one.
    all_builtin: bool,
}

/// The partial that renders one list entry (`ev`).
const ENTRY: &str = "partials/event-item.html";

/// `t(key="nav-timeline")`, `t(key="event-count", count=3)`: the text of a
/// translation key in the page's language (`site.language` of the
/// context, so the language is part of what a page is rendered from),
/// the other arguments passed to the message.
fn translate(
    locales: &[Arc<Locale>],
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<String> {
    let key: &str = kwargs.must_get("key")?;
    let locale = page_locale(locales, state)?;
    let mut args = Vec::new();
    for (name, value) in kwargs.iter() {
        let Some(name) = name.as_str() else { continue };
        if name == "key" {
            continue;
        }
        let arg = match value.as_i128() {
            Some(n) => Arg::Number(i64::try_from(n).unwrap_or(i64::MAX)),
            None => Arg::Text(
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_string),
            ),
        };
        args.push((name, arg));
    }
    Ok(if args.is_empty() {
        locale.text(key).to_string()
    } else {
        locale.format(key, &args)
    })
}

/// The words of the page's language: the context's `site.language`.
fn page_locale<'l>(
    locales: &'l [Arc<Locale>],
    state: &tera::State,
) -> tera::TeraResult<&'l Arc<Locale>> {
    // A site of one language (most) needs no lookup: `t()` runs many
    // times on every page.
    if let [only] = locales {
        return Ok(only);
    }
    let site = state.get::<tera::Value>("site")?;
    let lang = site
        .as_ref()
        .and_then(tera::Value::as_map)
        .and_then(|m| m.get(&tera::value::Key::Str("language")))
        .and_then(tera::Value::as_str);
    Ok(locale_of(locales, lang))
}

/// The words of `lang` among `locales`, else the site language's (first).
fn locale_of<'l>(locales: &'l [Arc<Locale>], lang: Option<&str>) -> &'l Arc<Locale> {
    lang.and_then(|l| locales.iter().find(|x| x.lang() == l))
        .unwrap_or(&locales[0])
}

/// `{{ n | grouped }}`: a count with its digits grouped as the page's
/// messages group theirs ("12,345"; four digits stay as written).
fn grouped(locales: &[Arc<Locale>], n: i64, state: &tera::State) -> tera::TeraResult<String> {
    Ok(page_locale(locales, state)?.grouped(n))
}

/// Converts a Tera error to a diagnostic in the template's own file.
fn template_error(
    err: &tera::Error,
    origins: &[(String, PathBuf, String)],
    fallback: &str,
) -> Diagnostic {
    let (name, pos, message) = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Pos::new(r.span().start_line, r.span().start_col + 1),
            r.message().to_string(),
        ),
        other => (fallback.to_string(), Pos::new(1, 1), other.to_string()),
    };
    let name = if name.is_empty() {
        fallback.to_string()
    } else {
        name
    };
    let (path, text) = origins
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, t)| (p.clone(), t.as_str()))
        .unwrap_or_else(|| (PathBuf::from(&name), ""));
    let mut d = Diagnostic::new(path, pos, format!("template error: {message}")).with_source(text);
    if d.source_line.as_deref() == Some("") {
        d.source_line = None;
    }
    d
}

impl Templates {
    /// The templates of the site's theme, with its translations for the
    /// site's language (see [`crate::i18n`]) behind the `t` function.
    pub fn load(
        site_dir: &Path,
        config: &crate::config::Config,
    ) -> Result<Templates, crate::error::Error> {
        let theme_name = config.theme.as_str();
        if theme_name != "default" && !theme::site_theme_dir(site_dir, theme_name).is_dir() {
            return Err(crate::error::Error::Usage(format!(
                "theme `{theme_name}` not found: expected a folder {}",
                theme::site_theme_dir(site_dir, theme_name).display()
            )));
        }
        let mut skipped_links = Vec::new();
        let files: Vec<TemplateFile> = theme::templates(site_dir, theme_name, &mut skipped_links)?;
        let origins: Vec<(String, PathBuf, String)> = files
            .iter()
            .map(|f| (f.name.clone(), f.origin.clone(), f.text.clone()))
            .collect();
        // One set of compiled templates serves every language edition:
        // `t` picks the words of the page's language (`site.language`).
        let languages = std::iter::once((config.language.as_str(), config.dir))
            .chain(config.other_languages().map(|l| (l.code.as_str(), l.dir)));
        let mut locales = Vec::new();
        for (lang, dir) in languages {
            let files_of_language = theme::translations(site_dir, theme_name, lang)?;
            locales.push(Arc::new(
                Locale::new(lang, dir, files_of_language).map_err(crate::error::Error::Content)?,
            ));
        }
        let mut tera = Tera::new();
        let words = locales.clone();
        tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| {
            translate(&words, kwargs, state)
        });
        let numbers = locales.clone();
        tera.register_filter(
            "grouped",
            move |n: i64, _: tera::Kwargs, state: &tera::State| grouped(&numbers, n, state),
        );
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(files.iter().map(|f| (f.name.as_str(), f.text.as_str())))
            .map_err(|e| {
                crate::error::Error::Content(vec![template_error(
                    &e,
                    &origins,
                    SitePaths::TEMPLATES,
                )])
            })?;
        for required in [
            "index.html",
            "event.html",
            "year.html",
            "taxonomy.html",
            "term.html",
            "page.html",
            "404.html",
            "years.html",
        ] {
            if !tera.contains_template(required) {
                return Err(crate::error::Error::Content(vec![Diagnostic::new(
                    SitePaths::theme_folder(theme_name)
                        .join(SitePaths::TEMPLATES)
                        .join(required),
                    Pos::new(1, 1),
                    format!("the theme has no `{required}` template"),
                )]));
            }
        }
        let builtin = |name: &str, text: &str| Some(text) == theme::builtin_template(name);
        let builtin_entry = origins
            .iter()
            .find(|(name, _, _)| name == ENTRY)
            .is_some_and(|(name, _, text)| builtin(name, text));
        let all_builtin = origins.iter().all(|(name, _, text)| builtin(name, text));
        Ok(Templates {
            tera,
            origins,
            skipped_links,
            locales,
            builtin_entry,
            all_builtin,
        })
    }

    /// The words and date patterns of the site's (default) language.
    pub fn locale(&self) -> &Arc<Locale> {
        &self.locales[0]
    }

    /// Event `entry`'s list entry as `partials/event-item.html` renders it
    /// for `site` (a page's `site` value, whose language `t` reads), when
    /// that partial is the built-in one: it reads nothing else, so the
    /// entry is the same on every list page and can be rendered once.
    /// `None` for a theme's own partial, which may read the page around
    /// it, and if the render fails (the page's include then reports it).
    pub(super) fn entry_html(&self, entry: &tera::Value, site: &tera::Value) -> Option<String> {
        if !self.builtin_entry {
            return None;
        }
        let mut context = Context::new();
        context.insert("ev", entry);
        context.insert("site", site);
        self.tera.render(ENTRY, &context).ok()
    }

    /// Whether a list of groups (`partials/groups.html`) reads nothing of
    /// an entry but the HTML rendered by [`Templates::entry_html`]: true
    /// when every template is the built-in one, whose lists print that
    /// HTML when the entry has it. (Any template may read the `groups` of
    /// the page it is part of, so one of the site's own rules it out.)
    pub fn lists_read_only_entry_html(&self) -> bool {
        self.all_builtin
    }

    /// Whether the events in a comparison's cells need only their address,
    /// title, kind and status (see `EventSummary::cell_value`): when every
    /// template is the built-in one, which reads no more of them.
    pub fn compare_cells_read_only_their_basics(&self) -> bool {
        self.all_builtin
    }

    /// The words of every language of the site, its own first.
    pub fn locales(&self) -> &[Arc<Locale>] {
        &self.locales
    }

    /// The words of `lang`, one of the site's editions (else the site's
    /// language).
    pub fn locale_for(&self, lang: &str) -> &Arc<Locale> {
        locale_of(&self.locales, Some(lang))
    }

    /// Every template's name and source, in load order.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.origins
            .iter()
            .map(|(n, _, t)| (n.as_str(), t.as_str()))
    }

    pub(super) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e, &self.origins, name))
    }
}
