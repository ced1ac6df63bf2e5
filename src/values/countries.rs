//! ISO 3166-1 alpha-2 country codes: which exist, and the short English
//! name a reader expects ("South Korea", not "Korea (Republic of)").

use isocountry::CountryCode;

/// Common short names where the ISO name reads awkwardly in a timeline.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("BO", "Bolivia"),
    ("BN", "Brunei"),
    ("CD", "DR Congo"),
    ("CZ", "Czechia"),
    ("FM", "Micronesia"),
    ("GB", "United Kingdom"),
    ("IR", "Iran"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("LA", "Laos"),
    ("MD", "Moldova"),
    ("NL", "Netherlands"),
    ("PS", "Palestine"),
    ("RU", "Russia"),
    ("SY", "Syria"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("US", "United States"),
    ("VE", "Venezuela"),
    ("VN", "Vietnam"),
];

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_valid(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && CountryCode::for_alpha2(code).is_ok()
}

/// The reader-facing name of a valid code; the code itself otherwise.
pub fn name(code: &str) -> String {
    if let Some((_, n)) = SHORT_NAMES.iter().find(|(c, _)| *c == code) {
        return (*n).to_string();
    }
    match CountryCode::for_alpha2(code) {
        Ok(c) => c.name().to_string(),
        Err(_) => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_real_codes_only() {
        for c in ["US", "JP", "KR", "KP", "CN", "RU", "UA"] {
            assert!(is_valid(c), "{c}");
        }
        for c in ["XX", "us", "USA", "", "UK", "ZZ"] {
            assert!(!is_valid(c), "{c}");
        }
    }

    #[test]
    fn short_names() {
        assert_eq!(name("KR"), "South Korea");
        assert_eq!(name("JP"), "Japan");
        assert_eq!(name("US"), "United States");
    }
}
