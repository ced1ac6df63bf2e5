//! Text helpers of the importer: YAML quoting for the front matter it
//! writes, HTML to plain text, TimelineJS text split into summary and
//! body, and TimelineJS dates to annals date strings.

use crate::exports::timelinejs::TDate;
use crate::values::dates::EventDate;

pub use crate::source::yaml::quote;

/// Text of an HTML fragment: tags removed, common entities decoded,
/// whitespace collapsed.
pub fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits TimelineJS text into summary (its first paragraph, as annals
/// exports it) and the HTML body that follows.
pub fn split_text(text: &str) -> (String, String) {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("<p>")
        && let Some(end) = rest.find("</p>")
    {
        let body = rest[end + 4..].trim();
        return (plain(&rest[..end]), body.to_string());
    }
    if t.contains('<') {
        (plain(t), t.to_string())
    } else {
        (plain(t), String::new())
    }
}

fn num(p: &Option<crate::exports::timelinejs::Part>, what: &str) -> Result<Option<i64>, String> {
    match p {
        None => Ok(None),
        Some(p) => p.value().map_err(|e| format!("{what}: {e}")),
    }
}

/// A TimelineJS date as an annals date string at the same precision.
/// Times have no zone in TimelineJS, so they are taken as UTC.
pub fn date_text(d: &TDate, which: &str) -> Result<String, String> {
    let year = num(&d.year, &format!("{which} year"))?
        .ok_or_else(|| format!("{which} date has no year"))?;
    if !(1..=9999).contains(&year) {
        return Err(format!(
            "{which} year {year} cannot be represented: annals dates are years 0001 to 9999"
        ));
    }
    let month = num(&d.month, &format!("{which} month"))?;
    let day = num(&d.day, &format!("{which} day"))?;
    let hour = num(&d.hour, &format!("{which} hour"))?;
    let minute = num(&d.minute, &format!("{which} minute"))?.unwrap_or(0);
    let second = num(&d.second, &format!("{which} second"))?.unwrap_or(0);
    let text = match (month, day, hour) {
        (None, None, None) => format!("{year:04}"),
        (Some(m), None, None) => format!("{year:04}-{m:02}"),
        (Some(m), Some(d), None) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), Some(d), Some(h)) => {
            format!("{year:04}-{m:02}-{d:02}T{h:02}:{minute:02}:{second:02}Z")
        }
        _ => {
            return Err(format!(
                "{which} date has a day or time without a month or day"
            ));
        }
    };
    EventDate::parse(&text).map_err(|e| format!("{which} date: {e}"))?;
    Ok(text)
}
