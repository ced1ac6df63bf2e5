//! Internal link checking for `annals check`: a [`Sink`] that keeps, instead
//! of files, the set of rendered paths and each page's links and ids, then
//! reports every internal link whose target or `#fragment` is missing.

use crate::diagnostic::{Diagnostic, Pos};
use crate::output::Sink;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// A link of a rendered page whose target is missing.
#[derive(Debug, Clone)]
pub struct BrokenLink {
    /// The output file, e.g. `events/x/index.html`.
    pub page: String,
    /// Position in the rendered HTML.
    pub pos: Pos,
    /// The address as written in the HTML (unescaped).
    pub link: String,
    pub message: String,
}

impl BrokenLink {
    /// Reported against the rendered page, for links no source line holds
    /// (written by a template).
    pub fn rendered_diagnostic(self) -> Diagnostic {
        Diagnostic::new(format!("(rendered) {}", self.page), self.pos, self.message)
            .with_hint("fix the link in the Markdown body or template that produces this page")
    }

    /// Reported at the Markdown source that wrote the link.
    pub fn source_diagnostic(self, at: &crate::diagnostic::Located) -> Diagnostic {
        at.diagnostic(self.message)
            .with_hint("fix the link in the Markdown body; `@/events/<slug>` and `@/<page-slug>` always point at the right page")
            .with_note(format!("found in the rendered {}", self.page))
    }
}

#[derive(Default)]
struct Collected {
    files: HashSet<String>,
    /// Page → (line, column, link).
    links: Vec<(String, usize, usize, String)>,
    ids: HashMap<String, HashSet<String>>,
}

pub struct LinkCollector {
    base_path: String,
    collected: Mutex<Collected>,
}

/// Values of `attr="..."` in machine-written HTML, with line and column.
/// Lines are counted incrementally: pages can hold thousands of links.
fn attribute_values<'h>(html: &'h str, attr: &str) -> Vec<(usize, usize, &'h str)> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    let mut line = 1;
    let mut line_start = 0;
    let mut counted_to = 0;
    while let Some(found) = html[from..].find(&needle) {
        let start = from + found + needle.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        for (i, b) in html.as_bytes()[counted_to..start].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = counted_to + i + 1;
            }
        }
        counted_to = start;
        let column = html[line_start..start].chars().count() + 1;
        out.push((line, column, &html[start..start + len]));
        from = start + len;
    }
    out
}

fn unescape(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
}

impl LinkCollector {
    pub fn new(base_path: &str) -> LinkCollector {
        LinkCollector {
            base_path: base_path.to_string(),
            collected: Mutex::new(Collected::default()),
        }
    }

    /// The output file a site-internal link points to, or None if external.
    fn target(&self, page: &str, link: &str) -> Option<(String, Option<String>)> {
        let lower = link.to_ascii_lowercase();
        if link.is_empty()
            || link.starts_with("//")
            || crate::values::base_url::is_absolute(&lower)
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
            || lower.starts_with("data:")
            || lower.starts_with("javascript:")
        {
            return None;
        }
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string())),
            None => (link, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let resolved = if path.is_empty() {
            page.to_string()
        } else if let Some(abs) = path.strip_prefix('/') {
            let base = self.base_path.trim_start_matches('/');
            match abs.strip_prefix(base) {
                Some(rest) => rest.to_string(),
                None => return Some((format!("\u{0}outside:{path}"), fragment)),
            }
        } else {
            let dir = page
                .rsplit_once('/')
                .map(|(d, _)| format!("{d}/"))
                .unwrap_or_default();
            let mut parts: Vec<&str> = Vec::new();
            let joined = format!("{dir}{path}");
            for part in joined.split('/') {
                match part {
                    ".." => {
                        parts.pop();
                    }
                    "." => {}
                    p => parts.push(p),
                }
            }
            parts.join("/")
        };
        let file = if resolved.is_empty() || resolved.ends_with('/') {
            format!("{resolved}index.html")
        } else {
            resolved
        };
        Some((file, fragment))
    }

    /// Every broken internal link, with the rendered page and position.
    pub fn broken(&self) -> Vec<BrokenLink> {
        let Ok(c) = self.collected.lock() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (page, line, column, link) in &c.links {
            let Some((file, fragment)) = self.target(page, link) else {
                continue;
            };
            let problem = if let Some(outside) = file.strip_prefix("\u{0}outside:") {
                Some(format!(
                    "link `{link}` leaves the site's base path `{}` ({outside})",
                    self.base_path
                ))
            } else if !c.files.contains(&file) && !c.files.contains(&format!("{file}/index.html")) {
                Some(format!("broken link `{link}`: no page at {file}"))
            } else {
                match fragment {
                    Some(f)
                        if !f.is_empty()
                            && file.ends_with(".html")
                            && !c.ids.get(&file).is_some_and(|ids| ids.contains(&f)) =>
                    {
                        Some(format!(
                            "broken link `{link}`: {file} has no element with id `{f}`"
                        ))
                    }
                    _ => None,
                }
            };
            if let Some(message) = problem {
                out.push(BrokenLink {
                    page: page.clone(),
                    pos: Pos::new(*line, *column),
                    link: link.clone(),
                    message,
                });
            }
        }
        out.sort_by(|a, b| {
            (&a.page, a.pos.line, a.pos.column).cmp(&(&b.page, b.pos.line, b.pos.column))
        });
        out.dedup_by(|a, b| a.page == b.page && a.pos == b.pos && a.message == b.message);
        out
    }
}

impl Sink for LinkCollector {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut links = Vec::new();
        let mut ids = HashSet::new();
        if rel.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for attr in ["href", "src"] {
                for (line, column, value) in attribute_values(&html, attr) {
                    links.push((rel.to_string(), line, column, unescape(value)));
                }
            }
            for (_, _, id) in attribute_values(&html, "id") {
                ids.insert(unescape(id));
            }
        }
        let mut c = self
            .collected
            .lock()
            .map_err(|_| std::io::Error::other("link collector poisoned"))?;
        c.files.insert(rel.to_string());
        c.links.extend(links);
        if rel.ends_with(".html") {
            c.ids.insert(rel.to_string(), ids);
        }
        Ok(())
    }
}
