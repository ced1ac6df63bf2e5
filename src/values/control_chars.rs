//! Characters that no output may carry: the C0 controls other than tab,
//! line feed and carriage return, DEL, and the noncharacters U+FFFE and
//! U+FFFF. XML 1.0 has no way to write most of them (a single one makes
//! `atom.xml` malformed), and in HTML and iCalendar they are invisible
//! noise at best. Front matter holding one is refused; Markdown bodies
//! have each replaced with U+FFFD.

use std::borrow::Cow;

/// The replacement shown where a body held a forbidden character.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether `c` may not appear in any output.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The first forbidden character of `text`, if any. Every body passes
/// through here, so bytes are scanned first: each forbidden character
/// but the noncharacters is one ASCII byte, which never occurs inside a
/// longer UTF-8 sequence, and the noncharacters begin with byte 0xEF.
pub fn first_forbidden(text: &str) -> Option<char> {
    let candidate = first_candidate(text.as_bytes())?;
    // A candidate byte starts a character, so this slice is valid.
    text.get(candidate..)?.chars().find(|&c| is_forbidden(c))
}

fn is_candidate(b: u8) -> bool {
    matches!(b, 0..=8 | 0xB | 0xC | 0xE..=0x1F | 0x7F | 0xEF)
}

/// The first byte that may start a forbidden character. Eight bytes at a
/// time: a word with no byte below 0x20 and none equal to 0x7F or 0xEF
/// (tests exact for "any byte", see "Bit Twiddling Hacks") is skipped
/// whole; the rest, mostly words holding a line break, byte by byte.
fn first_candidate(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS;
    let equal = |x: u64, n: u64| below(x ^ (ONES * n), 1);
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let x = u64::from_ne_bytes(eight);
        if below(x, 0x20) | equal(x, 0x7F) | equal(x, 0xEF) != 0
            && let Some(i) = word.iter().position(|&b| is_candidate(b))
        {
            return Some(at + i);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| is_candidate(b))
        .map(|i| at + i)
}

const C0_NAMES: [&str; 32] = [
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION (vertical tab)",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "FILE SEPARATOR",
    "GROUP SEPARATOR",
    "RECORD SEPARATOR",
    "UNIT SEPARATOR",
];

/// "U+0007 BELL": the code point and its Unicode name, for diagnostics.
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{7F}' => "DELETE",
        '\u{FFFE}' | '\u{FFFF}' => "(a noncharacter)",
        c => C0_NAMES
            .get(c as usize)
            .copied()
            .unwrap_or("(a control character)"),
    };
    format!("U+{:04X} {name}", c as u32)
}

/// How a double-quoted YAML string writes `c`: `\x07`, `\uFFFE`.
pub fn yaml_escape(c: char) -> String {
    match c as u32 {
        n @ 0..=0xFF => format!("\\x{n:02X}"),
        n => format!("\\u{n:04X}"),
    }
}

/// `text` with every forbidden character replaced by U+FFFD; borrowed
/// when there is none (the usual case).
pub fn replace_forbidden(text: &str) -> Cow<'_, str> {
    if first_forbidden(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_forbidden(c) { REPLACEMENT } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_line_feed_and_carriage_return_stay_allowed() {
        assert_eq!(first_forbidden("a\tb\nc\r\n"), None);
        assert_eq!(first_forbidden("x\u{C}y"), Some('\u{C}'));
        assert_eq!(describe('\u{7}'), "U+0007 BELL");
        assert_eq!(describe('\u{7F}'), "U+007F DELETE");
        assert_eq!(replace_forbidden("a\u{0}\u{B}b"), "a\u{FFFD}\u{FFFD}b");
    }

    #[test]
    fn the_byte_scan_finds_what_a_character_scan_finds() {
        let texts = [
            "plain text\r\n",
            "全角（かっこ）と\u{FFFF}",
            "\u{FFFE}",
            "\u{FFFD}\u{FF08}\u{EFFF}\u{F000} then \u{1F}",
            "café \u{7F} ok",
            "（）only fullwidth",
            "\u{10FFFF}\u{FFFF}",
        ];
        for text in texts {
            assert_eq!(
                first_forbidden(text),
                text.chars().find(|&c| is_forbidden(c)),
                "{text:?}"
            );
        }
        for n in 0..0x80u8 {
            let text = format!("é{}x", n as char);
            assert_eq!(
                first_forbidden(&text),
                text.chars().find(|&c| is_forbidden(c))
            );
        }
    }

    #[test]
    fn the_word_scan_finds_the_first_candidate_at_every_offset() {
        for b in 0..=255u8 {
            for at in 0..19 {
                let mut text = vec![b'a'; 19];
                text[at] = b;
                // A later candidate must not hide the first one.
                text[18] = 0x7F;
                let naive = text.iter().position(|&x| is_candidate(x));
                assert_eq!(first_candidate(&text), naive, "byte {b:#x} at {at}");
                assert_eq!(first_candidate(&text[..at]), None, "before {at}");
            }
        }
    }
}
