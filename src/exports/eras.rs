//! The site's periods as TimelineJS `eras` (the serde type of an era,
//! shared with `annals import`), and which periods each TimelineJS file
//! holds: every period in `timelinejs.json`, a year's in its parts, a
//! track's and those of every track in the track's file.
//!
//! Mapping: `start_date`/`end_date` at the written precision; a period
//! still going on (which TimelineJS cannot draw) ends at the site's last
//! event, or at its own start; `text.headline` = title; `text.text` = the
//! rendered description; and an `annals` object with the slug, the dates
//! as written, the track and the Markdown description, which the importer
//! restores so export → import → export is stable.

use super::timelinejs::{TDate, TText, tdate};
use crate::config::Period;
use crate::model::Site;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Era {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<TDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<TDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TText>,
    /// What TimelineJS cannot hold; it ignores keys it does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annals: Option<EraExtension>,
}

/// A period beyond what a TimelineJS era holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EraExtension {
    pub slug: String,
    /// The dates as written.
    pub start: String,
    /// Absent: the period is still going on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// The description as Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One period as an era.
pub fn era(site: &Site, p: &Period) -> Era {
    let end = p.end.unwrap_or_else(|| {
        site.events
            .last()
            .map(|e| e.date)
            .filter(|last| *last > p.start)
            .unwrap_or(p.start)
    });
    Era {
        start_date: Some(tdate(&p.start)),
        end_date: Some(tdate(&end)),
        text: Some(TText {
            headline: Some(p.title.clone()),
            text: p.description_html.clone(),
        }),
        annals: Some(EraExtension {
            slug: p.slug.clone(),
            start: p.start.machine(),
            end: p.end.map(|e| e.machine()),
            track: p.track.clone(),
            description: p.description.clone(),
        }),
    }
}

/// Which TimelineJS file a layout entry is, for the periods it holds.
pub enum Holder<'a> {
    Site,
    Year(i32),
    Track(&'a str),
}

/// The eras of one file, serialised (`[...]` without the brackets), or
/// `None` when it holds none.
pub fn of_file(site: &Site, holder: &Holder) -> Result<Option<Vec<u8>>, serde_json::Error> {
    let eras: Vec<Era> = site
        .periods
        .iter()
        .filter(|p| match holder {
            Holder::Site => true,
            Holder::Year(y) => p.overlaps_year(*y),
            Holder::Track(t) => p.track.as_deref().is_none_or(|own| own == *t),
        })
        .map(|p| era(site, p))
        .collect();
    if eras.is_empty() {
        return Ok(None);
    }
    serde_json::to_vec(&eras).map(Some)
}
