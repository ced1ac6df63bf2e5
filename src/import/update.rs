//! What a re-run of `annals import` needs to know about the site: the
//! events already there (their real slugs, `slug:` overrides included, and
//! the `imported_id` that ties an event to its TimelineJS entry), the
//! record of what the last import wrote (`imported.json` in the site
//! folder), and the merge of a new import into a file edited by hand.
//!
//! The rule of `--update`, field by field (the body counts as a field):
//! a field whose value is still what the last import wrote takes the new
//! value; a field edited by hand is kept, and when the source changed it
//! too the field is reported as a conflict. Values are compared as parsed,
//! so re-quoting or re-indenting a value is not an edit.

use crate::error::Error;
use crate::source::load::{self, Section, SourceFile};
use crate::source::yaml::Yaml;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The record's name in the site folder.
pub const RECORD: &str = "imported.json";

/// The body's key in the record and in merges.
pub const BODY: &str = "body";

/// An event file of the site.
pub struct Existing {
    /// Relative to the site folder.
    pub rel: PathBuf,
    pub slug: String,
    pub imported_id: Option<String>,
}

/// The site's events, read once. Only the two keys that matter are read,
/// each from its own line, so a re-run over a large site stays quick.
pub fn scan(site: &Path) -> Result<Vec<Existing>, Error> {
    let (files, _) = load::list(site, Section::Events)?;
    let mut out = Vec::with_capacity(files.len());
    for rel in files {
        // A page bundle (`talk/index.md`) is named by its folder.
        let stem = crate::content::validate::slug_from_stem(&rel);
        let bytes = load::read_bytes(&site.join(&rel))?;
        let text = String::from_utf8_lossy(&bytes);
        out.push(Existing {
            slug: front_value(&text, "slug").unwrap_or(stem),
            imported_id: front_value(&text, "imported_id"),
            rel,
        });
    }
    Ok(out)
}

/// The value of a top-level front-matter key written on one line.
pub(super) fn front_value(text: &str, key: &str) -> Option<String> {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for line in lines {
        if line.trim_end() == "---" {
            return None;
        }
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        if !rest.starts_with(':') {
            continue;
        }
        return match crate::source::yaml::parse(line, 1) {
            Ok(Yaml::Map(m)) => m.into_iter().next().and_then(|(_, v)| v.scalar_text()),
            _ => None,
        };
    }
    None
}

/// What the last imports wrote, by `imported_id`: each field's value and
/// the body.
#[derive(Default)]
pub struct Record {
    pub events: BTreeMap<String, Map<String, Value>>,
}

impl Record {
    /// Reads the record; a missing one is empty, an unreadable one is an
    /// error (so `--update` never mistakes hand edits for imported values).
    pub fn read(site: &Path) -> Result<Record, Error> {
        let path = site.join(RECORD);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Record::default()),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let v: Value = serde_json::from_str(&text).map_err(|e| {
            Error::Usage(format!(
                "{} is not the record `annals import` writes ({e}); move it away to import afresh",
                path.display()
            ))
        })?;
        let mut events = BTreeMap::new();
        if let Some(m) = v.get("events").and_then(Value::as_object) {
            for (id, fields) in m {
                if let Some(f) = fields.as_object() {
                    events.insert(id.clone(), f.clone());
                }
            }
        }
        Ok(Record { events })
    }

    pub fn write(&self, site: &Path) -> Result<(), Error> {
        let path = site.join(RECORD);
        let v = serde_json::json!({
            "about": "Written by `annals import`: what it last wrote for each imported event (by imported_id), so that `annals import --update` can tell hand edits from imported values.",
            "events": self.events,
        });
        let text = serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
        std::fs::write(&path, text)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    }
}

fn to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        // Scalars compare as text: `2024` and `"2024"` are the same date.
        Yaml::Int(_) | Yaml::Float(_) | Yaml::Str(_) => {
            Value::String(y.scalar_text().unwrap_or_default())
        }
        Yaml::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// An event file's front-matter values and body, as compared by `--update`.
pub fn values(text: &str) -> Option<Map<String, Value>> {
    let file = SourceFile {
        rel: PathBuf::from("event.md"),
        shown: PathBuf::from("event.md"),
        bytes: text.as_bytes().to_vec(),
    };
    crate::source::parse::parse(&file)
        .ok()
        .map(|doc| values_of(&doc))
}

/// The values of a parsed event file (see [`values`]).
pub fn values_of(doc: &crate::source::parse::Document) -> Map<String, Value> {
    let mut out = Map::new();
    if let Yaml::Map(m) = &doc.front {
        for (k, v) in m {
            out.insert(k.clone(), to_json(v));
        }
    }
    out.insert(BODY.into(), Value::String(doc.body().trim().to_string()));
    out
}

/// The front matter's top-level blocks (`key`, its lines) and the body.
fn blocks(text: &str) -> Option<(Vec<(String, String)>, String)> {
    let text = text.replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n")?;
    let end = rest
        .find("\n---\n")
        .map(|i| (i, i + 5))
        .or_else(|| rest.strip_suffix("\n---").map(|r| (r.len(), rest.len())))?;
    let (yaml, body) = (&rest[..end.0], &rest[end.1.min(rest.len())..]);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in yaml.lines() {
        let starts = !line.starts_with([' ', '\t', '#', '-']) && line.contains(':');
        if starts || out.is_empty() {
            let key = if starts {
                line.split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\''])
                    .to_string()
            } else {
                String::new()
            };
            out.push((key, line.to_string()));
        } else if let Some(last) = out.last_mut() {
            last.1.push('\n');
            last.1.push_str(line);
        }
    }
    Some((out, body.to_string()))
}

/// The outcome of merging a new import into an existing file.
pub struct Merged {
    pub text: String,
    /// Fields edited by hand that the source changed too (kept as edited).
    pub conflicts: Vec<String>,
}

/// Merges `new_text` (what the import would write now) into `current`
/// (the file as it is), given what the last import wrote (`previous`,
/// None when unknown: then every difference counts as a hand edit).
pub fn merge(
    current: &str,
    new_text: &str,
    previous: Option<&Map<String, Value>>,
) -> Option<Merged> {
    let cur_values = values(current)?;
    let new_values = values(new_text)?;
    let (mut cur_blocks, cur_body) = blocks(current)?;
    let (new_blocks, new_body) = blocks(new_text)?;
    let mut keys: Vec<String> = new_blocks.iter().map(|(k, _)| k.clone()).collect();
    if let Some(p) = previous {
        let more: Vec<String> = p
            .keys()
            .filter(|k| *k != BODY && !keys.contains(k))
            .cloned()
            .collect();
        keys.extend(more);
    }
    keys.retain(|k| !k.is_empty());
    keys.push(BODY.into());
    let mut conflicts = Vec::new();
    let mut body = cur_body.clone();
    for key in keys {
        let cur = cur_values.get(&key);
        let new = new_values.get(&key);
        if cur == new {
            continue;
        }
        let prev = previous.map(|p| p.get(&key));
        let take = match prev {
            Some(prev) if prev == cur => true,
            Some(prev) if prev == new => false,
            _ => {
                conflicts.push(key.clone());
                false
            }
        };
        if !take {
            continue;
        }
        if key == BODY {
            body = new_body.clone();
            continue;
        }
        let new_block = new_blocks
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, b)| b.clone());
        match (cur_blocks.iter().position(|(k, _)| *k == key), new_block) {
            (Some(i), Some(b)) => cur_blocks[i].1 = b,
            (Some(i), None) => {
                cur_blocks.remove(i);
            }
            (None, Some(b)) => cur_blocks.push((key.clone(), b)),
            (None, None) => {}
        }
    }
    let yaml: Vec<&str> = cur_blocks.iter().map(|(_, b)| b.as_str()).collect();
    let mut text = format!("---\n{}\n---\n", yaml.join("\n"));
    text.push_str(&body);
    Some(Merged { text, conflicts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_hand_edits_and_takes_the_rest() {
        let old = "---\ntitle: \"A\"\nsummary: \"S\"\n---\nBody\n";
        let prev = values(old).expect("values");
        let edited = "---\n# mine\ntitle: \"A, edited\"\nsummary: S\nlocation: Here\n---\nBody\n";
        let new = "---\ntitle: \"B\"\nsummary: \"S2\"\n---\nBody 2\n";
        let m = merge(edited, new, Some(&prev)).expect("merge");
        assert_eq!(m.conflicts, ["title"]);
        assert_eq!(
            m.text,
            "---\n# mine\ntitle: \"A, edited\"\nsummary: \"S2\"\nlocation: Here\n---\nBody 2\n"
        );
    }
}
