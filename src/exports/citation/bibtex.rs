//! An event's citation as a BibTeX entry: `@misc` (read by every BibTeX
//! style and by biblatex), keyed by the event's slug. Every value is
//! escaped so that it reads back as written: the ten characters TeX gives
//! a meaning to become commands, and braces become `\textbraceleft{}` and
//! `\textbraceright{}` rather than `\{` and `\}`, because BibTeX counts
//! every brace of a value, escaped or not, and a lone `\{` would end or
//! unbalance the entry. Other characters, non-ASCII included, are kept
//! as UTF-8 (biber, and BibTeX with `inputenc`, read them).

use super::{Reference, one_line};
use crate::values::dates::EventDate;
use std::fmt::Write as _;

/// `text` as the contents of a brace-delimited BibTeX value, on one line.
pub fn escape(text: &str) -> String {
    // Most values have nothing to escape: copied once, not a character at
    // a time (every entry is made twice a build, once to measure it).
    let special = |b: &u8| {
        matches!(
            b,
            b'\\' | b'{' | b'}' | b'~' | b'^' | b'%' | b'&' | b'$' | b'#' | b'_'
        )
    };
    let trimmed = text.trim();
    if trimmed
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && !special(&b))
        && !trimmed.contains("  ")
    {
        return trimmed.to_string();
    }
    let text = one_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// An address as a BibTeX value: styles hand `url` to `\url`, which takes
/// it verbatim, so only what would unbalance the value or end it (braces,
/// backslashes, white space) is percent-encoded; the address means the same.
fn url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// An ISO 8601 date at the precision written (biblatex's `date` field).
fn iso(d: &EventDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{:04}-{m:02}-{day:02}", d.year),
        (Some(m), None) => format!("{:04}-{m:02}", d.year),
        _ => format!("{:04}", d.year),
    }
}

/// The entry, ending in a line break.
pub(super) fn entry(r: &Reference) -> String {
    let mut out = format!("@misc{{{},\n", r.key);
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    };
    // Double braces keep the title's capitals in styles that lower-case.
    field("title", &format!("{{{}}}", escape(r.title)));
    field("howpublished", &escape(r.site_title));
    field("publisher", &escape(r.site_title));
    field("year", &format!("{:04}", r.date.year));
    let mut date = iso(r.date);
    if let Some(end) = super::end_date(r) {
        date = format!("{date}/{}", iso(end));
    }
    if r.approximate {
        // EDTF's mark of an approximate date, which biblatex reads.
        date.push('~');
    }
    // Digits, `-`, `/` and `~` only: written as they are.
    field("date", &date);
    field("url", &url(&r.url));
    field("abstract", &escape(r.summary));
    field("language", &escape(r.language));
    if !r.keywords.is_empty() {
        field("keywords", &escape(&r.keywords.join(", ")));
    }
    field("note", &escape(&format!("Event date: {}", r.when)));
    // `month` last, unbraced: the standard macro (`jul`) every style knows.
    if let Some(month) = r.date.month.and_then(|m| MONTHS.get(m as usize - 1)) {
        let _ = writeln!(out, "  month = {month},");
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped_and_braces_stay_balanced() {
        let e = escape("{a} %&$#_ ~^ \\ 日米\n b");
        assert_eq!(
            e,
            "\\textbraceleft{}a\\textbraceright{} \\%\\&\\$\\#\\_ \\textasciitilde{}\\textasciicircum{} \\textbackslash{} 日米 b"
        );
        let depth = e.chars().try_fold(0i32, |d, c| {
            let d = d + i32::from(c == '{') - i32::from(c == '}');
            (d >= 0).then_some(d)
        });
        assert_eq!(depth, Some(0));
        assert_eq!(url("https://x.org/a b{}\\"), "https://x.org/a%20b%7B%7D%5C");
        // Plain text is only trimmed; each special character alone escaped.
        assert_eq!(escape("  A plain title, 2024.  "), "A plain title, 2024.");
        for c in "\\{}~^%&$#_".chars() {
            assert_ne!(escape(&format!("a{c}b")), format!("a{c}b"), "{c}");
        }
        assert_eq!(escape("a  b\tc"), "a b c");
    }
}
