//! Where a source's `url` or `archive_url` is written in its event file.
//! The validated event keeps only the addresses; the link check reads the
//! file again (only for events whose addresses it reports), so the event
//! record and its parse cache stay as they are.

use crate::diagnostic::{Located, Pos};
use crate::source::load::SourceFile;
use crate::source::reader::Checker;
use crate::source::yaml::Seg;
use std::path::Path;

/// The places of `sources[i].field` for each `(i, field)` of `wanted`, in
/// the event file at `path` (as shown in diagnostics). When the file has
/// changed since it was validated and cannot be parsed, the places fall
/// back to the top of the file.
pub fn sources(path: &Path, wanted: &[(usize, &'static str)]) -> Vec<Located> {
    let top = || Located {
        path: path.into(),
        pos: Pos::new(1, 1),
        width: 1,
        line_text: String::new(),
    };
    let doc = std::fs::read(path).ok().and_then(|bytes| {
        let file = SourceFile {
            rel: path.to_path_buf(),
            shown: path.to_path_buf(),
            bytes,
        };
        crate::source::parse::parse(&file).ok()
    });
    let Some(doc) = doc else {
        return wanted.iter().map(|_| top()).collect();
    };
    let checker = Checker::new(&doc, path);
    wanted
        .iter()
        .map(|&(i, field)| {
            checker.located(&[Seg::Key("sources"), Seg::Index(i), Seg::Key(field)], true)
        })
        .collect()
}
