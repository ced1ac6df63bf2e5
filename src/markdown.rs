//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and
//! task lists, then sanitised with ammonia unless the site opts out.

use pulldown_cmark::{Options, Parser, html};
use std::sync::OnceLock;

fn options() -> Options {
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
        b.link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Renders a Markdown body to HTML.
pub fn render(markdown: &str, unsafe_html: bool) -> String {
    let parser = Parser::new_ext(markdown, options());
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    if unsafe_html {
        out
    } else {
        sanitizer().clean(&out).to_string()
    }
}

/// Plain text of a Markdown fragment, for search and meta descriptions.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn strips_scripts_unless_unsafe() {
        let md = "hi <script>alert(1)</script> <a href=\"javascript:x\" onclick=\"y\">l</a>";
        let safe = render(md, false);
        assert!(!safe.contains("<script"), "{safe}");
        assert!(!safe.contains("javascript:"), "{safe}");
        assert!(!safe.contains("onclick"), "{safe}");
        assert!(render(md, true).contains("<script>"));
    }
}
