//! `events.json`: every event with all its front-matter fields, the date
//! precision, relations resolved both ways, URL and rendered HTML; and
//! `events.schema.json` beside it (see `json_schema`). The keys of an
//! event and their order come from the field table (`schema`).

use super::Ctx;
use super::stream::Bodies;
use crate::content::event::Event;
use crate::content::schema::{Core, EVENTS_JSON_KEYS, Held, JsonKey};
use crate::model::Site;
use crate::urls;
use crate::values::dates::{EndDate, EventDate, Precision};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

#[derive(Serialize)]
struct Head<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    version: u32,
    generator: String,
    site: SiteInfo<'a>,
    periods: Vec<PeriodOut<'a>>,
}

/// A period of `events.json` (see `config::periods`).
#[derive(Serialize)]
struct PeriodOut<'a> {
    slug: &'a str,
    title: &'a str,
    start: DateOut,
    /// The end, or `"ongoing"`.
    end: EndOut,
    /// The track it belongs to; `null` for every track.
    track: Option<&'a str>,
    /// The description: Markdown as written, and rendered.
    description: Option<&'a str>,
    description_html: Option<&'a str>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct DateOut {
    /// As written: `2024`, `2024-07`, `2024-07-28` or RFC 3339.
    value: String,
    precision: Precision,
    /// First instant of the period (UTC midnight for dates without time).
    start: String,
    display: String,
}

fn date_out(d: &EventDate) -> DateOut {
    DateOut {
        value: d.machine(),
        precision: d.precision(),
        start: d.first_instant().to_rfc3339(),
        display: d.display(),
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum EndOut {
    On(DateOut),
    Ongoing(&'static str),
}

#[derive(Serialize)]
struct ParticipantOut<'a> {
    name: &'a str,
    role: Option<&'a str>,
    country: Option<&'a str>,
    native: Option<&'a str>,
    native_lang: Option<&'a str>,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    title: &'a str,
    publisher: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<String>,
    archive_url: Option<&'a str>,
    reliability: Option<&'static str>,
}

#[derive(Serialize)]
struct CorrectionOut<'a> {
    date: String,
    text: &'a str,
    html: &'a str,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    text: &'a str,
    speaker: &'a str,
    source: Option<usize>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    event: &'a str,
    relation: &'a str,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    label: &'a str,
    events: Vec<&'a str>,
}

/// One event of `events.json`: written key by key in the order of
/// [`EVENTS_JSON_KEYS`].
struct EventOut<'r, 'a> {
    ctx: &'a Ctx<'a>,
    i: usize,
    e: &'a Event,
    /// The body's HTML with absolute addresses (see `stream::BodyOf::html`).
    html: &'r str,
}

impl Serialize for EventOut<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        for key in EVENTS_JSON_KEYS.iter() {
            match key {
                JsonKey::Url => {
                    m.serialize_entry("url", &self.ctx.abs(&urls::event(&self.e.slug)))?
                }
                JsonKey::Relations => m.serialize_entry("relations", &self.relations())?,
                JsonKey::Html => m.serialize_entry("html", self.html)?,
                JsonKey::Field(f) => match f.held {
                    Held::Core(core) => self.core(&mut m, f.name, core)?,
                    Held::Extra => match self.e.extra().get(f.name) {
                        Some(v) => m.serialize_entry(f.name, &v.to_json())?,
                        None => m.serialize_entry(
                            f.name,
                            &crate::content::schema::absent_json(f.shape),
                        )?,
                    },
                },
            }
        }
        m.end()
    }
}

impl<'a> EventOut<'_, 'a> {
    fn core<M: SerializeMap>(&self, m: &mut M, key: &str, core: Core) -> Result<(), M::Error> {
        let e = self.e;
        match core {
            Core::Slug => m.serialize_entry(key, &e.slug),
            Core::Title => m.serialize_entry(key, &e.title),
            Core::Date => m.serialize_entry(key, &date_out(&e.date)),
            Core::EndDate => m.serialize_entry(
                key,
                &e.end_date().map(|d| match d {
                    EndDate::On(d) => EndOut::On(date_out(d)),
                    EndDate::Ongoing => EndOut::Ongoing("ongoing"),
                }),
            ),
            Core::Approximate => m.serialize_entry(key, &e.approximate),
            Core::Kind => m.serialize_entry(key, &e.kind),
            Core::Status => m.serialize_entry(key, e.status.key()),
            // As written: the name, or `{name, native, native_lang}`.
            Core::Location => {
                m.serialize_entry(key, &crate::exports::timelinejs::ExtLocation::of(e))
            }
            Core::Countries => m.serialize_entry(key, &e.countries),
            Core::Participants => m.serialize_entry(
                key,
                &e.participants
                    .iter()
                    .map(|p| ParticipantOut {
                        name: &p.name,
                        role: p.role.as_deref(),
                        country: p.country.as_deref(),
                        native: p.native.as_deref().map(|n| n.text.as_str()),
                        native_lang: p.native.as_deref().map(|n| n.lang.as_str()),
                    })
                    .collect::<Vec<_>>(),
            ),
            Core::Tracks => m.serialize_entry(key, &e.tracks),
            Core::Tags => {
                m.serialize_entry(key, &e.tags.iter().map(|t| &*t.name).collect::<Vec<_>>())
            }
            Core::Summary => m.serialize_entry(key, &e.summary),
            Core::Sources => m.serialize_entry(
                key,
                &e.sources()
                    .iter()
                    .map(|s| SourceOut {
                        title: &s.title,
                        publisher: s.publisher.as_deref(),
                        url: s.url.as_deref(),
                        date: s.date.as_ref().map(|d| d.machine()),
                        archive_url: s.archive_url.as_deref(),
                        reliability: s.reliability.map(|t| t.key()),
                    })
                    .collect::<Vec<_>>(),
            ),
            Core::Quotes => m.serialize_entry(
                key,
                &e.quotes()
                    .iter()
                    .map(|q| QuoteOut {
                        text: &q.text,
                        speaker: &q.speaker,
                        source: q.source,
                    })
                    .collect::<Vec<_>>(),
            ),
            Core::Media => m.serialize_entry(
                key,
                &crate::exports::media_out::media(self.ctx.site, self.ctx.base, e),
            ),
            // As written in the front matter.
            Core::Related => m.serialize_entry(
                key,
                &e.related
                    .iter()
                    .map(|r| RelatedOut {
                        event: &r.event,
                        relation: &r.relation,
                    })
                    .collect::<Vec<_>>(),
            ),
            Core::Updated => m.serialize_entry(
                key,
                &self.ctx.site.updated[self.i].as_ref().map(|d| d.machine()),
            ),
            Core::Corrections => m.serialize_entry(
                key,
                &e.corrections()
                    .iter()
                    .map(|c| CorrectionOut {
                        date: c.date.machine(),
                        text: &c.text,
                        html: &c.html,
                    })
                    .collect::<Vec<_>>(),
            ),
            Core::Draft => m.serialize_entry(key, &e.draft),
        }
    }

    /// Resolved both ways, with labels ("References", "Referenced by").
    fn relations(&self) -> Vec<RelationOut<'a>> {
        let site = self.ctx.site;
        site.relations[self.i]
            .iter()
            .map(|g| RelationOut {
                label: &g.label,
                events: g.events.iter().map(|&j| &*site.events[j].slug).collect(),
            })
            .collect()
    }
}

/// The part of `events.json` before its events: written as serde_json's
/// pretty printer would, without the closing brace, so each event's
/// record, serialised once, can be written into the whole file and into
/// its year's share with the same bytes.
fn head(ctx: &Ctx) -> Result<String, serde_json::Error> {
    let config = &ctx.site.config;
    let head = Head {
        schema: ctx.abs(urls::EVENTS_SCHEMA),
        version: 1,
        generator: format!("annals {}", env!("CARGO_PKG_VERSION")),
        site: SiteInfo {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            url: ctx.base,
        },
        periods: ctx
            .site
            .periods
            .iter()
            .map(|p| PeriodOut {
                slug: &p.slug,
                title: &p.title,
                start: date_out(&p.start),
                end: match &p.end {
                    Some(e) => EndOut::On(date_out(e)),
                    None => EndOut::Ongoing("ongoing"),
                },
                track: p.track.as_deref(),
                description: p.description.as_deref(),
                description_html: p.description_html.as_deref(),
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&head)?;
    Ok(text.strip_suffix("\n}").unwrap_or(&text).to_string())
}

/// An export's events array, written one pretty-printed record at a time
/// (indented as the array's items at the second level).
struct EventsArray {
    empty: bool,
}

impl EventsArray {
    const OPENING: &[u8] = b",\n  \"events\": [";
    /// Before the first record; `,` and this before each later one.
    const FIRST: &[u8] = b"\n    ";
    /// After the last record.
    const CLOSING: &[u8] = b"\n  ]\n}";

    /// Writes `head` and opens the array.
    fn open(w: &mut dyn std::io::Write, head: &str) -> std::io::Result<EventsArray> {
        w.write_all(head.as_bytes())?;
        w.write_all(Self::OPENING)?;
        Ok(EventsArray { empty: true })
    }

    fn push(&mut self, w: &mut dyn std::io::Write, record: &[u8]) -> std::io::Result<()> {
        if !self.empty {
            w.write_all(b",")?;
        }
        w.write_all(Self::FIRST)?;
        self.empty = false;
        w.write_all(record)
    }

    /// Pushes the records of `file`, a file of events written with `head`
    /// as [`EventsArray`] writes them, copied as they are (streamed, never
    /// held whole); false, with nothing written, when the file does not
    /// have that head and frame. An error may leave part of it written.
    fn push_from(
        &mut self,
        w: &mut dyn std::io::Write,
        mut file: std::fs::File,
        head: &str,
    ) -> std::io::Result<bool> {
        let before = [head.as_bytes(), Self::OPENING, Self::FIRST].concat();
        let Some(run) = super::framed::between(&mut file, &before, Self::CLOSING)? else {
            return Ok(false);
        };
        if !self.empty {
            w.write_all(b",")?;
        }
        self.empty = false;
        // The run begins with the break before its first record, as `push`
        // writes it.
        let from = run.start - Self::FIRST.len() as u64;
        super::framed::copy(&mut file, from..run.end, w)?;
        Ok(true)
    }

    fn close(self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(if self.empty { b"]\n}" } else { Self::CLOSING })
    }
}

/// One record as it sits in the events array: pretty, indented two levels.
fn record(out: &EventOut) -> Result<Vec<u8>, serde_json::Error> {
    let flat = serde_json::to_vec_pretty(out)?;
    let mut indented = Vec::with_capacity(flat.len() + flat.len() / 8);
    for &b in &flat {
        indented.push(b);
        if b == b'\n' {
            indented.extend_from_slice(b"    ");
        }
    }
    Ok(indented)
}

/// Writes `events.json` (every event) and each year's share of it
/// (`years/<yyyy>/events.json`, the same document with that year's
/// events), serialising each record once for both. The whole file streams
/// to disk. A year whose records are all as the previous build made them
/// (by their digests; see [`year_fingerprint`]) keeps its file, and the
/// whole file takes the records from it rather than making them again:
/// at archive scale most of a rebuild's `events.json` is such years.
pub(super) fn write<'a>(ctx: &'a Ctx<'a>, bodies: &Bodies<'a>) -> Result<(), crate::error::Error> {
    let site = ctx.site;
    let failed = |e: serde_json::Error| {
        crate::error::Error::io(format!("cannot write {}", urls::EVENTS_JSON), e.into())
    };
    let head = head(ctx).map_err(failed)?;
    let mut stopped = None;
    let mut whole_failed = None;
    ctx.put_with(urls::EVENTS_JSON, |w| {
        let mut all = EventsArray::open(w, &head)?;
        for (year, events) in &site.years {
            let rel = urls::year_export(*year, urls::EVENTS_JSON);
            // A year's HTML is held, until its fingerprint is known, only up
            // to a bound, so memory stays bounded at any scale.
            // As the event page shows it, with whether it holds relative
            // addresses to make absolute if the year is written: a kept
            // year's are never made absolute.
            let held: Option<Vec<(String, bool)>> = (ctx.reuse.is_some()
                && events.len() <= MOST_HELD)
                .then(|| {
                    events
                        .iter()
                        .map(|&i| {
                            let body = bodies.get(i)?;
                            let body = body.body();
                            Some((body.html.clone(), body.has_relative_urls))
                        })
                        .collect()
                })
                .flatten();
            let fingerprint = held
                .as_ref()
                .and_then(|held| year_fingerprint(site, &head, events, held));
            let record_of = |n: usize, i: usize| {
                let stopped = || std::io::Error::other("the bodies stopped");
                let e = site.events.get(i).ok_or_else(stopped)?;
                let make = |html: &str| {
                    record(&EventOut { ctx, i, e, html }).map_err(std::io::Error::other)
                };
                match &held {
                    Some(held) => match held.get(n).ok_or_else(stopped)? {
                        (html, true) => make(&ctx.absolute_html(e, html)),
                        (html, false) => make(html),
                    },
                    None => make(bodies.get(i).ok_or_else(stopped)?.html()),
                }
            };
            if ctx.reuse_file(&rel, fingerprint) {
                if !ctx.copy_kept(&rel, |file| all.push_from(w, file, &head))? {
                    for (n, &i) in events.iter().enumerate() {
                        all.push(w, &record_of(n, i)?)?;
                    }
                }
                continue;
            }
            let written = ctx.put_with(&rel, |yw| {
                let mut part = EventsArray::open(yw, &head)?;
                for (n, &i) in events.iter().enumerate() {
                    let bytes = record_of(n, i)?;
                    if let Err(e) = all.push(w, &bytes) {
                        whole_failed = Some(e);
                        return Err(std::io::Error::other("the whole file stopped"));
                    }
                    part.push(yw, &bytes)?;
                }
                part.close(yw)
            });
            if let Err(e) = written {
                if let Some(e) = whole_failed.take() {
                    return Err(e);
                }
                stopped = Some(e);
                return Err(std::io::Error::other("a year's share could not be written"));
            }
            ctx.record_file(&rel, fingerprint);
        }
        all.close(w)
    })
    .map_err(|e| stopped.take().unwrap_or(e))?;
    ctx.put(urls::EVENTS_SCHEMA, super::json_schema::text().as_bytes())
}

/// A year's `events.json` fingerprint: the digest of the head and of what
/// each record is made of (the event and its related events as read, the
/// site beyond its events, see `model::inputs`, and its body's HTML as the
/// page shows it: the addresses made absolute in the record follow from
/// it, the event's address and the base URL, which is in the global
/// fingerprint), which is cheaper to take than the record is to make.
fn year_fingerprint(
    site: &Site,
    head: &str,
    events: &[usize],
    held: &[(String, bool)],
) -> Option<u128> {
    let inputs = site.inputs();
    let records = events
        .iter()
        .zip(held)
        .map(|(&i, (html, _))| {
            let body = xxhash_rust::xxh3::xxh3_128(html.as_bytes());
            Some((inputs.event(i)?, inputs.relations(site, i), body))
        })
        .collect::<Option<Vec<_>>>()?;
    crate::output::digest::of(&("events.json year", head, inputs.site(), records))
}

/// The most events of a year whose records' inputs are held to take its
/// fingerprint (for `events.json`, about 50 MB of HTML at most). A larger
/// year is written whole again by every build.
const MOST_HELD: usize = 16_384;

/// Every year's share of `events.json`.
pub(super) fn year_paths(site: &crate::model::Site) -> Vec<String> {
    site.years
        .iter()
        .map(|(y, _)| urls::year_export(*y, urls::EVENTS_JSON))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::EventsArray;

    /// A file of events as [`EventsArray`] writes them, with `records`.
    fn file_of(head: &str, records: &[&[u8]]) -> std::fs::File {
        let mut bytes = Vec::new();
        let mut array = EventsArray::open(&mut bytes, head).expect("open");
        for r in records {
            array.push(&mut bytes, r).expect("push");
        }
        array.close(&mut bytes).expect("close");
        let mut file = tempfile::tempfile().expect("a temporary file");
        std::io::Write::write_all(&mut file, &bytes).expect("write");
        file
    }

    #[test]
    fn records_copied_from_files_equal_records_pushed_one_by_one() {
        let head = "{\n  \"version\": 1";
        let mut pushed = Vec::new();
        let mut array = EventsArray::open(&mut pushed, head).expect("open");
        for r in [b"{\"a\": 1}".as_slice(), b"{\"b\": 2}", b"{\"c\": 3}"] {
            array.push(&mut pushed, r).expect("push");
        }
        array.close(&mut pushed).expect("close");

        let mut copied = Vec::new();
        let mut array = EventsArray::open(&mut copied, head).expect("open");
        let first = file_of(head, &[b"{\"a\": 1}", b"{\"b\": 2}"]);
        assert!(array.push_from(&mut copied, first, head).expect("copy"));
        let second = file_of(head, &[b"{\"c\": 3}"]);
        assert!(array.push_from(&mut copied, second, head).expect("copy"));
        array.close(&mut copied).expect("close");
        assert_eq!(
            String::from_utf8_lossy(&copied),
            String::from_utf8_lossy(&pushed)
        );
    }

    #[test]
    fn a_file_with_another_head_or_frame_is_refused_and_nothing_is_written() {
        let head = "{\n  \"version\": 1";
        let mut out = Vec::new();
        let mut array = EventsArray::open(&mut out, head).expect("open");
        let before = out.len();
        let other_head = file_of("{\n  \"version\": 2", &[b"{}"]);
        assert!(!array.push_from(&mut out, other_head, head).expect("read"));
        let mut cut = tempfile::tempfile().expect("a temporary file");
        std::io::Write::write_all(&mut cut, b"{\n  \"version\": 1,\n  \"events\": [\n    {}")
            .expect("write");
        assert!(!array.push_from(&mut out, cut, head).expect("read"));
        let empty = file_of(head, &[]);
        assert!(!array.push_from(&mut out, empty, head).expect("read"));
        assert_eq!(out.len(), before, "nothing written");
    }
}
