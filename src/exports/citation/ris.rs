//! An event's citation as a RIS record (the tagged format of EndNote,
//! Zotero, Mendeley and most catalogues): `TY  - WEB`, one tag and value a
//! line, CRLF line ends, every value on one line (see `one_line`).

use super::{Reference, one_line};
use crate::values::dates::EventDate;
use std::fmt::Write as _;

/// RIS's date: `YYYY/MM/DD/other`, with the parts not known left empty.
fn date(d: &EventDate) -> String {
    let two = |n: Option<u32>| n.map(|n| format!("{n:02}")).unwrap_or_default();
    format!("{:04}/{}/{}/", d.year, two(d.month), two(d.day))
}

/// The record, ending with `ER  - ` and a line break.
pub(super) fn record(r: &Reference) -> String {
    let mut out = String::new();
    let mut tag = |tag: &str, value: &str| {
        let value = one_line(value);
        if !value.is_empty() {
            let _ = write!(out, "{tag}  - {value}\r\n");
        }
    };
    tag("TY", "WEB");
    tag("ID", r.key);
    tag("TI", r.title);
    tag("T2", r.site_title);
    tag("PB", r.site_title);
    tag("PY", &format!("{:04}", r.date.year));
    tag("DA", &date(r.date));
    tag("UR", &r.url);
    tag("AB", r.summary);
    for k in &r.keywords {
        tag("KW", k);
    }
    tag("LA", r.language);
    // The date as the page gives it: its span, end or approximation, which
    // `DA` cannot hold.
    if r.end.is_some() || r.approximate {
        tag("N1", &format!("Event date: {}", r.when));
    }
    out.push_str("ER  - \r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        let d = |s| date(&EventDate::parse(s).expect("date"));
        assert_eq!(d("2024"), "2024///");
        assert_eq!(d("2024-07"), "2024/07//");
        assert_eq!(d("2024-07-28"), "2024/07/28/");
        assert_eq!(d("2024-07-28T10:00:00+09:00"), "2024/07/28/");
    }
}
