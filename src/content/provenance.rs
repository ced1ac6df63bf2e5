//! The event's provenance fields: `corrections` (dated notices of what
//! was corrected, Markdown) and the `reliability` tier of each source
//! (primary document, official statement, press report, analysis), with
//! their rules and located diagnostics. `updated` is a plain date field
//! read from the schema table; how it combines with the git history and
//! the corrections is the model's (`model::updated`).

use crate::diagnostic::suggestion;
use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};
use crate::values::dates::EventDate;
pub use crate::values::reliability::Tier;

/// A dated notice that the event's page was corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: EventDate,
    /// Markdown as written.
    pub text: String,
    /// Rendered (sanitised unless the site allows raw HTML).
    pub html: String,
}

fn field<'m>(map: &'m [(String, Yaml)], key: &str) -> Option<&'m Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The `reliability` of the source at `sources[i]`, when written.
pub fn reliability(c: &mut Checker, source: &[(String, Yaml)], i: usize) -> Option<Tier> {
    let v = field(source, "reliability")?;
    let p = [Seg::Key("sources"), Seg::Index(i), Seg::Key("reliability")];
    let s = c.text(v, &p)?;
    let tier = Tier::parse(&s);
    if tier.is_none() {
        c.at_value(&p, format!("unknown source reliability `{s}`"))
            .hint = Some(format!(
            "{} (primary document, official statement, press report, analysis)",
            suggestion(&s, &Tier::KEYS)
        ));
    }
    tier
}

/// The `corrections` of an event: each `{date, text}`, both required.
/// Kept in the order written; pages and feeds sort them newest first.
pub fn corrections_field(
    c: &mut Checker,
    map: &[(String, Yaml)],
    unsafe_html: bool,
) -> Vec<Correction> {
    let Some(v) = field(map, "corrections") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in c
        .list(v, &[Seg::Key("corrections")])
        .into_iter()
        .enumerate()
    {
        let p = [Seg::Key("corrections"), Seg::Index(i)];
        let sub = |k| [Seg::Key("corrections"), Seg::Index(i), Seg::Key(k)];
        let Some(m) = c.map(item, &p, "a correction") else {
            continue;
        };
        c.check_keys(m, &["date", "text"], &p, "a correction");
        let date = match field(m, "date") {
            Some(d) => c.date(d, &sub("date")),
            None => {
                c.at_key(&p, "correction without a `date`").hint = Some(
                    "write `{date: 2025-03-03, text: ...}`: the day the correction was made".into(),
                );
                None
            }
        };
        let text = match field(m, "text") {
            Some(t) => c.text(t, &sub("text")),
            None => {
                c.at_key(&p, "correction without a `text`").hint =
                    Some("say what was corrected: `{date: ..., text: The date was wrong.}`".into());
                None
            }
        };
        let html =
            text.as_deref()
                .and_then(|t| match crate::content::markdown::render(t, unsafe_html) {
                    Ok(html) => Some(html),
                    Err(_) => {
                        c.at_value(&sub("text"), "the correction nests elements too deep")
                            .hint = Some("write plain sentences here".into());
                        None
                    }
                });
        if let (Some(date), Some(text), Some(html)) = (date, text, html) {
            out.push(Correction { date, text, html });
        }
    }
    out
}

/// The latest of `dates` by their first day (a later day wins; the first
/// written wins a tie, so the result does not depend on order otherwise).
pub fn latest<'a>(dates: impl IntoIterator<Item = &'a EventDate>) -> Option<&'a EventDate> {
    let mut best: Option<&EventDate> = None;
    for d in dates {
        if best.is_none_or(|b| d.sort_key() > b.sort_key()) {
            best = Some(d);
        }
    }
    best
}

/// The anchor of `corrections[i]` on its event's page, also the tail of
/// its id in the corrections feed: `correction-<day>-<n>`, `n` counting
/// that day's corrections in the order written, so adding a correction
/// on another day moves no other's anchor.
pub fn anchor(corrections: &[Correction], i: usize) -> String {
    let Some(c) = corrections.get(i) else {
        return String::from("corrections");
    };
    let day = c.date.first_day();
    let n = corrections[..i]
        .iter()
        .filter(|o| o.date.first_day() == day)
        .count()
        + 1;
    format!("correction-{}-{n}", day.format("%Y-%m-%d"))
}
