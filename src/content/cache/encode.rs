//! The parse cache's encoding of one validated [`Event`]: a compact,
//! length-prefixed binary form (LEB128 integers, zigzag for signed ones,
//! strings as length and UTF-8 bytes), read back by `decode`.

use crate::content::body_links::SiteTarget;
use crate::content::event::{BodyAt, Event, Status};
use crate::content::media::{MediaSrc, Place};
use crate::content::schema::Value;
use crate::diagnostic::{Diagnostic, Located, Pos};
use crate::values::dates::{EndDate, EventDate};

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

    fn strs<S: AsRef<str>>(&mut self, items: &[S]) {
        self.usize(items.len());
        for s in items {
            self.str(s.as_ref());
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

    fn native(&mut self, n: Option<&crate::content::native::Native>) -> Option<()> {
        self.bool(n.is_some());
        if let Some(n) = n {
            self.str(&n.text);
            self.str(&n.lang);
            self.located(&n.at)?;
        }
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
    let BodyAt::File { offset, hash, .. } = &e.body else {
        return None;
    };
    w.str(&e.slug);
    w.located(&e.slug_at)?;
    w.str(&e.title);
    w.date(&e.date);
    match &e.end_date() {
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
    w.native(e.location_native())?;
    w.strs(&e.countries);
    w.usize(e.participants.len());
    for p in &e.participants {
        w.str(&p.name);
        w.str(&p.id);
        w.opt_str(p.role.as_deref());
        w.opt_str(p.country.as_deref());
        w.native(p.native.as_deref())?;
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
        w.0.push(s.reliability.map_or(0, |t| t.index() as u8 + 1));
    }
    w.usize(e.quotes.len());
    for q in &e.quotes {
        w.str(&q.text);
        w.str(&q.speaker);
        w.u64(q.source.map_or(0, |s| s as u64 + 1));
    }
    w.usize(e.media().len());
    for m in e.media() {
        w.str(&m.written);
        match &m.src {
            MediaSrc::Local { path, place } => {
                let (tag, rel) = match place {
                    Place::Static(rel) => (0, rel),
                    Place::Beside(rel) => (1, rel),
                };
                w.0.push(tag);
                w.path(path)?;
                w.str(rel);
            }
            MediaSrc::Remote(url) => {
                w.0.push(2);
                w.str(url);
            }
        }
        w.str(m.kind.key());
        w.opt_str(m.alt.as_deref());
        w.opt_str(m.caption.as_deref());
        w.opt_str(m.credit.as_deref());
        w.located(&m.at)?;
    }
    w.usize(e.related.len());
    for r in &e.related {
        w.str(&r.event);
        w.str(&r.relation);
        w.located(&r.at)?;
    }
    w.opt_date(e.updated());
    w.usize(e.corrections().len());
    for c in e.corrections() {
        w.date(&c.date);
        w.str(&c.text);
        w.str(&c.html);
    }
    w.bool(e.draft);
    let extra: Vec<_> = e.extra().iter().collect();
    w.usize(extra.len());
    for (field, value) in extra {
        w.str(field.name);
        w.value(value);
    }
    w.usize(*offset);
    w.u64(*hash);
    w.usize(e.site_links().len());
    for l in e.site_links() {
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
    w.usize(e.link_warnings().len());
    for d in e.link_warnings() {
        w.diagnostic(d)?;
    }
    Some(())
}
