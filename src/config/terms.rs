//! The term vocabularies of `site.yaml`: `kinds`, `tracks`, `countries`
//! and `tags` (`{key: {label, description}}` or `{key: Label}`), and
//! `relations` (`{key: {label, inverse}}`, added to the built-ins); and the
//! readable label of a tag that `tags` does not name.

use super::{Config, RelationDef, TermDef};
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::values::slug;

/// Reads `{key: {label, description}}` (or `{key: Label}`) in file order.
/// A `label` may be a map by language (`{en: Meeting, ja: 会議}`): the
/// definition gets the label of `default` (the site's language) and the
/// map goes to `maps`; each definition comes with whether it has a label
/// in the default language (false for a map without one, whose label is
/// then the key).
pub(super) fn term_defs(
    c: &mut Checker,
    value: &Yaml,
    section: &'static str,
    default: &str,
    maps: &mut Vec<(&'static str, String, super::Labels)>,
) -> Vec<(TermDef, bool)> {
    let mut out = Vec::new();
    let Some(map) = c.map(value, &[Seg::Key(section)], &format!("`{section}`")) else {
        return out;
    };
    for (key, v) in map {
        let path = [Seg::Key(section), Seg::Key(key)];
        let key_ok = if section == "countries" {
            true
        } else {
            slug::is_valid(key)
        };
        if !key_ok {
            c.at_key(
                &path,
                format!("invalid key `{key}` in `{section}`: only a-z, 0-9 and - are allowed"),
            )
            .hint = Some(format!("use `{}`", slug::slugify(key)));
            continue;
        }
        let mut labelled = true;
        let (label, description) = match v {
            Yaml::Map(m) => {
                c.check_keys(
                    m,
                    &["label", "description"],
                    &path,
                    &format!("`{section}.{key}`"),
                );
                let label_path = [Seg::Key(section), Seg::Key(key), Seg::Key("label")];
                let label = match m.iter().find(|(k, _)| k == "label") {
                    Some((_, Yaml::Map(per_language))) => {
                        let labels = super::languages::label_map(c, per_language, &label_path);
                        let label = labels.get(default).map(str::to_string);
                        if label.is_none() {
                            labelled = false;
                        }
                        maps.push((section, key.clone(), labels));
                        label
                    }
                    Some((_, l)) => c.text(l, &label_path),
                    None => None,
                };
                let description = m
                    .iter()
                    .find(|(k, _)| k == "description")
                    .and_then(|(_, d)| {
                        c.text(
                            d,
                            &[Seg::Key(section), Seg::Key(key), Seg::Key("description")],
                        )
                    });
                (label, description)
            }
            Yaml::Null => (None, None),
            other => (c.text(other, &path), None),
        };
        out.push((
            TermDef {
                key: key.clone(),
                label: label.unwrap_or_else(|| key.clone()),
                description,
            },
            labelled,
        ));
    }
    out
}

pub(super) fn relations(c: &mut Checker, value: &Yaml, config: &mut Config) {
    let Some(map) = c.map(value, &[Seg::Key("relations")], "`relations`") else {
        return;
    };
    for (key, v) in map {
        let path = [Seg::Key("relations"), Seg::Key(key)];
        if !slug::is_valid(key) {
            c.at_key(
                &path,
                format!("invalid relation name `{key}`: only a-z, 0-9 and - are allowed"),
            );
            continue;
        }
        let Some(m) = c.map(v, &path, &format!("relation `{key}`")) else {
            continue;
        };
        c.check_keys(
            m,
            &["label", "inverse"],
            &path,
            &format!("relation `{key}`"),
        );
        let default = config.language.clone();
        let mut per_language = Vec::new();
        let mut get = |c: &mut Checker, name: &'static str| match m.iter().find(|(k, _)| k == name)
        {
            // `{en: Welcomes, ja: 歓迎する}`: the default language's here,
            // the others for the editions (see `languages`).
            Some((_, Yaml::Map(labels))) => {
                let path = [Seg::Key("relations"), Seg::Key(key), Seg::Key(name)];
                let labels = super::languages::label_map(c, labels, &path);
                let label = labels
                    .get(&default)
                    .map(str::to_string)
                    .or_else(|| labels.0.first().map(|(_, l)| l.clone()));
                let section = if name == "label" {
                    "relations"
                } else {
                    "relations-inverse"
                };
                per_language.push((section, key.clone(), labels));
                label
            }
            Some((_, x)) => c.text(x, &[Seg::Key("relations"), Seg::Key(key), Seg::Key(name)]),
            None => {
                c.at_key(&path, format!("relation `{key}` needs `{name}`"))
                    .hint = Some("write `{label: Welcomes, inverse: Welcomed by}`".into());
                None
            }
        };
        let label = get(c, "label");
        let inverse = get(c, "inverse");
        config.label_maps.extend(per_language);
        if let (Some(label), Some(inverse)) = (label, inverse) {
            let def = RelationDef {
                key: key.clone(),
                label,
                inverse,
            };
            match config.relations.iter_mut().find(|r| r.key == def.key) {
                Some(existing) => *existing = def,
                None => config.relations.push(def),
            }
        }
    }
}

/// A tag written as a slug (`cyber-readiness`, `nuclear_deterrence`) as a
/// reader sees it: words separated by spaces, the first capitalised
/// ("Cyber readiness"). Text with capitals or spaces was written for
/// readers already and is kept as it is ("NATO", "Extended deterrence").
pub(super) fn readable(written: &str) -> String {
    if written.contains(' ') || written.chars().any(char::is_uppercase) {
        return written.to_string();
    }
    let words = written.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn slugs_read_as_words() {
        assert_eq!(readable("cyber-readiness"), "Cyber readiness");
        assert_eq!(readable("nuclear_deterrence"), "Nuclear deterrence");
        assert_eq!(readable("china"), "China");
        assert_eq!(readable("NATO"), "NATO");
        assert_eq!(readable("Extended deterrence"), "Extended deterrence");
        assert_eq!(readable("über-alles"), "Über alles");
        assert_eq!(readable(""), "");
    }
}
