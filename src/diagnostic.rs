//! Diagnostics in the shape of rustc's: `path:line:column: message`, the
//! offending source line with a caret under the problem, and a hint.
//! Every stage produces these; the CLI prints them and picks the exit code.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use unicode_width::UnicodeWidthChar;

/// A position in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as shown to the user (site folder joined with the file's path).
    pub path: PathBuf,
    pub pos: Pos,
    pub message: String,
    /// The text of the offending line, when known.
    pub source_line: Option<String>,
    /// How many characters the caret underlines.
    pub width: usize,
    pub hint: Option<String>,
    pub notes: Vec<String>,
    /// A problem that does not stop a build (printed as `warning:`).
    pub warning: bool,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            pos,
            message: message.into(),
            source_line: None,
            width: 1,
            hint: None,
            notes: Vec::new(),
            warning: false,
        }
    }

    /// Marks the diagnostic as a warning.
    pub fn as_warning(mut self) -> Diagnostic {
        self.warning = true;
        self
    }

    /// The same problem reported as an error (`annals check` is strict).
    pub fn as_error(mut self) -> Diagnostic {
        self.warning = false;
        self
    }

    /// Attaches the offending line taken from the file's text.
    pub fn with_source(mut self, text: &str) -> Diagnostic {
        self.source_line = text.lines().nth(self.pos.line.saturating_sub(1)).map(|l| {
            l.trim_end_matches('\r')
                .trim_start_matches('\u{feff}')
                .to_string()
        });
        self
    }

    pub fn with_width(mut self, width: usize) -> Diagnostic {
        self.width = width.max(1);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            display_path(&self.path),
            self.pos.line,
            self.pos.column
        )
    }
}

/// Shows `./content/x.md` as `content/x.md`, keeping other paths as given.
pub fn display_path(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    shown.display().to_string()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = if self.warning { "warning: " } else { "" };
        writeln!(f, "{}: {severity}{}", self.location(), self.message)?;
        let gutter = self.pos.line.to_string().len();
        if let Some(line) = &self.source_line {
            let line = line.replace('\t', " ");
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {}", self.pos.line, line)?;
            // Carets are placed by terminal cells, so wide (CJK) characters
            // before or under the problem count twice, as in rustc.
            let chars: Vec<char> = line.chars().collect();
            let start = self.pos.column.saturating_sub(1).min(chars.len());
            let end = (start + self.width).min(chars.len());
            let cells = |s: &[char]| s.iter().map(|c| c.width().unwrap_or(0)).sum::<usize>();
            let pad = cells(&chars[..start]);
            let width = cells(&chars[start..end]).max(1);
            writeln!(
                f,
                "{:gutter$} | {}{}",
                "",
                " ".repeat(pad),
                "^".repeat(width)
            )?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{:gutter$} = help: {hint}", "")?;
        }
        for note in &self.notes {
            writeln!(f, "{:gutter$} = note: {note}", "")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file and position so output is stable across runs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(printed_order);
}

/// The order diagnostics are printed in: by file, position, message.
pub fn printed_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (&a.path, a.pos.line, a.pos.column, &a.message).cmp(&(
        &b.path,
        b.pos.line,
        b.pos.column,
        &b.message,
    ))
}

/// The closest candidate to `word`, if one is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&word.to_lowercase(), &candidate.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// A hint listing the accepted values, with the nearest one first if any.
pub fn suggestion(word: &str, candidates: &[&str]) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if candidates.is_empty() => "nothing is defined yet".to_string(),
        None => format!("expected one of: {}", candidates.join(", ")),
    }
}

/// A place in a file, with enough to print a diagnostic later.
#[derive(Debug, Clone)]
pub struct Located {
    /// Shared by every place found in one file: an event keeps several.
    pub path: Arc<Path>,
    pub pos: Pos,
    pub width: usize,
    pub line_text: String,
}

impl Located {
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(&*self.path, self.pos, message).with_width(self.width);
        d.source_line = Some(self.line_text.clone());
        d
    }
}

/// A place in a file kept without the file's path or the line's text:
/// the places a build keeps for every event and rarely reports (its slug,
/// its relations). 12 bytes, where a [`Located`] takes 64 and the line's
/// text; the line is read again from the file when a report needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    line: u32,
    column: u32,
    width: u32,
}

impl Spot {
    pub fn new(pos: Pos, width: usize) -> Spot {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Spot {
            line: small(pos.line),
            column: small(pos.column),
            width: small(width),
        }
    }

    pub fn of(at: &Located) -> Spot {
        Spot::new(at.pos, at.width)
    }

    pub fn pos(self) -> Pos {
        Pos::new(self.line as usize, self.column as usize)
    }

    pub fn width(self) -> usize {
        self.width as usize
    }

    /// The place in the file at `path`, with its line as the file holds
    /// it now (empty when the file cannot be read).
    pub fn in_file(self, path: &Arc<Path>) -> Located {
        Located {
            path: Arc::clone(path),
            pos: self.pos(),
            width: self.width(),
            line_text: line_of(path, self.pos().line).unwrap_or_default(),
        }
    }
}

/// Line `line` (1-based) of the file at `path`, as the parser split it (a
/// byte-order mark and carriage returns left out).
fn line_of(path: &Path, line: usize) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.lines().nth(line.checked_sub(1)?).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spot_reads_its_line_again_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path: Arc<Path> = dir.path().join("a.md").into();
        std::fs::write(&path, "\u{feff}---\r\nslug: x\r\nrelated: [b]\r\n").unwrap();
        let at = Located {
            path: Arc::clone(&path),
            pos: Pos::new(3, 11),
            width: 1,
            line_text: "related: [b]".into(),
        };
        let again = Spot::of(&at).in_file(&path);
        assert_eq!(
            (again.pos, again.width, again.line_text.as_str()),
            (at.pos, at.width, "related: [b]")
        );
        assert_eq!(
            Spot::of(&at)
                .in_file(&dir.path().join("gone.md").into())
                .line_text,
            ""
        );
    }

    #[test]
    fn renders_location_line_caret_and_hint() {
        let d = Diagnostic::new(
            "content/events/a.md",
            Pos::new(3, 7),
            "unknown kind `meting`",
        )
        .with_source("---\ntitle: x\nkind: meting\n---\n")
        .with_width(6)
        .with_hint("did you mean `meeting`?");
        let text = d.to_string();
        assert_eq!(
            text,
            "content/events/a.md:3:7: unknown kind `meting`\n  |\n3 | kind: meting\n  |       ^^^^^^\n  = help: did you mean `meeting`?\n"
        );
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("meting", ["meeting", "statement"]),
            Some("meeting")
        );
        assert_eq!(did_you_mean("zzz", ["meeting", "statement"]), None);
    }
}
