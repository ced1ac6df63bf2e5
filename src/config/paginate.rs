//! `paginate` in `site.yaml`: how many entries each kind of list page
//! holds before it continues on `…/page/N/`. Either one number for every
//! list (`paginate: 100`) or a mapping with a `default` and per-list
//! overrides (`paginate: {default: 100, timeline: 200, terms: 50}`).

use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};

/// Entries per page when `site.yaml` says nothing. At 100,000 events the
/// fullest list page (a kind's term page) then stays near 200 KB: an
/// entry is about 1.7 KB of HTML, so 100 of them with the page's chrome
/// read well on a phone and stay far under 1 MB.
pub const DEFAULT_PER_PAGE: usize = 100;

/// The lists that grow with the archive, each with its own page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// The timeline (`index.html`).
    Timeline,
    /// Term pages of every taxonomy.
    Terms,
    /// Year pages.
    Years,
    /// The compare page and the per-pair compare pages.
    Compare,
}

impl List {
    pub const ALL: [List; 4] = [List::Timeline, List::Terms, List::Years, List::Compare];

    /// The key of this list under `paginate`.
    pub fn key(self) -> &'static str {
        match self {
            List::Timeline => "timeline",
            List::Terms => "terms",
            List::Years => "years",
            List::Compare => "compare",
        }
    }
}

/// Entries per page of each list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginate {
    per_page: [usize; 4],
}

impl Default for Paginate {
    fn default() -> Paginate {
        Paginate {
            per_page: [DEFAULT_PER_PAGE; 4],
        }
    }
}

impl Paginate {
    /// Entries per page of `list` (at least 1).
    pub fn per_page(&self, list: List) -> usize {
        self.per_page[list as usize].max(1)
    }

    /// Pages a list of `entries` takes: at least one, so an empty list
    /// still has its page.
    pub fn pages(&self, list: List, entries: usize) -> usize {
        entries.div_ceil(self.per_page(list)).max(1)
    }
}

/// Reads `paginate`'s value, reporting what is wrong with it.
pub fn read(c: &mut Checker, value: &Yaml) -> Paginate {
    let mut out = Paginate::default();
    let top = [Seg::Key("paginate")];
    match value {
        Yaml::Map(m) => {
            let mut keys = vec!["default"];
            keys.extend(List::ALL.iter().map(|l| l.key()));
            c.check_keys(m, &keys, &top, "`paginate`");
            let number = |c: &mut Checker, key: &'static str| {
                let v = m.iter().find(|(k, _)| k == key).map(|(_, v)| v)?;
                count(c, v, &[Seg::Key("paginate"), Seg::Key(key)])
            };
            if let Some(n) = number(c, "default") {
                out.per_page = [n; 4];
            }
            for list in List::ALL {
                if let Some(n) = number(c, list.key()) {
                    out.per_page[list as usize] = n;
                }
            }
        }
        other => {
            if let Some(n) = count(c, other, &top) {
                out.per_page = [n; 4];
            }
        }
    }
    out
}

/// A page size: a whole number from 1 up.
fn count(c: &mut Checker, value: &Yaml, path: &[Seg]) -> Option<usize> {
    match value {
        Yaml::Int(n) if *n > 0 => usize::try_from(*n).ok(),
        other => {
            let found = match other {
                Yaml::Int(n) => n.to_string(),
                other => other.type_name().to_string(),
            };
            c.at_value(
                path,
                format!("a page size must be a whole number from 1 up, found {found}"),
            )
            .hint = Some(
                "write `paginate: 100`, or `paginate: {default: 100, timeline: 200, terms: 50, years: 100, compare: 100}`"
                    .into(),
            );
            None
        }
    }
}
