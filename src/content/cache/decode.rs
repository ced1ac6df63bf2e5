//! Reads back what `encode` wrote. Every length and tag is checked
//! against the bytes left, and anything unexpected gives `None`, so damaged
//! bytes are never turned into an event (each part's checksum guards the
//! cache besides, see `cache`).

use crate::content::body_links::{SiteLink, SiteTarget};
use crate::content::codec::Reader;
use crate::content::event::{BodyAt, Cited, Event, Participant, Rare, Related, Status, Tag};
use crate::content::media::{Media, MediaKind, MediaSrc, Place};
use crate::content::provenance::Correction;
use crate::content::schema::{self, Value, Values};
use crate::diagnostic::{Diagnostic, Located, Pos};
use crate::values::dates::EndDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl<'b> Reader<'b> {
    fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }

    /// A text to be shared (see [`Event`]'s `slug`), made straight from
    /// the bytes read rather than through a `String`.
    fn shared(&mut self) -> Option<Arc<str>> {
        self.text().map(Arc::from)
    }

    /// A short text events repeat, as one shared copy (see
    /// [`crate::values::intern`]).
    fn interned(&mut self) -> Option<Arc<str>> {
        self.text().map(crate::values::intern::intern)
    }

    fn opt_interned(&mut self) -> Option<Option<Arc<str>>> {
        self.opt(Self::interned)
    }

    fn interned_list(&mut self) -> Option<Vec<Arc<str>>> {
        let n = self.count()?;
        (0..n).map(|_| self.interned()).collect()
    }

    fn path(&mut self) -> Option<PathBuf> {
        self.str().map(PathBuf::from)
    }

    /// A path, shared with the path read before it when they are equal
    /// (compared as read, so a repeated path costs no allocation).
    fn shared_path(&mut self) -> Option<Arc<Path>> {
        let path = Path::new(std::str::from_utf8(self.bytes()?).ok()?);
        if let Some(last) = self.last_path.as_ref().filter(|last| ***last == *path) {
            return Some(last.clone());
        }
        let shared: Arc<Path> = path.into();
        self.last_path = Some(shared.clone());
        Some(shared)
    }

    fn pos(&mut self) -> Option<Pos> {
        Some(Pos {
            line: self.usize()?,
            column: self.usize()?,
        })
    }

    fn native(&mut self) -> Option<Option<crate::content::native::Native>> {
        if !self.bool()? {
            return Some(None);
        }
        Some(Some(crate::content::native::Native {
            text: self.str()?,
            lang: self.str()?,
            at: self.located()?,
        }))
    }

    fn spot(&mut self) -> Option<crate::diagnostic::Spot> {
        Some(crate::diagnostic::Spot::new(self.pos()?, self.usize()?))
    }

    fn located(&mut self) -> Option<Located> {
        Some(Located {
            path: self.shared_path()?,
            pos: self.pos()?,
            width: self.usize()?,
            line_text: self.str()?,
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
    let slug = r.shared()?;
    let path = r.shared_path()?;
    let slug_at = r.spot()?;
    let title = r.shared()?;
    let date = r.date()?;
    let end_date = match r.byte()? {
        0 => None,
        1 => Some(EndDate::Ongoing),
        2 => Some(EndDate::On(r.date()?)),
        _ => return None,
    };
    let approximate = r.bool()?;
    let kind = r.interned()?;
    let status = match r.byte()? {
        0 => Status::Held,
        1 => Status::Announced,
        2 => Status::Planned,
        3 => Status::Cancelled,
        _ => return None,
    };
    let location = r.opt_interned()?;
    let location_native = r.native()?;
    let countries = r.interned_list()?;
    let participants = (0..r.count()?)
        .map(|_| {
            Some(
                Participant {
                    name: r.interned()?,
                    id: r.interned()?,
                    role: r.opt_interned()?,
                    country: r.opt_interned()?,
                    native: r.native()?.map(Box::new),
                }
                .shared(),
            )
        })
        .collect::<Option<_>>()?;
    let tracks = r.interned_list()?;
    let tags = (0..r.count()?)
        .map(|_| {
            Some(Tag {
                name: r.interned()?,
                id: r.interned()?,
            })
        })
        .collect::<Option<_>>()?;
    let summary = r.shared()?;
    let cited = Cited::from_packed(r.bytes()?)?;
    let media = (0..r.count()?)
        .map(|_| {
            let written = r.str()?;
            let src = match r.byte()? {
                0 => MediaSrc::Local {
                    path: r.path()?,
                    place: Place::Static(r.str()?),
                },
                1 => MediaSrc::Local {
                    path: r.path()?,
                    place: Place::Beside(r.str()?),
                },
                2 => MediaSrc::Remote(r.str()?),
                _ => return None,
            };
            Some(Media {
                written,
                src,
                kind: MediaKind::parse(&r.str()?)?,
                alt: r.opt_str()?,
                caption: r.opt_str()?,
                credit: r.opt_str()?,
                at: r.located()?,
            })
        })
        .collect::<Option<_>>()?;
    let related = (0..r.count()?)
        .map(|_| {
            Some(Related {
                event: r.str()?.into(),
                relation: r.interned()?,
                at: r.spot()?,
            })
        })
        .collect::<Option<_>>()?;
    let updated = r.opt_date()?;
    let corrections = (0..r.count()?)
        .map(|_| {
            Some(Correction {
                date: r.date()?,
                text: r.str()?,
                html: r.str()?,
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
        offset: u32::try_from(r.usize()?).ok()?,
        hash: r.u64()?,
        head: r.u64()?,
        held: None,
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
        path,
        slug_at,
        title,
        date,
        approximate,
        kind,
        status,
        location,
        countries: countries.into(),
        participants,
        tracks: tracks.into(),
        tags,
        summary,
        cited,
        related,
        draft,
        body,
        rare: Rare {
            end_date,
            location_native: location_native.map(Box::new),
            updated,
            corrections,
            media,
            extra: Values::from_pairs(extra),
            site_links,
            link_warnings,
        }
        .boxed(),
    })
}
