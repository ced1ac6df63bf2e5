//! The "Cite this event" section of an event page: the text citation and
//! the links to the event's citation files, from the same [`Reference`]
//! the files are written from (see `exports::citation`), so the page and
//! the files always agree.

use super::context::CiteView;
use crate::exports::citation::{self, Reference};
use crate::urls::{self, Urls};

/// The cite section of the event whose reference is `r`, its date in the
/// interface language (the files keep the site's own forms).
pub fn view(r: &Reference, urls: &Urls, locale: &crate::i18n::Locale) -> CiteView {
    let shown = Reference {
        when: crate::values::dates::display_span_in(r.date, r.end, r.approximate, locale),
        url: r.url.clone(),
        keywords: Vec::new(),
        location: r.location.clone(),
        ..*r
    };
    let parts = citation::text_parts(&shown);
    CiteView {
        text: citation::text(&shown),
        site: parts.site,
        title: parts.title,
        when: parts.when,
        url: parts.url,
        csl_url: urls.to(&urls::event_cite(r.key, urls::CITE_JSON)),
        bibtex_url: urls.to(&urls::event_cite(r.key, urls::CITE_BIB)),
        ris_url: urls.to(&urls::event_cite(r.key, urls::CITE_RIS)),
    }
}
