//! Incremental builds on the render side: a page's input fingerprint (its
//! template's name and its whole template context, an event page's rendered
//! body included) and the global fingerprint (everything a page depends on
//! outside its context). Templates see nothing but their context, so a page
//! whose fingerprint and global fingerprint are both unchanged is
//! byte-identical to the previous build's: its file is linked from the
//! previous output (see [`crate::output::manifest`]) instead of rendered.

use crate::output::Sink;
use crate::output::manifest::{Entry, Fingerprint, Previous, Recorder};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::Context;
use xxhash_rust::xxh3::Xxh3;

/// Every key a page context may hold (see `pages`). A context with any
/// other key has no fingerprint and is always rendered, so a key added
/// to a page but not here costs speed, never correctness.
const KEYS: &[&str] = &[
    "site",
    "page",
    "years",
    "earlier_years",
    "first_year",
    "shown_count",
    "newest_first",
    "groups",
    "filters",
    "event",
    "timeline_url",
    "year_list",
    "year",
    "last_year",
    "downloads",
    "previous_year",
    "next_year",
    "on_index",
    "taxonomy",
    "terms",
    "singular",
    "term",
    "content",
    "search_index_url",
    "archive_script_url",
    "statuses",
    "search_script_url",
    "compare",
    "embeds",
    "is_pair",
    "compare_url",
    "events",
    "total",
    "full_url",
];

/// Feeds what is written into the hasher (serde_json writes a value's
/// JSON here piece by piece: no string of the whole context is built).
struct Feed<'h>(&'h mut Xxh3);

impl std::io::Write for Feed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The input fingerprint of a page rendered by `template` from `ctx`;
/// `None` when the context holds a key not in [`KEYS`] or a value JSON
/// cannot express (then the page is always rendered).
pub fn fingerprint(template: &str, ctx: &Context) -> Option<Fingerprint> {
    let mut rest = ctx.clone();
    let mut h = Xxh3::new();
    h.update(template.as_bytes());
    for key in KEYS {
        if let Some(value) = rest.remove(key) {
            // JSON is self-delimiting; the key and a separator keep
            // values of different keys apart.
            h.update(key.as_bytes());
            h.update(&[0]);
            serde_json::to_writer(Feed(&mut h), &value).ok()?;
            h.update(&[0xff]);
        }
    }
    (rest == Context::new()).then(|| h.digest128())
}

/// What decides a page's global fingerprint besides the binary.
pub struct GlobalInputs<'a> {
    /// `site.yaml`'s bytes (empty when there is none).
    pub config: &'a [u8],
    pub theme: &'a str,
    pub base_url: Option<&'a str>,
    pub drafts: bool,
}

/// The global fingerprint: this binary (version, size and modification
/// time of the running executable), every template's name and source, the
/// configuration and the build options. `None` when the executable cannot
/// be identified: then nothing is reused.
pub fn global_fingerprint(
    templates: &super::Templates,
    inputs: &GlobalInputs,
) -> Option<Fingerprint> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        // Length-prefixed, so fields cannot run into each other.
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(&meta.len().to_le_bytes());
    field(&mtime.as_nanos().to_le_bytes());
    for (name, text) in templates.sources() {
        field(name.as_bytes());
        field(text.as_bytes());
    }
    field(inputs.config);
    field(inputs.theme.as_bytes());
    field(inputs.base_url.unwrap_or("\0none").as_bytes());
    field(&[u8::from(inputs.drafts)]);
    Some(h.digest128())
}

/// One build's reuse of the previous output: the previous manifest (if it
/// applies) and the entries of the new one.
pub struct Reuse<'a> {
    previous: Option<&'a Previous>,
    /// The manifest of the files the staging folder already holds.
    retained: Option<&'a Previous>,
    recorder: &'a Recorder,
    reused: AtomicUsize,
}

/// What to do with one page.
pub(super) enum Plan {
    /// Its previous file was linked into place: nothing to write.
    Linked,
    /// Render and write it, then record it under this fingerprint.
    Write(Option<Fingerprint>),
}

impl<'a> Reuse<'a> {
    pub fn new(
        previous: Option<&'a Previous>,
        retained: Option<&'a Previous>,
        recorder: &'a Recorder,
    ) -> Reuse<'a> {
        Reuse {
            previous,
            retained,
            recorder,
            reused: AtomicUsize::new(0),
        }
    }

    /// How many pages were kept or linked from the previous output.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Keeps the page at `rel` where the staging folder already holds it,
    /// or links it from the previous output, when it was made from the
    /// same inputs and is untouched; any failure means rendering.
    pub(super) fn plan(&self, template: &str, ctx: &Context, rel: &str, sink: &dyn Sink) -> Plan {
        let Some(fingerprint) = fingerprint(template, ctx) else {
            return Plan::Write(None);
        };
        let kept = self
            .retained
            .and_then(|r| r.reusable(rel, fingerprint))
            .filter(|_| sink.keep(rel));
        if let Some((_, entry)) = kept {
            self.recorder.record(rel, entry);
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Plan::Linked;
        }
        let linked = self
            .previous
            .and_then(|p| p.reusable(rel, fingerprint))
            .and_then(|(from, _)| link(sink, rel, &from));
        match linked {
            Some(file) => {
                self.recorder.record(rel, Entry { fingerprint, file });
                self.reused.fetch_add(1, Ordering::Relaxed);
                Plan::Linked
            }
            None => Plan::Write(Some(fingerprint)),
        }
    }

    /// Records the page just written at `rel`.
    pub(super) fn written(&self, rel: &str, fingerprint: Option<Fingerprint>, sink: &dyn Sink) {
        if let (Some(fingerprint), Some(file)) = (fingerprint, sink.written(rel)) {
            self.recorder.record(rel, Entry { fingerprint, file });
        }
    }
}

fn link(sink: &dyn Sink, rel: &str, from: &Path) -> Option<crate::output::manifest::FileId> {
    sink.link(rel, from).ok().flatten()
}
