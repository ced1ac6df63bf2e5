//! Footnotes of a Markdown body: numbered references and definitions with
//! ids of our own (`fn-N`, `fnref-N`, `fnref-N-K`: valid and unique on a
//! page whatever the labels are), and from each definition a link back
//! (↩, with an accessible name) to every place that cites it.
//!
//! A definition may come before the references to it, so the references
//! are counted first, in a pass of their own; it runs only on bodies that
//! contain `[^`, so bodies without footnotes cost nothing more.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::fmt::Write;

/// The footnote state of one body being rendered.
pub(super) struct Footnotes {
    /// References to each label (lower-cased, as the parser matches them).
    cited: HashMap<String, usize>,
    /// Each label's number, given at its first reference or definition.
    numbers: HashMap<String, usize>,
    /// References to each label written so far.
    written: HashMap<String, usize>,
    /// The number and label of each definition being written.
    open: Vec<(usize, String)>,
}

fn key(label: &str) -> String {
    label.to_lowercase()
}

impl Footnotes {
    /// Counts the references of `markdown`, or `None` when it can hold no
    /// footnote.
    pub(super) fn scan(markdown: &str) -> Option<Footnotes> {
        if !markdown.contains("[^") {
            return None;
        }
        let mut cited: HashMap<String, usize> = HashMap::new();
        for event in Parser::new_ext(markdown, super::markdown::options()) {
            if let Event::FootnoteReference(label) = event {
                *cited.entry(key(&label)).or_default() += 1;
            }
        }
        Some(Footnotes {
            cited,
            numbers: HashMap::new(),
            written: HashMap::new(),
            open: Vec::new(),
        })
    }

    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(key(label)).or_insert(next)
    }

    /// The event as it is written: footnote events become our HTML, every
    /// other event passes unchanged.
    pub(super) fn event<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::FootnoteReference(label) => {
                let n = self.number(&label);
                let k = {
                    let count = self.written.entry(key(&label)).or_default();
                    *count += 1;
                    *count
                };
                Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#fn-{n}\" id=\"{}\">{n}</a></sup>",
                    reference_id(n, k)
                )))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = self.number(&label);
                self.open.push((n, key(&label)));
                Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
                )))
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let mut html = String::new();
                if let Some((n, label)) = self.open.pop() {
                    let cited = self.cited.get(&label).copied().unwrap_or(0);
                    if cited > 0 {
                        html.push_str("<p class=\"footnote-backrefs\">");
                        for k in 1..=cited {
                            let (name, mark) = if cited == 1 {
                                (format!("Back to reference {n}"), String::new())
                            } else {
                                (
                                    format!("Back to reference {n}, citation {k} of {cited}"),
                                    format!("<sup>{k}</sup>"),
                                )
                            };
                            if k > 1 {
                                html.push(' ');
                            }
                            let _ = write!(
                                html,
                                "<a href=\"#{}\" class=\"footnote-backref\" aria-label=\"{name}\">↩{mark}</a>",
                                reference_id(n, k)
                            );
                        }
                        html.push_str("</p>\n");
                    }
                }
                html.push_str("</div>\n");
                Event::Html(CowStr::from(html))
            }
            other => other,
        }
    }
}

/// The id of the `k`th reference to footnote `n`: the first is `fnref-N`.
fn reference_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{k}")
    }
}
