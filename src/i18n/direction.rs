//! A language's writing direction: right to left for the scripts that are
//! written so, left to right otherwise.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    Ltr,
    Rtl,
}

/// Languages written right to left (ISO 639-1 and the common 639-3 codes).
const RTL: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi",
];

impl Dir {
    /// The direction of a language tag (`ar`, `fa-IR`, `he`).
    pub fn of(lang: &str) -> Dir {
        let primary = super::primary(lang).to_ascii_lowercase();
        if RTL.contains(&primary.as_str()) {
            Dir::Rtl
        } else {
            Dir::Ltr
        }
    }

    /// `ltr` or `rtl`, as `site.yaml` and HTML write it.
    pub fn parse(s: &str) -> Option<Dir> {
        match s {
            "ltr" => Some(Dir::Ltr),
            "rtl" => Some(Dir::Rtl),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_languages() {
        for l in ["ar", "he", "fa-IR", "ur"] {
            assert_eq!(Dir::of(l), Dir::Rtl, "{l}");
        }
        for l in ["en", "ja", "ko", "fr-CA"] {
            assert_eq!(Dir::of(l), Dir::Ltr, "{l}");
        }
    }
}
