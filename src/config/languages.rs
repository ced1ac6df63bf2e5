//! `languages:` in `site.yaml`: the language editions of a multilingual
//! site (a map `{code: {name, title, description, translator,
//! untranslated, dir}}` or a plain list of codes), the labels of terms
//! written per language (`label: {en: Meeting, ja: 会議}`), and the
//! configuration of one edition worked out from the site's.

use super::{Config, TermDef};
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};

/// What an edition does with the events and pages it has no translation of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untranslated {
    /// Shown in the default language, marked as such.
    Show,
    /// Left out of the edition.
    Hide,
}

/// One language of `languages:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The language tag (`en`, `ja`, `pt-BR`): the edition's folder.
    pub code: String,
    /// Shown in the language switcher: `name`, else a built-in name, else the code.
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The credit shown on every translated page of the edition.
    pub translator: Option<String>,
    pub untranslated: Untranslated,
    pub dir: Option<crate::i18n::Dir>,
}

/// What an edition with `untranslated: hide` leaves out, by slug, and
/// where the default language's pages are: a link written in a body to
/// such an event or page leads to the default language's page instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Elsewhere {
    /// The default language's base path (`/` or `/timeline/`).
    pub base_path: String,
    pub events: std::collections::HashSet<String>,
    pub pages: std::collections::HashSet<String>,
}

/// A term's label per language, when `label` was written as a map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Labels(pub Vec<(String, String)>);

impl Labels {
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, label)| label.as_str())
    }
}

/// Names of languages a switcher shows in the language itself.
const NAMES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
    ("zh-Hans", "简体中文"),
    ("zh-Hant", "繁體中文"),
];

/// The built-in name of a language, else its code.
pub fn builtin_name(code: &str) -> String {
    NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .or_else(|| NAMES.iter().find(|(c, _)| *c == crate::i18n::primary(code)))
        .map_or_else(|| code.to_string(), |(_, n)| (*n).to_string())
}

/// Whether `code` is a language tag an edition folder can be named after:
/// a 2–3 letter language, then subtags of 1–8 letters or digits
/// (`en`, `ja`, `pt-BR`, `zh-Hant`).
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

const KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "translator",
    "untranslated",
    "dir",
];

/// Reads `languages:` (a map or a list). `default` is `language:` when
/// given; the default language is put first, added when missing.
pub(super) fn read(c: &mut Checker, value: &Yaml, default: Option<&str>) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    let path = [Seg::Key("languages")];
    let plain = |code: &str| Language {
        code: code.to_string(),
        name: builtin_name(code),
        title: None,
        description: None,
        translator: None,
        untranslated: Untranslated::Show,
        dir: None,
    };
    let mut push = |c: &mut Checker, lang: Language, at: &[Seg]| {
        if !is_valid_code(&lang.code) {
            c.at_key(at, format!("invalid language code `{}`", lang.code))
                .hint = Some(
                "write a language tag such as `en`, `ja`, `pt-BR` (lower-case language, then subtags)"
                    .into(),
            );
        } else if out.iter().any(|l| l.code == lang.code) {
            c.at_key(at, format!("language `{}` is listed twice", lang.code))
                .hint = Some("list each language once".into());
        } else {
            out.push(lang);
        }
    };
    match value {
        Yaml::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let at = [Seg::Key("languages"), Seg::Index(i)];
                match item {
                    // `- {code: ja, name: 日本語}`: a list of settings.
                    Yaml::Map(m) => {
                        let code_at = [Seg::Key("languages"), Seg::Index(i), Seg::Key("code")];
                        let Some(code_value) = m.iter().find(|(k, _)| k == "code").map(|(_, v)| v)
                        else {
                            c.at_value(&at, "a language in the list has no `code`".to_string())
                                .hint =
                                Some("write `- {code: ja, name: 日本語}` or just `- ja`".into());
                            continue;
                        };
                        let Some(code) = c.text(code_value, &code_at) else {
                            continue;
                        };
                        let mut lang = plain(&code);
                        settings(c, &mut lang, m, &at, &["code"]);
                        push(c, lang, &at);
                    }
                    _ => {
                        if let Some(code) = c.text(item, &at) {
                            push(c, plain(&code), &at);
                        }
                    }
                }
            }
        }
        Yaml::Map(map) => {
            for (code, v) in map {
                let at = [Seg::Key("languages"), Seg::Key(code)];
                let mut lang = plain(code);
                match v {
                    Yaml::Null => {}
                    Yaml::Map(m) => settings(c, &mut lang, m, &at, &[]),
                    other => {
                        c.at_value(
                            &at,
                            format!(
                                "`languages.{code}` must be a mapping such as `{{name: …}}`, found {}",
                                other.type_name()
                            ),
                        )
                        .hint = Some(format!("write `{code}: {{name: …}}` or list the codes: `languages: [en, {code}]`"));
                    }
                }
                push(c, lang, &at);
            }
        }
        other => {
            c.at_value(
                &path,
                format!(
                    "`languages` must be a list of language codes or a mapping, found {}",
                    other.type_name()
                ),
            )
            .hint =
                Some("write `languages: [en, ja]` or `languages: {en: {name: English}}`".into());
        }
    }
    if out.is_empty() {
        return out;
    }
    let default = default.map_or_else(|| out[0].code.clone(), str::to_string);
    match out.iter().position(|l| l.code == default) {
        Some(0) => {}
        Some(i) => {
            let lang = out.remove(i);
            out.insert(0, lang);
        }
        None => out.insert(0, plain(&default)),
    }
    out
}

/// Applies one language's settings (`name`, `title`, …) from `m`, the
/// mapping at `at`; `extra` are keys the caller reads itself (`code`).
fn settings(
    c: &mut Checker,
    lang: &mut Language,
    m: &[(String, Yaml)],
    at: &[Seg],
    extra: &[&str],
) {
    let keys: Vec<&str> = KEYS.iter().chain(extra).copied().collect();
    let shown = at
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.to_string(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".");
    c.check_keys(m, &keys, at, &format!("`{shown}`"));
    for (key, x) in m {
        if extra.contains(&key.as_str()) {
            continue;
        }
        let mut sub = at.to_vec();
        sub.push(Seg::Key(key));
        let sub = sub.as_slice();
        let Some(text) = c.text(x, sub) else {
            continue;
        };
        match key.as_str() {
            "name" => lang.name = text,
            "title" => lang.title = Some(text),
            "description" => lang.description = Some(text),
            "translator" => lang.translator = Some(text),
            "untranslated" => match text.as_str() {
                "show" => lang.untranslated = Untranslated::Show,
                "hide" => lang.untranslated = Untranslated::Hide,
                other => {
                    c.at_value(sub, format!("unknown `untranslated` value `{other}`"))
                        .hint = Some(crate::diagnostic::suggestion(other, &["show", "hide"]));
                }
            },
            "dir" => match crate::i18n::Dir::parse(&text) {
                Some(d) => lang.dir = Some(d),
                None => {
                    c.at_value(sub, format!("unknown direction `{text}`")).hint =
                        Some("write `ltr` or `rtl`".into());
                }
            },
            _ => {}
        }
    }
}

/// A term label written as `{en: Meeting, ja: 会議}`: the labels by
/// language, each code one of `languages` when that is known.
pub(super) fn label_map(c: &mut Checker, map: &[(String, Yaml)], path: &[Seg]) -> Labels {
    let mut out = Vec::new();
    for (lang, v) in map {
        let mut sub = path.to_vec();
        sub.push(Seg::Key(lang));
        if !is_valid_code(lang) {
            c.at_key(&sub, format!("invalid language code `{lang}` in a label"))
                .hint = Some("write labels per language as `{en: Meeting, ja: 会議}`".into());
            continue;
        }
        if let Some(text) = c.text(v, &sub) {
            out.push((lang.clone(), text));
        }
    }
    Labels(out)
}

impl Config {
    /// Whether the site has editions beyond the default language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The languages other than the default, each published under its folder.
    pub fn other_languages(&self) -> impl Iterator<Item = &Language> {
        self.languages.iter().skip(1)
    }

    /// The language `code` of `languages:`.
    pub fn language_def(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The configuration of the edition in `lang`: its language, title,
    /// description and direction, its base URL (the site's and
    /// `<lang>/`), and every term label in that language (else the
    /// default language's).
    pub fn edition(&self, lang: &Language) -> Config {
        let mut c = self.clone();
        c.language = lang.code.clone();
        c.dir = lang.dir;
        if let Some(title) = &lang.title {
            c.title = title.clone();
        }
        if lang.description.is_some() {
            c.description = lang.description.clone();
        }
        let base = crate::urls::under(self.base_url(), &crate::urls::edition(&lang.code));
        // The site's base URL is valid, and a language tag adds a valid segment.
        if c.set_base_url(&base).is_err() {
            c.base_url = self.base_url.clone();
        }
        let pick = |def: &mut TermDef, labels: &Labels| {
            if let Some(l) = labels.get(&lang.code) {
                def.label = l.to_string();
            }
        };
        for (section, key, labels) in &self.label_maps {
            match *section {
                "kinds" => c
                    .kinds
                    .iter_mut()
                    .filter(|d| &d.key == key)
                    .for_each(|d| pick(d, labels)),
                "tracks" => c
                    .tracks
                    .iter_mut()
                    .filter(|d| &d.key == key)
                    .for_each(|d| pick(d, labels)),
                "tags" => c
                    .tags
                    .iter_mut()
                    .filter(|d| &d.key == key)
                    .for_each(|d| pick(d, labels)),
                "relations" | "relations-inverse" => {
                    if let Some(l) = labels.get(&lang.code) {
                        for r in c.relations.iter_mut().filter(|r| &r.key == key) {
                            if *section == "relations" {
                                r.label = l.to_string();
                            } else {
                                r.inverse = l.to_string();
                            }
                        }
                    }
                }
                "countries" => {
                    if let Some(l) = labels.get(&lang.code) {
                        for (code, label) in c.country_labels.iter_mut() {
                            if code == key {
                                *label = l.to_string();
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        c
    }
}
