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
use serde::Serialize;

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

// The structs below are written straight to JSON. Their fields are in
// byte order of their names, as a JSON object's keys are sorted here, so
// the output stays stable whatever order the code sets them in.

/// A name as a plain string, or in its own script with its language.
#[derive(Serialize)]
#[serde(untagged)]
enum Name<'a> {
    Plain(&'a str),
    Tagged {
        #[serde(rename = "@language")]
        language: &'a str,
        #[serde(rename = "@value")]
        value: &'a str,
    },
}

/// `name` and, when there is a native-script form, `alternateName`: the
/// form the page shows first is the `name`, the other the `alternateName`.
fn names<'a>(
    name: &'a str,
    native: Option<&'a crate::content::native::Native>,
    lang: &str,
) -> (Name<'a>, Option<Name<'a>>) {
    let Some(n) = native else {
        return (Name::Plain(name), None);
    };
    let tagged = Name::Tagged {
        language: &n.lang,
        value: &n.text,
    };
    if crate::content::native::is_page_lang(&n.lang, lang) {
        (tagged, Some(Name::Plain(name)))
    } else {
        (Name::Plain(name), Some(tagged))
    }
}

#[derive(Serialize)]
struct Typed {
    #[serde(rename = "@type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Context {
    #[serde(rename = "@vocab")]
    vocab: &'static str,
    #[serde(rename = "archivedAt")]
    archived_at: Typed,
    #[serde(rename = "eventStatus")]
    event_status: Typed,
    image: Typed,
    url: Typed,
}

/// An event's JSON-LD before it is written: a rebuild takes an event
/// page's fingerprint from it (see `pages::EventParts`) without writing it.
#[derive(Serialize)]
pub struct EventLd<'a> {
    #[serde(rename = "@context")]
    context: Context,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Thing<'a>>,
    description: &'a str,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(rename = "eventStatus", skip_serializing_if = "Option::is_none")]
    event_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Named<'a>>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: WebPage<'a>,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    performer: Vec<Person<'a>>,
    #[serde(rename = "startDate")]
    start_date: String,
    url: &'a str,
}

/// A `Place` (or anything else) with a name and maybe an alternate one.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<Name<'a>>,
    name: Name<'a>,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<Name<'a>>,
    #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: Name<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<Country<'a>>,
}

#[derive(Serialize)]
struct Country<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    identifier: &'a str,
    name: String,
}

/// A track the event is about, or the site the page is part of.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Work>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: Thing<'a>,
    name: &'a str,
    url: &'a str,
}

/// A source, as a `CreativeWork`: made from the event's sources as they
/// are unpacked (see [`crate::content::event::Cited`]), so it holds its
/// texts.
#[derive(Serialize)]
struct Work {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "archivedAt", skip_serializing_if = "Option::is_none")]
    archived_at: Option<Box<str>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    name: Box<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Box<str>>,
}

#[derive(Serialize)]
struct Organization {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: std::sync::Arc<str>,
}

/// `ld` as JSON ready to be put in a `<script>` element (see
/// [`script_safe`]).
pub fn text(ld: &EventLd) -> String {
    script_safe(&serde_json::to_string(ld).unwrap_or_default())
}

/// The JSON-LD of `e`'s page (written by [`text`]). Addresses are under
/// `base` (absolute).
pub fn event_ld<'a>(site: &'a Site, base: &str, e: &'a Event, page: &PageFacts<'a>) -> EventLd<'a> {
    let id_type = || Typed { kind: "@id" };
    let event_status = match e.status {
        Status::Held | Status::Announced => Some("https://schema.org/EventScheduled"),
        Status::Cancelled => Some("https://schema.org/EventCancelled"),
        Status::Planned => None,
    };
    let location = e.location.as_deref().map(|location| {
        let (name, alternate_name) = names(location, e.location_native(), page.lang);
        Named {
            kind: "Place",
            alternate_name,
            name,
        }
    });
    let performer = e
        .participants
        .iter()
        .map(|p| {
            let native = crate::render::views::person_native(site, p);
            let (name, alternate_name) = names(&p.name, native, page.lang);
            Person {
                kind: "Person",
                alternate_name,
                job_title: p.role.as_deref(),
                name,
                nationality: p.country.as_deref().map(|country| Country {
                    kind: "Country",
                    identifier: country,
                    name: site.config.country_label(country),
                }),
            }
        })
        .collect();
    let image = e
        .media()
        .iter()
        .find(|m| m.kind == MediaKind::Image && m.is_local())
        .map(|m| crate::media::address::main(site, e, m).under(base));
    let tags = site.taxonomy(TaxonomyKind::Tags);
    let keywords = e
        .tags
        .iter()
        .filter_map(|t| tags.term(&t.id).map(|t| t.label.as_str()))
        .collect();
    let tracks = site.taxonomy(TaxonomyKind::Tracks);
    let about = e
        .tracks
        .iter()
        .filter_map(|id| tracks.term(id))
        .map(|t| Thing {
            kind: "Thing",
            name: &t.label,
            url: urls::under(base, &urls::term(TaxonomyKind::Tracks.key(), &t.slug)),
        })
        .collect();
    EventLd {
        context: Context {
            vocab: "https://schema.org/",
            archived_at: id_type(),
            event_status: Typed { kind: "@vocab" },
            image: id_type(),
            url: id_type(),
        },
        id: format!("{}#event", page.url),
        kind: "Event",
        about,
        description: &e.summary,
        end_date: match &e.end_date() {
            Some(EndDate::On(end)) => Some(end.machine()),
            _ => None,
        },
        event_status,
        image,
        in_language: &site.config.language,
        keywords,
        location,
        main_entity_of_page: web_page(site, base, e, page),
        name: &e.title,
        performer,
        start_date: e.date.machine(),
        url: page.url,
    }
}

/// The page that shows the event: its site, its sources, its last change.
fn web_page<'a>(site: &'a Site, base: &str, e: &'a Event, page: &PageFacts<'a>) -> WebPage<'a> {
    WebPage {
        id: page.url,
        kind: "WebPage",
        citation: e
            .sources()
            .into_iter()
            .map(|s| Work {
                kind: "CreativeWork",
                archived_at: s.archive_url,
                date_published: s.date.as_ref().map(|d| d.machine()),
                name: s.title,
                publisher: s.publisher.map(|name| Organization {
                    kind: "Organization",
                    name,
                }),
                url: s.url,
            })
            .collect(),
        date_modified: page.modified,
        in_language: &site.config.language,
        is_part_of: Thing {
            kind: "WebSite",
            name: &site.config.title,
            url: urls::under(base, urls::HOME),
        },
        name: &e.title,
        url: page.url,
    }
}

/// `json` safe inside a `<script>` element whatever its strings hold:
/// `<`, `>` and `&` (which could close the element or open a comment) and
/// the two line separators JavaScript refuses in strings become `\u`
/// escapes, which every JSON reader turns back into the same characters.
/// They can only occur inside strings, where such escapes are valid.
pub fn script_safe(json: &str) -> String {
    // Copies the runs between escapes whole: a page's JSON-LD is a few KB,
    // and pushing it a character at a time was a visible share of a build.
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 16);
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let escape = match bytes[i] {
            b'<' => Some(("\\u003c", 1)),
            b'>' => Some(("\\u003e", 1)),
            b'&' => Some(("\\u0026", 1)),
            // U+2028 and U+2029 in UTF-8.
            0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0xA8) => Some(("\\u2028", 3)),
                Some(0xA9) => Some(("\\u2029", 3)),
                _ => None,
            },
            _ => None,
        };
        let Some((escape, len)) = escape else {
            i += 1;
            continue;
        };
        // `start` and `i` are at character boundaries: an escape starts
        // with an ASCII byte or a lead byte and ends after its character.
        out.push_str(json.get(start..i).unwrap_or_default());
        out.push_str(escape);
        i += len;
        start = i;
    }
    out.push_str(json.get(start..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn nothing_in_a_string_can_close_the_script() {
        let json = Value::from("</script><!-- & \u{2028}").to_string();
        let safe = script_safe(&json);
        assert!(!safe.contains(['<', '>', '&']));
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, Value::from("</script><!-- & \u{2028}"));
        let mixed = Value::from("a\u{2029}é<日本>\u{2027}&").to_string();
        let safe = script_safe(&mixed);
        assert!(!safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']));
        assert!(safe.contains("é") && safe.contains("日本") && safe.contains('\u{2027}'));
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back.to_string(), mixed);
    }
}
