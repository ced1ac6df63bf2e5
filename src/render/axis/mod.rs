//! The time axis drawn at build time: events placed proportionally on a
//! real time scale, one lane per track, periods shaded, ticks that adapt to
//! the span. This module owns the geometry (scale, lanes, ticks, marks or
//! per-bucket counts when a page would hold too many marks); `svg` writes
//! it as inline SVG markup, so the axis needs no script to be seen.

mod scale;
mod svg;

use crate::config::Period;
use crate::model::Site;
use crate::values::dates::{EndDate, EventDate};
use crate::values::taxonomy::TaxonomyKind;
use scale::Scale;
use serde::Serialize;

/// Above this many marks an axis counts events per bucket instead of
/// drawing each one, so it stays readable and its markup small.
pub const MAX_MARKS: usize = 300;
/// The most lanes of tracks on an axis: the largest tracks get their own,
/// the rest share the "other" lane.
const MAX_TRACK_LANES: usize = 6;

/// The axis as templates see it: `svg` is trusted markup (every text in
/// it escaped), `label` names its scroll container.
#[derive(Debug, Clone, Serialize)]
pub struct AxisView {
    pub label: String,
    pub svg: String,
    /// Whether the marks were aggregated into counts per bucket.
    pub bucketed: bool,
    /// How many links the axis holds (marks or buckets).
    pub links: usize,
    pub compact: bool,
}

/// One lane: a track (by its identity) or the events of no shown track.
#[derive(Debug, Clone)]
pub struct Lane {
    pub label: String,
    /// `None`: the lane of events in none of the other lanes' tracks.
    pub track: Option<String>,
}

/// What one axis shows.
pub struct Request<'a> {
    /// Names the SVG (its `<title>`) and its scroll container.
    pub title: String,
    /// Events, chronological (indexes into `Site::events`).
    pub events: &'a [usize],
    pub lanes: Vec<Lane>,
    /// The span shown in days from the common era `[start, end)`, or
    /// `None` for whole years around the events.
    pub span: Option<(i32, i32)>,
    /// A small axis for embeds: no lane labels, fewer rows.
    pub compact: bool,
    /// Whether to mark events in two or more lanes (the compare pages).
    pub joint: bool,
    /// Links open outside the page (embeds in an `<iframe>`).
    pub new_tab: bool,
    /// Prefix of element ids, unique on the page.
    pub id: &'static str,
    /// The language of its labels and descriptions.
    pub locale: &'a crate::i18n::Locale,
}

/// How pages turn an event or a bucket into a link.
pub trait Links {
    fn event(&self, i: usize) -> String;
    /// The list page holding event `first` (the first event of a bucket),
    /// with the anchor of its month when `month` is set.
    fn bucket(&self, first: usize, month: bool) -> String;
}

/// A track lane per track of the site (the largest first when there are
/// many), plus a lane for the others when any event is in none of them.
pub fn track_lanes(site: &Site, events: &[usize], locale: &crate::i18n::Locale) -> Vec<Lane> {
    let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
    let mut by_size: Vec<usize> = (0..tracks.len()).collect();
    by_size.sort_by_key(|&t| std::cmp::Reverse(tracks[t].events.len()));
    by_size.truncate(MAX_TRACK_LANES);
    by_size.sort_unstable();
    let mut lanes: Vec<Lane> = by_size
        .iter()
        .map(|&t| Lane {
            label: tracks[t].label.clone(),
            track: Some(tracks[t].id.clone()),
        })
        .collect();
    let in_lane = |i: usize| {
        site.events[i]
            .tracks
            .iter()
            .any(|t| lanes.iter().any(|l| l.track.as_deref() == Some(t)))
    };
    if events.iter().any(|&i| !in_lane(i)) {
        let label = locale.text(if lanes.is_empty() {
            "axis-events"
        } else if tracks.len() > lanes.len() {
            "axis-other-tracks"
        } else {
            "axis-no-track"
        });
        lanes.push(Lane {
            label: label.into(),
            track: None,
        });
    }
    lanes
}

/// Days from the common era of the first day of `d`'s period.
pub fn start_day(d: &EventDate) -> i32 {
    use chrono::Datelike;
    d.first_day().num_days_from_ce()
}

/// Days from the common era of the day after `d`'s period ends: a year
/// covers its year, a month its month, a day (or instant) its day.
pub fn end_day(d: &EventDate) -> i32 {
    use chrono::{Datelike, NaiveDate};
    let next = match (d.month, d.day) {
        (_, Some(_)) => None,
        (Some(12), None) => NaiveDate::from_ymd_opt(d.year + 1, 1, 1),
        (Some(m), None) => NaiveDate::from_ymd_opt(d.year, m + 1, 1),
        (None, _) => NaiveDate::from_ymd_opt(d.year + 1, 1, 1),
    };
    next.map_or_else(|| start_day(d) + 1, |n| n.num_days_from_ce())
}

/// The first day of `year`, in days from the common era.
pub fn year_start(year: i32) -> i32 {
    start_day(&EventDate {
        year,
        month: None,
        day: None,
        instant: None,
    })
}

/// Draws the axis of `req`, or `None` when it has no events.
pub fn build(site: &Site, links: &dyn Links, req: &Request) -> Option<AxisView> {
    let (&first, &last) = (req.events.first()?, req.events.last()?);
    let (d0, d1) = match req.span {
        Some(span) => span,
        None => {
            let lo = site.events[first].date.year;
            let hi = req
                .events
                .iter()
                .map(|&i| event_end(&site.events[i].date, site.events[i].end_date(), 0))
                .max()
                .unwrap_or(0);
            let hi_year = site.events[last].date.year.max(year_of_day(hi - 1));
            (year_start(lo), year_start(hi_year + 1))
        }
    };
    // The compare pages (the only ones marking joint dates) are wider.
    let scale = Scale::new(d0, d1.max(d0 + 1), req.compact, req.joint);
    let lanes = placed_lanes(site, req);
    let total: usize = lanes.iter().map(|l| l.len()).sum();
    let bucketed = total > MAX_MARKS;
    let periods: Vec<&Period> = site
        .periods
        .iter()
        .filter(|p| {
            let end = p.end.as_ref().map_or(d1, end_day);
            start_day(&p.start) < d1 && end > d0
        })
        .collect();
    let mut out = svg::Writer::new(req, &scale, req.lanes.len(), !periods.is_empty());
    for p in &periods {
        let lane = p.track.as_ref().and_then(|t| {
            req.lanes
                .iter()
                .position(|l| l.track.as_deref() == Some(t.as_str()))
        });
        if p.track.is_some() && lane.is_none() {
            continue;
        }
        let end = p.end.as_ref().map_or(d1, end_day);
        out.period(&p.title, start_day(&p.start), end, lane);
    }
    out.ticks();
    for (n, l) in req.lanes.iter().enumerate() {
        out.lane(n, &l.label);
    }
    let links_drawn = if bucketed {
        let unit = scale.bucket_unit();
        let buckets = svg::buckets(site, &lanes, unit);
        out.buckets(links, &buckets, unit, &req.lanes);
        buckets.len()
    } else {
        out.marks(site, links, &lanes, req.joint);
        total
    };
    let desc = describe(site, req, (d0, d1), bucketed, scale.bucket_unit());
    Some(AxisView {
        label: req
            .locale
            .format("axis-label", &[("title", req.title.as_str().into())]),
        svg: out.finish(&desc),
        bucketed,
        links: links_drawn,
        compact: req.compact,
    })
}

/// The SVG's description: what it spans, its lanes, what a mark is.
fn describe(site: &Site, req: &Request, (d0, d1): (i32, i32), bucketed: bool, unit: i32) -> String {
    let l = req.locale;
    let n = req.events.len();
    let first = year_of_day(d0).to_string();
    let last = year_of_day(d1 - 1).to_string();
    let years = if first == last {
        l.format("axis-in", &[("when", first.into())])
    } else {
        l.format(
            "axis-from-to",
            &[("first", first.into()), ("last", last.into())],
        )
    };
    let lanes: Vec<&str> = req.lanes.iter().map(|l| l.label.as_str()).collect();
    let mut text = l.format(
        "axis-describe",
        &[("count", (n as i64).into()), ("years", years.into())],
    );
    if lanes.len() > 1 {
        text.push_str(&l.format("axis-describe-lanes", &[("lanes", lanes.join(", ").into())]));
    }
    let bucket = match unit {
        1 => "month",
        12 => "year",
        _ => "decade",
    };
    if bucketed {
        text.push_str(&l.format("axis-describe-buckets", &[("unit", bucket.into())]));
    } else {
        text.push_str(l.text("axis-describe-marks"));
    }
    if !site.periods.is_empty() {
        text.push_str(l.text("axis-describe-periods"));
    }
    text.push_str(l.text("axis-describe-list"));
    text
}

/// The end day of an event: its end date's period, or `open` (the axis
/// end) for an ongoing one, and never before its start's period ends.
fn event_end(start: &EventDate, end: Option<&EndDate>, open: i32) -> i32 {
    let own = end_day(start);
    match end {
        None => own,
        Some(EndDate::On(d)) => end_day(d).max(own),
        Some(EndDate::Ongoing) => open.max(own),
    }
}

fn year_of_day(day: i32) -> i32 {
    use chrono::{Datelike, NaiveDate};
    NaiveDate::from_num_days_from_ce_opt(day).map_or(1970, |d| d.year())
}

/// The events of each lane, chronological.
fn placed_lanes(site: &Site, req: &Request) -> Vec<Vec<usize>> {
    let mut lanes = vec![Vec::new(); req.lanes.len()];
    let other = req.lanes.iter().position(|l| l.track.is_none());
    for &i in req.events {
        let e = &site.events[i];
        let mut placed = false;
        for (n, lane) in req.lanes.iter().enumerate() {
            if let Some(t) = &lane.track
                && e.tracks.iter().any(|x| **x == **t)
            {
                lanes[n].push(i);
                placed = true;
            }
        }
        if let (false, Some(o)) = (placed, other) {
            lanes[o].push(i);
        }
    }
    lanes
}
