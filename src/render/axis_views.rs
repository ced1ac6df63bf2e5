//! The time axis of each page kind that shows one: what it spans, its
//! lanes, and where its marks and buckets link (see [`super::axis`]).

use super::axis::{self, AxisView, Lane, Links, Request};
use super::{Shared, paging};
use crate::config::paginate::List;
use crate::urls;

/// Links of an axis on the site's pages.
struct PageLinks<'a, 's> {
    s: &'a Shared<'s>,
}

impl Links for PageLinks<'_, '_> {
    fn event(&self, i: usize) -> String {
        self.s.urls.event(&self.s.site.events[i].slug)
    }

    /// The page of the event's year holding it: every event is on one,
    /// so the link never points at an anchor missing from its page.
    fn bucket(&self, first: usize, month: bool) -> String {
        let site = self.s.site;
        let date = &site.events[first].date;
        let year = date.year;
        let page = site
            .years
            .binary_search_by_key(&year, |(y, _)| *y)
            .ok()
            .and_then(|y| {
                let list = &site.years[y].1;
                let at = list.binary_search(&first).ok()?;
                let per = site.config.paginate.per_page(List::Years);
                Some(paging::page_of(list.len(), per, at, self.s.newest_first()))
            })
            .unwrap_or(1);
        let url = self.s.urls.to(&urls::paged(&urls::year(year), page));
        if month {
            format!("{url}#{}", urls::month_anchor(year, date.month))
        } else {
            url
        }
    }
}

fn draw(s: &Shared, req: &Request) -> Option<AxisView> {
    axis::build(s.site, &PageLinks { s }, req)
}

/// The whole archive, one lane per track.
pub(super) fn timeline(s: &Shared) -> Option<AxisView> {
    let all: Vec<usize> = (0..s.site.events.len()).collect();
    draw(
        s,
        &Request {
            title: s.locale().format(
                "axis-title-timeline",
                &[("title", s.site.config.title.as_str().into())],
            ),
            lanes: axis::track_lanes(s.site, &all, s.locale()),
            events: &all,
            span: None,
            compact: false,
            joint: false,
            new_tab: false,
            id: "axis",
            locale: s.locale(),
        },
    )
}

/// One year, one lane per track.
pub(super) fn year(s: &Shared, year: i32, events: &[usize]) -> Option<AxisView> {
    draw(
        s,
        &Request {
            title: s
                .locale()
                .format("year-events-title", &[("year", year.to_string().into())]),
            lanes: axis::track_lanes(s.site, events, s.locale()),
            events,
            span: Some((axis::year_start(year), axis::year_start(year + 1))),
            compact: false,
            joint: false,
            new_tab: false,
            id: "axis",
            locale: s.locale(),
        },
    )
}

/// The compared tracks (by term index) aligned, dates they share marked.
pub(super) fn compare(
    s: &Shared,
    title: &str,
    tracks: &[usize],
    events: &[usize],
) -> Option<AxisView> {
    let terms = &s
        .site
        .taxonomy(crate::values::taxonomy::TaxonomyKind::Tracks)
        .terms;
    let lanes = tracks
        .iter()
        .filter_map(|&t| terms.get(t))
        .map(|t| Lane {
            label: t.label.clone(),
            track: Some(t.id.clone()),
        })
        .collect();
    draw(
        s,
        &Request {
            title: title.to_string(),
            lanes,
            events,
            span: None,
            compact: false,
            joint: true,
            new_tab: false,
            id: "axis",
            locale: s.locale(),
        },
    )
}

/// An embed's events in one compact lane, links opening outside the frame.
pub(super) fn embed(
    s: &Shared,
    title: &str,
    track: Option<(&str, &str)>,
    events: &[usize],
) -> Option<AxisView> {
    let lane = match track {
        Some((label, id)) => Lane {
            label: label.to_string(),
            track: Some(id.to_string()),
        },
        None => Lane {
            label: s.locale().text("axis-events").into(),
            track: None,
        },
    };
    draw(
        s,
        &Request {
            title: title.to_string(),
            lanes: vec![lane],
            events,
            span: None,
            compact: true,
            joint: false,
            new_tab: true,
            id: "axis",
            locale: s.locale(),
        },
    )
}
