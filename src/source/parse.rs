//! Parse stage: decodes a file's bytes, splits the YAML front matter from
//! the Markdown body, and parses the YAML. Positions stay those of the file
//! on disk (a BOM and CRLF line endings do not shift them).

use crate::diagnostic::{Diagnostic, Pos};
use crate::source::load::SourceFile;
use crate::source::yaml::{self, Locator, Seg, Yaml};

/// A file split into its parts, with the text kept for diagnostics.
#[derive(Debug)]
pub struct Document {
    /// Decoded text, BOM removed, CRLF turned into LF (line numbers unchanged).
    pub text: String,
    /// Byte range of the front matter's YAML inside `text`.
    yaml_range: std::ops::Range<usize>,
    /// File line (1-based) on which the YAML starts.
    pub yaml_first_line: usize,
    pub front: Yaml,
    /// Byte offset of the body inside `text`.
    body_start: usize,
}

impl Document {
    pub fn yaml_text(&self) -> &str {
        &self.text[self.yaml_range.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Byte offset of the body in `text`, to place body positions in the file.
    pub fn body_offset(&self) -> usize {
        self.body_start
    }

    pub fn locator(&self) -> Locator<'_> {
        Locator::new(self.yaml_text())
    }

    /// File position and width of the key at `path` in the front matter.
    pub fn key_pos(&self, path: &[Seg]) -> (Pos, usize) {
        let (p, w) = self.locator().key(path);
        (self.to_file(p), w)
    }

    /// File position and width of the value at `path` in the front matter.
    pub fn value_pos(&self, path: &[Seg]) -> (Pos, usize) {
        let (p, w) = self.locator().value(path);
        (self.to_file(p), w)
    }

    /// File position of a byte offset into the body.
    pub fn body_pos(&self, offset: usize) -> Pos {
        let at = (self.body_start + offset).min(self.text.len());
        let before = self.text.get(..at).unwrap_or(&self.text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos::new(
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    fn to_file(&self, p: Pos) -> Pos {
        Pos::new(p.line + self.yaml_first_line - 1, p.column)
    }
}

/// Decodes UTF-8, pointing at the first bad byte when it is not.
pub fn decode(file: &SourceFile) -> Result<String, Diagnostic> {
    match std::str::from_utf8(&file.bytes) {
        Ok(s) => {
            let s = s.strip_prefix('\u{feff}').unwrap_or(s);
            // Most files have no carriage return: one fast scan, one copy.
            Ok(if s.contains('\r') {
                s.replace("\r\n", "\n")
            } else {
                s.to_owned()
            })
        }
        Err(e) => {
            let good = &file.bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let prefix = String::from_utf8_lossy(&good[line_start..]);
            let column = prefix.trim_start_matches('\u{feff}').chars().count() + 1;
            let lossy = String::from_utf8_lossy(&file.bytes).into_owned();
            Err(Diagnostic::new(
                &file.shown,
                Pos::new(line, column),
                "the file is not valid UTF-8",
            )
            .with_source(&lossy)
            .with_hint("save the file as UTF-8 (the byte shown as \u{fffd} is not)"))
        }
    }
}

/// Splits and parses one file. Every failure is a diagnostic with a position.
pub fn parse(file: &SourceFile) -> Result<Document, Diagnostic> {
    if file.bytes.len() > crate::source::load::MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            &file.shown,
            Pos::new(1, 1),
            format!(
                "the file is larger than {} MiB",
                crate::source::load::MAX_FILE_BYTES >> 20
            ),
        )
        .with_hint("an event file holds one event: move long material to a linked source"));
    }
    let text = decode(file)?;
    let at = |line: usize, col: usize, msg: &str| {
        Diagnostic::new(&file.shown, Pos::new(line, col), msg).with_source(&text)
    };
    if text.trim().is_empty() {
        return Err(at(1, 1, "the file is empty").with_hint(
            "an event starts with front matter: a line `---`, then `title:`, `date:`, `kind:` and `summary:`, then `---`",
        ));
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(at(1, 1, "the file does not start with front matter")
            .with_width(first_line.chars().count())
            .with_hint(
                "put a line holding only `---` first, then the YAML fields, then `---` again",
            ));
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start.min(text.len());
    let mut close = None;
    for line in text[offset..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return Err(at(1, 1, "the front matter opened here is never closed")
            .with_width(3)
            .with_hint("end the front matter with a line holding only `---`"));
    };
    let yaml_text = &text[yaml_start.min(yaml_end)..yaml_end];
    let front = match yaml::parse(yaml_text, 2) {
        Ok(v) => v,
        Err(e) => {
            let pos = e.pos;
            return Err(Diagnostic::new(
                &file.shown,
                pos,
                format!("invalid YAML in front matter: {}", e.message),
            )
            .with_source(&text)
            .with_hint("check indentation, and quote values that contain `: `, `#` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or a backtick"));
        }
    };
    match &front {
        Yaml::Map(_) => {}
        Yaml::Null => {
            return Err(at(1, 1, "the front matter is empty")
                .with_width(3)
                .with_hint("add at least `title:`, `date:`, `kind:` and `summary:`"));
        }
        other => {
            let line = yaml_text
                .lines()
                .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .unwrap_or(0);
            return Err(at(
                line + 2,
                1,
                &format!(
                    "the front matter must be a mapping of `key: value` lines, found {}",
                    other.type_name()
                ),
            )
            .with_hint("write fields as `title: ...` rather than as a list (`- ...`)"));
        }
    }
    Ok(Document {
        yaml_range: yaml_start.min(yaml_end)..yaml_end,
        yaml_first_line: 2,
        front,
        body_start: body_start.min(text.len()),
        text,
    })
}

/// Parses a whole file as YAML (for `site.yaml`), keeping file positions.
pub fn parse_plain_yaml(file: &SourceFile) -> Result<Document, Diagnostic> {
    let text = decode(file)?;
    let front = yaml::parse(&text, 1).map_err(|e| {
        Diagnostic::new(&file.shown, e.pos, format!("invalid YAML: {}", e.message))
            .with_source(&text)
            .with_hint("check indentation, and quote values that contain `: ` or `#`")
    })?;
    let len = text.len();
    Ok(Document {
        yaml_range: 0..len,
        yaml_first_line: 1,
        front,
        body_start: len,
        text,
    })
}
