//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and
//! task lists, then sanitised with ammonia unless the site opts out. Link
//! and image addresses pass through a caller's [`LinkVisitor`] on the way,
//! so `@/` links are resolved and checked at their place in the source.
//! Control characters no output can carry are replaced before parsing.

use pulldown_cmark::{Options, Parser, html};
use std::sync::OnceLock;

/// The Markdown extensions every body is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Footnotes and task lists need these to work; ids stay prefixed
        // by pulldown-cmark's own scheme.
        b.add_generic_attributes(["id", "class"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.add_tags(["input"]);
        b.add_tag_attributes("ol", ["start"]);
        b.add_tag_attributes("th", ["style"]);
        b.add_tag_attributes("td", ["style"]);
        // Table alignment is the only style kept: no CSS injection.
        b.filter_style_properties(["text-align"].into());
        // No rel on body links: they open in the same tab, and output must not
        // depend on whether a body needed sanitising.
        b.link_rel(None);
        b
    })
}

/// Whether a link or image address is one the sanitiser would keep as is:
/// relative, a fragment, or http(s)/mailto.
fn is_plain_url(url: &str) -> bool {
    let url = url.trim_start();
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url.as_bytes()[i] == b':' => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => !url.contains(['\0', '\\']),
    }
}

/// Markdown that contains no raw HTML and only plain link addresses
/// renders to HTML the sanitiser would not change; most bodies are like
/// this, and sanitising is the costliest step of a build.
fn needs_sanitising(events: &[pulldown_cmark::Event]) -> bool {
    use pulldown_cmark::{Event, Tag};
    events.iter().any(|e| match e {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            !is_plain_url(dest_url)
        }
        _ => false,
    })
}

/// Renders a Markdown body to HTML.
pub fn render(markdown: &str, unsafe_html: bool) -> String {
    let markdown = &*crate::control_chars::replace_forbidden(markdown);
    let events: Vec<pulldown_cmark::Event> = Parser::new_ext(markdown, options()).collect();
    to_html(markdown.len(), events, unsafe_html)
}

/// Sees every link and image address of a body with its byte range in the
/// Markdown, and may replace it (`Some(new address)`).
pub type LinkVisitor<'v> = dyn FnMut(&str, std::ops::Range<usize>) -> Option<String> + 'v;

/// Where the characters that [`crate::control_chars::replace_forbidden`]
/// widened stood in the original text, so byte ranges in the cleaned text
/// can be given back in the author's file.
struct Widened(Vec<usize>);

impl Widened {
    fn of(original: &str) -> Widened {
        Widened(
            original
                .char_indices()
                .filter(|&(_, c)| crate::control_chars::is_forbidden(c) && c.len_utf8() == 1)
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The original offset of `cleaned`, an offset in the cleaned text.
    fn original(&self, cleaned: usize) -> usize {
        let extra = crate::control_chars::REPLACEMENT.len_utf8() - 1;
        let before = self
            .0
            .iter()
            .enumerate()
            .take_while(|&(n, &at)| cleaned > at + n * extra)
            .count();
        cleaned - before * extra
    }
}

/// Parses a body, passing each link and image address through `visit`
/// with its byte range in `markdown` as the author wrote it.
fn parse_visiting<'m>(
    markdown: &'m str,
    visit: &mut LinkVisitor,
) -> Vec<pulldown_cmark::Event<'m>> {
    match crate::control_chars::replace_forbidden(markdown) {
        std::borrow::Cow::Borrowed(_) => parse_cleaned(markdown, visit),
        std::borrow::Cow::Owned(cleaned) => {
            let widened = Widened::of(markdown);
            let mut visit = |address: &str, range: std::ops::Range<usize>| {
                visit(
                    address,
                    widened.original(range.start)..widened.original(range.end),
                )
            };
            parse_cleaned(&cleaned, &mut visit)
                .into_iter()
                .map(pulldown_cmark::Event::into_static)
                .collect()
        }
    }
}

fn parse_cleaned<'m>(markdown: &'m str, visit: &mut LinkVisitor) -> Vec<pulldown_cmark::Event<'m>> {
    use pulldown_cmark::{Event, Tag};
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: visit(&dest_url, range).map_or(dest_url, Into::into),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: visit(&dest_url, range).map_or(dest_url, Into::into),
                title,
                id,
            }),
            other => other,
        })
        .collect()
}

/// Whether an address needs a base to be resolved: relative, root-relative,
/// scheme-relative or a bare `#fragment`.
pub fn is_relative_url(url: &str) -> bool {
    matches!(
        url::Url::parse(url.trim()),
        Err(url::ParseError::RelativeUrlWithoutBase)
    )
}

/// Whether the HTML of these events may hold an address that only works
/// on the event's own page: a relative link or image, a footnote
/// reference (`#fn`), or raw HTML (which may carry any address).
fn has_page_relative_urls(events: &[pulldown_cmark::Event]) -> bool {
    use pulldown_cmark::{Event, Tag};
    events.iter().any(|e| match e {
        Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => true,
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            is_relative_url(dest_url)
        }
        _ => false,
    })
}

/// An event body: its HTML and the words a search looks for.
pub struct Body {
    pub html: String,
    /// The distinct words of the text, lower-cased, in order of first
    /// appearance: all the search index needs, at a fraction of the text.
    pub words: String,
    /// Whether `html` holds addresses that exports must make absolute.
    pub has_relative_urls: bool,
}

/// Renders a page body to HTML, each link address passed through `visit`.
pub fn render_visiting(markdown: &str, unsafe_html: bool, visit: &mut LinkVisitor) -> String {
    let events = parse_visiting(markdown, visit);
    to_html(markdown.len(), events, unsafe_html)
}

/// Renders a Markdown body to HTML and collects its words, from one parse.
pub fn render_body(markdown: &str, unsafe_html: bool) -> Body {
    render_body_visiting(markdown, unsafe_html, &mut |_, _| None)
}

/// [`render_body`], each link address passed through `visit`.
pub fn render_body_visiting(markdown: &str, unsafe_html: bool, visit: &mut LinkVisitor) -> Body {
    let events = parse_visiting(markdown, visit);
    let has_relative_urls = has_page_relative_urls(&events);
    let mut words = String::new();
    push_new_words(
        &mut words,
        &mut WordSet::default(),
        events.iter().filter_map(|e| match e {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => Some(t.as_ref()),
            _ => None,
        }),
    );
    Body {
        html: to_html(markdown.len(), events, unsafe_html),
        words,
        has_relative_urls,
    }
}

/// HTML of parsed Markdown, sanitised when it needs it.
fn to_html(source_len: usize, events: Vec<pulldown_cmark::Event>, unsafe_html: bool) -> String {
    let dirty = !unsafe_html && needs_sanitising(&events);
    let mut out = String::with_capacity(source_len * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if dirty {
        sanitizer().clean(&out).to_string()
    } else {
        out
    }
}

/// Words of two or more characters (letters and digits), lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
    use std::borrow::Cow;
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .map(|w| {
            if w.chars().any(char::is_uppercase) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        })
}

/// Words already seen, borrowed from the texts where possible.
pub type WordSet<'t> = std::collections::HashSet<std::borrow::Cow<'t, str>, ahash::RandomState>;

/// Appends to `out`, space-separated, the [`words`] of `texts` that are
/// not in `seen` yet, and adds them to it.
pub fn push_new_words<'t>(
    out: &mut String,
    seen: &mut WordSet<'t>,
    texts: impl Iterator<Item = &'t str>,
) {
    for w in texts.flat_map(words) {
        if !seen.contains(&w) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
            seen.insert(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_extensions() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n",
            false,
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>x</del>"), "{html}");
        assert!(html.contains("checkbox"), "{html}");
    }

    #[test]
    fn plain_markdown_skips_the_sanitiser_only_when_safe() {
        let plain = "A [link](https://example.org/a?b=1&c=2) and [rel](../x/) and ![i](img.png).";
        assert_eq!(render(plain, false), render(plain, true));
        for risky in [
            "[x](javascript:alert(1))",
            "[x]( JavaScript:alert(1))",
            "![x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "[x](vbscript:msgbox)",
            "text <img src=x onerror=alert(1)>",
        ] {
            let html = render(risky, false);
            let lower = html.to_lowercase();
            for bad in [
                "href=\"javascript",
                "href=\" javascript",
                "src=\"data:",
                "href=\"vbscript",
                "onerror=",
            ] {
                assert!(!lower.contains(bad), "{risky} -> {html}");
            }
        }
    }

    #[test]
    fn strips_scripts_unless_unsafe() {
        let md = "hi <script>alert(1)</script> <a href=\"javascript:x\" onclick=\"y\">l</a>";
        let safe = render(md, false);
        assert!(!safe.contains("<script"), "{safe}");
        assert!(!safe.contains("javascript:"), "{safe}");
        assert!(!safe.contains("onclick"), "{safe}");
        assert!(render(md, true).contains("<script>"));
    }

    #[test]
    fn link_ranges_point_into_the_text_as_written_around_replaced_controls() {
        let md = "a\u{7}b\u{1}\u{1} [x](@/events/nope) \u{FFFF}[y](z)";
        let mut seen = Vec::new();
        render_visiting(md, false, &mut |address, range| {
            seen.push((address.to_string(), md[range].to_string()));
            None
        });
        assert_eq!(
            seen,
            [
                (
                    "@/events/nope".to_string(),
                    "[x](@/events/nope)".to_string()
                ),
                ("z".to_string(), "[y](z)".to_string())
            ]
        );
    }
}
