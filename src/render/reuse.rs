//! Incremental builds on the render side: a page's input fingerprint (its
//! template's name and its whole template context, an event page's rendered
//! body included, walked value by value; a value many pages share, such as
//! an event's list entry, is hashed once per build and stands in the walk
//! as its hash, see [`Memo`]) and the global fingerprint (everything a page depends on
//! outside its context). Templates see nothing but their context, so a page
//! whose fingerprint and global fingerprint are both unchanged is
//! byte-identical to the previous build's: its file is linked from the
//! previous output (see [`crate::output::manifest`]) instead of rendered.

use crate::content::cache::bodies::BodyStore;
use crate::output::manifest::{Entry, Fingerprint, Previous, Recorder};
use crate::output::{FileReuse, Sink};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::value::ValueKind;
use tera::{Context, Value};
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
    "source_tiers",
    "corrections",
    "corrections_feed_url",
    "search_script_url",
    "compare",
    "embeds",
    "is_pair",
    "compare_url",
    "events",
    "total",
    "full_url",
    "periods",
    "axis",
    "cite",
    "jsonld",
    "translation",
];

/// The fingerprints of values that many page contexts share, worked out
/// once per build: every event's list entry (by event), and the site,
/// year and period values (by the address of their contents).
///
/// A list entry is made a template value afresh for each page that lists
/// it, carrying its fingerprint under [`FINGERPRINT_KEY`] (see
/// [`super::context::EventSummary::value`]); the walk feeds that instead
/// of the entry. The shared values are held as clones of the same reference-counted map or
/// list, so the walk finds them by address; they are owned by
/// [`super::Prepared`] for as long as the memo lives, so an address cannot
/// be reused by other contents meanwhile. A value not found is walked
/// whole, which gives another fingerprint than the memo's for equal
/// contents, but the same one on every build, which is all reuse needs.
#[derive(Default)]
pub struct Memo {
    shared: HashMap<usize, Fingerprint, ahash::RandomState>,
    summaries: Vec<Fingerprint>,
}

/// The key under which a list entry's template value carries its
/// fingerprint, as a 128-bit number: content's numbers come from JSON's
/// and YAML's 64-bit ones, so a map from content cannot pass for an entry.
pub(super) const FINGERPRINT_KEY: &str = "\0fingerprint";

impl Memo {
    /// Takes the fingerprint of the list entry of each of `events` events
    /// from `entry` (worked out from what the entry is made of, so the
    /// entry is not made for it) and fingerprints each of `shared` (each
    /// walked whole).
    pub fn of<'v>(
        events: usize,
        entry: impl Fn(usize) -> Fingerprint + Sync + Send,
        shared: impl IntoIterator<Item = &'v Value>,
    ) -> Memo {
        use rayon::prelude::*;
        let empty = Memo::default();
        let whole = |value: &Value| {
            let mut h = Xxh3::new();
            feed(&mut h, value, &empty).map(|()| h.digest128())
        };
        let summaries = (0..events).into_par_iter().map(entry).collect();
        let shared = shared
            .into_iter()
            .filter_map(|value| Some((address(value)?, whole(value)?)))
            .collect();
        Memo { shared, summaries }
    }

    /// The fingerprint of `value`, one of the values every page shares.
    pub fn shared(&self, value: &Value) -> Option<Fingerprint> {
        self.shared.get(&address(value)?).copied()
    }

    /// Event `i`'s list entry's fingerprint.
    pub fn summary(&self, i: usize) -> Option<Fingerprint> {
        self.summaries.get(i).copied().filter(|&fp| fp != 0)
    }
}

/// What stands for a list entry in a context made only to be
/// fingerprinted: its fingerprint alone, which is all the walk reads of an
/// entry that carries one, so the page's fingerprint is the same.
pub(super) fn entry_stand_in(fingerprint: Fingerprint) -> Value {
    super::summary::without_fields(None, Some(fingerprint))
}

/// The fingerprint a list entry's value carries (see
/// [`super::context::EventSummary::value`]): always its last field, so
/// the walk looks there instead of hashing the key (Tera's maps use
/// SipHash) in every map it meets.
fn carried(map: &tera::value::Map) -> Option<Fingerprint> {
    let (key, value) = map.last()?;
    (key.as_str() == Some(FINGERPRINT_KEY) && value.kind() == ValueKind::U128)
        .then(|| value.as_u128())?
}

/// The address of a non-empty map's or list's shared contents; `None`
/// for anything else (an empty list's address is not its own).
fn address(value: &Value) -> Option<usize> {
    if let Some(map) = value.as_map() {
        return (!map.is_empty()).then_some(map as *const _ as usize);
    }
    value
        .as_array()
        .filter(|a| !a.is_empty())
        .map(|a| a.as_ptr() as usize)
}

/// Feeds one value into `h`: a tag for its kind, then its contents
/// (strings, lists and maps length-first, so nothing runs into the next
/// value). Strings carry whether they are marked safe, which changes how
/// a template prints them. `None` for a kind of value this walk does not
/// know (a newer Tera's): then the page has no fingerprint.
fn feed(h: &mut Xxh3, value: &Value, memo: &Memo) -> Option<()> {
    // The tag and length go in as one piece: the walk feeds many small
    // values, and each `update` has a cost of its own.
    let bytes = |h: &mut Xxh3, tag: u8, b: &[u8]| {
        let mut head = [tag; 9];
        head[1..].copy_from_slice(&(b.len() as u64).to_le_bytes());
        h.update(&head);
        h.update(b);
    };
    let memoised = match value.as_map().and_then(carried) {
        Some(digest) => Some(digest),
        None => address(value).and_then(|at| memo.shared.get(&at).copied()),
    };
    if let Some(digest) = memoised {
        let mut piece = [9; 17];
        piece[1..].copy_from_slice(&digest.to_le_bytes());
        h.update(&piece);
        return Some(());
    }
    match value.kind() {
        ValueKind::Undefined => h.update(&[0]),
        ValueKind::None => h.update(&[1]),
        ValueKind::Bool => h.update(&[2, u8::from(value.as_bool() == Some(true))]),
        ValueKind::U128 => bytes(h, 3, &value.as_u128().unwrap_or(0).to_le_bytes()),
        ValueKind::U64 | ValueKind::I64 | ValueKind::I128 => {
            bytes(h, 4, &value.as_i128().unwrap_or(0).to_le_bytes())
        }
        ValueKind::F64 => bytes(h, 5, &value.as_f64().unwrap_or(0.0).to_bits().to_le_bytes()),
        ValueKind::String => {
            let tag = if value.is_safe() { 6 } else { 7 };
            bytes(h, tag, value.as_str().unwrap_or_default().as_bytes());
        }
        ValueKind::Bytes => bytes(h, 8, value.as_bytes().unwrap_or_default()),
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            bytes(h, 10, &(items.len() as u64).to_le_bytes());
            for item in items {
                feed(h, item, memo)?;
            }
        }
        ValueKind::Map => {
            let map = value.as_map()?;
            bytes(h, 11, &(map.len() as u64).to_le_bytes());
            for (key, item) in map {
                match key.as_str() {
                    Some(k) => bytes(h, 12, k.as_bytes()),
                    None => bytes(h, 13, format!("{key:?}").as_bytes()),
                }
                feed(h, item, memo)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// The input fingerprint of a page rendered by `template` from `ctx`;
/// `None` when the context holds a key not in [`KEYS`] or a value the walk
/// does not know (then the page is always rendered).
pub fn fingerprint(template: &str, ctx: &Context, memo: &Memo) -> Option<Fingerprint> {
    let mut rest = ctx.clone();
    let mut h = Xxh3::new();
    h.update(&(template.len() as u64).to_le_bytes());
    h.update(template.as_bytes());
    for key in KEYS {
        if let Some(value) = rest.remove(key) {
            h.update(key.as_bytes());
            h.update(&[0]);
            feed(&mut h, &value, memo)?;
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
    let binary = crate::content::cache::binary_identity()?;
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        // Length-prefixed, so fields cannot run into each other.
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&binary);
    for (name, text) in templates.sources() {
        field(name.as_bytes());
        field(text.as_bytes());
    }
    // Every edition's words: the editions' pages are reused too.
    for source in templates.locales().iter().flat_map(|l| l.sources()) {
        field(source.origin.to_string_lossy().as_bytes());
        field(source.text.as_bytes());
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
    recorder: &'a Recorder<'a>,
    reused: AtomicUsize,
    /// The folder of the language edition this reuse is for (`ja/`; empty
    /// for the default language): the manifests name a file by its path
    /// in the whole output, the sink by its path in the edition.
    prefix: String,
    /// Where bodies are kept between builds (the default language's only).
    bodies: Option<&'a BodyStore>,
}

/// What to do with one page.
pub(super) enum Plan {
    /// Its previous file was linked into place under this fingerprint:
    /// nothing to write.
    Linked(Fingerprint),
    /// Render and write it, then record it under this fingerprint.
    Write(Option<Fingerprint>),
}

impl Plan {
    /// The page's fingerprint, and whether its file is in place already
    /// (no plan, without reuse: no fingerprint, to be written).
    pub(super) fn split(plan: Option<Plan>) -> (Option<Fingerprint>, bool) {
        match plan {
            Some(Plan::Linked(fingerprint)) => (Some(fingerprint), true),
            Some(Plan::Write(fingerprint)) => (fingerprint, false),
            None => (None, false),
        }
    }
}

impl<'a> Reuse<'a> {
    pub fn new(
        previous: Option<&'a Previous>,
        retained: Option<&'a Previous>,
        recorder: &'a Recorder<'a>,
    ) -> Reuse<'a> {
        Reuse {
            previous,
            retained,
            recorder,
            reused: AtomicUsize::new(0),
            prefix: String::new(),
            bodies: None,
        }
    }

    /// Takes bodies from `store` and keeps them there.
    pub fn with_bodies(self, store: Option<&'a BodyStore>) -> Reuse<'a> {
        Reuse {
            bodies: store,
            ..self
        }
    }

    /// The body store, for the default language's pass over the bodies.
    pub fn bodies(&self) -> Option<&'a BodyStore> {
        self.bodies
    }

    /// The same manifests for the language edition under `prefix` (`ja/`),
    /// written through a sink that puts its files under that folder.
    pub fn under(&self, prefix: &str) -> Reuse<'a> {
        Reuse {
            previous: self.previous,
            retained: self.retained,
            recorder: self.recorder,
            reused: AtomicUsize::new(0),
            prefix: format!("{}{prefix}", self.prefix),
            bodies: None,
        }
    }

    /// `rel` (a path in the sink) as the manifests name it; no copy for
    /// the default language, whose pages are most of every build.
    fn full<'r>(&self, rel: &'r str) -> std::borrow::Cow<'r, str> {
        if self.prefix.is_empty() {
            std::borrow::Cow::Borrowed(rel)
        } else {
            std::borrow::Cow::Owned(format!("{}{rel}", self.prefix))
        }
    }

    /// Whether a page may be kept or linked at all: there is a previous
    /// output or a retained folder made under the same global fingerprint.
    pub fn may_link(&self) -> bool {
        self.previous.is_some() || self.retained.is_some()
    }

    /// How many pages were kept or linked from the previous output.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Keeps the page at `rel` where the staging folder already holds it,
    /// or links it from the previous output, when it was made from the
    /// same inputs (`fingerprint`, worked out by the caller: see
    /// [`fingerprint`]) and is untouched; any failure means rendering.
    pub(super) fn plan_by(
        &self,
        fingerprint: Option<Fingerprint>,
        rel: &str,
        sink: &dyn Sink,
    ) -> Plan {
        let Some(fingerprint) = fingerprint else {
            return Plan::Write(None);
        };
        if self.keep_or_link(rel, fingerprint, sink) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            Plan::Linked(fingerprint)
        } else {
            Plan::Write(Some(fingerprint))
        }
    }
}

/// The one home of keeping and recording files, for pages and exports
/// alike. (Kept files are not counted: the count is of pages, and a page's
/// companion files follow it.)
impl FileReuse for Reuse<'_> {
    fn keep_or_link(&self, rel: &str, fingerprint: Fingerprint, sink: &dyn Sink) -> bool {
        let full = self.full(rel);
        let kept = self
            .retained
            .and_then(|r| r.reusable(&full, fingerprint))
            .filter(|_| sink.keep(rel));
        if let Some(entry) = kept {
            self.recorder.record(&full, entry);
            return true;
        }
        let linked = self
            .previous
            .filter(|p| p.reusable(&full, fingerprint).is_some())
            .and_then(|p| link(sink, rel, &p.path(&full)));
        match linked {
            Some(file) => {
                self.recorder.record(&full, Entry { fingerprint, file });
                true
            }
            None => false,
        }
    }

    fn written(
        &self,
        rel: &str,
        fingerprint: Fingerprint,
        file: Option<crate::output::manifest::FileId>,
    ) {
        if let Some(file) = file {
            self.recorder
                .record(&self.full(rel), Entry { fingerprint, file });
        }
    }
}

fn link(sink: &dyn Sink, rel: &str, from: &Path) -> Option<crate::output::manifest::FileId> {
    sink.link(rel, from).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list entry as a page shows it: some fields and its fingerprint.
    struct Entry(Fingerprint, &'static str);

    impl serde::Serialize for Entry {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut s = serializer.serialize_struct("EventSummary", 3)?;
            s.serialize_field("title", self.1)?;
            s.serialize_field("url", "/events/a/")?;
            s.serialize_field(FINGERPRINT_KEY, &self.0)?;
            s.end()
        }
    }

    fn page(entries: Vec<Value>) -> Option<Fingerprint> {
        let mut ctx = Context::new();
        ctx.insert("events", &entries);
        ctx.insert("total", &entries.len());
        fingerprint("term.html", &ctx, &Memo::default())
    }

    #[test]
    fn a_page_of_stand_ins_has_the_fingerprint_of_the_page_of_entries() {
        let full = page(vec![
            Value::from_serializable(&Entry(7, "A")),
            Value::from_serializable(&Entry(9, "B")),
        ]);
        let light = page(vec![entry_stand_in(7), entry_stand_in(9)]);
        assert!(full.is_some());
        assert_eq!(full, light);
        // The entries' fingerprints decide it, in order.
        assert_ne!(full, page(vec![entry_stand_in(9), entry_stand_in(7)]));
        assert_ne!(full, page(vec![entry_stand_in(7), entry_stand_in(8)]));
    }

    #[test]
    fn a_map_from_content_under_the_key_is_walked_whole() {
        // Content's numbers are 64-bit: such a map carries no fingerprint.
        let map = |title: &str| {
            let mut m = serde_json::Map::new();
            m.insert(FINGERPRINT_KEY.into(), serde_json::json!(7));
            m.insert("title".into(), serde_json::json!(title));
            Value::from_serializable(&m)
        };
        assert_eq!(map("A").as_map().and_then(carried), None);
        // Nor with the key last, where an entry carries it.
        let alone = Value::from_serializable(&serde_json::json!({ FINGERPRINT_KEY: 7 }));
        assert_eq!(alone.as_map().and_then(carried), None);
        assert_ne!(page(vec![map("A")]), page(vec![map("B")]));
    }
}
