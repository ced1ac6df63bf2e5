//! The part of a list page's context that grows with the page's entries
//! (a timeline, year or term page's `groups`; a comparison's `compare`
//! rows), left out of the context until the page is rendered. A rebuild
//! fingerprints such a page by the part's digest, made from the entries'
//! fingerprints (see `reuse::Memo`) and what else the part reads, instead
//! of making the part for each of thousands of pages only to find it
//! unchanged.

use super::{Shared, compare, paging, periods};
use crate::output::manifest::Fingerprint;
use crate::values::dates::EventDate;
use crate::values::digest::{Numbers, of_debug};
use crate::values::taxonomy::TaxonomyKind;
use tera::Context;

/// A part of a page's context made only when the page is rendered.
pub(super) enum Deferred {
    Groups(ListGroups),
    Compare(CompareRows),
}

impl Deferred {
    /// Makes the part and puts it in `ctx`, as the template reads it.
    pub(super) fn insert_into(&self, ctx: &mut Context, s: &Shared) {
        match self {
            Deferred::Groups(groups) => ctx.insert("groups", &groups.make(s)),
            Deferred::Compare(rows) => ctx.insert("compare", &rows.make(s)),
        }
    }

    /// A digest of everything the part is made from; `None` when the build
    /// takes no fingerprints or an entry has none (the part is then made
    /// and fingerprinted whole).
    pub(super) fn digest(&self, s: &Shared) -> Option<Fingerprint> {
        match self {
            Deferred::Groups(groups) => groups.digest(s),
            Deferred::Compare(rows) => rows.digest(s),
        }
    }
}

/// The events of one page of a list, chronologically, and the year of the
/// entry shown just before them (on the page before): what the page's
/// `groups` are made of.
pub(super) struct ListGroups {
    pub(super) shown: Vec<usize>,
    pub(super) year_before: Option<i32>,
}

impl ListGroups {
    /// The groups by year and month in display order, the first marked
    /// when its year began on the page before.
    pub(super) fn make(&self, s: &Shared) -> Vec<super::context::YearGroup> {
        let mut groups = s.groups(&self.shown);
        if let (Some(year), Some(first)) = (self.year_before, groups.first_mut()) {
            first.continued = year == first.year;
        }
        groups
    }

    /// Each entry's fingerprint with the year and month it is grouped
    /// under, their order, the display order and the year before.
    fn digest(&self, s: &Shared) -> Option<Fingerprint> {
        let memo = s.memo.get()?;
        let mut h = Numbers::new("groups");
        h.int(i64::from(s.newest_first()))
            .maybe(self.year_before.map(i64::from))
            .int(self.shown.len() as i64);
        for &i in &self.shown {
            let date = &s.site.events.get(i)?.date;
            h.int(i as i64)
                .u128(memo.summary(i)?)
                .int(i64::from(date.year))
                .maybe(date.month.map(i64::from));
        }
        Some(h.finish())
    }

    /// How many events the page shows.
    pub(super) fn count(&self) -> usize {
        self.shown.len()
    }

    /// The first and last of the shown events' years.
    pub(super) fn years(&self, s: &Shared) -> (Option<i32>, Option<i32>) {
        let years = self.shown.iter().map(|&i| s.site.events[i].date.year);
        (years.clone().min(), years.max())
    }
}

/// One page of a comparison: its lanes (track term indexes), the pair it
/// belongs to, the site events whose index is `within` and the row before
/// the page's first, and the stretch of dates its periods are placed in.
pub(super) struct CompareRows {
    pub(super) lanes: Vec<usize>,
    pub(super) pair: Option<(usize, usize)>,
    pub(super) within: std::ops::Range<usize>,
    pub(super) previous: Option<compare::RowKey>,
    pub(super) stretch: (Option<EventDate>, Option<EventDate>),
}

impl CompareRows {
    /// `f` of the comparison's events and joint dates (made here for
    /// lanes the site did not gather ahead).
    fn with_compared<R>(&self, s: &Shared, f: impl FnOnce(&paging::Compared) -> R) -> R {
        match s.compared_of(&self.lanes) {
            Some(compared) => f(compared),
            None => f(&paging::Compared::of(s.site, &self.lanes)),
        }
    }

    fn lane_tracks(&self, s: &Shared) -> Vec<String> {
        let tracks = &s.site.taxonomy(TaxonomyKind::Tracks).terms;
        self.lanes
            .iter()
            .filter_map(|&t| tracks.get(t))
            .map(|t| t.id.clone())
            .collect()
    }

    /// The rows, lanes and links of the page, with its periods placed.
    pub(super) fn make(&self, s: &Shared) -> super::context::CompareView {
        let mut view = self.with_compared(s, |compared| {
            compare::view(
                s.site,
                &s.urls,
                &|i| s.compared(i),
                compare::Lanes {
                    lanes: &self.lanes,
                    current_pair: self.pair,
                    together: &compared.together,
                },
                self.within.clone(),
                self.previous,
                s.locale(),
            )
        });
        periods::place_in_compare(
            s.site,
            &s.period_values,
            &mut view,
            &self.lane_tracks(s),
            self.stretch,
        );
        view
    }

    /// Each shown event's entry fingerprint, date and whether its row is a
    /// joint date of the whole comparison, by lane; the lanes' sizes, the
    /// number of joint dates, every term (the links to each pair), the
    /// periods' own fingerprints and where they are placed.
    fn digest(&self, s: &Shared) -> Option<Fingerprint> {
        let memo = s.memo.get()?;
        self.with_compared(s, |compared| self.digest_with(s, memo, compared))
    }

    fn digest_with(
        &self,
        s: &Shared,
        memo: &super::reuse::Memo,
        compared: &paging::Compared,
    ) -> Option<Fingerprint> {
        let site = s.site;
        let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
        let mut h = Numbers::new("compare");
        h.u128(site.inputs().site())
            .int(compared.together.count() as i64)
            .maybe(self.pair.map(|(a, _)| a as i64))
            .maybe(self.pair.map(|(_, b)| b as i64))
            .int(self.within.start as i64)
            .int(self.within.end as i64);
        match self.previous {
            Some(key) => h
                .int(1)
                .int(i64::from(key.year))
                .int(i64::from(key.month))
                .int(i64::from(key.day)),
            None => h.int(0),
        };
        h.int(self.lanes.len() as i64);
        for &lane in &self.lanes {
            h.int(lane as i64);
            let Some(t) = tracks.get(lane) else {
                h.int(-1);
                continue;
            };
            let from = t.events.partition_point(|&e| e < self.within.start);
            let to = t.events.partition_point(|&e| e < self.within.end).max(from);
            h.int(t.events.len() as i64).int((to - from) as i64);
            for &i in &t.events[from..to] {
                let key = compare::RowKey::of(&site.events.get(i)?.date);
                h.int(i as i64)
                    .u128(memo.summary(i)?)
                    .int(i64::from(key.year))
                    .int(i64::from(key.month))
                    .int(i64::from(key.day))
                    .int(i64::from(compared.together.contains(&key)));
            }
        }
        h.int(s.period_values.len() as i64);
        for period in &s.period_values {
            h.u128(memo.shared(period)?);
        }
        // Where the periods go: the lanes' tracks and the stretch of dates.
        h.u128(of_debug(&(self.lane_tracks(s), self.stretch)));
        Some(h.finish())
    }
}
