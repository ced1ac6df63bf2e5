//! The search index, written in small parts that the browser loads only
//! when a query needs them, each a script calling `annalsIndex(name, data)`
//! so it loads with a plain `<script src>` from any static host or from
//! `file://`, with no fetch, CORS or MIME-type set-up:
//!
//! - `search-index.js`: the manifest (event count, chunk size, shard keys
//!   and sizes);
//! - `search-index/t/<n>.js`: word shards, every word starting with the
//!   shard's key mapped to the events it occurs in (by field);
//! - `search-index/d/<n>.js`: documents (address, title, date text,
//!   summary, kind, status, day) of a chunk of consecutive events;
//! - `search-index/f/<taxonomy>/<slug>.js` and `f/status/<key>.js`: the
//!   events of one facet value, for the timeline's filters (and
//!   `f/source/<tier>.js`, the events with a source of that reliability);
//! - `search-index/dates.js`: runs of events starting on the same day.
//!
//! Keywords are the distinct words of the body, participants, location
//! (each name in its own script too),
//! kind, countries, tracks and tags that are not already in the title or
//! summary.

use super::Ctx;
use super::search_index::{DOC_CHUNK, Terms, Words, day_key, encode, fold, push_terms};
use super::stream::Bodies;
use crate::content::event::Event;
use crate::content::markdown::{WordSet, push_new_words, words};
use crate::urls;
use crate::values::taxonomy::TaxonomyKind;
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Write;

/// Index file name, under the base path.
pub const INDEX_FILE: &str = urls::SEARCH_INDEX;

/// The folded words `e` is found by, whose body has the distinct
/// `body_words`: worked out on every core in the pass over the bodies, so
/// the index's one writer only adds them up. The body store keeps them
/// beside the body ([`Terms::packed`]): an event's terms depend only on
/// its own file and the configuration, which the store's key covers, so a
/// rebuild reads them back instead of folding every event's words again.
pub(super) fn terms(ctx: &Ctx, e: &Event, body_words: &str) -> Terms {
    Terms::new([
        &folded(&e.title),
        &folded(&e.summary),
        &folded(&keywords(ctx, e, body_words)),
    ])
}

/// The keywords of `e`, whose body has the distinct `body_words`.
fn keywords(ctx: &Ctx, e: &Event, body_words: &str) -> String {
    use std::borrow::Cow;
    let config = &ctx.site.config;
    // Borrowed where the event holds the text, so only labels are made.
    let mut extra: Vec<Cow<str>> = e.participants.iter().map(|p| (&*p.name).into()).collect();
    extra.extend(
        e.participants
            .iter()
            .filter_map(|p| p.role.as_deref().map(Cow::from)),
    );
    extra.extend(e.location.as_deref().map(Cow::from));
    // Names in their own script, so a query in either form finds the event.
    extra.extend(
        e.participants
            .iter()
            .filter_map(|p| p.native.as_deref())
            .chain(e.location_native())
            .map(|n| n.text.as_str().into()),
    );
    extra.push(
        config
            .kind(&e.kind)
            .map_or(Cow::from(&*e.kind), |k| k.label.as_str().into()),
    );
    extra.extend(e.countries.iter().map(|c| config.country_label(c).into()));
    extra.extend(e.countries.iter().map(|c| Cow::from(&**c)));
    extra.extend(e.tracks.iter().map(|t| {
        config
            .track(t)
            .map_or(Cow::from(&**t), |d| d.label.as_str().into())
    }));
    extra.extend(e.tags.iter().map(|t| Cow::from(&*t.name)));
    // A label from site.yaml may hold words the tag as written lacks.
    extra.extend(
        e.tags
            .iter()
            .map(|t| config.tag_label(&t.id, &t.name).into()),
    );
    // Words of the title and summary are in the document already.
    let mut seen: WordSet = words(&e.title).chain(words(&e.summary)).collect();
    let mut out = String::new();
    let texts = extra.iter().map(|t| &**t);
    push_new_words(&mut out, &mut seen, texts.chain([body_words]));
    out
}

/// One event's document: address, title, date text, summary, kind,
/// status, first day.
fn doc<'e>(
    e: &'e Event,
    locale: &crate::i18n::Locale,
) -> (String, &'e str, String, &'e str, &'e str, &'e str, String) {
    (
        urls::event(&e.slug),
        &*e.title,
        crate::values::dates::display_span_in(&e.date, e.end_date(), e.approximate, locale),
        &*e.summary,
        &*e.kind,
        e.status.key(),
        day_key(&e.date.machine()),
    )
}

/// Writes `annalsIndex(name, value);` to `rel`, script-safe.
///
/// A part is kept from the last build when its bytes are the same (its
/// fingerprint is their digest): an edit changes a few of the thousands of
/// parts of a large site, and each part is small, so making it costs less
/// than writing it.
fn put_part<T: serde::Serialize>(
    ctx: &Ctx,
    rel: &str,
    name: &str,
    value: &T,
) -> Result<(), crate::error::Error> {
    let failed = |e: std::io::Error| crate::error::Error::io(format!("cannot write {rel}"), e);
    let mut bytes = Vec::new();
    write!(
        bytes,
        "annalsIndex({},",
        serde_json::to_string(name).map_err(|e| failed(e.into()))?
    )
    .map_err(failed)?;
    let mut out = ScriptSafe {
        inner: &mut bytes,
        after_lt: false,
    };
    serde_json::to_writer(&mut out, value).map_err(|e| failed(e.into()))?;
    bytes.extend_from_slice(b");\n");
    let fingerprint = ctx.reuse.map(|_| xxhash_rust::xxh3::xxh3_128(&bytes));
    if ctx.reuse_file(rel, fingerprint) {
        return Ok(());
    }
    ctx.put(rel, &bytes)?;
    ctx.record_file(rel, fingerprint);
    Ok(())
}

fn folded(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        push_terms(&fold(&w), &mut out);
    }
    out
}

pub(super) fn write(ctx: &Ctx, bodies: &Bodies) -> Result<(), crate::error::Error> {
    let events = &ctx.site.events;
    let mut index = Words::default();
    for i in 0..events.len() {
        let body = bodies
            .get(i)
            .ok_or_else(|| std::io::Error::other("the bodies stopped"))
            .map_err(|e| crate::error::Error::io(String::from("cannot index the bodies"), e))?;
        index.add_event(i, body.search_terms());
    }
    // The parts are written on every core: this is the last of the
    // build's work when the other exports are done.
    events
        .par_chunks(DOC_CHUNK)
        .enumerate()
        .try_for_each(|(c, chunk)| {
            let name = format!("d/{c}");
            let docs: Vec<_> = chunk.iter().map(|e| doc(e, ctx.locale)).collect();
            put_part(ctx, &urls::search_part(&name), &name, &docs)
        })?;
    let (words, shards) = index.shards();
    let keys = shards
        .par_iter()
        .enumerate()
        .map(|(n, (key, run))| {
            let words = &words[run.clone()];
            let name = format!("t/{n}");
            let entries: Vec<(&str, String)> = words.iter().map(|w| (w.key(), w.value())).collect();
            let size: usize = entries
                .iter()
                .map(|(w, lists)| w.len() + lists.len() + 6)
                .sum();
            put_part(ctx, &urls::search_part(&name), &name, &Shard(&entries))?;
            Ok((key.clone(), size))
        })
        .collect::<Result<Vec<_>, crate::error::Error>>()?;
    // Every word of the site, no longer needed once its shards are written.
    drop(words);
    drop(index);
    let mut facets: Vec<(String, Cow<[usize]>)> = Vec::new();
    for kind in TaxonomyKind::ALL {
        for term in &ctx.site.taxonomy(kind).terms {
            let name = format!("f/{}/{}", kind.key(), term.slug);
            facets.push((name, Cow::Borrowed(&term.events)));
        }
    }
    let events_where = |keep: &dyn Fn(&Event) -> bool| -> Cow<[usize]> {
        let indices = events.iter().enumerate().filter(|(_, e)| keep(e));
        Cow::Owned(indices.map(|(i, _)| i).collect())
    };
    for status in crate::content::event::Status::ALL {
        let of_status = events_where(&|e| e.status.key() == status);
        facets.push((format!("f/status/{status}"), of_status));
    }
    // The source filter: events with a source of each reliability tier.
    let tiers: Vec<u8> = events.par_iter().map(|e| e.cited.tier_bits()).collect();
    for tier in crate::values::reliability::Tier::ALL {
        let with_tier = Cow::Owned(
            (0..events.len())
                .filter(|&i| tiers[i] & 1 << tier.index() != 0)
                .collect(),
        );
        facets.push((format!("f/source/{}", tier.key()), with_tier));
    }
    facets.par_iter().try_for_each(|(name, events)| {
        let list = encode(events.iter().copied());
        put_part(ctx, &urls::search_part(name), name, &list)
    })?;
    // Runs of events on the same first day: [day, count, day, count, …].
    let mut runs: Vec<serde_json::Value> = Vec::new();
    let mut last: Option<(String, usize)> = None;
    for e in events.iter() {
        let day = day_key(&e.date.machine());
        match &mut last {
            Some((d, n)) if *d == day => *n += 1,
            _ => {
                if let Some((d, n)) = last.take() {
                    runs.extend([d.into(), n.into()]);
                }
                last = Some((day, 1));
            }
        }
    }
    if let Some((d, n)) = last {
        runs.extend([d.into(), n.into()]);
    }
    put_part(ctx, &urls::search_part("dates"), "dates", &runs)?;
    let meta = serde_json::json!({
        "count": events.len(),
        "chunk": DOC_CHUNK,
        "parts": urls::SEARCH_PARTS,
        "shards": keys,
    });
    put_part(ctx, INDEX_FILE, "meta", &meta)
}

/// A shard's words (in order) with their lists, as one JSON object.
struct Shard<'a>(&'a [(&'a str, String)]);

impl serde::Serialize for Shard<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (word, lists) in self.0 {
            map.serialize_entry(word, lists)?;
        }
        map.end()
    }
}

/// Passes JSON through with every `</` written as `<\/` (the same string
/// to JSON), so the index can never close a `<script>` it is inlined in.
struct ScriptSafe<W> {
    inner: W,
    /// Whether the last byte written was `<`: a pair can span two writes.
    after_lt: bool,
}

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            let after_lt = if i == 0 {
                self.after_lt
            } else {
                buf[i - 1] == b'<'
            };
            if b == b'/' && after_lt {
                self.inner.write_all(&buf[start..i])?;
                self.inner.write_all(b"\\")?;
                start = i;
            }
        }
        self.inner.write_all(&buf[start..])?;
        if let Some(&last) = buf.last() {
            self.after_lt = last == b'<';
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::ScriptSafe;
    use std::io::Write;

    #[test]
    fn script_end_tags_are_escaped_even_across_writes() {
        let mut out = Vec::new();
        let mut w = ScriptSafe {
            inner: &mut out,
            after_lt: false,
        };
        for piece in ["a</b", "<", "/script>", "x/y", "<", "z"] {
            w.write_all(piece.as_bytes()).expect("writes");
        }
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "a<\\/b<\\/script>x/y<z"
        );
    }
}
