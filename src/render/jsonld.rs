//! An event page's structured data: a schema.org `Event` as JSON-LD, for
//! search engines and other readers of `<script type="application/ld+json">`.
//!
//! The context is written inline (`@vocab` schema.org, with the few
//! properties whose values are addresses typed `@id`, as schema.org's own
//! context types them) rather than as the remote `https://schema.org`
//! context: any JSON-LD processor then reads the data without fetching
//! anything, and it expands to the same schema.org terms.
//!
//! Only what the event says is claimed: dates at the precision written,
//! no organiser (no field names one), and a `planned` event, for which
//! schema.org has no status, gets none. What belongs to the page rather
//! than the event (its sources as `citation`, the site it is part of, its
//! last change) is on the `WebPage` the event is the main entity of, as
//! schema.org defines those properties for creative works only.

use crate::content::event::{Event, Status};
use crate::content::media::MediaKind;
use crate::model::Site;
use crate::urls;
use crate::values::dates::EndDate;
use crate::values::taxonomy::TaxonomyKind;
use serde_json::{Map, Value, json};

/// What the page knows that the event does not.
pub struct PageFacts<'a> {
    /// The event page's absolute address.
    pub url: &'a str,
    /// When the page's content last changed (`dateModified`), as a machine
    /// date; `None` while events record no such date.
    pub modified: Option<&'a str>,
    /// The page's language: a name in its own script is the `name` when
    /// the page is in its language, else an `alternateName`.
    pub lang: &'a str,
}

/// Puts `name` and, when there is one, its native-script form on `thing`:
/// the form the page shows first is the `name`, the other the
/// `alternateName`; the native form carries its language (`@language`).
fn names(
    thing: &mut Map<String, Value>,
    name: &str,
    native: Option<&crate::content::native::Native>,
    lang: &str,
) {
    let Some(n) = native else {
        thing.insert("name".into(), name.into());
        return;
    };
    let tagged = json!({"@value": n.text, "@language": n.lang});
    let (first, other) = if crate::content::native::is_page_lang(&n.lang, lang) {
        (tagged, Value::from(name))
    } else {
        (Value::from(name), tagged)
    };
    thing.insert("name".into(), first);
    thing.insert("alternateName".into(), other);
}

/// The JSON-LD of `e`'s page, ready to be put in a `<script>` element
/// (see [`script_safe`]). Addresses are under `base` (absolute).
pub fn event(site: &Site, base: &str, e: &Event, page: &PageFacts) -> String {
    let mut event = Map::new();
    event.insert(
        "@context".into(),
        json!({
            "@vocab": "https://schema.org/",
            "url": {"@type": "@id"},
            "image": {"@type": "@id"},
            "archivedAt": {"@type": "@id"},
            "eventStatus": {"@type": "@vocab"},
        }),
    );
    event.insert("@type".into(), "Event".into());
    event.insert("@id".into(), format!("{}#event", page.url).into());
    event.insert("name".into(), e.title.as_str().into());
    event.insert("description".into(), e.summary.as_str().into());
    event.insert("startDate".into(), e.date.machine().into());
    if let Some(EndDate::On(end)) = &e.end_date {
        event.insert("endDate".into(), end.machine().into());
    }
    let status = match e.status {
        Status::Held | Status::Announced => Some("https://schema.org/EventScheduled"),
        Status::Cancelled => Some("https://schema.org/EventCancelled"),
        Status::Planned => None,
    };
    if let Some(status) = status {
        event.insert("eventStatus".into(), status.into());
    }
    if let Some(location) = &e.location {
        let mut place = Map::new();
        place.insert("@type".into(), "Place".into());
        names(&mut place, location, e.location_native.as_ref(), page.lang);
        event.insert("location".into(), Value::Object(place));
    }
    let performers: Vec<Value> = e
        .participants
        .iter()
        .map(|p| {
            let mut person = Map::new();
            person.insert("@type".into(), "Person".into());
            let native = crate::render::views::person_native(site, p);
            names(&mut person, &p.name, native, page.lang);
            if let Some(role) = &p.role {
                person.insert("jobTitle".into(), role.as_str().into());
            }
            if let Some(country) = &p.country {
                person.insert(
                    "nationality".into(),
                    json!({"@type": "Country", "name": site.config.country_label(country), "identifier": country}),
                );
            }
            Value::Object(person)
        })
        .collect();
    if !performers.is_empty() {
        event.insert("performer".into(), performers.into());
    }
    event.insert("url".into(), page.url.into());
    let image = e
        .media
        .iter()
        .find(|m| m.kind == MediaKind::Image && m.is_local());
    if let Some(m) = image {
        let url = crate::media::address::main(site, e, m).under(base);
        event.insert("image".into(), url.into());
    }
    let tags = site.taxonomy(TaxonomyKind::Tags);
    let keywords: Vec<Value> = e
        .tag_ids
        .iter()
        .filter_map(|id| tags.term(id).map(|t| t.label.as_str().into()))
        .collect();
    if !keywords.is_empty() {
        event.insert("keywords".into(), keywords.into());
    }
    let tracks = site.taxonomy(TaxonomyKind::Tracks);
    let about: Vec<Value> = e
        .tracks
        .iter()
        .filter_map(|id| tracks.term(id))
        .map(|t| {
            json!({
                "@type": "Thing",
                "name": t.label,
                "url": urls::under(base, &urls::term(TaxonomyKind::Tracks.key(), &t.slug)),
            })
        })
        .collect();
    if !about.is_empty() {
        event.insert("about".into(), about.into());
    }
    event.insert("inLanguage".into(), site.config.language.as_str().into());
    event.insert("mainEntityOfPage".into(), web_page(site, base, e, page));
    script_safe(&Value::Object(event).to_string())
}

/// The page that shows the event: its site, its sources, its last change.
fn web_page(site: &Site, base: &str, e: &Event, page: &PageFacts) -> Value {
    let mut web = Map::new();
    web.insert("@type".into(), "WebPage".into());
    web.insert("@id".into(), page.url.into());
    web.insert("url".into(), page.url.into());
    web.insert("name".into(), e.title.as_str().into());
    web.insert("inLanguage".into(), site.config.language.as_str().into());
    web.insert(
        "isPartOf".into(),
        json!({
            "@type": "WebSite",
            "name": site.config.title,
            "url": urls::under(base, urls::HOME),
        }),
    );
    if let Some(modified) = page.modified {
        web.insert("dateModified".into(), modified.into());
    }
    let citations: Vec<Value> = e
        .sources
        .iter()
        .map(|s| {
            let mut work = Map::new();
            work.insert("@type".into(), "CreativeWork".into());
            work.insert("name".into(), s.title.as_str().into());
            if let Some(publisher) = &s.publisher {
                work.insert(
                    "publisher".into(),
                    json!({"@type": "Organization", "name": publisher}),
                );
            }
            if let Some(url) = &s.url {
                work.insert("url".into(), url.as_str().into());
            }
            if let Some(date) = &s.date {
                work.insert("datePublished".into(), date.machine().into());
            }
            if let Some(archive) = &s.archive_url {
                work.insert("archivedAt".into(), archive.as_str().into());
            }
            Value::Object(work)
        })
        .collect();
    if !citations.is_empty() {
        web.insert("citation".into(), citations.into());
    }
    Value::Object(web)
}

/// `json` safe inside a `<script>` element whatever its strings hold:
/// `<`, `>` and `&` (which could close the element or open a comment) and
/// the two line separators JavaScript refuses in strings become `\u`
/// escapes, which every JSON reader turns back into the same characters.
/// They can only occur inside strings, where such escapes are valid.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_a_string_can_close_the_script() {
        let json = Value::from("</script><!-- & \u{2028}").to_string();
        let safe = script_safe(&json);
        assert!(!safe.contains(['<', '>', '&']));
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, Value::from("</script><!-- & \u{2028}"));
    }
}
