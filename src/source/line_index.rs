//! Line starts of a text: byte offset → line (and character column), and
//! a line's text, for messages placed in a file. The index is built on the
//! first lookup, so a text with nothing to report costs nothing; after
//! that every lookup is a binary search, so placing many messages in a
//! large file (an import of 60,000 entries) stays linear.

use crate::diagnostic::Pos;
use std::cell::OnceCell;

pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of every line.
    starts: OnceCell<Vec<usize>>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex {
            text,
            starts: OnceCell::new(),
        }
    }

    /// The whole text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts().partition_point(|&s| s <= offset).max(1)
    }

    /// Line and 1-based character column of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.starts()[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Pos::new(line, column)
    }

    /// Text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> Option<&'t str> {
        let starts = self.starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        self.text.get(start..end).map(|l| l.trim_end_matches('\r'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_character_columns() {
        let lines = LineIndex::new("ab\ncé d\r\nlast");
        assert_eq!(lines.pos(0), Pos::new(1, 1));
        assert_eq!(lines.pos(3), Pos::new(2, 1));
        assert_eq!(lines.pos(7), Pos::new(2, 4));
        assert_eq!(lines.line_of(0), 1);
        assert_eq!(lines.line_text(2), Some("cé d"));
        assert_eq!(lines.line_text(3), Some("last"));
        assert_eq!(lines.line_text(4), None);
        assert_eq!(lines.line_text(0), None);
    }
}
