//! The template values of an event's provenance: the reliability badge of
//! a source, the tiers a list entry is filtered by, the correction notices
//! of the event page, the site's corrections newest first (the
//! `corrections/` page and its feed read the same order), and the source
//! filter of the timeline.

use crate::config::Config;
use crate::content::event::Event;
use crate::content::provenance::{Tier, anchor};
use crate::i18n::Locale;
use crate::model::Site;
use crate::render::context::{
    CorrectionView, EventRef, EventSummary, Link, SiteCorrectionView, Urls, date_view,
};

/// A tier's label: the site's own when `reliability:` renames it, else the
/// built-in one in the interface language (`tier-primary`…).
pub fn tier_label(config: &Config, tier: Tier, locale: &Locale) -> String {
    let label = config.reliability_label(tier);
    if label == tier.default_label() {
        locale.text(&format!("tier-{}", tier.key())).to_string()
    } else {
        label.to_string()
    }
}

/// A source's reliability badge: key and label, no page of its own.
pub fn tier_badge(config: &Config, tier: Tier, locale: &Locale) -> Link {
    Link {
        key: tier.key().to_string(),
        label: tier_label(config, tier, locale),
        url: String::new(),
    }
}

/// The event's corrections, newest first (a tie keeps the written order).
pub fn corrections(e: &Event, locale: &Locale) -> Vec<CorrectionView> {
    let mut list: Vec<_> = e.corrections().iter().enumerate().collect();
    list.sort_by_key(|(_, c)| std::cmp::Reverse(c.date.sort_key()));
    list.into_iter()
        .map(|(i, c)| CorrectionView {
            id: anchor(e.corrections(), i),
            date: date_view(&c.date, locale),
            html: c.html.clone(),
        })
        .collect()
}

/// The `corrections/` page's list; `entry` gives an event's list entry.
pub fn site_correction_views(
    site: &Site,
    urls: &Urls,
    entry: &dyn Fn(usize) -> Option<std::sync::Arc<EventSummary>>,
    locale: &Locale,
) -> Vec<SiteCorrectionView> {
    crate::model::updated::corrections(site)
        .into_iter()
        .filter_map(|(i, c)| {
            let e = &site.events[i];
            let correction = &e.corrections()[c];
            Some(SiteCorrectionView {
                url: format!("{}#{}", urls.event(&e.slug), anchor(e.corrections(), c)),
                date: date_view(&correction.date, locale),
                html: correction.html.clone(),
                event: EventRef::of(&*entry(i)?),
            })
        })
        .collect()
}

/// The tiers in use with their labels and counts of events, for the
/// timeline's source filter (`source_tiers` on `index.html`).
pub fn tier_filter(site: &Site, locale: &Locale) -> Vec<serde_json::Value> {
    let mut counts = [0usize; 4];
    for e in site.events.iter() {
        let bits = e.cited.tier_bits();
        for t in Tier::ALL {
            counts[t.index()] += usize::from(bits & 1 << t.index() != 0);
        }
    }
    Tier::ALL
        .into_iter()
        .filter(|t| counts[t.index()] > 0)
        .map(|t| {
            serde_json::json!({
                "key": t.key(),
                "label": tier_label(&site.config, t, locale),
                "count": counts[t.index()],
            })
        })
        .collect()
}
