//! The event's front-matter fields, declared once: [`FIELDS`] says for each
//! field its name, type, whether it is required, its JSON Schema, its line
//! in `annals new`'s skeleton and where TimelineJS carries it. Validation
//! (known keys, required keys, reading of every generic field), the
//! template context, `events.json` and its schema, the TimelineJS export,
//! `annals import` and the skeleton all read this table.
//!
//! A field of a generic [`Shape`] (text, Markdown, bool, URL, list of
//! text, date) with [`Held::Extra`] needs nothing but its entry here: it is
//! read by [`read_generic`], kept in [`Event::extra`](crate::content::event::Event),
//! and every output writes it under its name. Fields with their own rules
//! ([`Shape::Custom`]) or a typed place in [`Event`](crate::content::event::Event)
//! are [`Held::Core`]; the outputs match on [`Core`] exhaustively, so a new
//! core field does not compile until each output handles it.

use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::values::dates::EventDate;
use std::sync::LazyLock;

/// How a field's value is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Non-empty text, trimmed.
    Text,
    /// Text in Markdown: kept as written, rendered to HTML for pages.
    Markdown,
    Bool,
    /// An http(s) address.
    Url,
    /// A list of non-empty texts (a single text counts as a list of one).
    TextList,
    /// A date at its written precision (`2024`, `2024-07`, `2024-07-28`, RFC 3339).
    Date,
    /// Read by its own code in `validate` (kinds, countries, sources…).
    Custom,
}

/// The fields with a typed place in [`Event`](crate::content::event::Event), each
/// written by its own code in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Core {
    Title,
    Date,
    EndDate,
    Approximate,
    Kind,
    Status,
    Location,
    Countries,
    Participants,
    Tracks,
    Tags,
    Summary,
    Sources,
    Quotes,
    Media,
    Related,
    Updated,
    Corrections,
    Slug,
    Draft,
}

/// Where a validated field's value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Core(Core),
    /// In the event's generic values, written by every output under its name.
    Extra,
}

/// What `annals new` writes for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skeleton {
    /// Nothing: the field is optional and its absence is the usual case.
    Absent,
    /// `name: <value>`; a value starting with a line break is a block.
    Value(&'static str),
    /// A value `annals new` works out from its arguments (title, date, kind).
    FromArgs,
    /// `# name: <example>`, a reminder that leaves the file valid.
    Commented,
}

/// Where `timelinejs.json` carries a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// In the slide's `annals` object, under the field's name.
    Annals,
    /// `text.headline`.
    Headline,
    /// `unique_id`.
    UniqueId,
}

/// One front-matter field of an event.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub held: Held,
    pub required: bool,
    /// What the field means, for readers of the skeleton and the docs.
    pub doc: &'static str,
    /// A valid value in YAML, for the skeleton's comments and the tests.
    pub example: &'static str,
    /// Its schema in `events.schema.json` as written there; empty means
    /// the schema of its shape ([`Field::json_schema`]).
    pub schema: &'static str,
    pub skeleton: Skeleton,
    pub timelinejs: Carried,
    /// Its key in the event page's template context.
    pub context_key: &'static str,
    /// Whether a translation (`<stem>.<lang>.md`) may give its own value;
    /// any other field a translation repeats must keep the original's.
    pub translatable: bool,
}

impl Field {
    /// A field kept in the event's generic values.
    const fn extra(
        name: &'static str,
        shape: Shape,
        doc: &'static str,
        example: &'static str,
    ) -> Field {
        Field {
            name,
            shape,
            held: Held::Extra,
            required: false,
            doc,
            example,
            schema: "",
            skeleton: Skeleton::Commented,
            timelinejs: Carried::Annals,
            context_key: name,
            translatable: false,
        }
    }

    const fn core(
        name: &'static str,
        shape: Shape,
        core: Core,
        doc: &'static str,
        example: &'static str,
    ) -> Field {
        Field {
            held: Held::Core(core),
            skeleton: Skeleton::Absent,
            ..Field::extra(name, shape, doc, example)
        }
    }

    const fn required(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }

    const fn schema(self, schema: &'static str) -> Field {
        Field { schema, ..self }
    }

    const fn skeleton(self, skeleton: Skeleton) -> Field {
        Field { skeleton, ..self }
    }

    const fn carried(self, timelinejs: Carried) -> Field {
        Field { timelinejs, ..self }
    }

    const fn translatable(self) -> Field {
        Field {
            translatable: true,
            ..self
        }
    }

    const fn context_key(self, context_key: &'static str) -> Field {
        Field {
            context_key,
            ..self
        }
    }

    /// Its JSON Schema fragment, as written in `events.schema.json`.
    pub fn json_schema(&self) -> &'static str {
        if !self.schema.is_empty() {
            return self.schema;
        }
        match (self.shape, self.required) {
            (Shape::Text | Shape::Markdown | Shape::Date, true) => r#"{"type": "string"}"#,
            (Shape::Text | Shape::Markdown, false) => r#"{"type": ["string", "null"]}"#,
            (Shape::Date, false) => {
                r#"{"type": ["string", "null"], "description": "As written: YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time"}"#
            }
            (Shape::Url, true) => r#"{"type": "string", "format": "uri"}"#,
            (Shape::Url, false) => r#"{"type": ["string", "null"], "format": "uri"}"#,
            (Shape::Bool, _) => r#"{"type": "boolean"}"#,
            (Shape::TextList, _) => r#"{"type": "array", "items": {"type": "string"}}"#,
            // A custom field always declares its schema (checked by a test).
            (Shape::Custom, _) => "{}",
        }
    }
}

/// Every front-matter field, in the order authors write them: the order of
/// "did you mean" hints, the skeleton and the TimelineJS `annals` object.
/// `events.json` follows it too (see [`events_json_keys`]).
pub const FIELDS: &[Field] = &[
    Field::core("title", Shape::Text, Core::Title, "The event's name as readers see it", "\"US–Japan 2+2 in Tokyo\"")
        .required()
        .skeleton(Skeleton::FromArgs)
        .carried(Carried::Headline)
        .translatable(),
    Field::core("date", Shape::Custom, Core::Date, "2024 | 2024-07 | 2024-07-28 | 2024-07-28T10:00:00+09:00", "2024-07-28")
        .required()
        .schema(r##"{"$ref": "#/$defs/date"}"##)
        .skeleton(Skeleton::FromArgs),
    Field::core("end_date", Shape::Custom, Core::EndDate, "Same forms as date, not before it; or `ongoing`", "2024-07-29")
        .schema(r##"{"oneOf": [{"type": "null"}, {"const": "ongoing"}, {"$ref": "#/$defs/date"}]}"##),
    Field::core("approximate", Shape::Bool, Core::Approximate, "true shows \"c. July 2024\"", "true"),
    Field::core("kind", Shape::Custom, Core::Kind, "A key of site.yaml `kinds`", "statement")
        .required()
        .schema(r#"{"type": "string"}"#)
        .skeleton(Skeleton::FromArgs),
    Field::core("status", Shape::Custom, Core::Status, "held (default) | announced | planned | cancelled", "planned")
        .schema(r#"{"enum": ["held", "announced", "planned", "cancelled"]}"#)
        .skeleton(Skeleton::Value("held")),
    Field::core("location", Shape::Custom, Core::Location, "Where it took place; or {name, native, native_lang} with the name in its own script", "{name: Tokyo, native: 東京, native_lang: ja}")
        .schema(LOCATION_SCHEMA)
        .translatable(),
    Field::core("countries", Shape::Custom, Core::Countries, "ISO 3166-1 alpha-2 codes, upper case", "[US, JP]")
        .schema(r#"{"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}}"#)
        .skeleton(Skeleton::Value("[]")),
    Field::core("participants", Shape::Custom, Core::Participants, "Names, or {name, role, country, native, native_lang}: native is the name in its own script, its language inferred from the script (Hangul ko, kana ja, Han ja on a Japanese site else zh) unless native_lang says it", "[{name: Yoon Suk Yeol, native: 윤석열, role: President of South Korea, country: KR}]")
        .schema(PARTICIPANTS_SCHEMA)
        .skeleton(Skeleton::Value("[]")),
    Field::core("tracks", Shape::Custom, Core::Tracks, "Keys of site.yaml `tracks`", "[us-japan]")
        .schema(r#"{"type": "array", "items": {"type": "string"}}"#),
    Field::core("tags", Shape::Custom, Core::Tags, "Free words; each gets a page", "[extended-deterrence]")
        .schema(r#"{"type": "array", "items": {"type": "string"}}"#)
        .skeleton(Skeleton::Value("[]")),
    Field::core("summary", Shape::Text, Core::Summary, "One or two plain sentences", "\"The ministers meet in Tokyo.\"")
        .required()
        .skeleton(Skeleton::FromArgs)
        .translatable(),
    Field::core("sources", Shape::Custom, Core::Sources, "At least one unless draft: {title, publisher, url, date, archive_url, reliability: primary | official | press | analysis}", "[{title: Joint Statement, publisher: U.S. Department of Defense, url: \"https://example.org/statement\", date: 2024-07-28, archive_url: \"https://web.archive.org/example\", reliability: primary}]")
        .schema(SOURCES_SCHEMA)
        // A placeholder the writer must replace (`placeholders`).
        .skeleton(Skeleton::FromArgs),
    Field::core("quotes", Shape::Custom, Core::Quotes, "{text, speaker, source: index into sources from 0}", "[{text: \"We meet again.\", speaker: Lloyd Austin, source: 0}]")
        .schema(QUOTES_SCHEMA),
    Field::core("media", Shape::Custom, Core::Media, "{src, alt, caption, credit, kind}: a file beside the event, /path in static/, or an https:// address; kind image | video | audio | embed, worked out from the extension or host when left out; alt required for images", "[{src: \"https://example.org/venue-map.png\", alt: \"Map of the venue\", caption: The venue, credit: Jane Doe}]")
        .schema(crate::content::media::JSON_SCHEMA),
    Field::core("related", Shape::Custom, Core::Related, "{event: <slug>, relation: references}", "[{event: other-event, relation: references}]")
        .schema(RELATED_SCHEMA)
        .context_key("relations"),
    Field::core("updated", Shape::Date, Core::Updated, "When the event was last changed (same forms as date); default: the date of the last commit of its file when the site is in git", "2025-03-03")
        .schema(UPDATED_SCHEMA),
    Field::core("corrections", Shape::Custom, Core::Corrections, "{date, text}: what was corrected and when, text in Markdown; newest counts as an update", "[{date: 2025-03-03, text: \"The meeting was in Tokyo, not Osaka.\"}]")
        .schema(CORRECTIONS_SCHEMA),
    Field::core("slug", Shape::Custom, Core::Slug, "Default: the file name without .md", "custom-slug")
        .schema(r#"{"type": "string", "pattern": "^[a-z0-9-]+$"}"#)
        .carried(Carried::UniqueId),
    Field::core("draft", Shape::Bool, Core::Draft, "true leaves the event out of builds without --drafts", "true")
        // A new event is a draft until its placeholders are replaced.
        .skeleton(Skeleton::Value("true")),
    Field::extra("imported_id", Shape::Text, "Written by `annals import`: the TimelineJS entry this event came from, so a re-run recognises it", "\"ministers-meet\"")
        .skeleton(Skeleton::Absent),
];

const PARTICIPANTS_SCHEMA: &str = r#"{
          "type": "array",
          "items": {
            "type": "object",
            "required": ["name", "role", "country", "native", "native_lang"],
            "properties": {
              "name": {"type": "string"},
              "role": {"type": ["string", "null"]},
              "country": {"type": ["string", "null"]},
              "native": {"type": ["string", "null"], "description": "The name in its own script"},
              "native_lang": {"type": ["string", "null"], "description": "The language tag of native, written or inferred from its script"}
            }
          }
        }"#;

/// A place as written: its name, or the name with its native-script form.
const LOCATION_SCHEMA: &str = r#"{
          "oneOf": [
            {"type": ["string", "null"]},
            {
              "type": "object",
              "required": ["name", "native", "native_lang"],
              "properties": {
                "name": {"type": "string"},
                "native": {"type": "string", "description": "The name in its own script"},
                "native_lang": {"type": "string", "description": "The language tag of native, written or inferred from its script"}
              }
            }
          ]
        }"#;

const SOURCES_SCHEMA: &str = r#"{
          "type": "array",
          "items": {
            "type": "object",
            "required": ["title", "publisher", "url", "date", "archive_url", "reliability"],
            "properties": {
              "title": {"type": "string"},
              "publisher": {"type": ["string", "null"]},
              "url": {"type": ["string", "null"]},
              "date": {"type": ["string", "null"]},
              "archive_url": {"type": ["string", "null"]},
              "reliability": {"enum": ["primary", "official", "press", "analysis", null], "description": "primary document, official statement, press report or analysis"}
            }
          }
        }"#;

const UPDATED_SCHEMA: &str = r#"{"type": ["string", "null"], "description": "When the event was last changed, YYYY-MM-DD or as written: `updated` from the front matter, else the date of the last commit of its file when the site is in git; never before its latest correction"}"#;

const CORRECTIONS_SCHEMA: &str = r#"{
          "type": "array",
          "description": "As written, in the order written",
          "items": {
            "type": "object",
            "required": ["date", "text", "html"],
            "properties": {
              "date": {"type": "string"},
              "text": {"type": "string", "description": "Markdown as written"},
              "html": {"type": "string"}
            }
          }
        }"#;

const QUOTES_SCHEMA: &str = r#"{
          "type": "array",
          "items": {
            "type": "object",
            "required": ["text", "speaker", "source"],
            "properties": {
              "text": {"type": "string"},
              "speaker": {"type": "string"},
              "source": {"type": ["integer", "null"], "minimum": 0, "description": "Index into sources"}
            }
          }
        }"#;

const RELATED_SCHEMA: &str = r#"{
          "type": "array",
          "description": "Relations as written in this event's front matter",
          "items": {
            "type": "object",
            "required": ["event", "relation"],
            "properties": {"event": {"type": "string"}, "relation": {"type": "string"}}
          }
        }"#;

/// Keys only a translation may have: `translator`, the credit of this
/// file (over the edition's `translator` in `site.yaml`).
pub const TRANSLATION_KEYS: &[&str] = &["translator"];

/// The front-matter keys of a page of `content/pages/`.
pub const PAGE_KEYS: &[&str] = &["title", "description", "slug", "draft"];

/// The keys of [`PAGE_KEYS`] a page's translation may give its own value of.
pub const PAGE_TRANSLATABLE: &[&str] = &["title", "description"];

/// The field named `name`.
pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

/// Every field name, in table order (for unknown-key hints).
pub static NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| FIELDS.iter().map(|f| f.name).collect());

/// The names of the required fields.
pub fn required() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().filter(|f| f.required).map(|f| f.name)
}

/// A key of an event in `events.json`: a field, or a value worked out by
/// the build.
#[derive(Debug, Clone, Copy)]
pub enum JsonKey {
    Field(&'static Field),
    /// The event page's absolute URL.
    Url,
    /// Relations resolved both ways, with their labels.
    Relations,
    /// The rendered body.
    Html,
}

/// The keys of an event in `events.json`, in order: `slug` and `url`
/// lead, `relations` follows `related`, `html` ends; the other fields keep
/// table order.
pub static EVENTS_JSON_KEYS: LazyLock<Vec<JsonKey>> = LazyLock::new(|| {
    let mut keys: Vec<JsonKey> = FIELDS
        .iter()
        .filter(|f| f.held == Held::Core(Core::Slug))
        .map(JsonKey::Field)
        .collect();
    keys.push(JsonKey::Url);
    for f in FIELDS.iter().filter(|f| f.held != Held::Core(Core::Slug)) {
        keys.push(JsonKey::Field(f));
        if f.held == Held::Core(Core::Related) {
            keys.push(JsonKey::Relations);
        }
    }
    keys.push(JsonKey::Html);
    keys
});

impl JsonKey {
    pub fn name(&self) -> &'static str {
        match self {
            JsonKey::Field(f) => f.name,
            JsonKey::Url => "url",
            JsonKey::Relations => "relations",
            JsonKey::Html => "html",
        }
    }
}

/// A generic field's validated value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// As written, and rendered (sanitised unless the site allows raw HTML).
    Markdown {
        text: String,
        html: String,
    },
    Bool(bool),
    Url(String),
    TextList(Vec<String>),
    Date(EventDate),
}

impl Value {
    /// The value as `events.json` and the TimelineJS `annals` object hold
    /// it: the text as written for Markdown, the date as written.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Text(s) | Value::Url(s) | Value::Markdown { text: s, .. } => s.as_str().into(),
            Value::Bool(b) => (*b).into(),
            Value::TextList(items) => items.as_slice().into(),
            Value::Date(d) => d.machine().into(),
        }
    }
}

/// What an absent field reads as in `events.json` and the template context:
/// `false`, an empty list, or `null`.
pub fn absent_json(shape: Shape) -> serde_json::Value {
    match shape {
        Shape::Bool => false.into(),
        Shape::TextList => serde_json::Value::Array(Vec::new()),
        _ => serde_json::Value::Null,
    }
}

/// The generic values of an event, in table order; absent fields have none.
#[derive(Debug, Clone, Default)]
pub struct Values(Vec<(&'static Field, Value)>);

impl Values {
    /// No values.
    pub const EMPTY: Values = Values(Vec::new());

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Values read back from the parse cache, already in table order.
    pub fn from_pairs(pairs: Vec<(&'static Field, Value)>) -> Values {
        Values(pairs)
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(f, _)| f.name == name).map(|(_, v)| v)
    }

    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static Field, &Value)> {
        self.0.iter().map(|(f, v)| (*f, v))
    }

    /// Removes and returns the value of a core field read generically.
    fn take(&mut self, core: Core) -> Option<Value> {
        let i = self
            .0
            .iter()
            .position(|(f, _)| f.held == Held::Core(core))?;
        Some(self.0.remove(i).1)
    }

    pub fn take_text(&mut self, core: Core) -> Option<String> {
        match self.take(core)? {
            Value::Text(s) | Value::Url(s) | Value::Markdown { text: s, .. } => Some(s),
            _ => None,
        }
    }

    pub fn take_date(&mut self, core: Core) -> Option<EventDate> {
        match self.take(core)? {
            Value::Date(d) => Some(d),
            _ => None,
        }
    }

    pub fn take_bool(&mut self, core: Core) -> Option<bool> {
        match self.take(core)? {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// What is left once the core fields are taken: the extra fields.
    pub fn into_extra(self) -> Values {
        Values(
            self.0
                .into_iter()
                .filter(|(f, _)| f.held == Held::Extra)
                .collect(),
        )
    }
}

/// Reads every field of a generic shape present in `map`, recording a
/// diagnostic for each bad value.
pub fn read_generic(c: &mut Checker, map: &[(String, Yaml)], unsafe_html: bool) -> Values {
    let mut out = Vec::new();
    for f in FIELDS {
        let Some((_, v)) = map.iter().find(|(k, _)| k == f.name) else {
            continue;
        };
        let p = [Seg::Key(f.name)];
        let value =
            match f.shape {
                Shape::Custom => continue,
                Shape::Text => c.text(v, &p).map(Value::Text),
                Shape::Bool => c.boolean(v, &p).map(Value::Bool),
                Shape::Url => c.http_url(v, &p).map(Value::Url),
                Shape::Date => c.date(v, &p).map(Value::Date),
                Shape::TextList => {
                    let mut items = Vec::new();
                    for (i, item) in c.list(v, &p).into_iter().enumerate() {
                        if let Some(t) = c.text(item, &[Seg::Key(f.name), Seg::Index(i)]) {
                            items.push(t);
                        }
                    }
                    Some(Value::TextList(items))
                }
                Shape::Markdown => c.text(v, &p).and_then(|text| {
                    match crate::content::markdown::render(&text, unsafe_html) {
                        Ok(html) => Some(Value::Markdown { text, html }),
                        Err(_) => {
                            c.at_value(&p, format!("`{}` nests elements too deep", f.name))
                                .hint = Some("write plain sentences here".into());
                            None
                        }
                    }
                }),
            };
        if let Some(value) = value {
            out.push((f, value));
        }
    }
    Values(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_custom_fields_are_core_with_a_schema() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[..i].iter().all(|g| g.name != f.name),
                "{} declared twice",
                f.name
            );
            if f.shape == Shape::Custom {
                assert!(matches!(f.held, Held::Core(_)), "{} has no reader", f.name);
                assert!(!f.schema.is_empty(), "{} has no JSON Schema", f.name);
            }
        }
    }

    #[test]
    fn extra_fields_do_not_shadow_context_or_export_keys() {
        // Keys the event page context and events.json already use.
        let taken = [
            "url",
            "when",
            "year",
            "ongoing",
            "body_html",
            "relations",
            "previous",
            "next",
            "html",
            "thumbnail",
            "has_embeds",
        ];
        for f in FIELDS.iter().filter(|f| f.held == Held::Extra) {
            assert!(!taken.contains(&f.name), "{} is already a key", f.name);
        }
    }

    #[test]
    fn events_json_keys_cover_every_field_once() {
        let names: Vec<&str> = EVENTS_JSON_KEYS.iter().map(JsonKey::name).collect();
        for f in FIELDS {
            assert_eq!(names.iter().filter(|n| **n == f.name).count(), 1);
        }
        assert_eq!(names.first(), Some(&"slug"));
        assert_eq!(names.last(), Some(&"html"));
    }
}
