//! `calendar.ics` (RFC 5545): the `icalendar` crate writes the calendar
//! frame, identity, dates and status; text properties are written here
//! (escaped as TEXT values), and every line is folded at 75 octets on
//! UTF-8 character boundaries by `refold` (checked by tests/exports.rs).
//!
//! Dates keep their precision: a date-only event is an all-day VEVENT
//! (`VALUE=DATE`, never shifted by a time zone); a date-time is a UTC
//! instant. A month- or year-precision event is an all-day span of the
//! whole month or year, and its DESCRIPTION says so: no day is invented.

use super::Ctx;
use crate::content::event::{Event, Status};
use crate::urls;
use crate::values::dates::{EndDate, EventDate, Precision};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};

/// The day after the last day of the period `d` names (DTEND of an
/// all-day event is exclusive).
fn day_after_period(d: &EventDate) -> NaiveDate {
    let first = d.first_day();
    let next = match d.precision() {
        Precision::Day | Precision::Time => first.checked_add_days(Days::new(1)),
        Precision::Month => {
            let (y, m) = if first.month() == 12 {
                (first.year() + 1, 1)
            } else {
                (first.year(), first.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)
        }
        Precision::Year => NaiveDate::from_ymd_opt(first.year() + 1, 1, 1),
    };
    next.unwrap_or(first)
}

/// `SOURCE_DATE_EPOCH`, when set: DTSTAMP then (reproducible builds),
/// else the build time.
fn fixed_stamp() -> Option<DateTime<Utc>> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
}

/// Why the calendar shows what it shows, for periods and open spans.
fn date_note(e: &Event, l: &crate::i18n::Locale) -> Option<String> {
    let mut notes = Vec::new();
    // The span as the pages show it, once ("March–May 2025"); an open
    // span has its own note below.
    let (shown, spans) = match &e.end_date() {
        Some(end @ EndDate::On(d)) if *d != e.date => (
            crate::values::dates::display_span_in(&e.date, Some(end), false, l),
            true,
        ),
        _ => (e.date.display_in(l), false),
    };
    let many = if spans { "many" } else { "one" };
    match e.date.precision() {
        Precision::Month => notes.push(l.format(
            "calendar-month-only",
            &[("shown", shown.into()), ("spans", many.into())],
        )),
        Precision::Year => notes.push(l.format(
            "calendar-year-only",
            &[("shown", shown.into()), ("spans", many.into())],
        )),
        _ => {}
    }
    if e.approximate {
        notes.push(l.text("calendar-approximate").to_string());
    }
    if matches!(e.end_date(), Some(EndDate::Ongoing)) {
        notes.push(l.format("calendar-ongoing", &[("date", e.date.display_in(l).into())]));
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// Calendar text without carriage returns (the crate escapes `\n` only).
fn text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Everything one VEVENT shows but its DTSTAMP, worked out from its
/// event: the VEVENT is written from this alone.
struct VeventIn {
    uid: String,
    url: String,
    when: When,
    status: Status,
    /// The text properties, escaped.
    summary: String,
    location: Option<String>,
    description: String,
    /// Media files by address (RFC 5545 3.8.1.1), embeds left out: each
    /// line's name with its type, and the address.
    attachments: Vec<(String, String)>,
}

/// DTSTART and DTEND.
enum When {
    /// A UTC instant, and the end when there is one: without an end the
    /// event is an instant (RFC 5545 §3.6.1), no duration is invented.
    At(DateTime<Utc>, Option<DateTime<Utc>>),
    /// Whole days: the first, and the day after the last.
    Days(NaiveDate, NaiveDate),
}

fn vevent_in(ctx: &Ctx, host: &str, e: &Event) -> VeventIn {
    let url = ctx.abs(&urls::event(&e.slug));
    let end = match &e.end_date() {
        Some(EndDate::On(d)) => Some(d),
        _ => None,
    };
    let timed = e.date.instant.is_some() && end.is_none_or(|d| d.instant.is_some());
    let when = match (timed, e.date.instant) {
        (true, Some(start)) => When::At(
            start.with_timezone(&Utc),
            end.and_then(|d| d.instant).map(|t| t.with_timezone(&Utc)),
        ),
        // DTSTART and DTEND must share a value type, so a span mixing a
        // date and a date-time is shown as whole days.
        _ => When::Days(e.date.first_day(), day_after_period(end.unwrap_or(&e.date))),
    };
    let mut description = text(&e.summary);
    if let Some(note) = date_note(e, ctx.locale) {
        description.push_str("\n\n");
        description.push_str(&note);
    }
    description.push_str("\n\n");
    description.push_str(&url);
    let location = e.location.as_ref().map(|loc| {
        let loc =
            crate::content::native::joined(loc, e.location_native(), &ctx.site.config.language);
        escape_text(&text(&loc))
    });
    VeventIn {
        // Slugs are at most 200 bytes: these lines stay short.
        uid: format!("{}@{host}", e.slug),
        url,
        when,
        status: e.status,
        summary: escape_text(&text(&e.title)),
        location,
        description: escape_text(&description),
        attachments: super::media_out::attachments(ctx.site, ctx.base, e)
            .into_iter()
            .map(|a| (format!("ATTACH;FMTTYPE={}", a.mime), a.url))
            .collect(),
    }
}

/// One VEVENT, folded. The crate writes the identity, dates and status;
/// the text properties are written here, because the crate's line folding
/// grows with the square of a value's length (a 4 MiB summary took
/// seconds) and `refold` folds every line again anyway.
fn vevent(v: &VeventIn, dtstamp: DateTime<Utc>) -> String {
    let mut ev = icalendar::Event::new();
    ev.uid(&v.uid).timestamp(dtstamp).url(&v.url);
    match v.when {
        When::At(start, end) => {
            ev.starts(start);
            if let Some(end) = end {
                ev.ends(end);
            }
        }
        When::Days(first, after) => {
            ev.starts(first).ends(after);
        }
    }
    ev.status(match v.status {
        Status::Planned => EventStatus::Tentative,
        Status::Cancelled => EventStatus::Cancelled,
        Status::Held | Status::Announced => EventStatus::Confirmed,
    });
    let written = Component::to_string(&ev.done());
    let mut out = written
        .strip_suffix(EVENT_END)
        .unwrap_or(&written)
        .to_string();
    push_line(&mut out, "SUMMARY", &v.summary);
    if let Some(location) = &v.location {
        push_line(&mut out, "LOCATION", location);
    }
    push_line(&mut out, "DESCRIPTION", &v.description);
    for (name, url) in &v.attachments {
        push_line(&mut out, name, url);
    }
    out.push_str(EVENT_END);
    refold(&out)
}

const EVENT_END: &str = "END:VEVENT\r\n";

/// An unfolded content line; `refold` folds it.
fn push_line(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push(':');
    out.push_str(value);
    out.push_str("\r\n");
}

/// A TEXT value escaped as RFC 5545 3.3.11 asks (and as the crate does).
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 16);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The calendar's opening lines, folded, named `name`.
fn head(name: &str) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            format!("-//annals//annals {}//EN", env!("CARGO_PKG_VERSION")),
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    let written = cal.done().to_string();
    let mut head = written
        .strip_suffix(CALENDAR_END)
        .unwrap_or(&written)
        .to_string();
    push_line(
        &mut head,
        "X-WR-CALNAME;VALUE=TEXT",
        &escape_text(&text(name)),
    );
    refold(&head)
}

/// Writes `calendar.ics` and each year's share of it
/// (`years/<yyyy>/calendar.ics`, for subscribing to a part), rendering
/// each VEVENT once for both, on every core, a stretch at a time: the
/// whole calendar of a large site is never held in memory.
///
/// A year whose VEVENTs would be made from the same inputs as the previous
/// build's (see [`year_fingerprint`]) keeps its file, DTSTAMP included (with
/// `METHOD:PUBLISH`, the time the calendar was made: RFC 5545 3.8.7.2),
/// and the whole calendar copies that year's VEVENTs from it. A fixed
/// `SOURCE_DATE_EPOCH` is one of the inputs; the build time is not.
pub(super) fn write(ctx: &Ctx) -> Result<(), crate::error::Error> {
    use rayon::prelude::*;
    let host = ctx.site.config.base_host().unwrap_or(super::FALLBACK_HOST);
    let fixed = fixed_stamp();
    let dtstamp = fixed.unwrap_or_else(Utc::now);
    let fixed = fixed.map(|t| t.timestamp());
    let title = &ctx.site.config.title;
    let inputs = |events: &[usize]| -> Vec<VeventIn> {
        events
            .par_iter()
            .map(|&i| vevent_in(ctx, host, &ctx.site.events[i]))
            .collect()
    };
    let render =
        |ins: &[VeventIn]| -> Vec<String> { ins.par_iter().map(|v| vevent(v, dtstamp)).collect() };
    let mut year_error = None;
    ctx.put_with(urls::CALENDAR, |w| {
        w.write_all(head(title).as_bytes())?;
        for (year, events) in &ctx.site.years {
            let rel = urls::year_export(*year, urls::CALENDAR);
            let year_head = head(&format!("{title} \u{2014} {year}"));
            let fingerprint = ctx
                .reuse
                .and_then(|_| year_fingerprint(ctx, &year_head, fixed, events));
            if ctx.reuse_file(&rel, fingerprint) {
                if !ctx.copy_kept(&rel, |file| copy_vevents(w, file, &year_head))? {
                    for stretch in events.chunks(STRETCH) {
                        for vevent in render(&inputs(stretch)) {
                            w.write_all(vevent.as_bytes())?;
                        }
                    }
                }
                continue;
            }
            let written = ctx.put_with(&rel, |year_file| {
                year_file.write_all(year_head.as_bytes())?;
                for stretch in events.chunks(STRETCH) {
                    for vevent in render(&inputs(stretch)) {
                        w.write_all(vevent.as_bytes())?;
                        year_file.write_all(vevent.as_bytes())?;
                    }
                }
                year_file.write_all(CALENDAR_END.as_bytes())
            });
            if let Err(e) = written {
                year_error = Some(e);
                return Err(std::io::Error::other(
                    "a year's calendar could not be written",
                ));
            }
            ctx.record_file(&rel, fingerprint);
        }
        w.write_all(CALENDAR_END.as_bytes())
    })
    .map_err(|e| year_error.take().unwrap_or(e))
}

/// VEVENTs made at once.
const STRETCH: usize = 1024;

/// A year's calendar's fingerprint: the digest of its head, the fixed
/// DTSTAMP if any, and what each of its VEVENTs is made of (the event as
/// read and the site beyond its events, see `model::inputs`), which is
/// far cheaper to take than the VEVENTs' inputs are to make.
fn year_fingerprint(ctx: &Ctx, head: &str, fixed: Option<i64>, events: &[usize]) -> Option<u128> {
    let inputs = ctx.site.inputs();
    let events = inputs.events(events.iter().copied())?;
    crate::output::digest::of(&("calendar.ics year", head, fixed, inputs.site(), events))
}

/// Copies the VEVENTs of `file`, a year's calendar written with `head`,
/// into `w` as they are (streamed); false, with nothing written, when the
/// file does not have that head and end.
fn copy_vevents(
    w: &mut dyn std::io::Write,
    mut file: std::fs::File,
    head: &str,
) -> std::io::Result<bool> {
    let framed = super::framed::between(&mut file, head.as_bytes(), CALENDAR_END.as_bytes())?;
    let Some(run) = framed else {
        return Ok(false);
    };
    super::framed::copy(&mut file, run, w)?;
    Ok(true)
}

/// Whether a fold at byte `at` of `line` would sit next to whitespace.
fn touches_whitespace(line: &str, at: usize) -> bool {
    let before = line[..at].chars().next_back();
    let after = line[at..].chars().next();
    [before, after]
        .into_iter()
        .flatten()
        .any(char::is_whitespace)
}

const CALENDAR_END: &str = "END:VCALENDAR\r\n";

/// Folds every content line to at most 75 octets, leading space included
/// (RFC 5545 3.1), never inside a UTF-8 character nor before a space. The crate's own folding
/// can leave a continuation line at 76 octets, so its output is unfolded
/// and folded again here.
fn refold(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len() + ics.len() / 70 * 3);
    // A folded line is joined again first: a line break followed by a
    // space or a tab continues the line before it.
    let mut line = String::new();
    let mut rest = ics;
    while !rest.is_empty() {
        let (piece, after) = match rest.find("\r\n") {
            Some(at) => (&rest[..at], &rest[at + 2..]),
            None => (rest, ""),
        };
        line.push_str(piece);
        if let Some(continued) = after.strip_prefix([' ', '\t']) {
            rest = continued;
            continue;
        }
        fold_line(&mut out, &line);
        line.clear();
        rest = after;
    }
    if !line.is_empty() {
        fold_line(&mut out, &line);
    }
    out
}

/// Appends `line` to `out` folded to at most 75 octets a line (see
/// [`refold`]), with its line break.
fn fold_line(out: &mut String, line: &str) {
    let mut start = 0;
    let mut limit = 75;
    while line.len() - start > limit {
        let mut cut = start + limit;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        // Readers trim whitespace at either end of a folded line, so
        // a fold moves back to lie between two other characters when
        // one is near (not in a long run of spaces).
        let mut between = cut;
        while between > start + limit / 2 && touches_whitespace(line, between) {
            between = line[..between]
                .char_indices()
                .next_back()
                .map_or(start, |(i, _)| i);
        }
        if !touches_whitespace(line, between) {
            cut = between;
        }
        out.push_str(&line[start..cut]);
        out.push_str("\r\n ");
        start = cut;
        limit = 74;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod refold_tests {
    #[test]
    fn lines_fit_75_octets_with_the_leading_space() {
        let long = format!("DESCRIPTION:{}\r\n", "a\u{d55c}".repeat(60));
        let folded = super::refold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), long);
        let spaced = format!("SUMMARY:{}end\r\n", "Long title ".repeat(200));
        let folded = super::refold(&spaced);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                l.len() <= 75 && !l.starts_with("  ") && !l.ends_with(' '),
                "{l:?}"
            );
        }
        assert_eq!(folded.replace("\r\n ", ""), spaced);
    }

    #[test]
    fn folded_lines_are_joined_before_folding_again() {
        let ics = "X:ab\r\n c\r\n\td\r\n\r\nY:e\r\n f";
        assert_eq!(super::refold(ics), "X:abcd\r\n\r\nY:ef\r\n");
        assert_eq!(super::refold(""), "");
        assert_eq!(super::refold("\r\n"), "\r\n");
    }
}
