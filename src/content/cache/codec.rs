//! The parse cache's encoding of one validated [`Event`]: a compact,
//! length-prefixed binary form (LEB128 integers, strings as length and
//! UTF-8 bytes). Decoding checks every length and tag against the bytes it
//! has and gives `None` on anything unexpected, so damaged bytes are never
//! turned into an event (a checksum guards each part besides, see `mod`).

use crate::content::body_links::{SiteLink, SiteTarget};
use crate::content::event::{BodyAt, Event, Participant, Quote, Related, Source, Status};
use crate::content::schema::{self, Value, Values};
use crate::diagnostic::{Diagnostic, Located, Pos};
use crate::values::dates::{EndDate, EventDate};
use chrono::{DateTime, FixedOffset};
use std::path::PathBuf;

/// Appends values to a buffer.
pub struct Writer<'b>(pub &'b mut Vec<u8>);

impl Writer<'_> {
    pub fn u64(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    pub fn i64(&mut self, n: i64) {
        // Zigzag, so small negative numbers stay short.
        self.u64(((n << 1) ^ (n >> 63)) as u64);
    }

    fn usize(&mut self, n: usize) {
        self.u64(n as u64);
    }

    fn bool(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.usize(b.len());
        self.0.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.bool(false),
            Some(s) => {
                self.bool(true);
                self.str(s);
            }
        }
    }

    fn strs(&mut self, items: &[String]) {
        self.usize(items.len());
        for s in items {
            self.str(s);
        }
    }

    /// `None` when the path is not UTF-8 (such an event is not cached).
    fn path(&mut self, p: &std::path::Path) -> Option<()> {
        self.str(p.to_str()?);
        Some(())
    }

    fn pos(&mut self, p: Pos) {
        self.usize(p.line);
        self.usize(p.column);
    }

    fn located(&mut self, l: &Located) -> Option<()> {
        self.path(&l.path)?;
        self.pos(l.pos);
        self.usize(l.width);
        self.str(&l.line_text);
        Some(())
    }

    fn date(&mut self, d: &EventDate) {
        self.i64(i64::from(d.year));
        self.u64(d.month.map_or(0, |m| u64::from(m) + 1));
        self.u64(d.day.map_or(0, |m| u64::from(m) + 1));
        match d.instant {
            None => self.bool(false),
            Some(at) => {
                self.bool(true);
                self.i64(at.timestamp());
                self.u64(u64::from(at.timestamp_subsec_nanos()));
                self.i64(i64::from(at.offset().local_minus_utc()));
            }
        }
    }

    fn opt_date(&mut self, d: Option<&EventDate>) {
        match d {
            None => self.bool(false),
            Some(d) => {
                self.bool(true);
                self.date(d);
            }
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) -> Option<()> {
        self.path(&d.path)?;
        self.pos(d.pos);
        self.str(&d.message);
        self.opt_str(d.source_line.as_deref());
        self.usize(d.width);
        self.opt_str(d.hint.as_deref());
        self.strs(&d.notes);
        self.bool(d.warning);
        Some(())
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Text(s) => {
                self.0.push(0);
                self.str(s);
            }
            Value::Markdown { text, html } => {
                self.0.push(1);
                self.str(text);
                self.str(html);
            }
            Value::Bool(b) => {
                self.0.push(2);
                self.bool(*b);
            }
            Value::Url(s) => {
                self.0.push(3);
                self.str(s);
            }
            Value::TextList(items) => {
                self.0.push(4);
                self.strs(items);
            }
            Value::Date(d) => {
                self.0.push(5);
                self.date(d);
            }
        }
    }
}

/// Appends `e` to `out`; `None` (with `out` left as it was) for an event
/// that is not cached: one that keeps its rendered body, or whose paths
/// are not UTF-8.
pub fn encode(e: &Event, out: &mut Vec<u8>) -> Option<()> {
    let start = out.len();
    let done = encode_fields(e, &mut Writer(out));
    if done.is_none() {
        out.truncate(start);
    }
    done
}

fn encode_fields(e: &Event, w: &mut Writer) -> Option<()> {
    let BodyAt::File { offset, hash } = &e.body else {
        return None;
    };
    w.str(&e.slug);
    w.located(&e.slug_at)?;
    w.path(&e.source_path)?;
    w.str(&e.title);
    w.date(&e.date);
    match &e.end_date {
        None => w.0.push(0),
        Some(EndDate::Ongoing) => w.0.push(1),
        Some(EndDate::On(d)) => {
            w.0.push(2);
            w.date(d);
        }
    }
    w.bool(e.approximate);
    w.str(&e.kind);
    w.0.push(match e.status {
        Status::Held => 0,
        Status::Announced => 1,
        Status::Planned => 2,
        Status::Cancelled => 3,
    });
    w.opt_str(e.location.as_deref());
    w.strs(&e.countries);
    w.usize(e.participants.len());
    for p in &e.participants {
        w.str(&p.name);
        w.str(&p.id);
        w.opt_str(p.role.as_deref());
        w.opt_str(p.country.as_deref());
    }
    w.strs(&e.tracks);
    w.strs(&e.tags);
    w.strs(&e.tag_ids);
    w.str(&e.summary);
    w.usize(e.sources.len());
    for s in &e.sources {
        w.str(&s.title);
        w.opt_str(s.publisher.as_deref());
        w.opt_str(s.url.as_deref());
        w.opt_date(s.date.as_ref());
        w.opt_str(s.archive_url.as_deref());
    }
    w.usize(e.quotes.len());
    for q in &e.quotes {
        w.str(&q.text);
        w.str(&q.speaker);
        w.u64(q.source.map_or(0, |s| s as u64 + 1));
    }
    w.usize(e.related.len());
    for r in &e.related {
        w.str(&r.event);
        w.str(&r.relation);
        w.located(&r.at)?;
    }
    w.bool(e.draft);
    let extra: Vec<_> = e.extra.iter().collect();
    w.usize(extra.len());
    for (field, value) in extra {
        w.str(field.name);
        w.value(value);
    }
    w.usize(*offset);
    w.u64(*hash);
    w.usize(e.site_links.len());
    for l in &e.site_links {
        match &l.target {
            SiteTarget::Home => w.0.push(0),
            SiteTarget::Event(s) => {
                w.0.push(1);
                w.str(s);
            }
            SiteTarget::Page(s) => {
                w.0.push(2);
                w.str(s);
            }
        }
        w.str(&l.written);
        w.located(&l.at)?;
    }
    w.usize(e.link_warnings.len());
    for d in &e.link_warnings {
        w.diagnostic(d)?;
    }
    Some(())
}

/// Reads values back, each checked against what is left.
pub struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

/// No list in an event is longer than its file: a count beyond the bytes
/// left is damage (and must not reserve memory).
fn sane(count: usize, left: usize) -> Option<usize> {
    (count <= left).then_some(count)
}

impl<'b> Reader<'b> {
    pub fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader { bytes, at: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    pub fn u64(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub fn i64(&mut self) -> Option<i64> {
        let z = self.u64()?;
        Some(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        sane(n, self.bytes.len() - self.at)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub fn bytes(&mut self) -> Option<&'b [u8]> {
        let n = self.usize()?;
        let end = self.at.checked_add(n)?;
        let b = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(b)
    }

    pub fn str(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes()?).ok().map(str::to_string)
    }

    fn opt_str(&mut self) -> Option<Option<String>> {
        Some(if self.bool()? {
            Some(self.str()?)
        } else {
            None
        })
    }

    fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }

    fn path(&mut self) -> Option<PathBuf> {
        self.str().map(PathBuf::from)
    }

    fn pos(&mut self) -> Option<Pos> {
        Some(Pos {
            line: self.usize()?,
            column: self.usize()?,
        })
    }

    fn located(&mut self) -> Option<Located> {
        Some(Located {
            path: self.path()?,
            pos: self.pos()?,
            width: self.usize()?,
            line_text: self.str()?,
        })
    }

    fn small(&mut self) -> Option<Option<u32>> {
        Some(match self.u64()? {
            0 => None,
            n => Some(u32::try_from(n - 1).ok()?),
        })
    }

    fn date(&mut self) -> Option<EventDate> {
        let year = i32::try_from(self.i64()?).ok()?;
        let month = self.small()?;
        let day = self.small()?;
        let instant = if self.bool()? {
            let secs = self.i64()?;
            let nanos = u32::try_from(self.u64()?).ok()?;
            let offset = FixedOffset::east_opt(i32::try_from(self.i64()?).ok()?)?;
            Some(DateTime::from_timestamp(secs, nanos)?.with_timezone(&offset))
        } else {
            None
        };
        Some(EventDate {
            year,
            month,
            day,
            instant,
        })
    }

    fn opt_date(&mut self) -> Option<Option<EventDate>> {
        Some(if self.bool()? {
            Some(self.date()?)
        } else {
            None
        })
    }

    fn diagnostic(&mut self) -> Option<Diagnostic> {
        Some(Diagnostic {
            path: self.path()?,
            pos: self.pos()?,
            message: self.str()?,
            source_line: self.opt_str()?,
            width: self.usize()?,
            hint: self.opt_str()?,
            notes: self.strs()?,
            warning: self.bool()?,
        })
    }

    fn value(&mut self) -> Option<Value> {
        Some(match self.byte()? {
            0 => Value::Text(self.str()?),
            1 => Value::Markdown {
                text: self.str()?,
                html: self.str()?,
            },
            2 => Value::Bool(self.bool()?),
            3 => Value::Url(self.str()?),
            4 => Value::TextList(self.strs()?),
            5 => Value::Date(self.date()?),
            _ => return None,
        })
    }
}

/// Reads back one event written by [`encode`]; `None` for bytes that are
/// not exactly one.
pub fn decode(bytes: &[u8]) -> Option<Event> {
    let mut r = Reader::new(bytes);
    let e = decode_fields(&mut r)?;
    r.is_empty().then_some(e)
}

fn decode_fields(r: &mut Reader) -> Option<Event> {
    let slug = r.str()?;
    let slug_at = r.located()?;
    let source_path = r.path()?;
    let title = r.str()?;
    let date = r.date()?;
    let end_date = match r.byte()? {
        0 => None,
        1 => Some(EndDate::Ongoing),
        2 => Some(EndDate::On(r.date()?)),
        _ => return None,
    };
    let approximate = r.bool()?;
    let kind = r.str()?;
    let status = match r.byte()? {
        0 => Status::Held,
        1 => Status::Announced,
        2 => Status::Planned,
        3 => Status::Cancelled,
        _ => return None,
    };
    let location = r.opt_str()?;
    let countries = r.strs()?;
    let participants = (0..r.count()?)
        .map(|_| {
            Some(Participant {
                name: r.str()?,
                id: r.str()?,
                role: r.opt_str()?,
                country: r.opt_str()?,
            })
        })
        .collect::<Option<_>>()?;
    let tracks = r.strs()?;
    let tags = r.strs()?;
    let tag_ids = r.strs()?;
    let summary = r.str()?;
    let sources = (0..r.count()?)
        .map(|_| {
            Some(Source {
                title: r.str()?,
                publisher: r.opt_str()?,
                url: r.opt_str()?,
                date: r.opt_date()?,
                archive_url: r.opt_str()?,
            })
        })
        .collect::<Option<_>>()?;
    let quotes = (0..r.count()?)
        .map(|_| {
            Some(Quote {
                text: r.str()?,
                speaker: r.str()?,
                source: match r.usize()? {
                    0 => None,
                    n => Some(n - 1),
                },
            })
        })
        .collect::<Option<_>>()?;
    let related = (0..r.count()?)
        .map(|_| {
            Some(Related {
                event: r.str()?,
                relation: r.str()?,
                at: r.located()?,
            })
        })
        .collect::<Option<_>>()?;
    let draft = r.bool()?;
    let extra = (0..r.count()?)
        .map(|_| {
            // A field this binary does not declare: the cache is not ours.
            let field = schema::field(&r.str()?)?;
            Some((field, r.value()?))
        })
        .collect::<Option<Vec<_>>>()?;
    let body = BodyAt::File {
        offset: r.usize()?,
        hash: r.u64()?,
    };
    let site_links = (0..r.count()?)
        .map(|_| {
            let target = match r.byte()? {
                0 => SiteTarget::Home,
                1 => SiteTarget::Event(r.str()?),
                2 => SiteTarget::Page(r.str()?),
                _ => return None,
            };
            Some(SiteLink {
                target,
                written: r.str()?,
                at: r.located()?,
            })
        })
        .collect::<Option<_>>()?;
    let link_warnings = (0..r.count()?)
        .map(|_| r.diagnostic())
        .collect::<Option<_>>()?;
    Some(Event {
        slug,
        slug_at,
        source_path,
        title,
        date,
        end_date,
        approximate,
        kind,
        status,
        location,
        countries,
        participants,
        tracks,
        tags,
        tag_ids,
        summary,
        sources,
        quotes,
        related,
        draft,
        extra: Values::from_pairs(extra),
        body,
        site_links,
        link_warnings,
    })
}
