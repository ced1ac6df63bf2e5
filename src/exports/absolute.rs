//! Body HTML for exports read away from the event page (feeds, events.json,
//! timelinejs.json): every relative address in `href`, `src`, `srcset` and
//! `poster` is resolved against the event page's absolute URL, so images
//! and links work in a feed reader or in TimelineJS. A bare `#fn1` becomes
//! the page's URL with that fragment. The event page keeps its own HTML.

use lol_html::{RewriteStrSettings, element, rewrite_str};
use std::borrow::Cow;
use url::Url;

/// Attributes holding one address.
const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// `address` resolved against `page`, or None to keep it as written
/// (already absolute, or not an address the URL parser accepts).
fn resolve(page: &Url, address: &str) -> Option<String> {
    if !crate::content::markdown::is_relative_url(address) {
        return None;
    }
    page.join(address.trim()).ok().map(String::from)
}

/// An attribute value as found in the HTML (entities and all) resolved,
/// and escaped again for the attribute.
fn resolve_attribute(
    page: &Url,
    raw: &str,
    resolve: impl Fn(&Url, &str) -> Option<String>,
) -> Option<String> {
    let value = quick_xml::escape::unescape(raw).ok()?;
    let resolved = resolve(page, &value)?;
    Some(quick_xml::escape::escape(resolved.as_str()).into_owned())
}

/// A `srcset` with each candidate's address resolved; descriptors kept.
fn resolve_srcset(page: &Url, srcset: &str) -> Option<String> {
    srcset
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            let (address, descriptor) = match candidate.split_once(char::is_whitespace) {
                Some((a, d)) => (a, Some(d.trim())),
                None => (candidate, None),
            };
            let address = resolve(page, address).unwrap_or_else(|| address.to_string());
            match descriptor {
                Some(d) if !d.is_empty() => format!("{address} {d}"),
                _ => address,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
        .into()
}

/// `html` with its relative addresses made absolute against `page_url`.
/// HTML the rewriter cannot read is returned as it was.
pub fn absolute_html<'h>(html: &'h str, page_url: &str) -> Cow<'h, str> {
    let Ok(page) = Url::parse(page_url) else {
        return Cow::Borrowed(html);
    };
    let page = &page;
    // Never refuse a body for a parsing ambiguity: rewrite what can be read.
    let settings = RewriteStrSettings::new()
        .with_strict(false)
        .append_element_content_handler(element!("*", move |el| {
            for name in URL_ATTRIBUTES {
                if let Some(value) = el.get_attribute(name)
                    && let Some(resolved) = resolve_attribute(page, &value, resolve)
                {
                    el.set_attribute(name, &resolved)?;
                }
            }
            if let Some(srcset) = el.get_attribute("srcset")
                && let Some(resolved) = resolve_attribute(page, &srcset, resolve_srcset)
            {
                el.set_attribute("srcset", &resolved)?;
            }
            Ok(())
        }));
    match rewrite_str(html, settings) {
        Ok(out) => Cow::Owned(out),
        Err(_) => Cow::Borrowed(html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_addresses_only() {
        let page = "https://example.org/timeline/events/a/";
        let html = r##"<p><img src="../../img/x.png" alt="m"> <a href="about/">a</a> <a href="#fn1">1</a> <a href="mailto:x@example.org">m</a> <a href="https://other.example/">o</a> <img srcset="s.png 1x, /timeline/b.png 2x"></p>"##;
        let out = absolute_html(html, page);
        assert!(
            out.contains(r#"src="https://example.org/timeline/img/x.png""#),
            "{out}"
        );
        assert!(
            out.contains(r#"href="https://example.org/timeline/events/a/about/""#),
            "{out}"
        );
        assert!(
            out.contains(r##"href="https://example.org/timeline/events/a/#fn1""##),
            "{out}"
        );
        assert!(out.contains(r#"href="mailto:x@example.org""#), "{out}");
        assert!(out.contains(r#"href="https://other.example/""#), "{out}");
        assert!(
            out.contains(r#"srcset="https://example.org/timeline/events/a/s.png 1x, https://example.org/timeline/b.png 2x""#),
            "{out}"
        );
    }
}
