//! Restores the front matter that `timelinejs.json` carries in each
//! slide's `annals` object (kind, status, participants, every source…),
//! so a file exported by annals imports back to the same events. Values
//! this site cannot accept (an undeclared kind or track, a relation to an
//! event that does not exist) are mapped to what builds, with a note.
//! The generic fields of `schema` are restored from the table.

use super::text::quote;
use crate::config::Config;
use crate::content::schema::{FIELDS, Held};
use crate::exports::timelinejs::{ExtLocation, Extension};
use std::collections::HashSet;

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| quote(i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Front matter lines after `title`, or None when the extension's date
/// is not one annals reads (the TimelineJS fields are used instead).
pub fn front_matter(
    ext: &Extension,
    config: &Config,
    known_slugs: &HashSet<String>,
    label: &str,
    notes: &mut Vec<String>,
) -> Option<Vec<String>> {
    // Written unquoted like a hand-written file, so only values that
    // parse as dates (digits, `-`, `:`, `T`, `Z`, `+`) are accepted.
    crate::values::dates::EventDate::parse(&ext.date).ok()?;
    let end_ok = ext
        .end_date
        .as_deref()
        .is_none_or(|e| e == "ongoing" || crate::values::dates::EventDate::parse(e).is_ok());
    if !end_ok || crate::content::event::Status::parse(&ext.status).is_none() {
        return None;
    }
    let mut fm = vec![format!("date: {}", ext.date)];
    if let Some(end) = &ext.end_date {
        fm.push(format!("end_date: {end}"));
    }
    if ext.approximate {
        fm.push("approximate: true".into());
    }
    let kind = if config.kind(&ext.kind).is_some() {
        ext.kind.clone()
    } else {
        let fallback = config
            .kinds
            .first()
            .map(|k| k.key.clone())
            .unwrap_or_else(|| "meeting".into());
        notes.push(format!(
            "{label}: kind `{}` is not declared in site.yaml; set to `{fallback}` (add it under `kinds:` to keep it)",
            ext.kind
        ));
        fallback
    };
    fm.push(format!("kind: {kind}"));
    fm.push(format!("status: {}", ext.status));
    match &ext.location {
        None => {}
        Some(ExtLocation::Name(loc)) => fm.push(format!("location: {}", quote(loc))),
        Some(ExtLocation::Native {
            name,
            native,
            native_lang,
        }) => {
            let mut line = format!(
                "location: {{name: {}, native: {}",
                quote(name),
                quote(native)
            );
            if let Some(l) = native_lang {
                line.push_str(&format!(", native_lang: {}", quote(l)));
            }
            line.push('}');
            fm.push(line);
        }
    }
    if !ext.countries.is_empty() {
        fm.push(format!("countries: [{}]", list(&ext.countries)));
    }
    if !ext.participants.is_empty() {
        fm.push("participants:".into());
        for p in &ext.participants {
            let mut line = format!("  - {{name: {}", quote(&p.name));
            if let Some(r) = &p.role {
                line.push_str(&format!(", role: {}", quote(r)));
            }
            if let Some(c) = &p.country {
                line.push_str(&format!(", country: {}", quote(c)));
            }
            if let Some(n) = &p.native {
                line.push_str(&format!(", native: {}", quote(n)));
            }
            if let (Some(_), Some(l)) = (&p.native, &p.native_lang) {
                line.push_str(&format!(", native_lang: {}", quote(l)));
            }
            line.push('}');
            fm.push(line);
        }
    }
    let (tracks, moved): (Vec<String>, Vec<String>) = ext
        .tracks
        .iter()
        .cloned()
        .partition(|t| config.track(t).is_some());
    let mut tags = ext.tags.clone();
    for t in &moved {
        notes.push(format!(
            "{label}: track `{t}` is not declared in site.yaml, so it became a tag; add `{t}: {{label: ...}}` under `tracks:` to keep it a track"
        ));
        tags.push(t.clone());
    }
    if !tracks.is_empty() {
        fm.push(format!("tracks: [{}]", list(&tracks)));
    }
    if !tags.is_empty() {
        fm.push(format!("tags: [{}]", list(&tags)));
    }
    fm.push(format!("summary: {}", quote(&ext.summary)));
    if !ext.sources.is_empty() {
        fm.push("sources:".into());
        for s in &ext.sources {
            let mut line = format!("  - {{title: {}", quote(&s.title));
            // A tier this site does not know would make the file fail.
            let reliability = s
                .reliability
                .clone()
                .filter(|r| crate::values::reliability::Tier::parse(r).is_some());
            for (key, value) in [
                ("publisher", &s.publisher),
                ("url", &s.url),
                ("date", &s.date),
                ("archive_url", &s.archive_url),
                ("reliability", &reliability),
            ] {
                if let Some(v) = value {
                    line.push_str(&format!(", {key}: {}", quote(v)));
                }
            }
            line.push('}');
            fm.push(line);
        }
    }
    if !ext.quotes.is_empty() {
        fm.push("quotes:".into());
        for q in &ext.quotes {
            let mut line = format!(
                "  - {{text: {}, speaker: {}",
                quote(&q.text),
                quote(&q.speaker)
            );
            if let Some(i) = q.source {
                line.push_str(&format!(", source: {i}"));
            }
            line.push('}');
            fm.push(line);
        }
    }
    media_lines(ext, config, label, notes, &mut fm);
    let related: Vec<_> = ext
        .related
        .iter()
        .filter(|r| {
            let ok = known_slugs.contains(&r.event);
            if !ok {
                notes.push(format!(
                    "{label}: relation to `{}` left out: no such event in the import or the site",
                    r.event
                ));
            }
            ok
        })
        .collect();
    if !related.is_empty() {
        fm.push("related:".into());
        for r in related {
            fm.push(format!(
                "  - {{event: {}, relation: {}}}",
                quote(&r.event),
                quote(&r.relation)
            ));
        }
    }
    if let Some(updated) = &ext.updated
        && crate::values::dates::EventDate::parse(updated).is_ok()
    {
        fm.push(format!("updated: {updated}"));
    }
    let corrections: Vec<_> = ext
        .corrections
        .iter()
        .filter(|c| crate::values::dates::EventDate::parse(&c.date).is_ok())
        .collect();
    if !corrections.is_empty() {
        fm.push("corrections:".into());
        for c in corrections {
            fm.push(format!(
                "  - {{date: {}, text: {}}}",
                c.date,
                quote(&c.text)
            ));
        }
    }
    if ext.draft {
        fm.push("draft: true".into());
    }
    for f in FIELDS.iter().filter(|f| f.held == Held::Extra) {
        if let Some(value) = ext.extra.get(f.name) {
            match yaml_value(value) {
                Some(v) => fm.push(format!("{}: {v}", f.name)),
                None => notes.push(format!(
                    "{label}: `{}` left out: expected text, true/false or a list of texts",
                    f.name
                )),
            }
        }
    }
    Some(fm)
}

/// A generic field's value from the `annals` object as YAML, when it is
/// one that a generic field holds.
fn yaml_value(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => Some(quote(s)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let texts: Option<Vec<String>> = items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect();
            Some(format!("[{}]", list(&texts?)))
        }
        _ => None,
    }
}

/// The `media:` of an event exported by annals: every item whose address
/// this site can show (https, an embed host it allows).
fn media_lines(
    ext: &Extension,
    config: &crate::config::Config,
    label: &str,
    notes: &mut Vec<String>,
    fm: &mut Vec<String>,
) {
    use crate::content::media::{MediaKind, host_of};
    let mut items = Vec::new();
    for m in &ext.media {
        let kind = m.kind.as_deref().and_then(MediaKind::parse);
        let host = host_of(&m.src).unwrap_or_default();
        if !m.src.starts_with("https://") {
            notes.push(format!(
                "{label}: media `{}` left out: annals shows https:// addresses only",
                m.src
            ));
            continue;
        }
        if kind == Some(MediaKind::Embed) && !config.embeds.allows(&host) {
            notes.push(format!(
                "{label}: media `{}` left out: add `{host}` to `embeds:` in site.yaml to keep it",
                m.src
            ));
            continue;
        }
        let alt = m.alt.clone().or_else(|| {
            let is_image = kind == Some(MediaKind::Image)
                || (kind.is_none()
                    && crate::content::media::infer_kind(&m.src) == Some(MediaKind::Image));
            is_image.then(|| {
                notes.push(format!(
                    "{label}: image `{}` has no alt text; its caption or the title stands in: describe the image instead",
                    m.src
                ));
                m.caption.clone().unwrap_or_else(|| label.to_string())
            })
        });
        let mut line = format!("  - {{src: {}", quote(&m.src));
        if let Some(k) = kind {
            line.push_str(&format!(", kind: {}", k.key()));
        }
        for (key, value) in [
            ("alt", &alt),
            ("caption", &m.caption),
            ("credit", &m.credit),
        ] {
            if let Some(v) = value {
                line.push_str(&format!(", {key}: {}", quote(v)));
            }
        }
        line.push('}');
        items.push(line);
    }
    if !items.is_empty() {
        fm.push("media:".into());
        fm.extend(items);
    }
}
