//! `events.schema.json`: the JSON Schema (draft 2020-12) of `events.json`,
//! written from the field table in `schema`, so a field added there is
//! described here without another declaration.

use crate::content::schema::{EVENTS_JSON_KEYS, JsonKey};

/// Everything before the event's `required` list: the document, the site
/// object and the date object.
const HEAD: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://github.com/annals/annals/events.schema.json",
  "title": "annals events.json",
  "description": "Every event of an annals site with its front matter, date precision, resolved relations, URL and rendered HTML.",
  "type": "object",
  "required": ["version", "generator", "site", "periods", "events"],
  "properties": {
    "$schema": {"type": "string"},
    "version": {"const": 1},
    "generator": {"type": "string"},
    "site": {
      "type": "object",
      "required": ["title", "language", "url"],
      "properties": {
        "title": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "language": {"type": "string"},
        "url": {"type": "string", "description": "Absolute base URL, ending in /"}
      }
    },
    "periods": {"type": "array", "description": "Named spans of time (eras), sorted by start", "items": {"$ref": "#/$defs/period"}},
    "events": {"type": "array", "items": {"$ref": "#/$defs/event"}}
  },
  "$defs": {
    "period": {
      "type": "object",
      "required": ["slug", "title", "start", "end", "track", "description", "description_html"],
      "additionalProperties": false,
      "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "start": {"$ref": "#/$defs/date"},
        "end": {"oneOf": [{"$ref": "#/$defs/date"}, {"const": "ongoing"}], "description": "The end, or ongoing for a period still going on"},
        "track": {"type": ["string", "null"], "description": "The track the period belongs to; null for every track"},
        "description": {"type": ["string", "null"], "description": "Markdown as written"},
        "description_html": {"type": ["string", "null"]}
      }
    },
    "date": {
      "type": "object",
      "required": ["value", "precision", "start", "display"],
      "additionalProperties": false,
      "properties": {
        "value": {"type": "string", "description": "As written: YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time"},
        "precision": {"enum": ["year", "month", "day", "time"]},
        "start": {"type": "string", "format": "date-time", "description": "First instant of the period; UTC midnight when no time was written"},
        "display": {"type": "string", "description": "Reader-facing text, e.g. March 2025"}
      }
    },
    "event": {
      "type": "object",
      "additionalProperties": false,
"##;

const URL: &str = r#"{"type": "string", "format": "uri"}"#;

const RELATIONS: &str = r#"{
          "type": "array",
          "description": "Relations resolved both ways, with their labels (e.g. References, Referenced by)",
          "items": {
            "type": "object",
            "required": ["label", "events"],
            "properties": {"label": {"type": "string"}, "events": {"type": "array", "items": {"type": "string"}}}
          }
        }"#;

const HTML: &str = r#"{"type": "string", "description": "The rendered Markdown body, its relative addresses resolved against url"}"#;

/// The schema's text. Every key of an event is required, since
/// `events.json` writes each one (`null` when absent).
pub fn text() -> String {
    let keys = &*EVENTS_JSON_KEYS;
    let required: Vec<String> = keys.iter().map(|k| format!("\"{}\"", k.name())).collect();
    let properties: Vec<String> = keys
        .iter()
        .map(|k| {
            let schema = match k {
                JsonKey::Field(f) => f.json_schema(),
                JsonKey::Url => URL,
                JsonKey::Relations => RELATIONS,
                JsonKey::Html => HTML,
            };
            format!("        \"{}\": {schema}", k.name())
        })
        .collect();
    format!(
        "{HEAD}      \"required\": [{}],\n      \"properties\": {{\n{}\n      }}\n    }}\n  }}\n}}\n",
        required.join(", "),
        properties.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_json_and_describes_every_field() {
        let schema: serde_json::Value = serde_json::from_str(&super::text()).expect("valid JSON");
        let event = &schema["$defs"]["event"];
        for f in crate::content::schema::FIELDS {
            assert!(event["properties"].get(f.name).is_some(), "{}", f.name);
            assert!(
                event["required"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|k| k == f.name)),
                "{}",
                f.name
            );
        }
    }
}
