//! A checked reader over parsed YAML: reads typed values (text, lists,
//! maps, booleans, dates, URLs) out of a document and records a located
//! diagnostic, with a hint, for every problem instead of stopping at the
//! first. The event schema (`validate`), `site.yaml` (`config`) and
//! `import` all read through it, so none of them depends on another.

use crate::diagnostic::Located;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::source::parse::Document;
use crate::source::yaml::{Seg, Yaml};
use crate::values::dates::EventDate;
use std::path::Path;

/// Most items a front-matter list (participants, tags, sources…) may hold.
pub const MAX_LIST_ITEMS: usize = 1_000;

/// Reads typed values out of a document's YAML, recording a positioned
/// diagnostic for each problem.
pub struct Checker<'d> {
    doc: &'d Document,
    path: &'d Path,
    /// `path`, made once for every [`Located`] of the file.
    shared_path: std::cell::OnceCell<std::sync::Arc<Path>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'d> Checker<'d> {
    pub fn new(doc: &'d Document, path: &'d Path) -> Checker<'d> {
        Checker {
            doc,
            path,
            shared_path: std::cell::OnceCell::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The file's path, shared by every place found in it.
    pub fn shared_path(&self) -> std::sync::Arc<Path> {
        self.shared_path.get_or_init(|| self.path.into()).clone()
    }

    fn push(
        &mut self,
        pos_width: (crate::diagnostic::Pos, usize),
        message: String,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(self.path, pos_width.0, message)
            .with_width(pos_width.1)
            .with_source(&self.doc.text);
        self.diagnostics.push(d);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    pub fn at_key(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let pw = self.doc.key_pos(path);
        self.push(pw, message.into())
    }

    pub fn at_value(&mut self, path: &[Seg], message: impl Into<String>) -> &mut Diagnostic {
        let pw = self.doc.value_pos(path);
        self.push(pw, message.into())
    }

    /// The body nests deeper than the limit, at the element that passes it.
    pub fn too_deep(&mut self, deep: crate::values::nesting::TooDeep) {
        let limit = crate::values::nesting::MAX_NESTING;
        self.push(
            (self.doc.body_pos(deep.offset), 1),
            format!("the body nests elements deeper than {limit} levels"),
        )
        .hint = Some(format!(
            "close the elements opened before this point (raw HTML tags, `>` quotes, lists, emphasis); no page needs more than {limit} levels"
        ));
    }

    /// A diagnostic at byte `offset` of the file's text, `width`
    /// characters wide.
    pub fn at_offset(
        &mut self,
        offset: usize,
        width: usize,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let text = &self.doc.text;
        let at = offset.min(text.len());
        let before = text.get(..at).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let pos = crate::diagnostic::Pos::new(
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        );
        self.push((pos, width), message.into())
    }

    /// A diagnostic at the top of the file (for missing fields).
    pub fn at_top(&mut self, message: impl Into<String>) -> &mut Diagnostic {
        self.push((crate::diagnostic::Pos::new(1, 1), 3), message.into())
    }

    pub fn first_line(&self) -> &str {
        self.doc.text.lines().next().unwrap_or("")
    }

    /// Where `path` (its value with `value`, else its key) is, for a
    /// holder that knows the file and reads its line again if it reports
    /// it (see [`crate::diagnostic::Spot`]).
    pub fn spot(&self, path: &[Seg], value: bool) -> crate::diagnostic::Spot {
        let (pos, width) = if value {
            self.doc.value_pos(path)
        } else {
            self.doc.key_pos(path)
        };
        crate::diagnostic::Spot::new(pos, width)
    }

    pub fn located(&self, path: &[Seg], value: bool) -> Located {
        let (pos, width) = if value {
            self.doc.value_pos(path)
        } else {
            self.doc.key_pos(path)
        };
        Located {
            path: self.shared_path(),
            pos,
            width,
            line_text: self
                .doc
                .text
                .lines()
                .nth(pos.line.saturating_sub(1))
                .unwrap_or("")
                .to_string(),
        }
    }

    /// Reports keys of `map` not in `allowed`, with a "did you mean".
    pub fn check_keys(
        &mut self,
        map: &[(String, Yaml)],
        allowed: &[&str],
        path: &[Seg],
        what: &str,
    ) {
        for (key, _) in map {
            if !allowed.contains(&key.as_str()) {
                let mut p = path.to_vec();
                p.push(Seg::Key(key));
                let hint = suggestion(key, allowed);
                self.at_key(&p, format!("unknown key `{key}` in {what}"))
                    .hint = Some(hint);
            }
        }
    }

    /// Non-empty text (numbers are accepted as their text).
    /// Text holding a character no output can carry (see
    /// [`crate::values::control_chars`]) is refused, naming the character.
    pub fn text(&mut self, value: &Yaml, path: &[Seg]) -> Option<String> {
        if let Some(c) = match value {
            Yaml::Str(s) => crate::values::control_chars::first_forbidden(s),
            _ => None,
        } {
            let name = crate::values::control_chars::describe(c);
            self.at_value(
                path,
                format!(
                    "`{}` holds {name}, a character no page, feed or calendar can carry",
                    last_key(path)
                ),
            )
            .hint = Some(format!(
                "{name} is not allowed; remove it (in double quotes it may come from an escape such as `{}`)",
                crate::values::control_chars::yaml_escape(c)
            ));
            return None;
        }
        match value.scalar_text() {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(_) | None if matches!(value, Yaml::Str(_) | Yaml::Null) => {
                self.at_value(path, format!("`{}` is empty", last_key(path)));
                None
            }
            _ => {
                self.at_value(
                    path,
                    format!(
                        "`{}` must be text, found {}",
                        last_key(path),
                        value.type_name()
                    ),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, value: &Yaml, path: &[Seg]) -> Option<bool> {
        match value {
            Yaml::Bool(b) => Some(*b),
            other => {
                self.at_value(
                    path,
                    format!(
                        "`{}` must be true or false, found {}",
                        last_key(path),
                        other.type_name()
                    ),
                )
                .hint = Some("write `true` or `false`".into());
                None
            }
        }
    }

    /// Items of a list; a single scalar counts as a one-item list.
    /// More than [`MAX_LIST_ITEMS`] is an error: every participant and tag
    /// gets a page listing the event with all of them, so the cost grows
    /// with the square of the list.
    pub fn list<'v>(&mut self, value: &'v Yaml, path: &[Seg]) -> Vec<&'v Yaml> {
        match value {
            Yaml::Seq(items) if items.len() > MAX_LIST_ITEMS => {
                self.at_value(
                    path,
                    format!(
                        "`{}` has {} items; an event may list at most {MAX_LIST_ITEMS}",
                        last_key(path),
                        items.len()
                    ),
                )
                .hint = Some("split the event, or keep the list to what readers need".into());
                Vec::new()
            }
            Yaml::Seq(items) => items.iter().collect(),
            Yaml::Null => Vec::new(),
            Yaml::Map(_) => {
                self.at_value(
                    path,
                    format!("`{}` must be a list, found a mapping", last_key(path)),
                )
                .hint = Some("write items as `- item` lines or `[a, b]`".into());
                Vec::new()
            }
            scalar => vec![scalar],
        }
    }

    pub fn map<'v>(
        &mut self,
        value: &'v Yaml,
        path: &[Seg],
        what: &str,
    ) -> Option<&'v [(String, Yaml)]> {
        match value {
            Yaml::Map(m) => Some(m),
            other => {
                self.at_value(
                    path,
                    format!("{what} must be a mapping, found {}", other.type_name()),
                );
                None
            }
        }
    }

    pub fn date(&mut self, value: &Yaml, path: &[Seg]) -> Option<EventDate> {
        let text = self.text(value, path)?;
        match EventDate::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.at_value(path, format!("invalid date: {e}")).hint = Some(
                    "write YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time with an offset"
                        .into(),
                );
                None
            }
        }
    }

    pub fn http_url(&mut self, value: &Yaml, path: &[Seg]) -> Option<String> {
        let text = self.text(value, path)?;
        if is_http_url(&text) {
            Some(text)
        } else {
            self.at_value(
                path,
                format!(
                    "`{}` must be an http(s) URL, found `{text}`",
                    last_key(path)
                ),
            )
            .hint = Some(
                "use an address starting with https:// or http://, or leave the field out".into(),
            );
            None
        }
    }
}

fn last_key<'a>(path: &'a [Seg]) -> &'a str {
    path.iter()
        .rev()
        .find_map(|s| match s {
            Seg::Key(k) => Some(*k),
            Seg::Index(_) => None,
        })
        .unwrap_or("value")
}

pub fn is_http_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}
