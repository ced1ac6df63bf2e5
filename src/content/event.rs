//! The validated records that leave the validate stage: an event and a
//! plain page, with the positions kept for cross-file checks.

use crate::content::body_links::SiteLink;
pub use crate::content::cited::{Cited, Quote, Source};
use crate::content::markdown::Body;
use crate::diagnostic::{Diagnostic, Located, Spot};
use crate::values::dates::{EndDate, EventDate};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Held,
    Announced,
    Planned,
    Cancelled,
}

impl Status {
    pub const ALL: [&'static str; 4] = ["held", "announced", "planned", "cancelled"];

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "held" => Some(Status::Held),
            "announced" => Some(Status::Announced),
            "planned" => Some(Status::Planned),
            "cancelled" => Some(Status::Cancelled),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Announced => "announced",
            Status::Planned => "planned",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Held => "Held",
            Status::Announced => "Announced",
            Status::Planned => "Planned",
            Status::Cancelled => "Cancelled",
        }
    }
}

/// A participant as an event names them. Events name the same few hundred
/// people over and over, so an event holds each through an `Arc`, shared by
/// every event that names them alike (see [`Participant::shared`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Like the other short texts events repeat (names, roles, countries,
    /// publishers, kinds, tracks, tags, places), one copy shared by every
    /// event that names it (see [`crate::values::intern`]).
    pub name: Arc<str>,
    /// Identity shared by every spelling of the name (see [`participant_id`]).
    pub id: Arc<str>,
    pub role: Option<Arc<str>>,
    pub country: Option<Arc<str>>,
    /// The name in its own script (`native`, see [`crate::content::native`]).
    pub native: Option<Box<crate::content::native::Native>>,
}

impl std::hash::Hash for Participant {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal participants have equal names, roles and countries; the
        // identity follows from the name.
        (&self.name, &self.role, &self.country).hash(state);
    }
}

thread_local! {
    static SEEN_PARTICIPANTS: crate::values::intern::Seen<Participant> = Default::default();
}

impl Participant {
    /// `self` shared: the same allocation as every earlier participant
    /// written alike on this thread (see [`crate::values::intern::share`]).
    /// A participant with a native-script name keeps its own, since that
    /// name carries where it was written, for reports that must name the
    /// same place whichever thread parsed the event.
    pub fn shared(self) -> Arc<Participant> {
        if self.native.is_some() {
            return Arc::new(self);
        }
        crate::values::intern::share(&SEEN_PARTICIPANTS, &self, |p| Arc::new(p.clone()))
    }
}

/// A tag as written, with its identity (see [`tag_id`]): one list, so an
/// event holds one allocation for both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: Arc<str>,
    pub id: Arc<str>,
}

/// A link to another event, with where it was written for error reports
/// (in the event's own file: see [`Event::place`]).
#[derive(Debug, Clone)]
pub struct Related {
    pub event: Box<str>,
    /// One of the site's few relation names, shared like the other short
    /// texts events repeat.
    pub relation: Arc<str>,
    pub at: Spot,
}

/// Where an event's rendered body is. `serve` keeps it with the event in
/// its cache and renders pages on request; a build keeps only where the
/// body starts and a hash of the file, and renders the body again while
/// the event's page and the exports are written, so memory grows with the
/// events' metadata, not with their text (see [`crate::content::body`]).
/// A build holds the bodies validation rendered up to a fixed total size
/// ([`HoldBudget`]), so a site of modest size renders each body once.
#[derive(Debug, Clone)]
pub enum BodyAt {
    Kept(Arc<Body>),
    File {
        /// Byte offset of the body in the decoded text (a file holds at
        /// most [`crate::source::load::MAX_FILE_BYTES`]).
        offset: u32,
        /// [`crate::content::body::hash`] of the file's bytes as validated.
        hash: u64,
        /// The same hash of the decoded text before the body (the front
        /// matter and its fences): what every field but the body is read
        /// from (see [`Event::input_digest`]).
        head: u64,
        /// The body as validation rendered it, while the budget lasted.
        held: Option<Arc<HeldBody>>,
    },
}

/// A body rendered during validation, and the base path its `@/` links
/// were rendered against: an edition of the site (another base path, or
/// links leading elsewhere) renders its own.
#[derive(Debug)]
pub struct HeldBody {
    pub base_path: Box<str>,
    pub body: Body,
}

/// The total size of the bodies a build may hold from validation to the
/// pages (see [`BodyAt::File`]), shared by the threads that validate.
#[derive(Debug)]
pub struct HoldBudget {
    left: std::sync::atomic::AtomicIsize,
}

impl HoldBudget {
    /// Enough for the bodies of about ten thousand typical events, and a
    /// fixed amount whatever the size of the site.
    pub const BYTES: usize = 48 << 20;

    pub fn new(bytes: usize) -> HoldBudget {
        HoldBudget {
            left: std::sync::atomic::AtomicIsize::new(isize::try_from(bytes).unwrap_or(isize::MAX)),
        }
    }

    /// Whether any room is left: a body is rendered to be held only then
    /// (rendering costs more than the check a build does otherwise).
    pub fn has_room(&self) -> bool {
        self.left.load(std::sync::atomic::Ordering::Relaxed) > 0
    }

    /// Takes `bytes` of the budget when there is room (the last body taken
    /// may go past it, by at most one body per thread).
    pub fn take(&self, bytes: usize) -> bool {
        let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
        self.left
            .fetch_sub(bytes, std::sync::atomic::Ordering::Relaxed)
            > 0
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    /// Shared with the event's list entry (see `render::context::EventSummary`),
    /// like `title` and `summary`: a build holds both for every event.
    pub slug: Arc<str>,
    /// The file the event was read from (see [`Event::source_path`]),
    /// shared with the diagnostics found in it.
    pub path: Arc<Path>,
    /// Where the slug was written (the first line when it comes from the
    /// file name).
    pub slug_at: Spot,
    pub title: Arc<str>,
    pub date: EventDate,
    pub approximate: bool,
    pub kind: Arc<str>,
    pub status: Status,
    pub location: Option<Arc<str>>,
    pub countries: Box<[Arc<str>]>,
    pub participants: Box<[Arc<Participant>]>,
    pub tracks: Box<[Arc<str>]>,
    pub tags: Box<[Tag]>,
    pub summary: Arc<str>,
    /// `sources` and `quotes`, read through [`Event::sources`] and
    /// [`Event::quotes`].
    pub cited: Cited,
    pub related: Box<[Related]>,
    pub draft: bool,
    /// The rendered body, or where to render it from (see [`BodyAt`]).
    pub body: BodyAt,
    /// The fields most events leave out, boxed together (see [`Rare`]).
    pub rare: Option<Box<Rare>>,
}

/// The fields of an event that most events leave out. A build holds every
/// event to its end, and these took 140 bytes of each, used or not; boxed
/// together they take 8 bytes of an event that has none of them.
#[derive(Debug, Clone, Default)]
pub struct Rare {
    pub end_date: Option<EndDate>,
    /// The location's name in its own script, when written as `{name, native}`.
    /// Boxed: the name in its own script is larger than the rest of
    /// [`Rare`], and events that have an end date rarely have it.
    pub location_native: Option<Box<crate::content::native::Native>>,
    /// `updated` as written; the date shown is worked out in the model
    /// (see `model::updated`).
    pub updated: Option<EventDate>,
    /// `corrections`, in the order written.
    pub corrections: Box<[crate::content::provenance::Correction]>,
    pub media: Box<[crate::content::media::Media]>,
    /// The values of the generic fields beyond the built-in ones (see `schema`).
    pub extra: crate::content::schema::Values,
    /// `@/` links of the body, checked once every slug is known.
    pub site_links: Box<[SiteLink]>,
    /// Body links that will not work, reported without failing a build.
    pub link_warnings: Box<[Diagnostic]>,
}

impl Rare {
    /// `self` boxed, or nothing when every field is empty.
    pub fn boxed(mut self) -> Option<Box<Rare>> {
        let empty = self.end_date.is_none()
            && self.location_native.is_none()
            && self.updated.is_none()
            && self.corrections.is_empty()
            && self.media.is_empty()
            && self.extra.is_empty()
            && self.site_links.is_empty()
            && self.link_warnings.is_empty();
        self.extra.shrink_to_fit();
        (!empty).then(|| Box::new(self))
    }
}

/// What an event without [`Rare`] fields reads them as.
static NO_EXTRA: crate::content::schema::Values = crate::content::schema::Values::EMPTY;

impl Event {
    /// A digest of what the event was read from, its body aside: two
    /// events with the same digest show the same wherever they appear but
    /// in their body, under the same binary and configuration (see
    /// `model::inputs`; what shows the body digests it too). An event is
    /// what validation made of its file, and validation reads nothing else
    /// but those two (the parse cache relies on it, see `content::cache`),
    /// so the file's path, the hash of its front matter and what
    /// validation found in the body (its `@/` links and link warnings)
    /// stand for every field: an edit to the body alone leaves the digest,
    /// and so every other page showing the event, as it was. An event
    /// whose body is kept in memory rather than read from its file is
    /// digested whole.
    pub fn input_digest(&self) -> u128 {
        match &self.body {
            BodyAt::File { offset, head, .. } => {
                let found = self
                    .rare
                    .as_ref()
                    .map(|r| (&r.site_links, &r.link_warnings));
                crate::values::digest::of_debug(&(&self.path, offset, head, found))
            }
            BodyAt::Kept(_) => crate::values::digest::of_debug(self),
        }
    }

    /// The file the event was read from.
    pub fn source_path(&self) -> &Path {
        &self.path
    }

    /// `spot` of the event's file as a place to report, its line read
    /// again from the file.
    pub fn place(&self, spot: Spot) -> Located {
        spot.in_file(&self.path)
    }

    /// The event's sources, unpacked (see [`Cited`]).
    pub fn sources(&self) -> Vec<Source> {
        self.cited.sources()
    }

    /// The event's quotes, unpacked (see [`Cited`]).
    pub fn quotes(&self) -> Vec<Quote> {
        self.cited.quotes()
    }

    pub fn end_date(&self) -> Option<&EndDate> {
        self.rare.as_ref()?.end_date.as_ref()
    }

    pub fn location_native(&self) -> Option<&crate::content::native::Native> {
        self.rare.as_ref()?.location_native.as_deref()
    }

    /// `updated` as written (see [`Rare::updated`]).
    pub fn updated(&self) -> Option<&EventDate> {
        self.rare.as_ref()?.updated.as_ref()
    }

    pub fn corrections(&self) -> &[crate::content::provenance::Correction] {
        self.rare.as_ref().map_or(&[], |r| &r.corrections)
    }

    pub fn media(&self) -> &[crate::content::media::Media] {
        self.rare.as_ref().map_or(&[], |r| &r.media)
    }

    pub fn extra(&self) -> &crate::content::schema::Values {
        self.rare.as_ref().map_or(&NO_EXTRA, |r| &r.extra)
    }

    pub fn site_links(&self) -> &[SiteLink] {
        self.rare.as_ref().map_or(&[], |r| &r.site_links)
    }

    pub fn link_warnings(&self) -> &[Diagnostic] {
        self.rare.as_ref().map_or(&[], |r| &r.link_warnings)
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub slug_at: Located,
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
    pub body_html: String,
    /// `@/` links of the body, checked once every slug is known.
    pub site_links: Vec<SiteLink>,
    /// Body links that will not work, reported without failing a build.
    pub link_warnings: Vec<Diagnostic>,
}

/// Folds a participant's name so "Lloyd  Austin" and "lloyd austin" meet.
pub fn participant_id(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn tag_id(tag: &str) -> String {
    crate::values::slug::slugify(tag)
}

#[cfg(test)]
mod tests {
    /// A build holds every event in an `Arc` (two counters and the event):
    /// kept within 320 bytes, it takes the allocator's 320-byte class, a
    /// sixth less than the next one up.
    #[test]
    fn a_shared_event_fits_in_320_bytes() {
        assert!(16 + std::mem::size_of::<super::Event>() <= 320);
        assert_eq!(std::mem::size_of::<super::Related>(), 48);
        // The rare fields, boxed for an end date alone (a fifth of a
        // generated archive's events), take the allocator's 192-byte
        // class (320 with the native-script place name unboxed).
        assert!(std::mem::size_of::<super::Rare>() <= 192);
    }
}
