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
use crate::values::digest::of_debug;
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
        let entries = self
            .shown
            .iter()
            .map(|&i| {
                let date = &s.site.events.get(i)?.date;
                Some((memo.summary(i)?, date.year, date.month))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(of_debug(&(
            "groups",
            s.newest_first(),
            self.year_before,
            entries,
        )))
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
        match s.compared.get(&self.lanes) {
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
        let lanes = self
            .lanes
            .iter()
            .filter_map(|&t| tracks.get(t))
            .map(|t| {
                let from = t.events.partition_point(|&e| e < self.within.start);
                let to = t.events.partition_point(|&e| e < self.within.end);
                let shown = t.events[from..to.max(from)]
                    .iter()
                    .map(|&i| {
                        let date = site.events.get(i)?.date;
                        let joint = compared.together.contains(&compare::RowKey::of(&date));
                        Some((i, memo.summary(i)?, date, joint))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some((t.events.len(), shown))
            })
            .collect::<Option<Vec<_>>>()?;
        let periods = s
            .period_values
            .iter()
            .map(|p| memo.shared(p))
            .collect::<Option<Vec<_>>>()?;
        Some(of_debug(&(
            "compare",
            (&self.lanes, self.pair, &self.within, self.previous),
            lanes,
            compared.together.count(),
            site.inputs().site(),
            periods,
            self.lane_tracks(s),
            self.stretch,
        )))
    }
}
