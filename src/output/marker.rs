//! The output marker, `.annals-output`: its first line says annals wrote
//! the folder (what `outdir` checks before replacing it); the lines after
//! it record how the build made its absolute URLs, so `annals deploy` can
//! refuse to publish a site whose feeds and sitemap point at localhost.

use std::path::Path;

/// The first line, unchanged since the marker was introduced: other tools
/// and older builds read only this.
pub const FIRST_LINE: &str = concat!("built by annals ", env!("CARGO_PKG_VERSION"));

const BASE_URL_KEY: &str = "absolute_base_url: ";
const FALLBACK_KEY: &str = "base_url_fallback: ";

/// What a build used for its absolute URLs (feeds, calendar, sitemap,
/// canonical links).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRecord {
    /// The absolute base URL, ending in `/`.
    pub base_url: String,
    /// Whether it was the localhost fallback for a site without an
    /// absolute `base_url`.
    pub fallback: bool,
}

impl BuildRecord {
    /// The marker's whole text.
    pub fn marker_text(&self) -> String {
        format!(
            "{FIRST_LINE}\n{BASE_URL_KEY}{}\n{FALLBACK_KEY}{}\n",
            self.base_url, self.fallback
        )
    }

    /// The record in a marker's text; `None` when the marker has none (an
    /// output written by an older annals) or it cannot be read.
    pub fn parse(text: &str) -> Option<BuildRecord> {
        let mut base_url = None;
        let mut fallback = None;
        for line in text.lines() {
            if let Some(v) = line.strip_prefix(BASE_URL_KEY) {
                base_url = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix(FALLBACK_KEY) {
                fallback = v.trim().parse::<bool>().ok();
            }
        }
        Some(BuildRecord {
            base_url: base_url.filter(|u| !u.is_empty())?,
            fallback: fallback?,
        })
    }

    /// The record in the marker of the output folder `out`: `Ok(None)`
    /// when the marker has no record, an error when there is no marker.
    pub fn read(out: &Path) -> std::io::Result<Option<BuildRecord>> {
        let text = std::fs::read_to_string(out.join(super::outdir::MARKER))?;
        Ok(BuildRecord::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_old_markers_have_no_record() {
        let r = BuildRecord {
            base_url: "https://example.org/t/".into(),
            fallback: false,
        };
        let text = r.marker_text();
        assert!(text.starts_with(&format!("{FIRST_LINE}\n")));
        assert_eq!(BuildRecord::parse(&text), Some(r));
        assert_eq!(BuildRecord::parse("built by annals 0.1.0\n"), None);
    }
}
