//! What each event of a site and the rest of the site are made of, as
//! digests, so that a rebuild can tell what an output file shows is
//! unchanged without making the file's values (an event page's context,
//! a year's records): the events as read, their bodies aside (see
//! [`crate::content::event::Event::input_digest`]: a file that shows a
//! body digests its HTML too) and when each was last
//! updated, and what the site holds beyond its events that a page or
//! export of one event reads: every term but its list of events, every
//! media file's facts, the periods, pages, published asset names and
//! editions. The configuration, templates, words and binary are in the
//! global fingerprint, which every reuse requires.

use super::Site;
use crate::values::digest;
use rayon::prelude::*;

/// What the events of one site and the rest of it are made of, worked
/// out once per build.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Per event (same index): the event as read and when it was last
    /// updated.
    events: Vec<u128>,
    /// What a page or record of one event reads of the site beyond its
    /// events.
    site: u128,
}

impl Inputs {
    pub fn of(site: &Site) -> Inputs {
        let events = site
            .events
            .par_iter()
            .enumerate()
            .map(|(i, e)| digest::of_debug(&(e.input_digest(), site.updated.get(i))))
            .collect();
        // A term's events change with any event's terms or dates; what one
        // event's page or record shows of a term is the term alone.
        let taxonomies: Vec<_> = site
            .taxonomies
            .iter()
            .map(|t| {
                let terms: Vec<_> = t
                    .terms
                    .iter()
                    .map(|term| {
                        let super::Term {
                            id,
                            slug,
                            label,
                            description,
                            roles,
                            native,
                            events: _,
                        } = term;
                        (id, slug, label, description, roles, native)
                    })
                    .collect();
                (t.kind, terms)
            })
            .collect();
        let mut media: Vec<_> = site.media.iter().collect();
        media.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let editions = site.edition.as_ref().map(|ed| (ed.current, &ed.all.list));
        let site = digest::of_debug(&(
            taxonomies,
            media,
            &site.periods,
            &site.pages,
            &site.assets,
            editions,
        ));
        Inputs { events, site }
    }

    /// Event `i`'s digest; `None` past the last event.
    pub fn event(&self, i: usize) -> Option<u128> {
        self.events.get(i).copied()
    }

    /// The digests of `events` (by index), in order; `None` when one is
    /// past the last event.
    pub fn events(&self, events: impl IntoIterator<Item = usize>) -> Option<Vec<u128>> {
        events.into_iter().map(|i| self.event(i)).collect()
    }

    /// What the site holds beyond its events.
    pub fn site(&self) -> u128 {
        self.site
    }

    /// Event `i`'s relations in both directions, each related event by its
    /// digest (what an event's page or record shows of it).
    pub fn relations<'s>(&self, site: &'s Site, i: usize) -> Vec<(&'s str, Vec<Option<u128>>)> {
        site.relations.get(i).map_or_else(Vec::new, |groups| {
            groups
                .iter()
                .map(|g| (&*g.label, g.events.iter().map(|&j| self.event(j)).collect()))
                .collect()
        })
    }
}
