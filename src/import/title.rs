//! The title slide of the input: its headline and text become `title` and
//! `description` of `site.yaml` when the file has none, appended as new
//! lines so the rest of the file, comments included, stays byte for byte;
//! a key the file already has is left as it is, with a note.

use super::entries::{TitleEntry, headline_of};
use super::markdown::plain;
use super::notes::Notes;
use super::text::quote;
use crate::error::Error;
use crate::source::yaml::Yaml;
use crate::urls::SitePaths;
use std::path::{Path, PathBuf};

/// What the title slide adds to `site.yaml`.
#[derive(Debug, Default)]
pub struct Planned {
    /// `site.yaml`.
    pub path: PathBuf,
    /// The lines to append (`title: "…"`, `description: "…"`).
    pub lines: Vec<String>,
}

/// The keys `site.yaml` has at its top level, and whether its top level
/// is written as a block (lines can be appended to it).
fn present_keys(text: &str, path: &Path) -> (Vec<(String, Option<String>)>, bool) {
    let file = crate::source::load::SourceFile {
        rel: SitePaths::CONFIG.into(),
        shown: path.to_path_buf(),
        bytes: text.as_bytes().to_vec(),
    };
    let block = !text.trim_start().starts_with(['{', '[']);
    match crate::source::parse::parse_plain_yaml(&file).map(|d| d.front) {
        Ok(Yaml::Map(m)) => (
            m.into_iter()
                .map(|(k, v)| (k, v.scalar_text().map(|s| s.trim().to_string())))
                .collect(),
            block,
        ),
        Ok(Yaml::Null) => (Vec::new(), true),
        _ => (Vec::new(), false),
    }
}

/// Plans what the title slide `title` writes into the site's `site.yaml`.
pub fn plan(title: &TitleEntry, site: &Path, notes: &mut Notes) -> Result<Planned, Error> {
    let path = SitePaths::new(site).config();
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let (keys, block) = present_keys(&text, &path);
    let headline = headline_of(&title.slide);
    let description = title
        .slide
        .text
        .as_ref()
        .and_then(|t| t.text.as_deref())
        .map(plain)
        .unwrap_or_default();
    let mut out = Planned {
        path,
        lines: Vec::new(),
    };
    let mut kept = Vec::new();
    for (key, value) in [("title", headline), ("description", description)] {
        if value.is_empty() {
            continue;
        }
        let existing = keys.iter().find(|(k, _)| k == key);
        if existing.is_some_and(|(_, v)| v.as_deref() == Some(value.as_str())) {
            continue;
        }
        if existing.is_some() || !block {
            let shown: String = value.chars().take(60).collect();
            let more = if shown.len() < value.len() { "…" } else { "" };
            kept.push(format!("`{key}` (\"{shown}{more}\")"));
            continue;
        }
        out.lines.push(format!("{key}: {}", quote(&value)));
    }
    if !kept.is_empty() {
        notes.once(format!(
            "the title slide's {} {} not imported: site.yaml already sets {}; change it there if the site should take the imported one",
            kept.join(" and "),
            if kept.len() == 1 { "was" } else { "were" },
            if kept.len() == 1 { "it" } else { "them" },
        ));
    }
    Ok(out)
}

/// Appends the planned lines to `site.yaml` (created when missing), in
/// the file's own line ends.
pub fn write(planned: &Planned) -> Result<(), Error> {
    if planned.lines.is_empty() {
        return Ok(());
    }
    let failed = |e| Error::io(format!("cannot write {}", planned.path.display()), e);
    let current = match std::fs::read(&planned.path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(failed(e)),
    };
    let crlf = current.windows(2).any(|w| w == b"\r\n");
    let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let mut added = Vec::new();
    if !current.is_empty() && !current.ends_with(b"\n") {
        added.extend_from_slice(eol);
    }
    for line in &planned.lines {
        added.extend_from_slice(line.as_bytes());
        added.extend_from_slice(eol);
    }
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&planned.path)
        .and_then(|mut f| f.write_all(&added))
        .map_err(failed)
}
