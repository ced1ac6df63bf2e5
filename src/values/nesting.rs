//! The nesting limit of Markdown bodies: how deep elements may nest, and a
//! linear count of that depth over the parsed Markdown and its raw HTML.
//! The HTML parser behind the sanitiser does work proportional to the
//! depth for every tag (its scope searches), so a body of 100,000 nested
//! `<div>` took 40 s; the depth is checked before that parser runs.

/// Deepest element nesting accepted in a body. Browsers stop nesting at
/// 512 (deeper elements become siblings), and real bodies stay far below
/// 50; at 256 even a 4 MiB body of nested tags sanitises in well under
/// a second.
pub const MAX_NESTING: usize = 256;

/// Where a body first nests deeper than [`MAX_NESTING`]: a byte offset
/// into the Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub offset: usize,
}

/// Elements that have no content, and elements whose start tag closes an
/// open element of the same kind (so repeating them does not nest): the
/// HTML parser never makes either deeper. Nesting through them needs a
/// container (`ul`, `table`, `div`…) that is counted.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc",
];

/// Depth of the elements a body opens: Markdown containers (from the
/// parser's events) plus the elements its raw HTML opens and has not
/// closed. Unclosed raw tags count as open, as the HTML parser keeps them.
#[derive(Debug, Default)]
pub struct DepthCounter {
    markdown: usize,
    html: usize,
}

impl DepthCounter {
    /// Takes one Markdown event that starts at byte `offset` of the body.
    pub fn event(&mut self, event: &pulldown_cmark::Event, offset: usize) -> Result<(), TooDeep> {
        use pulldown_cmark::{Event, Tag};
        match event {
            // An HTML block's own start and end write nothing.
            Event::Start(Tag::HtmlBlock) | Event::End(pulldown_cmark::TagEnd::HtmlBlock) => {}
            Event::Start(_) => {
                self.markdown += 1;
                self.check(offset)?;
            }
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, offset)?,
            _ => {}
        }
        Ok(())
    }

    fn check(&self, offset: usize) -> Result<(), TooDeep> {
        if self.markdown + self.html > MAX_NESTING {
            Err(TooDeep { offset })
        } else {
            Ok(())
        }
    }

    /// Counts the start and end tags of a raw HTML fragment found at
    /// byte `offset`. Comments and declarations are skipped.
    fn raw_html(&mut self, html: &str, offset: usize) -> Result<(), TooDeep> {
        let bytes = html.as_bytes();
        let mut i = 0;
        while let Some(lt) = html[i..].find('<') {
            i += lt + 1;
            let rest = &html[i..];
            if let Some(after) = rest.strip_prefix("!--") {
                i += 3 + after.find("-->").map_or(after.len(), |end| end + 3);
                continue;
            }
            let closing = rest.starts_with('/');
            let name_start = i + usize::from(closing);
            let name_len = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
            if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
                continue;
            }
            let name = &html[name_start..name_start + name_len];
            i = name_start + name_len;
            if FLAT.iter().any(|flat| flat.eq_ignore_ascii_case(name)) {
                continue;
            }
            if closing {
                self.html = self.html.saturating_sub(1);
            } else {
                self.html += 1;
                self.check(offset + name_start - 1)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(markdown: &str) -> Option<TooDeep> {
        let mut counter = DepthCounter::default();
        for (event, range) in pulldown_cmark::Parser::new(markdown).into_offset_iter() {
            if let Err(e) = counter.event(&event, range.start) {
                return Some(e);
            }
        }
        None
    }

    #[test]
    fn counts_markdown_and_raw_html() {
        let ok = format!(
            "{}x{}",
            "<div>".repeat(MAX_NESTING - 1),
            "</div>".repeat(MAX_NESTING - 1)
        );
        assert_eq!(depth_error(&ok), None);
        assert_eq!(depth_error(&"<p><li><br>".repeat(10_000)), None);
        assert_eq!(depth_error(&"<!-- <div> -->".repeat(10_000)), None);
        assert_eq!(
            depth_error(&"<div></div>".repeat(10_000)),
            None,
            "siblings do not nest"
        );
        // Inside a paragraph (one level): the last `<span>` accepted is
        // number MAX_NESTING - 1.
        let deep = "<span>".repeat(MAX_NESTING + 5);
        assert_eq!(
            depth_error(&deep),
            Some(TooDeep {
                offset: 6 * (MAX_NESTING - 1)
            })
        );
        assert!(depth_error(&"> ".repeat(MAX_NESTING + 1)).is_some());
        let emphasis = format!("{}x{}", "*".repeat(600), "*".repeat(600));
        assert!(depth_error(&emphasis).is_some());
    }
}
