//! The search index: `search-index.js`, one compact array per event
//! (path, title, date text, summary, keywords) assigned to a global and
//! loaded with a plain `<script src>`, so the search page works from any
//! static host with no fetch, CORS or MIME-type set-up.
//!
//! Keywords are the distinct words of the body, participants, location,
//! kind, countries, tracks and tags that are not already in the title or
//! summary: the browser scans this array, which at 10,000 events is both
//! smaller than an inverted index carrying the same result fields and
//! fast enough (a linear scan of a few MB takes milliseconds).

use super::Ctx;
use super::stream::Bodies;
use crate::content::event::Event;
use crate::content::markdown::{WordSet, push_new_words, words};
use crate::urls;
use std::io::Write;

/// Index file name, under the base path.
pub const INDEX_FILE: &str = urls::SEARCH_INDEX;

/// What each position of a document holds.
const FIELDS: [&str; 5] = ["path", "title", "when", "summary", "keywords"];

/// The keywords of `e`, whose body has the distinct `body_words`.
pub(super) fn keywords(ctx: &Ctx, e: &Event, body_words: &str) -> String {
    let mut extra: Vec<String> = e.participants.iter().map(|p| p.name.clone()).collect();
    extra.extend(e.participants.iter().filter_map(|p| p.role.clone()));
    extra.extend(e.location.clone());
    extra.push(
        ctx.site
            .config
            .kind(&e.kind)
            .map(|k| k.label.clone())
            .unwrap_or_else(|| e.kind.clone()),
    );
    extra.extend(e.countries.iter().map(|c| ctx.site.config.country_label(c)));
    extra.extend(e.countries.iter().cloned());
    extra.extend(e.tracks.iter().map(|t| {
        ctx.site
            .config
            .track(t)
            .map(|d| d.label.clone())
            .unwrap_or_else(|| t.clone())
    }));
    extra.extend(e.tags.iter().cloned());
    // Words of the title and summary are in the document already.
    let mut seen: WordSet = words(&e.title).chain(words(&e.summary)).collect();
    let mut out = String::new();
    let texts = extra.iter().map(String::as_str);
    push_new_words(&mut out, &mut seen, texts.chain([body_words]));
    out
}

/// One event's entry: path, title, date text, summary, keywords.
fn doc<'e>(e: &'e Event, keywords: &'e str) -> (String, &'e str, String, &'e str, &'e str) {
    (
        urls::event(&e.slug),
        e.title.as_str(),
        crate::values::dates::display_span(&e.date, e.end_date.as_ref(), e.approximate),
        e.summary.as_str(),
        keywords,
    )
}

pub(super) fn write(ctx: &Ctx, bodies: &Bodies) -> Result<(), crate::error::Error> {
    ctx.put_with(INDEX_FILE, |w| {
        let fields = serde_json::to_string(&FIELDS).map_err(std::io::Error::other)?;
        write!(
            w,
            "window.annalsSearchIndex = {{\"fields\":{fields},\"docs\":["
        )?;
        let mut out = ScriptSafe {
            inner: &mut *w,
            after_lt: false,
        };
        for (i, e) in ctx.site.events.iter().enumerate() {
            let body = bodies
                .get(i)
                .ok_or_else(|| std::io::Error::other("the bodies stopped"))?;
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut out, &doc(e, body.keywords()))
                .map_err(std::io::Error::other)?;
        }
        w.write_all(b"]};\n")
    })
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
