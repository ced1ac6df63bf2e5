//! The site-wide citation files. While every event's entries fit in one
//! file of each format under [`PART_BYTES`], they are `citations.bib` and
//! `citations.json` at the root. A larger site gets parts per year under
//! `citations/` (`2024.bib`, `2024.json`; a year larger than one part is
//! cut into `2024-1`, `2024-2`…) and `citations/index.json`, which lists
//! each part with its year and number of events: no file grows with the
//! archive, so every one stays servable by any host and importable by a
//! reference manager in one go.

use super::{Reference, bibtex, csl, cut, reference};
use crate::error::Error;
use crate::exports::Ctx;
use crate::model::Site;
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;

/// The largest part of either format, in bytes: well under the 5 MB that a
/// published file of a large archive may take.
pub const PART_BYTES: usize = 4 << 20;

/// One site-wide file pair: its stem (none for the root files), the year
/// it covers (none for the root files) and the events it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub stem: Option<String>,
    pub year: Option<i32>,
    pub events: Range<usize>,
}

impl Part {
    pub fn bib(&self) -> String {
        self.stem.as_ref().map_or_else(
            || urls::CITATIONS_BIB.into(),
            |s| urls::citations_part(s, "bib"),
        )
    }

    pub fn json(&self) -> String {
        self.stem.as_ref().map_or_else(
            || urls::CITATIONS_JSON.into(),
            |s| urls::citations_part(s, "json"),
        )
    }
}

pub(super) fn json_item(r: &Reference) -> Vec<u8> {
    serde_json::to_vec_pretty(&csl::item(r)).unwrap_or_default()
}

/// The site-wide files of `site`, in order: worked out on first use (see
/// [`prime`]) and kept in the site (see [`Site::citation_parts`]).
pub fn parts(site: &Site) -> Vec<Part> {
    prime(site, None);
    site.citation_parts
        .get()
        .into_iter()
        .flatten()
        .map(|(stem, year, events)| Part {
            stem: stem.clone(),
            year: *year,
            events: events.clone(),
        })
        .collect()
}

/// Works out the site-wide files of `site` unless that is done, with the
/// parse cache's folder and key when it has one (and whether it may be
/// read): years noted there under the same inputs are not measured again.
/// Returns every year's cut, to note for the next build (see
/// [`cut::note`]); nothing when the work was already done.
pub fn prime(site: &Site, cache: Option<(&std::path::Path, u128, bool)>) -> Vec<cut::Year> {
    let mut years = Vec::new();
    site.citation_parts.get_or_init(|| {
        let base = crate::exports::absolute_base(&site.config).0;
        let noted = match cache {
            Some((dir, key, true)) => cut::Noted::read(dir, key),
            _ => cut::Noted::default(),
        };
        years = cut::years(site, &base, PART_BYTES, &noted);
        split(site.events.len(), &years)
            .into_iter()
            .map(|p| (p.stem, p.year, p.events))
            .collect()
    });
    years
}

/// The parts of a site of `n` events whose years are cut as `years` say:
/// one pair of root files when every entry fits in one part of
/// [`PART_BYTES`], else each year's parts.
fn split(n: usize, years: &[cut::Year]) -> Vec<Part> {
    if years.iter().map(|y| y.cut.bytes).sum::<usize>() + 8 <= PART_BYTES {
        return vec![Part {
            stem: None,
            year: None,
            events: 0..n,
        }];
    }
    let mut out = Vec::new();
    for cut::Year {
        year, events, cut, ..
    } in years
    {
        let several = cut.starts.len() > 1;
        let ends = cut.starts.iter().skip(1).copied().chain([events.len()]);
        for (k, (start, end)) in cut.starts.iter().zip(ends).enumerate() {
            let stem = if several {
                format!("{year:04}-{}", k + 1)
            } else {
                format!("{year:04}")
            };
            out.push(Part {
                stem: Some(stem),
                year: Some(*year),
                events: events.start + start..events.start + end,
            });
        }
    }
    out
}

/// Every path [`write`] writes for `parts`.
pub fn paths(parts: &[Part]) -> Vec<String> {
    let mut out: Vec<String> = parts.iter().flat_map(|p| [p.json(), p.bib()]).collect();
    if parts.iter().any(|p| p.stem.is_some()) {
        out.push(urls::CITATIONS_INDEX.into());
    }
    out
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    year: Option<i32>,
    events: usize,
    bibtex: &'a str,
    csl_json: &'a str,
}

/// Writes each part (its entries made on every core, each event's
/// reference once for both formats) and the index of parts when there are
/// several. A part whose files the previous build made from the same
/// events is kept (see [`Ctx::reuse_file`]), its references unmade. A part is at most [`PART_BYTES`] per format, which bounds what
/// is held at once.
pub(super) fn write(ctx: &Ctx) -> Result<(), Error> {
    let site = ctx.site;
    let parts = parts(site);
    for part in &parts {
        let fingerprint = ctx.reuse.and_then(|_| fingerprint(site, part));
        let (json_kept, bib_kept) = (
            ctx.reuse_file(&part.json(), fingerprint),
            ctx.reuse_file(&part.bib(), fingerprint),
        );
        if json_kept && bib_kept {
            continue;
        }
        let references: Vec<Reference> = part
            .events
            .clone()
            .into_par_iter()
            .map(|i| reference(site, ctx.base, &site.events[i]))
            .collect();
        let entries: Vec<(Vec<u8>, String)> = references
            .par_iter()
            .map(|r| (json_item(r), bibtex::entry(r)))
            .collect();
        if !json_kept {
            ctx.put_with(&part.json(), |w| {
                w.write_all(b"[")?;
                for (n, (json, _)) in entries.iter().enumerate() {
                    w.write_all(if n == 0 { b"\n" } else { b",\n" })?;
                    w.write_all(json)?;
                }
                w.write_all(b"\n]\n")
            })?;
            ctx.record_file(&part.json(), fingerprint);
        }
        if !bib_kept {
            ctx.put_with(&part.bib(), |w| {
                for (n, (_, bib)) in entries.iter().enumerate() {
                    if n > 0 {
                        w.write_all(b"\n")?;
                    }
                    w.write_all(bib.as_bytes())?;
                }
                Ok(())
            })?;
            ctx.record_file(&part.bib(), fingerprint);
        }
    }
    if parts.iter().any(|p| p.stem.is_some()) {
        let names: Vec<(String, String)> = parts
            .iter()
            .map(|p| (rel_to_index(&p.bib()), rel_to_index(&p.json())))
            .collect();
        let index: Vec<IndexEntry> = parts
            .iter()
            .zip(&names)
            .map(|(p, (bib, json))| IndexEntry {
                year: p.year,
                events: p.events.len(),
                bibtex: bib,
                csl_json: json,
            })
            .collect();
        ctx.put_json(urls::CITATIONS_INDEX, &index)?;
    }
    Ok(())
}

/// A part's fingerprint (both its files'): the digest of what its events'
/// references, from which each format is made, are made of (the events as
/// read and the site beyond its events, see `model::inputs`).
fn fingerprint(site: &Site, part: &Part) -> Option<u128> {
    let inputs = site.inputs();
    let events = inputs.events(part.events.clone())?;
    crate::output::digest::of(&("citations part", &part.stem, inputs.site(), events))
}

/// A part's address relative to the index beside it (`2024.bib`).
fn rel_to_index(rel: &str) -> String {
    rel.rsplit('/').next().unwrap_or(rel).to_string()
}
