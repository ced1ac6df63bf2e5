//! Periods (eras): named spans of time such as a term of office, a crisis
//! or a round of talks. Owns the period record and the rules of its keys,
//! shared by the two places a period is written: `periods:` in `site.yaml`
//! (a list of mappings, read here) and the front matter of
//! `content/periods/<slug>.md` (read by `content::period` through
//! [`read_fields`]). Dates follow the event's rules (`values::dates`).

use crate::diagnostic::Located;
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::values::dates::EventDate;
use crate::values::slug;

/// A named span of time, as declared.
#[derive(Debug, Clone)]
pub struct Period {
    pub title: String,
    /// Unique among all periods; from `slug:`, the file name, or the title.
    pub slug: String,
    pub start: EventDate,
    /// `None`: the period is still going on.
    pub end: Option<EventDate>,
    /// A declared track the period belongs to; `None`: every track.
    pub track: Option<String>,
    /// The description as Markdown (`description:` or a file's body).
    pub description: Option<String>,
    /// The description rendered, filled by the content stage.
    pub description_html: Option<String>,
    /// The TimelineJS era it was imported from, so a re-run knows it.
    pub imported_id: Option<String>,
    /// Where the slug is (or the period begins), for duplicate-slug errors.
    pub at: Located,
}

impl Period {
    /// Whether a date lies within the period (an ongoing one has no end).
    pub fn contains(&self, d: &EventDate) -> bool {
        d.sort_key() >= self.start.sort_key()
            && self.end.as_ref().is_none_or(|e| !e.ends_before_start_of(d))
    }

    /// Whether the period touches the year `year`.
    pub fn overlaps_year(&self, year: i32) -> bool {
        self.start.year <= year && self.end.as_ref().is_none_or(|e| e.year >= year)
    }

    /// Whether the period touches the stretch from `from` (inclusive)
    /// to `until` (exclusive); `None` is open on that side.
    pub fn overlaps(&self, from: Option<&EventDate>, until: Option<&EventDate>) -> bool {
        let starts_in_time = until.is_none_or(|u| self.start.sort_key() < u.sort_key());
        let lasts_long_enough = match (from, &self.end) {
            (Some(f), Some(end)) => !end.ends_before_start_of(f),
            _ => true,
        };
        starts_in_time && lasts_long_enough
    }

    /// Whether the period applies to an event with these tracks.
    pub fn applies_to<S: AsRef<str>>(&self, tracks: &[S]) -> bool {
        self.track
            .as_ref()
            .is_none_or(|t| tracks.iter().any(|x| x.as_ref() == t))
    }
}

/// The keys of a period in `site.yaml`.
pub const CONFIG_KEYS: &[&str] = &["title", "slug", "start", "end", "track", "description"];

/// The keys of a period file's front matter (the body is the description).
pub const FILE_KEYS: &[&str] = &[
    "title",
    "slug",
    "start",
    "end",
    "track",
    "description",
    "imported_id",
];

const HINT: &str = "write `- {title: Second round of talks, start: 2024-03, end: 2024-06}`";

/// Reads `periods:` of `site.yaml`: a list of mappings.
pub fn read_list(c: &mut Checker, value: &Yaml, tracks: &[String]) -> Vec<Period> {
    let items: &[Yaml] = match value {
        Yaml::Seq(items) => items,
        Yaml::Null => &[],
        other => {
            c.at_value(
                &[Seg::Key("periods")],
                format!("`periods` must be a list, found {}", other.type_name()),
            )
            .hint = Some(HINT.into());
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let path = [Seg::Key("periods"), Seg::Index(n)];
        let Some(map) = c.map(item, &path, "a period") else {
            if let Some(d) = c.diagnostics.last_mut() {
                d.hint = Some(HINT.into());
            }
            continue;
        };
        c.check_keys(map, CONFIG_KEYS, &path, "a period");
        if let Some(p) = read_fields(c, map, &path, tracks, None) {
            out.push(p);
        }
    }
    out
}

fn field<'m>(map: &'m [(String, Yaml)], key: &str) -> Option<&'m Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Reads one period's keys from `map`, which sits at `at` in its document
/// (`[]` for a file's front matter). `file_slug` is the slug a file's name
/// gives; without one, the slug comes from the title. Unknown keys are
/// the caller's to check (the two places allow different keys).
pub fn read_fields(
    c: &mut Checker,
    map: &[(String, Yaml)],
    at: &[Seg],
    tracks: &[String],
    file_slug: Option<(String, Located)>,
) -> Option<Period> {
    let sub = |key: &'static str| {
        let mut p = at.to_vec();
        p.push(Seg::Key(key));
        p
    };
    let missing = |c: &mut Checker, key: &str, example: &str| {
        let d = if at.is_empty() {
            c.at_top(format!("a period needs `{key}`"))
        } else {
            c.at_key(at, format!("this period has no `{key}`"))
        };
        d.hint = Some(format!("add `{key}: {example}`"));
    };
    let title = match field(map, "title") {
        Some(v) => c.text(v, &sub("title")),
        None => {
            missing(c, "title", "Second round of talks");
            None
        }
    };
    let start = match field(map, "start") {
        Some(v) => c.date(v, &sub("start")),
        None => {
            missing(c, "start", "2024-03");
            None
        }
    };
    let end = field(map, "end").and_then(|v| c.date(v, &sub("end")));
    if let (Some(s), Some(e)) = (&start, &end)
        && e.ends_before_start_of(s)
    {
        c.at_value(
            &sub("end"),
            format!(
                "the period ends ({}) before it starts ({})",
                e.machine(),
                s.machine()
            ),
        )
        .hint =
            Some("swap `start` and `end`, or leave `end` out for a period still going on".into());
    }
    let track = field(map, "track").and_then(|v| {
        let t = c.text(v, &sub("track"))?;
        if tracks.contains(&t) {
            return Some(t);
        }
        let known: Vec<&str> = tracks.iter().map(String::as_str).collect();
        c.at_value(&sub("track"), format!("unknown track `{t}`"))
            .hint = Some(if known.is_empty() {
            "declare it under `tracks:` in site.yaml first".into()
        } else {
            crate::diagnostic::suggestion(&t, &known)
        });
        None
    });
    let description = field(map, "description").and_then(|v| c.text(v, &sub("description")));
    let imported_id = field(map, "imported_id").and_then(|v| c.text(v, &sub("imported_id")));
    let (slug, slug_at) = match field(map, "slug") {
        Some(v) => {
            let s = c.text(v, &sub("slug"))?;
            if !slug::is_valid(&s) {
                let fixed = slug::slugify(&s);
                c.at_value(
                    &sub("slug"),
                    format!("invalid slug `{s}`: only a-z, 0-9 and - are allowed"),
                )
                .hint = Some(if fixed.is_empty() {
                    "use lower-case letters, digits and hyphens".into()
                } else {
                    format!("use `{fixed}`")
                });
                return None;
            }
            (s, c.located(&sub("slug"), true))
        }
        None => match file_slug {
            Some(from_file) => from_file,
            None => {
                let s = title.as_deref().map(slug::slugify).unwrap_or_default();
                if s.is_empty() && title.is_some() {
                    c.at_value(&sub("title"), "cannot make a slug from this title")
                        .hint = Some("add `slug:` with a-z, 0-9 and -".into());
                }
                (s, c.located(&sub("title"), true))
            }
        },
    };
    Some(Period {
        title: title?,
        slug,
        start: start?,
        end,
        track,
        description,
        description_html: None,
        imported_id,
        at: slug_at,
    })
}
