//! The "Cite this event" section of an event page: the text citation and
//! the links to the event's citation files, from the same [`Reference`]
//! the files are written from (see `exports::citation`), so the page and
//! the files always agree.

use super::context::CiteView;
use crate::exports::citation::{self, Reference};
use crate::urls::{self, Urls};

/// The cite section of the event whose reference is `r`.
pub fn view(r: &Reference, urls: &Urls) -> CiteView {
    let parts = citation::text_parts(r);
    CiteView {
        text: citation::text(r),
        site: parts.site,
        title: parts.title,
        when: parts.when,
        url: parts.url,
        csl_url: urls.to(&urls::event_cite(r.key, urls::CITE_JSON)),
        bibtex_url: urls.to(&urls::event_cite(r.key, urls::CITE_BIB)),
        ris_url: urls.to(&urls::event_cite(r.key, urls::CITE_RIS)),
    }
}
