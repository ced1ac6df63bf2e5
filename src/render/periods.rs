//! Periods (eras) on the pages: their template values, made once per
//! model ([`views`]), which of them a page of a list shows (those that
//! overlap the stretch of time the page covers, so a long period is on
//! every page it spans), the period labels of an event's list entry (and
//! what those read of the periods, so unchanged entries can be reused),
//! and their place among the rows of a compare page.

use super::{Shared, paging};
use crate::config::Period;
use crate::config::paginate::List;
use crate::model::Site;
use crate::render::context::{
    ComparePeriod, CompareView, Link, PeriodView, Urls, YearLink, date_view,
};
use crate::values::dates::{EndDate, EventDate, display_span_in};
use crate::values::taxonomy::TaxonomyKind;

/// Every period's template value, in the site's order (by start).
pub fn views(
    site: &Site,
    urls: &Urls,
    years: &[YearLink],
    locale: &crate::i18n::Locale,
) -> Vec<tera::Value> {
    site.periods
        .iter()
        .map(|p| tera::Value::from_serializable(&view(site, urls, years, p, locale)))
        .collect()
}

fn view(
    site: &Site,
    urls: &Urls,
    years: &[YearLink],
    p: &Period,
    locale: &crate::i18n::Locale,
) -> PeriodView {
    let end = p.end.map(EndDate::On).unwrap_or(EndDate::Ongoing);
    let track = p.track.as_deref().map(|key| {
        let tracks = site.taxonomy(TaxonomyKind::Tracks);
        match tracks.term(key) {
            Some(t) => Link {
                key: t.slug.clone(),
                label: t.label.clone(),
                url: urls.term(TaxonomyKind::Tracks, &t.slug),
            },
            // A declared track without events has no page.
            None => Link {
                key: key.to_string(),
                label: site
                    .config
                    .track(key)
                    .map_or_else(|| key.to_string(), |d| d.label.clone()),
                url: String::new(),
            },
        }
    });
    PeriodView {
        slug: p.slug.clone(),
        id: format!("period-{}", p.slug),
        title: p.title.clone(),
        start: date_view(&p.start, locale),
        end: p.end.as_ref().map(|d| date_view(d, locale)),
        ongoing: p.end.is_none(),
        when: display_span_in(&p.start, Some(&end), false, locale),
        track,
        description_html: p.description_html.clone(),
        years: years
            .iter()
            .filter(|y| p.overlaps_year(y.year))
            .cloned()
            .collect(),
    }
}

/// The labels of the periods event `e` falls in: those of its tracks
/// and those of every track.
pub fn labels(site: &Site, e: &crate::content::event::Event) -> Vec<Link> {
    site.periods
        .iter()
        .filter(|p| p.applies_to(&e.tracks) && p.contains(&e.date))
        .map(|p| Link {
            key: p.slug.clone(),
            label: p.title.clone(),
            url: String::new(),
        })
        .collect()
}

/// The stretch of time a page of a chronological list covers: from its
/// first entry's date (open on the first page) up to the next page's
/// first entry (open on the last), so a period between two pages' entries
/// is still on one of them.
pub fn stretch(
    site: &Site,
    chrono: &[usize],
    range: &std::ops::Range<usize>,
) -> (Option<EventDate>, Option<EventDate>) {
    let date = |at: usize| {
        chrono
            .get(at)
            .and_then(|&i| site.events.get(i))
            .map(|e| e.date)
    };
    let from = if range.start == 0 {
        None
    } else {
        date(range.start)
    };
    (from, date(range.end))
}

/// The values of the periods overlapping a stretch, keeping those `keep` accepts.
pub fn overlapping(
    site: &Site,
    values: &[tera::Value],
    (from, until): (Option<EventDate>, Option<EventDate>),
    keep: impl Fn(&Period) -> bool,
) -> Vec<tera::Value> {
    site.periods
        .iter()
        .zip(values)
        .filter(|(p, _)| keep(p) && p.overlaps(from.as_ref(), until.as_ref()))
        .map(|(_, v)| v.clone())
        .collect()
}

/// Places the periods of a compare page above the first row they reach:
/// a period of no track across every lane, a track's in its lane. Only
/// periods of the compared tracks (or of none) overlapping the page's
/// stretch are shown.
pub fn place_in_compare(
    site: &Site,
    values: &[tera::Value],
    view: &mut CompareView,
    lanes: &[String],
    stretch: (Option<EventDate>, Option<EventDate>),
) {
    let (from, until) = stretch;
    for (p, value) in site.periods.iter().zip(values) {
        let lane_of = |key: &str| lanes.iter().position(|l| l == key);
        let own_lane = p.track.as_deref().map(lane_of);
        if matches!(own_lane, Some(None)) || !p.overlaps(from.as_ref(), until.as_ref()) {
            continue;
        }
        let placed = ComparePeriod {
            period: value.clone(),
            across: own_lane.is_none(),
            lanes: (0..lanes.len())
                .map(|l| own_lane.is_none_or(|own| own == Some(l)))
                .collect(),
        };
        // Above the first row on or after its start; a period begun on an
        // earlier page opens this one.
        match view
            .rows
            .iter_mut()
            .find(|r| r.date.sort_key() >= p.start.sort_key())
        {
            Some(row) => row.periods.push(placed),
            None => view.periods_after.push(placed),
        }
    }
}

/// What an event's list entry reads of the periods (their slugs, titles,
/// spans and tracks): when unchanged, a summary depends only on its event.
pub(super) fn table(site: &Site) -> Vec<String> {
    site.periods
        .iter()
        .map(|p| {
            format!(
                "{}\n{}\n{}\n{}\n{}",
                p.slug,
                p.title,
                p.start.machine(),
                p.end.map(|e| e.machine()).unwrap_or_default(),
                p.track.as_deref().unwrap_or("")
            )
        })
        .collect()
}

/// The periods shown on page `page` of a list of events (given
/// chronologically): those overlapping the stretch of time it covers
/// that `keep` accepts, in the list's display order (by start).
pub(super) fn on_page(
    s: &Shared,
    chrono: &[usize],
    list: List,
    page: usize,
    keep: impl Fn(&Period) -> bool,
) -> Vec<tera::Value> {
    let newest_first = s.site.config.order == crate::config::Order::NewestFirst;
    let per = s.site.config.paginate.per_page(list);
    let range = paging::display_range(chrono.len(), per, page, newest_first);
    let mut shown = overlapping(
        s.site,
        &s.period_values,
        stretch(s.site, chrono, &range),
        keep,
    );
    if newest_first {
        shown.reverse();
    }
    shown
}
