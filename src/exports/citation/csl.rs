//! An event's citation as a CSL-JSON item (the input format of citeproc
//! processors, Zotero and pandoc; schema `csl-data.json` of the Citation
//! Style Language): a `webpage` in the site, dated at the event's own
//! precision.

use super::Reference;
use crate::values::dates::EventDate;
use serde::Serialize;

/// One item of a CSL-JSON array.
#[derive(Serialize)]
pub(super) struct Item<'a> {
    id: &'a str,
    #[serde(rename = "citation-key")]
    citation_key: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(rename = "container-title")]
    container_title: &'a str,
    publisher: &'a str,
    issued: Date,
    #[serde(rename = "event-title")]
    event_title: &'a str,
    #[serde(rename = "event-date")]
    event_date: Date,
    #[serde(rename = "event-place", skip_serializing_if = "Option::is_none")]
    event_place: Option<&'a str>,
    #[serde(rename = "URL")]
    url: &'a str,
    #[serde(rename = "abstract")]
    summary: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
}

/// A CSL date: one or two (start, end) lists of year, month, day, as many
/// parts as the date was written with, and `circa` for an approximate one.
#[derive(Serialize)]
struct Date {
    #[serde(rename = "date-parts")]
    parts: Vec<Vec<u32>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    circa: bool,
}

fn parts(d: &EventDate) -> Vec<u32> {
    // CSL has no time of day: a date-time gives its (local) day.
    let mut out = vec![d.year.unsigned_abs()];
    out.extend(d.month);
    out.extend(d.day);
    out
}

fn date(r: &Reference) -> Date {
    let mut list = vec![parts(r.date)];
    if let Some(end) = super::end_date(r) {
        list.push(parts(end));
    }
    Date {
        parts: list,
        circa: r.approximate,
    }
}

pub(super) fn item<'a>(r: &'a Reference) -> Item<'a> {
    Item {
        id: r.key,
        citation_key: r.key,
        kind: "webpage",
        title: r.title,
        container_title: r.site_title,
        publisher: r.site_title,
        issued: date(r),
        event_title: r.title,
        event_date: date(r),
        event_place: r.location.as_deref(),
        url: &r.url,
        summary: r.summary,
        language: r.language,
        keyword: (!r.keywords.is_empty()).then(|| r.keywords.join(", ")),
    }
}
