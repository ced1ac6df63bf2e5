//! An event's list entry ([`EventSummary`]): what the timeline, term
//! pages, comparisons and an event's own page show of it. A build holds
//! one for every event to its end, so it is kept small: the event's own
//! texts and flags are read from the event itself, each term link is its
//! place in the build's table of links (four bytes instead of a template
//! value), the source tiers are a set of bits. Only what costs real work
//! to make again (the URL, the dates and the span as text) is kept made.
//!
//! It becomes a template value (the fields the README's "Templates and
//! their context" lists) with the table beside it, see
//! [`EventSummary::value`].

use super::context::{DateView, Link, NativeView, TermLink, Thumbnail, date_view};
use super::views::TermLinks;
use crate::content::event::Event;
use crate::values::dates::EndDate;
use crate::values::reliability::Tier;
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct};
use std::sync::Arc;

/// What a list entry (timeline, term page) needs to show an event.
/// Serialised as a struct (see [`Listed`]), never as a map: the template
/// engine then keys its fields by their static names instead of
/// allocating every key of every summary.
#[derive(Debug, Clone)]
pub struct EventSummary {
    /// The event listed: its slug (also its anchor on list pages), title,
    /// one-sentence summary, place, status, year and flags are its own.
    pub event: Arc<Event>,
    /// Site-relative URL of the event page.
    pub url: Box<str>,
    /// Start date.
    pub date: DateView,
    /// End date of a span, if it has ended. (Boxed, like the other fields
    /// most events leave out.)
    pub end_date: Option<Box<DateView>>,
    /// The whole span as text: "28–29 July 2024", "c. 2023", "since March 2025".
    pub when: Box<str>,
    /// The event's kind, countries, tracks, tags and participants (names
    /// only; see `EventPage` for roles), linked to their term pages.
    pub terms: TermRefs,
    /// The place's name in its own script.
    pub location_native: Option<Box<NativeView>>,
    /// The periods the event falls in (those of its tracks and those of
    /// every track): `key` is the period's slug, `url` is empty.
    pub periods: Box<[Link]>,
    /// The event's first image, small, for list entries.
    pub thumbnail: Option<Box<Thumbnail>>,
    /// The reliability tiers of its sources, one bit each by
    /// [`Tier::index`] (see `Cited::tier_bits`): shown as their keys, each once, in that order
    /// (what the timeline's source filter matches).
    pub source_tiers: u8,
    /// In an edition of a multilingual site, the default language's code
    /// when the event is shown untranslated (for `lang` on its texts).
    pub lang: Option<Arc<str>>,
    /// Every generic field of the schema beyond these, under its name.
    pub fields: FieldValues,
}

/// An event's term links in the order a summary shows them: its kind,
/// then as many countries, tracks, tags and participants as the event has
/// (see [`term_counts`]). Each is its place in the build's table (see
/// [`TermLinks::at`]); a term the table lacks, which validation rules
/// out, has a link of its own in `own`, its place marked by [`OWN`].
#[derive(Debug, Clone, Default)]
pub struct TermRefs {
    refs: Box<[u32]>,
    own: Box<[TermLink]>,
}

/// Marks a reference to a link of the summary's own: a table's places
/// are below it (see [`TermLinks::place`]).
pub(super) const OWN: u32 = 1 << 31;

impl TermRefs {
    /// Collects references one term at a time: the term's place in the
    /// table, or its own link when it has none.
    pub fn collect(terms: impl Iterator<Item = Result<u32, TermLink>>) -> TermRefs {
        let mut refs = Vec::new();
        let mut own = Vec::new();
        for term in terms {
            match term {
                Ok(at) => refs.push(at),
                Err(link) => {
                    refs.push(OWN | u32::try_from(own.len()).unwrap_or(0));
                    own.push(link);
                }
            }
        }
        TermRefs {
            refs: refs.into(),
            own: own.into(),
        }
    }

    fn link<'a>(&'a self, table: &'a TermLinks, at: u32) -> Option<&'a TermLink> {
        if at & OWN == 0 {
            table.at(at)
        } else {
            self.own.get((at & !OWN) as usize)
        }
    }
}

/// How many of the kind (always one), countries, tracks, tags and
/// participants an event lists: how [`TermRefs`] divides its references.
pub fn term_counts(e: &Event) -> [usize; 5] {
    [
        1,
        e.countries.len(),
        e.tracks.len(),
        e.tags.len(),
        e.participants.len(),
    ]
}

/// A run of term links, as a list.
struct Links<'a> {
    refs: &'a [u32],
    terms: &'a TermRefs,
    table: &'a TermLinks,
}

impl Serialize for Links<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for &at in self.refs {
            if let Some(link) = self.terms.link(self.table, at) {
                seq.serialize_element(link)?;
            }
        }
        seq.end()
    }
}

/// The keys of the tiers in a set of bits, in their order.
struct Tiers(u8);

impl Serialize for Tiers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for tier in Tier::ALL {
            if self.0 & 1 << tier.index() != 0 {
                seq.serialize_element(tier.key())?;
            }
        }
        seq.end()
    }
}

impl EventSummary {
    /// Puts every field into `s`, the term links taken from `table`, with
    /// `participants` in that field's place (the event page puts its own,
    /// fuller list there).
    pub(super) fn serialize_fields<S: SerializeStruct, P: Serialize + ?Sized>(
        &self,
        table: &TermLinks,
        s: &mut S,
        participants: Option<&P>,
    ) -> Result<(), S::Error> {
        let e = &*self.event;
        let refs = &self.terms.refs;
        // Where each run of `refs` starts and ends.
        let mut bounds = [0usize; 6];
        for (n, count) in term_counts(e).into_iter().enumerate() {
            bounds[n + 1] = (bounds[n] + count).min(refs.len());
        }
        let run = |n: usize| Links {
            refs: refs.get(bounds[n]..bounds[n + 1]).unwrap_or_default(),
            terms: &self.terms,
            table,
        };
        let kind = self.kind(table);
        s.serialize_field("slug", &e.slug)?;
        s.serialize_field("url", &self.url)?;
        s.serialize_field("title", &e.title)?;
        s.serialize_field("summary", &e.summary)?;
        s.serialize_field("date", &self.date)?;
        s.serialize_field("end_date", &self.end_date)?;
        // The span has no end yet ("since March 2025").
        let ongoing = matches!(e.end_date(), Some(EndDate::Ongoing));
        s.serialize_field("ongoing", &ongoing)?;
        s.serialize_field("when", &self.when)?;
        s.serialize_field("approximate", &e.approximate)?;
        s.serialize_field("year", &e.date.year)?;
        s.serialize_field("kind", &kind)?;
        s.serialize_field("status", &table.status(e.status))?;
        s.serialize_field("countries", &run(1))?;
        s.serialize_field("tracks", &run(2))?;
        s.serialize_field("tags", &run(3))?;
        match participants {
            Some(own) => s.serialize_field("participants", own)?,
            None => s.serialize_field("participants", &run(4))?,
        }
        s.serialize_field("location", &e.location)?;
        s.serialize_field("location_native", &self.location_native)?;
        s.serialize_field("draft", &e.draft)?;
        s.serialize_field("periods", &self.periods)?;
        s.serialize_field("thumbnail", &self.thumbnail)?;
        s.serialize_field("source_tiers", &Tiers(self.source_tiers))?;
        if let Some(lang) = &self.lang {
            s.serialize_field("lang", lang)?;
        }
        for (name, value) in &self.fields.0 {
            s.serialize_field(name, value)?;
        }
        Ok(())
    }

    /// The event's kind, linked to its term page.
    fn kind<'a>(&'a self, table: &'a TermLinks) -> Option<&'a TermLink> {
        let at = *self.terms.refs.first()?;
        self.terms.link(table, at)
    }

    /// Puts what a cell of the built-in comparison shows: the event's
    /// address, title, kind and status ([`CELL_FIELDS`] fields).
    fn serialize_cell_fields<S: SerializeStruct>(
        &self,
        table: &TermLinks,
        s: &mut S,
    ) -> Result<(), S::Error> {
        s.serialize_field("url", &self.url)?;
        s.serialize_field("title", &self.event.title)?;
        s.serialize_field("kind", &self.kind(table))?;
        s.serialize_field("status", &table.status(self.event.status))
    }

    /// How many fields [`Self::serialize_fields`] puts.
    pub(super) fn field_count(&self) -> usize {
        22 + usize::from(self.lang.is_some()) + self.fields.0.len()
    }

    /// The entry as a template value, its term links taken from `table`;
    /// with a `fingerprint`, carrying it for page fingerprints (see
    /// [`super::reuse::Memo`]).
    pub fn value(&self, table: &TermLinks, fingerprint: Option<u128>) -> tera::Value {
        tera::Value::from_serializable(&Listed {
            fields: Fields::All(self, table),
            fingerprint,
            entry_html: None,
        })
    }

    /// The entry as a cell of the built-in comparison reads it (see
    /// [`Self::serialize_cell_fields`]), carrying its `fingerprint` as
    /// [`Self::value`] does, so the page's fingerprint is the same.
    pub fn cell_value(&self, table: &TermLinks, fingerprint: Option<u128>) -> tera::Value {
        tera::Value::from_serializable(&Listed {
            fields: Fields::Cell(self, table),
            fingerprint,
            entry_html: None,
        })
    }

    /// Like [`Self::value`], with the entry as the built-in theme's
    /// `partials/event-item.html` renders it, under `entry_html`.
    pub fn value_with_entry(
        &self,
        table: &TermLinks,
        fingerprint: Option<u128>,
        entry_html: &str,
    ) -> tera::Value {
        tera::Value::from_serializable(&Listed {
            fields: Fields::All(self, table),
            fingerprint,
            entry_html: Some(entry_html),
        })
    }
}

/// An entry as a template value: which of its fields it holds, and the
/// rendered entry and fingerprint it may carry.
struct Listed<'a> {
    fields: Fields<'a>,
    fingerprint: Option<u128>,
    entry_html: Option<&'a str>,
}

/// How many fields `EventSummary::serialize_cell_fields` puts.
const CELL_FIELDS: usize = 4;

/// Which of an entry's fields a value holds, with the table its term
/// links are in.
#[derive(Clone, Copy)]
enum Fields<'a> {
    /// None: the value stands in for the entry.
    None,
    All(&'a EventSummary, &'a TermLinks),
    /// What a cell of the built-in comparison shows.
    Cell(&'a EventSummary, &'a TermLinks),
}

impl Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let count = match self.fields {
            Fields::None => 0,
            Fields::All(summary, _) => summary.field_count(),
            Fields::Cell(..) => CELL_FIELDS,
        } + usize::from(self.fingerprint.is_some())
            + usize::from(self.entry_html.is_some());
        let mut s = serializer.serialize_struct("EventSummary", count)?;
        match self.fields {
            Fields::None => {}
            Fields::All(summary, table) => summary.serialize_fields(table, &mut s, None::<&()>)?,
            Fields::Cell(summary, table) => summary.serialize_cell_fields(table, &mut s)?,
        }
        if let Some(entry_html) = self.entry_html {
            s.serialize_field("entry_html", &tera::Value::safe_string(entry_html))?;
        }
        // Last: the fingerprint walk looks for it there.
        if let Some(fingerprint) = self.fingerprint {
            s.serialize_field(super::reuse::FINGERPRINT_KEY, &fingerprint)?;
        }
        s.end()
    }
}

/// What stands in for an entry without its fields: its `entry_html` when
/// given (a list of groups whose templates read only that, see
/// `Shared::listed`), and its fingerprint, last as in every entry, so a
/// page's fingerprint is the same as with the whole entry.
pub(super) fn without_fields(entry_html: Option<&str>, fingerprint: Option<u128>) -> tera::Value {
    tera::Value::from_serializable(&Listed {
        fields: Fields::None,
        fingerprint,
        entry_html,
    })
}

/// The event's generic fields (`schema::Held::Extra`) for templates: each
/// under its name, `null` (or `false`, `[]`) when absent; Markdown as its
/// rendered HTML, a date like `date`.
#[derive(Debug, Clone, Default)]
pub struct FieldValues(Box<[(&'static str, tera::Value)]>);

impl FieldValues {
    pub fn new(e: &Event, locale: &crate::i18n::Locale) -> FieldValues {
        use crate::content::schema::{FIELDS, Held, Value};
        FieldValues(
            FIELDS
                .iter()
                .filter(|f| f.held == Held::Extra)
                .map(|f| {
                    let value = match e.extra().get(f.name) {
                        Some(Value::Markdown { html, .. }) => tera::Value::from(html.as_str()),
                        Some(Value::Date(d)) => {
                            tera::Value::from_serializable(&date_view(d, locale))
                        }
                        Some(v) => tera::Value::from_serializable(&v.to_json()),
                        None => tera::Value::from_serializable(
                            &crate::content::schema::absent_json(f.shape),
                        ),
                    };
                    (f.name, value)
                })
                .collect(),
        )
    }
}
