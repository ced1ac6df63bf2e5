//! Where the importer's entries are in the input text: the start of each
//! entry of a TimelineJS JSON `events` array, and the line that marks an
//! entry in messages ([`crate::source::line_index`] turns it into a line number).
//! Everything here reads the text once, so an import stays linear in the
//! number of entries.

use crate::exports::timelinejs::Slide;

/// Byte offsets where the entries of the top-level `events` array of a
/// JSON text start, in order. The text is known to be valid JSON (it was
/// parsed first), so a small scanner that skips strings is enough.
pub fn json_event_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = Vec::new();
    let mut depth = 0usize;
    // The last string read at depth 1: the key of the value that follows.
    let mut last_key: &str = "";
    let mut in_events = false;
    let mut expect_entry = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_events && depth == 2 && expect_entry && !b.is_ascii_whitespace() && b != b']' {
            offsets.push(i);
            expect_entry = false;
        }
        match b {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 {
                    last_key = text.get(start..i.min(bytes.len())).unwrap_or("");
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == 2 && b == b'[' && last_key == "events" {
                    in_events = true;
                    expect_entry = true;
                }
            }
            b'}' | b']' => {
                if depth == 2 {
                    in_events = false;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if in_events && depth == 2 => expect_entry = true,
            _ => {}
        }
        i += 1;
    }
    offsets
}

/// Where in its span an entry is best pointed at: its id, else its
/// headline (the line a reader recognises it by), else its start. Spans
/// do not overlap, so marking every entry reads the text once.
pub fn entry_mark(text: &str, span: std::ops::Range<usize>, slide: &Slide) -> usize {
    let Some(within) = text.get(span.clone()) else {
        return span.start;
    };
    let needles = [
        slide.unique_id.as_ref(),
        slide.text.as_ref().and_then(|t| t.headline.as_ref()),
    ];
    needles
        .into_iter()
        .flatten()
        .filter_map(|n| serde_json::to_string(n).ok())
        .find_map(|encoded| within.find(&encoded))
        .map_or(span.start, |at| span.start + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entries_and_lines() {
        let text = "{\"title\": {\"text\": \"[events\"},\n \"events\": [\n  {\"a\": \"}\\\"]\"},\n  {\"b\": [1, {}]}\n ],\n \"eras\": [{}]}";
        let offsets = json_event_offsets(text);
        assert_eq!(offsets.len(), 2);
        let lines = crate::source::line_index::LineIndex::new(text);
        assert_eq!(lines.line_of(offsets[0]), 3);
        assert_eq!(lines.line_of(offsets[1]), 4);
        assert_eq!(lines.line_text(4), Some("  {\"b\": [1, {}]}"));
        assert_eq!(lines.line_of(0), 1);
        assert_eq!(lines.line_text(99), None);
    }
}
