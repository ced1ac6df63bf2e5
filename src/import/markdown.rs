//! TimelineJS text is an HTML fragment; annals bodies are Markdown. This
//! turns the fragment into Markdown that keeps its links and formatting
//! (a, em/i, strong/b, code, p, br, ul/ol/li, blockquote, headings; any
//! other tag gives its text), into plain text for titles and summaries,
//! and finds a text's first sentence. The fragment is read by a real HTML
//! parser, so entities and broken markup are handled as browsers do.

use scraper::{ElementRef, Html, Node};

/// Stands for a `<br>` inside a paragraph until spaces are collapsed.
const BREAK: char = '\u{1}';

/// Tags whose content is a block of its own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "dl"
            | "dt"
            | "dd"
    )
}

/// Tags whose content is not text a reader sees.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "iframe" | "noscript"
    )
}

/// A link target as a browser on an https page would read it: `//host/x`
/// becomes `https://host/x`.
pub fn absolute_url(url: &str) -> String {
    let url = url.trim();
    match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    }
}

/// Deeper fragments are read as plain text: the conversion recurses once
/// per level, and no real slide nests this deep.
const MAX_DEPTH: usize = 100;

/// How deep the fragment's elements nest, found without recursion.
fn depth(doc: &Html) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                max = max.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth = depth.saturating_sub(1),
        }
    }
    max
}

/// The fragment's plain text and its Markdown (blocks separated by blank
/// lines), from one parse.
pub fn plain_and_markdown(html: &str) -> (String, String) {
    if !html.contains(['<', '&']) {
        let text = collapse(html);
        let md = protect_start(&escape(&text));
        return (text, md);
    }
    let doc = Html::parse_fragment(html);
    if depth(&doc) > MAX_DEPTH {
        let text = collapse(&doc.root_element().text().collect::<String>());
        let md = protect_start(&escape(&text));
        return (text, md);
    }
    let mut out = String::new();
    text_of(doc.root_element(), &mut out);
    (collapse(&out), blocks(doc.root_element()).join("\n\n"))
}

/// The fragment's text: tags removed (blocks and line breaks become a
/// space), entities decoded, whitespace collapsed.
pub fn plain(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse(html);
    }
    let doc = Html::parse_fragment(html);
    if depth(&doc) > MAX_DEPTH {
        let text: String = doc.root_element().text().collect();
        return collapse(&text);
    }
    let mut out = String::new();
    text_of(doc.root_element(), &mut out);
    collapse(&out)
}

fn text_of(e: ElementRef, out: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) => {
                let name = el.name();
                if is_hidden(name) {
                    continue;
                }
                let spaced = is_block(name) || name == "br";
                if spaced {
                    out.push(' ');
                }
                if let Some(c) = ElementRef::wrap(child) {
                    text_of(c, out);
                }
                if spaced {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that end with a period inside a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Gen", "Col", "Lt", "Capt", "Gov", "Sen",
    "Rep", "Pres", "No", "vs", "c", "ca", "etc", "approx", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

/// The first sentence of plain text: up to the first `.`, `!` or `?`
/// followed by a space and a capital letter, a digit or a quote, unless
/// the word before is an abbreviation ("Dr.", "U.S.", an initial).
pub fn first_sentence(text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let ends = matches!(c, '.' | '!' | '?' | '。' | '！' | '？');
        if !ends {
            continue;
        }
        if matches!(c, '。' | '！' | '？') {
            return text[..at + c.len_utf8()].trim().to_string();
        }
        let next_space = chars.get(i + 1).is_some_and(|(_, n)| n.is_whitespace());
        let after = chars.get(i + 2).map(|(_, n)| *n);
        let starts = after.is_some_and(|n| {
            n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '‘' | '\'' | '(')
        });
        if !next_space || !starts {
            continue;
        }
        if c == '.' {
            let word = text[..at].rsplit(char::is_whitespace).next().unwrap_or("");
            let w = word.trim_start_matches(['(', '"', '“']);
            let abbreviation =
                w.chars().count() <= 1 || w.contains('.') || ABBREVIATIONS.contains(&w);
            if abbreviation {
                continue;
            }
        }
        return text[..at + c.len_utf8()].trim().to_string();
    }
    text.trim().to_string()
}

/// The Markdown blocks of an element's children.
fn blocks(e: ElementRef) -> Vec<String> {
    let mut out = Vec::new();
    let mut inline = String::new();
    for child in e.children() {
        match child.value() {
            Node::Text(t) => inline.push_str(&escape(t)),
            Node::Element(el) => {
                let name = el.name();
                let Some(c) = ElementRef::wrap(child) else {
                    continue;
                };
                if is_hidden(name) {
                    continue;
                }
                if !is_block(name) {
                    inline.push_str(&inline_of(c));
                    continue;
                }
                flush(&mut inline, &mut out);
                if let Some(b) = block(c, name) {
                    out.push(b);
                }
            }
            _ => {}
        }
    }
    flush(&mut inline, &mut out);
    out
}

/// One block element as Markdown; None when it holds nothing.
fn block(e: ElementRef, name: &str) -> Option<String> {
    let text = match name {
        "ul" | "ol" => {
            let mut items = Vec::new();
            for (n, li) in e.children().filter_map(ElementRef::wrap).enumerate() {
                let marker = if name == "ol" {
                    format!("{}. ", n + 1)
                } else {
                    "- ".to_string()
                };
                let body = if li.value().name() == "li" {
                    blocks(li).join("\n\n")
                } else {
                    blocks_of_one(li)
                };
                if body.is_empty() {
                    continue;
                }
                items.push(indent_after_first(&body, &marker));
            }
            items.join("\n")
        }
        "blockquote" => blocks(e)
            .join("\n\n")
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">".to_string()
                } else {
                    format!("> {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = name[1..].parse::<usize>().unwrap_or(2);
            let t = finish_inline(&inline_of(e)).replace('\n', " ");
            if t.is_empty() {
                return None;
            }
            format!("{} {t}", "#".repeat(level))
        }
        "hr" => "---".to_string(),
        "pre" => {
            let mut raw = String::new();
            text_of_raw(e, &mut raw);
            let fence = if raw.contains("```") { "~~~~" } else { "```" };
            format!("{fence}\n{}\n{fence}", raw.trim_end_matches('\n'))
        }
        _ => blocks(e).join("\n\n"),
    };
    (!text.trim().is_empty()).then_some(text)
}

fn blocks_of_one(e: ElementRef) -> String {
    block(e, e.value().name()).unwrap_or_default()
}

fn text_of_raw(e: ElementRef, out: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    text_of_raw(c, out);
                }
            }
            _ => {}
        }
    }
}

/// A list item: the marker before its first line, the rest indented under it.
fn indent_after_first(body: &str, marker: &str) -> String {
    let pad = " ".repeat(marker.len());
    body.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{marker}{l}")
            } else if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Ends a run of inline content as a paragraph.
fn flush(inline: &mut String, out: &mut Vec<String>) {
    let p = finish_inline(inline);
    inline.clear();
    if !p.is_empty() {
        out.push(protect_start(&p));
    }
}

/// Collapses spaces and turns the line-break marks into Markdown hard breaks.
fn finish_inline(inline: &str) -> String {
    inline
        .split(BREAK)
        .map(collapse)
        .collect::<Vec<_>>()
        .join("\\\n")
        .trim_matches(|c: char| c == '\\' || c == '\n')
        .to_string()
}

/// Text that would start a heading, list or quote is escaped.
fn protect_start(p: &str) -> String {
    let mut lines = Vec::new();
    for line in p.split('\n') {
        let first = line.chars().next();
        let numbered = line.find(['.', ')']).is_some_and(|i| {
            i > 0 && line[..i].bytes().all(|b| b.is_ascii_digit()) && line[i + 1..].starts_with(' ')
        });
        if numbered {
            let i = line.find(['.', ')']).unwrap_or(0);
            lines.push(format!("{}\\{}", &line[..i], &line[i..]));
        } else if matches!(first, Some('#' | '>' | '-' | '+' | '=' | '|')) || line.starts_with("* ")
        {
            lines.push(format!("\\{line}"));
        } else {
            lines.push(line.to_string());
        }
    }
    lines.join("\n")
}

/// Inline content of an element as Markdown (spaces not yet collapsed).
fn inline_of(e: ElementRef) -> String {
    let mut inner = String::new();
    for child in e.children() {
        match child.value() {
            Node::Text(t) => inner.push_str(&escape(t)),
            Node::Element(el) => {
                if is_hidden(el.name()) {
                    continue;
                }
                if let Some(c) = ElementRef::wrap(child) {
                    if is_block(el.name()) {
                        inner.push(' ');
                        inner.push_str(&inline_of(c));
                        inner.push(' ');
                    } else {
                        inner.push_str(&inline_of(c));
                    }
                }
            }
            _ => {}
        }
    }
    let name = e.value().name();
    match name {
        "br" => BREAK.to_string(),
        "em" | "i" | "cite" => wrap(&inner, "*"),
        "strong" | "b" => wrap(&inner, "**"),
        "del" | "s" | "strike" => wrap(&inner, "~~"),
        "code" => {
            let raw = collapse(&unescape(&inner));
            if raw.is_empty() {
                String::new()
            } else if raw.contains('`') {
                format!("`` {raw} ``")
            } else {
                format!("`{raw}`")
            }
        }
        "a" => {
            let href = e.value().attr("href").map(absolute_url).unwrap_or_default();
            let linkable = href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:");
            if !linkable {
                return inner;
            }
            let text = collapse(&inner.replace(BREAK, " "));
            let text = if text.is_empty() { escape(&href) } else { text };
            let target = if href.contains([' ', '(', ')', '<', '>']) {
                format!(
                    "<{}>",
                    href.replace(' ', "%20")
                        .replace('<', "%3C")
                        .replace('>', "%3E")
                )
            } else {
                href
            };
            let (lead, trail) = edges(&inner);
            format!("{lead}[{text}]({target}){trail}")
        }
        "img" => e.value().attr("alt").map(escape).unwrap_or_default(),
        _ => inner,
    }
}

/// Leading and trailing whitespace of a run, kept outside its markers.
fn edges(inner: &str) -> (&'static str, &'static str) {
    let lead = if inner.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let trail = if inner.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    (lead, trail)
}

fn wrap(inner: &str, marker: &str) -> String {
    let core = inner.trim();
    if core.is_empty() || core == BREAK.to_string() {
        return inner.to_string();
    }
    let (lead, trail) = edges(inner);
    format!("{lead}{marker}{core}{marker}{trail}")
}

/// Markdown's special characters in text, escaped so they stay text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_markdown(html: &str) -> String {
        plain_and_markdown(html).1
    }

    #[test]
    fn keeps_links_and_formatting() {
        let md = to_markdown(
            "<p>Take <a href=\"https://en.wikipedia.org/wiki/Ada_Lovelace\">Ada Lovelace</a>: <em>daughter</em> of &amp; <b>Byron</b>.</p><p>Second<br>line</p>",
        );
        assert_eq!(
            md,
            "Take [Ada Lovelace](https://en.wikipedia.org/wiki/Ada_Lovelace): *daughter* of & **Byron**.\n\nSecond\\\nline"
        );
        assert_eq!(
            to_markdown("<ul><li>one</li><li><a href='//x.org/a'>two</a></li></ul>"),
            "- one\n- [two](https://x.org/a)"
        );
        assert_eq!(to_markdown("<blockquote>Q</blockquote>x"), "> Q\n\nx");
        assert_eq!(
            plain("Ada <a href='x'>Lovelace</a>: born &lt;1815&gt;"),
            "Ada Lovelace: born <1815>"
        );
        assert_eq!(
            to_markdown("<span class='tl-note'>A *star*</span>"),
            "A \\*star\\*"
        );
    }

    #[test]
    fn deep_nesting_is_read_as_text() {
        let html = format!("{}deep{}", "<em>".repeat(5000), "</em>".repeat(5000));
        assert_eq!(to_markdown(&html), "deep");
        assert_eq!(plain(&html), "deep");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Dr. Who met U.S. envoys. Then left."),
            "Dr. Who met U.S. envoys."
        );
        assert_eq!(first_sentence("No end"), "No end");
        assert_eq!(
            first_sentence("Found on Feb. 11, 2012. She is survived."),
            "Found on Feb. 11, 2012."
        );
    }
}
