//! Validate stage: turns a parsed document into a typed [`Event`] or
//! [`Page`], collecting every problem rather than stopping at the first.
//! Cross-file rules (unique slugs, relation targets) live in `check_site`.

use crate::config::Config;
use crate::content::body_links::{LinkWalker, Targets, check_targets};
use crate::content::event::{
    BodyAt, Cited, Event, HeldBody, HoldBudget, Page, Participant, Quote, Rare, Related, Source,
    Status, Tag,
};
use crate::content::markdown;
use crate::content::schema::{self, Core};
use crate::diagnostic::{Diagnostic, Located, Spot, suggestion};
use crate::source::parse::Document;
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::values::countries;
use crate::values::dates::EndDate;
use crate::values::intern::intern;
use crate::values::slug;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The slug of a file: `slug:` when given, else the file stem made safe;
/// for a page bundle (`talk/index.md`, the event with its files beside
/// it), the folder's name.
pub fn slug_from_stem(path: &Path) -> String {
    let mut stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem == "index" {
        stem = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|s| s.to_str())
            .unwrap_or(stem);
    }
    if slug::is_valid(stem) {
        stem.to_string()
    } else {
        slug::slugify(stem)
    }
}

fn field<'m>(map: &'m [(String, Yaml)], key: &str) -> Option<&'m Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn check_slug(c: &mut Checker, map: &[(String, Yaml)], path: &Path) -> (String, Located) {
    match field(map, "slug") {
        Some(v) => {
            let p = [Seg::Key("slug")];
            let at = c.located(&p, true);
            let s = c.text(v, &p).unwrap_or_default();
            if !s.is_empty() && !slug::is_valid(&s) {
                let fixed = slug::slugify(&s);
                c.at_value(
                    &p,
                    format!("invalid slug `{s}`: only a-z, 0-9 and - are allowed"),
                )
                .hint = Some(if fixed.is_empty() {
                    "use lower-case letters, digits and hyphens".to_string()
                } else {
                    format!("use `{fixed}`")
                });
            }
            (s, at)
        }
        None => {
            let s = slug_from_stem(path);
            if s.is_empty() {
                c.at_top("cannot make a slug from this file's name").hint =
                    Some("rename the file using a-z, 0-9 and -, or set `slug:`".into());
            }
            // The slug comes from the file name: point at the file's first line.
            let at = Located {
                path: c.shared_path(),
                pos: crate::diagnostic::Pos::new(1, 1),
                width: 3,
                line_text: c.first_line().to_string(),
            };
            (s, at)
        }
    }
}

/// What validation keeps of an event's body.
#[derive(Debug, Clone, Copy)]
pub enum Keep<'b> {
    /// The rendered body (`serve`, fuzzing, benchmarks).
    Body,
    /// Only where it is: the file's hash (see `BodyAt::File`), and the
    /// rendered body too while `budget` has room.
    FileHash(u64, Option<&'b HoldBudget>),
}

/// Validates one event document against the schema and the site's config,
/// keeping its rendered body.
pub fn event(doc: &Document, path: &Path, config: &Config) -> Result<Event, Vec<Diagnostic>> {
    event_keeping(doc, path, config, Keep::Body)
}

/// [`event`], keeping of the body what `keep` says. Either way the body
/// is walked, so its errors are reported here with their positions.
pub fn event_keeping(
    doc: &Document,
    path: &Path,
    config: &Config,
    keep: Keep,
) -> Result<Event, Vec<Diagnostic>> {
    let mut c = Checker::new(doc, path);
    let Yaml::Map(map) = &doc.front else {
        c.at_top("the front matter must be a mapping");
        return Err(c.diagnostics);
    };
    c.check_keys(map, &schema::NAMES, &[], "event front matter");
    // A misspelt required key is already reported with its "did you mean".
    let misspelt: Vec<&str> = map
        .iter()
        .filter(|(k, _)| schema::field(k).is_none())
        .filter_map(|(k, _)| crate::diagnostic::did_you_mean(k, schema::required()))
        .collect();
    for key in schema::required() {
        if field(map, key).is_none() && !misspelt.contains(&key) {
            c.at_top(format!("missing required field `{key}`")).hint =
                Some(format!("add a line `{key}: ...` to the front matter"));
        }
    }
    // Every field of a generic shape; the core ones among them are taken
    // into their typed places, the rest stay as the event's extra values.
    let mut values = schema::read_generic(&mut c, map, config.unsafe_html);
    let title = values.take_text(Core::Title);
    let summary = values.take_text(Core::Summary);
    let date = field(map, "date").and_then(|v| c.date(v, &[Seg::Key("date")]));
    let end_date = field(map, "end_date").and_then(|v| {
        let p = [Seg::Key("end_date")];
        if matches!(v, Yaml::Str(s) if s.trim() == "ongoing") {
            return Some(EndDate::Ongoing);
        }
        let end = c.date(v, &p)?;
        if let Some(start) = date
            && end.ends_before_start_of(&start)
        {
            c.at_value(
                &p,
                format!(
                    "`end_date` {} is before `date` {}",
                    end.machine(),
                    start.machine()
                ),
            )
            .hint = Some("swap the dates, or use `end_date: ongoing` for an open span".into());
            return None;
        }
        Some(EndDate::On(end))
    });
    let approximate = values.take_bool(Core::Approximate).unwrap_or(false);
    let draft = values.take_bool(Core::Draft).unwrap_or(false);
    let kind = field(map, "kind").and_then(|v| {
        let p = [Seg::Key("kind")];
        let k = c.text(v, &p)?;
        if config.kind(&k).is_none() {
            let keys: Vec<&str> = config.kinds.iter().map(|t| t.key.as_str()).collect();
            c.at_value(&p, format!("unknown kind `{k}`")).hint = Some(format!(
                "{} (kinds are declared in site.yaml under `kinds`)",
                suggestion(&k, &keys)
            ));
            return None;
        }
        Some(k)
    });
    let status = match field(map, "status") {
        None => Some(Status::Held),
        Some(v) => {
            let p = [Seg::Key("status")];
            c.text(v, &p).and_then(|s| {
                let st = Status::parse(&s);
                if st.is_none() {
                    c.at_value(&p, format!("unknown status `{s}`")).hint =
                        Some(suggestion(&s, &Status::ALL));
                }
                st
            })
        }
    };
    let han = crate::content::native::site_han_lang(config);
    let (location, location_native) = location_field(&mut c, map, han);
    let countries = countries_field(&mut c, map);
    let participants = participants_field(&mut c, map, han);
    let tracks = tracks_field(&mut c, map, config);
    let tags = tags_field(&mut c, map);
    let sources = sources_field(&mut c, map);
    let has_sources = field(map, "sources").is_some_and(|v| !c.list(v, &[]).is_empty());
    if !draft && !has_sources {
        let msg = "a published event needs at least one source";
        let hint = "add `sources: [{title: ..., publisher: ...}]`, or mark the event `draft: true`";
        match field(map, "sources") {
            Some(_) => c.at_key(&[Seg::Key("sources")], msg),
            None => c.at_top(msg),
        }
        .hint = Some(hint.into());
    }
    if !draft {
        crate::content::placeholders::check(&mut c, &doc.text);
    }
    let quotes = quotes_field(&mut c, map, sources.len());
    let media = crate::content::media::media_field(&mut c, map, path, config);
    let related = related_field(&mut c, map, config);
    let updated = values.take_date(Core::Updated);
    let corrections =
        crate::content::provenance::corrections_field(&mut c, map, config.unsafe_html);
    let (slug, slug_at) = check_slug(&mut c, map, path);
    let (body, links) = match keep {
        Keep::Body => {
            let (rendered, links) =
                render_checked(&mut c, doc, path, config, markdown::render_body_visiting);
            (
                rendered.map(|mut r| {
                    // Held for the whole session: no spare capacity.
                    r.html.shrink_to_fit();
                    BodyAt::Kept(std::sync::Arc::new(r))
                }),
                links,
            )
        }
        Keep::FileHash(hash, Some(budget)) if budget.has_room() => {
            let (rendered, links) =
                render_checked(&mut c, doc, path, config, markdown::render_body_visiting);
            (
                rendered.map(|mut body| {
                    body.html.shrink_to_fit();
                    body.words.shrink_to_fit();
                    let held = budget.take(body.html.len() + body.words.len()).then(|| {
                        std::sync::Arc::new(HeldBody {
                            base_path: config.base_path().into(),
                            body,
                        })
                    });
                    BodyAt::File {
                        offset: body_offset(doc),
                        hash,
                        head: head_hash(doc),
                        held,
                    }
                }),
                links,
            )
        }
        Keep::FileHash(hash, _) => {
            let (checked, links) = render_checked(&mut c, doc, path, config, |md, _, visit| {
                markdown::check_visiting(md, visit)
            });
            (
                checked.map(|()| BodyAt::File {
                    offset: body_offset(doc),
                    hash,
                    head: head_hash(doc),
                    held: None,
                }),
                links,
            )
        }
    };

    if !c.diagnostics.is_empty() {
        return Err(c.diagnostics);
    }
    let (Some(title), Some(summary), Some(date), Some(kind), Some(status)) =
        (title, summary, date, kind, status)
    else {
        // Unreachable in practice: every None above recorded a diagnostic.
        c.at_top("the event is incomplete");
        return Err(c.diagnostics);
    };
    let Some(body) = body else {
        return Err(c.diagnostics);
    };
    Ok(Event {
        slug: slug.into(),
        path: slug_at.path.clone(),
        slug_at: Spot::of(&slug_at),
        title: title.into(),
        date,
        approximate,
        kind: intern(&kind),
        status,
        location: location.as_deref().map(intern),
        countries: countries.into(),
        participants: participants.into(),
        tracks: tracks.into(),
        tags: tags
            .into_iter()
            .map(|name| Tag {
                id: intern(&crate::content::event::tag_id(&name)),
                name,
            })
            .collect(),
        summary: summary.into(),
        cited: Cited::new(&sources, &quotes),
        related: related.into(),
        draft,
        body,
        rare: Rare {
            end_date,
            location_native: location_native.map(Box::new),
            updated,
            corrections: corrections.into(),
            media: media.into(),
            extra: values.into_extra(),
            site_links: links.site_links.into(),
            link_warnings: links.warnings.into(),
        }
        .boxed(),
    })
}

/// Adds `text` to `out` as a shared copy, unless it is there already.
fn push_unique_interned(out: &mut Vec<Arc<str>>, text: &str) {
    if !out.iter().any(|x| **x == *text) {
        out.push(intern(text));
    }
}

fn countries_field(c: &mut Checker, map: &[(String, Yaml)]) -> Vec<Arc<str>> {
    let Some(v) = field(map, "countries") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("countries")]).into_iter().enumerate() {
        let p = [Seg::Key("countries"), Seg::Index(i)];
        let Some(code) = c.text(item, &p) else {
            continue;
        };
        if countries::is_valid(&code) {
            push_unique_interned(&mut out, &code);
            continue;
        }
        let upper = code.to_ascii_uppercase();
        let hint = if countries::is_valid(&upper) {
            format!("write it in upper case: `{upper}`")
        } else if upper == "UK" {
            "the ISO code of the United Kingdom is `GB`".to_string()
        } else {
            "use an ISO 3166-1 alpha-2 code such as US, JP, KR, KP, CN".to_string()
        };
        c.at_key(&p, format!("unknown country code `{code}`")).hint = Some(hint);
    }
    out
}

/// `location`: a name, or `{name, native, native_lang}`.
fn location_field(
    c: &mut Checker,
    map: &[(String, Yaml)],
    han: &str,
) -> (Option<String>, Option<crate::content::native::Native>) {
    let Some(v) = field(map, "location") else {
        return (None, None);
    };
    let p = [Seg::Key("location")];
    let Yaml::Map(m) = v else {
        return (c.text(v, &p), None);
    };
    c.check_keys(m, &["name", "native", "native_lang"], &p, "a location");
    let name = match field(m, "name") {
        Some(n) => c.text(n, &[Seg::Key("location"), Seg::Key("name")]),
        None => {
            c.at_key(&p, "location without a `name`").hint =
                Some("write `{name: Tokyo, native: 東京}`".into());
            None
        }
    };
    let native = crate::content::native::read(c, m, &p, han);
    (name, native)
}

fn participants_field(c: &mut Checker, map: &[(String, Yaml)], han: &str) -> Vec<Arc<Participant>> {
    let Some(v) = field(map, "participants") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c
        .list(v, &[Seg::Key("participants")])
        .into_iter()
        .enumerate()
    {
        let p = [Seg::Key("participants"), Seg::Index(i)];
        match item {
            Yaml::Map(m) => {
                c.check_keys(
                    m,
                    &["name", "role", "country", "native", "native_lang"],
                    &p,
                    "a participant",
                );
                let sub = |k| [Seg::Key("participants"), Seg::Index(i), Seg::Key(k)];
                let name = match field(m, "name") {
                    Some(n) => c.text(n, &sub("name")),
                    None => {
                        c.at_key(&p, "participant without a `name`").hint =
                            Some("write `{name: ..., role: ..., country: ...}`".into());
                        None
                    }
                };
                let role = field(m, "role").and_then(|r| c.text(r, &sub("role")));
                let country = field(m, "country").and_then(|cc| {
                    let code = c.text(cc, &sub("country"))?;
                    if countries::is_valid(&code) {
                        Some(code)
                    } else {
                        c.at_value(&sub("country"), format!("unknown country code `{code}`"))
                            .hint =
                            Some("use an ISO 3166-1 alpha-2 code in upper case, such as US".into());
                        None
                    }
                });
                let native = crate::content::native::read(c, m, &p, han);
                if let Some(name) = name {
                    out.push(
                        Participant {
                            id: intern(&crate::content::event::participant_id(&name)),
                            name: intern(&name),
                            role: role.as_deref().map(intern),
                            country: country.as_deref().map(intern),
                            native: native.map(Box::new),
                        }
                        .shared(),
                    );
                }
            }
            other => {
                if let Some(name) = c.text(other, &p) {
                    out.push(
                        Participant {
                            id: intern(&crate::content::event::participant_id(&name)),
                            name: intern(&name),
                            role: None,
                            country: None,
                            native: None,
                        }
                        .shared(),
                    );
                }
            }
        }
    }
    out
}

fn tracks_field(c: &mut Checker, map: &[(String, Yaml)], config: &Config) -> Vec<Arc<str>> {
    let Some(v) = field(map, "tracks") else {
        return Vec::new();
    };
    let keys: Vec<&str> = config.tracks.iter().map(|t| t.key.as_str()).collect();
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("tracks")]).into_iter().enumerate() {
        let p = [Seg::Key("tracks"), Seg::Index(i)];
        let Some(t) = c.text(item, &p) else { continue };
        if config.track(&t).is_some() {
            push_unique_interned(&mut out, &t);
        } else {
            c.at_key(&p, format!("unknown track `{t}`")).hint = Some(format!(
                "{} (tracks are declared in site.yaml under `tracks`)",
                suggestion(&t, &keys)
            ));
        }
    }
    out
}

fn tags_field(c: &mut Checker, map: &[(String, Yaml)]) -> Vec<Arc<str>> {
    let Some(v) = field(map, "tags") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("tags")]).into_iter().enumerate() {
        let p = [Seg::Key("tags"), Seg::Index(i)];
        let Some(t) = c.text(item, &p) else { continue };
        if slug::slugify(&t).is_empty() {
            c.at_key(&p, format!("tag `{t}` has no letters or digits"))
                .hint = Some("tags name a browse-by page; use words".into());
        } else {
            push_unique_interned(&mut out, &t);
        }
    }
    out
}

fn sources_field(c: &mut Checker, map: &[(String, Yaml)]) -> Vec<Source> {
    let Some(v) = field(map, "sources") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("sources")]).into_iter().enumerate() {
        let p = [Seg::Key("sources"), Seg::Index(i)];
        let sub = |k| [Seg::Key("sources"), Seg::Index(i), Seg::Key(k)];
        let Some(m) = c.map(item, &p, "a source") else {
            continue;
        };
        c.check_keys(
            m,
            &[
                "title",
                "publisher",
                "url",
                "date",
                "archive_url",
                "reliability",
            ],
            &p,
            "a source",
        );
        let title = match field(m, "title") {
            Some(t) => c.text(t, &sub("title")),
            None => {
                c.at_key(&p, "source without a `title`").hint =
                    Some("write `{title: ..., publisher: ...}`".into());
                None
            }
        };
        let publisher = field(m, "publisher").and_then(|x| c.text(x, &sub("publisher")));
        let url = field(m, "url").and_then(|x| c.http_url(x, &sub("url")));
        let archive_url = field(m, "archive_url").and_then(|x| c.http_url(x, &sub("archive_url")));
        let date = field(m, "date").and_then(|x| c.date(x, &sub("date")));
        let reliability = crate::content::provenance::reliability(c, m, i);
        out.push(Source {
            title: title.unwrap_or_default().into(),
            publisher: publisher.as_deref().map(intern),
            url: url.map(Into::into),
            date,
            archive_url: archive_url.map(Into::into),
            reliability,
        });
    }
    out
}

fn quotes_field(c: &mut Checker, map: &[(String, Yaml)], source_count: usize) -> Vec<Quote> {
    let Some(v) = field(map, "quotes") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("quotes")]).into_iter().enumerate() {
        let p = [Seg::Key("quotes"), Seg::Index(i)];
        let sub = |k| [Seg::Key("quotes"), Seg::Index(i), Seg::Key(k)];
        let Some(m) = c.map(item, &p, "a quote") else {
            continue;
        };
        c.check_keys(m, &["text", "speaker", "source"], &p, "a quote");
        let text = match field(m, "text") {
            Some(t) => c.text(t, &sub("text")),
            None => {
                c.at_key(&p, "quote without `text`");
                None
            }
        };
        let speaker = match field(m, "speaker") {
            Some(s) => c.text(s, &sub("speaker")),
            None => {
                c.at_key(&p, "quote without a `speaker`").hint =
                    Some("a quote must say who said it: add `speaker: ...`".into());
                None
            }
        };
        let source = match field(m, "source") {
            None => None,
            Some(Yaml::Int(n)) if *n >= 0 && (*n as usize) < source_count => Some(*n as usize),
            Some(Yaml::Int(n)) => {
                c.at_value(&sub("source"), format!("quote source {n} does not exist"))
                    .hint = Some(match source_count {
                    0 => "this event has no sources".to_string(),
                    1 => "the only source is 0 (sources are counted from 0)".to_string(),
                    n => format!("sources are numbered 0 to {} (counted from 0)", n - 1),
                });
                None
            }
            Some(other) => {
                c.at_value(
                    &sub("source"),
                    format!(
                        "quote `source` must be a number, found {}",
                        other.type_name()
                    ),
                )
                .hint = Some("give the position of the source in `sources`, counted from 0".into());
                None
            }
        };
        if let (Some(text), Some(speaker)) = (text, speaker) {
            out.push(Quote {
                text,
                speaker,
                source,
            });
        }
    }
    out
}

fn related_field(c: &mut Checker, map: &[(String, Yaml)], config: &Config) -> Vec<Related> {
    let Some(v) = field(map, "related") else {
        return Vec::new();
    };
    let names: Vec<&str> = config.relations.iter().map(|r| r.key.as_str()).collect();
    let mut out = Vec::new();
    for (i, item) in c.list(v, &[Seg::Key("related")]).into_iter().enumerate() {
        let p = [Seg::Key("related"), Seg::Index(i)];
        let sub = |k| [Seg::Key("related"), Seg::Index(i), Seg::Key(k)];
        let Some(m) = c.map(item, &p, "a related entry") else {
            continue;
        };
        c.check_keys(m, &["event", "relation"], &p, "a related entry");
        let event = match field(m, "event") {
            Some(e) => c.text(e, &sub("event")),
            None => {
                c.at_key(&p, "related entry without `event`").hint =
                    Some("write `{event: <slug>, relation: references}`".into());
                None
            }
        };
        let relation = match field(m, "relation") {
            Some(r) => c.text(r, &sub("relation")).and_then(|r| {
                if config.relation(&r).is_some() {
                    Some(r)
                } else {
                    c.at_value(&sub("relation"), format!("unknown relation `{r}`"))
                        .hint = Some(suggestion(&r, &names));
                    None
                }
            }),
            None => Some("references".to_string()),
        };
        if let (Some(event), Some(relation)) = (event, relation) {
            out.push(Related {
                event: event.into(),
                relation: intern(&relation),
                at: c.spot(&sub("event"), true),
            });
        }
    }
    out
}

/// Where `doc`'s body starts, as an event keeps it: files are far smaller
/// than 4 GB (see [`crate::source::load::MAX_FILE_BYTES`]).
fn body_offset(doc: &Document) -> u32 {
    u32::try_from(doc.body_offset()).unwrap_or(u32::MAX)
}

/// The hash of the text before `doc`'s body (see `BodyAt::File`).
fn head_hash(doc: &Document) -> u64 {
    let head = doc.text.get(..doc.body_offset()).unwrap_or(&doc.text);
    crate::content::body::hash(head.as_bytes())
}

/// Validates a plain page of `content/pages/`.
pub fn page(doc: &Document, path: &Path, config: &Config) -> Result<Page, Vec<Diagnostic>> {
    let mut c = Checker::new(doc, path);
    let Yaml::Map(map) = &doc.front else {
        c.at_top("the front matter must be a mapping");
        return Err(c.diagnostics);
    };
    c.check_keys(
        map,
        crate::content::schema::PAGE_KEYS,
        &[],
        "page front matter",
    );
    let title = match field(map, "title") {
        Some(t) => c.text(t, &[Seg::Key("title")]),
        None => {
            c.at_top("missing required field `title`").hint =
                Some("add a line `title: ...` to the front matter".into());
            None
        }
    };
    let description = field(map, "description").and_then(|v| c.text(v, &[Seg::Key("description")]));
    let draft = field(map, "draft")
        .and_then(|v| c.boolean(v, &[Seg::Key("draft")]))
        .unwrap_or(false);
    let (slug, slug_at) = check_slug(&mut c, map, path);
    if crate::urls::RESERVED_PATHS.contains(&slug.as_str()) {
        c.at_top(format!("the page slug `{slug}` is used by annals itself"))
            .hint = Some(format!(
            "choose another `slug:`; reserved: {}",
            crate::urls::RESERVED_PATHS.join(", ")
        ));
    }
    let (body_html, links) = render_checked(&mut c, doc, path, config, markdown::render_visiting);
    match (title, body_html, c.diagnostics.is_empty()) {
        (Some(title), Some(body_html), true) => Ok(Page {
            slug,
            slug_at,
            title,
            description,
            draft,
            body_html,
            site_links: links.site_links,
            link_warnings: links.warnings,
        }),
        _ => Err(c.diagnostics),
    }
}

/// Renders a body with `render`, walking its links: the result (`None`
/// when the body nests too deep) and the links found, every error of
/// either recorded in `c`.
fn render_checked<T>(
    c: &mut Checker,
    doc: &Document,
    path: &Path,
    config: &Config,
    render: impl FnOnce(
        &str,
        bool,
        &mut markdown::LinkVisitor,
    ) -> Result<T, crate::values::nesting::TooDeep>,
) -> (Option<T>, crate::content::body_links::BodyLinks) {
    let base_path = config.base_path();
    let mut walker = LinkWalker::new(path, &doc.text, doc.body_offset(), base_path);
    let rendered = render(doc.body(), config.unsafe_html, &mut |address, range| {
        walker.visit(address, range)
    });
    let mut links = walker.found;
    c.diagnostics.append(&mut links.errors);
    let rendered = match rendered {
        Ok(done) => Some(done),
        Err(deep) => {
            c.too_deep(deep);
            None
        }
    };
    (rendered, links)
}

/// Site-wide rules: unique slugs, existing relation targets and `@/` link
/// targets (a draft target only counts when `drafts` are built).
pub fn check_site(
    events: &[std::sync::Arc<Event>],
    pages: &[Page],
    drafts: bool,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut seen: HashMap<&str, &Event> = HashMap::new();
    for e in events {
        if let Some(first) = seen.get(&*e.slug) {
            let (here, first) = (e.place(e.slug_at), first.place(first.slug_at));
            diagnostics.push(duplicate(&e.slug, &here, &first, "event"));
        } else {
            seen.insert(&e.slug, e);
        }
    }
    diagnostics.extend(crate::content::native::check_people(
        events.iter().flat_map(|e| {
            e.participants
                .iter()
                .filter_map(|p| Some((&*p.id, &*p.name, p.native.as_deref()?)))
        }),
    ));
    let mut pages_seen: HashMap<&str, &Located> = HashMap::new();
    for p in pages {
        if let Some(first) = pages_seen.get(p.slug.as_str()) {
            diagnostics.push(duplicate(&p.slug, &p.slug_at, first, "page"));
        } else {
            pages_seen.insert(&p.slug, &p.slug_at);
        }
    }
    let slugs: Vec<&str> = seen.keys().copied().collect();
    for e in events {
        for r in &e.related {
            if *r.event == *e.slug {
                diagnostics.push(
                    e.place(r.at)
                        .diagnostic(format!("event `{}` is related to itself", e.slug)),
                );
            } else if !seen.contains_key(&*r.event) {
                let mut d = e
                    .place(r.at)
                    .diagnostic(format!("related event `{}` does not exist", r.event));
                d.hint = Some(
                    match crate::diagnostic::did_you_mean(&r.event, slugs.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => {
                            "name an event by its slug (its file name without .md, or its `slug:`)"
                                .into()
                        }
                    },
                );
                diagnostics.push(d);
            }
        }
    }
    let targets = Targets {
        events: events.iter().map(|e| (&*e.slug, !e.draft)).collect(),
        pages: pages.iter().map(|p| (p.slug.as_str(), !p.draft)).collect(),
    };
    // A draft's own links matter only when drafts are built.
    for e in events.iter().filter(|e| drafts || !e.draft) {
        diagnostics.extend(check_targets(e.site_links(), &targets, drafts));
    }
    for p in pages.iter().filter(|p| drafts || !p.draft) {
        diagnostics.extend(check_targets(&p.site_links, &targets, drafts));
    }
    diagnostics
}

/// The error for a slug used twice: where it was used first, and how to
/// tell the two apart. Shared by events, pages and periods.
pub(crate) fn duplicate(slug: &str, here: &Located, first: &Located, what: &str) -> Diagnostic {
    let mut d = here.diagnostic(format!(
        "duplicate {what} slug `{slug}`: also used by {}",
        crate::diagnostic::display_path(&first.path)
    ));
    d.notes.push(format!(
        "first used at {}:{}:{}",
        crate::diagnostic::display_path(&first.path),
        first.pos.line,
        first.pos.column
    ));
    d.hint = Some("give one of them another file name or `slug:`".into());
    d
}
