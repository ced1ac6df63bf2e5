//! Where the site-wide citation files are cut (see [`super::site_wide`]):
//! whether every entry fits in one file, and where a year too large for one
//! part is split. Both follow from the bytes each event's entries take,
//! which are made to be measured, and each year's cut follows from its own
//! events alone. A build notes each year's bytes and cut under the digest of
//! what its events' references are made of in the parse cache's folder
//! (when the parse cache keeps one: see `content::cache::CITATION_CUT`), so
//! a rebuild measures only the years whose events changed: at 100,000
//! events measuring them all is a second of work before any page can be
//! written.

use super::{Reference, bibtex, reference, site_wide::json_item};
use crate::model::Site;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

use crate::content::cache::CITATION_CUT as CACHE_FILE;

const FORMAT: &str = "annals-citation-cut 1";

/// One year's events as a cut sees them: their bytes (entries and
/// separators, the larger format) and where parts of it begin, counted
/// from the year's first event (the first is always 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCut {
    pub bytes: usize,
    pub starts: Vec<usize>,
}

/// A year of the site: its events (a range: the site's events are in date
/// order), the key its cut is noted under and the cut.
pub struct Year {
    pub year: i32,
    pub events: Range<usize>,
    pub key: Option<u128>,
    pub cut: YearCut,
}

/// Years' cuts noted by an earlier build, by the digest of their events'
/// inputs (see [`year_key`]).
#[derive(Default)]
pub struct Noted(HashMap<u128, YearCut>);

impl Noted {
    /// The cuts noted in `dir` under the build cache's `key`; none when the
    /// file is missing, damaged or written under another key.
    pub fn read(dir: &Path, key: u128) -> Noted {
        std::fs::read_to_string(dir.join(CACHE_FILE))
            .ok()
            .and_then(|text| parse(&text, key))
            .map(Noted)
            .unwrap_or_default()
    }
}

fn parse(text: &str, key: u128) -> Option<HashMap<u128, YearCut>> {
    let (head, body) = text.split_once('\n')?;
    if head != format!("{FORMAT} {key:032x} {:016x}", xxh3_64(body.as_bytes())) {
        return None;
    }
    let mut noted = HashMap::new();
    for line in body.lines() {
        let mut fields = line.split(' ');
        let digest = u128::from_str_radix(fields.next()?, 16).ok()?;
        let bytes = fields.next()?.parse().ok()?;
        let starts = fields
            .next()?
            .split(',')
            .map(|n| n.parse().ok())
            .collect::<Option<Vec<usize>>>()?;
        if fields.next().is_some() || starts.first() != Some(&0) {
            return None;
        }
        noted.insert(digest, YearCut { bytes, starts });
    }
    Some(noted)
}

/// Writes the cuts of `years` (those with a key) into the folder `dir`
/// under `key`, through a temporary file, so a reader finds the old file
/// or the new one. A failed write costs the next build time, never
/// correctness.
pub fn note(dir: &Path, key: u128, years: &[Year]) {
    let mut body = String::new();
    for year in years {
        let (Some(digest), cut) = (year.key, &year.cut) else {
            continue;
        };
        let starts: Vec<String> = cut.starts.iter().map(usize::to_string).collect();
        body.push_str(&format!(
            "{digest:032x} {} {}\n",
            cut.bytes,
            starts.join(",")
        ));
    }
    let text = format!(
        "{FORMAT} {key:032x} {:016x}\n{body}",
        xxh3_64(body.as_bytes())
    );
    let tmp = dir.join(format!("{CACHE_FILE}.{}", std::process::id()));
    let written =
        std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, dir.join(CACHE_FILE)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The bytes event `i` adds to a part of each format (its entry and the
/// separator before it), the larger of the two.
fn entry_bytes(site: &Site, base: &str, i: usize) -> usize {
    let r: Reference = reference(site, base, &site.events[i]);
    (bibtex::entry(&r).len() + 1).max(json_item(&r).len() + 2)
}

/// What a year's cut is made from: its events' references' inputs (the
/// events as read and the site beyond its events, see `model::inputs`) and
/// the base their addresses are under; `None` when an event has no digest.
fn year_key(site: &Site, base: &str, year: i32, events: Range<usize>) -> Option<u128> {
    let inputs = site.inputs();
    let events = inputs.events(events)?;
    crate::output::digest::of(&("citation cut", base, year, inputs.site(), events))
}

/// Each year of `site` with its cut, measured, or taken from `noted` when
/// its key is there.
pub fn years(site: &Site, base: &str, part_bytes: usize, noted: &Noted) -> Vec<Year> {
    site.years
        .iter()
        .filter_map(|(year, events)| {
            let (year, events) = (*year, *events.first()?..*events.last()? + 1);
            let key = year_key(site, base, year, events.clone());
            let known = key
                .and_then(|key| noted.0.get(&key))
                .filter(|cut| cut.starts.iter().all(|&s| s < events.len()));
            let cut = match known {
                Some(cut) => cut.clone(),
                None => measure(site, base, events.clone(), part_bytes),
            };
            Some(Year {
                year,
                events,
                key,
                cut,
            })
        })
        .collect()
}

/// A year's cut, measured: a new part begins where the part so far would
/// outgrow `part_bytes` (each part's bytes counted from 8, its frame).
fn measure(site: &Site, base: &str, range: Range<usize>, part_bytes: usize) -> YearCut {
    // Measured on every core: at 100,000 events this is a second of work.
    let sizes: Vec<usize> = range
        .into_par_iter()
        .map(|i| entry_bytes(site, base, i))
        .collect();
    let mut starts = vec![0];
    let mut bytes = 8;
    for (i, size) in sizes.iter().enumerate() {
        if bytes + size > part_bytes && i > *starts.last().unwrap_or(&0) {
            starts.push(i);
            bytes = 8;
        }
        bytes += size;
    }
    YearCut {
        bytes: sizes.iter().sum(),
        starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noted_cuts_read_back_and_a_wrong_key_or_damage_reads_as_none() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let year = |year, key, bytes, starts: &[usize]| Year {
            year,
            events: 0..300,
            key,
            cut: YearCut {
                bytes,
                starts: starts.to_vec(),
            },
        };
        let cuts = [
            year(2024, Some(5), 9_000_000, &[0, 120, 260]),
            year(2025, None, 10, &[0]),
            year(-44, Some(6), 10, &[0]),
        ];
        note(tmp.path(), 77, &cuts);
        let noted = Noted::read(tmp.path(), 77).0;
        assert_eq!(noted.len(), 2, "a year without a key is not noted");
        assert_eq!(noted[&5], cuts[0].cut);
        assert_eq!(noted[&6], cuts[2].cut);
        assert!(Noted::read(tmp.path(), 78).0.is_empty(), "another key");
        let at = tmp.path().join(CACHE_FILE);
        let text = std::fs::read_to_string(&at).expect("read");
        for damaged in [
            text.replace("9000000", "9000001"),
            text[..text.len() - 3].to_string(),
        ] {
            std::fs::write(&at, damaged).expect("write");
            assert!(Noted::read(tmp.path(), 77).0.is_empty(), "damage is caught");
        }
        let body = text
            .split_once('\n')
            .expect("head")
            .1
            .replace("0,120,260", "3,120");
        assert!(
            parse(
                &format!(
                    "{FORMAT} {:032x} {:016x}\n{body}",
                    77,
                    xxh3_64(body.as_bytes())
                ),
                77
            )
            .is_none(),
            "a cut not from 0"
        );
    }
}
