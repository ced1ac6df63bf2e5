//! Compare view: tracks in parallel lanes on one shared time axis.
//!
//! Every event of the compared tracks is placed on a row keyed by its date
//! at the precision it was written (a day, a month, a year), so same-day
//! events of different tracks share a row, a month-only event gets a row
//! of its own before that month's days, and nothing is invented. Between
//! rows more than a month apart a gap row says how long no track moved, so
//! quiet periods are visible rather than collapsed away. The template
//! values it builds are defined in [`crate::render::context`].

use crate::model::Site;
use crate::render::context::{CellView, CompareView, LaneView, PairLink, RowView, Urls};
use crate::values::dates::EventDate;
use crate::values::taxonomy::TaxonomyKind;
use std::collections::{BTreeMap, HashSet};

/// A row's place on the axis: missing parts are 0, which sorts a period
/// before the days inside it, as the timeline does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl RowKey {
    pub fn of(d: &EventDate) -> RowKey {
        RowKey {
            year: d.year,
            month: d.month.unwrap_or(0),
            day: if d.month.is_some() {
                d.day.unwrap_or(0)
            } else {
                0
            },
        }
    }

    fn date(self) -> EventDate {
        EventDate {
            year: self.year,
            month: (self.month > 0).then_some(self.month),
            day: (self.day > 0).then_some(self.day),
            instant: None,
        }
    }

    /// First and last month (as a month count) the row's period covers.
    fn months(self) -> (i64, i64) {
        let base = i64::from(self.year) * 12;
        if self.month == 0 {
            (base, base + 11)
        } else {
            let m = base + i64::from(self.month) - 1;
            (m, m)
        }
    }
}

/// One row of the comparison: per lane, the events on that date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: RowKey,
    /// Whole months between the previous row's period and this one's.
    pub gap_months: i64,
    pub cells: Vec<Vec<usize>>,
}

/// Lays out `lanes` (event indexes per lane, chronological) on one axis.
#[cfg(test)]
pub fn rows(dates: &[EventDate], lanes: &[&[usize]]) -> Vec<Row> {
    rows_by(&|e| dates.get(e).copied(), lanes, None)
}

/// Lays out `lanes` (event indexes per lane, chronological) on one axis,
/// each event's date looked up by `date_of`, so a page of the compare
/// view reads only the dates of its own events. `previous` is the row
/// before the first one (the last of the page before), so the gap above a
/// page's first row is measured too.
fn rows_by(
    date_of: &dyn Fn(usize) -> Option<EventDate>,
    lanes: &[&[usize]],
    previous: Option<RowKey>,
) -> Vec<Row> {
    let mut by_key: BTreeMap<RowKey, Vec<Vec<usize>>> = BTreeMap::new();
    for (lane, events) in lanes.iter().enumerate() {
        for &e in *events {
            let Some(d) = date_of(e) else { continue };
            by_key
                .entry(RowKey::of(&d))
                .or_insert_with(|| vec![Vec::new(); lanes.len()])[lane]
                .push(e);
        }
    }
    let mut out: Vec<Row> = Vec::with_capacity(by_key.len());
    for (key, cells) in by_key {
        let gap_months = out
            .last()
            .map(|prev: &Row| prev.key)
            .or(previous.filter(|&p| p < key))
            .map_or(0, |prev| (key.months().0 - prev.months().1 - 1).max(0));
        out.push(Row {
            key,
            gap_months,
            cells,
        });
    }
    out
}

/// "3 months", "1 year", "2 years and 5 months".
pub fn gap_label(months: i64, locale: &crate::i18n::Locale) -> String {
    locale.format(
        "compare-gap",
        &[
            ("years", (months / 12).into()),
            ("months", (months % 12).into()),
        ],
    )
}

/// Every pair of track term indexes, in term order.
pub fn pairs(track_count: usize) -> Vec<(usize, usize)> {
    (0..track_count)
        .flat_map(|a| (a + 1..track_count).map(move |b| (a, b)))
        .collect()
}

/// Tracks shown on `compare/index.html`: all of them while they fit side
/// by side on a laptop, otherwise the first pair (every pair has a page).
pub fn default_lanes(track_count: usize) -> Vec<usize> {
    if track_count <= 3 {
        (0..track_count).collect()
    } else {
        vec![0, 1]
    }
}

/// The dates (rows) on which every compared track has an event, over a
/// whole comparison: a page highlights its rows by it and states its size,
/// whichever page it is.
#[derive(Debug, Default)]
pub struct Together(HashSet<RowKey>);

impl Together {
    pub fn count(&self) -> usize {
        self.0.len()
    }

    pub fn contains(&self, key: &RowKey) -> bool {
        self.0.contains(key)
    }
}

/// The joint dates of the tracks `lanes` (track term indexes).
pub fn together(site: &Site, lanes: &[usize]) -> Together {
    let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
    let lists: Vec<&[usize]> = lanes
        .iter()
        .filter_map(|&t| tracks.get(t))
        .map(|t| t.events.as_slice())
        .collect();
    if lists.len() < 2 {
        return Together::default();
    }
    let rows = rows_by(&|e| site.events.get(e).map(|e| e.date), &lists, None);
    Together(
        rows.into_iter()
            .filter(|r| r.cells.iter().all(|c| !c.is_empty()))
            .map(|r| r.key)
            .collect(),
    )
}

/// Which tracks a compare page shows: their term indexes, the pair when
/// the page is a pair's, and their joint dates.
pub struct Lanes<'a> {
    pub lanes: &'a [usize],
    pub current_pair: Option<(usize, usize)>,
    pub together: &'a Together,
}

/// Builds the compare page's data (see [`CompareView`]) for the given
/// lanes, with the rows of the events whose index is `within` (one page
/// of a long comparison); `previous` is the row before the page's first.
pub fn view(
    site: &Site,
    urls: &Urls,
    summary: &dyn Fn(usize) -> Option<tera::Value>,
    shown: Lanes,
    within: std::ops::Range<usize>,
    previous: Option<RowKey>,
    locale: &crate::i18n::Locale,
) -> CompareView {
    let Lanes {
        lanes,
        current_pair,
        together,
    } = shown;
    let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
    let chosen: Vec<&crate::model::Term> = lanes.iter().filter_map(|&t| tracks.get(t)).collect();
    // A term's events are in site order, so the page's stretch is found
    // by bisection.
    let lists: Vec<&[usize]> = chosen
        .iter()
        .map(|t| {
            let from = t.events.partition_point(|&e| e < within.start);
            let to = t.events.partition_point(|&e| e < within.end);
            &t.events[from..to.max(from)]
        })
        .collect();
    let rows: Vec<RowView> = rows_by(&|e| site.events.get(e).map(|e| e.date), &lists, previous)
        .into_iter()
        .map(|r| {
            let date = r.key.date();
            RowView {
                id: format!(
                    "d{:04}{}{}",
                    r.key.year,
                    if r.key.month > 0 {
                        format!("-{:02}", r.key.month)
                    } else {
                        String::new()
                    },
                    if r.key.day > 0 {
                        format!("-{:02}", r.key.day)
                    } else {
                        String::new()
                    }
                ),
                machine: date.machine(),
                display: date.display_in(locale),
                gap: (r.gap_months > 0).then(|| gap_label(r.gap_months, locale)),
                together: together.contains(&r.key),
                cells: r
                    .cells
                    .iter()
                    .zip(&chosen)
                    .map(|(c, t)| CellView {
                        lane: t.label.clone(),
                        events: c.iter().filter_map(|&i| summary(i)).collect(),
                    })
                    .collect(),
                periods: Vec::new(),
                date,
            }
        })
        .collect();
    let pairs = pairs(tracks.len())
        .into_iter()
        .map(|(a, b)| PairLink {
            key: format!("{}--{}", tracks[a].slug, tracks[b].slug),
            label: [tracks[a].label.as_str(), tracks[b].label.as_str()]
                .join(locale.text("compare-and")),
            url: urls.to(&crate::urls::compare_pair(&tracks[a].slug, &tracks[b].slug)),
            current: current_pair == Some((a, b)),
        })
        .collect();
    CompareView {
        lanes: chosen
            .iter()
            .map(|t| LaneView {
                key: t.slug.clone(),
                label: t.label.clone(),
                url: urls.term(TaxonomyKind::Tracks, &t.slug),
                count: t.events.len(),
            })
            .collect(),
        together_count: together.count(),
        rows,
        pairs,
        periods_after: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> EventDate {
        EventDate::parse(s).expect("test date")
    }

    #[test]
    fn same_day_events_of_different_tracks_share_a_row() {
        let dates = [d("2024-07-11"), d("2024-07-28"), d("2024-07-28")];
        let rows = rows(&dates, &[&[0, 1], &[2]]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells, vec![vec![0], vec![]]);
        assert_eq!(rows[1].cells, vec![vec![1], vec![2]]);
        assert_eq!(rows[1].gap_months, 0);
    }

    #[test]
    fn precision_is_kept_and_a_month_sorts_before_its_days() {
        let dates = [d("2025-03-05"), d("2025-03"), d("2025")];
        let rows = rows(&dates, &[&[2, 1], &[0]]);
        let keys: Vec<(u32, u32)> = rows.iter().map(|r| (r.key.month, r.key.day)).collect();
        assert_eq!(keys, vec![(0, 0), (3, 0), (3, 5)]);
        assert_eq!(rows[0].key.date().display(), "2025");
        assert_eq!(rows[1].key.date().display(), "March 2025");
    }

    #[test]
    fn date_times_fall_on_their_written_day() {
        let dates = [d("2024-07-28T10:00:00+09:00"), d("2024-07-28")];
        let rows = rows(&dates, &[&[0], &[1]]);
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn gaps_count_whole_empty_months() {
        let dates = [
            d("2023-04-26"),
            d("2024-07-11"),
            d("2024-08-01"),
            d("2025-03"),
        ];
        let rows = rows(&dates, &[&[0, 1, 2], &[3]]);
        let gaps: Vec<i64> = rows.iter().map(|r| r.gap_months).collect();
        assert_eq!(gaps, vec![0, 14, 0, 6]);
        let en = crate::i18n::Locale::english();
        assert_eq!(gap_label(14, en), "No events for 1 year and 2 months");
        assert_eq!(gap_label(12, en), "No events for 1 year");
        assert_eq!(gap_label(1, en), "No events for 1 month");
        assert_eq!(gap_label(25, en), "No events for 2 years and 1 month");
        let ja = crate::i18n::Locale::builtin("ja");
        assert_eq!(gap_label(14, &ja), "1年2か月間、出来事なし");
        let ko = crate::i18n::Locale::builtin("ko");
        assert_eq!(gap_label(3, &ko), "3개월 동안 사건 없음");
    }

    #[test]
    fn a_year_row_covers_its_whole_year() {
        let dates = [d("2023"), d("2024-01-05")];
        let rows = rows(&dates, &[&[0, 1]]);
        assert_eq!(rows[1].gap_months, 0);
    }

    #[test]
    fn pairs_cover_every_combination_once() {
        assert_eq!(pairs(3), vec![(0, 1), (0, 2), (1, 2)]);
        assert!(pairs(1).is_empty());
        assert_eq!(default_lanes(6), vec![0, 1]);
        assert_eq!(default_lanes(2), vec![0, 1]);
    }

    #[test]
    fn out_of_range_indexes_are_skipped() {
        let dates = [d("2024")];
        assert_eq!(rows(&dates, &[&[5]]).len(), 0);
    }
}
