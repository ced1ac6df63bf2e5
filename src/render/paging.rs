//! Pagination of the list pages that grow with the archive (timeline, year
//! and term pages, compare pages): which entries a page holds, and the
//! navigation every page of a list shows ([`Pagination`]). Page numbers
//! start at 1; page 1 keeps the list's own URL (see [`urls::paged`]).

use super::Shared;
use crate::config::paginate::List;
use crate::model::Site;
use crate::render::compare;
use crate::render::context::{PageLink, Pagination};
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;
use std::collections::HashMap;

/// The positions, in a list of `len` entries kept chronologically (as
/// the model keeps them), of page `page` when the list is shown oldest or
/// newest first: page 1 holds the first entries in display order. The
/// range stays chronological, as the grouping expects; an out-of-range
/// page gets an empty range.
pub fn display_range(
    len: usize,
    per: usize,
    page: usize,
    newest_first: bool,
) -> std::ops::Range<usize> {
    let per = per.max(1);
    let skip = page.saturating_sub(1).saturating_mul(per);
    if newest_first {
        let end = len.saturating_sub(skip);
        end.saturating_sub(per)..end
    } else {
        let start = skip.min(len);
        start..start.saturating_add(per).min(len)
    }
}

/// The page (from 1) of a list of `len` entries that shows the entry at
/// chronological position `at`.
pub fn page_of(len: usize, per: usize, at: usize, newest_first: bool) -> usize {
    let shown_at = if newest_first {
        len.saturating_sub(at.saturating_add(1))
    } else {
        at
    };
    shown_at / per.max(1) + 1
}

/// Every event of the compared tracks (`lanes`, by track term index),
/// chronologically and once each: what the compare pages paginate.
pub fn compare_events(site: &Site, lanes: &[usize]) -> Vec<usize> {
    let tracks = &site.taxonomy(TaxonomyKind::Tracks).terms;
    let mut all: Vec<usize> = lanes
        .iter()
        .filter_map(|&t| tracks.get(t))
        .flat_map(|t| t.events.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// What every page of one comparison reads: its events and the dates on
/// which every compared track moved, over the whole comparison rather than
/// one page of it.
pub struct Compared {
    pub events: Vec<usize>,
    pub together: compare::Together,
}

impl Compared {
    pub fn of(site: &Site, lanes: &[usize]) -> Compared {
        Compared {
            events: compare_events(site, lanes),
            together: compare::together(site, lanes),
        }
    }
}

/// Every compare page's lanes (the default lanes and each pair) with what
/// their pages read, worked out once per model.
pub fn compared_by_lanes(site: &Site) -> HashMap<Vec<usize>, Compared> {
    let tracks = site.taxonomy(TaxonomyKind::Tracks).terms.len();
    std::iter::once(compare::default_lanes(tracks))
        .chain(compare::pairs(tracks).into_iter().map(|(a, b)| vec![a, b]))
        .map(|lanes| {
            let compared = Compared::of(site, &lanes);
            (lanes, compared)
        })
        .collect()
}

/// Pages of the compare page showing `lanes`.
pub fn compare_pages(site: &Site, lanes: &[usize]) -> usize {
    site.config
        .paginate
        .pages(List::Compare, compare_events(site, lanes).len())
}

/// The page numbers the navigation shows: the first and last, the current
/// one and its neighbours; `None` where numbers are left out. A single
/// left-out number is shown instead of an ellipsis that would hide it.
pub fn numbers(current: usize, total: usize) -> Vec<Option<usize>> {
    let keep = |n: usize| n == 1 || n == total || n.abs_diff(current) <= 1;
    let mut out: Vec<Option<usize>> = Vec::new();
    let mut n = 1;
    while n <= total {
        if keep(n) {
            out.push(Some(n));
            n += 1;
            continue;
        }
        let mut next = n;
        while next <= total && !keep(next) {
            next += 1;
        }
        if next - n == 1 {
            out.push(Some(n));
        } else {
            out.push(None);
        }
        n = next;
    }
    out
}

impl Shared<'_> {
    /// The navigation of page `page` of `total` of the list whose first
    /// page is at `first_path`, showing entries `shown` (1-based, both
    /// ends) of `entries`. `None` when the list fits on one page, so such
    /// a page shows no controls at all.
    pub(super) fn pagination(
        &self,
        first_path: &str,
        page: usize,
        total: usize,
        shown: (usize, usize),
        entries: usize,
    ) -> Option<Pagination> {
        if total <= 1 {
            return None;
        }
        let url = |n: usize| self.urls.to(&urls::paged(first_path, n));
        Some(Pagination {
            current: page,
            total,
            previous: (page > 1).then(|| url(page - 1)),
            next: (page < total).then(|| url(page + 1)),
            pages: numbers(page, total)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: n.map(url).unwrap_or_default(),
                    current: n == Some(page),
                })
                .collect(),
            first_entry: shown.0,
            last_entry: shown.1,
            entries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_follow_the_display_order() {
        assert_eq!(display_range(7, 3, 1, false), 0..3);
        assert_eq!(display_range(7, 3, 3, false), 6..7);
        assert_eq!(display_range(7, 3, 1, true), 4..7);
        assert_eq!(display_range(7, 3, 3, true), 0..1);
        assert!(display_range(7, 3, 9, true).is_empty());
        assert!(display_range(7, 3, 9, false).is_empty());
        assert_eq!(page_of(7, 3, 6, false), 3);
        assert_eq!(page_of(7, 3, 6, true), 1);
        assert_eq!(page_of(7, 3, 0, true), 3);
    }

    #[test]
    fn numbers_keep_the_ends_and_the_neighbours() {
        let n = |c, t| {
            numbers(c, t)
                .into_iter()
                .map(|x| x.map_or("…".to_string(), |n: usize| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(n(1, 2), "1 2");
        assert_eq!(n(1, 9), "1 2 … 9");
        assert_eq!(n(5, 9), "1 … 4 5 6 … 9");
        assert_eq!(n(3, 9), "1 2 3 4 … 9");
        assert_eq!(n(4, 7), "1 2 3 4 5 6 7");
        assert_eq!(n(9, 9), "1 … 8 9");
    }
}
