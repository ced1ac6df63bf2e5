//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and
//! task lists, then sanitised with ammonia unless the site opts out. One
//! streamed pass over the parser's events does all of it: link and image
//! addresses pass through a caller's [`LinkVisitor`] (so `@/` links are
//! resolved and checked at their place in the source), bodies nested
//! deeper than [`crate::values::nesting::MAX_NESTING`] are refused before the
//! sanitiser runs (see `nesting`), and control characters no output can
//! carry are replaced before parsing, with positions still given in the
//! text as written.

use crate::values::nesting::{DepthCounter, TooDeep};
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
        // The accessible name of a footnote's link back to its reference.
        b.add_tag_attributes("a", ["aria-label"]);
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
fn needs_sanitising(event: &pulldown_cmark::Event) -> bool {
    use pulldown_cmark::{Event, Tag};
    match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            !is_plain_url(dest_url)
        }
        _ => false,
    }
}

/// Sees every link and image address of a body with its byte range in the
/// Markdown as written, and may replace it (`Some(new address)`).
pub type LinkVisitor<'v> = dyn FnMut(&str, std::ops::Range<usize>) -> Option<String> + 'v;

/// Where the characters that [`crate::values::control_chars::replace_forbidden`]
/// widened stood in the original text, so offsets in the cleaned text can
/// be given back in the author's file.
struct Widened(Vec<usize>);

impl Widened {
    fn of(original: &str) -> Widened {
        Widened(
            original
                .char_indices()
                .filter(|&(_, c)| {
                    crate::values::control_chars::is_forbidden(c) && c.len_utf8() == 1
                })
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The original offset of `cleaned`, an offset in the cleaned text.
    fn original(&self, cleaned: usize) -> usize {
        let extra = crate::values::control_chars::REPLACEMENT.len_utf8() - 1;
        let before = self
            .0
            .iter()
            .enumerate()
            .take_while(|&(n, &at)| cleaned > at + n * extra)
            .count();
        cleaned - before * extra
    }
}

/// Whether an address needs a base to be resolved: relative, root-relative,
/// scheme-relative or a bare `#fragment`.
pub fn is_relative_url(url: &str) -> bool {
    matches!(
        url::Url::parse(url.trim()),
        Err(url::ParseError::RelativeUrlWithoutBase)
    )
}

/// Whether this event may put an address into the HTML that only works
/// on the event's own page: a relative link or image, a footnote
/// reference (`#fn`), or raw HTML (which may carry any address).
fn is_page_relative(event: &pulldown_cmark::Event) -> bool {
    use pulldown_cmark::{Event, Tag};
    match event {
        Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => true,
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            is_relative_url(dest_url)
        }
        _ => false,
    }
}

/// Passes a link's or image's address through `visit`.
fn visit_address<'a>(
    event: pulldown_cmark::Event<'a>,
    range: impl FnOnce() -> std::ops::Range<usize>,
    visit: &mut LinkVisitor,
) -> pulldown_cmark::Event<'a> {
    use pulldown_cmark::{Event, Tag};
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: visit(&dest_url, range()).map_or(dest_url, Into::into),
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
            dest_url: visit(&dest_url, range()).map_or(dest_url, Into::into),
            title,
            id,
        }),
        other => other,
    }
}

/// A body rendered to HTML.
struct Rendered {
    html: String,
    has_relative_urls: bool,
}

/// Renders a body in one streamed pass over its events (a Markdown body of
/// 4 MiB can be millions of events: collecting them first cost more than
/// the parse), handing every text to `on_text`. `markdown` is the cleaned
/// text and `widened` maps its offsets back to the text as written. Refuses
/// a body that nests deeper than [`crate::values::nesting::MAX_NESTING`] before the
/// sanitiser sees it.
fn render_with<'a>(
    markdown: &'a str,
    widened: &Widened,
    unsafe_html: bool,
    visit: &mut LinkVisitor,
    mut on_text: impl FnMut(pulldown_cmark::CowStr<'a>),
) -> Result<Rendered, TooDeep> {
    use pulldown_cmark::Event;
    let mut depth = DepthCounter::default();
    let mut too_deep = None;
    let mut dirty = false;
    let mut has_relative_urls = false;
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    let mut footnotes = super::footnotes::Footnotes::scan(markdown);
    let events = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map_while(|(event, range)| {
            if let Err(e) = depth.event(&event, range.start) {
                too_deep = Some(e);
                return None;
            }
            let event = visit_address(
                event,
                || widened.original(range.start)..widened.original(range.end),
                visit,
            );
            dirty |= needs_sanitising(&event);
            has_relative_urls |= is_page_relative(&event);
            if let Event::Text(t) | Event::Code(t) = &event {
                on_text(t.clone());
            }
            // After the checks above: the footnote HTML is ours and safe.
            Some(match footnotes.as_mut() {
                Some(f) => f.event(event),
                None => event,
            })
        });
    html::push_html(&mut out, events);
    if let Some(e) = too_deep {
        return Err(TooDeep {
            offset: widened.original(e.offset),
        });
    }
    let html = if dirty && !unsafe_html {
        sanitizer().clean(&out).to_string()
    } else {
        out
    };
    Ok(Rendered {
        html,
        has_relative_urls,
    })
}

/// The body with forbidden characters replaced, and where they stood.
fn cleaned(markdown: &str) -> (std::borrow::Cow<'_, str>, Widened) {
    let cleaned = crate::values::control_chars::replace_forbidden(markdown);
    let widened = match cleaned {
        std::borrow::Cow::Borrowed(_) => Widened(Vec::new()),
        std::borrow::Cow::Owned(_) => Widened::of(markdown),
    };
    (cleaned, widened)
}

/// Renders a Markdown body to HTML.
pub fn render(markdown: &str, unsafe_html: bool) -> Result<String, TooDeep> {
    render_visiting(markdown, unsafe_html, &mut |_, _| None)
}

/// Renders a page body to HTML, each link address passed through `visit`.
pub fn render_visiting(
    markdown: &str,
    unsafe_html: bool,
    visit: &mut LinkVisitor,
) -> Result<String, TooDeep> {
    let (text, widened) = cleaned(markdown);
    render_with(&text, &widened, unsafe_html, visit, |_| {}).map(|r| r.html)
}

/// An event body: its HTML and the words a search looks for.
#[derive(Debug, Clone)]
pub struct Body {
    pub html: String,
    /// The distinct words of the text, lower-cased, in order of first
    /// appearance: all the search index needs, at a fraction of the text.
    pub words: String,
    /// Whether `html` holds addresses that exports must make absolute.
    pub has_relative_urls: bool,
}

/// Renders a Markdown body to HTML and collects its words, from one parse,
/// each link address passed through `visit`.
pub fn render_body_visiting(
    markdown: &str,
    unsafe_html: bool,
    visit: &mut LinkVisitor,
) -> Result<Body, TooDeep> {
    use pulldown_cmark::CowStr;
    use std::borrow::Cow;
    let (text, widened) = cleaned(markdown);
    let mut words = String::new();
    let mut seen = WordSet::default();
    let rendered = render_with(&text, &widened, unsafe_html, visit, |t| match t {
        // Most texts are slices of the body: their words borrow from it.
        CowStr::Borrowed(t) => push_new_words(&mut words, &mut seen, std::iter::once(t)),
        owned => {
            for w in self::words(&owned) {
                push_new_word(&mut words, &mut seen, Cow::Owned(w.into_owned()));
            }
        }
    })?;
    Ok(Body {
        html: rendered.html,
        words,
        has_relative_urls: rendered.has_relative_urls,
    })
}

/// Walks a body as [`render_body_visiting`] does, with the same link
/// visits and nesting limit, without producing HTML: a build validates
/// every body first and renders each again only when its page is written.
pub fn check_visiting(markdown: &str, visit: &mut LinkVisitor) -> Result<(), TooDeep> {
    let (text, widened) = cleaned(markdown);
    let mut depth = DepthCounter::default();
    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        if let Err(e) = depth.event(&event, range.start) {
            return Err(TooDeep {
                offset: widened.original(e.offset),
            });
        }
        visit_address(
            event,
            || widened.original(range.start)..widened.original(range.end),
            visit,
        );
    }
    Ok(())
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
        push_new_word(out, seen, w);
    }
}

/// Appends one word to `out` unless it is in `seen`. Appended first and
/// taken back when seen, so each word is hashed once.
fn push_new_word<'t>(out: &mut String, seen: &mut WordSet<'t>, word: std::borrow::Cow<'t, str>) {
    let before = out.len();
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&word);
    if !seen.insert(word) {
        out.truncate(before);
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
        )
        .expect("renders");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>x</del>"), "{html}");
        assert!(html.contains("checkbox"), "{html}");
    }

    #[test]
    fn plain_markdown_skips_the_sanitiser_only_when_safe() {
        let plain = "A [link](https://example.org/a?b=1&c=2) and [rel](../x/) and ![i](img.png).";
        assert_eq!(
            render(plain, false).expect("renders"),
            render(plain, true).expect("renders")
        );
        for risky in [
            "[x](javascript:alert(1))",
            "[x]( JavaScript:alert(1))",
            "![x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "[x](vbscript:msgbox)",
            "text <img src=x onerror=alert(1)>",
        ] {
            let html = render(risky, false).expect("renders");
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
        let safe = render(md, false).expect("renders");
        assert!(!safe.contains("<script"), "{safe}");
        assert!(!safe.contains("javascript:"), "{safe}");
        assert!(!safe.contains("onclick"), "{safe}");
        assert!(render(md, true).expect("renders").contains("<script>"));
    }

    #[test]
    fn link_ranges_point_into_the_text_as_written_around_replaced_controls() {
        let md = "a\u{7}b\u{1}\u{1} [x](@/events/nope) \u{FFFF}[y](z)";
        let mut seen = Vec::new();
        render_visiting(md, false, &mut |address, range| {
            seen.push((address.to_string(), md[range].to_string()));
            None
        })
        .expect("renders");
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

    #[test]
    fn too_deep_offsets_point_into_the_text_as_written() {
        let open = "<div>".repeat(crate::values::nesting::MAX_NESTING + 5);
        let md = format!("\u{1}\u{2}\u{3}\n\n{open}");
        let deep = render(&md, false).expect_err("too deep");
        let plain = render(&format!("abc\n\n{open}"), false).expect_err("too deep");
        assert_eq!(deep.offset, plain.offset);
    }
}
