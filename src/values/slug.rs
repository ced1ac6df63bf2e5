//! Slugs: the `a-z 0-9 -` names used in output paths. Checking them here
//! is what keeps every written path inside the output folder.

/// Whether `s` is a valid slug: non-empty, only `a-z 0-9 -`.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turns any text into a slug, transliterating non-Latin scripts
/// ("신원식" → "sin-won-sig"); empty when nothing usable remains.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out.truncate(120);
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        assert!(is_valid("2024-07-28-us-japan"));
        for bad in ["", "A", "a/b", "..", "a b", "a_b", "é"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn slugifies_any_script() {
        assert_eq!(slugify("Lloyd J. Austin III"), "lloyd-j-austin-iii");
        assert_eq!(slugify("  US–Japan 2+2 "), "us-japan-2-2");
        assert!(is_valid(&slugify("신원식")));
        assert!(is_valid(&slugify("上川陽子")));
        assert_eq!(slugify("../.."), "");
    }
}
