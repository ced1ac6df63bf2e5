//! The parse cache's encoding of one validated [`Event`]: a compact,
//! length-prefixed binary form (LEB128 integers, zigzag for signed ones,
//! strings as length and UTF-8 bytes), read back by `decode`.

use crate::content::body_links::SiteTarget;
use crate::content::codec::Writer;
use crate::content::event::{BodyAt, Event, Status};
use crate::content::media::{MediaSrc, Place};
use crate::content::schema::Value;
use crate::diagnostic::{Diagnostic, Located, Pos};
use crate::values::dates::EndDate;

impl Writer<'_> {
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

    fn spot(&mut self, s: crate::diagnostic::Spot) {
        self.pos(s.pos());
        self.usize(s.width());
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
    let BodyAt::File {
        offset, hash, head, ..
    } = &e.body
    else {
        return None;
    };
    w.str(&e.slug);
    w.path(&e.path)?;
    w.spot(e.slug_at);
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
    w.usize(e.tags.len());
    for t in &e.tags {
        w.str(&t.name);
        w.str(&t.id);
    }
    w.str(&e.summary);
    w.bytes(e.cited.packed());
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
        w.spot(r.at);
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
    w.usize(*offset as usize);
    w.u64(*hash);
    w.u64(*head);
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
