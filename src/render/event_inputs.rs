//! An event page's and a list entry's fingerprints from what they are
//! made of, instead of from their values: a rebuild of a large site would
//! otherwise make every event page's context (participants, quotes,
//! relations, sources, media, citation and JSON-LD) and every list entry
//! only to find almost all of them unchanged.
//!
//! An event page shows its event, the short references of its neighbours
//! and related events, its list entry, its terms (their names, slugs and
//! names in their own script), its media (what the media stage learnt of
//! each file), its body as rendered, its page-level values (title, links
//! to other languages, feeds) and the values every page shares. Each goes
//! into the fingerprint as a digest: the events and what the site holds
//! beyond them (see [`crate::model::inputs`]), and the page's own list
//! entry and shared values by their fingerprints in [`Memo`]. The
//! configuration, templates, words and binary are in the global
//! fingerprint, which every reuse requires.

use super::Shared;
use super::reuse::Memo;
use crate::model::Site;
use crate::output::digest;
use crate::output::manifest::Fingerprint;

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
        let inputs = site.inputs();
        let event = |j: usize| inputs.event(j);
        let note = site.edition.as_ref().and_then(|ed| ed.event_note(&e.slug));
        digest::of(&(
            "event.html",
            (
                memo.shared(&self.site_value)?,
                memo.shared(&self.years_value)?,
                memo.summary(i)?,
            ),
            inputs.site(),
            (i.checked_sub(1).and_then(event), event(i)?, event(i + 1)),
            inputs.relations(site, i),
            xxhash_rust::xxh3::xxh3_128(body.as_bytes()),
            &self.meta(&e.title, &e.summary, path, "events"),
            super::editions::note(site, self.locale(), note),
            self.timeline_page_url(i),
        ))
    }
}

/// The fingerprint of event `i`'s list entry, from what `views::summary`
/// makes it of: the event as read, what the site holds beyond its events
/// (its terms' names and slugs, a participant's name in their own script,
/// the periods it falls in, its media's facts, the published assets) and
/// the edition's note on it; the configuration, templates and words are in
/// the global fingerprint.
pub(super) fn entry_fingerprint(site: &Site, i: usize) -> Fingerprint {
    let inputs = site.inputs();
    let note = site
        .events
        .get(i)
        .and_then(|e| site.edition.as_ref()?.event_note(&e.slug));
    crate::values::digest::of_debug(&("entry", inputs.event(i), inputs.site(), note))
}
