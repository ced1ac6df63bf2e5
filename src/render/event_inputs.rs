//! An event page's fingerprint from what it is made of, instead of from
//! its whole context: a rebuild of a large site would otherwise make every
//! event page's context (participants, quotes, relations, sources, media,
//! citation and JSON-LD) only to find almost all of them unchanged.
//!
//! An event page shows its event, the short references of its neighbours
//! and related events, its list entry, its terms (their names, slugs and
//! names in their own script), its media (what the media stage learnt of
//! each file), its body as rendered, its page-level values (title, links
//! to other languages, feeds) and the values every page shares. Each goes
//! into the fingerprint as a digest: the events as read (see
//! [`crate::content::event::Event::input_digest`]) and when each was last
//! updated, what the site holds beyond its events that any event page
//! reads (every term but its list of events, every media file's facts, the
//! periods, pages, published asset names and editions), and the page's own
//! list entry and shared values by their fingerprints in [`Memo`]. The
//! configuration, templates, words and binary are in the global
//! fingerprint, which every reuse requires.

use super::Shared;
use super::reuse::Memo;
use crate::model::Site;
use crate::output::digest;
use crate::output::manifest::Fingerprint;
use rayon::prelude::*;

/// What the event pages of one site are made of, worked out once per build.
pub(super) struct Inputs {
    /// Per event (same index): the event as read and when it was last
    /// updated.
    events: Vec<u128>,
    /// What an event page reads of the site beyond its events.
    site: u128,
}

impl Inputs {
    pub(super) fn of(site: &Site) -> Inputs {
        let events = site
            .events
            .par_iter()
            .enumerate()
            .map(|(i, e)| digest::of_debug(&(e.input_digest(), site.updated.get(i))))
            .collect();
        // A term's events change with any event's terms or dates; an event
        // page shows none of them, only the term.
        let taxonomies: Vec<_> = site
            .taxonomies
            .iter()
            .map(|t| {
                let terms: Vec<_> = t
                    .terms
                    .iter()
                    .map(|term| {
                        let crate::model::Term {
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
}

impl Shared<'_> {
    /// The fingerprint of event `i`'s page at `path` with `body` (its body
    /// as rendered: `@/` links in it follow other events' slugs); `None`
    /// when a value every page shares has no fingerprint (the page is then
    /// always rendered).
    pub(super) fn event_fingerprint(
        &self,
        i: usize,
        path: &str,
        body: &str,
    ) -> Option<Fingerprint> {
        let site = self.site;
        let e = site.events.get(i)?;
        let memo: &Memo = self.memo();
        let inputs = self.prepared.event_inputs(site);
        let event = |j: usize| inputs.events.get(j).copied();
        let relations: Vec<(&str, Vec<Option<u128>>)> = site
            .relations
            .get(i)?
            .iter()
            .map(|g| (&*g.label, g.events.iter().map(|&j| event(j)).collect()))
            .collect();
        let note = site.edition.as_ref().and_then(|ed| ed.event_note(&e.slug));
        digest::of(&(
            "event.html",
            (
                memo.shared(&self.site_value)?,
                memo.shared(&self.years_value)?,
                memo.summary(i)?,
            ),
            inputs.site,
            (i.checked_sub(1).and_then(event), event(i)?, event(i + 1)),
            relations,
            xxhash_rust::xxh3::xxh3_128(body.as_bytes()),
            &self.meta(&e.title, &e.summary, path, "events"),
            super::editions::note(site, self.locale(), note),
            self.timeline_page_url(i),
        ))
    }
}
