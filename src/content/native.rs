//! Names in their own script: the `native` form (and `native_lang`) a
//! participant or a `location` may carry beside its romanised `name`, the
//! rule that infers the form's language from its script, and the
//! site-wide rule that one person has one native form.
//!
//! The language is inferred when `native_lang` is left out: any Hangul
//! makes it Korean (`ko`); else any kana Japanese (`ja`); else Han
//! characters alone are Japanese when the site is written in Japanese and
//! Chinese (`zh`) otherwise; Thai, Greek, Georgian and Armenian letters
//! name their one language. Any other script needs `native_lang`, since a
//! script such as Cyrillic or Arabic is written in many languages and a
//! wrong `lang` attribute misleads screen readers and fonts alike.

use crate::diagnostic::{Diagnostic, Located};
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};

/// A name written in its own script, with its language.
#[derive(Debug, Clone)]
pub struct Native {
    pub text: String,
    /// A BCP 47 language tag, as written in `native_lang` or inferred.
    pub lang: String,
    /// Where `native` was written, for the conflict rule's report.
    pub at: Located,
}

impl PartialEq for Native {
    fn eq(&self, other: &Native) -> bool {
        self.text == other.text && self.lang == other.lang
    }
}

impl Eq for Native {}

/// The language of a native form from its script (see the module doc);
/// `han` is the language Han characters alone are read in.
pub fn infer_lang(text: &str, han: &str) -> Option<String> {
    let has = |f: fn(char) -> bool| text.chars().any(f);
    if has(is_hangul) {
        return Some("ko".into());
    }
    if has(is_kana) {
        return Some("ja".into());
    }
    if has(is_han) {
        return Some(han.into());
    }
    let one = [
        ('\u{0E00}', '\u{0E7F}', "th"),
        ('\u{0370}', '\u{03FF}', "el"),
        ('\u{10A0}', '\u{10FF}', "ka"),
        ('\u{0530}', '\u{058F}', "hy"),
    ];
    one.iter()
        .find(|(lo, hi, _)| text.chars().any(|c| (*lo..=*hi).contains(&c)))
        .map(|(_, _, lang)| (*lang).to_string())
}

/// The language Han characters alone are read in for a site written in
/// `languages`: Japanese when one of them is, Chinese otherwise.
pub fn han_lang<'a>(languages: impl IntoIterator<Item = &'a str>) -> &'static str {
    if languages.into_iter().any(|l| primary(l) == "ja") {
        "ja"
    } else {
        "zh"
    }
}

/// [`han_lang`] for the site: the languages it is written in, its
/// default language and every language edition (`languages:`).
pub fn site_han_lang(config: &crate::config::Config) -> &'static str {
    han_lang(
        std::iter::once(config.language.as_str())
            .chain(config.languages.iter().map(|l| l.code.as_str())),
    )
}

/// A name with its native-script form as plain text, for outputs that
/// cannot mark a language (calendars, citations): the native form first
/// when `lang` (the site's language) is its language, "서울 (Seoul)",
/// else after the name, "Seoul (서울)".
pub fn joined<'a>(name: &'a str, native: Option<&Native>, lang: &str) -> std::borrow::Cow<'a, str> {
    match native {
        None => std::borrow::Cow::Borrowed(name),
        Some(n) if is_page_lang(&n.lang, lang) => format!("{} ({name})", n.text).into(),
        Some(n) => format!("{name} ({})", n.text).into(),
    }
}

/// The primary subtag of a language tag, lower case (`ko-KR` → `ko`).
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Whether a native form in `lang` is the language of a page in `page`:
/// then it is shown first.
pub fn is_page_lang(lang: &str, page: &str) -> bool {
    primary(lang) == primary(page)
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}' | '\u{AC00}'..='\u{D7AF}' | '\u{D7B0}'..='\u{D7FF}')
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// A language tag as `lang` accepts it: a primary subtag of 2 or 3
/// letters, then subtags of 1 to 8 letters or digits (`ko`, `zh-Hant`).
fn is_lang_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Reads `native` and `native_lang` of the map at `at` (a participant or a
/// location); `han` is the language Han characters alone are read in.
pub fn read(c: &mut Checker, map: &[(String, Yaml)], at: &[Seg], han: &str) -> Option<Native> {
    let get = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let sub = |k: &'static str| {
        let mut p = at.to_vec();
        p.push(Seg::Key(k));
        p
    };
    let lang = get("native_lang").and_then(|v| {
        let p = sub("native_lang");
        let tag = c.text(v, &p)?;
        if is_lang_tag(&tag) {
            Some(tag)
        } else {
            c.at_value(&p, format!("`{tag}` is not a language tag"))
                .hint =
                Some("write a BCP 47 language tag such as `ko`, `ja`, `zh-Hant` or `ru`".into());
            None
        }
    });
    let Some(v) = get("native") else {
        if lang.is_some() {
            c.at_key(&sub("native_lang"), "`native_lang` without `native`")
                .hint =
                Some("add the name in its own script as `native`, or remove `native_lang`".into());
        }
        return None;
    };
    let p = sub("native");
    let text = c.text(v, &p)?;
    let lang = match lang {
        Some(l) => l,
        None if get("native_lang").is_some() => return None,
        None => match infer_lang(&text, han) {
            Some(l) => l,
            None => {
                c.at_value(
                    &p,
                    format!("cannot tell the language of `{text}` from its script"),
                )
                .hint = Some(
                    "add `native_lang` with its language tag, such as `native_lang: ru`".into(),
                );
                return None;
            }
        },
    };
    Some(Native {
        text,
        lang,
        at: c.located(&p, true),
    })
}

/// The one-form rule: every event that gives a person a native form gives
/// the same one. A second form is an error rather than a silent choice,
/// since which event counts as first would depend on their order and the
/// site would show a form its author did not pick.
pub fn check_people<'a>(
    people: impl IntoIterator<Item = (&'a str, &'a str, &'a Native)>,
) -> Vec<Diagnostic> {
    let mut first: std::collections::HashMap<&str, (&str, &Native)> = Default::default();
    let mut out = Vec::new();
    // (identity, name as written, native form) of each participant.
    for (id, name, n) in people {
        match first.get(id) {
            None => {
                first.insert(id, (name, n));
            }
            Some((_, seen)) if *seen == n => {}
            Some((first_name, seen)) => {
                let mut d = n.at.diagnostic(format!(
                    "`{name}` is written `{}` ({}) here but `{}` ({}) for `{first_name}` in {}",
                    n.text,
                    n.lang,
                    seen.text,
                    seen.lang,
                    crate::diagnostic::display_path(&seen.at.path)
                ));
                d.notes.push(format!(
                    "first written at {}:{}:{}",
                    crate::diagnostic::display_path(&seen.at.path),
                    seen.at.pos.line,
                    seen.at.pos.column
                ));
                d.hint = Some(
                    "a person has one native form: write the same `native` (and `native_lang`) in every event, or leave it out of all but one".into(),
                );
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_from_script() {
        assert_eq!(infer_lang("윤석열", "zh").as_deref(), Some("ko"));
        assert_eq!(infer_lang("岸田 文雄", "zh").as_deref(), Some("zh"));
        assert_eq!(infer_lang("岸田 文雄", "ja").as_deref(), Some("ja"));
        assert_eq!(infer_lang("とうきょう", "zh").as_deref(), Some("ja"));
        assert_eq!(infer_lang("東京タワー", "zh").as_deref(), Some("ja"));
        assert_eq!(infer_lang("Путин", "zh"), None);
        assert_eq!(han_lang(["en", "ja"]), "ja");
        assert_eq!(han_lang(["ko"]), "zh");
        assert!(
            is_lang_tag("zh-Hant")
                && is_lang_tag("ko")
                && !is_lang_tag("k")
                && !is_lang_tag("ko_KR")
        );
        assert!(is_page_lang("ko", "ko-KR") && !is_page_lang("ja", "ko"));
    }
}
