//! `annals import FILE`: turns a TimelineJS3 JSON file, or a CSV export of
//! the TimelineJS Google-Sheets template, into one event file per entry.
//! Every entry is checked first, with the same validator as `annals
//! build`; if any is wrong nothing is written. Each event keeps the entry
//! it came from in `imported_id`, so a re-run skips what is already there
//! and `--update` refreshes it without undoing hand edits (see `update`).
//! Whatever TimelineJS holds that annals cannot represent is reported,
//! one note per kind. Eras become period files (`periods`), skipped when
//! already present; the title slide fills `title` and `description` of
//! `site.yaml` when it has none (`title`). The mapping is the inverse of
//! `exports::timelinejs` and `exports::eras`, so export → import → export
//! is stable.

mod entries;
mod entry;
mod extension;
mod locate;
mod markdown;
mod media;
mod notes;
mod periods;
mod sheet;
mod text;
mod title;
mod update;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Pos};
use crate::error::Error;
use crate::source::line_index::LineIndex;
use crate::urls::SitePaths;
use crate::values::slug;
use crate::values::zone::Zone;
use entry::Planned;
use notes::Notes;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Show what would be written, write nothing.
    pub dry_run: bool,
    /// Rewrite the events a previous import wrote.
    pub update: bool,
    /// The zone of the file's times (`--tz`); default `timezone` of site.yaml.
    pub tz: Option<String>,
    /// The kind of every event (TimelineJS has none); default the first of site.yaml.
    pub kind: Option<String>,
    /// The track of events that get none from their group.
    pub track: Option<String>,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    pub dry_run: bool,
    pub created: Vec<PathBuf>,
    pub updated: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Already imported, left alone (no `--update`).
    pub skipped: Vec<PathBuf>,
    /// "path: field `title` …" for each field kept as edited by hand
    /// though the source changed it.
    pub conflicts: Vec<String>,
    /// What was mapped loosely or left out, one line per kind.
    pub notes: Vec<String>,
    /// Period files written (or, with `--dry-run`, that would be) from eras.
    pub periods_created: Vec<PathBuf>,
    /// Eras already present as periods, left alone.
    pub periods_skipped: Vec<PathBuf>,
    /// Lines appended (or to append) to `site.yaml` from the title slide.
    pub site_yaml_lines: Vec<String>,
}

impl ImportReport {
    /// The closing line.
    pub fn summary(&self, events_dir: &Path) -> String {
        let n = |k: usize| format!("{k} event{}", if k == 1 { "" } else { "s" });
        let mut parts = Vec::new();
        if !self.updated.is_empty() || !self.unchanged.is_empty() {
            parts.push(format!(
                "{} updated, {} unchanged",
                self.updated.len(),
                self.unchanged.len()
            ));
        }
        if !self.skipped.is_empty() {
            parts.push(format!(
                "{} already imported and skipped (use --update to refresh them)",
                n(self.skipped.len())
            ));
        }
        if !self.conflicts.is_empty() {
            parts.push(format!(
                "{} hand-edited field{} kept",
                self.conflicts.len(),
                if self.conflicts.len() == 1 { "" } else { "s" }
            ));
        }
        if !self.periods_created.is_empty() {
            let k = self.periods_created.len();
            parts.push(format!(
                "{k} period{} from eras",
                if k == 1 { "" } else { "s" }
            ));
        }
        if !self.periods_skipped.is_empty() {
            let k = self.periods_skipped.len();
            parts.push(format!(
                "{k} era{} already present and skipped",
                if k == 1 { "" } else { "s" }
            ));
        }
        if !self.site_yaml_lines.is_empty() {
            parts.push("the title slide into site.yaml".into());
        }
        let tail = if parts.is_empty() {
            String::new()
        } else {
            format!("; {}", parts.join("; "))
        };
        if self.dry_run {
            format!(
                "Dry run: would import {} into {}{tail}; nothing was written",
                n(self.created.len()),
                events_dir.display()
            )
        } else {
            format!(
                "Imported {} into {}{tail}",
                n(self.created.len()),
                events_dir.display()
            )
        }
    }
}

/// A diagnostic at a line of the input, showing that line.
fn at_line(input: &Path, lines: &LineIndex, line: usize, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(input, Pos::new(line, 1), message);
    d.source_line = lines.line_text(line).map(str::to_string);
    d
}

/// A problem with the file as a whole (exit 1).
fn whole_file(input: &Path, text: &str, message: String) -> Error {
    Error::Content(vec![
        Diagnostic::new(input, Pos::new(1, 1), message).with_source(text),
    ])
}

/// Checks a file's text with the build's validator; Ok holds its values
/// for the record of what was imported.
fn check(site_dir: &Path, rel: &Path, text: &str, config: &Config) -> Result<Values, Vec<String>> {
    let file = crate::source::load::SourceFile {
        rel: rel.to_path_buf(),
        shown: site_dir.join(rel),
        bytes: text.as_bytes().to_vec(),
    };
    let doc = crate::source::parse::parse(&file).map_err(|d| vec![d.message])?;
    crate::content::validate::event(&doc, &file.shown, config)
        .map_err(|ds| ds.into_iter().map(|d| d.message).collect::<Vec<_>>())?;
    Ok(update::values_of(&doc))
}

type Values = serde_json::Map<String, serde_json::Value>;

/// The zone of the file's times: `--tz`, else site.yaml's `timezone`.
fn zone(opts: &ImportOptions, config: &Config) -> Result<Option<Zone>, Error> {
    match &opts.tz {
        Some(tz) => Zone::parse(tz).map(Some).map_err(|msg| {
            Error::Usage(format!("--tz: {msg}; write {}", crate::values::zone::HINT))
        }),
        None => Ok(config.timezone),
    }
}

/// Imports `input` into the site at `site_dir`.
pub fn import(input: &Path, site_dir: &Path, opts: &ImportOptions) -> Result<ImportReport, Error> {
    crate::config::require_site(site_dir)?;
    let bytes = std::fs::read(input)
        .map_err(|e| Error::io(format!("cannot read {}", input.display()), e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{} is not UTF-8 text", input.display())))?;
    // Spreadsheet exports often start with a byte order mark.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let (config, config_problems) = crate::config::load(site_dir);
    if !config_problems.is_empty() {
        return Err(Error::Content(config_problems));
    }
    let zone = zone(opts, &config)?;
    let kind = match &opts.kind {
        Some(k) if config.kind(k).is_none() => {
            return Err(Error::Usage(format!(
                "--kind `{k}` is not a kind of site.yaml ({})",
                config
                    .kinds
                    .iter()
                    .map(|k| k.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Some(k) => k.clone(),
        None => config
            .kinds
            .first()
            .map(|k| k.key.clone())
            .unwrap_or_else(|| "meeting".into()),
    };
    if let Some(t) = &opts.track
        && config.track(t).is_none()
    {
        return Err(Error::Usage(format!(
            "--track `{t}` is not a track of site.yaml; declare it under `tracks:` first"
        )));
    }
    let mut notes = Notes::default();
    let lines = LineIndex::new(&text);
    let mut problems = Vec::new();
    let entries::Input {
        entries,
        eras,
        title,
    } = entries::read(input, &text, &lines, &mut notes, &mut problems)?;
    let planned_periods = periods::plan(&eras, site_dir, &config, zone.as_ref(), &mut notes)?;
    for (line, msg) in &planned_periods.problems {
        problems.push(at_line(input, &lines, *line, msg.clone()));
    }
    let planned_title = match &title {
        Some(t) => Some(title::plan(t, site_dir, &mut notes)?),
        None => None,
    };
    let source_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    let existing = update::scan(site_dir)?;
    let by_id: HashMap<&str, &update::Existing> = existing
        .iter()
        .filter_map(|e| e.imported_id.as_deref().map(|id| (id, e)))
        .collect();
    let mut taken: HashMap<String, Option<&str>> = existing
        .iter()
        .map(|e| (e.slug.clone(), e.imported_id.as_deref()))
        .collect();
    let mut known_slugs: HashSet<String> = taken.keys().cloned().collect();
    known_slugs.extend(
        entries
            .iter()
            .filter_map(|e| e.slide.unique_id.as_deref().map(slug::slugify)),
    );
    let settings = entry::Settings {
        config: &config,
        zone: zone.as_ref(),
        kind: &kind,
        track: opts.track.as_deref(),
        source_name: &source_name,
        known_slugs: &known_slugs,
    };

    // Plan every entry; nothing is written unless all of them are right.
    // Each entry's notes count only if it is imported (not skipped).
    let mut ids_seen: HashSet<String> = HashSet::new();
    let mut planned: Vec<(usize, Planned, Notes, bool)> = Vec::new();
    for entry in &entries {
        let located =
            |msg: String| at_line(input, &lines, entry.line, format!("{}: {msg}", entry.label));
        let mut own = Notes::default();
        let mut p = match entry::plan(entry, &settings, &mut own) {
            Ok(p) => p,
            Err(msg) => {
                problems.push(located(msg));
                continue;
            }
        };
        if !ids_seen.insert(p.id.clone()) {
            let base = p.id.clone();
            let mut n = 2;
            while !ids_seen.insert(format!("{base}-{n}")) {
                n += 1;
            }
            p.id = format!("{base}-{n}");
            p.set_id_line();
            own.add(
                "share an id or a headline and date with an earlier entry",
                "; they got a numbered `imported_id`",
                &p.headline,
            );
        }
        planned.push((entry.line, p, own, entry.slide.annals.is_none()));
    }

    let mut record = update::Record::read(site_dir)?;
    let mut report = ImportReport {
        dry_run: opts.dry_run,
        ..ImportReport::default()
    };
    let mut creates: Vec<(PathBuf, String, String, Values)> = Vec::new();
    // New files, checked together (in parallel) once their slugs are known.
    let mut pending: Vec<(usize, &Planned, PathBuf)> = Vec::new();
    let mut rewrites: Vec<(PathBuf, String, String)> = Vec::new();
    let mut kinds_defaulted = 0;
    for (line, p, own, kind_defaulted) in planned.iter_mut() {
        let (line, p) = (&*line, &*p);
        let located = |msg: String| at_line(input, &lines, *line, format!("{}: {msg}", p.label));
        let found = by_id.get(p.id.as_str());
        if let Some(f) = found
            && !opts.update
        {
            report.skipped.push(site_dir.join(&f.rel));
            continue;
        }
        notes.absorb(std::mem::take(own));
        if *kind_defaulted {
            kinds_defaulted += 1;
        }
        if let Some(found) = found {
            let path = site_dir.join(&found.rel);
            let current = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
            };
            let merged = update::merge(&current, &p.text, record.events.get(&p.id));
            let Some(merged) = merged else {
                problems.push(located(format!(
                    "{} cannot be read as an event file; fix it or move it away",
                    found.rel.display()
                )));
                continue;
            };
            for field in &merged.conflicts {
                report.conflicts.push(format!(
                    "{}: `{field}` was edited by hand and changed in {source_name}; the hand edit was kept",
                    found.rel.display()
                ));
            }
            if merged.text.replace("\r\n", "\n") == current.replace("\r\n", "\n") {
                report.unchanged.push(path);
            } else {
                if let Err(msgs) = check(site_dir, &found.rel, &merged.text, &config).map(|_| ()) {
                    for m in msgs {
                        problems.push(located(format!(
                            "the update of {} would not build: {m}",
                            found.rel.display()
                        )));
                    }
                    continue;
                }
                rewrites.push((path.clone(), merged.text, p.id.clone()));
                report.updated.push(path);
            }
            // Rewritten or not, the new import is what the record holds.
            if let Some(v) = update::values(&p.text) {
                record.events.insert(p.id.clone(), v);
            }
            continue;
        }
        let mut slug = p.slug.clone();
        if let Some(holder) = taken.get(&slug) {
            if holder.is_none()
                && existing
                    .iter()
                    .any(|e| e.slug == slug && e.imported_id.is_none())
            {
                let rel = existing
                    .iter()
                    .find(|e| e.slug == slug)
                    .map(|e| e.rel.display().to_string())
                    .unwrap_or_default();
                problems.push(located(format!(
                    "an event with the slug `{slug}` already exists ({rel}) and has no `imported_id`; if it is this entry, add `imported_id: {}` to it so imports recognise it, otherwise rename it",
                    text::quote(&p.id)
                )));
                continue;
            }
            let mut n = 2;
            while taken.contains_key(&format!("{}-{n}", p.slug)) {
                n += 1;
            }
            slug = format!("{}-{n}", p.slug);
            notes.add(
                "have a slug that another event already has",
                "; a number was added to theirs",
                &p.headline,
            );
        }
        taken.insert(slug.clone(), Some(p.id.as_str()));
        let rel = Path::new(SitePaths::EVENTS).join(format!("{:04}/{slug}.md", p.year));
        pending.push((*line, p, rel));
    }
    let checked: Vec<Result<Values, Vec<String>>> = {
        use rayon::prelude::*;
        pending
            .par_iter()
            .map(|(_, p, rel)| check(site_dir, rel, &p.text, &config))
            .collect()
    };
    for ((line, p, rel), result) in pending.into_iter().zip(checked) {
        match result {
            Ok(values) => {
                let path = site_dir.join(&rel);
                creates.push((path.clone(), p.text.clone(), p.id.clone(), values));
                report.created.push(path);
            }
            Err(msgs) => {
                for m in msgs {
                    let msg = format!("{}: would not build: {m}", p.label);
                    problems.push(at_line(input, &lines, line, msg));
                }
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|d| d.pos.line);
        return Err(Error::Content(problems));
    }
    if kinds_defaulted > 0 {
        notes.once(format!(
            "TimelineJS has no event kinds: {kinds_defaulted} event{} got `kind: {kind}`; change it where needed{}",
            if kinds_defaulted == 1 { "" } else { "s" },
            if opts.kind.is_none() { " (or pass --kind KIND)" } else { "" }
        ));
    }
    report.notes = notes.lines();
    report.periods_created = planned_periods
        .create
        .iter()
        .map(|p| p.path.clone())
        .collect();
    report.periods_skipped = planned_periods.skipped.clone();
    report.site_yaml_lines = planned_title
        .as_ref()
        .map(|t| t.lines.clone())
        .unwrap_or_default();
    if opts.dry_run {
        return Ok(report);
    }
    for p in &planned_periods.create {
        crate::scaffold::create_new(&p.path, &p.text)?;
    }
    if let Some(t) = &planned_title {
        title::write(t)?;
    }
    for (path, file_text, id, values) in creates {
        crate::scaffold::create_new(&path, &file_text)?;
        record.events.insert(id, values);
    }
    for (path, file_text, _) in &rewrites {
        std::fs::write(path, file_text)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    }
    if !report.created.is_empty() || !rewrites.is_empty() || opts.update {
        record.write(site_dir)?;
    }
    Ok(report)
}
