//! The period file each TimelineJS era becomes (`content/periods/<slug>.md`:
//! title, start, end, track and `imported_id` in the front matter, the
//! description as the Markdown body), checked with the build's validator.
//! An era already present (by `imported_id`, or a period of the same slug
//! in `content/periods/` or `site.yaml`) is skipped. An era exported by
//! annals carries its period in an `annals` object, restored as written.

use super::entries::EraEntry;
use super::markdown::{plain, plain_and_markdown};
use super::notes::Notes;
use super::text::{Time, date_text, day_key, quote};
use crate::config::Config;
use crate::error::Error;
use crate::source::load::{self, Section};
use crate::urls::SitePaths;
use crate::values::slug;
use crate::values::zone::Zone;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A period file to write.
pub struct PlannedPeriod {
    pub path: PathBuf,
    pub text: String,
}

/// What became of the input's eras.
#[derive(Default)]
pub struct Planned {
    pub create: Vec<PlannedPeriod>,
    /// Already present, left alone.
    pub skipped: Vec<PathBuf>,
    /// `line: message`, for the import's problems.
    pub problems: Vec<(usize, String)>,
}

/// The periods present: by slug and by `imported_id`, each with its file
/// (`site.yaml` for the periods declared there).
struct Present {
    slugs: HashMap<String, PathBuf>,
    ids: HashMap<String, PathBuf>,
}

fn present(site: &Path, config: &Config) -> Result<Present, Error> {
    let mut out = Present {
        slugs: HashMap::new(),
        ids: HashMap::new(),
    };
    for p in &config.periods {
        out.slugs
            .insert(p.slug.clone(), PathBuf::from(SitePaths::CONFIG));
    }
    let (files, _) = load::list(site, Section::Periods)?;
    for rel in files {
        let stem = rel
            .file_stem()
            .map(|s| slug::slugify(&s.to_string_lossy()))
            .unwrap_or_default();
        let bytes = load::read_bytes(&site.join(&rel))?;
        let text = String::from_utf8_lossy(&bytes);
        let slug = super::update::front_value(&text, "slug").unwrap_or(stem);
        if let Some(id) = super::update::front_value(&text, "imported_id") {
            out.ids.insert(id, rel.clone());
        }
        out.slugs.insert(slug, rel);
    }
    Ok(out)
}

/// One era's fields, as the period file writes them.
struct Fields {
    id: String,
    slug: String,
    title: String,
    start: String,
    end: Option<String>,
    track: Option<String>,
    description: Option<String>,
}

/// What was mapped loosely, by era, for one note line each.
#[derive(Default)]
struct EraNotes {
    /// Eras of a track site.yaml does not declare.
    untracked: Vec<String>,
    /// Eras whose times were dropped.
    timed: Vec<String>,
    /// Eras that got a numbered slug.
    renamed: Vec<String>,
}

impl EraNotes {
    fn into_notes(self, notes: &mut Notes) {
        let line = |eras: &[String], what: &str| {
            let mut shown: Vec<&str> = eras.iter().take(3).map(String::as_str).collect();
            if eras.len() > 3 {
                shown.push("…");
            }
            let (noun, verb) = if eras.len() == 1 {
                ("era", "is")
            } else {
                ("eras", "are")
            };
            format!(
                "{} {noun} ({}) {}",
                eras.len(),
                shown.join(", "),
                what.replace("{is}", verb)
            )
        };
        if !self.untracked.is_empty() {
            notes.once(line(
                &self.untracked,
                "{is} of a track that site.yaml does not declare: imported for every track (declare the track under `tracks:`, then set `track:` in the period's file)",
            ));
        }
        if !self.timed.is_empty() {
            notes.once(line(
                &self.timed,
                "{is} given with a time of day, but TimelineJS times carry no time zone: only the dates were imported",
            ));
        }
        if !self.renamed.is_empty() {
            notes.once(line(
                &self.renamed,
                "{is} named like another era of the file: a number was added to the slug",
            ));
        }
    }
}

fn fields(
    entry: &EraEntry,
    config: &Config,
    zone: Option<&Zone>,
    notes: &mut EraNotes,
) -> Result<Fields, String> {
    let era = &entry.era;
    let title = era
        .text
        .as_ref()
        .and_then(|t| t.headline.as_deref())
        .map(plain)
        .unwrap_or_default();
    if title.is_empty() {
        return Err("no headline: a period needs a title".into());
    }
    if let Some(ext) = &era.annals {
        let track = match &ext.track {
            Some(t) if config.track(t).is_none() => {
                notes.untracked.push(format!("\"{title}\" ({t})"));
                None
            }
            other => other.clone(),
        };
        return Ok(Fields {
            id: ext.slug.clone(),
            slug: ext.slug.clone(),
            title,
            start: ext.start.clone(),
            end: ext.end.clone(),
            track,
            description: ext.description.clone(),
        });
    }
    let start = era.start_date.as_ref().ok_or("no start date")?;
    let (start_text, start_time) = date_text(start, "start", zone)?;
    let (end, end_time) = match &era.end_date {
        Some(d) if d.year.is_some() => {
            let (text, time) = date_text(d, "end", zone)?;
            (Some(text), time)
        }
        _ => (None, Time::Kept),
    };
    if start_time == Time::Dropped || end_time == Time::Dropped {
        notes.timed.push(format!("\"{title}\""));
    }
    let html = era
        .text
        .as_ref()
        .and_then(|t| t.text.as_deref())
        .unwrap_or("");
    let description = Some(plain_and_markdown(html).1).filter(|d| !d.trim().is_empty());
    let slug = slug::slugify(&title);
    Ok(Fields {
        id: slug::slugify(&format!("{} {title}", day_key(start))),
        slug: if slug.is_empty() {
            slug::slugify(&format!("period {}", day_key(start)))
        } else {
            slug
        },
        title,
        start: start_text,
        end,
        track: None,
        description,
    })
}

fn file_text(f: &Fields) -> String {
    let mut fm = vec![
        format!("title: {}", quote(&f.title)),
        format!("start: {}", quote(&f.start)),
    ];
    if let Some(end) = &f.end {
        fm.push(format!("end: {}", quote(end)));
    }
    if let Some(track) = &f.track {
        fm.push(format!("track: {track}"));
    }
    fm.push(format!("imported_id: {}", quote(&f.id)));
    let mut text = format!("---\n{}\n---\n", fm.join("\n"));
    if let Some(d) = &f.description {
        text.push_str(d.trim_end());
        text.push('\n');
    }
    text
}

/// Checks a period file's text with the build's validator.
fn check(site: &Path, rel: &Path, text: &str, config: &Config) -> Result<(), Vec<String>> {
    let file = crate::source::load::SourceFile {
        rel: rel.to_path_buf(),
        shown: site.join(rel),
        bytes: text.as_bytes().to_vec(),
    };
    let doc = crate::source::parse::parse(&file).map_err(|d| vec![d.message])?;
    crate::content::period::file(&doc, &file.shown, config)
        .map(|_| ())
        .map_err(|ds| ds.into_iter().map(|d| d.message).collect())
}

/// Plans the period files of the input's eras.
pub fn plan(
    eras: &[EraEntry],
    site: &Path,
    config: &Config,
    zone: Option<&Zone>,
    notes: &mut Notes,
) -> Result<Planned, Error> {
    let mut out = Planned::default();
    if eras.is_empty() {
        return Ok(out);
    }
    let present = present(site, config)?;
    let mut era_notes = EraNotes::default();
    let mut taken: HashSet<String> = present.slugs.keys().cloned().collect();
    for entry in eras {
        let f = match fields(entry, config, zone, &mut era_notes) {
            Ok(f) => f,
            Err(msg) => {
                out.problems
                    .push((entry.line, format!("{}: {msg}", entry.label)));
                continue;
            }
        };
        let known = present
            .ids
            .get(&f.id)
            .or_else(|| present.slugs.get(&f.slug));
        if let Some(rel) = known {
            out.skipped.push(site.join(rel));
            continue;
        }
        let mut f = f;
        if !taken.insert(f.slug.clone()) {
            let base = f.slug.clone();
            let mut n = 2;
            while !taken.insert(format!("{base}-{n}")) {
                n += 1;
            }
            f.slug = format!("{base}-{n}");
            era_notes.renamed.push(format!("\"{}\"", f.title));
        }
        let rel = Path::new(SitePaths::PERIODS).join(format!("{}.md", f.slug));
        let text = file_text(&f);
        match check(site, &rel, &text, config) {
            Ok(()) => out.create.push(PlannedPeriod {
                path: site.join(&rel),
                text,
            }),
            Err(msgs) => {
                for m in msgs {
                    out.problems
                        .push((entry.line, format!("{}: would not build: {m}", entry.label)));
                }
            }
        }
    }
    era_notes.into_notes(notes);
    Ok(out)
}
