//! What the pages of a multilingual site say about the other editions:
//! the table of which edition has which page (made from every edition's
//! routes before any is rendered), each page's `hreflang` alternates and
//! language switcher, and the note of a translated or untranslated page.

use super::Routes;
use crate::i18n::Locale;
use crate::model::Site;
use crate::model::edition::{EditionRef, Editions, Note};
use crate::render::context::{Alternate, LanguageLink, TranslationNote};

/// The editions of a site, the default language's first, with the pages
/// each has (`routes`, in the same order).
pub fn table(sites: &[&Site], routes: &[&Routes]) -> Editions {
    let list = sites
        .iter()
        .map(|site| {
            let config = &site.config;
            EditionRef {
                code: config.language.clone(),
                name: config
                    .language_def(&config.language)
                    .map_or_else(|| config.language.clone(), |l| l.name.clone()),
                base_url: crate::exports::absolute_base(config).0,
                base_path: config.base_path().to_string(),
            }
        })
        .collect();
    let mut pages = std::collections::HashMap::new();
    for (i, r) in routes.iter().enumerate().take(64) {
        for route in r.iter() {
            *pages.entry(route.path.to_string()).or_insert(0u64) |= 1 << i;
        }
    }
    Editions { list, pages }
}

/// The `hreflang` alternates and the switcher of the page at `path` of
/// `site`; both empty in a site of one language.
pub fn links(site: &Site, path: &str) -> (Vec<Alternate>, Vec<LanguageLink>) {
    let Some(edition) = &site.edition else {
        return (Vec::new(), Vec::new());
    };
    let all = &edition.all;
    let having: Vec<usize> = all.having(path).collect();
    let alternates = edition
        .alternates(path)
        .into_iter()
        .map(|(hreflang, url)| Alternate { hreflang, url })
        .collect();
    let languages = all
        .list
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let same_page = having.contains(&i);
            LanguageLink {
                code: e.code.clone(),
                name: e.name.clone(),
                url: if same_page {
                    crate::urls::under(&e.base_path, path)
                } else {
                    e.base_path.clone()
                },
                current: i == edition.current,
                same_page,
            }
        })
        .collect();
    (alternates, languages)
}

/// The name of language `code` in the page's language: the translation
/// files' `language-name-<code>` ("英語" on a Japanese page), else
/// `fallback` (the edition's own name for itself, from `languages:`).
fn name_in(locale: &Locale, code: &str, fallback: &str) -> String {
    let key = format!("language-name-{}", crate::i18n::primary(code));
    if locale.has(&key) {
        locale.text(&key).to_string()
    } else {
        fallback.to_string()
    }
}

/// The note of an event's or a page's `note` in `site`'s edition, its
/// language names in the page's language (`locale`).
pub fn note(site: &Site, locale: &Locale, note: Option<&Note>) -> Option<TranslationNote> {
    let edition = site.edition.as_ref()?;
    let note = note?;
    let (original_lang, original_name) = edition.default_language();
    Some(TranslationNote {
        translated: matches!(note, Note::Translated { .. }),
        original_lang: original_lang.to_string(),
        original_name: name_in(locale, original_lang, original_name),
        language_name: edition
            .all
            .list
            .get(edition.current)
            .map_or_else(String::new, |e| name_in(locale, &e.code, &e.name)),
        translator: match note {
            Note::Translated { translator } => translator.clone(),
            Note::Untranslated => None,
        },
    })
}
