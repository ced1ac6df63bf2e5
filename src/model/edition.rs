//! Language editions: the site in another language of `languages:`, made
//! from the default language's model and the translations. A translated
//! event or page takes the translation's title, summary, location and
//! body; an untranslated one is kept in the default language and marked
//! (`untranslated: show`) or left out (`hide`). Each edition is a whole
//! [`Site`] with its own configuration (language, title, base URL under
//! `<lang>/`, term labels), so every page and export is made for it by
//! the same code as for the default language.

use super::Site;
use crate::config::{Language, Untranslated};
use crate::content::event::{BodyAt, Event, Page};
use crate::content::translation::Translation;
use crate::source::load::Section;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Whether an event or page of an edition is in the edition's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Translated; the credit of its file, else of the edition.
    Translated { translator: Option<String> },
    /// Shown in the default language.
    Untranslated,
}

/// One edition as every page of every edition links to it.
#[derive(Debug, Clone)]
pub struct EditionRef {
    pub code: String,
    pub name: String,
    /// Absolute base URL of the edition (the fallback origin when the site
    /// has no absolute `base_url`), ending in `/`.
    pub base_url: String,
    /// Its path part, for site links: `/` or `/ja/`.
    pub base_path: String,
}

/// What the editions share: who they are and which pages each has.
#[derive(Debug, Clone, Default)]
pub struct Editions {
    /// The default language first.
    pub list: Vec<EditionRef>,
    /// Every page path (under an edition's base) with the editions that
    /// have it, as a bit per index of `list`.
    pub pages: HashMap<String, u64>,
}

impl Editions {
    /// The indexes of the editions that have the page at `path`.
    pub fn having(&self, path: &str) -> impl Iterator<Item = usize> + '_ {
        let bits = self.pages.get(path).copied().unwrap_or(0);
        (0..self.list.len()).filter(move |i| bits & (1 << i) != 0)
    }
}

/// The edition a [`Site`] is, in a multilingual site.
#[derive(Debug, Clone)]
pub struct Edition {
    pub all: Arc<Editions>,
    /// Its index in `all.list` (0: the default language).
    pub current: usize,
    /// The state of each event (by slug) and page (by slug) in this edition;
    /// empty for the default language.
    pub events: HashMap<String, Note>,
    pub pages: HashMap<String, Note>,
}

impl Edition {
    pub fn event_note(&self, slug: &str) -> Option<&Note> {
        self.events.get(slug)
    }

    pub fn page_note(&self, slug: &str) -> Option<&Note> {
        self.pages.get(slug)
    }

    /// The `hreflang` alternates of the page at `path` (under an
    /// edition's base): each edition that has it, then `x-default` for the
    /// default language's, as (language or `x-default`, absolute URL).
    pub fn alternates(&self, path: &str) -> Vec<(String, String)> {
        let all = &self.all;
        let mut out: Vec<(String, String)> = all
            .having(path)
            .map(|i| {
                (
                    all.list[i].code.clone(),
                    crate::urls::under(&all.list[i].base_url, path),
                )
            })
            .collect();
        if let Some(first) = all.list.first()
            && all.having(path).next() == Some(0)
        {
            out.push((
                "x-default".into(),
                crate::urls::under(&first.base_url, path),
            ));
        }
        out
    }

    /// The default language's code and name.
    pub fn default_language(&self) -> (&str, &str) {
        self.all
            .list
            .first()
            .map_or(("", ""), |e| (e.code.as_str(), e.name.as_str()))
    }
}

/// The model of the edition in `lang`, from the default language's
/// (`default`, with its dates and media worked out) and the site's
/// translations.
pub fn derive(default: &Site, lang: &Language, translations: &[Translation]) -> Site {
    let mut config = default.config.edition(lang);
    let mine: HashMap<(Section, &Path), &Translation> = translations
        .iter()
        .filter(|t| t.lang == lang.code)
        .map(|t| ((t.section, t.original.as_path()), t))
        .collect();
    if lang.untranslated == Untranslated::Hide {
        config.elsewhere = Some(Arc::new(crate::config::Elsewhere {
            base_path: default.config.base_path().to_string(),
            events: default
                .events
                .iter()
                .filter(|e| !mine.contains_key(&(Section::Events, e.source_path())))
                .map(|e| e.slug.to_string())
                .collect(),
            pages: default
                .pages
                .iter()
                .filter(|p| !mine.contains_key(&(Section::Pages, &*p.slug_at.path)))
                .map(|p| p.slug.clone())
                .collect(),
        }));
    }
    let credit = |t: &Translation| t.translator.clone().or_else(|| lang.translator.clone());
    let mut event_notes = HashMap::new();
    let mut events = Vec::new();
    for e in &default.events {
        match mine.get(&(Section::Events, e.source_path())) {
            Some(t) => {
                event_notes.insert(
                    e.slug.to_string(),
                    Note::Translated {
                        translator: credit(t),
                    },
                );
                events.push(Arc::new(translated_event(e, t, &config)));
            }
            None if lang.untranslated == Untranslated::Hide => {}
            None => {
                event_notes.insert(e.slug.to_string(), Note::Untranslated);
                events.push(e.clone());
            }
        }
    }
    let mut page_notes = HashMap::new();
    let mut pages = Vec::new();
    for p in &default.pages {
        match mine.get(&(Section::Pages, &*p.slug_at.path)) {
            Some(t) => {
                page_notes.insert(
                    p.slug.clone(),
                    Note::Translated {
                        translator: credit(t),
                    },
                );
                pages.push(translated_page(p, t, &config));
            }
            None if lang.untranslated == Untranslated::Hide => {}
            None => {
                page_notes.insert(p.slug.clone(), Note::Untranslated);
                let mut p = p.clone();
                if let Some(html) =
                    crate::content::translation::page_body_for(&p.slug_at.path, &config)
                {
                    p.body_html = html;
                }
                pages.push(p);
            }
        }
    }
    // Drafts were left out of the default model already (or are built).
    let mut site = super::build(config, events, pages, default.periods.clone(), true);
    let updated: HashMap<&str, _> = default
        .events
        .iter()
        .zip(&default.updated)
        .map(|(e, d)| (&*e.slug, *d))
        .collect();
    site.updated = site
        .events
        .iter()
        .map(|e| updated.get(&*e.slug).copied().flatten())
        .collect();
    site.assets = default.assets.clone();
    site.media = default.media.clone();
    site.edition = Some(Edition {
        all: Arc::default(),
        current: 0,
        events: event_notes,
        pages: page_notes,
    });
    site
}

fn translated_event(e: &Event, t: &Translation, config: &crate::config::Config) -> Event {
    let mut e = e.clone();
    if let Some(title) = &t.title {
        e.title = title.as_str().into();
    }
    if let Some(summary) = &t.summary {
        e.summary = summary.as_str().into();
    }
    if t.location.is_some() {
        e.location = t.location.as_deref().map(Arc::from);
    }
    if let Some(body) = t.body_for(config) {
        e.body = BodyAt::Kept(body);
    }
    e
}

fn translated_page(p: &Page, t: &Translation, config: &crate::config::Config) -> Page {
    let mut p = p.clone();
    if let Some(title) = &t.title {
        p.title = title.clone();
    }
    if t.summary.is_some() {
        p.description = t.summary.clone();
    }
    if let Some(body) = t.body_for(config) {
        p.body_html = body.html.clone();
    } else if let Some(html) = crate::content::translation::page_body_for(&p.slug_at.path, config) {
        p.body_html = html;
    }
    p
}
