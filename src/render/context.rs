//! The template contract: every value a template receives is one of the
//! serialisable structs defined here, built from the model. Templates see
//! only these, never the model itself, so a theme cannot depend on
//! internals and the summaries are computed once per build. The README's
//! "Templates and their context" lists which page gets which of them; the
//! field docs below are the reference for theme authors.
//!
//! `views` builds the values several pages share (summaries, the event
//! page, the site); the page functions build the page-specific ones.

pub use super::summary::{EventSummary, FieldValues, TermRefs};
pub use crate::urls::Urls;
use serde::Serialize;
use std::sync::Arc;

/// A labelled link to a page of the site (navigation, a term, a taxonomy).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Stable identifier: a term's slug, a taxonomy's key (`kinds`), a
    /// navigation entry's key (`timeline`, `years`, `search`…).
    pub key: String,
    /// Text to show.
    pub label: String,
    /// Site-relative URL (under the base path); empty for a status badge.
    pub url: String,
}

/// A date at the precision it was written.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `<time datetime>` value, at the written precision. (Boxed texts, as
    /// every list entry holds one or two dates to the end of a build.)
    pub machine: Box<str>,
    /// "28 July 2024", "March 2025", "2025".
    pub display: Box<str>,
    /// `"year"`, `"month"`, `"day"` or `"time"`.
    pub precision: crate::values::dates::Precision,
}

/// A name in its own script, shown beside the romanised name: first, with
/// the romanised name after it in brackets, when the page is in its
/// language; else after the romanised name. Always in an element with
/// `lang` (`partials/name.html` writes both orders).
#[derive(Debug, Clone, Serialize)]
pub struct NativeView {
    /// The name as written in `native`.
    pub text: String,
    /// Its language tag, for the `lang` attribute.
    pub lang: String,
    /// The page is in this language: show it first.
    pub first: bool,
}

/// A participant on the event page.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub name: Arc<str>,
    /// The name in its own script.
    pub native: Option<NativeView>,
    /// Site-relative URL of the participant's term page.
    pub url: String,
    /// Role at this event, as written.
    pub role: Option<Arc<str>>,
    /// The participant's country, linked to its term page.
    pub country: Option<Link>,
}

/// A numbered source of the event page.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// 1-based number, as cited in the text.
    pub number: usize,
    /// Anchor id: `source-<number>`.
    pub id: String,
    pub title: String,
    pub publisher: Option<Arc<str>>,
    /// Where the source can be read, as written.
    pub url: Option<String>,
    /// Publication date.
    pub date: Option<DateView>,
    /// An archived copy.
    pub archive_url: Option<String>,
    /// Its reliability tier as a badge (`key`: `primary`, `official`,
    /// `press` or `analysis`; `label` as `site.yaml` names it; `url`
    /// empty), when the source says.
    pub reliability: Option<Link>,
}

/// A correction notice on the event page.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    /// Its anchor on the event page: `correction-<YYYY-MM-DD>-<n>`.
    pub id: String,
    /// When it was corrected.
    pub date: DateView,
    /// What was corrected, as HTML.
    pub html: String,
}

/// A correction on the `corrections/` page, with the event it corrects.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCorrectionView {
    /// Site-relative URL of the notice on its event's page.
    pub url: String,
    pub date: DateView,
    pub html: String,
    pub event: EventRef,
}

/// A quote on the event page.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub text: String,
    pub speaker: String,
    /// The speaker's participant page, when the speaker is a participant.
    pub speaker_url: Option<String>,
    /// The speaker's name in its own script, when the speaker is a
    /// participant who has one.
    pub speaker_native: Option<NativeView>,
    /// The source the quote cites.
    pub source: Option<SourceView>,
}

/// An image shown small: `url` with its pixel size when known (set
/// `width` and `height` so the page does not shift while it loads).
#[derive(Debug, Clone, Serialize)]
pub struct Thumbnail {
    pub url: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A media item of the event page.
#[derive(Debug, Clone, Serialize)]
pub struct MediaView {
    /// `image`, `video`, `audio` or `embed`.
    pub kind: &'static str,
    /// Site-relative URL of a local file (an image's largest resized
    /// copy), or the https address.
    pub url: String,
    /// Whether `url` is on this site (a remote video is not preloaded).
    pub local: bool,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// MIME type of a file (`<source type>`).
    pub mime: Option<String>,
    /// Pixel size of an image, when known.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `srcset` of a resized image: `url 480w, url 960w, …`.
    pub srcset: Option<String>,
    /// An embed's iframe address, loaded only when the reader asks.
    pub frame_url: Option<String>,
    /// The host of an item kept on another site (an embed, a remote
    /// image, video or audio file), named on its click-to-load placeholder.
    pub host: Option<String>,
}

/// One kind of relation of the event page, both directions.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// The relation's label from `site.yaml` (or its inverse label).
    pub label: String,
    pub events: Vec<EventRef>,
}

/// A short reference to another event (relations, previous/next).
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    pub title: String,
    /// Site-relative URL of the event page.
    pub url: String,
    /// The span as text, as in [`EventSummary::when`].
    pub when: String,
    /// Start date.
    pub date: DateView,
}

impl EventRef {
    /// The reference to the event of list entry `summary`.
    pub fn of(summary: &EventSummary) -> EventRef {
        EventRef {
            title: summary.event.title.to_string(),
            url: summary.url.to_string(),
            when: summary.when.to_string(),
            date: summary.date.clone(),
        }
    }
}

/// Everything the event page shows: `event` in `event.html`. The summary's
/// fields are at the top level (`event.title`, `event.when`…), except
/// `participants`, which this struct's own list replaces.
/// Serialised as one struct, the summary's fields first (see
/// [`EventSummary::value`]).
pub struct EventPage<'a> {
    /// The event's list entry, as the lists show it.
    pub summary: std::sync::Arc<EventSummary>,
    /// The build's term links, which the summary's are places in.
    pub table: &'a super::views::TermLinks,
    /// The Markdown body as HTML (sanitised unless `markdown.unsafe_html`).
    pub body_html: &'a str,
    pub participants: Vec<ParticipantView>,
    pub sources: Vec<SourceView>,
    pub quotes: Vec<QuoteView>,
    /// Images, video, audio and embeds, in the order written.
    pub media: Vec<MediaView>,
    /// Whether `media` holds an embed (whose placeholder needs the script).
    pub has_embeds: bool,
    pub relations: Vec<RelationView>,
    /// The chronologically previous and next events.
    pub previous: Option<EventRef>,
    pub next: Option<EventRef>,
    /// When the event last changed: `updated` from the front matter, else
    /// its file's last commit when the site is in git, and never before
    /// its latest correction. `None` when nothing says.
    pub updated: Option<DateView>,
    /// Its corrections, newest first.
    pub corrections: Vec<CorrectionView>,
    /// The `corrections/` page.
    pub corrections_url: String,
}

impl Serialize for EventPage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("EventPage", self.summary.field_count() + 11)?;
        self.summary
            .serialize_fields(self.table, &mut s, Some(&self.participants))?;
        s.serialize_field("body_html", self.body_html)?;
        s.serialize_field("sources", &self.sources)?;
        s.serialize_field("quotes", &self.quotes)?;
        s.serialize_field("media", &self.media)?;
        s.serialize_field("has_embeds", &self.has_embeds)?;
        s.serialize_field("relations", &self.relations)?;
        s.serialize_field("previous", &self.previous)?;
        s.serialize_field("next", &self.next)?;
        s.serialize_field("updated", &self.updated)?;
        s.serialize_field("corrections", &self.corrections)?;
        s.serialize_field("corrections_url", &self.corrections_url)?;
        s.end()
    }
}

/// Site-wide values every page gets: `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    /// `language` from `site.yaml`, for `<html lang>` and the `t`
    /// function's choice of translations.
    pub language: String,
    /// `ltr` or `rtl`, for `<html dir>`: the language's direction or
    /// `site.yaml`'s `dir`.
    pub dir: &'static str,
    /// The base URL as configured (absolute, or a path).
    pub base_url: String,
    /// Its path part: `/` or `/timeline/`.
    pub base_path: String,
    /// Site-relative URLs of the home page, the stylesheet and the script.
    pub home_url: String,
    pub stylesheet_url: String,
    pub script_url: String,
    /// Main navigation: timeline, years, compare, each non-empty taxonomy,
    /// search when enabled. `key` is what `page.section` holds on its pages.
    pub nav: Vec<Link>,
    /// The pages of `content/pages`.
    pub pages: Vec<Link>,
    pub event_count: usize,
    /// `annals <version>`.
    pub generator: String,
}

/// A link every summary showing the same term shares: made once per
/// build as a template value, so 100,000 summaries hold pointers to a few
/// hundred links instead of copies, and converting a summary for the
/// templates copies a pointer per link (Tera passes a `tera::Value` met
/// while serialising through as is).
#[derive(Debug, Clone)]
pub struct TermLink(tera::Value);

impl TermLink {
    pub fn new(link: &Link) -> TermLink {
        TermLink(tera::Value::from_serializable(link))
    }
}

impl Serialize for TermLink {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A month's events on a list page.
#[derive(Debug, Serialize)]
pub struct MonthGroup {
    /// Anchor id: `m<yyyy>-<mm>`, or `m<yyyy>` for events known only to the year.
    pub id: String,
    /// "July 2024", or "2024, month not known".
    pub label: String,
    /// [`EventSummary`] values, already converted for the template engine
    /// (see `render::Prepared`): cloning one is a reference-count increment.
    pub events: Vec<tera::Value>,
}

/// A year's events on a list page (`groups`), in display order.
#[derive(Debug, Serialize)]
pub struct YearGroup {
    pub year: i32,
    /// Anchor id: `y<yyyy>`.
    pub id: String,
    /// Site-relative URL of the year's page.
    pub url: String,
    /// Events of this year in the list.
    pub count: usize,
    pub months: Vec<MonthGroup>,
    /// The year's events began on the previous page of a paginated list.
    pub continued: bool,
}

/// A `<link rel="alternate">` feed for a page's `<head>`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// `application/atom+xml` or `application/feed+json`.
    pub mime: &'static str,
    pub title: String,
    /// Site-relative URL of the feed.
    pub url: String,
}

/// What every page says about itself: `page`.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// For `<title>` and the heading.
    pub title: String,
    /// For `<meta name="description">`.
    pub description: String,
    /// Absolute URL of the page when the site has an absolute base URL.
    pub canonical: Option<String>,
    /// Path of the page under the base path, e.g. `events/x/` (empty for
    /// the home page).
    pub path: String,
    /// Which navigation entry the page belongs to: a [`SiteView::nav`] key,
    /// or `events`, `pages`, `404`, `embed`.
    pub section: &'static str,
    /// `<link rel="alternate">` feeds for the head (term feed first).
    pub feeds: Vec<FeedLink>,
    /// The page's place in its list, when the list has more than one page.
    pub pagination: Option<Pagination>,
    /// In a multilingual site, `<link rel="alternate" hreflang>` of the
    /// page: each edition that has it (this one included), then
    /// `x-default`, the default language's. Absent in a site of one language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<Alternate>,
    /// In a multilingual site, the language switcher: every edition, each
    /// linking to this page there, else to its home page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageLink>,
}

/// One `<link rel="alternate" hreflang>` of a page.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// A language code, or `x-default`.
    pub hreflang: String,
    /// Absolute URL of the page in that edition.
    pub url: String,
}

/// One entry of the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    /// The language code, for `lang` and `hreflang`.
    pub code: String,
    /// Its name in itself (`日本語`).
    pub name: String,
    /// Site-relative URL: this page in that edition, else its home page.
    pub url: String,
    /// The edition of this page.
    pub current: bool,
    /// Whether the edition has this page (else `url` is its home page).
    pub same_page: bool,
}

/// The note of a page in an edition of a multilingual site: `translation`.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationNote {
    /// Whether the page is translated (else it is shown in the default language).
    pub translated: bool,
    /// The default language's code and name: what it was translated from,
    /// or is shown in.
    pub original_lang: String,
    pub original_name: String,
    /// The name of the page's edition language.
    pub language_name: String,
    /// The credit: the translation's `translator`, else the edition's.
    pub translator: Option<String>,
}

/// A term of a taxonomy with its page and event count.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// The term's slug.
    pub key: String,
    pub label: String,
    /// Site-relative URL of the term's page.
    pub url: String,
    /// Events with this term.
    pub count: usize,
    /// `description` from `site.yaml`.
    pub description: Option<&'a str>,
    /// A participant's roles across events, as written.
    pub roles: &'a [String],
    /// A participant's name in its own script.
    pub native: Option<NativeView>,
}

/// One filter of the timeline: a taxonomy and its terms.
#[derive(Debug, Serialize)]
pub struct FilterView<'a> {
    /// The taxonomy's key: `kinds`, `countries`, `tracks`, `participants`, `tags`.
    pub key: &'static str,
    /// Its singular label: "Kind", "Country"…
    pub label: String,
    pub terms: Vec<TermView<'a>>,
}

/// A year with its page: `years`, `year_list`, `earlier_years`,
/// `previous_year`, `next_year`.
#[derive(Debug, Clone, Serialize)]
pub struct YearLink {
    pub year: i32,
    /// Site-relative URL of the year's page.
    pub url: String,
    /// The year's anchor id on the timeline: `y<yyyy>`.
    pub id: String,
    /// Events in the year.
    pub count: usize,
}

/// A compared track: a lane of the compare page.
#[derive(Debug, Clone, Serialize)]
pub struct LaneView {
    /// The track's slug.
    pub key: String,
    pub label: String,
    /// Site-relative URL of the track's term page.
    pub url: String,
    /// Events in the track.
    pub count: usize,
}

/// One lane's events on one row of the compare page.
#[derive(Debug, Serialize)]
pub struct CellView {
    /// The lane's track label.
    pub lane: String,
    /// [`EventSummary`] values (see `render::Prepared`).
    pub events: Vec<tera::Value>,
}

/// A row of the compare page: one date at its written precision.
#[derive(Debug, Serialize)]
pub struct RowView {
    /// Anchor id: `d<yyyy>`, `d<yyyy>-<mm>` or `d<yyyy>-<mm>-<dd>`.
    pub id: String,
    /// `<time datetime>` value.
    pub machine: String,
    /// The date as text.
    pub display: String,
    /// "No events for 3 months" before this row, when months passed.
    pub gap: Option<String>,
    /// Every lane has an event on this row: the tracks moved in step.
    pub together: bool,
    /// One cell per lane, in lane order.
    pub cells: Vec<CellView>,
    /// Periods that begin by this row (shown just above it).
    pub periods: Vec<ComparePeriod>,
    /// The row's date, to place periods.
    #[serde(skip)]
    pub date: crate::values::dates::EventDate,
}

/// A period (era) as templates see it: `periods` on the timeline, year
/// and compare pages, and `site_periods` on every one of them, as plain
/// data so a theme can also draw them on a time axis.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    /// The period's slug.
    pub slug: String,
    /// Anchor id on list pages: `period-<slug>`.
    pub id: String,
    pub title: String,
    /// Start, at its written precision (`machine` is ISO 8601).
    pub start: DateView,
    /// End, unless the period is still going on.
    pub end: Option<DateView>,
    /// No end was written: the period goes on.
    pub ongoing: bool,
    /// The span as text: "March–June 2024", "since 2021".
    pub when: String,
    /// The track the period belongs to; `None` for every track.
    pub track: Option<Link>,
    /// The description (Markdown rendered to HTML).
    pub description_html: Option<String>,
    /// The year pages (years with events) the period overlaps.
    pub years: Vec<YearLink>,
}

/// A period on a compare page, above the row it begins by.
#[derive(Debug, Clone, Serialize)]
pub struct ComparePeriod {
    /// A [`PeriodView`] value.
    pub period: tera::Value,
    /// The period has no track: it spans every lane.
    pub across: bool,
    /// Per lane (in lane order), whether the period is that lane's.
    pub lanes: Vec<bool>,
}

/// A pair of tracks and its page.
#[derive(Debug, Clone, Serialize)]
pub struct PairLink {
    /// `<a>--<b>` (track slugs).
    pub key: String,
    /// "A and B".
    pub label: String,
    /// Site-relative URL of the pair's compare page.
    pub url: String,
    /// This is the page being shown.
    pub current: bool,
}

/// The compare page's data: `compare` in `compare.html`.
#[derive(Debug, Serialize)]
pub struct CompareView {
    pub lanes: Vec<LaneView>,
    pub rows: Vec<RowView>,
    /// Every pair of tracks, each with a page.
    pub pairs: Vec<PairLink>,
    /// Rows where every lane has an event.
    pub together_count: usize,
    /// Periods of the page's stretch that begin after its last row.
    pub periods_after: Vec<ComparePeriod>,
}

/// An embed a newsroom can copy, with its ready-made `<iframe>` snippet.
#[derive(Debug, Serialize)]
pub struct EmbedSnippet {
    /// What the embed shows: "All events" or a track's label.
    pub label: String,
    /// The embed's URL (absolute with an absolute base URL), percent-encoded.
    pub url: String,
    /// The `<iframe>` element as HTML source, each value escaped for where
    /// it lands; autoescaping shows it as text for copying.
    pub snippet: String,
}

pub fn date_view(d: &crate::values::dates::EventDate, locale: &crate::i18n::Locale) -> DateView {
    DateView {
        machine: d.machine().into(),
        display: d.display_in(locale).into(),
        precision: d.precision(),
    }
}

/// A page of a paginated list, as the page navigation links it.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page number; `None` for numbers left out (an ellipsis).
    pub number: Option<usize>,
    /// Site-relative URL of the page; empty for an ellipsis.
    pub url: String,
    /// This is the page being shown.
    pub current: bool,
}

/// Where a page sits in its paginated list: `page.pagination`, present
/// only on lists longer than one page.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// Site-relative URLs of the neighbouring pages.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The page numbers to show, with ellipses where some are left out.
    pub pages: Vec<PageLink>,
    /// Which entries (1-based, in display order) this page shows, of `entries`.
    pub first_entry: usize,
    pub last_entry: usize,
    pub entries: usize,
}

/// How to cite the event: `cite` in `event.html` (shown by
/// `partials/cite.html`). The text citation reads `{{ site }}. “{{ title }}”
/// {{ when }}. {{ url }}.`; the page's script adds the reader's accessed date.
#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    /// The site's title, which is also the publisher.
    pub site: String,
    /// The event's title with the sentence's closing punctuation.
    pub title: String,
    /// The event's date as the page shows it, capitalised.
    pub when: String,
    /// The event page's absolute address.
    pub url: String,
    /// The whole citation as one line of plain text.
    pub text: String,
    /// Site-relative URLs of the event's `cite.json` (CSL-JSON), `cite.bib`
    /// (BibTeX) and `cite.ris` (RIS).
    pub csl_url: String,
    pub bibtex_url: String,
    pub ris_url: String,
}
